"""Conditions on the real parameters: assumptions, critical factors, cells.

A function with parameters (``Abs(x)**p``, ``a*Abs(x - b)``) may behave
differently at a point for different parameter values.  The analysis splits
the admissible parameter values into *cells* on which the signs of a few
*critical factors* (expressions in the parameters only) are fixed, and in
each cell rewrites every parameter in terms of new positive symbols, so that
SymPy, which reasons only with the assumptions carried by symbols, can decide
signs there:

* an open interval ``(c1, c2)`` of p becomes ``p = c1 + (c2 - c1)*q/(1 + q)``,
  ``(c, oo)`` becomes ``p = c + q`` and ``(-oo, c)`` becomes ``p = c - q`` with
  ``q > 0`` (for an integer parameter, ``q`` is a positive integer and the
  ends are rounded);
* a point ``p = c`` is substituted;
* a factor in several parameters (``a - b``) is solved for a free parameter
  in which it is linear: ``a - b = 0`` gives ``a = b``, ``a - b > 0`` gives
  ``a = b + q``.

Each cell keeps the substitution (``forward``), its inverse (``backward``,
to state results in the original parameters) and a few sample parameter
values inside it (``samples``) for the independent check in
:mod:`diffcheck.analysis.cases`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import sympy
from sympy import S

from diffcheck.facts import SIGNED

MAX_CELLS = 48
"""At most this many cells per point; beyond it the point is ``unknown``."""
MAX_INTEGERS = 12
"""A bounded interval of an integer parameter is listed member by member up to this size."""
_POSITIVE_SAMPLES = (S.One, S.Half, sympy.Integer(2))
_INTEGER_SAMPLES = (S.One, sympy.Integer(2), sympy.Integer(3))
_FREE_SAMPLES = (S.One, sympy.Rational(-3, 2), S.Zero)
_FREE_INTEGER_SAMPLES = (S.One, sympy.Integer(-2), S.Zero)

@dataclass(frozen=True, slots=True, kw_only=True)
class Assumptions:
    """What the user said about the parameters (``--assume``).

    ``relations`` are SymPy relations between parameters and numbers;
    ``integers`` names the parameters that take integer values only.

    Built from the ``--assume`` texts by
    :func:`diffcheck.analysis.assumptions.parse_assumptions`.
    """

    relations: tuple[sympy.Basic, ...] = ()
    integers: frozenset[str] = frozenset()

    @property
    def names(self) -> frozenset[str]:
        """The parameter names the assumptions speak about."""
        named = {str(s) for r in self.relations for s in r.free_symbols}
        return frozenset(named | self.integers)

    def shown(self) -> tuple[str, ...]:
        """The assumptions as text, for reports and JSON."""
        return (*(sympy.sstr(r) for r in self.relations),
                *(f"{n} integer" for n in sorted(self.integers)))


NO_ASSUMPTIONS = Assumptions()
"""Parameters are real, and nothing more is known about them."""


# --- critical factors ---------------------------------------------------------------


def factors_of(e: sympy.Expr, params: frozenset[sympy.Symbol]) -> set[sympy.Expr]:
    """The irreducible factors of ``e`` (numerator and denominator) that involve parameters.

    Examples:
        >>> a, b = sympy.symbols("a b", real=True)
        >>> sorted(map(str, factors_of(2*a*(a - b)/(b + 1), frozenset({a, b}))))
        ['a', 'a - b', 'b + 1']
    """
    out: set[sympy.Expr] = set()
    if not e.free_symbols & params or e.free_symbols - params:
        return out
    ordered = sorted(params, key=str)
    try:
        num, den = sympy.fraction(sympy.together(e))
        for part in (num, den):
            _c, fs = sympy.factor_list(part)
            for f, _m in fs:
                if not f.free_symbols & params or f.is_number:
                    continue
                if f.is_polynomial(*ordered):
                    out.add(_monic(f))
                else:  # Abs(d) - d: what matters is the sign of d
                    for node in sympy.preorder_traversal(f):
                        if isinstance(node, _SIGNED):
                            for arg in node.args:
                                out |= factors_of(arg, params)
    except (sympy.PolynomialError, NotImplementedError, TypeError, ValueError,
            sympy.polys.polyerrors.GeneratorsNeeded):
        return out
    return out


_SIGNED = SIGNED  # the facts table: the branch follows the sign of an argument


def _monic(f: sympy.Expr) -> sympy.Expr:
    """``f`` scaled so that its sign conditions read naturally (leading coefficient 1)."""
    try:
        poly = sympy.Poly(f)
        lc = poly.LC()
    except (sympy.PolynomialError, sympy.polys.polyerrors.GeneratorsNeeded):
        return f
    return sympy.expand(f / lc) if lc.is_number and lc != 0 else f


# --- cells --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Piece:
    """One piece of a parameter's admissible values: a point or an open interval."""

    param: sympy.Symbol
    set: sympy.Set


@dataclass(slots=True, kw_only=True)
class Cell:
    """A set of parameter values on which every critical factor has a fixed sign."""

    pieces: dict[sympy.Symbol, sympy.Set] = field(default_factory=dict)
    relations: tuple[sympy.Basic, ...] = ()
    forward: dict[sympy.Symbol, sympy.Expr] = field(default_factory=dict)
    backward: dict[sympy.Symbol, sympy.Expr] = field(default_factory=dict)
    bases: dict[sympy.Symbol, tuple[sympy.Expr, ...]] = field(default_factory=dict)
    exact: bool = True  # False: a factor's sign could not be carried by the substitution

    def condition(self) -> sympy.Basic:
        """The cell as one SymPy condition in the original parameters."""
        parts = [set_condition(s, p) for p, s in sorted(self.pieces.items(), key=_by_name)]
        return sympy.And(*parts, *self.relations)

    def samples(self) -> list[dict[sympy.Symbol, sympy.Expr]]:
        """A few parameter values inside the cell (original parameters -> numbers)."""
        out: list[dict[sympy.Symbol, sympy.Expr]] = []
        for i in range(3):
            base = {q: values[i % len(values)] for q, values in self.bases.items()}
            point = {p: sympy.nsimplify(sympy.sympify(e).xreplace(base))
                     for p, e in self.forward.items()}
            if point not in out and all(v.is_number and v.is_finite for v in point.values()):
                out.append(point)
        return out


def _by_name(item: tuple[sympy.Symbol, sympy.Set]) -> str:
    return str(item[0])


def set_condition(s: sympy.Set, p: sympy.Symbol) -> sympy.Basic:
    """The set ``s`` of values of ``p`` as a relation (``p > 1``, ``Ne(p, 0)``, ``p = 1``).

    Examples:
        >>> p = sympy.Symbol("p", real=True)
        >>> set_condition(sympy.Interval.open(0, 1), p)
        (p > 0) & (p < 1)
        >>> set_condition(S.Reals - sympy.FiniteSet(0), p)
        Ne(p, 0)
    """
    if s == S.Reals:
        return S.true
    holes = S.Reals - s
    if isinstance(holes, sympy.FiniteSet) and holes:
        return sympy.And(*(sympy.Ne(p, h) for h in holes))
    if isinstance(s, sympy.FiniteSet) and len(s) == 1:
        return sympy.Eq(p, s.args[0])
    if isinstance(s, sympy.Interval):
        parts = []
        if s.start != S.NegativeInfinity:
            parts.append(sympy.Gt(p, s.start) if s.left_open else sympy.Ge(p, s.start))
        if s.end != S.Infinity:
            parts.append(sympy.Lt(p, s.end) if s.right_open else sympy.Le(p, s.end))
        return sympy.And(*parts)
    if isinstance(s, sympy.Union):
        return sympy.Or(*(set_condition(a, p) for a in s.args))
    return s.as_relational(p)


def admissible(p: sympy.Symbol, assumptions: Assumptions) -> sympy.Set:
    """The values of ``p`` that the univariate assumptions allow."""
    allowed: sympy.Set = S.Reals
    for r in assumptions.relations:
        if r.free_symbols == {p}:
            try:
                allowed = allowed & r.as_set()
            except NotImplementedError:
                continue
    return allowed


def univariate_values(f: sympy.Expr, p: sympy.Symbol) -> list[sympy.Expr] | None:
    """The real zeros of a factor in ``p`` alone (``None``: not a polynomial we can solve)."""
    try:
        roots = sympy.Poly(f, p).real_roots()
    except (sympy.PolynomialError, NotImplementedError):
        return None
    return sorted(set(roots), key=lambda r: float(r))


def _pieces(p: sympy.Symbol, values: list[sympy.Expr], allowed: sympy.Set,
            integer: bool) -> list[sympy.Set]:
    """The admissible values of p cut at ``values``: points and open intervals."""
    cuts = set(values)
    boundary = allowed.boundary
    if isinstance(boundary, sympy.FiniteSet):
        cuts |= {b for b in boundary.args if b.is_finite}
    ordered = sorted(cuts, key=lambda c: float(c))
    ends = [S.NegativeInfinity, *ordered, S.Infinity]
    out: list[sympy.Set] = []
    for i in range(len(ends) - 1):
        if i > 0:
            c = ends[i]
            if allowed.contains(c) is S.true and (not integer or c.is_integer):
                out.append(sympy.FiniteSet(c))
        part = sympy.Interval.open(ends[i], ends[i + 1])
        if (part & allowed) != part:
            continue
        if integer:
            lo, hi = part.start, part.end
            if lo.is_finite and hi.is_finite:
                members = list(range(int(sympy.floor(lo)) + 1, int(sympy.ceiling(hi))))
                if len(members) > MAX_INTEGERS:
                    out.append(part)
                else:
                    out += [sympy.FiniteSet(sympy.Integer(m)) for m in members]
                continue
        out.append(part)
    return out


def _reparam(p: sympy.Symbol, s: sympy.Set, integer: bool, cell: Cell) -> None:
    """Write ``p`` in the piece ``s`` through a new positive symbol (or substitute a point)."""
    if isinstance(s, sympy.FiniteSet):
        cell.forward[p] = s.args[0]
        return
    assert isinstance(s, sympy.Interval)
    lo, hi = s.start, s.end
    if lo == S.NegativeInfinity and hi == S.Infinity:
        if integer:
            n = sympy.Symbol(p.name, integer=True)
            cell.forward[p], cell.backward[n] = n, p
            cell.bases[n] = _FREE_INTEGER_SAMPLES
            return
        cell.forward[p] = p
        cell.bases[p] = _FREE_SAMPLES
        return
    q = sympy.Dummy(f"{p.name}_", positive=True, integer=integer or None)
    samples = _INTEGER_SAMPLES if integer else _POSITIVE_SAMPLES
    if hi == S.Infinity:
        start = sympy.floor(lo) if integer else lo
        cell.forward[p], cell.backward[q] = start + q, p - start
    elif lo == S.NegativeInfinity:
        end = sympy.ceiling(hi) if integer else hi
        cell.forward[p], cell.backward[q] = end - q, end - p
    elif integer:  # a long bounded run of integers: keep p, check by samples only
        cell.forward[p] = p
        cell.exact = False
        mid = sympy.floor((lo + hi) / 2)
        cell.bases[p] = (mid, sympy.floor(lo) + 1, sympy.ceiling(hi) - 1)
        return
    else:
        width = hi - lo
        cell.forward[p] = lo + width * q / (1 + q)
        cell.backward[q] = (p - lo) / (hi - p)
    cell.bases[q] = samples


def cells(params: frozenset[sympy.Symbol], critical: set[sympy.Expr],
          assumptions: Assumptions) -> list[Cell] | None:
    """Split the admissible parameter values by the signs of the ``critical`` factors.

    Returns ``None`` when more than :data:`MAX_CELLS` cells would be needed.
    Univariate factors cut the parameter's line at their real zeros; a factor
    in several parameters is split three ways (< 0, = 0, > 0) when it is
    linear in a parameter left free.  Cells that the assumptions rule out are
    dropped; an empty result means the assumptions contradict each other.
    """
    ordered = sorted(params, key=str)
    integers = {p for p in ordered if p.name in assumptions.integers}
    cuts: dict[sympy.Symbol, list[sympy.Expr]] = {p: [] for p in ordered}
    several: list[tuple[sympy.Expr, tuple[int, ...]]] = []
    for f in sorted(critical, key=sympy.default_sort_key):
        syms = f.free_symbols & params
        if len(syms) == 1:
            [p] = syms
            zeros = univariate_values(f, p)
            if zeros is not None:
                cuts[p] += zeros
                continue
        several.append((f, (-1, 0, 1)))
    for r in assumptions.relations:
        if len(r.free_symbols) > 1:
            d = r.lhs - r.rhs
            several.append((d, tuple(s for s in (-1, 0, 1) if _REL_OK[type(r)](s))))
    choices = []
    for p in ordered:
        allowed = admissible(p, assumptions)
        if allowed is S.EmptySet:
            return []
        choices.append(_pieces(p, cuts[p], allowed, p in integers))
    total = 1
    for c in choices:
        total *= max(len(c), 1)
    if total * 3 ** len(several) > MAX_CELLS * 3:
        return None
    out: list[Cell] = []
    for combo in itertools.product(*choices):
        cell = Cell(pieces=dict(zip(ordered, combo, strict=True)))
        for p, s in cell.pieces.items():
            _reparam(p, s, p in integers, cell)
        out += _split(cell, several, params)
        if len(out) > MAX_CELLS:
            return None
    return out


_REL_OK = {
    sympy.StrictLessThan: lambda s: s < 0, sympy.LessThan: lambda s: s <= 0,
    sympy.StrictGreaterThan: lambda s: s > 0, sympy.GreaterThan: lambda s: s >= 0,
    sympy.Eq: lambda s: s == 0, sympy.Ne: lambda s: s != 0,
}


def _sign_of(e: sympy.Expr) -> int | None:
    e = sympy.simplify(e)
    if e.is_zero:
        return 0
    if e.is_positive:
        return 1
    if e.is_negative:
        return -1
    return None


def _split(cell: Cell, several: list[tuple[sympy.Expr, tuple[int, ...]]],
           params: frozenset[sympy.Symbol]) -> list[Cell]:
    """Refine ``cell`` by the sign of each factor in several parameters."""
    if not several:
        return [cell]
    (f, signs), rest = several[0], several[1:]
    g = f.xreplace(cell.forward)
    known = _sign_of(g)
    if known is not None:
        return _split(cell, rest, params) if known in signs else []
    free = [p for p in sorted(params, key=str) if cell.forward.get(p) == p and g.has(p)]
    out: list[Cell] = []
    for s in signs:
        rel = {-1: sympy.Lt, 0: sympy.Eq, 1: sympy.Gt}[s](f, 0)
        child = Cell(pieces=dict(cell.pieces), relations=(*cell.relations, rel),
                     forward=dict(cell.forward), backward=dict(cell.backward),
                     bases=dict(cell.bases), exact=cell.exact)
        v = next((p for p in free if sympy.degree(g, p) == 1 and g.coeff(p).is_number), None)
        if v is None:
            child.exact = False
        else:
            k = g.coeff(v)
            rest_part = sympy.expand(g - k * v)
            if s == 0:
                value = -rest_part / k
            else:
                q = sympy.Dummy(f"{v.name}_", positive=True)
                value = (-rest_part + s * q) / k
                child.backward[q] = s * f
                child.bases[q] = _POSITIVE_SAMPLES
            child.forward = {p: e.xreplace({v: value}) for p, e in child.forward.items()}
            child.bases.pop(v, None)
        out += _split(child, rest, params)
    return out
