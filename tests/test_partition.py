"""Discovery by composition over intervals (diffcheck.engine.partition).

Two kinds of evidence:

* ground truth: random ReLU / leaky-ReLU / hardtanh networks of depth 1-3 with
  rational weights, nested Abs/Max/Min of polynomials and Piecewise functions
  of depth 3, whose kinks are computed here *independently*, with a small
  evaluator of our own over exact rationals: every switch of a node is a
  polynomial on each interval between its children's breakpoints, recovered by
  interpolating exact values (``sympy.interpolate``) and solved with
  ``Poly.real_roots``; the one-sided slopes are the derivatives of the
  interpolated pieces.  diffcheck must report exactly those kinks (no missed
  one, no extra one) with those one-sided derivatives;
* the same report as SymPy's path: with the partition switched off
  (``discovery.USE_PARTITION``), every report is identical, and the
  partition's branch-free forms and values equal ``resolve``/``value_at``.
"""

from __future__ import annotations

import itertools
import json
import random
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diffcheck import analyze
from diffcheck.engine import discovery
from diffcheck.engine.limits import resolve, value_at
from diffcheck.engine.partition import Partition, Unsupported, zeros

X = sympy.Symbol("x", real=True)
SETTINGS = settings(max_examples=10, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- an independent model: trees over exact rationals ---------------------------------


@dataclass(eq=False)
class Node:
    """op in x, c, add, mul, max, min, abs, pw (Piecewise((a, s < 0), (b, True)))."""

    op: str
    args: tuple[Node, ...] = ()
    c: Fraction = Fraction(0)
    memo: dict[str, Any] = field(default_factory=dict)


def const(c: Fraction | int) -> Node:
    return Node("c", c=Fraction(c))


def degree(n: Node) -> int:
    if n.op == "x":
        return 1
    if n.op == "c":
        return 0
    if n.op == "mul":
        return degree(n.args[0]) + degree(n.args[1])
    if n.op == "pw":
        return max(degree(n.args[1]), degree(n.args[2]))
    return max(degree(a) for a in n.args)


def evaluate(n: Node, t: Fraction, cache: dict[int, Fraction] | None = None) -> Fraction:
    """n(t) by direct exact evaluation (Piecewise: the first piece when s(t) < 0)."""
    cache = {} if cache is None else cache
    if id(n) in cache:
        return cache[id(n)]
    v = [evaluate(a, t, cache) for a in (n.args if n.op != "pw" else n.args[:1])]
    if n.op == "x":
        out = t
    elif n.op == "c":
        out = n.c
    elif n.op == "add":
        out = v[0] + v[1]
    elif n.op == "mul":
        out = v[0] * v[1]
    elif n.op == "max":
        out = max(v)
    elif n.op == "min":
        out = min(v)
    elif n.op == "abs":
        out = abs(v[0])
    else:
        out = evaluate(n.args[1] if v[0] < 0 else n.args[2], t, cache)
    cache[id(n)] = out
    return out


def to_sympy(n: Node) -> sympy.Expr:
    if "sympy" not in n.memo:
        a = [to_sympy(c) for c in n.args]
        n.memo["sympy"] = {
            "x": lambda: X, "c": lambda: sympy.Rational(n.c.numerator, n.c.denominator),
            "add": lambda: a[0] + a[1], "mul": lambda: a[0] * a[1],
            "max": lambda: sympy.Max(*a), "min": lambda: sympy.Min(*a),
            "abs": lambda: sympy.Abs(a[0]),
            "pw": lambda: sympy.Piecewise((a[1], a[0] < 0), (a[2], True)),
        }[n.op]()
    return n.memo["sympy"]  # type: ignore[no-any-return]


def _between(lo: sympy.Expr | None, hi: sympy.Expr | None, k: int) -> list[Fraction]:
    """k distinct rationals strictly inside (lo, hi) (None: unbounded)."""
    if lo is None and hi is None:
        return [Fraction(i) for i in range(k)]
    if lo is None:
        top = Fraction(float(hi)) - 1  # type: ignore[arg-type]
        return [top - i for i in range(k)]
    if hi is None:
        bottom = Fraction(float(lo)) + 1
        return [bottom + i for i in range(k)]
    a, b = Fraction(float(lo)), Fraction(float(hi))
    out = [a + (b - a) * Fraction(i + 1, k + 1) for i in range(k)]
    assert all(lo < sympy.Rational(t.numerator, t.denominator) < hi for t in out)
    return out


def piece(n: Node, lo: sympy.Expr | None, hi: sympy.Expr | None) -> sympy.Poly:
    """The polynomial equal to n on (lo, hi), when n is one there: interpolation."""
    ts = _between(lo, hi, degree(n) + 1)
    data = [(sympy.Rational(t.numerator, t.denominator), sympy.Rational(evaluate(n, t).numerator,
                                                                        evaluate(n, t).denominator))
            for t in ts]
    return sympy.Poly(sympy.interpolate(data, X) if len(data) > 1 else data[0][1], X)


def breaks(n: Node) -> list[sympy.Expr]:
    """Every point where some node below n switches, sorted (exact algebraic numbers)."""
    if "breaks" in n.memo:
        return n.memo["breaks"]  # type: ignore[no-any-return]
    children = sorted({b for a in n.args for b in breaks(a)}, key=lambda v: sympy.N(v, 40))
    switch = {"max": lambda: Node("add", (n.args[0], Node("mul", (const(-1), n.args[1])))),
              "min": lambda: Node("add", (n.args[0], Node("mul", (const(-1), n.args[1])))),
              "abs": lambda: n.args[0], "pw": lambda: n.args[0]}.get(n.op)
    new = set(children)
    if switch is not None:
        s = switch()
        ends: list[sympy.Expr | None] = [None, *children, None]
        for lo, hi in itertools.pairwise(ends):
            p = piece(s, lo, hi)
            if p.is_zero:
                continue
            for r in p.real_roots():
                if (lo is None or r > lo) and (hi is None or r < hi):
                    new.add(r)
    out = sorted(new, key=lambda v: sympy.N(v, 40))
    n.memo["breaks"] = out
    return out


@dataclass(frozen=True)
class Kink:
    at: sympy.Expr
    continuous: bool
    left: sympy.Expr  # one-sided derivatives of the pieces (meaningful when continuous)
    right: sympy.Expr


def truth(f: Node) -> list[Kink]:
    """The points where f is not differentiable, with their one-sided slopes."""
    bs = breaks(f)
    ends: list[sympy.Expr | None] = [None, *bs, None]
    pieces = [piece(f, lo, hi) for lo, hi in itertools.pairwise(ends)]
    out = []
    for i, c in enumerate(bs):
        left, right = pieces[i], pieces[i + 1]
        lval, rval = left.as_expr().subs(X, c), right.as_expr().subs(X, c)
        if c.is_Rational:
            v = evaluate(f, Fraction(int(c.p), int(c.q)))
            value = sympy.Rational(v.numerator, v.denominator)
        else:
            value = lval  # discontinuities only at rational Piecewise conditions
        continuous = _same(lval, value) and _same(rval, value)
        dl = left.diff(X).as_expr().subs(X, c)
        dr = right.diff(X).as_expr().subs(X, c)
        if not continuous or not _same(dl, dr):
            out.append(Kink(c, continuous, dl, dr))
    return out


def _same(a: sympy.Expr, b: sympy.Expr) -> bool:
    return bool(abs(sympy.N(a - b, 50)) < sympy.Float("1e-40"))


def assert_matches(f: Node) -> None:
    expected = truth(f)
    report = analyze(to_sympy(f), timeout=30)
    assert not report.candidate_sets, report.candidate_sets
    found = [p for p in report.points if p.differentiable is not True]
    assert [p.differentiable for p in found] == [False] * len(found), found
    assert len(found) == len(expected), (
        [str(p.at) for p in found], [str(k.at) for k in expected])
    for p, k in zip(found, expected, strict=True):
        assert _same(p.at, k.at), (p, k)
        assert p.continuous is k.continuous, (p, k)
        if k.continuous:
            assert p.kind.value == "corner", p
            assert _same(p.left_derivative, k.left), (p, k)
            assert _same(p.right_derivative, k.right), (p, k)
    for p in report.points:  # the cleared candidates: f' is the pieces' common slope
        if p.differentiable:
            assert p.derivative is not None


# --- generators -------------------------------------------------------------------------


def network(rng: random.Random, widths: list[int], activation: str) -> Node:
    def act(z: Node) -> Node:
        if activation == "relu":
            return Node("max", (const(0), z))
        if activation == "leaky":
            return Node("max", (z, Node("mul", (const(Fraction(1, 8)), z))))
        return Node("min", (const(1), Node("max", (const(-1), z))))  # hardtanh

    def weight() -> Fraction:
        return Fraction(rng.choice([-3, -2, -1, 1, 2, 3]), rng.randint(1, 4))

    layer = [Node("x")]
    for width in widths:
        new = []
        for _ in range(width):
            z: Node = const(Fraction(rng.randint(-12, 12), rng.randint(1, 4)))
            for u in layer:
                z = Node("add", (z, Node("mul", (const(weight()), u))))
            new.append(act(z))
        layer = new
    out: Node = const(0)
    for u in layer:
        out = Node("add", (out, Node("mul", (const(weight()), u))))
    return out


@pytest.mark.parametrize("activation", ["relu", "leaky", "hardtanh"])
@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("seed", [0, 1, pytest.param(2, marks=pytest.mark.slow),
                                  pytest.param(3, marks=pytest.mark.slow)])
def test_random_network_kinks_are_exact(activation: str, depth: int, seed: int) -> None:
    rng = random.Random(1000 * depth + seed)
    widths = [rng.randint(2, 4) for _ in range(depth)]
    assert_matches(network(rng, widths, activation))


@st.composite
def polynomials(draw: st.DrawFn, degree: int = 2) -> Node:
    """A product of at most ``degree`` rational linear factors, times a rational constant."""
    out: Node = const(Fraction(draw(st.integers(-3, 3).filter(bool)), draw(st.integers(1, 3))))
    for _ in range(draw(st.integers(1, degree))):
        r = Fraction(draw(st.integers(-6, 6)), draw(st.integers(1, 3)))
        out = Node("mul", (out, Node("add", (Node("x"), const(-r)))))
    return out


def trees(depth: int, degree: int) -> st.SearchStrategy[Node]:
    if depth == 0:
        return polynomials(degree)
    sub = trees(depth - 1, degree)
    return st.one_of(
        st.builds(lambda a, b: Node("max", (a, b)), sub, sub),
        st.builds(lambda a, b: Node("min", (a, b)), sub, sub),
        st.builds(lambda a: Node("abs", (a,)), sub),
        st.builds(lambda a, c: Node("add", (Node("abs", (a,)), const(-c))), sub,
                  st.integers(0, 4)),
    )


@SETTINGS
@given(trees(3, 1))
def test_nested_abs_max_of_linear_functions(f: Node) -> None:
    assert_matches(f)


# Quadratics make irrational crossings: those nodes are left to SymPy's path (slow).
@pytest.mark.slow
@settings(SETTINGS, max_examples=10)
@given(trees(3, 2))
def test_nested_abs_max_of_polynomials(f: Node) -> None:
    assert_matches(f)


@st.composite
def piecewise3(draw: st.DrawFn, depth: int = 3, degree: int = 1) -> Node:
    """Piecewise((a, x - r < 0), (b, True)) nested to the given depth, with Abs/Max inside."""
    if depth == 0:
        p = draw(polynomials(degree))
        return Node("abs", (p,)) if draw(st.booleans()) else p
    r = Fraction(draw(st.integers(-8, 8)), draw(st.integers(1, 2)))
    cond = Node("add", (Node("x"), const(-r)))
    a, b = draw(piecewise3(depth - 1, degree)), draw(piecewise3(depth - 1, degree))
    if draw(st.booleans()):
        b = Node("max", (a, b))
    return Node("pw", (cond, a, b))


@SETTINGS
@given(piecewise3())
def test_piecewise_of_depth_three(f: Node) -> None:
    assert_matches(f)


@pytest.mark.slow
@settings(SETTINGS, max_examples=10)
@given(piecewise3(degree=2))
def test_piecewise_of_depth_three_with_quadratics(f: Node) -> None:
    assert_matches(f)


# --- the same report as SymPy's path ----------------------------------------------------

SAME = [
    "Max(0, Max(0, x) - 1)", "Abs(Abs(Abs(x) - 1) - 1) - 1", "Max(0, Max(0, x))",
    "Max(x, 2*x)", "Max(0, x, x - 1)", "Min(Abs(x**2 - 1), Max(x, -x))",
    "Piecewise((x**2, x < 0), (Abs(x - 1), x < 2), (Max(0, 3 - x), True))",
    "Heaviside(x - 1)*x + sign(x)", "Piecewise((1, Eq(x, 0)), (x, True))",
    "Abs(x**2 - 2)", "Max(0, Abs(x) - 1, x**2/4)", "Max(0, x)**2 + Abs(x)**3",
    "3*Max(0, 2*x + 1) - Max(0, -x + 4) + Max(0, Max(0, 2*x + 1) - 2*Max(0, -x + 4) + 1)",
    "Heaviside(Max(0, x) - 1, 1) + Abs(x)", "Min(1, Max(-1, 3*x - 1)) + Abs(x + 2)",
]


@pytest.mark.parametrize("expr", SAME)
@pytest.mark.parametrize("domain", [None, "[-1, 2]"])
def test_partition_gives_the_same_report(expr: str, domain: str | None,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    reports = []
    for use in (True, False):
        monkeypatch.setattr(discovery, "USE_PARTITION", use)
        reports.append(json.dumps(analyze(expr, domain=domain, at=["1/3"]).to_dict(),
                                  sort_keys=True, default=str))
    assert reports[0] == reports[1]


@pytest.mark.parametrize("expr", SAME)
def test_forms_and_values_are_resolve_and_value_at(expr: str) -> None:
    from diffcheck.language.parsing import parse_expression

    f = parse_expression(expr)
    part = Partition(X)
    try:
        pw = part.of(f)
    except Unsupported:
        pytest.skip("outside the class (left to SymPy)")
    points = sorted({*pw.breaks, Fraction(1, 3), Fraction(-7, 2)})
    for t in points:
        a = sympy.Rational(t.numerator, t.denominator)
        v = part.value(f, t)
        assert (None if v is None else sympy.Rational(v.numerator, v.denominator)) == \
            value_at(f, X, a)
        for side in (-1, 1):
            assert part.form(f, a, side) == resolve(f, X, a, side)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        pytest.param("Abs(Abs(Abs(x) - 1) - 1) - 1", "{-3, -1, 1, 3}", id="nested-abs"),
        pytest.param("Max(0, x - 1)", "Interval(-oo, 1)", id="vanishing-span"),
        pytest.param("Max(0, Abs(x) - 1)", "Interval(-1, 1)", id="bounded-span"),
        pytest.param("x**2 - x", "{0, 1}", id="rational-roots"),
        pytest.param("Piecewise((x, x < 0), (x - 1, True))", "{1}", id="jump-not-a-zero"),
        pytest.param("Piecewise((x, x < 0), (0, x < 2), (x - 3, True))",
                     "Union({3}, Interval(0, 2))", id="span-ending-at-a-jump"),
    ],
)
def test_zeros(expr: str, expected: str) -> None:
    from diffcheck.language.parsing import parse_expression

    assert str(zeros(Partition(X), parse_expression(expr))) == expected


@pytest.mark.parametrize("expr", ["Abs(x**2 - 2)", "sin(Max(0, x))", "Max(0, x + pi)",
                                  "Abs(x)**(1/3)"])
def test_outside_the_class(expr: str) -> None:
    from diffcheck.language.parsing import parse_expression

    with pytest.raises(Unsupported):
        Partition(X).of(parse_expression(expr))
