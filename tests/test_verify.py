"""The numeric cross-check (``--verify``): evaluator, judgement, downgrades, output."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest
import sympy
from click.testing import CliRunner
from rich.console import Console

import diffcheck.analysis.single
from diffcheck import Kind, analyze
from diffcheck.analysis.verify import STEPS, Numeric, check_point, numeric, verify_point
from diffcheck.cli import main
from diffcheck.language.parsing import parse_expression, parse_point
from diffcheck.model.report import PointReport

X = sympy.Symbol("x", real=True)

# --- the evaluator follows SymPy's (and the parser's) conventions ---------------------

EVALUATOR = [
    pytest.param("Heaviside(x)", "0", "1/2", id="heaviside-half"),
    pytest.param("sign(x)", "0", "0", id="sign-0"),
    pytest.param("floor(x)", "-1/2", "-1", id="floor-negative"),
    pytest.param("ceiling(x)", "-1/2", "0", id="ceiling-negative"),
    pytest.param("frac(x)", "-1/2", "1/2", id="frac-negative"),
    pytest.param("Mod(x, 2)", "-1/2", "3/2", id="mod-negative"),
    pytest.param("Max(0, x, 1 - x)", "1/4", "3/4", id="max3"),
    pytest.param("Min(1, Max(0, x))", "3", "1", id="clip"),
    pytest.param("Abs(x)**(3/2)", "-4", "8", id="abs-power"),
    pytest.param("x**(1/3)", "-8", "-2", id="real-cube-root"),
    pytest.param("x**(2/3)", "-8", "4", id="real-two-thirds"),
    pytest.param("Piecewise((x**2, x < 1), (2*x, True))", "1", "2", id="piecewise-boundary"),
    pytest.param("Piecewise((0, x**2 < 2), (1, True))", "sqrt(2)", "1", id="piecewise-exact"),
    pytest.param("sqrt(x)", "-1", None, id="even-root-negative"),
    pytest.param("log(x)", "0", None, id="log-0"),
    pytest.param("1/x", "0", None, id="pole"),
    pytest.param("Piecewise((x, x > 0))", "-1", None, id="no-piece"),
    pytest.param("acos(x)", "2", None, id="acos-outside"),
]


@pytest.mark.parametrize(("expr", "at", "expected"), EVALUATOR)
def test_evaluator(expr: str, at: str, expected: str | None) -> None:
    """Exact substitution + evalf gives SymPy's exact value, or None off the real line."""
    f = parse_expression(expr)
    got = numeric(f.subs(X, parse_point(at)))
    if expected is None:
        assert got is None
    else:
        assert got is not None
        assert abs(got - sympy.Rational(expected)) < 1e-25


def test_cancellation_keeps_its_digits() -> None:
    """At h = 7e-31 the quotient of exp at 1 is still e to 20 digits (adaptive precision)."""
    a = analyze("exp(x)", at=["1"], verify=True)
    [p] = a.points
    assert p.numeric_check is not None
    _h, q = p.numeric_check.right.steps[-1]
    assert abs(q - sympy.E) < 1e-20


# --- the textbook traps: symbolic and numeric agree -----------------------------------

TRAPS = [
    pytest.param("Piecewise((x*sin(1/x), Ne(x, 0)), (0, True))", "0", "oscillating",
                 "oscillates", "oscillates", id="x-sin-1-over-x"),
    pytest.param("Piecewise((x**2*sin(1/x), Ne(x, 0)), (0, True))", "0", "differentiable",
                 "converges", "converges", id="x2-sin-1-over-x"),
    pytest.param("Piecewise((x*sin(pi/x), Ne(x, 0)), (0, True))", "0", "oscillating",
                 "oscillates", "oscillates", id="x-sin-pi-over-x-no-aliasing"),
    pytest.param("Max(0, x) - Max(0, -x)", "0", "differentiable", "converges", "converges",
                 id="relu-difference"),
    pytest.param("huber(x)", "0", "differentiable", "converges", "converges", id="huber-0"),
    pytest.param("huber(x)", "1", "differentiable", "converges", "converges", id="huber-1"),
    pytest.param("huber(x)", "-1", "differentiable", "converges", "converges", id="huber-m1"),
    pytest.param("x**(1/3)", "0", "vertical_tangent", "diverges", "diverges", id="cube-root"),
    pytest.param("x**(2/3)", "0", "cusp", "diverges", "diverges", id="two-thirds"),
    pytest.param("Abs(x)**(3/2)", "0", "differentiable", "converges", "converges",
                 id="abs-three-halves"),
    pytest.param("Abs(x)", "0", "corner", "converges", "converges", id="abs"),
    pytest.param("Abs(x - sqrt(2))", "sqrt(2)", "corner", "converges", "converges",
                 id="abs-irrational"),
    pytest.param("floor(x)", "1", "jump", "diverges", "converges", id="floor"),
    pytest.param("sign(x)", "0", "jump", "diverges", "diverges", id="sign"),
    pytest.param("sqrt(x)", "0", "endpoint", "undefined", "diverges", id="sqrt-endpoint"),
    pytest.param("Piecewise((x/log(Abs(x)), Ne(x, 0)), (0, True))", "0", "differentiable",
                 "unsettled", "unsettled", id="slow-convergence-1-over-log"),
    pytest.param("Piecewise((x*log(Abs(x)), Ne(x, 0)), (0, True))", "0", "vertical_tangent",
                 "unsettled", "unsettled", id="slow-divergence-log"),
    pytest.param("Piecewise((exp(-1/x**2), Ne(x, 0)), (0, True))", "0", "differentiable",
                 "converges", "converges", id="flat"),
    pytest.param("Max(sin(x), cos(x))", "pi/4", "corner", "converges", "converges",
                 id="max-trig"),
]


@pytest.mark.parametrize(("expr", "at", "kind", "left", "right"), TRAPS)
def test_traps_agree(expr: str, at: str, kind: str, left: str, right: str) -> None:
    analysis = analyze(expr, at=[at], verify=True)
    [p] = [p for p in analysis.points if p.at == parse_point(at)]
    check = p.numeric_check
    assert check is not None
    assert (p.kind.value, check.left.verdict.value, check.right.verdict.value, check.agrees) == (
        kind, left, right, True), check.reason


def test_verify_changes_nothing_when_numbers_agree() -> None:
    plain = analyze("Abs(x) + Max(0, x - 1)")
    checked = analyze("Abs(x) + Max(0, x - 1)", verify=True)
    strip = [dataclasses.replace(p, numeric_check=None) for p in checked.points]
    assert tuple(strip) == plain.points
    assert checked.differentiable_on == plain.differentiable_on


# --- a wrong symbolic answer is caught -------------------------------------------------


def _corner() -> PointReport:
    [p] = analyze("Abs(x)").points
    return p


WRONG = [
    pytest.param({"right_derivative": sympy.Integer(2)}, "right derivative is 2 symbolically",
                 id="wrong-slope"),
    pytest.param({"left_derivative": sympy.S.Infinity}, "left derivative is oo symbolically",
                 id="wrong-infinite"),
    pytest.param({"left_derivative": sympy.Integer(1), "kind": Kind.DIFFERENTIABLE,
                  "differentiable": True, "derivative": sympy.Integer(1)},
                 "left derivative is 1 symbolically", id="false-differentiable"),
    pytest.param({"left_derivative": None, "right_derivative": None, "kind": Kind.OSCILLATING},
                 "derivative has no limit symbolically", id="false-oscillating"),
    pytest.param({"value": sympy.Integer(1)}, "f(0) is 1 symbolically", id="wrong-value"),
]


@pytest.mark.parametrize(("change", "named"), WRONG)
def test_wrong_report_is_downgraded(change: dict[str, object], named: str) -> None:
    wrong = dataclasses.replace(_corner(), **change)
    p = verify_point(sympy.Abs(X), X, wrong)
    assert (p.kind, p.differentiable, p.derivative) == (Kind.UNKNOWN, None, None)
    assert named in p.reason
    assert "difference quotients" in p.reason or "numerically" in p.reason
    assert p.numeric_check is not None
    assert p.numeric_check.agrees is False


def test_injected_wrong_derivative_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in the symbolic path (every one-sided derivative off by 1) is caught end to end."""
    real = diffcheck.analysis.single.difference_quotient_limit

    def off_by_one(*args: object, **kwargs: object) -> sympy.Expr | None:
        slope = real(*args, **kwargs)  # type: ignore[arg-type]
        return None if slope is None else slope + 1

    monkeypatch.setattr(diffcheck.analysis.single, "difference_quotient_limit", off_by_one)
    unchecked = analyze("Max(0, x) + Abs(x - 1)")
    assert [p.kind for p in unchecked.points] == [Kind.CORNER, Kind.CORNER]  # wrong slopes
    analysis = analyze("Max(0, x) + Abs(x - 1)", verify=True)
    assert [p.kind for p in analysis.points] == [Kind.UNKNOWN, Kind.UNKNOWN]
    assert "left derivative is 0 symbolically, but the left difference quotients converge to " \
           "-1.0" in analysis.points[0].reason
    assert analysis.unknown_points == (0, 1)


def test_injected_false_differentiable_leaves_the_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """A point wrongly found differentiable is taken out of differentiable_on."""
    real = diffcheck.analysis.single.difference_quotient_limit

    def always_one(*args: object, **kwargs: object) -> sympy.Expr | None:
        real(*args, **kwargs)  # type: ignore[arg-type]
        return sympy.Integer(1)

    monkeypatch.setattr(diffcheck.analysis.single, "difference_quotient_limit", always_one)
    assert analyze("Abs(x)").differentiable_everywhere is True  # the injected lie
    analysis = analyze("Abs(x)", verify=True)
    assert analysis.points[0].kind is Kind.UNKNOWN
    assert analysis.differentiable_everywhere is None
    assert analysis.differentiable_on is not None
    assert analysis.differentiable_on.contains(0) is not sympy.true


def test_parameters_are_not_checked() -> None:
    [p] = analyze("a*Abs(x)", var="x", verify=True).points
    assert p.numeric_check is not None
    assert p.numeric_check.agrees is None
    assert p.numeric_check.reason == "not checked: f has parameters"


def test_family_samples_are_checked() -> None:
    [family] = analyze("floor(x)", verify=True).candidate_sets
    assert all(s.numeric_check is not None and s.numeric_check.agrees for s in family.samples)
    assert family.kind is Kind.JUMP


def test_steps_decrease() -> None:
    assert list(STEPS) == sorted(STEPS, reverse=True)
    assert len(STEPS) == 12


def test_check_point_is_pure_of_the_report_fields_it_does_not_read() -> None:
    p = _corner()
    c = check_point(sympy.Abs(X), X, p)
    assert (c.left.verdict, c.right.verdict) == (Numeric.CONVERGES, Numeric.CONVERGES)
    assert (c.left.symbolic, c.right.symbolic) == (-1, 1)


# --- output -----------------------------------------------------------------------------


def test_json_has_numeric_check_only_when_asked() -> None:
    plain = analyze("Abs(x)").to_dict()
    assert "numeric_check" not in plain["points"][0]
    checked = analyze("Abs(x)", verify=True).to_dict()["points"][0]
    assert {k: v for k, v in checked.items() if k != "numeric_check"} == plain["points"][0]
    nc = checked["numeric_check"]
    assert (nc["agrees"], nc["left"]["verdict"], nc["left"]["symbolic"]) == (True, "converges",
                                                                             "-1")
    assert nc["right"]["steps"][0] == {"h": "7e-9", "quotient": "1.00000000000"}
    assert len(nc["right"]["steps"]) == 12


def test_rich_report_shows_the_quotients() -> None:
    from diffcheck.render.terminal import render_analysis

    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(render_analysis(analyze("Max(0, x)", verify=True)))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "Numeric check" in text
    assert "agrees: the difference quotients confirm both one-sided derivatives" in text
    row = next(line for line in text.splitlines() if line.strip().startswith("7e-31"))
    assert row.split() == ["7e-31", "0.0", "1.0000000"]


def test_cli_verify() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["Abs(x)", "--verify", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["points"][0]["numeric_check"]["agrees"] is True
    result = runner.invoke(main, ["Abs(x)", "--verify"])
    assert result.exit_code == 0
    assert "Numeric check" in result.stdout
    result = runner.invoke(main, ["Abs(x)", "--json"])
    assert "numeric_check" not in result.stdout


def test_steps_stay_between_kinks_that_are_close() -> None:
    """Kinks exp(-100) apart: every step h stays below a thousandth of the gap, so each
    point's quotients describe that point (7e-9 would cross the other kink)."""
    a = analyze("Max(x, exp(-100)) + Abs(x)", verify=True)
    assert [p.kind for p in a.points] == [Kind.CORNER, Kind.CORNER]
    for p in a.points:
        check = p.numeric_check
        assert check is not None
        assert check.agrees is True
        assert max(h for h, _q in check.left.steps) < sympy.exp(-100) / 1000


def test_step_scales_see_gaps_floats_cannot() -> None:
    from diffcheck.analysis.verify import step_scales

    assert step_scales([sympy.S.One, 1 + sympy.Rational(1, 10**20)]) == [
        sympy.Rational(1, 10**15)] * 2
    assert step_scales([sympy.S.Zero, sympy.S.One]) == [1, 1]
