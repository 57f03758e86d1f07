"""Plots of functions of two variables: the non-differentiable set is drawn where it is.

The image file itself is read back: the pixels at points of the set are the
set's red, the pixels at points off it are not; the curves' data are checked
against the set's equations.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("matplotlib")

import numpy as np
from matplotlib.figure import Figure
from matplotlib.image import imread

from diffcheck import analyze_multi
from diffcheck.cli import main
from diffcheck.errors import InputError
from diffcheck.render.plot import DPI
from diffcheck.render.plot_multi import FIGSIZE, GID_POINT, GID_SET, plot_multi

WIDTH, HEIGHT = int(FIGSIZE[0] * DPI), int(FIGSIZE[1] * DPI)


def red_near(image: np.ndarray, fig: Figure, ax: object, x: float, y: float) -> bool:
    """Whether a pixel within 2 pixels of the data point (x, y) is the set's pure red."""
    col, row = ax.transData.transform((x, y))  # type: ignore[attr-defined]
    row = fig.bbox.height - row
    r0, c0 = round(row), round(col)
    patch = image[max(r0 - 2, 0):r0 + 3, max(c0 - 2, 0):c0 + 3, :3]
    return bool(((patch[..., 0] > 0.85) & (patch[..., 1] < 0.25) & (patch[..., 2] < 0.25)).any())


@pytest.mark.parametrize(
    ("expr", "on", "off"),
    [
        pytest.param("Abs(x) + Abs(y)", [(0, 1.3), (0, -0.7), (1.2, 0), (-1.6, 0)],
                     [(1, 1), (-0.7, 1.3), (0.5, -0.5)], id="abs-plus-abs"),
        pytest.param("Max(x, y)", [(1, 1), (-1.2, -1.2), (0.4, 0.4)],
                     [(1, -1), (-1, 0.5), (0.5, 1.5)], id="max"),
    ],
)
def test_the_set_is_red_in_the_image_file(tmp_path: Path, expr: str,
                                          on: list[tuple[float, float]],
                                          off: list[tuple[float, float]]) -> None:
    fig = plot_multi(analyze_multi(expr, vars="x, y"))
    path = tmp_path / "plot.png"
    fig.savefig(path, format="png")
    image = imread(path)
    assert image.shape[:2] == (HEIGHT, WIDTH)
    function_panel, gradient_panel = [ax for ax in fig.axes if ax.get_xlabel() == "x"]
    for ax in (function_panel, gradient_panel):
        for x, y in on:
            assert red_near(image, fig, ax, x, y), (x, y)
        for x, y in off:
            assert not red_near(image, fig, ax, x, y), (x, y)


def test_curves_follow_the_equations() -> None:
    fig = plot_multi(analyze_multi("Max(x, y, 0)", vars="x, y", at="x=1, y=1"))
    ax = fig.axes[0]
    curves = [a for a in ax.get_lines() if a.get_gid() == GID_SET]
    assert len(curves) == 3
    for curve in curves:
        xs, ys = np.asarray(curve.get_xdata()), np.asarray(curve.get_ydata())
        keep = np.isfinite(xs) & np.isfinite(ys)
        xs, ys = xs[keep], ys[keep]
        assert xs.size > 100
        # each is one of the half-lines x = 0, y <= 0; y = 0, x <= 0; x = y >= 0
        assert (np.allclose(xs, 0) and (ys <= 1e-9).all()) or \
            (np.allclose(ys, 0) and (xs <= 1e-9).all()) or \
            (np.allclose(xs, ys) and (xs >= -1e-9).all())
    [dot] = [c for c in ax.collections if c.get_gid() == GID_POINT]
    assert [tuple(p) for p in dot.get_offsets()] == [(1.0, 1.0)]


def test_cli_plot_writes_a_png(tmp_path: Path) -> None:
    path = tmp_path / "kinks.png"
    result = CliRunner().invoke(main, ["Abs(x) + Abs(y)", "--vars", "x,y", "--plot", str(path)])
    assert result.exit_code == 0, result.output
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (WIDTH, HEIGHT)
    assert "not differentiable on the axes" in result.stdout


def test_three_variables_plot_the_line_restriction(tmp_path: Path) -> None:
    path = tmp_path / "line.svg"
    result = CliRunner().invoke(main, ["Abs(x) + Abs(y) + Abs(z)", "--vars", "x,y,z", "--line",
                                       "x=-1, y=-1, z=1; x=1, y=1, z=1", "--plot", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_api_refuses_three_variables_without_a_line() -> None:
    a = analyze_multi("x + y + z", vars="x, y, z")
    with pytest.raises(InputError, match="two variables"):
        a.plot()


def test_analysis_plot_returns_the_figure() -> None:
    fig = analyze_multi("sqrt(x**2 + y**2)", vars="x, y").plot()
    assert isinstance(fig, Figure)
    dots = [c for c in fig.axes[0].collections if c.get_gid() == GID_SET]
    assert [tuple(p) for d in dots for p in d.get_offsets()] == [(0.0, 0.0)]
