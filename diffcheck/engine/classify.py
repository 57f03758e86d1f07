"""Pure classification: (f(a), one-sided limits, one-sided derivatives) -> verdict.

The rule throughout: a "not differentiable" follows as soon as one piece of
certain evidence shows it (a side outside the domain, an infinite or missing
limit, different one-sided values); "differentiable" needs every piece to be
known.  Anything the analysis could not decide makes the verdict ``unknown``
unless certain evidence already settles it.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    a = _s(at)
    base = {
        "at": at,
        "sources": sources,
        "value": value,
        "left_limit": left.limit if left.defined else None,
        "right_limit": right.limit if right.defined else None,
        "left_derivative": left.derivative if left.defined and value is not None else None,
        "right_derivative": right.derivative if right.defined and value is not None else None,
    }

    def report(kind: Kind, reason: str, *, continuous: bool | None,
               differentiable: bool | None, derivative: sympy.Expr | None = None) -> PointReport:
        return PointReport(**base, kind=kind, reason=reason, continuous=continuous,
                           differentiable=differentiable, derivative=derivative)

    sides = (left, right)
    unknown_side = next((s for s in sides if s.defined is None), None)
    defined = [s for s in sides if s.defined]

    # --- f is defined on neither side ------------------------------------------------
    if not defined:
        if unknown_side is not None:
            return report(Kind.UNKNOWN, unknown_side.note, continuous=None, differentiable=None)
        if value is None:
            return report(Kind.UNDEFINED, f"f is not defined at {a} nor on either side of it",
                          continuous=False, differentiable=False)
        return report(Kind.UNDEFINED, f"f({a}) = {_s(value)} but f is not defined on either "
                      f"side of {a} (an isolated point)", continuous=None, differentiable=False)

    # --- limits of f: certain evidence of discontinuity first --------------------------
    for s in defined:
        if s.limit_exists and _infinite(s.limit):
            why = f"f -> {_s(s.limit)} as x -> {a}{s.arrow}"
            if value is None:
                why = f"f({a}) is undefined and {why}"
            return report(Kind.INFINITE, why, continuous=False, differentiable=False)
    for s in defined:
        if s.limit_exists is False:
            return report(Kind.OSCILLATING, f"f has no limit as x -> {a}{s.arrow} (it oscillates)",
                          continuous=False, differentiable=False)
    same: bool | None = None
    if len(defined) == 2 and all(s.limit_exists for s in defined):
        same = _equal(left.limit, right.limit)
        if same is False:
            return report(Kind.JUMP, f"left limit {_s(left.limit)} differs from right limit "
                          f"{_s(right.limit)}", continuous=False, differentiable=False)
    if value is None:
        if len(defined) == 2 and all(s.limit_exists for s in defined) and same:
            return report(Kind.REMOVABLE, f"f({a}) is undefined but both one-sided limits are "
                          f"{_s(left.limit)}", continuous=False, differentiable=False)
        only = defined[0]
        where = ""
        if len(defined) == 1:
            where = (f"; f is defined only to the {only.name} of {a}" if unknown_side is None
                     else f"; f is defined to the {only.name} of {a}, the other side is "
                     f"undecided ({_note(sides, 'not decided')})")
        if len(defined) == 1 and only.limit_exists:
            where += f", with limit {_s(only.limit)}"
        return report(Kind.UNDEFINED, f"f is not defined at {a}{where}",
                      continuous=False, differentiable=False)
    for s in defined:
        if s.limit_exists:
            eq = _equal(s.limit, value)
            if eq is False:
                # Removable only when every limit is known and they agree; with the
                # other side open (a budget ran out) f is certainly discontinuous, but
                # the kind (jump, removable, infinite) is not known.
                if unknown_side is not None or (len(defined) == 2 and same is not True):
                    return report(Kind.UNKNOWN, f"not differentiable: the {s.name} limit "
                                  f"{_s(s.limit)} differs from f({a}) = {_s(value)}, so f is "
                                  f"not continuous at {a}; the kind is open because "
                                  f"{_note(sides, 'the other one-sided limit is undecided')}",
                                  continuous=False, differentiable=False)
                other = ("both one-sided limits are" if len(defined) == 2
                         else f"the {s.name} limit is")
                return report(Kind.REMOVABLE, f"{other} {_s(s.limit)} but f({a}) = {_s(value)}",
                              continuous=False, differentiable=False)
            if eq is None:
                return report(Kind.UNKNOWN, f"cannot decide whether {_s(s.limit)} equals f({a}) = "
                              f"{_s(value)}", continuous=None, differentiable=None)
    if len(defined) == 1 and unknown_side is None:
        s = defined[0]
        slope = _s(s.derivative) if s.derivative_exists else (
            "does not exist" if s.derivative_exists is False else "undecided")
        return report(Kind.ENDPOINT, f"f is defined only to the {s.name} of {a}; "
                      f"{s.name} derivative {slope}", continuous=s.limit_exists or None,
                      differentiable=False)
    if unknown_side is not None or not all(s.limit_exists for s in defined):
        return report(Kind.UNKNOWN, _note(sides, "a one-sided limit of f could not be decided"),
                      continuous=None, differentiable=None)

    # --- f is continuous at a ----------------------------------------------------------
    for s in sides:
        if s.derivative_exists is False:
            return report(Kind.OSCILLATING, f"the {s.name} difference quotient has no limit "
                          f"as h -> 0{s.arrow} (it oscillates)", continuous=True,
                          differentiable=False)
    dl, dr = left.derivative, right.derivative
    if left.derivative_exists and right.derivative_exists:
        assert dl is not None
        assert dr is not None
        if _infinite(dl) and _infinite(dr):
            if dl == dr:
                return report(Kind.VERTICAL_TANGENT, f"both one-sided derivatives are {_s(dl)} "
                              "(vertical tangent)", continuous=True, differentiable=False)
            return report(Kind.CUSP, f"left derivative {_s(dl)} and right derivative {_s(dr)} "
                          "have opposite signs (cusp)", continuous=True, differentiable=False)
        if _infinite(dl) or _infinite(dr):
            return report(Kind.CORNER, f"left derivative {_s(dl)} differs from right derivative "
                          f"{_s(dr)} (a vertical half-tangent)", continuous=True,
                          differentiable=False)
        same = _equal(dl, dr)
        if same:
            return report(Kind.DIFFERENTIABLE, f"both one-sided derivatives equal {_s(dl)}",
                          continuous=True, differentiable=True, derivative=dl)
        if same is False:
            return report(Kind.CORNER, f"left derivative {_s(dl)} differs from right derivative "
                          f"{_s(dr)}", continuous=True, differentiable=False)
        return report(Kind.UNKNOWN, f"cannot decide whether {_s(dl)} equals {_s(dr)}",
                      continuous=True, differentiable=None)
    # One derivative undecided: an infinite other one still rules differentiability out.
    infinite = next((s for s in sides if s.derivative_exists and _infinite(s.derivative)), None)
    note = _note(sides, "a one-sided derivative could not be decided")
    if infinite is not None:
        return report(Kind.UNKNOWN, f"not differentiable: the {infinite.name} derivative is "
                      f"{_s(infinite.derivative)}; the kind is open because {note}",
                      continuous=True, differentiable=False)
    return report(Kind.UNKNOWN, note, continuous=True, differentiable=None)


def _note(sides: tuple[Side, Side], default: str) -> str:
    return next((s.note for s in sides if s.note), default)

