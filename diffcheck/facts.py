"""One table of facts per SymPy function class: the only place a function is taught.

Every stage that needs to know how a function behaves reads its row here:

* the parser (:mod:`diffcheck.language.names`) the names a user may type;
* discovery (:mod:`diffcheck.engine.discovery`) where it may switch (``switch``,
  ``at``, ``pole``): the equations whose real solutions are candidate points;
* branch resolution (:mod:`diffcheck.engine.limits`) which branch holds just to one
  side of a point (``side``, ``bounds``, ``pole``), and where the function is
  continuous (``continuous``, ``cut``);
* smoothness (:mod:`diffcheck.engine.smoothness`) where it is real-analytic
  (``entire``, ``analytic``, ``edges``);
* several variables (:mod:`diffcheck.engine.pieces`, :mod:`diffcheck.engine.nonsmooth`)
  whether it selects a piece (``branching``) or is smooth on all of R^n;
* autodiff (:mod:`diffcheck.apps.autodiff`) how to spell it in functions a framework
  has (``spelled``).

Adding a function is one row (plus its tests). The facts are declarative; each
stage interprets them (its own rule for ``Switch.ARGUMENT_AT``, say), so a row
never holds code of a stage. Rows are keyed by class; a subclass without a row of
its own uses the first row it is an instance of (:func:`facts_of`).

This module imports only SymPy (and mpmath, SymPy's own dependency, for interval
enclosures): the language and the engine both read it.

Examples:
    >>> import sympy
    >>> facts_of(sympy.Abs(sympy.Symbol("x"))).switch
    <Switch.ZERO_OF_ARGUMENT: 'zero_of_argument'>
    >>> facts_of(sympy.exp(sympy.Symbol("x"))).entire
    True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sympy
from mpmath import iv
from sympy import S


class Switch(StrEnum):
    """Where a function's value or derivative may break, in terms of its arguments."""

    NONE = "none"  #: nowhere: analytic wherever its arguments are
    ARGUMENTS_EQUAL = "arguments_equal"  #: Max/Min: where two arguments are equal
    ZERO_OF_ARGUMENT = "zero_of_argument"  #: where the first argument vanishes
    CONDITIONS = "conditions"  #: Piecewise: where a condition's sides are equal
    INTEGER = "integer"  #: floor/ceiling/frac: where the argument crosses an integer
    MODULUS = "modulus"  #: Mod(p, q): where p/q crosses an integer, and q = 0
    POWER = "power"  #: u**v: where u = 0 (fractional or negative v), or v = 0 for 0**v
    ARGUMENT_AT = "argument_at"  #: where the argument equals one of ``at``
    POLE = "pole"  #: where ``pole(u)`` vanishes


class Side(StrEnum):
    """How the branch that holds just to one side of a point is chosen."""

    KEEP = "keep"  #: the same function (continuous wherever defined and finite)
    MAX_MIN = "max_min"  #: the argument that wins next to the point
    ABS = "abs"  #: u or -u by the sign of u
    SIGN = "sign"  #: -1, 0 or 1 by the sign of u
    HEAVISIDE = "heaviside"  #: 0, H(0) or 1 by the sign of u
    STEP = "step"  #: floor/ceiling/frac: the integer next to u on that side
    MODULUS = "modulus"  #: p - q*floor(p/q) with the floor taken on that side
    POWER = "power"  #: real powers: the sign of the base decides
    LOG = "log"  #: real only for a positive argument
    INSIDE = "inside"  #: real only for ``bounds[0] <= u <= bounds[1]``
    OUTSIDE = "outside"  #: real only for ``u <= bounds[0]`` or ``u >= bounds[1]``
    POLE = "pole"  #: the side must not sit on a zero of ``pole(u)``
    ACOT = "acot"  #: SymPy's acot(u) = atan(1/u), pi/2 where u vanishes identically
    ATAN2 = "atan2"  #: atan2(y, u): 0 or pi on the cut y = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Facts:
    """What one SymPy function class does, for every stage that needs it.

    Attributes:
        switch: where the function may break (see :class:`Switch`).
        side: how its branch next to a point is chosen (see :class:`Side`).
        at: the argument values of ``Switch.ARGUMENT_AT``.
        bounds: the domain ends of ``Side.INSIDE`` / ``Side.OUTSIDE`` (``None``: none).
        pole: for ``Switch.POLE`` / ``Side.POLE``, the expression in the argument
            whose zeros are the poles (tan: cos).
        entire: real-analytic on all of R (no candidates of its own, ever).
        analytic: real-analytic at every point of its domain where it is finite,
            except where its argument equals one of ``edges``.
        continuous: continuous at every point of its domain where it is finite;
            ``cut`` further restricts this to where ``cut(argument values)`` holds.
        edges: argument values where the real domain ends with a finite value
            (asin at -1 and 1): not analytic there.
        branching: several variables: the function selects a piece (Max, Abs, floor).
        spelled: the same function in terms a framework printer has (sec as 1/cos).
        names: names a user may type for it, beside the ones the parser already knows.
        enclosure: the function on mpmath intervals (``mpmath.iv``), for certified
            roots; None: roots through it are not certified.
        evaluable: the same function in terms SymPy's ``evalf`` evaluates (erfcinv as
            erfinv(1 - u)); None: ``evalf`` handles it as it is.
    """

    switch: Switch = Switch.NONE
    side: Side = Side.KEEP
    at: tuple[int, ...] = ()
    bounds: tuple[int | None, int | None] = (None, None)
    pole: Callable[[sympy.Expr], sympy.Expr] | None = None
    entire: bool = False
    analytic: bool = False
    continuous: bool = False
    cut: Callable[[Sequence[sympy.Expr]], bool] | None = None
    edges: tuple[int, ...] = ()
    branching: bool = False
    spelled: Callable[..., sympy.Expr] | None = None
    names: tuple[str, ...] = ()
    enclosure: Callable[[Any], Any] | None = None
    evaluable: Callable[..., sympy.Expr] | None = None


def _identity(u: sympy.Expr) -> sympy.Expr:
    return u


def _nonzero(c: sympy.Expr) -> bool:
    """Exactly zero is False; proven non-zero (or numerically far from 0) is True."""
    if c == 0:
        return False
    if c.is_zero is False:
        return True
    approx = c.evalf(50)
    return bool(approx.is_comparable and abs(approx) > sympy.Float("1e-40"))


def _heaviside_spelled(u: sympy.Expr, h0: sympy.Expr = S.Half) -> sympy.Expr:
    return sympy.Piecewise((0, u < 0), (h0, sympy.Eq(u, 0)), (1, True))


def _sinh(a: Any) -> Any:
    return (iv.exp(a) - iv.exp(-a)) / 2


def _cosh(a: Any) -> Any:
    return (iv.exp(a) + iv.exp(-a)) / 2


def _tanh(a: Any) -> Any:
    return 1 - 2 / (iv.exp(2 * a) + 1)


_ENTIRE = Facts(entire=True, analytic=True, continuous=True)

#: The table. Add, Mul and Pow are listed because stages ask about them too.
FACTS: Mapping[type[sympy.Basic], Facts] = {
    sympy.Add: _ENTIRE,
    sympy.Mul: _ENTIRE,
    sympy.Pow: Facts(switch=Switch.POWER, side=Side.POWER, analytic=True, continuous=True),
    sympy.Max: Facts(switch=Switch.ARGUMENTS_EQUAL, side=Side.MAX_MIN, branching=True),
    sympy.Min: Facts(switch=Switch.ARGUMENTS_EQUAL, side=Side.MAX_MIN, branching=True),
    sympy.Abs: Facts(switch=Switch.ZERO_OF_ARGUMENT, side=Side.ABS, branching=True),
    sympy.sign: Facts(switch=Switch.ZERO_OF_ARGUMENT, side=Side.SIGN, branching=True),
    sympy.Heaviside: Facts(switch=Switch.ZERO_OF_ARGUMENT, side=Side.HEAVISIDE,
                           spelled=_heaviside_spelled, branching=True),
    sympy.Piecewise: Facts(switch=Switch.CONDITIONS, branching=True),
    sympy.floor: Facts(switch=Switch.INTEGER, side=Side.STEP, branching=True),
    sympy.ceiling: Facts(switch=Switch.INTEGER, side=Side.STEP, branching=True),
    sympy.frac: Facts(switch=Switch.INTEGER, side=Side.STEP, spelled=lambda u: u - sympy.floor(u),
                      branching=True),
    sympy.Mod: Facts(switch=Switch.MODULUS, side=Side.MODULUS, branching=True),
    sympy.exp: Facts(entire=True, analytic=True, continuous=True, enclosure=iv.exp),
    sympy.sin: Facts(entire=True, analytic=True, continuous=True, enclosure=iv.sin),
    sympy.cos: Facts(entire=True, analytic=True, continuous=True, enclosure=iv.cos),
    sympy.atan: _ENTIRE,
    sympy.sinh: Facts(entire=True, analytic=True, continuous=True, enclosure=_sinh),
    sympy.cosh: Facts(entire=True, analytic=True, continuous=True, enclosure=_cosh),
    sympy.tanh: Facts(entire=True, analytic=True, continuous=True, enclosure=_tanh),
    sympy.asinh: _ENTIRE,
    sympy.erf: _ENTIRE,
    sympy.erfc: Facts(entire=True, analytic=True, continuous=True,
                      spelled=lambda u: 1 - sympy.erf(u)),
    sympy.sech: Facts(entire=True, analytic=True, continuous=True,
                      spelled=lambda u: 1 / sympy.cosh(u)),
    # sinc(u) = sin(u)/u, 1 at 0: entire (SymPy's sinc is the unnormalised one).
    sympy.sinc: Facts(entire=True, analytic=True, continuous=True,
                      spelled=lambda u: sympy.Piecewise((sympy.sin(u) / u, sympy.Ne(u, 0)),
                                                        (1, True)),
                      names=("sinc",)),
    sympy.log: Facts(switch=Switch.ZERO_OF_ARGUMENT, side=Side.LOG, analytic=True,
                     continuous=True, enclosure=iv.log),
    sympy.tan: Facts(switch=Switch.POLE, side=Side.POLE, pole=sympy.cos, analytic=True,
                     continuous=True, enclosure=iv.tan),
    sympy.sec: Facts(switch=Switch.POLE, side=Side.POLE, pole=sympy.cos, continuous=True,
                     spelled=lambda u: 1 / sympy.cos(u)),
    sympy.cot: Facts(switch=Switch.POLE, side=Side.POLE, pole=sympy.sin, continuous=True,
                     spelled=lambda u: sympy.cos(u) / sympy.sin(u)),
    sympy.csc: Facts(switch=Switch.POLE, side=Side.POLE, pole=sympy.sin, continuous=True,
                     spelled=lambda u: 1 / sympy.sin(u)),
    sympy.coth: Facts(switch=Switch.ZERO_OF_ARGUMENT, side=Side.POLE, pole=_identity,
                      continuous=True, spelled=lambda u: sympy.cosh(u) / sympy.sinh(u)),
    sympy.csch: Facts(switch=Switch.ZERO_OF_ARGUMENT, side=Side.POLE, pole=_identity,
                      continuous=True, spelled=lambda u: 1 / sympy.sinh(u)),
    sympy.asin: Facts(switch=Switch.ARGUMENT_AT, at=(-1, 1), side=Side.INSIDE, bounds=(-1, 1),
                      analytic=True, continuous=True, edges=(-1, 1)),
    sympy.acos: Facts(switch=Switch.ARGUMENT_AT, at=(-1, 1), side=Side.INSIDE, bounds=(-1, 1),
                      analytic=True, continuous=True, edges=(-1, 1)),
    sympy.atanh: Facts(switch=Switch.ARGUMENT_AT, at=(-1, 1), side=Side.INSIDE, bounds=(-1, 1),
                       continuous=True),
    # erfinv: real on (-1, 1), analytic there, infinite at the ends.
    sympy.erfinv: Facts(switch=Switch.ARGUMENT_AT, at=(-1, 1), side=Side.INSIDE, bounds=(-1, 1),
                        analytic=True, continuous=True, names=("erfinv",)),
    # erfcinv(u) = erfinv(1 - u): real on (0, 2); evalf knows only erfinv.
    sympy.erfcinv: Facts(switch=Switch.ARGUMENT_AT, at=(0, 2), side=Side.INSIDE, bounds=(0, 2),
                         analytic=True, continuous=True, names=("erfcinv",),
                         spelled=lambda u: sympy.erfinv(1 - u),
                         evaluable=lambda u: sympy.erfinv(1 - u)),
    sympy.acoth: Facts(switch=Switch.ARGUMENT_AT, at=(-1, 1), side=Side.OUTSIDE, bounds=(-1, 1),
                       continuous=True, spelled=lambda u: sympy.atanh(1 / u)),
    sympy.asec: Facts(switch=Switch.ARGUMENT_AT, at=(-1, 0, 1), side=Side.OUTSIDE,
                      bounds=(-1, 1), analytic=True, continuous=True, edges=(-1, 1),
                      spelled=lambda u: sympy.acos(1 / u)),
    sympy.acsc: Facts(switch=Switch.ARGUMENT_AT, at=(-1, 0, 1), side=Side.OUTSIDE,
                      bounds=(-1, 1), analytic=True, continuous=True, edges=(-1, 1),
                      spelled=lambda u: sympy.asin(1 / u)),
    sympy.acosh: Facts(switch=Switch.ARGUMENT_AT, at=(1,), side=Side.INSIDE, bounds=(1, None),
                       analytic=True, continuous=True, edges=(1,)),
    # SymPy's acot(u) = atan(1/u) jumps from -pi/2 to pi/2 where u = 0 (acot(0) = pi/2).
    sympy.acot: Facts(switch=Switch.ZERO_OF_ARGUMENT, side=Side.ACOT,
                      cut=lambda args: _nonzero(args[0]), spelled=lambda u: sympy.atan(1 / u)),
    # atan2(y, u) jumps by 2*pi across its cut y = 0, u < 0, and is undefined at (0, 0).
    sympy.atan2: Facts(switch=Switch.ZERO_OF_ARGUMENT, side=Side.ATAN2,
                       cut=lambda args: _nonzero(args[0]) or bool(args[1].is_positive)),
}


def facts_of(e: sympy.Basic) -> Facts | None:
    """The row of ``e``'s class, or of the first class it is an instance of (None: no row)."""
    row = FACTS.get(type(e))
    if row is None:
        row = next((f for cls, f in FACTS.items() if isinstance(e, cls)), None)
    return row


def row(e: sympy.Basic) -> Facts:
    """The row of ``e`` (see :func:`facts_of`); a stage asks only for rows it was given."""
    found = facts_of(e)
    if found is None:
        raise LookupError(f"no facts about {type(e).__name__}")
    return found


def pole_of(e: sympy.Basic) -> Callable[[sympy.Expr], sympy.Expr]:
    """The pole expression of a ``Switch.POLE`` / ``Side.POLE`` row."""
    pole = row(e).pole
    if pole is None:
        raise LookupError(f"{type(e).__name__} has no poles in the facts table")
    return pole


def classes(predicate: Callable[[Facts], bool]) -> tuple[type[sympy.Basic], ...]:
    """The classes whose facts satisfy ``predicate``, in table order (for ``isinstance``)."""
    return tuple(cls for cls, f in FACTS.items() if predicate(f))


#: Real-analytic on all of R.
ENTIRE: tuple[type[sympy.Basic], ...] = classes(lambda f: f.entire)
#: Several variables: functions that select a piece.
BRANCHING: tuple[type[sympy.Basic], ...] = classes(lambda f: f.branching)
#: Functions whose branch is chosen by the sign of an argument (or of a difference of two).
SIGNED: tuple[type[sympy.Basic], ...] = classes(
    lambda f: f.side in (Side.MAX_MIN, Side.ABS, Side.SIGN, Side.HEAVISIDE))
