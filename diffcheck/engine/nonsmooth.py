"""Where f may fail to be smooth: the equations of its switches, zeros and boundaries.

Away from these sets every Max/Min/Abs/Piecewise/step of f keeps one branch
on a neighbourhood (the comparisons it makes are strict there, and stay strict
nearby by continuity), so f is a composition of its smooth pieces there.  The
set is a *candidate* set: f may well be differentiable at some of its points
(``Max(x, y)**2`` is, where x = y = 0...); points are decided with ``--at``.
"""

from __future__ import annotations

import itertools

import sympy
from sympy import S

from diffcheck.engine.pieces import BRANCHING
from diffcheck.facts import ENTIRE
from diffcheck.model.multi import NonSmoothPiece

SMOOTH = ENTIRE
"""Nodes smooth on all of R^n (with Pow to a non-negative integer power)."""


def relation(h: sympy.Expr, variables: tuple[sympy.Symbol, ...]) -> sympy.Basic | None:
    """The equation h = 0 written as a person would: ``Eq(2*w + b, 1)``, ``Eq(x, y)``.

    None when h does not depend on the variables (then it vanishes nowhere or everywhere).

    Examples:
        >>> w, b = sympy.symbols("w b", real=True)
        >>> relation(1 - 2*w - b, (w, b)) == sympy.Eq(2*w + b, 1), relation(w - b, (w, b))
        (True, Eq(w, b))
    """
    h = sympy.expand(h)
    if not h.free_symbols & set(variables):
        return None
    constant, rest = h.as_independent(*variables, as_Add=True)
    # the sign that makes the first variable's coefficient positive: 2*w + b = 1
    lead = next((rest.diff(v) for v in variables if rest.has(v)), S.One)
    flip = lead.is_negative if lead.is_number else rest.could_extract_minus_sign()
    if flip:
        constant, rest = -constant, -rest
    if constant == 0 and isinstance(rest, sympy.Add) and len(rest.args) == 2:
        neg = [a for a in rest.args if a.could_extract_minus_sign()]
        if len(neg) == 1:
            pos = next(a for a in rest.args if a is not neg[0])
            return sympy.Eq(pos, -neg[0])
    return sympy.Eq(rest, -constant)


def _text(e: sympy.Expr, variables: tuple[sympy.Symbol, ...]) -> str:
    """A linear form with its terms in the order of the variables (``2*w + b``), else SymPy's."""
    if not isinstance(e, sympy.Add) or not all(
        e.diff(v).is_number for v in variables
    ) or e.as_independent(*variables, as_Add=True)[0] != 0:
        return str(sympy.sstr(e))
    text = ""
    for v in variables:
        c = e.diff(v)
        if c == 0:
            continue
        term = sympy.sstr(abs(c) * v)
        text += (" - " if c < 0 else " + ") + term if text else ("-" if c < 0 else "") + term
    return text


def nonsmooth_pieces(f: sympy.Expr, variables: tuple[sympy.Symbol, ...]
                     ) -> tuple[tuple[NonSmoothPiece, ...], bool]:
    """The candidate non-smooth set piece by piece, and whether f is smooth off it.

    The flag is True when every other node of f is smooth on all of R^n, so that
    f is C^∞ off the set; otherwise (roots, logarithms, quotients) the set
    also lists their zeros but the flag stays False.

    Examples:
        >>> w, b = sympy.symbols("w b", real=True)
        >>> pieces, smooth = nonsmooth_pieces(sympy.Max(0, 1 - 2*w - b), (w, b))
        >>> [p.description for p in pieces], smooth
        (['Max(0, -b - 2*w + 1) switches branch where 2*w + b = 1'], True)
    """
    found: dict[sympy.Basic, NonSmoothPiece] = {}
    space = sympy.ProductSet(*([S.Reals] * len(variables)))
    smooth = True

    def add(h: sympy.Expr, source: sympy.Basic, words: str) -> None:
        rel = relation(h, variables)
        if rel is None or rel in found or rel is S.false:
            return
        where = (f"{_text(rel.lhs, variables)} = {_text(rel.rhs, variables)}"
                 if isinstance(rel, sympy.Eq) else str(rel))
        found[rel] = NonSmoothPiece(
            relation=rel, set=sympy.ConditionSet(sympy.Tuple(*variables), rel, space),
            source=source, description=f"{words} where {where}")

    for node in sympy.preorder_traversal(f):
        if not isinstance(node, sympy.Expr) or not node.free_symbols & set(variables):
            continue
        if isinstance(node, (sympy.Max, sympy.Min)):
            for a, b in itertools.combinations(node.args, 2):
                add(a - b, node, f"{node} switches branch")
        elif isinstance(node, sympy.Abs):
            add(node.args[0], node, f"the argument of {node} vanishes")
        elif isinstance(node, (sympy.sign, sympy.Heaviside)):
            add(node.args[0], node, f"{node} changes value")
        elif isinstance(node, sympy.Piecewise):
            for _expr, cond in node.args:
                for rel in cond.atoms(sympy.Rel):
                    add(rel.lhs - rel.rhs, node, f"the condition {rel} of the Piecewise changes")
        elif isinstance(node, BRANCHING):  # floor, ceiling, frac, Mod: jumps on level sets
            smooth = False
        elif isinstance(node, sympy.Pow):
            base, exp = node.args
            if not (exp.is_integer and exp.is_nonnegative):
                smooth = False
                what = "the base of" if exp.is_negative else "the radicand of"
                # |u|**(1/3) (a real odd root) vanishes where u does
                add(base.args[0] if isinstance(base, sympy.Abs) else base, node,
                    f"{what} {node} vanishes")
        elif isinstance(node, sympy.log):
            smooth = False
            add(node.args[0], node, f"the argument of {node} vanishes")
        elif not isinstance(node, SMOOTH) and not node.is_Atom:
            smooth = False
    return tuple(found.values()), smooth
