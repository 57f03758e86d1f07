"""The corpus of activations and losses in ``tests/data/functions/``: every function is
translated as written (``--function``), and every point diffcheck reports is checked
against high-precision one-sided difference quotients.

The corpus is diffcheck's own code, written in the styles of PyTorch, JAX, Keras/TF,
NumPy/SciPy and ``nn.Module`` classes, so that every construct the translator reads
(plumbing, options, decorators, validation, helpers and methods, tensor methods,
reductions, masks, unpacking and subscript assignment) appears in several functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import mpmath
import pytest
import sympy

from diffcheck.analysis.single import analyze
from diffcheck.analysis.verify import check_point
from diffcheck.language.pyfunction import FunctionError, translate_function
from diffcheck.model.report import Kind, PointReport

DATA = Path(__file__).resolve().parent / "data" / "functions"

#: Entries that are not functions of one element (an abstract base class's method).
ABSTRACT = {("modules_style.py", "RobustNorm"): "every path through the function raises"}

#: Where the parameters other than the variable (targets, labels) are fixed.
FIXED = sympy.Rational(1, 3)
WINDOW = "[-6, 6]"


def _entries() -> list[tuple[str, str]]:
    found = []
    for path in sorted(DATA.glob("*.py")):
        module = ast.parse(path.read_text(encoding="utf-8"))
        for node in module.body:
            if not isinstance(node, ast.FunctionDef | ast.ClassDef) or node.name.startswith(
                    "_") or (path.name, node.name) in ABSTRACT:
                continue
            if isinstance(node, ast.FunctionDef):
                found.append((path.name, node.name))
            elif isinstance(node, ast.ClassDef):
                methods = [m.name for m in node.body if isinstance(m, ast.FunctionDef)]
                if {"forward", "__call__", "call"} & set(methods) or (node.bases and not any(
                        not m.startswith("_") for m in methods)):
                    found.append((path.name, node.name))  # called as a layer
                else:  # a norm or an operation: each public method
                    found += [(path.name, f"{node.name}.{m}") for m in methods
                              if not m.startswith("_")]
    return found


ENTRIES = _entries()
IDS = [f"{file.removesuffix('_style.py')}:{name}" for file, name in ENTRIES]
#: Every construct of the issue's table, and where the corpus has it.
CONSTRUCTS = (
    "convert_to_tensor", "asarray", "astype", "ops.cast", "@jax.jit", "@custom_jvp",
    "@keras_export", "@tf.function", "if inplace", "reduction ==", "is not None",
    "torch._check", "isinstance", "assert ", "self.", ".clamp(", ".pow(", ".mean()",
    "jnp.mean(", "(x > 0) *", ".float()", "x_arr, =", "out[x < 0]", ".clamp_(", "lax.",
    "tf.math.", "ops.", "jax._src", "nn.LeakyReLU", "def forward", "logaddexp",
    "torch.le(", "torch.gt(", "log_sigmoid", "binary_cross_entropy_with_logits",
    "ones_like", "static_call", "_VF.", "torch._C._nn", "v[t1] =", "warnings.warn",
)


def translated(file: str, name: str) -> tuple[sympy.Expr, sympy.Symbol, tuple[str, ...]]:
    path = DATA / file
    translation = translate_function(path.read_text(encoding="utf-8"), name, path=str(path))
    x = translation.variable
    expr = translation.expression.xreplace(
        {s: FIXED for s in translation.expression.free_symbols if s != x})
    return expr, x, translation.notes


def test_the_corpus_is_large_and_varied() -> None:
    files = {file for file, _ in ENTRIES}
    assert len(ENTRIES) >= 100
    assert len(files) >= 5
    text = "\n".join(p.read_text(encoding="utf-8") for p in DATA.glob("*.py"))
    for construct in CONSTRUCTS:
        assert text.count(construct) >= 1, construct


@pytest.mark.parametrize(("file", "name"), ENTRIES, ids=IDS)
def test_every_function_translates(file: str, name: str) -> None:
    expr, x, _notes = translated(file, name)
    assert expr.free_symbols <= {x}
    assert parsing_real(expr)


def parsing_real(expr: sympy.Expr) -> bool:
    return not expr.has(sympy.I, sympy.zoo, sympy.nan)


@pytest.mark.parametrize(("file", "name"), list(ABSTRACT), ids=[n for _, n in ABSTRACT])
def test_abstract_entries_are_refused(file: str, name: str) -> None:
    with pytest.raises(FunctionError, match=ABSTRACT[(file, name)]):
        translated(file, name)


def _quotient(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, side: int,
              scale: float = 1.0) -> mpmath.mpf | None:
    """(f(a + side*h) - f(a)) / (side*h) at h = 1e-25*min(1, |a|)*scale, with mpmath at 150
    digits (f turned into mpmath code by lambdify: an evaluation independent of SymPy's)."""
    with mpmath.workdps(150):
        fn = sympy.lambdify(x, f, modules="mpmath")
        at = mpmath.mpf(str(sympy.N(a, 160)))
        h = mpmath.mpf("1e-25") * min(mpmath.mpf(1), abs(at) or mpmath.mpf(1)) * scale
        try:
            q = (fn(at + side * h) - fn(at)) / (side * h)
        except (TypeError, ValueError, ArithmeticError, NameError):
            return None
        if not isinstance(q, mpmath.mpf) or not mpmath.isfinite(q):
            return None
        return q


def assert_point_checked(f: sympy.Expr, x: sympy.Symbol, point: PointReport) -> None:
    """The report at one point agrees with the numbers (verify's check and our own)."""
    # verify's steps go down to 7e-31: beside a point such as exp(-100), or where f' is
    # as steep as exp(100), they are not small enough, so there only our own (scaled)
    # quotients below are compared
    steep = [d for d in (point.left_derivative, point.right_derivative)
             if d is not None and d.is_finite and abs(sympy.N(d)) > 1e15]
    if (abs(sympy.N(point.at)) == 0 or abs(sympy.N(point.at)) > 1e-20) and not steep:
        check = check_point(f, x, point)
        assert check.agrees is not False, f"{point.at}: {point.kind} {check.reason}"
    if point.kind is Kind.UNKNOWN or not point.continuous:
        return
    # steps small against the steeper side too (a feature as near as 1/|f'| may follow)
    slopes = [float(abs(sympy.N(d))) for d in (point.left_derivative, point.right_derivative)
              if d is not None and d.is_finite]
    scale = 1 / max([1.0, *slopes])
    for side, claimed in ((-1, point.left_derivative), (1, point.right_derivative)):
        if claimed is None or not claimed.is_finite:
            continue
        q = _quotient(f, x, point.at, side, scale=scale)
        assert q is not None, f"{point.at}: f not real beside a continuous point"
        expected = mpmath.mpf(str(sympy.N(claimed, 40)))
        assert abs(q - expected) <= mpmath.mpf("1e-8") * (1 + abs(expected)), (
            f"at {point.at} side {side}: quotient {q} vs {claimed}")


SAMPLE = [e for e in ENTRIES if e[1] in (
    "hardswish_ref", "masked_fill_act", "huber_ref", "relu_custom", "elu_safe",
    "huber", "leaky_np", "hampel_rho", "HuberLossModule", "TrainingSwitch")]


@pytest.mark.parametrize(("file", "name"), SAMPLE, ids=[n for _, n in SAMPLE])
def test_sample_points_agree_with_difference_quotients(file: str, name: str) -> None:
    f, x, _ = translated(file, name)
    analysis = analyze(f, var=x.name, domain=WINDOW)
    assert analysis.points
    for point in analysis.points:
        assert_point_checked(f, x, point)


@pytest.mark.slow
@pytest.mark.parametrize(("file", "name"), ENTRIES, ids=IDS)
def test_every_point_agrees_with_difference_quotients(file: str, name: str) -> None:
    f, x, _ = translated(file, name)
    analysis = analyze(f, var=x.name, domain=WINDOW)
    for point in analysis.points:
        assert_point_checked(f, x, point)
    for family in analysis.candidate_sets:
        for point in family.samples:
            assert_point_checked(f, x, point)
