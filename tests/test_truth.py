"""No wrong verdict on harder inputs (issue 14): one table per class of failure.

1. candidates SymPy cannot decide a property of (``erfinv(1/2).is_finite``);
2. SymPy's own rewrites (``cos(pi*floor(x))`` -> ``(-1)**floor(x)``);
3. interval answers (``AccumBounds``) from ``limit``;
6. one point reached in two spellings;
8. transcendental roots in a bounded window.

Every row states what the definition gives, worked out by hand.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import sympy

from diffcheck import analyze
from diffcheck.engine.limits import numeric, real_number

X = sympy.Symbol("x", real=True)


def row(expr: str, at: str | None, kind: str, id: str, *, domain: str | None = None,
        **expected: Any) -> Any:
    return pytest.param(expr, at, kind, domain, expected, id=id)


def check(expr: str, at: str | None, kind: str, domain: str | None,
          expected: dict[str, Any]) -> None:
    """The point numerically equal to ``at`` is found (by discovery alone when the
    row says so) and has the kind and fields given."""
    analysis = analyze(expr, domain=domain, at=[at] if at and expected.pop("ask", False) else [])
    target = float(numeric(sympy.sympify(at), 30)) if at is not None else None
    found = [p for p in analysis.points
             if target is not None and abs(float(numeric(p.at, 30)) - target) < 1e-9]
    dump = json.dumps(analysis.to_dict(), indent=1, default=str)
    if kind == "none":
        assert found == [], f"{expr}: {at} should not be a point\n{dump}"
        return
    assert len(found) == 1, f"{expr}: expected exactly one point at {at}\n{dump}"
    d = found[0].to_dict()
    names = {"left": "left_derivative", "right": "right_derivative"}
    actual = {k: d[names.get(k, k)] for k in expected} | {"kind": d["kind"]}
    assert actual == expected | {"kind": kind}, f"{expr} at {at}:\n{json.dumps(d, indent=1)}"


# --- class 1: a candidate is never dropped on an undecided property ----------------------

UNDECIDED = [
    row("Min(erf(x), 1/2)", "erfinv(1/2)", "corner", "min-erf", domain="[-3, 3]", right="0"),
    row("Abs(erf(x)**2 - 1/4)", "erfinv(1/2)", "corner", "abs-erf-squared-right",
        domain="[-3, 3]"),
    row("Abs(erf(x)**2 - 1/4)", "erfinv(-1/2)", "corner", "abs-erf-squared-left",
        domain="[-3, 3]"),
    row("Piecewise((0, erf(x) < 1/2), (1, True))", "erfinv(1/2)", "jump", "piecewise-erf",
        domain="[-3, 3]", left_limit="0", right_limit="1"),
    row("Max(erfc(x), 1/3)", "erfcinv(1/3)", "corner", "max-erfc", domain="[-3, 3]"),
    row("Abs(erf(2*x) - 1/3)", "erfinv(1/3)/2", "corner", "abs-erf-scaled", domain="[-2, 2]"),
]


@pytest.mark.parametrize(("expr", "at", "kind", "domain", "expected"), UNDECIDED)
def test_undecided_property_keeps_the_candidate(expr: str, at: str, kind: str,
                                               domain: str | None,
                                               expected: dict[str, Any]) -> None:
    check(expr, at, kind, domain, expected)


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("erfinv(1/2)", True, id="erfinv"),
    pytest.param("sqrt(2) + pi", True, id="plain"),
    pytest.param("erfinv(3)", None, id="erfinv-outside"),
])
def test_real_number(text: str, expected: bool | None) -> None:
    c = sympy.sympify(text)
    assert real_number(c) is expected


def test_real_number_rejects_complex_and_infinite() -> None:
    assert real_number(sympy.I + 1) is False
    assert real_number(sympy.zoo) is False
    assert real_number(sympy.sqrt(-2) + sympy.erfinv(sympy.Rational(1, 2))) is False


# --- class 3: an AccumBounds proves nothing ---------------------------------------------

INTERVALS = [
    row("sin(1/x)**2 + cos(1/x)**2", "0", "removable", "pythagoras-in-1/x",
        left_limit="1", right_limit="1"),
    row("2*sin(1/x)*cos(1/x) - sin(2/x)", "0", "removable", "double-angle-in-1/x",
        left_limit="0", right_limit="0"),
    row("Piecewise((sin(1/x)**2 + cos(1/x)**2, x != 0), (1, True))", "0", "differentiable",
        "pythagoras-filled", derivative="0", ask=True),
    row("Piecewise((x*(2*sin(1/x)*cos(1/x) - sin(2/x)) + x, x != 0), (0, True))", "0",
        "differentiable", "identity-times-x", derivative="1"),
    row("cos(1/x)**2 - 1 + sin(1/x)**2 + x", "0", "removable", "identity-plus-x",
        left_limit="0", right_limit="0"),
    # real oscillation, proven along two sequences
    row("sin(1/x)", "0", "oscillating", "sin-1/x"),
    row("sin(1/x**2)", "0", "oscillating", "sin-1/x2"),
    row("exp(sin(1/x))", "0", "oscillating", "exp-sin-1/x"),
    row("Piecewise((sin(1/x), x != 0), (0, True))", "0", "oscillating", "sin-filled",
        continuous=False),
    row("Piecewise((x*sin(1/x), x != 0), (0, True))", "0", "oscillating", "x-sin-filled",
        continuous=True),
    row("Piecewise((x*cos(1/x)**2, x != 0), (0, True))", "0", "oscillating",
        "x-cos-squared-filled", continuous=True),
    row("Piecewise((x**2*sin(1/x), x != 0), (0, True))", "0", "differentiable",
        "x2-sin-filled", derivative="0"),
]


@pytest.mark.parametrize(("expr", "at", "kind", "domain", "expected"), INTERVALS)
def test_interval_limits(expr: str, at: str, kind: str, domain: str | None,
                         expected: dict[str, Any]) -> None:
    check(expr, at, kind, domain, expected)


def test_interval_without_proof_is_unknown() -> None:
    """SymPy's <-1, 1> for a limit that exists is never read as oscillation."""
    from diffcheck.engine.limits import _oscillates

    # x*sin(1/x) -> 0: every sequence gives 0, so there is no proof.
    assert _oscillates(X * sympy.sin(1 / X), X, sympy.S.Zero, 1) is False
    assert _oscillates(sympy.sin(1 / X) ** 2 + sympy.cos(1 / X) ** 2, X, sympy.S.Zero, -1) is False
    assert _oscillates(sympy.cos(1 / X), X, sympy.S.Zero, -1) is True


# --- class 2: SymPy's automatic rewrites --------------------------------------------------

REWRITES = [
    # cos(pi*floor(x)) is (-1)**floor(x): real, 1 on [0, 1)
    row("cos(pi*floor(x))", "1/2", "differentiable", "cos-pi-floor-inside", derivative="0",
        value="1", ask=True),
    row("cos(pi*floor(x))", "1", "jump", "cos-pi-floor-step", left_limit="1",
        right_limit="-1", domain="[-2, 2]"),
    row("cos(pi*sign(x))", "0", "removable", "cos-pi-sign", value="1", left_limit="-1",
        right_limit="-1"),
    row("cos(pi*sign(x))", "1/2", "differentiable", "cos-pi-sign-away", derivative="0",
        ask=True),
    row("x*cos(pi*floor(x))", "0", "corner", "x-cos-pi-floor", left="-1", right="1",
        domain="[-2, 2]"),
    row("x*cos(pi*floor(x))", "-1/2", "differentiable", "x-cos-pi-floor-away",
        derivative="-1", value="1/2", ask=True),
    row("(-1)**floor(x)", "3/2", "differentiable", "minus-one-power-floor", value="-1",
        derivative="0", ask=True),
    row("(-2)**floor(x)", "-1", "jump", "minus-two-power-floor", value="-1/2",
        left_limit="1/4", right_limit="-1/2", domain="[-2, 2]"),
    row("cos(pi*ceiling(x))*x**2", "1/3", "differentiable", "cos-pi-ceiling", value="-1/9",
        derivative="-2/3", ask=True),
    # roots whose radicand SymPy factors: the isolated zero stays a zero of the root
    row("sqrt(x**2*(x - 1))", "0", "undefined", "sqrt-isolated-point", value="0",
        continuous=None),
    row("sqrt(x**4*(x - 1))", "0", "undefined", "sqrt-isolated-point-4", value="0"),
    row("sqrt(-x**2)", "0", "undefined", "sqrt-minus-square", value="0"),
    row("sqrt(x**2*(x - 1))", "1", "endpoint", "sqrt-isolated-endpoint", right="oo"),
    row("sqrt(x**4*(x + 1))", "0", "differentiable", "sqrt-x4-inside", derivative="0",
        value="0"),
    row("(x**2*(x - 2))**(3/2)", "0", "undefined", "three-halves-isolated", value="0"),
]


@pytest.mark.parametrize(("expr", "at", "kind", "domain", "expected"), REWRITES)
def test_rewrites(expr: str, at: str, kind: str, domain: str | None,
                  expected: dict[str, Any]) -> None:
    check(expr, at, kind, domain, expected)


@pytest.mark.parametrize(("text", "shown"), [
    pytest.param("(-1)**floor(x)", "(-1)**floor(x)", id="minus-one-floor"),
    pytest.param("sqrt(-x**2)", "sqrt(-x**2)", id="sqrt-minus-square"),
    pytest.param("sqrt(x**2*(x - 1))", "sqrt(x**2*(x - 1))", id="sqrt-factored"),
    pytest.param("sqrt(4*x)", "2*sqrt(x)", id="harmless-split-kept"),
    pytest.param("sqrt(x**2)", "Abs(x)", id="abs"),
])
def test_parser_accepts_real_powers(text: str, shown: str) -> None:
    from diffcheck.language.parsing import parse_expression

    assert str(parse_expression(text)) == shown


@pytest.mark.parametrize("text", [
    pytest.param("(-1)**x", id="real-exponent"),
    pytest.param("(-1)**(x/2)", id="half-exponent"),
])
def test_parser_still_refuses_complex_powers(text: str) -> None:
    from diffcheck.errors import InputError
    from diffcheck.language.parsing import parse_expression

    with pytest.raises(InputError, match="not real"):
        parse_expression(text)


# --- class 6: one number, one point ----------------------------------------------------

SPELLINGS = [
    pytest.param("Abs(x**3 - 3*x + 1)", "2*cos(2*pi/9)", "CRootOf(x**3 - 3*x + 1, 2)",
                 "corner", id="crootof-vs-cosine"),
    pytest.param("Abs(x**2 - 2)", "2/sqrt(2)", "sqrt(2)", "corner", id="radical-spellings"),
    pytest.param("Max(x, 1/2)", "sin(pi/6)", "1/2", "corner", id="trig-rational"),
    pytest.param("Abs(x**3 - 2)", "2**(1/3)", "2**(1/3)", "corner", id="cube-root"),
]


@pytest.mark.parametrize(("expr", "at", "shown", "kind"), SPELLINGS)
def test_one_number_one_point(expr: str, at: str, shown: str, kind: str) -> None:
    analysis = analyze(expr, at=[at])
    target = float(numeric(sympy.sympify(at), 30))
    near = [p for p in analysis.points if abs(float(numeric(p.at, 30)) - target) < 1e-9]
    assert [(str(p.at), p.kind.value) for p in near] == [(shown, kind)]
    assert near[0].sources, "the merged point keeps discovery's sources"


@pytest.mark.parametrize(("p", "q", "same"), [
    pytest.param("CRootOf(x**3 - 3*x + 1, 2)", "2*cos(2*pi/9)", True, id="crootof-cos"),
    pytest.param("CRootOf(x**3 - 3*x + 1, 1)", "2*cos(2*pi/9)", False, id="other-root"),
    pytest.param("CRootOf(x**2 - 2, 1)", "sqrt(2)", True, id="crootof-sqrt"),
    pytest.param("sqrt(2) + sqrt(3)", "sqrt(5 + 2*sqrt(6))", True, id="denested"),
    pytest.param("pi", "355/113", False, id="close-but-not"),
])
def test_same_number(p: str, q: str, same: bool) -> None:
    from diffcheck.engine.limits import same_number

    x = sympy.Symbol("x")
    assert same_number(sympy.sympify(p, locals={"x": x}), sympy.sympify(q)) is same


# --- class 8: transcendental roots in a bounded window, certified ---------------------------

ROOTS = [
    row("Max(x, cos(x))", "0.7390851332151607", "corner", "dottie", domain="[-3, 3]"),
    row("Abs(exp(x) - x - 2)", "1.1461932206205825", "corner", "exp-minus-linear",
        domain="[-3, 3]"),
    row("Abs(exp(x) - x - 2)", "-1.8414056604369606", "corner", "exp-minus-linear-left",
        domain="[-3, 3]"),
    row("Max(log(x), 1 - x)", "1", "corner", "log-exact-root", domain="[1/4, 2]",
        left="-1", right="1"),
    row("Abs(sin(x**2))", "1.7724538509055159", "corner", "sin-square", domain="[1/4, 2]"),
    row("Piecewise((0, x < cos(x)), (1, True))", "0.7390851332151607", "jump",
        "piecewise-dottie", domain="[0, 1]", left_limit="0", right_limit="1"),
    row("Min(x**2, exp(-x))", "0.7034674224983917", "corner", "min-square-exp",
        domain="[0, 2]"),
    row("Abs(x - cos(x)) + x", "0.7390851332151607", "corner", "abs-dottie-plus",
        domain="[-1, 1]"),
]


@pytest.mark.parametrize(("expr", "at", "kind", "domain", "expected"), ROOTS)
def test_certified_roots(expr: str, at: str, kind: str, domain: str | None,
                         expected: dict[str, Any]) -> None:
    check(expr, at, kind, domain, expected)


@pytest.mark.parametrize(("expr", "domain", "points"), [
    pytest.param("floor(x**2)", "[-2, 2]", ["-2", "-sqrt(3)", "-sqrt(2)", "-1", "0", "1",
                                            "sqrt(2)", "sqrt(3)", "2"], id="floor-square"),
    pytest.param("floor(1/x)", "[1/4, 2]", ["1/4", "1/3", "1/2", "1"], id="floor-reciprocal"),
    pytest.param("floor(exp(x))", "[0, 2]", ["0", "log(2)", "log(3)", "log(4)", "log(5)",
                                             "log(6)", "log(7)"], id="floor-exp"),
])
def test_floor_of_nonlinear_in_a_window(expr: str, domain: str, points: list[str]) -> None:
    analysis = analyze(expr, domain=domain)
    assert not analysis.candidate_sets
    got = sorted(float(numeric(p.at, 30)) for p in analysis.points)
    want = sorted(float(sympy.sympify(p)) for p in points)
    assert got == pytest.approx(want, abs=1e-12)


def test_root_object_is_an_exact_number() -> None:
    from diffcheck.engine.limits import const_sign, is_zero
    from diffcheck.engine.roots import RealRoot, isolate

    [r] = isolate(X - sympy.cos(X), X, sympy.Integer(0), sympy.Integer(1))
    assert isinstance(r, RealRoot)
    assert r.free_symbols == set()
    assert r.is_number
    assert r.is_real
    assert str(r) == "≈0.7390851"
    # refined to 60 digits against mpmath's own root finder
    import mpmath

    with mpmath.workdps(60):
        truth = mpmath.findroot(lambda t: t - mpmath.cos(t), 0.7)
        assert abs(mpmath.mpf(str(sympy.N(r, 60))) - truth) < mpmath.mpf(10) ** -55
    assert is_zero(sympy.cos(r) - r) is True
    assert is_zero(3 * r - 3 * sympy.cos(r)) is True
    assert const_sign(sympy.sin(r) + 1) == 1
    assert const_sign(r - sympy.Rational(739, 1000)) == 1


@pytest.mark.parametrize(("expr", "why"), [
    pytest.param("sin(x**2)", "multiple", id="double-root-at-0"),
    pytest.param("x + log(x) - 1", "positive", id="outside-the-log-domain"),
])
def test_uncertified_roots_stay_unsolved(expr: str, why: str) -> None:
    from diffcheck.engine.roots import NotCertified, window_roots

    with pytest.raises(NotCertified, match=why):
        window_roots(sympy.sympify(expr, locals={"x": X}), X, sympy.Interval(-3, 3))


@pytest.mark.slow
@pytest.mark.parametrize(("expr", "count"), [
    pytest.param("Abs(sin(x) - sin(x + 1))", 2, id="sine-difference"),
    pytest.param("Abs(cos(x) - cos(3*x) - 1/2)", 4, id="cosine-difference"),
    pytest.param("Abs(3*sin(x) + 4*cos(x) - 2)", 2, id="harmonic"),
])
def test_trigonometric_kinks_are_decided(expr: str, count: int) -> None:
    """solveset spells these roots with complex logarithms or atan(CRootOf(...)),
    where no sign can be decided; in a window they are certified instead."""
    analysis = analyze(expr, domain="[-3, 3]")
    assert [p.kind.value for p in analysis.points] == ["corner"] * count
