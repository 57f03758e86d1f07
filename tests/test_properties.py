"""Verdicts on expressions whose answer is known by construction, checked
against the construction and against high-precision numerics (mpmath through
SymPy's evalf)."""

from __future__ import annotations

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from diffcheck import Kind, analyze

X = sympy.Symbol("x", real=True)
rationals = st.fractions(min_value=-3, max_value=3, max_denominator=7).map(sympy.Rational)
slopes = st.integers(min_value=-4, max_value=4)
H = [sympy.Rational(1, 10**k) for k in (30, 45)]


def numeric_quotients(f: sympy.Expr, a: sympy.Expr, side: int) -> list[sympy.Float]:
    """(f(a+h) - f(a))/h at tiny exact h, evaluated to 100 digits."""
    fa = f.subs(X, a)
    return [sympy.N((f.subs(X, a + side * h) - fa) / (side * h), 100) for h in H]


def assert_agrees_with_numerics(f: sympy.Expr, a: sympy.Expr, left: sympy.Expr,
                                right: sympy.Expr) -> None:
    """The quotients approach the symbolic one-sided derivative (error O(h**(1/3))
    at worst for the constructions here)."""
    for side, d in ((-1, left), (1, right)):
        far, near = (abs(q - d) for q in numeric_quotients(f, a, side))
        assert near < sympy.Float("1e-8"), (f, a, side, near, d)
        assert near <= far, (f, a, side, far, near, d)


@settings(max_examples=40, deadline=None)
@given(a=slopes, b=slopes, c=rationals)
def test_max_of_two_lines(a: int, b: int, c: sympy.Rational) -> None:
    """Max(a*(x-c), b*(x-c)) is a corner at c iff a != b, slopes min and max."""
    f = sympy.Max(a * (X - c), b * (X - c))
    analysis = analyze(f, at=[c])
    [p] = [p for p in analysis.points if p.at == c]
    assert p.left_derivative == min(a, b)
    assert p.right_derivative == max(a, b)
    assert p.kind is (Kind.CORNER if a != b else Kind.DIFFERENTIABLE)
    assert_agrees_with_numerics(f, c, p.left_derivative, p.right_derivative)


@settings(max_examples=25, deadline=None)
@given(p=st.sampled_from([sympy.Rational(n, d) for n, d in
                          [(1, 3), (2, 3), (1, 1), (4, 3), (3, 2), (2, 1), (5, 2), (1, 2)]]),
       c=rationals)
def test_abs_power(p: sympy.Rational, c: sympy.Rational) -> None:
    """Abs(x - c)**p at c: differentiable iff p > 1; a corner at p = 1; a cusp below."""
    f = sympy.Abs(X - c) ** p
    [point] = [q for q in analyze(f, at=[c]).points if q.at == c]
    expected = Kind.DIFFERENTIABLE if p > 1 else Kind.CORNER if p == 1 else Kind.CUSP
    assert point.kind is expected
    if p >= 1:
        assert_agrees_with_numerics(f, c, point.left_derivative, point.right_derivative)


@settings(max_examples=25, deadline=None)
@given(a=slopes, b=slopes, c=rationals, k=rationals)
def test_shift_moves_points(a: int, b: int, c: sympy.Rational, k: sympy.Rational) -> None:
    """Shifting x by k shifts every point by k with the same verdicts (metamorphic)."""
    f = sympy.Abs(a * (X - c)) + sympy.Max(0, b * (X - c))
    base = analyze(f)
    moved = analyze(f.subs(X, X - k))
    assert [p.at + k for p in base.points] == [p.at for p in moved.points]
    assert [(p.kind, p.left_derivative, p.right_derivative) for p in base.points] == [
        (p.kind, p.left_derivative, p.right_derivative) for p in moved.points]


@settings(max_examples=30, deadline=None)
@given(lo=st.lists(st.integers(-3, 3), min_size=3, max_size=3),
       hi=st.lists(st.integers(-3, 3), min_size=3, max_size=3), c=rationals)
def test_piecewise_join(lo: list[int], hi: list[int], c: sympy.Rational) -> None:
    """Two quadratics joined at c: continuous iff values match, differentiable iff
    values and slopes match."""
    p = lo[0] + lo[1] * (X - c) + lo[2] * (X - c) ** 2
    q = hi[0] + hi[1] * (X - c) + hi[2] * (X - c) ** 2
    f = sympy.Piecewise((p, c > X), (q, True))
    [point] = [r for r in analyze(f, at=[c]).points if r.at == c]
    if lo[0] != hi[0]:
        assert point.kind is Kind.JUMP
    elif lo[1] != hi[1]:
        assert point.kind is Kind.CORNER
        assert (point.left_derivative, point.right_derivative) == (lo[1], hi[1])
    else:
        assert point.kind is Kind.DIFFERENTIABLE
        assert point.derivative == lo[1]


def test_report_invariants_on_a_corpus() -> None:
    corpus = ["Max(0, x)", "Abs(x)*x", "floor(x)", "sqrt(x)", "1/x", "Max(x, x**2)",
              "Piecewise((x**2, x < 1), (2*x, True))", "Abs(x**2 - 1)", "x**(2/3)"]
    for text in corpus:
        analysis = analyze(text, domain="[-3, 3]")
        ats = [float(p.at) for p in analysis.points]
        assert ats == sorted(ats), text
        for p in analysis.points:
            if p.differentiable:
                assert p.left_derivative == p.right_derivative == p.derivative, (text, p)
                assert p.continuous is True
            if p.continuous is False:
                assert p.differentiable is False, (text, p)
