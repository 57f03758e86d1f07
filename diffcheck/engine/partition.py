"""Discovery by composition over intervals: exact kinks of deep piecewise functions.

For f built from ``x``, rational constants, ``+``, ``*``, whole powers and the
switching functions ``Max``/``Min``/``Abs``/``sign``/``Heaviside``/``Piecewise``
(a ReLU network, a clipped loss, nested ``Abs`` of polynomials), every node of
the expression tree is, on each open interval of a finite partition of the
line, ONE polynomial.  The partition is built from the leaves up: a node first
merges its children's breakpoints; on each resulting interval every child is a
single polynomial, so the node's own switch equation (``p - q`` for
``Max(p, q)``, ``u`` for ``Abs(u)``, ``lhs - rhs`` for a condition) is a
polynomial there, solved on that interval alone (one division when it is
linear, as in a ReLU network), and its roots refine the partition.  The work
is near-linear in the size of the tree, where handing ``solveset`` a nested
``Max`` whole is exponential in its depth.  This is exact line restriction of
piecewise-linear networks (ExactLine, in SyReNN) done in rational arithmetic
(Python's :class:`fractions.Fraction`) rather than floating point.

Polynomials are tuples of ``Fraction`` coefficients, lowest degree first.
Only rational breakpoints are kept: a switch equation with an irrational root
(``Abs(x**2 - 2)``), a constant that is not rational, or any other function
makes the node :class:`Unsupported`, and discovery falls back to solving that
equation with SymPy (:mod:`diffcheck.engine.discovery`).  Windows do not
matter here: the partition covers the whole line and the caller intersects.

The partition also gives, at any rational point and side, the branch-free
form of a node -- built exactly as :func:`diffcheck.engine.limits.resolve`
builds it (the same winner for ``Max``/``Min``, the same sign rule for
``Abs``, the first true condition of a ``Piecewise``, the node rebuilt from
its children's forms otherwise) -- and its exact value, as
:func:`diffcheck.engine.limits.value_at` computes it.  Tests check both
against those functions.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

import sympy
from sympy import Add, Heaviside, Max, Min, Mul, Pow, S
from sympy.logic.boolalg import And, BooleanFalse, BooleanTrue, Not, Or

from diffcheck.engine.limits import REL_TRUTH, resolve, value_at
from diffcheck.engine.sweep import Resolved
from diffcheck.facts import Side, Switch, facts_of

Poly = tuple[Fraction, ...]
"""Coefficients, lowest degree first, without trailing zeros (``()`` is 0)."""

MAX_DEGREE = 12
"""Pieces of higher degree are left to SymPy (their roots are costly to isolate)."""


class Unsupported(Exception):
    """The node is outside the class the partition handles; ``str()`` says why."""


def _kind(e: sympy.Basic) -> Side | Switch | None:
    """How e switches, from the facts table: its side rule, or CONDITIONS for Piecewise."""
    facts = facts_of(e)
    if facts is None:
        return None
    return Switch.CONDITIONS if facts.switch is Switch.CONDITIONS else facts.side


_BY_SIGN = (Side.ABS, Side.SIGN, Side.HEAVISIDE)


# --- rational polynomials -------------------------------------------------------------


def _trim(c: list[Fraction]) -> Poly:
    while c and not c[-1]:
        c.pop()
    return tuple(c)


def _add(p: Poly, q: Poly) -> Poly:
    if len(p) < len(q):
        p, q = q, p
    out = list(p)
    for i, c in enumerate(q):
        out[i] += c
    return _trim(out)


def _neg(p: Poly) -> Poly:
    return tuple(-c for c in p)


def _sub(p: Poly, q: Poly) -> Poly:
    return _add(p, _neg(q))


def _mul(p: Poly, q: Poly) -> Poly:
    if not p or not q:
        return ()
    out = [Fraction(0)] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        if a:
            for j, b in enumerate(q):
                out[i + j] += a * b
    return _trim(out)


def _at(p: Poly, t: Fraction) -> Fraction:
    v = Fraction(0)
    for c in reversed(p):
        v = v * t + c
    return v


def _sign(v: Fraction) -> int:
    return (v > 0) - (v < 0)


@functools.lru_cache(maxsize=1 << 14)
def _roots(p: Poly) -> tuple[Fraction, ...]:
    """The real roots of a nonzero p, sorted; Unsupported when one is irrational."""
    if len(p) <= 1:
        return ()
    if len(p) == 2:
        return (-p[0] / p[1],)
    if len(p) - 1 > MAX_DEGREE:
        raise Unsupported(f"a piece of degree {len(p) - 1}")
    t = sympy.Dummy("t")
    poly = sympy.Poly([sympy.Rational(c.numerator, c.denominator) for c in reversed(p)], t)
    out = []
    for r in poly.real_roots():
        if not r.is_Rational:
            raise Unsupported(f"an irrational breakpoint ({r})")
        out.append(Fraction(int(r.p), int(r.q)))
    return tuple(sorted(set(out)))


def _fraction(v: sympy.Basic) -> Fraction | None:
    if isinstance(v, sympy.Rational):
        return Fraction(int(v.p), int(v.q))
    return None


def _sympy(v: Fraction) -> sympy.Rational:
    return sympy.Rational(v.numerator, v.denominator)


# --- one node's partition ----------------------------------------------------------------


@dataclass(slots=True)
class Pw:
    """A node on the whole line: ``pieces[i]`` holds on the i-th open interval.

    The intervals are (-oo, b_0), (b_0, b_1), ..., (b_{n-1}, oo) for the sorted
    ``breaks`` b; ``choice[i]`` records the branch taken there (the winning
    argument of a Max, the sign of an Abs argument, the active piece of a
    Piecewise) so that the branch-free form can be rebuilt.
    """

    breaks: tuple[Fraction, ...]
    pieces: tuple[Poly, ...]
    choice: tuple[int, ...] = ()
    continuous: bool = True
    """Continuous everywhere (so its value at a break is its pieces' common limit)."""
    forms: dict[int, sympy.Expr] = field(default_factory=dict)

    def index(self, t: Fraction, side: int) -> int:
        """The interval just to one side of t (side +1: right, -1: left)."""
        return (bisect.bisect_right if side > 0 else bisect.bisect_left)(self.breaks, t)


def _samples(breaks: tuple[Fraction, ...]) -> list[Fraction]:
    """A rational point strictly inside each interval of the partition."""
    if not breaks:
        return [Fraction(0)]
    inner = [(a + b) / 2 for a, b in itertools.pairwise(breaks)]
    return [breaks[0] - 1, *inner, breaks[-1] + 1]


def _merge(children: list[Pw]) -> tuple[Fraction, ...]:
    if len(children) == 1:
        return children[0].breaks
    return tuple(sorted({b for c in children for b in c.breaks}))


class Partition:
    """Partitions of the nodes of expressions in one variable, memoised per node.

    Examples:
        >>> from sympy import Symbol, Max, Abs
        >>> x = Symbol("x", real=True)
        >>> part = Partition(x)
        >>> [str(b) for b in part.of(Max(0, Abs(x) - 1)).breaks]
        ['-1', '0', '1']
        >>> part.form(Max(0, Abs(x) - 1), sympy.Integer(1), 1)
        x - 1
    """

    def __init__(self, x: sympy.Symbol) -> None:
        self.x = x
        self.memo: dict[sympy.Basic, Pw | Unsupported] = {}

    # -- building ------------------------------------------------------------------

    def of(self, e: sympy.Basic) -> Pw:
        """The partition of e (Unsupported outside the class)."""
        found = self.memo.get(e)
        if found is None:
            try:
                found = self._build(e)
            except Unsupported as why:
                found = why
            except RecursionError:
                found = Unsupported("the expression is too deep")
            self.memo[e] = found
        if isinstance(found, Unsupported):
            raise found
        return found

    def _build(self, e: sympy.Basic) -> Pw:
        if e == self.x:
            return Pw(breaks=(), pieces=((Fraction(0), Fraction(1)),))
        if not e.has(self.x):
            c = _fraction(e)
            if c is None:
                raise Unsupported(f"the constant {e} is not rational")
            return Pw(breaks=(), pieces=(_trim([c]),))
        if isinstance(e, Add):
            children = [self.of(a) for a in e.args]
            pw = self._add(children)
            pw.continuous = all(c.continuous for c in children)
            return pw
        if isinstance(e, Mul):
            return self._combine(e, lambda ps: functools.reduce(_mul, ps))
        if isinstance(e, Pow):
            n = e.exp
            if not (n.is_Integer and 0 <= int(n) <= MAX_DEGREE):
                raise Unsupported(f"the power {e}")
            k = int(n)
            return self._combine(e, lambda ps: functools.reduce(_mul, [ps[0]] * k, (Fraction(1),)),
                                 only=[e.base])
        kind = _kind(e)
        if kind is Side.MAX_MIN:
            return self._max_min(e)
        if kind in _BY_SIGN:
            return self._by_sign(e)
        if kind is Switch.CONDITIONS:
            return self._piecewise(e)
        raise Unsupported(f"{e.func} is not piecewise polynomial")

    def _add(self, children: list[Pw]) -> Pw:
        """A sum, swept left to right: only the terms breaking at a point change there."""
        at: dict[Fraction, list[int]] = {}
        for j, c in enumerate(children):
            for b in c.breaks:
                at.setdefault(b, []).append(j)
        breaks = tuple(sorted(at))
        index = [0] * len(children)
        running: Poly = functools.reduce(_add, (c.pieces[0] for c in children), ())
        pieces = [running]
        for b in breaks:
            for j in at[b]:
                c = children[j]
                running = _add(running, _sub(c.pieces[index[j] + 1], c.pieces[index[j]]))
                index[j] += 1
            pieces.append(running)
        return Pw(breaks=breaks, pieces=tuple(pieces))

    def _combine(self, e: sympy.Basic, op: Callable[[list[Poly]], Poly],
                 only: list[sympy.Basic] | None = None) -> Pw:
        children = [self.of(a) for a in (only if only is not None else e.args)]
        breaks = _merge(children)
        pieces = []
        for t in _samples(breaks):
            pieces.append(op([c.pieces[c.index(t, 1)] for c in children]))
            if len(pieces[-1]) - 1 > MAX_DEGREE:
                raise Unsupported(f"a piece of degree {len(pieces[-1]) - 1}")
        return Pw(breaks=breaks, pieces=tuple(pieces),
                  continuous=all(c.continuous for c in children))

    def _refine(self, breaks: tuple[Fraction, ...], switches: Callable[[Fraction], list[Poly]]
                ) -> tuple[Fraction, ...]:
        """Add to breaks the roots of every switch polynomial, interval by interval."""
        new: set[Fraction] = set()
        ends = [None, *breaks, None]
        for i, t in enumerate(_samples(breaks)):
            lo, hi = ends[i], ends[i + 1]
            for d in switches(t):
                for r in _roots(d):
                    if (lo is None or r > lo) and (hi is None or r < hi):
                        new.add(r)
        return tuple(sorted(new.union(breaks))) if new else breaks

    def _max_min(self, e: sympy.Basic) -> Pw:
        children = [self.of(a) for a in e.args]
        want = 1 if isinstance(e, Max) else -1

        def at(t: Fraction) -> list[Poly]:
            return [c.pieces[c.index(t, 1)] for c in children]

        def switches(t: Fraction) -> list[Poly]:
            ps = at(t)
            return [_sub(p, q) for i, p in enumerate(ps) for q in ps[i + 1:]]

        breaks = self._refine(_merge(children), switches)
        pieces, choice = [], []
        for t in _samples(breaks):
            ps = at(t)
            best = 0  # resolve's rule: a later argument wins only if strictly better
            for k in range(1, len(ps)):
                if _sign(_at(_sub(ps[k], ps[best]), t)) == want:
                    best = k
            pieces.append(ps[best])
            choice.append(best)
        return Pw(breaks=breaks, pieces=tuple(pieces), choice=tuple(choice),
                  continuous=all(c.continuous for c in children))

    def _by_sign(self, e: sympy.Basic) -> Pw:
        kind = _kind(e)
        if kind is Side.HEAVISIDE and len(e.args) > 1 and e.args[1].has(self.x):
            raise Unsupported(f"{e} with a variable value at 0")
        u = self.of(e.args[0])
        breaks = self._refine(u.breaks, lambda t: [u.pieces[u.index(t, 1)]])
        pieces, choice = [], []
        for t in _samples(breaks):
            p = u.pieces[u.index(t, 1)]
            s = _sign(_at(p, t))
            choice.append(s)
            if kind is Side.ABS:
                pieces.append(_neg(p) if s < 0 else p)
            elif kind is Side.SIGN:
                pieces.append(_trim([Fraction(s)]))
            elif s == 0:  # Heaviside of an argument vanishing on an interval: H(0)
                h0 = _fraction(Heaviside(0, *e.args[1:]))
                if h0 is None:
                    raise Unsupported(f"{e} at 0")
                pieces.append(_trim([h0]))
            else:
                pieces.append(_trim([Fraction(int(s > 0))]))
        return Pw(breaks=breaks, pieces=tuple(pieces), choice=tuple(choice),
                  continuous=kind is Side.ABS and u.continuous)

    def _conditions(self, c: sympy.Basic) -> list[sympy.Expr]:
        if isinstance(c, (BooleanTrue, BooleanFalse)):
            return []
        if isinstance(c, (And, Or, Not)):
            return [d for arg in c.args for d in self._conditions(arg)]
        if isinstance(c, sympy.Rel) and type(c) in REL_TRUTH:
            return [c.lhs - c.rhs]
        raise Unsupported(f"the condition {c}")

    def _truth(self, c: sympy.Basic, t: Fraction, side: int | None) -> bool:
        """A condition on the interval around t (side None: at the point t itself)."""
        if isinstance(c, BooleanTrue):
            return True
        if isinstance(c, BooleanFalse):
            return False
        if isinstance(c, And):
            return all(self._truth(a, t, side) for a in c.args)
        if isinstance(c, Or):
            return any(self._truth(a, t, side) for a in c.args)
        if isinstance(c, Not):
            return not self._truth(c.args[0], t, side)
        d = c.lhs - c.rhs
        if side is None:
            v = self.value(d, t)
            if v is None:
                raise Unsupported(f"the condition {c} is undefined at {t}")
            return REL_TRUTH[type(c)](_sign(v))
        p = self.of(d)
        return REL_TRUTH[type(c)](_sign(_at(p.pieces[p.index(t, 1)], t)))

    def _piecewise(self, e: sympy.Basic) -> Pw:
        exprs = [self.of(a) for a, _c in e.args]
        tests = [self.of(d) for _a, c in e.args for d in self._conditions(c)]
        breaks = self._refine(_merge(exprs + tests),
                              lambda t: [p.pieces[p.index(t, 1)] for p in tests])
        pieces, choice = [], []
        for t in _samples(breaks):
            k = next((k for k, (_a, c) in enumerate(e.args) if self._truth(c, t, 1)), None)
            if k is None:
                raise Unsupported(f"no piece of {e} applies on an interval")
            pieces.append(exprs[k].pieces[exprs[k].index(t, 1)])
            choice.append(k)
        return Pw(breaks=breaks, pieces=tuple(pieces), choice=tuple(choice), continuous=False)

    # -- reading -------------------------------------------------------------------

    def value(self, e: sympy.Basic, t: Fraction) -> Fraction | None:
        """e(t) exactly, by value_at's rules (None: undefined, a Piecewise with no piece)."""
        pw = self.of(e)
        i = bisect.bisect_left(pw.breaks, t)
        if i == len(pw.breaks) or pw.breaks[i] != t or pw.continuous:
            # inside one interval the piece is e there; at a break of a continuous e,
            # the piece's limit is e's value
            return _at(pw.pieces[i], t)
        kind = _kind(e)
        if kind is Switch.CONDITIONS:
            k = next((k for k, (_a, c) in enumerate(e.args) if self._truth(c, t, None)), None)
            return None if k is None else self.value(e.args[k][0], t)
        if isinstance(e, Pow):
            base = self.value(e.base, t)
            return None if base is None else base ** int(e.exp)
        args = [self.value(a, t) for a in e.args]
        if any(a is None for a in args):
            return None
        vals: list[Fraction] = args  # type: ignore[assignment]
        if isinstance(e, Add):
            return sum(vals, Fraction(0))
        if isinstance(e, Mul):
            return functools.reduce(lambda p, q: p * q, vals, Fraction(1))
        if kind is Side.MAX_MIN:
            want = 1 if isinstance(e, Max) else -1
            best = vals[0]
            for v in vals[1:]:
                if _sign(v - best) == want:
                    best = v
            return best
        s = _sign(vals[0])
        if kind is Side.ABS:
            return abs(vals[0])
        if kind is Side.SIGN:
            return Fraction(s)
        if s == 0:  # Heaviside
            return _fraction(Heaviside(0, *e.args[1:]))
        return Fraction(int(s > 0))

    def form(self, e: sympy.Basic, a: sympy.Expr, side: int) -> sympy.Expr:
        """The branch-free form of e just to one side of the rational point a."""
        t = _fraction(a)
        if t is None:
            raise Unsupported(f"the point {a} is not rational")
        pw = self.of(e)
        return self._form(e, pw, pw.index(t, side))

    def _form(self, e: sympy.Basic, pw: Pw, i: int) -> sympy.Expr:
        if i in pw.forms:
            return pw.forms[i]
        if e == self.x or not e.has(self.x):
            return e
        t = _sample(pw.breaks, i)

        def child(arg: sympy.Basic) -> sympy.Expr:
            c = self.of(arg)
            return self._form(arg, c, c.index(t, 1))

        out: sympy.Expr
        kind = _kind(e)
        if kind is Side.MAX_MIN:
            out = child(e.args[pw.choice[i]])
        elif kind is Side.ABS:
            u = child(e.args[0])
            out = -u if pw.choice[i] < 0 else u
        elif kind is Side.SIGN:
            out = sympy.Integer(pw.choice[i])
        elif kind is Side.HEAVISIDE:
            s = pw.choice[i]
            out = S.One if s > 0 else S.Zero if s < 0 else Heaviside(0, *e.args[1:])
        elif kind is Switch.CONDITIONS:
            out = child(e.args[pw.choice[i]][0])
        else:
            out = e.func(*(child(arg) for arg in e.args))
        pw.forms[i] = out
        return out


def _sample(breaks: tuple[Fraction, ...], i: int) -> Fraction:
    if not breaks:
        return Fraction(0)
    if i == 0:
        return breaks[0] - 1
    if i == len(breaks):
        return breaks[-1] + 1
    return (breaks[i - 1] + breaks[i]) / 2


# --- discovery's question: where does an equation's expression vanish? -----------------


def zeros(part: Partition, u: sympy.Expr) -> sympy.Set:
    """{x : u(x) = 0} on the whole line: isolated points and closed intervals.

    Raises Unsupported when u is outside the class.

    Examples:
        >>> from sympy import Symbol, Max, Abs
        >>> x = Symbol("x", real=True)
        >>> zeros(Partition(x), Abs(Abs(x) - 1) - 1)
        {-2, 0, 2}
        >>> zeros(Partition(x), Max(0, x - 1))
        Interval(-oo, 1)
    """
    pw = part.of(u)
    points: list[Fraction] = []
    spans: list[tuple[Fraction | None, Fraction | None]] = []
    start: Fraction | None = None  # the left end of the run of vanishing intervals
    running = False
    ends: list[Fraction | None] = [None, *pw.breaks, None]
    for i, p in enumerate(pw.pieces):
        lo, hi = ends[i], ends[i + 1]
        if not p:
            if not running:
                start, running = lo, True
        else:
            if running:
                spans.append((start, lo))
                running = False
            points += [r for r in _roots(p)
                       if (lo is None or r > lo) and (hi is None or r < hi)]
        if hi is not None:
            value = part.value(u, hi)
            vanishing_next = not pw.pieces[i + 1]
            if running and (value != 0 or not vanishing_next):
                spans.append((start, hi))
                running = False
            elif value == 0 and not running:
                points.append(hi)
    if running:
        spans.append((start, None))
    out: sympy.Set = sympy.FiniteSet(*(_sympy(p) for p in points))
    intervals = [sympy.Interval(S.NegativeInfinity if lo is None else _sympy(lo),
                                S.Infinity if hi is None else _sympy(hi)) for lo, hi in spans]
    return sympy.Union(out, *intervals) if intervals else out


def switches(part: Partition, source: sympy.Basic, p: sympy.Expr) -> bool | None:
    """For Max/Min: do at least two arguments tie for the top at p? (None: cannot tell here)."""
    t = _fraction(p)
    if t is None or not isinstance(source, (Max, Min)):
        return None
    try:
        values = [part.value(a, t) for a in source.args]
    except Unsupported:
        return None
    if any(v is None for v in values):
        return None
    top = (max if isinstance(source, Max) else min)(values)  # type: ignore[type-var]
    return sum(v == top for v in values) >= 2


# --- branch resolution at the points, for the sweep and the per-point evaluation ------------


def resolver(part: Partition, x: sympy.Symbol) -> Callable[[sympy.Expr, sympy.Expr, int],
                                                          sympy.Expr]:
    """``resolve(term, x, a, side)`` read off the partition where it applies."""

    def side_form(term: sympy.Expr, a: sympy.Expr, side: int) -> sympy.Expr:
        try:
            return part.form(term, a, side)
        except Unsupported:
            return resolve(term, x, a, side)

    return side_form


def evaluator(part: Partition, x: sympy.Symbol) -> Callable[[sympy.Expr, sympy.Expr],
                                                           sympy.Expr | None]:
    """``value_at(term, x, a)`` read off the partition where it applies."""

    def value(term: sympy.Expr, a: sympy.Expr) -> sympy.Expr | None:
        t = _fraction(a)
        if t is not None:
            try:
                v = part.value(term, t)
            except Unsupported:
                pass
            else:
                return None if v is None else _sympy(v)
        return value_at(term, x, a)

    return value


def resolve_all(part: Partition, f: sympy.Expr,
                points: list[sympy.Expr]) -> dict[sympy.Expr, Resolved] | None:
    """f(a) and f's forms on both sides of every point, when f is in the class (else None)."""
    ts = [_fraction(a) for a in points]
    if any(t is None for t in ts):
        return None
    try:
        return {a: Resolved(value=None if (v := part.value(f, t)) is None else _sympy(v),
                            left=part.form(f, a, -1), right=part.form(f, a, 1))
                for a, t in zip(points, ts, strict=True) if t is not None}
    except Unsupported:
        return None
