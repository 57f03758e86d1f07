"""MultiAnalysis -> a rich renderable: the report for several variables.

Top to bottom: the function, its parameters and gradient formula; the
non-smooth set in words; one block per point (verdict, value, one-sided
partials, one-sided directional derivatives, the formula in the direction,
the gradient or the generalized gradient, the reason); a one-line summary.
Nothing here prints.
"""

# The report is mathematics for a terminal: its primes, minus and set signs are meant.
# ruff: noqa: RUF001

from __future__ import annotations

import sympy
from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from diffcheck.model.multi import MultiAnalysis, MultiKind, MultiPointReport, SetPart
from diffcheck.render import text as _format
from diffcheck.render.text_multi import part_words, summary_text

KIND_STYLES: dict[MultiKind, str] = {
    MultiKind.DIFFERENTIABLE: "green",
    MultiKind.KINK: "yellow",
    MultiKind.NOT_DIFFERENTIABLE: "yellow",
    MultiKind.DISCONTINUOUS: "red",
    MultiKind.UNDEFINED: "red",
    MultiKind.UNKNOWN: "magenta",
}
"""Colours as in the one-variable report: green fine, yellow continuous but not
differentiable, red not even continuous, magenta undecided."""

SYMBOLS = "∇∂′−—•ℝ²³⁴⁵⁶⁷⁸⁹∞≠≤≥∅↦·∈"
"""Every non-ASCII character this report may hold (the CLI checks the terminal can show them)."""


def vector(values: tuple[sympy.Expr, ...] | None) -> str:
    """``(1/2, 0)``; ``—`` for None."""
    return _format.MISSING if values is None else f"({_format.values(values)})"


def render_multi_analysis(analysis: MultiAnalysis) -> RenderableType:
    """The whole report for a function of several variables.

    Args:
        analysis: the result of :func:`diffcheck.analyze_multi`.

    Returns:
        A renderable for ``Console.print`` (``rich.print(analysis)`` comes here too).
    """
    parts: list[RenderableType] = [_header(analysis), Text()]
    if analysis.nonsmooth:
        parts += [_nonsmooth(analysis), Text()]
    elif not analysis.points:
        parts += [Text("No non-smooth set: the expression has no switch, root, pole or "
                       "boundary.", style="dim"), Text()]
    if analysis.nondifferentiable:
        parts += [_parts("Not differentiable on", analysis.nondifferentiable, "yellow"), Text()]
    if analysis.undecided:
        parts += [_parts("Not decided", analysis.undecided, "magenta"), Text()]
    if analysis.line is not None:
        parts += [_line(analysis), Text()]
    for p in analysis.points:
        parts += [render_multi_point(p, analysis.variables), Text()]
    if analysis.notes:
        parts += [Text("Notes", style="bold"),
                  *(Text(f"• {_format.infinities(n)}") for n in analysis.notes), Text()]
    parts.append(summary(analysis))
    return Group(*parts)


def render_multi_point(point: MultiPointReport,
                       variables: tuple[sympy.Symbol, ...] | None = None) -> RenderableType:
    """One point: verdict, value, partials, directional derivatives, gradients, reason."""
    names = (f"({_format.values(variables)}) = " if variables else "p = ")
    title = Text.assemble((f"{names}{vector(point.at)}", "bold"), ": ",
                          (point.kind.value.replace("_", " "), KIND_STYLES[point.kind]))
    lines: list[RenderableType] = []
    continuity = {True: "continuous", False: "not continuous", None: "continuity not decided"}
    lines.append(Text(f"f(p) = {_format.value(point.value)}, {continuity[point.continuous]}"))
    if point.partials:
        lines.append(_partials(point))
    if point.directional:
        lines.append(_directional(point))
    if point.directional_formula is not None:
        lines.append(Text(f"f′(p; d) = {_format.value(point.directional_formula)}"))
    if point.gradient is not None:
        lines.append(Text(f"∇f(p) = {vector(point.gradient)}", style="green"))
    if point.generalized_gradient is not None and point.gradient is None:
        hull = ", ".join(vector(g) for g in point.generalized_gradient)
        lines.append(Text(f"generalized gradient = conv{{{hull}}}"))
    if point.reason:
        lines.append(Text(_format.infinities(point.reason)))
    return Group(title, Padding(Group(*lines), (0, 0, 0, 2), expand=False))


def summary(analysis: MultiAnalysis) -> Text:
    """One line: where f is not differentiable, where that was not decided, and the rest."""
    style = "bold green" if analysis.differentiable_everywhere else "bold"
    return Text(summary_text(analysis), style=style)


def _header(analysis: MultiAnalysis) -> RenderableType:
    names = _format.values(analysis.variables)
    lines = [Text.assemble((f"f({names}) = ", "bold"),
                           (_format.value(analysis.expression), "bold cyan"))]
    if analysis.parameters:
        fixed = ", ".join(f"{k} = {_format.value(v)}" for k, v in analysis.parameters)
        lines.append(Text(f"with {fixed}", style="dim"))
    if analysis.gradient is not None:
        where = " off the switching set" if analysis.nonsmooth else ""
        lines.append(Text.assemble(f"∇f = {vector(analysis.gradient)}", (where, "dim")))
    return Group(*lines)


def _nonsmooth(analysis: MultiAnalysis) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for piece in analysis.nonsmooth:
        grid.add_row(Text("•"), Text(piece.description))
    return Group(Text("Switching set (f may fail to be differentiable only here)",
                      style="bold"), grid)


def _parts(title: str, parts: tuple[SetPart, ...], colour: str) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for part in parts:
        grid.add_row(Text("•"), Text.assemble((part_words(part), colour),
                                              (f": {part.reason}" if part.reason else "", "dim")))
    return Group(Text(title, style="bold"), grid)


def _line(analysis: MultiAnalysis) -> RenderableType:
    """The restriction to a segment: the one-variable report, and t mapped to coordinates."""
    from diffcheck.render.terminal import render_analysis

    line = analysis.line
    assert line is not None
    t = line.analysis.variable
    title = Text(f"On the segment from {vector(line.start)} to {vector(line.end)}: "
                 f"{t} ↦ f({vector(line.start)} + {t}·({vector(line.end)} − "
                 f"{vector(line.start)})), {t} ∈ [0, 1]", style="bold")
    table = _table(str(t), "point", "verdict")
    for p in line.analysis.points:
        table.add_row(_format.value(p.at), vector(line.at(p.at)), p.kind.value)
    return Group(title, Padding(render_analysis(line.analysis), (0, 0, 0, 2)), table)


def _table(*headings: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0),
                  header_style="bold")
    for heading in headings:
        table.add_column(Text(heading), overflow="fold")
    return table


def _partials(point: MultiPointReport) -> Table:
    table = _table("partial ∂f/∂·", "left", "right", "two-sided")
    for q in point.partials:
        table.add_row(_format.value(q.variable), _format.value(q.left),
                      _format.value(q.right), _format.value(q.derivative))
    return table


def _directional(point: MultiPointReport) -> Table:
    table = _table("direction d", "f′(p; d)")
    for d in point.directional:
        table.add_row(vector(d.direction), _format.value(d.value))
    return table
