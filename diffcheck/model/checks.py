"""The numeric cross-check of a point (``--verify``): what the quotients did on each side.

:mod:`diffcheck.analysis.verify` computes these; the renderers show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sympy


class Numeric(StrEnum):
    """What the quotients of one side do as h shrinks; the values are the JSON strings."""

    CONVERGES = "converges"  # the last quotients agree to CONVERGED
    DIVERGES = "diverges"  # they grow monotonically, by orders of magnitude, with one sign
    OSCILLATES = "oscillates"  # they change direction again and again without settling
    UNSETTLED = "unsettled"  # none of the above (slow convergence or growth)
    UNDEFINED = "undefined"  # f(a) or f(a + s*h) is not a real number
    NOT_EVALUATED = "not_evaluated"  # a non-numeric point, parameters, or out of time


@dataclass(frozen=True, slots=True, kw_only=True)
class SideCheck:
    """The numeric evidence on one side (side = -1: h -> 0-, +1: h -> 0+).

    ``steps`` pairs each step size |h| (exact) with the quotient evaluated to
    :data:`DIGITS` digits (``None``: not a real number there).  ``limit`` is
    the converged value or +-oo; ``symbolic`` what it was compared with;
    ``agrees`` is ``None`` when there was nothing to compare.
    """

    side: int
    steps: tuple[tuple[sympy.Rational, sympy.Float | None], ...] = ()
    verdict: Numeric = Numeric.NOT_EVALUATED
    limit: sympy.Expr | None = None
    symbolic: sympy.Expr | None = None
    agrees: bool | None = None
    note: str = ""

    @property
    def name(self) -> str:
        return "left" if self.side < 0 else "right"

    def describe(self) -> str:
        """The numeric answer in words, e.g. ``converge to 1.0`` or ``diverge to -oo``."""
        if self.verdict is Numeric.CONVERGES:
            return f"converge to {_short(self.limit)}"
        if self.verdict is Numeric.DIVERGES:
            return f"diverge to {self.limit}"
        last = next((q for _h, q in reversed(self.steps) if q is not None), None)
        at = "" if last is None else f" (at h = {step_text(self.steps[-1][0])}: {_short(last)})"
        words = {Numeric.OSCILLATES: "oscillate", Numeric.UNSETTLED: "do not settle",
                 Numeric.UNDEFINED: "are undefined", Numeric.NOT_EVALUATED: "were not evaluated"}
        return words[self.verdict] + at

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": str(self.verdict),
            "limit": None if self.limit is None else _short(self.limit),
            "symbolic": None if self.symbolic is None else sympy.sstr(self.symbolic),
            "agrees": self.agrees,
            "note": self.note,
            "steps": [{"h": step_text(h), "quotient": None if q is None else _short(q)}
                      for h, q in self.steps],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class NumericCheck:
    """The numeric cross-check of one point: f(a) and both sides.

    ``agrees`` is ``False`` when the numbers contradict the symbolic verdict
    (which is then downgraded to ``unknown``), ``True`` when every symbolic
    answer was checked and confirmed, ``None`` when something could not be
    compared; ``reason`` says which.
    """

    value: sympy.Float | None = None
    left: SideCheck
    right: SideCheck
    agrees: bool | None = None
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The ``"numeric_check"`` object of a point in the JSON."""
        return {
            "value": None if self.value is None else _short(self.value),
            "agrees": self.agrees,
            "reason": self.reason,
            "left": self.left.to_dict(),
            "right": self.right.to_dict(),
        }


def step_text(h: sympy.Rational) -> str:
    """A step size as ``7e-9``.

    Examples:
        >>> import sympy
        >>> step_text(sympy.Rational(7, 10**9)), step_text(sympy.Rational(7, 10**31))
        ('7e-9', '7e-31')
    """
    mantissa, exponent = f"{float(h):.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _short(v: sympy.Expr | None) -> str:
    if v is None:
        return "undefined"
    if v.is_infinite:
        return sympy.sstr(v)
    return sympy.sstr(sympy.Float(v, 12))
