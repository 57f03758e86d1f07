"""``--assume`` texts -> :class:`~diffcheck.engine.conditions.Assumptions`."""

from __future__ import annotations

import re

import sympy
from sympy import S

from diffcheck.engine.conditions import Assumptions
from diffcheck.errors import InputError

_WORDS = {
    "integer": "integer",
    "positive": "positive",
    "negative": "negative",
    "nonzero": "nonzero",
    "nonnegative": "nonnegative",
}
_WORD = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s+(?:is\s+)?(?:an?\s+)?([a-z]+)\s*$")
_RELATIONS = re.compile(r"(<=|>=|!=|==|≤|≥|≠|<|>|=)")
_REL = {
    "<": sympy.StrictLessThan, "<=": sympy.LessThan, "≤": sympy.LessThan,
    ">": sympy.StrictGreaterThan, ">=": sympy.GreaterThan, "≥": sympy.GreaterThan,
    "=": sympy.Eq, "==": sympy.Eq, "!=": sympy.Ne, "≠": sympy.Ne,
}


def parse_assumptions(texts: tuple[str, ...] | list[str]) -> Assumptions:
    """Read ``--assume`` texts: ``"p > 0"``, ``"0 < t < 1"``, ``"a != 0"``, ``"n integer"``.

    Each side of a relation is read by diffcheck's parser (never evaluated);
    a chain ``lo < t < hi`` gives two relations.  Raises :class:`InputError`
    for anything else.

    Examples:
        >>> a = parse_assumptions(["0 < t < 1", "n integer"])
        >>> a.relations, sorted(a.integers)
        ((0 < t, t < 1), ['n'])
    """
    from diffcheck.language.parsing import parse_expression

    relations: list[sympy.Basic] = []
    integers: set[str] = set()
    for text in texts:
        word = _WORD.match(text)
        if word is not None and word.group(2) in _WORDS:
            name, what = word.group(1), word.group(2)
            p = sympy.Symbol(name, real=True)
            if what == "integer":
                integers.add(name)
            else:
                relations.append({"positive": p > 0, "negative": p < 0,
                                  "nonzero": sympy.Ne(p, 0),
                                  "nonnegative": p >= 0}[what])
            continue
        parts = _RELATIONS.split(text)
        if len(parts) < 3 or len(parts) % 2 == 0:
            raise InputError(f"cannot read the assumption {text!r}: expected a relation such "
                             f"as 'p > 0', '0 < t < 1', 'a != 0', or 'n integer'")
        sides = []
        for piece in parts[::2]:
            if not piece.strip():
                raise InputError(f"cannot read the assumption {text!r}: a side is empty")
            sides.append(parse_expression(piece))
        for i, op in enumerate(parts[1::2]):
            rel = _REL[op](sides[i], sides[i + 1])
            if rel is S.true:
                continue
            if rel is S.false:
                raise InputError(f"the assumption {text!r} is false")
            if not rel.free_symbols:
                raise InputError(f"the assumption {text!r} names no parameter")
            relations.append(rel)
    return Assumptions(relations=tuple(relations), integers=frozenset(integers))
