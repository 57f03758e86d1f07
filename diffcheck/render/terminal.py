"""Analysis -> a rich renderable a person reads at a glance.

The layout, top to bottom: the function (and its window when it is not all of
ℝ), the derivative formula, one table row per point, one line per point with
its reason and sources, the infinite candidate sets, the notes, and a
one-line summary.  When the table would have to break values over several
lines (``cos(sqrt(2))`` and the like on 80 columns), the points are shown one
block each instead.  Everything reads the same without colour (the verdict
is a word; colour only repeats it).

Nothing here prints: these functions return renderables, and the caller's
``Console`` decides about width and colour.
"""

# The report is mathematics for a terminal: its double-struck letters, set operators,
# minus and prime signs are meant, not look-alikes of ASCII.
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

from collections.abc import Callable

import sympy
from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from diffcheck.model.checks import SideCheck, step_text
from diffcheck.model.explanation import Definition, Explanation, Lim, Quotient, Rel
from diffcheck.model.report import Analysis, CandidateSet, Kind, PointReport
from diffcheck.render import text as _format

KIND_STYLES: dict[Kind, str] = {
    Kind.DIFFERENTIABLE: "green",
    Kind.CORNER: "yellow",
    Kind.CUSP: "yellow",
    Kind.VERTICAL_TANGENT: "yellow",
    Kind.ENDPOINT: "yellow",
    Kind.JUMP: "red",
    Kind.INFINITE: "red",
    Kind.REMOVABLE: "red",
    Kind.OSCILLATING: "red",
    Kind.UNDEFINED: "red",
    Kind.UNKNOWN: "magenta",
}
"""The colour of each verdict: green fine, yellow continuous but not
differentiable, red not even continuous (or undefined), magenta undecided."""

LISTED_POINTS = 5
"""The summary names the points when there are at most this many, else counts them."""


def render_analysis(analysis: Analysis) -> RenderableType:
    """The whole report: function, table of points, reasons, sets, notes, summary.

    Args:
        analysis: the result of :func:`diffcheck.analyze`.

    Returns:
        A renderable for ``Console.print`` (``rich.print(analysis)`` comes here too).
    """
    parts: list[RenderableType] = [_header(analysis), Text()]
    shown = tuple(p for p in analysis.points if not _smooth_candidate(p))
    if shown:
        parts += [_Points(shown), Text()]
    symbols = _format.legend(shown)
    if symbols:
        parts += [Text("; ".join(f"{sym} {meaning}" for sym, meaning in symbols), style="dim"),
                  Text()]
    if len(shown) < len(analysis.points):
        smooth = [p.at for p in analysis.points if _smooth_candidate(p)]
        parts += [Text(f"also checked: {_format.values(smooth)} (f is smooth there)",
                       style="dim"), Text()]
    if not analysis.points and not analysis.candidate_sets:
        parts += [Text("No candidate points: the expression has no switch, root, pole or "
                       "boundary here.", style="dim"), Text()]
    if any(p.numeric_check is not None for p in analysis.points):
        parts += [numeric_checks(analysis.points), Text()]
    if analysis.candidate_sets:
        parts += [_candidate_sets(analysis.candidate_sets), Text()]
    # SymPy's diff misleads only where its formula is shown instead of the cases.
    notes = analysis.notes + (() if analysis.derivative_cases else analysis.derivative_notes)
    if notes:
        parts += [_notes(notes), Text()]
    parts.append(summary(analysis))
    return Group(*parts)


def _smooth_candidate(p: PointReport) -> bool:
    """A candidate where f turned out smooth (Huber's 0, from an inactive Abs).

    Such a point is not a point of interest: the table leaves it out and one
    line names it.  A point asked for with ``--at`` (it has no source) stays.
    """
    return p.kind is Kind.DIFFERENTIABLE and p.smoothness == "C^oo" and bool(p.sources)


def render_point(point: PointReport) -> RenderableType:
    """One point on its own: verdict, values, limits, derivatives, reason, sources.

    Args:
        point: one point of an analysis.

    Returns:
        A renderable for ``Console.print`` (``rich.print(point)`` comes here too).
    """
    a = _format.number(point.at)
    show = _shower(point)
    lines = [
        Text.assemble((f"x₀ = {a}", "bold"), ": ", point_kind(point)),
        *_values(point),
        Text(f"f′(x₀−) = {show(point.left_derivative)}, "
             f"f′(x₀+) = {show(point.right_derivative)}"),
    ]
    if point.derivative is not None:
        lines.append(Text(f"f′(x₀) = {_format.number(point.derivative)}"))
    if point.reason:
        lines.append(Text(_format.math_text(point.reason)))
    if point.sources:
        lines.append(Text(f"from {_format.sources(point.sources)}", style="dim"))
    lines += [Text(line) for line in depth_lines(point)]
    body: list[RenderableType] = [*lines[1:]]
    if point.cases:
        body.append(cases_table(point))
    return Group(lines[0], Padding(Group(*body), (0, 0, 0, 2), expand=False))


def _values(point: PointReport) -> list[Text]:
    """f(x₀) and the one-sided limits of f, as one line when all three agree."""
    show = _shower(point)
    value = show(point.value)
    if point.value is not None and point.left_limit == point.value == point.right_limit:
        return [Text(f"f(x₀−) = f(x₀) = f(x₀+) = {value}")]
    return [Text(f"f(x₀) = {value}"),
            Text(f"f(x₀−) = {show(point.left_limit)}, "
                 f"f(x₀+) = {show(point.right_limit)}")]


def kind_text(kind: Kind) -> Text:
    """The verdict as a word (``vertical tangent``), in its colour."""
    return Text.assemble((_kind_word(kind), KIND_STYLES[kind]))


def summary(analysis: Analysis) -> Text:
    """One line: where f is differentiable, and what was not decided.

    ``differentiable everywhere on ℝ``, ``differentiable on ℝ \\ {0}``,
    ``... not decided at 2 points (see reasons)``.
    """
    parts = _format.summary_parts(analysis, points=_some_points,
                                  undecided=lambda ps: _count(len(ps), "point"))
    if analysis.differentiable_on_cases:
        style = "bold"
    elif analysis.differentiable_everywhere:
        style = "bold green"
    else:
        certain = analysis.differentiable_everywhere is None and not (
            analysis.nondifferentiable_points)
        style = "bold magenta" if certain else "bold"
    return Text("; ".join(parts), style=style)


# --- pieces ---------------------------------------------------------------------------


def _header(analysis: Analysis) -> RenderableType:
    x = _format.value(analysis.variable)
    lines: list[RenderableType] = [
        Text.assemble((f"f({x}) = ", "bold"), (_format.value(analysis.expression), "bold cyan"))]
    details = _format.details(analysis.expression, analysis.variable, analysis.domain)
    if analysis.assumptions:
        details.append("assuming " + ", ".join(_format.infinities(a)
                                               for a in analysis.assumptions))
    if details:
        lines.append(Text("; ".join(details), style="dim"))
    derivative = derivative_lines(analysis)
    if derivative is not None:
        lines.append(derivative)
    return Group(*lines)


def derivative_lines(analysis: Analysis) -> RenderableType | None:
    """f′ as diffcheck computed it: each simplified formula with where it holds.

    Without those cases (an infinite family of points, or a budget spent),
    SymPy's formula, said to hold away from the points.
    """
    x = _format.value(analysis.variable)
    cases = analysis.derivative_cases
    if cases:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_column(overflow="fold")
        for i, (formula, where) in enumerate(cases):
            grid.add_row(f"f′({x}) =" if i == 0 else "", _format.value(formula),
                         Text(f"for {x} ∈ {_format.set_(where)}", style="dim"))
        return grid
    formula = analysis.derivative_piecewise
    if formula is None or isinstance(formula, sympy.Piecewise):
        formula = analysis.derivative
    if formula is None:
        return None
    away = analysis.points or analysis.candidate_sets
    where = " away from the points below" if away else ""
    return Text.assemble(f"f′({x}) = {_format.value(formula)}", (where, "dim"))


class _Points:
    """The points as a table with a line of reasons below, or one block per point.

    The choice is made at render time, when the width is known: a table whose
    cells wrap is harder to read than blocks.
    """

    def __init__(self, points: tuple[PointReport, ...]) -> None:
        self.points = points

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = _points_table(self.points)
        natural = Measurement.get(console, options.update_width(10_000), table).maximum
        if natural <= options.max_width:
            yield table
            yield Text()
            yield _reasons(self.points)
            return
        for i, point in enumerate(self.points):
            if i:
                yield Text()
            yield render_point(point)


def _points_table(points: tuple[PointReport, ...]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0),
                  header_style="bold")
    for heading in ("x₀", "f(x₀)", "f(x₀−)", "f(x₀+)", "f′(x₀−)", "f′(x₀+)"):
        table.add_column(Text(heading), overflow="fold")
    table.add_column(Text("verdict"), no_wrap=True)
    for p in points:
        table.add_row(
            Text(_format.number(p.at)),
            *(_cell(v, _format.missing_mark(p)) for v in (
                p.value, p.left_limit, p.right_limit, p.left_derivative, p.right_derivative)),
            point_kind(p),
        )
    return table


def point_kind(p: PointReport) -> Text:
    """The verdict word of a point; ``depends`` when it carries cases."""
    return Text("depends", style="cyan") if p.cases else kind_text(p.kind)


def cases_table(p: PointReport) -> Table:
    """The cases of a point: for which parameter values which verdict."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0),
                  header_style="bold")
    for heading in ("when", "verdict", "f′(x₀−)", "f′(x₀+)", "f′(x₀)"):
        table.add_column(Text(heading), overflow="fold")
    for c in p.cases:
        verdict = kind_text(c.kind)
        if c.derivative_continuous is not None:
            verdict.append(", f′ continuous" if c.derivative_continuous
                           else ", f′ not continuous")
        table.add_row(Text(_format.condition(c.condition)), verdict,
                      *(_cell(v) for v in (c.left_derivative, c.right_derivative, c.derivative)))
    return table


def _cell(v: sympy.Expr | None, missing: str = _format.MISSING) -> Text:
    if v is None:
        return Text(missing, style="dim")
    return Text(_format.number(v))


def _shower(p: PointReport) -> Callable[[sympy.Basic | None], str]:
    """How a point's values are written: a missing one by its mark (see ``MARKS``)."""
    missing = _format.missing_mark(p)
    return lambda v: missing if v is None else _format.number(v)


SELF_EVIDENT = frozenset((Kind.DIFFERENTIABLE, Kind.CORNER, Kind.JUMP, Kind.REMOVABLE,
                          Kind.INFINITE))
"""Verdicts whose reason the table's columns already show (its values say it all)."""


def _reasons(points: tuple[PointReport, ...]) -> Table:
    """Under the table, per point, only what the table does not show."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(overflow="fold")
    for p in points:
        lines: list[RenderableType] = []
        if p.cases:
            lines.append(Text.assemble(
                ("depends on the parameters", "cyan"),
                *(() if p.condition is None else
                  (f" (the point exists when {_format.condition(p.condition)})",))))
            lines.append(cases_table(p))
            lines += [Text(f"when {_format.condition(c.condition)}: "
                           f"{_format.math_text(c.reason)}")
                      for c in p.cases if c.kind is Kind.UNKNOWN]
        else:
            if p.reason and p.kind not in SELF_EVIDENT:
                lines.append(_verdict_line(p.kind, p.reason))
            if p.condition is not None:
                lines.append(Text(f"the point exists when {_format.condition(p.condition)}"))
        if p.sources:
            lines.append(Text(f"from {_format.sources(p.sources)}", style="dim"))
        lines += [Text(line) for line in depth_lines(p)]
        for i, line in enumerate(lines):
            grid.add_row(Text(_format.value(p.at) if i == 0 else ""), line)
    return grid


def depth_lines(p: PointReport, *, optimiser: bool = False) -> list[str]:
    """Smoothness, the subdifferential at a corner, the repair of a removable point.

    Args:
        p: the point.
        optimiser: also say what the subdifferential means to an optimiser (the
            catalogue, machine-learning functions and ``--explain`` want it).
    """
    lines = []
    if p.smoothness is not None and p.smoothness != "C^oo":
        lines.append(f"smoothness {_format.smoothness(p.smoothness)}")
    if p.subdifferential is not None:
        lo, hi = (_format.value(v) for v in p.subdifferential)
        line = f"subdifferential [{lo}, {hi}] ({p.kink} kink)"
        if optimiser:
            line = (f"subdifferential [{lo}, {hi}], a {p.kink} kink: any value in it is a "
                    "valid derivative for an optimiser")
        lines.append(line)
    if p.repair is not None:
        r = p.repair
        line = f"define f({_format.value(p.at)}) = {_format.value(r.value)}"
        if r.differentiable:
            line += f"; then f′({_format.value(p.at)}) = {_format.value(r.derivative)}"
        elif r.differentiable is False:
            line += " to make f continuous; it is still not differentiable there"
        lines.append(line)
    return lines


def _candidate_sets(families: tuple[CandidateSet, ...]) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for family in families:
        grid.add_row(Text(_format.set_(family.set)), _verdict_line(family.kind, family.reason))
        details = []
        if family.sources:
            details.append(f"from {_format.sources(family.sources)}")
        if family.samples:
            details.append(f"sampled at {_samples(family.samples)}")
        if details:
            grid.add_row(Text(), Text("; ".join(details), style="dim"))
    return Group(Text("Candidate sets (infinite families of points)", style="bold"), grid)


def _notes(notes: tuple[str, ...]) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for note in notes:
        grid.add_row(Text("•"), Text(_format.math_text(note)))
    return Group(Text("Notes", style="bold"), grid)


def _verdict_line(kind: Kind, reason: str) -> Text:
    """``corner: left derivative ...`` with only the verdict word in colour."""
    line = Text.assemble(kind_text(kind))
    if reason:
        line.append(f": {_format.math_text(reason)}")
    return line


def _samples(samples: tuple[PointReport, ...]) -> str:
    kinds = {p.kind for p in samples}
    if len(kinds) == 1:
        [kind] = kinds
        every = "all " if len(samples) > 1 else ""
        return f"{_format.values([p.at for p in samples])}: {every}{_kind_word(kind)}"
    return ", ".join(f"{_format.value(p.at)} ({_kind_word(p.kind)})" for p in samples)


def _kind_word(kind: Kind) -> str:
    return kind.value.replace("_", " ")


def _some_points(points: tuple[sympy.Expr, ...]) -> str:
    if len(points) <= LISTED_POINTS:
        return _format.values(points)
    return _count(len(points), "point")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# --- the numeric cross-check (--verify) ---------------------------------------------------

NUMERIC_ROWS = (0, 4, 8, 11)
"""Which steps h of the numeric check the report shows (the JSON has them all)."""


def numeric_checks(points: tuple[PointReport, ...]) -> RenderableType:
    """The numeric evidence of every checked point: a verdict line and a table of quotients."""
    blocks: list[RenderableType] = [Text("Numeric check (difference quotients, mpmath)",
                                         style="bold")]
    for p in points:
        if p.numeric_check is not None:
            blocks += [Text(f"a = {_format.value(p.at)}", style="bold"),
                       Padding(_numeric_check(p), (0, 0, 0, 2), expand=False)]
    return Group(*blocks)


def _numeric_check(point: PointReport) -> RenderableType:
    check = point.numeric_check
    assert check is not None
    word, style = {True: ("agrees", "green"), False: ("disagrees", "magenta"),
                   None: ("not compared", "dim")}[check.agrees]
    line = Text.assemble((word, style), f": {_format.infinities(check.reason)}")
    rows = [i for i in NUMERIC_ROWS
            if i < len(check.left.steps) or i < len(check.right.steps)]
    if not rows:
        return line
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0),
                  header_style="bold")
    for heading in ("h", "(f(a−h)−f(a))/(−h)", "(f(a+h)−f(a))/h"):
        table.add_column(Text(heading), justify="right")
    for i in rows:
        h = (check.left.steps or check.right.steps)[i][0]
        table.add_row(Text(step_text(h)), _quotient(check.left, i), _quotient(check.right, i))
    table.add_row(Text("verdict", style="dim"), Text(check.left.verdict.value, style="dim"),
                  Text(check.right.verdict.value, style="dim"))
    return Group(line, Padding(table, (0, 0, 0, 2), expand=False))


def _quotient(side: SideCheck, i: int) -> Text:
    if i >= len(side.steps) or side.steps[i][1] is None:
        return Text(_format.MISSING, style="dim")
    q = side.steps[i][1]
    return Text(sympy.sstr(sympy.Float(q, 8)))


# --- the derivation at each point (--explain) --------------------------------------------


def render_explanation(explanation: Explanation) -> RenderableType:
    """The derivation at every point, as a teacher writes it (``--explain``).

    Args:
        explanation: the result of :func:`diffcheck.analysis.explain.explain`.

    Returns:
        A renderable: per point, f(a), the branches on each side, the limits of
        f, the difference quotients with the branch substituted, their limits
        and the conclusion.
    """
    analysis = explanation.analysis
    parts: list[RenderableType] = []
    if analysis.derivative_piecewise is not None:
        x = _format.value(analysis.variable)
        parts += [Text.assemble(f"f′({x}) = {_format.value(analysis.derivative_piecewise)}",
                                (" where f is differentiable", "dim")), Text()]
    for i, (point, lines) in enumerate(explanation.points):
        if i:
            parts.append(Text())
        parts.append(Text.assemble((f"a = {_format.value(point.at)}", "bold"), ": ",
                                   kind_text(point.kind)))
        body = [Text(explain_line(tokens)) for tokens in lines]
        parts.append(Padding(Group(*body), (0, 0, 0, 2), expand=False))
    return Group(*parts)


def explain_line(tokens: tuple[object, ...]) -> str:
    """One line of a derivation as terminal text (``(Max(0, h) − 0)/h``, ``lim[h→0+]``)."""
    def show(t: object) -> str:
        if isinstance(t, Rel):
            return f" {t.value} "
        if isinstance(t, str):
            return _format.infinities(t)
        if isinstance(t, Quotient):
            return f"({_format.value(t.minuend)} − {_format.value(t.subtrahend)})/{t.h}"
        if isinstance(t, Definition):
            a = _format.value(t.at)
            return f"(f({a} + {t.h}) − f({a}))/{t.h}"
        if isinstance(t, Lim):
            side = "−" if t.side < 0 else "+"
            inner = show(t.expr)
            return f"lim[{t.var}→{_format.value(t.at)}{side}] {inner}"
        if isinstance(t, sympy.Set):
            return _format.set_(t)
        return _format.value(t)

    return "".join(show(t) for t in tokens)
