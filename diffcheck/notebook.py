"""What a result shows in a notebook or a console: the display registry's entries.

The model (:mod:`diffcheck.model.display`) dispatches its display hooks through a
registry; this top-level module fills it, with ``"module:function"`` targets imported
on first use (so ``import diffcheck`` loads neither rich nor matplotlib).  The
Markdown and LaTeX displays run the explanation stage first: renderers only read.
"""

from __future__ import annotations

import io
from typing import Any

from diffcheck.model.display import register
from diffcheck.model.multi import MultiAnalysis, MultiPointReport
from diffcheck.model.report import Analysis, PointReport

_TARGETS: tuple[tuple[type, str, str], ...] = (
    (Analysis, "rich", "diffcheck.render.terminal:render_analysis"),
    (Analysis, "html", "diffcheck.render.html:render_html"),
    (Analysis, "plot", "diffcheck.render.plot:plot"),
    (Analysis, "markdown", "diffcheck.notebook:markdown"),
    (Analysis, "latex", "diffcheck.notebook:latex"),
    (Analysis, "text", "diffcheck.notebook:text"),
    (PointReport, "rich", "diffcheck.render.terminal:render_point"),
    (PointReport, "html", "diffcheck.render.html:render_point_html"),
    (PointReport, "text", "diffcheck.notebook:text"),
    (MultiAnalysis, "rich", "diffcheck.render.terminal_multi:render_multi_analysis"),
    (MultiAnalysis, "text", "diffcheck.notebook:text"),
    (MultiPointReport, "rich", "diffcheck.render.terminal_multi:render_multi_point"),
    (MultiPointReport, "text", "diffcheck.notebook:text"),
)


def register_all() -> None:
    """Register every display of the package's results (idempotent)."""
    for cls, fmt, target in _TARGETS:
        register(cls, fmt, target)


def markdown(analysis: Analysis) -> str:
    """``--format markdown`` for a notebook: explain, then render."""
    from diffcheck.analysis.explain import explain
    from diffcheck.render.markdown import render_markdown

    return render_markdown(explain(analysis))


def latex(analysis: Analysis) -> str:
    """``--format latex`` for a notebook: explain, then render."""
    from diffcheck.analysis.explain import explain
    from diffcheck.render.latex import render_latex

    return render_latex(explain(analysis))


def text(result: Any, width: int = 100) -> str:
    """The terminal report as plain text (no colour, no trailing spaces)."""
    from rich.console import Console

    console = Console(file=io.StringIO(), width=width, no_color=True, highlight=False)
    console.print(result.__rich__())
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in shown.rstrip("\n").splitlines())
