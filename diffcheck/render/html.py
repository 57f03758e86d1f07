"""Analysis -> an HTML fragment, for Jupyter (``_repr_html_``) and web pages.

The same content as the terminal report, in the same order: the function
(with its window and parameters), the derivative formula, a table of points
with one row per point coloured by its kind, the infinite candidate sets, the
notes and a one-line summary.  Every piece of text is HTML-escaped (SymPy's
``x < 1`` in a Piecewise, a note quoting the input), and the styles are
inline, because notebooks drop ``<style>`` blocks from untrusted output.  The
colour only repeats the verdict, which is always written as a word.

Pure: strings in, a string out; neither rich nor click is needed.
"""

# The report is mathematics: its double-struck letters, minus and prime signs are meant.
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

from html import escape

import sympy

from diffcheck.model.report import Analysis, CandidateSet, Kind, PointReport
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

_HEADINGS = ("a", "f(a)", "f(a−)", "f(a+)", "f′(a−)", "f′(a+)", "verdict", "reason")
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
    if analysis.notes:
        items = "".join(f"<li>{_text(n)}</li>" for n in analysis.notes)
        parts.append(f"<p><b>Notes</b></p><ul>{items}</ul>")
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
    if analysis.differentiable_everywhere:
        return f"differentiable everywhere on {_format.set_(analysis.domain)}"
    parts: list[str] = []
    if analysis.differentiable_on is not None:
        parts.append(f"differentiable on {_format.set_(analysis.differentiable_on)}")
    else:
        bad = analysis.nondifferentiable_points
        if bad:
            parts.append(f"not differentiable at {_format.values(bad)}")
        parts += [f"not differentiable on {_format.set_(c.set)}"
                  for c in analysis.candidate_sets if c.differentiable is False]
    unknown = analysis.unknown_points
    if unknown:
        parts.append(f"not decided at {_format.values(unknown)} (see reasons)")
    parts += [f"not decided on {_format.set_(c.set)}"
              for c in analysis.candidate_sets if c.differentiable is None]
    return "; ".join(parts) or "not decided (see notes)"


# --- pieces ---------------------------------------------------------------------------


def _text(text: str) -> str:
    return escape(_format.infinities(text))


def _value(v: sympy.Basic | None) -> str:
    return f"<code>{escape(_format.value(v))}</code>"


def _header(analysis: Analysis) -> str:
    x = escape(_format.value(analysis.variable))
    lines = [f"<b>f({x}) = </b>{_value(analysis.expression)}"]
    details = [escape(line) for line in _format.details(analysis.expression, analysis.variable,
                                                         analysis.domain)]
    if details:
        lines.append("; ".join(details))
    if analysis.derivative is not None:
        where = " away from the points below" if analysis.points else ""
        lines.append(f"f′({x}) = {_value(analysis.derivative)}{where}")
    return "<p>" + "<br/>".join(lines) + "</p>"


def _points_table(points: tuple[PointReport, ...]) -> str:
    head = "".join(f'<th style="{_CELL}">{escape(h)}</th>' for h in _HEADINGS)
    rows = [f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for p in points:
        cells = [_value(v) for v in (p.at, p.value, p.left_limit, p.right_limit,
                                     p.left_derivative, p.right_derivative)]
        cells.append(f"<b>{escape(_kind_word(p.kind))}</b>")
        reason = _text(p.reason)
        if p.sources:
            reason += f"<br/><small>from {escape(_format.values(p.sources))}</small>"
        cells.append(reason)
        tds = "".join(f'<td style="{_CELL}">{c}</td>' for c in cells)
        rows.append(f'<tr data-kind="{p.kind.value}" style="background-color: '
                    f'{KIND_BACKGROUNDS[p.kind]}; color: #000;">{tds}</tr>')
    rows.append("</tbody>")
    return '<table style="border-collapse: collapse;">' + "".join(rows) + "</table>"


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
