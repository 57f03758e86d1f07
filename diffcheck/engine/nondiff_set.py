"""The set where a piecewise smooth function of several variables is not differentiable.

f is split into *cases*: branch-free expressions f_c, each on the open region
where its *ties* are positive (``Abs(u)`` gives u on u > 0 and -u on -u > 0,
``Max(a, b)`` gives a on a - b > 0 and b on b - a > 0, a Piecewise its pieces
on their conditions).  The regions partition R^n off the switching surfaces,
the zero sets of the ties.  Each tie is a polynomial; a *component* k of a
switching surface is one of its irreducible factors.

At a point p of a component S = {k = 0} where no other tie vanishes and S is
regular (∇k(p) ≠ 0), exactly one case f₊ is active on the side k > 0 and one,
f₋, on the side k < 0.  When f₊ and f₋ are C^1 up to S:

* f₊(p) ≠ f₋(p): f jumps across S, so it is not continuous at p;
* otherwise f is differentiable at p exactly when ∇f₊(p) = ∇f₋(p)
  (both pieces are f(p) + ∇f±(p)·v + o(|v|) on their sides).

When a piece is not C^1 up to S because of a root u**q of a base vanishing
to first order on S (0 < q < 1, as sqrt(Abs(x*y)) on the axes), writing the
piece as F(u**q, x) with ∂F/∂z ≠ 0 at p gives f(p + t n) - f(p) ~ c t**q on
one side of S: an infinite one-sided derivative, so f is not differentiable.

What these arguments do not reach is returned for the point analysis: the
points where S meets another surface, its singular points, the points of a
component with finitely many real points (x**2 + y**2 = 0), and the points
where a criterion degenerates.  Anything else (infinitely many such points,
non-polynomial ties, functions this module does not model) is returned as
undecided with the reason, never dropped.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import sympy
from sympy import Abs, Heaviside, Max, Min, Piecewise, S, sign
from sympy.logic.boolalg import BooleanFalse, BooleanTrue
from sympy.solvers.simplex import InfeasibleLPError, UnboundedLPError, lpmax

from diffcheck.facts import ENTIRE

__all__ = ["Case", "Component", "SetPlan", "Unsupported", "cases", "plan"]

MAX_CASES = 256
"""More branch-free cases than this: the set is left undecided."""
MAX_POINTS = 24
"""More points for the point analysis than this: the rest are left undecided."""

SMOOTH_FUNCTIONS = ENTIRE
"""Functions smooth on all of R (the set analysis composes them freely): the facts
table's real-analytic classes."""
_COMPOSABLE: tuple[type[sympy.Basic], ...] = (sympy.Add, sympy.Mul, sympy.Pow, *SMOOTH_FUNCTIONS)


class Unsupported(Exception):
    """The set analysis does not model this expression (the message says why)."""


@dataclass(frozen=True, slots=True)
class Case:
    """A branch-free piece of f and its region: every tie > 0."""

    piece: sympy.Expr
    ties: tuple[sympy.Expr, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Component:
    """One irreducible component {k = 0} of a switching surface and what was found on it.

    When k is solvable for ``solved`` (k = a*solved + r with a constant a != 0),
    the component is the graph solved = ``graph`` over the other variables;
    with two variables ``nondifferentiable`` is then a set of values of the one
    other variable ``parameter``.  Otherwise ``condition`` (a Boolean in the
    variables, with ``Eq(k, 0)``) describes the proven part.
    """

    k: sympy.Expr
    solved: sympy.Symbol | None = None
    graph: sympy.Expr | None = None
    parameter: sympy.Symbol | None = None
    nondifferentiable: sympy.Set = S.EmptySet  # values of `parameter` (two variables)
    condition: sympy.Basic = S.false  # otherwise: where on the component f is proven not
    reason: str = ""


@dataclass(slots=True)
class SetPlan:
    """What the symbolic stage decided, and the points it leaves to the point analysis."""

    components: list[Component] = field(default_factory=list)
    points: dict[tuple[sympy.Expr, ...], list[tuple[int, sympy.Expr | None]]] = field(
        default_factory=dict)  # point -> (component index, parameter value) it belongs to
    undecided: list[tuple[sympy.Set, str, str]] = field(default_factory=list)  # set, words, why


# --- cases -----------------------------------------------------------------------------------


def _key(g: sympy.Expr, variables: tuple[sympy.Symbol, ...]) -> tuple[sympy.Expr, int]:
    """A tie up to a positive factor: (primitive polynomial with positive leading term, sign)."""
    poly = sympy.Poly(g, *variables)
    _content, prim = poly.primitive()
    lead = prim.LC()
    s = 1 if lead > 0 else -1
    c = poly.LC() / prim.LC()
    return (prim * s).as_expr(), (1 if c * s > 0 else -1)


def _polynomial(g: sympy.Expr, variables: tuple[sympy.Symbol, ...]) -> sympy.Expr:
    g = sympy.expand(g)
    if not g.is_polynomial(*variables):
        raise Unsupported(f"the switching surface {sympy.sstr(g)} = 0 is not polynomial")
    return g


def cases(f: sympy.Expr, variables: tuple[sympy.Symbol, ...]) -> tuple[Case, ...]:
    """The branch-free cases of f (pieces and their regions).

    Raises:
        Unsupported: a node this analysis does not model, a non-polynomial
            tie, or more than :data:`MAX_CASES` cases.

    Examples:
        >>> x, y = sympy.symbols("x y", real=True)
        >>> [(str(c.piece), c.ties) for c in cases(Abs(x) + y, (x, y))]
        [('x + y', (x,)), ('-x + y', (-x,))]
    """
    return _split(f, variables)[0]


def _split(f: sympy.Expr, variables: tuple[sympy.Symbol, ...]
           ) -> tuple[tuple[Case, ...], tuple[sympy.Expr, ...]]:
    """The cases of f, and the polynomials h of its conditions Eq(h, 0) and Ne(h, 0)."""
    memo: dict[sympy.Basic, list[Case]] = {}

    def combine(parts: list[list[Case]]) -> list[list[Case]]:
        out = []
        for combo in itertools.product(*parts):
            out.append(list(combo))
        if len(out) > MAX_CASES:
            raise Unsupported(f"more than {MAX_CASES} branch-free cases")
        return out

    def merge(*groups: tuple[sympy.Expr, ...]) -> tuple[sympy.Expr, ...] | None:
        """The ties of all groups; None when two contradict (g > 0 and -g > 0)."""
        seen: dict[sympy.Expr, tuple[int, sympy.Expr]] = {}
        for g in itertools.chain.from_iterable(groups):
            if g.is_number:
                if g > 0:
                    continue
                return None
            key, s = _key(g, variables)
            if key in seen:
                if seen[key][0] != s:
                    return None
                continue
            seen[key] = (s, g)
        return tuple(g for _s, g in seen.values())

    def go(e: sympy.Expr) -> list[Case]:
        if e in memo:
            return memo[e]
        out: list[Case] = []
        if not e.free_symbols & set(variables) or e.is_Atom:
            out = [Case(e)]
        elif isinstance(e, Abs):
            for c in go(e.args[0]):
                u = _polynomial(c.piece, variables)
                for k in (1, -1):
                    ties = merge(c.ties, (k * u,))
                    if ties is not None:
                        out.append(Case(k * c.piece, ties))
        elif isinstance(e, (Max, Min)):
            want = 1 if isinstance(e, Max) else -1
            for combo in combine([go(a) for a in e.args]):
                pieces = [_polynomial(c.piece, variables) if len(combo) > 1 else c.piece
                          for c in combo]
                for i, winner in enumerate(combo):
                    wins = tuple(want * (pieces[i] - pieces[j]) for j in range(len(combo))
                                 if j != i and pieces[j] != pieces[i])
                    if any(pieces[j] == pieces[i] for j in range(i)):
                        continue  # the same piece twice: counted once
                    ties = merge(*(c.ties for c in combo), wins)
                    if ties is not None:
                        out.append(Case(winner.piece, ties))
        elif isinstance(e, (sign, Heaviside)):
            for c in go(e.args[0]):
                u = _polynomial(c.piece, variables)
                for k in (1, -1):
                    value = sympy.Integer(k) if isinstance(e, sign) else sympy.Integer(k > 0)
                    ties = merge(c.ties, (k * u,))
                    if ties is not None:
                        out.append(Case(value, ties))
        elif isinstance(e, Piecewise):
            out = piecewise(e)
        elif isinstance(e, _COMPOSABLE):
            for combo in combine([go(a) for a in e.args]):
                ties = merge(*(c.ties for c in combo))
                if ties is not None:
                    out.append(Case(e.func(*(c.piece for c in combo)), ties))
        else:
            raise Unsupported(f"the set analysis does not model {e.func}")
        if len(out) > MAX_CASES:
            raise Unsupported(f"more than {MAX_CASES} branch-free cases")
        memo[e] = out
        return out

    def piecewise(e: Piecewise) -> list[Case]:
        out: list[Case] = []
        negated: list[tuple[sympy.Expr, ...]] = [()]  # open regions where no earlier condition held
        for expr, cond in e.args:
            here: list[tuple[sympy.Expr, ...]]
            rest: list[tuple[sympy.Expr, ...]]
            if isinstance(cond, BooleanFalse):
                continue
            if isinstance(cond, BooleanTrue):
                here, rest = negated, []
            elif isinstance(cond, (sympy.Ne, sympy.Eq)):
                h = _polynomial(cond.lhs - cond.rhs, variables)
                thin.append(h)  # the thin set h = 0 is decided by the point analysis
                sides = [(*r, k * h) for r in negated for k in (1, -1)]
                here, rest = (sides, []) if isinstance(cond, sympy.Ne) else ([], sides)
            elif isinstance(cond, sympy.Rel) and not cond.has(*_BRANCHING):
                h = _polynomial(cond.lhs - cond.rhs, variables)
                inside = h if isinstance(cond, (sympy.StrictGreaterThan, sympy.GreaterThan)) \
                    else -h
                here = [(*r, inside) for r in negated]
                rest = [(*r, -inside) for r in negated]
            else:
                raise Unsupported(f"the Piecewise condition {cond} is not a comparison of "
                                  f"polynomials")
            for region in here:
                for c in go(expr):
                    ties = merge(c.ties, region)
                    if ties is not None:
                        out.append(Case(c.piece, ties))
            negated = rest
            if not negated:
                break
        return out

    thin: list[sympy.Expr] = []
    return tuple(go(f)), tuple(thin)


_BRANCHING = (Abs, Max, Min, Piecewise, sign, Heaviside)



# --- components -------------------------------------------------------------------------------


def _factors(g: sympy.Expr, variables: tuple[sympy.Symbol, ...]
             ) -> list[tuple[sympy.Expr, int]]:
    """The irreducible factors of a polynomial tie (leading term positive) with multiplicities."""
    _c, found = sympy.factor_list(sympy.Poly(g, *variables))
    out = []
    for p, e in found:
        if p.total_degree() == 0:
            continue
        key, _s = _key(p.as_expr(), variables)
        out.append((key, e))
    return out


def _nonnegative(k: sympy.Expr, variables: tuple[sympy.Symbol, ...]) -> bool:
    """Evidently >= 0: every monomial has even exponents and a positive coefficient."""
    poly = sympy.Poly(k, *variables)
    return all(c > 0 and all(e % 2 == 0 for e in m) for m, c in poly.terms())


def _real_points(equations: list[sympy.Expr], variables: tuple[sympy.Symbol, ...]
                 ) -> list[tuple[sympy.Expr, ...]] | None:
    """The real solutions of a polynomial system when they are finitely many, else None."""
    try:
        found = sympy.solve(equations, list(variables), dict=True)
    except (NotImplementedError, ValueError, TypeError):
        return None
    points = []
    for sol in found:
        if any(v not in sol for v in variables):
            return None
        point = tuple(sympy.nsimplify(sol[v]) if sol[v].is_Float else sol[v] for v in variables)
        if any(c.free_symbols for c in point):
            return None
        if all(c.is_real for c in point):
            points.append(point)
        elif not all(c.is_real is False or c.is_real for c in point):
            return None
    return points


def _graph(k: sympy.Expr, variables: tuple[sympy.Symbol, ...]
           ) -> tuple[sympy.Symbol, sympy.Expr] | None:
    """k = a*v + r(others) with a constant a != 0: (v, -r/a), preferring the last variable."""
    for v in reversed(variables):
        a = k.diff(v)
        if a.is_number and a != 0:
            return v, sympy.expand(-(k - a * v) / a)
    return None


def _multiplicity(g: sympy.Expr, k: sympy.Expr, variables: tuple[sympy.Symbol, ...]
                  ) -> tuple[int, sympy.Expr]:
    """g = k**e * m with k not dividing m: (e, m)."""
    e = 0
    m = sympy.Poly(g, *variables)
    divisor = sympy.Poly(k, *variables)
    while True:
        q, r = sympy.div(m, divisor)
        if not r.is_zero:
            return e, m.as_expr()
        m, e = q, e + 1


def _not_finite(e: sympy.Expr) -> bool:
    return bool(e.has(S.ComplexInfinity, S.NaN, S.Infinity, S.NegativeInfinity))


def plan(f: sympy.Expr, variables: tuple[sympy.Symbol, ...]) -> SetPlan:
    """Decide what the pieces decide; return the rest as points or undecided sets.

    Raises:
        Unsupported: f is outside what this analysis models (the reason says why).
    """
    all_cases, thin = _split(f, variables)
    out = SetPlan()
    singular = _singular_bases(f, variables)
    surfaces: dict[sympy.Expr, str] = {}
    for c in all_cases:
        for g in c.ties:
            for k, e in _factors(g, variables):
                # a square k**2 > 0 excludes k = 0 on both sides: f there may come from
                # another case (Piecewise((1, x**2 > 0), (0, True))), a thin set
                surfaces[k] = "thin" if e % 2 == 0 or surfaces.get(k) == "thin" else "switch"
    for h in thin:
        for k, _e in _factors(h, variables):
            surfaces.setdefault(k, "thin")
    for h, undefined in singular:
        for k, _e in _factors(h, variables):
            surfaces[k] = "undefined" if undefined and surfaces.get(k) != "switch" else \
                surfaces.get(k, "guarded")
    for k, what in surfaces.items():
        if _nonnegative(k, variables):
            points = _real_points([k, *(k.diff(v) for v in variables)], variables)
            if points is None:
                out.undecided.append((_zero_set(k, variables), _words(k),
                                      "its real points could not be found"))
            for p in points or ():
                out.points.setdefault(p, []).append((-1, None))
            continue
        if what == "undefined":
            graph = _graph(k, variables)
            if graph is not None and len(variables) == 2:
                u = next(w for w in variables if w != graph[0])
                out.components.append(Component(k=k, solved=graph[0], graph=graph[1],
                                                parameter=u, nondifferentiable=S.Reals,
                                                reason="f is not defined there"))
            else:
                out.components.append(Component(k=k, condition=sympy.Eq(k, 0),
                                                reason="f is not defined there"))
            continue
        if what in ("thin", "guarded"):
            out.undecided.append((_zero_set(k, variables), _words(k),
                                  "f is given separately on this set (a Piecewise condition "
                                  "or a guarded pole)"))
            continue
        _component(f, variables, all_cases, k, out)
    return out


def _singular_bases(f: sympy.Expr, variables: tuple[sympy.Symbol, ...]
                    ) -> list[tuple[sympy.Expr, bool]]:
    """Bases of poles and roots that are not absolute values: (base, f undefined on its zeros).

    A pole outside every Piecewise makes f undefined where its base vanishes; a
    root of a base that may be negative restricts the domain (not modelled).
    """
    out = []
    guarded = {n for p in f.atoms(Piecewise) for n in sympy.preorder_traversal(p)}
    for node in sympy.preorder_traversal(f):
        if not isinstance(node, sympy.Pow) or not node.free_symbols & set(variables):
            continue
        base, exp = node.args
        if exp.is_integer and exp.is_nonnegative:
            continue
        if isinstance(base, Abs):
            continue
        base = _polynomial(base, variables)
        if not exp.is_integer and not _nonnegative(base, variables):
            raise Unsupported(f"f is defined only where {sympy.sstr(base)} >= 0 (the domain "
                              f"of {sympy.sstr(node)}); the set analysis does not model "
                              f"domain boundaries")
        out.append((base, bool(exp.is_integer) and node not in guarded))
    return out


def _zero_set(k: sympy.Expr, variables: tuple[sympy.Symbol, ...],
              extra: sympy.Basic = S.true) -> sympy.Set:
    space = sympy.ProductSet(*([S.Reals] * len(variables)))
    return sympy.ConditionSet(sympy.Tuple(*variables), sympy.And(sympy.Eq(k, 0), extra), space)


def _words(k: sympy.Expr) -> str:
    return f"{sympy.sstr(k)} = 0"


def _sides(g: sympy.Expr, k: sympy.Expr, variables: tuple[sympy.Symbol, ...]
           ) -> tuple[int, sympy.Expr, sympy.Expr]:
    """(multiplicity of k in g, the condition for g > 0 on the side k > 0, on the side k < 0)."""
    e, m = _multiplicity(g, k, variables)
    return e, m, (-1) ** e * m


def _component(f: sympy.Expr, variables: tuple[sympy.Symbol, ...], all_cases: tuple[Case, ...],
               k: sympy.Expr, out: SetPlan) -> None:
    """The pairs of cases across {k = 0}, decided on its regular points off other surfaces."""
    plus: dict[int, list[sympy.Expr]] = {}
    minus: dict[int, list[sympy.Expr]] = {}
    switching = []
    for i, c in enumerate(all_cases):
        plus[i], minus[i] = [], []
        odd = False
        for g in c.ties:
            e, up, down = _sides(g, k, variables)
            odd = odd or e % 2 == 1
            plus[i].append(up)
            minus[i].append(down)
        if odd:
            switching.append(i)
    graph = _graph(k, variables)
    index = len(out.components)
    if graph is None or len(variables) > 2:
        affine = all(sympy.Poly(g, *variables).total_degree() <= 1
                     for c in all_cases for g in c.ties)
        _component_general(variables, all_cases, k, switching, plus, minus, graph, affine, out)
        return
    v, phi = graph
    u = next(w for w in variables if w != v)
    sub = {v: phi}
    nd: sympy.Set = S.EmptySet
    boundary: set[sympy.Expr] = set()
    reasons: list[str] = []
    for i, j in itertools.permutations(switching, 2):
        conditions = [sympy.expand(c.xreplace(sub)) for c in plus[i] + minus[j]]
        region: sympy.Set = S.Reals
        for c in conditions:
            if c.is_number:
                region = region if c > 0 else S.EmptySet
                continue
            region = region & sympy.solveset(c > 0, u, S.Reals)
            boundary |= _finite_zeros(c, u)
        if region is S.EmptySet:
            continue
        f1, f2 = all_cases[i].piece, all_cases[j].piece
        found, more, why = _pair(f1, f2, variables, k, sub, u)
        if found is None:
            out.undecided.append((
                _zero_set(k, variables, sympy.And(*(c > 0 for c in plus[i] + minus[j]))),
                _words(k), why))
            continue
        nd |= found & region
        boundary |= more
        if why:
            reasons.append(why)
    out.components.append(Component(k=k, solved=v, graph=phi, parameter=u, nondifferentiable=nd,
                                    reason="; ".join(dict.fromkeys(reasons))))
    for t in sorted(boundary, key=sympy.default_sort_key):
        point = tuple(t if w == u else phi.xreplace({u: t}) for w in variables)
        out.points.setdefault(point, []).append((index, t))


def _finite_zeros(e: sympy.Expr, u: sympy.Symbol) -> set[sympy.Expr]:
    zeros = sympy.solveset(e, u, S.Reals)
    if isinstance(zeros, sympy.FiniteSet):
        return set(zeros)
    if zeros is S.EmptySet:
        return set()
    raise Unsupported(f"the zeros of {sympy.sstr(e)} on a switching surface are not "
                      f"finitely many")


def _pair(f1: sympy.Expr, f2: sympy.Expr, variables: tuple[sympy.Symbol, ...], k: sympy.Expr,
          sub: dict[sympy.Symbol, sympy.Expr], u: sympy.Symbol
          ) -> tuple[sympy.Set | None, set[sympy.Expr], str]:
    """Where on the component (values of u) the pieces f1 (side k > 0) and f2 (k < 0) differ
    to first order; the points left to the point analysis; the reason in words."""
    jump = sympy.simplify(_on(f1, sub) - _on(f2, sub))
    difference = [sympy.simplify(_on(f1.diff(v), sub) - _on(f2.diff(v), sub))
                  for v in variables]
    if not any(_not_finite(e) for e in (jump, *difference)):
        boundary: set[sympy.Expr] = set()
        for e in (jump, *difference):
            boundary |= _finite_zeros(sympy.together(e).as_numer_denom()[1], u)
        same = sympy.solveset(jump, u, S.Reals)
        for e in difference:
            same &= sympy.solveset(e, u, S.Reals)
        why = "the pieces' gradients differ across it" if jump == 0 else "f jumps across it"
        return S.Reals - same, boundary, why
    for piece in (f1, f2):
        found = _root(piece, variables, k, sub, u)
        if found is not None:
            return found[0], found[1], "a root of a factor vanishing there has an infinite slope"
    return None, set(), "the pieces are not C^1 up to the surface"


def _on(e: sympy.Expr, sub: dict[sympy.Symbol, sympy.Expr]) -> sympy.Expr:
    """e on the component; simplified first when substituting gives 0/0 (``(-x)**(3/2)/x``)."""
    value = sympy.simplify(e.xreplace(sub))
    if _not_finite(value):
        value = sympy.simplify(sympy.simplify(e).xreplace(sub))
    return value


def _root(piece: sympy.Expr, variables: tuple[sympy.Symbol, ...], k: sympy.Expr,
          sub: dict[sympy.Symbol, sympy.Expr], u: sympy.Symbol
          ) -> tuple[sympy.Set, set[sympy.Expr]] | None:
    """piece = F(B**q, x), B = k**a * m, 0 < q*a < 1, ∂F/∂z ≠ 0: an infinite one-sided slope."""
    for node in sympy.preorder_traversal(piece):
        if not isinstance(node, sympy.Pow) or node.exp.is_integer:
            continue
        q = node.exp
        if not (q.is_Rational and q > 0):
            continue
        base = sympy.expand(node.base)
        if not base.is_polynomial(*variables) or sympy.expand(base.xreplace(sub)) != 0:
            continue
        a, m = _multiplicity(base, k, variables)
        if not 0 < q * a < 1:
            continue
        z = sympy.Dummy("z")
        outer = piece.xreplace({node: z})
        others = [p for p in sympy.preorder_traversal(outer) if isinstance(p, sympy.Pow)
                  and not (p.exp.is_integer and p.exp.is_nonnegative)
                  and sympy.simplify(p.base.xreplace(sub)) == 0]
        if others:
            continue
        slope = sympy.simplify(outer.diff(z).xreplace({z: 0}).xreplace(sub))
        if slope == 0 or _not_finite(slope) or slope.has(z):
            continue
        try:
            zeros = _finite_zeros(sympy.expand(m.xreplace(sub)), u) | _finite_zeros(
                sympy.together(slope).as_numer_denom()[0], u) | _finite_zeros(
                sympy.together(slope).as_numer_denom()[1], u)
        except Unsupported:
            continue
        return S.Reals - sympy.FiniteSet(*zeros), zeros
    return None


def _open_region(k: sympy.Expr, conditions: list[sympy.Expr]) -> bool:
    """Whether some point has k = 0 and every condition > 0 (affine: a linear program)."""
    if not conditions:
        return True
    eps = sympy.Dummy("eps")
    try:
        best, _at = lpmax(eps, [sympy.Eq(k, 0), *(c >= eps for c in conditions), eps <= 1])
    except (InfeasibleLPError, UnboundedLPError):
        return False
    return bool(best > 0)


def _component_general(variables: tuple[sympy.Symbol, ...], all_cases: tuple[Case, ...],
                       k: sympy.Expr, switching: list[int], plus: dict[int, list[sympy.Expr]],
                       minus: dict[int, list[sympy.Expr]],
                       graph: tuple[sympy.Symbol, sympy.Expr] | None, affine: bool,
                       out: SetPlan) -> None:
    """A component in three or more variables, or not a graph: conditions in all variables.

    Polynomial pieces only.  Where it meets other surfaces, or is singular, the
    points go to the point analysis when finitely many, else stay undecided;
    except when every tie is affine.  Then the region of a pair on S is a
    relatively open polyhedron; when it is not empty (a linear program) its
    closure {k = 0, conditions >= 0} holds the points p where both pieces are
    active on open cones of directions (the tangent cones of polyhedra), so f
    is not differentiable at p if they differ there to first order, and is
    differentiable at a point of S where no pair differs (the pieces around
    p are linked across facets with equal values and gradients).
    """
    found: list[sympy.Basic] = []
    meeting: set[sympy.Expr] = set()
    for i, j in itertools.permutations(switching, 2):
        f1, f2 = all_cases[i].piece, all_cases[j].piece
        conditions = list(dict.fromkeys(sympy.expand(c) for c in plus[i] + minus[j]))
        if any(c.is_number and not c > 0 for c in conditions):
            continue
        conditions = [c for c in conditions if not c.is_number]
        if any(sympy.expand(-c) in conditions for c in conditions):
            continue
        if affine and not _open_region(k, conditions):
            continue
        if not all(sympy.expand(p).is_polynomial(*variables) for p in (f1, f2)):
            out.undecided.append((_zero_set(k, variables, sympy.And(*(c > 0 for c in conditions))),
                                  _words(k), "the pieces are not polynomial"))
            continue
        jump = sympy.expand(f1 - f2)
        difference = [sympy.expand(f1.diff(v) - f2.diff(v)) for v in variables]
        differs = sympy.Or(*(sympy.Ne(e, 0) for e in (jump, *difference)))
        if _real_points([k, jump, *difference], variables) == []:
            differs = S.true  # they never agree on the component
        if graph is not None:
            v, phi = graph
            values = [sympy.expand(e.xreplace({v: phi})) for e in (jump, *difference)]
            if all(e == 0 for e in values):
                continue
            if any(e.is_number and e != 0 for e in values):
                differs = S.true
        if affine:
            found.append(sympy.And(*(c >= 0 for c in conditions), differs))
            continue
        found.append(sympy.And(*(c > 0 for c in conditions), differs))
        meeting |= {_key(c, variables)[0] for c in conditions}
    if not found:
        out.components.append(Component(k=k, solved=graph[0] if graph else None,
                                        graph=graph[1] if graph else None))
        return
    index = len(out.components)
    out.components.append(Component(k=k, solved=graph[0] if graph else None,
                                    graph=graph[1] if graph else None,
                                    condition=sympy.And(sympy.Eq(k, 0), sympy.Or(*found)),
                                    reason="the pieces' gradients differ across it"))
    systems = [[k, r] for r in sorted(meeting, key=sympy.default_sort_key)]
    if graph is None:
        systems.append([k, *(k.diff(v) for v in variables)])
    for system in systems:
        points = _real_points(system, variables)
        if points is None:
            out.undecided.append((_zero_set(k, variables, sympy.Eq(system[1], 0)),
                                  f"{_words(k)} where {_words(system[1])}",
                                  "where switching surfaces meet in more than finitely many "
                                  "points, the point analysis cannot go through them all"))
            continue
        for p in points:
            out.points.setdefault(p, []).append((index, None))
