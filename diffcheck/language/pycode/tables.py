"""What ML code's plumbing, tensor methods, reductions, layers and decorators mean.

Each table maps a name to how the value of one element is read: array plumbing
(``convert_to_tensor``, ``astype``) is the identity, a tensor method is the function of
the same name with the tensor first (``x.clamp(min=0)`` is ``torch.clamp(x, min=0)``), a
reduction over a batch is read per element (the function of one element is what is
analysed), a layer (``nn.LeakyReLU(0.2)``) is its functional form.
"""

from __future__ import annotations

import re

__all__ = [
    "DECORATOR_NAMES", "LAYERS", "METADATA", "METHODS", "PLUMBING", "REDUCTIONS", "ROOTS",
    "TUPLE_PLUMBING", "TYPE_TESTS", "VALIDATION", "harmless_decorator",
]

#: Top-level modules whose functions the tables below may name.
ROOTS = frozenset((
    "torch", "F", "nn", "np", "numpy", "jax", "jnp", "lax", "keras", "ops", "K", "backend",
    "tf", "tensorflow", "scipy", "optax", "chex", "math", "numpy_util", "dtypes", "util",
    "activations", "special",
))

#: Functions that convert, cast or reshape an array without changing its values: the
#: identity on their first argument that is not a string (``ensure_arraylike("relu", x)``).
PLUMBING = frozenset((
    "convert_to_tensor", "asarray", "asanyarray", "array", "as_tensor", "tensor", "cast",
    "ensure_arraylike", "ensure_tensor", "constant", "astype", "atleast_1d", "squeeze",
    "expand_dims", "reshape", "broadcast_to", "float32", "float64", "float16", "bfloat16",
    "stop_gradient", "detach", "identity", "to_dense", "check_arraylike_and_return",
    "promote_dtypes_inexact_single",
))

#: Plumbing that returns its array arguments as a tuple (``x, = promote_dtypes_inexact(x)``).
TUPLE_PLUMBING = frozenset((
    "promote_dtypes", "promote_dtypes_inexact", "promote_dtypes_numeric", "promote_args",
    "promote_args_inexact", "promote_args_numeric", "broadcast_arrays", "promote_shapes",
    "broadcast_tensors", "squeeze_or_expand_to_same_rank", "squeeze_to_same_rank",
    "remove_squeezable_dimensions",
))

#: Reductions over a batch; one element's loss is what the analysis reads.
REDUCTIONS = frozenset((
    "mean", "sum", "nanmean", "nansum", "average", "reduce_mean", "reduce_sum", "amax",
    "amin", "reduce_max", "reduce_min",
))

#: Functions that describe an array (dtype, shape) or test its type: never its values.
METADATA = frozenset((
    "dtype", "shape", "ndim", "device", "requires_grad", "is_cuda", "layout", "size",
    "dim", "numel", "ndimension", "is_floating_point", "is_complex", "result_type",
    "finfo", "iinfo", "len", "type",
))
TYPE_TESTS = frozenset((
    "isinstance", "issubclass", "hasattr", "callable", "is_tensor", "is_floating_point",
    "is_complex", "isscalar", "issubdtype", "is_grad_enabled", "is_scripting", "is_tracing",
    "is_keras_tensor", "is_tensor_like", "is_inference_mode_enabled", "is_autocast_enabled",
))
#: Tests of graph-building (symbolic) mode: the eager path is read, it computes the same.
SYMBOLIC_TESTS = frozenset((
    "any_symbolic_tensors", "is_symbolic_tensor", "in_symbolic_scope", "is_keras_tensor",
))
#: Tests of every element of a batch: one element's test.
ELEMENTWISE_TESTS = frozenset(("any", "all"))
#: Tests of one real number that always give the same answer.
REAL_TESTS = {"isnan": False, "isinf": False, "isfinite": True, "isreal": True,
              "isneginf": False, "isposinf": False}

#: Calls that only validate the input (``torch._check(...)``, ``chex.assert_rank(...)``).
VALIDATION = re.compile(r"(^|_)(check|assert|validate|warn|ensure|raise_if|debug|log)"
                        r"|^(print|assert_\w+|warn)$", re.IGNORECASE)

#: Tensor methods that are the identity on values (``mask.float()``, ``x.to(x.dtype)``).
IDENTITY_METHODS = frozenset((
    "float", "double", "half", "bfloat16", "to", "type", "type_as", "contiguous", "clone",
    "detach", "view", "view_as", "reshape", "reshape_as", "flatten", "squeeze", "unsqueeze",
    "expand", "expand_as", "broadcast_to", "cpu", "cuda", "numpy", "item", "requires_grad_",
    "copy", "block_until_ready", "ravel", "tolist",
))

#: Tensor methods and the function each is, called with the tensor first.
METHODS: dict[str, str] = {
    **{n: f"torch.{n}" for n in (
        "clamp", "clip", "clamp_min", "clamp_max", "abs", "exp", "log", "log1p", "expm1",
        "log2", "log10", "sqrt", "rsqrt", "square", "pow", "sigmoid", "tanh", "relu", "sign",
        "neg", "negative", "mul", "multiply", "add", "sub", "subtract", "div", "divide",
        "true_divide", "maximum", "minimum", "sin", "cos", "sinh", "cosh", "atan", "floor",
        "ceil", "erf", "erfc", "reciprocal", "logaddexp", "logit", "xlogy", "exp2",
        "heaviside", "lt", "le", "gt", "ge", "eq", "ne", "logical_and", "logical_or",
        "logical_not", "absolute", "arctan", "fmax", "fmin")},
    "softplus": "F.softplus",
}

#: ``torch.nn`` layers and the functional form a call of one is.
LAYERS: dict[str, str] = {
    "ReLU": "F.relu", "ReLU6": "F.relu6", "LeakyReLU": "F.leaky_relu", "ELU": "F.elu",
    "SELU": "F.selu", "CELU": "F.celu", "GELU": "F.gelu", "SiLU": "F.silu", "Mish": "F.mish",
    "Softplus": "F.softplus", "Hardtanh": "F.hardtanh", "Hardsigmoid": "F.hardsigmoid",
    "Hardswish": "F.hardswish", "Softshrink": "F.softshrink", "Hardshrink": "F.hardshrink",
    "Tanhshrink": "F.tanhshrink", "Softsign": "F.softsign", "Threshold": "F.threshold",
    "Sigmoid": "F.sigmoid", "Tanh": "torch.tanh", "LogSigmoid": "F.logsigmoid",
    "RReLU": "F.rrelu", "HuberLoss": "F.huber_loss", "SmoothL1Loss": "F.smooth_l1_loss",
    "L1Loss": "F.l1_loss", "MSELoss": "F.mse_loss", "Identity": "",
    "BCEWithLogitsLoss": "F.binary_cross_entropy_with_logits",
    "SoftMarginLoss": "F.soft_margin_loss",
}

#: Decorators that keep the values a function computes (matched on their last name).
DECORATOR_NAMES = frozenset((
    "jit", "custom_jvp", "custom_vjp", "function", "script", "compile", "no_grad",
    "inference_mode", "enable_grad", "cache", "lru_cache", "njit", "vectorize", "vmap",
    "staticmethod", "wraps", "_wraps", "checkpoint", "remat", "named_call", "api_boundary",
    "ignore", "unused", "wrap", "disable", "implements", "overload", "_overload",
    "elementwise_type_promotion_wrapper", "out_wrapper", "elementwise_unary_scalar_wrapper",
    "jit_unless_disabled", "autocast", "custom_fwd", "custom_bwd", "nocompile", "property",
    "_inplace_wrapper", "inplace_wrapper", "weighted_loss", "_make_elementwise_unary_reference",
    "_make_elementwise_binary_reference", "elementwise_unary_scalar_wrapper", "inline",
    "partial", "wraps_jax", "api_export", "keras_core_export", "_wraps_numpy", "maybe_jit",
))
_DECORATOR_WORDS = re.compile(r"export|register|dispatch|deprecat|^doc|traceback|serializable")


def harmless_decorator(last: str) -> bool:
    """Whether a decorator whose last dotted name is ``last`` keeps the function's values.

    Examples:
        >>> harmless_decorator("jit"), harmless_decorator("keras_export")
        (True, True)
        >>> harmless_decorator("my_decorator")
        False
    """
    return last in DECORATOR_NAMES or bool(_DECORATOR_WORDS.search(last))
