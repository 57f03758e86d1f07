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

from diffcheck.model.multi import MultiAnalysis, MultiKind, MultiPointReport
from diffcheck.render import text as _format

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

SYMBOLS = "∇∂′−—•ℝ²³⁴⁵⁶⁷⁸⁹∞"
"""Every non-ASCII character this report may hold (the CLI checks the terminal can show them)."""
_SUPERSCRIPTS = dict(zip("23456789", "²³⁴⁵⁶⁷⁸⁹", strict=True))


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
    if point.generalized_gradient is not None:
        hull = ", ".join(vector(g) for g in point.generalized_gradient)
        lines.append(Text(f"generalized gradient = conv{{{hull}}}"))
    if point.reason:
        lines.append(Text(_format.infinities(point.reason)))
    return Group(title, Padding(Group(*lines), (0, 0, 0, 2), expand=False))


def summary(analysis: MultiAnalysis) -> Text:
    """One line: where f is differentiable, and where it is not or was not decided."""
    n = len(analysis.variables)
    space = "ℝ" + "".join(_SUPERSCRIPTS.get(c, c) for c in str(n)) if n > 1 else "ℝ"
    if analysis.differentiable_everywhere:
        return Text(f"differentiable everywhere on {space}", style="bold green")
    parts = []
    if analysis.differentiable_on is not None and analysis.nonsmooth:
        parts.append(f"differentiable on {space} off the non-smooth set")
    bad = analysis.nondifferentiable_points
    if bad:
        parts.append("not differentiable at " + ", ".join(vector(a) for a in bad))
    if analysis.unknown_points:
        count = len(analysis.unknown_points)
        parts.append(f"not decided at {count} point{'s' if count > 1 else ''} (see reasons)")
    if not parts:
        parts.append("the points of the non-smooth set are decided with --at")
    return Text("; ".join(parts), style="bold")


def _header(analysis: MultiAnalysis) -> RenderableType:
    names = _format.values(analysis.variables)
    lines = [Text.assemble((f"f({names}) = ", "bold"),
                           (_format.value(analysis.expression), "bold cyan"))]
    if analysis.parameters:
        fixed = ", ".join(f"{k} = {_format.value(v)}" for k, v in analysis.parameters)
        lines.append(Text(f"with {fixed}", style="dim"))
    if analysis.gradient is not None:
        where = " off the non-smooth set" if analysis.nonsmooth else ""
        lines.append(Text.assemble(f"∇f = {vector(analysis.gradient)}", (where, "dim")))
    return Group(*lines)


def _nonsmooth(analysis: MultiAnalysis) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for piece in analysis.nonsmooth:
        grid.add_row(Text("•"), Text(piece.description))
    return Group(Text("Non-smooth set (f may fail to be differentiable only here)",
                      style="bold"), grid)


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
