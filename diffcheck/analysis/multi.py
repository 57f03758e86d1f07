"""analyze_multi(): differentiability of a real function of several variables.

At a point p diffcheck computes f(p), the one-sided partial derivatives and
one-sided directional derivatives (by the one-variable analysis of the lines
through p, :mod:`diffcheck.analysis.multi_definition`), and decides:

1. When f is a continuous selection of C^1 pieces at p (built by Max, Min,
   Abs, Piecewise from smooth pieces), by its active pieces
   (:mod:`diffcheck.engine.pieces`): differentiable iff all pieces active
   on an open cone of directions have one gradient; their gradients span
   Clarke's generalized gradient.  The lines must agree (a safety net: a
   disagreement makes the point ``unknown``).
2. Otherwise by the definition: a line through p on which f is not
   differentiable, or has a derivative other than g·d (g the vector of
   partials), proves f is not differentiable; a polar bound
   |f(p + v) - f(p) - g·v|/|v| <= B(|v|) -> 0 proves it is.  Anything else is
   ``unknown`` with the reason.

Without points, the report lists the non-smooth set: the equations where a
Max/Min switches, an Abs argument vanishes, a Piecewise condition changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import sympy
from sympy import S

from diffcheck.analysis import multi_definition as definition
from diffcheck.analysis.options import Options
from diffcheck.budget import BudgetExceeded, Deadline, budget
from diffcheck.engine.limits import Undecided, const_sign, is_zero
from diffcheck.engine.nonsmooth import nonsmooth_pieces
from diffcheck.engine.pieces import (
    NotPiecewiseSmooth,
    PiecewiseVerdict,
    joint_value,
    piecewise_verdict,
)
from diffcheck.errors import InputError
from diffcheck.model.multi import (
    Directional,
    MultiAnalysis,
    MultiKind,
    MultiPointReport,
    Partial,
)
from diffcheck.model.report import PointReport

__all__ = ["analyze_multi", "parse_assignments"]

DEFAULT_TIMEOUT = 10.0
"""Seconds each point may take (``--timeout``)."""
TOTAL_FACTOR = 10
"""The whole analysis may take this many per-point budgets."""

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_FAILURES = (NotImplementedError, TypeError, ValueError, ArithmeticError, RecursionError,
             AttributeError, IndexError, KeyError)
"""SymPy's ways of failing on a hard expression (turned into ``unknown``, never a traceback)."""


def analyze_multi(
    expr: str | sympy.Expr,
    *,
    vars: str | Iterable[str | sympy.Symbol],
    at: str | Mapping[str | sympy.Symbol, str | sympy.Expr]
    | Iterable[str | Mapping[str | sympy.Symbol, str | sympy.Expr]] | None = None,
    set: str | Mapping[str | sympy.Symbol, str | sympy.Expr]
    | Iterable[str] | None = None,
    directions: Iterable[str | Iterable[str | sympy.Expr | int]] = (),
    order: int = 1,
    timeout: float | None = None,
) -> MultiAnalysis:
    """Where is ``expr`` not differentiable as a function of several variables, and why.

    Args:
        expr: the function, as text in diffcheck's language or a SymPy Expr.
        vars: the variables, ``"w, b"`` or ``["w", "b"]``; other free names
            are real parameters.
        at: points to analyse: ``"w=1, b=0"``, a mapping ``{"w": 1, "b": 0}``,
            or a list of these.  Without points the report lists the
            non-smooth set.
        set: values for parameters, substituted before the analysis:
            ``"x=2, y=1"``, ``["x=2", "y=1"]`` or ``{"x": 2, "y": 1}``.
        directions: more directions d for the one-sided directional
            derivatives at each point, ``"1, 2"`` or ``(1, 2)`` (taken as
            given, not normalised), besides the axes and the diagonals.
        order: differentiability order asked for (only 1 for now).
        timeout: seconds each point may take (default 10); a point over its
            budget is reported ``unknown``.

    Raises:
        InputError: the expression, a variable, a point or a value is unusable.

    Examples:
        >>> a = analyze_multi("Max(0, 1 - y*(w*x + b))", vars="w, b", set="x=2, y=1",
        ...                   at="w=1/2, b=0")
        >>> p = a.points[0]
        >>> p.differentiable, p.generalized_gradient
        (False, ((-2, -1), (0, 0)))
        >>> str(analyze_multi("Abs(x*y)", vars="x, y", at="x=0, y=0").points[0].gradient)
        '(0, 0)'
    """
    from diffcheck.language import parsing

    f = parsing.parse_expression(expr) if isinstance(expr, str) else parsing.to_real(expr)
    variables = _variables(vars)
    fixed = parse_assignments(set, what="--set") if set is not None else ()
    for name, _value in fixed:
        if name in variables:
            raise InputError(f"{name} is a variable; --set fixes parameters only")
    f = f.xreplace(dict(fixed))
    points = [_point(p, variables) for p in _points(at)]
    extra = tuple(_direction(d, len(variables)) for d in directions)
    options = Options.build(order=order, timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
                            max_order=1)
    seconds = options.timeout
    deadline = Deadline(seconds * TOTAL_FACTOR)
    notes: list[str] = []
    parameters = sorted(f.free_symbols - _set_of(variables), key=str)
    if parameters:
        notes.append(f"real parameters {', '.join(map(str, parameters))}: verdicts that depend "
                     f"on their values are unknown (fix them with --set)")
    try:
        with budget(seconds):
            pieces, smooth = nonsmooth_pieces(f, variables)
    except BudgetExceeded:
        pieces, smooth = (), False
        notes.append(f"the non-smooth set took longer than {seconds:g} s and is not listed")
    space = sympy.ProductSet(*([S.Reals] * len(variables)))
    differentiable_on = None
    if smooth and not parameters:
        differentiable_on = space if not pieces else sympy.Complement(
            space, sympy.Union(*(p.set for p in pieces), evaluate=False), evaluate=False)
    reports = tuple(
        evaluate_multi_point(f, variables, p, seconds=seconds, deadline=deadline,
                             directions=extra)
        for p in points
    )
    return MultiAnalysis(
        expression=f,
        variables=variables,
        parameters=tuple(fixed),
        points=reports,
        nonsmooth=pieces,
        differentiable_on=differentiable_on,
        gradient=_gradient(f, variables, min(seconds, deadline.remaining() or 0.0)),
        notes=tuple(notes),
    )


def _set_of(items: Iterable[sympy.Symbol]) -> frozenset[sympy.Symbol]:
    return frozenset(items)


# --- inputs ------------------------------------------------------------------------------


def _variables(names: str | Iterable[str | sympy.Symbol]) -> tuple[sympy.Symbol, ...]:
    items = [n.strip() for n in names.split(",")] if isinstance(names, str) else [
        str(n).strip() for n in names]
    items = [n for n in items if n]
    if not items:
        raise InputError("give at least one variable, e.g. --vars w,b")
    for name in items:
        if not _NAME.match(name):
            raise InputError(f"a variable must be a plain name like w, not {name!r}")
    if len(frozenset(items)) != len(items):
        raise InputError(f"a variable is given twice in {', '.join(items)}")
    return tuple(sympy.Symbol(n, real=True) for n in items)


def _split(text: str) -> list[str]:
    """Split ``"w=1, b=Max(0, 1)"`` at the commas outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def parse_assignments(
    given: str | Mapping[str | sympy.Symbol, str | sympy.Expr] | Iterable[str], *,
    what: str = "--at",
) -> tuple[tuple[sympy.Symbol, sympy.Expr], ...]:
    """``"w=1, b=0"`` (or several such strings, or a mapping) -> ((w, 1), (b, 0)).

    Values are constants read by the safe parser (``pi/4``, ``sqrt(2)``, ``0.5``).

    Raises:
        InputError: not ``name=value`` pairs, a name given twice, or a value
            that is not a real constant.

    Examples:
        >>> parse_assignments("w=1/2, b=sqrt(2)")
        ((w, 1/2), (b, sqrt(2)))
    """
    from diffcheck.language.parsing import parse_point, to_real

    pairs: list[tuple[str, str | sympy.Expr]] = []
    if isinstance(given, Mapping):
        pairs = [(str(k), v) for k, v in given.items()]
    else:
        texts = [given] if isinstance(given, str) else list(given)
        for text in texts:
            for part in _split(str(text)):
                name, eq, value = part.partition("=")
                if not eq or not value.strip():
                    raise InputError(f"{what} takes name=value pairs such as 'w=1, b=0', "
                                     f"not {part!r}")
                pairs.append((name.strip(), value.strip()))
    out: list[tuple[sympy.Symbol, sympy.Expr]] = []
    for name, value in pairs:
        if not _NAME.match(name):
            raise InputError(f"{what}: {name!r} is not a plain name like w")
        symbol = sympy.Symbol(name, real=True)
        if any(s == symbol for s, _ in out):
            raise InputError(f"{what}: {name} is given twice")
        if isinstance(value, str):
            number = parse_point(value)
        else:
            number = to_real(value)
            if number.free_symbols or number.is_extended_real is False:
                raise InputError(f"{what}: the value of {name} must be a real constant, "
                                 f"not {number}")
        out.append((symbol, number))
    return tuple(out)


def _points(at: object) -> list[object]:
    if at is None:
        return []
    if isinstance(at, (str, Mapping)):
        return [at]
    return list(at)  # type: ignore[call-overload, no-any-return]


def _point(given: object, variables: tuple[sympy.Symbol, ...]) -> dict[sympy.Symbol, sympy.Expr]:
    pairs = dict(parse_assignments(given, what="--at"))  # type: ignore[arg-type]
    missing = [str(v) for v in variables if v not in pairs]
    extra = [str(s) for s in pairs if s not in variables]
    if missing or extra:
        listed = ", ".join(f"{v}=..." for v in variables)
        problem = (f"has no value for {', '.join(missing)}" if missing
                   else f"names {', '.join(extra)}, which is not a variable")
        raise InputError(f"the point {given!r} {problem}; give every variable: '{listed}'")
    return {v: pairs[v] for v in variables}


# --- one point ---------------------------------------------------------------------------


def _directions(n: int) -> list[tuple[sympy.Expr, ...]]:
    """Unit vectors of the lines tried besides the axes: the diagonals (±1, ±1, ...)."""
    raw: list[tuple[int, ...]]
    if n == 1:
        return []
    if n == 2:
        raw = [(1, 1), (1, -1)]
    elif n == 3:
        raw = [(1, 1, 0), (1, -1, 0), (1, 0, 1), (1, 0, -1), (0, 1, 1), (0, 1, -1), (1, 1, 1)]
    else:
        raw = [(1,) * n]
    out = []
    for d in raw:
        norm = sympy.sqrt(sum(c * c for c in d))
        out.append(tuple(sympy.Integer(c) / norm for c in d))
    return out


def _direction(given: str | Iterable[str | sympy.Expr | int], n: int
               ) -> tuple[sympy.Expr, ...]:
    """``"1, 2"`` or ``(1, 2)`` -> a non-zero vector of n real constants."""
    from diffcheck.language.parsing import parse_point, to_real

    parts = _split(given) if isinstance(given, str) else list(given)
    vector = tuple(parse_point(c) if isinstance(c, str) else to_real(c) for c in parts)
    if len(vector) != n or any(c.free_symbols for c in vector):
        raise InputError(f"a direction has {n} constant components, like "
                         f"'{', '.join(['1'] * n)}'; not {given!r}")
    if all(c == 0 for c in vector):
        raise InputError("the direction 0 has no directional derivative; give a non-zero vector")
    return vector


def _axis(i: int, n: int) -> tuple[sympy.Expr, ...]:
    return tuple(S.One if j == i else S.Zero for j in range(n))


def direction_symbols(variables: tuple[sympy.Symbol, ...]) -> tuple[sympy.Symbol, ...]:
    """The symbols d_<variable> of a direction, in formulas for f'(p; d)."""
    return tuple(sympy.Symbol(f"d_{v.name}", real=True) for v in variables)


def evaluate_multi_point(f: sympy.Expr, variables: tuple[sympy.Symbol, ...],
                         point: dict[sympy.Symbol, sympy.Expr], *, seconds: float,
                         deadline: Deadline,
                         directions: tuple[tuple[sympy.Expr, ...], ...] = ()
                         ) -> MultiPointReport:
    """The verdict at one point; never raises for SymPy's failures (they become ``unknown``)."""
    at = tuple(point[v] for v in variables)
    if deadline.expired():
        return MultiPointReport(at=at, reason="the analysis ran out of its total time budget")
    local = Deadline(min(seconds, deadline.remaining() or 0.0))
    try:
        return _evaluate(f, variables, point, at, seconds, local, directions)
    except BudgetExceeded:
        return MultiPointReport(at=at, reason=f"the point took longer than the budget of "
                                              f"{seconds:g} s")
    except Undecided as e:
        return MultiPointReport(at=at, reason=str(e))
    except _FAILURES as e:
        return MultiPointReport(at=at, reason=f"SymPy failed: {type(e).__name__}: {e}")


def _vec(values: Iterable[sympy.Expr]) -> str:
    return "(" + ", ".join(map(sympy.sstr, values)) + ")"


def _evaluate(f: sympy.Expr, variables: tuple[sympy.Symbol, ...],
              point: dict[sympy.Symbol, sympy.Expr], at: tuple[sympy.Expr, ...],
              seconds: float, local: Deadline,
              directions: tuple[tuple[sympy.Expr, ...], ...]) -> MultiPointReport:
    n = len(variables)
    where = _vec(at)
    with budget(local.remaining()):
        value = joint_value(f, point, anywhere=True)
    if value is None:
        return MultiPointReport(at=at, continuous=False, differentiable=False,
                                kind=MultiKind.UNDEFINED,
                                reason=f"f is not defined at {where}")

    # The lines through p: the axes (partial derivatives) and the diagonals.
    lines: list[tuple[tuple[sympy.Expr, ...], PointReport]] = []
    for d in [_axis(i, n) for i in range(n)] + _directions(n) + list(directions):
        report = definition.line_report(f, point, d, seconds=seconds, deadline=local)
        if report.value is None and report.kind == "unknown":
            if len(lines) >= n:  # a diagonal: tried, undecided, left out
                continue
            raise Undecided(f"on the line through {where} in the direction {_vec(d)}: "
                            f"{report.reason}")
        if report.value is None or const_sign(report.value - value) != 0:
            # SymPy simplified the restriction differently at t = 0: trust no line
            raise Undecided(f"the restriction of f to a line through {where} does not take "
                            f"the value f(p) = {sympy.sstr(value)} there")
        lines.append((d, report))
    partials = tuple(
        Partial(variable=v, left=r.left_derivative, right=r.right_derivative,
                exists=r.differentiable, derivative=r.derivative, kind=r.kind.value,
                reason=r.reason)
        for v, (_d, r) in zip(variables, lines[:n], strict=True)
    )
    directional = tuple(_directional(lines))
    g = tuple(p.derivative for p in partials) if all(
        p.derivative is not None for p in partials) else None
    symbols = direction_symbols(variables)

    verdict: PiecewiseVerdict | None = None
    why_not = ""
    try:
        with budget(local.remaining()):
            verdict = piecewise_verdict(f, variables, point, symbols)
    except NotPiecewiseSmooth as e:
        why_not = f"not piecewise smooth here: {e}"
    except Undecided as e:
        why_not = f"the active pieces did not decide: {e}"
    base: dict[str, object] = {"at": at, "value": value, "partials": partials,
                               "directional": directional}
    with budget(local.remaining()):
        if verdict is not None:
            evidence = _line_evidence(lines, verdict.gradients[0] if verdict.differentiable
                                      else g, variables)
            return _from_pieces(verdict, evidence, g, where, base)
        evidence = _line_evidence(lines, g, variables)
    return _from_definition(f, point, value, lines, evidence, partials, g, where, why_not,
                            base, local)


def _directional(lines: list[tuple[tuple[sympy.Expr, ...], PointReport]]) -> list[Directional]:
    out = []
    for d, r in lines:
        for sign, slope in ((1, r.right_derivative), (-1, r.left_derivative)):
            direction = tuple(sign * c for c in d)
            if slope is None:
                out.append(Directional(direction=direction, reason=r.reason))
            else:
                out.append(Directional(direction=direction, value=sign * slope))
    return out


def _dot(g: tuple[sympy.Expr, ...], d: tuple[sympy.Expr, ...]) -> sympy.Expr:
    return sympy.expand(sum((a * b for a, b in zip(g, d, strict=True)), S.Zero))


def _line_evidence(lines: list[tuple[tuple[sympy.Expr, ...], PointReport]],
                   g: tuple[sympy.Expr, ...] | None,
                   variables: tuple[sympy.Symbol, ...]) -> tuple[str, str] | None:
    """(kind, reason) when some line proves f not differentiable at p, else None."""
    for d, r in lines:
        if r.continuous is False:
            return "discontinuous", (f"along the direction {_vec(d)}, f is not continuous at p "
                                     f"({r.kind.value}: {r.reason})")
    for i, (d, r) in enumerate(lines):
        if r.differentiable is False:
            where = (f"the partial derivative in {variables[i]} does not exist"
                     if i < len(variables)
                     else f"along the direction {_vec(d)}, f is not differentiable")
            return "line", f"{where} ({r.kind.value}: {r.reason})"
    if g is not None:
        for d, r in lines:
            if r.derivative is not None and const_sign(r.derivative - _dot(g, d)) != 0:
                return "nonlinear", (f"the directional derivative along {_vec(d)} is "
                                     f"{sympy.sstr(r.derivative)}, not ∇·d = "
                                     f"{sympy.sstr(_dot(g, d))}")
    return None


def _all_finite(directional: tuple[Directional, ...]) -> bool:
    return all(d.value is not None and d.value.is_finite for d in directional)


def _from_pieces(verdict: PiecewiseVerdict, evidence: tuple[str, str] | None,
                 g: tuple[sympy.Expr, ...] | None, where: str,
                 base: dict[str, object]) -> MultiPointReport:
    hull = verdict.gradients if verdict.complete else None
    shared = {**base, "continuous": True, "directional_formula": verdict.formula,
              "generalized_gradient": hull}
    active = ", ".join(_vec(v) for v in verdict.gradients)
    if evidence is not None and evidence[0] == "discontinuous":
        return MultiPointReport(**{**shared, "continuous": None},  # type: ignore[arg-type]
                                kind=MultiKind.UNKNOWN,
                                reason=f"f is a continuous selection of smooth pieces at "
                                       f"{where}, but {evidence[1]}")
    if verdict.differentiable:
        gradient = verdict.gradients[0]
        if evidence is not None:  # the two routes disagree: trust neither
            return MultiPointReport(**shared, kind=MultiKind.UNKNOWN,  # type: ignore[arg-type]
                                    reason=f"the active pieces all have gradient "
                                           f"{_vec(gradient)}, but {evidence[1]}")
        return MultiPointReport(**shared, differentiable=True,  # type: ignore[arg-type]
                                gradient=gradient, kind=MultiKind.DIFFERENTIABLE,
                                reason=f"f is continuous and every piece active at {where} "
                                       f"has the gradient {_vec(gradient)}")
    reason = (f"the pieces active at {where} have different gradients {active}, so the "
              f"directional derivative is not linear in the direction")
    partials: tuple[Partial, ...] = base["partials"]  # type: ignore[assignment]
    missing = [p for p in partials if p.exists is False]
    if g is not None:
        reason = f"all partial derivatives exist, but {reason}"
    elif missing:
        listed = "; ".join(f"in {p.variable}: left {sympy.sstr(p.left)}, right "
                           f"{sympy.sstr(p.right)}" for p in missing)
        noun = "derivative does" if len(missing) == 1 else "derivatives do"
        reason = f"the partial {noun} not exist ({listed}); {reason}"
    if not verdict.complete:
        reason += ("; the generalized gradient is not given: some pieces may be active on a "
                   "region that touches the point without containing a cone")
    return MultiPointReport(**shared, differentiable=False,  # type: ignore[arg-type]
                            kind=MultiKind.KINK, reason=reason)


def _from_definition(f: sympy.Expr, point: dict[sympy.Symbol, sympy.Expr], value: sympy.Expr,
                     lines: list[tuple[tuple[sympy.Expr, ...], PointReport]],
                     evidence: tuple[str, str] | None, partials: tuple[Partial, ...],
                     g: tuple[sympy.Expr, ...] | None, where: str, why_not: str,
                     base: dict[str, object], local: Deadline) -> MultiPointReport:
    directional: tuple[Directional, ...] = base["directional"]  # type: ignore[assignment]
    continuous: bool | None = None
    proven: bool | None = None
    try:
        with budget(local.remaining()):
            continuous, proven = definition.polar_test(f, point, value, g)
    except BudgetExceeded:
        pass
    formula = _formula(f, point, value, lines, local)
    shared = {**base, "directional_formula": formula}
    exist = "all partial derivatives exist" + (f" (∇ = {_vec(g)})" if g else "")
    if evidence is not None:
        kind, why = evidence
        if kind == "discontinuous":
            prefix = f"{exist}, but " if g is not None else ""
            return MultiPointReport(**shared, continuous=False,  # type: ignore[arg-type]
                                    differentiable=False, kind=MultiKind.DISCONTINUOUS,
                                    reason=f"{prefix}{why}")
        if kind == "nonlinear":
            why = (f"{exist}, but {why}: f is not differentiable (the directional derivatives "
                   f"are not linear in the direction)")
        elif g is not None:
            why = f"{exist}, but {why}"
        result = MultiKind.KINK if continuous and _all_finite(directional) \
            else MultiKind.NOT_DIFFERENTIABLE
        return MultiPointReport(**shared, continuous=continuous,  # type: ignore[arg-type]
                                differentiable=False, kind=result, reason=why)
    if proven and g is not None:
        return MultiPointReport(**shared, continuous=True,  # type: ignore[arg-type]
                                differentiable=True, gradient=g,
                                kind=MultiKind.DIFFERENTIABLE,
                                reason=f"(f(p+v) - f(p) - ∇·v)/|v| -> 0 uniformly in the "
                                       f"direction (a bound in polar or spherical "
                                       f"coordinates), with ∇ = {_vec(g)}")
    if g is None:
        reason = "a partial derivative could not be decided: " + next(
            (p.reason for p in partials if p.derivative is None), "")
    else:
        reason = (f"{exist} and agree with every directional derivative tried, but "
                  f"(f(p+v) - f(p) - ∇·v)/|v| -> 0 could not be shown uniformly in the "
                  f"direction")
    if why_not:
        reason += f" ({why_not})"
    return MultiPointReport(**shared, continuous=continuous,  # type: ignore[arg-type]
                            kind=MultiKind.UNKNOWN, reason=reason)


def _formula(f: sympy.Expr, point: dict[sympy.Symbol, sympy.Expr], value: sympy.Expr,
             lines: list[tuple[tuple[sympy.Expr, ...], PointReport]],
             local: Deadline) -> sympy.Expr | None:
    """f'(p; d) as a formula in d, by SymPy's limit, kept only if it matches every line."""
    variables = tuple(point)
    symbols = direction_symbols(variables)
    t = sympy.Dummy("t", positive=True)
    try:
        with budget(local.remaining()):
            ray = f.xreplace({v: point[v] + t * d for v, d in zip(variables, symbols,
                                                                   strict=True)})
            if ray.has(sympy.Piecewise, sympy.Max, sympy.Min):
                return None
            quotient = sympy.simplify((ray - value) / t)
            formula = sympy.limit(quotient, t, 0, "+")
            if formula.has(sympy.Limit, sympy.AccumBounds, S.NaN, S.ComplexInfinity) or \
                    formula.free_symbols - _set_of(symbols):
                return None
            for d, r in lines:
                for sign, slope in ((1, r.right_derivative), (-1, r.left_derivative)):
                    if slope is None:
                        continue
                    at_d = formula.xreplace({s: sign * c for s, c in zip(symbols, d,
                                                                          strict=True)})
                    if not is_zero(at_d - sign * slope):
                        return None
    except (BudgetExceeded, Undecided, *_FAILURES):
        return None
    return formula


def _gradient(f: sympy.Expr, variables: tuple[sympy.Symbol, ...],
              seconds: float) -> tuple[sympy.Expr, ...] | None:
    """∇f as formulas, valid off the non-smooth set (as the one-variable derivative)."""
    from diffcheck.analysis.single import _derivative

    parts = [_derivative(f, v, seconds) for v in variables]
    found = [p for p in parts if p is not None]
    return tuple(found) if len(found) == len(parts) else None

