"""Plots, rendered headless: the marks sit where the analysis put them.

Every check reads the drawn data back from the matplotlib artists (dot
offsets, line data, axis limits), so a plot that merely exists does not pass.
"""

# The derivative panel is labelled with a prime.
# ruff: noqa: RUF001

from __future__ import annotations

import importlib.util
import math
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

pytest.importorskip("matplotlib")

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from diffcheck import analyze
from diffcheck.cli import main
from diffcheck.errors import InputError
from diffcheck.render.plot import (
    DPI,
    FIGSIZE,
    GID_ASYMPTOTE,
    GID_CLOSED,
    GID_CURVE,
    GID_GAP,
    GID_OPEN,
    GID_RAY_LEFT,
    GID_RAY_RIGHT,
    INSTALL_HINT,
    plot,
    save,
)

WIDTH, HEIGHT = int(FIGSIZE[0] * DPI), int(FIGSIZE[1] * DPI)


def artists(ax: Axes, gid: str) -> list[Any]:
    return [a for a in ax.get_children() if a.get_gid() == gid]


def dots(ax: Axes, gid: str) -> set[tuple[float, float]]:
    """The (x, y) of every dot with this gid, rounded so that exact values compare."""
    return {(round(float(x), 9), round(float(y), 9))
            for c in artists(ax, gid) for x, y in c.get_offsets()}


def rays(ax: Axes, gid: str) -> list[tuple[float, float, float, float]]:
    return [(*line.get_xydata()[0], *line.get_xydata()[1]) for line in artists(ax, gid)]


def slope(ray: tuple[float, float, float, float]) -> float:
    x0, y0, x1, y1 = ray
    return (y1 - y0) / (x1 - x0)


def panels(expr: str, **kwargs: Any) -> tuple[Axes, Axes]:
    fig = plot(analyze(expr, **kwargs))
    top, bottom = fig.axes
    return top, bottom


# --- marks on the function ------------------------------------------------------------


def test_relu_corner_has_rays_with_slopes_0_and_1() -> None:
    top, _ = panels("Max(0, x)")
    assert dots(top, GID_CLOSED) == {(0.0, 0.0)}
    assert dots(top, GID_OPEN) == set()
    [left], [right] = rays(top, GID_RAY_LEFT), rays(top, GID_RAY_RIGHT)
    assert left[:2] == right[:2] == (0.0, 0.0)  # both rays start at (a, f(a))
    assert left[2] < 0 < right[2]  # one goes left, the other right
    assert slope(left) == 0
    assert slope(right) == pytest.approx(1)


def test_abs_of_quadratic_has_corners_with_slopes_minus_2_and_2() -> None:
    top, _ = panels("Abs(x**2 - 1)")
    assert dots(top, GID_CLOSED) == {(-1.0, 0.0), (1.0, 0.0)}
    by_point = {ray[0]: slope(ray) for ray in rays(top, GID_RAY_LEFT)}
    assert by_point == pytest.approx({-1.0: -2.0, 1.0: -2.0})
    by_point = {ray[0]: slope(ray) for ray in rays(top, GID_RAY_RIGHT)}
    assert by_point == pytest.approx({-1.0: 2.0, 1.0: 2.0})


@pytest.mark.parametrize(
    ("expr", "left_up", "right_up"),
    [
        pytest.param("x**(1/3)", False, True, id="vertical-tangent"),
        pytest.param("x**(2/3)", True, True, id="cusp"),
        pytest.param("-x**(2/3)", False, False, id="cusp-down"),
    ],
)
def test_infinite_slopes_are_vertical_rays(expr: str, left_up: bool, right_up: bool) -> None:
    top, _ = panels(expr)
    [(x0, y0, x1, y1)] = rays(top, GID_RAY_LEFT)
    assert x0 == x1 == 0
    assert bool(y1 > y0) is left_up
    [(x0, y0, x1, y1)] = rays(top, GID_RAY_RIGHT)
    assert x0 == x1 == 0
    assert bool(y1 > y0) is right_up


def test_cube_root_is_the_real_one() -> None:
    top, _ = panels("x**(1/3)")
    for line in artists(top, GID_CURVE):
        xs, ys = line.get_xdata(), line.get_ydata()
        assert np.all(np.isfinite(ys))
        np.testing.assert_allclose(ys, np.sign(xs) * np.abs(xs) ** (1 / 3))


def test_floor_jumps_have_closed_and_open_dots_and_no_bridging_line() -> None:
    top, _ = panels("floor(x)", domain="[-2, 2]")
    assert dots(top, GID_CLOSED) == {(n, n) for n in (-2.0, -1.0, 0.0, 1.0, 2.0)}
    assert dots(top, GID_OPEN) == {(n, n - 1) for n in (-2.0, -1.0, 0.0, 1.0, 2.0)}
    curves = artists(top, GID_CURVE)
    assert len(curves) == 4  # one piece per unit interval, never joined across a jump
    for line in curves:
        xs, ys = line.get_xdata(), line.get_ydata()
        assert np.all(ys == math.floor(xs.min()))
        assert math.floor(xs.min()) == math.floor(xs.max())
    lo, hi = top.get_xlim()
    assert lo < -2
    assert hi > 2


def test_heaviside_jump_marks_its_value_between_the_limits() -> None:
    top, _ = panels("Heaviside(x)")
    assert dots(top, GID_CLOSED) == {(0.0, 0.5)}
    assert dots(top, GID_OPEN) == {(0.0, 0.0), (0.0, 1.0)}


def test_removable_point_is_an_open_dot_only() -> None:
    top, _ = panels("sin(x)/x")
    assert dots(top, GID_CLOSED) == set()
    assert dots(top, GID_OPEN) == {(0.0, 1.0)}
    assert artists(top, GID_RAY_LEFT) == artists(top, GID_RAY_RIGHT) == []


def test_pole_is_a_dashed_asymptote_and_does_not_blow_up_the_y_range() -> None:
    top, bottom = panels("1/x")
    [line] = artists(top, GID_ASYMPTOTE)
    assert list(line.get_xdata()) == [0, 0]
    assert line.get_linestyle() == "--"
    assert dots(top, GID_CLOSED) == dots(top, GID_OPEN) == set()
    lo, hi = top.get_ylim()
    assert -20 < lo < -1
    assert 1 < hi < 20
    lo, hi = bottom.get_ylim()
    assert -1000 < lo < -1


def test_outside_the_domain_nothing_is_drawn() -> None:
    top, bottom = panels("sqrt(x)")
    for ax in (top, bottom):
        for line in artists(ax, GID_CURVE):
            xs, ys = line.get_xdata(), line.get_ydata()
            assert np.all(np.isnan(ys[xs < 0]))
            assert np.all(np.isfinite(ys[xs > 0]))
    [(x0, y0, x1, y1)] = rays(top, GID_RAY_RIGHT)  # f'(0+) = oo: straight up
    assert (x0, y0) == (x1, 0) == (0, 0)
    assert y1 > 0
    assert rays(top, GID_RAY_LEFT) == []


def test_piecewise_without_a_default_is_undefined_where_no_piece_holds() -> None:
    top, _ = panels("Piecewise((x, x < 0))")
    ys = np.concatenate([line.get_ydata() for line in artists(top, GID_CURVE)])
    xs = np.concatenate([line.get_xdata() for line in artists(top, GID_CURVE)])
    assert np.all(np.isnan(ys[xs > 0]))
    np.testing.assert_allclose(ys[xs < 0], xs[xs < 0])


def test_functions_numpy_lacks_are_still_drawn() -> None:
    top, _ = panels("gelu(x)")  # erf: evaluated through mpmath
    [line] = artists(top, GID_CURVE)
    xs, ys = line.get_xdata(), line.get_ydata()
    assert np.all(np.isfinite(ys))
    assert ys[-1] == pytest.approx(xs[-1], rel=1e-3)  # gelu(x) ~ x for large x
    assert top.get_xlim() == (-5.0, 5.0)  # no points: the default window


def test_legend_names_each_kind_once_with_its_points() -> None:
    top, _ = panels("Abs(x) + floor(x)", domain="[-1, 1]")
    labels = [t.get_text() for t in top.get_legend().get_texts()]
    assert labels == ["jump at -1, 0, 1", "f(a)", "one-sided limit"]
    top, _ = panels("Abs(x - 1) + 1/x")
    labels = [t.get_text() for t in top.get_legend().get_texts()]
    assert labels == ["infinite at 0", "corner at 1", "f(a)", "one-sided tangents",
                      "vertical asymptote"]
    top, _ = panels("x**2")
    assert top.get_legend() is None


# --- the derivative panel -------------------------------------------------------------


def test_relu_derivative_has_a_gap_with_the_one_sided_slopes() -> None:
    _, bottom = panels("Max(0, x)")
    assert bottom.get_ylabel() == "f′(x)"
    assert dots(bottom, GID_OPEN) == {(0.0, 0.0), (0.0, 1.0)}
    assert dots(bottom, GID_CLOSED) == set()
    [gap] = artists(bottom, GID_GAP)
    assert list(gap.get_xdata()) == [0, 0]
    values = {float(y) for line in artists(bottom, GID_CURVE) for y in line.get_ydata()}
    assert values == {0.0, 1.0}


def test_panels_are_labelled_with_the_variable() -> None:
    top, bottom = panels("Abs(r)")
    assert (top.get_ylabel(), bottom.get_ylabel(), bottom.get_xlabel()) == ("f(r)", "f′(r)", "r")


def test_huber_is_smooth_with_closed_dots_on_its_derivative() -> None:
    top, bottom = panels("huber(x)")
    assert dots(top, GID_CLOSED) == {(-1.0, 0.5), (0.0, 0.0), (1.0, 0.5)}
    assert dots(bottom, GID_CLOSED) == {(-1.0, -1.0), (0.0, 0.0), (1.0, 1.0)}
    assert artists(bottom, GID_GAP) == []
    assert artists(top, GID_RAY_LEFT) == []


def test_derivative_is_drawn_only_where_f_is_defined() -> None:
    _, bottom = panels("log(x)")
    for line in artists(bottom, GID_CURVE):
        xs, ys = line.get_xdata(), line.get_ydata()
        assert np.all(np.isnan(ys[xs < 0]))


# --- figures, axes, files -------------------------------------------------------------


def test_one_axes_gets_the_function_only() -> None:
    fig = Figure()
    ax = fig.add_subplot()
    assert analyze("Abs(x)").plot(ax) is fig
    assert fig.axes == [ax]
    assert dots(ax, GID_CLOSED) == {(0.0, 0.0)}


def test_two_axes_get_function_and_derivative() -> None:
    fig = Figure()
    axes = fig.subplots(1, 2)
    assert analyze("Abs(x)").plot(axes) is fig
    assert dots(axes[1], GID_OPEN) == {(0.0, -1.0), (0.0, 1.0)}


def test_parameters_cannot_be_plotted() -> None:
    with pytest.raises(InputError, match="parameter"):
        plot(analyze("a*Abs(x)", var="x"))


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_png_file_has_the_expected_size(tmp_path: Path) -> None:
    path = save(analyze("Max(0, x)"), tmp_path / "relu.png")
    assert png_size(path) == (WIDTH, HEIGHT)


def test_svg_file_is_an_svg_of_the_expected_size(tmp_path: Path) -> None:
    path = save(analyze("huber(x)"), tmp_path / "huber.SVG")
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    points_per_inch = 72
    assert root.get("width") == f"{FIGSIZE[0] * points_per_inch:g}pt"
    assert root.get("height") == f"{FIGSIZE[1] * points_per_inch:g}pt"


# --- the command ----------------------------------------------------------------------


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def test_cli_writes_the_plot_and_the_report(tmp_path: Path) -> None:
    path = tmp_path / "relu.png"
    result = run("Max(0, x)", "--plot", str(path))
    assert result.exit_code == 0, result.stderr
    assert "corner" in result.stdout
    assert png_size(path) == (WIDTH, HEIGHT)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["x", "--plot", "f.jpg"], "must end in .png or .svg", id="extension"),
        pytest.param(["x", "--plot", "f"], "must end in .png or .svg", id="no-extension"),
        pytest.param(["a*x", "--var", "x", "--plot", "f.png"], "parameter", id="parameter"),
    ],
)
def test_cli_refuses_what_it_cannot_plot(tmp_path: Path, args: list[str], message: str) -> None:
    args[-1] = str(tmp_path / args[-1])
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ")
    assert message in line
    assert not (tmp_path / args[-1]).exists()


def test_cli_without_matplotlib_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "matplotlib" else real(name, *a))
    result = run("Max(0, x)", "--plot", str(tmp_path / "relu.png"))
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert INSTALL_HINT in line
    assert INSTALL_HINT == 'pip install "diffcheck-analyzer[plot]"'


def test_matplotlib_is_loaded_only_when_drawing() -> None:
    code = ("import sys, diffcheck, diffcheck.render.plot, diffcheck.cli; "
            "print('matplotlib' in sys.modules, 'numpy' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert proc.stdout.split() == ["False", "False"]


def test_without_matplotlib_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    analysis = analyze("Abs(x)")
    for name in ("matplotlib", "matplotlib.axes", "matplotlib.figure"):
        monkeypatch.setitem(sys.modules, name, None)  # import fails as if not installed
    with pytest.raises(ModuleNotFoundError, match=r"pip install \"diffcheck-analyzer\[plot\]\""):
        analysis.plot()
