"""Analysis -> a LaTeX fragment with the derivation at every point (``--format latex``).

The fragment has no preamble: paste it into a document that loads ``amsmath``
and ``amssymb``.  It holds f, f' where it exists, a table of the points, each
point's derivation and the conclusion.  Prose is escaped (its few Unicode
symbols become LaTeX), smoothness classes are mathematics (``$C^{0}$``), and
mathematics comes from ``sympy.latex``; a test compiles it with pdflatex.
"""

# Prose may hold the report's mathematical symbols: each is mapped to LaTeX here.
# ruff: noqa: RUF001

from __future__ import annotations

import re

import sympy

from diffcheck.model.explanation import Definition, Explanation, Lim, Line, Quotient, Rel, Token
from diffcheck.model.report import Analysis
from diffcheck.render import text as _format

_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
            "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}"}


_UNICODE = {"∞": r"$\infty$", "−": "-", "′": "'", "≈": r"$\approx$", "ℝ": r"$\mathbb{R}$",
            "ℤ": r"$\mathbb{Z}$", "…": r"\ldots{}", "—": "---", "→": r"$\to$", "≠": r"$\neq$",
            "∈": r"$\in$", "∪": r"$\cup$", "·": r"$\cdot$"}
_CLASS = re.compile(r"\b([CD])\^(\d+|oo)\b")
_SIDE = re.compile(r"\b(h [<>] 0)\b")


def escape(text: str) -> str:
    r"""Prose made safe for LaTeX; smoothness classes and ``h < 0`` become mathematics.

    Examples:
        >>> escape("50% of x_1 & {y}")
        '50\\% of x\\_1 \\& \\{y\\}'
        >>> escape("Smoothness: C^0, for h < 0, -> ∞")
        'Smoothness: $C^{0}$, for $h < 0$, -> $\\infty$'
    """
    out: list[str] = []
    done = 0
    for match in re.finditer(f"{_CLASS.pattern}|{_SIDE.pattern}", text):
        out.append(_plain(text[done:match.start()]))
        if match[1]:
            power = r"\infty" if match[2] == "oo" else match[2]
            out.append(f"${match[1]}^{{{power}}}$")
        else:
            out.append(f"${match[3]}$")
        done = match.end()
    out.append(_plain(text[done:]))
    return "".join(out)


def _plain(text: str) -> str:
    return "".join(_SPECIAL.get(c) or _UNICODE.get(c, c) for c in text)


def math(e: sympy.Basic) -> str:
    """``sympy.latex`` of e, with the derivative's name f' written as a mathematician does."""
    return str(sympy.latex(e)).replace(r"\operatorname{f'}", "f'")


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
    r"""The analysis as a LaTeX fragment: f, f', a table of the points, derivations, conclusion.

    Examples:
        >>> from diffcheck import analyze
        >>> from diffcheck.analysis.explain import explain
        >>> text = render_latex(explain(analyze("Max(0, x)")))
        >>> r"= \frac{\max\left(0, h\right) - 0}{h} = \frac{h - 0}{h} = 1" in text
        True
        >>> print(text.splitlines()[-1])  # doctest: +NORMALIZE_WHITESPACE
        \noindent Conclusion: $f$ is differentiable on
        $\mathbb{R} \setminus \left\{0\right\}$.
    """
    analysis = explanation.analysis
    x = math(analysis.variable)
    out = [rf"\noindent Function: $f({x}) = {math(analysis.expression)}$.", ""]
    if (derivative := derivative_math(analysis)) is not None:
        out += [rf"\noindent Where $f$ is differentiable, $f'({x}) = {derivative}$.", ""]
    if not analysis.points:
        out += [r"\noindent No candidate points.", ""]
    else:
        out += [*table(analysis), ""]
        marks = _format.legend(analysis.points)
        if marks:
            out += [r"\noindent " + "; ".join(f"{escape(mark)} {meaning}"
                                               for mark, meaning in marks) + ".", ""]
    for p, lines in explanation.points:
        kind = escape(p.verdict)
        out.append(rf"\paragraph{{At ${x} = {math(p.at)}$: {kind}.}}")
        out.append(r"\begin{itemize}")
        out += [r"  \item " + line(tokens) for tokens in lines]
        out.append(r"\end{itemize}")
        out.append("")
    out.append(rf"\noindent Conclusion: {conclusion(analysis)}.")
    return "\n".join(out).rstrip() + "\n"


def derivative_math(analysis: Analysis) -> str | None:
    """f' as cases with the set where each formula holds (or the piecewise form), or None."""
    x = math(analysis.variable)
    if analysis.derivative_cases:
        rows = [rf"{math(v)} & \text{{for }} {x} \in {math(on)}"
                for v, on in analysis.derivative_cases]
        return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"
    if analysis.derivative_piecewise is not None:
        return math(analysis.derivative_piecewise)
    return None


def table(analysis: Analysis) -> list[str]:
    """The points as a ``tabular``: x₀, f(x₀), the one-sided limits and derivatives, verdict."""
    out = [r"\begin{tabular}{lllllll}",
           r"$x_0$ & $f(x_0)$ & $f(x_0^-)$ & $f(x_0^+)$ & $f'(x_0^-)$ & $f'(x_0^+)$ & verdict \\",
           r"\hline"]
    for p in analysis.points:
        cells = [p.at, p.value, p.left_limit, p.right_limit, p.left_derivative,
                 p.right_derivative]
        mark = escape(_format.missing_mark(p))
        shown = [mark if c is None else f"${math(c)}$" for c in cells]
        out.append(" & ".join([*shown, escape(p.verdict)]) + r" \\")
    out.append(r"\end{tabular}")
    return out


def conclusion(analysis: Analysis) -> str:
    """The summary as a LaTeX sentence: where f is differentiable, what is not decided."""

    def points(ps: tuple[sympy.Expr, ...]) -> str:
        return ", ".join(f"${math(a)}$" for a in ps)

    def condition(c: sympy.Basic) -> str:
        return f"${math(c)}$"

    parts = _format.summary_parts(analysis, set_=lambda s: f"${math(s)}$", points=points,
                               condition=condition)
    sentence = "; ".join(escape(p) if "$" not in p else p for p in parts)
    return f"$f$ is {sentence}" if "differentiable" in parts[0].split(" on ")[0] else sentence
