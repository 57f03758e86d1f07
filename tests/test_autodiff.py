"""--autodiff: torch's and jax's gradients at the reported points, judged against the exact
one-sided derivatives. The framework tests run for real when torch / jax are importable."""

# The prime of f′ is meant, as in the reports.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

import json
import math
import subprocess
import sys
from importlib.util import find_spec
from typing import Any

import pytest
import sympy
from click.testing import CliRunner, Result
from sympy import Rational, S

from diffcheck import Kind, analyze
from diffcheck.apps.autodiff import (
    AutodiffUnavailable,
    Verdict,
    _judge,
    _side_agrees,
    check,
    gradients,
    native_gradients,
    require,
    rewritten,
)
from diffcheck.cli import main
from diffcheck.errors import InputError
from diffcheck.language.parsing import parse_expression
from diffcheck.model.report import PointReport

x = sympy.Symbol("x", real=True)
R = Rational
NAN = math.nan

HAVE = {name: find_spec(name) is not None for name in ("torch", "jax")}
INSTALL = {"torch": "pip install 'diffcheck-analyzer[torch]' (torch==2.13.0)",
           "jax": "pip install 'diffcheck-analyzer[jax]'"}


def needs(name: str) -> Any:
    return pytest.mark.skipif(not HAVE[name], reason=f"{name} is not installed: {INSTALL[name]}")


def both(*values: Any, id: str) -> list[Any]:
    """One case per framework, each skipped when its framework is absent."""
    return [pytest.param(name, *values, id=f"{id}-{name}", marks=needs(name))
            for name in ("torch", "jax")]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def same(got: float, want: float) -> bool:
    return (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want, rel=1e-12,
                                                                          abs=1e-15)


# --- pure parts: no framework needed ----------------------------------------------------------


@pytest.mark.parametrize(("expr", "expected"), [
    pytest.param(sympy.frac(x), x - sympy.floor(x), id="frac"),
    pytest.param(sympy.Heaviside(x, 0), sympy.Piecewise((0, x < 0), (0, sympy.Eq(x, 0)),
                                                        (1, True)), id="heaviside-0"),
    pytest.param(sympy.Heaviside(x), sympy.Piecewise((0, x < 0), (S.Half, sympy.Eq(x, 0)),
                                                     (1, True)), id="heaviside-half"),
    pytest.param(sympy.erfc(x), 1 - sympy.erf(x), id="erfc"),
    pytest.param(sympy.sec(x) + sympy.cot(x), 1 / sympy.cos(x) + sympy.cos(x) / sympy.sin(x),
                 id="sec-cot"),
    pytest.param(sympy.acot(x), sympy.atan(1 / x), id="acot"),
    pytest.param(sympy.coth(x), sympy.cosh(x) / sympy.sinh(x), id="coth"),
    pytest.param(sympy.Max(0, x), sympy.Max(0, x), id="max-kept"),
])
def test_rewritten(expr: sympy.Expr, expected: sympy.Expr) -> None:
    assert rewritten(expr) == expected


def point(kind: Kind, left: Any, right: Any, derivative: Any = None) -> PointReport:
    return PointReport(at=S.Zero, kind=kind, continuous=kind in (Kind.CORNER,
                                                                   Kind.DIFFERENTIABLE),
                       left_derivative=None if left is None else sympy.sympify(left),
                       right_derivative=None if right is None else sympy.sympify(right),
                       derivative=None if derivative is None else sympy.sympify(derivative))


@pytest.mark.parametrize(("report", "gradient", "verdict", "words"), [
    pytest.param(point(Kind.DIFFERENTIABLE, 1, 1, 1), 1.0, Verdict.AGREES, "= f′(a)",
                 id="agrees"),
    pytest.param(point(Kind.DIFFERENTIABLE, 1, 1, 1), 0.0, Verdict.DISAGREES,
                 "f′(a) = 1", id="disagrees"),
    pytest.param(point(Kind.DIFFERENTIABLE, R(1, 3), R(1, 3), R(1, 3)), 1 / 3, Verdict.AGREES,
                 "", id="float-of-exact"),
    pytest.param(point(Kind.DIFFERENTIABLE, 0, 0, 0), NAN, Verdict.DISAGREES, "nan",
                 id="nan-at-differentiable"),
    pytest.param(point(Kind.CORNER, 0, 1), 0.5, Verdict.SUBGRADIENT, "[0, 1]", id="inside"),
    pytest.param(point(Kind.CORNER, 1, 0), 1.0, Verdict.SUBGRADIENT, "[0, 1]",
                 id="end-reversed"),
    pytest.param(point(Kind.CORNER, -1, 1), 1.5, Verdict.NOT_SUBGRADIENT, "outside",
                 id="outside"),
    pytest.param(point(Kind.CORNER, -1, 1), NAN, Verdict.NOT_SUBGRADIENT, "nan",
                 id="nan-at-corner"),
    pytest.param(point(Kind.JUMP, "oo", 0), 0.0, Verdict.NO_INFORMATION, "(jump)", id="jump"),
    pytest.param(point(Kind.VERTICAL_TANGENT, "oo", "oo"), NAN, Verdict.NO_INFORMATION,
                 "vertical tangent", id="vertical"),
    pytest.param(point(Kind.CUSP, "-oo", "oo"), math.inf, Verdict.NO_INFORMATION,
                 "returns inf", id="cusp"),
    pytest.param(point(Kind.UNKNOWN, None, None), 0.0, Verdict.UNKNOWN, "did not decide",
                 id="unknown"),
])
def test_judge(report: PointReport, gradient: float, verdict: Verdict, words: str) -> None:
    got, reason = _judge(report, gradient, "torch")
    assert got is verdict
    assert words in reason
    assert reason.startswith("torch returns")


@pytest.mark.parametrize(("expected", "gradient", "farther", "agrees"), [
    pytest.param(S.One, 1.0000001, 1.00001, True, id="close"),
    pytest.param(S.One, 1.01, 1.01, False, id="far"),
    pytest.param(S.Infinity, 1e4, 1e3, True, id="infinite-growing"),
    pytest.param(S.Infinity, 1e4, 1e5, False, id="infinite-shrinking"),
    pytest.param(S.Infinity, -1e4, -1e3, False, id="infinite-wrong-sign"),
    pytest.param(S.NegativeInfinity, -1e4, -1e3, True, id="minus-infinite"),
    pytest.param(S.Zero, NAN, NAN, False, id="nan"),
    pytest.param(None, 0.0, 0.0, None, id="nothing-to-compare"),
])
def test_side_agrees(expected: sympy.Expr | None, gradient: float, farther: float,
                     agrees: bool | None) -> None:
    assert _side_agrees(expected, gradient, farther) is agrees


@pytest.mark.parametrize("framework", ["torch", "jax"])
def test_missing_framework_says_how_to_install(monkeypatch: pytest.MonkeyPatch,
                                               framework: str) -> None:
    monkeypatch.setitem(sys.modules, framework, None)  # import now raises ImportError
    with pytest.raises(AutodiffUnavailable, match=rf"pip install .*\[{framework}\]"):
        require(framework)
    result = run("Max(0, x)", "--autodiff", framework)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert f"--autodiff {framework} needs {framework}, which is not installed" in result.stderr


@pytest.mark.parametrize("framework", ["torch", "jax"])
def test_catalog_with_a_missing_framework(monkeypatch: pytest.MonkeyPatch,
                                          framework: str) -> None:
    monkeypatch.setitem(sys.modules, framework, None)
    result = run("catalog", "--autodiff", framework)
    assert result.exit_code == 2
    assert f"--autodiff {framework} needs {framework}" in result.stderr


def test_unknown_framework() -> None:
    result = run("Max(0, x)", "--autodiff", "tensorflow")
    assert result.exit_code == 2
    assert "--autodiff takes torch or jax, not 'tensorflow'" in result.stderr


# --- the frameworks themselves -----------------------------------------------------------------


FORMULA_FACTS = [
    # (expression, point, torch's gradient, jax's gradient) of diffcheck's formula
    ("Max(0, x)", "0", 0.5, 0.5, "max-tie"),
    ("Abs(x)", "0", 0.0, 1.0, "abs"),
    ("Min(Max(x, -1), 1)", "1", 0.5, 0.5, "clip-formula"),
    ("x**(1/3)", "0", NAN, NAN, "cube-root"),
    ("sqrt(x)", "0", math.inf, math.inf, "sqrt"),
    ("Heaviside(x)", "0", 0.0, 0.0, "heaviside"),
    ("frac(x)", "1/2", 1.0, 1.0, "frac"),
    ("floor(x)", "1", 0.0, 0.0, "floor"),
    ("Mod(x, 2)", "3", 1.0, 1.0, "mod"),
    ("sign(x)*x", "0", 0.0, 0.0, "sign"),
    ("erfc(x)", "0", -2 / math.sqrt(math.pi), -2 / math.sqrt(math.pi), "erfc"),
    ("erf(x)", "1", 2 * math.exp(-1) / math.sqrt(math.pi),
     2 * math.exp(-1) / math.sqrt(math.pi), "erf"),
    ("sqrt(2)*x + pi", "0", math.sqrt(2), math.sqrt(2), "constants"),
    ("sec(x) + cot(x + 1)", "0", -1 / math.sin(1) ** 2, -1 / math.sin(1) ** 2, "sec-cot"),
    ("where(x > 0, x, 0.01*x)", "0", 0.01, 0.01, "where"),
    ("2**x", "0", math.log(2), math.log(2), "exp-base"),
    ("7", "0", 0.0, 0.0, "constant"),
]


@pytest.mark.parametrize(("framework", "expr", "at", "torch_value", "jax_value"), [
    param for expr, at, t, j, id in FORMULA_FACTS for param in both(expr, at, t, j, id=id)])
def test_formula_gradient(framework: str, expr: str, at: str, torch_value: float,
                          jax_value: float) -> None:
    (got,) = gradients(parse_expression(expr), x, [float(sympy.Rational(at))], framework)
    want = torch_value if framework == "torch" else jax_value
    assert same(got, want), got


SMOOTH = ["sin(x)*exp(x)", "log(1 + x**2)", "gelu(x)", "mish(x)", "atan(x)/(1 + x**2)",
          "tanh(x)**3", "x**(5/3)", "softplus(x, beta=2)", "asinh(x) + acosh(x + 3)"]


@pytest.mark.parametrize(("framework", "expr"), [
    param for expr in SMOOTH for param in both(expr, id=expr)])
def test_smooth_gradients_match_sympy(framework: str, expr: str) -> None:
    f = parse_expression(expr)
    points = [-1.25, 0.5, 2.0]
    exact = [float(sympy.diff(f, x).subs(x, sympy.Rational(p))) for p in points]
    got = gradients(f, x, points, framework)
    assert got == pytest.approx(exact, rel=1e-10)


NATIVE_FACTS = [
    # (catalog name, point, torch's own function, jax's own function)
    ("relu", "0", 0.0, 0.0, "relu"),
    ("leaky_relu", "0", 0.01, 1.0, "leaky-relu"),
    ("l1", "0", 0.0, 1.0, "abs"),
    ("hardtanh", "1", 0.0, 1.0, "hardtanh-1"),
    ("hardtanh", "-1", 0.0, 1.0, "hardtanh-minus-1"),
    ("hardswish", "3", 1.0, 1.0, "hardswish"),
    ("relu6", "6", 0.0, 0.0, "relu6"),
    ("elu", "0", 1.0, 1.0, "elu"),
]


@pytest.mark.parametrize(("framework", "name", "at", "torch_value", "jax_value"), [
    param for name, at, t, j, id in NATIVE_FACTS for param in both(name, at, t, j, id=id)])
def test_native_gradient(framework: str, name: str, at: str, torch_value: float,
                         jax_value: float) -> None:
    analysis = analyze(f"{name}(x)")
    how, (got,) = native_gradients(framework, name, analysis, [sympy.Rational(at)])
    assert how != "formula"
    assert got == (torch_value if framework == "torch" else jax_value)


@pytest.mark.parametrize("framework", [
    pytest.param(name, id=name, marks=needs(name)) for name in ("torch", "jax")])
def test_native_gradients_at_several_points(framework: str) -> None:
    for name, expected in (("huber", [-1.0, 0.0, 1.0]), ("l1", [0.0 if framework == "torch"
                                                                   else 1.0]),
                           ("hardtanh", [0.0, 0.0] if framework == "torch" else [1.0, 1.0])):
        analysis = analyze(f"{name}(x)")
        how, got = native_gradients(framework, name, analysis,
                                    [p.at for p in analysis.points])
        assert list(got) == expected, (name, how)


@needs("torch")
def test_torch_max_depends_on_how_it_is_written() -> None:
    import torch

    def grad(fn: Any) -> float:
        t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
        fn(t).backward()
        return float(t.grad)

    assert grad(torch.relu) == 0.0
    assert grad(lambda t: torch.maximum(torch.zeros_like(t), t)) == 0.5
    assert grad(lambda t: torch.clamp_min(t, 0.0)) == 1.0


CHECKS = [
    ("Max(0, x)", [("0", "subgradient", 0.5, (True, True))], "relu"),
    ("hardswish(x)", [("-3", "subgradient", 0.0, (True, True)),
                      ("3", "subgradient", 1.0, (True, True))], "hardswish"),
    ("huber(x)", [("-1", "agrees", -1.0, (True, True)), ("0", "agrees", 0.0, (True, True)),
                  ("1", "agrees", 1.0, (True, True))], "huber"),
    # f is x, written as the real cube root of x**3: differentiable, but autodiff says 0
    ("(x**3)**(1/3)", [("0", "disagrees", 0.0, (True, True))], "cube-root-of-cube"),
    ("x**(1/3)", [("0", "no_information", NAN, (True, True))], "vertical-tangent"),
    # at a jump the side f is continuous from is still compared, the other is not
    ("hardshrink(x)", [("-1/2", "no_information", 0.0, (None, True)),
                       ("1/2", "no_information", 0.0, (True, None))], "jumps"),
    ("Piecewise((x, x < 0), (2*x + 1, True))", [("0", "no_information", 2.0, (None, True))],
     "jump-right-continuous"),
    ("sqrt(x)", [("0", "no_information", math.inf, (None, True))], "endpoint"),
]


@pytest.mark.parametrize(("framework", "expr", "expected"), [
    param for expr, expected, id in CHECKS for param in both(expr, expected, id=id)])
def test_check(framework: str, expr: str,
               expected: list[tuple[str, str, float, tuple[bool | None, bool | None]]]) -> None:
    report = check(analyze(expr), framework)
    got = [(str(c.at), c.verdict.value, c.gradient, tuple(s.agrees for s in c.sides))
           for c in report.checks]
    assert len(got) == len(expected), got
    for (at, verdict, gradient, sides), want in zip(got, expected, strict=True):
        assert (at, verdict, sides) == (want[0], want[1], want[3]), got
        assert same(gradient, want[2]), got
    assert report.consistent is all(v not in ("disagrees", "not_subgradient")
                                    for _, v, _, _ in expected)


@needs("torch")
def test_parameters_need_numbers() -> None:
    result = run("a*Abs(x)", "--var", "x", "--autodiff", "torch")
    assert result.exit_code == 2
    assert "give the parameters a numbers" in result.stderr


@needs("torch")
@needs("jax")
def test_cli_json_both_frameworks() -> None:
    result = run("Max(0, x)", "--autodiff", "torch", "--autodiff", "jax", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [r["framework"] for r in data["autodiff"]] == ["torch", "jax"]
    for report in data["autodiff"]:
        (only,) = report["points"]
        assert (only["at"], only["gradient"], only["verdict"]) == ("0", 0.5, "subgradient")
        assert [(s["expected"], s["gradient"], s["agrees"]) for s in only["sides"]] == [
            ("0", 0.0, True), ("1", 1.0, True)]
        assert report["consistent"] is True
    assert data["points"][0]["kind"] == "corner"


@needs("torch")
def test_cli_report_and_json_values() -> None:
    result = run("x**(1/3) + Abs(x - 1)", "--autodiff", "torch")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("torch autodiff")))
    rows = [line.split() for line in lines[start + 3:start + 5]]
    assert rows[0][:4] == ["0", "vertical", "tangent", "nan"]
    assert rows[1][:5] == ["1", "corner", "0.333333", "subgradient", "-0.666667"]
    result = run("x**(1/3)", "--autodiff", "torch", "--json")
    (only,) = json.loads(result.stdout)["autodiff"][0]["points"]
    assert (only["gradient"], only["verdict"]) == ("nan", "no_information")


@pytest.mark.slow
@needs("torch")
@needs("jax")
def test_catalog_with_frameworks() -> None:
    result = run("catalog", "--json")  # the installed frameworks by default
    assert result.exit_code == 0, result.output
    entries = {e["name"]: e for e in json.loads(result.stdout)["entries"]}
    (leaky,) = entries["leaky_relu"]["points"]
    assert leaky["autodiff"] == {"torch": {"function": "F.leaky_relu", "gradient": 0.01},
                                 "jax": {"function": "jax.nn.leaky_relu", "gradient": 1.0}}
    (pinball,) = entries["pinball"]["points"]
    assert pinball["autodiff"]["torch"] == {"function": "formula", "gradient": 0.25}
    assert [p["autodiff"]["torch"]["gradient"] for p in entries["hardtanh"]["points"]] == [
        0.0, 0.0]
    assert [p["autodiff"]["jax"]["gradient"] for p in entries["hardtanh"]["points"]] == [
        1.0, 1.0]


def test_autodiff_without_numbers_is_refused() -> None:
    with pytest.raises(InputError, match="--autodiff takes torch or jax"):
        require("mxnet")


def test_core_modules_load_no_framework_and_no_presentation() -> None:
    code = ("import sys, diffcheck.apps.autodiff, diffcheck.apps.catalog, "
            "diffcheck.language.pyfunction; "
            "print(sorted({m.partition('.')[0] for m in sys.modules} & "
            "{'click', 'rich', 'torch', 'jax', 'numpy'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
