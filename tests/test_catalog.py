"""The activation and loss catalog: exact formulas with PyTorch's defaults, and for every entry
the points where it may fail to be differentiable with the verdict at each."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sympy
from click.testing import CliRunner, Result
from sympy import Abs, Max, Min, Piecewise, Rational, exp, log, tanh

from diffcheck import analyze
from diffcheck.apps.catalog import ENTRIES, catalog_rows
from diffcheck.cli import main
from diffcheck.errors import ParseError
from diffcheck.language import names as catalog
from diffcheck.language.parsing import parse_expression

x = sympy.Symbol("x", real=True)
R = Rational
ALPHA = R("1.6732632423543772848170429916717")
SCALE = R("1.0507009873554804934193349852946")


def case(*values: Any, id: str) -> Any:
    return pytest.param(*values, id=id)


FORMULAS = [
    case("selu(x)", SCALE * Piecewise((x, x > 0), (ALPHA * (exp(x) - 1), True)), id="selu"),
    case("celu(x, alpha=2)", Piecewise((x, x > 0), (2 * exp(x / 2) - 2, True)), id="celu-alpha"),
    case("mish(x)", x * tanh(log(1 + exp(x))), id="mish"),
    case("swish(x)", x / (1 + exp(-x)), id="swish"),
    case("tanh(x)", tanh(x), id="tanh"),
    case("hardsigmoid(x)", Piecewise((0, x <= -3), (1, x >= 3), (x / 6 + R(1, 2), True)),
         id="hardsigmoid"),
    case("hardswish(x)", Piecewise((0, x <= -3), (x, x >= 3), (x * (x + 3) / 6, True)),
         id="hardswish"),
    case("softshrink(x)", Piecewise((x - R(1, 2), x > R(1, 2)), (x + R(1, 2), x < -R(1, 2)),
                                    (0, True)), id="softshrink"),
    case("F.hardshrink(x, 0.25)", Piecewise((x, x > R(1, 4)), (x, x < -R(1, 4)), (0, True)),
         id="hardshrink-lambd"),
    case("F.threshold(x, threshold=1, value=2)", Piecewise((x, x > 1), (2, True)),
         id="threshold-keywords"),
    case("tanhshrink(x)", x - tanh(x), id="tanhshrink"),
    case("squared_hinge(x)", Max(0, 1 - x) ** 2, id="squared-hinge"),
    case("log_cosh(x)", log(sympy.cosh(x)), id="log-cosh"),
    case("pinball(x, 0.9)", Piecewise((9 * x / 10, x >= 0), (-x / 10, True)), id="pinball"),
    case("quantile(x, tau=1/4) - pinball(x, 1/4)", 0, id="quantile-alias"),
    case("epsilon_insensitive(x, 0.1)", Max(0, Abs(x) - R(1, 10)), id="epsilon-insensitive"),
    case("F.relu6(x) - jax.nn.relu6(x)", 0, id="relu6-prefixes"),
    case("jax.nn.hard_swish(x) - jax.nn.hard_silu(x) - F.hardswish(x) + hardswish(x)", 0,
         id="hardswish-prefixes"),
    case("jax.nn.hard_sigmoid(x) - F.hardsigmoid(x)", 0, id="hardsigmoid-prefixes"),
    case("jax.nn.selu(x) - F.selu(x) + jax.nn.celu(x) - F.celu(x) + jax.nn.mish(x) - F.mish(x)",
         0, id="jax-torch-same"),
    case("F.tanh(x)", tanh(x), id="torch-tanh"),
    case("relu6(x)", Min(Max(0, x), 6), id="relu6"),
]


@pytest.mark.parametrize(("text", "expected"), FORMULAS)
def test_formula(text: str, expected: sympy.Expr) -> None:
    assert parse_expression(text) == expected


def test_selu_constants_are_pytorchs_decimals_exactly() -> None:
    alpha, scale = catalog.SELU_ALPHA, catalog.SELU_SCALE
    assert (alpha, scale) == (R(16732632423543772848170429916717, 10**31),
                              R(10507009873554804934193349852946, 10**31))


@pytest.mark.parametrize(("text", "message"), [
    case("threshold(x, 1)", "missing a required argument: 'value'", id="threshold-needs-value"),
    case("pinball(x)", "missing a required argument: 'tau'", id="pinball-needs-tau"),
    case("epsilon_insensitive(x)", "missing a required argument: 'eps'", id="eps-needed"),
])
def test_required_parameters(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_expression(text)


# Every entry: (expression, ((point, kind, left derivative, right derivative), ...)).
# Smooth entries have no points at all; candidate points where the entry is differentiable
# are listed with kind "differentiable" (elu, celu with alpha=1, softsign, huber, ...).
SELU_LEFT, SELU_RIGHT = str(SCALE * ALPHA), str(SCALE)
KINKS = [
    case("relu(x)", (("0", "corner", "0", "1"),), id="relu"),
    case("relu6(x)", (("0", "corner", "0", "1"), ("6", "corner", "1", "0")), id="relu6"),
    case("leaky_relu(x)", (("0", "corner", "1/100", "1"),), id="leaky_relu"),
    case("elu(x)", (("0", "differentiable", "1", "1"),), id="elu"),
    case("elu(x, alpha=2)", (("0", "corner", "2", "1"),), id="elu-alpha-2"),
    case("selu(x)", (("0", "corner", SELU_LEFT, SELU_RIGHT),), id="selu"),
    case("celu(x)", (("0", "differentiable", "1", "1"),), id="celu"),
    case("celu(x, alpha=3)", (("0", "differentiable", "1", "1"),), id="celu-alpha-3"),
    case("gelu(x)", (), id="gelu"),
    case("silu(x)", (), id="silu"),
    case("swish(x)", (), id="swish"),
    case("mish(x)", (), id="mish"),
    case("softplus(x)", (), id="softplus"),
    case("sigmoid(x)", (), id="sigmoid"),
    case("tanh(x)", (), id="tanh"),
    case("tanhshrink(x)", (), id="tanhshrink"),
    case("softsign(x)", (("0", "differentiable", "1", "1"),), id="softsign"),
    case("hardtanh(x)", (("-1", "corner", "0", "1"), ("1", "corner", "1", "0")), id="hardtanh"),
    case("hardsigmoid(x)", (("-3", "corner", "0", "1/6"), ("3", "corner", "1/6", "0")),
         id="hardsigmoid"),
    case("hardswish(x)", (("-3", "corner", "0", "-1/2"), ("3", "corner", "3/2", "1")),
         id="hardswish"),
    case("softshrink(x)", (("-1/2", "corner", "1", "0"), ("1/2", "corner", "0", "1")),
         id="softshrink"),
    case("hardshrink(x)", (("-1/2", "jump", "oo", "0"), ("1/2", "jump", "0", "oo")),
         id="hardshrink"),
    case("threshold(x, 1, 0)", (("1", "jump", "0", "oo"),), id="threshold"),
    case("threshold(x, 1, 1)", (("1", "corner", "0", "1"),), id="threshold-continuous"),
    case("l1(x)", (("0", "corner", "-1", "1"),), id="l1"),
    case("mse(x)", (), id="mse"),
    case("huber(x)", (("-1", "differentiable", "-1", "-1"), ("0", "differentiable", "0", "0"),
                      ("1", "differentiable", "1", "1")), id="huber"),
    case("smooth_l1(x)", (("-1", "differentiable", "-1", "-1"),
                          ("0", "differentiable", "0", "0"), ("1", "differentiable", "1", "1")),
         id="smooth_l1"),
    case("hinge(x)", (("1", "corner", "-1", "0"),), id="hinge"),
    case("squared_hinge(x)", (("1", "differentiable", "0", "0"),), id="squared_hinge"),
    case("log_cosh(x)", (), id="log_cosh"),
    case("pinball(x, 1/4)", (("0", "corner", "-3/4", "1/4"),), id="pinball"),
    case("quantile(x, 0.9)", (("0", "corner", "-1/10", "9/10"),), id="quantile"),
    case("epsilon_insensitive(x, 0.1)", (("-1/10", "corner", "-1", "0"),
                                         ("0", "differentiable", "0", "0"),
                                         ("1/10", "corner", "0", "1")),
         id="epsilon_insensitive"),
]


@pytest.mark.parametrize(("text", "expected"), KINKS)
def test_kinks(text: str, expected: tuple[tuple[str, str, str, str], ...]) -> None:
    analysis = analyze(text)
    found = tuple((str(p.at), p.kind.value, str(p.left_derivative), str(p.right_derivative))
                  for p in analysis.points)
    assert found == expected, analysis.to_dict()
    assert analysis.candidate_sets == ()
    kinked = any(kind != "differentiable" for _, kind, _, _ in expected)
    assert analysis.differentiable_everywhere is (not kinked)


def test_every_catalog_name_has_a_kink_case() -> None:
    tested = {param.values[0].partition("(")[0] for param in KINKS}
    assert set(catalog.CATALOG) | {"tanh"} <= tested


# --- the catalog table and `diffcheck catalog` ----------------------------------------------


def test_table_has_every_catalog_name_once() -> None:
    names = [entry.name for entry in ENTRIES]
    assert len(names) == len(set(names))
    assert set(names) == set(catalog.CATALOG) | {"tanh"}


def test_rows_carry_the_analysis() -> None:
    by_name = {row.entry.name: row for row in catalog_rows(
        [e for e in ENTRIES if e.name in ("hardswish", "gelu", "hardshrink")])}
    assert [(str(p.at), p.kind.value, str(p.left_derivative), str(p.right_derivative))
            for p in by_name["hardswish"].points] == [("-3", "corner", "0", "-1/2"),
                                                       ("3", "corner", "3/2", "1")]
    assert by_name["gelu"].points == ()
    assert by_name["gelu"].differentiable_everywhere is True
    assert [p.kind.value for p in by_name["hardshrink"].points] == ["jump", "jump"]
    assert by_name["hardshrink"].definition == parse_expression("hardshrink(x)")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_catalog_json() -> None:
    result = run("catalog", "--json", "--no-autodiff")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    entries = {entry["name"]: entry for entry in data["entries"]}
    assert list(entries) == [entry.name for entry in ENTRIES]
    assert entries["relu6"]["points"] == [
        {"at": "0", "kind": "corner", "left_derivative": "0", "right_derivative": "1",
         "smoothness": "C^0", "autodiff": {}},
        {"at": "6", "kind": "corner", "left_derivative": "1", "right_derivative": "0",
         "smoothness": "C^0", "autodiff": {}},
    ]
    # the classes the depth issue names, derivatives checked up to order 3
    classes = {name: [p["smoothness"] for p in entries[name]["points"]]
               for name in ("elu", "huber", "squared_hinge", "hardshrink", "softplus")}
    assert classes == {"elu": ["C^1"], "huber": ["C^1", "C^oo", "C^1"],
                       "squared_hinge": ["C^1"], "hardshrink": [None, None], "softplus": []}
    assert entries["threshold"]["call"] == "threshold(x, 1, 0)"
    assert entries["mse"] == {"name": "mse", "call": "mse(x)", "formula": "x**2", "loss": True,
                              "definition": "x**2", "differentiable_everywhere": True,
                              "points": []}


def test_catalog_table() -> None:
    result = run("catalog", "--no-autodiff")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    hardswish = next(i for i, line in enumerate(lines) if line.startswith("hardswish "))
    assert lines[hardswish].split()[:6] == ["hardswish", "-3", "corner", "C^0", "0", "-1/2"]
    following = next(line for line in lines[hardswish + 1:] if "corner" in line)
    assert following.split()[:5] == ["3", "corner", "C^0", "3/2", "1"]
    gelu = next(line for line in lines if line.startswith("gelu "))
    assert gelu.split()[:3] == ["gelu", "smooth", "C^∞"]
    selu = next(line for line in lines if line.startswith("selu "))
    assert selu.split()[:6] == ["selu", "0", "corner", "C^0", "1.7581…", "1.0507…"]
    elu = next(line for line in lines if line.startswith("elu "))
    assert elu.split()[:4] == ["elu", "0", "differentiable", "C^1"]


@pytest.mark.parametrize("width", [80, 100, 160])
def test_catalog_table_rows_are_one_line_at_any_width(width: int) -> None:
    """The formula is cut with … to the terminal's width, never wrapped onto a second line."""
    result = CliRunner().invoke(main, ["catalog", "--no-autodiff"], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    table = result.stdout.split("\n\n")[0].splitlines()
    assert all(len(line) <= width for line in table)
    names = [line.split()[0] for line in table[2:] if line[:1].strip()]
    assert names == [entry.name for entry in ENTRIES]  # one line per entry's first point
    hardsigmoid = next(line for line in table if line.startswith("hardsigmoid "))
    full = "0 if x <= -3, 1 if x >= 3, else x/6 + 1/2"
    if width >= 120:
        assert full in hardsigmoid
    else:
        assert hardsigmoid.rstrip().endswith("…")


@pytest.mark.parametrize("args", [
    pytest.param(("extra",), id="argument"),
    pytest.param(("--autodiff", "torch", "--no-autodiff"), id="both-autodiff-options"),
    pytest.param(("--autodiff", "theano"), id="unknown-framework"),
])
def test_catalog_refuses(args: tuple[str, ...]) -> None:
    result = run("catalog", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_catalog_without_frameworks_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("diffcheck.apps.autodiff.installed", lambda: ())
    result = run("catalog", "--json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)["entries"]
    assert all(p["autodiff"] == {} for e in entries for p in e["points"])
