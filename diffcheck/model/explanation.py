"""An explanation: the derivation at each point, as lines of prose and mathematics.

A line is a tuple of tokens: ``str`` (prose), a SymPy object (mathematics),
:class:`Quotient` ((A - B)/h), :class:`Lim` (a one-sided limit) or a
:class:`Rel` (=, ≠, →).  :mod:`diffcheck.analysis.explain` builds them from the
:class:`~diffcheck.model.report.Derivation` each point recorded; renderers (rich
text, Markdown, LaTeX) only choose how each token looks.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import sympy

from diffcheck.model.report import Analysis, PointReport


class Rel(StrEnum):
    """A relation between two pieces of mathematics."""

    EQ = "="
    NE = "≠"


@dataclass(frozen=True, slots=True)
class Quotient:
    """The difference quotient (minuend - subtrahend)/h."""

    minuend: sympy.Basic
    subtrahend: sympy.Basic
    h: sympy.Basic


@dataclass(frozen=True, slots=True)
class Definition:
    """The difference quotient as defined, (f(a + h) - f(a))/h."""

    at: sympy.Basic
    h: sympy.Basic


@dataclass(frozen=True, slots=True)
class Lim:
    """lim of ``expr`` as ``var`` -> ``at`` from the side (-1 left, +1 right)."""

    expr: sympy.Basic | Quotient
    var: sympy.Basic
    at: sympy.Basic
    side: int


Token = str | sympy.Basic | Quotient | Definition | Lim | Rel
Line = tuple[Token, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Explanation:
    """An analysis with the derivation of each of its points (``--explain``)."""

    analysis: Analysis
    points: tuple[tuple[PointReport, tuple[Line, ...]], ...]
