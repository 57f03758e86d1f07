"""Analysis -> a LaTeX fragment with the derivation at every point (``--format latex``).

The fragment has no preamble: paste it into a document that loads
``amsmath``.  Prose is escaped; mathematics comes from ``sympy.latex``.
"""

from __future__ import annotations

import sympy

from diffcheck.model.explanation import Definition, Explanation, Lim, Line, Quotient, Rel, Token

_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
            "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}"}


def escape(text: str) -> str:
    r"""Prose made safe for LaTeX.

    Examples:
        >>> escape("50% of x_1 & {y}")
        '50\\% of x\\_1 \\& \\{y\\}'
    """
    return "".join(_SPECIAL.get(c, c) for c in text)


def math(e: sympy.Basic) -> str:
    """``sympy.latex`` of e, with the derivative's name f' written as a mathematician does."""
    return sympy.latex(e).replace(r"\operatorname{f'}", "f'")


def token(t: Token) -> str | None:
    """The LaTeX math of a token; ``None`` for prose."""
    if isinstance(t, str) and not isinstance(t, Rel):
        return None
    if isinstance(t, Rel):
        return {Rel.EQ: "=", Rel.NE: r"\neq"}[t]
    if isinstance(t, Quotient):
        return rf"\frac{{{math(t.minuend)} - {math(t.subtrahend)}}}{{{math(t.h)}}}"
    if isinstance(t, Definition):
        return rf"\frac{{f({math(t.at)} + {math(t.h)}) - f({math(t.at)})}}{{{math(t.h)}}}"
    if isinstance(t, Lim):
        sign = "-" if t.side < 0 else "+"
        return rf"\lim_{{{math(t.var)} \to {math(t.at)}^{{{sign}}}}} {token(t.expr) or ''}"
    return math(t)


def line(tokens: Line, open_: str = "$", close: str = "$", prose=escape) -> str:  # type: ignore[no-untyped-def]
    """Prose and mathematics, consecutive mathematics merged into one formula."""
    out: list[str] = []
    formula: list[str] = []
    for t in tokens:
        m = token(t)
        if m is None:
            if formula:
                out.append(open_ + " ".join(formula) + close)
                formula = []
            out.append(prose(str(t)))
        else:
            formula.append(m)
    if formula:
        out.append(open_ + " ".join(formula) + close)
    return "".join(out)


def render_latex(explanation: Explanation) -> str:
    r"""The analysis as a LaTeX fragment: f, f' where it exists, and each point's derivation.

    Examples:
        >>> from diffcheck import analyze
        >>> from diffcheck.analysis.explain import explain
        >>> text = render_latex(explain(analyze("Max(0, x)")))
        >>> r"= \frac{\max\left(0, h\right) - 0}{h} = \frac{h - 0}{h} = 1" in text
        True
    """
    analysis = explanation.analysis
    x = math(analysis.variable)
    out = [rf"\noindent Function: $f({x}) = {math(analysis.expression)}$.", ""]
    if analysis.derivative_piecewise is not None:
        out += [rf"\noindent Where $f$ is differentiable, "
                rf"$f'({x}) = {math(analysis.derivative_piecewise)}$.", ""]
    if not analysis.points:
        out += [r"\noindent No candidate points.", ""]
    for p, lines in explanation.points:
        kind = escape(p.kind.value.replace("_", " "))
        out.append(rf"\paragraph{{At ${x} = {math(p.at)}$: {kind}.}}")
        out.append(r"\begin{itemize}")
        out += [r"  \item " + line(tokens) for tokens in lines]
        out.append(r"\end{itemize}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
