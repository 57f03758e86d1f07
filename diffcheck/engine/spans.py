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


def spans_of_condition(c: sympy.Basic, x: sympy.Symbol) -> list[Span] | None:
    """Where a condition holds, as disjoint sorted spans with rational ends (or None)."""
    if c is S.true:
        return [LINE]
    if c is S.false:
        return []
    if isinstance(c, sympy.And):
        out: list[Span] | None = [LINE]
        for arg in c.args:
            part = spans_of_condition(arg, x)
            if part is None or out is None:
                return None
            out = _union([p.meet(q) for p in out for q in part])
        return out
    if isinstance(c, sympy.Or):
        parts: list[Span] = []
        for arg in c.args:
            part = spans_of_condition(arg, x)
            if part is None:
                return None
            parts += part
        return _union(parts)
    if not isinstance(c, sympy.Rel) or c.lhs != x:
        return None
    b = _rational(c.rhs)
    if not isinstance(b, Fraction):
        return None
    if type(c) is Equality:
        return [Span(lo=b, hi=b, lo_closed=True, hi_closed=True)]
    bound = _BOUNDS.get(type(c))
    if bound is None:
        return None
    lower, closed = bound
    if lower:
        return [Span(lo=b, hi=_INF, lo_closed=closed, hi_closed=False)]
    return [Span(lo=-_INF, hi=b, lo_closed=False, hi_closed=closed)]


def _touch(p: Span, q: Span) -> bool:
    """p starts no later than q, and their union is one interval."""
    return p.hi > q.lo or (p.hi == q.lo and (p.hi_closed or q.lo_closed))


def _union(spans: list[Span]) -> list[Span]:
    """The same set as disjoint, non-touching spans sorted along the line."""
    out: list[Span] = []
    for q in sorted((s for s in spans if not s.empty),
                    key=lambda s: (s.lo, not s.lo_closed)):
        if out and _touch(out[-1], q):
            p = out[-1]
            if q.hi > p.hi or (q.hi == p.hi and q.hi_closed):
                out[-1] = Span(lo=p.lo, hi=q.hi, lo_closed=p.lo_closed, hi_closed=q.hi_closed)
        else:
            out.append(q)
    return out


def _minus(p: Span, q: Span) -> list[Span]:
    """p without q: at most two spans."""
    left = p.meet(Span(lo=-_INF, hi=q.lo, lo_closed=False, hi_closed=not q.lo_closed))
    right = p.meet(Span(lo=q.hi, hi=_INF, lo_closed=not q.hi_closed, hi_closed=False))
    return [s for s in (left, right) if not s.empty]


def _to_sympy(spans: list[Span]) -> sympy.Set:
    if len(spans) == 1:
        return spans[0].to_sympy()
    return sympy.Union(*(s.to_sympy() for s in spans))


def case_sets(conditions: list[sympy.Basic], x: sympy.Symbol,
              window: sympy.Set) -> list[sympy.Set | None] | None:
    """For each condition, the set it adds inside the window (None: it adds nothing).

    ``None`` for the whole list when some condition is not a finite union of
    intervals with rational ends (the caller then asks SymPy).

    Examples:
        >>> from sympy import Symbol, Interval
        >>> x = Symbol("x", real=True)
        >>> case_sets([x < 0, (x > 0) & (x < 1), x > 1], x, Interval(-2, 2))
        [Interval.Ropen(-2, 0), Interval.open(0, 1), Interval.Lopen(1, 2)]
        >>> case_sets([x <= -1, x <= 1, sympy.true], x, sympy.S.Reals)
        [Interval(-oo, -1), Interval.Lopen(-1, 1), Interval.open(1, oo)]
    """
    room = span_of_set(window)
    if room is None:
        return None
    taken: list[Span] = []  # disjoint, sorted along the line
    keys: list[End] = []  # their lower ends
    out: list[sympy.Set | None] = []
    for c in conditions:
        found = spans_of_condition(c, x)
        if found is None:
            return None
        where: list[Span] = []
        for span in found:
            pieces = [span.meet(room)]
            # only the taken spans that can meet this one: from the one before it on
            i = max(bisect.bisect_left(keys, span.lo) - 1, 0)
            while i < len(taken) and taken[i].lo <= span.hi:
                pieces = [r for p in pieces for r in _minus(p, taken[i])]
                i += 1
            where += [p for p in pieces if not p.empty]
        where = _union(where)
        if not where:
            out.append(None)
            continue
        for w in where:
            i = bisect.bisect_left(keys, w.lo)
            if (i > 0 and _touch(taken[i - 1], w)) or (i < len(taken) and _touch(w, taken[i])):
                taken = _union([*taken, w])  # joins a neighbour: rebuild (rare)
                keys = [t.lo for t in taken]
            else:
                taken.insert(i, w)
                keys.insert(i, w.lo)
        out.append(_to_sympy(where))
    return out
