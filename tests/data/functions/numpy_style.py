"""Robust losses and activations written the way NumPy/SciPy code writes them (diffcheck's
own corpus): ``np.asarray`` plumbing, validation, masks, helper functions, subscript
assignment on copies.
"""

import warnings

import numpy as np
from scipy import special

EPS = 1e-12


def _check_scale(c):
    """Validation helper."""
    if c <= 0:
        raise ValueError("c must be positive")


def relu_np(x):
    """ReLU with np.asarray."""
    x = np.asarray(x, dtype=float)
    return np.maximum(x, 0.0)


def leaky_np(x, alpha=0.01):
    """Leaky ReLU with a copy and a masked assignment."""
    x = np.array(x, dtype=np.float64)
    out = x.copy()
    out[x < 0] *= alpha
    return out


def heaviside_ramp(x):
    """A ramp built from np.heaviside."""
    return x * np.heaviside(x, 0.5)


def huber_rho(z, t=1.345):
    """Huber's rho with validation and a mask."""
    _check_scale(t)
    z = np.asarray(z)
    test = np.less_equal(np.abs(z), t)
    return test * 0.5 * z ** 2 + (1 - test) * (t * np.abs(z) - 0.5 * t ** 2)


def huber_psi(z, t=1.345):
    """Huber's psi: the derivative of rho (clipped identity)."""
    z = np.asarray(z)
    return np.clip(z, -t, t)


def tukey_rho(z, c=4.685):
    """Tukey's biweight rho through np.where."""
    z = np.asarray(z)
    subset = np.less_equal(np.abs(z), c)
    return np.where(subset, c ** 2 / 6 * (1 - (1 - (z / c) ** 2) ** 3), c ** 2 / 6)


def cauchy_rho(z, c=2.3849):
    """Cauchy's rho: log1p of a square."""
    return c ** 2 / 2 * np.log1p((z / c) ** 2)


def fair_rho(z, c=1.3998):
    """Fair's rho with np.abs."""
    a = np.abs(z) / c
    return c ** 2 * (a - np.log1p(a))


def andrew_wave_rho(z, a=1.339):
    """Andrew's wave: piecewise cosine."""
    z = np.asarray(z)
    test = np.less_equal(np.abs(z), a * np.pi)
    return np.where(test, a ** 2 * (1 - np.cos(z / a)), 2 * a ** 2)


def hampel_rho(z, a=2.0, b=4.0, c=8.0):
    """Hampel's three-part redescending rho, written with if/elif on |z|."""
    az = abs(z)
    if az <= a:
        return z ** 2 / 2
    elif az <= b:
        return a * az - a ** 2 / 2
    elif az <= c:
        return a * (c * az - az ** 2 / 2) / (c - b) - 7 * a ** 2 / 6
    return a * (b + c - a) / 2


def least_squares_rho(z):
    """0.5 z^2 with an assert on the input."""
    assert np.all(np.isfinite(z))
    return 0.5 * np.square(z)


def soft_l1(z):
    """SciPy least_squares 'soft_l1' loss of z = f^2."""
    return 2 * ((1 + z) ** 0.5 - 1)


def arctan_loss(z):
    """SciPy least_squares 'arctan' loss."""
    return np.arctan(z)


def pseudo_huber(r, delta=1.0):
    """Pseudo-Huber through scipy.special."""
    return special.pseudo_huber(delta, r)


def huber_special(r, delta=1.0):
    """Huber through scipy.special with the delta first."""
    return special.huber(delta, r)


def expit_np(x):
    """Logistic sigmoid through scipy.special.expit."""
    return special.expit(x)


def log_expit_np(x):
    """Log-sigmoid through scipy.special.log_expit."""
    return special.log_expit(x)


def xlogx(x):
    """x log x with xlogy, zero at zero."""
    return special.xlogy(x, x)


def binary_entropy(p, eps=EPS):
    """Binary entropy with clipping."""
    p = np.clip(p, eps, 1 - eps)
    return -(p * np.log(p) + (1 - p) * np.log(1 - p))


def quantile_loss(r, tau=0.3):
    """Pinball loss with a mask from a comparison."""
    r = np.asarray(r)
    return np.where(r >= 0, tau * r, (tau - 1) * r)


def epsilon_insensitive(r, epsilon=0.1):
    """SVR epsilon-insensitive loss."""
    return np.maximum(0.0, np.abs(r) - epsilon)


def squared_epsilon_insensitive(r, epsilon=0.1):
    """Squared epsilon-insensitive loss."""
    z = np.maximum(0.0, np.abs(r) - epsilon)
    return z * z


def modified_huber(p, y=1.0):
    """Modified Huber of the margin z = p * y."""
    z = p * y
    if z >= 1.0:
        return 0.0
    elif z >= -1.0:
        return (1.0 - z) ** 2
    return -4.0 * z


def log_loss_margin(p, y=1.0):
    """Logistic loss of the margin with logaddexp."""
    return np.logaddexp(0, -y * p)


def smooth_hinge(z):
    """Smoothed hinge: three pieces with a warning for large inputs."""
    if np.any(np.abs(z) > 1e6):
        warnings.warn("large margin")
    if z >= 1:
        return 0.0
    if z <= 0:
        return 0.5 - z
    return 0.5 * (1 - z) ** 2


def sign_times_sqrt(x):
    """Signed square root: vertical tangent at 0."""
    return np.sign(x) * np.sqrt(np.abs(x))


def cube_root(x):
    """np.cbrt: vertical tangent at 0."""
    return np.cbrt(x)


def floor_staircase(x):
    """A staircase from np.floor, on a window."""
    return np.floor(x) + 0.5 * x


def softclip(x, lo=-1.0, hi=1.0):
    """A clip written with min and max of Python."""
    return min(max(x, lo), hi)


def tanh_np(x):
    """tanh with a dtype argument."""
    return np.tanh(np.asarray(x, dtype=np.float64))


def gompertz(x, b=1.0, c=1.0):
    """Gompertz curve."""
    return np.exp(-b * np.exp(-c * x))


def abs_power(x, p=1.5):
    """|x|^p: differentiable at 0 for p > 1."""
    return np.power(np.abs(x), p)


def rectified_log(x):
    """log(1 + relu(x))."""
    return np.log1p(np.maximum(x, 0))


def double_where(x):
    """Nested np.where with a logical_and mask."""
    inside = np.logical_and(x > -1, x < 1)
    return np.where(inside, x ** 3, np.sign(x))


def huber_lsq(z, rho, cost_only):
    """Least-squares Huber loss of z = f**2, filling the rows of rho in place."""
    mask = z <= 1
    rho[0, mask] = z[mask]
    rho[0, ~mask] = 2 * z[~mask] ** 0.5 - 1
    if cost_only:
        return
    rho[1, mask] = 1
    rho[1, ~mask] = z[~mask] ** -0.5
    rho[2, mask] = 0
    rho[2, ~mask] = -0.5 * z[~mask] ** -1.5


def cauchy_lsq(z, rho, cost_only):
    """Least-squares Cauchy loss, rows filled in place."""
    rho[0] = np.log1p(z)
    if cost_only:
        return
    t = 1 + z
    rho[1] = 1 / t
    rho[2] = -1 / t ** 2


def arctan_lsq(z, rho, cost_only):
    """Least-squares arctan loss, rows filled in place."""
    rho[0] = np.arctan(z)
    if cost_only:
        return
    t = 1 + z ** 2
    rho[1] = 1 / t
    rho[2] = -2 * z / t ** 2
