"""The sets of a piecewise f' whose conditions are rational intervals, in exact arithmetic.

:func:`diffcheck.analysis.single` gives each formula of the Piecewise f' the
set it adds to the formulas before it, inside the window.  Asked of SymPy
(``condition.as_set().intersect(window) - taken``, ``taken | where``) that is
quadratic in the number of pieces, and a ReLU network of N kinks has N + 1
pieces.  The pieces diffcheck writes have conditions ``x < b``, ``x >= a``,
``(x > a) & (x <= b)``, ``Eq(x, a)`` or ``True`` with rational a, b: here
they are read as intervals of :class:`fractions.Fraction` ends, intersected
with the window, and checked to be disjoint from the ones before them (then
the set each adds is its own interval).  Anything else -- another condition,
an irrational end, an overlap -- returns ``None`` and the caller asks SymPy;
tests check both ways give the same sets.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from fractions import Fraction

import sympy
from sympy import S
from sympy.core.relational import (
    Equality,
    GreaterThan,
    LessThan,
    StrictGreaterThan,
    StrictLessThan,
)

_INF = float("inf")
End = Fraction | float
"""A rational end, or +-inf."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """An interval of the line: its ends and whether each end belongs to it."""

    lo: End
    hi: End
    lo_closed: bool
    hi_closed: bool

    @property
    def empty(self) -> bool:
        return self.lo > self.hi or (self.lo == self.hi and not (self.lo_closed and self.hi_closed))

    def meet(self, other: Span) -> Span:
        """The intersection of two intervals."""
        if self.lo > other.lo or (self.lo == other.lo and not self.lo_closed):
            lo, lo_closed = self.lo, self.lo_closed
        else:
            lo, lo_closed = other.lo, other.lo_closed
        if self.hi < other.hi or (self.hi == other.hi and not self.hi_closed):
            hi, hi_closed = self.hi, self.hi_closed
        else:
            hi, hi_closed = other.hi, other.hi_closed
        return Span(lo=lo, hi=hi, lo_closed=lo_closed, hi_closed=hi_closed)

    def to_sympy(self) -> sympy.Set:
        """The same set as SymPy writes it (``Interval(a, a)`` is ``{a}``)."""
        return sympy.Interval(_sympy_end(self.lo), _sympy_end(self.hi), not self.lo_closed,
                              not self.hi_closed)


LINE = Span(lo=-_INF, hi=_INF, lo_closed=False, hi_closed=False)


def _sympy_end(v: End) -> sympy.Expr:
    if isinstance(v, float):
        return S.Infinity if v > 0 else S.NegativeInfinity
    return sympy.Rational(v.numerator, v.denominator)


def _rational(v: sympy.Basic) -> End | None:
    if isinstance(v, sympy.Rational):
        return Fraction(int(v.p), int(v.q))
    if v is S.Infinity:
        return _INF
    if v is S.NegativeInfinity:
        return -_INF
    return None


def span_of_set(window: sympy.Set) -> Span | None:
    """The window as a Span (``None``: not an interval with rational or infinite ends)."""
    if window == S.Reals:
        return LINE
    if not isinstance(window, sympy.Interval):
        return None
    lo, hi = _rational(window.start), _rational(window.end)
    if lo is None or hi is None:
        return None
    return Span(lo=lo, hi=hi, lo_closed=not window.left_open, hi_closed=not window.right_open)


_BOUNDS = {StrictGreaterThan: (True, False), GreaterThan: (True, True),
           StrictLessThan: (False, False), LessThan: (False, True)}
"""Relation of ``x`` to a bound: (is it a lower bound, is the bound in the set)."""


def span_of_condition(c: sympy.Basic, x: sympy.Symbol) -> Span | None:
    """The set where a condition holds, when it is an interval with rational ends."""
    if c is S.true:
        return LINE
    if isinstance(c, sympy.And):
        out = LINE
        for arg in c.args:
            part = span_of_condition(arg, x)
            if part is None or isinstance(arg, sympy.And):
                return None
            out = out.meet(part)
        return out
    if not isinstance(c, sympy.Rel) or c.lhs != x:
        return None
    b = _rational(c.rhs)
    if not isinstance(b, Fraction):
        return None
    if type(c) is Equality:
        return Span(lo=b, hi=b, lo_closed=True, hi_closed=True)
    bound = _BOUNDS.get(type(c))
    if bound is None:
        return None
    lower, closed = bound
    if lower:
        return Span(lo=b, hi=_INF, lo_closed=closed, hi_closed=False)
    return Span(lo=-_INF, hi=b, lo_closed=False, hi_closed=closed)


def _disjoint(p: Span, q: Span) -> bool:
    if p.hi < q.lo or q.hi < p.lo:
        return True
    if p.hi == q.lo:
        return not (p.hi_closed and q.lo_closed)
    if q.hi == p.lo:
        return not (q.hi_closed and p.lo_closed)
    return False


def case_sets(conditions: list[sympy.Basic], x: sympy.Symbol,
              window: sympy.Set) -> list[sympy.Set | None] | None:
    """For each condition, the set it adds inside the window (None: it adds nothing).

    ``None`` for the whole list when some condition is not a rational interval
    or overlaps an earlier one (the caller then asks SymPy).

    Examples:
        >>> from sympy import Symbol, Interval
        >>> x = Symbol("x", real=True)
        >>> case_sets([x < 0, (x > 0) & (x < 1), x > 1], x, Interval(-2, 2))
        [Interval.Ropen(-2, 0), Interval.open(0, 1), Interval.Lopen(1, 2)]
        >>> case_sets([x < 0, x < 1], x, Interval(-2, 2)) is None
        True
    """
    room = span_of_set(window)
    if room is None:
        return None
    taken: list[Span] = []  # disjoint, sorted by their lower ends
    keys: list[End] = []
    out: list[sympy.Set | None] = []
    for c in conditions:
        span = span_of_condition(c, x)
        if span is None:
            return None
        span = span.meet(room)
        if span.empty:
            out.append(None)
            continue
        i = bisect.bisect_left(keys, span.lo)
        if not all(_disjoint(span, taken[j]) for j in (i - 1, i, i + 1)
                   if 0 <= j < len(taken)):
            return None
        taken.insert(i, span)
        keys.insert(i, span.lo)
        out.append(span.to_sympy())
    return out
