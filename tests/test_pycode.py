"""``--function`` on real-world code: each construct the reader understands, what it says
about it, what it refuses (with the line and a change that helps), ``--option`` and
``--execute``."""

from __future__ import annotations

import json
import math
import textwrap
from pathlib import Path
from typing import Any

import pytest
import sympy
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Abs, Max, Min, Piecewise, Rational, exp, log

from diffcheck.apps.autodiff import probe_steps
from diffcheck.cli import main
from diffcheck.language.parsing import parse_expression
from diffcheck.language.pyfunction import FunctionError, translate_function

x, t = sympy.symbols("x t", real=True)
R = Rational
DATA = Path(__file__).resolve().parent / "data" / "functions"


def source(text: str) -> str:
    return textwrap.dedent(text).strip() + "\n"


def case(text: str, expected: sympy.Expr, note: str = "", *, id: str,
         options: dict[str, str] | None = None, name: str = "f") -> Any:
    return pytest.param(text, name, options, expected, note, id=id)


CONSTRUCTS = [
    case("""
         import jax.numpy as jnp
         def f(x):
             x = jnp.asarray(x, dtype=jnp.float32)
             return jnp.maximum(x, 0).astype(x.dtype)
         """, Max(0, x), id="plumbing-asarray-astype"),
    case("""
         from keras.src import backend, ops
         def f(x, alpha=1.0):
             x = backend.convert_to_tensor(x)
             alpha = ops.cast(alpha, x.dtype)
             return ops.where(x > 0, x, alpha * ops.expm1(x))
         """, Piecewise((x, x > 0), (exp(x) - 1, True)), id="plumbing-keras"),
    case("""
         from jax._src import numpy as jnp
         from jax._src.numpy import util as numpy_util
         def f(x):
             x_arr, = numpy_util.promote_dtypes_inexact(x)
             numpy_util.check_arraylike("f", x_arr)
             return jnp.logaddexp(x_arr, 0)
         """, log(exp(x) + 1), "left out", id="private-jax-unpack-validation"),
    case("""
         import jax
         from functools import partial
         @partial(jax.jit, static_argnames=("approximate",))
         @jax.custom_jvp
         def f(x, approximate=False):
             return jax.nn.relu(x)
         """, Max(0, x), "keeps the function's values", id="decorators"),
    case("""
         import torch
         def f(x, inplace=False):
             if inplace:
                 return x.clamp_(min=0)
             return x.clamp(min=0)
         """, Max(0, x), "decided by parameter inplace = False", id="option-inplace"),
    case("""
         import torch
         def f(x, target=None, reduction="mean"):
             loss = x if target is None else x - target
             loss = loss.abs()
             if reduction == "mean":
                 return loss.mean()
             elif reduction == "sum":
                 return loss.sum()
             raise ValueError(reduction)
         """, Abs(x), "reduces over a batch", id="option-reduction-default"),
    case("""
         import torch
         def f(x, reduction="mean"):
             if reduction == "none":
                 return x.abs()
             return 2 * x.abs().sum()
         """, 2 * Abs(x), "as given", options={"reduction": "sum"}, id="option-given"),
    case("""
         import torch
         def f(x, delta=1.0):
             return torch.where(x.abs() < delta, x ** 2, x.abs())
         """, Piecewise((x**2, Abs(x) < 2), (Abs(x), True)), options={"delta": "2"},
         id="option-number"),
    case("""
         import torch
         def f(x):
             torch._check(x.dim() > 0, lambda: "needs a dim")
             assert x.ndim >= 0
             if not isinstance(x, torch.Tensor):
                 raise TypeError("tensor expected")
             return torch.relu(x)
         """, Max(0, x), "checks the input's type", id="validation-and-type-test"),
    case("""
         import numpy as np
         def f(x):
             if x < 0:
                 raise ValueError("x must be non-negative")
             return np.sqrt(x)
         """, Piecewise((sympy.sqrt(x), ~(x < 0))), "undefined", id="raise-on-values"),
    case("""
         import torch
         def _ramp(x, k=1.0):
             return k * x.clamp(min=0)
         def f(x):
             return _ramp(x) - _ramp(x - 1, k=2.0)
         """, Max(0, x) - 2 * Max(0, x - 1), id="helpers-inlined"),
    case("""
         def f(x):
             def inner(u):
                 return scale * u
             scale = 3
             return inner(x)
         """, 3 * x, id="nested-helper-closure"),
    case("""
         import torch
         def f(x):
             return x.sigmoid().mul(x).add(x.pow(2), alpha=0.5)
         """, x / (1 + exp(-x)) + x**2 / 2, id="tensor-methods"),
    case("""
         import torch
         def f(x):
             mask = (x > 0).float()
             return mask * x + (1 - mask) * 0.1 * x
         """, Piecewise((x, x > 0), (x / 10, True)), id="mask-float"),
    case("""
         import numpy as np
         def f(x):
             y = np.array(x, dtype=np.float64)
             y[y < 0] = 0.0
             return y
         """, Piecewise((0, x < 0), (x, True)), id="subscript-assignment"),
    case("""
         import numpy as np
         def f(x):
             y = np.copy(x) if False else np.asarray(x)
             y[y > 1] *= 2
             return y
         """, Piecewise((2 * x, x > 1), (x, True)), id="subscript-augmented"),
    case("""
         import torch
         def f(x):
             y = x.clone()
             y.clamp_(min=-1, max=1)
             return y
         """, Min(1, Max(-1, x)), id="in-place-method"),
    case("""
         import torch
         def f(x):
             lo, hi = -1.0, 1.0
             return torch.clamp(x, lo, hi)[..., None]
         """, Min(1, Max(-1, x)), id="tuple-unpacking-and-none-index"),
    case("""
         import torch.nn.functional as F
         def f(x):
             return F.gelu(x, approximate="tanh")
         """, x / 2 * (1 + sympy.tanh(sympy.sqrt(2 / sympy.pi) * (x + R("0.044715") * x**3))),
         id="gelu-tanh"),
    case("""
         import torch.nn.functional as F
         def f(x):
             return F.softplus(x, beta=2, threshold=20)
         """, Piecewise((x, 2 * x > 20), (log(1 + exp(2 * x)) / 2, True)),
         id="softplus-threshold"),
    case("""
         from keras.src import backend, ops
         def f(x):
             if backend.any_symbolic_tensors((x,)):
                 return SymbolicOp()(x)
             return ops.relu(x)
         """, Max(0, x), "eager path", id="keras-symbolic-branch"),
    case("""
         import torch
         from torch import nn
         class Act(nn.Module):
             def __init__(self, slope=0.2, inplace=False):
                 super().__init__()
                 self.slope = slope
                 self.inplace = inplace
                 self.act = nn.LeakyReLU(slope, inplace=inplace)
             def forward(self, x):
                 if self.training:
                     raise RuntimeError
                 return self.act(x) + self.helper(x)
             def helper(self, x):
                 return self.slope * x.abs()
         """, Piecewise((x, x > 0), (x / 5, True)) + Abs(x) / 5, "self.training",
         name="Act.forward", id="class-forward"),
    case("""
         import jax
         def f(x, alpha=None):
             alpha = -1 if alpha is None else alpha
             weighted = lambda v: 2 * v
             return jax.lax.cond(alpha >= 0, weighted, lambda v: v, jax.nn.relu(x))
         """, Max(0, x), id="lax-cond-lambdas"),
    case("""
         import jax
         def f(x):
             return jax.lax.cond(x > 0, lambda v: v, lambda v: -v, x)
         """, Abs(x), id="lax-cond-on-values"),
    case("""
         from keras.src import backend, ops
         class Op:
             @staticmethod
             def static_call(x, slope=0.0):
                 if slope != 0.0:
                     return backend.nn.leaky_relu(x, negative_slope=slope)
                 return backend.nn.relu(x)
         def f(x):
             return Op.static_call(x, slope=0.5)
         """, Piecewise((x, x > 0), (x / 2, True)), id="class-static-call"),
    case("""
         from keras.src import ops
         def f(x):
             out = ops.sigmoid(x)
             try:
                 out._keras_logits = x
             except AttributeError:
                 pass
             return out
         """, 1 / (1 + exp(-x)), "except clauses only pass", id="try-pass-attribute"),
    case("""
         import torch
         def f(x, approximate="none"):
             if not isinstance(approximate, str):
                 raise TypeError("a string")
             if type(approximate) is int:
                 approximate = "tanh"
             return torch.nn.functional.gelu(x, approximate=approximate)
         """, x / 2 * (1 + sympy.erf(x / sympy.sqrt(2))), id="isinstance-of-an-option"),
    case("""
         import torch
         def f(x, target=0.0):
             if target.numel() == 0:
                 return x.sum() * 0
             return (x - target).abs().sum() / x.shape[0]
         """, Abs(x), "batch of one", id="numel-and-shape"),
    case("""
         import numpy as np
         def f(z):
             sel = np.abs(z) > 1
             big = z[sel]
             v = np.zeros(z.shape)
             v[sel] = 1 / big
             return v
         """, Piecewise((1 / x, Abs(x) > 1), (0, True)), name="f", id="mask-selection"),
    case("""
         import torch
         from torch import _VF
         from torch.overrides import has_torch_function_unary, handle_torch_function
         def f(input, inplace=False):
             if has_torch_function_unary(input):
                 return handle_torch_function(f, (input,), input)
             if inplace:
                 return _VF.threshold_(input, 1.0, 0.0)
             return torch._C._nn.hardtanh(input, -1.0, 1.0) + _VF.threshold(input, 1.0, 0.0)
         """, Min(1, Max(-1, x)) + Piecewise((x, x > 1), (0, True)), "way diffcheck can read",
         id="dispatch-and-private-namespaces"),
    case("""
         import math
         import torch
         from torch import nn
         class Act(nn.Module):
             def __init__(self, python=False):
                 super().__init__()
                 self.act = self._python if python else nn.functional.gelu
             def _python(self, v):
                 return v * 0.5 * (1.0 + torch.erf(v / math.sqrt(2.0)))
             def forward(self, x):
                 return self.act(x)
         """, x / 2 * (1 + sympy.erf(x / sympy.sqrt(2))), name="Act", id="function-attribute"),
    case("""
         import numpy as np
         def f(z, rho, cost_only):
             mask = z <= 1
             rho[0, mask] = z[mask]
             rho[0, ~mask] = 2 * z[~mask] ** 0.5 - 1
             if cost_only:
                 return
             rho[1, mask] = 1
             rho[1, ~mask] = z[~mask] ** -0.5
         """, Piecewise((x, x <= 1), (2 * sympy.sqrt(x) - 1, True)), "row of the output",
         id="output-rows-without-return"),
    case("""
         import torch
         class Fn(torch.autograd.Function):
             @staticmethod
             def forward(ctx, x):
                 ctx.save_for_backward(x)
                 return x.clamp(min=0)
         """, Max(0, x), "saves for the backward pass", name="Fn.forward",
         id="autograd-function-ctx"),
    case("""
         class Norm:
             def __call__(self, z):
                 return self.rho(z)
         class Huber(Norm):
             t = 2.0
             def rho(self, z):
                 return min(abs(z), self.t) ** 2
         """, Min(2, Abs(x)) ** 2, name="Huber", id="class-call-inherited"),
]


@pytest.mark.parametrize(("text", "name", "options", "expected", "note"), CONSTRUCTS)
def test_construct(text: str, name: str, options: dict[str, str] | None,
                   expected: sympy.Expr, note: str) -> None:
    text = source(text)
    translation = translate_function(text, name, options=options)
    got = translation.expression.subs(translation.variable, x)
    # the same function: equal at exact points on both sides of every switch
    points = [R(k, 7) for k in range(-35, 36)]
    assert all(got.subs(x, p) == expected.subs(x, p) or sympy.simplify(
        got.subs(x, p) - expected.subs(x, p)) == 0 for p in points), got
    if note:
        assert any(note in n for n in translation.notes), translation.notes


REFUSALS = [
    pytest.param("import torch\ndef f(x):\n    return x.frobnicate()", 3,
                 "the tensor method .frobnicate() is not one diffcheck knows", id="method"),
    pytest.param("import mylib\ndef f(x):\n    return mylib.act(x)", 3,
                 "is not in a module diffcheck knows", id="module"),
    pytest.param("def f(x, weight=None):\n    return weight * x", 2,
                 "give it a value with --option weight=VALUE", id="none-option-used"),
    pytest.param("def f(x, mode='fast'):\n    return mode * x", 2, "is 'fast'",
                 id="string-option-used"),
    pytest.param("def f(x):\n    return x[0]", 2, "picks elements of a batch",
                 id="indexing"),
    pytest.param("import torch\ndef f(x):\n    x.shape\n    return x", 3,
                 "only computes a value has no effect", id="bare-expression"),
    pytest.param("def f(x):\n    normalise(x)\n    return x", 2,
                 "if it changes a tensor in place, assign its result", id="unused-call"),
    pytest.param("@my_decorator\ndef f(x):\n    return x", 1, "tf.function", id="decorator"),
    pytest.param("def f(x):\n    if x.ndim == 1:\n        return x\n    return 2 * x", 2,
                 "depends on the input's type or shape", id="type-test-differs"),
    pytest.param("def f(x):\n    for i in range(2):\n        x = x + 1\n    return x", 2,
                 "loops are not supported", id="loop"),
    pytest.param("def f(x):\n    try:\n        return x\n    except Exception:\n"
                 "        return 0", 2, "keep the code of the path that runs", id="try"),
    pytest.param("def f(x):\n    return g(x)\ndef g(x):\n    return f(x)", 2,
                 "recursion", id="recursion"),
    pytest.param("def f(x):\n    return int(x)", 2, "truncates", id="int-cast"),
    pytest.param("import torch\ndef f(x):\n    return x.long()", 3, "truncates",
                 id="long-cast"),
    pytest.param("import numpy as np\ndef f(x):\n    y = np.asarray(x)\n    y[1] = 0\n"
                 "    return y", 4, "writes one element of an array", id="position-write"),
    pytest.param("def f(x):\n    x[x > 0] = 1\n    y = x\n    y[2:] = 0\n    return y", 4,
                 "writes elements picked by position", id="slice-write"),
    pytest.param("class A:\n    def forward(self, x):\n        return self.k * x", 3,
                 "self.k is not set in __init__", id="missing-attribute"),
]


@pytest.mark.parametrize(("text", "line", "message"), REFUSALS)
def test_refusal_names_the_line_and_a_fix(text: str, line: int, message: str) -> None:
    name = "A.forward" if text.startswith("class") else "f"
    with pytest.raises(FunctionError) as info:
        translate_function(text + "\n", name, path="act.py")
    assert message in str(info.value)
    assert info.value.line == line
    assert str(info.value).startswith(f"act.py, line {line}:")


def test_unknown_option_is_refused() -> None:
    with pytest.raises(FunctionError, match="--option beta: no parameter"):
        translate_function("def f(x, alpha=1.0):\n    return alpha * x\n", "f",
                           options={"beta": "2"})


def test_class_spec_without_the_class() -> None:
    with pytest.raises(FunctionError, match="no class 'Nope'"):
        translate_function("def f(x):\n    return x\n", "Nope.forward")


@settings(max_examples=30, deadline=None)
@given(slope=st.fractions(min_value=-3, max_value=3, max_denominator=20),
       knot=st.integers(min_value=-5, max_value=5),
       probe=st.fractions(min_value=-8, max_value=8, max_denominator=50))
def test_masks_and_where_agree(slope: Any, knot: int, probe: Any) -> None:
    """A Heaviside-style mask written two ways is one function: checked at exact points."""
    masked = source(f"""
        def f(x):
            above = (x > {knot}).float()
            return above * x + (1 - above) * ({slope.numerator} / {slope.denominator}) * x
        """)
    written = parse_expression(f"where(x > {knot}, x, {slope.numerator}/{slope.denominator}*x)")
    expr = translate_function(masked, "f").expression
    point = R(probe.numerator, probe.denominator)
    assert expr.subs(x, point) == written.subs(x, point)


def test_probe_steps_are_relative_and_stay_beside_the_point() -> None:
    steps = probe_steps([2.2e-16, 0.0, 3.0, 3.5])
    assert steps[0] == pytest.approx(2.2e-23)
    assert 100 * steps[0] < 2.2e-16  # the far probe does not reach the point at 0
    assert steps[2] == pytest.approx(3e-7)
    assert steps[3] <= 0.5 / 1000


# --- the command ------------------------------------------------------------------------------


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def module_file(tmp_path: Path) -> Path:
    path = tmp_path / "act.py"
    path.write_text(source("""
        import torch


        def hard_mish(x, reduction="none"):
            y = 0.5 * x * (x + 2).clamp(min=0, max=2)
            if reduction == "mean":
                return y.mean()
            return y


        def loss(x, target, delta=1.0):
            return torch.where((x - target).abs() < delta, 0.5 * (x - target) ** 2,
                               delta * ((x - target).abs() - 0.5 * delta))
        """))
    return path


def test_cli_notes_say_what_was_assumed(module_file: Path) -> None:
    result = run("--function", f"{module_file}:hard_mish", "--option", "reduction=mean",
                 "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert any("decided by option reduction = 'mean' (as given" in n for n in data["notes"])
    assert any("reduces over a batch" in n for n in data["notes"])
    assert [p["at"] for p in data["points"]] == ["-2", "0"]


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(("--option", "x=1", "Max(0, x)"), "are for --function", id="option-without"),
    pytest.param(("--function", "{}:hard_mish", "--execute"), "give --autodiff", id="no-autodiff"),
    pytest.param(("--function", "{}:hard_mish", "--option", "nope=1"), "--option nope",
                 id="unknown-option"),
    pytest.param(("--function", "{}:hard_mish", "--option", "=1"), "NAME=VALUE",
                 id="bad-option"),
])
def test_cli_option_errors(module_file: Path, args: tuple[str, ...], message: str) -> None:
    result = run(*(a.format(module_file) for a in args))
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def gradients(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return {p["at"]: p for p in data["autodiff"][0]["points"]}


def test_execute_runs_the_users_own_code(module_file: Path) -> None:
    pytest.importorskip("torch")
    spec = f"{module_file}:hard_mish"
    formula = gradients(run("--function", spec, "--autodiff", "torch", "--json"))
    own = gradients(run("--function", spec, "--autodiff", "torch", "--json", "--execute"))
    # torch's clamp passes the gradient at its bound: the code returns -1, the formula
    # x*Min(2, Max(0, x + 2))/2 (Max splits the tie) returns -0.5; both are subgradients
    assert formula["-2"]["gradient"] == -0.5
    assert own["-2"]["gradient"] == -1.0
    assert own["-2"]["verdict"] == "subgradient"
    data = json.loads(run("--function", spec, "--autodiff", "torch", "--json",
                          "--execute", "--option", "reduction=mean").stdout)
    assert "your code" in data["autodiff"][0]["note"]
    assert data["autodiff"][0]["points"][0]["gradient"] == -1.0  # a batch of one: the mean


def test_execute_passes_set_values(module_file: Path) -> None:
    pytest.importorskip("torch")
    own = gradients(run("--function", f"{module_file}:loss", "--set", "target=1",
                        "--autodiff", "torch", "--json", "--execute"))
    assert set(own) == {"0", "1", "2"}  # 1: where |x - target| is, differentiable
    assert own["0"]["gradient"] == pytest.approx(-1.0)
    assert own["1"]["verdict"] == "agrees"
    assert own["2"]["gradient"] == pytest.approx(1.0)


def test_execute_with_jax(tmp_path: Path) -> None:
    pytest.importorskip("jax")
    path = tmp_path / "j.py"
    path.write_text("import jax.numpy as jnp\n\n\ndef f(x):\n    return jnp.abs(x) + x\n")
    own = gradients(run("--function", f"{path}:f", "--autodiff", "jax", "--json",
                        "--execute"))
    # jax's abs passes 1 at 0: the code's gradient 2 is in the subdifferential [0, 2]
    assert math.isclose(own["0"]["gradient"], 2.0)
    assert own["0"]["verdict"] == "subgradient"


def test_execute_reports_the_users_errors(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    path = tmp_path / "bad.py"
    path.write_text("import torch\n\n\ndef f(x):\n    return torch.relu(x)\n\n\n"
                    "raise RuntimeError('boom')\n")
    result = run("--function", f"{path}:f", "--autodiff", "torch", "--execute")
    assert result.exit_code == 2
    assert "importing" in result.stderr
    assert "boom" in result.stderr
    assert "Traceback" not in result.output


def test_without_execute_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "f.py"
    path.write_text(f"open({str(marker)!r}, 'w').close()\n\ndef f(x):\n    return abs(x)\n")
    result = run("--function", f"{path}:f", "--autodiff", "torch", "--json")
    assert result.exit_code == 0, result.output
    assert not marker.exists()


def test_expression_language_reads_the_new_vocabulary() -> None:
    assert parse_expression("F.gelu(x, approximate='none')") == parse_expression("gelu(x)")
    assert parse_expression("jax.nn.gelu(x)") == parse_expression(
        "F.gelu(x, approximate='tanh')")
    assert parse_expression("np.logaddexp(x, 0)") == log(exp(x) + 1)
    assert parse_expression("lax.clamp(-1, x, 1)") == Min(1, Max(-1, x))
    assert parse_expression("keras.ops.leaky_relu(x)") == Piecewise((x, x > 0), (x / 5, True))
    # each library's own default: Keras' activation is exact, its op the tanh form
    assert parse_expression("keras.activations.gelu(x)") == parse_expression("gelu(x)")
    assert parse_expression("keras.ops.gelu(x)") == parse_expression("jax.nn.gelu(x)")
    with pytest.raises(Exception, match="approximate must be 'none' or 'tanh'"):
        parse_expression("F.gelu(x, approximate='erf')")
