"""Activations and losses written the way PyTorch code writes them (diffcheck's own corpus).

Each function is one element's value; diffcheck reads them, never runs them.
"""

import math

import torch
import torch.nn.functional as F
from torch import Tensor


def relu_inplace(input: Tensor, inplace: bool = False) -> Tensor:
    """ReLU with the usual inplace switch."""
    if inplace:
        result = torch.relu_(input)
    else:
        result = torch.relu(input)
    return result


def leaky_relu_ref(a: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """Reference leaky ReLU: where on a comparison."""
    if inplace:
        raise NotImplementedError
    return torch.where(torch.gt(a, 0), a, a * negative_slope)


def elu_ref(a: Tensor, alpha: float = 1.0, scale: float = 1.0, input_scale: float = 1.0,
            inplace: bool = False) -> Tensor:
    """Reference ELU with its three scales."""
    if inplace:
        raise NotImplementedError
    negcoef = alpha * scale
    poscoef = scale
    negiptcoef = input_scale
    return torch.where(a > 0, a * poscoef, negcoef * torch.expm1(a * negiptcoef))


def hardtanh_ref(a: Tensor, min_val: float = -1, max_val: float = 1,
                 inplace: bool = False) -> Tensor:
    """Reference hardtanh with validation of the bounds."""
    if inplace:
        raise NotImplementedError
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return torch.clamp(a, min_val, max_val)


def softplus_ref(a: Tensor, beta: float = 1.0, threshold: float = 20) -> Tensor:
    """Reference softplus: linear above the threshold."""
    scaled_input = a * beta
    rhs = torch.true_divide(torch.log1p(torch.exp(scaled_input)), beta)
    return torch.where(scaled_input > threshold, a, rhs)


def hardshrink_ref(a: Tensor, lambd: float = 0.5) -> Tensor:
    """Reference hardshrink: zero where |a| <= lambd."""
    return torch.where(torch.abs(a) <= lambd, 0, a)


def softshrink_ref(a: Tensor, lambd: float = 0.5) -> Tensor:
    """Reference softshrink with a validation call and masks."""
    torch._check(lambd >= 0, lambda: f"lambda must be >= 0, got {lambd}")
    ge_mask = a > lambd
    le_mask = a < -lambd
    zero_mask = ~(ge_mask | le_mask)
    result = torch.where(ge_mask, a - lambd, a + lambd)
    return torch.where(zero_mask, 0, result)


def mish_ref(a: Tensor, inplace: bool = False) -> Tensor:
    """Reference mish: tensor method chain."""
    if inplace:
        raise NotImplementedError
    return a * torch.tanh(F.softplus(a))


def hardswish_ref(a: Tensor, inplace: bool = False) -> Tensor:
    """Reference hardswish through clamp and true_divide."""
    if inplace:
        raise NotImplementedError
    return torch.true_divide(a * torch.clamp(a + 3, 0, 6), 6)


def hardsigmoid_methods(x: Tensor) -> Tensor:
    """Hard sigmoid written with tensor methods."""
    return (x + 3).clamp(min=0, max=6).div(6)


def relu6_methods(x: Tensor) -> Tensor:
    """ReLU6 with clamp_min and clamp_max."""
    return x.clamp_min(0.0).clamp_max(6.0)


def hard_mish(x: Tensor, inplace: bool = False) -> Tensor:
    """Hard mish: 0.5 * x * clamp(x + 2, 0, 2)."""
    return 0.5 * x * (x + 2).clamp(min=0, max=2)


def mask_relu(x: Tensor) -> Tensor:
    """ReLU as a boolean mask used as a number."""
    return (x > 0) * x


def mask_float_leaky(x: Tensor, slope: float = 0.1) -> Tensor:
    """Leaky ReLU from float masks."""
    pos = (x >= 0).float()
    neg = (x < 0).to(x.dtype)
    return pos * x + neg * slope * x


def squared_relu(x: Tensor) -> Tensor:
    """Squared ReLU via pow on the method."""
    return F.relu(x).pow(2)


def star_relu(x: Tensor, scale: float = 0.8944, bias: float = -0.4472) -> Tensor:
    """StarReLU: scale * relu(x)**2 + bias."""
    return scale * F.relu(x) ** 2 + bias


def quick_gelu(x: Tensor) -> Tensor:
    """Quick GELU: x * sigmoid(1.702 x), as a method."""
    return x * torch.sigmoid(1.702 * x)


def gelu_tanh(x: Tensor) -> Tensor:
    """GELU, tanh approximation, spelled out."""
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def gelu_tanh_builtin(x: Tensor) -> Tensor:
    """GELU through the functional with approximate='tanh'."""
    return F.gelu(x, approximate="tanh")


def softplus_threshold(x: Tensor) -> Tensor:
    """Softplus with PyTorch's beta and threshold spelled out."""
    return F.softplus(x, beta=2, threshold=20)


def laplace_act(x: Tensor, mu: float = 0.707107, sigma: float = 0.282095) -> Tensor:
    """Laplace activation: erf of a shifted input."""
    x = (x - mu).div(sigma * math.sqrt(2.0))
    return 0.5 * (1.0 + torch.erf(x))


def clipped_identity(x: Tensor, bound: float = 3.0) -> Tensor:
    """In-place clamp as a statement."""
    y = x.clone()
    y.clamp_(min=-bound, max=bound)
    return y


def masked_fill_act(x: Tensor) -> Tensor:
    """masked_fill on a mask."""
    return x.masked_fill(x < 0, 0.0)


def subscript_assign_act(x: Tensor, slope: float = 0.2) -> Tensor:
    """Subscript assignment with a boolean mask."""
    out = x.clone()
    out[x < 0] = slope * x[x < 0]
    return out


def l1_loss_ref(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """L1 loss with the reduction option."""
    loss = torch.abs(input - target)
    if reduction == "none":
        return loss
    elif reduction == "mean":
        return torch.mean(loss)
    elif reduction == "sum":
        return torch.sum(loss)
    raise ValueError(f"{reduction} is not a valid value for reduction")


def smooth_l1_ref(input: Tensor, target: Tensor, reduction: str = "mean",
                  beta: float = 1.0) -> Tensor:
    """Smooth L1 with a zero-beta branch."""
    if beta == 0.0:
        return F.l1_loss(input, target, reduction=reduction)
    diff = torch.abs(input - target)
    loss = torch.where(diff < beta, 0.5 * diff ** 2 / beta, diff - 0.5 * beta)
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss


def huber_ref(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    """Huber loss through torch.where and sub/abs methods."""
    z = (input - target).abs()
    loss = torch.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta))
    if reduction == "mean":
        return loss.mean()
    return loss


def bce_with_logits_ref(input: Tensor, target: Tensor, weight=None, pos_weight=None,
                        reduction: str = "mean") -> Tensor:
    """Binary cross-entropy with logits via the functional."""
    return F.binary_cross_entropy_with_logits(input, target, weight=weight,
                                              pos_weight=pos_weight, reduction=reduction)


def bce_with_logits_manual(input: Tensor, target: Tensor, weight=None) -> Tensor:
    """Stable BCE with logits written out with clamp."""
    max_val = (-input).clamp(min=0)
    loss = (1 - target).mul(input).add(max_val).add((-max_val).exp().add((-input - max_val).exp()).log())
    if weight is not None:
        loss = loss * weight
    return loss.mean()


def soft_margin_ref(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Soft margin loss with log1p and exp."""
    loss = torch.log1p(torch.exp(-input * target))
    return loss.sum() if reduction == "sum" else loss.mean()


def poisson_nll(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                eps: float = 1e-8, reduction: str = "mean") -> Tensor:
    """Poisson negative log likelihood, log-input branch taken by default."""
    if log_input:
        loss = torch.exp(input) - target * input
    else:
        loss = input - target * torch.log(input + eps)
    return torch.mean(loss)


def hinge_embedding(input: Tensor, margin: float = 1.0) -> Tensor:
    """Hinge with a margin via clamp_min."""
    return (margin - input).clamp_min(0)


def focal_term(x: Tensor, gamma: float = 2.0) -> Tensor:
    """Focal modulating factor times BCE of a logit against target 1."""
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, torch.ones_like(x), reduction="none")
    return ce * (1 - p) ** gamma


def _residual(x: Tensor, y: Tensor) -> Tensor:
    """A private helper."""
    return x - y


def tukey_helper(x: Tensor, c: float = 4.685) -> Tensor:
    """Tukey's biweight, with a file helper."""
    r = _residual(x, 0.0)
    inside = (r.abs() <= c).float()
    return inside * (c ** 2 / 6) * (1 - (1 - (r / c) ** 2) ** 3) + (1 - inside) * c ** 2 / 6


def elementwise_max_method(x: Tensor) -> Tensor:
    """Tensor.maximum with a tensor made from a constant."""
    return x.maximum(torch.tensor(0.0, dtype=x.dtype, device=x.device))


def piecewise_linear(x: Tensor) -> Tensor:
    """Three-piece linear with tuple unpacking of knots."""
    lo, hi = -1.0, 2.0
    return torch.where(x < lo, lo, torch.where(x > hi, hi + 0.5 * (x - hi), x))


def shifted_softplus(x: Tensor) -> Tensor:
    """Softplus minus log 2 (SchNet)."""
    return F.softplus(x) - math.log(2.0)


def relu_with_check(x: Tensor) -> Tensor:
    """ReLU after an isinstance check that raises."""
    if not isinstance(x, torch.Tensor):
        raise TypeError("expected a tensor")
    return F.relu(x)


def relu_to_tensor(x) -> Tensor:
    """ReLU after converting a non-tensor input."""
    if not torch.is_tensor(x):
        x = torch.as_tensor(x)
    return torch.maximum(x, torch.zeros_like(x))


def inverse_sqrt_unit(x: Tensor, alpha: float = 1.0) -> Tensor:
    """ISRU: x / sqrt(1 + alpha x^2)."""
    return x * torch.rsqrt(1 + alpha * x.square())


def isrlu(x: Tensor, alpha: float = 1.0) -> Tensor:
    """ISRLU: identity for x >= 0, ISRU below."""
    return torch.where(x >= 0, x, x / torch.sqrt(1 + alpha * x * x))


def bent_identity(x: Tensor) -> Tensor:
    """Bent identity."""
    return (torch.sqrt(x ** 2 + 1) - 1) / 2 + x


def log_sigmoid_fn(x: Tensor) -> Tensor:
    """Log-sigmoid through the functional."""
    return F.logsigmoid(x)


def tanh_exp(x: Tensor) -> Tensor:
    """TanhExp: x * tanh(exp(x))."""
    return x.mul(x.exp().tanh())


def threshold_relu(x: Tensor, threshold: float = 1.0, value: float = 0.0) -> Tensor:
    """F.threshold with keyword arguments."""
    return F.threshold(x, threshold, value, inplace=False)
