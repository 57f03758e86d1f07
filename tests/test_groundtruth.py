"""Random expressions whose kinks are known by construction, against the analysis.

A generated case is a sum of terms, each with ONE kink at its own rational
point c (so the terms are smooth at each other's kinks), plus a smooth
polynomial; or a Piecewise join; or a smooth outer function of one kink; or
floor of a linear function on a window.  The construction gives, at every
kink, the kind and the jump in slope R - L (or the one-sided derivatives
themselves).  The analysis (with the numeric cross-check) must agree or say
``unknown``; anything else is a wrong verdict and fails.

The harder generators (issue 14: constants SymPy cannot decide, powers SymPy
rewrites, identities in 1/x, transcendental kinks in a window) give their truth
points as numbers computed with mpmath, matched to the analysis numerically.

Run bounded and derandomised in the default suite; ``-m slow`` runs many more.
``DIFFCHECK_GROUNDTRUTH_STATS=1 pytest -s tests/test_groundtruth.py`` prints how
many cases ran and how many ended unknown.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import mpmath
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy import Abs, Max, Min, Piecewise, Rational, S

from diffcheck import Analysis, Kind, PointReport, analyze
from diffcheck.engine.limits import numeric

X = sympy.Symbol("x", real=True)
T = X  # terms are built in t = x - c by substitution

STATS: Counter[str] = Counter()

FAST = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(autouse=True, scope="module")
def _report_stats() -> Iterator[None]:
    yield
    if os.environ.get("DIFFCHECK_GROUNDTRUTH_STATS"):
        print(f"\nground truth: {dict(sorted(STATS.items()))}", file=sys.stderr)


@dataclass(frozen=True)
class Truth:
    """What the construction says at a kink c.

    ``left``/``right``: the one-sided derivatives when known exactly (``None``:
    not claimed); ``jump``: R - L for finite slopes (the smooth rest cancels).
    """

    kind: Kind
    jump: sympy.Expr | None = None
    left: sympy.Expr | None = None
    right: sympy.Expr | None = None


@dataclass(frozen=True)
class Case:
    expr: sympy.Expr
    truth: dict[sympy.Expr, Truth]
    domain: str | None = None


small = st.integers(min_value=-3, max_value=3)
nonzero = small.filter(bool)
rationals = st.fractions(min_value=-2, max_value=2, max_denominator=5).map(Rational)
weights = st.sampled_from([Rational(n, d) for n, d in [(1, 1), (2, 1), (1, 2), (3, 2), (-1, 1),
                                                      (-2, 1), (-1, 3), (5, 2)]])
powers = st.sampled_from([Rational(n, d) for n, d in [(1, 3), (1, 2), (2, 3), (1, 1), (4, 3),
                                                      (3, 2), (5, 3), (5, 2)]])


def _power_truth(p: sympy.Rational, w: sympy.Expr, odd: bool) -> Truth:
    """w*Abs(t)**p (odd: w*sign(t)*Abs(t)**p) at t = 0."""
    if p > 1:
        return Truth(Kind.DIFFERENTIABLE, jump=S.Zero)
    if p == 1:
        return Truth(Kind.DIFFERENTIABLE, jump=S.Zero) if odd else Truth(Kind.CORNER, jump=2 * w)
    inf = S.Infinity if w > 0 else S.NegativeInfinity
    if odd:
        return Truth(Kind.VERTICAL_TANGENT, left=inf, right=inf)
    return Truth(Kind.CUSP, left=-inf, right=inf)


@st.composite
def kink(draw: st.DrawFn) -> tuple[sympy.Expr, dict[sympy.Expr, Truth]]:
    """One term in t with a kink at t = 0 (and maybe one at a far offset), value 0 there."""
    shape = draw(st.sampled_from(["max", "min", "abs", "max-quad", "t-abs", "abs-power",
                                  "odd-power", "abs-quadratic"]))
    w = draw(weights)
    s1, s2 = draw(small), draw(small)
    if shape in ("max", "min", "max-quad"):
        q = draw(small) if shape == "max-quad" else 0
        f = (Max if shape != "min" else Min)(q * T**2 + s1 * T, q * T**2 + s2 * T)
        if isinstance(f, (Max, Min)):
            jump = abs(s1 - s2) if shape != "min" else -abs(s1 - s2)
        else:  # SymPy folded it (s1 == s2): a polynomial
            jump = 0
        truth = Truth(Kind.CORNER if jump else Kind.DIFFERENTIABLE, jump=w * jump)
    elif shape == "abs":
        s = draw(nonzero)
        f, truth = Abs(s * T), Truth(Kind.CORNER, jump=2 * w * abs(s))
    elif shape == "t-abs":
        f, truth = T * Abs(draw(nonzero) * T), Truth(Kind.DIFFERENTIABLE, jump=S.Zero)
    elif shape == "abs-quadratic":
        # Abs of a quadratic with simple roots 0 and r, r far from every other kink.
        r = draw(st.sampled_from([Rational(7), Rational(-9), Rational(20)]))
        f = Abs(T * (T - r))
        corner = Truth(Kind.CORNER, jump=2 * w * abs(r))
        return w * f, {S.Zero: corner, r: corner}
    else:
        p = draw(powers)
        odd = shape == "odd-power"
        f = sympy.sign(T) * Abs(T) ** p if odd else Abs(T) ** p
        truth = _power_truth(p, w, odd)
    return w * f, {S.Zero: truth}


def _scaled(truth: Truth, k: sympy.Expr) -> Truth:
    """The truth of k*g at a kink of g where g vanishes, for a constant k != 0."""
    flip = (lambda d: d) if k > 0 else (lambda d: -d)
    return Truth(truth.kind, jump=None if truth.jump is None else k * truth.jump,
                 left=None if truth.left is None else flip(truth.left),
                 right=None if truth.right is None else flip(truth.right))


@st.composite
def product_of_kinks(draw: st.DrawFn) -> Case:
    """(k + (x - c)) * g(x - c) * (x**2 + 1): g vanishes at its kinks, so the
    one-sided derivatives there are those of g times k * (c**2 + 1)."""
    c = draw(rationals)
    term, kinks = draw(kink())
    k = draw(st.sampled_from([Rational(2), Rational(-1), Rational(1, 2), Rational(-3, 2)]))
    factor = (k + T) * (T + c) ** 2 + (k + T)  # (k + t) * ((t + c)**2 + 1)
    truth = {}
    for offset, t in kinks.items():
        scale = factor.subs(T, offset)
        truth[c + offset] = _scaled(t, scale) if scale else Truth(Kind.DIFFERENTIABLE)
    return Case(sympy.expand(factor).subs(T, X - c) * term.subs(T, X - c), truth)


@st.composite
def sum_of_kinks(draw: st.DrawFn) -> Case:
    """A smooth polynomial plus terms kinking at distinct rational points."""
    points = draw(st.lists(rationals, min_size=1, max_size=3, unique=True))
    smooth = draw(small) * X**2 + draw(small) * X + draw(small)
    expr, truth = smooth, {}
    for c in points:
        term, kinks = draw(kink())
        expr += term.subs(T, X - c)
        truth.update({c + offset: t for offset, t in kinks.items()})
    return Case(expr, truth)


@st.composite
def piecewise_join(draw: st.DrawFn) -> Case:
    """Piecewise((p1, x < c), (p2, True)) with p2 = p1 + dv + ds*(x - c) + e*(x - c)**2."""
    c = draw(rationals)
    p1 = draw(small) * X**2 + draw(small) * X + draw(small)
    dv, ds, e = draw(st.sampled_from([0, 0, 1, -2])), draw(st.sampled_from([0, 0, 3, -1])), \
        draw(small)
    p2 = sympy.expand(p1 + dv + ds * (X - c) + e * (X - c) ** 2)
    strict = draw(st.booleans())
    cond = sympy.Lt(X, c) if strict else sympy.Le(X, c)
    f = Piecewise((p1, cond), (p2, True))
    slope = p1.diff(X).subs(X, c)
    if dv:
        truth = Truth(Kind.JUMP)
    elif ds:
        truth = Truth(Kind.CORNER, jump=S(ds), left=slope, right=slope + ds)
    else:
        truth = Truth(Kind.DIFFERENTIABLE, jump=S.Zero, left=slope, right=slope)
    return Case(f, {c: truth})


@st.composite
def composition(draw: st.DrawFn) -> Case:
    """exp(g), sin(g) (outer derivative 1 at g = 0: the kinds of g) or log(1 + g**2)."""
    c = draw(rationals)
    term, kinks = draw(kink())
    g = term.subs(T, X - c)
    truth = {c + offset: t for offset, t in kinks.items()}  # g vanishes at every kink
    outer = draw(st.sampled_from(["exp", "sin", "log1p-square"]))
    if outer == "log1p-square" and all(t.left is None for t in kinks.values()):
        # log(1 + g**2) ~ g**2 near g = 0 with finite one-sided slopes: both vanish.
        flat = Truth(Kind.DIFFERENTIABLE, jump=S.Zero, left=S.Zero, right=S.Zero)
        return Case(sympy.log(1 + g**2), dict.fromkeys(truth, flat))
    # exp and sin have derivative 1 at 0: the one-sided derivatives of g.
    f = sympy.sin(g) if outer == "sin" else sympy.exp(g)
    return Case(f, truth)


@st.composite
def floor_linear(draw: st.DrawFn) -> Case:
    """floor(m*x + b) on [-2, 2]: a jump wherever m*x + b is an integer."""
    m = draw(st.sampled_from([Rational(1), Rational(2), Rational(-1), Rational(1, 2),
                              Rational(3, 2)]))
    b = draw(rationals)
    lo, hi = sympy.floor(min(-2 * m + b, 2 * m + b)), sympy.ceiling(max(-2 * m + b, 2 * m + b))
    jumps = [(n - b) / m for n in range(int(lo), int(hi) + 1)]
    truth = {a: Truth(Kind.JUMP) for a in jumps if -2 <= a <= 2}
    return Case(sympy.floor(m * X + b), truth, domain="[-2, 2]")


cases = st.one_of(sum_of_kinks(), product_of_kinks(), piecewise_join(), composition(),
                  floor_linear())


# --- the check ---------------------------------------------------------------------------


def _points(analysis: Analysis) -> dict[sympy.Expr, PointReport]:
    return {p.at: p for p in analysis.points}


def assert_matches(case: Case, analysis: Analysis) -> None:
    """Every verdict agrees with the construction, or is unknown."""
    points = _points(analysis)
    for c, truth in case.truth.items():
        p = points.get(c)
        STATS["kinks"] += 1
        if p is None:
            # Not a candidate: fine only where f really is differentiable.
            assert truth.kind is Kind.DIFFERENTIABLE, f"{case.expr}: kink {c} missed"
            continue
        context = f"{case.expr} at {c}: {p.to_dict()}"
        if p.kind is Kind.UNKNOWN:
            STATS["unknown"] += 1
            assert p.differentiable is not (truth.kind is not Kind.DIFFERENTIABLE), context
            continue
        assert p.kind is truth.kind, context
        assert p.differentiable is (truth.kind is Kind.DIFFERENTIABLE), context
        if truth.jump is not None and p.left_derivative is not None:
            assert p.right_derivative is not None, context
            assert sympy.simplify(p.right_derivative - p.left_derivative - truth.jump) == 0, \
                context
        for got, want in ((p.left_derivative, truth.left), (p.right_derivative, truth.right)):
            if want is not None:
                assert got == want, context
        if p.numeric_check is not None:
            assert p.numeric_check.agrees is not False, context
    for a, p in points.items():
        if a not in case.truth:
            STATS["other points"] += 1
            # Everywhere else f is smooth by construction: no false alarm.
            assert p.kind in (Kind.DIFFERENTIABLE, Kind.UNKNOWN), f"{case.expr} at {a}: " \
                f"{p.to_dict()}"
            assert p.differentiable is not False


def run_case(case: Case) -> Analysis:
    STATS["cases"] += 1
    analysis = analyze(case.expr, var="x", domain=case.domain, at=list(case.truth),
                       verify=True, timeout=10)
    assert_matches(case, analysis)
    if any(p.kind is Kind.UNKNOWN for p in analysis.points):
        STATS["cases with an unknown"] += 1
    return analysis


@FAST
@given(case=cases)
def test_ground_truth(case: Case) -> None:
    run_case(case)


@pytest.mark.slow
@MANY
@given(case=cases)
def test_ground_truth_many(case: Case) -> None:
    run_case(case)


# --- metamorphic properties ------------------------------------------------------------


def _kinds(analysis: Analysis) -> dict[sympy.Expr, Kind]:
    return {p.at: p.kind for p in analysis.points if p.kind is not Kind.UNKNOWN}


def _metamorphic(case: Case, k: sympy.Rational) -> None:
    base = analyze(case.expr, var="x", domain=case.domain)
    kinds = _kinds(base)
    shifted = analyze(case.expr.subs(X, X - k), var="x")
    moved = _kinds(shifted)
    for a, kind in kinds.items():
        if a + k in moved:
            assert moved[a + k] is kind, (case.expr, a, k)
    assert {a + k for a in base.nondifferentiable_points} <= set(shifted.nondifferentiable_points) \
        | set(shifted.unknown_points)

    scaled = _kinds(analyze(Rational(5, 3) * case.expr, var="x", domain=case.domain))
    assert {a: v for a, v in scaled.items() if a in kinds} == {
        a: v for a, v in kinds.items() if a in scaled}

    mirrored = analyze(case.expr.subs(X, -X), var="x")
    by_at = _points(mirrored)
    for p in base.points:
        q = by_at.get(-p.at)
        if q is None or Kind.UNKNOWN in (p.kind, q.kind):
            continue
        assert q.kind is p.kind, (case.expr, p.at)
        for mine, theirs in ((q.left_derivative, p.right_derivative),
                             (q.right_derivative, p.left_derivative)):
            assert (mine is None) == (theirs is None), (case.expr, p.at)
            if mine is not None and theirs is not None:
                assert mine == -theirs or sympy.simplify(mine + theirs) == 0, (case.expr, p.at)


@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(case=st.one_of(sum_of_kinks(), piecewise_join()), k=rationals)
def test_metamorphic(case: Case, k: sympy.Rational) -> None:
    """Shifting x by k shifts the points; 5/3*f keeps kinds; f(-x) mirrors and swaps slopes."""
    _metamorphic(case, k)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(case=st.one_of(sum_of_kinks(), piecewise_join(), composition()), k=rationals)
def test_metamorphic_many(case: Case, k: sympy.Rational) -> None:
    _metamorphic(case, k)


# --- harder inputs (issue 14): points SymPy cannot spell simply ----------------------------
#
# The truth point is given as a number (an mpmath value at 30 digits, computed
# independently of SymPy's solvers); the analysis point is matched to it
# numerically, and its verdict must agree or be unknown.


@dataclass(frozen=True)
class HardCase:
    expr: sympy.Expr
    truth: tuple[tuple[float, Truth], ...]
    domain: str = "[-3, 3]"
    asked: tuple[sympy.Expr, ...] = ()


units = st.sampled_from([Rational(n, d) for n, d in [(1, 2), (-1, 2), (1, 3), (-2, 3), (1, 5),
                                                     (3, 4), (-3, 5), (1, 7)]])
scales = st.sampled_from([Rational(1), Rational(2), Rational(-1), Rational(1, 2),
                          Rational(-3, 2)])


@st.composite
def undecidable_constants(draw: st.DrawFn) -> HardCase:
    """Kinks at erfinv(v)/k, whose finiteness SymPy cannot decide."""
    v, k = draw(units), draw(scales)
    u = sympy.erf(k * X) - v
    at = float(mpmath.erfinv(mpmath.mpf(v.p) / v.q) / (mpmath.mpf(k.p) / k.q))
    shape = draw(st.sampled_from(["abs", "max", "min", "jump", "abs-squared", "sqrt-abs"]))
    if shape == "abs":
        f, truth = Abs(u), Truth(Kind.CORNER)
    elif shape in ("max", "min"):
        f, truth = (Max if shape == "max" else Min)(sympy.erf(k * X), v), Truth(Kind.CORNER)
    elif shape == "jump":
        f, truth = Piecewise((draw(small), u < 0), (S(4), True)), Truth(Kind.JUMP)
    elif shape == "abs-squared":
        f, truth = Abs(u) * u, Truth(Kind.DIFFERENTIABLE)
    else:
        f, truth = sympy.sqrt(Abs(u)), Truth(Kind.CUSP)
    return HardCase(f + draw(small) * X, ((at, truth),))


@st.composite
def rewritten_powers(draw: st.DrawFn) -> HardCase:
    """cos(pi*floor(m*x + b))*g (SymPy writes (-1)**floor(...)) and roots SymPy factors."""
    if draw(st.booleans()):
        m, b = draw(st.sampled_from([Rational(1), Rational(2), Rational(1, 2)])), draw(rationals)
        g = draw(st.sampled_from([S.One, X**2 + 1, sympy.exp(X)]))
        f = sympy.cos(sympy.pi * sympy.floor(m * X + b)) * g
        jumps = [(n - b) / m for n in range(-8, 9) if -2 <= (n - b) / m <= 2]
        inside = sorted({*jumps, S(-2), S(2)})
        middles = [(p + q) / 2 for p, q in itertools.pairwise(inside) if q > p]
        truth = tuple((float(a), Truth(Kind.JUMP)) for a in jumps) + tuple(
            (float(c), Truth(Kind.DIFFERENTIABLE)) for c in middles)
        return HardCase(f, truth, domain="[-2, 2]", asked=tuple(middles))
    a, gap = draw(rationals), draw(st.sampled_from([Rational(1), Rational(3, 2), Rational(2)]))
    c = a + gap
    from diffcheck.language.parsing import parse_expression

    f = parse_expression(f"sqrt((x - ({a}))**2*(x - ({c})))")
    return HardCase(f, ((float(a), Truth(Kind.UNDEFINED)), (float(c), Truth(Kind.ENDPOINT))),
                    domain="[-5, 5]")


@st.composite
def identities_in_reciprocal(draw: st.DrawFn) -> HardCase:
    """P(x) + x**k * (an identity in 1/(x - c) that is 0), filled in at c."""
    c = draw(rationals)
    u = 1 / (X - c)
    zero = draw(st.sampled_from([
        sympy.sin(u) ** 2 + sympy.cos(u) ** 2 - 1,
        2 * sympy.sin(u) * sympy.cos(u) - sympy.sin(2 * u),
        sympy.cos(2 * u) - 1 + 2 * sympy.sin(u) ** 2,
    ]))
    p = draw(small) * X**2 + draw(small) * X + draw(small)
    slope = p.diff(X).subs(X, c)
    if draw(st.booleans()):
        f = Piecewise((p + (X - c) * zero, sympy.Ne(X, c)), (p.subs(X, c), True))
        truth = Truth(Kind.DIFFERENTIABLE, left=slope, right=slope)
    else:
        f, truth = p + zero, Truth(Kind.REMOVABLE)
    return HardCase(f, ((float(c), truth),), asked=(c,))


@st.composite
def transcendental_kinks(draw: st.DrawFn) -> HardCase:
    """u = a*x + b - cos(x) or sin(x) with |a| > 1: one simple root, found by mpmath."""
    a = draw(st.sampled_from([Rational(3, 2), Rational(2), Rational(-2), Rational(5, 4)]))
    b = draw(st.sampled_from([Rational(0), Rational(1, 2), Rational(-1), Rational(3, 4)]))
    trig = draw(st.sampled_from([sympy.cos, sympy.sin]))
    u = a * X + b - trig(X)
    mp_trig = mpmath.cos if trig is sympy.cos else mpmath.sin
    with mpmath.workdps(30):
        root = float(mpmath.findroot(lambda t: a.p * t / a.q + mpmath.mpf(b.p) / b.q - mp_trig(t),
                                     0.0))
    shape = draw(st.sampled_from(["abs", "max", "jump", "abs-cubed"]))
    if shape == "abs":
        f, truth = Abs(u), Truth(Kind.CORNER)
    elif shape == "max":
        f, truth = Max(a * X + b, trig(X)), Truth(Kind.CORNER)
    elif shape == "jump":
        f, truth = Piecewise((S.Zero, u < 0), (S.One, True)), Truth(Kind.JUMP)
    else:
        f, truth = Abs(u) ** 3, Truth(Kind.DIFFERENTIABLE)
    return HardCase(f, ((root, truth),))


hard_cases = st.one_of(undecidable_constants(), rewritten_powers(), identities_in_reciprocal(),
                       transcendental_kinks())


def run_hard(case: HardCase) -> None:
    STATS["hard cases"] += 1
    analysis = analyze(case.expr, var="x", domain=case.domain, at=list(case.asked),
                       verify=True, timeout=10)
    matched: set[sympy.Expr] = set()
    for at, truth in case.truth:
        STATS["hard points"] += 1
        near = [p for p in analysis.points if abs(float(numeric(p.at, 30)) - at) < 1e-8]
        assert len(near) <= 1, f"{case.expr}: one number, several points: {near}"
        if not near:
            assert truth.kind is Kind.DIFFERENTIABLE, f"{case.expr}: kink at {at} missed"
            assert not analysis.candidate_sets or all(
                c.differentiable is not False for c in analysis.candidate_sets)
            continue
        p = near[0]
        matched.add(p.at)
        context = f"{case.expr} at {at}: {p.to_dict()}"
        if p.kind is Kind.UNKNOWN:
            STATS["hard unknown"] += 1
            assert p.differentiable is not (truth.kind is not Kind.DIFFERENTIABLE), context
            continue
        assert p.kind is truth.kind, context
        for got, want in ((p.left_derivative, truth.left), (p.right_derivative, truth.right)):
            if want is not None:
                assert got == want, context
        if p.numeric_check is not None:
            assert p.numeric_check.agrees is not False, context
    for p in analysis.points:
        if p.at not in matched:
            assert p.differentiable is not False, f"{case.expr} at {p.at}: {p.to_dict()}"


@settings(max_examples=8, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(case=hard_cases)
def test_hard_ground_truth(case: HardCase) -> None:
    run_hard(case)


@pytest.mark.slow
@settings(max_examples=120, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=hard_cases)
def test_hard_ground_truth_many(case: HardCase) -> None:
    run_hard(case)
