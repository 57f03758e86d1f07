"""analyze() = parse -> discover -> evaluate -> classify -> Analysis."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import sympy
from sympy import S

from diffcheck.analysis.cases import (
    analyse_point,
    conditional_summary,
    confirm_summary,
    parameters,
)
from diffcheck.analysis.options import DEFAULT_TIMEOUT, Options
from diffcheck.budget import BudgetExceeded, Deadline, budget
from diffcheck.engine import partition, spans
from diffcheck.engine.classify import Side, classify
from diffcheck.engine.conditions import Assumptions, cells
from diffcheck.engine.discovery import Candidates, discover
from diffcheck.engine.limits import (
    OutsideDomain,
    Undecided,
    const_sign,
    difference_quotient_limit,
    limit_of,
    numeric,
    resolve,
    same_number,
    value_at,
)
from diffcheck.engine.smoothness import deepen, piecewise_derivative, sympy_diff_notes
from diffcheck.engine.sweep import Resolved, sweep_sum
from diffcheck.errors import InputError
from diffcheck.model.report import Analysis, CandidateSet, ConditionalSet, Kind, PointReport

FAST_PATHS = True
"""Exact shortcuts for rational piecewise data (:mod:`diffcheck.engine.spans`); tests
switch them off to show the general path gives the same analysis."""

FAMILY_SAMPLES = (0, 1, -1)
"""Members n of an infinite family analysed as representatives."""

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def analyze(
    expr: str | sympy.Expr,
    *,
    var: str | sympy.Symbol | None = None,
    at: Iterable[str | sympy.Expr] = (),
    domain: str | sympy.Set | None = None,
    order: int = 1,
    timeout: float | None = None,
    verify: bool = False,
    options: Options | None = None,
    assume: Iterable[str] | Assumptions = (),
) -> Analysis:
    """Find where ``expr`` is not differentiable, and why.

    Args:
        expr: the function, as text in diffcheck's language or a SymPy Expr
            (its symbols are taken as real; odd roots follow the real-root
            convention).
        var: the variable; needed when there are several free names (the
            others are then real parameters).
        at: extra points to analyse, candidate or not.
        domain: the window on the real line whose points are reported, e.g.
            ``"[-2, 2]"`` (infinite families are expanded inside it).
        order: the highest derivative asked for: at each point f', ..., f^(order)
            are checked by the one-sided definition (see ``PointReport.order``,
            ``smoothness`` and ``derivatives``).
        timeout: seconds each point may take (default 5); a point over its
            budget is reported ``unknown``.
        verify: also cross-check every point numerically (difference
            quotients evaluated with mpmath, :mod:`diffcheck.analysis.verify`); a point
            whose symbolic verdict the numbers contradict becomes ``unknown``.
        assume: what holds for the parameters (``"p > 0"``, ``"0 < t < 1"``,
            ``"a != 0"``, ``"n integer"``); they are real otherwise.  With
            parameters a verdict holds for every admissible value, or the point
            carries ``cases`` (see :mod:`diffcheck.analysis.cases`).
        options: all of ``domain``, ``order``, ``timeout`` and ``verify`` at once, as
            built by :meth:`Options.build` (the CLI builds one); when given, those
            four arguments are ignored.

    Raises:
        InputError: the expression, a point, the domain or an option is unusable.

    Examples:
        >>> a = analyze("Max(0, x)")
        >>> p = a.points[0]
        >>> p.at, p.left_derivative, p.right_derivative, p.kind.value
        (0, 0, 1, 'corner')
        >>> analyze("x*Abs(x)").points[0].derivative
        0
    """
    if options is None:
        options = Options.build(domain=domain, order=order, timeout=timeout, verify=verify,
                                assume=assume)
    if options.verify:
        from diffcheck.analysis.verify import verify_analysis

        unchecked = analyze(expr, var=var, at=at, options=replace(options, verify=False))
        return verify_analysis(unchecked, options.timeout)
    from diffcheck.language import parsing

    read: tuple[str, ...] = ()
    if isinstance(expr, str):
        f, read = parsing.read_expression(expr)
    else:
        f = parsing.to_real(expr)
    if f.has(S.Infinity, S.NegativeInfinity):
        raise InputError(f"{f} is not a real function: its value is infinite (oo)")
    assumptions = options.assumptions
    f, euler = euler_number(f, var, assumptions)
    x = _variable(f, var)
    params = parameters(f, x)
    _check_assumptions(assumptions, params, x)
    extra = [parsing.parse_point(p) if isinstance(p, str) else parsing.to_real(p) for p in at]
    for p in extra:
        if p.free_symbols - f.free_symbols - {x} or x in p.free_symbols:
            raise InputError(f"the point {p} must be a constant (it contains a free name)")
        if p.is_finite is False or p.has(S.Infinity, S.NegativeInfinity):
            raise InputError(f"the point {p} must be finite")
    window, order, seconds = options.window, options.order, options.timeout

    deadline = options.deadline()
    found = discover(f, x, window, seconds=4 * seconds, deadline=deadline)
    found.notes[:0] = read  # what the parser made of the text comes first
    if params:
        return _parametric(f, x, window, found, extra, params, assumptions, euler, order,
                           seconds, deadline)
    sources: dict[sympy.Expr, tuple[sympy.Basic, ...]] = {
        p: tuple(src) for p, src in found.points.items() if _in_window(p, window)
    }
    for p in extra:
        sources.setdefault(p, ())
    sources = _merge_spellings(sources)
    ordered = sorted(sources, key=_order_key)
    swept = _sweep(f, x, ordered, sources, found, window, deadline)
    evaluated = [
        _evaluate(f, x, p, sources[p], seconds=seconds, deadline=deadline,
                  resolved=swept.get(p) if swept else None)
        for p in ordered
    ]
    points = tuple(_deepen(f, x, report, sides, order, seconds, deadline)
                   for report, sides in evaluated)
    families = _families(f, x, found, seconds, deadline)
    derivative = _derivative(f, x, min(seconds, deadline.remaining() or 0.0))
    return Analysis(
        expression=f,
        variable=x,
        domain=window,
        points=points,
        candidate_sets=families,
        differentiable_on=_differentiable_on(f, x, window, evaluated, families, seconds),
        derivative=derivative,
        notes=(*found.notes, *([EULER_NOTE] if euler else [])),
        order=order,
        **_whole_derivative(f, x, window, points, evaluated, families, derivative,
                            min(seconds, deadline.remaining() or 0.0)),
    )


# --- inputs --------------------------------------------------------------------------


def _check_assumptions(assumptions: Assumptions, params: frozenset[sympy.Symbol],
                       x: sympy.Symbol) -> None:
    names = {p.name for p in params}
    for name in sorted(assumptions.names):
        if name == x.name:
            raise InputError(f"--assume is about the parameters; {name} is the variable")
        if name not in names:
            raise InputError(f"the assumption names {name}, which is not a parameter of the "
                             f"expression")
    if assumptions.names and cells(params, set(), assumptions) == []:
        raise InputError("the assumptions contradict each other: "
                         + ", ".join(assumptions.shown()))


def _variable(f: sympy.Expr, var: str | sympy.Symbol | None) -> sympy.Symbol:
    names = sorted(f.free_symbols, key=str)
    if var is None:
        if len(names) > 1:
            listed = ", ".join(map(str, names))
            raise InputError(f"the expression has several free names ({listed}); choose the "
                             f"variable with --var (the others become real parameters)")
        return names[0] if names else sympy.Symbol("x", real=True)
    name = str(var)
    if not _NAME.match(name):
        raise InputError(f"the variable must be a plain name like x, not {name!r}")
    if names and name not in map(str, names):
        listed = ", ".join(map(str, names))
        raise InputError(f"the variable {name} does not appear in the expression (its free "
                         f"names: {listed})")
    return sympy.Symbol(name, real=True)


def _in_window(p: sympy.Expr, window: sympy.Set) -> bool:
    """False only when p is certainly outside the window (undecided: kept)."""
    if window == S.Reals:
        return True
    inside = window.contains(p)
    if inside in (S.true, S.false) or not isinstance(window, sympy.Interval):
        return inside is not S.false
    try:  # SymPy cannot compare erfcinv(1/3) with 3: compare the numbers exactly
        above = const_sign(p - window.start) if window.start.is_finite else 1
        below = const_sign(window.end - p) if window.end.is_finite else 1
    except Undecided:
        return True
    return (above > 0 or (above == 0 and not window.left_open)) and (
        below > 0 or (below == 0 and not window.right_open))


def _sweep(f: sympy.Expr, x: sympy.Symbol, ordered: list[sympy.Expr],
           sources: dict[sympy.Expr, tuple[sympy.Basic, ...]], found: Candidates,
           window: sympy.Set, deadline: Deadline) -> dict[sympy.Expr, Resolved] | None:
    """The one-pass resolution of a sum, when every candidate between the points is known."""
    if found.families or found.unsolved or not all(
        p.is_number and _in_window(p, window) for p in ordered
    ):
        return None
    part = found.partition
    try:
        with budget(deadline.remaining()):
            if part is None:
                return sweep_sum(f, x, ordered, sources)
            swept = sweep_sum(f, x, ordered, sources, resolver=partition.resolver(part, x),
                              evaluate=partition.evaluator(part, x))
            return swept if swept is not None else partition.resolve_all(part, f, ordered)
    except BudgetExceeded:
        return None


def _merge_spellings(
    sources: dict[sympy.Expr, tuple[sympy.Basic, ...]],
) -> dict[sympy.Expr, tuple[sympy.Basic, ...]]:
    """One entry per real number: spellings of the same number are merged.

    The point keeps discovery's spelling (the form the exact engine was built
    for: a ``CRootOf`` rather than ``2*cos(2*pi/9)``), then the simplest one, and
    the sources of all spellings.
    """
    merged: dict[sympy.Expr, tuple[sympy.Basic, ...]] = {}
    approxes: dict[sympy.Expr, float | None] = {}  # each point evaluated once, not per pair
    for p in sorted(sources, key=lambda p: (not sources[p], *_spelling_key(p))):
        approx = approxes[p] = _approx(p)
        # Two distinct rationals are distinct numbers: only other spellings are compared.
        twin = None if approx is None else next(
            (q for q in merged if (aq := approxes[q]) is not None and abs(approx - aq) < 1e-6
             and not (p.is_Rational and q.is_Rational) and _same(p, q)), None)
        if twin is None:
            merged[p] = sources[p]
        else:
            merged[twin] += tuple(s for s in sources[p] if s not in merged[twin])
    return merged


def _spelling_key(p: sympy.Expr) -> tuple[int, str]:
    return (sympy.count_ops(p), str(p))


def _approx(p: sympy.Expr) -> float | None:
    try:
        return float(numeric(p, 20))
    except (TypeError, ValueError, ArithmeticError):
        return None


def _same(p: sympy.Expr, q: sympy.Expr) -> bool:
    try:
        with budget(5.0):
            return same_number(p, q) is True
    except (BudgetExceeded, Undecided):
        return False


def _order_key(p: sympy.Expr) -> tuple[int, float, str]:
    try:
        return (0, float(p), str(p))
    except (TypeError, ValueError):
        return (1, 0.0, str(p))


# --- evaluation at one point ----------------------------------------------------------


def evaluate_point(
    f: sympy.Expr,
    x: sympy.Symbol,
    a: sympy.Expr,
    sources: tuple[sympy.Basic, ...] = (),
    *,
    seconds: float = DEFAULT_TIMEOUT,
    deadline: Deadline | None = None,
    definition_only: bool = False,
    order: int = 1,
) -> PointReport:
    """Value, one-sided limits and one-sided derivatives at ``a``, classified.

    ``definition_only`` takes every one-sided derivative as the limit of the
    difference quotient, skipping the derivative-limit shortcut (tests use it
    to show both agree).  The point's smoothness is checked up to ``order``.
    """
    report, sides = _evaluate(f, x, a, sources, seconds=seconds, deadline=deadline,
                              definition_only=definition_only)
    return _deepen(f, x, report, sides, order, seconds, deadline or Deadline(seconds))


_Sides = tuple[Side, Side] | None


def evaluate_sides(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr,
                   sources: tuple[sympy.Basic, ...] = (), *, seconds: float = DEFAULT_TIMEOUT,
                   deadline: Deadline | None = None) -> tuple[PointReport, _Sides]:
    """The report at ``a`` (first order only) with the facts of both sides it rests on."""
    return _evaluate(f, x, a, sources, seconds=seconds, deadline=deadline)


def _evaluate(
    f: sympy.Expr,
    x: sympy.Symbol,
    a: sympy.Expr,
    sources: tuple[sympy.Basic, ...] = (),
    *,
    seconds: float = DEFAULT_TIMEOUT,
    deadline: Deadline | None = None,
    definition_only: bool = False,
    resolved: Resolved | None = None,
) -> tuple[PointReport, _Sides]:
    if deadline is not None and deadline.expired():
        return PointReport(at=a, sources=sources, kind=Kind.UNKNOWN,
                           reason="the analysis ran out of its total time budget; raise the "
                                  "timeout (--timeout) to decide it"), None
    allowed = seconds if deadline is None else min(seconds, deadline.remaining() or 0.0)
    point_deadline = Deadline(allowed)
    try:
        with budget(point_deadline.remaining()):
            value = resolved.value if resolved else value_at(f, x, a)
    except BudgetExceeded:
        return PointReport(at=a, sources=sources, kind=Kind.UNKNOWN,
                           reason=f"computing f({a}) took longer than the budget of "
                           f"{seconds:g} s; raise the timeout (--timeout, now {seconds:g} s) "
                           "to decide it"), None
    except Undecided as e:
        return PointReport(at=a, sources=sources, kind=Kind.UNKNOWN, reason=str(e)), None
    left, right = (
        _side(f, x, a, s, value, point_deadline, definition_only,
              None if resolved is None else resolved.left if s < 0 else resolved.right)
        for s in (-1, 1)
    )
    return classify(a, value, left, right, sources), (left, right)


def _raise(deadline: Deadline) -> str:
    """The fix a budget-exceeded reason names: raise the timeout, and what it is now."""
    now = "" if deadline.seconds is None else f", now {deadline.seconds:.3g} s"
    return f"; raise the timeout (--timeout{now}) to decide it"


def _side(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, s: int, value: sympy.Expr | None,
          deadline: Deadline, definition_only: bool, g: sympy.Expr | None = None) -> Side:
    where = "left" if s < 0 else "right"
    defined: bool | None = None
    limit: sympy.Expr | None = None
    limit_exists: bool | None = None
    try:
        with budget(deadline.remaining()):
            g = resolve(f, x, a, s) if g is None else g
            defined = True
            limit = limit_of(g, x, a, s)
            limit_exists = limit is not None
            if value is None:
                return Side(side=s, defined=True, limit=limit, limit_exists=limit_exists,
                            piece=g)
            slope = difference_quotient_limit(g, x, a, s, value, limit,
                                              definition_only=definition_only)
    except OutsideDomain:
        return Side(side=s, defined=False)
    except BudgetExceeded:
        return Side(side=s, defined=defined, limit=limit, limit_exists=limit_exists,
                    note=f"the {where} side took longer than the time budget"
                         + _raise(deadline),
                    piece=g if defined else None)
    except Undecided as e:
        return Side(side=s, defined=defined, limit=limit, limit_exists=limit_exists, note=str(e),
                    piece=g if defined else None)
    return Side(side=s, defined=True, limit=limit, limit_exists=limit_exists,
                derivative=slope, derivative_exists=slope is not None, piece=g)


# --- infinite families ------------------------------------------------------------------


def _families(f: sympy.Expr, x: sympy.Symbol, found: Candidates, seconds: float,
              deadline: Deadline) -> tuple[CandidateSet, ...]:
    out = []
    for family, sources in found.families:
        samples = tuple(
            evaluate_point(f, x, p, tuple(sources), seconds=seconds, deadline=deadline)
            for p in _members(family)
        )
        bad = [p for p in samples if p.differentiable is False]
        kinds = {p.kind for p in samples}
        kind = kinds.pop() if len(kinds) == 1 else Kind.UNKNOWN
        verdict: bool | None = None
        if bad:
            # The kind is the verdict word shown before the reason; only mixed kinds
            # need "not differentiable" said in words.
            reason = (f"at {bad[0].at}, a sampled member: {bad[0].reason}" if kind is not
                      Kind.UNKNOWN else f"not differentiable at sampled members, e.g. "
                      f"{bad[0].at}: {bad[0].reason}")
            verdict = False
        elif not samples:
            reason = "no member could be analysed"
        else:
            reason = "the sampled members are differentiable; the rest are not proven"
        out.append(CandidateSet(set=family, sources=tuple(sources), samples=samples,
                                differentiable=verdict, kind=kind, reason=reason))
    out = _merged(out)
    for condition_set, sources, why in found.unsolved:
        out.append(CandidateSet(set=condition_set, sources=tuple(sources), differentiable=None,
                                kind=Kind.UNKNOWN, reason=f"unsolved: {why}"))
    return tuple(out)


def _progression(family: sympy.Set) -> tuple[sympy.Expr, sympy.Expr] | None:
    """(period, offset) of a family ``{p*n + c | n in Integers}``, numbers p > 0 and c."""
    if not (isinstance(family, sympy.ImageSet) and family.base_sets == (S.Integers,)
            and len(family.lamda.variables) == 1):
        return None
    [n] = family.lamda.variables
    body = sympy.expand(family.lamda.expr)
    period, offset = body.coeff(n), body.subs(n, 0)
    if not (period.is_number and offset.is_number and period.is_positive
            and sympy.expand(period * n + offset - body) == 0):
        return None
    return period, offset


def _merged(families: list[CandidateSet]) -> list[CandidateSet]:
    """Families with the same sources and verdict that together are one simpler family.

    ``{2*pi*n} | {2*pi*n + pi}`` (the zeros of sin, as SymPy solves them) is ``{pi*n}``: k
    families of period p whose offsets are spaced p/k apart are one family of
    period p/k.  Only families with the same kind and verdict are merged, so the
    merged family says exactly what its parts said (its samples are theirs).
    """
    out: list[CandidateSet] = []
    groups: dict[tuple[object, ...], list[tuple[sympy.Expr, CandidateSet]]] = {}
    for family in families:
        found = _progression(family.set)
        if found is None:
            out.append(family)
            continue
        period, offset = found
        group: tuple[object, ...] = (repr(family.sources), period, family.kind,
                                     family.differentiable)
        groups.setdefault(group, []).append((offset, family))
    for key, members in groups.items():
        period = key[1]
        assert isinstance(period, sympy.Expr)
        k = len(members)
        step = period / k
        offsets = sorted((sympy.Mod(o, period) for o, _ in members), key=float)
        spaced = k > 1 and all(sympy.simplify(b - a - step) == 0
                               for a, b in itertools.pairwise(offsets))
        if not spaced:
            out += [family for _, family in members]
            continue
        n = sympy.Symbol("n", integer=True)
        first = members[0][1]
        samples = tuple(sorted((p for _, f in members for p in f.samples),
                               key=lambda p: float(p.at)))
        out.append(CandidateSet(
            set=sympy.ImageSet(sympy.Lambda(n, step * n + sympy.Mod(offsets[0], step)),
                               S.Integers),
            sources=first.sources, samples=samples, differentiable=first.differentiable,
            kind=first.kind, reason=first.reason))
    # A merged family may be one discovery had already found: keep it once.
    seen: set[tuple[object, ...]] = set()
    unique = []
    for family in out:
        found = _progression(family.set)
        same = None if found is None else (repr(family.sources), found[0],
                                           sympy.Mod(found[1], found[0]), family.kind,
                                           family.differentiable)
        if same is not None and same in seen:
            continue
        if same is not None:
            seen.add(same)
        unique.append(family)
    return unique


def _members(family: sympy.Set) -> list[sympy.Expr]:
    parts = family.args if isinstance(family, sympy.Union) else (family,)
    members: list[sympy.Expr] = []
    for part in parts:
        if part == S.Integers:
            members += [sympy.Integer(n) for n in FAMILY_SAMPLES]
        elif isinstance(part, sympy.ImageSet) and len(part.lamda.variables) == 1:
            members += [part.lamda(n) for n in FAMILY_SAMPLES]
    return sorted(set(members), key=_order_key)


# --- whole-line summary -----------------------------------------------------------------


def _differentiable_on(f: sympy.Expr, x: sympy.Symbol, window: sympy.Set,
                       evaluated: list[tuple[PointReport, _Sides]],
                       families: tuple[CandidateSet, ...], seconds: float) -> sympy.Set | None:
    """The set where f is differentiable, as far as it was shown.

    Between consecutive candidate points f is differentiable wherever it is
    defined, and definedness can only change at a candidate (a zero of a
    radicand, a log argument, a denominator...): so the open interval right
    of a point is in the domain iff the point's right side is, and with no
    point at all one sample decides.  Undecided points, undecided sides and
    every infinite family are left out: the set never claims more than was
    shown.
    """
    inside = [(r, sides) for r, sides in evaluated if _in_window(r.at, window)]
    try:
        inside.sort(key=lambda item: float(item[0].at))
    except (TypeError, ValueError):
        return None  # symbolic points (parameters): no order on the line
    lo = window.start if isinstance(window, sympy.Interval) else S.NegativeInfinity
    hi = window.end if isinstance(window, sympy.Interval) else S.Infinity
    bad_points = [r.at for r, _ in inside if r.differentiable is not True]
    excluded: list[sympy.Set] = [sympy.FiniteSet(*bad_points)] if bad_points else []
    excluded += [c.set for c in families]
    if not inside:
        sample = _inside(lo, hi, families)
        if sample is None:
            return None  # no point surely off the families: nothing shown
        try:
            with budget(seconds):
                defined = value_at(f, x, sample) is not None
        except (BudgetExceeded, Undecided):
            return None
        if not defined:
            excluded.append(window)
    else:
        ends = [lo, *(r.at for r, _ in inside), hi]
        for i in range(len(ends) - 1):
            # the side facing this interval: right of the point before it, else left of
            # the point after it
            before = inside[i - 1][1] if i > 0 else None
            after = inside[i][1] if i < len(inside) else None
            facing = [before[1] if before else None, after[0] if after else None]
            known = [s.defined for s in facing if s is not None and s.defined is not None]
            if not known or not all(known):
                excluded.append(sympy.Interval(ends[i], ends[i + 1]))
    if not excluded:
        return window
    # SymPy's set simplification is quadratic: only a few pieces are simplified
    # (sqrt(x): R minus (-oo, 0] is (0, oo)); many stay a plain Complement.
    simplify = len(excluded) <= 20 and any(isinstance(e, sympy.Interval) for e in excluded)
    try:
        with budget(seconds):
            removed = (excluded[0] if len(excluded) == 1
                       else sympy.Union(*excluded, evaluate=simplify))
            return sympy.Complement(window, removed, evaluate=simplify)
    # TypeError: SymPy cannot order two points; ValueError: a family's membership test
    # met nan (Mod(Max(atan2(x, x), 0), 2)); either way the set is left as written.
    except (BudgetExceeded, TypeError, ValueError, NotImplementedError, RecursionError):
        removed = excluded[0] if len(excluded) == 1 else sympy.Union(*excluded, evaluate=False)
        return sympy.Complement(window, removed, evaluate=False)


def _inside(left: sympy.Expr, right: sympy.Expr,
            families: tuple[CandidateSet, ...]) -> sympy.Expr | None:
    """A point strictly between left and right, certainly off every family (or None)."""
    if left.is_infinite and right.is_infinite:
        base, width = S.Zero, S.One
    elif left.is_infinite:
        base, width = right - 1, S.One
    elif right.is_infinite:
        base, width = left + 1, S.One
    else:
        base, width = (left + right) / 2, (right - left) / 4
    for shift in (0, sympy.Rational(1, 7), sympy.Rational(-1, 11), sympy.Rational(1, 13)):
        p = base + shift * width
        if all(_off(c.set, p) for c in families):
            return p
    return None


def _off(family: sympy.Set, p: sympy.Expr) -> bool:
    """True when the number p is certainly not in the family.

    SymPy leaves ``1/7 in {2*n*pi + pi}`` undecided; for a linear family
    ``{s*n + t : n in Z}`` the index ``(p - t)/s`` is a constant, and its
    distance to the nearest integer, evaluated to 30 digits, decides.
    """
    if family.contains(p) is S.false:
        return True
    if not (isinstance(family, sympy.ImageSet) and family.base_sets == (S.Integers,)):
        return False
    (n,), image = family.lamda.variables, family.lamda.expr
    slope = image.diff(n)
    if slope.has(n) or slope.is_zero is not False:
        return False
    index = ((p - image.subs(n, 0)) / slope).evalf(30)
    if not index.is_Number:
        return False
    return bool(abs(index - round(index)) > sympy.Float("1e-20"))


def _derivative(f: sympy.Expr, x: sympy.Symbol, seconds: float) -> sympy.Expr | None:
    """f' as a formula, valid away from the candidate points.

    SymPy's ``diff`` writes d/dx Abs(u) = sign(u)*u' and d/dx Max(0, x) =
    Heaviside(x), and puts DiracDelta terms at the switches: those are
    meaningless at the candidate points (whose verdicts are per point) and
    zero away from them, where they are dropped.
    """
    try:
        with budget(seconds):
            d = f.diff(x)
            d = d.replace(lambda e: isinstance(e, sympy.DiracDelta), lambda *_: S.Zero)
            d = d.replace(
                lambda e: isinstance(e, sympy.Derivative)
                and isinstance(e.expr, (sympy.floor, sympy.ceiling, sympy.frac)),
                lambda *_: S.Zero,
            )
            # The chain rule leaves Subs(0, xi, u) behind once floor' is replaced by 0.
            d = d.replace(lambda e: isinstance(e, sympy.Subs), lambda e: e.doit())
    except (BudgetExceeded, NotImplementedError, TypeError, ValueError, ArithmeticError,
            RecursionError):
        return None
    return None if d.has(sympy.Derivative) else d


# --- depth of the answer (diffcheck.engine.smoothness) ---------------------------------------


def _deepen(f: sympy.Expr, x: sympy.Symbol, report: PointReport, sides: _Sides, order: int,
            seconds: float, deadline: Deadline) -> PointReport:
    allowed = min(seconds, deadline.remaining() or 0.0)
    if allowed <= 0:
        return report
    return deepen(f, x, report, sides, order=order, seconds=allowed)


def _whole_derivative(f: sympy.Expr, x: sympy.Symbol, window: sympy.Set,
                      points: tuple[PointReport, ...], evaluated: list[tuple[PointReport, _Sides]],
                      families: tuple[CandidateSet, ...], derivative: sympy.Expr | None,
                      seconds: float) -> dict[str, Any]:
    """f' as one Piecewise valid where f is differentiable, and where SymPy's diff misleads."""
    if seconds <= 0:
        return {}
    try:
        with budget(seconds):
            pieces = None if families else piecewise_derivative(
                f, x, window, [(p, sides) for p, (_r, sides) in zip(points, evaluated,
                                                                     strict=True)],
                fast=FAST_PATHS)
            notes = sympy_diff_notes(x, points, derivative)
    except BudgetExceeded:
        return {}
    if pieces is None:
        return {"derivative_piecewise": pieces, "derivative_notes": notes}
    pieces, cases = _cases(pieces, x, window, seconds)
    return {"derivative_piecewise": pieces, "derivative_notes": notes,
            "derivative_cases": cases}



# --- parameters (diffcheck.analysis.cases) -------------------------------------------

EULER_NOTE = ("e is Euler's number e = 2.71828...; to use e as a name, give --var e or an "
              "assumption on e")


def euler_number(f: sympy.Expr, var: str | sympy.Symbol | None,
                 assumptions: Assumptions) -> tuple[sympy.Expr, bool]:
    """f with a free ``e`` read as Euler's number, as calculus texts mean it.

    ``--var e`` or an assumption on ``e`` keeps it a name; SymPy's ``E`` is
    always Euler's number.
    """
    e = sympy.Symbol("e", real=True)
    if e not in f.free_symbols or str(var) == "e" or "e" in assumptions.names:
        return f, False
    return f.xreplace({e: S.Exp1}), True


def _parametric(f: sympy.Expr, x: sympy.Symbol, window: sympy.Set, found: Candidates,
                extra: list[sympy.Expr], params: frozenset[sympy.Symbol],
                assumptions: Assumptions, euler: bool, order: int, seconds: float,
                deadline: Deadline) -> Analysis:
    """analyze() for f with parameters: every point is split into cases when needed."""
    sources: dict[sympy.Expr, tuple[sympy.Basic, ...]] = {
        p: tuple(src) for p, src in found.points.items() if _in_window(p, window)
    }
    exists: dict[sympy.Expr, sympy.Basic | None] = {}
    families = []
    for family, src in found.families:
        members = _parametric_members(family)
        if members is None:
            families.append((family, src))
            continue
        for m in members:
            sources.setdefault(m, tuple(src))
    for p in sources:
        inside = window.contains(p) if window != S.Reals and p.free_symbols else S.true
        if inside is not S.true:  # a point that moves with the parameters: in the window?
            exists[p] = inside
    unsolved = []
    for condition_set, src, why in found.unsolved:
        base = getattr(condition_set, "base_set", None)
        if isinstance(base, sympy.FiniteSet) and all(m in sources for m in base.args):
            continue  # its members are analysed as points (under their own conditions)
        unsolved.append((condition_set, src, why))
    for p in extra:
        sources.setdefault(p, ())
    for p in sources:
        den = sympy.fraction(sympy.together(p))[1]
        if den.free_symbols:
            exists[p] = sympy.And(exists.get(p, S.true), sympy.Ne(den, 0))
    ordered = sorted(sources, key=_order_key)
    results = [analyse_point(f, x, p, sources[p], assumptions, seconds=seconds,
                             deadline=deadline, exists=exists.get(p)) for p in ordered]
    points = tuple(report if report.cases or report.kind is Kind.UNKNOWN
                   else _deepen_report(f, x, report, order, seconds, deadline)
                   for report, _both in results)
    rest = Candidates(families=families, unsolved=unsolved)
    candidate_sets = _families(f, x, rest, seconds, deadline)
    whole, by_case = conditional_summary(list(zip(points, (b for _r, b in results),
                                                  strict=True)), window, bool(candidate_sets))
    if not points and not candidate_sets:
        whole, by_case = _no_points(f, x, window, assumptions, seconds, deadline)
    whole, by_case = confirm_summary(f, x, window, points, whole, by_case,
                                     assumptions.relations, seconds)
    notes = [*found.notes, *([EULER_NOTE] if euler else [])]
    return Analysis(
        expression=f,
        variable=x,
        domain=window,
        points=points,
        candidate_sets=candidate_sets,
        differentiable_on=whole,
        differentiable_on_cases=by_case,
        derivative=_derivative(f, x, min(seconds, deadline.remaining() or 0.0)),
        notes=tuple(notes),
        order=order,
        assumptions=assumptions.shown(),
    )


def _deepen_report(f: sympy.Expr, x: sympy.Symbol, report: PointReport, order: int,
                   seconds: float, deadline: Deadline) -> PointReport:
    """The smoothness of a point whose verdict holds for every parameter value."""
    again = evaluate_point(f, x, report.at, report.sources, seconds=seconds, deadline=deadline,
                           order=order)
    if again.kind != report.kind:
        return report
    return replace(report, order=again.order, smoothness=again.smoothness,
                   derivatives=again.derivatives, subdifferential=again.subdifferential,
                   kink=again.kink, repair=again.repair)


def _parametric_members(family: sympy.Set) -> list[sympy.Expr] | None:
    """The members of ``Intersection({1/t}, Reals)`` (points with parameters), else None."""
    if isinstance(family, sympy.Intersection):
        finite = [a for a in family.args if isinstance(a, sympy.FiniteSet)]
        if len(finite) == 1 and all(a == finite[0] or isinstance(a, sympy.Interval)
                                    or a == S.Reals for a in family.args):
            return list(finite[0].args)
    if isinstance(family, sympy.FiniteSet):
        return list(family.args)
    return None


def _no_points(f: sympy.Expr, x: sympy.Symbol, window: sympy.Set, assumptions: Assumptions,
               seconds: float, deadline: Deadline) -> tuple[sympy.Set | None,
                                                           tuple[ConditionalSet, ...]]:
    """No candidate point: one sample point decides, per case, whether f is defined."""
    lo = window.start if isinstance(window, sympy.Interval) else S.NegativeInfinity
    hi = window.end if isinstance(window, sympy.Interval) else S.Infinity
    sample = _inside(lo, hi, ())
    if sample is None:
        return None, ()
    report, _both = analyse_point(f, x, sample, (), assumptions, seconds=seconds,
                                  deadline=deadline)

    def where(kind: Kind) -> sympy.Set | None:
        return window if kind is Kind.DIFFERENTIABLE else (
            S.EmptySet if kind is Kind.UNDEFINED else None)

    if not report.cases:
        return where(report.kind), ()
    return None, tuple(ConditionalSet(condition=c.condition, set=where(c.kind))
                       for c in report.cases)


def _cases(pieces: sympy.Expr, x: sympy.Symbol, window: sympy.Set, seconds: float
           ) -> tuple[sympy.Expr, tuple[tuple[sympy.Expr, sympy.Set], ...]]:
    """The piecewise f' with each formula simplified, and each formula with its own set.

    A formula is replaced by its cancelled form only when that is shorter (the
    quotient rule's ``2x/(x - 2) - (x² - 4)/(x - 2)²`` becomes 1); the sets are
    what each condition adds to the ones before it, inside the window.
    """
    if not isinstance(pieces, sympy.Piecewise):
        return pieces, ()
    try:
        with budget(seconds):
            tidy = []
            for value, condition in pieces.args:
                if not (FAST_PATHS and value.is_Rational):  # a number is as short as it gets
                    shorter = sympy.cancel(value)
                    if sympy.count_ops(shorter) < sympy.count_ops(value):
                        value = shorter
                tidy.append((value, condition))
            if FAST_PATHS and all(v is p.expr for v, p in zip(
                    (v for v, _c in tidy), pieces.args, strict=True)):
                whole = pieces  # nothing shortened: the same Piecewise
            else:
                whole = sympy.Piecewise(*tidy)
            sets = spans.case_sets([c for _v, c in tidy], x, window) if FAST_PATHS else None
            if sets is not None:
                return whole, tuple((value, where) for (value, _c), where
                                    in zip(tidy, sets, strict=True) if where is not None)
            cases: list[tuple[sympy.Expr, sympy.Set]] = []
            taken: sympy.Set = S.EmptySet
            for value, condition in tidy:
                where = condition.as_set().intersect(window) - taken
                taken = taken | where
                if where.is_empty is not True:
                    cases.append((value, where))
            return whole, tuple(cases)
    except (BudgetExceeded, NotImplementedError, TypeError, ValueError, ArithmeticError,
            RecursionError):
        return pieces, ()
