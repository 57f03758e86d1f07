"""The catalog table and the autodiff cross-check as rich renderables (nothing here prints)."""

# ruff: noqa: RUF001

from __future__ import annotations

from collections.abc import Iterable

import sympy
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from diffcheck import _format
from diffcheck.autodiff import STEP, AutodiffReport, GradientCheck, SideCheck, Verdict
from diffcheck.ml import CatalogRow
from diffcheck.render_rich import kind_text

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
    """One table: each entry, its formula, and each point with kind, slopes, autodiff values."""
    rows = tuple(rows)
    frameworks = [name for name, _, _ in next(
        (p.gradients for row in rows for p in row.points), ())]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0))
    for header in ("name", "a", "verdict", "f′(a−)", "f′(a+)", *frameworks):
        table.add_column(header, no_wrap=True)
    if not frameworks:  # XXX: with frameworks the formula no longer fits 80 columns
        table.add_column("formula", overflow="fold", ratio=1)
    for row in rows:
        formula = () if frameworks else (row.entry.formula,)
        if not row.points:
            table.add_row(row.entry.name, "", Text("smooth", "green"), "", "",
                          *["" for _ in frameworks], *formula)
        for i, point in enumerate(row.points):
            table.add_row(row.entry.name if i == 0 else "", _format.value(point.at),
                          kind_text(point.kind), short(point.left_derivative),
                          short(point.right_derivative),
                          *[number(value) + ("*" if how == "formula" else "")
                            for _, how, value in point.gradients],
                          *(formula if i == 0 else ("",) * len(formula)))
    note = Text("smooth: no point where it could fail to be differentiable. The framework "
                "columns are the gradient its autodiff returns at a (float64), for its own "
                "function (* where it has none: for diffcheck's formula).",
                style="dim") if frameworks else Text(
        "smooth: no point where it could fail to be differentiable.", style="dim")
    return Group(table, Text(), note)


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
           "not close to f′(a∓) (h = {step}·max(1, |a|)).")


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
