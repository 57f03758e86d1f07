"""Immutable results of an analysis and their JSON contract.

Fields hold exact SymPy objects; they become strings only in ``to_dict()``,
which *is* the ``--json`` contract.  Renderers read these objects and never
change them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import sympy

from diffcheck.model.display import Displayable

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from diffcheck.model.checks import NumericCheck


SCHEMA_VERSION = 3
"""The version of the ``--json`` object (``analysis.schema.json``); it changes whenever
a key is added, renamed or changes meaning.  2: ``schema_version`` itself, and the
several-variable ``nonsmooth_pieces`` and ``gradient`` (were ``candidate_sets`` and
``derivative``, which mean other things for one variable)."""


class Kind(StrEnum):
    """What happens at a point; the values are the JSON contract strings."""

    DIFFERENTIABLE = "differentiable"
    CORNER = "corner"  # continuous, finite one-sided derivatives that differ
    CUSP = "cusp"  # continuous, one-sided derivatives +oo and -oo
    VERTICAL_TANGENT = "vertical_tangent"  # continuous, both derivatives +oo (or both -oo)
    JUMP = "jump"  # one-sided limits of f finite and different
    REMOVABLE = "removable"  # limits agree, f(a) differs or is undefined
    INFINITE = "infinite"  # a one-sided limit of f is infinite
    OSCILLATING = "oscillating"  # a limit (of f or of the quotient) does not exist
    UNDEFINED = "undefined"  # f is not defined at a (or near a)
    ENDPOINT = "endpoint"  # f is defined on one side of a only
    UNKNOWN = "unknown"  # the analysis could not decide; `reason` says why


@functools.lru_cache(maxsize=1024)  # a 1,000-piece Piecewise is the source of 1,000 points
def _s(value: sympy.Basic | None) -> str | None:
    return None if value is None else sympy.sstr(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class PointReport(Displayable):
    """The verdict at one point ``at`` of the real line.

    ``left_*``/``right_*`` are limits as x -> a- / a+; ``None`` means the limit
    does not exist (oscillation), the side lies outside the domain, or f(a) is
    undefined (for the derivatives); infinite limits are ``oo``/``-oo``.
    ``differentiable`` is three-valued: ``None`` when the analysis could not
    decide (``kind`` is then ``unknown`` and ``reason`` says why).
    """

    at: sympy.Expr
    sources: tuple[sympy.Basic, ...] = ()
    value: sympy.Expr | None = None
    left_limit: sympy.Expr | None = None
    right_limit: sympy.Expr | None = None
    continuous: bool | None = None
    left_derivative: sympy.Expr | None = None
    right_derivative: sympy.Expr | None = None
    differentiable: bool | None = None
    derivative: sympy.Expr | None = None
    kind: Kind = Kind.UNKNOWN
    reason: str = ""
    numeric_check: NumericCheck | None = None  # only with analyze(..., verify=True)
    # Depth of the answer (see diffcheck.engine.smoothness): filled by analyze(), left at the
    # defaults for the sampled members of infinite families.
    order: int | None = None
    smoothness: str | None = None
    derivatives: tuple[DerivativeOrder, ...] = ()
    subdifferential: tuple[sympy.Expr, sympy.Expr] | None = None
    kink: str | None = None
    repair: Repair | None = None
    derivation: Derivation | None = None
    # With parameters (see diffcheck.analysis.cases): the answer for each part of the
    # admissible parameter values; empty when the verdict above holds for all of them.
    cases: tuple[Case, ...] = ()
    condition: sympy.Basic | None = None  # when the point exists (1/t: t != 0); None: always

    @property
    def verdict(self) -> str:
        """The verdict in words: the kind (``vertical tangent``), or ``depends`` when the
        answer depends on the parameters (see :attr:`cases`)."""
        return "depends" if self.cases else self.kind.value.replace("_", " ")

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of this point (exact values as SymPy strings)."""
        d = {
            "at": _s(self.at),
            "sources": [_s(s) for s in self.sources],
            "value": _s(self.value),
            "left_limit": _s(self.left_limit),
            "right_limit": _s(self.right_limit),
            "continuous": self.continuous,
            "left_derivative": _s(self.left_derivative),
            "right_derivative": _s(self.right_derivative),
            "differentiable": self.differentiable,
            "derivative": _s(self.derivative),
            "kind": str(self.kind),
            "reason": self.reason,
            "order": self.order,
            "smoothness": self.smoothness,
            "derivatives": [d.to_dict() for d in self.derivatives],
            "subdifferential": (None if self.subdifferential is None
                                else [_s(v) for v in self.subdifferential]),
            "kink": self.kink,
            "repair": None if self.repair is None else self.repair.to_dict(),
        }
        if self.numeric_check is not None:
            d["numeric_check"] = self.numeric_check.to_dict()
        if self.cases:
            d["cases"] = [c.to_dict() for c in self.cases]
        if self.condition is not None:
            d["condition"] = _s(self.condition)
        return d



@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    """The answer at a point for the parameter values that satisfy ``condition``.

    The cases of a point partition the admissible parameter values (where the
    point exists); the other fields mean what they mean on :class:`PointReport`,
    as formulas in the parameters.
    """

    condition: sympy.Basic
    differentiable: bool | None = None
    kind: Kind = Kind.UNKNOWN
    derivative: sympy.Expr | None = None
    left_derivative: sympy.Expr | None = None
    right_derivative: sympy.Expr | None = None
    reason: str = ""
    derivative_continuous: bool | None = None  # where differentiable: is f' continuous at a?

    def to_dict(self) -> dict[str, Any]:
        return {
            "condition": _s(self.condition),
            "differentiable": self.differentiable,
            "kind": str(self.kind),
            "derivative": _s(self.derivative),
            "left_derivative": _s(self.left_derivative),
            "right_derivative": _s(self.right_derivative),
            "reason": self.reason,
            "derivative_continuous": self.derivative_continuous,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ConditionalSet:
    """Where f is differentiable (``set``; ``None``: not decided) when ``condition`` holds."""

    condition: sympy.Basic
    set: sympy.Set | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"condition": _s(self.condition), "set": _s(self.set)}


@dataclass(frozen=True, slots=True, kw_only=True)
class CandidateSet:
    """An infinite family of candidate points (e.g. the integers for ``floor``).

    ``samples`` are members analysed as representatives; ``kind`` is theirs
    when they all agree (else ``unknown``); ``differentiable`` is
    ``False`` when some sampled member is not differentiable, and ``None`` when
    no member could be shown non-differentiable (the family is not cleared by
    sampling alone).
    """

    set: sympy.Set
    sources: tuple[sympy.Basic, ...] = ()
    samples: tuple[PointReport, ...] = ()
    differentiable: bool | None = None
    kind: Kind = Kind.UNKNOWN
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": _s(self.set),
            "sources": [_s(s) for s in self.sources],
            "differentiable": self.differentiable,
            "kind": str(self.kind),
            "reason": self.reason,
            "samples": [p.to_dict() for p in self.samples],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis(Displayable):
    """Everything diffcheck found about one function of one real variable.

    Examples:
        >>> from diffcheck import analyze
        >>> a = analyze("Max(0, x)")
        >>> [str(p.at) for p in a.points], a.points[0].kind.value
        (['0'], 'corner')
        >>> a.differentiable_everywhere
        False
    """

    expression: sympy.Expr
    variable: sympy.Symbol
    domain: sympy.Set = sympy.S.Reals
    points: tuple[PointReport, ...] = ()
    candidate_sets: tuple[CandidateSet, ...] = ()
    differentiable_on: sympy.Set | None = None
    derivative: sympy.Expr | None = None
    notes: tuple[str, ...] = ()
    derivative_piecewise: sympy.Expr | None = None
    derivative_notes: tuple[str, ...] = ()
    order: int = 1
    # With parameters: the --assume relations, and differentiable_on per part of the
    # admissible parameter values when it depends on them (see diffcheck.analysis.cases).
    assumptions: tuple[str, ...] = ()
    differentiable_on_cases: tuple[ConditionalSet, ...] = ()
    derivative_cases: tuple[tuple[sympy.Expr, sympy.Set], ...] = ()
    """``derivative_piecewise`` as (formula, where it holds) pairs, simplified, in order."""

    @property
    def nondifferentiable_points(self) -> tuple[sympy.Expr, ...]:
        """Points where f is certainly not differentiable, sorted."""
        return tuple(p.at for p in self.points if p.differentiable is False)

    @property
    def unknown_points(self) -> tuple[sympy.Expr, ...]:
        """Points the analysis could not decide (a point with ``cases`` is decided per case)."""
        return tuple(p.at for p in self.points if p.differentiable is None and not p.cases)

    @property
    def differentiable_everywhere(self) -> bool | None:
        """Whether f is differentiable at every point of the domain (fuzzy)."""
        verdicts = [p.differentiable for p in self.points]
        verdicts += [c.differentiable for c in self.candidate_sets]
        if False in verdicts:
            return False
        if None in verdicts or self.differentiable_on is None:
            return None
        # Every point and family is cleared: what is still left out is where f is
        # not defined (sqrt(-1 - x**2) is differentiable nowhere, not everywhere).
        return bool(self.differentiable_on == self.domain)

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` object (described by ``analysis.schema.json`` beside this module)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "expression": _s(self.expression),
            "variable": _s(self.variable),
            "domain": _s(self.domain),
            "points": [p.to_dict() for p in self.points],
            "candidate_sets": [c.to_dict() for c in self.candidate_sets],
            "nondifferentiable_points": [_s(a) for a in self.nondifferentiable_points],
            "unknown_points": [_s(a) for a in self.unknown_points],
            "differentiable_everywhere": self.differentiable_everywhere,
            "differentiable_on": ([c.to_dict() for c in self.differentiable_on_cases]
                                  if self.differentiable_on_cases
                                  else _s(self.differentiable_on)),
            "derivative": _s(self.derivative),
            "notes": list(self.notes),
            "order": self.order,
            "derivative_piecewise": _s(self.derivative_piecewise),
            "derivative_notes": list(self.derivative_notes),
            "assumptions": list(self.assumptions),
            "derivative_cases": [{"value": _s(v), "on": _s(on)}
                                 for v, on in self.derivative_cases],
        }

    def plot(self, ax: Axes | Sequence[Axes] | None = None) -> Figure:
        """Draw f with its points and f' with its gaps (needs matplotlib: the ``plot`` extra).

        Args:
            ax: ``None`` for a new two-panel figure, one Axes for f alone, or
                two Axes for f and f'.

        Returns:
            The matplotlib Figure drawn on; see :func:`diffcheck.render.plot.plot`.
        """
        return self._show("plot", ax)  # type: ignore[no-any-return]


# --- depth of the answer: higher orders, repairs, derivations ----------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class DerivativeOrder:
    """Whether the k-th derivative f^(k)(a) exists, by the one-sided definition.

    ``left``/``right`` are the limits of the difference quotient of the glued
    f^(k-1) (its pieces' derivatives on each side, f^(k-1)(a) at a) as
    h -> 0- / 0+; ``value`` is f^(k)(a) when they agree.  ``continuous`` says
    whether f^(k) is continuous at a (the limits of the pieces' k-th
    derivatives from both sides equal f^(k)(a)); ``None`` when not decided or
    not asked (only when f^(k)(a) exists).
    """

    order: int
    left: sympy.Expr | None = None
    right: sympy.Expr | None = None
    differentiable: bool | None = None
    value: sympy.Expr | None = None
    continuous: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "order": self.order,
            "left": _s(self.left),
            "right": _s(self.right),
            "differentiable": self.differentiable,
            "value": _s(self.value),
            "continuous": self.continuous,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Repair:
    """How to redefine f(a) at a removable point so that f becomes continuous there.

    ``value`` is the common one-sided limit; ``left``/``right`` are the
    one-sided derivatives of f with f(a) set to it, and ``derivative`` is the
    derivative when they agree (``differentiable`` is three-valued).
    """

    value: sympy.Expr
    left: sympy.Expr | None = None
    right: sympy.Expr | None = None
    differentiable: bool | None = None
    derivative: sympy.Expr | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": _s(self.value),
            "left_derivative": _s(self.left),
            "right_derivative": _s(self.right),
            "differentiable": self.differentiable,
            "derivative": _s(self.derivative),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One side of the derivation at a point, as the analysis computed it.

    ``piece`` is the branch-free expression equal to f on that side (``None``:
    f is not defined there, or the branch could not be resolved, ``note``
    says why); ``shifted`` is f(a+h) as written, ``substituted`` the piece at
    a+h, ``quotient`` (piece(a+h) - f(a))/h simplified, ``limit`` the
    one-sided limit of f and ``slope`` the limit of the quotient (the
    one-sided derivative the verdict rests on).
    """

    side: int
    piece: sympy.Expr | None = None
    shifted: sympy.Expr | None = None
    substituted: sympy.Expr | None = None
    quotient: sympy.Expr | None = None
    limit: sympy.Expr | None = None
    slope: sympy.Expr | None = None
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Derivation:
    """The derivation at a point: f(a), then each side's :class:`Step`, in terms of ``h``."""

    variable: sympy.Symbol
    at: sympy.Expr
    h: sympy.Symbol
    value: sympy.Expr | None
    left: Step
    right: Step
