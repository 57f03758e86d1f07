"""Functions with parameters: verdicts for every value, or cases (issue 16)."""

# The reports are mathematics: their double-struck letters and relation signs are meant.
# ruff: noqa: RUF001

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diffcheck import InputError, analyze
from diffcheck.analysis.assumptions import parse_assumptions
from diffcheck.cli import main
from diffcheck.model.report import Kind, PointReport
from diffcheck.render.text import condition as shown

# (expression, variable, assumptions, point, expected cases as
#  (condition as shown, kind, left derivative, right derivative)); one case: no split.
TEXTBOOK = [
    pytest.param("Abs(x)**p", "x", ["p > 0"], "0",
                 [("0 < p < 1", "cusp", "-oo", "oo"), ("p = 1", "corner", "-1", "1"),
                  ("p > 1", "differentiable", "0", "0")], id="abs-power"),
    pytest.param("Abs(x)**p", "x", [], "0",
                 [("p < 0", "infinite", None, None),
                  ("p = 0 or p > 1", "differentiable", "0", "0"),
                  ("0 < p < 1", "cusp", "-oo", "oo"), ("p = 1", "corner", "-1", "1")],
                 id="abs-power-any-p"),
    pytest.param("x**a", "x", ["a integer"], "0",
                 [("a < 0", "infinite", None, None),
                  ("a = 0 or a ≥ 2", "differentiable", "0", "0"),
                  ("a = 1", "differentiable", "1", "1")], id="integer-power"),
    pytest.param("x**(a/3)", "x", ["a integer", "a > 0"], "0",
                 [("a = 1", "vertical_tangent", "oo", "oo"), ("a = 2", "cusp", "-oo", "oo"),
                  ("a = 3", "differentiable", "1", "1"),
                  ("a = 4 or a = 5 or a = 6", "differentiable", "0", "0"),
                  ("a > 6", "unknown", None, None)],
                 id="rational-power-family"),
    pytest.param("a*Abs(x - b)", "x", [], "b",
                 [("a ≠ 0", "corner", "-a", "a"), ("a = 0", "differentiable", "0", "0")],
                 id="scaled-abs"),
    pytest.param("Max(a*x, b*x)", "x", [], "0",
                 [("a - b < 0", "corner", "a", "b"), ("a - b = 0", "differentiable", "b", "b"),
                  ("a - b > 0", "corner", "b", "a")], id="max-of-lines"),
    pytest.param("Piecewise((x**2*sin(1/x), Ne(x, 0)), (0, True))", "x", [], "0",
                 [("always", "differentiable", "0", "0")], id="x2-sin-no-parameter"),
    pytest.param("Piecewise((Abs(x)**p*sin(1/x), Ne(x, 0)), (0, True))", "x", ["p > 0"], "0",
                 [("0 < p < 1", "unknown", None, None), ("p = 1", "oscillating", None, None),
                  ("1 < p < 2", "differentiable", "0", "0"),
                  ("p = 2", "differentiable", "0", "0"), ("p > 2", "differentiable", "0", "0")],
                 id="xp-sin",
                 marks=pytest.mark.slow),
    pytest.param("leaky_relu(x, s)", "x", [], "0",
                 [("s ≠ 1", "corner", "s", "1"), ("s = 1", "differentiable", "1", "1")],
                 id="leaky-relu-slope"),
    pytest.param("huber(x, delta=d)", "x", ["d > 0"], "d",
                 [("always", "differentiable", "d", "d")], id="huber-delta"),
    pytest.param("huber(x, delta=d)", "x", [], "0",
                 [("d < 0", "corner", "-d", "d"), ("d ≥ 0", "differentiable", "0", "0")],
                 id="huber-any-delta"),
    pytest.param("Max(0, 1 - y*(w*x + b))", "w", [], "(1/y - b)/x",
                 [("(x > 0 and y > 0) or (x < 0 and y < 0)", "corner", "-x*y", "0"),
                  ("(x > 0 and y < 0) or (y > 0 and x < 0)", "corner", "0", "-x*y")],
                 id="hinge-in-w"),
    pytest.param("Max(0, 1 - x*t)", "x", [], "1/t",
                 [("t < 0", "corner", "0", "-t"), ("t > 0", "corner", "-t", "0")],
                 id="kink-at-1/t"),
    pytest.param("Max(0, -x*t)", "x", [], "0",
                 [("t < 0", "corner", "0", "-t"), ("t = 0", "differentiable", "0", "0"),
                  ("t > 0", "corner", "-t", "0")], id="kink-scaled-by-t"),
    pytest.param("Abs(x - t)**3", "x", [], "t",
                 [("always", "differentiable", "0", "0")], id="smooth-moving-point"),
]


def _point(analysis_points: tuple[PointReport, ...], at: str) -> PointReport:
    target = sympy.sympify(at, locals={n: sympy.Symbol(n, real=True) for n in "abdpstwxy"})
    for p in analysis_points:
        if sympy.simplify(p.at - target) == 0:
            return p
    raise AssertionError(f"no point {at} among {[p.at for p in analysis_points]}")


def _s(e: sympy.Expr | None) -> str | None:
    return None if e is None else sympy.sstr(e)


@pytest.mark.parametrize(("expr", "var", "assume", "at", "expected"), TEXTBOOK)
def test_textbook_cases(expr: str, var: str, assume: list[str], at: str,
                        expected: list[tuple[str, str, str | None, str | None]]) -> None:
    point = _point(analyze(expr, var=var, assume=assume).points, at)
    if len(expected) == 1:
        found = [("always", point.kind.value, _s(point.left_derivative),
                  _s(point.right_derivative))]
        assert not point.cases, point
    else:
        found = [(shown(c.condition), c.kind.value, _s(c.left_derivative),
                  _s(c.right_derivative)) for c in point.cases]
    assert found == expected, point


@pytest.mark.slow
def test_xp_sin_derivative_continuous_beyond_two() -> None:
    """x**p*sin(1/x) (0 at 0): f' exists for p > 1 and is continuous at 0 for p > 2."""
    [point] = analyze("Piecewise((Abs(x)**p*sin(1/x), Ne(x, 0)), (0, True))", var="x",
                      assume=["p > 1"]).points
    assert [(shown(c.condition), c.differentiable, c.derivative_continuous)
            for c in point.cases] == [("1 < p < 2", True, None), ("p = 2", True, False),
                                      ("p > 2", True, True)]
    assert point.differentiable is True


def test_derivative_continuity_per_case() -> None:
    [point] = analyze("Abs(x)**p", var="x", assume=["p > 0"]).points
    assert [c.derivative_continuous for c in point.cases] == [None, None, True]
    assert point.to_dict()["cases"][2]["derivative_continuous"] is True


# --- the property: no verdict for the symbolic form is contradicted by a substitution --

PROPERTY = [
    ("Abs(x)**p", "x", (), "0"),
    ("x**a", "x", (), "0"),
    ("x**a", "x", ("a integer",), "0"),
    ("a*Abs(x - b)", "x", (), "b"),
    ("Max(a*x, b*x)", "x", (), "0"),
    ("leaky_relu(x, s)", "x", (), "0"),
    ("huber(x, delta=d)", "x", (), "0"),
    ("huber(x, delta=d)", "x", (), "d"),
    ("Max(0, 1 - x*t)", "x", (), "1/t"),
    ("Max(0, -x*t)", "x", (), "0"),
    ("Abs(x - t)**3", "x", (), "t"),
    ("Abs(x)**p + a*Abs(x)", "x", ("p > 0",), "0"),
]
_SYMBOLIC: dict[tuple[str, str, tuple[str, ...]], object] = {}
CHECKS = {"substitutions": 0, "contradictions": 0}


def _symbolic(expr: str, var: str, assume: tuple[str, ...]) -> object:
    key = (expr, var, assume)
    if key not in _SYMBOLIC:
        _SYMBOLIC[key] = analyze(expr, var=var, assume=list(assume))
    return _SYMBOLIC[key]


def _admissible(values: dict[sympy.Symbol, sympy.Rational], assume: tuple[str, ...]) -> bool:
    a = parse_assumptions(list(assume))
    if any(not values[sympy.Symbol(n, real=True)].is_integer for n in a.integers):
        return False
    return all(bool(r.xreplace(values)) for r in a.relations)


def _agree(point: PointReport, values: dict[sympy.Symbol, sympy.Rational],
           truth: PointReport) -> bool:
    """Whether the symbolic answer, read at these values, says what the substituted one says."""
    if point.cases:
        holding = [c for c in point.cases if bool(c.condition.xreplace(values))]
        assert len(holding) == 1, (point, values)  # the cases partition the values
        case = holding[0]
        kind, differentiable = case.kind, case.differentiable
        formulas = (case.left_derivative, case.right_derivative, case.derivative)
    else:
        kind, differentiable = point.kind, point.differentiable
        formulas = (point.left_derivative, point.right_derivative, point.derivative)
    if kind is Kind.UNKNOWN or truth.kind is Kind.UNKNOWN:
        return differentiable is None or truth.differentiable is None or (
            differentiable == truth.differentiable)
    if kind != truth.kind or differentiable != truth.differentiable:
        return False
    theirs = (truth.left_derivative, truth.right_derivative, truth.derivative)
    for mine, other in zip(formulas, theirs, strict=True):
        if mine is not None and other is not None and sympy.simplify(
                mine.xreplace(values) - other) != 0 and mine.xreplace(values) != other:
            return False
    return True


_VALUES = st.sampled_from([sympy.Rational(n, d) for n in range(-4, 5) for d in (1, 2, 3)])


def _check(index: int, raw: list[sympy.Rational]) -> None:
    expr, var, assume, at = PROPERTY[index]
    symbolic = _symbolic(expr, var, assume)
    names = sorted(symbolic.expression.free_symbols - {symbolic.variable}, key=str)
    values = dict(zip(names, raw, strict=False))
    if len(values) < len(names) or not _admissible(values, assume):
        return
    local = {str(s): s for s in [*names, symbolic.variable]}
    a = sympy.sympify(at, locals=local)
    a_value = a.xreplace(values)
    if a_value.has(sympy.zoo, sympy.nan):
        return  # the point does not exist for these values
    point = _point(symbolic.points, at)
    if point.condition is not None and not bool(point.condition.xreplace(values)):
        return
    truth = _point(analyze(symbolic.expression.xreplace(values), var=var,
                           at=[a_value]).points, str(a_value))
    CHECKS["substitutions"] += 1
    if not _agree(point, values, truth):
        CHECKS["contradictions"] += 1
        raise AssertionError(f"{expr} at {at} with {values}: {point} vs {truth}")


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(PROPERTY) - 1), st.lists(_VALUES, min_size=3, max_size=3))
def test_substituted_values_never_contradict(index: int, raw: list[sympy.Rational]) -> None:
    _check(index, raw)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(PROPERTY) - 1), st.lists(_VALUES, min_size=3, max_size=3))
def test_substituted_values_never_contradict_many(index: int,
                                                  raw: list[sympy.Rational]) -> None:
    _check(index, raw)


# --- summaries, Euler's number, assumptions ----------------------------------------------


def test_summary_per_case() -> None:
    a = analyze("Abs(x)**p", var="x", assume=["p > 0"])
    assert [(shown(c.condition), c.set) for c in a.differentiable_on_cases] == [
        ("0 < p ≤ 1", sympy.S.Reals - sympy.FiniteSet(0)), ("p > 1", sympy.S.Reals)]
    assert a.to_dict()["differentiable_on"] == [
        {"condition": "(p <= 1) & (p > 0)", "set": "Union(Interval.open(-oo, 0), "
                                                   "Interval.open(0, oo))"},
        {"condition": "p > 1", "set": "Reals"}]
    assert a.to_dict()["assumptions"] == ["p > 0"]


def test_moving_point_differentiable_everywhere() -> None:
    a = analyze("Abs(x - t)**3", var="x")
    assert a.differentiable_on == sympy.S.Reals
    assert a.differentiable_everywhere is True


def test_e_is_euler_number() -> None:
    a = analyze("e^x", var="x")
    assert a.expression == sympy.exp(sympy.Symbol("x", real=True))
    assert a.differentiable_everywhere is True
    assert any("Euler" in n for n in a.notes)


@pytest.mark.parametrize(("kwargs"), [
    pytest.param({"var": "e"}, id="var-e"),
    pytest.param({"var": "x", "assume": ["e > 0"]}, id="assumption-on-e"),
])
def test_e_stays_a_name(kwargs: dict[str, object]) -> None:
    a = analyze("e*x + Abs(x)", **kwargs)  # type: ignore[arg-type]
    assert sympy.Symbol("e", real=True) in a.expression.free_symbols
    assert not any("Euler" in n for n in a.notes)


@pytest.mark.parametrize(("assume", "message"), [
    pytest.param(["p > 1", "p < 0"], "contradict", id="contradictory"),
    pytest.param(["a < b", "a > b"], "contradict", id="contradictory-two-names"),
    pytest.param(["q > 0"], "not a parameter", id="unknown-name"),
    pytest.param(["x > 0"], "the variable", id="the-variable"),
    pytest.param(["p >"], "empty", id="half-relation"),
    pytest.param(["p smooth"], "cannot read", id="unknown-word"),
])
def test_bad_assumptions(assume: list[str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        analyze("Abs(x)**p + a*x + b", var="x", assume=assume)


@pytest.mark.parametrize(("texts", "relations", "integers"), [
    pytest.param(["p > 0"], ["p > 0"], [], id="relation"),
    pytest.param(["0 < t < 1"], ["0 < t", "t < 1"], [], id="chain"),
    pytest.param(["a != 0"], ["Ne(a, 0)"], [], id="not-equal"),
    pytest.param(["n integer", "n is positive"], ["n > 0"], ["n"], id="words"),
])
def test_parse_assumptions(texts: list[str], relations: list[str],
                           integers: list[str]) -> None:
    a = parse_assumptions(texts)
    assert [sympy.sstr(r) for r in a.relations] == relations
    assert sorted(a.integers) == integers


# --- the command --------------------------------------------------------------------


def test_cli_assume_table_and_summary() -> None:
    result = CliRunner().invoke(main, ["Abs(x)^p", "--var", "x", "--assume", "p > 0"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "assuming p > 0" in out
    assert "depends on the parameters" in out
    assert "0 < p < 1  cusp" in out
    assert "differentiable on ℝ \\ {0} when 0 < p ≤ 1; on ℝ when p > 1" in out


def test_cli_json_cases() -> None:
    result = CliRunner().invoke(main, ["Max(0, -x*t)", "--var", "x", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [point] = data["points"]
    assert [(c["condition"], c["kind"]) for c in point["cases"]] == [
        ("t < 0", "corner"), ("Eq(t, 0)", "differentiable"), ("t > 0", "corner")]
    assert data["differentiable_on"] == [
        {"condition": "Ne(t, 0)", "set": "Union(Interval.open(-oo, 0), Interval.open(0, oo))"},
        {"condition": "Eq(t, 0)", "set": "Reals"}]
    assert data["unknown_points"] == []


@pytest.mark.parametrize("args", [
    pytest.param(["--autodiff", "torch"], id="autodiff"),
    pytest.param(["--plot", "out.png"], id="plot"),
])
def test_cli_needs_values_for_parameters(args: list[str], tmp_path: Path) -> None:
    args = [str(tmp_path / a) if a.endswith(".png") else a for a in args]
    result = CliRunner().invoke(main, ["Abs(x - t)", "--var", "x", *args])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "--set t=1" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_contradictory_assumptions() -> None:
    result = CliRunner().invoke(main, ["Abs(x)^p", "--var", "x", "--assume", "p > 1",
                                       "--assume", "p < 0"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the assumptions contradict each other")


def test_hinge_summary_names_when_the_kink_exists() -> None:
    a = analyze("Max(0, 1 - y*(w*x + b))", var="w")
    assert [(shown(c.condition), c.set is not None) for c in a.differentiable_on_cases] == [
        ("x·y ≠ 0", True), ("x·y = 0", True)]
    [point] = a.points
    assert shown(point.condition) == "x·y ≠ 0"
