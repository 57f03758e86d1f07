"""MultiAnalysis -> an HTML fragment, for Jupyter (``_repr_html_``) and web pages.

The same content as the several-variable terminal report: the function, its
gradient formula, the non-differentiable set part by part with the reason,
the undecided parts, a table of the points asked about (one row per point,
coloured by its verdict), the restriction to a segment when there is one, the
notes and the one-line summary.  Every text is HTML-escaped and the styles are
inline (notebooks drop ``<style>`` blocks from untrusted output).

Pure: strings in, a string out; neither rich nor click is needed.
"""

# The report is mathematics: its nabla, double-struck letters and signs are meant.

from __future__ import annotations

from html import escape

import sympy

from diffcheck.model.multi import MultiAnalysis, MultiKind, SetPart
from diffcheck.render import text as _format
from diffcheck.render.text_multi import part_words, summary_text

__all__ = ["render_multi_html"]

_GREEN, _YELLOW, _RED, _MAGENTA = "#e3f4e1", "#fff3cd", "#fbe0de", "#f6e1f7"
KIND_BACKGROUNDS: dict[MultiKind, str] = {
    MultiKind.DIFFERENTIABLE: _GREEN,
    MultiKind.KINK: _YELLOW,
    MultiKind.NOT_DIFFERENTIABLE: _YELLOW,
    MultiKind.DISCONTINUOUS: _RED,
    MultiKind.UNDEFINED: _RED,
    MultiKind.UNKNOWN: _MAGENTA,
}
_CELL = "padding: 2px 8px; text-align: left; border-bottom: 1px solid #ccc;"


def _vector(values: tuple[sympy.Expr, ...] | None) -> str:
    return _format.MISSING if values is None else f"({_format.values(values)})"


def render_multi_html(analysis: MultiAnalysis) -> str:
    """The whole several-variable report as one ``<div>``.

    Examples:
        >>> from diffcheck import analyze_multi
        >>> html = render_multi_html(analyze_multi("Abs(x) + Abs(y)", vars="x, y"))
        >>> html.startswith('<div class="diffcheck-multi">'), "the axes x = 0 and y = 0" in html
        (True, True)
    """
    names = _format.values(analysis.variables)
    out = ['<div class="diffcheck-multi">',
           f"<p><b>f({escape(names)}) = <code>{escape(_format.value(analysis.expression))}"
           f"</code></b></p>"]
    if analysis.parameters:
        fixed = ", ".join(f"{k} = {_format.value(v)}" for k, v in analysis.parameters)
        out.append(f"<p>with {escape(fixed)}</p>")
    if analysis.gradient is not None:
        out.append(f"<p>∇f = <code>{escape(_vector(analysis.gradient))}</code>"
                   f"{' off the switching set' if analysis.nonsmooth else ''}</p>")
    out += _parts("Not differentiable on", analysis.nondifferentiable)
    out += _parts("Not decided", analysis.undecided)
    if analysis.points:
        out.append('<table style="border-collapse: collapse;">')
        out.append("<tr>" + "".join(f'<th style="{_CELL}">{escape(h)}</th>' for h in
                                    ("point", "f(p)", "∇f(p)", "verdict", "reason")) + "</tr>")
        for p in analysis.points:
            cells = (_vector(p.at), _format.value(p.value), _vector(p.gradient),
                     p.kind.value.replace("_", " "), _format.infinities(p.reason))
            out.append(f'<tr style="background: {KIND_BACKGROUNDS[p.kind]};">' + "".join(
                f'<td style="{_CELL}">{escape(c)}</td>' for c in cells) + "</tr>")
        out.append("</table>")
    if analysis.line is not None:
        line = analysis.line
        out.append(f"<p><b>On the segment from {escape(_vector(line.start))} to "
                   f"{escape(_vector(line.end))}</b></p><ul>")
        for t, point in line.points:
            kind = next(p.kind.value for p in line.analysis.points if p.at == t)
            out.append(f"<li>t = {escape(_format.value(t))}: {escape(_vector(point))}, "
                       f"{escape(kind)}</li>")
        out.append("</ul>")
    if analysis.notes:
        out.append("<ul>" + "".join(f"<li>{escape(_format.infinities(n))}</li>"
                                    for n in analysis.notes) + "</ul>")
    out.append(f"<p><b>{escape(summary_text(analysis))}</b></p>")
    out.append("</div>")
    return "\n".join(out)


def _parts(title: str, parts: tuple[SetPart, ...]) -> list[str]:
    if not parts:
        return []
    items = "".join(f"<li>{escape(part_words(p))}"
                    f"{': ' + escape(p.reason) if p.reason else ''}</li>" for p in parts)
    return [f"<p><b>{escape(title)}</b></p><ul>{items}</ul>"]
