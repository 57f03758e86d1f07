"""The wider vocabulary: the names torch, NumPy, JAX (``jax.numpy``, ``jax.nn``, ``lax``),
Keras (``keras.ops``, ``keras.activations``), TensorFlow (``tf.math``, ``tf.nn``), SciPy and
optax give the element-wise functions ML code is written with.

:mod:`diffcheck.language.names` holds the core tables (SymPy's names, the catalog, the
NumPy/PyTorch/JAX/math prefixes); this module adds functions and prefixes on top of them
and is the table the parser reads (:data:`SPACES`, :data:`BARE`). Every other attribute
is :mod:`~diffcheck.language.names`' own, so ``library.power`` is ``names.power``.

Each library's defaults are its own: ``jax.nn.gelu`` and ``keras.ops.gelu`` are the tanh
form (``approximate=True``), ``torch``'s and ``tf.nn``'s the exact one;
``keras.ops.leaky_relu`` and ``tf.nn.leaky_relu`` have slope 0.2, PyTorch's and JAX's 0.01.
Comparisons such as ``torch.gt`` are conditions; ``--function`` code may use them as
0/1 masks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy
from sympy import Abs, Piecewise, Rational, S, exp, log

from diffcheck.errors import InputError
from diffcheck.language import names
from diffcheck.language.names import (
    CONSTANTS,
    NOT_REAL,
    Fn,
    Space,
    _fns,
    elu,
    gelu,
    hardsigmoid,
    hardswish,
    maximum,
    minimum,
    power,
    relu,
    relu6,
    sigmoid,
    silu,
    softplus,
    where,
)

__all__ = [
    "BARE", "CONSTANTS", "NOT_REAL", "SPACES", "Fn", "Space", "canonical_module", "power",
    "where",
]

_ONE = sympy.Integer(1)
_FOUR = sympy.Integer(4)
_FIFTH = Rational(1, 5)
_EIGHTH = Rational(1, 8)
_THIRD = Rational(1, 3)


def __getattr__(name: str) -> Any:
    """Everything else is the core table's (:mod:`diffcheck.language.names`)."""
    return getattr(names, name)


# --- functions the core tables lack ---------------------------------------------------------


def log_sigmoid(x: sympy.Expr) -> sympy.Expr:
    """``log(sigmoid(x)) = -log(1 + exp(-x))``."""
    return -log(1 + exp(-x))


def logaddexp(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
    """``log(exp(a) + exp(b))``."""
    return log(exp(a) + exp(b))


def logaddexp2(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
    """``log2(2**a + 2**b)``."""
    return log(power(2, a) + power(2, b), 2)


def squareplus(x: sympy.Expr, b: sympy.Expr = _FOUR) -> sympy.Expr:
    """``(x + sqrt(x**2 + b))/2`` (``jax.nn.squareplus``)."""
    return (x + sympy.sqrt(x**2 + b)) / 2


def sparse_plus(x: sympy.Expr) -> sympy.Expr:
    """``0`` below -1, ``(x + 1)**2/4`` between, ``x`` above 1 (``jax.nn.sparse_plus``)."""
    return Piecewise((0, x <= -1), (x, x >= 1), ((x + 1) ** 2 / 4, True))


def sparse_sigmoid(x: sympy.Expr) -> sympy.Expr:
    """``0`` below -1, ``(x + 1)/2`` between, ``1`` above 1 (``jax.nn.sparse_sigmoid``)."""
    return Piecewise((0, x <= -1), (1, x >= 1), ((x + 1) / 2, True))


def xlogy(x: sympy.Expr, y: sympy.Expr) -> sympy.Expr:
    """``x*log(y)``, 0 where ``x = 0`` (SciPy's and PyTorch's convention)."""
    return Piecewise((0, sympy.Eq(x, 0)), (x * log(y), True))


def logit(p: sympy.Expr, eps: sympy.Expr | None = None) -> sympy.Expr:
    """``log(p/(1 - p))``; PyTorch's ``eps`` clamps p to ``[eps, 1 - eps]`` first."""
    if eps is not None:
        p = minimum(maximum(p, eps), 1 - eps)
    return log(p / (1 - p))


def binary_cross_entropy_with_logits(input: sympy.Expr, target: sympy.Expr,
                                     weight: sympy.Expr | None = None,
                                     size_average: None = None, reduce: None = None,
                                     reduction: str = "mean",
                                     pos_weight: sympy.Expr | None = None) -> sympy.Expr:
    """One element of ``F.binary_cross_entropy_with_logits`` (the reduction does not change
    an element's loss): ``(1 - t)*x + (1 + (w - 1)*t)*log(1 + exp(-x))``."""
    w = _ONE if pos_weight is None else pos_weight
    loss = (1 - target) * input + (1 + (w - 1) * target) * log(1 + exp(-input))
    return loss if weight is None else weight * loss


def binary_cross_entropy(input: sympy.Expr, target: sympy.Expr,
                         weight: sympy.Expr | None = None, size_average: None = None,
                         reduce: None = None, reduction: str = "mean") -> sympy.Expr:
    """One element of ``F.binary_cross_entropy``; PyTorch clamps each log at -100."""
    loss = -(target * maximum(log(input), -100) + (1 - target) * maximum(log(1 - input), -100))
    return loss if weight is None else weight * loss


def soft_margin_loss(input: sympy.Expr, target: sympy.Expr,
                     reduction: str = "mean") -> sympy.Expr:
    """One element of ``F.soft_margin_loss``: ``log(1 + exp(-target*input))``."""
    return log(1 + exp(-target * input))


def sigmoid_cross_entropy_with_logits(labels: sympy.Expr, logits: sympy.Expr) -> sympy.Expr:
    """``tf.nn.sigmoid_cross_entropy_with_logits`` (keywords as TensorFlow names them)."""
    return binary_cross_entropy_with_logits(logits, labels)


def sigmoid_binary_cross_entropy(logits: sympy.Expr, labels: sympy.Expr) -> sympy.Expr:
    """``optax.sigmoid_binary_cross_entropy``."""
    return binary_cross_entropy_with_logits(logits, labels)


def optax_huber(predictions: sympy.Expr, targets: sympy.Expr | None = None,
                delta: sympy.Expr = _ONE) -> sympy.Expr:
    """``optax.huber_loss``: quadratic within ``delta`` of the target, linear outside."""
    r = predictions if targets is None else predictions - targets
    return names.huber(r, delta)


def optax_l2(predictions: sympy.Expr, targets: sympy.Expr | None = None) -> sympy.Expr:
    """``optax.l2_loss``: half the squared error."""
    r = predictions if targets is None else predictions - targets
    return r**2 / 2


def optax_hinge(predictor_outputs: sympy.Expr, targets: sympy.Expr) -> sympy.Expr:
    """``optax.hinge_loss``: ``max(0, 1 - outputs*targets)``."""
    return maximum(0, 1 - predictor_outputs * targets)


def scipy_huber(delta: sympy.Expr, r: sympy.Expr) -> sympy.Expr:
    """``scipy.special.huber(delta, r)``: ``r**2/2`` within delta, ``delta*(|r| - delta/2)``."""
    return names.huber(r, delta)


def pseudo_huber(delta: sympy.Expr, r: sympy.Expr) -> sympy.Expr:
    """``scipy.special.pseudo_huber(delta, r)``: ``delta**2*(sqrt(1 + (r/delta)**2) - 1)``."""
    return delta**2 * (sympy.sqrt(1 + (r / delta) ** 2) - 1)


def torch_add(input: sympy.Expr, other: sympy.Expr, *, alpha: sympy.Expr = _ONE,
              out: None = None) -> sympy.Expr:
    """``torch.add(input, other, alpha=1)``: ``input + alpha*other``."""
    return input + alpha * other


def torch_sub(input: sympy.Expr, other: sympy.Expr, *, alpha: sympy.Expr = _ONE,
              out: None = None) -> sympy.Expr:
    """``torch.sub(input, other, alpha=1)``: ``input - alpha*other``."""
    return input - alpha * other


def torch_clamp(input: sympy.Expr, min: sympy.Expr | None = None,
                max: sympy.Expr | None = None, *, out: None = None) -> sympy.Expr:
    """``torch.clamp``."""
    return names.clamp(input, min, max)


def clip_by_value(t: sympy.Expr, clip_value_min: sympy.Expr, clip_value_max: sympy.Expr,
                  name: str | None = None) -> sympy.Expr:
    """``tf.clip_by_value``."""
    return names.clamp(t, clip_value_min, clip_value_max)


def lax_clamp(min: sympy.Expr, x: sympy.Expr, max: sympy.Expr) -> sympy.Expr:
    """``lax.clamp(min, x, max)``: the bounds come first."""
    return names.clamp(x, min, max)


def keras_relu(x: sympy.Expr, negative_slope: sympy.Expr = S.Zero,
               max_value: sympy.Expr | None = None,
               threshold: sympy.Expr = S.Zero) -> sympy.Expr:
    """``keras.activations.relu``: ``x`` from ``threshold`` up (capped at ``max_value``),
    ``negative_slope*(x - threshold)`` below."""
    if negative_slope == 0 and threshold == 0:
        base = maximum(0, x)
    else:
        base = Piecewise((x, x >= threshold), (negative_slope * (x - threshold), True))
    return base if max_value is None else minimum(base, max_value)


def keras_threshold(x: sympy.Expr, threshold: sympy.Expr,
                    default_value: sympy.Expr) -> sympy.Expr:
    """``keras.ops.threshold``: ``x`` above the threshold, ``default_value`` elsewhere."""
    return Piecewise((x, x > threshold), (default_value, True))


def keras_leaky_relu(x: sympy.Expr, negative_slope: sympy.Expr = _FIFTH) -> sympy.Expr:
    """``keras.ops.leaky_relu`` (slope 0.2)."""
    return names.leaky_relu(x, negative_slope)


def tf_leaky_relu(features: sympy.Expr, alpha: sympy.Expr = _FIFTH,
                  name: str | None = None) -> sympy.Expr:
    """``tf.nn.leaky_relu`` (slope 0.2)."""
    return names.leaky_relu(features, alpha)


def approximate_gelu(x: sympy.Expr, approximate: bool = True) -> sympy.Expr:
    """``jax.nn.gelu`` and ``keras.ops.gelu``: the tanh form unless ``approximate=False``."""
    return gelu(x, approximate)


def keras_activation_gelu(x: sympy.Expr, approximate: bool = False) -> sympy.Expr:
    """``keras.activations.gelu``: exact unless ``approximate=True``."""
    return gelu(x, approximate)


def exact_gelu(features: sympy.Expr, approximate: bool = False,
               name: str | None = None) -> sympy.Expr:
    """``tf.nn.gelu``: the exact form unless ``approximate=True``."""
    return gelu(features, approximate)


def tf_swish(features: sympy.Expr, beta: sympy.Expr = _ONE,
             name: str | None = None) -> sympy.Expr:
    """``tf.nn.silu``/``swish``: ``x*sigmoid(beta*x)``."""
    return features * sigmoid(beta * features)


def keras_elu(x: sympy.Expr, alpha: sympy.Expr = _ONE) -> sympy.Expr:
    """``keras.ops.elu``."""
    return elu(x, alpha)


def hard_silu(x: sympy.Expr) -> sympy.Expr:
    """``x*hard_sigmoid(x)``."""
    return hardswish(x)


def rrelu(input: sympy.Expr, lower: sympy.Expr = _EIGHTH,
          upper: sympy.Expr = _THIRD, training: bool = False,
          inplace: bool = False) -> sympy.Expr:
    """``F.rrelu`` in evaluation (its default): the slope below 0 is ``(lower + upper)/2``."""
    if training:
        raise InputError("F.rrelu(training=True) draws a random slope; analyse it with "
                               "training=False")
    return names.leaky_relu(input, (lower + upper) / 2)


def _const(value: sympy.Expr) -> Fn:
    return Fn(lambda *_: value, 1, 2)


# --- the tables --------------------------------------------------------------------------------


_COMPARE = {"lt": sympy.Lt, "le": sympy.Le, "gt": sympy.Gt, "ge": sympy.Ge, "eq": sympy.Eq,
            "ne": sympy.Ne, "less": sympy.Lt, "less_equal": sympy.Le, "greater": sympy.Gt,
            "greater_equal": sympy.Ge, "equal": sympy.Eq, "not_equal": sympy.Ne}
_COMPARISONS = {n: Fn(f, 2, 2, gives="cond") for n, f in _COMPARE.items()}
_LOGICAL = {
    "logical_and": Fn(sympy.And, 2, 2, args="cond", gives="cond"),
    "logical_or": Fn(sympy.Or, 2, 2, args="cond", gives="cond"),
    "logical_not": Fn(sympy.Not, args="cond", gives="cond"),
}
_ARITHMETIC = {
    **_fns("add", lambda a, b: a + b, 2, 2), **_fns("subtract", lambda a, b: a - b, 2, 2),
    **_fns("multiply mul", lambda a, b: a * b, 2, 2),
    **_fns("divide true_divide div truediv", lambda a, b: a / b, 2, 2),
    **_fns("negative neg", lambda u: -u), **_fns("positive", lambda u: u),
    **_fns("reciprocal", lambda u: 1 / u), **_fns("rsqrt", lambda u: 1 / sympy.sqrt(u)),
    **_fns("exp2", lambda u: power(2, u)), **_fns("square", lambda u: power(u, 2)),
    **_fns("logaddexp", logaddexp, 2, 2), **_fns("logaddexp2", logaddexp2, 2, 2),
    "zeros_like": _const(S.Zero), "ones_like": _const(S.One),
    **_fns("full_like", lambda _u, v: v, 2, 2), **_fns("sign"), **_fns("erf erfc"),
    **_fns("expit", sigmoid), **_fns("log_sigmoid log_expit", log_sigmoid),
    **_fns("xlogy", xlogy, 2, 2),
}
_SPECIAL = Space({
    **_fns("expit", sigmoid), **_fns("log_expit", log_sigmoid), **_fns("erf erfc"),
    **_fns("xlogy", xlogy, 2, 2), "logit": Fn.keywords(logit),
    **_fns("log1p", lambda u: log(1 + u)), **_fns("expm1", lambda u: exp(u) - 1),
    **_fns("huber", scipy_huber, 2, 2), **_fns("pseudo_huber", pseudo_huber, 2, 2),
}, {})

_NUMPY = Space({**names.SPACES["np"].functions, **_COMPARISONS, **_LOGICAL, **_ARITHMETIC},
               names.SPACES["np"].constants)
_TORCH = Space({
    **names.SPACES["torch"].functions, **_COMPARISONS, **_LOGICAL, **_ARITHMETIC,
    **{n: f for n, f in names.SPACES["F"].functions.items() if n in (
        "selu", "celu", "rrelu", "hardshrink", "threshold", "softplus", "relu6", "silu",
        "mish", "hardtanh", "hardsigmoid", "hardswish", "leaky_relu", "elu", "gelu")},
    "add": Fn.keywords(torch_add), "sub": Fn.keywords(torch_sub),
    "subtract": Fn.keywords(torch_sub), "clamp": Fn.keywords(torch_clamp),
    "clip": Fn.keywords(torch_clamp), "logit": Fn.keywords(logit),
    **_fns("tanh"),
}, names.SPACES["torch"].constants)
_F = Space({
    **names.SPACES["F"].functions, **_fns("sigmoid", sigmoid), **_fns("logsigmoid", log_sigmoid),
    "binary_cross_entropy_with_logits": Fn.keywords(binary_cross_entropy_with_logits),
    "binary_cross_entropy": Fn.keywords(binary_cross_entropy),
    "soft_margin_loss": Fn.keywords(soft_margin_loss), "rrelu": Fn.keywords(rrelu),
    **_fns("log_sigmoid", log_sigmoid),
}, {})
# torch._C._nn: the functional forms, losses taking the reduction as a positional enum
_C_NN = Space({
    **_F.functions,
    "l1_loss": Fn.keywords(lambda input, target, reduction=None: names.l1_loss(input, target)),
    "mse_loss": Fn.keywords(lambda input, target, reduction=None: names.mse_loss(input,
                                                                                 target)),
    "smooth_l1_loss": Fn.keywords(lambda input, target, reduction=None, beta=_ONE:
                                  names.smooth_l1(input - target, beta)),
    "huber_loss": Fn.keywords(lambda input, target, reduction=None, delta=_ONE:
                              names.huber(input - target, delta)),
    "soft_margin_loss": Fn.keywords(lambda input, target, reduction=None:
                                    soft_margin_loss(input, target)),
}, {})
_JAX_NN = Space({
    **names.SPACES["jax.nn"].functions, "gelu": Fn.keywords(approximate_gelu),
    **_fns("log_sigmoid", log_sigmoid), "squareplus": Fn.keywords(squareplus),
    **_fns("sparse_plus", sparse_plus), **_fns("sparse_sigmoid", sparse_sigmoid),
    **_fns("hard_silu", hard_silu), **_fns("softplus", softplus), **_fns("relu", relu),
}, {})
_LAX = Space({
    **_fns("max", maximum, 2, 2), **_fns("min", minimum, 2, 2), **_fns("abs", Abs),
    **_fns("exp log sqrt tanh sin cos sign erf erfc floor"),
    **_fns("log1p", lambda u: log(1 + u)), **_fns("expm1", lambda u: exp(u) - 1),
    **_fns("logistic", sigmoid), **_fns("neg", lambda u: -u),
    **_fns("rsqrt", lambda u: 1 / sympy.sqrt(u)), **_fns("square", lambda u: power(u, 2)),
    **_fns("integer_pow pow", power, 2, 2), **_fns("add", lambda a, b: a + b, 2, 2),
    **_fns("sub", lambda a, b: a - b, 2, 2), **_fns("mul", lambda a, b: a * b, 2, 2),
    **_fns("div", lambda a, b: a / b, 2, 2), **_fns("select", where, 3, 3, args="where"),
    "clamp": Fn.keywords(lax_clamp),
    **{n: Fn(f, 2, 2, gives="cond") for n, f in _COMPARE.items() if len(n) == 2},
}, {})
_KERAS = Space({
    **_NUMPY.functions, **_fns("soft_shrink", names.softshrink),
    **_fns("hard_shrink", names.hardshrink), **_fns("tanh_shrink", names.tanhshrink),
    **_fns("hard_tanh", names.hardtanh), "celu": Fn.keywords(names.celu),
    "squareplus": Fn.keywords(squareplus), **_fns("sparse_plus", sparse_plus),
    **_fns("sparse_sigmoid", sparse_sigmoid), "threshold": Fn.keywords(keras_threshold),
    "relu": Fn.keywords(keras_relu), **_fns("relu6", relu6),
    **_fns("sigmoid", sigmoid),
    **_fns("softplus", softplus), **_fns("softsign", names.softsign),
    **_fns("silu swish", silu), "gelu": Fn.keywords(approximate_gelu),
    "elu": Fn.keywords(keras_elu), **_fns("selu", names.selu),
    "leaky_relu": Fn.keywords(keras_leaky_relu),
    **_fns("hard_sigmoid", hardsigmoid), **_fns("hard_silu hard_swish", hard_silu),
    **_fns("log_sigmoid", log_sigmoid), **_fns("mish", names.mish), **_fns("tanh"),
    **_fns("linear", lambda u: u),
}, _NUMPY.constants)
# keras.activations.gelu is exact by default, keras.ops.gelu the tanh form
_KERAS_ACTIVATIONS = Space({**_KERAS.functions, "gelu": Fn.keywords(keras_activation_gelu)},
                           _KERAS.constants)
_TF = Space({
    **_NUMPY.functions, **_fns("sigmoid", sigmoid), **_fns("softplus", softplus),
    **_fns("softsign", names.softsign), **_fns("relu", relu), **_fns("relu6", relu6),
    **_fns("elu", elu), **_fns("selu", names.selu),
    "leaky_relu": Fn.keywords(tf_leaky_relu), "gelu": Fn.keywords(exact_gelu),
    "silu": Fn.keywords(tf_swish), "swish": Fn.keywords(tf_swish),
    "clip_by_value": Fn.keywords(clip_by_value),
    **_fns("squared_difference", lambda a, b: (a - b) ** 2, 2, 2),
    **_fns("log_sigmoid", log_sigmoid),
    "sigmoid_cross_entropy_with_logits": Fn.keywords(sigmoid_cross_entropy_with_logits),
}, _NUMPY.constants)
_OPTAX = Space({
    "huber_loss": Fn.keywords(optax_huber), "l2_loss": Fn.keywords(optax_l2),
    "squared_error": Fn.keywords(lambda predictions, targets=None: optax_l2(
        predictions, targets) * 2),
    "hinge_loss": Fn.keywords(optax_hinge),
    "sigmoid_binary_cross_entropy": Fn.keywords(sigmoid_binary_cross_entropy),
}, {})

#: Every prefix the parser knows, and what each provides.
SPACES: Mapping[str, Space] = {
    **names.SPACES,
    **dict.fromkeys(("np", "numpy", "jnp", "jax.numpy"), _NUMPY),
    "torch": _TORCH, **dict.fromkeys(("F", "torch.nn.functional", "nn.functional"), _F),
    "torch.special": _SPECIAL, "scipy.special": _SPECIAL, "jax.scipy.special": _SPECIAL,
    "jax.nn": _JAX_NN, **dict.fromkeys(("lax", "jax.lax"), _LAX),
    **dict.fromkeys(("keras.activations", "activations"), _KERAS_ACTIVATIONS),
    **dict.fromkeys(("ops", "keras.ops", "keras.backend",
                     "keras.backend.nn", "keras.backend.numpy", "backend", "backend.nn",
                     "backend.numpy", "keras.ops.nn", "keras.ops.numpy", "ops.nn",
                     "ops.numpy", "K", "keras.backend.math", "keras.ops.math"), _KERAS),
    "torch._C._nn": _C_NN, **dict.fromkeys(("torch._VF", "torch._C._VariableFunctions",
                                            "torch._prims", "prims", "torch._C"), _TORCH),
    **dict.fromkeys(("tf", "tensorflow", "tf.math", "tensorflow.math", "tf.nn",
                     "tensorflow.nn"), _TF),
    "optax": _OPTAX, "optax.losses": _OPTAX,
}

#: Names without a prefix (the core's).
BARE: Mapping[str, Fn] = names.BARE

#: Module paths that are another's private or re-exported spelling, and the prefix meant.
_MODULES = {
    "jax._src.numpy": "jax.numpy", "jax._src.nn.functions": "jax.nn", "jax._src.lax.lax":
    "jax.lax", "jax._src.lax": "jax.lax", "keras.src.ops": "keras.ops",
    "keras.src.activations": "keras.activations", "keras.src.activations.activations":
    "keras.activations", "keras.src.ops.nn": "keras.ops", "keras.src.ops.numpy": "keras.ops",
    "keras.ops.nn": "keras.ops", "keras.ops.numpy": "keras.ops", "torch._refs": "torch",
    "torch._refs.nn.functional": "torch.nn.functional", "torch._refs.special": "torch.special",
    "tf.keras.activations": "keras.activations", "tensorflow.keras.activations":
    "keras.activations", "tf.keras.ops": "keras.ops", "jax.numpy.numpy": "jax.numpy",
    "torch.nn.modules.activation": "torch.nn", "optax._src.loss": "optax",
}


def canonical_module(dotted: str) -> str:
    """The prefix meant by an imported module path (``jax._src.numpy`` -> ``jax.numpy``).

    Examples:
        >>> canonical_module("keras.src.ops"), canonical_module("numpy")
        ('keras.ops', 'numpy')
    """
    return _MODULES.get(dotted, dotted)
