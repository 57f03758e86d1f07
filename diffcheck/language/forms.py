"""The forms people type, rewritten as text in diffcheck's language (nothing is evaluated).

Three rewrites, each purely textual, whose output goes through the whitelisting
parser of :mod:`diffcheck.language.parsing` with all its limits:

* a leading definition is dropped: ``f(x) = Abs(x)`` and ``y = Abs(x)`` read as
  ``Abs(x)`` (a note says so);
* bars are absolute values: ``|x-2|`` reads as ``Abs(x-2)`` (only when the text is
  not already Python, where ``|`` joins conditions);
* LaTeX (a backslash, or a brace after ``^`` or ``_``) is translated by a small
  recursive-descent reader of the common subset: ``\\frac``, ``\\sqrt``, ``\\max``,
  ``\\min``, ``\\left| \\right|``, ``\\lfloor``, ``\\sin`` and friends (with or
  without parentheses), ``^{...}``, ``\\cdot``, ``\\pi``, ``e^{...}`` and implicit
  products such as ``2x`` or ``x\\sin x``.  A command it does not know is an
  error that names it.

SymPy's own ``parse_latex`` was not used: its ANTLR backend is not installed
and its Lark backend builds expressions through ``sympify`` of fragments in
places; a translator into the whitelisted language keeps one parser, one set
of limits and one set of error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diffcheck.errors import ParseError

__all__ = ["Reading", "abs_bars", "is_latex", "latex_to_text", "read"]

MAX_LATEX_LENGTH = 20_000
"""Characters of LaTeX input (its translation is checked again by the parser)."""
_MAX_LATEX_DEPTH = 100


@dataclass(frozen=True, slots=True, kw_only=True)
class Reading:
    """What the parser reads: the text in diffcheck's language and what was rewritten."""

    text: str
    notes: tuple[str, ...] = ()
    latex: bool = False


_DEFINITION = re.compile(r"\s*(?:[A-Za-z]\w*\s*\(\s*[A-Za-z]\w*\s*\)|[A-Za-z]\w*)\s*=(?!=)")


def read(text: str, *, python_ok: bool) -> Reading:
    """Rewrite the forms people type; ``python_ok`` says the text already parses as Python.

    Examples:
        >>> read("f(x) = Abs(x)", python_ok=False).text
        'Abs(x)'
        >>> read("|x-2|", python_ok=False).text
        'Abs(x-2)'
        >>> read(r"\\frac{\\sin x}{x}", python_ok=False).text
        '((sin(x))/(x))'
    """
    notes: list[str] = []
    # Only a definition of a function of something: "x = 1" stays an error.
    if (match := _DEFINITION.match(text)) and re.search("[A-Za-z]", text[match.end():]):
        head = text[:match.end() - 1].strip()
        notes.append(f"read {text.strip()!r} as the expression after {head + ' ='!r}")
        text = text[match.end():].strip()
        python_ok = False
    if is_latex(text):
        return Reading(text=latex_to_text(text), notes=tuple(notes), latex=True)
    if not python_ok and "|" in text:
        text = abs_bars(text)
    return Reading(text=text, notes=tuple(notes))


def is_latex(text: str) -> bool:
    """Whether the text is LaTeX: a backslash, or a brace after ``^`` or ``_`` (``e^{-x}``).

    Examples:
        >>> is_latex(r"\\sqrt{x}"), is_latex("e^{-x}"), is_latex("{x}"), is_latex("x^2")
        (True, True, False, False)
    """
    return "\\" in text or re.search(r"[\^_]\s*\{", text) is not None


def abs_bars(text: str) -> str:
    """``|u|`` as ``Abs(u)``: a bar opens where an operand is expected, else it closes.

    Examples:
        >>> abs_bars("|x-1| + 2*|x+1|"), abs_bars("||x|-1|")
        ('Abs(x-1) + 2*Abs(x+1)', 'Abs(Abs(x)-1)')
    """
    out: list[str] = []
    depth = 0
    previous = ""  # the last character that is not a space
    for ch in text:
        if ch == "|":
            opening = depth == 0 or previous in ("", *"+-*/^(,|=<>")
            if depth and previous == "|" and out[-1] == ")":  # right after a closing bar
                opening = False
            if opening:
                out.append("Abs(")
                depth += 1
            else:
                out.append(")")
                depth -= 1
            previous = "|"
            continue
        out.append(ch)
        if not ch.isspace():
            previous = ch
    if depth:
        raise ParseError(text, None, "an absolute value |...| is not closed")
    return "".join(out)


# --- LaTeX --------------------------------------------------------------------------------

_LATEX_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\d+(?:\.\d+)?|\.\d+|[A-Za-z]|\s+|.", re.S)

_FUNCTIONS: dict[str, str] = {
    **{name: name for name in ("sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh",
                                "tanh", "coth", "exp", "log")},
    "ln": "log", "arcsin": "asin", "arccos": "acos", "arctan": "atan",
    "sgn": "sign", "operatorname{sgn}": "sign",
}
_CONSTANTS = {"pi": "pi", "infty": "oo", "infinity": "oo"}
_OPERATORS = {"cdot": "*", "times": "*", "div": "/", "le": "<=", "leq": "<=", "ge": ">=",
              "geq": ">=", "ne": "!=", "neq": "!=", "lt": "<", "gt": ">"}
_SPACING = frozenset(("left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl",
                      "Bigr", "quad", "qquad", "displaystyle", "textstyle",
                      "limits", "nolimits"))
_BARS = frozenset(("vert", "lvert", "rvert", "mid", "|"))
_OPEN = {"(": ")", "[": "]", "\\{": "\\}", "\\lbrace": "\\rbrace", "\\langle": "\\rangle"}
_ROUNDING = {"\\lfloor": ("\\rfloor", "floor"), "\\lceil": ("\\rceil", "ceiling")}


def latex_to_text(latex: str) -> str:
    """Translate a LaTeX formula into diffcheck's expression language.

    Raises:
        ParseError: a command or construct outside the supported subset, an
            unbalanced group, or a formula too long or too deeply nested.

    Examples:
        >>> latex_to_text(r"\\max(0, x)"), latex_to_text(r"\\sqrt{x^2}")
        ('Max(0,x)', 'sqrt(x**(2))')
        >>> latex_to_text(r"e^{-x}"), latex_to_text(r"\\left| x \\right|")
        ('E**(-x)', 'Abs(x)')
        >>> latex_to_text(r"2x\\sin^2 x")
        '2*x*sin(x)**(2)'
    """
    if len(latex) > MAX_LATEX_LENGTH:
        raise ParseError(latex[:60], None, f"the LaTeX is {len(latex):,} characters long; the "
                                           f"limit is {MAX_LATEX_LENGTH:,}")
    reader = _Latex(latex)
    pieces = reader.sequence(stops=())
    if reader.at < len(reader.tokens):
        reader.fail(f"unexpected {reader.tokens[reader.at]!r}")
    return _join(pieces)


# A piece of the translation: its text and whether it is an operand (products are
# implicit between two operands) or a function name waiting for its argument.
_Piece = tuple[str, str]  # (text, "operand" | "operator")


def _join(pieces: list[_Piece]) -> str:
    out: list[str] = []
    previous = "operator"
    for text, kind in pieces:
        if kind == "operand" and previous == "operand":
            out.append("*")
        out.append(text)
        previous = kind
    return "".join(out)


class _Latex:
    def __init__(self, latex: str) -> None:
        self.latex = latex
        self.tokens = [t for t in _LATEX_TOKEN.findall(latex) if not t.isspace()]
        self.tokens = [t for t in self.tokens
                       if t not in ("\\,", "\\;", "\\!", "\\:", "\\ ")
                       and t[1:] not in _SPACING]
        self.at = 0
        self.depth = 0

    def fail(self, reason: str) -> ParseError:
        raise ParseError(self.latex, None, f"LaTeX: {reason}")

    def peek(self) -> str:
        return self.tokens[self.at] if self.at < len(self.tokens) else ""

    def take(self) -> str:
        token = self.peek()
        if not token:
            self.fail("the formula ends too early")
        self.at += 1
        return token

    def expect(self, token: str) -> None:
        if self.peek() != token:
            found = repr(self.peek()) if self.peek() else "the end"
            self.fail(f"expected {token!r}, found {found}")
        self.at += 1

    def sequence(self, stops: tuple[str, ...], *, bar_closes: bool = False) -> list[_Piece]:
        """Pieces up to (not including) a token in ``stops``, or the end."""
        pieces: list[_Piece] = []
        while (token := self.peek()) and token not in stops:
            is_bar = token == "|" or token[1:] in _BARS
            if bar_closes and is_bar and pieces and pieces[-1][1] == "operand":
                break
            pieces.extend(self.item(pieces))
        return pieces

    def group(self) -> str:
        """One argument: ``{...}``, a bracketed group, or a single token."""
        token = self.peek()
        if token == "{":
            self.take()
            inner = _join(self.sequence(("}",)))
            self.expect("}")
            return inner
        pieces = self.item([])
        return _join(pieces)

    def item(self, before: list[_Piece]) -> list[_Piece]:
        self.depth += 1
        if self.depth > _MAX_LATEX_DEPTH:
            self.fail(f"nested more than {_MAX_LATEX_DEPTH} levels deep")
        try:
            return self._item(before)
        finally:
            self.depth -= 1

    def _item(self, before: list[_Piece]) -> list[_Piece]:
        token = self.take()
        if token == "{":
            inner = self.sequence(("}",))
            self.expect("}")
            return [(f"({_join(inner)})", "operand")]
        if token in _OPEN:
            close = _OPEN[token]
            inner = self.sequence((close, *(")]" if token in "([" else "")))
            self.take()  # (a, b] closes with either bracket; the parser checks the rest
            return [(f"({_join(inner)})", "operand")]
        if token == "|" or token[1:] in _BARS:
            inner = self.sequence(("\\rvert",), bar_closes=True)
            self.take()
            return [(f"Abs({_join(inner)})", "operand")]
        if token in _ROUNDING:
            close, name = _ROUNDING[token]
            inner = self.sequence((close,))
            self.expect(close)
            return [(f"{name}({_join(inner)})", "operand")]
        if token == "^":
            return [("**", "operator"), (f"({self.group()})", "operand")]
        if token == "_":
            sub = self.group()
            if not (before and re.fullmatch(r"[A-Za-z]\w*", before[-1][0])
                    and re.fullmatch(r"\w+", sub)):
                self.fail("a subscript belongs to a name, as in x_{0}")
            name, _ = before.pop()
            return [(f"{name}_{sub}", "operand")]
        if token[0].isdigit() or token[0] == ".":
            return [(token, "operand")]
        if token.isalpha() and len(token) == 1:
            return [("E" if token == "e" else token, "operand")]
        if token in "+-*/,<>=!":
            return [(token, "operator")]
        if token.startswith("\\"):
            return self.command(token[1:])
        self.fail(f"{token!r} is not supported")
        return []  # not reached

    def command(self, name: str) -> list[_Piece]:
        if name in ("frac", "dfrac", "tfrac"):
            numerator, denominator = self.group(), self.group()
            return [(f"(({numerator})/({denominator}))", "operand")]
        if name == "sqrt":
            if self.peek() == "[":
                self.take()
                index = _join(self.sequence(("]",)))
                self.expect("]")
                return [(f"(({self.group()})**(1/({index})))", "operand")]
            return [(f"sqrt({self.group()})", "operand")]
        if name in ("max", "min"):
            return [(f"{name.capitalize()}{self._arguments(name)}", "operand")]
        if name in ("operatorname", "text", "mathrm", "mathit"):
            self.expect("{")
            word = ""
            while self.peek() not in ("}", ""):
                word += self.take()
            self.expect("}")
            if not re.fullmatch(r"[A-Za-z_]\w*", word):
                self.fail(f"\\{name}{{{word}}} is not a function name")
            if self.peek() == "(":
                return [(f"{word}{self._arguments(word)}", "operand")]
            return [(word, "operand")]
        if name in _FUNCTIONS:
            return [self._function(_FUNCTIONS[name])]
        if name in _CONSTANTS:
            return [(_CONSTANTS[name], "operand")]
        if name in _OPERATORS:
            return [(_OPERATORS[name], "operator")]
        self.fail(f"the command \\{name} is not supported")
        return []  # not reached

    def _arguments(self, name: str) -> str:
        if self.peek() not in _OPEN:
            self.fail(f"\\{name} needs its arguments in parentheses, as in \\{name}(0, x)")
        [(text, _)] = self.item([])
        return text

    def _function(self, name: str) -> _Piece:
        """``\\sin x``, ``\\sin(x)``, ``\\sin^2 x``, ``\\sin{2x}``: the call, then the power."""
        power = ""
        if self.peek() == "^":
            self.take()
            power = f"**({self.group()})"
        if self.peek() in _OPEN or self.peek() == "{":
            [(argument, _)] = self.item([])
            return (f"{name}{argument}{power}", "operand")
        # Without brackets the argument runs over the operands that follow (sin 2x is
        # sin(2x)), up to an operator or another function.
        pieces: list[_Piece] = []
        if self.peek()[1:] in _FUNCTIONS and self.peek().startswith("\\"):  # sin sin x
            pieces.extend(self.item(pieces))
        while (token := self.peek()) and not (
                token in "+-,=<>)]}|" or (token.startswith("\\") and (
                token[1:] in _FUNCTIONS or token[1:] in _OPERATORS or token[1:] in _BARS
                or token[1:] in ("right", "rfloor", "rceil", "rvert", "}")))):
            pieces.extend(self.item(pieces))
        if not pieces:
            self.fail(f"\\{name} needs an argument")
        return (f"{name}({_join(pieces)}){power}", "operand")
