"""Analysis -> an HTML fragment, for Jupyter (``_repr_html_``) and web pages.

The same content as the terminal report, in the same order: the function
(with its window and parameters), the derivative formula (its cases), a table
of points with one row per point coloured by its kind (reason, sources,
smoothness, subdifferential and repair in the last column), the infinite
candidate sets, the notes, a legend of the colours and a one-line summary.
Mathematics is written as ``$...$`` LaTeX, which Jupyter typesets.  Every piece
of text is HTML-escaped (SymPy's
``x < 1`` in a Piecewise, a note quoting the input), and the styles are
inline, because notebooks drop ``<style>`` blocks from untrusted output.  The
colour only repeats the verdict, which is always written as a word.

Pure: strings in, a string out; neither rich nor click is needed.
"""

# The report is mathematics: its double-struck letters, minus and prime signs are meant.
# ruff: noqa: RUF002

from __future__ import annotations

from html import escape

import sympy

from diffcheck.model.report import Analysis, CandidateSet, Kind, PointReport
from diffcheck.render import latex as _latex
from diffcheck.render import text as _format

_GREEN, _YELLOW, _RED, _MAGENTA = "#e3f4e1", "#fff3cd", "#fbe0de", "#f6e1f7"
KIND_BACKGROUNDS: dict[Kind, str] = {
    Kind.DIFFERENTIABLE: _GREEN,
    Kind.CORNER: _YELLOW,
    Kind.CUSP: _YELLOW,
    Kind.VERTICAL_TANGENT: _YELLOW,
    Kind.ENDPOINT: _YELLOW,
    Kind.JUMP: _RED,
    Kind.INFINITE: _RED,
    Kind.REMOVABLE: _RED,
    Kind.OSCILLATING: _RED,
    Kind.UNDEFINED: _RED,
    Kind.UNKNOWN: _MAGENTA,
}
"""Row colour of each verdict, as in the terminal: green fine, yellow continuous
but not differentiable, red not even continuous (or undefined), magenta undecided."""

_HEADINGS = ("$x_0$", "$f(x_0)$", "$f(x_0^-)$", "$f(x_0^+)$", "$f'(x_0^-)$", "$f'(x_0^+)$",
             "verdict", "why")
LEGEND = ((_GREEN, "differentiable"), (_YELLOW, "continuous, not differentiable"),
          (_RED, "not continuous or undefined"), (_MAGENTA, "not decided"))
"""The colours' meanings, shown under the table."""
_CELL = "padding: 2px 8px; text-align: left; border-bottom: 1px solid #ccc;"


def render_html(analysis: Analysis) -> str:
    """The whole report as one ``<div>``.

    Args:
        analysis: the result of :func:`diffcheck.analyze`.

    Returns:
        An HTML fragment (no ``<html>`` or ``<body>``), every text escaped.

    Examples:
        >>> from diffcheck import analyze
        >>> html = render_html(analyze("Max(0, x)"))
        >>> html.startswith('<div class="diffcheck">'), "corner" in html
        (True, True)
    """
    parts = [_header(analysis)]
    if analysis.points:
        parts.append(_points_table(analysis.points))
    elif not analysis.candidate_sets:
        parts.append("<p>No candidate points: the expression has no switch, root, pole or "
                     "boundary here.</p>")
    if analysis.candidate_sets:
        parts.append(_candidate_sets(analysis.candidate_sets))
    notes = analysis.notes + (() if analysis.derivative_cases else analysis.derivative_notes)
    if notes:
        items = "".join(f"<li>{_text(n)}</li>" for n in notes)
        parts.append(f"<p><b>Notes</b></p><ul>{items}</ul>")
    if analysis.points or analysis.candidate_sets:
        parts.append(_legend())
    parts.append(f"<p><b>{escape(summary(analysis))}</b></p>")
    return '<div class="diffcheck">' + "\n".join(parts) + "</div>"


def render_point_html(point: PointReport) -> str:
    """One point as a one-row table with its sources below.

    Examples:
        >>> from diffcheck import analyze
        >>> html = render_point_html(analyze("Abs(x)").points[0])
        >>> "corner" in html and "left derivative -1 differs" in html
        True
    """
    return '<div class="diffcheck">' + _points_table((point,)) + "</div>"


def summary(analysis: Analysis) -> str:
    """One line: where f is differentiable, where certainly not, what is undecided.

    Examples:
        >>> from diffcheck import analyze
        >>> summary(analyze("Abs(x - 1)"))
        'differentiable on ℝ \\\\ {1}'
        >>> summary(analyze("x**2"))
        'differentiable everywhere on ℝ'
    """
    return "; ".join(_format.summary_parts(analysis))


# --- pieces ---------------------------------------------------------------------------


def _text(text: str) -> str:
    return escape(_format.math_text(text))


def _value(v: sympy.Basic | None, missing: str = _format.MISSING) -> str:
    """Mathematics as ``$...$`` LaTeX (typeset by the notebook), its decimal beside it."""
    if v is None:
        return missing
    if v is sympy.S.ComplexInfinity:
        return "complex $\\infty$"
    near = _format.approximation(v) if isinstance(v, sympy.Expr) else None
    shown = f"${escape(_latex.math(v))}$"
    return shown if near is None or "·" in near else f"{shown} $\\approx {near}$"


def _legend() -> str:
    swatches = " ".join(f'<span style="background-color: {colour}; color: #000; padding: 0 6px;">'
                        f"{escape(meaning)}</span>" for colour, meaning in LEGEND)
    return f"<p><small>Colours: {swatches}</small></p>"


def _header(analysis: Analysis) -> str:
    x = escape(_format.value(analysis.variable))
    lines = [f"<b>f({x}) = </b>{_value(analysis.expression)}"]
    details = [escape(line) for line in _format.details(analysis.expression, analysis.variable,
                                                         analysis.domain)]
    if details:
        lines.append("; ".join(details))
    derivative = _latex.derivative_math(analysis)
    if derivative is not None:
        lines.append(f"$f'({escape(_latex.math(analysis.variable))}) = {escape(derivative)}$")
    elif analysis.derivative is not None:
        where = " away from the points below" if analysis.points or analysis.candidate_sets \
            else ""
        lines.append(f"$f'({escape(_latex.math(analysis.variable))}) = "
                     f"{escape(_latex.math(analysis.derivative))}${where}")
    return "<p>" + "<br/>".join(lines) + "</p>"


def _points_table(points: tuple[PointReport, ...]) -> str:
    head = "".join(f'<th style="{_CELL}">{escape(h)}</th>' for h in _HEADINGS)
    rows = [f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for p in points:
        cells = [_value(p.at)] + [_value(v, _format.missing_mark(p)) for v in (
            p.value, p.left_limit, p.right_limit, p.left_derivative, p.right_derivative)]
        cells.append(f"<b>{escape(p.verdict)}</b>")
        reason = _cases(p) if p.cases else _text(p.reason)
        if p.sources:
            reason += f"<br/><small>from {escape(_format.sources(p.sources))}</small>"
        for line in _depth(p):
            reason += f"<br/>{line}"
        cells.append(reason)
        tds = "".join(f'<td style="{_CELL}">{c}</td>' for c in cells)
        rows.append(f'<tr data-kind="{p.kind.value}" style="background-color: '
                    f'{KIND_BACKGROUNDS[p.kind]}; color: #000;">{tds}</tr>')
    rows.append("</tbody>")
    return '<table style="border-collapse: collapse;">' + "".join(rows) + "</table>"


def _cases(p: PointReport) -> str:
    """The answer for each part of the parameter values, one line each."""
    lines = [] if p.condition is None else [
        f"the point exists when ${escape(_latex.math(p.condition))}$"]
    for c in p.cases:
        line = f"when ${escape(_latex.math(c.condition))}$: <b>{escape(_kind_word(c.kind))}</b>"
        if c.derivative is not None:
            line += f", $f' = {escape(_latex.math(c.derivative))}$"
        elif c.left_derivative is not None or c.right_derivative is not None:
            sides = (f"${name} = {escape(_latex.math(v))}$" for name, v in
                     (("f'_-", c.left_derivative), ("f'_+", c.right_derivative)) if v is not None)
            line += ", " + ", ".join(sides)
        if c.kind is Kind.UNKNOWN and c.reason:
            line += f" ({_text(c.reason)})"
        lines.append(line)
    return "<br/>".join(lines)


def _depth(p: PointReport) -> list[str]:
    """Smoothness, subdifferential and repair, as the terminal shows them under the table."""
    lines = []
    if p.smoothness is not None and p.smoothness != "C^oo":
        lines.append(f"smoothness {escape(_format.smoothness(p.smoothness))}")
    if p.subdifferential is not None:
        lo, hi = (_latex.math(v) for v in p.subdifferential)
        lines.append(f"subdifferential ${escape(f'[{lo}, {hi}]')}$ ({escape(str(p.kink))} kink): "
                     "any value in it is a valid derivative for an optimiser")
    if p.repair is not None:
        r = p.repair
        at = _latex.math(p.at)
        line = f"define $f({escape(at)}) = {escape(_latex.math(r.value))}$"
        if r.differentiable:
            line += f"; then $f'({escape(at)}) = {escape(_latex.math(r.derivative))}$"
        elif r.differentiable is False:
            line += " to make f continuous; it is still not differentiable there"
        lines.append(line)
    return lines


def _candidate_sets(families: tuple[CandidateSet, ...]) -> str:
    items = []
    for family in families:
        line = (f"{escape(_format.set_(family.set))}: <b>{escape(_kind_word(family.kind))}</b>"
                + (f": {_text(family.reason)}" if family.reason else ""))
        if family.samples:
            line += f" (sampled at {escape(_format.values([p.at for p in family.samples]))})"
        items.append(f'<li data-kind="{family.kind.value}">{line}</li>')
    return "<p><b>Candidate sets (infinite families of points)</b></p><ul>" + \
        "".join(items) + "</ul>"


def _kind_word(kind: Kind) -> str:
    return kind.value.replace("_", " ")
