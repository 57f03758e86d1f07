"""The derivation at each point (data, rich text, Markdown, LaTeX) and the CLI options."""

# The explanation is mathematics for a terminal: its minus and prime signs are meant.
# ruff: noqa: RUF001

from __future__ import annotations

import io
import json

import pytest
import sympy
from click.testing import CliRunner
from rich.console import Console

from diffcheck import analyze
from diffcheck.analysis.explain import explain
from diffcheck.cli import main
from diffcheck.engine.smoothness import written
from diffcheck.render.latex import render_latex
from diffcheck.render.markdown import render_markdown
from diffcheck.render.terminal import explain_line, render_explanation

H = sympy.Symbol("h", real=True)
X = sympy.Symbol("x", real=True)


def text(renderable: object) -> str:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


DERIVATIONS = [
    # expression, point, (left piece, left quotient), (right piece, right quotient)
    pytest.param("Max(0, x)", "0", ("0", "0"), ("x", "1"), id="relu"),
    pytest.param("Abs(x)", "0", ("-x", "-1"), ("x", "1"), id="abs"),
    pytest.param("x*Abs(x)", "0", ("-x**2", "-h"), ("x**2", "h"), id="x-abs-x"),
    pytest.param("Abs(x - 1)", "1", ("1 - x", "-1"), ("x - 1", "1"), id="shifted"),
    pytest.param("sqrt(x)", "0", ("None", "None"), ("sqrt(x)", "1/sqrt(h)"), id="endpoint"),
    pytest.param("sin(x)/x", "0", ("sin(x)/x", "None"), ("sin(x)/x", "None"), id="removable"),
]


@pytest.mark.parametrize(("expr", "at", "left", "right"), DERIVATIONS)
def test_derivation_records_the_resolved_pieces(expr: str, at: str, left: tuple[str, str],
                                                right: tuple[str, str]) -> None:
    analysis = analyze(expr, at=[at])
    [p] = analysis.points
    assert p.derivation is not None
    assert p.derivation.left.quotient is None  # formed when shown, not by the analysis
    d = written(analysis.expression, p.derivation)
    got = [(sympy.sstr(s.piece), sympy.sstr(s.quotient)) for s in (d.left, d.right)]
    assert got == [left, right]
    assert (d.left.slope, d.right.slope) == (p.left_derivative, p.right_derivative)


def test_rich_explanation_of_relu() -> None:
    shown = text(render_explanation(explain(analyze("Max(0, x)"))))
    for line in [
        "a = 0: corner",
        "Value: f(0) = 0",
        "On the left of 0, f coincides with the branch f(x) = 0.",
        "On the right of 0, f coincides with the branch f(x) = x.",
        "lim[x→0−] f(x) = lim[x→0−] 0 = 0, lim[x→0+] f(x) = lim[x→0+] x = 0; "
        "so f is continuous at 0.",
        "For h < 0: (f(0 + h) − f(0))/h = (Max(0, h) − 0)/h = (0 − 0)/h = 0; "
        "its limit is lim[h→0−] 0 = 0.",
        "For h > 0: (f(0 + h) − f(0))/h = (Max(0, h) − 0)/h = (h − 0)/h = 1; "
        "its limit is lim[h→0+] 1 = 1.",
        "Conclusion: corner: left derivative 0 differs from right derivative 1.",
        "Subdifferential: the Clarke generalized derivative is [0, 1] (convex kink); any value "
        "in it is a valid choice of derivative for an optimiser",
    ]:
        assert line in shown, shown


def test_rich_explanation_of_higher_orders_and_repair() -> None:
    shown = text(render_explanation(explain(analyze("Abs(x)**3", order=3))))
    assert ("Order 3: the glued derivative of order 2 has one-sided difference-quotient "
            "limits -6 and 6, so the derivative of order 3 at 0 does not exist.") in shown
    assert "Smoothness: C^2" in shown
    shown = text(render_explanation(explain(analyze("sin(x)/x"))))
    assert "Repair: define f(0) = 1; then f'(0) = 0." in shown


def test_markdown() -> None:
    md = render_markdown(explain(analyze("Max(0, x)")))
    assert md.startswith("# $f(x) = \\max\\left(0, x\\right)$\n")
    assert "| $0$ | $0$ | $0$ | $0$ | $0$ | $1$ | corner | $C^{0}$ |" in md
    assert "## $x = 0$: corner" in md
    assert ("- For h < 0: $\\frac{f(0 + h) - f(0)}{h} = \\frac{\\max\\left(0, h\\right) - 0}{h}"
            " = \\frac{0 - 0}{h} = 0$; its limit is $\\lim_{h \\to 0^{-}} 0 = 0$.") in md


def test_latex() -> None:
    tex = render_latex(explain(analyze("sin(x)/x")))
    assert "\\paragraph{At $x = 0$: removable.}" in tex
    assert "\\item Repair: define $f{\\left(0 \\right)} = 1$; then $f'{\\left(0 \\right)} = 0$." \
        in tex
    assert tex.count("\\begin{itemize}") == tex.count("\\end{itemize}") == 1


def test_latex_escapes_prose() -> None:
    tex = render_latex(explain(analyze("Abs(x)")))
    assert "Smoothness: $C^{0}$" in tex  # a class is mathematics, not escaped prose
    assert "\\textasciicircum" not in tex


# --- the command ----------------------------------------------------------------------------


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def test_cli_order() -> None:
    result = run("Abs(x)**3", "--order", "3", "--json")
    assert result.exit_code == 0, result.stderr
    [p] = json.loads(result.stdout)["points"]
    assert (p["order"], p["smoothness"]) == (2, "C^2")
    assert [d["differentiable"] for d in p["derivatives"]] == [True, True, False]


def test_cli_explain() -> None:
    result = run("Max(0, x)", "--explain")
    assert result.exit_code == 0, result.stderr
    assert "corner" in result.stdout
    assert "For h > 0: (f(0 + h) − f(0))/h = (Max(0, h) − 0)/h = (h − 0)/h = 1" in result.stdout


def test_cli_without_explain_has_no_derivation() -> None:
    result = run("Max(0, x)")
    assert result.exit_code == 0
    assert "For h > 0" not in result.stdout
    assert "subdifferential [0, 1] (convex kink)" in result.stdout
    assert "optimiser" not in result.stdout  # said in the catalogue and with --explain


@pytest.mark.parametrize(
    ("fmt", "start"),
    [
        pytest.param("markdown", "# $f(x) = ", id="markdown"),
        pytest.param("latex", "\\noindent Function: $f(x) = ", id="latex"),
        pytest.param("json", "{\n", id="json"),
        pytest.param("text", "f(x) = ", id="text"),
    ],
)
def test_cli_format(fmt: str, start: str) -> None:
    result = run("Abs(x)", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(start)
    assert result.stderr == ""


def test_cli_json_alias_equals_format_json() -> None:
    assert run("Abs(x)", "--json").stdout == run("Abs(x)", "--format", "json").stdout
    assert run("Abs(x)", "--json", "--format", "json").exit_code == 0


@pytest.mark.parametrize("args", [
    pytest.param(["--json", "--format", "latex"], id="json-and-latex"),
    pytest.param(["--format", "html"], id="unknown-format"),
    pytest.param(["--order", "x"], id="order-not-a-number"),
    pytest.param(["--vars", "x,y", "--explain"], id="explain-several-variables"),
    pytest.param(["--vars", "x,y", "--format", "markdown"], id="markdown-several-variables"),
    pytest.param(["--autodiff", "torch", "--format", "latex"], id="autodiff-in-latex"),
])
def test_cli_conflicts_exit_2(args: list[str]) -> None:
    result = run("Abs(x) + y", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("Error: "), result.stderr


def test_written_quotients_share_one_total_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond the total budget a point still gets its derivation, without the quotients."""
    import diffcheck.analysis.explain

    monkeypatch.setattr(diffcheck.analysis.explain, "TOTAL_SECONDS", 0.0)
    [(_point, lines)] = diffcheck.analysis.explain.explain(analyze("Max(0, x)")).points
    shown = [explain_line(line) for line in lines]
    assert any("the difference quotient was not formed" in line for line in shown)
    assert any(line.startswith("Conclusion: corner") for line in shown)
