"""The ``diffcheck`` command through click's CliRunner: exit codes, streams, options.

Most cases replace the analysis by a canned report (``canned``), so that they
test the command and nothing else; the cases under "end to end" run the real
analysis.
"""

# Expected output holds the report's mathematical symbols.
# ruff: noqa: RUF001

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import pytest
import sympy
from click.testing import CliRunner, Result

import diffcheck.analysis.single
from diffcheck import __version__
from diffcheck.analysis.options import Options
from diffcheck.cli import main
from diffcheck.errors import InputError, ParseError
from diffcheck.model.report import Analysis, CandidateSet, DerivativeOrder, Kind, PointReport

X = sympy.Symbol("x", real=True)
ZERO, ONE = sympy.Integer(0), sympy.Integer(1)

RELU = Analysis(
    expression=sympy.Max(0, X), variable=X,
    points=(PointReport(
        at=ZERO, sources=(sympy.Max(0, X),), value=ZERO, left_limit=ZERO, right_limit=ZERO,
        continuous=True, left_derivative=ZERO, right_derivative=ONE, differentiable=False,
        kind=Kind.CORNER, reason="left derivative 0 differs from right derivative 1",
        order=0, smoothness="C^0", subdifferential=(ZERO, ONE), kink="convex",
        derivatives=(DerivativeOrder(order=1, left=ZERO, right=ONE, differentiable=False),)),),
    differentiable_on=sympy.Complement(sympy.S.Reals, sympy.FiniteSet(0), evaluate=False),
    derivative=sympy.Heaviside(X),
    derivative_piecewise=sympy.Piecewise((0, X < 0), (1, X > 0)),
    derivative_notes=("SymPy's diff gives f'(x) = Heaviside(x), which is 1/2 at x = 0, but "
                      "f'(0) does not exist (corner)",),
    derivative_cases=((ZERO, sympy.Interval.open(-sympy.oo, 0)),
                      (ONE, sympy.Interval.open(0, sympy.oo))),
)
SMOOTH = Analysis(expression=X**2, variable=X, differentiable_on=sympy.S.Reals, derivative=2 * X)
UNDECIDED = Analysis(expression=X, variable=X, points=(
    PointReport(at=ZERO, kind=Kind.UNKNOWN, reason="the left side took longer than the budget"),
))
FAMILY = Analysis(expression=sympy.floor(X), variable=X, candidate_sets=(
    CandidateSet(set=sympy.S.Integers, differentiable=False, kind=Kind.JUMP, reason="jumps"),
))

JSON_KEYS = {
    "schema_version", "expression", "variable", "domain", "points", "candidate_sets",
    "nondifferentiable_points", "unknown_points", "differentiable_everywhere",
    "differentiable_on", "derivative", "notes",
    "order", "derivative_piecewise", "derivative_notes", "assumptions", "derivative_cases",
}
RELU_JSON = {
    "schema_version": 3, "expression": "Max(0, x)", "variable": "x", "domain": "Reals",
    "points": [{
        "at": "0", "sources": ["Max(0, x)"], "value": "0", "left_limit": "0",
        "right_limit": "0", "continuous": True, "left_derivative": "0",
        "right_derivative": "1", "differentiable": False, "derivative": None,
        "kind": "corner", "reason": "left derivative 0 differs from right derivative 1",
        "order": 0, "smoothness": "C^0",
        "derivatives": [{"order": 1, "left": "0", "right": "1", "differentiable": False,
                         "value": None, "continuous": None}],
        "subdifferential": ["0", "1"], "kink": "convex", "repair": None,
    }],
    "candidate_sets": [], "nondifferentiable_points": ["0"], "unknown_points": [],
    "differentiable_everywhere": False, "differentiable_on": "Complement(Reals, {0})",
    "derivative": "Heaviside(x)", "notes": [],
    "order": 1, "derivative_piecewise": "Piecewise((0, x < 0), (1, x > 0))",
    "derivative_notes": ["SymPy's diff gives f'(x) = Heaviside(x), which is 1/2 at x = 0, but "
                         "f'(0) does not exist (corner)"],
    "assumptions": [],
    "derivative_cases": [{"value": "0", "on": "Interval.open(-oo, 0)"},
                         {"value": "1", "on": "Interval.open(0, oo)"}],
}


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def assert_one_error_line(result: Result, code: int = 2) -> None:
    """Exit ``code``, nothing on stdout, one ``Error:`` line on stderr, no traceback."""
    detail = f"exit {result.exit_code}\nstdout: {result.stdout!r}\nstderr: {result.stderr!r}"
    assert result.exit_code == code, detail
    assert result.stdout == "", detail
    lines = result.stderr.splitlines()
    assert len(lines) == 1, detail
    assert lines[0].startswith("Error: "), detail
    assert "Traceback" not in result.stderr, detail
    assert result.exception is None or isinstance(result.exception, SystemExit), detail


@pytest.fixture
def canned(monkeypatch: pytest.MonkeyPatch) -> Callable[[Any], list[dict[str, Any]]]:
    """Make ``analyze`` return (or raise) the given thing; returns the calls' arguments."""

    def install(outcome: Any) -> list[dict[str, Any]]:
        calls: list[dict[str, Any]] = []

        def fake(expr: str, **kwargs: Any) -> Analysis:
            calls.append({"expr": expr, **kwargs})
            if isinstance(outcome, BaseException):
                raise outcome
            assert isinstance(outcome, Analysis)
            return outcome

        monkeypatch.setattr(diffcheck.analysis.single, "analyze", fake)
        return calls

    return install


# --- the command around the analysis --------------------------------------------------


def test_options_reach_analyze_as_one_options_object(canned: Callable[[Any], Any]) -> None:
    calls = canned(RELU)
    result = run("Max(0, y)", "--var", "y", "--at", "0", "--at", "pi/4", "--at", "-1",
                 "--domain", "[-1, 1]", "--order", "1", "--timeout", "2.5", "--verify")
    assert result.exit_code == 0, result.stderr
    assert calls == [{"expr": "Max(0, y)", "var": "y", "at": ("0", "pi/4", "-1"),
                      "options": Options(window=sympy.Interval(-1, 1), order=1, timeout=2.5,
                                         verify=True)}]


def test_defaults_reach_analyze(canned: Callable[[Any], Any]) -> None:
    calls = canned(RELU)
    assert run("Max(0, x)").exit_code == 0
    assert calls == [{"expr": "Max(0, x)", "var": None, "at": (), "options": Options()}]


@pytest.mark.parametrize(
    ("analysis", "flags", "code"),
    [
        pytest.param(RELU, [], 0, id="corner-without-flag"),
        pytest.param(RELU, ["--fail-on-nondifferentiable"], 1, id="corner-fails"),
        pytest.param(RELU, ["--json", "--fail-on-nondifferentiable"], 1, id="corner-json-fails"),
        pytest.param(SMOOTH, ["--fail-on-nondifferentiable"], 0, id="smooth-passes"),
        pytest.param(UNDECIDED, ["--fail-on-nondifferentiable"], 0, id="unknown-is-not-failure"),
        pytest.param(FAMILY, ["--fail-on-nondifferentiable"], 1, id="family-fails"),
    ],
)
def test_exit_codes(canned: Callable[[Any], Any], analysis: Analysis, flags: list[str],
                    code: int) -> None:
    canned(analysis)
    result = run("f", *flags)
    assert result.exit_code == code, result.stderr
    assert result.stderr == ""
    assert result.stdout  # the report is printed whatever the exit code


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(ParseError("Max(0,", 7, "missing ')'"), id="parse-error"),
        pytest.param(InputError("the expression has several free names (a, b, x); choose "
                                "the variable with --var"), id="input-error"),
        pytest.param(InputError("a message\nover two lines"), id="multi-line-message"),
    ],
)
def test_input_error_is_one_line_and_exit_2(canned: Callable[[Any], Any],
                                            error: InputError) -> None:
    canned(error)
    result = run("whatever")
    assert_one_error_line(result)
    assert " ".join(str(error).split()) in result.stderr


def test_interrupt_is_one_line_and_exit_130(canned: Callable[[Any], Any]) -> None:
    canned(KeyboardInterrupt())
    result = run("x")
    assert result.exit_code == 130
    assert result.stderr == "Error: interrupted\n"
    assert result.stdout == ""


def test_json_is_exactly_one_object(canned: Callable[[Any], Any]) -> None:
    canned(RELU)
    result = run("Max(0, x)", "--json")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert json.loads(result.stdout) == RELU_JSON
    assert result.stdout.endswith("}\n")


def test_report_goes_to_stdout_without_colour_when_piped(canned: Callable[[Any], Any]) -> None:
    canned(RELU)
    result = run("Max(0, x)")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == "f(x) = Max(0, x)"
    assert lines[-1] == "differentiable on ℝ \\ {0}"
    assert any(line.split()[-1:] == ["corner"] for line in lines)


@pytest.mark.parametrize(
    ("env", "coloured"),
    [
        pytest.param({"FORCE_COLOR": "1", "TERM": "xterm-256color"}, True, id="terminal"),
        pytest.param({"FORCE_COLOR": "1", "TERM": "xterm-256color", "NO_COLOR": "1"}, False,
                     id="no-color"),
    ],
)
def test_colour_follows_the_terminal_and_no_color(canned: Callable[[Any], Any],
                                                 env: dict[str, str], coloured: bool) -> None:
    canned(RELU)
    result = run("Max(0, x)", env=env)
    assert result.exit_code == 0
    assert ("\x1b[33m" in result.stdout) == coloured  # the verdict "corner" in yellow


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["-Abs(x)"], id="alone"),
        pytest.param(["-Abs(x)", "--at", "1"], id="before-an-option"),
        pytest.param(["--at", "-1", "-Abs(x)"], id="after-an-option-value"),
        pytest.param(["--", "-Abs(x)"], id="with-dashes"),
    ],
)
def test_expression_starting_with_minus_needs_no_dashes(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["--json", *args])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["expression"] == "-Abs(x)"


def test_an_option_value_starting_with_minus_stays_the_value() -> None:
    result = CliRunner().invoke(main, ["Abs(x)", "--at", "-1", "--json"])
    assert result.exit_code == 0, result.output
    assert [p["at"] for p in json.loads(result.stdout)["points"]] == ["-1", "0"]


def test_help_lists_the_subcommands_with_an_example_each() -> None:
    text = run("--help").stdout
    assert "diffcheck catalog " in text
    assert "diffcheck batch FILE " in text


def test_help_shows_examples() -> None:
    result = run("--help")
    assert result.exit_code == 0
    text = result.stdout
    assert "Examples:" in text
    for example in ('diffcheck "Max(0, x)"', "--at 1", '--domain "[-2, 2]"', "--json",
                    "Exit codes:"):
        assert example in text, example
    assert max(len(line) for line in text.splitlines()) <= 100
    assert f"[default: {diffcheck.analysis.single.DEFAULT_TIMEOUT:g}]" in text


def test_report_degrades_to_question_marks_on_an_ascii_terminal(
        canned: Callable[[Any], Any], monkeypatch: pytest.MonkeyPatch) -> None:
    canned(RELU)
    buffer = io.BytesIO()
    stream = io.TextIOWrapper(buffer, encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stream)
    with pytest.raises(SystemExit) as exit_:
        main(["Max(0, x)"])
    assert exit_.value.code == 0
    stream.flush()
    assert buffer.getvalue().decode("ascii").splitlines()[-1] == "differentiable on ? \\ {0}"


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"diffcheck {__version__}\n"


@pytest.mark.parametrize("real", [pytest.param(False, id="canned"), pytest.param(True, id="real")])
def test_json_path_does_not_import_rich(real: bool) -> None:
    """``--json`` must start fast: rich is loaded only for the terminal report."""
    code = textwrap.dedent(f"""
        import sys
        import sympy
        import diffcheck.analysis.single
        from diffcheck.model.report import Analysis
        if not {real}:
            x = sympy.Symbol("x", real=True)
            diffcheck.analysis.single.analyze = lambda *a, **k: Analysis(expression=x, variable=x)
        from diffcheck.cli import main
        main(["Max(0, x)", "--json"], standalone_mode=False)
        loaded = sorted(m for m in sys.modules if m == "rich" or m.startswith("rich."))
        sys.exit(f"rich was imported: {{loaded}}" if loaded else 0)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, env={**os.environ, "PYTHONWARNINGS": "error"})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["variable"] == "x"


# --- end to end (the real analysis) ---------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["__import__('os')"], id="dunder-call"),
        pytest.param(["Max(0,"], id="unclosed-call"),
        pytest.param([""], id="empty"),
        pytest.param(["   "], id="blank"),
        pytest.param(["x", "--domain", "[2, 1]"], id="empty-domain"),
        pytest.param(["x", "--at", "x"], id="point-is-the-variable"),
        pytest.param(["a*x + b"], id="several-free-names"),
        pytest.param(["x", "--order", "0"], id="order-0"),
        pytest.param(["x", "--order", "13"], id="order-too-high"),
        pytest.param(["x", "--timeout", "0"], id="zero-timeout"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str]) -> None:
    assert_one_error_line(run(*args))


def test_relu_json_end_to_end() -> None:
    result = run("Max(0, x)", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == JSON_KEYS
    assert data == RELU_JSON


def test_relu_report_end_to_end() -> None:
    result = run("Max(0, x)")
    assert result.exit_code == 0, result.stderr
    assert "corner" in result.stdout
    assert ["0", "0", "0", "0", "0", "1", "corner"] in [line.split()
                                                        for line in result.stdout.splitlines()]
    assert result.stdout.splitlines()[-1] == "differentiable on ℝ \\ {0}"


def test_relu_fails_on_request_end_to_end() -> None:
    assert run("Max(0, x)", "--fail-on-nondifferentiable").exit_code == 1
    assert run("x**2", "--fail-on-nondifferentiable").exit_code == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["Abs(x**3 - x)"], id="abs-cubic"),
        pytest.param(["floor(x)", "--domain", "[-2, 2]"], id="floor-window"),
        pytest.param(["floor(x)"], id="floor-family"),
        pytest.param(["x**(1/3) + 1/(x - 1)"], id="root-and-pole"),
        pytest.param(["sqrt(x)"], id="endpoint"),
        pytest.param(["x**2*sin(1/x)", "--at", "0"], id="oscillating-factor"),
        pytest.param(["Piecewise((x**2, x < 1), (2*x - 1, True))"], id="piecewise"),
        pytest.param(["a*Abs(x - b)", "--var", "x"], id="parameters"),
    ],
)
def test_command_runs_as_a_program(args: list[str]) -> None:
    """``python -m diffcheck`` in a real process: exit 0, a report, a JSON object."""
    for extra in ([], ["--json"]):
        proc = subprocess.run([sys.executable, "-m", "diffcheck", *args, *extra],
                              capture_output=True, text=True, check=False, timeout=600)
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr == ""
        if extra:
            assert set(json.loads(proc.stdout)) == JSON_KEYS
        else:
            assert proc.stdout.startswith("f(")
