"""Functions written the way library internals write them (diffcheck's own corpus):
dispatch checks before the formula, private C-level namespaces, reduction helpers,
static-call operation classes, robust-norm classes with weight functions, layers that
hold a library function as an attribute.
"""

import math
import warnings

import numpy as np
import torch
from keras.src import backend, ops
from torch import _VF, Tensor, nn
from torch.nn import functional as F
from torch.overrides import handle_torch_function, has_torch_function_unary


def _apply_loss_reduction(loss, reduction):
    """Apply a reduction by name."""
    if reduction == "sum":
        return torch.sum(loss)
    elif reduction == "mean":
        return torch.mean(loss)
    else:
        return loss


def _check_reduction_value(reduction):
    """Validate a reduction name."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")


def hardtanh_dispatch(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
                      inplace: bool = False) -> Tensor:
    """Dispatch check, validation, then the C-level function."""
    if has_torch_function_unary(input):
        return handle_torch_function(hardtanh_dispatch, (input,), input, min_val=min_val)
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if inplace:
        result = torch._C._nn.hardtanh_(input, min_val, max_val)
    else:
        result = torch._C._nn.hardtanh(input, min_val, max_val)
    return result


def threshold_vf(input: Tensor, threshold: float = 0.5, value: float = -1.0,
                 inplace: bool = False) -> Tensor:
    """Threshold through the _VF namespace."""
    if inplace:
        result = _VF.threshold_(input, threshold, value)
    else:
        result = _VF.threshold(input, threshold, value)
    return result


def selu_inplace_name(input: Tensor, inplace: bool = False) -> Tensor:
    """SELU through torch.selu_ / torch.selu."""
    if inplace:
        result = torch.selu_(input)
    else:
        result = torch.selu(input)
    return result


def l1_loss_c(input: Tensor, target: Tensor, size_average=None, reduce=None,
              reduction: str = "mean") -> Tensor:
    """L1 loss with a size check that only warns and a broadcast."""
    if not (target.size() == input.size()):
        warnings.warn("Using a target size that is different to the input size.",
                      stacklevel=2)
    expanded_input, expanded_target = torch.broadcast_tensors(input, target)
    return torch._C._nn.l1_loss(expanded_input, expanded_target, reduction)


def smooth_l1_c(input: Tensor, target: Tensor, reduction: str = "mean",
                beta: float = 1.0) -> Tensor:
    """Smooth L1 through the C-level function with a positional beta."""
    if beta == 0.0:
        return torch._C._nn.l1_loss(input, target, reduction)
    return torch._C._nn.smooth_l1_loss(input, target, reduction, beta)


def margin_ranking_ref(input1: Tensor, input2: Tensor = 0.0, target: Tensor = 1.0,
                       margin: float = 0.0, reduction: str = "mean") -> Tensor:
    """Margin ranking with a shape check that raises."""
    if input1.ndim != target.ndim:
        raise RuntimeError("shapes differ")
    _check_reduction_value(reduction)
    loss = torch.clamp_min(-target * (input1 - input2) + margin, 0)
    return _apply_loss_reduction(loss, reduction)


def hinge_embedding_ref(input: Tensor, target: Tensor = 1.0, margin: float = 1.0,
                        reduction: str = "mean") -> Tensor:
    """Hinge embedding loss with clamp_min_ in a value."""
    _check_reduction_value(reduction)
    margin_clamp = (margin - input).clamp_min_(0)
    output_margin = torch.where(target != 1, margin_clamp, 0)
    output_self = torch.where(target != -1, input, 0)
    return _apply_loss_reduction(output_margin + output_self, reduction)


def bce_ref(input: Tensor, target: Tensor = 0.25, weight=None, reduction: str = "mean") -> Tensor:
    """BCE with logs clamped at -100 through new_full."""
    loss = (target - 1) * torch.maximum(torch.log1p(-input), input.new_full((), -100)) - \
        target * torch.maximum(torch.log(input), input.new_full((), -100))
    if weight is not None:
        loss = loss * weight
    return _apply_loss_reduction(loss, reduction)


def gelu_ref(a: Tensor, approximate: str = "none") -> Tensor:
    """GELU with an isinstance check of the option."""
    if not isinstance(approximate, str):
        raise RuntimeError(f"approximate argument must be a string, got {type(approximate)}")
    if approximate == "tanh":
        kBeta = math.sqrt(2 / math.pi)
        kKappa = 0.044715
        inner = kBeta * (a + kKappa * a * a * a)
        return 0.5 * a * (1 + torch.tanh(inner))
    elif approximate == "none":
        kAlpha = 1 / math.sqrt(2)
        return a * 0.5 * (1 + torch.erf(a * kAlpha))
    else:
        raise RuntimeError("approximate has to be 'none' or 'tanh'")


def smooth_l1_numel(pred, target=0.0, beta=1.0):
    """Smooth L1 with empty-target and size checks."""
    assert beta > 0
    if target.numel() == 0:
        return pred.sum() * 0
    assert pred.size() == target.size()
    diff = torch.abs(pred - target)
    loss = torch.where(diff < beta, 0.5 * diff * diff / beta, diff - 0.5 * beta)
    return loss


def balanced_l1(pred, target=0.0, beta=1.0, alpha=0.5, gamma=1.5):
    """Balanced L1 with np.e."""
    diff = torch.abs(pred - target)
    b = np.e ** (gamma / alpha) - 1
    return torch.where(diff < beta,
                       alpha / b * (b * diff + 1) * torch.log(b * diff / beta + 1) - alpha * diff,
                       gamma * diff + gamma / b - alpha * beta)


class ReLUOp:
    """An operation class with a static eager call."""

    def __init__(self, negative_slope=0.0, max_value=None, threshold=0.0):
        self.negative_slope = negative_slope

    @staticmethod
    def static_call(x, negative_slope=0.0, max_value=None, threshold=0.0):
        """The eager computation with its options."""
        x = backend.convert_to_tensor(x)
        if negative_slope != 0.0:
            if max_value is None and threshold == 0:
                return backend.nn.leaky_relu(x, negative_slope=negative_slope)
            negative_part = backend.nn.relu(-x + threshold)
        else:
            negative_part = 1
        clip_max = max_value is not None
        if threshold != 0:
            x = x * backend.cast(backend.numpy.greater(x, threshold), dtype=x.dtype)
        elif max_value == 6:
            x = backend.nn.relu6(x)
            clip_max = False
        else:
            x = backend.nn.relu(x)
        if clip_max:
            min_value = ops.cast(0.0, dtype=x.dtype)
            max_value = ops.cast(max_value, dtype=x.dtype)
            x = backend.numpy.clip(x, min_value, max_value)
        if negative_slope != 0.0:
            x -= negative_slope * negative_part
        return x


def keras_relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Keras relu: symbolic path or the operation's static call."""
    if backend.any_symbolic_tensors((x,)):
        return ReLUOp(negative_slope, max_value, threshold)(x)
    return ReLUOp.static_call(x, negative_slope=negative_slope, max_value=max_value,
                              threshold=threshold)


def keras_relu_capped(x, negative_slope=0.1, max_value=6.0, threshold=1.0):
    """The same static call with every option set."""
    return ReLUOp.static_call(x, negative_slope=negative_slope, max_value=max_value,
                              threshold=threshold)


def keras_sigmoid(x):
    """Sigmoid that tags its output in a try block."""
    output = ops.sigmoid(x)
    try:
        output._keras_logits = x
    except AttributeError:
        pass
    return output


class GELUActivation(nn.Module):
    """A layer holding a library function as an attribute."""

    def __init__(self, use_gelu_python: bool = False):
        super().__init__()
        if use_gelu_python:
            self.act = self._gelu_python
        else:
            self.act = nn.functional.gelu

    def _gelu_python(self, input: Tensor) -> Tensor:
        """The erf formula."""
        return input * 0.5 * (1.0 + torch.erf(input / math.sqrt(2.0)))

    def forward(self, input: Tensor) -> Tensor:
        """Call the chosen function."""
        return self.act(input)


class PythonGELU(GELUActivation):
    """The same layer with the Python formula chosen."""

    def __init__(self):
        super().__init__()
        self.act = self._gelu_python


class HampelNorm:
    """A redescending norm written with masks over a copy."""

    def __init__(self, a=2.0, b=4.0, c=8.0):
        self.a = a
        self.b = b
        self.c = c

    def _subset(self, z):
        """The three masks."""
        z = np.abs(np.asarray(z))
        t1 = np.less_equal(z, self.a)
        t2 = np.less_equal(z, self.b) * np.greater(z, self.a)
        t3 = np.less_equal(z, self.c) * np.greater(z, self.b)
        return t1, t2, t3

    def rho(self, z):
        """rho with subscript assignments and a scalar check."""
        a, b, c = self.a, self.b, self.c
        z_isscalar = np.isscalar(z)
        z = np.atleast_1d(z)
        t1, t2, t3 = self._subset(z)
        t34 = ~(t1 | t2)
        dt = np.promote_types(z.dtype, "float")
        v = np.zeros(z.shape, dtype=dt)
        z = np.abs(z)
        v[t1] = z[t1] ** 2 * 0.5
        v[t2] = a * z[t2] - a ** 2 * 0.5
        v[t3] = a * (c - z[t3]) ** 2 / (c - b) * (-0.5)
        v[t34] += a * (b + c - a) * 0.5
        if z_isscalar:
            v = v[0]
        return v

    def weights(self, z):
        """The IRLS weights, psi(z)/z."""
        z_isscalar = np.isscalar(z)
        z = np.atleast_1d(z)
        t1, t2, t3 = self._subset(z)
        a, b, c = self.a, self.b, self.c
        v = np.zeros(z.shape, dtype=float)
        v[t1] = 1.0
        abs_z = np.abs(z)
        v[t2] = a / abs_z[t2]
        abs_zt3 = abs_z[t3]
        v[t3] = a * (c - abs_zt3) / (abs_zt3 * (c - b))
        if z_isscalar:
            v = v[0]
        return v


class HuberNorm:
    """Huber norm with psi_deriv as a mask cast to float."""

    def __init__(self, t=1.345):
        self.t = t

    def psi(self, z):
        """psi: clipped identity through masks."""
        z = np.asarray(z)
        test = np.less_equal(np.abs(z), self.t)
        return test * z + (1 - test) * self.t * np.sign(z)

    def psi_deriv(self, z):
        """The derivative of psi: a 0/1 mask."""
        return np.less_equal(np.abs(z), self.t).astype(float)
