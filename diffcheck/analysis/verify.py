"""A numeric cross-check of the symbolic verdicts (``--verify``).

Independently of branch resolution and of SymPy's ``limit``, f is evaluated at
a + h and a - h for a decreasing sequence of h, and the one-sided difference
quotients (f(a + s*h) - f(a)) / (s*h) are judged: they converge (to what),
diverge to +-oo, oscillate, or settle on nothing the numbers can show.  A
symbolic one-sided derivative the quotients clearly contradict turns the
point's verdict into ``unknown``, with a reason naming both answers.

How f is evaluated.  The quotient is built *exactly* (a and h are exact, f(a)
is the exact value of the report) and SymPy's ``evalf`` evaluates it with
mpmath to :data:`DIGITS` correct digits.  Compared on a table of constructs
with ``lambdify(modules="mpmath")`` at a fixed 50 digits, both agree on
Max/Min/Abs/sign/Heaviside/floor/frac/Mod/Piecewise and on the real roots
(the parsed expression already writes an odd root as ``sign(u)*Abs(u)**(1/3)``),
but exact substitution is the one that is right where it matters:

* branches are chosen exactly: ``Piecewise((0, x**2 < 2), ...)`` just right of
  ``sqrt(2)`` compares exact numbers, not two roundings of 2;
* ``evalf`` raises its working precision until the subtraction
  f(a + h) - f(a) keeps its digits, where a fixed precision loses them all
  once h falls below 10**-dps;
* results outside the real line stay visible (``I``, ``nan``, ``zoo``) where
  mpmath returns ``-inf`` for ``log(0)``, ``None`` for a Piecewise without a
  fallback, or a complex number for an even root of a negative number.

The judgement never holds numeric noise against a correct answer:
``x**2*sin(1/x)`` has quotients h*sin(1/h) that converge to 0 however they
wobble, and a slowly converging quotient (``x/log(Abs(x))``: 1/log(h)) or a
slowly diverging one (``x*log(Abs(x))``) agrees when its distance to the
symbolic answer keeps shrinking, or its size keeps growing.  Only a clear
contradiction counts: quotients that settle on another value, that grow
without bound against a finite answer, that converge against an infinite or a
missing one.

The steps are h = 7 * 10**-(k+1) for k = 8, 10, ..., 30 rather than powers of
ten, so that 1/h is no multiple of pi/10**k: ``x*sin(pi/x)`` would otherwise
give quotients sin(pi*10**k) = 0 and look convergent.
"""

from __future__ import annotations

import dataclasses
import itertools

import sympy
from sympy import S

from diffcheck.budget import BudgetExceeded, Deadline, budget
from diffcheck.model.checks import Numeric, NumericCheck, SideCheck, _short
from diffcheck.model.report import Analysis, CandidateSet, Kind, PointReport

DIGITS = 30
"""Correct significant digits asked of ``evalf`` for each quotient."""
MAXN = 400
"""The most working digits ``evalf`` may use to get them."""
STEPS: tuple[sympy.Rational, ...] = tuple(sympy.Rational(7, 10 ** (k + 1))
                                          for k in range(8, 31, 2))
"""The step sizes h, decreasing: 7e-9, 7e-11, ..., 7e-31."""
CONVERGED = 1e-6
"""Relative spread of the last quotients under which they have converged."""
AGREE = 1e-6
"""Relative distance under which a converged quotient agrees with a finite answer."""
TAIL = 4
"""How many of the smallest steps decide convergence."""
TOTAL_FACTOR = 30
"""The whole check may take this many per-point budgets; later points go unchecked."""

# What evalf may raise on an exact expression it cannot evaluate.
_EVALF_ERRORS = (TypeError, ValueError, ArithmeticError, NotImplementedError, RecursionError,
                 AttributeError)


# --- evaluation -------------------------------------------------------------------------


def numeric(expr: sympy.Expr) -> sympy.Float | None:
    """An exact real constant to :data:`DIGITS` digits; ``None`` if it is not a real number.

    Examples:
        >>> numeric(sympy.sqrt(2))
        1.41421356237309504880168872421
        >>> numeric(sympy.log(-1)) is None, numeric(sympy.zoo) is None
        (True, True)
    """
    try:
        v = expr.evalf(DIGITS, maxn=MAXN)
    except _EVALF_ERRORS:
        return None
    if v.is_Float:
        return v
    if v.is_Integer or v.is_Rational:  # an exact zero stays exact
        return sympy.Float(v, DIGITS)
    return None


def quotients(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, fa: sympy.Expr,
              side: int, scale: sympy.Rational = S.One
              ) -> tuple[tuple[sympy.Rational, sympy.Float | None], ...]:
    """The table of (|h|, (f(a + s*h) - f(a)) / (s*h)) over :data:`STEPS` times ``scale``.

    Examples:
        >>> x = sympy.Symbol("x", real=True)
        >>> [str(q)[:6] for _h, q in quotients(sympy.Abs(x), x, sympy.S.Zero, sympy.S.Zero, -1)][:2]
        ['-1.000', '-1.000']
    """
    rows = []
    for h in (step * scale for step in STEPS):
        try:
            shifted = f.subs(x, a + side * h)
        except _EVALF_ERRORS:
            rows.append((h, None))
            continue
        rows.append((h, numeric((shifted - fa) / (side * h))))
    return tuple(rows)


# --- judgement ----------------------------------------------------------------------------


def judge(values: list[sympy.Float]) -> tuple[Numeric, sympy.Expr | None]:
    """What a sequence of quotients (h decreasing) does, from the numbers alone.

    Examples:
        >>> judge([sympy.Float(1 + 10.0**-k) for k in range(12)])
        (<Numeric.CONVERGES: 'converges'>, 1.00000000001000)
        >>> judge([sympy.Float(10.0**k) for k in range(12)])[0].value
        'diverges'
        >>> judge([sympy.Float((-1) ** k) for k in range(12)])[0].value
        'oscillates'
    """
    q = [float(v) if abs(v) < 1e300 else (1e300 if v > 0 else -1e300) for v in values]
    tail = q[-TAIL:]
    if max(tail) - min(tail) <= CONVERGED * (1 + abs(tail[-1])):
        return Numeric.CONVERGES, values[-1]
    late = q[-6:]
    signs = {v > 0 for v in late}
    growing = all(abs(b) > abs(a) for a, b in itertools.pairwise(late))
    if len(signs) == 1 and growing and abs(late[-1]) >= 1e3 * max(1, abs(late[0])):
        return Numeric.DIVERGES, S.Infinity if late[-1] > 0 else S.NegativeInfinity
    turns = sum(1 for a, b, c in zip(late, late[1:], late[2:], strict=False)
                if (b - a) * (c - b) < 0)
    if turns >= 2:
        return Numeric.OSCILLATES, None
    return Numeric.UNSETTLED, None


def _agrees_finite(values: list[float], verdict: Numeric, limit: sympy.Expr | None,
                   d: float) -> bool:
    """Whether quotients are consistent with a finite one-sided derivative d."""
    tol = AGREE * (1 + abs(d))
    if verdict is Numeric.CONVERGES:
        assert limit is not None
        return abs(float(limit) - d) <= tol
    if verdict is Numeric.DIVERGES:
        return False
    # Not (yet) settled: consistent only while the distance to d keeps shrinking,
    # e.g. 1/log(h) -> 0 or h**0.1*sin(1/h) -> 0.
    distance = [abs(v - d) for v in values]
    return max(distance[-3:]) <= max(tol, 0.5 * max(distance[:3]))


def _agrees_infinite(values: list[float], verdict: Numeric, limit: sympy.Expr | None,
                     d: sympy.Expr) -> bool:
    """Whether quotients are consistent with a one-sided derivative of +-oo."""
    if verdict is Numeric.DIVERGES:
        return bool(limit == d)
    if verdict is Numeric.CONVERGES:
        return False
    # Slow growth (log(h)) still agrees: the right sign, and sizes that keep growing.
    sign = 1 if d == S.Infinity else -1
    return all(v * sign > 0 for v in values[-3:]) and (
        min(abs(v) for v in values[-3:]) >= 2 * max(abs(v) for v in values[:3])
    )


def _side_check(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, fa: sympy.Expr | None,
                side: int, symbolic: sympy.Expr | None, claims_no_limit: bool,
                scale: sympy.Rational = S.One) -> SideCheck:
    if fa is None:
        return SideCheck(side=side, verdict=Numeric.UNDEFINED,
                         note="f(a) is undefined, so there is no difference quotient")
    steps = quotients(f, x, a, fa, side, scale)
    values = [q for _h, q in steps]
    if any(q is None for q in values):
        return SideCheck(side=side, steps=steps, verdict=Numeric.UNDEFINED, symbolic=symbolic,
                         note="f is not a real number at some a + h")
    numbers = [q for q in values if q is not None]
    verdict, limit = judge(numbers)
    floats = [float(v) if abs(v) < 1e300 else (1e300 if v > 0 else -1e300) for v in numbers]
    agrees: bool | None = None
    if symbolic is not None and symbolic.is_infinite:
        agrees = _agrees_infinite(floats, verdict, limit, symbolic)
    elif symbolic is not None:
        d = numeric(symbolic)
        if d is not None:
            agrees = _agrees_finite(floats, verdict, limit, float(d))
    elif claims_no_limit:
        agrees = verdict not in (Numeric.CONVERGES, Numeric.DIVERGES)
    return SideCheck(side=side, steps=steps, verdict=verdict, limit=limit, symbolic=symbolic,
                     agrees=agrees)


def check_point(f: sympy.Expr, x: sympy.Symbol, point: PointReport,
                scale: sympy.Rational = S.One) -> NumericCheck:
    """Evaluate the difference quotients at ``point.at`` and compare them with the report.

    Examples:
        >>> from diffcheck import analyze
        >>> a = analyze("Abs(x)")
        >>> c = check_point(a.expression, a.variable, a.points[0])
        >>> c.agrees, c.left.verdict.value, str(c.left.limit)[:5], str(c.right.limit)[:4]
        (True, 'converges', '-1.00', '1.00')
    """
    a = point.at
    if not a.is_number or f.free_symbols - {x}:
        why = "the point is not a number" if not a.is_number else "f has parameters"
        return NumericCheck(left=SideCheck(side=-1), right=SideCheck(side=1), agrees=None,
                            reason=f"not checked: {why}")
    try:
        value = numeric(f.subs(x, a))
    except _EVALF_ERRORS:
        value = None
    # The symbolic verdict claims that a missing derivative has no limit (rather
    # than being undecided) only for an oscillating quotient of a continuous f.
    no_limit = point.kind is Kind.OSCILLATING and point.continuous is True
    left, right = (
        _side_check(f, x, a, point.value, s, d, no_limit and d is None, scale)
        for s, d in ((-1, point.left_derivative), (1, point.right_derivative))
    )
    # "At least one side oscillates" (the other may be undecided): contradicted
    # only when neither side does.
    if (no_limit and point.left_derivative is None and point.right_derivative is None
            and not (left.agrees is False and right.agrees is False)):
        left, right = (s if s.agrees else dataclasses.replace(s, agrees=None)
                           for s in (left, right))
    problems: list[str] = []
    if point.value is not None and value is not None:
        expected = numeric(point.value)
        if expected is not None and abs(value - expected) > AGREE * (1 + abs(expected)):
            problems.append(f"f({a}) is {point.value} symbolically but {_short(value)} "
                            f"numerically")
    for s in (left, right):
        if s.agrees is False:
            symbolic = ("has no limit" if s.symbolic is None
                        else f"is {sympy.sstr(s.symbolic)}")
            problems.append(f"the {s.name} derivative {symbolic} symbolically, but the "
                            f"{s.name} difference quotients {s.describe()}")
    if problems:
        return NumericCheck(value=value, left=left, right=right, agrees=False,
                            reason="; ".join(problems))
    checked = [s for s in (left, right) if s.agrees is not None]
    if not checked:
        return NumericCheck(value=value, left=left, right=right, agrees=None,
                            reason="nothing symbolic to compare the quotients with")
    settled = all(s.verdict in (Numeric.CONVERGES, Numeric.DIVERGES) for s in checked)
    which = "both one-sided derivatives" if len(checked) == 2 else (
        f"the {checked[0].name} derivative")
    verb = "confirm" if settled else "are consistent with"
    return NumericCheck(value=value, left=left, right=right, agrees=True,
                        reason=f"the difference quotients {verb} {which}")


# --- applying it to an analysis -------------------------------------------------------------


def verify_point(f: sympy.Expr, x: sympy.Symbol, point: PointReport,
                 seconds: float | None = None, scale: sympy.Rational = S.One) -> PointReport:
    """The point with its ``numeric_check``; ``unknown`` when the numbers contradict it.

    Examples:
        >>> from diffcheck import analyze
        >>> a = analyze("Abs(x)")
        >>> wrong = dataclasses.replace(a.points[0], right_derivative=sympy.Integer(2))
        >>> p = verify_point(a.expression, a.variable, wrong)
        >>> p.kind.value, p.differentiable
        ('unknown', None)
    """
    try:
        with budget(seconds):
            check = check_point(f, x, point, scale)
    except BudgetExceeded:
        check = NumericCheck(left=SideCheck(side=-1), right=SideCheck(side=1), agrees=None,
                             reason="not checked: the numeric check ran out of its time "
                                    "budget")
    if check.agrees is not False:
        return dataclasses.replace(point, numeric_check=check)
    value_wrong = check.reason.startswith(f"f({point.at})")
    return dataclasses.replace(
        point, numeric_check=check, kind=Kind.UNKNOWN, differentiable=None, derivative=None,
        continuous=None if value_wrong else point.continuous,
        reason=f"symbolic and numeric answers disagree (symbolic verdict: {point.kind.value}, "
               f"{point.reason}): {check.reason}",
    )


def verify_analysis(analysis: Analysis, seconds: float | None = None) -> Analysis:
    """Every point (and every sampled member of a family) cross-checked numerically.

    A downgraded point leaves the set where f is differentiable; a family whose
    sample was downgraded is no longer cleared by that sample.
    """
    f, x = analysis.expression, analysis.variable
    deadline = Deadline(None if seconds is None else seconds * TOTAL_FACTOR)

    def each(p: PointReport, scale: sympy.Rational = S.One) -> PointReport:
        left = deadline.remaining()
        return verify_point(f, x, p, seconds if left is None else min(seconds or left, left),
                            scale)

    scales = step_scales([p.at for p in analysis.points])
    points = tuple(each(p, k) for p, k in zip(analysis.points, scales, strict=True))
    families = tuple(dataclasses.replace(c, samples=tuple(each(p) for p in c.samples))
                     for c in analysis.candidate_sets)
    families = tuple(_family_verdict(c, o) for c, o in zip(families, analysis.candidate_sets,
                                                          strict=True))
    demoted = [p.at for p, q in zip(analysis.points, points, strict=True)
               if q.differentiable is None and p.differentiable is not None]
    on = analysis.differentiable_on
    if on is not None and demoted:
        on = sympy.Complement(on, sympy.FiniteSet(*demoted), evaluate=False)
    if on is not None and any(c.differentiable is None and o.differentiable is not None
                              for c, o in zip(families, analysis.candidate_sets, strict=True)):
        on = None
    return dataclasses.replace(analysis, points=points, candidate_sets=families,
                               differentiable_on=on)


def step_scales(points: list[sympy.Expr]) -> list[sympy.Rational]:
    """For each point, a power of ten that keeps every step h below a thousandth of the
    distance to the nearest other point (1 when the points are far apart).

    Kinks e^-100 apart (a clamp at e^-100 and one at 0) would otherwise be crossed by
    every step, and the quotients would describe the other kink.

    Examples:
        >>> step_scales([sympy.S.Zero, sympy.S.One])
        [1, 1]
        >>> step_scales([sympy.S.Zero, sympy.Rational(1, 10**12)])
        [1/10000000, 1/10000000]
    """
    values: list[sympy.Float | None] = []
    for p in points:
        try:
            v = p.evalf(30) if p.is_number else None
            values.append(v if v is not None and v.is_real and v.is_finite else None)
        except (*_EVALF_ERRORS, OverflowError):
            values.append(None)
    # 30-digit Floats, not floats: 1 and 1 + 10**-20, or 0 and exp(-1000), stay apart.
    largest = sympy.Float(STEPS[0] * 1000, 30)
    # The nearest other point is a neighbour in sorted order (points equal at 30 digits
    # are one point spelled twice, and do not count).
    known = sorted((v, i) for i, v in enumerate(values) if v is not None)
    near: dict[int, sympy.Float] = {}
    for (v, i), (w, j) in itertools.pairwise(known):
        if w != v:
            near[i] = min(near.get(i, largest), w - v)
            near[j] = min(near.get(j, largest), w - v)
    out = []
    for i in range(len(points)):
        gap = near.get(i, largest)
        k = 0 if gap >= largest else min(300, int(sympy.ceiling(sympy.log(largest / gap, 10))))
        out.append(sympy.Rational(1, 10**k))
    return out


def _family_verdict(family: CandidateSet, before: CandidateSet) -> CandidateSet:
    """The family's verdict again when the check downgraded one of its samples."""
    samples = family.samples
    if all(s.kind is p.kind for s, p in zip(samples, before.samples, strict=True)):
        return family
    bad = [p for p in samples if p.differentiable is False]
    kinds = {p.kind for p in samples}
    return dataclasses.replace(
        family, samples=samples, differentiable=False if bad else None,
        kind=kinds.pop() if len(kinds) == 1 else Kind.UNKNOWN,
        reason=family.reason + "; the numeric check contradicts a sampled member",
    )
