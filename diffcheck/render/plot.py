"""Analysis -> a matplotlib figure: the function, its points, and its derivative.

The top panel draws f over a window around its points (or the analysed domain
when it is bounded), with each point marked in the colour of its kind:

- a closed dot at (a, f(a)) when f(a) exists;
- open dots at the one-sided limits f(a−), f(a+) when they are finite and differ
  from f(a) (jumps, removable points): the usual picture of a discontinuity;
- one-sided tangent rays at points where f is continuous but not
  differentiable, with the slopes of the one-sided derivatives (so ReLU at 0
  shows the slopes 0 and 1 meeting; an infinite slope is a vertical ray, up or
  down as the difference quotient says);
- a dashed vertical line at a point where a one-sided limit of f is infinite.

The bottom panel draws the derivative formula of the analysis, valid away
from the points, with its gaps: open dots at finite one-sided derivatives and a
dotted vertical line at every point where f is not differentiable.

The curves are evaluated numerically (NumPy through ``lambdify``, falling back
to mpmath point by point for functions NumPy lacks, such as ``erf``).  The
sample grid is split at every point, so a jump is never bridged by a line, and
NaN (outside the domain, a complex value) breaks the line.  The pictures are a
reading aid: every verdict and every marked value comes from the exact
analysis, never from the samples.

matplotlib is an optional dependency (``pip install "diffcheck-analyzer[plot]"``)
imported only inside the functions here.  Figures are built with
``matplotlib.figure.Figure`` and not pyplot, so drawing needs no display and
leaves a notebook's backend alone; :func:`save` also forces the Agg backend.
"""

# The labels are mathematics: the prime and minus signs are meant.
# ruff: noqa: RUF001, RUF002, RUF003

from __future__ import annotations

import itertools
import math
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import sympy

from diffcheck.errors import InputError
from diffcheck.model.report import Analysis, Kind, PointReport
from diffcheck.render import text as _format

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FORMATS = ("png", "svg")
"""File formats :func:`save` writes, chosen by the file's extension."""
INSTALL_HINT = 'pip install "diffcheck-analyzer[plot]"'
"""What to run when matplotlib is missing."""
FIGSIZE = (7.0, 6.0)
"""Inches; with DPI the PNG is 700 x 600 pixels."""
DPI = 100
SAMPLES = 1200
"""Sample points over the whole window, shared among the pieces between points."""
MIN_PIECE_SAMPLES = 40
RAY = 0.12
"""Length of a tangent ray as a fraction of the axes' diagonal."""
NEAR = 0.05
"""Samples this close to a blow-up (as a fraction of the window) do not set the y-range."""

KIND_COLOURS: dict[Kind, str] = {
    Kind.DIFFERENTIABLE: "tab:green",
    Kind.CORNER: "tab:orange",
    Kind.CUSP: "tab:brown",
    Kind.VERTICAL_TANGENT: "tab:purple",
    Kind.ENDPOINT: "tab:olive",
    Kind.JUMP: "tab:red",
    Kind.REMOVABLE: "tab:pink",
    Kind.INFINITE: "darkred",
    Kind.OSCILLATING: "tab:cyan",
    Kind.UNDEFINED: "tab:gray",
    Kind.UNKNOWN: "magenta",
}
"""One colour per kind (the legend names them)."""
CURVE_COLOUR = "tab:blue"

# The artists carry these gids, so that tests and notebooks can find them again.
GID_CURVE = "diffcheck-curve"
GID_CLOSED = "diffcheck-closed"  # closed dots: f(a), or f'(a) below
GID_OPEN = "diffcheck-open"  # open dots: one-sided limits of f, or one-sided derivatives below
GID_RAY_LEFT = "diffcheck-ray-left"
GID_RAY_RIGHT = "diffcheck-ray-right"
GID_ASYMPTOTE = "diffcheck-asymptote"
GID_GAP = "diffcheck-gap"  # a point with nothing to draw, or a gap of f'

_CONTINUOUS_KINDS = (Kind.CORNER, Kind.CUSP, Kind.VERTICAL_TANGENT, Kind.ENDPOINT)
_DEFAULT_WINDOW = (-5.0, 5.0)
_TITLE_CHARS = 70


def plot(analysis: Analysis, ax: Axes | Sequence[Axes] | None = None) -> Figure:
    """Draw f with its points and, below it, f′ with its gaps.

    Args:
        analysis: the result of :func:`diffcheck.analyze`.
        ax: where to draw: ``None`` for a new figure with two panels (f above,
            f′ below), one Axes for f alone, or two Axes for f and f′.

    Returns:
        The matplotlib Figure drawn on (``fig.axes`` holds the panels).

    Raises:
        InputError: the function has free parameters besides the variable, so
            it has no graph to draw.
        ModuleNotFoundError: matplotlib is not installed.

    Examples:
        >>> import pytest; _ = pytest.importorskip("matplotlib")  # the optional extra
        >>> from diffcheck import analyze
        >>> fig = plot(analyze("Max(0, x)"))
        >>> [a.get_ylabel() for a in fig.axes]
        ['f(x)', 'f′(x)']
    """
    try:
        import matplotlib.axes
        from matplotlib.figure import Figure
    except ModuleNotFoundError as e:
        raise ModuleNotFoundError(f"plots need matplotlib: {INSTALL_HINT}",
                                  name="matplotlib") from e

    x = analysis.variable
    parameters = analysis.expression.free_symbols - {x}
    if parameters:
        names = ", ".join(sorted(str(p) for p in parameters))
        raise InputError(f"cannot plot {_format.value(analysis.expression)}: it depends on "
                         f"the parameter(s) {names}; give them values first")
    if ax is None:
        fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
        panels: tuple[Axes, ...] = (top, bottom)
    elif isinstance(ax, matplotlib.axes.Axes):
        panels = (ax,)
    else:  # a sequence or an array of Axes, as Figure.subplots returns
        panels = tuple(ax)
        if len(panels) not in (1, 2):
            raise InputError(f"plot needs one or two Axes, not {len(panels)}")
    figure = panels[0].get_figure()
    assert figure is not None

    window = _window(analysis)
    points = [(float(p.at), p) for p in analysis.points if _finite(p.at)]
    points += [(float(p.at), p) for family in analysis.candidate_sets for p in family.samples
               if _finite(p.at)]
    points = sorted({a: (a, p) for a, p in points if window[0] <= a <= window[1]}.values(),
                    key=lambda item: item[0])
    _draw_function(panels[0], analysis, window, points)
    if len(panels) == 2:
        _draw_derivative(panels[1], analysis, window, points)
    return figure  # type: ignore[return-value]


def save(analysis: Analysis, path: str | Path) -> Path:
    """Write the plot of ``analysis`` to ``path``, PNG or SVG by its extension.

    Args:
        analysis: the result of :func:`diffcheck.analyze`.
        path: the file to write; its extension (``.png``, ``.svg``) picks the format.

    Returns:
        The path written.

    Raises:
        InputError: the extension is not one of :data:`FORMATS`, the function
            cannot be plotted, or the file cannot be written.
        ModuleNotFoundError: matplotlib is not installed.
    """
    return save_figure(lambda: plot(analysis), path)


def save_figure(draw: Callable[[], Figure], path: str | Path) -> Path:
    """Check ``path``, draw the figure headless and write it (PNG or SVG by extension)."""
    path = Path(path)
    check_path(path)
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        # Headless: a file, never a window.  A session already using pyplot (a
        # notebook) keeps its backend; the figure here does not go through pyplot.
        matplotlib.use("Agg")
    fig = draw()
    try:
        fig.savefig(path, format=path.suffix[1:].lower())
    except OSError as e:
        raise InputError(f"cannot write the plot to {str(path)!r}: {e.strerror or e}") from None
    return path


def check_path(path: str | Path) -> None:
    """Refuse a file name whose extension is not a format :func:`save` writes.

    Examples:
        >>> check_path("relu.svg")
        >>> check_path("relu.jpg")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        diffcheck.errors.InputError: cannot plot to 'relu.jpg': the file name must end in ...
    """
    suffix = Path(path).suffix[1:].lower()
    if suffix not in FORMATS:
        allowed = " or ".join(f".{f}" for f in FORMATS)
        raise InputError(f"cannot plot to {str(path)!r}: the file name must end in {allowed}")


# --- the window ----------------------------------------------------------------------


def _finite(value: sympy.Expr | None) -> bool:
    return value is not None and bool(value.is_number) and bool(value.is_finite) and \
        value.is_extended_real is not False and math.isfinite(_float(value))


def _float(value: sympy.Expr) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _window(analysis: Analysis) -> tuple[float, float]:
    """The x-range: a bounded domain as it is, else the points with a margin.

    The margin is a quarter of the points' span and at least 2, so a single
    point a gets [a − 2, a + 2] and the curve on both sides is seen.
    """
    domain = analysis.domain
    lo_d = _float(domain.inf) if domain.inf.is_finite else -math.inf
    hi_d = _float(domain.sup) if domain.sup.is_finite else math.inf
    if math.isfinite(lo_d) and math.isfinite(hi_d) and lo_d < hi_d:
        return lo_d, hi_d
    at = [_float(p.at) for p in analysis.points if _finite(p.at)]
    at += [_float(p.at) for c in analysis.candidate_sets for p in c.samples if _finite(p.at)]
    at = [a for a in at if lo_d <= a <= hi_d]
    if at:
        margin = max((max(at) - min(at)) / 4, 2.0)
        if analysis.candidate_sets:
            # Beyond the sampled members of an infinite family lie members nobody
            # analysed (tan's next pole): stop half a gap past the outermost point.
            ordered = sorted(set(at))
            gaps = [b - a for a, b in itertools.pairwise(ordered)]
            margin = min(margin, min(gaps, default=1.0) / 2)
        lo, hi = min(at) - margin, max(at) + margin
    else:
        lo, hi = _DEFAULT_WINDOW
    lo, hi = max(lo, lo_d), min(hi, hi_d)
    if not lo < hi:  # a half-line domain beyond the default window
        lo, hi = (lo_d, lo_d + 10) if math.isfinite(lo_d) else (hi_d - 10, hi_d)
    return lo, hi


def _xlim(window: tuple[float, float], cuts: Sequence[float]) -> tuple[float, float]:
    """The window, widened a little on a side whose edge is a point, so its dots show whole."""
    lo, hi = window
    pad = (hi - lo) * 0.03
    near = (hi - lo) * 0.01
    return (lo - pad if any(abs(c - lo) <= near for c in cuts) else lo,
            hi + pad if any(abs(c - hi) <= near for c in cuts) else hi)


# --- numbers -------------------------------------------------------------------------


def _numeric(expr: sympy.Expr, x: sympy.Symbol) -> Callable[[np.ndarray], np.ndarray]:
    """A vectorised float version of ``expr``; NaN where it is undefined or not real.

    NumPy's lambdify handles Piecewise (``select``, NaN where no piece holds),
    floor, Heaviside (H(0) = 1/2, as SymPy) and the real roots
    sign(u)*|u|**(p/q) as they are.  Functions NumPy lacks go through mpmath,
    one sample at a time.
    """
    import numpy as np

    def through_numpy(t: np.ndarray) -> np.ndarray:
        g = sympy.lambdify(x, expr, "numpy")
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = np.asarray(g(t))
        if np.iscomplexobj(y):
            y = np.where(np.abs(y.imag) <= 1e-12 * (1 + np.abs(y.real)), y.real, np.nan)
        return np.broadcast_to(y.astype(float), t.shape).copy()

    def through_mpmath(t: np.ndarray) -> np.ndarray:
        g = sympy.lambdify(x, expr, "mpmath")
        out = np.full(t.shape, np.nan)
        for i, ti in enumerate(t):
            try:
                v = complex(g(float(ti)))
            except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                continue  # undefined here: NaN breaks the line
            if abs(v.imag) <= 1e-12 * (1 + abs(v.real)):
                out[i] = v.real
        return out

    def evaluate(t: np.ndarray) -> np.ndarray:
        try:
            return through_numpy(t)
        except (TypeError, NameError, ValueError, AttributeError, ZeroDivisionError):
            # A function NumPy does not vectorise (erf through math, ...).
            return through_mpmath(t)

    return evaluate


def _pieces(window: tuple[float, float], cuts: Sequence[float]) -> list[np.ndarray]:
    """Sample grids on the open pieces between consecutive cuts: no line crosses a point."""
    import numpy as np

    lo, hi = window
    cutset = set(cuts)
    edges = [lo, *sorted(c for c in cutset if lo < c < hi), hi]
    # Stop just short of each cut so each side's curve reaches its one-sided limit.
    inset = (hi - lo) * 1e-6
    grids = []
    for a, b in itertools.pairwise(edges):
        n = max(MIN_PIECE_SAMPLES, int(SAMPLES * (b - a) / (hi - lo)))
        start = a + inset if a in cutset or a > lo else a
        stop = b - inset if b in cutset or b < hi else b
        grids.append(np.linspace(start, stop, n))
    return grids


def _y_range(xs: Sequence[np.ndarray], ys: Sequence[np.ndarray], extra: Sequence[float],
             blowups: Sequence[float], width: float) -> tuple[float, float]:
    """The y-range: every finite sample but those next to a blow-up, and every marked value."""
    import numpy as np

    values = [v for v in extra if math.isfinite(v)]
    # Leave out a neighbourhood of each blow-up, narrower where poles are close together.
    radius = {b: min([NEAR * width, *(abs(b - c) / 8 for c in blowups if c != b)])
              for b in blowups}
    kept = []
    for t, y in zip(xs, ys, strict=True):
        keep = np.isfinite(y)
        for b, r in radius.items():
            keep &= np.abs(t - b) > r
        kept.append(y[keep])
    samples = np.concatenate(kept) if kept else np.array([])
    if samples.size:
        # Next to a blow-up even the samples left in can grow fast (exp(1/x) near 0+):
        # there the central 90% of them sets the range, else all of them.
        cut = (5, 95) if blowups else (0, 100)
        values += [float(v) for v in np.percentile(samples, cut)]
    if not values:
        return -1.0, 1.0
    lo, hi = min(values), max(values)
    pad = (hi - lo) * (0.2 if blowups else 0.08) if hi > lo else max(1.0, abs(lo) * 0.5)
    return lo - pad, hi + pad


# --- the function panel --------------------------------------------------------------


def _draw_function(ax: Axes, analysis: Analysis, window: tuple[float, float],
                   points: Sequence[tuple[float, PointReport]]) -> None:
    x = analysis.variable
    cuts = [a for a, _p in points]
    f = _numeric(analysis.expression, x)
    xs = _pieces(window, cuts)
    ys = [f(t) for t in xs]
    for t, y in zip(xs, ys, strict=True):
        ax.plot(t, y, color=CURVE_COLOUR, linewidth=1.8, gid=GID_CURVE)

    marked = [_float(v) for _a, p in points
              for v in (p.value, p.left_limit, p.right_limit) if _finite(v)]
    blowups = [a for a, p in points if p.kind in (Kind.INFINITE, Kind.OSCILLATING)
               or not all(_finite(v) or v is None for v in (p.left_limit, p.right_limit))]
    width = window[1] - window[0]
    ylo, yhi = _y_range(xs, ys, marked, blowups, width)
    ax.set_xlim(*_xlim(window, cuts))
    ax.set_ylim(ylo, yhi)

    closed: dict[Kind, list[tuple[float, float]]] = {}
    opened: dict[Kind, list[tuple[float, float]]] = {}
    for a, p in points:
        colour = KIND_COLOURS[p.kind]
        drawn = False
        if _finite(p.value):
            closed.setdefault(p.kind, []).append((a, _float(p.value)))
            drawn = True
        for limit in dict.fromkeys((p.left_limit, p.right_limit)):
            if _finite(limit) and limit != p.value:
                opened.setdefault(p.kind, []).append((a, _float(limit)))
                drawn = True
        infinite = any(v is not None and v.is_infinite for v in (p.left_limit, p.right_limit))
        if infinite:
            ax.axvline(a, color=colour, linestyle="--", linewidth=1.2, gid=GID_ASYMPTOTE)
        elif not drawn:
            ax.axvline(a, color=colour, linestyle=":", linewidth=1.2, gid=GID_GAP)
        if p.kind in _CONTINUOUS_KINDS and _finite(p.value):
            _rays(ax, a, _float(p.value), p, colour, window, (ylo, yhi))

    _dots(ax, closed, opened)
    ax.set_ylabel(f"f({_format.value(analysis.variable)})")
    ax.set_title(_title(analysis), fontsize=11)
    ax.grid(alpha=0.3)
    ax.axhline(0, color="black", linewidth=0.6, alpha=0.5)
    _legend(ax, [p.kind for _a, p in points], points)


def _rays(ax: Axes, a: float, fa: float, p: PointReport, colour: str,
          window: tuple[float, float], ylim: tuple[float, float]) -> None:
    """One-sided tangent rays from (a, f(a)) with the slopes f′(a−) (to the left) and f′(a+).

    The length is fixed on screen (a fraction of the axes' diagonal), whatever
    the slope.  An infinite slope is a vertical ray: f′(a+) = +∞ means f rises
    to the right, so the right ray points up; f′(a−) = +∞ means f lies below
    f(a) to the left (the quotient's numerator and h are both negative), so
    the left ray points down.
    """
    xspan, yspan = window[1] - window[0], ylim[1] - ylim[0]
    for side, slope, gid in ((-1, p.left_derivative, GID_RAY_LEFT),
                             (1, p.right_derivative, GID_RAY_RIGHT)):
        if slope is None or slope is sympy.nan or not slope.is_extended_real:
            continue
        if slope.is_infinite:
            up = 1 if (slope > 0) == (side > 0) else -1
            end = (a, fa + up * RAY * yspan)
        else:
            m = _float(slope)
            t = RAY / math.hypot(1 / xspan, m / yspan)
            end = (a + side * t, fa + side * m * t)
        ax.plot([a, end[0]], [fa, end[1]], color=colour, linewidth=2.2, linestyle="-",
                solid_capstyle="round", gid=gid, zorder=4)


def _dots(ax: Axes, closed: dict[Kind, list[tuple[float, float]]],
          opened: dict[Kind, list[tuple[float, float]]]) -> None:
    for kind, xy in closed.items():
        xs, ys = zip(*xy, strict=True)
        ax.scatter(xs, ys, s=48, color=KIND_COLOURS[kind], zorder=5,
                   gid=GID_CLOSED, label="_nolegend_")
    for kind, xy in opened.items():
        xs, ys = zip(*xy, strict=True)
        ax.scatter(xs, ys, s=48, facecolors="white",
                   edgecolors=KIND_COLOURS[kind], linewidths=1.8, zorder=5, gid=GID_OPEN,
                   label="_nolegend_")


def _legend(ax: Axes, kinds: Sequence[Kind], points: Sequence[tuple[float, PointReport]]) -> None:
    from matplotlib.lines import Line2D

    handles = []
    for kind in dict.fromkeys(kinds):
        where = [_format.value(p.at) for _a, p in points if p.kind is kind]
        shown = ", ".join(where[:4]) + (", …" if len(where) > 4 else "")
        word = kind.value.replace("_", " ")
        handles.append(Line2D([], [], color=KIND_COLOURS[kind], marker="o", linestyle="",
                              label=f"{word} at {shown}"))
    # Then what the marks mean, for those present.
    present = {artist.get_gid() for artist in ax.get_children()}
    marks = (
        (GID_CLOSED, {"marker": "o", "linestyle": ""}, "f(a)"),
        (GID_OPEN, {"marker": "o", "linestyle": "", "markerfacecolor": "white"},
         "one-sided limit"),
        (GID_RAY_LEFT, {"linewidth": 2.2}, "one-sided tangents"),
        (GID_ASYMPTOTE, {"linestyle": "--"}, "vertical asymptote"),
    )
    for gid, style, label in marks:
        if gid in present:
            handles.append(Line2D([], [], color="dimgray", label=label, **style))
    if not handles:
        return
    ax.legend(handles=handles, loc="best", fontsize=9, framealpha=0.9)


def _title(analysis: Analysis) -> str:
    text = f"f({analysis.variable}) = {_format.value(analysis.expression)}"
    return text if len(text) <= _TITLE_CHARS else text[:_TITLE_CHARS - 1] + "…"


# --- the derivative panel ------------------------------------------------------------


def _draw_derivative(ax: Axes, analysis: Analysis, window: tuple[float, float],
                     points: Sequence[tuple[float, PointReport]]) -> None:
    ax.set_xlabel(str(analysis.variable))
    ax.set_ylabel(f"f′({_format.value(analysis.variable)})")
    ax.grid(alpha=0.3)
    ax.set_xlim(*_xlim(window, [a for a, _p in points]))
    if analysis.derivative is None:
        ax.text(0.5, 0.5, "no formula for f′", transform=ax.transAxes, ha="center",
                va="center", color="gray")
        return
    x = analysis.variable
    import numpy as np

    f, df = _numeric(analysis.expression, x), _numeric(analysis.derivative, x)
    xs = _pieces(window, [a for a, _p in points])
    # f′ only where f itself is defined: the formula 1/x of log(x)′ means nothing left of 0.
    ys = [np.where(np.isnan(f(t)), np.nan, df(t)) for t in xs]
    for t, y in zip(xs, ys, strict=True):
        ax.plot(t, y, color=CURVE_COLOUR, linewidth=1.5, gid=GID_CURVE)

    closed: dict[Kind, list[tuple[float, float]]] = {}
    opened: dict[Kind, list[tuple[float, float]]] = {}
    marked: list[float] = []
    blowups: list[float] = []
    for a, p in points:
        if p.differentiable is True and _finite(p.derivative):
            closed.setdefault(p.kind, []).append((a, _float(p.derivative)))
            marked.append(_float(p.derivative))
            continue
        # f′(a) does not exist (or is not known): a gap, with the finite one-sided slopes.
        ax.axvline(a, color=KIND_COLOURS[p.kind], linestyle=":", linewidth=1.2, gid=GID_GAP)
        blowups.append(a)
        if p.continuous:
            for slope in dict.fromkeys((p.left_derivative, p.right_derivative)):
                if _finite(slope):
                    opened.setdefault(p.kind, []).append((a, _float(slope)))
                    marked.append(_float(slope))
    ylo, yhi = _y_range(xs, ys, marked, blowups, window[1] - window[0])
    ax.set_ylim(ylo, yhi)
    ax.axhline(0, color="black", linewidth=0.6, alpha=0.5)
    _dots(ax, closed, opened)
