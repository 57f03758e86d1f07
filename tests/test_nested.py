"""Nested Abs/Max/Min: every kink is found (SymPy's solveset misses zeros of nested Abs).

Functions built from x by ``|g - c|``, ``Max(g, c)`` and ``Min(g, c)`` with
integer c have slopes +-1 or 0 and kinks only at integers, so the truth is
computed exactly by comparing slopes on unit intervals.
"""

from __future__ import annotations

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diffcheck import Kind, analyze

X = sympy.Symbol("x", real=True)
WINDOW = range(-8, 9)


def kinks(f: sympy.Expr) -> set[int]:
    """The integers in WINDOW where the slope changes (exact, from unit intervals)."""
    def slope(k: int) -> sympy.Expr:  # the slope on (k, k + 1)
        a, b = sympy.Rational(4 * k + 1, 4), sympy.Rational(4 * k + 3, 4)
        return (f.subs(X, b) - f.subs(X, a)) * 2
    return {k for k in WINDOW if slope(k - 1) != slope(k)}


CASES = [
    pytest.param("Abs(Abs(Abs(Abs(x) - 1) - 1) - 1)", {-3, -2, -1, 0, 1, 2, 3}, id="abs-depth-4"),
    pytest.param("Min(Abs(Abs(Abs(x) - 2) - 2), 1)", {-5, -4, -3, -1, 0, 1, 3, 4, 5},
                 id="min-of-nested-abs"),
    pytest.param("Abs(Abs(Abs(Max(x, 1) - 2) - 1) - 2)", {1, 2, 3, 5}, id="abs-of-max"),
]


@pytest.mark.parametrize(("expr", "expected"), CASES)
def test_nested_kinks(expr: str, expected: set[int]) -> None:
    analysis = analyze(expr, domain="[-8, 8]")
    bad = {int(p.at) for p in analysis.points if p.kind is Kind.CORNER}
    assert bad == expected == kinks(analysis.expression)
    assert analysis.differentiable_on == sympy.Complement(
        sympy.Interval(-8, 8), sympy.FiniteSet(*expected), evaluate=False)


@st.composite
def nested(draw: st.DrawFn) -> sympy.Expr:
    f: sympy.Expr = X
    for _ in range(draw(st.integers(2, 5))):
        c = draw(st.integers(-3, 3))
        wrap = draw(st.sampled_from(["abs", "abs", "max", "min"]))
        f = {"abs": sympy.Abs(f - c), "max": sympy.Max(f, c), "min": sympy.Min(f, c)}[wrap]
    return f


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(nested())
def test_nested_kinks_property(f: sympy.Expr) -> None:
    analysis = analyze(f, domain="[-8, 8]")
    found = {p.at for p in analysis.points if p.differentiable is False}
    undecided = {p.at for p in analysis.points if p.differentiable is None}
    assert not undecided, analysis.points
    assert found == {sympy.Integer(k) for k in kinks(f)}, f
