"""Analysis -> Markdown with LaTeX math (``--format markdown``), derivations included.

Mathematics goes between ``$...$`` (GitHub, Jupyter, Pandoc and most static
site generators render it); prose has Markdown's special characters escaped.
"""

from __future__ import annotations

import re

from diffcheck.model.explanation import Explanation
from diffcheck.render import latex as render_latex
from diffcheck.render import text as _format

_MARKDOWN = re.compile(r"([\\`*_{}\[\]#|])")


def escape(text: str) -> str:
    r"""Prose made safe for Markdown.

    Examples:
        >>> escape("x_1 * 2")
        'x\\_1 \\* 2'
    """
    return _MARKDOWN.sub(r"\\\1", text)


def render_markdown(explanation: Explanation) -> str:
    r"""The analysis as Markdown: f, f' where it exists, a table, each point's derivation.

    Examples:
        >>> from diffcheck import analyze
        >>> from diffcheck.analysis.explain import explain
        >>> text = render_markdown(explain(analyze("Abs(x)")))
        >>> print(text.splitlines()[0])
        # $f(x) = \left|{x}\right|$
    """
    analysis = explanation.analysis
    math = render_latex.math
    x = math(analysis.variable)
    out = [f"# $f({x}) = {math(analysis.expression)}$", ""]
    if (derivative := render_latex.derivative_math(analysis)) is not None:
        out += [f"Where $f$ is differentiable: $f'({x}) = {derivative}$", ""]
    if not analysis.points:
        out += ["No candidate points.", ""]
    else:
        out += ["| $x_0$ | $f(x_0)$ | $f(x_0^-)$ | $f(x_0^+)$ | $f'(x_0^-)$ | $f'(x_0^+)$ "
                "| verdict | smoothness |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for p in analysis.points:
            cells = [p.at, p.value, p.left_limit, p.right_limit, p.left_derivative,
                     p.right_derivative]
            mark = escape(_format.missing_mark(p))
            shown = [mark if c is None else f"${math(c)}$" for c in cells]
            smooth = render_latex.escape(p.smoothness) if p.smoothness else "—"
            out.append("| " + " | ".join([*shown, p.verdict,
                                          smooth]) + " |")
        out.append("")
        marks = _format.legend(analysis.points)
        if marks:
            out += ["; ".join(f"{escape(mark)} {meaning}" for mark, meaning in marks), ""]
    for p, lines in explanation.points:
        out += [f"## ${x} = {math(p.at)}$: {p.verdict}", ""]
        out += ["- " + render_latex.line(tokens, prose=escape) for tokens in lines]
        out.append("")
    out.append(f"**Conclusion:** {render_latex.conclusion(analysis)}.")
    return "\n".join(out).rstrip() + "\n"
