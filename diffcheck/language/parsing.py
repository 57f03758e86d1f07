"""Text -> exact SymPy, by walking a whitelist of Python AST nodes; user text is never evaluated.

SymPy's ``sympify``/``parse_expr`` call ``eval`` (their docs warn against untrusted
input), so they never see user text. :func:`ast.parse` reads it and :class:`_Parser`
builds SymPy objects from a whitelist of nodes: numbers (decimals exact: ``0.01`` is
``1/100``), names (an unknown name is a real symbol), ``+ - * / ** ^``, comparisons
and ``and or not & | ~`` where a condition is expected, ``a if c else b``, and calls
of the functions in :mod:`diffcheck.language.names` (SymPy's names, NumPy/PyTorch/JAX/math
aliases such as ``np.maximum`` or ``F.relu``, activations and losses). Anything else
is a :class:`ParseError` naming the offending piece and its column. Sizes are
checked before anything is built, and every power follows the real-root convention
of :func:`real_pow` (``x**(1/3)`` is real for negative x).
"""

from __future__ import annotations

import ast
import difflib
import inspect
import itertools
import keyword
import math
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import sympy
from sympy import S

from diffcheck.budget import BudgetExceeded, budget
from diffcheck.errors import InputError, ParseError
from diffcheck.language import forms
from diffcheck.language import library as catalog
from diffcheck.language.names import MAX_EXPONENT, MAX_RESULT_DIGITS, real_pow

__all__ = [
    "MAX_DEPTH", "MAX_DIGITS", "MAX_EXPONENT", "MAX_LENGTH", "MAX_NODES", "MAX_RESULT_DIGITS",
    "MAX_SECONDS",
    "parse_domain", "parse_expression", "parse_point", "read_expression", "real_pow",
    "to_real",
]

MAX_LENGTH = 100_000  #: characters of input
MAX_NODES = 60_000  #: expression nodes in the syntax tree
MAX_DEPTH = 100  #: levels of nesting; chains of + - (or * /) count as one level
MAX_DIGITS = 1_000  #: digits of a number literal (its e-notation: at most MAX_EXPONENT)
MAX_SECONDS = 10.0  #: for SymPy to build the expression (contrived constants can be slow)

_CHUNK = 64  # long + and * chains are regrouped in chunks so Python's parser stays shallow


def parse_expression(text: str) -> sympy.Expr:
    """Parse diffcheck's expression language into an exact SymPy expression.

    Args:
        text: the expression, such as ``"Max(0, x)^2 + 0.01*x"``; every name that is
            not a known function or constant becomes a real symbol.

    Returns:
        The expression, with exact rationals and real odd roots.

    Raises:
        ParseError: the text is not in the language, too large, or not real-valued.

    Examples:
        >>> parse_expression("Max(0, x)^2 + 0.01*x")
        x/100 + Max(0, x)**2
        >>> parse_expression("x**(1/3)"), parse_expression("np.clip(x, 0, 1)")
        (Abs(x)**(1/3)*sign(x), Min(1, Max(0, x)))
        >>> parse_expression("where(x > 0, x, a*x)")
        Piecewise((x, x > 0), (a*x, True))
        >>> parse_expression("Max(0,")
        Traceback (most recent call last):
        ...
        diffcheck.errors.ParseError: cannot parse 'Max(0,' at column 7: missing ')' ...
    """
    return read_expression(text)[0]


def read_expression(text: str) -> tuple[sympy.Expr, tuple[str, ...]]:
    """:func:`parse_expression`, also reading the forms people type, with notes on them.

    ``|x-2|`` is ``Abs(x-2)``, a leading ``f(x) =`` or ``y =`` is dropped, LaTeX
    (``\\frac{\\sin x}{x}``) is translated (:mod:`diffcheck.language.forms`); the
    notes say what was rewritten, and warn about a name such as ``sinx`` that
    looks like a function applied without parentheses.

    Examples:
        >>> read_expression("f(x) = |x - 2|")
        (Abs(x - 2), ("read 'f(x) = |x - 2|' as the expression after 'f(x) ='",))
        >>> read_expression("sinx")[1]
        ("'sinx' is read as one variable; did you mean sin(x)?",)
    """
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        parser = _Parser(text)  # refuses it
        return parser.finish(parser.build(parser.tree())), ()
    reading = forms.read(text, python_ok="|" not in text or _python_syntax(text))
    try:
        parser = _Parser(reading.text)
        value = parser.finish(parser.build(parser.tree()))
    except ParseError as exc:
        if reading.text == text:
            raise
        shown = _short(reading.text)
        raise ParseError(text, None, f"{exc.reason} (in {shown!r}, as it was read)") from None
    return value, reading.notes + _misspelt(value)


def _python_syntax(text: str) -> bool:
    """Whether the text is already Python syntax (then ``|`` joins conditions)."""
    try:
        ast.parse(text.replace("^", "**").strip(), mode="eval")
    except (SyntaxError, RecursionError, MemoryError, ValueError, OverflowError):
        return False
    return True


def _misspelt(value: sympy.Expr) -> tuple[str, ...]:
    """Warnings for free names that start with a known function's name (``sinx``)."""
    functions = sorted((n for n in catalog.BARE if len(n) >= 3 and n.isalpha()),
                       key=len, reverse=True)
    notes = []
    for symbol in sorted(value.free_symbols, key=str):
        name = str(symbol)
        for fn in functions:
            rest = name[len(fn):]
            if name.startswith(fn) and rest.isalpha() and len(rest) <= 2:
                notes.append(f"{name!r} is read as one variable; did you mean {fn}({rest})?")
                break
    return tuple(notes)


def parse_point(text: str) -> sympy.Expr:
    """Parse a point: a finite real constant such as ``"pi/4"``, ``"-1/3"`` or ``"sqrt(2)"``.

    Raises:
        InputError: not a constant (it has a free name), infinite or not real.

    Examples:
        >>> parse_point("pi/4"), parse_point("0.5")
        (pi/4, 1/2)
    """
    value = parse_expression(text)
    if value.free_symbols:
        names = ", ".join(sorted(map(str, value.free_symbols)))
        raise InputError(f"the point {text!r} must be a constant such as 0, -1/3, pi/4 or "
                         f"sqrt(2); it contains the name {names}")
    if value.is_finite is False or value.has(S.Infinity, S.NegativeInfinity):
        raise InputError(f"the point {text!r} must be finite")
    if value.is_extended_real is False:
        raise InputError(f"the point {text!r} is not a real number")
    return value


def parse_domain(text: str) -> sympy.Set:
    """Parse an interval such as ``"[-10, 10]"``, ``"(0, oo)"``, ``"[-pi, pi)"``, or ``"R"``.

    Raises:
        InputError: not an interval of real constants, or its lower end is not below
            its upper end.

    Examples:
        >>> parse_domain("[-pi, pi)"), parse_domain("(0, oo)"), parse_domain("R")
        (Interval.Ropen(-pi, pi), Interval.open(0, oo), Reals)
    """
    if isinstance(text, str) and text.strip() in ("R", "Reals", "reals", "\u211d"):
        return S.Reals
    parser = _Parser(text, interval=True)
    root = parser.tree()
    if not (isinstance(root, ast.Tuple) and len(root.elts) == 2):
        raise parser.fail(root, "a domain is an interval such as [-10, 10], (0, oo) or "
                                "[-pi, pi), or R for all reals")
    lo, hi = (parser.finish(parser.build(end)) for end in root.elts)
    for end, node in zip((lo, hi), root.elts, strict=True):
        if end.free_symbols or end.is_extended_real is False:
            raise parser.fail(node, "the ends of a domain must be real constants such as "
                                    "-pi, 0 or oo")
    if sympy.Lt(lo, hi) is not S.true:
        raise InputError(f"the domain {text!r} is empty: its lower end {lo} is not below its "
                         f"upper end {hi}")
    if (lo, hi) == (S.NegativeInfinity, S.Infinity):
        return S.Reals
    stripped = text.strip()
    return sympy.Interval(lo, hi, stripped[0] == "(", stripped[-1] == ")")


def to_real(expr: sympy.Basic) -> sympy.Expr:
    """Bring an expression built with SymPy into diffcheck's conventions.

    Every symbol becomes the real symbol of the same name, every power follows the
    real-root convention (:func:`real_pow`), and a float becomes the exact decimal it
    prints as. Ints and floats are accepted too.

    Raises:
        InputError: not an expression, or it contains ``I``, ``zoo`` or ``nan``.

    Examples:
        >>> t = sympy.Symbol("t")
        >>> to_real(t**sympy.Rational(2, 3) + 0.25)
        Abs(t)**(2/3) + 1/4
    """
    if isinstance(expr, int) and not isinstance(expr, bool):
        return sympy.Integer(expr)
    if isinstance(expr, float):
        if not math.isfinite(expr):
            raise InputError(f"the number {expr} is not finite")
        return _decimal(repr(expr))
    if not isinstance(expr, sympy.Expr):
        raise InputError(f"expected a SymPy expression, not {type(expr).__name__} {expr!r}")
    if _deeper_than(expr, MAX_DEPTH):
        # Rebuilding it would overflow Python's stack inside SymPy (Max/Min assumptions
        # recurse through every level); text input is held to the same limit.
        raise InputError(f"the expression is nested more than {MAX_DEPTH} levels deep")
    # Only the symbols that change: xreplace rebuilds (and re-evaluates) every node above a
    # replaced symbol even when it is replaced by itself, which costs a ReLU net of N Max
    # terms N comparisons of Max's arguments.
    renamed = {s: sympy.Symbol(s.name, real=True) for s in expr.atoms(sympy.Symbol)}
    renamed = {s: r for s, r in renamed.items() if r is not s}
    if renamed:
        expr = expr.xreplace(renamed)
    if floats := {f: _decimal(str(f)) for f in expr.atoms(sympy.Float)}:
        expr = expr.xreplace(floats)
    expr = expr.replace(sympy.Pow, real_pow)
    if problem := _unreal(expr):
        raise InputError(f"{_short(expr)} cannot be analysed: {problem}")
    return expr


# --- exact numbers --------------------------------------------------------------------------


_DECIMAL = re.compile(r"(-?)([0-9][0-9_]*)?(?:\.([0-9][0-9_]*)?)?(?:[eE]([-+]?[0-9][0-9_]*))?")


def _decimal(literal: str) -> sympy.Rational:
    """The exact value of a decimal literal (``2.5e2`` -> 250), its size checked first."""
    match = _DECIMAL.fullmatch(literal)
    whole, fraction = (match[2] or "", match[3] or "") if match else ("", "")
    whole, fraction = whole.replace("_", ""), fraction.replace("_", "")
    if match is None or not (whole or fraction):
        raise InputError(f"{_short(literal)!r} is not a decimal number such as 12, 0.5 or 1e-3")
    if len(whole) + len(fraction) > MAX_DIGITS:
        raise InputError(f"the number {_short(literal)} has more than {MAX_DIGITS} digits")
    exponent = (match[4] or "0").replace("_", "")
    if len(exponent.lstrip("+-").lstrip("0")) > 4 or abs(int(exponent)) > MAX_EXPONENT:
        raise InputError(f"the exponent of {_short(literal)} is beyond {MAX_EXPONENT} in "
                         f"absolute value")
    scale = int(exponent) - len(fraction)  # value = mantissa * 10**scale
    mantissa = int(whole + fraction)
    value = (sympy.Integer(mantissa * 10**scale) if scale >= 0
             else sympy.Rational(mantissa, 10**-scale))
    return -value if match[1] else value


def _deeper_than(expr: sympy.Basic, limit: int) -> bool:
    """Whether the expression tree has more than ``limit`` levels (without recursing)."""
    stack = [(expr, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((arg, depth + 1) for arg in node.args)
    return False


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _unreal(expr: sympy.Basic) -> str | None:
    """Why ``expr`` is not a real expression, or None."""
    if not expr.has(S.ComplexInfinity, S.NaN, S.ImaginaryUnit, sympy.AccumBounds):
        return None
    if expr.has(S.ComplexInfinity):
        return "division by zero (the value is complex infinity, zoo)"
    if expr.has(S.NaN):
        return "the value is undefined (nan), as in 0/0 or oo - oo"
    if expr.has(S.ImaginaryUnit):
        return "the value is not real; complex numbers are not supported"
    return "the value is a range of numbers, not one number"


_RELATIONS: dict[type[ast.cmpop], Callable[..., Any]] = {
    ast.Lt: sympy.Lt, ast.LtE: sympy.Le, ast.Gt: sympy.Gt, ast.GtE: sympy.Ge,
    ast.Eq: sympy.Eq, ast.NotEq: sympy.Ne,
}
_FAMILY: dict[type[ast.operator], str] = {ast.Add: "+", ast.Sub: "+", ast.Mult: "*",
                                          ast.Div: "*"}
_BAD_OPERATOR: dict[type[ast.operator], str] = {
    ast.FloorDiv: "'//' is not supported; write floor(a/b)",
    ast.Mod: "'%' is not supported; write Mod(a, b)",
    ast.MatMult: "'@' (matrix product) is not supported",
    ast.LShift: "bit shifts are not supported", ast.RShift: "bit shifts are not supported",
    ast.BitAnd: "'&' joins conditions, and binds tighter than comparisons: wrap each "
                "comparison in parentheses: (x > 0) & (x < 1)",
    ast.BitOr: "'|' joins conditions, and binds tighter than comparisons: wrap each "
               "comparison in parentheses: (x < 0) | (x > 1)",
}
_FORBIDDEN: dict[type[ast.AST], str] = {
    ast.Lambda: "lambda functions are not allowed",
    **dict.fromkeys((ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp),
                    "comprehensions are not allowed"),
    ast.Subscript: "indexing is not allowed; write the expression for one value",
    ast.Starred: "starred arguments are not allowed", ast.Slice: "slices are not allowed",
    ast.NamedExpr: "assignments (:=) are not allowed",
    ast.List: "lists are not allowed", ast.Dict: "dicts are not allowed",
    ast.Set: "sets are not allowed", ast.JoinedStr: "strings are not allowed",
    **dict.fromkeys((ast.Await, ast.Yield, ast.YieldFrom), "'await' and 'yield' are not allowed"),
}
_HINTS = {"\u00d7": "*", "\u00b7": "*", "\u2212": "-", "\u2013": "-", "\u00f7": "/",
          "\u00b2": "**2", "\u00b3": "**3", "\u03c0": "pi", "\u221e": "oo", "\u2264": "<=",
          "\u2265": ">=", "\u2260": "!=", "\u221a": "sqrt(...)"}
_PREFIXES = ", ".join(f"{p}." for p in catalog.SPACES)


# --- text -> tree ----------------------------------------------------------------------------


_TOKEN = re.compile(r"(?P<num>(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d[\d_]*)?[jJ]?)"
                    r"|(?P<name>[A-Za-z_]\w*)|(?P<op>\*\*|//|[-+*/.])|(?P<open>[(\[{])"
                    r"|(?P<close>[)\]}])|(?P<sep>[,=:;<>!&|])|(?P<space> +)|(?P<other>.)")
_SEPARATOR_WORDS = frozenset(("and", "or", "not", "if", "else", "in", "is", "lambda", "for"))
_Unit = tuple[str, str, int, int]  # kind, text, start, end


def _regroup(src: str) -> tuple[dict[int, str], Counter[int]]:
    """Parentheses that turn every long ``+``/``-`` or ``*`` chain into a shallow tree.

    Python's parser refuses trees deeper than a few thousand levels, and a sum of n
    terms is n levels deep. Exact arithmetic is associative, so ``t1 + ... + t64 +
    (t65 + ... + t128) + ...`` has the same value; a chunk that starts with ``- t``
    becomes ``+(-t ...)``. Only runs of tokens with no operator of the same or a
    tighter binding than ``*`` other than ``* / ** .`` are regrouped.
    """
    opens: dict[int, str] = {}
    closes: Counter[int] = Counter()
    segments: list[list[_Unit] | None] = [[]]  # per bracket level; None: not regrouped
    starts: list[int] = []
    for match in _TOKEN.finditer(src):
        kind, text, (start, end) = match.lastgroup or "", match.group(), match.span()
        if kind == "name" and keyword.iskeyword(text) and text not in ("True", "False", "None"):
            kind = "sep" if text in _SEPARATOR_WORDS else "other"
        if kind == "open":
            segments.append([])
            starts.append(start)
        elif kind == "close":
            if not starts:
                return {}, Counter()
            _chunk(segments.pop(), opens, closes)
            if (outer := segments[-1]) is not None:
                outer.append(("group", "", starts.pop(), end))
            else:
                starts.pop()
        elif kind == "sep":
            _chunk(segments[-1], opens, closes)
            segments[-1] = []
        elif kind == "other" or text == "//":
            segments[-1] = None
        elif kind != "space" and (segment := segments[-1]) is not None:
            segment.append((kind, text, start, end))
    if starts:
        return {}, Counter()
    _chunk(segments[0], opens, closes)
    return opens, closes


def _chunk(units: list[_Unit] | None, opens: dict[int, str], closes: Counter[int]) -> None:
    """Regroup one run of units (a term's factors split at ``*``, terms at ``+ -``)."""
    if units is None or len(units) <= _CHUNK:
        return
    # a + or - right after an operand is binary; elsewhere it is a sign
    cuts = [i for i in range(1, len(units))
            if units[i][1] in ("+", "-") and units[i][0] == "op" and units[i - 1][0] != "op"]
    terms = list(zip([0, *(c + 1 for c in cuts)], [*cuts, len(units)], strict=True))
    if any(start >= end for start, end in terms):
        return
    for k in range(_CHUNK, len(terms), _CHUNK):
        last = terms[min(k + _CHUNK, len(terms)) - 1][1] - 1
        sign = units[cuts[k - 1]]  # a - b + c = a + (-b + c)
        at = sign[2] if sign[1] == "-" else units[terms[k][0]][2]
        opens[at] = opens.get(at, "") + ("+(" if sign[1] == "-" else "(")
        closes[units[last][3]] += 1
    for start, end in terms:  # and the same for factors: a*b/c*d = a*(1/c*d)
        stars = [i for i in range(start, end) if units[i][:2] in (("op", "*"), ("op", "/"))]
        factors = list(zip([start, *(c + 1 for c in stars)], [*stars, end], strict=True))
        if any(first >= stop for first, stop in factors):
            continue
        for k in range(_CHUNK, len(factors), _CHUNK):
            star = units[stars[k - 1]]
            at = star[2] if star[1] == "/" else units[factors[k][0]][2]
            opens[at] = opens.get(at, "") + ("*(1" if star[1] == "/" else "(")
            closes[units[factors[min(k + _CHUNK, len(factors)) - 1][1] - 1][3]] += 1


def _prepare(text: str, interval: bool) -> tuple[str, list[int]]:
    """Checked, parser-ready text, and for each of its characters the user's column (0-based).

    Whitespace becomes spaces (so the text is one line), ``^`` becomes ``**`` (Python's
    ``^`` binds looser than ``+``), and long chains are regrouped (:func:`_regroup`).
    """
    if not isinstance(text, str):
        raise InputError(f"expected the expression as text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(text, None, f"the text is {len(text):,} characters long; the limit "
                                     f"is {MAX_LENGTH:,}")
    if not text.strip():
        raise ParseError(text, None, "empty expression")
    out: list[str] = []
    cols: list[int] = []
    for i, ch in enumerate(text):
        if ch in "\t\n\r\f\v" or (ch > "~" and ch.isspace()):
            ch = " "
        elif not " " <= ch <= "~":
            name = unicodedata.name(ch, "a control character")
            hint = f"; write {_HINTS[ch]!r}" if ch in _HINTS else ""
            raise ParseError(text, i + 1, f"character {ch!r} (U+{ord(ch):04X}, {name}) is not "
                                          f"allowed; expressions are plain ASCII{hint}")
        out.append("**" if ch == "^" else ch)
        cols += [i, i] if ch == "^" else [i]
    cols.append(len(text))
    src = "".join(out)
    lead = len(src) - len(src.lstrip(" "))  # Python refuses a leading space
    src, cols = src[lead:], cols[lead:]
    if interval:
        # "[a, b)" is parsed as the tuple "(a, b)"; the brackets give the open ends
        first, last = len(src) - len(src.lstrip(" ")), len(src.rstrip(" ")) - 1
        for at, allowed in ((first, "[("), (last, "])")):
            if src[at] not in allowed or first == last:
                raise ParseError(text, cols[at] + 1, "a domain is an interval such as [-10, 10], "
                                                     "(0, oo) or [-pi, pi), or R for all reals")
        src = f"{src[:first]}({src[first + 1:last]}){src[last + 1:]}"
    if sum(map(src.count, "+-*/")) > 2 * _CHUNK:
        src, cols = _insert(src, cols, *_regroup(src))
    return src, cols


def _insert(src: str, cols: list[int], opens: dict[int, str],
            closes: Counter[int]) -> tuple[str, list[int]]:
    """``src`` with the regrouping parentheses; each maps to the column it precedes."""
    pieces: list[str] = []
    where: list[int] = []
    done = 0
    for at in sorted(set(opens) | set(closes)):
        extra = ")" * closes[at] + opens.get(at, "")
        pieces += [src[done:at], extra]
        where += [*cols[done:at], *[cols[at]] * len(extra)]
        done = at
    pieces.append(src[done:])
    return "".join(pieces), where + cols[done:]


def _conditional(node: ast.expr) -> bool:
    """Whether ``node`` is written as a condition (so a value cannot stand there)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd | ast.BitOr):
        return _conditional(node.left) or _conditional(node.right)
    return isinstance(node, ast.Compare | ast.BoolOp) or (
        isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.Invert)) or (
        isinstance(node, ast.Constant) and isinstance(node.value, bool))


def _family(node: ast.AST) -> str | None:
    return _FAMILY.get(type(node.op)) if isinstance(node, ast.BinOp) else None


# --- tree -> SymPy ---------------------------------------------------------------------------


class _Parser:
    """One parse: the user's text, the parser-ready text and its map back to columns."""

    def __init__(self, text: str, *, interval: bool = False) -> None:
        self.text = text
        self.src, self.cols = _prepare(text, interval)
        self.built: list[tuple[ast.expr, sympy.Basic]] = []  # (node, value), inner first

    def fail(self, node: ast.expr | ast.keyword, reason: str) -> ParseError:
        return ParseError(self.text, self.cols[node.col_offset] + 1, reason)

    def piece(self, node: ast.expr | ast.keyword) -> str:
        end = len(self.src) if node.end_col_offset is None else node.end_col_offset
        return _short(self.text[self.cols[node.col_offset]:self.cols[end]].strip())

    def tree(self) -> ast.expr:
        """The syntax tree, checked for size and depth."""
        try:
            root = ast.parse(self.src, mode="eval").body
        except SyntaxError as exc:
            raise self._syntax(exc) from None
        except (RecursionError, MemoryError):
            raise ParseError(self.text, None, "nested too deeply for Python's parser; the "
                                              f"limit is {MAX_DEPTH} levels") from None
        except (ValueError, OverflowError) as exc:
            raise ParseError(self.text, None, f"not an expression: {exc}") from None
        count = 0
        stack: list[tuple[ast.AST, int]] = [(root, 1)]
        while stack:  # a loop, not recursion: the tree may be a 30,000-term sum
            node, depth = stack.pop()
            if isinstance(node, ast.expr):
                count += 1
                if count > MAX_NODES:
                    raise ParseError(self.text, None, f"the expression has more than "
                                                      f"{MAX_NODES:,} parts")
                if depth > MAX_DEPTH:
                    raise self.fail(node, f"nested more than {MAX_DEPTH} levels deep")
            family = _family(node)
            for child in ast.iter_child_nodes(node):
                flat = family is not None and child is getattr(node, "left", None) \
                    and _family(child) == family
                stack.append((child, depth if flat else depth + 1))
        return root

    def _syntax(self, exc: SyntaxError) -> ParseError:
        at, end = (exc.offset or 0) - 1, len(self.text) + 1
        if not 0 <= at < len(self.src):
            if exc.msg.startswith("invalid syntax"):
                return ParseError(self.text, end, "the expression ends too early")
            return ParseError(self.text, None, exc.msg)
        column = self.cols[at] + 1
        if match := re.fullmatch(r"'(.)' was never closed", exc.msg):
            closer = {"(": ")", "[": "]", "{": "}"}.get(match[1], "")
            return ParseError(self.text, end, f"missing {closer!r} to close the {match[1]!r} "
                                              f"at column {column}")
        hint = "; write a product with '*', as in 2*x" if "decimal literal" in exc.msg else ""
        near = self.text[column - 1:column + 9].rstrip()
        return ParseError(self.text, column, f"{exc.msg} (at {near!r}){hint}")

    def build(self, root: ast.expr) -> sympy.Expr:
        start = time.monotonic()
        try:
            with budget(MAX_SECONDS):
                return self.expr(root)
        except RecursionError:
            raise ParseError(self.text, None, "nested too deeply to build") from None
        except BudgetExceeded:
            if time.monotonic() - start < MAX_SECONDS:
                raise  # an enclosing budget's, not ours
            raise ParseError(self.text, None, f"SymPy took more than {MAX_SECONDS:g} seconds "
                                              "to build this expression") from None

    def finish(self, value: sympy.Expr) -> sympy.Expr:
        """``value`` if it is real; else the error at the innermost piece that is not."""
        if problem := _unreal(value):
            for node, part in self.built:
                if inner := _unreal(part):
                    raise self.fail(node, f"{self.piece(node)!r}: {inner}")
            raise ParseError(self.text, None, problem)
        return value

    def expr(self, node: ast.expr) -> sympy.Expr:
        value = self._expr(node)
        self.built.append((node, value))
        return value

    def _expr(self, node: ast.expr) -> sympy.Expr:
        if isinstance(node, ast.Compare) and any(
                isinstance(side, ast.BinOp) and isinstance(side.op, ast.BitAnd | ast.BitOr)
                for side in node.comparators):
            raise self.fail(node, f"{self.piece(node)!r} compares with a '&' or '|' expression; "
                                  "wrap each comparison in parentheses: (x > 0) & (x < 1)")
        if _conditional(node):
            raise self.fail(node, f"{self.piece(node)!r} is a condition, not a value; use it in "
                                  "Piecewise((value, condition), ...) or where(condition, a, b)")
        if isinstance(node, ast.Constant):
            return self._constant(node)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.Attribute):
            return self._attribute(node)
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -self.expr(node.operand)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd):
            return self.expr(node.operand)
        if isinstance(node, ast.Call):
            return self._constant_value(node, self._call(node, "expr"))
        if isinstance(node, ast.IfExp):
            test, body, orelse = self.cond(node.test), self.expr(node.body), self.expr(node.orelse)
            return self._apply(node, "a if c else b", catalog.where, test, body, orelse)
        if isinstance(node, ast.Tuple):
            raise self.fail(node, f"a tuple ({self.piece(node)!r}) is only allowed as a "
                                  "(value, condition) pair inside Piecewise")
        reason = _FORBIDDEN.get(type(node), f"{type(node).__name__} is not allowed")
        raise self.fail(node, f"{reason} ({self.piece(node)!r})")

    def _constant_value(self, node: ast.expr, value: sympy.Expr) -> sympy.Expr:
        """``value``, unless it is a number that is not real or of absurd magnitude.

        SymPy can take forever on such constants (``Mod(asin(3), 2)``, or a remainder
        by ``exp(-10**300)``, computes exact integers of astronomical size), so they are
        refused where they appear, judged by a 15-digit approximation.
        """
        if value.is_Rational or not value.is_number or _unreal(value):
            return value
        try:
            approx = value.evalf(15)
        except (ArithmeticError, ValueError):  # SymPy could not approximate it: let it be
            return value
        if approx.has(S.ImaginaryUnit):
            raise self.fail(node, f"{self.piece(node)!r} is not real (about {_short(approx)})")
        big = sympy.Integer(10) ** MAX_DIGITS
        if approx.is_Float and approx != 0 and not 1 / big < abs(approx) < big:
            raise self.fail(node, f"{self.piece(node)!r} is about {_short(approx)}; numbers "
                                  f"beyond 10**{MAX_DIGITS} or below 10**-{MAX_DIGITS} in size "
                                  "are not supported")
        return value

    def _constant(self, node: ast.Constant) -> sympy.Expr:
        if isinstance(node.value, complex):
            raise self.fail(node, f"complex numbers are not supported ({self.piece(node)!r})")
        if isinstance(node.value, int | float):
            end = len(self.src) if node.end_col_offset is None else node.end_col_offset
            try:
                return _decimal(self.src[node.col_offset:end])
            except InputError as exc:
                raise self.fail(node, str(exc)) from None
        if node.value is None:
            raise self.fail(node, "None is only allowed as a missing bound, as in "
                                  "torch.clamp(x, min=None, max=1)")
        what = "strings" if isinstance(node.value, str | bytes) else repr(node.value)
        raise self.fail(node, f"{what} are not allowed ({self.piece(node)!r})")

    def _name(self, node: ast.Name) -> sympy.Expr:
        name = node.id
        if name.startswith("_"):
            raise self.fail(node, f"names may not start with '_' ({name!r})")
        if name in catalog.NOT_REAL:
            raise self.fail(node, catalog.NOT_REAL[name])
        if name in catalog.CONSTANTS:
            return catalog.CONSTANTS[name]
        if name in catalog.BARE:
            raise self.fail(node, f"{name!r} is a function; call it, as in {name}(x)")
        return sympy.Symbol(name, real=True)

    def _attribute(self, node: ast.Attribute) -> sympy.Expr:
        dotted, space, name = self._dotted(node)
        if name in space.constants:
            return space.constants[name]
        if name in space.functions:
            raise self.fail(node, f"{dotted!r} is a function; call it, as in {dotted}(x)")
        raise self.fail(node, _unknown("name", dotted, space.constants, dotted[:-len(name)]))

    def _dotted(self, node: ast.Attribute) -> tuple[str, catalog.Space, str]:
        """``np.maximum`` -> ("np.maximum", the np space, "maximum"); other attributes fail."""
        parts = [node.attr]
        value = node.value
        while isinstance(value, ast.Attribute):
            parts.append(value.attr)
            value = value.value
        dotted = ".".join([value.id, *reversed(parts)]) if isinstance(value, ast.Name) else ""
        prefix, _, name = dotted.rpartition(".")
        space = catalog.SPACES.get(prefix)
        if space is None or name.startswith("_"):
            raise self.fail(node, f"attribute access is not allowed ({self.piece(node)!r}); "
                                  f"known prefixes are {_PREFIXES}")
        if name in catalog.NOT_REAL:
            raise self.fail(node, catalog.NOT_REAL[name])
        return dotted, space, name

    def _binop(self, node: ast.BinOp) -> sympy.Expr:
        family = _family(node)
        if family is None:
            if not isinstance(node.op, ast.Pow):
                raise self.fail(node, f"{_BAD_OPERATOR[type(node.op)]} ({self.piece(node)!r})")
            base, exponent = self.expr(node.left), self.expr(node.right)
            return self._apply(node, "**", catalog.power, base, exponent)
        # a chain a + b - c (or a*b/c) is a left-deep tree: walk it with a loop
        chain: list[ast.BinOp] = []
        left: ast.expr = node
        while isinstance(left, ast.BinOp) and _family(left) == family:
            chain.append(left)
            left = left.left
        terms = [self.expr(left)]
        divisors: list[sympy.Expr] = []
        for link in reversed(chain):
            value = self.expr(link.right)
            if isinstance(link.op, ast.Sub):
                value = -value
            elif isinstance(link.op, ast.Div):
                divisors.append(value)
                value = sympy.Pow(value, -1)
                self.built.append((link.right, value))  # where a division by zero is
            terms.append(value)
        result = self._apply(node, family, sympy.Add if family == "+" else sympy.Mul, *terms)
        return _guard_cancelled(result, divisors) if divisors else result

    def cond(self, node: ast.expr) -> sympy.Basic:
        """A condition: comparisons, and/or/not, & | ~, True/False, Eq(...), And(...)."""
        if isinstance(node, ast.Compare):
            sides = [self.expr(node.left), *map(self.expr, node.comparators)]
            relations = []
            for op, (a, b) in zip(node.ops, itertools.pairwise(sides), strict=True):
                if type(op) not in _RELATIONS:
                    raise self.fail(node, "'in' and 'is' are not comparisons of numbers; use "
                                          "<, <=, >, >=, == or !=")
                relations.append(self._apply(node, "comparison", _RELATIONS[type(op)], a, b))
            return relations[0] if len(relations) == 1 else sympy.And(*relations)
        if isinstance(node, ast.BoolOp):
            parts = [self.cond(value) for value in node.values]
            return sympy.And(*parts) if isinstance(node.op, ast.And) else sympy.Or(*parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.Invert):
            return sympy.Not(self.cond(node.operand))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd | ast.BitOr):
            left, right = self.cond(node.left), self.cond(node.right)
            return sympy.And(left, right) if isinstance(node.op, ast.BitAnd) else sympy.Or(
                left, right)
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return S.true if node.value else S.false
        if isinstance(node, ast.Call):
            return self._call(node, "cond")
        raise self.fail(node, f"expected a condition such as x > 0, (x > 0) & (x < 1) or True, "
                              f"not {self.piece(node)!r}")

    def _call(self, node: ast.Call, want: str) -> Any:
        name, fn = self._function(node.func)
        if fn.gives != want:
            if want == "expr":
                raise self.fail(node, f"{name}(...) is a condition, not a value; use it in "
                                      "Piecewise((value, condition), ...) or where(condition, "
                                      "a, b)")
            raise self.fail(node, f"expected a condition such as x > 0 or Eq(x, 1), not "
                                  f"{self.piece(node)!r}")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.fail(arg, f"starred arguments are not allowed ({self.piece(arg)!r})")
        for kw in node.keywords:
            if kw.arg is None:
                raise self.fail(kw, f"**keyword unpacking is not allowed ({self.piece(kw)!r})")
        if fn.signature is not None:
            return self._apply(node, name, fn.build, **self._bind(node, name, fn.signature))
        if node.keywords:
            raise self.fail(node.keywords[0], f"{name}() takes no keyword arguments "
                                              f"({self.piece(node.keywords[0])!r})")
        count = len(node.args)
        if count < fn.low or (fn.high is not None and count > fn.high):
            takes = fn.low if fn.high == fn.low else (
                f"at least {fn.low}" if fn.high is None else f"{fn.low} or {fn.high}")
            raise self.fail(node, f"{name}() takes {takes} argument{'s' * (takes != 1)}, "
                                  f"not {count}")
        args = [self.cond(arg) if fn.args == "cond" or (fn.args == "where" and i == 0)
                else self._pair(arg) if fn.args == "pair" else self.expr(arg)
                for i, arg in enumerate(node.args)]
        return self._apply(node, name, fn.build, *args)

    def _function(self, func: ast.expr) -> tuple[str, catalog.Fn]:
        if isinstance(func, ast.Attribute):
            dotted, space, name = self._dotted(func)
            if name not in space.functions:
                raise self.fail(func, _unknown("function", dotted, space.functions,
                                               dotted[:-len(name)]))
            return dotted, space.functions[name]
        if not isinstance(func, ast.Name):
            raise self.fail(func, "only named functions can be called, as in sin(x) or "
                                  "np.maximum(x, 0)")
        if func.id.startswith("_"):
            raise self.fail(func, f"names may not start with '_' ({func.id!r})")
        if func.id not in catalog.BARE:
            raise self.fail(func, _unknown("function", func.id, catalog.BARE, ""))
        return func.id, catalog.BARE[func.id]

    def _bind(self, node: ast.Call, name: str, signature: inspect.Signature) -> dict[str, Any]:
        """Keyword-taking functions: bind as Python would, then build each argument."""
        try:
            bound = signature.bind(*node.args, **{kw.arg or "": kw.value for kw in node.keywords})
        except TypeError as exc:
            raise self.fail(node, f"{name}(): {exc}; it takes "
                                  f"{', '.join(signature.parameters)}") from None
        return {key: self._argument(arg, signature.parameters[key].default)
                for key, arg in bound.arguments.items()}

    def _argument(self, node: ast.expr, default: object) -> Any:
        """One keyword-taking function's argument: a value, or an option such as
        ``approximate="tanh"`` or ``min=None`` where the default is one of its kind."""
        if isinstance(node, ast.Constant) and (
                (node.value is None and default is None)
                or (isinstance(node.value, str | bool) and isinstance(default, str | bool))):
            return node.value
        return self.expr(node)

    def _pair(self, node: ast.expr) -> tuple[sympy.Expr, sympy.Basic]:
        if not (isinstance(node, ast.Tuple) and len(node.elts) == 2):
            raise self.fail(node, f"each Piecewise argument is a (value, condition) pair, as in "
                                  f"Piecewise((x, x < 0), (0, True)), not {self.piece(node)!r}")
        return self.expr(node.elts[0]), self.cond(node.elts[1])

    def _apply(self, node: ast.expr, name: str, build: Callable[..., Any], *args: Any,
               **kwargs: Any) -> Any:
        """Call a SymPy constructor; its complaints about the arguments become a ParseError."""
        try:
            return build(*args, **kwargs)
        except InputError as exc:
            raise self.fail(node, f"{exc} ({self.piece(node)!r})") from None
        except (TypeError, ValueError, ArithmeticError, NotImplementedError,
                AttributeError) as exc:  # SymPy's cache turns some TypeErrors into these
            for part_node, part in self.built:  # usually an argument that is not real
                if inner := _unreal(part):
                    raise self.fail(part_node, f"{self.piece(part_node)!r}: {inner}") from None
            raise self.fail(node, f"{self.piece(node)!r} is not valid ({name}): {exc}") from None


def _guard_cancelled(product: sympy.Expr, divisors: list[sympy.Expr]) -> sympy.Expr:
    """Keep the holes of a quotient whose divisor SymPy cancelled on construction.

    SymPy evaluates ``x/x`` to 1 and ``x**3/x`` to ``x**2``, but as written these
    functions are undefined where the divisor vanishes.  A divisor factor that no
    longer appears with a negative exponent in the product is restored as the
    condition of a one-piece Piecewise (undefined where it fails), so the analysis
    still reports the removable point.

    Examples:
        >>> x = sympy.Symbol("x", real=True)
        >>> _guard_cancelled(x**2 / x, [x])
        Piecewise((x, Ne(x, 0)))
        >>> _guard_cancelled(sympy.sin(x) / x, [x])
        sin(x)/x
    """
    survivors = set()
    for factor in sympy.Mul.make_args(product):
        base, exponent = factor.as_base_exp()
        if exponent.is_negative:
            survivors.add(base)
    lost: list[sympy.Basic] = []
    for divisor in divisors:
        for factor in sympy.Mul.make_args(divisor):
            base = factor.as_base_exp()[0]
            if (base.free_symbols and base not in survivors and base.is_zero is not False
                    and base not in lost):
                lost.append(base)
    if not lost:
        return product
    return sympy.Piecewise((product, sympy.And(*(sympy.Ne(base, 0) for base in lost))))


_LISTED = 12
"""An unknown name's message lists the known ones only when there are at most this many."""


def _unknown(what: str, name: str, known: Mapping[str, object], prefix: str) -> str:
    """One short line for an unknown name: the best suggestion first, never the whole list.

    Examples:
        >>> _unknown("function", "Maxx", catalog.BARE, "")
        "unknown function 'Maxx'; did you mean 'Max'?"
    """
    last = name[len(prefix):]
    close = difflib.get_close_matches(last, list(known), n=1) or difflib.get_close_matches(
        last.lower(), [k.lower() for k in known], n=1)
    guess = next((k for k in known if k.lower() == close[0].lower()), "") if close else ""
    # The same name spelt elsewhere beats a near name here (jax.nn.gelu: gelu, not elu).
    elsewhere = [f"{last}(...)"] if prefix and what == "function" and last in catalog.BARE \
        else [f"{p}.{last}" for p, space in catalog.SPACES.items()
              if p != prefix[:-1] and last in (space.functions if what == "function"
                                                 else space.constants)]
    if elsewhere:
        hint = f"; did you mean {elsewhere[0]!r}?"
    elif guess:
        hint = f"; did you mean {prefix + guess!r}?"
    elif what == "function" and not prefix:
        hint = f"; to multiply, write {name}*(...)"
    else:
        hint = ""
    if len(known) <= _LISTED and not hint:
        where = f"{prefix} provides" if prefix else "known"
        return f"unknown {what} {name!r} ({where}: {', '.join(sorted(known, key=str.lower))})"
    more = "" if hint or not prefix else f"; see the names {prefix} provides in the README"
    return f"unknown {what} {name!r}{hint}{more}"
