"""The renderers, on reports built by hand (no analysis runs here).

The rich report is rendered into a plain 80-column console and compared as
text; the JSON is compared with the contract object.
"""

# The expected reports hold the same mathematical symbols as the renderer.
# ruff: noqa: RUF001

from __future__ import annotations

import io
import json

import mpmath
import pytest
import sympy
from rich.console import Console, RenderableType
from sympy import S, oo

from diffcheck import analyze
from diffcheck.model.report import Analysis, CandidateSet, Kind, PointReport
from diffcheck.render import text as _format
from diffcheck.render.terminal import KIND_STYLES, render_analysis, render_point, summary
from diffcheck.render.to_json import render_json

X = sympy.Symbol("x", real=True)
N = sympy.Symbol("n", integer=True)
I = sympy.Integer  # noqa: E741

RELU_POINT = PointReport(
    at=I(0), sources=(sympy.Max(0, X),), value=I(0), left_limit=I(0), right_limit=I(0),
    continuous=True, left_derivative=I(0), right_derivative=I(1), differentiable=False,
    kind=Kind.CORNER, reason="left derivative 0 differs from right derivative 1",
)
RELU = Analysis(
    expression=sympy.Max(0, X), variable=X, points=(RELU_POINT,),
    differentiable_on=sympy.Complement(S.Reals, sympy.FiniteSet(0), evaluate=False),
    derivative=sympy.Heaviside(X),
)
SMOOTH = Analysis(expression=X**2 * sympy.sin(X), variable=X, differentiable_on=S.Reals,
                  derivative=X**2 * sympy.cos(X) + 2 * X * sympy.sin(X))
WITH_UNKNOWN = Analysis(
    expression=sympy.cbrt(X) + 1 / (X - 1) + X * sympy.sin(1 / (X - 3)), variable=X,
    domain=sympy.Interval(-10, 10),
    points=(
        PointReport(at=I(0), sources=(sympy.cbrt(X),), value=I(0), left_limit=I(0),
                    right_limit=I(0), continuous=True, left_derivative=oo, right_derivative=oo,
                    differentiable=False, kind=Kind.VERTICAL_TANGENT,
                    reason="both one-sided derivatives are oo (vertical tangent)"),
        PointReport(at=I(1), sources=(1 / (X - 1),), left_limit=-oo, right_limit=oo,
                    continuous=False, differentiable=False, kind=Kind.INFINITE,
                    reason="f(1) is undefined and f -> -oo as x -> 1-"),
        PointReport(at=I(3), sources=(sympy.sin(1 / (X - 3)),), kind=Kind.UNKNOWN,
                    reason="the left side took longer than the time budget"),
    ),
    differentiable_on=sympy.Complement(sympy.Interval(-10, 10), sympy.FiniteSet(0, 1, 3),
                                       evaluate=False),
)
FLOOR = Analysis(
    expression=sympy.floor(X), variable=X,
    candidate_sets=(
        CandidateSet(
            set=S.Integers, sources=(sympy.floor(X),),
            samples=tuple(
                PointReport(at=I(k), value=I(k), left_limit=I(k - 1), right_limit=I(k),
                            continuous=False, left_derivative=oo, right_derivative=I(0),
                            differentiable=False, kind=Kind.JUMP,
                            reason=f"left limit {k - 1} differs from right limit {k}")
                for k in (-1, 0, 1)
            ),
            differentiable=False, kind=Kind.JUMP,
            reason="at -1, a sampled member: left limit -2 differs from right limit -1",
        ),
    ),
    differentiable_on=sympy.Complement(S.Reals, S.Integers, evaluate=False),
    derivative=I(0),
)
UNSOLVED = Analysis(
    expression=sympy.Abs(sympy.sin(X) - X**3 + 1), variable=X,
    candidate_sets=(
        CandidateSet(set=sympy.ConditionSet(X, sympy.Eq(sympy.sin(X) - X**3 + 1, 0), S.Reals),
                     sources=(sympy.Abs(sympy.sin(X) - X**3 + 1),), kind=Kind.UNKNOWN,
                     reason="unsolved: SymPy cannot solve this equation"),
    ),
    notes=("diffcheck has no rule for besselj; points inside it are not searched",),
)
LONG = Analysis(
    expression=sympy.Abs(X**2 - 2), variable=X,
    points=tuple(
        PointReport(at=a, sources=(sympy.Abs(X**2 - 2),), value=v, left_limit=v, right_limit=v,
                    continuous=True, left_derivative=-d, right_derivative=d,
                    differentiable=False, kind=Kind.CORNER,
                    reason=f"left derivative {-d} differs from right derivative {d}")
        for a, v, d in [(-sympy.sqrt(2), sympy.cos(sympy.sqrt(2)) + sympy.pi / 7,
                         2 * sympy.sqrt(2) + sympy.sin(sympy.sqrt(2))),
                        (sympy.sqrt(2), sympy.sin(sympy.sqrt(2)) - sympy.pi / 7,
                         2 * sympy.sqrt(2) + sympy.cos(sympy.sqrt(2)))]
    ),
    differentiable_on=sympy.Complement(S.Reals, sympy.FiniteSet(-sympy.sqrt(2), sympy.sqrt(2)),
                                       evaluate=False),
)
ALL = [
    pytest.param(RELU, id="relu"),
    pytest.param(SMOOTH, id="smooth"),
    pytest.param(WITH_UNKNOWN, id="unknown"),
    pytest.param(FLOOR, id="floor-family"),
    pytest.param(UNSOLVED, id="unsolved-family"),
    pytest.param(LONG, id="long-values"),
]


def render(renderable: RenderableType | Analysis | PointReport, width: int = 80) -> str:
    """Plain text as a pipe would get it, without the padding rich adds at line ends."""
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


# --- whole reports --------------------------------------------------------------------


def test_relu_report() -> None:
    assert render(render_analysis(RELU)) == """\
f(x) = Max(0, x)
f′(x) = Heaviside(x) away from the points below

x₀  f(x₀)  f(x₀−)  f(x₀+)  f′(x₀−)  f′(x₀+)  verdict
────────────────────────────────────────────────────
0   0      0       0       0        1        corner

0 from Max(0, x)

differentiable on ℝ \\ {0}
"""


def test_differentiable_everywhere_report() -> None:
    assert render(render_analysis(SMOOTH)) == """\
f(x) = x²·sin(x)
f′(x) = x²·cos(x) + 2x·sin(x)

No candidate points: the expression has no switch, root, pole or boundary here.

differentiable everywhere on ℝ
"""


def test_report_with_an_unknown_point() -> None:
    text = render(render_analysis(WITH_UNKNOWN))
    assert text.startswith("f(x) = x^(1/3) + x·sin(1/(x - 3)) + 1/(x - 1)\nx ∈ [-10, 10]\n")
    rows = [line.split() for line in text.splitlines() if line[:1] in "013" and line[1:2] == " "]
    assert rows[:3] == [
        ["0", "0", "0", "0", "∞", "∞", "vertical", "tangent"],
        ["1", "—", "-∞", "∞", "—", "—", "infinite"],
        ["3", "?", "?", "?", "?", "?", "unknown"],  # not computed: the budget ran out
    ]
    assert "— does not exist; ? not computed within the time budget" in text
    assert "3 unknown: the left side took longer than the time budget" in text
    assert "1 infinite" not in text  # its reason only repeats the table's values
    assert " ".join(text.split()).endswith(
        "differentiable at least on [-10, 10] \\ {0, 1, 3}; not decided at 1 point (see reasons)")


def test_report_with_a_candidate_set() -> None:
    assert render(render_analysis(FLOOR)) == """\
f(x) = floor(x)
f′(x) = 0 away from the points below

Candidate sets (infinite families of points)
ℤ jump: at -1, a sampled member: left limit -2 differs from right limit -1
  from floor(x); sampled at -1, 0, 1: all jump

differentiable on ℝ \\ ℤ
"""


def test_report_with_an_unsolved_set_and_notes() -> None:
    text = render(render_analysis(UNSOLVED), width=120)
    assert "{x ∈ ℝ | -x³ + sin(x) + 1 = 0} unknown: unsolved: SymPy cannot solve" in text
    assert "Notes\n• diffcheck has no rule for besselj" in text
    assert text.endswith("not decided on {x ∈ ℝ | -x³ + sin(x) + 1 = 0} "
                         "(see candidate sets)\n")


@pytest.mark.parametrize("analysis", ALL)
@pytest.mark.parametrize("width", [80, 120, 50])
def test_report_fits_the_width(analysis: Analysis, width: int) -> None:
    lines = render(render_analysis(analysis), width=width).splitlines()
    assert max(len(line) for line in lines) <= width


@pytest.mark.parametrize("analysis", ALL)
def test_rich_protocol(analysis: Analysis) -> None:
    """``rich.print(analysis)`` finds the renderer through ``__rich__``."""
    assert render(analysis) == render(render_analysis(analysis))


def test_point_report() -> None:
    assert render(render_point(RELU_POINT)) == """\
x₀ = 0: corner
  f(x₀−) = f(x₀) = f(x₀+) = 0
  f′(x₀−) = 0, f′(x₀+) = 1
  left derivative 0 differs from right derivative 1
  from Max(0, x)
"""
    assert render(RELU_POINT) == render(render_point(RELU_POINT))


def test_point_report_with_a_discontinuity() -> None:
    [_, pole, _] = WITH_UNKNOWN.points
    assert render(render_point(pole)) == """\
x₀ = 1: infinite
  f(x₀) = —
  f(x₀−) = -∞, f(x₀+) = ∞
  f′(x₀−) = —, f′(x₀+) = —
  f(1) is undefined and f -> -∞ as x -> 1-
  from 1/(x - 1)
"""


def test_long_values_make_blocks_instead_of_a_wrapped_table() -> None:
    narrow = render(LONG, width=80)
    assert "verdict" not in narrow
    assert """\
x₀ = -√2 ≈ -1.4142: corner
  f(x₀−) = f(x₀) = f(x₀+) = cos(√2) + π/7 ≈ 0.60474
  f′(x₀−) = -2√2 - sin(√2) ≈ -3.8162, f′(x₀+) = sin(√2) + 2√2 ≈ 3.8162
""" in narrow
    wide = render(LONG, width=200)
    header = ["x₀", "f(x₀)", "f(x₀−)", "f(x₀+)", "f′(x₀−)", "f′(x₀+)", "verdict"]
    assert header in [line.split() for line in wide.splitlines()]
    assert "x₀ = -√2" not in wide


def test_every_kind_has_a_colour() -> None:
    assert set(KIND_STYLES) == set(Kind)


def test_verdict_is_coloured_on_a_terminal() -> None:
    console = Console(file=io.StringIO(), width=80, color_system="standard", force_terminal=True)
    console.print(render_analysis(RELU))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b[33mcorner" in text  # yellow: continuous but not differentiable


# --- summary line -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("analysis", "expected"),
    [
        pytest.param(RELU, "differentiable on ℝ \\ {0}", id="relu"),
        pytest.param(SMOOTH, "differentiable everywhere on ℝ", id="everywhere"),
        pytest.param(
            Analysis(expression=X, variable=X, differentiable_on=S.EmptySet, points=(
                PointReport(at=I(0), kind=Kind.UNKNOWN, reason="r"),)),
            "differentiable on no interval that was decided; not decided at 1 point "
            "(see reasons)", id="nothing-shown-is-not-nowhere"),
        pytest.param(
            Analysis(expression=X, variable=X, domain=sympy.Interval(-1, 1),
                     differentiable_on=sympy.Interval(-1, 1)),
            "differentiable everywhere on [-1, 1]", id="everywhere-on-window"),
        pytest.param(
            Analysis(expression=X, variable=X, points=(RELU_POINT,)),
            "not differentiable at 0", id="set-unknown-names-the-points"),
        pytest.param(
            Analysis(expression=X, variable=X, points=(
                PointReport(at=I(1), kind=Kind.UNKNOWN, reason="r"),
                PointReport(at=I(2), kind=Kind.UNKNOWN, reason="r"),
            ), differentiable_on=sympy.Complement(S.Reals, sympy.FiniteSet(1, 2),
                                                  evaluate=False)),
            "differentiable at least on ℝ \\ {1, 2}; not decided at 2 points (see reasons)",
            id="two-unknown"),
        pytest.param(
            Analysis(expression=X, variable=X), "not decided (see notes)", id="nothing-known"),
    ],
)
def test_summary(analysis: Analysis, expected: str) -> None:
    assert summary(analysis).plain == expected


# --- values and sets ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(sympy.sqrt(2), "√2", id="sqrt"),
        pytest.param(sympy.pi / 4, "π/4", id="pi-over-4"),
        pytest.param(sympy.Rational(1, 100), "1/100", id="rational"),
        pytest.param(oo, "∞", id="oo"),
        pytest.param(-oo, "-∞", id="minus-oo"),
        pytest.param(S.ComplexInfinity, "complex ∞", id="zoo"),
        pytest.param(None, "—", id="none"),
        pytest.param(sympy.sqrt(2) / 2 + 1, "√2/2 + 1", id="sum"),
        pytest.param(sympy.Rational(1, 10**12), "10⁻¹²", id="tiny-rational"),
        pytest.param(sympy.Integer(10)**400 * X, "10⁴⁰⁰·x", id="huge-integer"),
        pytest.param(sympy.Rational(3, 10**20), "3·10⁻²⁰", id="small-multiple"),
        pytest.param(2 * sympy.pi * N, "2πn", id="family-member"),
        pytest.param(X**-2, "x⁻²", id="negative-power"),
        pytest.param(X**sympy.Rational(1, 3), "x^(1/3)", id="fractional-power"),
    ],
)
def test_value(value: sympy.Expr | None, expected: str) -> None:
    assert _format.value(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(sympy.CRootOf(X**5 - X - 1, 0), "CRootOf(x⁵ - x - 1, 0) ≈ 1.1673",
                     id="algebraic"),
        pytest.param(-1 - sympy.cos(1) + 2 * sympy.sin(1), "-1 - cos(1) + 2sin(1) ≈ 0.14264",
                     id="transcendental"),
        pytest.param(sympy.Rational(1, 3), "1/3", id="rational-has-none"),
        pytest.param(oo, "∞", id="infinity-has-none"),
        pytest.param(sympy.CRootOf(X**5 - X - 1, 0)**5 - sympy.CRootOf(X**5 - X - 1, 0) - 1,
                     "-CRootOf(x⁵ - x - 1, 0) - 1 + CRootOf(x⁵ - x - 1, 0)⁵ ≈ 0",
                     id="zero-in-disguise"),
    ],
)
def test_number_shows_an_approximation(value: sympy.Expr, expected: str) -> None:
    assert _format.number(value) == expected
    # against an independent evaluation with mpmath (not SymPy, whose evalf made them)
    truth = {"algebraic": lambda: max(r.real for r in mpmath.polyroots([1, 0, 0, 0, -1, -1])
                                      if abs(r.imag) < 1e-20),
             "transcendental": lambda: -1 - mpmath.cos(1) + 2 * mpmath.sin(1)}
    for name, exact in truth.items():
        if expected.startswith({"algebraic": "CRootOf", "transcendental": "-1 - cos"}[name]):
            shown = float(expected.rsplit("≈ ", 1)[1])
            assert abs(shown - float(exact())) <= 5e-5 * abs(shown)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(S.Reals, "ℝ", id="reals"),
        pytest.param(S.Integers, "ℤ", id="integers"),
        pytest.param(S.EmptySet, "∅", id="empty"),
        pytest.param(sympy.Complement(S.Reals, sympy.FiniteSet(0), evaluate=False),
                     "ℝ \\ {0}", id="reals-minus-0"),
        pytest.param(sympy.Complement(S.Reals, sympy.FiniteSet(0)), "ℝ \\ {0}",
                     id="reals-minus-0-evaluated"),
        pytest.param(sympy.Complement(S.Reals, S.Integers, evaluate=False), "ℝ \\ ℤ",
                     id="reals-minus-integers"),
        pytest.param(sympy.Interval(-10, 10), "[-10, 10]", id="closed"),
        pytest.param(sympy.Interval.open(0, 1), "(0, 1)", id="open"),
        pytest.param(sympy.Interval(0, oo), "[0, ∞)", id="half-line"),
        pytest.param(sympy.Interval.Lopen(-oo, 2), "(-∞, 2]", id="left-half-line"),
        pytest.param(sympy.Union(sympy.Interval(-2, -1), sympy.Interval.Lopen(1, 2)),
                     "[-2, -1] ∪ (1, 2]", id="union"),
        pytest.param(sympy.Union(sympy.Interval.Ropen(-1, 0), sympy.Interval.Lopen(0, 1)),
                     "[-1, 1] \\ {0}", id="punctured-interval"),
        pytest.param(sympy.Complement(S.Reals, sympy.Union(sympy.FiniteSet(5),
                                                           sympy.Interval(0, 1)),
                                      evaluate=False),
                     "ℝ \\ ([0, 1] ∪ {5})", id="nested"),
        pytest.param(sympy.FiniteSet(sympy.pi, -1, sympy.sqrt(2)), "{-1, √2, π}",
                     id="finite-sorted"),
        pytest.param(sympy.Union(sympy.FiniteSet(-2), sympy.FiniteSet(-2, -1, 0),
                                 evaluate=False), "{-2, -1, 0}", id="finite-union-merged"),
        pytest.param(sympy.ImageSet(sympy.Lambda(N, N + sympy.Rational(1, 2)), S.Integers),
                     "{n + 1/2 | n ∈ ℤ}", id="imageset"),
        pytest.param(sympy.solveset(sympy.cos(X), X, S.Reals), "{2nπ + π/2 | n ∈ ℤ} ∪ "
                     "{2nπ + 3π/2 | n ∈ ℤ}", id="solveset-family"),
        pytest.param(None, "—", id="none"),
    ],
)
def test_set(value: sympy.Set | None, expected: str) -> None:
    assert _format.set_(value) == expected


# --- JSON -------------------------------------------------------------------------------

RELU_JSON = {
    "schema_version": 3,
    "expression": "Max(0, x)",
    "variable": "x",
    "domain": "Reals",
    "points": [{
        "at": "0", "sources": ["Max(0, x)"], "value": "0", "left_limit": "0",
        "right_limit": "0", "continuous": True, "left_derivative": "0",
        "right_derivative": "1", "differentiable": False, "derivative": None,
        "kind": "corner", "reason": "left derivative 0 differs from right derivative 1",
        "order": None, "smoothness": None, "derivatives": [], "subdifferential": None,
        "kink": None, "repair": None,
    }],
    "candidate_sets": [],
    "nondifferentiable_points": ["0"],
    "unknown_points": [],
    "differentiable_everywhere": False,
    "differentiable_on": "Complement(Reals, {0})",
    "derivative": "Heaviside(x)",
    "notes": [],
    "order": 1,
    "derivative_piecewise": None,
    "derivative_notes": [],
    "assumptions": [],
    "derivative_cases": [],
}


def test_json_contract() -> None:
    text = render_json(RELU)
    assert json.loads(text) == RELU_JSON
    assert text.startswith('{\n  "schema_version": 3,\n  "expression": "Max(0, x)",\n')


@pytest.mark.parametrize("analysis", ALL)
def test_json_is_one_object_of_sympy_strings(analysis: Analysis) -> None:
    data = json.loads(render_json(analysis))
    assert list(data) == list(RELU_JSON)
    assert "∞" not in render_json(analysis)  # JSON keeps SymPy's "oo"


# --- one summary logic, and cases, in every renderer -------------------------------------

def _two_unknown() -> Analysis:
    return Analysis(expression=X, variable=X, points=(
        PointReport(at=I(1), kind=Kind.UNKNOWN, reason="r"),
        PointReport(at=I(2), kind=Kind.UNKNOWN, reason="r"),
    ), differentiable_on=sympy.Complement(S.Reals, sympy.FiniteSet(1, 2), evaluate=False))


def test_every_renderer_says_at_least_when_something_is_undecided() -> None:
    """The set shown is what was decided; no renderer may present it as all there is."""
    from diffcheck.render.html import summary as html_summary
    from diffcheck.render.latex import conclusion

    analysis = _two_unknown()
    assert "differentiable at least on" in summary(analysis).plain
    assert "differentiable at least on" in html_summary(analysis)
    assert "differentiable at least on" in conclusion(analysis)


def test_a_point_with_cases_is_never_shown_as_undefined_or_unknown() -> None:
    """|x|^p at 0: f(0) exists for p > 0; no renderer says it is undefined or that the
    values do not exist, and each shows the cases."""
    from diffcheck.analysis.explain import explain
    from diffcheck.render.html import render_html
    from diffcheck.render.latex import render_latex
    from diffcheck.render.markdown import render_markdown

    analysis = analyze("Abs(x)**p", var="x")
    [point] = analysis.points
    assert point.cases
    assert point.value is None
    explained = explain(analysis)
    markdown = render_markdown(explained)
    assert "undefined" not in markdown.split("When")[0]
    assert "| depends |" in markdown
    assert "When $p = 1$: corner" in markdown
    assert "depends on the parameters (see the cases)" in markdown
    latex = render_latex(explained)
    assert "depends" in latex
    assert "When $p = 1$: corner" in latex
    html = render_html(analysis)
    assert "<b>depends</b>" in html
    assert "<b>corner</b>" in html
    assert ">—<" not in html  # a value that depends is not "does not exist"
    row = next(line for line in render(analysis).splitlines() if line.startswith("0 "))
    assert "—" not in row
    assert row.split()[1:] == ["*"] * 5 + ["depends"]


def test_from_lines_name_no_sub_term_of_another_source() -> None:
    text = render(analyze("x*sqrt(Abs(x - 1))"))
    assert "from sqrt(Abs(x - 1))" in text
    assert "Abs(x - 1), " not in text
    assert ", Abs(x - 1)" not in text


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param(sympy.exp(-100), "3.7201·10⁻⁴⁴", id="tiny-is-not-zero"),
        pytest.param(sympy.sin(1)**2 + sympy.cos(1)**2 - 1, "0", id="unsimplified-zero"),
        pytest.param(sympy.sqrt(2), "1.4142", id="sqrt2"),
    ],
)
def test_approximation(value: sympy.Expr, shown: str) -> None:
    assert _format.approximation(value) == shown


def test_approximation_beyond_a_floats_range() -> None:
    assert _format.approximation(sympy.exp(-1000)) == "5.076·10⁻⁴³⁵"
