"""Piecewise smooth functions of several variables at a point: active pieces and verdict.

f is a *continuous selection of smooth functions* near p when it is built from
C^1 pieces by Max, Min, Abs, smooth functions and Piecewise with continuous
joins (Scholtes, *Introduction to Piecewise Differentiable Equations*,
Springer 2012, ch. 4: such f is PC^1).  Near p, f coincides on each of finitely
many regions with one *selection* f_c, a C^1 expression; a region is described
by *ties* g >= 0, the smooth functions that vanish at p and decide which
branch wins (``Max(u, v)`` with u(p) = v(p) gives the selections u where
u - v >= 0 and v where v - u >= 0).

What is used, and why it is the limit definition:

* A PC^1 function is B-differentiable (Scholtes, Lemma 4.1.3 and Prop. 4.1.3):
  f(p + v) = f(p) + f'(p; v) + o(|v|), where the directional derivative
  f'(p; d) is positively homogeneous and Lipschitz; it follows from the tree by
  the chain rule for directional derivatives (``Max(u, v)'(p; d) =
  Max(u'(p; d), v'(p; d))`` over the arguments tied at p, ``Abs(u)'(p; d) =
  Abs(u'(p; d))`` where u(p) = 0).  Hence f is differentiable at p iff
  d -> f'(p; d) is linear.
* For a generic direction d (no tie's linear part ∇g(p)·d vanishes) the
  selection active on the ray p + t d, t -> 0+, is the one whose linearised
  ties hold strictly: ∇g(p)·d > 0.  Such *linearly active* selections are
  found exactly by linear programming ({d : ∇g(p)·d >= 1 for every tie} is
  non-empty), and f'(p; d) = ∇f_c(p)·d on each of their open cones.  So
  f'(p; ·) is linear, i.e. f is differentiable at p, iff all linearly active
  selections have the same gradient at p (two different gradients on two open
  cones cannot both be one linear map).  This is the criterion of the issue
  ("all active pieces have the same gradient"), with "active" meaning active
  on an open cone of directions; with pieces merely active on a set touching
  p (a cusp-shaped region) the gradients may differ at a differentiable point:
  ``Max(0, Min(y - x**2, 2*x**2 - y))`` at 0.
* Clarke's generalized gradient of a PC^1 function is the convex hull of the
  gradients of its *essentially* active selections (Scholtes, Prop. 4.3.1;
  Clarke, *Optimization and Nonsmooth Analysis*, 1983).  Linearly active
  selections are essentially active; a selection that is not linearly active
  is certainly not essentially active when its ties are affine (its region is
  then a polyhedral cone without interior).  Otherwise the generalized gradient
  is left undecided unless its gradient is among the others anyway.
* A tie whose gradient vanishes at p (``Abs(x*y)`` at 0) separates selections
  with equal gradients at p (∇(u - v)(p) = 0), so it changes neither
  f'(p; ·) nor the set of gradients and is dropped; a Piecewise condition with
  a vanishing gradient is not dropped (its pieces need not agree to first
  order) and sends the point to the definition instead.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy
from sympy import Abs, Heaviside, Max, Min, Piecewise, S, floor, sign
from sympy.logic.boolalg import And, BooleanFalse, BooleanTrue, Not, Or
from sympy.solvers.simplex import InfeasibleLPError, linprog

from diffcheck import facts
from diffcheck.engine.limits import (
    _CONTINUOUS,
    REL_TRUTH,
    Undecided,
    const_sign,
    finite_value,
    is_zero,
)

MAX_SELECTIONS = 256
"""More selections than this at one point: the definition decides instead."""

BRANCHING = facts.BRANCHING
"""Nodes whose value switches between smooth branches."""

Point = dict[sympy.Symbol, sympy.Expr]
Vector = tuple[sympy.Expr, ...]


class NotPiecewiseSmooth(Exception):
    """f is not a continuous selection of C^1 pieces at p (as far as can be seen)."""


@dataclass(frozen=True, slots=True)
class Selection:
    """One smooth piece and the ties (g(p) = 0, region g >= 0) that select it."""

    piece: sympy.Expr
    ties: tuple[sympy.Expr, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PiecewiseVerdict:
    """The verdict of the piecewise smooth route at one point."""

    value: sympy.Expr
    differentiable: bool
    gradients: tuple[Vector, ...]  # of the linearly active selections, distinct, sorted
    complete: bool  # whether their convex hull is certainly Clarke's generalized gradient
    formula: sympy.Expr | None  # f'(p; d) in the direction symbols, when known


# --- values at a point of R^n -------------------------------------------------------------


def _constant(c: sympy.Expr) -> sympy.Expr | None:
    return finite_value(c, sympy.Dummy("c"), S.Zero)


def joint_value(e: sympy.Expr, point: Point, *, anywhere: bool = False) -> sympy.Expr | None:
    """e(p) when every sub-expression of e is finite and real at p, else None.

    Evaluated bottom-up, never by ``subs``: substituting first lets SymPy
    simplify ``x*y/(x**2 + y**2)`` at y = 0 to 0 before x = 0 makes it 0/0.
    For expressions built from functions continuous on their (open) domains a
    finite value of every sub-expression means e is continuous at p, jointly.
    Piecewise nodes take the piece whose condition holds at p.  ``anywhere``
    also evaluates functions that may jump (sign, floor, ...): the value of f
    at p, with no claim of continuity.
    """
    memo: dict[sympy.Basic, sympy.Expr | None] = {}

    def truth(c: sympy.Basic) -> bool:
        if isinstance(c, (BooleanTrue, BooleanFalse)):
            return bool(c)
        if isinstance(c, And):
            return all(truth(a) for a in c.args)
        if isinstance(c, Or):
            return any(truth(a) for a in c.args)
        if isinstance(c, Not):
            return not truth(c.args[0])
        if isinstance(c, sympy.Rel) and type(c) in REL_TRUTH:
            d = ev(c.lhs - c.rhs)
            if d is None:
                raise Undecided(f"cannot evaluate the condition {c} at the point")
            return REL_TRUTH[type(c)](const_sign(d))
        raise Undecided(f"cannot evaluate the condition {c} at the point")

    def ev(n: sympy.Expr) -> sympy.Expr | None:
        if n in memo:
            return memo[n]
        v: sympy.Expr | None
        if n in point:
            v = point[n]
        elif not n.free_symbols & point.keys():
            v = _constant(n)
        elif isinstance(n, Piecewise):
            v = next((ev(e) for e, c in n.args if truth(c)), None)
        elif not (anywhere or isinstance(n, (*_CONTINUOUS, Max, Min, Abs))):
            v = None
        else:
            values = [ev(a) for a in n.args]
            args = [a for a in values if a is not None]
            if len(args) < len(values) or (isinstance(n, sympy.Pow) and (
                (args[0] == 0 and not args[1].is_positive)
                or (n.exp.free_symbols & point.keys() and not args[0].is_positive)
                # a real power u**(3/2) is defined only where u >= 0: smooth near p
                # only if u(p) > 0 (Abs(u)**(3/2) is left to the definition)
                or (not anywhere and not args[1].is_integer and not args[0].is_positive)
            )):
                v = None
            else:
                v = _constant(n.func(*args))
        memo[n] = v
        return v

    return ev(e)


def gradient_at(e: sympy.Expr, variables: tuple[sympy.Symbol, ...], point: Point) -> Vector | None:
    """∇e(p) when every partial derivative is finite (so e is C^1 near p), else None."""
    out = []
    for v in variables:
        g = joint_value(e.diff(v), point)
        if g is None:
            return None
        out.append(sympy.nsimplify(g) if g.is_Float else g)
    return tuple(_tidy(g) for g in out)


def _tidy(v: sympy.Expr) -> sympy.Expr:
    return S.Zero if v != 0 and is_zero(v) else v


# --- selections -----------------------------------------------------------------------------


class _Selector:
    def __init__(self, variables: tuple[sympy.Symbol, ...], point: Point) -> None:
        self.variables, self.point = variables, point
        self.memo: dict[sympy.Basic, tuple[sympy.Expr, list[Selection]]] = {}
        self.boundary = False  # a Piecewise boundary was met (no closed formula for f'(p; d))

    def value(self, e: sympy.Expr) -> sympy.Expr:
        v = joint_value(e, self.point)
        if v is None:
            raise NotPiecewiseSmooth(f"{e} is not smooth at the point")
        return v

    def __call__(self, e: sympy.Expr) -> tuple[sympy.Expr, list[Selection]]:
        if e in self.memo:
            return self.memo[e]
        if not e.has(*BRANCHING):
            out = (self.value(e), [Selection(e)])
        elif isinstance(e, (Max, Min)):
            out = self.max_min(e)
        elif isinstance(e, Abs):
            out = self.abs(e)
        elif isinstance(e, Piecewise):
            out = self.piecewise(e)
        elif isinstance(e, BRANCHING):
            out = self.step(e)
        elif isinstance(e, _CONTINUOUS):
            out = self.compose(e)
        else:
            raise NotPiecewiseSmooth(f"{e.func} is not a smooth function")
        if len(out[1]) > MAX_SELECTIONS:
            raise NotPiecewiseSmooth(f"more than {MAX_SELECTIONS} pieces meet at the point")
        self.memo[e] = out
        return out

    def compose(self, e: sympy.Expr) -> tuple[sympy.Expr, list[Selection]]:
        parts = [self(a) for a in e.args]
        selections = [
            Selection(e.func(*(s.piece for s in combo)),
                      tuple(itertools.chain.from_iterable(s.ties for s in combo)))
            for combo in itertools.product(*(sels for _v, sels in parts))
        ]
        return self.value(selections[0].piece), selections

    def max_min(self, e: sympy.Expr) -> tuple[sympy.Expr, list[Selection]]:
        want = 1 if isinstance(e, Max) else -1
        parts = [self(a) for a in e.args]
        best = parts[0][0]
        for v, _sels in parts[1:]:
            if const_sign(v - best) == want:
                best = v
        tied = [sels for v, sels in parts if const_sign(v - best) == 0]
        out = []
        for combo in itertools.product(*tied):
            ties = tuple(itertools.chain.from_iterable(s.ties for s in combo))
            for winner in combo:
                wins = tuple(want * (winner.piece - other.piece) for other in combo
                             if other is not winner)
                out.append(Selection(winner.piece, ties + wins))
        return best, out

    def abs(self, e: sympy.Expr) -> tuple[sympy.Expr, list[Selection]]:
        v, sels = self(e.args[0])
        s = const_sign(v)
        if s:
            return s * v, [Selection(s * c.piece, c.ties) for c in sels]
        return S.Zero, [Selection(k * c.piece, (*c.ties, k * c.piece))
                        for c in sels for k in (1, -1)]

    def step(self, e: sympy.Expr) -> tuple[sympy.Expr, list[Selection]]:
        """sign/Heaviside/floor...: constant near p unless p sits on a jump."""
        if isinstance(e, sympy.Mod):
            raise NotPiecewiseSmooth("Mod is left to the definition")
        u = self.value(e.args[0])
        if isinstance(e, (sign, Heaviside)):
            s = const_sign(u)
            if s == 0:
                raise NotPiecewiseSmooth(f"{e} jumps at the point")
            c = sympy.Integer(s) if isinstance(e, sign) else sympy.Integer(max(s, 0))
            return c, [Selection(c)]
        fl = floor(u)
        if not fl.is_integer or is_zero(u - fl):
            raise NotPiecewiseSmooth(f"{e} jumps at the point")
        c = e.func(u)
        return c, [Selection(c)]

    def piecewise(self, e: Piecewise) -> tuple[sympy.Expr, list[Selection]]:
        branches: list[tuple[sympy.Expr, tuple[sympy.Expr, ...]]] = []
        negated: tuple[sympy.Expr, ...] = ()
        for expr, cond in e.args:
            if isinstance(cond, BooleanTrue):
                branches.append((expr, negated))
                break
            if isinstance(cond, BooleanFalse):
                continue
            if not (isinstance(cond, sympy.Rel) and type(cond) in REL_TRUTH):
                raise NotPiecewiseSmooth(f"the condition {cond} is left to the definition")
            h = cond.lhs - cond.rhs
            if h.has(*BRANCHING):
                raise NotPiecewiseSmooth(f"the condition {cond} is not smooth")
            s = const_sign(self.value(h))
            if s:
                if REL_TRUTH[type(cond)](s):
                    branches.append((expr, negated))
                    break
                continue
            if isinstance(cond, (sympy.Eq, sympy.Ne)):
                raise NotPiecewiseSmooth(f"the condition {cond} holds on a thin set at the point")
            grad = gradient_at(h, self.variables, self.point)
            if grad is None or all(g == 0 for g in grad):
                raise NotPiecewiseSmooth(f"the boundary {cond} is singular at the point")
            # cond is lhs > rhs (or >=): its closure near p is h >= 0; for < it is -h >= 0
            tie = h if isinstance(cond, (sympy.StrictGreaterThan, sympy.GreaterThan)) else -h
            self.boundary = True
            branches.append((expr, (*negated, tie)))
            negated = (*negated, -tie)
        if not branches:
            raise NotPiecewiseSmooth(f"no piece of {e} applies at the point")
        values, out = [], []
        for expr, ties in branches:
            v, sels = self(expr)
            values.append(v)
            out += [Selection(c.piece, c.ties + ties) for c in sels]
        if any(const_sign(v - values[0]) != 0 for v in values[1:]):
            raise NotPiecewiseSmooth(f"the pieces of {e} do not join continuously at the point")
        return values[0], out


# --- the verdict ----------------------------------------------------------------------------


def _feasible(rows: tuple[Vector, ...], n: int) -> bool:
    """Whether some direction d has row·d > 0 for every row (exactly).

    Homogeneous, so the same as row·d >= 1 for every row: always solvable when
    the rows are linearly independent (R d = (1, ..., 1) has a solution), and
    otherwise a linear program (free d written as d+ - d-, both >= 0).
    """
    if not rows:
        return True
    matrix = sympy.Matrix(rows)
    if matrix.rank() == len(rows):
        return True
    a = -matrix.row_join(-matrix)  # -(R d+ - R d-) <= -1
    try:
        linprog(sympy.zeros(1, 2 * n), a, -sympy.ones(len(rows), 1))
    except InfeasibleLPError:
        return False
    return True


def _affine(g: sympy.Expr, variables: tuple[sympy.Symbol, ...]) -> bool:
    return all(is_zero(g.diff(u, v)) for u in variables for v in variables)


def _same(a: Vector, b: Vector) -> bool:
    """Whether two gradients are equal; :class:`Undecided` when that cannot be told."""
    verdicts = [is_zero(x - y) for x, y in zip(a, b, strict=True)]
    if False in verdicts:
        return False
    if None in verdicts:
        raise Undecided(f"cannot decide whether the gradients {a} and {b} are equal")
    return True


def _order(v: Vector) -> tuple[tuple[int, float, str], ...]:
    key = []
    for c in v:
        try:
            key.append((0, float(c), str(c)))
        except (TypeError, ValueError):
            key.append((1, 0.0, str(c)))
    return tuple(key)


def _distinct(vectors: list[Vector]) -> list[Vector]:
    out: list[Vector] = []
    for v in vectors:
        if not any(_same(v, w) for w in out):
            out.append(v)
    return sorted(out, key=_order)


def piecewise_verdict(f: sympy.Expr, variables: tuple[sympy.Symbol, ...], point: Point,
                      directions: tuple[sympy.Symbol, ...]) -> PiecewiseVerdict:
    """Decide differentiability at p for a continuous selection of C^1 pieces.

    Raises:
        NotPiecewiseSmooth: f is not of that form at p; the definition decides.
        Undecided: an exact comparison could not be decided.

    Examples:
        >>> x, y = sympy.symbols("x y", real=True)
        >>> dx, dy = sympy.symbols("d_x d_y", real=True)
        >>> v = piecewise_verdict(Max(0, x + y), (x, y), {x: S.Zero, y: S.Zero}, (dx, dy))
        >>> v.differentiable, v.gradients, v.formula
        (False, ((0, 0), (1, 1)), Max(0, d_x + d_y))
    """
    selector = _Selector(variables, point)
    value, selections = selector(f)
    fp = joint_value(f, point, anywhere=True)
    if fp is None or const_sign(fp - value) != 0:
        raise NotPiecewiseSmooth("f(p) differs from the value of its pieces at p")
    n = len(variables)
    grads: dict[sympy.Expr, Vector | None] = {}

    def grad(e: sympy.Expr) -> Vector:
        if e not in grads:
            grads[e] = gradient_at(e, variables, point)
        g = grads[e]
        if g is None:
            raise NotPiecewiseSmooth(f"the piece {e} is not C^1 at the point")
        return g

    active: list[Vector] = []
    doubtful: list[Vector] = []
    feasible: dict[tuple[Vector, ...], bool] = {}
    for sel in selections:
        g = grad(sel.piece)
        rows = tuple(r for r in (grad(t) for t in sel.ties) if not all(c == 0 for c in r))
        if rows not in feasible:
            feasible[rows] = _feasible(rows, n)
        if feasible[rows]:
            active.append(g)
        elif not all(_affine(t, variables) for t in sel.ties):
            doubtful.append(g)
    gradients = _distinct(active)
    if not gradients:
        raise Undecided("no piece is active on an open cone of directions (inconsistent ties)")
    complete = all(any(_same(g, a) for a in gradients) for g in doubtful)
    formula = None
    if not selector.boundary:
        try:
            formula = _directional(f, variables, point, directions)
        except NotPiecewiseSmooth:
            formula = None
    return PiecewiseVerdict(value=value, differentiable=len(gradients) == 1,
                            gradients=tuple(gradients), complete=complete, formula=formula)


def _directional(f: sympy.Expr, variables: tuple[sympy.Symbol, ...], point: Point,
                 directions: tuple[sympy.Symbol, ...]) -> sympy.Expr:
    """f'(p; d) by the chain rule for directional derivatives (Max, Min, Abs, smooth maps)."""
    memo: dict[sympy.Basic, sympy.Expr] = {}

    def value(e: sympy.Expr) -> sympy.Expr:
        v = joint_value(e, point)
        if v is None:
            raise NotPiecewiseSmooth(f"{e} is not finite at the point")
        return v

    def dd(e: sympy.Expr) -> sympy.Expr:
        if e in memo:
            return memo[e]
        if not e.has(*BRANCHING):
            g = gradient_at(e, variables, point)
            if g is None:
                raise NotPiecewiseSmooth(f"{e} is not C^1 at the point")
            out = sum((c * d for c, d in zip(g, directions, strict=True)), S.Zero)
        elif isinstance(e, (Max, Min)):
            values = [value(a) for a in e.args]
            best = (max if isinstance(e, Max) else min)(
                values, key=lambda v: sympy.Float(v.evalf(30)))
            tied = [a for a, v in zip(e.args, values, strict=True) if const_sign(v - best) == 0]
            out = e.func(*(dd(a) for a in tied))
        elif isinstance(e, Abs):
            s = const_sign(value(e.args[0]))
            out = s * dd(e.args[0]) if s else Abs(dd(e.args[0]))
        elif isinstance(e, Piecewise):
            # no boundary at p (checked by the caller): the piece holding at p holds near p
            out = dd(next(ex for ex, c in e.args if _holds(c, point)))
        elif isinstance(e, BRANCHING):
            out = S.Zero  # a step function away from its jumps is locally constant
        else:
            # only the arguments that depend on the variables become slots of phi
            slots = [sympy.Dummy("y", real=True) if a.free_symbols & set(variables) else a
                     for a in e.args]
            phi = e.func(*slots)
            at = {y: value(a) for y, a in zip(slots, e.args, strict=True) if y is not a}
            out = S.Zero
            for y, a in zip(slots, e.args, strict=True):
                if y is a:
                    continue
                c = joint_value(phi.diff(y), at)
                if c is None:
                    raise NotPiecewiseSmooth(f"{e.func} is not C^1 at the value of {a}")
                out += c * dd(a)
        memo[e] = out
        return out

    return dd(f)


def _holds(c: sympy.Basic, point: Point) -> bool:
    if isinstance(c, (BooleanTrue, BooleanFalse)):
        return bool(c)
    d = joint_value(c.lhs - c.rhs, point)
    if d is None:
        raise NotPiecewiseSmooth(f"cannot evaluate {c} at the point")
    return REL_TRUTH[type(c)](const_sign(d))
