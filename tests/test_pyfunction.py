"""``--function FILE.py:NAME``: a small Python function read (never run) and translated to an
exact expression; everything outside the subset is an error naming the line."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
import sympy
from click.testing import CliRunner, Result
from sympy import Abs, Max, Min, Piecewise, Rational, exp

from diffcheck.analysis.function import analyze_function
from diffcheck.cli import main
from diffcheck.errors import InputError
from diffcheck.language.pyfunction import FunctionError, function_expression

x, r, a = sympy.symbols("x r a", real=True)
R = Rational

HUBER = """
def huber(r, delta=1.0):
    if abs(r) <= delta:
        return 0.5 * r**2
    return delta * (abs(r) - 0.5 * delta)
"""


def case(*values: Any, id: str) -> Any:
    return pytest.param(*values, id=id)


def source(text: str) -> str:
    return textwrap.dedent(text).strip() + "\n"


TRANSLATIONS = [
    case(HUBER, "huber", None,
         Piecewise((r**2 / 2, Abs(r) <= 1), (Abs(r) - R(1, 2), True)), id="huber"),
    case("def f(x):\n    return torch.where(x > 0, x, 0.01 * x)", "f", None,
         Piecewise((x, x > 0), (x / 100, True)), id="torch-where"),
    case("def f(x):\n    return x if x > 0 else 0.0", "f", None,
         Piecewise((x, x > 0), (0, True)), id="conditional-expression"),
    case("""
         def f(x):
             '''Three pieces.'''
             if x < 0:
                 y = -x
             elif x < 1:
                 y = x**2
             else:
                 pass
                 y = 2*x - 1
             y += 1
             return y
         """, "f", None,
         Piecewise((1 - x, x < 0), (x**2 + 1, x < 1), (2 * x, True)), id="elif-assignments"),
    case("""
         def f(x):
             if x > 0:
                 return x
             return 0
         """, "f", None, Piecewise((x, x > 0), (0, True)), id="early-return"),
    case("""
         def f(x, k=0.25, *, c=2):
             t: float = k * x
             t *= c
             return t
         """, "f", None, x / 2, id="defaults-are-constants"),
    case("def f(a, x):\n    return a * abs(x)", "f", "x", a * Abs(x), id="var-chooses"),
    case("def f(x, a):\n    return max(0, x - a) + min(x, a)", "f", None,
         Max(0, x - a) + Min(a, x), id="other-parameters-are-symbols"),
    case("""
         import numpy as xp
         from torch.nn import functional as fn
         from math import exp
         def f(x):
             return xp.maximum(x, 0) + fn.relu(x) + exp(-x**2)
         """, "f", None, 2 * Max(0, x) + exp(-x**2), id="import-aliases"),
    case("""
         import torch.nn.functional as F
         import jax
         SLOPE = 0.2
         @jax.jit
         def f(x):
             return F.leaky_relu(x, SLOPE) + jax.nn.relu(x)
         """, "f", None, Piecewise((x, x > 0), (x / 5, True)) + Max(0, x),
         id="module-constant-decorator"),
    case("def f(x):\n    return np.clip(x, -1, 1) + math.sqrt(2)", "f", None,
         Min(1, Max(-1, x)) + sympy.sqrt(2), id="np-math"),
    case("""
         def f(x):
             return 1
         def f(x):
             return 2 * x
         """, "f", None, 2 * x, id="last-definition-wins"),
]


@pytest.mark.parametrize(("text", "name", "var", "expected"), TRANSLATIONS)
def test_translation(text: str, name: str, var: str | None, expected: sympy.Expr) -> None:
    expr, variable = function_expression(source(text), name, var=var)
    assert expr == expected
    assert variable == sympy.Symbol(var or ("r" if name == "huber" else "x"), real=True)


REFUSALS = [
    case("def f(x):\n    for i in range(3):\n        x = x + 1\n    return x", 2,
         "loops are not supported", id="loop"),
    case("def f(x):\n    while x > 0:\n        pass\n    return x", 2, "loops", id="while"),
    case("def f(x):\n    if x > 0:\n        return x", 2, "when this if's condition is false",
         id="missing-return"),
    case("def f(x):\n    y = 1", 2, "can end here without returning", id="no-return"),
    case("def f(x):\n    return x * scale", 2, "'scale' is not a parameter", id="unknown-name"),
    case("def f(x):\n    a, b = x, x\n    return a", 2, "one plain name", id="tuple-assign"),
    case("def f(x):\n    return foo.bar(x)", 2, "attribute access is not allowed",
         id="unknown-attribute"),
    case("def f(*xs):\n    return 0", 1, "*args and **kwargs", id="star-args"),
    case("@my_decorator\ndef f(x):\n    return x", 1, "this decorator may change",
         id="decorator"),
    case("def f(x, k=y):\n    return k*x", 1, "'y' is not a parameter", id="default-name"),
    case("def f(x, k=x):\n    return k*x", 1, "a default must be a number", id="default-param"),
    case("def f(x):\n    return (lambda t: t)(x)", 2, "only named functions", id="lambda"),
    case("def f(x):\n    return 'x'", 2, "strings are not allowed", id="string"),
    case("def f(x):\n    raise ValueError(x)", 2, "raise is not supported", id="raise"),
    case("def f(x):\n    print(x)\n    return x", 2, "has no effect", id="expression-statement"),
    case("def f(x):\n    return x[0]", 2, "indexing is not allowed", id="subscript"),
    case("def f(x):\n    return __import__('os').getcwd()", 2, "attribute access is not allowed",
         id="dunder-import"),
    case("def f(x):\n    if x:\n        return x\n    return 0", 2, "expected a condition",
         id="truthiness"),
    case("def f(x):\n    y += 1\n    return y", 2, "'y' is used before it is assigned",
         id="augassign-unbound"),
    case("def f(x)\n    return x", 1, "not valid Python", id="syntax"),
    case("def g(x):\n    return x", None, "no function 'f' at the top level of the file "
         "(functions defined there: g)", id="no-such-function"),
    case("def f():\n    return 1", None, "no parameter", id="no-parameter"),
    case("async def f(x):\n    return x", 1, "async functions", id="async"),
    case("def f(x):\n    return 1/0", None, "division by zero", id="zero-division"),
]


@pytest.mark.parametrize(("text", "line", "message"), REFUSALS)
def test_refusal(text: str, line: int | None, message: str) -> None:
    with pytest.raises(InputError) as info:
        function_expression(source(text), "f", path="losses.py")
    assert message in str(info.value)
    if isinstance(info.value, FunctionError):
        assert info.value.line == line
        assert str(info.value).startswith(f"losses.py, line {line}:" if line else "losses.py:")
    else:
        assert line is None


def test_var_must_be_a_parameter() -> None:
    with pytest.raises(FunctionError, match=r"--var 'y' is not a parameter .*parameters: x, k"):
        function_expression("def f(x, k=1):\n    return k*x\n", "f", var="y")


def test_too_many_paths() -> None:
    body = "".join(f"    if x > {i}:\n        y = {i}\n    else:\n        y = -{i}\n"
                   for i in range(8))
    with pytest.raises(FunctionError, match="more than 64 paths"):
        function_expression(f"def f(x):\n    y = 0\n{body}    return y\n", "f")


def test_the_file_is_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "loss.py"
    path.write_text(f"open({str(marker)!r}, 'w').close()\nraise SystemExit(3)\n" + HUBER)
    analysis = analyze_function(f"{path}:huber")
    assert [str(p.at) for p in analysis.points] == ["-1", "0", "1"]
    assert analysis.differentiable_everywhere is True
    assert not marker.exists()


@pytest.mark.parametrize("spec", [
    pytest.param("losses.py", id="no-colon"),
    pytest.param("losses.py:", id="no-name"),
    pytest.param("losses.py:not-a-name", id="bad-name"),
])
def test_bad_spec(spec: str) -> None:
    with pytest.raises(FunctionError, match=r"expected FILE\.py:NAME"):
        analyze_function(spec)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FunctionError, match="cannot read the file"):
        analyze_function(f"{tmp_path / 'absent.py'}:f")


# --- the command ------------------------------------------------------------------------------


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def losses(tmp_path: Path) -> Path:
    path = tmp_path / "losses.py"
    path.write_text(source(HUBER) + source("""
        import torch

        def leaky(x):
            return torch.where(x > 0, x, 0.01 * x)

        def looping(x):
            while True:
                pass
        """))
    return path


def test_cli_huber_json(losses: Path) -> None:
    result = run("--function", f"{losses}:huber", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["expression"] == "Piecewise((r**2/2, Abs(r) <= 1), (Abs(r) - 1/2, True))"
    assert data["variable"] == "r"
    assert [(p["at"], p["kind"]) for p in data["points"]] == [
        ("-1", "differentiable"), ("0", "differentiable"), ("1", "differentiable")]
    assert data["differentiable_everywhere"] is True


def test_cli_torch_where(losses: Path) -> None:
    result = run("--function", f"{losses}:leaky", "--json", "--fail-on-nondifferentiable")
    assert result.exit_code == 1
    point = json.loads(result.stdout)["points"][0]
    assert (point["at"], point["kind"], point["left_derivative"], point["right_derivative"]) == (
        "0", "corner", "1/100", "1")


def test_cli_var_picks_the_parameter(tmp_path: Path) -> None:
    path = tmp_path / "f.py"
    path.write_text("def f(a, x):\n    return a * abs(x - 1)\n")
    result = run("--function", f"{path}:f", "--var", "x", "--json")
    assert result.exit_code == 0, result.output
    assert [p["at"] for p in json.loads(result.stdout)["points"]] == ["1"]


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(("--function", "{}:looping"), "line 11: loops are not supported", id="refused"),
    pytest.param(("x", "--function", "{}:leaky"), "either EXPR or --function", id="both"),
    pytest.param((), "Missing argument 'EXPR'", id="neither"),
])
def test_cli_errors(losses: Path, args: tuple[str, ...], message: str) -> None:
    result = run(*(arg.format(losses) for arg in args))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "losses.py"


def test_example_losses_huber() -> None:
    analysis = analyze_function(f"{EXAMPLE}:huber")
    assert [(str(p.at), p.kind.value, str(p.left_derivative)) for p in analysis.points] == [
        ("-1", "differentiable", "-1"), ("0", "differentiable", "0"),
        ("1", "differentiable", "1")]


@pytest.mark.parametrize("text", [
    pytest.param("SCALE = 2\nif True:\n    SCALE = 3\n", id="reassigned-in-if"),
    pytest.param("SCALE = 2\nfor _ in range(2):\n    SCALE = 3\n", id="reassigned-in-loop"),
    pytest.param("SCALE = 2\nSCALE += 1\n", id="augmented"),
    pytest.param("SCALE = 2\ndef g():\n    global SCALE\n    SCALE = 3\n", id="global"),
    pytest.param("SCALE = 2\nSCALE, OTHER = 3, 4\n", id="tuple-assigned"),
    pytest.param("SCALE = y\n", id="not-a-number"),
])
def test_module_names_that_may_change_are_not_constants(text: str) -> None:
    with pytest.raises(FunctionError, match="'SCALE' is not a parameter"):
        function_expression(text + "def f(x):\n    return SCALE * x\n", "f")


def test_module_constant_last_assignment_wins() -> None:
    text = "SCALE = 2\nSCALE = 0.5\nTWICE = 2 * SCALE\ndef f(x):\n    return TWICE * x\n"
    assert function_expression(text, "f") == (x, x)


@pytest.mark.parametrize("text", [
    pytest.param("def relu(x):\n    return 0.1 * x\ndef f(x):\n    return relu(x)\n",
                 id="own-function-shadows-catalog"),
    pytest.param("relu = 3\ndef f(x):\n    return relu(x)\n", id="module-name"),
    pytest.param("def f(x):\n    huber = x\n    return huber(x)\n", id="local-name"),
    pytest.param("def f(x, abs=1):\n    return abs(x)\n", id="parameter-name"),
    pytest.param("def g(x):\n    return x\ndef f(x):\n    return g(x)\n", id="helper"),
])
def test_calls_of_the_files_own_names_are_refused(text: str) -> None:
    with pytest.raises(FunctionError, match="is defined in this file"):
        function_expression(text, "f")


@pytest.mark.parametrize("text", [
    pytest.param("F = make_functional()\ndef f(x):\n    return F.relu(x)\n", id="module"),
    pytest.param("def f(x, np):\n    return np.maximum(x, 0)\n", id="parameter"),
])
def test_prefixes_the_file_assigns_are_refused(text: str) -> None:
    with pytest.raises(FunctionError, match="is assigned in this file"):
        function_expression(text, "f")
