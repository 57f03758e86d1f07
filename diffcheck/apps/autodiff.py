"""What PyTorch's and JAX's autodiff return at the points diffcheck reports, beside the truth.

At a point a where f is not differentiable, autodiff still returns a number: the
derivative of whichever branch the code's operations pick (``relu`` takes 0 at 0,
``torch.maximum`` splits a tie 0.5/0.5, ``clamp_min`` takes 1). :func:`check`
evaluates the framework's gradient of f, in float64, at every reported point and at
``a - h`` and ``a + h``, and judges it against the exact one-sided derivatives:

* differentiable at a: the gradient should equal f'(a);
* a corner (continuous, finite one-sided derivatives l != r): the gradient is a valid
  subgradient when it lies in ``[min(l, r), max(l, r)]``, the subdifferential;
* a jump, cusp, vertical tangent, pole, ...: there is no derivative, so whatever the
  framework returns (often 0 at a jump, ``nan`` or ``inf`` at a root) carries no
  information about f at a;
* at ``a -+ h`` the gradient should be close to f'(a-) and f'(a+): a check of the
  framework and of the symbolic one-sided derivatives alike.

f is diffcheck's exact expression, turned into framework code by :func:`sympy.lambdify`
after a few rewrites each framework needs (``Max``/``Min`` as ``maximum``/``minimum``
of tensors, ``Heaviside``/``frac``/``erfc``/``sec``... in basic terms). So the
gradient is that of the formula as diffcheck writes it (``relu(x)`` is ``Max(0, x)``,
evaluated with ``maximum``), which can differ at a kink from the framework's own
``relu``: :func:`native_gradients` evaluates the framework's own function for the
catalog's entries. torch and jax are optional: without them :func:`require` raises
:class:`AutodiffUnavailable` (the command exits 2 with the install line).
"""

# The prime of f′ is meant, as in the reports.
# ruff: noqa: RUF001, RUF002, RUF003

from __future__ import annotations

import functools
import importlib
import importlib.util
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import ModuleType
from typing import Any

import sympy
from sympy import S

from diffcheck.errors import InputError
from diffcheck.facts import FACTS
from diffcheck.model.report import Analysis, Kind, PointReport, _s

__all__ = [
    "FRAMEWORKS", "AutodiffReport", "AutodiffUnavailable", "GradientCheck", "SideCheck",
    "Verdict", "check", "gradients", "installed", "native_gradients", "require",
]

FRAMEWORKS = ("torch", "jax")

INSTALL = {
    "torch": 'pip install "diffcheck-analyzer[torch]"  (PyTorch 2.13 CPU: torch==2.13.0)',
    "jax": 'pip install "diffcheck-analyzer[jax]"',
}

STEP = 1e-7
"""The side checks look at a -+ STEP*max(1, |a|)."""

AGREE = 1e-9
"""Relative tolerance for 'the gradient at a is f'(a)' (float64 evaluation of exact values)."""

SIDE = 1e-4
"""Relative tolerance for 'the gradient at a -+ h is f'(a-+)' (f' moves by about f''*h)."""


class AutodiffUnavailable(InputError):
    """The framework asked for is not installed."""


class Verdict(StrEnum):
    """How the framework's gradient at a relates to the exact one-sided derivatives."""

    AGREES = "agrees"  # differentiable at a, gradient = f'(a)
    DISAGREES = "disagrees"  # differentiable at a, gradient != f'(a)
    SUBGRADIENT = "subgradient"  # corner, gradient within [min(l, r), max(l, r)]
    NOT_SUBGRADIENT = "not_subgradient"  # corner, gradient outside it (or nan)
    NO_INFORMATION = "no_information"  # no derivative at a (jump, cusp, ...)
    UNKNOWN = "unknown"  # the analysis did not decide the point


def require(framework: str) -> ModuleType:
    """Import ``torch`` or ``jax``.

    Raises:
        InputError: not one of :data:`FRAMEWORKS`.
        AutodiffUnavailable: it is not installed; the message says how to install it.
    """
    if framework not in FRAMEWORKS:
        raise InputError(f"--autodiff takes {' or '.join(FRAMEWORKS)}, not {framework!r}")
    try:
        return importlib.import_module(framework)
    except ImportError:
        raise AutodiffUnavailable(f"--autodiff {framework} needs {framework}, which is not "
                                  f"installed: {INSTALL[framework]}") from None


def installed() -> tuple[str, ...]:
    """The frameworks that can be imported (found without importing them)."""
    return tuple(name for name in FRAMEWORKS if importlib.util.find_spec(name) is not None)


# --- expression -> framework function -----------------------------------------------------


# Functions a framework printer lacks, in terms it has (the same values everywhere): the
# ``spelled`` facts of the facts table, and the DiracDelta terms SymPy's diff leaves.
_REWRITES: tuple[tuple[type[sympy.Basic], Callable[..., sympy.Expr]], ...] = (
    (sympy.DiracDelta, lambda *args: S.Zero),
    *((cls, row.spelled) for cls, row in FACTS.items() if row.spelled is not None),
)


def rewritten(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with the functions framework printers lack written in basic terms.

    Examples:
        >>> x = sympy.Symbol("x", real=True)
        >>> rewritten(sympy.frac(x) + sympy.Heaviside(x))
        x + Piecewise((0, x < 0), (1/2, Eq(x, 0)), (1, True)) - floor(x)
    """
    for kind, build in _REWRITES:
        expr = expr.replace(lambda e, kind=kind: isinstance(e, kind),
                            lambda e, build=build: build(*e.args))
    return expr


def _tensor_args(fn: Callable[..., Any], convert: Callable[[Any], Any]) -> Callable[..., Any]:
    """``fn`` with plain numbers among its arguments converted (``torch.sqrt(2)`` fails)."""
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        return fn(*[convert(a) if isinstance(a, int | float) else a for a in args], **kwargs)
    return call


def _compile(expr: sympy.Expr, x: sympy.Symbol, framework: str) -> Callable[[Any], Any]:
    """``expr`` as a function of one framework scalar, through :func:`sympy.lambdify`."""
    module = require(framework)
    expr = rewritten(expr)
    if framework == "torch":
        def tensor(value: Any) -> Any:
            return module.as_tensor(value, dtype=module.float64)

        def extreme(pick: Callable[[Any, Any], Any]) -> Callable[..., Any]:
            return lambda *args: functools.reduce(pick, [tensor(a) for a in args])

        # torch's printer writes Max(a, b) as max(a, b): torch.max of a number fails
        overrides = {"max": extreme(module.maximum), "min": extreme(module.minimum)}
        fn: Callable[[Any], Any] = sympy.lambdify(x, expr, modules=[overrides, "torch"])
        names = fn.__globals__
        for name in fn.__code__.co_names:
            if name not in overrides and callable(names.get(name)) and getattr(
                    names[name], "__module__", "").startswith("torch"):
                names[name] = _tensor_args(names[name], tensor)
        return fn
    # lambdify's jax namespace takes erf from math, which cannot trace
    special = importlib.import_module("jax.scipy.special")
    jax_fn: Callable[[Any], Any] = sympy.lambdify(
        x, expr, modules=[{"erf": special.erf, "erfc": special.erfc}, "jax"])
    return jax_fn


def gradients(expr: sympy.Expr, x: sympy.Symbol, at: Sequence[float],
              framework: str) -> tuple[float, ...]:
    """The framework's derivative of ``expr`` with respect to ``x`` at each point, in float64.

    Raises:
        InputError: ``expr`` has free names other than ``x``, or the framework raised
            an error evaluating it (domain errors give ``nan`` instead).
        AutodiffUnavailable: the framework is not installed.
    """
    others = expr.free_symbols - {x}
    if others:
        names = ", ".join(sorted(map(str, others)))
        raise InputError(f"--autodiff needs a function of {x} alone; give the parameters "
                         f"{names} numbers")
    return _run(_compile(expr, x, framework), at, framework)


def _run(fn: Callable[[Any], Any], at: Sequence[float], framework: str) -> tuple[float, ...]:
    """The gradient of the elementwise ``fn`` at every point, in one float64 evaluation."""
    if not at:
        return ()
    module = require(framework)
    try:
        if framework == "torch":
            t = module.tensor(list(at), dtype=module.float64, requires_grad=True)
            y = fn(t)
            if isinstance(y, module.Tensor) and y.requires_grad:
                # f acts elementwise, so d(sum f)/dt_i is f'(t_i); a loss summed
                # over its elements (reduction="sum") is that sum already
                y.sum().backward()
            grads = [0.0] * len(at) if t.grad is None else t.grad.tolist()
        else:
            jnp = module.numpy
            with module.enable_x64(True):
                def scalar(v: Any) -> Any:
                    return jnp.asarray(fn(v), dtype=jnp.float64)

                # compiled once (as code under jax.jit runs), not op by op
                grads = module.jit(module.vmap(module.grad(scalar)))(
                    jnp.asarray(list(at), dtype=jnp.float64)).tolist()
    except (RuntimeError, TypeError, ValueError, ArithmeticError) as exc:
        # XXX: a function the lambdify mappings do not cover yet
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise InputError(f"{framework} could not evaluate the gradient: "
                         f"{type(exc).__name__}: {first}") from None
    return tuple(float(g) for g in grads)


# --- the frameworks' own activations -------------------------------------------------------


_TORCH_NAMES = ("relu", "relu6", "leaky_relu", "elu", "selu", "celu", "gelu", "silu", "mish",
                "softplus", "hardtanh", "hardsigmoid", "hardswish", "softshrink", "hardshrink",
                "tanhshrink", "softsign")
_JAX_NAMES = ("relu", "relu6", "leaky_relu", "elu", "selu", "celu", "silu", "swish", "mish",
              "softplus", "sigmoid")


def _native(framework: str) -> dict[str, tuple[str, Callable[[Any], Any]]]:
    """The catalog entries the framework has, as (how it is written, function)."""
    module = require(framework)
    if framework == "torch":
        F = importlib.import_module("torch.nn.functional")

        def zero(t: Any) -> Any:
            return module.zeros_like(t)

        return {
            **{n: (f"F.{n}", getattr(F, n)) for n in _TORCH_NAMES},
            "swish": ("F.silu", F.silu), "sigmoid": ("torch.sigmoid", module.sigmoid),
            "tanh": ("torch.tanh", module.tanh),
            "threshold": ("F.threshold(x, 1, 0)", lambda t: F.threshold(t, 1.0, 0.0)),
            # reduction="sum": the points are evaluated together, each its own element
            "l1": ("F.l1_loss(x, 0)", lambda t: F.l1_loss(t, zero(t), reduction="sum")),
            "mse": ("F.mse_loss(x, 0)", lambda t: F.mse_loss(t, zero(t), reduction="sum")),
            "huber": ("F.huber_loss(x, 0)",
                      lambda t: F.huber_loss(t, zero(t), reduction="sum")),
            "smooth_l1": ("F.smooth_l1_loss(x, 0)",
                          lambda t: F.smooth_l1_loss(t, zero(t), reduction="sum")),
        }
    nn, jnp = importlib.import_module("jax.nn"), importlib.import_module("jax.numpy")
    return {
        **{n: (f"jax.nn.{n}", getattr(nn, n)) for n in _JAX_NAMES},
        "gelu": ("jax.nn.gelu(x, approximate=False)", lambda v: nn.gelu(v, approximate=False)),
        "hardtanh": ("jax.nn.hard_tanh", nn.hard_tanh),
        "hardsigmoid": ("jax.nn.hard_sigmoid", nn.hard_sigmoid),
        "hardswish": ("jax.nn.hard_swish", nn.hard_swish),
        "softsign": ("jax.nn.soft_sign", nn.soft_sign), "tanh": ("jnp.tanh", jnp.tanh),
        "l1": ("jnp.abs", jnp.abs), "mse": ("jnp.square", jnp.square),
    }


def native_gradients(framework: str, name: str, analysis: Analysis,
                     at: Sequence[sympy.Expr]) -> tuple[str, tuple[float, ...]]:
    """The gradient of the framework's own function ``name`` at each point.

    Returns:
        How the function was written (``"F.relu"``), or ``"formula"`` when the framework
        has no such function and diffcheck's formula was evaluated instead; and the
        gradients.
    """
    points = [float(a) for a in at]
    native = _native(framework)
    if name in native:
        how, fn = native[name]
        return how, _run(fn, points, framework)
    return "formula", gradients(analysis.expression, analysis.variable, points, framework)


# --- the cross-check --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SideCheck:
    """The gradient just left or right of a, against the one-sided derivative there."""

    side: str  # "left" or "right"
    at: float
    gradient: float
    # f′(a-) or f′(a+); None where it does not exist, and where f is not continuous at a
    # (there the one-sided difference quotients blow up while f′ nearby stays finite)
    expected: sympy.Expr | None
    agrees: bool | None  # None: nothing to compare with

    def to_dict(self) -> dict[str, Any]:
        return {"side": self.side, "at": self.at, "gradient": _json_float(self.gradient),
                "expected": _s(self.expected), "agrees": self.agrees}


@dataclass(frozen=True, slots=True, kw_only=True)
class GradientCheck:
    """The framework's gradient at one reported point and what it means."""

    at: sympy.Expr
    kind: Kind
    gradient: float
    verdict: Verdict
    reason: str
    sides: tuple[SideCheck, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"at": _s(self.at), "kind": str(self.kind),
                "gradient": _json_float(self.gradient), "verdict": str(self.verdict),
                "reason": self.reason, "sides": [s.to_dict() for s in self.sides]}


@dataclass(frozen=True, slots=True, kw_only=True)
class AutodiffReport:
    """One framework's gradients at every point of one analysis."""

    framework: str
    checks: tuple[GradientCheck, ...]
    note: str

    @property
    def consistent(self) -> bool:
        """No disagreement at a differentiable point, no gradient outside a subdifferential,
        and every side check that could be made agrees."""
        return all(c.verdict not in (Verdict.DISAGREES, Verdict.NOT_SUBGRADIENT)
                   and all(s.agrees is not False for s in c.sides) for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {"framework": self.framework, "note": self.note, "consistent": self.consistent,
                "points": [c.to_dict() for c in self.checks]}


def check(analysis: Analysis, framework: str) -> AutodiffReport:
    """The framework's gradient at every point of ``analysis``, judged against it.

    Points of candidate sets (``floor``'s integers) are checked at their samples.

    Raises:
        InputError: f has free parameters (autodiff needs numbers).
        AutodiffUnavailable: the framework is not installed.

    Examples:
        >>> from diffcheck import analyze
        >>> report = check(analyze("Max(0, x)"), "torch")  # doctest: +SKIP
        >>> report.checks[0].gradient, report.checks[0].verdict.value  # doctest: +SKIP
        (0.5, 'subgradient')
    """
    points = [*analysis.points, *(p for c in analysis.candidate_sets for p in c.samples)]
    x = analysis.variable
    steps = [STEP * max(1.0, abs(float(p.at))) for p in points]
    at = [float(p.at) for p in points]
    near = [v for a, h in zip(at, steps, strict=True) for v in (a - h, a + h)]
    far = [v for a, h in zip(at, steps, strict=True) for v in (a - 100 * h, a + 100 * h)]
    values = gradients(analysis.expression, x, at + near + far, framework)
    n = len(at)
    checks = []
    for i, point in enumerate(points):
        gradient = values[i]
        verdict, reason = _judge(point, gradient, framework)
        sides = tuple(
            SideCheck(side=side, at=near[2 * i + k], gradient=values[n + 2 * i + k],
                      expected=expected if point.continuous else None,
                      agrees=_side_agrees(expected, values[n + 2 * i + k],
                                          values[3 * n + 2 * i + k]) if point.continuous
                      else None)
            for k, (side, expected) in enumerate(
                (("left", point.left_derivative), ("right", point.right_derivative))))
        checks.append(GradientCheck(at=point.at, kind=point.kind, gradient=gradient,
                                    verdict=verdict, reason=reason, sides=sides))
    note = (f"these are the gradients of diffcheck's formula {_s(analysis.expression)}; "
            "at a kink, code written differently may return another value (for max(0, x) at "
            "0, torch's relu gives 0, maximum 0.5 and clamp_min 1)")
    return AutodiffReport(framework=framework, checks=tuple(checks), note=note)


def _judge(point: PointReport, gradient: float, framework: str) -> tuple[Verdict, str]:
    g = _show(gradient)
    if point.kind is Kind.DIFFERENTIABLE and point.derivative is not None:
        exact = float(point.derivative)
        if math.isfinite(gradient) and abs(gradient - exact) <= AGREE * max(1.0, abs(exact)):
            return Verdict.AGREES, f"{framework} returns {g} = f′(a)"
        return Verdict.DISAGREES, (f"{framework} returns {g}, but f is differentiable at a "
                                   f"with f′(a) = {_s(point.derivative)}")
    # XXX: [l, r] is the Clarke subdifferential when f′ has one-sided limits at a (piecewise
    # smooth f, every catalog entry); where f′ oscillates near a the Clarke set can be
    # larger, and a value outside [l, r] may still be a Clarke subgradient.
    if point.kind is Kind.CORNER and point.left_derivative is not None \
            and point.right_derivative is not None:
        ends = sorted((point.left_derivative, point.right_derivative), key=float)
        span = f"[{_s(ends[0])}, {_s(ends[1])}]"
        low, high = float(ends[0]), float(ends[1])
        slack = AGREE * max(1.0, abs(low), abs(high))
        if low - slack <= gradient <= high + slack:
            return Verdict.SUBGRADIENT, (f"{framework} returns {g}, a valid subgradient: "
                                         f"inside the subdifferential {span}")
        return Verdict.NOT_SUBGRADIENT, (f"{framework} returns {g}, outside the "
                                         f"subdifferential {span}")
    if point.kind is Kind.UNKNOWN:
        return Verdict.UNKNOWN, (f"{framework} returns {g}; diffcheck did not decide this "
                                 "point, so it cannot be judged")
    word = str(point.kind).replace("_", " ")
    return Verdict.NO_INFORMATION, (f"{framework} returns {g}; f has no derivative at a "
                                    f"({word}), so this value carries no information")


def _side_agrees(expected: sympy.Expr | None, gradient: float, farther: float) -> bool | None:
    """Whether the gradient at a -+ h matches the one-sided derivative f′(a-+).

    A finite f′(a-+) should be matched within :data:`SIDE`; an infinite one by a gradient
    of its sign that grows as the point nears a (from a -+ 100h to a -+ h).
    """
    if expected is None or expected is S.NaN:
        return None
    if expected in (S.Infinity, S.NegativeInfinity):
        sign = 1 if expected is S.Infinity else -1
        return math.isfinite(gradient) and sign * gradient > 0 and abs(gradient) > abs(farther)
    exact = float(expected)
    return math.isfinite(gradient) and abs(gradient - exact) <= SIDE * max(1.0, abs(exact))


def _show(value: float) -> str:
    return f"{value:.6g}"


def _json_float(value: float) -> float | str:
    """JSON has no nan or infinity: those become the strings "nan", "inf", "-inf"."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value
