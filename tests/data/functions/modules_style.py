"""``nn.Module`` classes and robust-norm classes (diffcheck's own corpus): read as
``FILE.py:Class.forward`` with ``self.`` attributes from ``__init__``'s defaults.
"""

import torch
import torch.nn.functional as F
from torch import nn


class HardMish(nn.Module):
    """Hard mish as a module with an inplace flag."""

    def __init__(self, inplace: bool = False):
        super().__init__()
        self.inplace = inplace

    def forward(self, x):
        """0.5 * x * clamp(x + 2, 0, 2)."""
        if self.inplace:
            return x.mul_(0.5 * (x + 2).clamp(min=0, max=2))
        return 0.5 * x * (x + 2).clamp(min=0, max=2)


class LeakyClamp(nn.Module):
    """Leaky ReLU then clamp, parameters from __init__."""

    def __init__(self, negative_slope: float = 0.1, max_value: float = 6.0):
        super().__init__()
        self.negative_slope = negative_slope
        self.max_value = max_value

    def forward(self, x):
        """Leaky ReLU capped at max_value."""
        return torch.clamp(F.leaky_relu(x, self.negative_slope), max=self.max_value)


class Swish(nn.Module):
    """Swish with a fixed beta."""

    def __init__(self, beta=1.0):
        super().__init__()
        self.beta = beta

    def forward(self, x):
        """x * sigmoid(beta * x)."""
        return x * torch.sigmoid(self.beta * x)


class GatedAct(nn.Module):
    """A layer held as an attribute."""

    def __init__(self):
        super().__init__()
        self.act = nn.LeakyReLU(0.2, inplace=True)
        self.scale = 2.0

    def forward(self, x):
        """scale * leaky(x)."""
        return self.scale * self.act(x)


class SoftplusModule(nn.Module):
    """A Softplus layer with its beta and threshold."""

    def __init__(self):
        super().__init__()
        self.sp = nn.Softplus(beta=1.0, threshold=20.0)

    def forward(self, x):
        """Softplus through the layer."""
        return self.sp(x)


class HuberLossModule(nn.Module):
    """Huber loss with a reduction option and a helper method."""

    def __init__(self, delta: float = 1.0, reduction: str = "mean"):
        super().__init__()
        self.delta = delta
        self.reduction = reduction

    def _reduce(self, loss):
        """Apply the reduction."""
        if self.reduction == "mean":
            return loss.mean()
        if self.reduction == "sum":
            return loss.sum()
        return loss

    def forward(self, input, target=0.0):
        """Huber of the residual."""
        diff = (input - target).abs()
        loss = torch.where(diff <= self.delta, 0.5 * diff.pow(2),
                           self.delta * (diff - 0.5 * self.delta))
        return self._reduce(loss)


class FocalLoss(nn.Module):
    """Binary focal loss on a logit, target 1 by default."""

    def __init__(self, alpha: float = 0.25, gamma: float = 2.0, reduction: str = "none"):
        super().__init__()
        self.alpha = alpha
        self.gamma = gamma
        self.reduction = reduction

    def forward(self, inputs, targets=1.0):
        """alpha_t (1 - p_t)^gamma BCE."""
        p = torch.sigmoid(inputs)
        ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
        p_t = p * targets + (1 - p) * (1 - targets)
        loss = ce_loss * ((1 - p_t) ** self.gamma)
        if self.alpha >= 0:
            alpha_t = self.alpha * targets + (1 - self.alpha) * (1 - targets)
            loss = alpha_t * loss
        if self.reduction == "mean":
            loss = loss.mean()
        elif self.reduction == "sum":
            loss = loss.sum()
        return loss


class RobustNorm:
    """Base class of robust norms."""

    def rho(self, z):
        """The loss; subclasses define it."""
        raise NotImplementedError

    def __call__(self, z):
        """Calling a norm is its rho."""
        return self.rho(z)


class HuberT(RobustNorm):
    """Huber's T norm with tuning constant t."""

    def __init__(self, t=1.345):
        self.t = t

    def _subset(self, z):
        """Where |z| <= t."""
        z = torch.as_tensor(z)
        return torch.le(torch.abs(z), self.t)

    def rho(self, z):
        """Huber rho through the subset mask."""
        z = torch.as_tensor(z)
        test = self._subset(z)
        return test * 0.5 * z ** 2 + ~test * (torch.abs(z) * self.t - 0.5 * self.t ** 2)


class TrimmedMean(RobustNorm):
    """Trimmed mean norm: quadratic inside c, flat outside (a jump in rho' is a corner)."""

    def __init__(self, c=2.0):
        self.c = c

    def rho(self, z):
        """Half the square inside, constant outside: a jump in the value."""
        test = (torch.abs(z) <= self.c).float()
        return test * z ** 2 * 0.5


class ClassAttributeScale(nn.Module):
    """A class attribute used in forward."""

    slope = 0.3

    def forward(self, x):
        """Leaky with the class-level slope."""
        return torch.where(x > 0, x, self.slope * x)


class TrainingSwitch(nn.Module):
    """RReLU-like: random in training, mean slope in evaluation."""

    def __init__(self, lower=0.125, upper=0.3333333333333333):
        super().__init__()
        self.lower = lower
        self.upper = upper

    def forward(self, x):
        """Evaluation-mode branch taken."""
        if self.training:
            raise RuntimeError("not analysed in training mode")
        return F.rrelu(x, self.lower, self.upper, training=self.training)


class StaticHelper(nn.Module):
    """A staticmethod helper called through self."""

    @staticmethod
    def _ramp(x):
        """relu."""
        return x.clamp(min=0)

    def forward(self, x):
        """ramp(x) - ramp(x - 1)."""
        return self._ramp(x) - self._ramp(x - 1)


class SwishFunction(torch.autograd.Function):
    """A custom autograd function: forward(ctx, x)."""

    @staticmethod
    def forward(ctx, x):
        """Save for backward, return x * sigmoid(x)."""
        ctx.save_for_backward(x)
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_output):
        """Not a function of one element."""
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(x)
        return grad_output * (s * (1 + x * (1 - s)))
