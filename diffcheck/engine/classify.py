"""Pure classification: (f(a), one-sided limits, one-sided derivatives) -> verdict.

The rule throughout: a "not differentiable" follows as soon as one piece of
certain evidence shows it (a side outside the domain, an infinite or missing
limit, different one-sided values); "differentiable" needs every piece to be
known.  Anything the analysis could not decide makes the verdict ``unknown``
unless certain evidence already settles it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import sympy
from sympy import S

from diffcheck.engine.limits import Undecided, is_zero
from diffcheck.model.report import Kind, PointReport


@dataclass(frozen=True, slots=True, kw_only=True)
class Side:
    """What happens on one side of a (side = -1 left, +1 right).

    ``defined``: f is real on the punctured one-sided neighbourhood (``None``:
    unknown).  ``limit``/``derivative``: exact value or +-oo; ``None`` with
    ``*_exists=False`` means there is no limit, with ``*_exists=None`` that the
    analysis could not decide (``note`` says why).
    """

    side: int
    defined: bool | None
    limit: sympy.Expr | None = None
    limit_exists: bool | None = None
    derivative: sympy.Expr | None = None
    derivative_exists: bool | None = None
    note: str = ""
    piece: sympy.Expr | None = None  # the branch-free expression equal to f on this side

    @property
    def name(self) -> str:
        return "left" if self.side < 0 else "right"

    @property
    def arrow(self) -> str:
        return "-" if self.side < 0 else "+"


def _s(e: sympy.Basic | None) -> str:
    return "undefined" if e is None else sympy.sstr(e)


def _infinite(e: sympy.Expr | None) -> bool:
    return e in (S.Infinity, S.NegativeInfinity)


def _equal(p: sympy.Expr, q: sympy.Expr) -> bool | None:
    if _infinite(p) or _infinite(q):
        return bool(p == q)
    try:
        return is_zero(p - q)
    except Undecided:
        return None


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a rule decides: the kind, its one-line reason and what it implies."""

    kind: Kind
    reason: str
    continuous: bool | None
    differentiable: bool | None
    derivative: sympy.Expr | None = None


@dataclass(frozen=True)
class Facts:
    """Everything the rules read about a point: f(a) and the two sides."""

    at: sympy.Expr
    value: sympy.Expr | None
    left: Side
    right: Side

    @property
    def a(self) -> str:
        return _s(self.at)

    @property
    def sides(self) -> tuple[Side, Side]:
        return (self.left, self.right)

    @property
    def defined(self) -> list[Side]:
        """The sides on which f is certainly defined."""
        return [s for s in self.sides if s.defined]

    @property
    def unknown_side(self) -> Side | None:
        """A side on which it is not known whether f is defined."""
        return next((s for s in self.sides if s.defined is None), None)

    @property
    def both_limits(self) -> bool:
        """f is defined on both sides and both one-sided limits exist."""
        return len(self.defined) == 2 and all(s.limit_exists for s in self.defined)

    @cached_property
    def same_limits(self) -> bool | None:
        """Whether the two one-sided limits are equal (None: not both known, or undecided)."""
        return _equal(self.left.limit, self.right.limit) if self.both_limits else None

    def note(self, default: str) -> str:
        return next((s.note for s in self.sides if s.note), default)


Rule = Callable[[Facts], "Verdict | None"]


# --- f is defined on neither side ----------------------------------------------------

def nowhere_defined(f: Facts) -> Verdict | None:
    """No side where f is defined: undefined (isolated point), or unknown."""
    if f.defined:
        return None
    if f.unknown_side is not None:
        return Verdict(Kind.UNKNOWN, f.unknown_side.note, None, None)
    if f.value is None:
        return Verdict(Kind.UNDEFINED, f"f is not defined at {f.a} nor on either side of it",
                       False, False)
    return Verdict(Kind.UNDEFINED, f"f({f.a}) = {_s(f.value)} but f is not defined on either "
                   f"side of {f.a} (an isolated point)", None, False)


# --- limits of f: certain evidence of discontinuity first ----------------------------

def infinite_limit(f: Facts) -> Verdict | None:
    """f tends to ±oo on a side."""
    for s in f.defined:
        if s.limit_exists and _infinite(s.limit):
            why = f"f -> {_s(s.limit)} as x -> {f.a}{s.arrow}"
            if f.value is None:
                why = f"f({f.a}) is undefined and {why}"
            return Verdict(Kind.INFINITE, why, False, False)
    return None


def no_limit(f: Facts) -> Verdict | None:
    """f has no one-sided limit (proven, not merely undecided)."""
    for s in f.defined:
        if s.limit_exists is False:
            return Verdict(Kind.OSCILLATING, f"f has no limit as x -> {f.a}{s.arrow} "
                           "(it oscillates)", False, False)
    return None


def jump(f: Facts) -> Verdict | None:
    """Both one-sided limits exist and differ."""
    if f.same_limits is False:
        return Verdict(Kind.JUMP, f"left limit {_s(f.left.limit)} differs from right limit "
                       f"{_s(f.right.limit)}", False, False)
    return None


def undefined_at(f: Facts) -> Verdict | None:
    """f(a) does not exist: removable when both limits agree, else undefined."""
    if f.value is not None:
        return None
    if f.both_limits and f.same_limits:
        return Verdict(Kind.REMOVABLE, f"f({f.a}) is undefined but both one-sided limits are "
                       f"{_s(f.left.limit)}", False, False)
    only = f.defined[0]
    where = ""
    if len(f.defined) == 1:
        where = (f"; f is defined only to the {only.name} of {f.a}" if f.unknown_side is None
                 else f"; f is defined to the {only.name} of {f.a}, the other side is "
                 f"undecided ({f.note('not decided')})")
    if len(f.defined) == 1 and only.limit_exists:
        where += f", with limit {_s(only.limit)}"
    return Verdict(Kind.UNDEFINED, f"f is not defined at {f.a}{where}", False, False)


def limit_differs_from_value(f: Facts) -> Verdict | None:
    """A one-sided limit differs from f(a) (removable), or that cannot be decided."""
    assert f.value is not None  # undefined_at came first
    for s in f.defined:
        if not s.limit_exists:
            continue
        assert s.limit is not None
        eq = _equal(s.limit, f.value)
        if eq is False:
            # Removable only when every limit is known and they agree; with the other
            # side open (a budget ran out) f is certainly discontinuous, but the kind
            # (jump, removable, infinite) is not known.
            if f.unknown_side is not None or (len(f.defined) == 2 and f.same_limits is not True):
                return Verdict(Kind.UNKNOWN, f"not differentiable: the {s.name} limit "
                               f"{_s(s.limit)} differs from f({f.a}) = {_s(f.value)}, so f is "
                               f"not continuous at {f.a}; the kind is open because "
                               f"{f.note('the other one-sided limit is undecided')}",
                               False, False)
            other = ("both one-sided limits are" if len(f.defined) == 2
                     else f"the {s.name} limit is")
            return Verdict(Kind.REMOVABLE, f"{other} {_s(s.limit)} but f({f.a}) = {_s(f.value)}",
                           False, False)
        if eq is None:
            return Verdict(Kind.UNKNOWN, f"cannot decide whether {_s(s.limit)} equals "
                           f"f({f.a}) = {_s(f.value)}", None, None)
    return None


def endpoint(f: Facts) -> Verdict | None:
    """f is defined at a and on one side only."""
    if len(f.defined) != 1 or f.unknown_side is not None:
        return None
    s = f.defined[0]
    slope = _s(s.derivative) if s.derivative_exists else (
        "does not exist" if s.derivative_exists is False else "undecided")
    return Verdict(Kind.ENDPOINT, f"f is defined only to the {s.name} of {f.a}; "
                   f"{s.name} derivative {slope}", s.limit_exists or None, False)


def limit_undecided(f: Facts) -> Verdict | None:
    """A side or a one-sided limit of f could not be decided."""
    if f.unknown_side is not None or not all(s.limit_exists for s in f.defined):
        return Verdict(Kind.UNKNOWN, f.note("a one-sided limit of f could not be decided"),
                       None, None)
    return None


# --- f is continuous at a ------------------------------------------------------------

def quotient_oscillates(f: Facts) -> Verdict | None:
    """A one-sided difference quotient has no limit (proven)."""
    for s in f.sides:
        if s.derivative_exists is False:
            return Verdict(Kind.OSCILLATING, f"the {s.name} difference quotient has no limit "
                           f"as h -> 0{s.arrow} (it oscillates)", True, False)
    return None


def both_slopes(f: Facts) -> Verdict | None:
    """Both one-sided derivatives are known: compare them."""
    dl, dr = f.left.derivative, f.right.derivative
    if not (f.left.derivative_exists and f.right.derivative_exists):
        return None
    assert dl is not None
    assert dr is not None
    if _infinite(dl) and _infinite(dr):
        if dl == dr:
            return Verdict(Kind.VERTICAL_TANGENT, f"both one-sided derivatives are {_s(dl)} "
                           "(vertical tangent)", True, False)
        return Verdict(Kind.CUSP, f"left derivative {_s(dl)} and right derivative {_s(dr)} "
                       "have opposite signs (cusp)", True, False)
    if _infinite(dl) or _infinite(dr):
        return Verdict(Kind.CORNER, f"left derivative {_s(dl)} differs from right derivative "
                       f"{_s(dr)} (a vertical half-tangent)", True, False)
    same = _equal(dl, dr)
    if same:
        return Verdict(Kind.DIFFERENTIABLE, f"both one-sided derivatives equal {_s(dl)}",
                       True, True, dl)
    if same is False:
        return Verdict(Kind.CORNER, f"left derivative {_s(dl)} differs from right derivative "
                       f"{_s(dr)}", True, False)
    return Verdict(Kind.UNKNOWN, f"cannot decide whether {_s(dl)} equals {_s(dr)}", True, None)


def slope_undecided(f: Facts) -> Verdict:
    """A one-sided derivative is undecided; an infinite other one still rules
    differentiability out."""
    infinite = next((s for s in f.sides if s.derivative_exists and _infinite(s.derivative)),
                    None)
    note = f.note("a one-sided derivative could not be decided")
    if infinite is not None:
        return Verdict(Kind.UNKNOWN, f"not differentiable: the {infinite.name} derivative is "
                       f"{_s(infinite.derivative)}; the kind is open because {note}",
                       True, False)
    return Verdict(Kind.UNKNOWN, note, True, None)


RULES: tuple[Rule, ...] = (
    nowhere_defined, infinite_limit, no_limit, jump, undefined_at, limit_differs_from_value,
    endpoint, limit_undecided, quotient_oscillates, both_slopes, slope_undecided,
)
"""The rules in order: the first that decides gives the verdict.  "Not differentiable"
comes from the first piece of certain evidence; "differentiable" only from
:func:`both_slopes`, after every earlier rule found f continuous at a."""


def verdict(facts: Facts) -> Verdict:
    """The verdict of the first rule that decides (the last one always does)."""
    for rule in RULES:
        found = rule(facts)
        if found is not None:
            return found
    raise AssertionError("slope_undecided always decides")  # pragma: no cover


def classify(
    at: sympy.Expr,
    value: sympy.Expr | None,
    left: Side,
    right: Side,
    sources: tuple[sympy.Basic, ...] = (),
) -> PointReport:
    """Turn the one-sided facts at ``at`` into a :class:`PointReport`.

    Examples:
        >>> from sympy import Integer
        >>> l = Side(side=-1, defined=True, limit=Integer(0), limit_exists=True,
        ...          derivative=Integer(0), derivative_exists=True)
        >>> r = Side(side=1, defined=True, limit=Integer(0), limit_exists=True,
        ...          derivative=Integer(1), derivative_exists=True)
        >>> p = classify(Integer(0), Integer(0), l, r)
        >>> p.kind.value, p.reason
        ('corner', 'left derivative 0 differs from right derivative 1')
    """
    found = verdict(Facts(at, value, left, right))
    return PointReport(
        at=at,
        sources=sources,
        value=value,
        left_limit=left.limit if left.defined else None,
        right_limit=right.limit if right.defined else None,
        left_derivative=left.derivative if left.defined and value is not None else None,
        right_derivative=right.derivative if right.defined and value is not None else None,
        kind=found.kind,
        reason=found.reason,
        continuous=found.continuous,
        differentiable=found.differentiable,
        derivative=found.derivative,
    )
