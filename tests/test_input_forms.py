"""The forms people type: |...|, a leading f(x) =, LaTeX, and the warnings on them."""

from __future__ import annotations

import json

import pytest
import sympy
from click.testing import CliRunner

from diffcheck import analyze
from diffcheck.cli import main
from diffcheck.errors import ParseError
from diffcheck.language.forms import latex_to_text
from diffcheck.language.parsing import parse_expression, read_expression

x = sympy.Symbol("x", real=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("|x-2|", sympy.Abs(x - 2), id="bars"),
        pytest.param("|x - 1| + 2*|x + 1|", sympy.Abs(x - 1) + 2 * sympy.Abs(x + 1),
                     id="two-bars"),
        pytest.param("||x| - 1|", sympy.Abs(sympy.Abs(x) - 1), id="nested-bars"),
        pytest.param("|x|^3", sympy.Abs(x) ** 3, id="bars-power"),
        pytest.param("f(x) = Abs(x)", sympy.Abs(x), id="definition"),
        pytest.param("y = Abs(x)", sympy.Abs(x), id="y-equals"),
        pytest.param("g(t) = |x|", sympy.Abs(x), id="definition-and-bars"),
        pytest.param(r"\max(0,x)", sympy.Max(0, x), id="latex-max"),
        pytest.param(r"\max\{0, x\}", sympy.Max(0, x), id="latex-max-braces"),
        pytest.param(r"\frac{\sin x}{x}", sympy.sin(x) / x, id="latex-frac-sin"),
        pytest.param(r"\sqrt{x^2}", sympy.Abs(x), id="latex-sqrt"),
        pytest.param(r"e^{-x}", sympy.exp(-x), id="latex-exp"),
        pytest.param(r"\left| x \right|", sympy.Abs(x), id="latex-bars"),
        pytest.param(r"|x|", sympy.Abs(x), id="bars-alone"),
        pytest.param(r"\lvert x - 1 \rvert", sympy.Abs(x - 1), id="latex-lvert"),
        pytest.param(r"2x\sin^2 x", 2 * x * sympy.sin(x) ** 2, id="latex-implicit-product"),
        pytest.param(r"\lfloor x \rfloor + \lceil x \rceil", sympy.floor(x) + sympy.ceiling(x),
                     id="latex-floor-ceil"),
        pytest.param(r"\frac{1}{2} x^{3} \cdot \pi", sympy.pi * x**3 / 2, id="latex-cdot-pi"),
        pytest.param(r"\operatorname{relu}(x)", sympy.Max(0, x), id="latex-operatorname"),
        pytest.param(r"\sin(\sin x)", sympy.sin(sympy.sin(x)), id="latex-nested-calls"),
        pytest.param(r"f(x) = \ln(1 + e^{x})", sympy.log(1 + sympy.exp(x)),
                     id="latex-definition"),
    ],
)
def test_forms_people_type(text: str, expected: sympy.Expr) -> None:
    assert parse_expression(text) == expected


def test_cube_root_in_latex_is_the_real_root() -> None:
    assert parse_expression(r"\sqrt[3]{x}") == parse_expression("x**(1/3)")


def test_bars_stay_conditions_in_python_syntax() -> None:
    value = parse_expression("Piecewise((x, (x < 0) | (x > 1)), (0, True))")
    assert value == sympy.Piecewise((x, (x < 0) | (x > 1)), (0, True))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(r"\foo x", r"the command \foo is not supported", id="unknown-command"),
        pytest.param(r"\frac{1}{", "expected '}', found the end", id="unclosed-group"),
        pytest.param("|x", "an absolute value |...| is not closed", id="unclosed-bar"),
        pytest.param(r"\sin", r"\sin needs an argument", id="function-without-argument"),
        pytest.param(r"\max 0", r"\max needs its arguments in parentheses", id="max-bare"),
        pytest.param(r"\frac" * 3000, "nested more than 100 levels deep", id="deep-frac"),
        pytest.param("x^{" * 5000, "nested more than 100 levels deep", id="deep-braces"),
        pytest.param(r"\left|" * 3000, "nested more than 100 levels deep", id="deep-bars"),
        pytest.param(r"\sqrt{x}" + "+x" * 60_000, "characters long", id="long-latex"),
        pytest.param(r"\text{__import__}(x)", "names may not start with '_'", id="dunder"),
        pytest.param(r"\operatorname{exec}(x)", "unknown function 'exec'", id="exec"),
        pytest.param(r"e^{10^{10^{10}}}", "exponent", id="huge-exponent"),
    ],
)
def test_hostile_latex_is_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_expression(text)
    assert message in str(info.value)


def test_latex_translation_is_plain_text_in_the_language() -> None:
    assert latex_to_text(r"\frac{\sin x}{x}") == "((sin(x))/(x))"


@pytest.mark.parametrize(
    ("text", "note"),
    [
        pytest.param("f(x) = Abs(x)", "read 'f(x) = Abs(x)' as the expression after 'f(x) ='",
                     id="definition"),
        pytest.param("sinx", "'sinx' is read as one variable; did you mean sin(x)?", id="sinx"),
        pytest.param("2*expx", "'expx' is read as one variable; did you mean exp(x)?",
                     id="expx"),
    ],
)
def test_notes_on_what_was_read(text: str, note: str) -> None:
    assert note in read_expression(text)[1]
    assert note in analyze(text).notes


def test_no_note_for_plain_names() -> None:
    assert read_expression("sin(x) + cos(t)*x", )[1] == ()


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("|x-2|", id="bars"),
        pytest.param(r"\left|x-2\right|", id="latex"),
        pytest.param("y = Abs(x - 2)", id="definition"),
    ],
)
def test_cli_reads_the_forms(text: str) -> None:
    code, out, err = run(text, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["expression"] == "Abs(x - 2)"
    assert [(p["at"], p["kind"]) for p in result["points"]] == [("2", "corner")]


def test_cli_var_absent_from_the_expression_is_an_error() -> None:
    code, out, err = run("relu(x)", "--var", "y")
    assert code == 2
    assert out == ""
    assert err == ("Error: the variable y does not appear in the expression (its free names: "
                   "x)\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("Maxx(0, x)", "unknown function 'Maxx'; did you mean 'Max'?", id="maxx"),
        pytest.param("math.gelu(x)", "did you mean 'gelu(...)'?", id="same-name-elsewhere"),
    ],
)
def test_cli_unknown_names_give_one_short_line(text: str, message: str) -> None:
    code, _, err = run(text)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    assert len(err) < 150
