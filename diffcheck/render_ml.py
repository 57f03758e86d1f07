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
from diffcheck.ml import CatalogRow
from diffcheck.render_rich import kind_text

LONG = 16
"""Exact values longer than this many characters are shown as a 6-digit decimal (≈)."""


def short(value: sympy.Basic | None) -> str:
    """The exact value, or ``≈`` its decimal when the exact form is long (SELU's slopes)."""
    text = _format.value(value)
    if value is None or len(text) <= LONG or not value.is_number:
        return text
    return f"≈{sympy.Float(value, 6)}"


def number(value: float) -> str:
    """A framework's float as printed in the tables: ``0.5``, ``nan``, ``inf``."""
    return f"{value:.6g}"


def render_catalog(rows: Iterable[CatalogRow]) -> RenderableType:
    """One table: each entry, its formula, and each point with kind, slopes, autodiff values."""
    rows = tuple(rows)
    frameworks = [name for name, _, _ in next(
        (p.gradients for row in rows for p in row.points), ())]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for header in ("name", "a", "verdict", "f′(a−)", "f′(a+)", *frameworks):
        table.add_column(header, no_wrap=True)
    table.add_column("formula", overflow="fold")
    for row in rows:
        if not row.points:
            table.add_row(row.entry.name, "", Text("smooth", "green"), "", "",
                          *["" for _ in frameworks], row.entry.formula)
        for i, point in enumerate(row.points):
            first = i == 0
            table.add_row(row.entry.name if first else "", _format.value(point.at),
                          kind_text(point.kind), short(point.left_derivative),
                          short(point.right_derivative),
                          *[number(value) for _, _, value in point.gradients],
                          row.entry.formula if first else "")
    note = Text("smooth: no point where it could fail to be differentiable. The framework "
                "columns are the gradient its autodiff returns at a, for its own function "
                "where it has one.", style="dim") if frameworks else Text(
        "smooth: no point where it could fail to be differentiable.", style="dim")
    return Group(table, Text(), note)
