"""The limit definition in several variables: lines through p and the polar test.

* Lines.  The restriction t -> f(p + t d) is a function of one variable, and
  the one-variable analysis (:func:`diffcheck.analysis.single.evaluate_point`) gives
  its one-sided derivatives at t = 0: for d = e_i these are the one-sided
  partial derivatives, for a unit vector d the one-sided directional
  derivatives f'(p; d) (right) and -f'(p; -d) (left).  If f is differentiable
  at p with gradient g, every restriction is differentiable at 0 with
  derivative g·d: so a line on which the restriction is not differentiable, or
  has another derivative, proves that f is not (certain evidence).
* The polar test (two variables; spherical coordinates in three).  With
  v = r (cos θ, sin θ), f is
  differentiable at p with gradient g iff
  Q(r, θ) = (f(p + v) - f(p) - g·v)/r -> 0 as r -> 0+ *uniformly in θ*.
  diffcheck bounds |Q| by a function B(r) of r alone, term by term (|sin|,
  |cos| <= 1, the triangle inequality), and shows B(r) -> 0; when no such
  bound is found the verdict stays open.
"""

from __future__ import annotations

import sympy
from sympy import Piecewise, S
from sympy.logic.boolalg import BooleanFalse, BooleanTrue

from diffcheck.analysis.single import evaluate_point
from diffcheck.budget import Deadline
from diffcheck.engine.limits import Undecided, limit_of
from diffcheck.model.report import PointReport

Point = dict[sympy.Symbol, sympy.Expr]


def line_symbol(f: sympy.Expr) -> sympy.Symbol:
    """The parameter t of the lines, named apart from f's names."""
    names = {s.name for s in f.free_symbols}
    name = next(n for n in ("t", "s", "tau", "t_") if n not in names)
    return sympy.Symbol(name, real=True)


def restriction(f: sympy.Expr, point: Point, direction: tuple[sympy.Expr, ...],
                t: sympy.Symbol) -> sympy.Expr:
    """t -> f(p + t d)."""
    return f.xreplace({v: p + t * d for (v, p), d in zip(point.items(), direction, strict=True)})


def line_report(f: sympy.Expr, point: Point, direction: tuple[sympy.Expr, ...], *,
                seconds: float, deadline: Deadline) -> PointReport:
    """The one-variable verdict at t = 0 on the line t -> f(p + t d)."""
    t = line_symbol(f)
    return evaluate_point(restriction(f, point, direction, t), t, S.Zero,
                          seconds=seconds, deadline=deadline)


# --- polar coordinates ------------------------------------------------------------------


def polar_test(f: sympy.Expr, point: Point, value: sympy.Expr,
               gradient: tuple[sympy.Expr, ...] | None) -> tuple[bool | None, bool | None]:
    """(continuous, differentiable with this gradient) as far as the polar bound shows.

    ``True`` is a proof; ``None`` means no bound was found (never a disproof).
    Two or three variables.

    Examples:
        >>> x, y = sympy.symbols("x y", real=True)
        >>> r2 = x**2 + y**2
        >>> f = Piecewise((r2 * sympy.sin(1 / sympy.sqrt(r2)), sympy.Ne(r2, 0)), (0, True))
        >>> polar_test(f, {x: S.Zero, y: S.Zero}, S.Zero, (S.Zero, S.Zero))
        (True, True)
    """
    r = sympy.Dummy("r", positive=True)
    theta, phi = sympy.Dummy("theta", real=True), sympy.Dummy("phi", real=True)
    unit: tuple[sympy.Expr, ...]
    if len(point) == 2:  # polar coordinates
        unit = (sympy.cos(theta), sympy.sin(theta))
    elif len(point) == 3:  # spherical coordinates
        unit = (sympy.sin(phi) * sympy.cos(theta), sympy.sin(phi) * sympy.sin(theta),
                sympy.cos(phi))
    else:
        # XXX: four or more variables would need hyperspherical coordinates
        return None, None
    angles = (theta, phi)
    e = _resolve(f.xreplace({v: p + r * u for (v, p), u in zip(point.items(), unit,
                                                                strict=True)}))
    if e is None:
        return None, None
    change = e - value
    continuous = True if _vanishes_uniformly(change, r, angles) else None
    if gradient is None:
        return continuous, None
    quotient = change / r - sum((g * u for g, u in zip(gradient, unit, strict=True)), S.Zero)
    if _vanishes_uniformly(quotient, r, angles):
        return True, True
    return continuous, None


def _resolve(e: sympy.Expr) -> sympy.Expr | None:
    """Replace each Piecewise by the piece that holds for every r > 0 and every θ."""

    def walk(n: sympy.Basic) -> sympy.Basic:
        if not n.args:
            return n
        n = n.func(*(walk(a) for a in n.args))
        if isinstance(n, Piecewise):
            for expr, cond in n.args:
                c = cond if isinstance(cond, (BooleanTrue, BooleanFalse)) else sympy.simplify(cond)
                if c is S.true:
                    return expr
                if c is not S.false:
                    raise Undecided(f"the condition {cond} depends on the direction")
            raise Undecided("no piece applies")
        return n

    try:
        return walk(e)
    except Undecided:
        return None


def _vanishes_uniformly(q: sympy.Expr, r: sympy.Symbol, theta: tuple[sympy.Symbol, ...]) -> bool:
    """Whether a bound |q(r, θ)| <= B(r) with B(r) -> 0 as r -> 0+ is found.

    The expression is bounded as it is, and if that fails once more after
    SymPy's simplification (which cancels r**2*cos**2 + r**2*sin**2 but may
    also bring in quotients that cannot be bounded).
    """
    for form in (q, None):
        if form is None:
            form = sympy.simplify(q)
            if form == q:
                break
        b = _bound(form, r, theta)
        if b is None or b.has(*theta):
            continue
        try:
            lim = limit_of(b, r, S.Zero, 1)
        except Undecided:
            continue
        if lim == 0:
            return True
    return False


def _bound(e: sympy.Expr, r: sympy.Symbol, theta: tuple[sympy.Symbol, ...]
           ) -> sympy.Expr | None:
    """B(r) >= |e| for all small r > 0 and all angles θ, or None."""
    if e.is_number:
        return abs(e)
    if e == r:
        return r
    if isinstance(e, (sympy.sin, sympy.cos, sympy.sign, sympy.Heaviside)):
        return S.One  # of a real argument
    if isinstance(e, (sympy.Add, sympy.Max, sympy.Min)):
        parts = [_bound(a, r, theta) for a in e.args]
        return None if None in parts else sympy.Add(*parts)
    if isinstance(e, sympy.Mul):
        parts = [_bound(a, r, theta) for a in e.args]
        return None if None in parts else sympy.Mul(*parts)
    if isinstance(e, sympy.Abs):
        return _bound(e.args[0], r, theta)
    if isinstance(e, sympy.Pow):
        base, exp = e.args
        if exp.has(r, *theta) or not exp.is_real:
            return None
        if exp.is_positive:
            b = _bound(base, r, theta)
            return None if b is None else b**exp
        if not base.has(*theta) and base.is_positive:
            return e  # positive for r > 0: its own bound
        return None
    if isinstance(e, sympy.exp):
        b = _bound(e.args[0], r, theta)
        return None if b is None else sympy.exp(b)
    if not e.has(*theta) and e.is_extended_real:
        return sympy.Abs(e)
    return None
