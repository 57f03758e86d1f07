"""The activation and loss catalog as one table: where each entry is not differentiable.

:data:`ENTRIES` lists every named activation and loss of :mod:`diffcheck.language.names` with
the call that is analysed (PyTorch's defaults; the losses of a residual that need a
parameter get a typical one, ``pinball(x, 1/4)``) and a short formula for people.
:func:`catalog_rows` analyses each with :func:`diffcheck.analyze` and keeps, for every
reported point, its kind and one-sided derivatives; with ``frameworks`` it adds what
PyTorch's or JAX's autodiff returns there for the framework's own function
(:func:`diffcheck.apps.autodiff.native_gradients`). Pure: nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sympy

from diffcheck.analysis.single import analyze
from diffcheck.model.report import Kind, _s

__all__ = ["ENTRIES", "CatalogPoint", "CatalogRow", "Entry", "catalog_dict", "catalog_rows"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One catalog entry: its name, the call analysed, and its formula for people."""

    name: str
    call: str
    formula: str
    loss: bool = False


def _e(name: str, formula: str, call: str = "", loss: bool = False) -> Entry:
    return Entry(name=name, call=call or f"{name}(x)", formula=formula, loss=loss)


#: Every activation and loss, in the order of the table.
ENTRIES: tuple[Entry, ...] = (
    _e("relu", "max(0, x)"),
    _e("relu6", "min(max(0, x), 6)"),
    _e("leaky_relu", "x if x > 0 else x/100"),
    _e("elu", "x if x > 0 else exp(x) - 1"),
    _e("selu", "scale*elu(x, alpha)"),
    _e("celu", "x if x > 0 else exp(x) - 1"),
    _e("gelu", "x/2*(1 + erf(x/sqrt(2)))"),
    _e("silu", "x*sigmoid(x)"),
    _e("swish", "silu"),
    _e("mish", "x*tanh(softplus(x))"),
    _e("softplus", "log(1 + exp(x))"),
    _e("sigmoid", "1/(1 + exp(-x))"),
    _e("tanh", "tanh(x)"),
    _e("tanhshrink", "x - tanh(x)"),
    _e("softsign", "x/(1 + |x|)"),
    _e("hardtanh", "min(max(x, -1), 1)"),
    _e("hardsigmoid", "0 if x <= -3, 1 if x >= 3, else x/6 + 1/2"),
    _e("hardswish", "0 if x <= -3, x if x >= 3, else x*(x + 3)/6"),
    _e("softshrink", "x - 1/2 if x > 1/2, x + 1/2 if x < -1/2, else 0"),
    _e("hardshrink", "x if |x| > 1/2 else 0"),
    _e("threshold", "x if x > 1 else 0", "threshold(x, 1, 0)"),
    _e("l1", "|x|", loss=True),
    _e("mse", "x**2", loss=True),
    _e("huber", "x**2/2 if |x| <= 1 else |x| - 1/2", loss=True),
    _e("smooth_l1", "x**2/2 if |x| < 1 else |x| - 1/2", loss=True),
    _e("hinge", "max(0, 1 - x)", loss=True),
    _e("squared_hinge", "max(0, 1 - x)**2", loss=True),
    _e("log_cosh", "log(cosh(x))", loss=True),
    _e("pinball", "x/4 if x >= 0 else -3*x/4", "pinball(x, 1/4)", loss=True),
    _e("quantile", "pinball", "quantile(x, 1/4)", loss=True),
    _e("epsilon_insensitive", "max(0, |x| - 1/10)",
       "epsilon_insensitive(x, 1/10)", loss=True),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogPoint:
    """One reported point of one entry, with what each framework returns there.

    ``gradients`` maps a framework name to ``(how, value)``: the function it called
    (``"F.relu"``, or ``"formula"`` when it has no such function and diffcheck's formula
    was evaluated) and the float its autodiff returned.
    """

    at: sympy.Expr
    kind: Kind
    left_derivative: sympy.Expr | None
    right_derivative: sympy.Expr | None
    gradients: tuple[tuple[str, str, float], ...] = ()
    smoothness: str | None = None  # PointReport.smoothness, checked up to ORDER


    def to_dict(self) -> dict[str, Any]:
        return {
            "at": _s(self.at),
            "kind": str(self.kind),
            "left_derivative": _s(self.left_derivative),
            "right_derivative": _s(self.right_derivative),
            "smoothness": self.smoothness,
            "autodiff": {name: {"function": how, "gradient": _float(value)}
                         for name, how, value in self.gradients},
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogRow:
    """One entry of the catalog and what the analysis found."""

    entry: Entry
    definition: sympy.Expr
    points: tuple[CatalogPoint, ...]
    differentiable_everywhere: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.entry.name,
            "call": self.entry.call,
            "formula": self.entry.formula,
            "loss": self.entry.loss,
            "definition": _s(self.definition),
            "differentiable_everywhere": self.differentiable_everywhere,
            "points": [p.to_dict() for p in self.points],
        }


ORDER = 3
"""Derivatives checked at each catalog point: enough to tell C^1 (ELU, Huber) from C^2."""


def catalog_rows(entries: Iterable[Entry] = ENTRIES, *, frameworks: Iterable[str] = (),
                 timeout: float | None = None) -> tuple[CatalogRow, ...]:
    """Analyse every entry; with ``frameworks``, add their gradients at each point.

    Args:
        entries: the entries (default: the whole catalog).
        frameworks: ``"torch"`` and/or ``"jax"``; each must be importable
            (:class:`diffcheck.apps.autodiff.AutodiffUnavailable` otherwise).
        timeout: seconds per point, as in :func:`diffcheck.analyze`.

    Examples:
        >>> (row,) = catalog_rows([e for e in ENTRIES if e.name == "hardswish"])
        >>> [(str(p.at), p.kind.value) for p in row.points]
        [('-3', 'corner'), ('3', 'corner')]
    """
    names = tuple(frameworks)
    if names:
        from diffcheck.apps import autodiff

        for name in names:
            autodiff.require(name)
    rows = []
    for entry in entries:
        analysis = analyze(entry.call, order=ORDER, timeout=timeout)
        at = tuple(p.at for p in analysis.points)
        found: list[tuple[tuple[str, str, float], ...]] = [() for _ in at]
        for name in names:
            how, values = autodiff.native_gradients(name, entry.name, analysis, at)
            found = [(*old, (name, how, value)) for old, value in zip(found, values, strict=True)]
        points = tuple(
            CatalogPoint(at=p.at, kind=p.kind, left_derivative=p.left_derivative,
                         right_derivative=p.right_derivative, gradients=grads,
                         smoothness=p.smoothness)
            for p, grads in zip(analysis.points, found, strict=True))
        rows.append(CatalogRow(entry=entry, definition=analysis.expression, points=points,
                               differentiable_everywhere=analysis.differentiable_everywhere))
    return tuple(rows)


def catalog_dict(rows: Iterable[CatalogRow]) -> dict[str, Any]:
    """The ``diffcheck catalog --json`` object: ``{"entries": [...]}``."""
    return {"entries": [row.to_dict() for row in rows]}


def _float(value: float) -> float | str:
    """JSON has no nan or infinity: those become the strings "nan", "inf", "-inf"."""
    if value != value:
        return "nan"
    if value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    return value
