"""The exact shortcuts (``single.FAST_PATHS``) give the same analysis as the general path.

With the shortcuts on and off, the same input must give the same JSON, the same
f' formula and cases (as SymPy objects), and the same derivation at every point
(which the JSON does not carry), over the random networks, nested Abs/Max of
polynomials and depth-3 Piecewise functions of ``test_partition`` and the table
of cases of ``test_analysis``.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from test_analysis import ABS_SIGN, MAX_MIN, PIECEWISE, ROOTS_POLES, SMOOTH_POINTS, STEPS
from test_partition import SAME, SETTINGS, Node, network, piecewise3, to_sympy, trees

from diffcheck import analyze
from diffcheck.analysis import single
from diffcheck.engine.spans import case_sets

X = sympy.Symbol("x", real=True)


def _both(expr: str | sympy.Expr, domain: str | None = None) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for fast in (True, False):
        with pytest.MonkeyPatch.context() as m:
            m.setattr(single, "FAST_PATHS", fast)
            a = analyze(expr, domain=domain)
        out.append((json.dumps(a.to_dict(), sort_keys=True, default=str),
                     a.derivative_piecewise, a.derivative_cases,
                     tuple(p.derivation for p in a.points)))
    return out


def assert_same(expr: str | sympy.Expr, domain: str | None = None) -> None:
    fast, general = _both(expr, domain)
    assert fast == general, expr


@pytest.mark.parametrize("activation", ["relu", "leaky", "hardtanh"])
@pytest.mark.parametrize("depth", [1, 2, 3])
def test_random_networks(activation: str, depth: int) -> None:
    rng = random.Random(7000 + depth)
    widths = [rng.randint(2, 4) for _ in range(depth)]
    assert_same(to_sympy(network(rng, widths, activation)))


def test_a_wide_network_in_a_window() -> None:
    rng = random.Random(5)
    assert_same(to_sympy(network(rng, [12], "relu")), "[-3, 2]")


@SETTINGS
@given(trees(3, 1))
def test_nested_abs_max_of_linear_functions(f: Node) -> None:
    assert_same(to_sympy(f))


@pytest.mark.slow
@SETTINGS
@given(trees(2, 2))
def test_nested_abs_max_of_polynomials(f: Node) -> None:
    assert_same(to_sympy(f))


@SETTINGS
@given(piecewise3())
def test_piecewise_of_depth_three(f: Node) -> None:
    assert_same(to_sympy(f))


@pytest.mark.parametrize("expr", SAME)
@pytest.mark.parametrize("domain", [None, "[-1, 2]", "(0, 5/2]"])
def test_partition_cases(expr: str, domain: str | None) -> None:
    assert_same(expr, domain)


TABLE = sorted({c.values[0] for c in MAX_MIN + ABS_SIGN + PIECEWISE + STEPS + ROOTS_POLES
                + SMOOTH_POINTS})


@pytest.mark.slow
@pytest.mark.parametrize("expr", TABLE)
def test_table_of_cases(expr: str) -> None:
    assert_same(expr)


@pytest.mark.parametrize(
    ("conditions", "window", "expected"),
    [
        pytest.param([X < 0, X >= 0], sympy.S.Reals,
                     [sympy.Interval.open(-sympy.oo, 0), sympy.Interval(0, sympy.oo)],
                     id="halves"),
        pytest.param([sympy.Eq(X, 1), X < 1, (X > 1) & (X <= 3)], sympy.Interval(0, 2),
                     [sympy.FiniteSet(1), sympy.Interval.Ropen(0, 1), sympy.Interval.Lopen(1, 2)],
                     id="point-first"),
        pytest.param([X < -5, X > -5], sympy.Interval(0, 2),
                     [None, sympy.Interval(0, 2)], id="outside-the-window"),
        pytest.param([X <= 0, sympy.true], sympy.S.Reals,
                     [sympy.Interval(-sympy.oo, 0), sympy.Interval.open(0, sympy.oo)],
                     id="overlap"),
        pytest.param([sympy.Eq(X, 0), sympy.Or(X > 0, X < 0)], sympy.Interval(-1, 1),
                     [sympy.FiniteSet(0), sympy.Union(sympy.Interval.Ropen(-1, 0),
                                                      sympy.Interval.Lopen(0, 1))],
                     id="or-around-a-point"),
        pytest.param([X > 0, sympy.Or(X < -1, X > 2), sympy.true], sympy.S.Reals,
                     [sympy.Interval.open(0, sympy.oo), sympy.Interval.open(-sympy.oo, -1),
                      sympy.Interval(-1, 0)], id="or-partly-taken"),
        pytest.param([sympy.Lt(X, sympy.pi)], sympy.S.Reals, None, id="irrational-end"),
        pytest.param([X < 1], sympy.Interval(0, sympy.pi), None, id="irrational-window"),
        pytest.param([X**2 < 1], sympy.S.Reals, None, id="not-an-interval"),
    ],
)
def test_case_sets(conditions: list[sympy.Basic], window: sympy.Set,
                   expected: list[sympy.Set | None] | None) -> None:
    assert case_sets(conditions, X, window) == expected


@pytest.mark.parametrize("seed", range(8))
def test_case_sets_are_sympy_sets(seed: int) -> None:
    """Random disjoint rational intervals: the sets SymPy computes, condition by condition."""
    rng = random.Random(seed)
    ends = sorted({Fraction(rng.randint(-20, 20), rng.randint(1, 3)) for _ in range(8)})
    conditions: list[sympy.Basic] = []
    for lo, hi in zip([None, *ends], [*ends, None], strict=True):
        parts = []
        if lo is not None:
            parts.append(sympy.Ge(X, lo) if rng.random() < 0.3 else sympy.Gt(X, lo))
        if hi is not None:
            parts.append(sympy.Lt(X, hi))
        conditions.append(sympy.And(*parts))
    conditions += [sympy.Or(sympy.Lt(X, ends[0]), sympy.Ge(X, ends[-1])), sympy.true]
    rng.shuffle(conditions)
    window = sympy.Interval(rng.randint(-8, 0), rng.randint(1, 8), rng.random() < 0.5)
    taken: sympy.Set = sympy.S.EmptySet
    expected: list[sympy.Set | None] = []
    for c in conditions:
        where = c.as_set().intersect(window) - taken
        taken = taken | where
        expected.append(None if where.is_empty else where)
    assert case_sets(conditions, X, window) == expected
