"""The catalog table and the autodiff cross-check as rich renderables (nothing here prints)."""

# ruff: noqa: RUF001

from __future__ import annotations

from collections.abc import Iterable

import sympy
from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from diffcheck.apps.autodiff import STEP, AutodiffReport, GradientCheck, SideCheck, Verdict
from diffcheck.apps.catalog import ORDER, CatalogRow
from diffcheck.render import text as _format
from diffcheck.render.terminal import kind_text

LONG = 16
"""Exact values longer than this many characters are shown as a 4-digit decimal (≈)."""


def short(value: sympy.Basic | None) -> str:
    """The exact value, or ``≈`` its decimal when the exact form is long (SELU's slopes)."""
    text = _format.value(value)
    if value is None or len(text) <= LONG or not value.is_number:
        return text
    return f"≈{sympy.Float(value, 4)}"


def number(value: float) -> str:
    """A framework's float as printed in the tables: ``0.5``, ``nan``, ``inf``."""
    return f"{value + 0.0:.6g}"  # -0.0 + 0.0 is 0.0: no "-0"


def render_catalog(rows: Iterable[CatalogRow]) -> RenderableType:
    """One table: each entry, its formula, and each point with kind, class, slopes, autodiff.

    Every column but the formula keeps its full width; the formula is cut with ``…``
    on a narrow terminal (never wrapped, so each row stays one line).
    """
    rows = tuple(rows)
    frameworks = [name for name, _, _ in next(
        (p.gradients for row in rows for p in row.points), ())]
    lines: list[list[Text]] = []
    for row in rows:
        formula = [] if frameworks else [Text(row.entry.formula)]
        if not row.points:
            lines.append([Text(row.entry.name), Text(), Text("smooth", "green"), Text("C^∞"),
                          Text(), Text(), *[Text() for _ in frameworks], *formula])
        for i, point in enumerate(row.points):
            lines.append([
                Text(row.entry.name if i == 0 else ""), Text(_format.value(point.at)),
                kind_text(point.kind), Text(_class(point.smoothness)),
                Text(short(point.left_derivative)), Text(short(point.right_derivative)),
                *[Text(number(value) + ("*" if how == "formula" else ""))
                  for _, how, value in point.gradients],
                *(formula if i == 0 else [Text() for _ in formula])])
    headers = ("name", "x₀", "verdict", "class", "f′(x₀−)", "f′(x₀+)", *frameworks)
    table = _FittedTable(headers, lines, formula=not frameworks)
    note = Text(f"smooth: no point where it could fail to be differentiable. class: the "
                f"smoothness at a, derivatives checked up to order {ORDER}. The framework "
                "columns are the gradient its autodiff returns at a (float64), for its own "
                "function (* where it has none: for diffcheck's formula).",
                style="dim") if frameworks else Text(
        f"smooth: no point where it could fail to be differentiable. class: the smoothness "
        f"at a, derivatives checked up to order {ORDER}.", style="dim")
    return Group(table, Text(), note)


class _FittedTable:
    """The catalog table, fitted to the console: every column but the formula keeps its
    full width; the formula is cut with ``…`` to what is left (never wrapped), and
    left out when fewer than ``MIN_FORMULA`` columns remain."""

    MIN_FORMULA = 8

    def __init__(self, headers: tuple[str, ...], lines: list[list[Text]], *,
                 formula: bool) -> None:
        self.headers, self.lines, self.formula = headers, lines, formula

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = [max([len(h), *(line[j].cell_len for line in self.lines)])
                  for j, h in enumerate(self.headers)]
        # each column but the last: one space of padding and one of the box's divider
        room = options.max_width - sum(widths) - 2 * len(widths)
        if room < 0:  # too narrow for the columns: one card per row, numbers never cut
            yield from self._cards()
            return
        show_formula = self.formula and room >= self.MIN_FORMULA
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                      padding=(0, 1, 0, 0))
        for header, width in zip(self.headers, widths, strict=True):
            table.add_column(header, no_wrap=True, min_width=width)
        if show_formula:
            table.add_column("formula", no_wrap=True, max_width=room)
        for line in self.lines:
            cells = line[:len(self.headers)]
            if show_formula:
                formula = line[len(self.headers)].copy()
                formula.truncate(room, overflow="ellipsis")
                cells.append(formula)
            table.add_row(*cells)
        yield table


    def _cards(self) -> RenderResult:
        """Each row as ``name x₀: verdict`` and its values as ``header value`` pairs."""
        name = ""
        for line in self.lines:
            if line[0].plain:
                name = line[0].plain
                yield Text(name, style="bold")
            head = Text.assemble("  ", (f"{self.headers[1]} = {line[1].plain}: " if line[1].plain
                                        else ""), line[2])
            pairs = [f"{h}={cell.plain}" for h, cell in zip(self.headers[3:], line[3:],
                                                           strict=False) if cell.plain]
            if pairs:
                head.append(", " + ", ".join(pairs))
            yield head


def _class(smoothness: str | None) -> str:
    """``C^1``, ``D^1``, ``C^∞``; the dash where f is not continuous (no class)."""
    return _format.MISSING if smoothness is None else smoothness.replace("C^oo", "C^∞")


def render_autodiff(reports: Iterable[AutodiffReport]) -> RenderableType:
    """Per framework: its gradient at each point and at a -+ h, and what each value means.

    The one-sided derivatives it is judged against are the analysis report's own
    (printed above it by the command).
    """
    reports = tuple(reports)
    parts: list[RenderableType] = []
    for report in reports:
        name = report.framework
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                      title=f"{name} autodiff, float64", title_justify="left",
                      title_style="bold")
        for header in ("a", "verdict", "at a", "meaning", "at a−h", "at a+h"):
            table.add_column(header, no_wrap=True, min_width=len(header))
        for check in report.checks:
            table.add_row(_format.value(check.at), kind_text(check.kind),
                          number(check.gradient),
                          Text(_MEANINGS[check.verdict], _VERDICT_STYLES[check.verdict]),
                          *[_mark(side) for side in check.sides])
        parts += [table, Text()]
        for check in report.checks:
            if check.verdict in (Verdict.DISAGREES, Verdict.NOT_SUBGRADIENT):
                parts.append(Text(f"{_format.value(check.at)}: {check.reason}", style="red"))
            for side in check.sides:
                if side.agrees is False:
                    sign = "−" if side.side == "left" else "+"
                    parts.append(Text(
                        f"{_format.value(check.at)}: at {side.at:.9g} {name} returns "
                        f"{number(side.gradient)}, not close to f′(a{sign}) = "
                        f"{short(side.expected)}: f′ changes quickly near a, or one of the "
                        "two is wrong", style="red"))
    if reports:
        parts += [Text(_LEGEND.format(step=f"{STEP:g}"), style="dim"),
                  Text(f"Note: {reports[-1].note}.", style="dim")]
    return Group(*parts)


_MEANINGS = {
    Verdict.AGREES: "= f′(a)", Verdict.DISAGREES: "≠ f′(a)", Verdict.SUBGRADIENT: "subgradient",
    Verdict.NOT_SUBGRADIENT: "not a subgradient", Verdict.NO_INFORMATION: "no information",
    Verdict.UNKNOWN: "unknown",
}

_LEGEND = ("subgradient: inside [f′(a−), f′(a+)] at a corner; no information: f has no "
           "derivative at a, so the value means nothing; ✓/✗: the gradient at a∓h is or is "
           "not close to f′(a∓) (h = {step}·|a|, {step} at 0, and small against the gap to the "
           "next point).")


_VERDICT_STYLES = {
    Verdict.AGREES: "green", Verdict.SUBGRADIENT: "green", Verdict.DISAGREES: "red",
    Verdict.NOT_SUBGRADIENT: "red", Verdict.NO_INFORMATION: "yellow",
    Verdict.UNKNOWN: "magenta",
}


def _side(check: GradientCheck, index: int) -> sympy.Basic | None:
    return check.sides[index].expected if len(check.sides) > index else None


def _mark(side: SideCheck) -> Text:
    """The gradient beside a, with ✓ when it matches the one-sided derivative, ✗ when not."""
    mark = {True: (" ✓", "green"), False: (" ✗", "red"), None: ("", "")}[side.agrees]
    return Text.assemble(number(side.gradient), mark)
