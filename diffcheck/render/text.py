"""Single-line text for exact values and sets, as a person reads them in a terminal.

One notation, Unicode mathematics: ``2πn``, ``√2/2``, ``x⁻²``, ``10⁻¹²``,
``2x·sign(x)``, ``∞``, and the usual set notation (``ℝ \\ {0}``, ``[-1, 2)``,
``{nπ | n ∈ ℤ}``).  A number that is neither rational nor infinite also gets
its value (``CRootOf(x⁵ - x - 1, 0) ≈ 1.1673``) where :func:`number` is used,
and a rational too long to read is shown in powers of ten.  The JSON contract
does not go through here: it keeps SymPy's strings.
"""

# The report is mathematics for a terminal: its double-struck letters, set operators,
# minus and prime signs are meant, not look-alikes of ASCII.
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import sympy
from sympy import S
from sympy.core.evalf import PrecisionExhausted

from diffcheck.model.report import Analysis, Kind, PointReport

MISSING = "—"
"""Shown for a value that is ``None``; the point's reason says why."""
NOT_COMPUTED = "?"
"""Shown for a value the time budget did not let diffcheck compute."""
DEPENDS = "*"
"""Shown for a value at a point whose answer depends on the parameters (see its cases)."""
MARKS = ((MISSING, "does not exist"), (NOT_COMPUTED, "not computed within the time budget"),
         (DEPENDS, "depends on the parameters (see the cases)"))
"""The marks of a missing value in a table, with their legend."""


def legend(points: tuple[PointReport, ...]) -> list[tuple[str, str]]:
    """The marks of missing values the table of ``points`` uses, with their meanings."""
    used = {missing_mark(p) for p in points
            for v in (p.value, p.left_limit, p.right_limit, p.left_derivative,
                      p.right_derivative) if v is None}
    return [(mark, meaning) for mark, meaning in MARKS if mark in used]


def missing_mark(p: PointReport) -> str:
    """How a missing value of point ``p`` is shown: it depends on the parameters, the
    budget ran out before it was computed, or it does not exist."""
    if p.cases:
        return DEPENDS
    if p.kind is Kind.UNKNOWN and ("time budget" in p.reason or "took longer" in p.reason):
        return NOT_COMPUTED
    return MISSING

SYMBOLS = "ℝℤℕℚℂ∅∞—′−∈∪∩•≠≤≥πχ√·≈⁰¹²³⁴⁵⁶⁷⁸⁹⁻₀…"
"""Every non-ASCII character a report may hold (the CLI checks the terminal can show them)."""

_INFINITY = re.compile(r"(?<![\w.])oo(?![\w(])")
_NAMED_SETS: dict[sympy.Set, str] = {
    S.Reals: "ℝ",
    S.Integers: "ℤ",
    S.Naturals: "ℕ",
    S.Naturals0: "ℕ₀",
    S.Rationals: "ℚ",
    S.Complexes: "ℂ",
    S.EmptySet: "∅",
}


def infinities(text: str) -> str:
    """Replace SymPy's ``oo`` by ``∞`` in text such as a reason.

    Examples:
        >>> infinities("f -> -oo as x -> 0+")
        'f -> -∞ as x -> 0+'
        >>> infinities("zoo and foo() stay")
        'zoo and foo() stay'
    """
    return _INFINITY.sub("∞", text)


def value(expr: sympy.Basic | None) -> str:
    """One line for an exact value, in Unicode mathematics; ``—`` for ``None``.

    Examples:
        >>> import sympy
        >>> value(sympy.sqrt(2) / 2), value(sympy.pi / 4), value(sympy.Rational(1, 100))
        ('√2/2', 'π/4', '1/100')
        >>> value(-sympy.oo), value(None), value(sympy.Rational(1, 10**12))
        ('-∞', '—', '10⁻¹²')
        >>> x, n = sympy.symbols("x n")
        >>> value(2 * sympy.pi * n), value(x**-2 + 3 * x * sympy.sign(x))
        ('2πn', '3x·sign(x) + x⁻²')
    """
    if expr is None:
        return MISSING
    if expr is S.ComplexInfinity:
        return "complex ∞"
    if isinstance(expr, int):
        expr = sympy.Integer(expr)
    if not isinstance(expr, sympy.Basic):
        return math_text(str(expr))
    return _math(expr)


def number(expr: sympy.Basic | None) -> str:
    """:func:`value`, followed by ``≈ 1.1673`` for a real number that is not rational.

    Examples:
        >>> import sympy
        >>> number(sympy.pi / 2), number(sympy.Rational(1, 2)), number(sympy.oo)
        ('π/2 ≈ 1.5708', '1/2', '∞')
    """
    shown = value(expr)
    if expr is None or not isinstance(expr, sympy.Expr):
        return shown
    near = approximation(expr)
    return shown if near is None else f"{shown} ≈ {near}"


@functools.lru_cache(maxsize=1024)
def approximation(expr: sympy.Expr) -> str | None:
    """Five significant digits of a real constant that is not rational, else ``None``."""
    if not expr.is_number or expr.is_Rational or expr.has(S.Infinity, S.NegativeInfinity,
                                                           S.ComplexInfinity, S.NaN):
        return None
    try:
        # Strict first: exp(-100) is 3.7·10⁻⁴⁴, not 0 (a kink may sit there); only a value
        # whose digits cannot be reached (an unsimplified zero) is chopped to 0.
        try:
            approx = expr.evalf(8, strict=True)
        except PrecisionExhausted:
            approx = expr.evalf(8, chop=True)
    except (ArithmeticError, ValueError, TypeError):
        return None
    if approx == 0:
        return "0"
    if not approx.is_Float:
        return None
    if 1e-300 < abs(approx) < 1e300:
        return _science(float(approx))
    # Beyond a float's range (exp(-1000)): the decimal exponent from the Float itself.
    exponent = int(sympy.floor(sympy.log(abs(approx), 10)))
    mantissa = float(approx / sympy.Integer(10) ** exponent)
    return f"{mantissa:.5g}·10{_superscript(exponent)}"


def _science(number: float) -> str:
    """``1.1673``, ``0.00012346``, ``1.2346·10⁴⁰``: five significant digits."""
    text = f"{number:.5g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}·10{_superscript(int(exponent))}"
    return text


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _superscript(k: int) -> str:
    return str(k).translate(_SUPERSCRIPTS)


_LONG = 12
"""Digits past which an exact rational is shown in powers of ten."""


def _power_of_ten(r: sympy.Rational) -> str | None:
    """``10⁻¹²``, ``3·10⁴⁰⁰`` or ``1.2346…·10⁴⁰⁰`` for a rational too long to read."""
    p, q = abs(int(r.p)), int(r.q)
    if len(str(p)) + len(str(q)) <= _LONG:
        return None
    stripped, zeros = _tens(p)
    if q == 1 and stripped < 1000:  # 3·10⁴⁰⁰
        return f"{'' if stripped == 1 else f'{stripped}·'}10{_superscript(zeros)}"
    stripped, zeros = _tens(q)
    if stripped == 1 and p < 1000:  # 3·10⁻²⁰
        return f"{'' if p == 1 else f'{p}·'}10{_superscript(-zeros)}"
    digits = float(sympy.Float(abs(r), 6))
    if 1e-4 <= digits < 1e6:
        return f"{digits:.5g}…"
    mantissa, _, exponent = f"{digits:.4e}".partition("e")
    return f"{mantissa}…·10{_superscript(int(exponent))}"


def _tens(n: int) -> tuple[int, int]:
    """``n`` as ``m * 10**k`` with m not divisible by 10: ``(m, k)``."""
    zeros = 0
    while n and n % 10 == 0:
        n //= 10
        zeros += 1
    return n, zeros


@functools.lru_cache(maxsize=4096)
def _math(expr: sympy.Basic) -> str:
    long = {}
    for r in expr.atoms(sympy.Rational):
        if (shown := _power_of_ten(r)) is not None:
            long[r] = sympy.Symbol(shown) if r > 0 else -sympy.Symbol(shown)
    if long:
        expr = expr.xreplace(long)
    return math_text(sympy.sstr(expr))


_EXPONENT = re.compile(r"\*\*(?:\((-?\d+)\)|(\d+))")
_SQRT = re.compile(r"sqrt\((\w+|π)\)")
_NUMBER_TIMES = re.compile(r"(?<![\w.√^])(\d+(?:/\d+)?|π)\*(?=[a-zπ√(])")
_PI_TIMES = re.compile(r"(?<=π)\*(?=[a-z]\b)")


def math_text(text: str) -> str:
    """SymPy's one-line syntax in a text as Unicode mathematics (``2*pi*n`` -> ``2πn``).

    Examples:
        >>> math_text("x**2 + x**(-2) + 2*pi*n + sqrt(2)*x**(1/3) -> oo")
        'x² + x⁻² + 2πn + √2·x^(1/3) -> ∞'
    """
    text = infinities(text)
    text = re.sub(r"(?<![\w.])pi(?![\w(])", "π", text)
    text = re.sub(r"(?<![\w.])E(?![\w(])", "e", text)
    text = _EXPONENT.sub(lambda m: _superscript(int(m[1] or m[2])), text)
    text = text.replace("**", "^")
    text = _SQRT.sub(r"√\1", text)
    text = _NUMBER_TIMES.sub(r"\1", text)
    text = _PI_TIMES.sub("", text)
    return text.replace("*", "·")


SOURCE_CHARS = 120
"""A source longer than this is shown cut (a 1,000-piece Piecewise is the source of
each of its 1,000 boundaries); the JSON keeps it whole."""


def sources(exprs: tuple[sympy.Basic, ...]) -> str:
    """Comma-separated sources, each cut to :data:`SOURCE_CHARS` characters.

    Examples:
        >>> import sympy
        >>> x = sympy.Symbol("x")
        >>> sources((sympy.Abs(x),)), len(sources((sympy.Add(*(x**k for k in range(99))),)))
        ('Abs(x)', 121)
    """
    return ", ".join(_cut(e) for e in outermost(exprs))


def outermost(exprs: tuple[sympy.Basic, ...]) -> tuple[sympy.Basic, ...]:
    """The sources that are not inside another one: ``sqrt(Abs(x - 1))`` and
    ``Abs(x - 1)`` are shown as the first only (the reader sees the second in it).

    Examples:
        >>> import sympy
        >>> x = sympy.Symbol("x")
        >>> outermost((sympy.sqrt(sympy.Abs(x - 1)), sympy.Abs(x - 1), sympy.Max(0, x)))
        (sqrt(Abs(x - 1)), Max(0, x))
    """
    if len(exprs) > 20:  # a long list is cut anyway; has() over it would be quadratic
        return exprs
    return tuple(e for e in exprs if not any(o != e and o.has(e) for o in exprs))


@functools.lru_cache(maxsize=1024)
def _cut(e: sympy.Basic) -> str:
    text = value(e)
    return text if len(text) <= SOURCE_CHARS else text[:SOURCE_CHARS] + "…"


def values(exprs: tuple[sympy.Basic, ...] | list[sympy.Basic]) -> str:
    """Comma-separated values.

    Examples:
        >>> import sympy
        >>> values([sympy.Integer(-1), sympy.Integer(0)])
        '-1, 0'
    """
    return ", ".join(value(e) for e in exprs)


def smoothness(code: str) -> str:
    """A smoothness class with its meaning: ``C⁰ (continuous; f′ does not exist)``.

    Examples:
        >>> smoothness("C^0"), smoothness("D^1")
        ('C⁰ (continuous, not differentiable)', 'D¹ (differentiable once; f′ is not continuous)')
        >>> smoothness("at least C^2")
        'at least C² (f, f′ and f′′ are continuous)'
    """
    match = re.fullmatch(r"(at least )?([CD])\^(\d+|oo)", code)
    if match is None:
        return code
    prefix, letter, k = match[1] or "", match[2], match[3]
    shown = f"{prefix}{letter}{'^∞' if k == 'oo' else _superscript(int(k))}"
    if k == "oo":
        return f"{prefix}C^∞ (every derivative exists)"
    order = int(k)
    if letter == "C":
        if order == 0 and not prefix:
            return f"{shown} (continuous, not differentiable)"
        marks = ["f", *(("f" + "′" * j) if j < 4 else f"f^({j})" for j in range(1, order + 1))]
        listed = ", ".join(marks[:-1]) + f" and {marks[-1]}" if len(marks) > 1 else marks[0]
        return f"{shown} ({listed} are continuous)"
    times = {1: "once", 2: "twice"}.get(order, f"{order} times")
    mark = "f" + "′" * order if order < 4 else f"f^({order})"
    return f"{shown} (differentiable {times}; {mark} is not continuous)"


def details(expression: sympy.Expr, variable: sympy.Symbol, domain: sympy.Set) -> list[str]:
    """The lines under f(x) in every report: the window and the real parameters."""
    x = value(variable)
    out = []
    if domain != S.Reals:
        out.append(f"{x} ∈ {set_(domain)}")
    parameters = sorted(expression.free_symbols - {variable}, key=str)
    if parameters:
        out.append(f"real parameters {values(parameters)}")
    return out


def set_(s: sympy.Set | None) -> str:
    """A set in the usual notation, on one line; ``—`` for ``None``.

    Examples:
        >>> import sympy
        >>> from sympy import S, FiniteSet, Interval, Complement, Union
        >>> set_(Complement(S.Reals, FiniteSet(0), evaluate=False))
        'ℝ \\\\ {0}'
        >>> set_(Union(Interval(-10, 0, right_open=True), Interval.Lopen(2, sympy.oo)))
        '[-10, 0) ∪ (2, ∞)'
        >>> set_(Union(Interval.open(-sympy.oo, 1), Interval.open(1, sympy.oo)))
        'ℝ \\\\ {1}'
        >>> set_(Union(Interval.Ropen(-1, 0), Interval.open(0, 1), Interval.Lopen(1, 2)))
        '[-1, 2] \\\\ {0, 1}'
        >>> n = sympy.Symbol("n", integer=True)
        >>> set_(sympy.ImageSet(sympy.Lambda(n, n * sympy.pi), S.Integers))
        '{nπ | n ∈ ℤ}'
    """
    if s is None:
        return MISSING
    return _set(s, nested=False)


def _set(s: sympy.Set, *, nested: bool) -> str:
    named = _NAMED_SETS.get(s)
    if named is not None:
        return named
    if isinstance(s, sympy.Interval):
        return _interval(s)
    if isinstance(s, sympy.FiniteSet):
        return "{" + values(_sorted(s.args)) + "}"
    if isinstance(s, sympy.Union):
        finite = [a for a in s.args if isinstance(a, sympy.FiniteSet)]
        if len(finite) > 1:  # the union of {-2} and {-2, -1} is {-2, -1}
            merged = sympy.FiniteSet(*(e for a in finite for e in a.args))
            rest = [a for a in s.args if not isinstance(a, sympy.FiniteSet)]
            if not rest:
                return _set(merged, nested=nested)
            s = sympy.Union(*rest, merged, evaluate=False)
        punctured = _punctured(s)
        if punctured is not None:
            hull, holes = punctured
            return _wrap(f"{_set(hull, nested=True)} \\ {_set(holes, nested=True)}", nested)
        # dict.fromkeys: the same family from two sources (its dummy n differs) once
        parts = list(dict.fromkeys(_set(a, nested=True) for a in s.args))
        return parts[0] if len(parts) == 1 else _wrap(" ∪ ".join(parts), nested)
    if isinstance(s, sympy.Intersection):
        return _wrap(" ∩ ".join(_set(a, nested=True) for a in s.args), nested)
    if isinstance(s, sympy.Complement):
        whole, removed = s.args
        return _wrap(f"{_set(whole, nested=True)} \\ {_set(removed, nested=True)}", nested)
    if isinstance(s, sympy.ImageSet) and len(s.lamda.variables) == 1:
        [var] = s.lamda.variables
        name = sympy.Symbol(var.name.lstrip("_") or "n")
        body = s.lamda.expr.subs(var, name)
        base = _set(s.base_sets[0], nested=True) if len(s.base_sets) == 1 else "…"
        shown = re.sub(rf"π{name}\b", f"{name}π", value(body))  # 2nπ, as written by hand
        return f"{{{shown} | {name} ∈ {base}}}"
    if isinstance(s, sympy.ConditionSet):
        condition = s.condition
        shown = (f"{value(condition.lhs)} = {value(condition.rhs)}"
                 if isinstance(condition, sympy.Eq) else value(condition))
        return f"{{{value(s.sym)} ∈ {_set(s.base_set, nested=True)} | {shown}}}"
    return infinities(sympy.sstr(s))


def _interval(s: sympy.Interval) -> str:
    left = "(" if s.left_open or s.start.is_infinite else "["
    right = ")" if s.right_open or s.end.is_infinite else "]"
    return f"{left}{value(s.start)}, {value(s.end)}{right}"


def _punctured(s: sympy.Union) -> tuple[sympy.Set, sympy.FiniteSet] | None:
    """``(I, F)`` when ``s`` is an interval I with finitely many points F removed.

    SymPy evaluates ``Complement(Reals, {0})`` to ``(-oo, 0) ∪ (0, oo)``; a
    reader wants it back as ``ℝ \\ {0}``.
    """
    if not all(isinstance(a, sympy.Interval) for a in s.args):
        return None
    if not all(e.is_number for a in s.args for e in (a.start, a.end)):
        return None
    lo, hi = s.inf, s.sup
    hull = sympy.Interval(lo, hi, s.contains(lo) is not S.true, s.contains(hi) is not S.true)
    holes = hull - s
    if not isinstance(holes, sympy.FiniteSet) or not holes:
        return None
    return hull, holes


def _sorted(items: tuple[sympy.Basic, ...]) -> list[sympy.Basic]:
    try:
        return sorted(items, key=lambda e: float(e))
    except (TypeError, ValueError):
        return list(items)


def _wrap(text: str, nested: bool) -> str:
    return f"({text})" if nested else text


_OPS = {sympy.StrictLessThan: "<", sympy.LessThan: "≤", sympy.StrictGreaterThan: ">",
        sympy.GreaterThan: "≥", sympy.Eq: "=", sympy.Ne: "≠"}
_FLIP = {"<": ">", "≤": "≥", ">": "<", "≥": "≤", "=": "=", "≠": "≠"}


def condition(c: sympy.Basic) -> str:
    """A condition on the parameters as a person writes it (``0 < p ≤ 1``, ``a ≠ 0``).

    Examples:
        >>> p, a = sympy.symbols("p a", real=True)
        >>> condition(sympy.And(p > 0, p <= 1)), condition(sympy.Ne(a, 0))
        ('0 < p ≤ 1', 'a ≠ 0')
        >>> condition(sympy.Or(sympy.Eq(p, 0), p > 1))
        'p = 0 or p > 1'
    """
    if c is S.true:
        return "always"
    if isinstance(c, sympy.Or):
        return " or ".join(_conjunction(a, nested=True) for a in c.args)
    return _conjunction(c, nested=False)


def _conjunction(c: sympy.Basic, *, nested: bool) -> str:
    if isinstance(c, sympy.And):
        rels = [r for r in c.args if type(r) in _OPS]
        if len(rels) == 2 and len(c.args) == 2:
            chained = _chain(rels[0], rels[1])
            if chained is not None:
                return chained
        text = " and ".join(_relation(a) for a in c.args)
        return f"({text})" if nested else text
    return _relation(c)


def _oriented(r: sympy.Basic) -> tuple[str, sympy.Basic, sympy.Basic]:
    """``(op, symbol side, other side)`` with the symbol on the left when one side is a number."""
    op, lhs, rhs = _OPS[type(r)], r.lhs, r.rhs
    if lhs.is_number and not rhs.is_number:
        return _FLIP[op], rhs, lhs
    return op, lhs, rhs


def _chain(first: sympy.Basic, second: sympy.Basic) -> str | None:
    op1, s1, v1 = _oriented(first)
    op2, s2, v2 = _oriented(second)
    if s1 != s2 or not (v1.is_number and v2.is_number) or op1 in "=≠" or op2 in "=≠":
        return None
    lower = [(op, v) for op, v in ((op1, v1), (op2, v2)) if op in ">≥"]
    upper = [(op, v) for op, v in ((op1, v1), (op2, v2)) if op in "<≤"]
    if len(lower) != 1 or len(upper) != 1:
        return None
    (lo_op, lo), (hi_op, hi) = lower[0], upper[0]
    return f"{value(lo)} {_FLIP[lo_op]} {value(s1)} {hi_op} {value(hi)}"


def _relation(r: sympy.Basic) -> str:
    if type(r) in _OPS:
        op, lhs, rhs = _oriented(r)
        return f"{value(lhs)} {op} {value(rhs)}"
    if isinstance(r, sympy.Not):
        return f"not ({condition(r.args[0])})"
    if isinstance(r, sympy.Or):
        return f"({condition(r)})"
    if isinstance(r, sympy.And):
        return _conjunction(r, nested=True)
    return value(r)


# --- the summary line, one logic for every renderer ---------------------------------------

def summary_parts(analysis: Analysis, *, set_: Callable[[sympy.Set], str] = set_,
                  points: Callable[[tuple[sympy.Expr, ...]], str] = values,
                  undecided: Callable[[tuple[sympy.Expr, ...]], str] | None = None,
                  condition: Callable[[sympy.Basic], str] = condition) -> list[str]:
    """The summary as phrases: where f is differentiable, where certainly not, what is
    undecided.  Every renderer joins these (with "; "), so none claims more than another:
    with anything undecided the set is "at least" what was shown.

    ``set_``, ``points`` and ``condition`` write a set, some points and a relation on
    the parameters in the renderer's notation; ``undecided`` writes the undecided points
    (by default like ``points``).

    Examples:
        >>> from diffcheck import analyze
        >>> summary_parts(analyze("Abs(x - 1)"))
        ['differentiable on ℝ \\\\ {1}']
    """
    undecided = undecided or points
    if analysis.differentiable_on_cases:
        return ["differentiable " + "; ".join(
            (f"on {set_(c.set)}" if c.set is not None else "not decided")
            + f" when {condition(c.condition)}" for c in analysis.differentiable_on_cases)]
    if analysis.differentiable_everywhere:
        return [f"differentiable everywhere on {set_(analysis.domain)}"]
    parts: list[str] = []
    shown = analysis.differentiable_on
    if shown is not None:
        # With something undecided the set is what was shown, not all there is.
        open_ = bool(analysis.unknown_points) or any(
            c.differentiable is None for c in analysis.candidate_sets)
        if open_ and shown.is_empty:
            parts.append("differentiable on no interval that was decided")
        else:
            parts.append(f"differentiable {'at least ' if open_ else ''}on {set_(shown)}")
    else:
        # Without the set, say at least where f is certainly not differentiable.
        if analysis.nondifferentiable_points:
            parts.append(f"not differentiable at {points(analysis.nondifferentiable_points)}")
        parts += [f"not differentiable on {set_(c.set)}"
                  for c in analysis.candidate_sets if c.differentiable is False]
    if analysis.unknown_points:
        parts.append(f"not decided at {undecided(analysis.unknown_points)} (see reasons)")
    sets = [set_(c.set) for c in analysis.candidate_sets if c.differentiable is None]
    if sets:
        parts.append(f"not decided on {', '.join(sets)} (see candidate sets)")
    return parts or ["not decided (see notes)"]
