"""The HTML report (Jupyter's ``_repr_html_``): well-formed, escaped, complete.

The fragment is parsed as XML, so an unclosed tag or an unescaped ``<`` fails.
"""

# The report holds mathematical symbols.
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import sympy

from diffcheck import analyze
from diffcheck.model.report import Analysis, Kind, PointReport
from diffcheck.render.html import KIND_BACKGROUNDS, render_html, render_point_html, summary
from diffcheck.render.text import math_text

X = sympy.Symbol("x", real=True)


def parse(html: str) -> ET.Element:
    return ET.fromstring(html)


def text(element: ET.Element) -> str:
    return "".join(element.itertext())


def rows(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//tbody/tr")


@pytest.mark.parametrize(
    ("expr", "domain", "expected"),
    [
        pytest.param("Max(0, x)", None, [("0", "corner")], id="relu"),
        pytest.param("floor(x)", "[-1, 1]", [("-1", "jump"), ("0", "jump"), ("1", "jump")],
                     id="floor"),
        pytest.param("1/x", None, [("0", "infinite")], id="pole"),
        pytest.param("sin(x)/x", None, [("0", "removable")], id="removable"),
        pytest.param("x**(1/3)", None, [("0", "vertical_tangent")], id="cube-root"),
        pytest.param("huber(x)", None,
                     [("-1", "differentiable"), ("0", "differentiable"), ("1", "differentiable")],
                     id="huber"),
        pytest.param("sqrt(x)", None, [("0", "endpoint")], id="endpoint"),
    ],
)
def test_every_point_is_a_row_coloured_by_its_kind(expr: str, domain: str | None,
                                                   expected: list[tuple[str, str]]) -> None:
    analysis = analyze(expr, domain=domain)
    root = parse(render_html(analysis))
    found = []
    for row in rows(root):
        cells = row.findall("td")
        assert len(cells) == 8
        kind = Kind(row.get("data-kind"))
        assert f"background-color: {KIND_BACKGROUNDS[kind]};" in row.get("style", "")
        assert text(cells[6]) == kind.value.replace("_", " ")
        found.append((text(cells[0]).strip("$"), kind.value))
    assert found == expected
    for row, point in zip(rows(root), analysis.points, strict=True):
        assert text(row.findall("td")[7]).startswith(math_text(point.reason))


def test_table_shows_the_exact_values() -> None:
    root = parse(render_html(analyze("Abs(x - 1)")))
    [row] = rows(root)
    assert [text(td) for td in row.findall("td")[:6]] == ["$1$", "$0$", "$0$", "$0$", "$-1$",
                                                          "$1$"]
    headings = [text(th) for th in root.findall(".//thead/tr/th")]
    assert headings == ["$x_0$", "$f(x_0)$", "$f(x_0^-)$", "$f(x_0^+)$", "$f'(x_0^-)$",
                        "$f'(x_0^+)$", "verdict", "why"]


def test_missing_values_and_infinities_read_as_in_the_terminal() -> None:
    [row] = rows(parse(render_html(analyze("1/x"))))
    assert [text(td) for td in row.findall("td")[:6]] == ["$0$", "—", "$-\\infty$", "$\\infty$",
                                                          "—", "—"]


def test_text_is_escaped() -> None:
    html = render_html(analyze("Piecewise((x, x < 1), (2, True))"))
    assert "x < 1" not in html
    assert "x &lt; 1" in html
    assert "x < 1" in text(parse(html))  # and reads back as written


def test_hostile_text_in_notes_and_reasons_is_escaped() -> None:
    evil = "<script>alert('x')</script> & <b>"
    analysis = Analysis(
        expression=X, variable=X,
        points=(PointReport(at=sympy.Integer(0), kind=Kind.UNKNOWN, reason=evil),),
        notes=(evil,),
    )
    html = render_html(analysis)
    assert "<script>" not in html
    root = parse(html)
    assert root.find(".//script") is None
    assert text(root).count(evil) == 2


def test_candidate_sets_and_summary() -> None:
    root = parse(render_html(analyze("floor(x)")))
    assert rows(root) == []
    [family] = root.findall(".//li")
    assert family.get("data-kind") == "jump"
    assert text(family).startswith("ℤ: jump")
    assert "sampled at -1, 0, 1" in text(family)
    assert text(root).endswith("differentiable on ℝ \\ ℤ")


def test_no_points_says_so() -> None:
    root = parse(render_html(analyze("x**2 + 1")))
    assert rows(root) == []
    assert "No candidate points" in text(root)
    assert text(root).endswith("differentiable everywhere on ℝ")


def test_header_names_window_parameters_and_derivative() -> None:
    root = parse(render_html(analyze("a*Abs(x)", var="x", domain="[-1, 1]")))
    header = text(root.find("p"))
    assert header.startswith("f(x) = $a \\left|{x}\\right|$")
    assert "x ∈ [-1, 1]" in header
    assert "real parameters a" in header
    assert "$f'(x) = a \\operatorname{sign}{\\left(x \\right)}$ away from the points below" \
        in header


def test_html_shows_what_the_terminal_shows() -> None:
    """Math as LaTeX for the notebook, f′ cases, smoothness, subdifferential, repair, legend."""
    shown = text(parse(render_html(analyze("Max(0, x)"))))
    assert "$f'(x) = \\begin{cases}" in shown
    assert "smoothness C⁰ (continuous, not differentiable)" in shown
    assert "subdifferential $[0, 1]$ (convex kink)" in shown
    assert "Colours: differentiable continuous, not differentiable" in shown
    assert "define $f(0) = 1$; then $f'(0) = 0$" in text(parse(render_html(analyze("sin(x)/x"))))
    irrational = text(parse(render_html(analyze("Abs(x - pi/4)"))))
    assert "$\\frac{\\pi}{4}$ $\\approx 0.7854$" in irrational


def test_ipython_html_formatter_uses_the_report() -> None:
    formatters = pytest.importorskip("IPython.core.formatters")
    html = formatters.HTMLFormatter()(analyze("Abs(x)"))
    assert html is not None
    assert html.startswith('<div class="diffcheck">')


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        pytest.param("Abs(x - 1)", "differentiable on ℝ \\ {1}", id="one-point"),
        pytest.param("x**2", "differentiable everywhere on ℝ", id="everywhere"),
        pytest.param("huber(x)", "differentiable everywhere on ℝ", id="huber"),
    ],
)
def test_summary(expr: str, expected: str) -> None:
    assert summary(analyze(expr)) == expected


def test_summary_without_a_set_names_the_bad_and_undecided_points() -> None:
    zero, one = sympy.Integer(0), sympy.Integer(1)
    analysis = Analysis(expression=X, variable=X, points=(
        PointReport(at=zero, differentiable=False, kind=Kind.CORNER),
        PointReport(at=one, kind=Kind.UNKNOWN),
    ))
    assert summary(analysis) == "not differentiable at 0; not decided at 1 (see reasons)"


def test_jupyter_hooks_use_the_renderer() -> None:
    analysis = analyze("Max(0, x)")
    assert analysis._repr_html_() == render_html(analysis)
    point = analysis.points[0]
    assert point._repr_html_() == render_point_html(point)
    [row] = rows(parse(point._repr_html_()))
    assert row.get("data-kind") == "corner"
    shown: list[str] = []
    analysis._repr_pretty_(type("Printer", (), {"text": lambda self, t: shown.append(t)})(),
                           False)  # IPython's terminal: the report, not the dataclass repr
    assert shown[0].startswith("f(x) = Max(0, x)")
    assert shown[0].endswith("differentiable on ℝ \\ {0}")
    markdown, latex = analysis._repr_markdown_(), analysis._repr_latex_()
    assert r"\max\left(0, x\right)" in markdown  # LaTeX math inside Markdown
    assert r"\lim_{h \to 0^{+}}" in latex


def test_html_renderer_loads_neither_rich_nor_click() -> None:
    code = ("import sys, diffcheck; diffcheck.analyze('Abs(x)')._repr_html_(); "
            "print(sorted(m for m in ('rich', 'click') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert proc.stdout.strip() == "[]"
