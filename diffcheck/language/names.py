"""What every function name means: SymPy's own, NumPy/PyTorch/JAX/math aliases, activations.

The parser (:mod:`diffcheck.language.parsing`) turns text into calls; this module says which
calls exist and builds them. Three parts:

* the real-root convention every power follows (:func:`real_pow`), with
  :func:`power` refusing exact numbers too large to compute;
* activations and losses as exact SymPy formulas with PyTorch's defaults
  (``0.01`` is ``1/100`` here). The parser reads their signatures, so the keyword
  names and defaults below are the ones users may write (``leaky_relu(x,
  negative_slope=0.2)``, ``huber(x, delta=2)``). A loss of one argument takes the
  residual; the ``torch.nn.functional`` forms take ``(input, target)`` with the
  hyperparameter keyword-only, because PyTorch puts ``reduction`` before it;
* the tables of names: :data:`BARE` (``Max``, ``sqrt``, ``where``, ``relu``, ...)
  and :data:`SPACES`, one :class:`Space` per prefix (``np.``, ``torch.``, ``F.``, ...).
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sympy
from sympy import Abs, Piecewise, Rational, S, exp, log

from diffcheck.errors import InputError
from diffcheck.facts import FACTS

MAX_EXPONENT = 1_000  #: |numeric exponent| of a power
MAX_RESULT_DIGITS = 10_000  #: digits of an exact power such as 9**999

Builder = Callable[..., sympy.Expr]

_ONE = sympy.Integer(1)
_PERCENT = Rational(1, 100)

#: SELU's constants, as PyTorch writes them, exact (``Rational`` of a decimal string is exact).
SELU_ALPHA = Rational("1.6732632423543772848170429916717")
SELU_SCALE = Rational("1.0507009873554804934193349852946")


# --- powers ------------------------------------------------------------------------------


def real_pow(base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    """``base**exponent``, with the real odd root of a negative number.

    diffcheck studies real functions of a real variable, so as in textbooks an odd
    root of a negative number is the real one: for ``p/q`` in lowest terms with ``q``
    odd, ``u**(p/q)`` is ``|u|**(p/q)`` when ``p`` is even and ``sign(u)*|u|**(p/q)``
    when ``p`` is odd (SymPy's principal root would make ``(-8)**(1/3)`` complex).
    Even roots (``sqrt``, ``x**(3/2)``) stay principal: undefined left of 0.

    Examples:
        >>> x = sympy.Symbol("x", real=True)
        >>> real_pow(x, Rational(1, 3)), real_pow(x, Rational(4, 3)), real_pow(x, S.Half)
        (Abs(x)**(1/3)*sign(x), Abs(x)**(4/3), sqrt(x))
        >>> real_pow(sympy.Integer(-8), Rational(1, 3))
        -2
    """
    base, exponent = _sympy(base), _sympy(exponent)
    if exponent.is_Rational and exponent.q % 2 == 1 and exponent.q > 1 and (
            base.is_nonnegative is not True):
        magnitude = sympy.Pow(Abs(base), exponent)
        return magnitude if exponent.p % 2 == 0 else sympy.sign(base) * magnitude
    power = sympy.Pow(base, exponent)
    if not exponent.is_integer and _splits_domain(base, power):
        # SymPy pulls squares out of a root: sqrt(x**2*(x - 1)) becomes
        # sqrt(x - 1)*Abs(x), which is not real at 0 where the root is 0, and
        # sqrt(-x**2) becomes I*Abs(x).  Such a root stays as written.
        return sympy.Pow(base, exponent, evaluate=False)
    return power


def _splits_domain(base: sympy.Expr, power: sympy.Expr) -> bool:
    """Whether SymPy's evaluated ``power`` is I times something, or a product of
    several factors in the variables pulled out of a base not known nonnegative
    (a zero of a pulled-out factor may lie where the rest of the base is negative)."""
    if not base.free_symbols or base.is_nonnegative is True:
        return False
    if power.has(S.ImaginaryUnit) and not base.has(S.ImaginaryUnit):
        return True
    return isinstance(power, sympy.Mul) and sum(
        1 for f in power.args if f.free_symbols) > 1


def power(base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    """:func:`real_pow`, refusing first what would compute a huge exact number.

    Raises:
        InputError: a numeric exponent beyond :data:`MAX_EXPONENT` in absolute value,
            or an exact result of more than :data:`MAX_RESULT_DIGITS` digits.
    """
    base, exponent = _sympy(base), _sympy(exponent)
    if exponent in (S.Infinity, S.NegativeInfinity) or (
            exponent.is_Rational and abs(exponent.p) > MAX_EXPONENT * exponent.q):
        raise InputError(f"the exponent {_short(exponent)} is too large; numeric exponents "
                         f"are limited to {MAX_EXPONENT} in absolute value")
    if base.is_extended_negative and not exponent.is_Rational and not exponent.is_integer:
        raise InputError(f"({_short(base)})**({_short(exponent)}) is not real: a negative "
                         f"base needs a rational exponent")
    coefficient = base.as_coeff_Mul()[0]  # the number SymPy would raise to the power
    if exponent.is_Rational and coefficient.is_Rational and abs(coefficient.p) > 1:
        bits = max(abs(coefficient.p).bit_length(), coefficient.q.bit_length())
        digits = abs(exponent.p) * bits * 30103 // (100_000 * exponent.q)  # log10(2)
        if digits > MAX_RESULT_DIGITS:
            raise InputError(f"this power would have about {digits:,} digits; the limit is "
                             f"{MAX_RESULT_DIGITS:,}")
    return real_pow(base, exponent)


def _sympy(value: sympy.Expr | int) -> sympy.Expr:
    """Ints become SymPy Integers (never sympify: it would eval a string)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return sympy.Integer(value)
    if not isinstance(value, sympy.Expr):
        raise TypeError(f"expected a SymPy expression, not {type(value).__name__}")
    return value


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:27] + "..."


def _root(u: sympy.Expr, n: sympy.Expr) -> sympy.Expr:
    if n == 0:
        raise InputError("a root of order 0 is undefined")
    return power(u, 1 / _sympy(n))


# --- Max and Min ---------------------------------------------------------------------------


def maximum(*args: sympy.Expr) -> sympy.Expr:
    """``sympy.Max(*args)``, fast for the arguments of a ReLU network.

    SymPy's Max compares every pair of arguments through the assumptions system
    (milliseconds each). Two linear functions of plain real symbols whose difference
    is not constant never compare (the difference takes both signs), so then the
    unevaluated Max *is* the evaluated one.

    Examples:
        >>> x = sympy.Symbol("x", real=True)
        >>> maximum(0, 2*x - 1) == sympy.Max(0, 2*x - 1), maximum(x, x + 1)
        (True, x + 1)
    """
    return sympy.Max(*args, evaluate=not _incomparable(args))


def minimum(*args: sympy.Expr) -> sympy.Expr:
    """``sympy.Min(*args)``, fast in the same case as :func:`maximum`."""
    return sympy.Min(*args, evaluate=not _incomparable(args))


def _incomparable(args: tuple[sympy.Expr, ...]) -> bool:
    """Whether the arguments are linear in plain real symbols, no two a constant apart."""
    if len(args) < 2 or not all(map(_linear, args)):
        return False
    return all((a - b).free_symbols for a, b in itertools.combinations(args, 2))


def _linear(u: object) -> bool:
    if not isinstance(u, sympy.Expr):
        return isinstance(u, int)
    constant, terms = u.as_coeff_add()
    if not constant.is_Rational:
        return False
    for term in terms:
        coefficient, symbol = term.as_coeff_Mul()
        if not (coefficient.is_Rational and isinstance(symbol, sympy.Symbol)
                and symbol == sympy.Symbol(symbol.name, real=True)):
            return False
    return True


def clamp(input: sympy.Expr, min: sympy.Expr | None = None,
          max: sympy.Expr | None = None) -> sympy.Expr:
    """``torch.clamp``: ``input`` within the bounds given (``None``: no bound)."""
    if min is None and max is None:
        raise InputError("give at least one bound: min= or max=")
    low = input if min is None else maximum(input, min)
    return low if max is None else minimum(low, max)


def clip(a: sympy.Expr, a_min: sympy.Expr | None = None,
         a_max: sympy.Expr | None = None) -> sympy.Expr:
    """``np.clip``: ``a`` within the bounds given (``None``: no bound)."""
    return clamp(a, a_min, a_max)


def where(condition: sympy.Basic, x: sympy.Expr, y: sympy.Expr) -> sympy.Expr:
    """``np.where`` of one element: ``x`` where the condition holds, else ``y``."""
    return Piecewise((x, condition), (y, True))


# --- activations and losses ----------------------------------------------------------------


def relu(x: sympy.Expr) -> sympy.Expr:
    """``max(0, x)``."""
    return maximum(0, x)


def relu6(x: sympy.Expr) -> sympy.Expr:
    """ReLU capped at 6."""
    return minimum(maximum(0, x), 6)


def leaky_relu(x: sympy.Expr, negative_slope: sympy.Expr = _PERCENT) -> sympy.Expr:
    """``x`` for ``x > 0``, else ``negative_slope*x`` (right for any slope, also > 1)."""
    return Piecewise((x, x > 0), (negative_slope * x, True))


def elu(x: sympy.Expr, alpha: sympy.Expr = _ONE) -> sympy.Expr:
    """``x`` for ``x > 0``, else ``alpha*(exp(x) - 1)``."""
    return Piecewise((x, x > 0), (alpha * (exp(x) - 1), True))


def sigmoid(x: sympy.Expr) -> sympy.Expr:
    """The logistic function ``1/(1 + exp(-x))``."""
    return 1 / (1 + exp(-x))


def softplus(x: sympy.Expr, beta: sympy.Expr = _ONE,
             threshold: sympy.Expr | None = None) -> sympy.Expr:
    """``log(1 + exp(beta*x))/beta``; with ``threshold``, PyTorch's ``x`` where ``beta*x >
    threshold``.

    PyTorch switches to ``x`` above the threshold for numerical stability, which makes
    ``F.softplus(x, threshold=20)`` jump by about ``2e-9`` at ``x = 20/beta``: reported as
    the jump it is. Without ``threshold`` the smooth formula is meant (JAX's and Keras'
    softplus, and diffcheck's ``softplus``).

    Examples:
        >>> x = sympy.Symbol("x", real=True)
        >>> softplus(x, 2, 20)
        Piecewise((x, x > 10), (log(exp(2*x) + 1)/2, True))
    """
    smooth = log(1 + exp(beta * x)) / beta
    if threshold is None:
        return smooth
    return Piecewise((x, beta * x > threshold), (smooth, True))


_TORCH_SOFTPLUS_THRESHOLD = sympy.Integer(20)


def torch_softplus(x: sympy.Expr, beta: sympy.Expr = _ONE,
                   threshold: sympy.Expr = _TORCH_SOFTPLUS_THRESHOLD) -> sympy.Expr:
    """``torch.nn.functional.softplus`` with PyTorch's defaults (beta 1, threshold 20): it
    is ``x`` where ``beta*x > 20``, so PyTorch's softplus jumps by about 2e-9 at 20.

    Examples:
        >>> x = sympy.Symbol("x", real=True)
        >>> torch_softplus(x)
        Piecewise((x, x > 20), (log(exp(x) + 1), True))
    """
    return softplus(x, beta, threshold)


def silu(x: sympy.Expr) -> sympy.Expr:
    """``x*sigmoid(x)``, also called swish."""
    return x * sigmoid(x)


def gelu(x: sympy.Expr, approximate: str | bool = "none") -> sympy.Expr:
    """GELU: exact ``x/2*(1 + erf(x/sqrt(2)))`` (PyTorch's default), or with
    ``approximate="tanh"`` (JAX and Keras: ``approximate=True``) the tanh form
    ``x/2*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x**3)))``.

    Examples:
        >>> x = sympy.Symbol("x", real=True)
        >>> gelu(x, approximate="tanh")
        x*(tanh(sqrt(2)*(8943*x**3/200000 + x)/sqrt(pi)) + 1)/2
    """
    if approximate in ("tanh", True):
        inner = sympy.sqrt(2 / S.Pi) * (x + Rational("0.044715") * x**3)
        return x / 2 * (1 + sympy.tanh(inner))
    if approximate not in ("none", False):
        raise InputError(f"approximate must be 'none' or 'tanh', not {approximate!r}")
    return x / 2 * (1 + sympy.erf(x / sympy.sqrt(2)))


def softsign(x: sympy.Expr) -> sympy.Expr:
    """``x/(1 + |x|)``."""
    return x / (1 + Abs(x))


def hardtanh(x: sympy.Expr, min_val: sympy.Expr = -_ONE,
             max_val: sympy.Expr = _ONE) -> sympy.Expr:
    """``x`` clipped to ``[min_val, max_val]``."""
    return minimum(maximum(x, min_val), max_val)


def selu(x: sympy.Expr) -> sympy.Expr:
    """``scale*elu(x, alpha)`` with PyTorch's constants (:data:`SELU_ALPHA`, :data:`SELU_SCALE`).

    The slopes at 0 are ``scale*alpha`` on the left and ``scale`` on the right: a corner.
    """
    return SELU_SCALE * elu(x, SELU_ALPHA)


def celu(x: sympy.Expr, alpha: sympy.Expr = _ONE) -> sympy.Expr:
    """``x`` for ``x > 0``, else ``alpha*(exp(x/alpha) - 1)``: slope 1 on both sides of 0."""
    return Piecewise((x, x > 0), (alpha * (exp(x / alpha) - 1), True))


def mish(x: sympy.Expr) -> sympy.Expr:
    """``x*tanh(softplus(x))``."""
    return x * sympy.tanh(softplus(x))


def hardsigmoid(x: sympy.Expr) -> sympy.Expr:
    """``0`` for ``x <= -3``, ``1`` for ``x >= 3``, ``x/6 + 1/2`` between (``relu6(x + 3)/6``)."""
    return Piecewise((0, x <= -3), (1, x >= 3), (x / 6 + S.Half, True))


def hardswish(x: sympy.Expr) -> sympy.Expr:
    """``0`` for ``x <= -3``, ``x`` for ``x >= 3``, ``x*(x + 3)/6`` between."""
    return Piecewise((0, x <= -3), (x, x >= 3), (x * (x + 3) / 6, True))


def softshrink(x: sympy.Expr, lambd: sympy.Expr = S.Half) -> sympy.Expr:
    """``x - lambd`` above ``lambd``, ``x + lambd`` below ``-lambd``, 0 between (continuous)."""
    return Piecewise((x - lambd, x > lambd), (x + lambd, x < -lambd), (0, True))


def hardshrink(x: sympy.Expr, lambd: sympy.Expr = S.Half) -> sympy.Expr:
    """``x`` where ``|x| > lambd``, else 0: jumps of size ``lambd`` at ``+-lambd``."""
    return Piecewise((x, x > lambd), (x, x < -lambd), (0, True))


def threshold(x: sympy.Expr, threshold: sympy.Expr, value: sympy.Expr) -> sympy.Expr:
    """``F.threshold``: ``x`` for ``x > threshold``, else ``value`` (both required, as in
    PyTorch)."""
    return Piecewise((x, x > threshold), (value, True))


def tanhshrink(x: sympy.Expr) -> sympy.Expr:
    """``x - tanh(x)``."""
    return x - sympy.tanh(x)


def huber(r: sympy.Expr, delta: sympy.Expr = _ONE) -> sympy.Expr:
    """Quadratic within ``delta`` of 0, linear outside, joined with matching slope."""
    return Piecewise((r**2 / 2, Abs(r) <= delta), (delta * (Abs(r) - delta / 2), True))


def smooth_l1(r: sympy.Expr, beta: sympy.Expr = _ONE) -> sympy.Expr:
    """Huber divided by ``beta``; ``beta = 0`` is the L1 loss, as in PyTorch."""
    if beta == 0:
        return Abs(r)
    return Piecewise((r**2 / (2 * beta), Abs(r) < beta), (Abs(r) - beta / 2, True))


def hinge(r: sympy.Expr) -> sympy.Expr:
    """``max(0, 1 - r)``."""
    return maximum(0, 1 - r)


def l1(r: sympy.Expr) -> sympy.Expr:
    """``|r|``."""
    return Abs(r)


def mse(r: sympy.Expr) -> sympy.Expr:
    """``r**2``."""
    return r**2


def squared_hinge(r: sympy.Expr) -> sympy.Expr:
    """``max(0, 1 - r)**2``: the slopes meet at 1, the curvatures do not."""
    return maximum(0, 1 - r) ** 2


def log_cosh(r: sympy.Expr) -> sympy.Expr:
    """``log(cosh(r))``."""
    return log(sympy.cosh(r))


def pinball(r: sympy.Expr, tau: sympy.Expr) -> sympy.Expr:
    """The quantile loss of the residual ``r = y - prediction``: ``tau*r`` for ``r >= 0``, else
    ``(tau - 1)*r`` (``max(tau*r, (tau - 1)*r)`` for ``0 <= tau <= 1``)."""
    return Piecewise((tau * r, r >= 0), ((tau - 1) * r, True))


def epsilon_insensitive(r: sympy.Expr, eps: sympy.Expr) -> sympy.Expr:
    """``max(0, |r| - eps)``: zero inside the tube of half-width ``eps``, as in SVR."""
    return maximum(0, Abs(r) - eps)


def huber_loss(input: sympy.Expr, target: sympy.Expr, *,
               delta: sympy.Expr = _ONE) -> sympy.Expr:
    """``torch.nn.functional.huber_loss`` of one element."""
    return huber(input - target, delta)


def smooth_l1_loss(input: sympy.Expr, target: sympy.Expr, *,
                   beta: sympy.Expr = _ONE) -> sympy.Expr:
    """``torch.nn.functional.smooth_l1_loss`` of one element."""
    return smooth_l1(input - target, beta)


def l1_loss(input: sympy.Expr, target: sympy.Expr) -> sympy.Expr:
    """``torch.nn.functional.l1_loss`` of one element."""
    return Abs(input - target)


def mse_loss(input: sympy.Expr, target: sympy.Expr) -> sympy.Expr:
    """``torch.nn.functional.mse_loss`` of one element."""
    return (input - target) ** 2


#: Names usable without a prefix: ``huber(x)``, ``leaky_relu(x, negative_slope=1/5)``.
CATALOG: Mapping[str, Builder] = {
    "relu": relu, "relu6": relu6, "leaky_relu": leaky_relu, "elu": elu, "sigmoid": sigmoid,
    "softplus": softplus, "silu": silu, "swish": silu, "gelu": gelu, "softsign": softsign,
    "hardtanh": hardtanh, "huber": huber, "smooth_l1": smooth_l1, "hinge": hinge, "l1": l1,
    "mse": mse,
    "selu": selu, "celu": celu, "mish": mish, "hardsigmoid": hardsigmoid,
    "hardswish": hardswish, "softshrink": softshrink, "hardshrink": hardshrink,
    "threshold": threshold, "tanhshrink": tanhshrink, "squared_hinge": squared_hinge,
    "log_cosh": log_cosh, "pinball": pinball, "quantile": pinball,
    "epsilon_insensitive": epsilon_insensitive,
}

#: ``F.``, ``torch.nn.functional.``: the names PyTorch has.
TORCH_FUNCTIONAL: Mapping[str, Builder] = {
    "relu": relu, "relu6": relu6, "leaky_relu": leaky_relu, "elu": elu, "sigmoid": sigmoid,
    "softplus": torch_softplus, "silu": silu, "gelu": gelu, "softsign": softsign,
    "hardtanh": hardtanh, "huber_loss": huber_loss, "smooth_l1_loss": smooth_l1_loss,
    "l1_loss": l1_loss, "mse_loss": mse_loss,
    "selu": selu, "celu": celu, "mish": mish, "hardsigmoid": hardsigmoid,
    "hardswish": hardswish, "softshrink": softshrink, "hardshrink": hardshrink,
    "threshold": threshold, "tanhshrink": tanhshrink,
}

#: ``jax.nn.``: the names JAX has (not ``gelu``, whose JAX default is the tanh form).
JAX_NN: Mapping[str, Builder] = {
    "relu": relu, "relu6": relu6, "leaky_relu": leaky_relu, "elu": elu, "sigmoid": sigmoid,
    "softplus": softplus, "silu": silu, "swish": silu, "soft_sign": softsign,
    "hard_tanh": hardtanh,
    "selu": selu, "celu": celu, "mish": mish, "hard_sigmoid": hardsigmoid,
    "hard_swish": hardswish, "hard_silu": hardswish,
}


# --- the tables of names -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fn:
    """How a call is checked and built.

    ``args`` says what the arguments are: ``expr`` values, ``cond`` conditions,
    ``pair`` (value, condition) tuples (Piecewise), or ``where`` (a condition, then
    values). ``gives`` is ``expr`` or ``cond``. A function with a ``signature`` takes
    keywords, bound as Python binds them, and ``None`` where its default is ``None``.
    """

    build: Callable[..., Any]
    low: int = 1
    high: int | None = 1
    args: str = "expr"
    gives: str = "expr"
    signature: inspect.Signature | None = None

    @classmethod
    def keywords(cls, build: Callable[..., Any]) -> Fn:
        return cls(build, signature=inspect.signature(build))


@dataclass(frozen=True, slots=True)
class Space:
    """The names behind one prefix such as ``np.``."""

    functions: Mapping[str, Fn]
    constants: Mapping[str, sympy.Expr]


def _fns(names: str, build: Callable[..., Any] | None = None, low: int = 1,
         high: int | None = 1, args: str = "expr", gives: str = "expr") -> dict[str, Fn]:
    """Entries for several names, each built by ``build`` or else by SymPy's same name."""
    return {n: Fn(build or getattr(sympy, n), low, high, args, gives) for n in names.split()}


_TRIG = "sin cos tan sinh cosh tanh"
_INVERSE = "asin acos atan asinh acosh atanh"
_COMMON = {  # the names NumPy, PyTorch and math share
    **_fns(f"{_TRIG} {_INVERSE} exp floor"), **_fns("fabs", Abs),
    **_fns("sqrt", lambda u: real_pow(u, S.Half)),
    **_fns("ceil", sympy.ceiling), **_fns("cbrt", lambda u: real_pow(u, Rational(1, 3))),
    **_fns("log2", lambda u: log(u, 2)), **_fns("log10", lambda u: log(u, 10)),
    **_fns("log1p", lambda u: log(1 + u)), **_fns("expm1", lambda u: exp(u) - 1),
    **_fns("pow", power, 2, 2),
}

#: Names without a prefix: SymPy's (case-sensitive), everyday spellings, the catalog.
BARE: Mapping[str, Fn] = {
    **_fns(f"{_TRIG} {_INVERSE} cot sec csc acot asec acsc coth sech csch acoth exp "
           "Abs sign floor ceiling frac erf erfc"), "sqrt": _COMMON["sqrt"],
    **_fns("Max", maximum, 1, None), **_fns("Min", minimum, 1, None),
    **_fns("log", None, 1, 2), **_fns("ln", log), **_fns("Mod atan2", None, 2, 2),
    **_fns("root real_root", _root, 2, 2), "cbrt": _COMMON["cbrt"],
    **_fns("Heaviside", None, 1, 2), **_fns("Piecewise", None, 1, None, args="pair"),
    **_fns("Eq Ne Lt Le Gt Ge", None, 2, 2, gives="cond"),
    **_fns("And Or", None, 1, None, args="cond", gives="cond"),
    **_fns("Not", args="cond", gives="cond"), **_fns("ITE", None, 3, 3, "cond", "cond"),
    **_fns("max", maximum, 2, None), **_fns("min", minimum, 2, None), **_fns("abs", Abs),
    **_fns("heaviside", sympy.Heaviside, 2, 2), **_fns("where", where, 3, 3, args="where"),
    "clip": Fn.keywords(clip), **{n: Fn.keywords(f) for n, f in CATALOG.items()},
    # functions taught by a row of the facts table alone (diffcheck.facts)
    **{name: Fn(cls) for cls, row in FACTS.items() for name in row.names},
}
_NUMPY = Space({
    **_COMMON, **{f"arc{n[1:]}": Fn(getattr(sympy, n)) for n in _INVERSE.split()},
    **_fns("abs absolute", Abs), **_fns("log sign"), **_fns("square", lambda u: power(u, 2)),
    **_fns("maximum fmax", maximum, 2, 2), **_fns("minimum fmin", minimum, 2, 2),
    **_fns("arctan2", sympy.atan2, 2, 2), **_fns("mod remainder", sympy.Mod, 2, 2),
    **_fns("power", power, 2, 2), **_fns("heaviside", sympy.Heaviside, 2, 2),
    "where": BARE["where"], "clip": BARE["clip"],
}, {"pi": S.Pi, "e": S.Exp1, "inf": S.Infinity})
_TORCH = Space({
    **_NUMPY.functions, **_fns("erf erfc"), **_fns("atan2", None, 2, 2),
    **_fns("max clamp_min", maximum, 2, 2),
    **_fns("min clamp_max", minimum, 2, 2), "clamp": Fn.keywords(clamp),
    "clip": Fn.keywords(clamp), "relu": BARE["relu"], "sigmoid": BARE["sigmoid"],
}, _NUMPY.constants)
_MATH = Space({**_COMMON, **_fns("erf erfc"), **_fns("log", None, 1, 2),
               **_fns("atan2", None, 2, 2)},
              {**_NUMPY.constants, "tau": 2 * S.Pi})
_SYMPY = Space({n: f for n, f in BARE.items() if n not in {
    "max", "min", "abs", "heaviside", "where", "clip", *CATALOG}},
    {"pi": S.Pi, "E": S.Exp1, "oo": S.Infinity})
_F = Space({**{n: Fn.keywords(f) for n, f in TORCH_FUNCTIONAL.items()}, **_fns("tanh")}, {})
_JAX_NN = Space({n: Fn.keywords(f) for n, f in JAX_NN.items()}, {})

#: The prefixes of dotted names, and what each provides.
SPACES: Mapping[str, Space] = {
    "np": _NUMPY, "numpy": _NUMPY, "jnp": _NUMPY, "jax.numpy": _NUMPY, "torch": _TORCH,
    "F": _F, "torch.nn.functional": _F, "nn.functional": _F, "jax.nn": _JAX_NN,
    "math": _MATH, "sympy": _SYMPY, "sp": _SYMPY,
}

#: Constants without a prefix.
CONSTANTS: Mapping[str, sympy.Expr] = {"pi": S.Pi, "E": S.Exp1, "oo": S.Infinity}

#: Names refused everywhere, with the reason.
NOT_REAL: Mapping[str, str] = {
    "I": "complex numbers are not supported ('I' is the imaginary unit); diffcheck studies "
         "real functions of a real variable",
    "zoo": "'zoo' (complex infinity) is not supported; use oo or -oo",
    "nan": "'nan' is not a number", "NaN": "'NaN' is not a number",
}
