"""Activations written the way JAX's own modules write them (diffcheck's own corpus).

Private imports, ``jit`` and ``custom_jvp`` decorators, ``ensure_arraylike`` and
``promote_dtypes`` plumbing, ``lax`` primitives.
"""

from functools import partial

import jax
import jax.numpy as jnp
from jax import custom_jvp, lax
from jax._src import numpy as jnp_private
from jax._src.numpy import util as numpy_util
from jax._src.typing import Array, ArrayLike


@jax.jit
def relu_jit(x: ArrayLike) -> Array:
    """ReLU with jit and maximum."""
    return jnp.maximum(x, 0)


@custom_jvp
@jax.jit
def relu_custom(x: ArrayLike) -> Array:
    """ReLU under custom_jvp (the value is unchanged)."""
    return jnp.maximum(x, 0)


relu_custom.defjvps(lambda g, ans, x: lax.select(x > 0, g, lax.full_like(g, 0)))


@jax.jit
def squareplus(x: ArrayLike, b: ArrayLike = 4) -> Array:
    """Squareplus with ensure_arraylike and promote_dtypes_inexact."""
    numpy_util.check_arraylike("squareplus", x)
    x = jnp.asarray(x)
    b = jnp.asarray(b)
    y = x + jnp.sqrt(jnp.square(x) + b)
    return y / 2


@jax.jit
def softplus_logaddexp(x: ArrayLike) -> Array:
    """Softplus as logaddexp(x, 0)."""
    return jnp.logaddexp(x, 0)


@jax.jit
def sparse_plus(x: ArrayLike) -> Array:
    """Sparse plus with nested where."""
    x = jnp.asarray(x)
    return jnp.where(x <= -1.0, 0.0, jnp.where(x >= 1.0, x, (x + 1.0) ** 2 / 4))


@jax.jit
def soft_sign(x: ArrayLike) -> Array:
    """Soft sign through the private numpy import."""
    x_arr = numpy_util.ensure_arraylike("soft_sign", x)
    return x_arr / (jnp_private.abs(x_arr) + 1)


@jax.jit
def sigmoid_lax(x: ArrayLike) -> Array:
    """Sigmoid as lax.logistic."""
    return lax.logistic(x)


@jax.jit
def silu_jnp(x: ArrayLike) -> Array:
    """SiLU with promote_dtypes_inexact tuple unpacking."""
    x_arr, = numpy_util.promote_dtypes_inexact(x)
    return x_arr * jax.nn.sigmoid(x_arr)


@jax.jit
def log_sigmoid(x: ArrayLike) -> Array:
    """Log-sigmoid as minus softplus of minus x."""
    numpy_util.check_arraylike("log_sigmoid", x)
    x_arr = jnp.asarray(x)
    return -jax.nn.softplus(-x_arr)


@jax.jit
def elu_safe(x: ArrayLike, alpha: ArrayLike = 1.0) -> Array:
    """ELU with the safe-where trick inside expm1."""
    x_arr = jnp.asarray(x)
    safe_x = jnp.where(x_arr > 0, 0.0, x_arr)
    return jnp.where(x_arr > 0, x_arr, alpha * jnp.expm1(safe_x))


@jax.jit
def celu(x: ArrayLike, alpha: ArrayLike = 1.0) -> Array:
    """CELU with jnp.minimum and maximum."""
    return jnp.maximum(x, 0.0) + alpha * jnp.expm1(jnp.minimum(x, 0.0) / alpha)


@jax.jit
def selu(x: ArrayLike) -> Array:
    """SELU with the standard constants."""
    alpha = 1.6732632423543772848170429916717
    scale = 1.0507009873554804934193349852946
    return scale * jax.nn.elu(x, alpha)


@partial(jax.jit, static_argnames=("approximate",))
def gelu(x: ArrayLike, approximate: bool = True) -> Array:
    """GELU with the approximate option resolved at translation time."""
    if approximate:
        sqrt_2_over_pi = jnp.sqrt(2 / jnp.pi).astype(jnp.float32)
        cdf = 0.5 * (1.0 + jnp.tanh(sqrt_2_over_pi * (x + 0.044715 * (x ** 3))))
        return x * cdf
    else:
        sqrt_half = jnp.sqrt(0.5).astype(jnp.float32)
        return jnp.array(0.5 * x * (lax.erfc(-x * sqrt_half)), dtype=jnp.float32)


@jax.jit
def glu_half(x: ArrayLike) -> Array:
    """One element of GLU with its gate equal to its value: x * sigmoid(x)."""
    return x * jax.nn.sigmoid(x)


@jax.jit
def hard_tanh(x: ArrayLike) -> Array:
    """Hard tanh via jnp.where chains."""
    x_arr = jnp.asarray(x)
    return jnp.where(x_arr > 1, 1, jnp.where(x_arr < -1, -1, x_arr))


@jax.jit
def relu6(x: ArrayLike) -> Array:
    """ReLU6 via jnp.minimum of maximum."""
    return jnp.minimum(jnp.maximum(x, 0), 6.)


@jax.jit
def hard_sigmoid(x: ArrayLike) -> Array:
    """Hard sigmoid from relu6."""
    return relu6(x + 3.) / 6.


@jax.jit
def hard_silu(x: ArrayLike) -> Array:
    """Hard SiLU calling the file's own hard_sigmoid."""
    x_arr = jnp.asarray(x)
    return x_arr * hard_sigmoid(x_arr)


@jax.jit
def leaky_relu(x: ArrayLike, negative_slope: ArrayLike = 1e-2) -> Array:
    """Leaky ReLU with jnp.where."""
    x_arr = jnp.asarray(x)
    return jnp.where(x_arr >= 0, x_arr, negative_slope * x_arr)


@jax.jit
def sparse_sigmoid(x: ArrayLike) -> Array:
    """Sparse sigmoid through jnp.clip."""
    return 0.5 * jnp.clip(x + 1.0, 0.0, 2.0)


@jax.jit
def mish(x: ArrayLike) -> Array:
    """Mish via jax.nn.softplus."""
    return x * jnp.tanh(jax.nn.softplus(x))


@jax.jit
def lax_clamp_act(x: ArrayLike) -> Array:
    """lax.clamp with its bounds first."""
    return lax.clamp(-2.0, x, 2.0)


@jax.jit
def lax_select_relu(x: ArrayLike) -> Array:
    """ReLU via lax.select and lax.gt."""
    return lax.select(lax.gt(x, 0.0), x, jnp.zeros_like(x))


@jax.jit
def stop_gradient_abs(x: ArrayLike) -> Array:
    """|x| with a stop_gradient on a constant scale."""
    scale = lax.stop_gradient(2.0)
    return scale * jnp.abs(x)


def logsumexp_pair(x: ArrayLike) -> Array:
    """log(exp(x) + exp(-x)) via logaddexp."""
    return jnp.logaddexp(x, -x)


def standardize_then_relu(x: ArrayLike, mean: float = 0.5, variance: float = 4.0,
                          epsilon: float = 1e-5) -> Array:
    """Standardise with fixed statistics, then ReLU."""
    y = (x - mean) * lax.rsqrt(variance + epsilon)
    return jax.nn.relu(y)


def huber_optax(predictions: ArrayLike, targets: ArrayLike | None = None,
                delta: float = 1.0) -> Array:
    """Huber loss in the optax style, with a None target default."""
    errors = (predictions - targets) if (targets is not None) else predictions
    abs_errors = jnp.abs(errors)
    quadratic = jnp.minimum(abs_errors, delta)
    linear = abs_errors - quadratic
    return 0.5 * quadratic ** 2 + delta * linear


def l2_loss(predictions: ArrayLike, targets: ArrayLike | None = None) -> Array:
    """Half the squared error; targets default None."""
    errors = (predictions - targets) if (targets is not None) else predictions
    return 0.5 * (errors) ** 2


def log_cosh(predictions: ArrayLike, targets: ArrayLike | None = None) -> Array:
    """log cosh with logaddexp for stability."""
    errors = (predictions - targets) if (targets is not None) else predictions
    return jnp.logaddexp(errors, -errors) - jnp.log(2.0).astype(errors.dtype)


def sigmoid_bce(logits: ArrayLike, labels: ArrayLike) -> Array:
    """Sigmoid binary cross-entropy via log_sigmoid."""
    log_p = jax.nn.log_sigmoid(logits)
    log_not_p = jax.nn.log_sigmoid(-logits)
    return -labels * log_p - (1. - labels) * log_not_p


def hinge_loss(predictor_outputs: ArrayLike, targets: ArrayLike) -> Array:
    """Hinge loss with jnp.maximum."""
    return jnp.maximum(0, 1 - predictor_outputs * targets)


def poly_loss_term(logits: ArrayLike, epsilon: float = 2.0) -> Array:
    """Poly-1 term on a logit with label 1."""
    p = jax.nn.sigmoid(logits)
    return -jnp.log(p) + epsilon * (1 - p)


def squared_hinge(x: ArrayLike) -> Array:
    """Squared hinge via jnp.square."""
    return jnp.square(jnp.maximum(1.0 - x, 0.0))


def smooth_abs(x: ArrayLike, eps: float = 1e-3) -> Array:
    """A smooth |x|: sqrt(x^2 + eps^2) - eps."""
    return jnp.sqrt(x * x + eps * eps) - eps


def mean_abs(x: ArrayLike, axis: int = -1) -> Array:
    """Mean absolute value over an axis."""
    return jnp.mean(jnp.abs(x), axis=axis)


def sum_relu(x: ArrayLike) -> Array:
    """Sum of ReLU over the batch, as a method."""
    return jax.nn.relu(x).sum()
