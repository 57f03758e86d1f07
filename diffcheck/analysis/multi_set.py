"""The non-differentiable set in several variables: the pieces' verdict plus the point analysis.

:func:`diffcheck.engine.nondiff_set.plan` decides every switching surface on
its regular points off the other surfaces, and leaves the points where
surfaces meet, singular points and isolated zero sets to the point analysis
of :func:`diffcheck.analysis.multi.evaluate_multi_point`; here the two are put
together into :class:`~diffcheck.model.multi.SetPart` objects.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy
from sympy import S

from diffcheck.budget import BudgetExceeded, Deadline, budget
from diffcheck.engine import nondiff_set
from diffcheck.engine.nonsmooth import linear_text, relation
from diffcheck.model.multi import MultiPointReport, NonSmoothPiece, SetPart

__all__ = ["decide_set", "interval_words"]

Decide = Callable[[dict[sympy.Symbol, sympy.Expr]], MultiPointReport]


def interval_words(values: sympy.Set, u: sympy.Symbol) -> str:
    """A set of reals in words: ``x > 0``, ``y ≠ 0``, ``0 ≤ x < 1``; ``""`` for all of R.

    Examples:
        >>> x = sympy.Symbol("x", real=True)
        >>> interval_words(sympy.Interval.Ropen(0, 1), x), interval_words(S.Reals - {0}, x)
        ('0 ≤ x < 1', 'x ≠ 0')
    """
    if values == S.Reals:
        return ""
    complement = S.Reals - values
    if isinstance(complement, sympy.FiniteSet):
        return ", ".join(f"{u} ≠ {sympy.sstr(c)}" for c in complement)
    pieces = values.args if isinstance(values, sympy.Union) else (values,)
    words = []
    for piece in pieces:
        if isinstance(piece, sympy.FiniteSet):
            words += [f"{u} = {sympy.sstr(c)}" for c in piece]
        elif isinstance(piece, sympy.Interval):
            lo, hi = piece.start, piece.end
            below = "<" if piece.left_open else "≤"
            above = "<" if piece.right_open else "≤"
            left = "" if lo == -S.Infinity else f"{sympy.sstr(lo)} {below} "
            right = "" if hi == S.Infinity else f" {above} {sympy.sstr(hi)}"
            if not left and right:
                words.append(f"{u}{right}")
            elif left and not right:
                flipped = '>' if piece.left_open else '≥'
                words.append(f"{u} {flipped} {sympy.sstr(lo)}")
            else:
                words.append(f"{left}{u}{right}")
        else:
            words.append(sympy.sstr(piece.as_relational(u)))
    return " or ".join(words)


def _equation(k: sympy.Expr, variables: tuple[sympy.Symbol, ...]) -> str:
    """``2*w + b = 1``, ``x = y``, ``y = x**2``: a variable alone goes on the left."""
    rel = relation(k, variables)
    if not isinstance(rel, sympy.Eq):
        return f"{sympy.sstr(k)} = 0"
    lhs, rhs = rel.lhs, rel.rhs
    if rhs in variables and lhs not in variables:
        lhs, rhs = rhs, lhs
    return f"{linear_text(lhs, variables)} = {linear_text(rhs, variables)}"


def _shape(k: sympy.Expr, variables: tuple[sympy.Symbol, ...]) -> str:
    linear = sympy.Poly(k, *variables).total_degree() <= 1
    if len(variables) == 2:
        return "line" if linear else "curve"
    return "plane" if linear else "surface"


def decide_set(f: sympy.Expr, variables: tuple[sympy.Symbol, ...], *, seconds: float,
               deadline: Deadline, decide: Decide, candidates: tuple[NonSmoothPiece, ...],
               smooth: bool, parameters: bool
               ) -> tuple[tuple[SetPart, ...], tuple[SetPart, ...], bool]:
    """(the non-differentiable parts, the undecided parts, whether the set was analysed)."""
    space = sympy.ProductSet(*([S.Reals] * len(variables)))
    candidate = (sympy.Union(*(p.set for p in candidates), evaluate=False)
                 if len(candidates) > 1 else candidates[0].set) if candidates else S.EmptySet

    def everything(why: str) -> tuple[tuple[SetPart, ...], tuple[SetPart, ...], bool]:
        if smooth and candidate is S.EmptySet:
            return (), (), True
        where, words = (candidate, "the switching set") if smooth else (space, "everywhere")
        return (), (SetPart(set=where, description=words, shape="whole", reason=why),), True

    if parameters:
        return everything("the set depends on the real parameters (fix them with --set)")
    try:
        with budget(seconds):
            plan = nondiff_set.plan(f, variables)
    except nondiff_set.Unsupported as e:
        return everything(str(e))
    except BudgetExceeded:
        return everything(f"the set analysis took longer than {seconds:g} s")

    extra: dict[int, set[sympy.Expr]] = {}
    isolated: list[tuple[sympy.Expr, ...]] = []
    open_points: list[tuple[tuple[sympy.Expr, ...], str]] = []
    for count, (point, owners) in enumerate(plan.points.items()):
        if count >= nondiff_set.MAX_POINTS or deadline.expired():
            open_points.append((point, "more points than the point analysis may take"))
            continue
        report = decide(dict(zip(variables, point, strict=True)))
        if report.differentiable is None:
            open_points.append((point, report.reason))
        elif report.differentiable is False:
            isolated.append(point)
            for index, t in owners:
                if index >= 0 and t is not None:
                    extra.setdefault(index, set()).add(t)

    parts: list[SetPart] = []
    for index, c in enumerate(plan.components):
        equation = _equation(c.k, variables)
        if c.parameter is not None and c.graph is not None and c.solved is not None:
            values = sympy.Union(c.nondifferentiable, sympy.FiniteSet(*extra.get(index, ())))
            if values is S.EmptySet:
                continue
            condition = sympy.And(sympy.Eq(c.solved, c.graph), values.as_relational(c.parameter))
            words = interval_words(values, c.parameter)
            parts.append(SetPart(
                set=sympy.ConditionSet(sympy.Tuple(*variables), condition, space),
                description=equation + (f", {words}" if words else ""),
                shape=_shape(c.k, variables) if not words else "part of a "
                + _shape(c.k, variables), reason=c.reason))
        elif c.condition is not S.false:
            parts.append(SetPart(set=sympy.ConditionSet(sympy.Tuple(*variables), c.condition,
                                                        space),
                                 description=f"{equation} where "
                                 f"{sympy.sstr(c.condition)}" if c.condition != sympy.Eq(c.k, 0)
                                 else equation, shape=_shape(c.k, variables), reason=c.reason))
    parts.sort(key=lambda part: part.description)
    lonely = [p for p in isolated if not any(part.set.contains(p) is S.true for part in parts)]
    if lonely:
        parts.append(SetPart(set=sympy.FiniteSet(*(sympy.Tuple(*p) for p in lonely)),
                             description=", ".join(_point(p) for p in lonely), shape="points",
                             reason="decided by the point analysis"))
    undecided = [SetPart(set=s, description=words, reason=why) for s, words, why in plan.undecided]
    undecided += [SetPart(set=sympy.FiniteSet(sympy.Tuple(*p)), description=_point(p),
                          shape="points", reason=why) for p, why in open_points]
    return tuple(parts), tuple(undecided), True


def _point(p: tuple[sympy.Expr, ...]) -> str:
    return "(" + ", ".join(sympy.sstr(c) for c in p) + ")"
