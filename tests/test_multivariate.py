"""Several variables: partials, directional derivatives, gradients, generalized gradients.

The case table of issue 6 with exact expectations, the piecewise smooth route
checked against the lines through the point (the definition), the non-smooth
set, bad input, and the command line.
"""

from __future__ import annotations

import io
import json

import pytest
import sympy
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from sympy import Eq, Integer, S, sqrt

from diffcheck import InputError, MultiKind, analyze_multi
from diffcheck.cli import main
from diffcheck.model.multi import MultiPointReport

PIECEWISE_XY = "Piecewise((x*y/(x**2 + y**2), Ne(x**2 + y**2, 0)), (0, True))"
PIECEWISE_X2Y = "Piecewise((x**2*y/(x**2 + y**2), Ne(x**2 + y**2, 0)), (0, True))"
PIECEWISE_SIN = ("Piecewise(((x**2 + y**2)*sin(1/sqrt(x**2 + y**2)), Ne(x**2 + y**2, 0)), "
                 "(0, True))")
HINGE = "Max(0, 1 - y*(w*x + b))"


def point(expr: str, at: str, vars: str = "x, y", **options: object) -> MultiPointReport:
    analysis = analyze_multi(expr, vars=vars, at=at, **options)  # type: ignore[arg-type]
    [p] = analysis.points
    return p


def vec(*values: object) -> tuple[sympy.Expr, ...]:
    return tuple(sympy.sympify(v) for v in values)


def assert_point(expr: str, at: str, *, vars: str = "x, y", kind: str,
                 differentiable: bool | None, gradient: tuple[object, ...] | None = None,
                 hull: tuple[tuple[object, ...], ...] | None = None,
                 partials: tuple[tuple[object, object], ...] | None = None,
                 continuous: bool | None = None, **options: object) -> MultiPointReport:
    p = point(expr, at, vars, **options)
    shown = json.dumps(p.to_dict(), indent=1)
    assert p.kind == kind, shown
    assert p.differentiable is differentiable, shown
    assert p.gradient == (None if gradient is None else vec(*gradient)), shown
    if hull is not None:
        assert p.generalized_gradient == tuple(vec(*g) for g in hull), shown
    if partials is not None:
        got = tuple((q.left, q.right) for q in p.partials)
        assert got == tuple(vec(*lr) for lr in partials), shown
    if continuous is not None:
        assert p.continuous is continuous, shown
    return p


# --- the case table of the issue ------------------------------------------------------------


def test_max_of_zero_and_sum_at_origin() -> None:
    p = assert_point("Max(0, x + y)", "x=0, y=0", kind="kink", differentiable=False,
                     hull=((0, 0), (1, 1)), partials=((0, 1), (0, 1)), continuous=True)
    assert p.directional_formula == sympy.Max(0, sympy.Symbol("d_x", real=True)
                                              + sympy.Symbol("d_y", real=True))


def test_max_of_zero_and_sum_away_from_the_kink() -> None:
    assert_point("Max(0, x + y)", "x=1, y=1", kind="differentiable", differentiable=True,
                 gradient=(1, 1), hull=((1, 1),))


def test_max_of_two_variables() -> None:
    assert_point("Max(x, y)", "x=1, y=1", kind="kink", differentiable=False,
                 hull=((0, 1), (1, 0)), partials=((0, 1), (0, 1)))


@pytest.mark.parametrize(
    ("at", "kind", "differentiable", "gradient", "hull"),
    [
        pytest.param("x=0, y=0", "differentiable", True, (0, 0), ((0, 0),), id="origin"),
        pytest.param("x=0, y=1", "kink", False, None, ((-1, 0), (1, 0)), id="axis"),
    ],
)
def test_abs_of_product(at: str, kind: str, differentiable: bool,
                        gradient: tuple[int, ...] | None, hull: tuple[tuple[int, ...], ...]
                        ) -> None:
    assert_point("Abs(x*y)", at, kind=kind, differentiable=differentiable, gradient=gradient,
                 hull=hull)


def test_cone_has_every_directional_derivative_one() -> None:
    p = assert_point("sqrt(x**2 + y**2)", "x=0, y=0", kind="kink", differentiable=False,
                     partials=((-1, 1), (-1, 1)), continuous=True)
    assert len(p.directional) == 8
    assert {d.value for d in p.directional} == {S.One}
    dx, dy = sympy.symbols("d_x d_y", real=True)
    assert p.directional_formula == sqrt(dx**2 + dy**2)
    assert p.generalized_gradient is None  # not piecewise smooth


def test_partials_exist_but_not_continuous() -> None:
    p = assert_point(PIECEWISE_XY, "x=0, y=0", kind="discontinuous", differentiable=False,
                     partials=((0, 0), (0, 0)), continuous=False)
    assert [q.derivative for q in p.partials] == [0, 0]
    assert p.partials_exist is True
    assert p.reason.startswith("all partial derivatives exist (∇ = (0, 0)), but along")
    assert "not continuous" in p.reason


def test_partials_and_directional_derivatives_exist_but_not_linear() -> None:
    p = assert_point(PIECEWISE_X2Y, "x=0, y=0", kind="kink", differentiable=False,
                     partials=((0, 0), (0, 0)), continuous=True)
    values = {d.direction: d.value for d in p.directional}
    assert values[vec(sqrt(2) / 2, sqrt(2) / 2)] == sqrt(2) / 4
    assert values[vec(sqrt(2) / 2, -sqrt(2) / 2)] == -sqrt(2) / 4
    assert all(v is not None for v in values.values())
    assert "all partial derivatives exist" in p.reason
    assert "not linear in the direction" in p.reason


def test_oscillating_radial_function_is_differentiable() -> None:
    p = assert_point(PIECEWISE_SIN, "x=0, y=0", kind="differentiable", differentiable=True,
                     gradient=(0, 0), continuous=True)
    assert "polar" in p.reason


def test_hinge_loss_in_weight_and_bias() -> None:
    analysis = analyze_multi(HINGE, vars="w, b", set="x=2, y=1", at="w=1/2, b=0")
    w, b = sympy.symbols("w b", real=True)
    assert analysis.variables == (w, b)
    assert [piece.relation for piece in analysis.nonsmooth] == [Eq(2 * w + b, 1)]
    assert analysis.nonsmooth[0].description.endswith("where 2*w + b = 1")
    [p] = analysis.points
    assert p.differentiable is False
    assert p.kind == MultiKind.KINK
    assert p.generalized_gradient == (vec(-2, -1), vec(0, 0))
    assert [(q.left, q.right) for q in p.partials] == [vec(-2, 0), vec(-1, 0)]


def test_l1_regularizer() -> None:
    p = assert_point("Abs(w1) + Abs(w2)", "w1=0, w2=3", vars="w1, w2", kind="kink",
                     differentiable=False, hull=((-1, 1), (1, 1)), partials=((-1, 1), (1, 1)))
    w1, w2 = p.partials
    assert w1.exists is False
    assert w2.exists is True
    assert w2.derivative == 1
    assert "partial derivative does not exist (in w1: left -1, right 1)" in p.reason


# --- the piecewise smooth route against the definition -----------------------------------------


PIECEWISE_SMOOTH = [
    pytest.param("Max(0, x + y)", "x=0, y=0", id="relu-of-sum"),
    pytest.param("Max(0, x + y)", "x=1, y=1", id="relu-of-sum-smooth"),
    pytest.param("Max(x, y)", "x=1, y=1", id="max"),
    pytest.param("Abs(x*y)", "x=0, y=0", id="abs-product-origin"),
    pytest.param("Abs(x*y)", "x=0, y=1", id="abs-product-axis"),
    pytest.param("Abs(x) + Abs(y)", "x=0, y=3", id="l1"),
    pytest.param("Max(0, x + y) + Min(0, x + y)", "x=0, y=0", id="relu-plus-min"),
    pytest.param("Max(x, y)**2", "x=0, y=0", id="max-squared"),
    pytest.param("Abs(x)*y", "x=0, y=0", id="abs-times-y"),
    pytest.param("Max(0, 1 - 2*x - y)", "x=1/2, y=0", id="hinge"),
]


@pytest.mark.parametrize(("expr", "at"), PIECEWISE_SMOOTH)
def test_directional_formula_agrees_with_the_lines(expr: str, at: str) -> None:
    """f'(p; d) from the active pieces equals the one-variable analysis of each line."""
    p = point(expr, at)
    assert p.directional_formula is not None
    dx, dy = sympy.symbols("d_x d_y", real=True)
    for d in p.directional:
        assert d.value is not None
        assert sympy.simplify(p.directional_formula.subs({dx: d.direction[0],
                                                         dy: d.direction[1]}) - d.value) == 0


@pytest.mark.parametrize(("expr", "at"), PIECEWISE_SMOOTH)
def test_active_pieces_verdict_agrees_with_the_definition(expr: str, at: str) -> None:
    """Differentiable iff every line through p has derivative ∇·d; else some line is a witness."""
    p = point(expr, at)
    assert p.generalized_gradient is not None
    if p.differentiable:
        assert len(p.generalized_gradient) == 1
        g = p.gradient
        assert g is not None
        for d in p.directional:
            assert d.value is not None
            assert sympy.simplify(d.value - (g[0] * d.direction[0] + g[1] * d.direction[1])) == 0
    else:
        assert p.differentiable is False
        assert len(p.generalized_gradient) > 1
        # a witness among the lines: a missing partial, or a derivative other than ∇·d
        partials = [q.derivative for q in p.partials]
        if None not in partials:
            assert any(
                sympy.simplify(d.value - (partials[0] * d.direction[0]
                                          + partials[1] * d.direction[1])) != 0
                for d in p.directional if d.value is not None
            )


# --- more cases ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "at", "kind", "differentiable", "gradient"),
    [
        pytest.param("Max(0, x + y) + Min(0, x + y)", "x=0, y=0", "differentiable", True,
                     (1, 1), id="kinks-cancel"),
        pytest.param("Max(0, Min(y - x**2, 2*x**2 - y))", "x=0, y=0", "differentiable", True,
                     (0, 0), id="cusp-region"),
        pytest.param("Abs(x)**(3/2) + y", "x=0, y=0", "differentiable", True, (0, 1),
                     id="abs-power"),
        pytest.param("x**(1/3)*y", "x=0, y=0", "differentiable", True, (0, 0),
                     id="cube-root-times-y"),
        pytest.param("Piecewise((x**2 + y, x > 0), (y, True))", "x=0, y=1", "differentiable",
                     True, (0, 1), id="piecewise-smooth-join"),
        pytest.param("Piecewise((x + y, x > 0), (2*x + y, True))", "x=0, y=1", "kink", False,
                     None, id="piecewise-kink"),
        pytest.param("x*y/(x**2 + y**2)", "x=0, y=0", "undefined", False, None, id="undefined"),
        pytest.param("floor(x) + y", "x=0, y=0", "discontinuous", False, None, id="floor"),
        pytest.param("sqrt(x) + y", "x=0, y=0", "not_differentiable", False, None,
                     id="half-plane-domain"),
        pytest.param("Max(x, y)**(3/2)", "x=0, y=0", "not_differentiable", False, None,
                     id="undefined-on-a-quadrant"),
        pytest.param("a*Abs(x) + y", "x=0, y=0", "unknown", None, None, id="parameter"),
        pytest.param("sqrt(Abs(x*y))", "x=0, y=0", "kink", False, None,
                     id="partials-exist-corner-on-the-diagonal"),
        pytest.param("Piecewise((x**3/(x**2 + y**2), Ne(x**2 + y**2, 0)), (0, True))",
                     "x=0, y=0", "kink", False, None, id="partials-one-and-zero"),
        pytest.param("Piecewise((x*y*(x**2 - y**2)/(x**2 + y**2), Ne(x**2 + y**2, 0)), "
                     "(0, True))", "x=0, y=0", "differentiable", True, (0, 0),
                     id="c1-not-c2"),
        # every line through 0 leaves the region y in (0, x**2): each line sees 0, with
        # derivative 0, yet f is not continuous; no line can tell, so: unknown
        pytest.param("Piecewise((1, (y > 0) & (y < x**2)), (0, True))", "x=0, y=0",
                     "unknown", None, None, id="lines-cannot-see-a-cusp-region"),
        pytest.param("Max(sin(x), cos(y))", "x=pi/2, y=0", "differentiable", True, (0, 0),
                     id="tied-smooth-maximum"),
        pytest.param("Heaviside(x)*y", "x=0, y=1", "discontinuous", False, None,
                     id="heaviside"),
    ],
)
def test_more_points(expr: str, at: str, kind: str, differentiable: bool | None,
                     gradient: tuple[int, ...] | None) -> None:
    assert_point(expr, at, kind=kind, differentiable=differentiable, gradient=gradient)


def test_cusp_region_has_no_generalized_gradient_claimed() -> None:
    """Pieces active on a cusp-shaped region are not seen on cones: the hull is left open."""
    p = point("Max(0, Min(y - x**2, 2*x**2 - y))", "x=0, y=0")
    assert p.generalized_gradient is None


def test_three_variables() -> None:
    p = assert_point("Max(x, y, z)", "x=0, y=0, z=0", vars="x, y, z", kind="kink",
                     differentiable=False, hull=((0, 0, 1), (0, 1, 0), (1, 0, 0)))
    assert len(p.directional) == 20


R3 = "x**2 + y**2 + z**2"


@pytest.mark.parametrize(
    ("expr", "kind", "gradient"),
    [
        pytest.param(f"Piecewise((({R3})*sin(1/sqrt({R3})), Ne({R3}, 0)), (0, True))",
                     "differentiable", (0, 0, 0), id="oscillating-radial",
                     marks=pytest.mark.slow),
        pytest.param(f"Piecewise((x**2*y*z/({R3}), Ne({R3}, 0)), (0, True))",
                     "differentiable", (0, 0, 0), id="quotient-of-degree-two"),
        pytest.param(f"Piecewise((x*y*z/({R3}), Ne({R3}, 0)), (0, True))", "kink", None,
                     id="quotient-of-degree-one", marks=pytest.mark.slow),
    ],
)
def test_spherical_coordinates(expr: str, kind: str, gradient: tuple[int, ...] | None) -> None:
    assert_point(expr, "x=0, y=0, z=0", vars="x, y, z", kind=kind,
                 differentiable=kind == "differentiable", gradient=gradient)


def test_cone_reason_names_the_missing_partial() -> None:
    p = point("sqrt(x**2 + y**2)", "x=0, y=0")
    assert p.reason == ("the partial derivative in x does not exist (corner: left derivative "
                        "-1 differs from right derivative 1)")


def test_undecided_point_keeps_what_was_found() -> None:
    p = point("a*Abs(x) + y", "x=0, y=0")
    assert p.value == 0
    assert [q.exists for q in p.partials] == [None, True]
    assert "cannot decide whether -a equals a" in p.reason


def test_given_directions() -> None:
    a = analyze_multi("Max(x, y)", vars="x, y", at="x=0, y=0", directions=["2, 1", (1, 3)])
    values = {d.direction: d.value for d in a.points[0].directional}
    assert values[vec(2, 1)] == 2
    assert values[vec(-2, -1)] == -1
    assert values[vec(1, 3)] == 3
    with pytest.raises(InputError, match="non-zero"):
        analyze_multi("Max(x, y)", vars="x, y", directions=["0, 0"])
    with pytest.raises(InputError, match="2 constant components"):
        analyze_multi("Max(x, y)", vars="x, y", directions=["1"])


def test_set_fixes_parameters_and_at_takes_mappings() -> None:
    a = analyze_multi("a*Abs(x) + y", vars=["x", "y"], set={"a": 0},
                      at=[{"x": 0, "y": 0}, "x=1, y=2"])
    assert [p.differentiable for p in a.points] == [True, True]
    assert a.parameters == ((sympy.Symbol("a", real=True), Integer(0)),)


def test_nonsmooth_set_without_points() -> None:
    a = analyze_multi("Abs(x - y) + Max(0, x)", vars="x, y")
    x, y = sympy.symbols("x y", real=True)
    assert [p.relation for p in a.nonsmooth] == [Eq(x, 0), Eq(x, y)] or \
        {p.relation for p in a.nonsmooth} == {Eq(x, y), Eq(x, 0)}
    assert a.points == ()
    assert a.differentiable_on is not None
    assert a.differentiable_everywhere is False  # the set analysis proves the kinks
    assert analyze_multi("x*y + exp(x)", vars="x, y").differentiable_everywhere is True


def test_json_contract() -> None:
    data = analyze_multi(HINGE, vars="w, b", set="x=2, y=1", at="w=1/2, b=0").to_dict()
    assert data["variables"] == ["w", "b"]
    assert data["variable"] is None
    assert data["parameters"] == {"x": "2", "y": "1"}
    assert [c["relation"] for c in data["nonsmooth_pieces"]] == ["Eq(b + 2*w, 1)"]
    [p] = data["points"]
    assert p["at"] == ["1/2", "0"]
    assert p["generalized_gradient"] == [["-2", "-1"], ["0", "0"]]
    assert p["gradient"] is None
    assert p["partials"][0] == {"variable": "w", "left": "-2", "right": "0", "exists": False,
                                "derivative": None,
                                "kind": "corner",
                                "reason": "left derivative -2 differs from right derivative 0"}
    assert data["nondifferentiable_points"] == [["1/2", "0"]]
    assert data["differentiable_everywhere"] is False
    json.dumps(data)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"vars": "x, y", "at": "x=0"}, "has no value for y", id="missing"),
        pytest.param({"vars": "x, y", "at": "x=0, y=0, z=1"}, "not a variable", id="extra"),
        pytest.param({"vars": "x, y", "at": "x=0, x=1, y=0"}, "given twice", id="twice"),
        pytest.param({"vars": "x, y", "at": "x 0, y=0"}, "name=value", id="no-equals"),
        pytest.param({"vars": "x, y", "at": "x=a, y=0"}, "constant", id="symbolic-value"),
        pytest.param({"vars": "x, 2y"}, "plain name", id="bad-variable"),
        pytest.param({"vars": ""}, "at least one variable", id="no-variable"),
        pytest.param({"vars": "x, y", "set": "x=1"}, "fixes parameters only", id="set-variable"),
        pytest.param({"vars": "x, y", "timeout": 0}, "positive", id="timeout"),
    ],
)
def test_bad_input(options: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        analyze_multi("Abs(x) + y", **options)  # type: ignore[arg-type]


# --- properties: answers known by construction ------------------------------------------------

COEFFICIENT = st.integers(min_value=-3, max_value=3)


def assert_invariants(p: MultiPointReport) -> None:
    if p.differentiable:
        assert p.gradient is not None
        assert p.continuous is True
        assert p.kind == MultiKind.DIFFERENTIABLE
    if p.continuous is False:
        assert p.differentiable is False
    if p.generalized_gradient is not None and p.differentiable:
        assert p.generalized_gradient == (p.gradient,)


@settings(max_examples=12, deadline=None)
@given(a1=COEFFICIENT, b1=COEFFICIENT, a2=COEFFICIENT, b2=COEFFICIENT)
def test_max_of_two_linear_forms(a1: int, b1: int, a2: int, b2: int) -> None:
    """Max(a1*x + b1*y, a2*x + b2*y) at 0: differentiable iff the forms are equal."""
    p = point(f"Max({a1}*x + {b1}*y, {a2}*x + {b2}*y) + 1", "x=0, y=0")
    assert_invariants(p)
    assert p.differentiable is ((a1, b1) == (a2, b2))
    assert p.generalized_gradient == tuple(sorted({vec(a1, b1), vec(a2, b2)},
                                                  key=lambda v: (int(v[0]), int(v[1]))))


@settings(max_examples=12, deadline=None)
@given(a=COEFFICIENT, b=COEFFICIENT, c=st.integers(min_value=-2, max_value=2))
def test_abs_of_a_linear_form(a: int, b: int, c: int) -> None:
    """Abs(a*x + b*(y - c)) at (0, c): differentiable iff a = b = 0; hull {±(a, b)}."""
    p = point(f"Abs({a}*x + {b}*(y - {c}))", f"x=0, y={c}")
    assert_invariants(p)
    assert p.differentiable is (a == b == 0)
    assert p.generalized_gradient == tuple(sorted({vec(a, b), vec(-a, -b)},
                                                  key=lambda v: (int(v[0]), int(v[1]))))


def test_every_point_is_under_the_budget() -> None:
    """A tiny budget gives `unknown` with the reason, never a wrong verdict or a hang."""
    p = point(PIECEWISE_SIN, "x=0, y=0", timeout=0.001)
    assert p.kind == MultiKind.UNKNOWN
    assert p.differentiable is None
    assert "budget" in p.reason


# --- the command line -------------------------------------------------------------------------


HINGE_ARGS = [HINGE, "--vars", "w,b", "--set", "x=2", "--set", "y=1"]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_cli_hinge_json() -> None:
    result = run(*HINGE_ARGS, "--at", "w=1/2, b=0", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["variables"] == ["w", "b"]
    assert data["parameters"] == {"x": "2", "y": "1"}
    assert data["nonsmooth_pieces"][0]["description"].endswith("where 2*w + b = 1")
    [p] = data["points"]
    assert (p["kind"], p["differentiable"]) == ("kink", False)
    assert p["generalized_gradient"] == [["-2", "-1"], ["0", "0"]]


def test_cli_hinge_report() -> None:
    result = run(*HINGE_ARGS, "--at", "w=1/2, b=0")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "f(w, b) = Max(0, -b - 2w + 1)" in text
    assert "with x = 2, y = 1" in text
    assert "switches branch where 2*w + b = 1" in text
    assert "(w, b) = (1/2, 0): kink" in text
    assert "generalized gradient = conv{(-2, -1), (0, 0)}" in text
    assert "f\u2032(p; d) = Max(0, -d_b - 2d_w)" in text
    # (1/2, 0) lies on the line the set analysis proves: the summary states the line
    assert "not differentiable on the line 2*w + b = 1" in text


def test_cli_repeated_var_is_vars() -> None:
    by_var = run("Max(x, y)", "--var", "x", "--var", "y", "--at", "x=1, y=1", "--json")
    by_vars = run("Max(x, y)", "--vars", "x, y", "--at", "x=1, y=1", "--json")
    assert by_var.exit_code == by_vars.exit_code == 0
    assert json.loads(by_var.stdout) == json.loads(by_vars.stdout)


def test_cli_nonsmooth_set_only() -> None:
    result = run(*HINGE_ARGS, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["points"] == []
    assert data["nonsmooth_set"] == "ConditionSet((w, b), Eq(b + 2*w, 1), ProductSet(Reals, Reals))"


def test_cli_set_in_one_variable() -> None:
    result = run("a*Abs(x - b)", "--var", "x", "--set", "a=2", "--set", "b=1", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["expression"] == "2*Abs(x - 1)"
    assert [(p["at"], p["left_derivative"], p["right_derivative"]) for p in data["points"]] \
        == [("1", "-2", "2")]


def test_cli_fail_on_nondifferentiable() -> None:
    assert run("Abs(x*y)", "--vars", "x,y", "--at", "x=0, y=1",
               "--fail-on-nondifferentiable").exit_code == 1
    # the set analysis proves the axes minus the origin, with or without --at
    assert run("Abs(x*y)", "--vars", "x,y", "--at", "x=0, y=0",
               "--fail-on-nondifferentiable").exit_code == 1
    assert run("x**2*y + Abs(x)**3", "--vars", "x,y", "--at", "x=0, y=0",
               "--fail-on-nondifferentiable").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["Abs(x) + y", "--vars", "x,y", "--at", "x=0"], "no value for y",
                     id="missing-coordinate"),
        pytest.param(["Abs(x) + y", "--vars", "x,y", "--domain", "[0, 1]"], "--domain",
                     id="domain"),
        pytest.param(["Abs(x - a)", "--var", "x", "--set", "x=1"], "parameters only",
                     id="set-the-variable"),
        pytest.param(["Abs(x - a)", "--var", "x", "--set", "a"], "name=value", id="set-syntax"),
        pytest.param(["Abs(x) + y", "--vars", "x,y", "--set", "a=b"], "constant",
                     id="set-symbolic"),
        pytest.param(["Abs(x) + y", "--vars", "x,2"], "plain name", id="bad-name"),
        pytest.param(["Abs(x)", "--direction", "1"], "several variables", id="direction-1d"),
        pytest.param(["Abs(x) + y", "--vars", "x,y", "--direction", "1,2,3"], "components",
                     id="direction-length"),
    ],
)
def test_cli_bad_input(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_rich_print_of_a_point() -> None:
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(point("Abs(x*y)", "x=0, y=0"))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert text.startswith("p = (0, 0): differentiable")
    assert "∇f(p) = (0, 0)" in text
