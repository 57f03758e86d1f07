"""Depth of the answer: higher orders, smoothness classes, subdifferential, repair, f'.

Every row is an exact expectation from the one-sided definition applied to
the glued derivatives (see diffcheck.engine.smoothness).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import sympy

from diffcheck import analyze
from diffcheck.language.parsing import parse_point

HUBER = "Piecewise((x**2/2, Abs(x) <= 1), (Abs(x) - 1/2, True))"
X2SIN = "Piecewise((x**2*sin(1/x), Ne(x, 0)), (0, True))"
FLAT = "Piecewise((exp(-1/x**2), Ne(x, 0)), (0, True))"


def point(expr: str, at: str, order: int = 1) -> Any:
    analysis = analyze(expr, at=[at], order=order)
    [p] = [p for p in analysis.points if p.at == parse_point(at)]
    return p


def orders(p: Any) -> list[tuple[int, str, str, bool | None, bool | None]]:
    return [(d.order, sympy.sstr(d.left), sympy.sstr(d.right), d.differentiable, d.continuous)
            for d in p.derivatives]


SMOOTHNESS = [
    # expression, point, order asked, order found, class, per order (k, f^(k)(a-), f^(k)(a+),
    # f^(k)(a) exists, f^(k) continuous at a)
    pytest.param("x*Abs(x)", "0", 3, 1, "C^1",
                 [(1, "0", "0", True, True), (2, "-2", "2", False, None)], id="x-abs-x"),
    pytest.param("Abs(x)**3", "0", 4, 2, "C^2",
                 [(1, "0", "0", True, True), (2, "0", "0", True, True),
                  (3, "-6", "6", False, None)], id="abs-cubed"),
    pytest.param(HUBER, "1", 3, 1, "C^1",
                 [(1, "1", "1", True, True), (2, "1", "0", False, None)], id="huber-1"),
    pytest.param(HUBER, "-1", 3, 1, "C^1",
                 [(1, "-1", "-1", True, True), (2, "0", "1", False, None)], id="huber-minus-1"),
    pytest.param(HUBER, "0", 3, 3, "C^oo",
                 [(1, "0", "0", True, True), (2, "1", "1", True, True),
                  (3, "0", "0", True, True)], id="huber-false-candidate"),
    pytest.param("elu(x)", "0", 3, 1, "C^1",
                 [(1, "1", "1", True, True), (2, "1", "0", False, None)], id="elu"),
    pytest.param("Max(0, x)**2", "0", 3, 1, "C^1",
                 [(1, "0", "0", True, True), (2, "0", "2", False, None)], id="relu-squared"),
    pytest.param(X2SIN, "0", 3, 1, "D^1",
                 [(1, "0", "0", True, False), (2, "None", "None", False, None)], id="x2-sin"),
    pytest.param(FLAT, "0", 3, 3, "at least C^3",
                 [(1, "0", "0", True, True), (2, "0", "0", True, True),
                  (3, "0", "0", True, True)], id="flat-exp"),
    pytest.param("Max(0, x) - Max(0, -x)", "0", 2, 2, "C^oo",
                 [(1, "1", "1", True, True), (2, "0", "0", True, True)], id="relu-difference"),
    pytest.param("Max(0, x)", "0", 3, 0, "C^0", [(1, "0", "1", False, None)], id="relu"),
    pytest.param("sign(x)", "0", 2, 0, None, [(1, "oo", "oo", False, None)], id="jump"),
    # the default order 1: exact at a corner or a D^1 point, "at least" when f' is continuous
    pytest.param("x*Abs(x)", "0", 1, 1, "at least C^1", [(1, "0", "0", True, True)],
                 id="x-abs-x-order-1"),
    pytest.param(X2SIN, "0", 1, 1, "D^1", [(1, "0", "0", True, False)], id="x2-sin-order-1"),
    pytest.param("Max(0, x)", "2", 1, 1, "C^oo", [(1, "1", "1", True, True)], id="relu-away"),
]


@pytest.mark.parametrize(("expr", "at", "asked", "found", "smoothness", "expected"), SMOOTHNESS)
def test_smoothness(expr: str, at: str, asked: int, found: int, smoothness: str | None,
                    expected: list[tuple[int, str, str, bool, bool | None]]) -> None:
    p = point(expr, at, asked)
    detail = json.dumps(p.to_dict(), indent=2)
    assert (p.order, p.smoothness) == (found, smoothness), detail
    assert orders(p) == expected, detail


def test_softplus_has_no_point() -> None:
    analysis = analyze("softplus(x)", order=3)
    assert analysis.points == ()
    assert analysis.candidate_sets == ()


def test_json_per_order() -> None:
    [p] = analyze("Abs(x)**3", order=3).to_dict()["points"]
    assert (p["order"], p["smoothness"]) == (2, "C^2")
    assert p["derivatives"][1] == {"order": 2, "left": "0", "right": "0",
                                   "differentiable": True, "value": "0", "continuous": True}
    assert p["derivatives"][2] == {"order": 3, "left": "-6", "right": "6",
                                   "differentiable": False, "value": None, "continuous": None}


SUBDIFFERENTIAL = [
    pytest.param("Max(0, x)", "0", ("0", "1"), "convex", id="relu"),
    pytest.param("Abs(x)", "0", ("-1", "1"), "convex", id="abs"),
    pytest.param("-Abs(x)", "0", ("-1", "1"), "concave", id="minus-abs"),
    pytest.param("Min(1, Max(0, x))", "1", ("0", "1"), "concave", id="clip-top"),
    pytest.param("Max(sin(x), cos(x))", "pi/4", ("-sqrt(2)/2", "sqrt(2)/2"), "convex",
                 id="max-trig"),
    pytest.param("x*Abs(x)", "0", None, None, id="differentiable"),
    pytest.param("sign(x)", "0", None, None, id="jump"),
    pytest.param("sqrt(Abs(x))", "0", None, None, id="cusp"),
    pytest.param("Max(0, x**(1/3))", "0", None, None, id="vertical-half-tangent"),
]


@pytest.mark.parametrize(("expr", "at", "interval", "kink"), SUBDIFFERENTIAL)
def test_subdifferential(expr: str, at: str, interval: tuple[str, str] | None,
                         kink: str | None) -> None:
    d = point(expr, at).to_dict()
    assert (d["subdifferential"], d["kink"]) == (
        None if interval is None else list(interval), kink), json.dumps(d, indent=2)


REPAIRS = [
    pytest.param("sin(x)/x", "0", {"value": "1", "left_derivative": "0",
                                   "right_derivative": "0", "differentiable": True,
                                   "derivative": "0"}, id="sinc"),
    pytest.param("x**2*sin(1/x)", "0", {"value": "0", "left_derivative": "0",
                                        "right_derivative": "0", "differentiable": True,
                                        "derivative": "0"}, id="x2-sin"),
    pytest.param("Piecewise((1, Eq(x, 0)), (Abs(x), True))", "0",
                 {"value": "0", "left_derivative": "-1", "right_derivative": "1",
                  "differentiable": False, "derivative": None}, id="repaired-to-a-corner"),
    pytest.param("Piecewise((1, Eq(x, 0)), (x, True))", "0",
                 {"value": "0", "left_derivative": "1", "right_derivative": "1",
                  "differentiable": True, "derivative": "1"}, id="wrong-value"),
    pytest.param("sign(x)", "0", None, id="jump-cannot-be-repaired"),
    pytest.param("1/x", "0", None, id="pole"),
]


@pytest.mark.parametrize(("expr", "at", "repair"), REPAIRS)
def test_repair(expr: str, at: str, repair: dict[str, Any] | None) -> None:
    d = point(expr, at).to_dict()
    assert d["repair"] == repair, json.dumps(d, indent=2)


WHOLE = [
    pytest.param("Max(0, x)", "Piecewise((0, x < 0), (1, x > 0))", id="relu"),
    pytest.param("Abs(x)", "Piecewise((-1, x < 0), (1, x > 0))", id="abs"),
    pytest.param("x*Abs(x)", "Piecewise((-2*x, x <= 0), (2*x, True))", id="x-abs-x"),
    pytest.param("Max(0, x) - Max(0, -x)", "1", id="identity"),
    pytest.param("Min(1, Max(0, x))",
                 "Piecewise((0, x < 0), (1, (x > 0) & (x < 1)), (0, x > 1))", id="clip"),
    pytest.param("sqrt(x)", "Piecewise((1/(2*sqrt(x)), x > 0))", id="sqrt"),
    pytest.param(X2SIN, "Piecewise((0, Eq(x, 0)), (2*x*sin(1/x) - cos(1/x), (x > 0) | (x < 0)))",
                 id="x2-sin-alone-at-0"),
    pytest.param("exp(x)*sin(x)", "exp(x)*sin(x) + exp(x)*cos(x)", id="smooth"),
    pytest.param("floor(x)", "None", id="family-not-attempted"),
]


@pytest.mark.parametrize(("expr", "formula"), WHOLE)
def test_piecewise_derivative(expr: str, formula: str) -> None:
    assert sympy.sstr(analyze(expr).derivative_piecewise) == formula


NOTES = [
    pytest.param("Abs(x)", ["SymPy's diff gives f'(x) = sign(x), which is 0 at x = 0, but "
                            "f'(0) does not exist (corner)"], id="abs"),
    pytest.param("Max(0, x)", ["SymPy's diff gives f'(x) = Heaviside(x), which is 1/2 at "
                               "x = 0, but f'(0) does not exist (corner)"], id="relu"),
    pytest.param("Abs(x) + Abs(x - 1)",
                 ["SymPy's diff gives f'(x) = sign(x) + sign(x - 1), which is -1, 1 at "
                  "x = 0, 1, but f' does not exist there (corner, corner)"], id="one-note-for-all"),
    pytest.param("x*Abs(x)", [], id="right-value-no-note"),
    pytest.param("sin(x)/x", [], id="formula-undefined-at-the-point"),
]


@pytest.mark.parametrize(("expr", "notes"), NOTES)
def test_sympy_diff_notes(expr: str, notes: list[str]) -> None:
    assert list(analyze(expr).derivative_notes) == notes


def test_chain_rule_through_floor_leaves_no_subs() -> None:
    """d/dx ceiling(x/3) was Subs(0, xi, x/3)/3, which value_at could not evaluate."""
    assert analyze("ceiling(x/3)", at=["3"]).derivative == 0


def test_value_at_turns_a_sympy_failure_into_undecided() -> None:
    from diffcheck.engine.limits import Undecided, value_at

    x = sympy.Symbol("x", real=True)
    xi = sympy.Dummy("xi")
    with pytest.raises(Undecided):
        value_at(sympy.Subs(sympy.sin(xi) * x, xi, x), x, sympy.Integer(1))
