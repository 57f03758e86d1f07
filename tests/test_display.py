"""What a person reads: the headline f′, numbers, clutter, str(analysis), catalog widths."""

# ruff: noqa: RUF001, RUF002, RUF003

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sympy
from click.testing import CliRunner

from diffcheck import analyze
from diffcheck.cli import main


def report(*args: str, width: int = 80) -> str:
    result = CliRunner().invoke(main, list(args), env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("expr", "lines"),
    [
        pytest.param("(x^2-4)/(x-2)", ["f′(x) = 1 for x ∈ ℝ \\ {2}"], id="quotient-simplified"),
        pytest.param("Max(0, x)", ["f′(x) = 0 for x ∈ (-∞, 0)", "        1 for x ∈ (0, ∞)"],
                     id="relu-cases"),
        pytest.param("x*Abs(x)", ["f′(x) = -2x for x ∈ (-∞, 0]", "        2x  for x ∈ (0, ∞)"],
                     id="no-sign-products"),
        pytest.param("floor(x)", ["f′(x) = 0 away from the points below"],
                     id="zero-away-from-the-points"),
    ],
)
def test_the_header_shows_the_simplified_derivative(expr: str, lines: list[str]) -> None:
    text = report(expr).splitlines()
    assert text[1:1 + len(lines)] == lines
    assert "Heaviside" not in report(expr)


def test_sympy_diff_note_goes_when_the_cases_are_shown() -> None:
    assert "SymPy's diff" not in report("Max(0, x)")
    assert analyze("Max(0, x)").derivative_notes  # still in the JSON


def test_derivative_cases_are_exact_and_agree_with_the_points() -> None:
    a = analyze("huber(x)")
    x = a.variable
    assert [(str(v), str(on)) for v, on in a.derivative_cases] == [
        ("-1", "Interval(-oo, -1)"), ("x", "Interval.Lopen(-1, 1)"), ("1", "Interval.open(1, oo)")]
    for p in a.points:  # every formula holds where its set says, against the point's f′
        for formula, on in a.derivative_cases:
            if on.contains(p.at) is sympy.true:
                assert formula.subs(x, p.at) == p.derivative


@pytest.mark.parametrize(
    ("expr", "shown"),
    [
        pytest.param("x**5 - x - 1 + Abs(x**5 - x - 1)", "CRootOf(x⁵ - x - 1, 0) ≈ 1.1673",
                     id="algebraic-point"),
        pytest.param("1e-12*Abs(x)", "10⁻¹²", id="tiny-coefficient"),
        pytest.param("Abs(sin(x))", "{nπ | n ∈ ℤ}", id="family-in-unicode"),
        pytest.param("Abs(x**2 - 1/4)", "-1/2", id="rational-stays-exact"),
    ],
)
def test_numbers_people_can_read(expr: str, shown: str) -> None:
    text = report(expr)
    assert shown in text
    assert "pi" not in text
    assert "**" not in text


def test_a_huge_coefficient_is_short() -> None:
    assert len(report("1e400*x")) < 400


def test_a_smooth_candidate_is_not_a_point_of_interest() -> None:
    text = report("huber(x)")
    rows = [line.split()[0] for line in text.splitlines() if line.endswith("differentiable")]
    assert rows == ["-1", "1"]
    assert "also checked: 0 (f is smooth there)" in text


def test_a_point_asked_for_is_shown_even_if_smooth() -> None:
    text = report("x**2", "--at", "1")
    assert any(line.split()[:1] == ["1"] for line in text.splitlines())


def test_the_table_is_not_repeated_below_it() -> None:
    text = report("Abs(x)")
    assert "corner:" not in text  # the table's verdict and slopes say it
    assert "D^" not in text
    assert "C^0" not in text
    assert "smoothness C⁰ (continuous, not differentiable)" in text


def test_d1_is_said_in_words() -> None:
    text = report("Piecewise((x**2*sin(1/x), Ne(x, 0)), (0, True))")
    assert "smoothness D¹ (differentiable once; f′ is not continuous)" in text


def test_point_column_is_x0() -> None:
    assert report("Abs(x)").splitlines()[4].split()[:2] == ["x₀", "f(x₀)"]


@pytest.mark.parametrize("args", [
    pytest.param(("Abs(x)",), id="report"),
    pytest.param(("Abs(x)", "--explain"), id="explain"),
    pytest.param(("catalog", "--no-autodiff"), id="catalog"),
])
def test_no_trailing_spaces_in_piped_output(args: tuple[str, ...]) -> None:
    text = report(*args)
    assert text.strip()
    assert all(line == line.rstrip() for line in text.splitlines())


def test_plot_into_a_missing_directory_fails_before_the_analysis(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["Abs(x)", "--plot", str(tmp_path / "no" / "f.png")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "does not exist" in result.stderr


def test_str_and_print_give_the_report() -> None:
    a = analyze("Abs(x)")
    assert str(a).startswith("f(x) = Abs(x)\nf′(x) = -1 for x ∈ (-∞, 0)")
    assert str(a).endswith("differentiable on ℝ \\ {0}")
    assert "PointReport(" not in str(a)
    assert repr(a).startswith("Analysis(")


@pytest.mark.parametrize("width", [40, 60, 80])
def test_catalog_never_cuts_a_number(width: int) -> None:
    """Every point and one-sided derivative of the catalogue appears whole at any width."""
    import json

    from diffcheck.render.terminal_ml import short

    entries = json.loads(report("catalog", "--json", "--no-autodiff"))["entries"]
    narrow = report("catalog", "--no-autodiff", width=width).split("\n\n")[0]
    assert all(len(line) <= width for line in narrow.splitlines())
    words = set(re.findall(r"[^\s,=:]+", narrow))
    for entry in entries:
        for point in entry["points"]:
            for key in ("at", "left_derivative", "right_derivative"):
                value = point[key]
                shown = short(sympy.sympify(value)) if value is not None else "—"
                assert shown in words, (entry["name"], key, shown)


def test_not_computed_is_not_does_not_exist() -> None:
    """``?`` for a value the budget did not allow, ``—`` for one that does not exist."""
    from diffcheck.model.report import Analysis, Kind, PointReport
    from diffcheck.notebook import text

    x = sympy.Symbol("x", real=True)
    timed_out = PointReport(at=sympy.Integer(1), kind=Kind.UNKNOWN,
                            reason="the left side took longer than the time budget; raise the "
                                   "timeout (--timeout, now 0.05 s) to decide it")
    pole = analyze("1/x").points[0]
    shown = text(Analysis(expression=1 / x + sympy.Abs(x - 1), variable=x,
                          points=(pole, timed_out)))
    rows = {line.split()[0]: line.split()[1:6] for line in shown.splitlines()
            if line[:2] in ("0 ", "1 ") and line.split()[1] not in ("from", "unknown:")}
    assert rows["0"] == ["—", "-∞", "∞", "—", "—"]
    assert rows["1"] == ["?", "?", "?", "?", "?"]
    assert "— does not exist; ? not computed within the time budget" in shown
    assert "raise the timeout (--timeout, now 0.05 s)" in shown


def test_a_spent_budget_names_the_fix() -> None:
    a = analyze("Abs(x**5 - x - 1)*exp(sin(x**3))", timeout=0.01)
    unknown = [p for p in a.points if p.kind.value == "unknown"]
    assert unknown, "expected the tiny budget to leave the point undecided"
    assert all("raise the timeout (--timeout" in p.reason for p in unknown)


@pytest.mark.parametrize(
    ("expr", "summary"),
    [
        pytest.param("Abs(sin(x))", "differentiable on ℝ \\ {nπ | n ∈ ℤ}", id="sin-zeros-merged"),
        pytest.param("Abs(cos(x))", "differentiable on ℝ \\ {nπ + π/2 | n ∈ ℤ}",
                     id="cos-zeros-merged"),
        pytest.param("Abs(sin(x)) + floor(x/pi)", "differentiable on ℝ \\ {nπ | n ∈ ℤ}",
                     id="same-set-twice-once"),
    ],
)
def test_families_in_their_simplest_form(expr: str, summary: str) -> None:
    assert report(expr).splitlines()[-1] == summary


def test_families_with_different_verdicts_stay_apart() -> None:
    """|sin 2x cos x| has corners at nπ but is differentiable at nπ + π/2 (a double zero)."""
    families = analyze("Abs(sin(2*x)*cos(x))").candidate_sets
    kinds = sorted(f.kind.value for f in families)
    assert kinds == ["corner", "differentiable"]
    for family in families:  # every sample lies in its family, with the family's verdict
        for sample in family.samples:
            assert family.set.contains(sample.at) is sympy.true
            assert sample.kind == family.kind
