"""One-sided behaviour of f near a point: branch resolution and limits.

This is the only module (with :mod:`diffcheck.budget`) that catches SymPy's
exceptions: whatever SymPy cannot decide becomes :class:`Undecided` with a
reason, and the caller turns it into an ``unknown`` verdict.

The mathematics, for a point a and a side s (+1: x -> a+, -1: x -> a-):

* :func:`resolve` rewrites f into a *branch-free* expression g that equals f
  on a punctured one-sided neighbourhood (a, a + eps) or (a - eps, a): every
  ``Max``/``Min`` becomes its winning argument, ``Abs(u)`` becomes ``u`` or
  ``-u``, ``sign``/``Heaviside``/``floor`` become constants, a ``Piecewise``
  becomes its active piece.  Each choice rests on :func:`sign_near`, the sign
  of a branch-free u on that neighbourhood.  SymPy's ``limit`` is then only
  ever asked about branch-free expressions (it mishandles ``Max`` and
  ``Piecewise`` breakpoints: SymPy issues #23836, #27236, #26313).
* While resolving, every singular node (a denominator, a radicand, a log
  argument, ...) must have a definite sign on the neighbourhood, so g is real
  and smooth on it; otherwise the side lies outside the domain
  (:class:`OutsideDomain`) or the analysis is :class:`Undecided`.
* f(a) is computed apart from the limits: the limits never look at a itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import sympy
from sympy import (
    AccumBounds,
    Heaviside,
    Max,
    Min,
    Mul,
    Piecewise,
    Pow,
    S,
    ceiling,
    floor,
)
from sympy.logic.boolalg import And, BooleanFalse, BooleanTrue, Not, Or

from diffcheck.budget import BudgetExceeded
from diffcheck.engine.roots import RealRoot, vanishes_at_root
from diffcheck.facts import ENTIRE, FACTS, Side, classes, facts_of, pole_of, row

TAYLOR_ORDER = 8
"""How many derivatives :func:`sign_near` tries before asking SymPy's series."""


class Undecided(Exception):
    """SymPy (or diffcheck) cannot decide something; ``str()`` is the reason."""


class OutsideDomain(Exception):
    """f is not real (not defined) on the one-sided neighbourhood asked about."""


# Functions continuous on their (real) domain where finite, by the facts table: a
# finite real value of every sub-expression at a means continuity there.  Those with
# a ``cut`` are continuous only off a jump set, tested on the exact argument values.
_ENTIRE = ENTIRE
_CONTINUOUS = classes(lambda f: f.continuous and f.cut is None)
_CONTINUOUS_OFF_CUT: dict[type[sympy.Basic], Callable[[Sequence[sympy.Expr]], bool]] = {
    cls: f.cut for cls, f in FACTS.items() if f.cut is not None
}
_NONFINITE = (S.NaN, S.ComplexInfinity, S.Infinity, S.NegativeInfinity)


# ---------------------------------------------------------------------------
# exact constants


# Functions SymPy cannot evaluate numerically, with their spelling through ones it can
# (the facts table's ``evaluable``).
_NUMERIC_SPELLING: tuple[tuple[type[sympy.Basic], Callable[..., sympy.Expr]], ...] = tuple(
    (cls, f.evaluable) for cls, f in FACTS.items() if f.evaluable is not None)


def numeric(c: sympy.Expr, digits: int) -> sympy.Expr:
    """``c.evalf(digits)``, first respelling functions SymPy's evalf leaves alone."""
    for cls, spelling in _NUMERIC_SPELLING:
        if c.has(cls):
            c = c.replace(cls, spelling)
    return c.evalf(digits)


def is_zero(c: sympy.Expr) -> bool | None:
    """Whether the constant ``c`` is exactly zero (``None``: cannot tell).

    The same constants come back many times in one analysis (f(a), each one-sided
    limit, each sign test), and proving one zero can take SymPy a second: answers
    are remembered (a budget running out is an exception, never remembered).
    """
    if c == 0:
        return True
    return _is_zero(c)


@functools.lru_cache(maxsize=4096)
def _is_zero(c: sympy.Expr) -> bool | None:
    if c.has(RealRoot) and vanishes_at_root(c):
        return True  # u(r) for a certified root r of u
    coeff, rest = c.as_coeff_Mul()
    if coeff.is_nonzero and rest is not c and rest != 1:
        return is_zero(rest)
    if isinstance(c, sympy.Abs):
        return is_zero(c.args[0])
    # A nonzero number shows itself in 50 digits in milliseconds; SymPy's assumptions
    # may take a second on the same constant (3*sin(atan(r)) + 4*cos(atan(r)) - 2).
    # Not with a certified root inside: evalf of a value near 0 refines the root by
    # bisection to ever more digits, and the assumptions are the quick way there.
    approx: sympy.Expr | None = None
    known = c.is_zero if c.has(RealRoot) else None
    if known is not None:
        return bool(known)
    try:
        approx = numeric(c, 50)
    except (TypeError, ValueError, ArithmeticError, NotImplementedError):
        approx = None
    if (approx is not None and approx.is_number and approx.is_comparable
            and abs(approx) > sympy.Float("1e-40")):
        return False
    if not c.has(RealRoot):
        known = c.is_zero
        if known is not None:
            return bool(known)
    if approx is None:
        return None
    try:
        if c.equals(0):
            return True
        if sympy.simplify(c) == 0:
            return True
    except (TypeError, ValueError, ArithmeticError, NotImplementedError, RecursionError):
        return None
    # An algebraic number is 0 exactly when its minimal polynomial is y
    # ((2*cos(2*pi/9))**3 - 6*cos(2*pi/9) + 1, which simplify leaves alone).
    try:
        y = sympy.Dummy("y")
        return True if sympy.minimal_polynomial(c, y) == y else None
    except BudgetExceeded:
        raise
    except (TypeError, ValueError, ArithmeticError, NotImplementedError, RecursionError,
            sympy.polys.polyerrors.BasePolynomialError):
        return None


def real_number(c: sympy.Expr) -> bool | None:
    """Whether the constant ``c`` is a finite real number (``None``: cannot tell).

    SymPy's assumptions answer first; when they cannot (``erfinv(1/2).is_finite``
    is ``None``) c is evaluated at two working precisions, and a value that is
    real and agrees to 20 digits at both is taken as proof (every function
    here evaluates to a real mpmath number at real arguments, with an error far
    below the digits compared).

    Examples:
        >>> from sympy import erfinv, Rational, I, zoo
        >>> real_number(erfinv(Rational(1, 2))), real_number(I), real_number(zoo)
        (True, False, False)
    """
    if c.is_extended_real is False or c.is_finite is False or c.has(*_NONFINITE):
        return False
    if c.is_extended_real and c.is_finite:
        return True
    try:
        lo, hi = numeric(c, 30), numeric(c, 50)
        (re1, im1), (re2, im2) = lo.as_real_imag(), hi.as_real_imag()
    except (TypeError, ValueError, ArithmeticError, NotImplementedError, RecursionError):
        return None
    if not (re1.is_Float and re2.is_Float):
        return None
    if im1 == 0 and im2 == 0:
        scale = max(abs(re2), sympy.Float(1))
        return bool(abs(re1 - re2) <= scale * sympy.Float("1e-20")) or None
    if im1.is_Float and im2.is_Float and abs(im2) > sympy.Float("1e-20") * max(
            abs(re2), sympy.Float(1)) and abs(im1 - im2) < abs(im2) / 2:
        return False
    return None


def same_number(p: sympy.Expr, q: sympy.Expr) -> bool | None:
    """Whether two constants are the same real number (``None``: cannot tell).

    Different spellings of one number (``CRootOf(x**3 - 3*x + 1, 2)`` and
    ``2*cos(2*pi/9)``) are recognised exactly: algebraic numbers are equal when
    they have the same minimal polynomial and the same root of it is the only
    one next to both.

    Examples:
        >>> from sympy import CRootOf, cos, pi, Symbol
        >>> y = Symbol("y")
        >>> same_number(CRootOf(y**3 - 3*y + 1, 2), 2*cos(2*pi/9))
        True
        >>> same_number(CRootOf(y**3 - 3*y + 1, 1), 2*cos(2*pi/9))
        False
    """
    if p == q:
        return True
    try:
        gap = numeric(p - q, 50)
    except (TypeError, ValueError, ArithmeticError, NotImplementedError):
        return None
    if gap.is_comparable and abs(gap) > sympy.Float("1e-40"):
        return False
    y = sympy.Dummy("y")
    try:
        mp, mq = sympy.minimal_polynomial(p, y), sympy.minimal_polynomial(q, y)
        if mp != mq:
            return False
        here = numeric(p, 60)
        roots = sympy.Poly(mp, y).real_roots()
        near = [r for r in roots if abs(numeric(r, 60) - here) < sympy.Float("1e-30")]
    except BudgetExceeded:
        raise
    except (NotImplementedError, ValueError, TypeError, ArithmeticError, RecursionError,
            sympy.polys.polyerrors.BasePolynomialError):
        return is_zero(p - q)  # not algebraic (or SymPy cannot tell)
    # p and q agree to 40 digits and are both roots of the irreducible mp; its roots
    # are simple, and only one of them is that close.
    return True if len(near) == 1 else is_zero(p - q)


def const_sign(c: sympy.Expr) -> int:
    """Sign (-1, 0, 1) of a real constant; :class:`Undecided` if unknown."""
    zero = is_zero(c)
    if zero:
        return 0
    if zero is None:
        raise Undecided(f"cannot decide whether {c} is zero")
    if c.is_positive:
        return 1
    if c.is_negative:
        return -1
    approx = numeric(c, 50)
    if approx.is_comparable:
        return 1 if approx > 0 else -1
    raise Undecided(f"cannot decide the sign of {c}")


def _expr(a: sympy.Expr | int) -> sympy.Expr:
    return sympy.Integer(a) if isinstance(a, int) else a


def _is_finite_real(v: sympy.Expr) -> bool:
    if v.has(*_NONFINITE) or v.has(AccumBounds):
        return False
    if v.is_extended_real is False:
        return False
    if v.is_real:
        return True
    try:
        re, im = numeric(v, 30).as_real_imag()
    except (TypeError, ValueError, ArithmeticError, NotImplementedError):
        return False
    return bool(im == 0 and re.is_comparable)


def finite_value(g: sympy.Expr, x: sympy.Symbol, a: sympy.Expr) -> sympy.Expr | None:
    """g(a) when every sub-expression of g is finite and real at a, else None.

    For a branch-free g built from functions continuous on their domains, a
    finite real value of every sub-expression at a means g is continuous at a
    (from each side where g is defined), so the value *is* the limit.
    ``0**0`` is refused: it is finite but ``u**v`` need not be continuous there.
    """
    a = _expr(a)
    memo: dict[sympy.Basic, sympy.Expr | None] = {}

    def ev(n: sympy.Expr) -> sympy.Expr | None:
        if n in memo:
            return memo[n]
        if n == x:
            v: sympy.Expr | None = a
        elif not n.has(x):
            v = n if _is_finite_real(n) else None
        elif not isinstance(n, (*_CONTINUOUS, *_CONTINUOUS_OFF_CUT)):
            v = None
        else:
            node: Any = n  # SymPy has no types: narrowed by isinstance to object
            args: list[Any] = [ev(arg) for arg in node.args]
            if any(arg is None for arg in args) or (
                isinstance(n, Pow) and args[0] == 0 and not args[1].is_positive
            ) or (type(n) in _CONTINUOUS_OFF_CUT and not _CONTINUOUS_OFF_CUT[type(n)](args)):
                v = None
            else:
                v = node.func(*args)
                if not _is_finite_real(v):
                    v = None
        memo[n] = v
        return v

    return ev(g)


@functools.lru_cache(maxsize=1 << 16)
def value_sign(u: sympy.Expr, x: sympy.Symbol, a: sympy.Expr) -> int | None:
    """Sign of u(a) when every sub-expression of u is finite at a, else None.

    Cached: the same comparison (a Piecewise condition, a Max switch) is asked
    at a point for f(a) and for both sides.
    """
    v = finite_value(u, x, a)
    return None if v is None else const_sign(v)


# Truth of a relational `lhs REL rhs` from the sign s of lhs - rhs.
REL_TRUTH: dict[type, Callable[[int], bool]] = {
    sympy.StrictLessThan: lambda s: s < 0,
    sympy.LessThan: lambda s: s <= 0,
    sympy.StrictGreaterThan: lambda s: s > 0,
    sympy.GreaterThan: lambda s: s >= 0,
    sympy.Eq: lambda s: s == 0,
    sympy.Ne: lambda s: s != 0,
}


# ---------------------------------------------------------------------------
# the sign of a branch-free expression next to a


def _leading_sign(u: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, side: int) -> int:
    """Sign of u on the side from SymPy's limit / leading term (the slow path)."""
    t = sympy.Dummy("t", positive=True)
    shifted = u.subs(x, a + side * t)
    try:
        lim = sympy.limit(shifted, t, 0, "+")
    except (NotImplementedError, ValueError, TypeError, ArithmeticError, RecursionError) as e:
        raise Undecided(f"SymPy cannot take the limit of {u} at {a}: {e}") from None
    if isinstance(lim, AccumBounds):
        raise Undecided(f"{u} oscillates near {a}, so its sign there is not constant")
    if lim in (S.Infinity, S.NegativeInfinity):
        return 1 if lim == S.Infinity else -1
    if lim.has(sympy.Limit) or not _is_finite_real(lim):
        raise Undecided(f"SymPy cannot decide the limit of {u} at {a}")
    s = const_sign(lim)
    if s != 0:
        return s
    try:
        lead = shifted.as_leading_term(t)
    except (NotImplementedError, ValueError, TypeError, ArithmeticError, RecursionError) as e:
        raise Undecided(f"SymPy cannot expand {u} at {a}: {e}") from None
    if lead == 0:
        raise Undecided(f"cannot find the leading term of {u} at {a}")
    # A monomial c * t**p * log(t)**q has, for small t > 0, the sign of
    # c * (-1)**q; anything else we do not trust.
    coeff, rest = lead.as_independent(t, as_Add=False)
    q = 0
    for factor in Mul.make_args(rest):
        base, _exp = factor.as_base_exp()
        if base == t:
            continue
        if base == sympy.log(t) and _exp.is_integer:
            q += int(_exp)
            continue
        raise Undecided(f"cannot read the sign of {u} near {a} from its leading term {lead}")
    return int(const_sign(coeff) * (-1) ** q)


def sign_near(u: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, side: int) -> int:
    """Sign of branch-free ``u`` on (a, a+eps) (side=1) or (a-eps, a) (side=-1).

    Returns 0 when u vanishes identically there.  Fast path: if u is smooth at
    a, the first non-vanishing Taylor coefficient decides (Taylor's theorem);
    otherwise SymPy's limit and leading term decide.

    Examples:
        >>> from sympy import Symbol, sin
        >>> x = Symbol("x", real=True)
        >>> sign_near(x**2 - x, x, 0, 1), sign_near(x**2 - x, x, 0, -1)
        (-1, 1)
        >>> sign_near(sin(x) - x, x, 0, 1)
        -1
    """
    a = _expr(a)
    if not u.has(x):
        return const_sign(u)
    s = value_sign(u, x, a)
    if s is not None:
        if s != 0:
            return s
        du = u
        for k in range(1, TAYLOR_ORDER + 1):
            du = du.diff(x)
            if du == 0:
                return 0
            dv = finite_value(du, x, a)
            if dv is None:
                break
            s = const_sign(dv)
            if s != 0:
                return int(s * side**k)
        else:
            if is_zero(u.expand()) or sympy.simplify(u) == 0:
                return 0
    return _leading_sign(u, x, a, side)


# ---------------------------------------------------------------------------
# branch resolution


class _Resolver:
    """Rewrites f into the branch-free expression active on one side of a."""

    def __init__(self, x: sympy.Symbol, a: sympy.Expr, side: int) -> None:
        self.x, self.a, self.side = x, a, side
        self.memo: dict[sympy.Basic, sympy.Expr] = {}

    def sign(self, u: sympy.Expr) -> int:
        return sign_near(u, self.x, self.a, self.side)

    def __call__(self, e: sympy.Expr) -> sympy.Expr:
        if not e.has(self.x) or e == self.x:
            return e
        if e in self.memo:
            return self.memo[e]
        if isinstance(e, Piecewise):
            out = self.piecewise(e)
        else:
            args = [self(arg) for arg in e.args]
            rule = _rule_for(e)
            if rule is None:
                raise Undecided(f"diffcheck does not know how {e.func} behaves near a point")
            out = rule(self, e, args)
        self.memo[e] = out
        return out

    def piecewise(self, e: Piecewise) -> sympy.Expr:
        for expr, cond in e.args:
            if self.truth(cond):
                return self(expr)
        raise OutsideDomain(f"no piece of {e} applies")

    def truth(self, c: sympy.Basic) -> bool:
        if isinstance(c, BooleanTrue):
            return True
        if isinstance(c, BooleanFalse):
            return False
        if isinstance(c, And):
            return all(self.truth(arg) for arg in c.args)
        if isinstance(c, Or):
            return any(self.truth(arg) for arg in c.args)
        if isinstance(c, Not):
            return not self.truth(c.args[0])
        if isinstance(c, sympy.Rel) and type(c) in REL_TRUTH:
            return REL_TRUTH[type(c)](self.sign(self(c.lhs - c.rhs)))
        raise Undecided(f"cannot evaluate the condition {c} near a point")

    def positive(self, u: sympy.Expr, what: str) -> int:
        """Sign of a singular node's argument; 0 or the wrong sign is off-domain."""
        s = self.sign(u)
        if s == 0:
            raise OutsideDomain(f"{what} vanishes identically")
        return s


_Rule = Callable[["_Resolver", sympy.Expr, list[sympy.Expr]], sympy.Expr]


def _max_min(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
    want = 1 if isinstance(e, Max) else -1
    best = args[0]
    for cand in args[1:]:
        if r.sign(cand - best) == want:
            best = cand
    return best


def _abs(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
    (u,) = args
    return -u if r.sign(u) < 0 else u


def _sign(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
    return sympy.Integer(r.sign(args[0]))


def _heaviside(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
    s = r.sign(args[0])
    return S.One if s > 0 else S.Zero if s < 0 else Heaviside(0, *args[1:])


def _step(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
    """floor/ceiling/frac(u) near a: constant unless u ~ an integer there."""
    (u,) = args
    lower, upper = _floor_near(r, u)
    if isinstance(e, floor):
        return lower
    if isinstance(e, ceiling):
        return upper
    return u - lower  # frac


def _floor_near(r: _Resolver, u: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """(floor(u), ceiling(u)) on the punctured side of a, for a branch-free u."""
    u_a = finite_value(u, r.x, r.a)
    if u_a is None:
        raise Undecided(f"cannot evaluate {u} at {r.a}")
    fl = floor(u_a)
    if not fl.is_integer:
        raise Undecided(f"cannot decide floor({u_a})")
    if is_zero(u_a - fl):  # u(a) is an integer n: the side decides n or n - 1
        s = r.sign(u - fl)
        lower = fl if s >= 0 else fl - 1
        upper = fl if s <= 0 else fl + 1
    else:
        lower, upper = fl, fl + 1
    return lower, upper


def _mod(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
    p, q = args
    if q.has(r.x):
        raise Undecided(f"Mod with a variable modulus ({e}) is not supported")
    # Mod(p, q) = p - q*floor(p/q).  The floor is taken here, not built as floor(p/q):
    # for a constant p (a resolved Piecewise) SymPy evaluates floor(p/q) at once and
    # the node would no longer say it is a floor.
    lower, _upper = _floor_near(r, p / q)
    return p - q * lower


def _pow(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
    base, exp = args
    if exp.has(r.x):  # u**v = exp(v*log(u)) needs u > 0
        s = r.sign(base) if not base.is_positive else 1
        if s == 0:  # 0**v is 0 where v > 0 and undefined where v <= 0
            if r.sign(exp) > 0:
                return S.Zero
            raise OutsideDomain(f"{e} is a non-positive power of 0")
        if s < 0:
            raise OutsideDomain(f"the base of {e} is negative")
        return base**exp
    if exp.is_integer:
        if exp.is_negative:
            r.positive(base, f"the denominator of {e}")
        return base**exp
    s = r.sign(base) if not base.is_positive else 1
    if s == 0:  # 0**p is 0 for p > 0 (Max(0, x)**(1/3) left of 0) and undefined else
        if exp.is_positive:
            return S.Zero
        raise OutsideDomain(f"{e} is a non-positive power of 0")
    if s > 0:
        return base**exp
    if exp.is_Rational and exp.q % 2 == 1:  # real odd root of a negative base
        return (-1) ** exp.p * (-base) ** exp
    raise OutsideDomain(f"{e} takes an even root (or a real power) of a negative number")


def _log(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
    if r.positive(args[0], f"the argument of {e}") < 0:
        raise OutsideDomain(f"{e} takes the logarithm of a negative number")
    return e.func(*args)


def _bounded(lo: int | None, hi: int | None) -> _Rule:
    """Rule for a function real only for lo <= u <= hi (or outside, inverted)."""

    def rule(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
        (u,) = args
        inside = True
        if lo is not None and r.sign(u - lo) < 0:
            inside = False
        if hi is not None and r.sign(u - hi) > 0:
            inside = False
        if not inside:
            raise OutsideDomain(f"{e} is not real there")
        return e.func(*args)

    return rule


def _outside(lo: int, hi: int) -> _Rule:
    """Rule for a function real only for |u| >= 1 style domains (u <= lo or u >= hi)."""

    def rule(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
        (u,) = args
        if r.sign(u - hi) < 0 and r.sign(u - lo) > 0:
            raise OutsideDomain(f"{e} is not real there")
        return e.func(*args)

    return rule


def _periodic_pole(zero_of: Callable[[sympy.Expr], sympy.Expr]) -> _Rule:
    """tan/cot/sec/csc(u): the side must not sit on a pole (zero_of(u) = 0)."""

    def rule(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
        r.positive(zero_of(args[0]), f"the denominator of {e}")
        return e.func(*args)

    return rule


def _acot(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
    """acot(u) = atan(1/u): smooth where u != 0; pi/2 where u vanishes identically."""
    return e.func(*args) if r.sign(args[0]) != 0 else S.Pi / 2


def _atan2(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
    """atan2(y, u): smooth off y = 0; on y = 0 it is 0 (u > 0), pi (u < 0), undefined (0, 0)."""
    y, u = args
    if r.sign(y) != 0:
        return e.func(*args)
    s = r.sign(u)
    if s == 0:
        raise OutsideDomain(f"{e} is undefined where both arguments vanish")
    return S.Zero if s > 0 else S.Pi


def _keep(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
    return e.func(*args)


def _bounded_facts(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
    return _bounded(*row(e).bounds)(r, e, args)


def _outside_facts(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
    lo, hi = row(e).bounds
    if lo is None or hi is None:
        raise LookupError(f"{e.func} needs both domain bounds in the facts table")
    return _outside(lo, hi)(r, e, args)


def _pole_facts(r: _Resolver, e: sympy.Expr, args: list[sympy.Expr]) -> sympy.Expr:
    return _periodic_pole(pole_of(e))(r, e, args)


# How branch resolution reads each kind of side rule of the facts table (diffcheck.facts).
SIDE_RULES: dict[Side, _Rule] = {
    Side.KEEP: _keep,
    Side.MAX_MIN: _max_min,
    Side.ABS: _abs,
    Side.SIGN: _sign,
    Side.HEAVISIDE: _heaviside,
    Side.STEP: _step,
    Side.MODULUS: _mod,
    Side.POWER: _pow,
    Side.LOG: _log,
    Side.INSIDE: _bounded_facts,
    Side.OUTSIDE: _outside_facts,
    Side.POLE: _pole_facts,
    Side.ACOT: _acot,
    Side.ATAN2: _atan2,
}


def _rule_for(e: sympy.Expr) -> _Rule | None:
    found = facts_of(e)
    return None if found is None else SIDE_RULES[found.side]


def resolve(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, side: int) -> sympy.Expr:
    """The branch-free expression equal to f just to one side of a.

    Raises :class:`OutsideDomain` when f is not real there and
    :class:`Undecided` when a branch cannot be decided.

    Examples:
        >>> from sympy import Symbol, Max, Abs
        >>> x = Symbol("x", real=True)
        >>> resolve(Max(0, x), x, 0, 1), resolve(Max(0, x), x, 0, -1)
        (x, 0)
        >>> resolve(Max(0, x) - Max(0, -x), x, 0, -1)
        x
    """
    try:
        return _Resolver(x, _expr(a), side)(f)
    except (NotImplementedError, TypeError, ValueError, ArithmeticError, RecursionError) as e:
        raise Undecided(f"SymPy failed while resolving branches: {type(e).__name__}: {e}") from None


# ---------------------------------------------------------------------------
# values and limits


def value_at(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr) -> sympy.Expr | None:
    """f(a) exactly, or None when f is not defined at a.

    f(a) is defined when every sub-expression of the active pieces is finite
    and real at a.  Computed bottom-up rather than by ``subs`` so that SymPy's
    conventions do not leak in: ``0**0`` and ``u**v`` with ``u < 0`` and a
    non-constant exponent are undefined (``u**v = exp(v*log(u))``), ``0**v``
    is 0 for ``v > 0`` (the limit of ``u**v`` as u -> 0+), and
    ``0*log(0)`` is undefined rather than whatever SymPy makes of ``0*zoo``.

    Examples:
        >>> from sympy import Symbol, Max, sin, sqrt
        >>> x = Symbol("x", real=True)
        >>> value_at(Max(0, x), x, 0), value_at(sin(x)/x, x, 0), value_at(sqrt(x), x, -1)
        (0, None, None)
    """
    a = _expr(a)
    memo: dict[sympy.Basic, sympy.Expr | None] = {}

    def truth(c: sympy.Basic) -> bool:
        if isinstance(c, sympy.Rel) and type(c) in REL_TRUTH:
            d = c.lhs - c.rhs
            s = value_sign(d, x, a) if not d.has(Piecewise) else None
            if s is not None:
                return REL_TRUTH[type(c)](s)
        v = c.subs(x, a)
        if isinstance(v, (BooleanTrue, BooleanFalse)):
            return bool(v)
        raise Undecided(f"cannot decide the condition {c} at {a}")

    def ev(n: sympy.Expr) -> sympy.Expr | None:
        if n in memo:
            return memo[n]
        v: sympy.Expr | None
        if n == x:
            v = a
        elif not n.has(x):
            v = n if _is_finite_real(n) else None
        elif isinstance(n, Piecewise):
            v = next((ev(e) for e, c in n.args if truth(c)), None)
        else:
            args: list[Any] = [ev(arg) for arg in n.args]
            if any(arg is None for arg in args) or (isinstance(n, Pow) and (
                (args[0] == 0 and not args[1].is_positive)
                or (n.exp.has(x) and args[0] != 0 and not args[0].is_positive
                    and not args[1].is_integer)
            )):
                v = None
            elif isinstance(n, (Max, Min)):
                v = _extreme(n, args)
            else:
                v = n.func(*args)
                v = v if _is_finite_real(v) else None
        memo[n] = v
        return v

    try:
        return ev(f)
    except (NotImplementedError, TypeError, ValueError, ArithmeticError, RecursionError,
            AttributeError) as e:
        raise Undecided(f"SymPy cannot evaluate f at {a}: {e}") from None


def _extreme(n: sympy.Expr, values: list[sympy.Expr]) -> sympy.Expr:
    """Max/Min of exact constants by the sign of their differences.

    SymPy's own Max refuses values it cannot compare numerically, such as
    CRootOf(x**5 - x - 1, 0)**5 - CRootOf(x**5 - x - 1, 0) - 1, which is 0.
    """
    want = 1 if isinstance(n, Max) else -1
    best = values[0]
    for cand in values[1:]:
        if const_sign(cand - best) == want:
            best = cand
    return best


def _sympy_limit(g: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, side: int) -> sympy.Expr | None:
    """SymPy's one-sided limit of a branch-free g: a value, +-oo, or None (no limit)."""
    try:
        lim = sympy.limit(g, x, a, "+" if side > 0 else "-")
    except BudgetExceeded:
        raise
    except (NotImplementedError, ValueError, TypeError, ArithmeticError, RecursionError,
            AttributeError, IndexError, KeyError) as e:
        raise Undecided(f"SymPy cannot take the limit at {a}: {type(e).__name__}: {e}") from None
    if isinstance(lim, AccumBounds):
        # An interval is SymPy's over-approximation and proves nothing
        # (sin(1/x)**2 + cos(1/x)**2 gives <0, 2>): simplify and retry, and call
        # the limit missing only with a proof that it is.
        simpler = _simplified(g)
        if simpler is not None:
            return _sympy_limit(simpler, x, a, side)
        if _oscillates(g, x, a, side):
            return None
        raise Undecided(f"SymPy's limit at {a} gives only the interval {lim}, which proves "
                        "neither a limit nor its absence")
    if lim in (S.Infinity, S.NegativeInfinity):
        return lim
    if lim.has(sympy.Limit) or lim.has(S.NaN, S.ComplexInfinity) or not _is_finite_real(lim):
        raise Undecided(f"SymPy cannot decide the limit at {a} (got {lim})")
    return lim


def _simplified(g: sympy.Expr) -> sympy.Expr | None:
    """A simpler spelling of g (an identity on an open set), or None if none is found."""
    try:
        out = sympy.simplify(g)
    except BudgetExceeded:
        raise
    except (NotImplementedError, ValueError, TypeError, ArithmeticError, RecursionError,
            AttributeError) as e:
        raise Undecided(f"SymPy cannot simplify {g}: {type(e).__name__}: {e}") from None
    return None if out == g or out.has(AccumBounds) else out


_N = sympy.Symbol("n", integer=True, positive=True)
# Sequences x_n - a = side * phi(2*pi*n + c), n -> oo: along them sin(w) and cos(w)
# with w = 1/(x - a), 1/(x - a)**2, sqrt(1/(x - a)) or log(x - a) become constants.
_SEQUENCES: tuple[Callable[[sympy.Expr], sympy.Expr], ...] = (
    lambda u: 1 / u,
    lambda u: 1 / sympy.sqrt(u),
    lambda u: 1 / u**2,
    lambda u: sympy.exp(-u),
)
_PHASES = (S.Zero, S.Pi / 2, S.Pi, 3 * S.Pi / 2, S.Pi / 3)


_U = sympy.Symbol("u", positive=True)


def _substitute_u(sol: sympy.Expr, u: sympy.Expr) -> sympy.Expr:
    return sol.subs(_U, u)


def _phases_of(g: sympy.Expr, x: sympy.Symbol, a: sympy.Expr,
               side: int) -> list[Callable[[sympy.Expr], sympy.Expr]]:
    """Sequences x - a = side*t(u) making the argument of a sin/cos in g equal +-u.

    For ``sin(pi/x)`` at 0+ this is t(u) = pi/u: along u = 2*pi*n + c the sine is
    sin(c).  Only solutions with t(u) > 0 and t(u) -> 0 as u -> oo are kept.
    """
    t = sympy.Dummy("t", positive=True)
    out: list[Callable[[sympy.Expr], sympy.Expr]] = []
    for node in sympy.preorder_traversal(g):
        if not isinstance(node, (sympy.sin, sympy.cos)) or not node.has(x):
            continue
        w = node.args[0].subs(x, a + side * t)
        for target in (_U, -_U):
            try:
                found = [sol for sol in sympy.solve(sympy.Eq(w, target), t)
                         if sol.is_positive and sympy.limit(sol, _U, S.Infinity) == 0]
            except BudgetExceeded:
                raise
            except (NotImplementedError, ValueError, TypeError, ArithmeticError,
                    RecursionError, AttributeError, IndexError, KeyError):
                continue
            out += [functools.partial(_substitute_u, sol) for sol in found]
        if len(out) >= 3:
            break
    return out


def _oscillates(g: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, side: int) -> bool:
    """A proof that g has no limit as x -> a from the side, or False.

    The proof is two sequences x_n -> a (from that side) along which g tends to
    different exact limits.  Each is x_n = a + side*phi(2*pi*n + c) with n a
    positive integer, so SymPy itself reduces sin(2*pi*n + c) to sin(c), and the
    limit along the sequence is an ordinary limit in n that SymPy computes
    exactly (an interval answer there is not used).

    Examples:
        >>> from sympy import Symbol, sin, cos
        >>> x = Symbol("x", real=True)
        >>> _oscillates(sin(1/x), x, sympy.S.Zero, 1), _oscillates(x*sin(1/x), x, sympy.S.Zero, 1)
        (True, False)
    """
    for phi in (*_phases_of(g, x, a, side), *_SEQUENCES):
        seen: list[sympy.Expr] = []
        for c in _PHASES:
            try:
                along = g.subs(x, a + side * phi(2 * S.Pi * _N + c))
                lim = sympy.limit(along, _N, S.Infinity)
            except BudgetExceeded:
                raise
            except (NotImplementedError, ValueError, TypeError, ArithmeticError,
                    RecursionError, AttributeError, IndexError, KeyError):
                continue
            if isinstance(lim, AccumBounds) or lim.has(sympy.Limit, AccumBounds, S.NaN,
                                                         S.ComplexInfinity):
                continue
            if lim not in (S.Infinity, S.NegativeInfinity) and not _is_finite_real(lim):
                continue
            for other in seen:
                if lim in (S.Infinity, S.NegativeInfinity) or other in (S.Infinity,
                                                                         S.NegativeInfinity):
                    if lim != other:
                        return True
                elif is_zero(lim - other) is False:
                    return True
            seen.append(lim)
    return False


def limit_of(g: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, side: int) -> sympy.Expr | None:
    """lim g(x) as x -> a from the side: exact value, +-oo, or None if no limit.

    g must be branch-free (see :func:`resolve`).  When every sub-expression of
    g is finite at a, g is continuous there and the limit is g(a).
    """
    v = finite_value(g, x, a)
    return tidy(v if v is not None else _sympy_limit(g, x, a, side))


def tidy(v: sympy.Expr | None) -> sympy.Expr | None:
    """An exact value in its simplest honest form (zero written as 0)."""
    if v is None or v.is_Rational or v.is_infinite:
        return v
    if is_zero(v):
        return S.Zero
    return v


def difference_quotient_limit(
    g: sympy.Expr,
    x: sympy.Symbol,
    a: sympy.Expr,
    side: int,
    fa: sympy.Expr,
    side_limit: sympy.Expr | None,
    *,
    definition_only: bool = False,
) -> sympy.Expr | None:
    """lim (f(a+h) - f(a))/h as h -> 0 from the side, where f = g on that side.

    * f continuous from that side (``side_limit == fa``): the one-sided
      derivative equals lim g'(x) whenever that limit exists, finite or
      infinite (mean value theorem: the quotient is g'(xi) with xi between a
      and a+h; g is smooth on the punctured side by construction).  When
      g' has no limit (``x**2*sin(1/x)``) the definition decides.
    * f(a+h) - f(a) -> L - f(a) != 0 (a jump on that side): the quotient
      tends to +-oo with the sign of (L - f(a)) * h.
    * ``definition_only`` skips the shortcuts (tests compare both paths).
    """
    if not definition_only and side_limit is not None:
        if side_limit in (S.Infinity, S.NegativeInfinity):
            return side_limit * side
        gap = side_limit - fa
        gap_sign = const_sign(gap)
        if gap_sign != 0:
            return S.Infinity * gap_sign * side
        derivative = g.diff(x)
        try:
            slope = limit_of(derivative, x, a, side)
        except Undecided:
            slope = None
        if slope is not None:
            return slope
    h = sympy.Dummy("h", real=True)
    quotient = (g.subs(x, a + h) - fa) / h
    return tidy(_sympy_limit(quotient, h, S.Zero, side))

