"""Activations and losses written the way Keras 3 and TensorFlow code writes them
(diffcheck's own corpus): ``keras_export`` decorators, ``backend.convert_to_tensor``,
``ops.cast``, ``tf.math``.
"""

import tensorflow as tf
from keras.src import backend, ops
from keras.src.api_export import keras_export


@keras_export("keras.activations.relu")
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Keras relu with its three options at their defaults."""
    if backend.any_symbolic_tensors((x,)):
        return ReLUOp(negative_slope, max_value, threshold)(x)
    return ops.relu(x)


@keras_export("keras.activations.leaky_relu")
def leaky_relu(x, negative_slope=0.2):
    """Keras leaky ReLU."""
    return ops.leaky_relu(x, negative_slope=negative_slope)


@keras_export("keras.activations.relu6")
def relu6(x):
    """Keras relu6."""
    x = backend.convert_to_tensor(x)
    return ops.relu6(x)


@keras_export("keras.activations.elu")
def elu(x, alpha=1.0):
    """Keras ELU."""
    return ops.elu(x, alpha=alpha)


@keras_export("keras.activations.selu")
def selu(x):
    """Keras SELU."""
    return ops.selu(x)


@keras_export("keras.activations.softplus")
def softplus(x):
    """Keras softplus."""
    return ops.softplus(x)


@keras_export("keras.activations.softsign")
def softsign(x):
    """Keras softsign."""
    return ops.softsign(x)


@keras_export(["keras.activations.silu", "keras.activations.swish"])
def silu(x):
    """Keras SiLU."""
    return ops.silu(x)


@keras_export("keras.activations.gelu")
def gelu(x, approximate=False):
    """Keras gelu, exact by default here."""
    return ops.gelu(x, approximate=approximate)


@keras_export("keras.activations.celu")
def celu(x, alpha=1.0):
    """CELU written with ops.where and ops.cast."""
    x = backend.convert_to_tensor(x)
    alpha = ops.cast(alpha, x.dtype)
    return ops.where(x > 0, x, alpha * ops.expm1(x / alpha))


@keras_export("keras.activations.hard_sigmoid")
def hard_sigmoid(x):
    """Keras 3 hard sigmoid: relu6(x + 3) / 6."""
    x = backend.convert_to_tensor(x)
    return ops.relu6(x + 3.0) / 6.0


@keras_export("keras.activations.hard_silu")
def hard_silu(x):
    """Hard SiLU with an explicit cast."""
    x = ops.cast(x, dtype=backend.floatx())
    return ops.hard_silu(x)


@keras_export("keras.activations.mish")
def mish(x):
    """Mish with ops."""
    x = backend.convert_to_tensor(x)
    return x * ops.tanh(ops.softplus(x))


@keras_export("keras.activations.log_sigmoid")
def log_sigmoid(x):
    """Keras log-sigmoid."""
    return ops.log_sigmoid(x)


@keras_export("keras.activations.linear")
def linear(x):
    """The identity activation."""
    return x


@keras_export("keras.activations.exponential")
def exponential(x):
    """exp."""
    return ops.exp(x)


@keras_export("keras.activations.tanh_shrink")
def tanh_shrink(x):
    """x - tanh(x)."""
    x = backend.convert_to_tensor(x)
    return x - ops.tanh(x)


@keras_export("keras.activations.hard_shrink")
def hard_shrink(x, threshold=0.5):
    """Hard shrink with ops.where on an absolute value."""
    x = backend.convert_to_tensor(x)
    return ops.where(ops.abs(x) > threshold, x, ops.zeros_like(x))


@keras_export("keras.activations.soft_shrink")
def soft_shrink(x, threshold=0.5):
    """Soft shrink, three ops.where."""
    return ops.where(x > threshold, x - threshold,
                     ops.where(x < -threshold, x + threshold, ops.zeros_like(x)))


@keras_export("keras.activations.squareplus")
def squareplus(x, b=4):
    """Squareplus with ops.sqrt."""
    x = backend.convert_to_tensor(x)
    b = ops.convert_to_tensor(b, dtype=x.dtype)
    y = x + ops.sqrt(ops.square(x) + b)
    return y / 2


@keras_export("keras.activations.threshold")
def threshold_act(x, threshold=1.0, default_value=0.0):
    """Threshold: x above the threshold, the default value below."""
    return ops.where(x > threshold, x, default_value)


@keras_export("keras.losses.huber")
def huber(y_true, y_pred, delta=1.0):
    """Keras huber loss with converts, casts and a mean over the last axis."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = _squeeze_or_expand_to_same_rank(y_true, y_pred)
    delta = ops.convert_to_tensor(delta, dtype=y_pred.dtype)
    error = ops.subtract(y_pred, y_true)
    abs_error = ops.abs(error)
    half = ops.convert_to_tensor(0.5, dtype=abs_error.dtype)
    return ops.mean(
        ops.where(abs_error <= delta, half * ops.square(error),
                  delta * abs_error - half * ops.square(delta)),
        axis=-1,
    )


def _squeeze_or_expand_to_same_rank(x1, x2):
    """Rank plumbing helper: returns its inputs."""
    return x1, x2


@keras_export("keras.losses.log_cosh")
def log_cosh(y_true, y_pred):
    """Keras log-cosh with its stable softplus form."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    log2 = ops.convert_to_tensor(ops.log(2.0), dtype=y_pred.dtype)

    def _logcosh(x):
        return x + ops.softplus(x * -2.0) - log2

    return ops.mean(_logcosh(y_pred - y_true), axis=-1)


@keras_export("keras.losses.hinge")
def hinge(y_true, y_pred):
    """Keras hinge: labels 0/1 converted to -1/1 by the caller here."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, dtype=y_pred.dtype)
    return ops.mean(ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


@keras_export("keras.losses.squared_hinge")
def squared_hinge(y_true, y_pred):
    """Keras squared hinge."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    return ops.mean(ops.square(ops.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


@keras_export("keras.losses.mean_absolute_error")
def mean_absolute_error(y_true, y_pred):
    """MAE with a mean over the last axis."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    return ops.mean(ops.abs(y_true - y_pred), axis=-1)


@keras_export("keras.losses.mean_squared_logarithmic_error")
def mean_squared_logarithmic_error(y_true, y_pred):
    """MSLE with epsilon from the backend."""
    epsilon = ops.convert_to_tensor(backend.epsilon())
    y_pred = ops.convert_to_tensor(y_pred)
    first_log = ops.log(ops.maximum(y_pred, epsilon) + 1.0)
    second_log = ops.log(ops.maximum(y_true, epsilon) + 1.0)
    return ops.mean(ops.square(first_log - second_log), axis=-1)


@tf.function
def tf_leaky(features, alpha=0.2):
    """TensorFlow leaky ReLU under tf.function."""
    features = tf.convert_to_tensor(features)
    return tf.nn.leaky_relu(features, alpha=alpha)


@tf.function
def tf_clip(t):
    """tf.clip_by_value with casts."""
    t = tf.cast(t, tf.float32)
    return tf.clip_by_value(t, -1.0, 1.0)


def tf_huber(labels, predictions, delta=1.0):
    """TF-style huber with tf.math and reduce_mean."""
    error = tf.math.subtract(predictions, labels)
    abs_error = tf.math.abs(error)
    quadratic = tf.math.minimum(abs_error, delta)
    linear = tf.math.subtract(abs_error, quadratic)
    return tf.reduce_mean(tf.math.add(0.5 * quadratic * quadratic, delta * linear))


def tf_sigmoid_ce(labels, logits):
    """tf.nn.sigmoid_cross_entropy_with_logits with keywords."""
    return tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)


def tf_swish(features, beta=1.0):
    """tf.nn.silu with beta."""
    return tf.nn.silu(features, beta=beta)


def tf_gelu_approx(features):
    """tf.nn.gelu with approximate=True."""
    return tf.nn.gelu(features, approximate=True)


def tf_where_relu(x):
    """ReLU from tf.where and tf.math.greater."""
    return tf.where(tf.math.greater(x, 0.0), x, tf.zeros_like(x))
