"""The derivation at each point, as lines of prose and mathematics, for any renderer.

A line is a tuple of tokens: ``str`` (prose), a SymPy object (mathematics),
:class:`Quotient` ((A - B)/h), :class:`Lim` (a one-sided limit) or a
:class:`Rel` (=, ≠, →).  Renderers (rich text, Markdown, LaTeX) only choose
how each token looks; what the lines say comes from the
:class:`~diffcheck.model.report.Derivation` the analysis recorded (the pieces it
resolved on each side, the quotients it formed, the limits it found), so
the explanation cannot drift from the verdict.
"""

from __future__ import annotations

import sympy

from diffcheck.budget import Deadline
from diffcheck.engine.smoothness import written
from diffcheck.model.explanation import (
    Definition,
    Explanation,
    Lim,
    Line,
    Quotient,
    Rel,
    Token,
)
from diffcheck.model.report import Analysis, Kind, PointReport, Step

POINT_SECONDS = 5.0
"""Seconds the written quotients of one point may take."""
TOTAL_SECONDS = 30.0
"""Seconds the written quotients of all the points may take together."""

F = sympy.Function("f")
DF = sympy.Function("f'")


def explain_point(point: PointReport, x: sympy.Symbol, f: sympy.Expr | None = None,
                  seconds: float = POINT_SECONDS) -> tuple[Line, ...]:
    """The lines a teacher writes for the verdict at ``point`` of ``f``.

    The difference quotients are written out from the recorded pieces when
    ``f`` is given (:func:`diffcheck.engine.smoothness.written`).

    Examples:
        >>> from diffcheck import analyze
        >>> a = analyze("Max(0, x)")
        >>> lines = explain_point(a.points[0], a.variable, a.expression)
        >>> lines[0][0], lines[0][-1]
        ('Value: ', 0)
        >>> [str(t) for t in lines[2] if not isinstance(t, str)]
        ['0', 'f(x)', 'x']
    """
    a = point.at
    d = point.derivation
    if d is not None and f is not None:
        d = written(f, d, seconds)
    lines: list[Line] = []
    if point.cases:
        return _cases(point)
    if point.value is None:
        lines.append(("Value: ", F(a), " is undefined."))
    else:
        lines.append(("Value: ", F(a), Rel.EQ, point.value))
    if d is None:
        lines.append(("No derivation was recorded at this point: ", point.reason))
        return tuple(lines)
    for step in (d.left, d.right):
        where = "left" if step.side < 0 else "right"
        if step.piece is None:
            lines.append((f"On the {where} of ", a, f": {step.note or 'not resolved'}."))
        else:
            lines.append((f"On the {where} of ", a, ", f coincides with the branch ",
                          F(x), Rel.EQ, step.piece, "."))
    lines.append(_continuity(point, d.left, d.right, x))
    if point.value is not None:
        for step in (d.left, d.right):
            lines.append(_quotient(point, step, d.h))
    lines.append(("Conclusion: ", point.kind.value.replace("_", " "), f": {point.reason}."))
    lines.extend(extras(point))
    return tuple(lines)


SHOWN_BY_SLOPES = frozenset((Kind.DIFFERENTIABLE, Kind.CORNER, Kind.CUSP,
                             Kind.VERTICAL_TANGENT))
"""Verdicts that the one-sided derivatives of a case already explain."""


def _cases(point: PointReport) -> tuple[Line, ...]:
    """A point whose answer depends on the parameters: one line per case.

    The values at such a point are formulas in the parameters that hold only in
    some cases, so no single derivation is shown; each case says its verdict.
    """
    a = point.at
    lines: list[Line] = []
    if point.condition is not None:
        lines.append(("The point ", a, " exists when ", point.condition, "."))
    lines.append(("The answer depends on the parameters:",))
    for c in point.cases:
        line: list[Token] = ["When ", c.condition, ": ", c.kind.value.replace("_", " ")]
        if c.derivative is not None:
            line += [", ", DF(a), Rel.EQ, c.derivative]
        else:
            for name, v in (("left", c.left_derivative), ("right", c.right_derivative)):
                if v is not None:
                    line += [f", {name} derivative ", v]
        if c.reason and c.kind not in SHOWN_BY_SLOPES:
            line.append(f" ({c.reason})")
        line.append(".")
        lines.append(tuple(line))
    return tuple(lines)


def _continuity(point: PointReport, left: Step, right: Step, x: sympy.Symbol) -> Line:
    a = point.at
    parts: list[Token] = ["Limits of f: "]
    for step in (left, right):
        if step.piece is None:
            continue
        if parts[-1] != "Limits of f: ":
            parts.append(", ")
        parts += [Lim(F(x), x, a, step.side), Rel.EQ, Lim(step.piece, x, a, step.side), Rel.EQ,
                  _shown(step.limit)]
    verdict = {True: "so f is continuous at ", False: "so f is not continuous at ",
               None: "continuity at "}[point.continuous]
    tail = "." if point.continuous is not None else " is not decided."
    return (*parts, "; ", verdict, a, tail)


def _quotient(point: PointReport, step: Step, h: sympy.Symbol) -> Line:
    a, value = point.at, point.value
    sign = "h < 0" if step.side < 0 else "h > 0"
    assert value is not None
    if step.piece is None or step.substituted is None:
        return (f"For {sign}: ", step.note or "the difference quotient was not formed", ".")
    chain: list[Token] = [f"For {sign}: ",
                          Definition(a, h), Rel.EQ]
    if step.shifted is not None and step.shifted != step.substituted:
        chain += [Quotient(step.shifted, value, h), Rel.EQ]
    chain += [Quotient(step.substituted, value, h)]
    if step.quotient is not None:
        chain += [Rel.EQ, step.quotient]
    chain += ["; its limit is ", Lim(step.quotient if step.quotient is not None
                                     else Quotient(step.substituted, value, h), h, 0, step.side),
              Rel.EQ]
    if step.slope is not None:
        chain += [step.slope, "."]
    else:
        chain += ["no value", f" ({step.note})." if step.note else " (it does not exist)."]
    return tuple(chain)


def extras(point: PointReport) -> tuple[Line, ...]:
    """Smoothness, the subdifferential at a corner and the repair of a removable point."""
    lines: list[Line] = []
    first = point.derivatives[0] if point.derivatives else None
    if first is not None and first.differentiable and first.continuous is not None:
        if first.continuous:
            lines.append(("Continuity of f': the branches' derivatives tend to ", DF(point.at),
                          " from both sides, so f' is continuous at ", point.at, "."))
        else:
            lines.append(("Continuity of f': the branches' derivatives do not both tend to ",
                          DF(point.at), ", so f' is not continuous at ", point.at, "."))
    for d in point.derivatives[1:]:
        k = d.order
        verdict = {True: "exists", False: "does not exist", None: "is not decided"}[
            d.differentiable]
        line: list[Token] = [f"Order {k}: the glued derivative of order {k - 1} has one-sided "
                             "difference-quotient limits ", _shown(d.left), " and ",
                             _shown(d.right), f", so the derivative of order {k} at ", point.at,
                             f" {verdict}"]
        if d.value is not None:
            line += [" (", d.value, ")"]
        if d.continuous is not None:
            line += [f"; it is {'' if d.continuous else 'not '}continuous there"]
        lines.append((*line, "."))
    if point.smoothness is not None:
        lines.append(("Smoothness: ", point.smoothness, _smoothness_words(point)))
    if point.subdifferential is not None:
        lo, hi = point.subdifferential
        lines.append(("Subdifferential: the Clarke generalized derivative is ",
                      sympy.Interval(lo, hi), f" ({point.kink} kink); any value in it is a "
                      "valid choice of derivative for an optimiser (like the 0, 1 or 0.5 "
                      "people pick at ReLU's 0)."))
    if point.repair is not None:
        r = point.repair
        line = ["Repair: define ", F(point.at), Rel.EQ, r.value]
        if r.differentiable:
            line += ["; then ", DF(point.at), Rel.EQ, r.derivative, "."]
        elif r.differentiable is False:
            line += ["; f is then continuous but still not differentiable there."]
        else:
            line += ["; then f is continuous there (differentiability not decided)."]
        lines.append(tuple(line))
    return tuple(lines)


def _smoothness_words(point: PointReport) -> str:
    s = point.smoothness or ""
    if s == "C^oo":
        return " (the same analytic expression on both sides)"
    if s.startswith("at least"):
        return " (every derivative up to the order checked exists; nothing is claimed beyond)"
    if s.startswith("D^"):
        return " (the derivative exists but is not continuous here)"
    return ""


def _shown(v: sympy.Expr | None) -> Token:
    return "no limit" if v is None else v


def explain(analysis: Analysis) -> Explanation:
    """The explanation stage: every point of the analysis with its lines (the
    quotients written within ``TOTAL_SECONDS`` in all; beyond it a point says they
    were not formed).  Renderers read the result; they compute nothing.

    Examples:
        >>> from diffcheck import analyze
        >>> [(p.at, len(lines) > 3) for p, lines in explain(analyze("Abs(x)")).points]
        [(0, True)]
    """
    clock = Deadline(TOTAL_SECONDS)
    return Explanation(analysis=analysis, points=tuple(
        (p, explain_point(p, analysis.variable, analysis.expression,
                          min(POINT_SECONDS, clock.remaining() or 0.0)))
        for p in analysis.points))

