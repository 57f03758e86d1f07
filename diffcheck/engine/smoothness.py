"""Depth of the answer at a point: higher orders, subdifferential, repair, derivation.

Everything here rests on the same one-sided definition as the first-order
verdict.  Near a point a, f equals a branch-free piece g- on (a - eps, a) and
g+ on (a, a + eps) (:func:`diffcheck.engine.limits.resolve`).  When f^(j)(a) exists,
the j-th derivative of f near a is the *glued* function

    f^(j)(x) = g-^(j)(x) for x < a,   f^(j)(a),   g+^(j)(x) for x > a,

because on each punctured side f^(j) is the piece's derivative.  The glued
f^(j) is then analysed exactly like f: the one-sided limits of its pieces
decide whether f^(j) is continuous at a, and the one-sided limits of its
difference quotient (f^(j)(a+h) - f^(j)(a))/h decide whether f^(j+1)(a)
exists (:func:`diffcheck.engine.classify.classify` gives the verdict at every level).

Smoothness classes, from the highest order k whose derivative exists:

* ``C^0``: f is continuous at a and f'(a) does not exist;
* ``D^k``: f^(k)(a) exists but f^(k) is not continuous at a (then f^(k+1)(a)
  cannot exist either): ``x**2*sin(1/x)`` at 0 is ``D^1``;
* ``C^k``: f^(k) is continuous at a and f^(k+1)(a) does not exist;
* ``C^oo``: both pieces are the same expression, analytic at a, and f is
  continuous there (f coincides with an analytic function near a);
* ``at least C^K`` / ``at least D^K``: every derivative up to the order K asked
  for exists; nothing is claimed beyond K (``exp(-1/x**2)`` glued with 0).

``None`` means f is not continuous at a, or the analysis could not decide.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import sympy
from sympy import S

from diffcheck.budget import BudgetExceeded, Deadline, budget
from diffcheck.engine.classify import Side, classify
from diffcheck.engine.limits import (
    OutsideDomain,
    Undecided,
    const_sign,
    difference_quotient_limit,
    finite_value,
    limit_of,
    resolve,
    value_at,
)
from diffcheck.facts import facts_of
from diffcheck.model.report import Derivation, DerivativeOrder, Kind, PointReport, Repair, Step

WRITTEN_NODES = 200
"""Beyond this many nodes f(a + h) is not written out in the derivation (nor SymPy's
formula checked point by point): nobody reads it, and building it costs more than the
analysis."""
NOTE_POINTS = 12
"""SymPy's diff is compared with f'(a) at most at this many points."""

MAX_ORDER = 12
"""The highest ``order`` accepted (pieces' derivatives grow quickly beyond it)."""

# Functions finite but not analytic at the ends of their real domain.

_Sides = tuple[Side, Side] | None


def deepen(f: sympy.Expr, x: sympy.Symbol, report: PointReport, sides: _Sides, *,
           order: int = 1, seconds: float = 5.0) -> PointReport:
    """``report`` with its smoothness, subdifferential, repair and derivation filled in.

    Each part runs under its own budget of ``seconds``; a part over it is
    left undecided (``None``), never guessed.

    Examples:
        >>> from diffcheck import analyze
        >>> p = analyze("x*Abs(x)", order=3).points[0]
        >>> p.order, p.smoothness, [str(d.right) for d in p.derivatives]
        (1, 'C^1', ['0', '2'])
        >>> p = analyze("Max(0, x)").points[0]
        >>> p.smoothness, p.subdifferential, p.kink
        ('C^0', (0, 1), 'convex')
    """
    if sides is None:
        return report
    # One clock for the whole point: the parts share ``seconds`` between them.
    clock = Deadline(seconds)
    changes: dict[str, object] = {}
    changes.update(_smoothness(report, sides, x, order, _left(clock)))
    changes.update(_subdifferential(report))
    changes["repair"] = _repair(report, sides, x, _left(clock))
    changes["derivation"] = derivation(f, x, report, sides, _left(clock))
    return dataclasses.replace(report, **changes)  # type: ignore[arg-type]


def _left(clock: Deadline) -> float:
    return clock.remaining() or 0.0


# --- higher orders -----------------------------------------------------------------------


def _smoothness(report: PointReport, sides: tuple[Side, Side], x: sympy.Symbol, order: int,
                seconds: float) -> dict[str, object]:
    a = report.at
    entries = [DerivativeOrder(order=1, left=report.left_derivative,
                               right=report.right_derivative,
                               differentiable=report.differentiable, value=report.derivative)]
    out: dict[str, object] = {"derivatives": tuple(entries)}
    if report.differentiable is not True:
        out["order"] = 0 if report.differentiable is False else None
        if report.continuous and report.differentiable is False:
            out["smoothness"] = "C^0"
        return out
    gl, gr = sides[0].piece, sides[1].piece
    if gl is None or gr is None:
        out["order"] = None
        return out
    same = False
    try:
        with budget(seconds):
            same = _same_analytic(gl, gr, x, a)
            value = report.derivative
            for j in range(1, order + 1):
                # The glued f^(j): the pieces' j-th derivatives, f^(j)(a) at a.
                gl, gr = gl.diff(x), gr.diff(x)
                last = j == order
                level = classify(a, value, _level_side(gl, x, a, -1, value, slope=not last),
                                 _level_side(gr, x, a, 1, value, slope=not last))
                entries[-1] = dataclasses.replace(entries[-1], continuous=level.continuous)
                if last:
                    break
                entries.append(DerivativeOrder(
                    order=j + 1, left=level.left_derivative, right=level.right_derivative,
                    differentiable=level.differentiable, value=level.derivative))
                if level.differentiable is not True:
                    break
                value = level.derivative
    except BudgetExceeded:
        pass
    out["derivatives"] = tuple(entries)
    top = entries[-1]
    if top.differentiable is True and top.order == order:
        out["order"] = order
        out["smoothness"] = {True: f"at least C^{order}", False: f"D^{order}",
                             None: f"at least D^{order}"}[top.continuous]
    elif top.differentiable is False:
        k = top.order - 1
        out["order"] = k
        out["smoothness"] = {True: f"C^{k}", False: f"D^{k}", None: None}[
            entries[k - 1].continuous]
    else:
        out["order"] = None
    if same and report.continuous:
        out["smoothness"] = "C^oo"
    return out


def _level_side(g: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, s: int, value: sympy.Expr,
                *, slope: bool) -> Side:
    """One side of the glued derivative: the limit of its piece, and of its quotient."""
    limit: sympy.Expr | None = None
    exists: bool | None = None
    try:
        limit = limit_of(g, x, a, s)
        exists = limit is not None
        if not slope:
            return Side(side=s, defined=True, limit=limit, limit_exists=exists, piece=g)
        d = difference_quotient_limit(g, x, a, s, value, limit)
    except Undecided as e:
        return Side(side=s, defined=True, limit=limit, limit_exists=exists, note=str(e), piece=g)
    return Side(side=s, defined=True, limit=limit, limit_exists=exists, derivative=d,
                derivative_exists=d is not None, piece=g)


def _same_analytic(gl: sympy.Expr, gr: sympy.Expr, x: sympy.Symbol, a: sympy.Expr) -> bool:
    """Whether both pieces are one expression that is real-analytic at a.

    Conservative: ``False`` whenever it is not plainly so (the orders are then
    decided one by one).
    """
    if gl != gr and sympy.expand(gl - gr) != 0:
        return False
    return _analytic_at(gl, x, a)


def _analytic_at(g: sympy.Expr, x: sympy.Symbol, a: sympy.Expr) -> bool:
    if not g.has(x) or g == x:
        return True
    if finite_value(g, x, a) is None:
        return False
    if isinstance(g, sympy.Pow) and not g.exp.has(x) and not g.exp.is_integer:
        base = finite_value(g.base, x, a)
        if base is None or base == 0:
            return False
    known = facts_of(g)
    if known is None or not known.analytic:
        return False
    if known.edges:
        u = finite_value(g.args[0], x, a)
        if u is None or any(u == e for e in known.edges):
            return False
    return all(_analytic_at(arg, x, a) for arg in g.args)


# --- corners and removable points ----------------------------------------------------------


def _subdifferential(report: PointReport) -> dict[str, object]:
    """Clarke's generalized derivative at a corner of a continuous piecewise-smooth f.

    For f equal to smooth pieces on each side and continuous at a, the Clarke
    generalized derivative at a is the closed interval between the one-sided
    derivatives: every slope in it is the limit of a convex combination of
    nearby gradients, so any value in it is a valid (sub)gradient choice.
    """
    dl, dr = report.left_derivative, report.right_derivative
    if report.kind is not Kind.CORNER or dl is None or dr is None or dl.is_infinite \
            or dr.is_infinite:
        return {}
    try:
        s = const_sign(dr - dl)
    except Undecided:
        return {}
    if s == 0:
        return {}
    # Left slope below the right slope: the graph bends upwards (ReLU, |x|).
    return {"subdifferential": (dl, dr) if s > 0 else (dr, dl),
            "kink": "convex" if s > 0 else "concave"}


def _repair(report: PointReport, sides: tuple[Side, Side], x: sympy.Symbol,
            seconds: float) -> Repair | None:
    """The value of f(a) that makes f continuous at a removable point, and what f'(a) becomes."""
    left, right = sides
    limit = report.left_limit
    if (report.kind is not Kind.REMOVABLE or limit is None or report.right_limit is None
            or left.piece is None or right.piece is None or limit.is_infinite):
        return None
    a = report.at
    try:
        with budget(seconds):
            filled = classify(a, limit, *(
                _level_side(side.piece, x, a, side.side, limit, slope=True)  # type: ignore[arg-type]
                for side in sides))
    except BudgetExceeded:
        return Repair(value=limit)
    return Repair(value=limit, left=filled.left_derivative, right=filled.right_derivative,
                  differentiable=filled.differentiable, derivative=filled.derivative)


# --- the derivation ------------------------------------------------------------------------


def derivation(f: sympy.Expr, x: sympy.Symbol, report: PointReport, sides: tuple[Side, Side],
               seconds: float = 5.0) -> Derivation:
    """The steps of the verdict at one point, from the pieces the analysis resolved.

    Only what the analysis computed is recorded (each side's piece, limit and
    slope); the quotients as written on the board are formed by :func:`written`
    when a derivation is shown, so an analysis nobody reads does not pay for them.

    Examples:
        >>> from diffcheck import analyze
        >>> a = analyze("Max(0, x)")
        >>> d = written(a.expression, a.points[0].derivation)
        >>> d.left.piece, d.left.quotient, d.right.piece, d.right.quotient
        (0, 0, x, 1)
    """
    del seconds  # recording takes no SymPy work
    a = report.at
    h = sympy.Symbol("h", real=True) if "h" not in _names(f) else sympy.Dummy("h", real=True)
    steps = []
    for side in sides:
        slope = report.left_derivative if side.side < 0 else report.right_derivative
        limit = report.left_limit if side.side < 0 else report.right_limit
        note = side.note or ("f is not defined on this side"
                             if side.piece is None and side.defined is False else "")
        steps.append(Step(side=side.side, piece=side.piece, limit=limit, slope=slope, note=note))
    return Derivation(variable=x, at=a, h=h, value=report.value, left=steps[0], right=steps[1])


@functools.lru_cache(maxsize=64)
def _names(f: sympy.Expr) -> frozenset[str]:
    """The names of f's free symbols, once per expression (every point of f asks)."""
    return frozenset(str(s) for s in f.free_symbols)


def written(f: sympy.Expr, d: Derivation, seconds: float = 5.0) -> Derivation:
    """``d`` with each side's difference quotient formed as a teacher writes it.

    f(a + h) as written (unevaluated), the side's piece at a + h, and
    (piece(a + h) - f(a))/h with the common factors of h cancelled; a side
    whose forms take longer than its share of ``seconds`` keeps them ``None``.
    """
    x, a, h = d.variable, d.at, d.h
    clock = Deadline(seconds)
    steps = []
    for step in (d.left, d.right):
        if step.piece is not None and step.substituted is None:
            try:
                with budget(_left(clock)):
                    # f(a + h) as written, not evaluated: Max(0, 1 + h), as on the board
                    # (evaluating would also compare every Max argument, which is slow).
                    shifted = None
                    if _nodes(f) <= WRITTEN_NODES:
                        with sympy.evaluate(False):
                            shifted = f.xreplace({x: h if a == 0 else sympy.Add(a, h)})
                    substituted = step.piece.subs(x, a + h)
                    quotient = None
                    if d.value is not None:
                        quotient = _cancel((substituted - d.value) / h)
                step = dataclasses.replace(step, shifted=shifted, substituted=substituted,
                                           quotient=quotient)
            except BudgetExceeded:
                pass
        steps.append(step)
    return dataclasses.replace(d, left=steps[0], right=steps[1])


def _cancel(e: sympy.Expr) -> sympy.Expr:
    """``e`` with common factors of h cancelled; ``e`` itself when SymPy's polys refuse it."""
    try:
        return sympy.cancel(e)
    except (sympy.PolynomialError, NotImplementedError, TypeError, ValueError):
        return e


# --- the whole function --------------------------------------------------------------------


def piecewise_derivative(f: sympy.Expr, x: sympy.Symbol, window: sympy.Set,
                         points: list[tuple[PointReport, _Sides]], *,
                         fast: bool = True) -> sympy.Expr | None:
    """f' as one Piecewise, valid exactly where f was shown differentiable.

    Between consecutive candidate points f equals one branch-free piece (the
    right piece of the point before, the left piece of the point after), so
    f' is that piece's derivative there.  At a point where f is
    differentiable, f'(a) joins the interval whose formula gives it at a (or
    stands alone).  Intervals where f is not defined are left out; ``None``
    when some side or point is undecided or the points are not numbers.
    Bounds of a closed window are left open (one-sided derivatives there are
    not derivatives on the line).  ``fast=False`` builds every condition through
    SymPy's evaluation (tests compare both).

    Examples:
        >>> from diffcheck import analyze
        >>> analyze("Max(0, x)").derivative_piecewise
        Piecewise((0, x < 0), (1, x > 0))
        >>> analyze("x*Abs(x)").derivative_piecewise
        Piecewise((-2*x, x <= 0), (2*x, True))
    """
    if not all(p.at.is_number and sides is not None for p, sides in points):
        return None
    try:
        ordered = sorted(points, key=lambda item: float(item[0].at))
    except (TypeError, ValueError):
        return None
    lo = window.start if isinstance(window, sympy.Interval) else S.NegativeInfinity
    hi = window.end if isinstance(window, sympy.Interval) else S.Infinity
    # [formula or None, lower, upper, lower closed, upper closed]
    spans: list[list[Any]] = []
    if not ordered:
        piece = _piece_inside(f, x, lo, hi)
        if piece is False:
            return None
        spans.append([None if piece is None or piece is True else piece.diff(x), lo, hi,
                      False, False])
    ends = [lo, *(p.at for p, _ in ordered), hi]
    for i in range(len(ordered) + 1 if ordered else 0):
        facing = ordered[i - 1][1][1] if i > 0 else ordered[i][1][0]  # type: ignore[index]
        if facing.defined is None:
            return None
        formula = None
        if facing.defined:
            if facing.piece is None:
                return None
            formula = facing.piece.diff(x)
        spans.append([formula, ends[i], ends[i + 1], False, False])
    isolated: list[tuple[sympy.Expr, sympy.Basic]] = []
    for i, (p, _sides) in enumerate(ordered):
        if p.differentiable is None:
            return None
        if not p.differentiable:
            continue
        before, after = spans[i], spans[i + 1]
        if _gives(before[0], x, p.at, p.derivative):
            before[4] = True
        elif _gives(after[0], x, p.at, p.derivative):
            after[3] = True
        else:
            isolated.append((p.derivative, sympy.Eq(x, p.at)))
    merged: list[list[Any]] = []
    for span in spans:
        if span[0] is None:
            continue
        last = merged[-1] if merged else None
        if last is not None and last[2] == span[1] and (last[4] or span[3]) \
                and sympy.expand(last[0] - span[0]) == 0:
            last[2], last[4] = span[2], span[4]
        else:
            merged.append(span)
    pairs = [(expr, cond) for expr, cond in isolated]
    # x real with no other assumption against a rational bound: the relation cannot
    # evaluate to true or false, so it is built as is (SymPy would ask its assumptions
    # about x - bound first, which is most of the cost for a network of N kinks).
    plain = fast and x == sympy.Symbol(x.name, real=True)
    for formula, low, high, low_closed, high_closed in merged:
        conditions = []
        if not low.is_infinite:
            conditions.append(_relation(sympy.GreaterThan if low_closed
                                        else sympy.StrictGreaterThan, x, low, plain))
        if not high.is_infinite:
            conditions.append(_relation(sympy.LessThan if high_closed
                                        else sympy.StrictLessThan, x, high, plain))
        pairs.append((formula, sympy.And(*conditions)))
    if not pairs:
        return None
    if len(pairs) == 1 and pairs[0][1] is sympy.true:
        return pairs[0][0]
    return sympy.Piecewise(*pairs)


def _relation(rel: type[sympy.core.relational.Relational], x: sympy.Symbol, bound: sympy.Expr,
              plain: bool) -> sympy.Basic:
    if plain and bound.is_Rational:
        return rel(x, bound, evaluate=False)
    return rel(x, bound)


def _piece_inside(f: sympy.Expr, x: sympy.Symbol, lo: sympy.Expr,
                  hi: sympy.Expr) -> sympy.Expr | bool | None:
    """The piece of f on a window without candidate points (None: undefined; False: unknown)."""
    if lo.is_infinite and hi.is_infinite:
        inside = S.Zero
    elif lo.is_infinite:
        inside = hi - 1
    elif hi.is_infinite:
        inside = lo + 1
    else:
        inside = (lo + hi) / 2
    try:
        return resolve(f, x, inside, 1)
    except OutsideDomain:
        return None
    except Undecided:
        return False


def _gives(formula: object, x: sympy.Symbol, a: sympy.Expr, value: sympy.Expr | None) -> bool:
    if not isinstance(formula, sympy.Expr) or value is None:
        return False
    at_a = finite_value(formula, x, a)
    if at_a is None:
        return False
    try:
        return const_sign(at_a - value) == 0
    except Undecided:
        return False


def sympy_diff_notes(x: sympy.Symbol, points: tuple[PointReport, ...],
                     derivative: sympy.Expr | None) -> tuple[str, ...]:
    """Where SymPy's formula for f' gives a number that is not f'(a).

    SymPy differentiates Abs(u) to sign(u)*u' and Max(0, x) to Heaviside(x);
    evaluated at a corner these give a value (sign(0) = 0, Heaviside(0) = 1/2)
    although f'(a) does not exist.

    Examples:
        >>> from diffcheck import analyze
        >>> print(*analyze("Abs(x)").derivative_notes)
        SymPy's diff gives f'(x) = sign(x), which is 0 at x = 0, but f'(0) does not exist (corner)
    """
    if derivative is None or len(points) > NOTE_POINTS or _nodes(derivative) > WRITTEN_NODES:
        return ()  # XXX: large sums (networks) are not compared point by point
    missing: list[tuple[PointReport, sympy.Expr]] = []  # a value where f' does not exist
    notes = []
    for p in points:
        if p.differentiable is None or not p.at.is_number:
            continue
        try:
            given = value_at(derivative, x, p.at)
        except Undecided:
            continue
        if given is None:
            continue
        if p.differentiable is False:
            missing.append((p, given))
        elif p.derivative is not None and not _same_value(given, p.derivative):
            notes.append(f"SymPy's diff gives f'({x}) = {sympy.sstr(derivative)}, which is "
                         f"{sympy.sstr(given)} at {x} = {sympy.sstr(p.at)}, but "
                         f"f'({sympy.sstr(p.at)}) = {sympy.sstr(p.derivative)}")
    if len(missing) == 1:
        [(p, given)] = missing
        notes.insert(0, f"SymPy's diff gives f'({x}) = {sympy.sstr(derivative)}, which is "
                        f"{sympy.sstr(given)} at {x} = {sympy.sstr(p.at)}, but "
                        f"f'({sympy.sstr(p.at)}) does not exist ({p.kind.value})")
    elif missing:  # one note for all of them: the report is read, not scrolled
        values = ", ".join(sympy.sstr(given) for _, given in missing)
        at = ", ".join(sympy.sstr(p.at) for p, _ in missing)
        kinds = ", ".join(p.kind.value for p, _ in missing)
        notes.insert(0, f"SymPy's diff gives f'({x}) = {sympy.sstr(derivative)}, which is "
                        f"{values} at {x} = {at}, but f' does not exist there ({kinds})")
    return tuple(notes)


def _same_value(p: sympy.Expr, q: sympy.Expr) -> bool:
    try:
        return const_sign(p - q) == 0
    except Undecided:
        return True  # not shown to differ: no note


def _nodes(e: sympy.Basic) -> int:
    return sum(1 for _ in sympy.preorder_traversal(e))
