"""--format latex compiles; --format markdown has the table and the conclusion; notebooks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from diffcheck import analyze
from diffcheck.cli import main

ENGINE = shutil.which("pdflatex")
EXPRESSIONS = [
    pytest.param("Max(0, x)", id="relu"),
    pytest.param("(x^2-4)/(x-2)", id="removable"),
    pytest.param("x**(1/3) + floor(x)", id="cusp-and-jumps"),
    pytest.param("Abs(x - pi/4)*sin(x) + 1/x", id="pole-and-irrational-point"),
]


def export(expr: str, fmt: str) -> str:
    result = CliRunner().invoke(main, [expr, "--format", fmt, "--domain", "[-2, 2]"])
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.skipif(ENGINE is None, reason="no TeX engine (pdflatex) installed; CI installs "
                                           "texlive-latex-base (see .ci/run)")
@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_latex_compiles(expr: str, tmp_path: Path) -> None:
    fragment = export(expr, "latex")
    document = ("\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n"
                "\\begin{document}\n" + fragment + "\\end{document}\n")
    (tmp_path / "f.tex").write_text(document, encoding="utf-8")
    assert ENGINE is not None
    run = subprocess.run([ENGINE, "-interaction=nonstopmode", "-halt-on-error", "f.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "f.pdf").read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_latex_has_the_table_and_the_conclusion_in_math_mode(expr: str) -> None:
    text = export(expr, "latex")
    assert "\\begin{tabular}" in text
    assert "$f(x_0^-)$ & $f(x_0^+)$" in text
    assert text.splitlines()[-1].startswith("\\noindent Conclusion: ")
    assert "C^0" not in text.replace("$C^{0}$", "")  # classes only as mathematics
    assert "\\textasciicircum" not in text
    assert not any(ord(c) > 127 for c in text)  # pdflatex reads it without inputenc tricks


def test_markdown_has_the_limits_and_the_summary() -> None:
    text = export("floor(x) + Abs(x - 1/2)", "markdown")
    assert "| $x_0$ | $f(x_0)$ | $f(x_0^-)$ | $f(x_0^+)$ | $f'(x_0^-)$ | $f'(x_0^+)$ |" in text
    assert "| $\\frac{1}{2}$ | $0$ | $0$ | $0$ | $-1$ | $1$ | corner | $C^{0}$ |" in text
    assert text.splitlines()[-1].startswith("**Conclusion:** $f$ is differentiable on ")


def test_notebook_displays_go_through_ipython() -> None:
    formatter = pytest.importorskip("IPython.core.formatters")
    a = analyze("Max(0, x)")
    plain = formatter.PlainTextFormatter()(a)
    assert plain == str(a)
    assert plain.startswith("f(x) = Max(0, x)")
    markdown = formatter.MarkdownFormatter()(a)
    assert "**Conclusion:**" in markdown
    latex = formatter.LatexFormatter()(a)
    assert "\\begin{tabular}" in latex
