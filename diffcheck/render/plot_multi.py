"""MultiAnalysis (two variables) -> a matplotlib figure: f, its non-differentiable set, ∇f.

The left panel is a filled contour map of f over a window around everything
the analysis found, with the non-differentiable set drawn over it in red (the
curves parametrised exactly where a part is a graph v = φ(u), else the zero
contour of its equation, cut to its conditions), the undecided parts dashed
in magenta, the points asked about with ``--at`` marked in the colour of their
verdict, and the ``--line`` segment.  The right panel is the norm of the
gradient (the analysis's gradient formula, valid off the set; finite
differences of the samples when there is none) with the gradient field as
arrows, and the same set drawn over it.

As for one variable (:mod:`diffcheck.render.plot`), the pictures are a
reading aid: every set and mark comes from the exact analysis, never from the
samples.  matplotlib is imported only inside the functions here.
"""

# The labels are mathematics: the nabla and the minus signs are meant.

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sympy

from diffcheck.errors import InputError
from diffcheck.model.multi import MultiAnalysis, MultiKind, SetPart
from diffcheck.render.plot import DPI, save_figure
from diffcheck.render.plot import plot as plot_one

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["SET_COLOUR", "plot_multi", "save_multi"]

FIGSIZE = (12.0, 5.0)
"""Inches; with DPI the PNG is 1200 x 500 pixels."""
GRID = 241
"""Samples per axis (odd, so that a symmetric window samples its centre)."""
SET_COLOUR = "#ff0000"
"""The non-differentiable set: pure red, a colour the colour maps do not use."""
UNDECIDED_COLOUR = "magenta"
KIND_COLOURS: dict[MultiKind, str] = {
    MultiKind.DIFFERENTIABLE: "tab:green",
    MultiKind.KINK: "tab:orange",
    MultiKind.NOT_DIFFERENTIABLE: "tab:brown",
    MultiKind.DISCONTINUOUS: "tab:red",
    MultiKind.UNDEFINED: "tab:gray",
    MultiKind.UNKNOWN: "magenta",
}

GID_SET = "diffcheck-set"  # a curve or the points of the non-differentiable set
GID_UNDECIDED = "diffcheck-undecided"
GID_POINT = "diffcheck-point"  # a point analysed with --at
GID_SEGMENT = "diffcheck-segment"
GID_FIELD = "diffcheck-field"


def plot_multi(analysis: MultiAnalysis, ax: Any = None) -> Figure:
    """Draw a function of two variables and its non-differentiable set.

    With three or more variables, the plot of the ``--line`` restriction when
    there is one.

    Args:
        analysis: the result of :func:`diffcheck.analyze_multi`.
        ax: two matplotlib ``Axes`` to draw into (f, then ∇f); a new figure otherwise.

    Returns:
        The figure.

    Raises:
        InputError: f has not two variables (and no ``--line``), or cannot be evaluated.
    """
    if len(analysis.variables) != 2:
        if analysis.line is not None:
            fig: Figure = plot_one(analysis.line.analysis)
            return fig
        raise InputError(f"a plot needs two variables (or a line= restriction); f has "
                         f"{len(analysis.variables)}")
    import numpy as np
    from matplotlib.figure import Figure

    if ax is None:
        fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
        left, right = fig.subplots(1, 2)
    else:
        left, right = ax
        fig = left.figure
    (x0, x1), (y0, y1) = _window(analysis)
    xs, ys = np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID)
    gx, gy = np.meshgrid(xs, ys)
    u, v = analysis.variables
    z = _numeric(analysis.expression, (u, v))(gx, gy)
    if not np.isfinite(z).any():
        raise InputError(f"f = {analysis.expression} has no finite value in the window")
    levels = _levels(z)
    filled = left.contourf(gx, gy, np.ma.masked_invalid(z), levels=levels, cmap="viridis",
                           extend="both")
    fig.colorbar(filled, ax=left)
    left.set_title(_title(analysis), fontsize=10)

    norm, field = _gradient(analysis, gx, gy, z)
    shown = right.contourf(gx, gy, np.ma.masked_invalid(norm), levels=_levels(norm),
                           cmap="cividis", extend="both")
    fig.colorbar(shown, ax=right)
    step = max(GRID // 16, 1)
    with np.errstate(all="ignore"):  # directions only: blow-ups would hide the rest
        unit = [np.where(norm > 0, c / norm, 0.0) for c in field]
    quiver = right.quiver(gx[::step, ::step], gy[::step, ::step], unit[0][::step, ::step],
                          unit[1][::step, ::step], color="white", alpha=0.7)
    quiver.set_gid(GID_FIELD)
    right.set_title("|∇f|, and the direction of ∇f (off the set)", fontsize=10)

    for panel in (left, right):
        for part in analysis.nondifferentiable:
            _draw_part(panel, part, (u, v), (gx, gy), SET_COLOUR, "solid", GID_SET)
        for part in analysis.undecided:
            _draw_part(panel, part, (u, v), (gx, gy), UNDECIDED_COLOUR, "dashed", GID_UNDECIDED)
        for p in analysis.points:
            xy = [_float(c) for c in p.at]
            if None not in xy:
                dot = panel.scatter([xy[0]], [xy[1]], s=60, color=KIND_COLOURS[p.kind],
                                    edgecolors="black", zorder=5, label=p.kind.value)
                dot.set_gid(GID_POINT)
        if analysis.line is not None:
            a, b = analysis.line.start, analysis.line.end
            (segment,) = panel.plot([_float(a[0]), _float(b[0])], [_float(a[1]), _float(b[1])],
                                    color="white", linestyle="dotted", linewidth=1.5)
            segment.set_gid(GID_SEGMENT)
        panel.set_xlim(x0, x1)
        panel.set_ylim(y0, y1)
        panel.set_xlabel(str(u))
        panel.set_ylabel(str(v))
        panel.set_aspect("equal", adjustable="box")
    return fig


def save_multi(analysis: MultiAnalysis, path: str | Path) -> Path:
    """Write :func:`plot_multi` to ``path`` (PNG or SVG by its extension).

    Raises:
        InputError: a bad extension, a function that cannot be drawn, or an unwritable file.
        ModuleNotFoundError: matplotlib is not installed.
    """
    return save_figure(lambda: plot_multi(analysis), path)


# --- helpers -----------------------------------------------------------------------------------


def _float(c: sympy.Expr) -> float | None:
    try:
        value = complex(sympy.N(c))
    except (TypeError, ValueError):
        return None
    return value.real if value.imag == 0 else None


def _window(analysis: MultiAnalysis) -> tuple[tuple[float, float], tuple[float, float]]:
    """A square around the origin, the points and the segment, with room to spare."""
    coordinates: list[tuple[float | None, ...]] = [tuple(_float(c) for c in p.at)
                                                   for p in analysis.points]
    for part in (*analysis.nondifferentiable, *analysis.undecided):
        if isinstance(part.set, sympy.FiniteSet):
            coordinates += [tuple(_float(c) for c in p) for p in part.set]
    if analysis.line is not None:
        coordinates += [tuple(_float(c) for c in analysis.line.start),
                        tuple(_float(c) for c in analysis.line.end)]
    xs = [p[0] for p in coordinates if p[0] is not None] + [0.0]
    ys = [p[1] for p in coordinates if p[1] is not None] + [0.0]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = max(2.0, (max(xs) - min(xs)) / 2 + 1, (max(ys) - min(ys)) / 2 + 1)
    return (cx - half, cx + half), (cy - half, cy + half)


def _numeric(expr: sympy.Expr, variables: tuple[sympy.Symbol, ...]
             ) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """expr on a grid: NumPy through lambdify, else mpmath point by point (NaN where undefined)."""
    import numpy as np

    def by_point(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
        f = sympy.lambdify(variables, expr, modules="mpmath")
        out = np.full(gx.shape, np.nan)
        for index in np.ndindex(gx.shape):
            try:
                value = complex(f(float(gx[index]), float(gy[index])))
            except (TypeError, ValueError, ZeroDivisionError, OverflowError):
                continue
            if value.imag == 0:
                out[index] = value.real
        return out

    def evaluate(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
        try:
            f = sympy.lambdify(variables, expr, modules="numpy")
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                values = np.asarray(f(gx, gy))
        except (TypeError, ValueError, NameError, ZeroDivisionError, AttributeError):
            return by_point(gx, gy)
        if values.dtype == object or np.iscomplexobj(values):
            values = np.asarray(values, dtype=complex)
            values = np.where(np.abs(values.imag) < 1e-12, values.real, np.nan)
        values = np.broadcast_to(values.astype(float), gx.shape).copy()
        values[~np.isfinite(values)] = np.nan
        return values

    return evaluate


def _levels(z: np.ndarray) -> np.ndarray:
    """Twenty levels between robust bounds of the samples (blow-ups do not flatten the map)."""
    import numpy as np

    finite = z[np.isfinite(z)]
    lo, hi = (np.percentile(finite, 1), np.percentile(finite, 99)) if finite.size else (0, 1)
    if not hi - lo > 1e-9 * max(1.0, abs(hi)):  # a constant: one band around it
        lo, hi = lo - 1, hi + 1
    levels: np.ndarray = np.linspace(lo, hi, 21)
    return levels


def _gradient(analysis: MultiAnalysis, gx: np.ndarray, gy: np.ndarray, z: np.ndarray
              ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """|∇f| and ∇f on the grid: from the gradient formula, else by finite differences."""
    import numpy as np

    parts = None
    if analysis.gradient is not None:
        parts = [_numeric(g, analysis.variables)(gx, gy) for g in analysis.gradient]
        if not all(np.isfinite(p).any() for p in parts):
            parts = None
    if parts is None:
        dy, dx = np.gradient(z, gy[:, 0], gx[0, :])
        parts = [dx, dy]
    norm = np.hypot(parts[0], parts[1])
    return norm, (parts[0], parts[1])


def _draw_part(ax: Axes, part: SetPart, variables: tuple[sympy.Symbol, sympy.Symbol],
               grid: tuple[np.ndarray, np.ndarray], colour: str, style: str, gid: str) -> None:
    """Draw one part: its points, its parametrised curve, or the cut zero contour."""
    import numpy as np

    s = part.set
    if isinstance(s, sympy.FiniteSet):
        pairs = [(_float(p[0]), _float(p[1])) for p in s if len(p) == 2]
        xy = [(a, b) for a, b in pairs if a is not None and b is not None]
        if xy:
            dots = ax.scatter([a for a, _ in xy], [b for _, b in xy], s=40, color=colour,
                              marker="o" if style == "solid" else "x", zorder=6)
            dots.set_gid(gid)
        return
    if not isinstance(s, sympy.ConditionSet):
        return
    condition = s.condition
    clauses = condition.args if isinstance(condition, sympy.And) else (condition,)
    equations = [c for c in clauses if isinstance(c, sympy.Eq)]
    rest = sympy.And(*(c for c in clauses if not isinstance(c, sympy.Eq)))
    if len(equations) != 1:
        return
    eq = equations[0]
    u, v = variables
    gx, gy = grid
    holds = _numeric_condition(rest, variables)
    if eq.lhs in variables and not eq.rhs.has(eq.lhs):
        # a graph: solved = φ(other), sampled densely along the other variable
        solved, other = (eq.lhs, v if eq.lhs == u else u)
        axis = gx[0, :] if other == u else gy[:, 0]
        ts = np.linspace(axis[0], axis[-1], 2001)
        values = _numeric(eq.rhs, (other, solved))(ts, np.zeros_like(ts))
        xs, ys = (ts, values) if other == u else (values, ts)
        keep = holds(xs, ys) & np.isfinite(values)
        xs, ys = np.where(keep, xs, np.nan), np.where(keep, ys, np.nan)
        (curve,) = ax.plot(xs, ys, color=colour, linestyle=style, linewidth=2.5, zorder=4)
        curve.set_gid(gid)
        return
    k = _numeric(eq.lhs - eq.rhs, variables)(gx, gy)
    k = np.ma.masked_where(~holds(gx, gy) | ~np.isfinite(k), k)
    contour = ax.contour(gx, gy, k, levels=[0.0], colors=[colour], linewidths=2.5,
                         linestyles=style)
    contour.set_gid(gid)


def _numeric_condition(condition: sympy.Basic, variables: tuple[sympy.Symbol, ...]
                       ) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    import numpy as np

    if condition is sympy.true:
        return lambda a, b: np.ones(np.shape(a), dtype=bool)
    f = sympy.lambdify(variables, condition, modules="numpy")

    def holds(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.broadcast_to(np.asarray(f(a, b), dtype=bool), np.shape(a))

    return holds


def _title(analysis: MultiAnalysis) -> str:
    text = f"f({', '.join(map(str, analysis.variables))}) = {sympy.sstr(analysis.expression)}"
    return text if len(text) <= 70 else text[:69] + "…"
