"""Immutable results of an analysis in several variables, and their JSON contract.

The shape follows :mod:`diffcheck.model.report`: fields hold exact SymPy objects and
become strings only in ``to_dict()``, which *is* the ``--json`` contract (the
one-variable keys, plus ``"variables"`` and ``"parameters"``).  A point is a
tuple of coordinates in the order of ``variables``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import sympy

from diffcheck.model.display import Displayable
from diffcheck.model.report import SCHEMA_VERSION

if TYPE_CHECKING:
    pass


class MultiKind(StrEnum):
    """What happens at a point of R^n; the values are the JSON contract strings."""

    DIFFERENTIABLE = "differentiable"
    KINK = "kink"  # continuous, every directional derivative tried exists, not linear
    DISCONTINUOUS = "discontinuous"  # f(p + v) does not tend to f(p) along some line
    UNDEFINED = "undefined"  # f(p) is not defined
    NOT_DIFFERENTIABLE = "not_differentiable"  # e.g. an infinite or oscillating partial
    UNKNOWN = "unknown"  # the analysis could not decide; `reason` says why


def _s(value: sympy.Basic | None) -> str | None:
    return None if value is None else sympy.sstr(value)


def _vector(values: tuple[sympy.Expr, ...] | None) -> list[str | None] | None:
    return None if values is None else [_s(v) for v in values]


@dataclass(frozen=True, slots=True, kw_only=True)
class Partial:
    """The one-sided partial derivatives of f in one variable at a point.

    They are the one-sided derivatives at t = 0 of the restriction
    t -> f(p + t e_i), computed by the one-variable analysis (``kind`` and
    ``reason`` are its verdict on the restriction); ``exists`` says whether
    the partial derivative exists (fuzzy), ``derivative`` is its value.
    """

    variable: sympy.Symbol
    left: sympy.Expr | None = None
    right: sympy.Expr | None = None
    exists: bool | None = None
    derivative: sympy.Expr | None = None
    kind: str = "unknown"
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "variable": _s(self.variable),
            "left": _s(self.left),
            "right": _s(self.right),
            "exists": self.exists,
            "derivative": _s(self.derivative),
            "kind": self.kind,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Directional:
    """The one-sided directional derivative lim_{t->0+} (f(p + t d) - f(p))/t.

    ``value`` is ``None`` when it does not exist or was not decided (``reason``).
    """

    direction: tuple[sympy.Expr, ...]
    value: sympy.Expr | None = None
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"direction": _vector(self.direction), "value": _s(self.value),
                "reason": self.reason}


@dataclass(frozen=True, slots=True, kw_only=True)
class MultiPointReport(Displayable):
    """The verdict at one point ``at`` of R^n.

    ``directional_formula`` is f'(p; d) as a formula in the direction symbols
    ``d_<variable>`` when it is known (piecewise linear for piecewise smooth
    f).  ``generalized_gradient`` holds the gradients at p of the pieces active
    at p; their convex hull is Clarke's generalized gradient (``None`` when
    f is not piecewise smooth there or the active pieces were not decided).
    """

    at: tuple[sympy.Expr, ...]
    value: sympy.Expr | None = None
    continuous: bool | None = None
    partials: tuple[Partial, ...] = ()
    directional: tuple[Directional, ...] = ()
    directional_formula: sympy.Expr | None = None
    differentiable: bool | None = None
    gradient: tuple[sympy.Expr, ...] | None = None
    generalized_gradient: tuple[tuple[sympy.Expr, ...], ...] | None = None
    kind: MultiKind = MultiKind.UNKNOWN
    reason: str = ""

    @property
    def partials_exist(self) -> bool | None:
        """Whether every partial derivative exists (fuzzy)."""
        verdicts = [p.exists for p in self.partials]
        if False in verdicts:
            return False
        return None if None in verdicts or not verdicts else True

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of this point (exact values as SymPy strings)."""
        return {
            "at": _vector(self.at),
            "value": _s(self.value),
            "continuous": self.continuous,
            "partials": [p.to_dict() for p in self.partials],
            "directional": [d.to_dict() for d in self.directional],
            "directional_formula": _s(self.directional_formula),
            "differentiable": self.differentiable,
            "gradient": _vector(self.gradient),
            "generalized_gradient": None if self.generalized_gradient is None
            else [_vector(g) for g in self.generalized_gradient],
            "kind": str(self.kind),
            "reason": self.reason,
        }



@dataclass(frozen=True, slots=True, kw_only=True)
class NonSmoothPiece:
    """One part of the set where f may fail to be smooth.

    ``relation`` is a SymPy relation in the variables (``Eq(2*w + b, 1)``);
    ``set`` the same as a set of points of R^n; ``source`` the sub-expression
    responsible; ``description`` says it in words.
    """

    relation: sympy.Basic
    set: sympy.Set
    source: sympy.Basic
    description: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": _s(self.set),
            "relation": _s(self.relation),
            "sources": [_s(self.source)],
            "description": self.description,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class MultiAnalysis(Displayable):
    """Everything diffcheck found about one function of several real variables.

    Examples:
        >>> from diffcheck import analyze_multi
        >>> a = analyze_multi("Max(x, y)", vars="x, y", at="x=1, y=1")
        >>> a.points[0].kind.value, a.points[0].generalized_gradient
        ('kink', ((0, 1), (1, 0)))
        >>> [str(p.relation) for p in a.nonsmooth]
        ['Eq(x, y)']
    """

    expression: sympy.Expr
    variables: tuple[sympy.Symbol, ...]
    parameters: tuple[tuple[sympy.Symbol, sympy.Expr], ...] = ()
    points: tuple[MultiPointReport, ...] = ()
    nonsmooth: tuple[NonSmoothPiece, ...] = ()
    differentiable_on: sympy.Set | None = None
    gradient: tuple[sympy.Expr, ...] | None = None
    notes: tuple[str, ...] = ()

    @property
    def domain(self) -> sympy.Set:
        """R^n."""
        return sympy.ProductSet(*([sympy.S.Reals] * len(self.variables)))

    @property
    def nonsmooth_set(self) -> sympy.Set:
        """The union of the non-smooth pieces (empty when there is none)."""
        if not self.nonsmooth:
            return sympy.S.EmptySet
        return sympy.Union(*(p.set for p in self.nonsmooth), evaluate=False) \
            if len(self.nonsmooth) > 1 else self.nonsmooth[0].set

    @property
    def nondifferentiable_points(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        """Points where f is certainly not differentiable."""
        return tuple(p.at for p in self.points if p.differentiable is False)

    @property
    def unknown_points(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        """Points the analysis could not decide."""
        return tuple(p.at for p in self.points if p.differentiable is None)

    @property
    def differentiable_everywhere(self) -> bool | None:
        """Whether f is differentiable on all of R^n (fuzzy)."""
        verdicts = [p.differentiable for p in self.points]
        if False in verdicts:
            return False
        if None in verdicts or self.differentiable_on is None:
            return None
        return True if self.differentiable_on == self.domain else None

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` object: the one-variable keys plus ``variables`` and ``parameters``."""
        return {
            "schema_version": SCHEMA_VERSION,
            "expression": _s(self.expression),
            "variable": None,
            "variables": [_s(v) for v in self.variables],
            "parameters": {_s(k): _s(v) for k, v in self.parameters},
            "domain": _s(self.domain),
            "points": [p.to_dict() for p in self.points],
            "nonsmooth_pieces": [p.to_dict() for p in self.nonsmooth],
            "nonsmooth_set": _s(self.nonsmooth_set),
            "nondifferentiable_points": [_vector(a) for a in self.nondifferentiable_points],
            "unknown_points": [_vector(a) for a in self.unknown_points],
            "differentiable_everywhere": self.differentiable_everywhere,
            "differentiable_on": _s(self.differentiable_on),
            "gradient": _vector(self.gradient),
            "notes": list(self.notes),
        }

