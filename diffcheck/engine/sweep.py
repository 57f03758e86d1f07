"""Resolve a sum at all its candidate points in one left-to-right sweep.

For f = T_1 + ... + T_N (a ReLU network, a sum of losses) resolving every
term at every point costs O(N^2).  But a term's branches can only change at
its own candidate points (that is what discovery guarantees), so between two
consecutive candidates a_i < a_{i+1} every term keeps one branch-free form.
Sweeping from left to right, only the terms *local* to a_i (those with a_i
among their candidates) are re-resolved there, and the running sum of the
resolved terms is the branch-free form of f on (a_i, a_{i+1}) -- which is
also its form just left of a_{i+1}.  With linear pieces SymPy keeps that sum
collected as p*x + q, so the whole sweep is near-linear in N.

f(a_i) is the value of the non-local terms (continuous at a_i: a is not
their candidate, so their resolved form is continuous there) plus the exact
value of the local terms.

Preconditions, checked by the caller: every candidate is known (no infinite
family, nothing unsolved) and the points are real numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy

from diffcheck.engine.limits import OutsideDomain, Undecided, finite_value, resolve, value_at


@dataclass(frozen=True, slots=True)
class Resolved:
    """f near one point: its value and its branch-free forms on each side."""

    value: sympy.Expr | None
    left: sympy.Expr
    right: sympy.Expr


def sweep_sum(
    f: sympy.Expr,
    x: sympy.Symbol,
    points: list[sympy.Expr],
    sources: dict[sympy.Expr, tuple[sympy.Basic, ...]],
    *,
    resolver: Callable[[sympy.Expr, sympy.Expr, int], sympy.Expr] | None = None,
    evaluate: Callable[[sympy.Expr, sympy.Expr], sympy.Expr | None] | None = None,
) -> dict[sympy.Expr, Resolved] | None:
    """Branch-free forms of the sum f at every point (``points`` sorted).

    ``resolver(term, a, side)`` and ``evaluate(term, a)`` stand for
    :func:`~diffcheck.engine.limits.resolve` and :func:`~diffcheck.engine.limits.value_at`
    when given (the partition's lookups, :mod:`diffcheck.engine.partition`).

    Returns None when the sweep does not apply or cannot finish (a term is
    undefined or undecided next to a point): the caller then resolves each
    point on its own, which reports such cases properly.

    Examples:
        >>> from sympy import Max, Symbol
        >>> x = Symbol("x", real=True)
        >>> f = Max(0, x) + Max(0, x - 1)
        >>> out = sweep_sum(f, x, [0, 1], {0: (Max(0, x),), 1: (Max(0, x - 1),)})
        >>> out[0], out[1]
        (Resolved(value=0, left=0, right=x), Resolved(value=1, left=x, right=2*x - 1))
    """
    if not isinstance(f, sympy.Add) or len(points) < 2:
        return None
    terms = [t for t in f.args if t.has(x)]
    constant = sympy.Add(*(t for t in f.args if not t.has(x)))
    owner: dict[sympy.Basic, set[int]] = {}
    for j, term in enumerate(terms):
        for node in sympy.preorder_traversal(term):
            owner.setdefault(node, set()).add(j)
    side_form = resolver or (lambda t, a, s: resolve(t, x, a, s))
    value_of = evaluate or (lambda t, a: value_at(t, x, a))
    out: dict[sympy.Expr, Resolved] = {}
    try:
        current = [side_form(t, points[0], -1) for t in terms]
        running = sympy.Add(constant, *current)
        for a in points:
            local = sorted({j for src in sources.get(a, ()) for j in owner.get(src, ())})
            left = running
            rest = finite_value(left - sympy.Add(*(current[j] for j in local)), x, a)
            values = [value_of(terms[j], a) for j in local]
            value = None if rest is None or None in values else sympy.Add(rest, *values)
            if rest is None:
                return None  # a non-local term is singular at a: discovery missed nothing,
                # but let the per-point path say what happens there
            for j in local:
                new = side_form(terms[j], a, 1)
                running = running - current[j] + new
                current[j] = new
            out[a] = Resolved(value=value, left=left, right=running)
    except (OutsideDomain, Undecided):
        return None
    return out
