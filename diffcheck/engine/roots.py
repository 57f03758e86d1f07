"""Certified real roots of transcendental equations in a bounded window.

SymPy's ``solveset`` leaves ``x = cos(x)`` or ``exp(x) = x + 2`` as a
``ConditionSet``.  In a bounded window their real roots can still be found and
*proven*: the window is bisected and u is evaluated with interval arithmetic
(``mpmath.iv``, rigorous enclosures of every value).  A piece where the
enclosure of u excludes 0 has no root; a piece where the enclosure of u'
excludes 0 (u strictly monotone) and u has strictly opposite signs at its ends
holds exactly one root, and it is simple.  Anything else, once the pieces are
tiny (a double root, a root at a point where u' vanishes), is not certified and
the caller keeps the equation unsolved.

A certified root is a :class:`RealRoot`: an exact SymPy number defined by u and
an isolating interval [lo, hi] with rational ends.  It evaluates to any
precision (bisection inside the interval, where u is monotone), SymPy knows
it is real, finite and its sign, and :func:`vanishes_at_root` proves that
u(root) is exactly 0, so the point analysis decides signs there exactly:
next to a simple root the sign of u follows from the sign of u'.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import mpmath
import sympy
from mpmath import iv
from sympy import S

from diffcheck.facts import FACTS

MAX_ROOTS = 200
"""More certified roots than this in one window and the equation stays unsolved."""
MAX_PIECES = 20000
"""Interval evaluations allowed for one equation."""
SMALLEST = Fraction(1, 2**40)
"""Pieces narrower than this that still hold a possible root end the search."""
WORKING_BITS = 80


class NotCertified(Exception):
    """The roots could not be isolated and proven; ``str()`` says why."""


# --- interval evaluation of an expression tree (no eval of any text) ------------------


def _enclosure(n: sympy.Basic) -> Callable[[Any], Any] | None:
    """The function of node ``n`` on mpmath intervals, from the facts table."""
    found = FACTS.get(type(n))
    return None if found is None else found.enclosure


def _number(c: sympy.Expr) -> Any:
    if c.is_Rational:
        return iv.mpf(int(c.p)) / iv.mpf(int(c.q))
    if c is S.Pi:
        return iv.pi
    if c is S.Exp1:
        return iv.e
    raise NotCertified(f"no interval enclosure for the constant {c}")


def enclose(u: sympy.Expr, x: sympy.Symbol, value: Any, bits: int = WORKING_BITS) -> Any:
    """An interval containing u(t) for every t in the interval ``value``.

    Raises:
        NotCertified: u holds something without an interval rule, or a value
            is not real there (a log of an interval reaching 0 or below).
    """
    memo: dict[sympy.Basic, Any] = {}

    def ev(n: sympy.Expr) -> Any:
        if n in memo:
            return memo[n]
        if n == x:
            out = value
        elif n.is_Number or n.is_NumberSymbol:
            out = _number(n)
        elif isinstance(n, sympy.Add):
            out = ev(n.args[0])
            for arg in n.args[1:]:
                out = out + ev(arg)
        elif isinstance(n, sympy.Mul):
            out = ev(n.args[0])
            for arg in n.args[1:]:
                out = out * ev(arg)
        elif isinstance(n, sympy.Pow) and n.exp.is_Integer:
            base = ev(n.base)
            if n.exp < 0 and 0 in base:
                raise NotCertified(f"{n.base} may vanish")
            out = base ** int(n.exp)
        elif isinstance(n, sympy.Pow) and n.exp == S.Half:
            base = ev(n.base)
            if base.a < 0:
                raise NotCertified(f"{n.base} may be negative")
            out = iv.sqrt(base)
        elif (enclosure := _enclosure(n)) is not None and len(n.args) == 1:
            arg = ev(n.args[0])
            if isinstance(n, sympy.log) and arg.a <= 0:
                raise NotCertified(f"{n.args[0]} may not be positive")
            if isinstance(n, sympy.tan) and 0 in iv.cos(arg):
                raise NotCertified(f"{n} may have a pole")
            out = enclosure(arg)
        else:
            raise NotCertified(f"no interval rule for {n.func}")
        memo[n] = out
        return out

    saved = iv.prec
    iv.prec = bits
    try:
        return ev(u)
    finally:
        iv.prec = saved


def _interval(lo: Fraction, hi: Fraction) -> Any:
    """An interval containing [lo, hi] (its ends rounded outwards)."""
    return iv.mpf([_point(lo).a, _point(hi).b])


def _point(t: Fraction, bits: int = WORKING_BITS) -> Any:
    """The interval around the rational t, ``bits`` wide."""
    saved = iv.prec
    iv.prec = max(bits, t.denominator.bit_length() + t.numerator.bit_length() + 8)
    try:
        return iv.mpf(t.numerator) / iv.mpf(t.denominator)
    finally:
        iv.prec = saved


def _sign(box: Any) -> int:
    """-1 or 1 when the interval is strictly on one side of 0, else 0 (unknown)."""
    if box.a > 0:
        return 1
    if box.b < 0:
        return -1
    return 0


# --- isolation -------------------------------------------------------------------------


def isolate(u: sympy.Expr, x: sympy.Symbol, lo: sympy.Expr, hi: sympy.Expr,
            ) -> list[RealRoot]:
    """Every root of u in [lo, hi], each certified simple, or :class:`NotCertified`.

    ``lo`` and ``hi`` must be rational (the caller widens the window to
    rationals; roots outside the window are dropped later).

    Examples:
        >>> x = sympy.Symbol("x", real=True)
        >>> [float(r) for r in isolate(x - sympy.cos(x), x, sympy.Integer(-3), sympy.Integer(3))]
        [0.7390851332151607]
        >>> isolate(sympy.exp(x), x, sympy.Integer(-1), sympy.Integer(1))
        []
    """
    du = sympy.diff(u, x)
    todo = [(Fraction(int(lo.p), int(lo.q)), Fraction(int(hi.p), int(hi.q)))]
    found: list[tuple[Fraction, Fraction]] = []
    pieces = 0
    while todo:
        a, b = todo.pop()
        pieces += 1
        if pieces > MAX_PIECES:
            raise NotCertified("too many interval pieces")
        box = _interval(a, b)
        if _sign(enclose(u, x, box)) != 0:
            continue  # no root in [a, b]
        if _sign(enclose(du, x, box)) != 0:
            sa, sb = _sign(enclose(u, x, _point(a))), _sign(enclose(u, x, _point(b)))
            if sa * sb < 0:
                found.append((a, b))  # strictly monotone with a sign change: one root
                if len(found) > MAX_ROOTS:
                    raise NotCertified(f"more than {MAX_ROOTS} roots")
                continue
            if sa != 0 and sb != 0:
                continue  # monotone and no sign change: no root
        if b - a < SMALLEST:
            raise NotCertified(f"cannot certify a root of {u} near {float(a)}: it may be "
                               "multiple, or sit on an end of a piece")
        mid = _split(a, b)
        todo += [(mid, b), (a, mid)]
    return [RealRoot(u, x, sympy.Rational(a.numerator, a.denominator),
                     sympy.Rational(b.numerator, b.denominator))
            for a, b in sorted(found)]


def _split(a: Fraction, b: Fraction) -> Fraction:
    """A split point of [a, b] a little off the middle (an exact root such as 0
    then never lands on the split point of every level)."""
    return a + (b - a) * Fraction(1023, 2048)


# --- the root as a SymPy number -----------------------------------------------------------


class RealRoot(sympy.Expr):  # type: ignore[misc]
    """The only root of u in [lo, hi], where u is strictly monotone (certified).

    ``args`` are ``(Lambda(t, u(t)), lo, hi)``: the variable is bound, so the
    root is a constant (``free_symbols`` is empty).  Printed as ``≈0.7390851``.
    """

    is_extended_real = True
    is_real = True
    is_finite = True
    is_complex = True
    is_commutative = True

    def __new__(cls, u: sympy.Expr, x: sympy.Symbol, lo: sympy.Rational,
                hi: sympy.Rational) -> RealRoot:
        t = sympy.Dummy("t", real=True)
        obj: RealRoot = sympy.Expr.__new__(cls, sympy.Lambda(t, u.xreplace({x: t})),
                                           sympy.Rational(lo), sympy.Rational(hi))
        return obj

    @property
    def function(self) -> sympy.Lambda:
        return self.args[0]

    @property
    def lo(self) -> sympy.Rational:
        return self.args[1]

    @property
    def hi(self) -> sympy.Rational:
        return self.args[2]

    @property
    def free_symbols(self) -> set[sympy.Basic]:
        return set()

    @property
    def is_number(self) -> bool:
        return True

    def equation(self) -> sympy.Expr:
        """u(root), which is exactly 0."""
        return self.function(self)

    def _eval_is_positive(self) -> bool | None:
        if self.lo >= 0 and self.lo > 0:
            return True
        if self.hi <= 0:
            return False
        return self.evalf(30) > 0  # type: ignore[no-any-return]

    def _eval_is_negative(self) -> bool | None:
        if self.hi < 0:
            return True
        if self.lo >= 0:
            return False
        return self.evalf(30) < 0  # type: ignore[no-any-return]

    def _eval_is_zero(self) -> bool | None:
        if self.lo > 0 or self.hi < 0:
            return False
        return None

    def _eval_evalf(self, prec: int) -> sympy.Float:
        return sympy.Float(self._refine(prec + 20), precision=prec)

    def _refine(self, bits: int) -> Any:
        return _refined(self, bits)

    def _bisect(self, bits: int) -> Any:
        """Bisection inside [lo, hi] (u is monotone there with a sign change); each
        sign is taken from an interval enclosure, and the search stops early if
        one is undecided (the midpoint is then within the enclosure's width)."""
        t = sympy.Dummy("t", real=True)
        u = self.function(t)
        a, b = Fraction(int(self.lo.p), int(self.lo.q)), Fraction(int(self.hi.p), int(self.hi.q))
        sa = _sign(enclose(u, t, _point(a, bits + 20), bits + 20))
        for _ in range(bits + 4):
            m = (a + b) / 2
            sm = _sign(enclose(u, t, _point(m, bits + 20), bits + 20))
            if sm == 0:
                break
            if sm == sa:
                a = m
            else:
                b = m
        with mpmath.workprec(bits + 10):
            return (mpmath.mpf(a.numerator) / a.denominator
                    + mpmath.mpf(b.numerator) / b.denominator) / 2

    def __float__(self) -> float:
        return float(self._refine(60))

    def _sympystr(self, printer: Any) -> str:
        return f"≈{mpmath.nstr(self._refine(40), 7)}"

    def _latex(self, printer: Any) -> str:
        return rf"\approx {mpmath.nstr(self._refine(40), 7)}"

    def _sage_(self) -> None:  # pragma: no cover - not supported
        raise NotImplementedError


@functools.lru_cache(maxsize=4096)
def _refined(root: RealRoot, bits: int) -> Any:
    return root._bisect(bits)


def vanishes_at_root(c: sympy.Expr) -> bool:
    """True when the constant c is a nonzero rational multiple of u(r) for a
    certified root r of u in it (so c is exactly 0).

    Examples:
        >>> x = sympy.Symbol("x", real=True)
        >>> [r] = isolate(x - sympy.cos(x), x, sympy.Integer(0), sympy.Integer(1))
        >>> vanishes_at_root(2*sympy.cos(r) - 2*r), vanishes_at_root(sympy.cos(r))
        (True, False)
    """
    for r in c.atoms(RealRoot):
        value = r.equation()
        # |w| with w vanishing at r is 0 (f(a) = |r - cos(r)| + r against cos(r))
        c = c.replace(lambda e, v=value: isinstance(e, sympy.Abs) and _multiple(e.args[0], v),
                      lambda e: S.Zero)
        if c == 0 or _multiple(c, value):
            return True
    return False


def _multiple(c: sympy.Expr, value: sympy.Expr) -> bool:
    """Whether c is a nonzero rational multiple of ``value`` (as expressions)."""
    try:
        ratio = sympy.cancel(c / value)
        if not ratio.is_Rational:
            ratio = sympy.simplify(ratio)
    except (TypeError, ValueError, ArithmeticError, NotImplementedError, RecursionError):
        return False
    return bool(ratio.is_Rational and ratio != 0)


def _simplest(lo: Fraction, hi: Fraction) -> Fraction:
    """The rational of smallest denominator in [lo, hi] (continued fractions)."""
    if lo <= 0 <= hi:
        return Fraction(0)
    if hi < 0:
        return -_simplest(-hi, -lo)
    n = lo.numerator // lo.denominator
    if n == lo or n + 1 <= hi:
        return Fraction(n) if n == lo else Fraction(n + 1)
    return n + 1 / _simplest(1 / (hi - n), 1 / (lo - n))


def exact_spelling(r: RealRoot, x: sympy.Symbol) -> sympy.Expr | None:
    """The root as an exact SymPy number when one is found: a root of a rational
    polynomial (``CRootOf`` or radicals), or the simplest rational next to it
    when u vanishes there exactly (``log(x) = 1 - x``: 1).

    Examples:
        >>> x = sympy.Symbol("x", real=True)
        >>> [r] = isolate(sympy.log(x) - 1 + x, x, sympy.Rational(1, 3), sympy.Integer(3))
        >>> exact_spelling(r, x)
        1
    """
    exact = _exact(r, x)
    if exact is not None:
        return exact
    with mpmath.workprec(100):
        near = Fraction(mpmath.nstr(r._refine(90), 30))
    for width in (None, Fraction(1, 2**60)):
        if width is None:
            lo, hi = Fraction(int(r.lo.p), int(r.lo.q)), Fraction(int(r.hi.p), int(r.hi.q))
        else:
            lo, hi = near - width, near + width
        q = _simplest(lo, hi)
        if q.denominator <= 10**6 and r.lo <= sympy.Rational(q.numerator, q.denominator) <= r.hi:
            candidate = sympy.Rational(q.numerator, q.denominator)
            if r.function(candidate) == 0:
                return candidate
    return None


def window_roots(u: sympy.Expr, x: sympy.Symbol, window: sympy.Set,
                 ) -> list[RealRoot | sympy.Expr]:
    """Certified roots of u in a bounded window (widened to rational ends).

    Raises:
        NotCertified: the window is unbounded, or the roots cannot be certified.
    """
    if not isinstance(window, sympy.Interval) or not (window.start.is_finite
                                                       and window.end.is_finite):
        raise NotCertified("the window is not bounded")
    lo, hi = _rational_below(window.start), _rational_above(window.end)
    found = isolate(u, x, lo - sympy.Rational(1, 64), hi + sympy.Rational(1, 64))
    return [_spelled(r, x) for r in found]


def _spelled(r: RealRoot, x: sympy.Symbol) -> RealRoot | sympy.Expr:
    exact = exact_spelling(r, x)
    return r if exact is None else exact


def integer_crossings(u: sympy.Expr, x: sympy.Symbol, window: sympy.Set,
                      ) -> list[RealRoot | sympy.Expr]:
    """The points of a bounded window where u crosses an integer (floor(u) steps).

    Raises:
        NotCertified: unbounded window, u unbounded on it, or too many integers.
    """
    if not isinstance(window, sympy.Interval) or not (window.start.is_finite
                                                       and window.end.is_finite):
        raise NotCertified("the window is not bounded")
    lo, hi = _rational_below(window.start), _rational_above(window.end)
    lo, hi = lo - sympy.Rational(1, 64), hi + sympy.Rational(1, 64)
    box = enclose(u, x, _interval(Fraction(int(lo.p), int(lo.q)),
                                  Fraction(int(hi.p), int(hi.q))))
    if not (mpmath.isfinite(box.a) and mpmath.isfinite(box.b)):
        raise NotCertified(f"{u} is unbounded on the window")
    first, last = int(mpmath.floor(box.a)), int(mpmath.ceil(box.b))
    if last - first > MAX_ROOTS:
        raise NotCertified(f"{u} crosses more than {MAX_ROOTS} integers on the window")
    out: list[RealRoot | sympy.Expr] = []
    poly = u.as_poly(x) if u.is_polynomial(x) else None
    exact = poly is not None and all(c.is_Rational for c in poly.all_coeffs())
    for n in range(first, last + 1):
        if exact:  # SymPy's exact real roots, multiple ones included
            out += [p for p in sympy.Poly(u - n, x).real_roots() if lo <= p <= hi]
        else:
            out += [_spelled(r, x) for r in isolate(u - n, x, lo, hi)]
    return out


def _exact(r: RealRoot, x: sympy.Symbol) -> sympy.Expr | None:
    """An exact SymPy spelling of the root when solveset has one (x**2 = 2: sqrt(2))."""
    u = r.function(x)
    if not u.is_polynomial(x):
        return None
    poly = u.as_poly(x)
    if poly is None or not all(c.is_Rational for c in poly.all_coeffs()):
        return None
    for root in poly.real_roots():
        if r.lo <= root <= r.hi:
            return root
    return None


def _rational_below(v: sympy.Expr) -> sympy.Rational:
    return v if v.is_Rational else sympy.Rational(sympy.floor(v * 1024), 1024)


def _rational_above(v: sympy.Expr) -> sympy.Rational:
    return v if v.is_Rational else sympy.Rational(sympy.ceiling(v * 1024), 1024)
