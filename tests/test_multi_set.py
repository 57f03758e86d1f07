"""Several variables: the non-differentiable set, decided (issue 17).

A table of textbook functions with their exact sets, checked by membership
of sample points on and off the set; the same points cross-checked against
the point analysis (an independent route: lines through the point and the
active pieces); a property test on random piecewise-linear functions whose
kink lines are known by construction; the summary in words, the JSON, the
restriction to a segment, and the pictures.
"""

# The summary lines are mathematics: their signs (≠, ≤, ℝ²) are meant.

from __future__ import annotations

import json
from math import gcd
from typing import Any

import pytest
import sympy
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diffcheck import InputError, analyze_multi
from diffcheck.cli import main
from diffcheck.model.multi import MultiAnalysis

GLUED_XY = "Piecewise((x*y/(x**2 + y**2), Ne(x**2 + y**2, 0)), (0, True))"
GLUED_X2Y = "Piecewise((x**2*y/(x**4 + y**2), Ne(x**4 + y**2, 0)), (0, True))"
L1_LOSS = "(w1*x1 + w2*x2 - t)**2 + lam*(Abs(w1) + Abs(w2))"
RELU_LAYER = "(Max(0, w1 + 2*w2) + Max(0, 2*w1 - w2) - 1)**2"

Point = tuple[object, ...]

# expression, variables, --set, points on the set, points off it, the parts in words
CASES: list[Any] = [
    pytest.param("Abs(x) + Abs(y)", "x, y", None, [(0, 0), (0, 3), (-2, 0)],
                 [(1, 1), (1, -2)], ["x = 0", "y = 0"], id="abs-plus-abs"),
    pytest.param("Max(x, y)", "x, y", None, [(1, 1), (-2, -2), (0, 0)], [(1, 2), (0, 1)],
                 ["x = y"], id="max"),
    pytest.param("Abs(x*y)", "x, y", None, [(0, 1), (2, 0), (0, -5)],
                 [(0, 0), (1, 1), (3, -1)], ["x = 0, y ≠ 0", "y = 0, x ≠ 0"],
                 id="abs-of-product"),
    pytest.param("sqrt(x**2 + y**2)", "x, y", None, [(0, 0)], [(0, 1), (1, 0), (-1, 2)],
                 ["(0, 0)"], id="norm"),
    pytest.param("Max(0, 1 - y*(w*x + b))", "w, b", "x=2, y=1", [(0, 1), ("1/2", 0), (1, -1)],
                 [(0, 0), (1, 1)], ["2*w + b = 1"], id="hinge"),
    pytest.param("Max(0, 1 - y*(w*x + b))", "w, b", "x=-1, y=3", [(0, "1/3"), (1, "4/3")],
                 [(0, 0), (1, 1)], ["3*w - 3*b = -1"], id="hinge-negative-input"),
    pytest.param("x**2 + y**2", "x, y", None, [], [(0, 0), (1, 2)], [], id="smooth"),
    pytest.param("Max(x, y, 0)", "x, y", None, [(0, -1), (-1, 0), (1, 1), (0, 0)],
                 [(-1, -1), (1, 0), (0, 1), (-1, -2)], ["x = 0, y ≤ 0", "x = y, x ≥ 0",
                                                        "y = 0, x ≤ 0"], id="max-of-three"),
    pytest.param("Abs(x - y) + Abs(y)", "x, y", None, [(1, 1), (0, 0), (3, 0)],
                 [(1, 2), (2, 1)], ["x = y", "y = 0"], id="abs-difference"),
    pytest.param("Abs(x**2 - y)", "x, y", None, [(1, 1), (2, 4), (0, 0)], [(0, 1), (1, 0)],
                 ["y = x**2"], id="abs-parabola"),
    pytest.param("Max(x**2, y)", "x, y", None, [(1, 1), (0, 0), (-3, 9)], [(0, 1), (2, 1)],
                 ["y = x**2"], id="max-parabola"),
    pytest.param("sqrt(Abs(x*y))", "x, y", None, [(0, 0), (0, 1), (2, 0)], [(1, 1), (-1, 2)],
                 ["x = 0", "y = 0"], id="root-of-abs-product"),
    pytest.param(GLUED_XY, "x, y", None, [(0, 0)], [(1, 0), (0, 1), (1, 1)], ["(0, 0)"],
                 id="glued-xy"),
    pytest.param(GLUED_X2Y, "x, y", None, [(0, 0)], [(1, 1), (0, 1), (1, 0)], ["(0, 0)"],
                 id="glued-x2y"),
    pytest.param(L1_LOSS, "w1, w2", "x1=1, x2=2, t=3, lam=1/10", [(0, 1), (2, 0), (0, 0)],
                 [(1, 1), (-1, 3)], ["w1 = 0", "w2 = 0"], id="l1-least-squares"),
    # the layer's output minus the target vanishes at (2/5, -1/5) and (1/5, 2/5): there
    # the squared loss is differentiable on the kink lines
    pytest.param(RELU_LAYER, "w1, w2", None, [(-2, 1), (1, 2), (0, 0)],
                 [("2/5", "-1/5"), ("1/5", "2/5"), (1, 0)],
                 ["w1 + 2*w2 = 0, w1 ≠ 2/5", "w2 = 2*w1, w1 ≠ 1/5"], id="relu-layer",
                 marks=pytest.mark.slow),
    pytest.param("Piecewise((1, x > y), (0, True))", "x, y", None, [(1, 1), (-3, -3)],
                 [(2, 1), (1, 2)], ["x = y"], id="jump"),
    pytest.param("1/x + y", "x, y", None, [(0, 1)], [(1, 1)], ["x = 0"], id="pole"),
    pytest.param("Max(x, y)**2", "x, y", None, [(1, 1)], [(0, 0), (1, 2)], ["x = y, x ≠ 0"],
                 id="squared-max"),
]


def analysis_of(expr: str, variables: str, fixed: str | None) -> MultiAnalysis:
    return analyze_multi(expr, vars=variables, set=fixed)


def exact(point: Point) -> sympy.Tuple:
    return sympy.Tuple(*(sympy.Rational(c) if isinstance(c, str) else c for c in point))


def assignment(variables: str, point: Point) -> str:
    names = [v.strip() for v in variables.split(",")]
    return ", ".join(f"{n}={c}" for n, c in zip(names, point, strict=True))


@pytest.mark.parametrize(("expr", "variables", "fixed", "on", "off", "words"), CASES)
def test_textbook_sets(expr: str, variables: str, fixed: str | None, on: list[Point],
                       off: list[Point], words: list[str]) -> None:
    a = analysis_of(expr, variables, fixed)
    shown = json.dumps(a.to_dict(), indent=1)
    assert a.undecided == (), shown
    assert sorted(p.description for p in a.nondifferentiable) == sorted(words), shown
    nd, ok = a.nondifferentiable_set, a.differentiable_on
    assert ok is not None
    for p in on:
        assert nd.contains(exact(p)) is sympy.true, (p, shown)
        assert ok.contains(exact(p)) is sympy.false, (p, shown)
    for p in off:
        assert nd.contains(exact(p)) is sympy.false, (p, shown)
        assert ok.contains(exact(p)) is sympy.true, (p, shown)
    assert a.differentiable_everywhere is (not on)


@pytest.mark.parametrize(
    ("expr", "at", "differentiable"),
    [
        pytest.param("Abs(x*y)", "x=0, y=0", True, id="abs-product-origin"),
        pytest.param("Abs(x*y)", "x=0, y=1", False, id="abs-product-axis"),
        pytest.param("Max(x, y, 0)", "x=1, y=1", False, id="max-of-three-diagonal"),
        pytest.param(RELU_LAYER, "w1=2/5, w2=-1/5", True, id="relu-layer-zero-residual"),
    ],
)
def test_a_few_points_agree_with_the_point_analysis(expr: str, at: str,
                                                    differentiable: bool) -> None:
    """The quick subset of the cross-check below (all of it runs with -m slow)."""
    variables = ", ".join(part.split("=")[0].strip() for part in at.split(","))
    a = analyze_multi(expr, vars=variables, at=at)
    [p] = a.points
    assert p.differentiable is differentiable
    coordinates = sympy.Tuple(*p.at)
    assert a.nondifferentiable_set.contains(coordinates) is sympy.sympify(not differentiable)


def _crosscheck_params() -> list[Any]:
    out = []
    for case in CASES:
        expr, variables, fixed, on, off, _words = case.values
        for p in on:
            out.append(pytest.param(expr, variables, fixed, p, False, id=f"{case.id}-on-{p}"))
        for p in off:
            out.append(pytest.param(expr, variables, fixed, p, True, id=f"{case.id}-off-{p}"))
    return out


@pytest.mark.parametrize(("expr", "variables", "fixed", "point", "differentiable"),
                         _crosscheck_params())
@pytest.mark.slow
def test_set_agrees_with_the_point_analysis(expr: str, variables: str, fixed: str | None,
                                            point: Point, differentiable: bool) -> None:
    """The point analysis (lines through p, active pieces) never contradicts the set."""
    from diffcheck.analysis.multi import evaluate_multi_point, parse_assignments
    from diffcheck.budget import Deadline
    from diffcheck.language.parsing import parse_expression

    f = parse_expression(expr).xreplace(dict(parse_assignments(fixed or {}, what="--set")))
    names = tuple(sympy.Symbol(v.strip(), real=True) for v in variables.split(","))
    at = dict(zip(names, exact(point), strict=True))
    p = evaluate_multi_point(f, names, at, seconds=10, deadline=Deadline(100))
    assert p.differentiable in (differentiable, None), json.dumps(p.to_dict(), indent=1)


@pytest.mark.parametrize(
    ("expr", "variables", "on", "off"),
    [
        pytest.param("Abs(x) + Abs(y) + Abs(z)", "x, y, z", [(0, 1, 2), (0, 0, 0), (0, 0, 5)],
                     [(1, 1, 1), (1, -2, 3)], id="l1-norm-3d", marks=pytest.mark.slow),
        pytest.param("Max(x, y, z)", "x, y, z", [(1, 1, 0), (2, 2, 2), (0, 3, 3)],
                     [(1, 1, 2), (3, 1, 2)], id="max-3d"),
        pytest.param("Max(0, x + y + z + w - 1)", "x, y, z, w", [(1, 0, 0, 0), (0, 0, 0, 1)],
                     [(0, 0, 0, 0), (1, 1, 1, 1)], id="relu-4d"),
        pytest.param("Abs(x*y) + z", "x, y, z", [(0, 1, 5), (2, 0, -1)], [(1, 1, 1)],
                     id="abs-product-3d"),
    ],
)
def test_sets_in_more_variables(expr: str, variables: str, on: list[Point],
                                off: list[Point]) -> None:
    a = analyze_multi(expr, vars=variables)
    shown = json.dumps(a.to_dict(), indent=1)
    ok = a.differentiable_on
    assert ok is not None
    for p in on:
        assert a.nondifferentiable_set.contains(exact(p)) is sympy.true, (p, shown)
    for p in off:
        assert a.nondifferentiable_set.contains(exact(p)) is sympy.false, (p, shown)
        assert ok.contains(exact(p)) is sympy.true, (p, shown)


def test_where_surfaces_meet_in_a_curve_is_undecided_not_claimed() -> None:
    """Abs(x*y) + z: the z-axis is where the surfaces meet (not affine): left undecided."""
    a = analyze_multi("Abs(x*y) + z", vars="x, y, z")
    assert a.undecided
    ok = a.differentiable_on
    assert ok is not None
    assert ok.contains(sympy.Tuple(0, 0, 1)) is sympy.false
    assert a.nondifferentiable_set.contains(sympy.Tuple(0, 0, 1)) is sympy.false
    assert all(p.reason for p in a.undecided)
    assert a.differentiable_everywhere is False


@pytest.mark.parametrize(
    ("expr", "reason"),
    [
        pytest.param("floor(x) + y", "floor", id="floor"),
        pytest.param("sqrt(x) + y", "defined only where x >= 0", id="domain"),
        pytest.param("log(x) + y", "log", id="log"),
    ],
)
def test_what_is_not_modelled_is_undecided_with_the_reason(expr: str, reason: str) -> None:
    a = analyze_multi(expr, vars="x, y")
    assert a.nondifferentiable == ()
    [part] = a.undecided
    assert reason in part.reason
    ok = a.differentiable_on
    assert ok is not None
    assert ok.contains(sympy.Tuple(0, 1)) is not sympy.true
    assert a.differentiable_everywhere is None


def test_parameters_leave_the_set_undecided() -> None:
    a = analyze_multi("a*Abs(x) + y", vars="x, y")
    [part] = a.undecided
    assert "--set" in part.reason
    assert a.differentiable_everywhere is None
    ok = a.differentiable_on
    assert ok is not None
    assert ok.contains(sympy.Tuple(1, 1)) is sympy.true  # off the switching set
    assert ok.contains(sympy.Tuple(0, 1)) is not sympy.true


# --- random piecewise-linear functions with known kink lines ----------------------------------

LINE = st.tuples(st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3)).filter(
    lambda t: t[0] != 0 or t[1] != 0)
TERM = st.tuples(st.sampled_from([-2, -1, 1, 3]), LINE)


def _canonical(a: int, b: int, d: int) -> tuple[tuple[int, int, int], int]:
    g = gcd(gcd(a, b), d)
    sign = 1 if (a, b) > (0, 0) else -1
    return (sign * a // g, sign * b // g, sign * d // g), sign * g


@pytest.mark.slow
@pytest.mark.skip(reason="does not finish: one generated example runs for over 45 minutes in "
                         "an unbudgeted SymPy call (seen in CI on 2026-12-03); to be found and "
                         "bounded, see the issue 17 note")
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(terms=st.lists(TERM, min_size=1, max_size=3), slope=st.tuples(st.integers(-2, 2),
                                                                      st.integers(-2, 2)))
def test_random_piecewise_linear(terms: list[tuple[int, tuple[int, int, int]]],
                                 slope: tuple[int, int]) -> None:
    """f = Σ c·|a x + b y + d| + linear: kinks exactly on the lines whose weights do not cancel."""
    x, y = sympy.symbols("x y", real=True)
    f = slope[0] * x + slope[1] * y + sum(
        (c * sympy.Abs(a * x + b * y + d) for c, (a, b, d) in terms), sympy.S.Zero)
    weights: dict[tuple[int, int, int], int] = {}
    for c, (a, b, d) in terms:
        key, scale = _canonical(a, b, d)
        weights[key] = weights.get(key, 0) + c * abs(scale)
    kinks = [k for k, w in weights.items() if w != 0]
    a = analyze_multi(f, vars="x, y")
    shown = json.dumps(a.to_dict(), indent=1)
    assert a.undecided == (), shown
    assert a.differentiable_everywhere is (not kinks)
    ok = a.differentiable_on
    assert ok is not None
    samples = [(sympy.Rational(i, 3), sympy.Rational(j, 2)) for i in range(-7, 8, 3)
               for j in range(-5, 6, 2)]
    for key in weights:  # points on every line, kink or not
        p, q, r = key
        samples += [(sympy.Rational(-r, p), sympy.Integer(t)) if p else
                    (sympy.Integer(t), sympy.Rational(-r, q)) for t in (-2, 1, 3)]
        if p and q:
            samples += [(sympy.Integer(0), sympy.Rational(-r, q))]
    for px, py in samples:
        on_kink = any(p * px + q * py + r == 0 for p, q, r in kinks)
        point = sympy.Tuple(px, py)
        assert a.nondifferentiable_set.contains(point) is sympy.sympify(on_kink), (point, shown)
        assert ok.contains(point) is sympy.sympify(not on_kink), (point, shown)


# --- words, JSON, segment ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "variables", "summary"),
    [
        pytest.param("Abs(x) + Abs(y)", "x, y",
                     "not differentiable on the axes x = 0 and y = 0; differentiable "
                     "everywhere else", id="axes"),
        pytest.param("Abs(x*y)", "x, y", "not differentiable on the axes x = 0 and y = 0 "
                     "except the origin; differentiable everywhere else", id="punctured-axes"),
        pytest.param("Max(x, y)", "x, y", "not differentiable on the line x = y; "
                     "differentiable everywhere else", id="line"),
        pytest.param("sqrt(x**2 + y**2)", "x, y", "not differentiable at the point (0, 0); "
                     "differentiable everywhere else", id="point"),
        pytest.param("x**2 + y**2", "x, y", "differentiable everywhere on ℝ²", id="smooth"),
        pytest.param("Max(x, y, 0)", "x, y", "not differentiable on the half-line x = 0 where "
                     "y ≤ 0, the half-line x = y where x ≥ 0 and the half-line y = 0 where "
                     "x ≤ 0; differentiable everywhere else", id="half-lines"),
        pytest.param("floor(x) + y", "x, y", "not decided everywhere (see the reasons)",
                     id="undecided"),
    ],
)
def test_summary_in_words(expr: str, variables: str, summary: str) -> None:
    from diffcheck.render.text_multi import summary_text

    assert summary_text(analyze_multi(expr, vars=variables)) == summary


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_cli_json_has_the_sets() -> None:
    result = run("Abs(x*y)", "--vars", "x,y", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["nondifferentiable_set"] == (
        "Union(ConditionSet((x, y), Eq(x, 0) & Ne(y, 0), ProductSet(Reals, Reals)), "
        "ConditionSet((x, y), Eq(y, 0) & Ne(x, 0), ProductSet(Reals, Reals)))")
    assert [p["description"] for p in data["nondifferentiable_parts"]] == [
        "x = 0, y ≠ 0", "y = 0, x ≠ 0"]
    assert data["undecided_sets"] == []
    assert data["differentiable_everywhere"] is False
    assert data["differentiable_on"].startswith("Complement(ProductSet(Reals, Reals), ")
    assert data["line"] is None


def test_cli_report_says_the_set_and_hides_a_smooth_points_hull() -> None:
    result = run("Abs(x) + Abs(y)", "--vars", "x,y", "--at", "x=1, y=2")
    assert result.exit_code == 0, result.output
    assert "Not differentiable on" in result.stdout
    assert "• the line x = 0" in result.stdout
    assert "decided with --at" not in result.stdout
    assert "generalized gradient" not in result.stdout  # (1, 2) is a smooth point
    assert result.stdout.rstrip().endswith(
        "not differentiable on the axes x = 0 and y = 0; differentiable everywhere else")


def test_line_restriction_maps_points_back() -> None:
    a = analyze_multi("Max(0, 1 - y*(w*x + b))", vars="w, b", set="x=2, y=1",
                      line="w=0, b=0; w=1, b=1")
    assert a.line is not None
    assert [(t, p) for t, p in a.line.points] == [
        (sympy.Rational(1, 3), (sympy.Rational(1, 3), sympy.Rational(1, 3)))]
    [p] = a.line.analysis.points
    assert p.kind == "corner"
    data = a.to_dict()["line"]
    assert data["from"] == ["0", "0"]
    assert data["to"] == ["1", "1"]
    assert data["points"] == [{"t": "1/3", "at": ["1/3", "1/3"], "kind": "corner"}]
    assert a.line.analysis.domain == sympy.Interval(0, 1)


def test_cli_line() -> None:
    result = run("Abs(x) + Abs(y) + Abs(z)", "--vars", "x,y,z", "--line",
                 "x=-1, y=-1, z=1; x=1, y=1, z=1", "--json")
    assert result.exit_code == 0, result.output
    [point] = json.loads(result.stdout)["line"]["points"]
    assert point == {"t": "1/2", "at": ["0", "0", "1"], "kind": "corner"}
    text = run("Abs(x) + Abs(y)", "--vars", "x,y", "--line", "x=-1, y=1; x=1, y=1")
    assert "On the segment from (-1, 1) to (1, 1)" in text.stdout
    assert "(0, 1)" in text.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["Abs(x)+y", "--vars", "x,y", "--line", "x=0, y=0"], "two points",
                     id="one-point"),
        pytest.param(["Abs(x)+y", "--vars", "x,y", "--line", "x=0, y=0; x=0, y=0"],
                     "the same", id="same-points"),
        pytest.param(["Abs(x)+y", "--vars", "x,y", "--line", "x=0; x=1, y=1"],
                     "no value for y", id="missing-coordinate"),
        pytest.param(["Abs(x)", "--line", "x=0; x=1"], "several variables", id="one-variable"),
        pytest.param(["x+y+z", "--vars", "x,y,z", "--plot", "out.png"], "two variables",
                     id="plot-three-variables"),
    ],
)
def test_cli_bad_line_and_plot(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_api_bad_line() -> None:
    with pytest.raises(InputError, match="two points"):
        analyze_multi("Abs(x) + y", vars="x, y", line=("x=0, y=0",))  # type: ignore[arg-type]


def test_repr_html() -> None:
    html = analyze_multi("Abs(x*y)", vars="x, y", at="x=0, y=1")._repr_html_()
    assert html.startswith('<div class="diffcheck-multi">')
    assert "the axes x = 0 and y = 0 except the origin" in html
    assert "kink" in html
    assert "<script" not in html
    escaped = analyze_multi("Piecewise((x, x < y), (y, True))", vars="x, y")._repr_html_()
    assert "x &lt; y" in escaped or "x < y" not in escaped
