"""The non-differentiable set of a function of several variables, in words.

Shared by the terminal and HTML reports (no rich here): ``the axes x = 0 and
y = 0``, ``the line x = y``, ``the point (0, 0)``.
"""

# The words are mathematics: their signs (≠, ℝ²) are meant.
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

import re

import sympy

from diffcheck.model.multi import MultiAnalysis, SetPart

__all__ = ["part_words", "set_words", "space", "summary_text"]

SYMBOLS = "ℝ²³⁴⁵⁶⁷⁸⁹≠≤≥∅"
"""Every non-ASCII character these words may hold."""
_SUPERSCRIPTS = dict(zip("23456789", "²³⁴⁵⁶⁷⁸⁹", strict=True))


def space(n: int) -> str:
    """ℝ, ℝ², ℝ³, ..."""
    return "ℝ" + "".join(_SUPERSCRIPTS.get(c, c) for c in str(n)) if n > 1 else "ℝ"


def part_words(part: SetPart) -> str:
    """One part: ``the line x = y``, ``the part of the line x = 0 where y ≠ 0``."""
    if part.shape == "whole":
        return part.description
    if part.shape == "points":
        many = part.description.count("(") > 1
        return f"the point{'s' if many else ''} {part.description}"
    if part.shape.startswith("part of a "):
        shape = part.shape.removeprefix("part of a ")
        equation, _, where = part.description.partition(", ")
        if shape == "line" and _HALF.match(where):
            shape = "half-line"
        return f"the {shape} {equation} where {where}"
    return f"the {part.shape} {part.description}"


_HALF = re.compile(r"\w+ [<>≤≥] [^<>≤≥]+\Z")


def _axes(parts: tuple[SetPart, ...], names: list[str]) -> str | None:
    """``the axes x = 0 and y = 0`` (optionally ``except the origin``) for two variables."""
    if len(names) != 2 or len(parts) != 2:
        return None
    plain = {f"{v} = 0" for v in names}
    if {p.description for p in parts} == plain and all(p.shape == "line" for p in parts):
        return f"the axes {names[0]} = 0 and {names[1]} = 0"
    punctured = {f"{names[0]} = 0, {names[1]} ≠ 0", f"{names[1]} = 0, {names[0]} ≠ 0"}
    if {p.description for p in parts} == punctured:
        return f"the axes {names[0]} = 0 and {names[1]} = 0 except the origin"
    return None


def set_words(parts: tuple[SetPart, ...], names: list[str]) -> str:
    """Parts of a set in words, joined with "and"."""
    if not parts:
        return "∅"
    axes = _axes(parts, names)
    if axes is not None:
        return axes
    words = [part_words(p) for p in parts]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def summary_text(analysis: MultiAnalysis) -> str:
    """One line: where f is not differentiable, where that was not decided, and the rest."""
    names = [str(v) for v in analysis.variables]
    where = space(len(names))
    if analysis.differentiable_everywhere:
        return f"differentiable everywhere on {where}"
    parts = []
    if analysis.nondifferentiable:
        preposition = "at" if all(p.shape == "points" for p in analysis.nondifferentiable) \
            else "on"
        parts.append(f"not differentiable {preposition} "
                     + set_words(analysis.nondifferentiable, names))
    bad = [p for p in analysis.nondifferentiable_points
           if analysis.nondifferentiable_set.contains(sympy.Tuple(*p)) is not sympy.true]
    if bad:
        parts.append("not differentiable at " + ", ".join(
            "(" + ", ".join(str(c) for c in p) + ")" for p in bad))
    if analysis.undecided:
        undecided = set_words(analysis.undecided, names)
        preposition = "" if undecided == "everywhere" else "on "
        parts.append(f"not decided {preposition}{undecided} (see the reasons)")
    elif analysis.unknown_points:
        count = len(analysis.unknown_points)
        parts.append(f"not decided at {count} point{'s' if count > 1 else ''} (see reasons)")
    if not analysis.undecided and not analysis.unknown_points and analysis.set_decided:
        parts.append("differentiable everywhere else")
    return "; ".join(parts)
