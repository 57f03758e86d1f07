"""Candidate points: where f may fail to be differentiable, and why.

Away from every candidate, f is built from functions that are analytic on
the interior of their domains with every branch (``Max``/``Min``/``Abs``/
``Piecewise``/...) fixed, so f is differentiable there wherever it is
defined.  Discovery is therefore about completeness: every sub-expression that
can break smoothness contributes the points where it may, through ONE rule
table keyed by SymPy class.  False candidates are fine (the evaluation clears
them); a missed candidate would be a wrong verdict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import sympy
from sympy import (
    Abs,
    ConditionSet,
    FiniteSet,
    Heaviside,
    ImageSet,
    Interval,
    Max,
    Min,
    Piecewise,
    S,
    Union,
    sign,
)
from sympy.logic.boolalg import Boolean

from diffcheck.budget import BudgetExceeded, Deadline, budget
from diffcheck.engine.limits import Undecided, is_zero, value_at
from diffcheck.facts import Switch, facts_of, pole_of, row

MAX_EXPANDED = 1000
"""An infinite family is expanded inside a bounded domain up to this many points."""


@dataclass(frozen=True, slots=True)
class Equation:
    """``expr = 0`` (kind "zero") or ``expr`` is an integer (kind "integer")."""

    expr: sympy.Expr
    kind: str = "zero"


@dataclass(slots=True)
class Candidates:
    """Discovery's result: points and families, each with their sources."""

    points: dict[sympy.Expr, list[sympy.Basic]] = field(default_factory=dict)
    families: list[tuple[sympy.Set, list[sympy.Basic]]] = field(default_factory=list)
    unsolved: list[tuple[sympy.Set, list[sympy.Basic], str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add_point(self, p: sympy.Expr, source: sympy.Basic) -> None:
        sources = self.points.setdefault(p, [])
        if source not in sources:
            sources.append(source)


# --- the rule table: node -> equations whose solutions are candidates ---------------

_Rule = Callable[[sympy.Expr, sympy.Symbol], list[Equation]]


def _zero_of_arg(e: sympy.Expr, x: sympy.Symbol) -> list[Equation]:
    return [Equation(e.args[0])]


def _max_min(e: sympy.Expr, x: sympy.Symbol) -> list[Equation]:
    args = [a for a in e.args if a.has(x)] + [a for a in e.args if not a.has(x)]
    return [Equation(p - q) for i, p in enumerate(args) for q in args[i + 1 :] if p.has(x)]


def _relational_atoms(c: sympy.Basic) -> Iterator[sympy.Expr]:
    if isinstance(c, sympy.Rel):
        yield c.lhs - c.rhs
    elif isinstance(c, Boolean):
        for arg in c.args:
            yield from _relational_atoms(arg)


def _piecewise(e: sympy.Expr, x: sympy.Symbol) -> list[Equation]:
    return [Equation(d) for _expr, cond in e.args for d in _relational_atoms(cond) if d.has(x)]


def _integer_crossing(e: sympy.Expr, x: sympy.Symbol) -> list[Equation]:
    return [Equation(e.args[0], "integer")]


def _mod(e: sympy.Expr, x: sympy.Symbol) -> list[Equation]:
    p, q = e.args
    return [Equation(p / q, "integer"), *([Equation(q)] if q.has(x) else [])]


def _pow(e: sympy.Expr, x: sympy.Symbol) -> list[Equation]:
    base, exp = e.args
    if exp.is_integer and exp.is_nonnegative:
        return []
    if base.is_zero and exp.has(x):
        return [Equation(exp)]  # 0**v: 0 for v > 0, undefined for v <= 0
    return [Equation(base)] if base.has(x) else []


def _args_at_facts(e: sympy.Expr, x: sympy.Symbol) -> list[Equation]:
    return [Equation(e.args[0] - v) for v in row(e).at]


def _pole_facts(e: sympy.Expr, x: sympy.Symbol) -> list[Equation]:
    return [Equation(pole_of(e)(e.args[0]))]


# How discovery reads each kind of switch of the facts table (diffcheck.facts).
SWITCH_RULES: dict[Switch, _Rule] = {
    Switch.ARGUMENTS_EQUAL: _max_min,
    Switch.ZERO_OF_ARGUMENT: _zero_of_arg,
    Switch.CONDITIONS: _piecewise,
    Switch.INTEGER: _integer_crossing,
    Switch.MODULUS: _mod,
    Switch.POWER: _pow,
    Switch.ARGUMENT_AT: _args_at_facts,
    Switch.POLE: _pole_facts,
}


def _rule_for(e: sympy.Basic) -> _Rule | None:
    found = facts_of(e)
    return None if found is None else SWITCH_RULES.get(found.switch)


def equations(
    f: sympy.Expr, x: sympy.Symbol
) -> tuple[dict[Equation, list[sympy.Basic]], list[sympy.Basic]]:
    """Every equation whose solutions are candidates, with the nodes that made it.

    Also returns the nodes diffcheck has no rule for (analysed only at points).
    """
    found: dict[Equation, list[sympy.Basic]] = {}
    unknown: list[sympy.Basic] = []
    seen: set[sympy.Basic] = set()
    stack = [f]
    while stack:
        e = stack.pop()
        if e in seen or not e.has(x) or e == x:
            continue
        seen.add(e)
        stack.extend(arg for arg in e.args if isinstance(arg, sympy.Basic))
        if isinstance(e, Boolean):
            continue
        known = facts_of(e)
        if known is not None and known.switch is Switch.NONE:
            continue
        rule = _rule_for(e)
        if rule is None:
            if isinstance(e, sympy.Expr) and not isinstance(e, sympy.Tuple):
                unknown.append(e)
            continue
        for eq in rule(e, x):
            if eq.expr.has(x):
                found.setdefault(eq, []).append(e)
    return found, unknown


# --- solving ---------------------------------------------------------------------


def _linear_family(u: sympy.Expr, x: sympy.Symbol) -> sympy.Set | None:
    """{x : u(x) in Z} for u = k*x + m with constant k != 0, as an ImageSet."""
    poly = u.as_poly(x)
    if poly is None or poly.degree() != 1 or not all(c.is_number for c in poly.all_coeffs()):
        return None
    k, m = poly.all_coeffs()
    n = sympy.Dummy("n", integer=True)
    return ImageSet(sympy.Lambda(n, (n - m) / k), S.Integers)


def _count_in(family: sympy.Set, window: sympy.Set) -> int | None:
    """How many members of a linear ImageSet lie in a bounded window (None: unknown)."""
    if not isinstance(window, Interval) or not (window.start.is_finite and window.end.is_finite):
        return None
    if family == S.Integers:
        return int(sympy.floor(window.end) - sympy.ceiling(window.start)) + 1
    if not isinstance(family, ImageSet):
        return None
    lam = family.lamda
    (n,) = lam.variables
    poly = lam.expr.as_poly(n)
    if poly is None or poly.degree() != 1:
        return None
    step = abs(poly.all_coeffs()[0])
    try:
        return int(sympy.floor((window.end - window.start) / step)) + 1
    except (TypeError, ValueError):
        return None


MAX_CASES = 64
"""Branch combinations tried when an equation holds Abs/Max/Min/sign/Piecewise."""

_BRANCHING = (Abs, Max, Min, sign, Heaviside, Piecewise)  # split into cases (not floor)


def _branches(node: sympy.Expr) -> list[sympy.Expr]:
    """Every expression ``node`` equals somewhere: Abs(v) is v or -v, Max/Min one of
    their arguments, sign(v) -1, 0 or 1, a Piecewise one of its pieces."""
    if isinstance(node, Abs):
        return [node.args[0], -node.args[0]]
    if isinstance(node, (Max, Min)):
        return list(node.args)
    if isinstance(node, sign):
        return [S.NegativeOne, S.Zero, S.One]
    if isinstance(node, Heaviside):
        return [S.Zero, S.One, *node.args[1:2]] if len(node.args) > 1 else [S.Zero, S.One,
                                                                            S.Half]
    return [e for e, _c in node.args]  # Piecewise


def _cases(u: sympy.Expr, x: sympy.Symbol) -> list[sympy.Expr] | None:
    """Branch-free expressions whose union of zeros contains the zeros of ``u``.

    At every x each node equals one of its branches, so u(x) = 0 implies that
    some combination vanishes at x: a superset, never a subset.  ``None`` beyond
    ``MAX_CASES`` combinations.
    """
    todo, done = [u], []
    while todo:
        e = todo.pop()
        nodes = [n for n in sympy.preorder_traversal(e)
                 if isinstance(n, _BRANCHING) and n.has(x)]
        if not nodes:
            done.append(e)
            continue
        inner = next(n for n in reversed(nodes)
                     if not any(isinstance(m, _BRANCHING) and m.has(x)
                                for arg in n.args for m in sympy.preorder_traversal(arg)))
        todo += [e.xreplace({inner: b}) for b in _branches(inner)]
        if len(todo) + len(done) > MAX_CASES:
            return None
    return done


def _solve(eq: Equation, x: sympy.Symbol, window: sympy.Set) -> sympy.Set:
    u = eq.expr
    solution = _solve_smooth(eq.kind, u, x, window)
    # SymPy's solveset misses zeros of nested Abs (|||x| - 1| - 1| - 1 = 0 gives the
    # empty set, not {-3, -1, 1, 3}): split the branches and add each case's isolated
    # zeros where u itself vanishes.  Only added: a case that vanishes on a whole
    # interval says nothing about where u does, so solveset's own answer stays.
    cases = _cases(u, x) if eq.kind == "zero" and u.has(*_BRANCHING) else None
    for case in cases or ():
        if case == u:
            continue
        found = _solve_smooth(eq.kind, case, x, window)
        if isinstance(found, FiniteSet):
            solution = solution.union(FiniteSet(*(p for p in found if _may_vanish(u, x, p))))
    return solution


def _may_vanish(u: sympy.Expr, x: sympy.Symbol, p: sympy.Expr) -> bool:
    """False only when u(p) is certainly not 0 (a zero of a case that is not u's)."""
    try:
        value = value_at(u, x, p)
        return value is None or is_zero(value) is not False
    except (Undecided, TypeError, ValueError):
        return True


def _solve_smooth(kind: str, u: sympy.Expr, x: sympy.Symbol, window: sympy.Set) -> sympy.Set:
    if kind == "integer":
        family = _linear_family(u, x)
        if family is not None:
            return family
        n = sympy.Dummy("n", integer=True)
        solved = sympy.solveset(u - n, x, window)
        if isinstance(solved, ConditionSet) or solved.has(n):
            return ConditionSet(x, sympy.Contains(u, S.Integers), window)
        return solved
    poly = u.as_poly(x) if u.is_polynomial(x) else None
    if poly is not None and all(c.is_Rational for c in poly.all_coeffs()) and poly.degree() <= 200:
        return FiniteSet(*poly.real_roots()).intersect(window)
    return sympy.solveset(u, x, window)


def _pieces(solution: sympy.Set) -> Iterator[sympy.Set]:
    if isinstance(solution, Union):
        for part in solution.args:
            yield from _pieces(part)
    else:
        yield solution


def discover(
    f: sympy.Expr,
    x: sympy.Symbol,
    window: sympy.Set,
    *,
    seconds: float | None = None,
    deadline: Deadline | None = None,
) -> Candidates:
    """All candidate points of f inside ``window`` (an Interval or Reals).

    Examples:
        >>> from sympy import Symbol, Max, Interval, floor
        >>> x = Symbol("x", real=True)
        >>> sorted(discover(Max(0, x, x - 1), x, sympy.S.Reals).points)
        [0]
        >>> sorted(discover(floor(x), x, Interval(-1, 1)).points)
        [-1, 0, 1]
    """
    out = Candidates()
    found, unknown = equations(f, x)
    for node in unknown:
        out.notes.append(f"diffcheck has no rule for {node.func}; "
                         "points inside it are not searched")
        # Its points may lie anywhere: nothing in the window is cleared.
        out.unsolved.append((window, [node], f"diffcheck has no rule for {node.func}, so "
                                            "its points were not searched"))
    deadline = deadline or Deadline(None)
    for eq, sources in found.items():
        what = sympy.Eq(eq.expr, 0) if eq.kind == "zero" else sympy.Contains(eq.expr, S.Integers)
        if deadline.expired():
            out.unsolved.append((ConditionSet(x, what, window), sources,
                                 "not attempted: the analysis ran out of time"))
            continue
        remaining = deadline.remaining()
        try:
            with budget(seconds if remaining is None else min(seconds or remaining, remaining)):
                solution = _solve(eq, x, window)
        except BudgetExceeded:
            out.unsolved.append((ConditionSet(x, what, window), sources,
                                 "solving took longer than the time budget"))
            continue
        except (NotImplementedError, ValueError, TypeError, ArithmeticError, RecursionError) as e:
            out.unsolved.append((ConditionSet(x, what, window), sources,
                                 f"SymPy cannot solve it: {e}"))
            continue
        _collect(out, solution, sources, window, x, f)
    return out


def _collect(out: Candidates, solution: sympy.Set, sources: list[sympy.Basic],
             window: sympy.Set, x: sympy.Symbol, f: sympy.Expr) -> None:
    for part in _pieces(solution):
        if part is S.EmptySet:
            continue
        if isinstance(part, sympy.Range) and part.size.is_finite:
            part = FiniteSet(*part)
        if isinstance(part, FiniteSet):
            for p in part:
                if p.is_extended_real is False or not p.is_finite:
                    continue
                for s in sources:
                    if _switches(s, x, p):
                        out.add_point(p, s)
        elif isinstance(part, Interval):  # u vanishes on a whole interval: its ends
            for end in (part.start, part.end):
                if end.is_finite and window.contains(end) is not S.false:
                    for s in sources:
                        out.add_point(end, s)
        elif isinstance(part, ConditionSet):
            out.unsolved.append((part, sources, "SymPy cannot solve this equation"))
        else:
            count = _count_in(part, window)
            if count is not None and count <= MAX_EXPANDED:
                _collect(out, part.intersect(window), sources, window, x, f)
            else:
                if count is not None:
                    out.notes.append(f"{part} has {count} points in {window}; more than "
                                     f"{MAX_EXPANDED}, so it is reported as a set")
                out.families.append((part, sources))


def _switches(source: sympy.Basic, x: sympy.Symbol, p: sympy.Expr) -> bool:
    """For Max/Min: is p a point where at least two arguments tie for the top?

    ``Max(0, x, x - 1)``: 0 = x - 1 at x = 1, but x wins there, so 1 is not a
    candidate.  When the values cannot be compared the point stays.
    """
    if not isinstance(source, (Max, Min)):
        return True
    try:
        values = [value_at(arg, x, p) for arg in source.args]
        if any(v is None for v in values):
            return True
        top = (Max if isinstance(source, Max) else Min)(*values)  # type: ignore[arg-type]
        ties = [is_zero(v - top) for v in values]  # type: ignore[operator]
    except (Undecided, TypeError, ValueError):
        return True
    if None in ties:
        return True
    return sum(bool(t) for t in ties) >= 2
