"""NetworkAnalysis -> a rich renderable, and its plot.

Top to bottom: the model and the segment, then for each output a summary line (affine
pieces, kinks, the kink closest to A) and a table of its kinks, then the notes.  Long
exact fractions are shown as 12-digit decimals marked ``≈``; ``--json`` carries them
exactly.  Nothing here prints or computes: the functions return renderables (the
caller's ``Console`` decides width and colour) or write the figure they are given.
"""

# Terminal mathematics: the prime, minus and arrow signs are meant.
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from diffcheck.apps.network import (
    AutogradCheck,
    NetKind,
    NetworkAnalysis,
    NetworkPoint,
    OutputReport,
)
from diffcheck.errors import InputError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["MAX_ROWS", "number", "plot_network", "render_autograd", "render_network",
           "save_plot"]

MAX_ROWS = 20
"""Kinks listed per output unless the caller asks for more; the rest are counted."""

SHORT = 12
"""An exact fraction up to this many characters is shown as it is."""

DIGITS = 5
"""Significant digits of the decimal shown for a longer one."""

KIND_STYLES = {NetKind.CORNER: "yellow", NetKind.DIFFERENTIABLE: "green",
               NetKind.UNKNOWN: "magenta"}

PLOT_FORMATS = ("png", "svg", "pdf")


def number(value: Fraction | None) -> str:
    """An exact value, or its 12-digit decimal marked ``≈`` when the fraction is long.

    Examples:
        >>> number(Fraction(3, 7)), number(Fraction(10**20 + 1, 3 * 10**19)), number(None)
        ('3/7', '≈3.3333', '—')
    """
    if value is None:
        return "—"
    text = str(value)
    return text if len(text) <= SHORT else f"≈{float(value):.{DIGITS}g}"


def _vector(values: Sequence[Fraction]) -> str:
    return "(" + ", ".join(number(v) for v in values) + ")"


def render_network(analysis: NetworkAnalysis, *, max_rows: int = MAX_ROWS,
                   all_points: bool = False) -> RenderableType:
    """The whole report.

    Args:
        analysis: the result of :func:`diffcheck.apps.network.analyze_network`.
        max_rows: kinks listed per output (the others are counted).
        all_points: also list the switch points where the slope does not change.

    Returns:
        A renderable for ``Console.print``.
    """
    dimension = len(analysis.start)
    segment = (f"{_vector(analysis.start)} → {_vector(analysis.end)}" if dimension <= 4
               else f"A → B in {dimension} dimensions")
    parts: list[RenderableType] = [
        Text.assemble(("Model ", "bold"), analysis.model),
        Text.assemble(("Segment ", "bold"), f"f(t) = N(A + t (B − A)), t in [0, 1], {segment}"),
        Text(f"{analysis.regions} linear region(s) of the network along the segment; "
             + ("exact (rational arithmetic on the stored weights)" if analysis.exact
                else "NOT exact: switch points located numerically, reported unknown"),
             style="dim"),
        Text(),
    ]
    for output in analysis.outputs:
        parts.append(_summary(output))
        shown = [p for p in output.points if all_points or p.kind is not NetKind.DIFFERENTIABLE]
        if shown:
            parts.append(_table(shown[:max_rows]))
            if len(shown) > max_rows:
                parts.append(Text(f"… and {len(shown) - max_rows} more (--max-rows, or --json "
                                  f"for all)", style="dim"))
        parts.append(Text())
    closest = analysis.closest_kink
    if closest is not None and len(analysis.outputs) > 1:
        parts.append(Text(f"Closest kink to A over all outputs: t = {number(closest.t)}"))
    for note in analysis.notes:
        parts.append(Text(f"Note: {note}", style="dim"))
    return Group(*parts)


def _summary(output: OutputReport) -> Text:
    kinks = output.kinks
    quiet = len(output.points) - len(kinks)
    line = Text.assemble((f"Output {output.output}: ", "bold"),
                         f"{output.pieces} piece(s), {len(kinks)} kink(s)")
    if quiet:
        line.append(f", {quiet} switch point(s) where the slope does not change")
    if kinks:
        first = kinks[0]
        line.append(f"; closest kink to A at t = {number(first.t)}")
    elif not output.points:
        line.append("; differentiable along the whole segment")
    return line


def _table(points: Sequence[NetworkPoint]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("t", no_wrap=True)
    for title in ("f(t)", "f′(t−)", "f′(t+)"):
        table.add_column(title, justify="right", no_wrap=True)
    table.add_column("kind", no_wrap=True, min_width=6)
    table.add_column("units switching", min_width=16, overflow="fold")
    for p in points:
        row = [number(p.t)]
        row += [number(p.value), number(p.left_derivative), number(p.right_derivative)]
        units = ", ".join(f"{u.node}[{u.index}]" for u in p.units[:4])
        if len(p.units) > 4:
            units += f", … ({len(p.units)} units)"
        table.add_row(*row, Text(p.kind.value, style=KIND_STYLES[p.kind]), units)
    return table


VERDICT_STYLES = {"agrees": "green", "subgradient": "green", "disagrees": "red",
                  "not_subgradient": "red", "unknown": "magenta"}


def render_autograd(checks: Sequence[AutogradCheck], *, max_rows: int = MAX_ROWS
                    ) -> RenderableType:
    """What PyTorch's autograd returned at each switch point (``--torch-module``)."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False,
                  title="PyTorch autograd at the switch points (your module, float64)")
    for title in ("output", "t", "autograd d/dt", "verdict", "same f(t)"):
        table.add_column(title, no_wrap=True)
    for c in checks[:max_rows]:
        same = {True: "yes", False: "NO", None: "—"}[c.value_matches]
        table.add_row(str(c.output), number(c.t), f"{c.derivative:.6g}",
                      Text(c.verdict, style=VERDICT_STYLES.get(c.verdict, "")), same)
    parts: list[RenderableType] = [table]
    if len(checks) > max_rows:
        parts.append(Text(f"… and {len(checks) - max_rows} more (--json for all)", style="dim"))
    return Group(*parts)


# --- plot -----------------------------------------------------------------------------------


def check_plot_path(path: str | Path) -> None:
    """Refuse a file name whose extension matplotlib is not asked to write.

    Raises:
        InputError: not .png, .svg or .pdf.
    """
    if Path(path).suffix[1:].lower() not in PLOT_FORMATS:
        raise InputError(f"cannot plot to {str(path)!r}: the file name must end in "
                         f"{' or '.join('.' + f for f in PLOT_FORMATS)}")


def plot_network(analysis: NetworkAnalysis,
                 samples: tuple[Sequence[float], Sequence[Sequence[float]]] | None = None
                 ) -> Figure:
    """t ↦ N(A + t (B − A)) for each output, kinks marked.

    An exact analysis is drawn from its pieces (exact break points and values);
    otherwise from ``samples`` = (ts, values[t][output]) computed by the caller.

    Raises:
        ModuleNotFoundError: matplotlib is not installed.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4), layout="constrained")
    ax = fig.add_subplot()
    for output in analysis.outputs:
        if output.breaks:
            ts: list[float] = [float(t) for t in output.breaks]
            ys: list[float] = [float(v) for v in output.values]
        elif samples is not None:
            ts = list(samples[0])
            ys = [row[output.output] for row in samples[1]]
        else:
            continue
        (line,) = ax.plot(ts, ys, label=f"output {output.output}", linewidth=1.2)
        kinks = [p for p in output.kinks if p.value is not None]
        if kinks:
            ax.plot([float(p.t) for p in kinks], [float(p.value) for p in kinks  # type: ignore[arg-type]
                                                  ], "o", color=line.get_color(), markersize=3)
        for p in output.kinks:
            if p.value is None:
                ax.axvline(float(p.t), color=line.get_color(), linestyle=":", linewidth=0.6)
    ax.set_xlabel("t   (A + t (B − A))")
    ax.set_ylabel("N")
    ax.set_xlim(0, 1)
    if len(analysis.outputs) <= 10:
        ax.legend(fontsize="small")
    ax.set_title(f"{Path(analysis.model).name}: kinks along the segment", fontsize="medium")
    return fig


def save_plot(analysis: NetworkAnalysis, path: str | Path, samples: Any = None) -> Path:
    """Write :func:`plot_network` to ``path`` (PNG, SVG or PDF by its extension).

    Raises:
        InputError: a bad extension, or the file cannot be written.
        ModuleNotFoundError: matplotlib is not installed.
    """
    path = Path(path)
    check_plot_path(path)
    fig = plot_network(analysis, samples)
    try:
        fig.savefig(path, format=path.suffix[1:].lower())
    except OSError as e:
        raise InputError(f"cannot write the plot to {str(path)!r}: {e.strerror or e}") from None
    return path
