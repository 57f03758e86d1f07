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
