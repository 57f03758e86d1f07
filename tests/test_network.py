"""diffcheck net: every kink of an ONNX network along a segment, checked against independent
exact computations written here (brute force for one hidden layer, an exact Fraction
evaluator of the layers for deeper nets)."""

from __future__ import annotations

import io
import itertools
import json
import random
import sys
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from rich.console import Console

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from diffcheck.apps.network import (  # noqa: E402
    NetKind,
    NetworkAnalysis,
    analyze_network,
    evaluate_network,
    read_vector,
)
from diffcheck.cli import main  # noqa: E402
from diffcheck.errors import InputError  # noqa: E402
from diffcheck.render.network import render_network  # noqa: E402

F = Fraction
Layer = tuple[Any, ...]


# --- building models and evaluating them independently -----------------------------------


class Net:
    """A chain of layers, built as an ONNX model and evaluated exactly with Fractions."""

    def __init__(self, inputs: int, layers: Sequence[Layer], dtype: Any = np.float32) -> None:
        self.inputs, self.layers, self.dtype = inputs, list(layers), dtype

    def model(self) -> Any:
        onnx_type = TensorProto.FLOAT if self.dtype == np.float32 else TensorProto.DOUBLE
        nodes, inits = [], []
        name, width = "x", self.inputs

        def const(array: Any, label: str) -> str:
            inits.append(numpy_helper.from_array(np.asarray(array), label))
            return label

        for i, layer in enumerate(self.layers):
            out = f"h{i}"
            kind = layer[0]
            if kind == "dense":
                _, w, b = layer
                nodes.append(helper.make_node("Gemm", [name, const(w, f"W{i}"), const(b, f"b{i}")],
                                              [out], name=f"dense{i}"))
                width = w.shape[1]
            elif kind == "relu":
                nodes.append(helper.make_node("Relu", [name], [out], name=f"relu{i}"))
            elif kind == "abs":
                nodes.append(helper.make_node("Abs", [name], [out], name=f"abs{i}"))
            elif kind == "leaky":
                nodes.append(helper.make_node("LeakyRelu", [name], [out], alpha=layer[1],
                                              name=f"leaky{i}"))
            elif kind == "hardsigmoid":
                nodes.append(helper.make_node("HardSigmoid", [name], [out], alpha=layer[1],
                                              beta=layer[2], name=f"hs{i}"))
            elif kind == "prelu":
                nodes.append(helper.make_node("PRelu", [name, const(layer[1], f"s{i}")], [out],
                                              name=f"prelu{i}"))
            elif kind == "clip":
                nodes.append(helper.make_node(
                    "Clip", [name, const(np.asarray(layer[1], self.dtype), f"lo{i}"),
                             const(np.asarray(layer[2], self.dtype), f"hi{i}")], [out],
                    name=f"clip{i}"))
            elif kind == "maxpool":
                k = layer[1]
                nodes += [
                    helper.make_node("Reshape", [name, const(np.array([1, 1, width]), f"r{i}")],
                                     [f"{out}_r"]),
                    helper.make_node("MaxPool", [f"{out}_r"], [f"{out}_p"], kernel_shape=[k],
                                     strides=[k], name=f"pool{i}"),
                    helper.make_node("Flatten", [f"{out}_p"], [out]),
                ]
                width = (width - k) // k + 1
            elif kind == "maxlin":
                _, w, b = layer
                nodes += [
                    helper.make_node("Gemm", [name, const(w, f"W{i}"), const(b, f"b{i}")],
                                     [f"{out}_g"]),
                    helper.make_node("Max", [name, f"{out}_g"], [out], name=f"max{i}"),
                ]
            else:
                raise AssertionError(kind)
            name = out
        nodes.append(helper.make_node("Identity", [name], ["y"]))
        graph = helper.make_graph(
            nodes, "net", [helper.make_tensor_value_info("x", onnx_type, [1, self.inputs])],
            [helper.make_tensor_value_info("y", onnx_type, [1, width])], inits)
        return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])

    def __call__(self, x: Sequence[Fraction]) -> list[Fraction]:
        v = list(x)
        for layer in self.layers:
            kind = layer[0]
            if kind in ("dense", "maxlin"):
                w, b = exact(layer[1]), exact(layer[2])
                out = [sum((v[i] * w[i][j] for i in range(len(v))), F(0)) + b[j]
                       for j in range(len(b))]
                v = out if kind == "dense" else [max(p, q) for p, q in zip(v, out, strict=True)]
            elif kind == "relu":
                v = [max(u, F(0)) for u in v]
            elif kind == "abs":
                v = [abs(u) for u in v]
            elif kind == "leaky":
                alpha = F(float(np.float32(layer[1])))
                v = [u if u > 0 else alpha * u for u in v]
            elif kind == "hardsigmoid":
                alpha, beta = F(float(np.float32(layer[1]))), F(float(np.float32(layer[2])))
                v = [min(F(1), max(F(0), alpha * u + beta)) for u in v]
            elif kind == "prelu":
                slopes = exact(layer[1])
                v = [u if u > 0 else s * u for u, s in zip(v, slopes, strict=True)]
            elif kind == "clip":
                lo, hi = F(float(self.dtype(layer[1]))), F(float(self.dtype(layer[2])))
                v = [min(hi, max(lo, u)) for u in v]
            elif kind == "maxpool":
                k = layer[1]
                v = [max(v[i:i + k]) for i in range(0, len(v) - k + 1, k)]
        return v


def exact(array: Any) -> Any:
    return [exact(row) for row in array] if np.ndim(array) > 1 else [
        F(float(v)) for v in np.asarray(array).ravel()]


def line(net: Net, a: Sequence[Fraction], b: Sequence[Fraction]) -> Callable[[Fraction], list[F]]:
    return lambda t: net([p + t * (q - p) for p, q in zip(a, b, strict=True)])


def check_against(net: Net, a: Sequence[Any], b: Sequence[Any], analysis: NetworkAnalysis,
                  rng: random.Random) -> None:
    """Every reported piece is affine (values at its ends, middle, quarters and a random
    point agree exactly), consecutive pieces have different slopes (no extra kink), each
    reported derivative is the slope of its piece, and unreported switch points have equal
    slopes: so no kink is missed and none is invented."""
    f = line(net, [F(v) for v in a], [F(v) for v in b])
    cache: dict[Fraction, list[Fraction]] = {}

    def at(t: Fraction) -> list[Fraction]:
        if t not in cache:
            cache[t] = f(t)
        return cache[t]

    assert analysis.exact
    for report in analysis.outputs:
        k = report.output
        breaks, slopes = report.breaks, report.slopes
        assert breaks[0] == 0
        assert breaks[-1] == 1
        assert list(breaks) == sorted(set(breaks))
        assert len(slopes) == len(breaks) - 1 == report.pieces
        for i, (lo, hi) in enumerate(itertools.pairwise(breaks)):
            assert at(lo)[k] == report.values[i], (k, lo)
            slope = (at(hi)[k] - at(lo)[k]) / (hi - lo)
            assert slope == slopes[i], (k, lo, hi)
            for s in (F(1, 4), F(1, 2), F(3, 4), F(rng.randrange(1, 997), 997)):
                t = lo + s * (hi - lo)
                assert at(t)[k] == at(lo)[k] + slope * (t - lo), ("not affine", k, lo, hi, t)
        assert all(p != q for p, q in itertools.pairwise(slopes)), "an extra kink"
        kinks = {p.t: p for p in report.kinks}
        assert set(kinks) == set(breaks[1:-1])
        for i, t in enumerate(breaks[1:-1]):
            p = kinks[t]
            assert (p.left_derivative, p.right_derivative) == (slopes[i], slopes[i + 1])
            assert p.kind is NetKind.CORNER
            assert p.differentiable is False
            assert p.value == at(t)[k]
        for p in report.points:
            assert p.units, p
            if p.kind is NetKind.DIFFERENTIABLE:
                assert p.left_derivative == p.right_derivative
                assert 0 < p.t < 1
                assert p.t not in kinks


# --- one hidden layer: brute force -----------------------------------------------------------


def one_hidden(rng: np.random.Generator, n: int, m: int) -> tuple[Net, Any, Any]:
    w = rng.standard_normal((n, m)).astype(np.float32)
    b = rng.standard_normal(m).astype(np.float32)
    c = rng.standard_normal((m, 1)).astype(np.float32)
    net = Net(n, [("dense", w, b), ("relu",), ("dense", c, np.zeros(1, np.float32))])
    return net, exact(w), (exact(b), [row[0] for row in exact(c)])


@pytest.mark.parametrize("seed", range(6))
def test_one_hidden_layer_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = 3, 12
    net, w, (b, c) = one_hidden(rng, n, m)
    a = [F(float(v)) for v in rng.standard_normal(n)]
    z = [F(float(v)) for v in rng.standard_normal(n)]
    d = [q - p for p, q in zip(a, z, strict=True)]
    expected: dict[Fraction, Fraction] = {}  # kink t -> jump of the slope there
    for j in range(m):
        slope = sum((w[i][j] * d[i] for i in range(n)), F(0))
        if slope == 0:
            continue
        t = -(sum((w[i][j] * a[i] for i in range(n)), F(0)) + b[j]) / slope
        if 0 < t < 1:
            expected[t] = expected.get(t, F(0)) + c[j] * abs(slope)
    result = analyze_network(net.model(), a, z)
    [report] = result.outputs
    assert {p.t: p.right_derivative - p.left_derivative for p in report.kinks} == {
        t: jump for t, jump in expected.items() if jump != 0}
    assert report.pieces == 1 + len(report.kinks)


def test_coinciding_switches_that_cancel_are_differentiable() -> None:
    # relu(x) - relu(x) + relu(-x) with x = 2t - 1: all three units switch at t = 1/2; the
    # first two cancel, the third turns off, so the slope goes from -2 to 0
    w = np.array([[1.0, 1.0, -1.0]], np.float32)
    c = np.array([[1.0], [-1.0], [1.0]], np.float32)
    net = Net(1, [("dense", w, np.zeros(3, np.float32)), ("relu",),
                  ("dense", c, np.zeros(1, np.float32))])
    [report] = analyze_network(net.model(), [-1], [1]).outputs
    [point] = report.points
    assert (point.t, point.left_derivative, point.right_derivative) == (F(1, 2), -2, 0)
    assert sorted(u.index for u in point.units) == [0, 1, 2]
    # without unit 2 the two switches cancel: a differentiable switch point, not a kink
    c2 = np.array([[1.0], [-1.0], [0.0]], np.float32)
    net2 = Net(1, [("dense", w, np.zeros(3, np.float32)), ("relu",),
                   ("dense", c2, np.zeros(1, np.float32))])
    [report2] = analyze_network(net2.model(), [-1], [1]).outputs
    [point2] = report2.points
    assert point2.kind is NetKind.DIFFERENTIABLE
    assert point2.differentiable is True
    assert report2.kinks == ()
    assert report2.pieces == 1


def test_unit_identically_zero_and_switch_at_an_end_are_not_points() -> None:
    # unit 0 is 0 along the whole segment, unit 1 switches exactly at t = 0 (an end)
    w = np.array([[0.0, 1.0]], np.float32)
    net = Net(1, [("dense", w, np.zeros(2, np.float32)), ("relu",)])
    result = analyze_network(net.model(), [0], [1])
    assert [o.points for o in result.outputs] == [(), ()]
    assert result.regions == 1


def test_exact_point_and_derivatives() -> None:
    w = numpy_helper.from_array(np.array([[1.0], [-1.0]]), "w")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["h"]), helper.make_node("Abs", ["h"], ["y"])],
        "g", [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [2])],
        [helper.make_tensor_value_info("y", TensorProto.DOUBLE, [1])], [w])
    result = analyze_network(helper.make_model(graph), [0, 1], ["3", "1/3"])
    [point] = result.outputs[0].points
    # f(t) = |3t - 1 + 2t/3| = |11t/3 - 1|: a corner at t = 3/11
    assert point.t == F(3, 11)
    assert point.point == (F(9, 11), F(1) + F(3, 11) * (F(1, 3) - 1))
    assert (point.left_derivative, point.right_derivative) == (F(-11, 3), F(11, 3))
    assert point.to_dict()["t"] == "3/11"
    assert result.closest_kink is point


# --- deeper networks: the exact evaluator ---------------------------------------------------


def random_net(rng: random.Random, depth: int) -> tuple[Net, list[F], list[F]]:
    """Random widths and operators; small dyadic weights half of the time, so that ties
    (several units switching at one t, units stuck at a threshold) happen."""
    nprng = np.random.default_rng(rng.randrange(2**32))
    tiny = rng.random() < 0.5

    def weights(shape: tuple[int, ...]) -> Any:
        if tiny:
            return (nprng.integers(-3, 4, shape) / 2).astype(np.float32)
        return nprng.standard_normal(shape).astype(np.float32)

    n = rng.randrange(1, 4)
    width, layers = n, []
    for _ in range(depth):
        m = rng.randrange(2, 7)
        layers.append(("dense", weights((width, m)), weights((m,))))
        width = m
        kind = rng.choice(["relu", "relu", "leaky", "clip", "maxpool", "abs", "prelu",
                           "hardsigmoid", "maxlin"])
        if kind == "leaky":
            layers.append(("leaky", rng.choice([0.01, 0.2, -0.5])))
        elif kind == "clip":
            layers.append(("clip", -1.0, rng.choice([0.5, 1.0, 2.0])))
        elif kind == "maxpool" and width >= 2:
            k = rng.choice([2, 3]) if width >= 3 else 2
            layers.append(("maxpool", k))
            width = (width - k) // k + 1
        elif kind == "prelu":
            layers.append(("prelu", weights((width,))))
        elif kind == "hardsigmoid":
            layers.append(("hardsigmoid", 0.2, 0.5))
        elif kind == "maxlin":
            layers.append(("maxlin", weights((width, width)), weights((width,))))
        elif kind in ("relu", "abs"):
            layers.append((kind,))
    outputs = rng.randrange(1, 3)
    layers.append(("dense", weights((width, outputs)), weights((outputs,))))
    if tiny:
        a = [F(rng.randrange(-4, 5), 2) for _ in range(n)]
        b = [F(rng.randrange(-4, 5), 2) for _ in range(n)]
    else:
        a = [F(float(v)) for v in nprng.standard_normal(n)]
        b = [F(float(v)) for v in nprng.standard_normal(n)]
    return Net(n, layers), a, b


@pytest.mark.parametrize("seed", range(100))
def test_random_networks_no_missed_and_no_extra_kink(seed: int) -> None:
    rng = random.Random(seed)
    net, a, b = random_net(rng, depth=1 + seed % 4)
    check_against(net, a, b, analyze_network(net.model(), a, b), rng)


def test_float64_weights_and_decimal_inputs() -> None:
    rng = random.Random(7)
    w = np.array([[0.1, -0.3, 0.7], [0.25, 0.5, -1.1]])
    net = Net(2, [("dense", w, np.array([0.05, -0.2, 0.3])), ("relu",),
                  ("dense", np.array([[1.0], [2.0], [-3.0]]), np.array([0.0]))],
              dtype=np.float64)
    a, b = [F("0.1"), F("-2")], [F("1.5"), F("3")]
    check_against(net, a, b, analyze_network(net.model(), a, b), rng)


def test_conv_relu_maxpool_network() -> None:
    rng = np.random.default_rng(3)
    kernel = rng.standard_normal((2, 1, 3, 3)).astype(np.float32)
    bias = rng.standard_normal(2).astype(np.float32)
    dense = rng.standard_normal((8, 1)).astype(np.float32)
    inits = [numpy_helper.from_array(kernel, "k"), numpy_helper.from_array(bias, "kb"),
             numpy_helper.from_array(dense, "d")]
    nodes = [helper.make_node("Conv", ["x", "k", "kb"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["c"], ["r"], name="relu"),
             helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2],
                              name="pool"),
             helper.make_node("Flatten", ["p"], ["f"]),
             helper.make_node("MatMul", ["f", "d"], ["y"])]
    graph = helper.make_graph(nodes, "cnn",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 4, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1])],
                              inits)
    a = [F(float(v)) for v in rng.standard_normal(16)]
    b = [F(float(v)) for v in rng.standard_normal(16)]
    result = analyze_network(helper.make_model(graph), a, b)

    def conv_net(x: Sequence[Fraction]) -> list[Fraction]:
        image = [[x[4 * i + j] for j in range(4)] for i in range(4)]
        k, kb = exact(kernel.reshape(2, 9)), exact(bias)
        maps = []
        for o in range(2):
            out = [[kb[o] + sum((k[o][3 * p + q] * image[i + p - 1][j + q - 1]
                                 for p in range(3) for q in range(3)
                                 if 0 <= i + p - 1 < 4 and 0 <= j + q - 1 < 4), F(0))
                    for j in range(4)] for i in range(4)]
            maps.append([[max(v, F(0)) for v in row] for row in out])
        pooled = [max(maps[o][2 * i + p][2 * j + q] for p in range(2) for q in range(2))
                  for o in range(2) for i in range(2) for j in range(2)]
        return [sum((v * w for v, w in zip(pooled, exact(dense[:, 0]), strict=True)), F(0))]

    class Wrapped(Net):
        def __call__(self, x: Sequence[Fraction]) -> list[Fraction]:
            return conv_net(x)

    check_against(Wrapped(16, []), a, b, result, random.Random(3))
    assert result.outputs[0].kinks  # the segment crosses some switch


def test_against_float_evaluation() -> None:
    rng = random.Random(11)
    net, a, b = random_net(rng, depth=3)
    model = net.model()
    result = analyze_network(model, a, b)
    ts = [i / 64 for i in range(65)]
    floats = evaluate_network(model, a, b, ts)
    for report in result.outputs:
        exact_values = [float(line(net, a, b)(F(t))[report.output]) for t in ts]
        assert np.allclose(floats[:, report.output], exact_values, rtol=1e-9, atol=1e-9)


# --- smooth activations ----------------------------------------------------------------------


def smooth_model(activation: str, after_relu: bool) -> Any:
    w = np.array([[1.0, -2.0, 0.5]], np.float32)
    nodes = [helper.make_node("Gemm", ["x", "w", "b"], ["h"])]
    if after_relu:
        nodes += [helper.make_node("Relu", ["h"], ["r"], name="relu"),
                  helper.make_node(activation, ["r"], ["s"])]
    else:
        nodes += [helper.make_node(activation, ["h"], ["s"])]
    nodes.append(helper.make_node("MatMul", ["s", "c"], ["y"]))
    graph = helper.make_graph(
        nodes, "smooth", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1])],
        [numpy_helper.from_array(w, "w"),
         numpy_helper.from_array(np.array([0.25, 0.5, -0.5], np.float32), "b"),
         numpy_helper.from_array(np.array([[1.0], [1.0], [1.0]], np.float32), "c")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)])


@pytest.mark.parametrize("activation", ["Tanh", "Sigmoid", "Softplus", "Erf", "Gelu", "Elu"])
def test_smooth_network_has_no_kink(activation: str) -> None:
    result = analyze_network(smooth_model(activation, after_relu=False), [-3], [3])
    assert result.exact
    assert [(o.pieces, o.points) for o in result.outputs] == [(1, ())]
    assert "no kink (proved)" in result.notes[0]


def test_switches_behind_smooth_activations_are_unknown() -> None:
    result = analyze_network(smooth_model("Tanh", after_relu=True), [-3], [3])
    assert not result.exact
    points = result.outputs[0].points
    # the ReLU switches at x = -1/4, 1/4 and 1, i.e. t = 11/24, 13/24, 2/3
    expected = [F(11, 24), F(13, 24), F(2, 3)]
    assert [float(p.t) for p in points] == pytest.approx([float(t) for t in expected], abs=1e-12)
    assert all(p.kind is NetKind.UNKNOWN and p.differentiable is None for p in points)
    assert all(p.left_derivative is None for p in points)
    assert "not proved" in result.notes[0]


# --- errors ------------------------------------------------------------------------------------


def test_external_data_is_refused(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    net, *_ = one_hidden(rng, 2, 40)
    model = net.model()
    onnx.save_model(model, str(tmp_path / "m.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="weights.bin", size_threshold=0)
    with pytest.raises(InputError, match="external file"):
        analyze_network(tmp_path / "m.onnx", [0, 0], [1, 1])


def test_sizes_and_outputs_are_checked() -> None:
    net, *_ = one_hidden(np.random.default_rng(0), 2, 3)
    with pytest.raises(InputError, match="2 numbers"):
        analyze_network(net.model(), [0, 0, 0], [1, 1, 1])
    with pytest.raises(InputError, match="--output 4"):
        analyze_network(net.model(), [0, 0], [1, 1], outputs=[4])


def test_max_regions() -> None:
    net, *_ = one_hidden(np.random.default_rng(0), 2, 30)
    with pytest.raises(InputError, match="more than 2 linear regions"):
        analyze_network(net.model(), [-5, -5], [5, 5], max_regions=2)


def test_read_vector(tmp_path: Path) -> None:
    assert read_vector("0.1, -2, 1/3") == (F(1, 10), F(-2), F(1, 3))
    np.save(tmp_path / "a.npy", np.array([[0.1, 2.0]]))
    assert read_vector(str(tmp_path / "a.npy")) == (F(0.1), F(2))
    with pytest.raises(InputError, match="'x' is not a number"):
        read_vector("1, x")
    with pytest.raises(InputError, match="not a number"):
        read_vector("nan")


# --- the command -----------------------------------------------------------------------------


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    rng = np.random.default_rng(5)
    net, *_ = one_hidden(rng, 2, 8)
    path = tmp_path / "model.onnx"
    onnx.save(net.model(), str(path))
    return path


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["net", *args])


def one_error_line(result: Any) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), result.stderr
    return str(lines[0])


def test_cli_report(model_file: Path) -> None:
    result = run(str(model_file), "--from", "-2,-2", "--to", "2,2")
    assert result.exit_code == 0, result.output
    assert "Output 0:" in result.stdout
    assert "corner" in result.stdout
    assert "closest kink to A at t =" in result.stdout


def test_cli_json(model_file: Path, tmp_path: Path) -> None:
    np.save(tmp_path / "b.npy", np.array([2.0, 2.0]))
    result = run(str(model_file), "--from", "-2,-2", "--to", str(tmp_path / "b.npy"), "--json",
                 "--output", "0")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"model", "from", "to", "outputs"}
    [output] = data["outputs"]
    assert output["output"] == 0
    assert output["pieces"] == output["kinks"] + 1
    point = output["points"][0]
    assert set(point) >= {"t", "point", "units", "left_derivative", "right_derivative",
                          "differentiable", "kind"}
    assert F(point["t"]) == F(point["t"])  # an exact fraction as a string
    assert point["kind"] == "corner"
    assert point["differentiable"] is False
    assert point["units"][0]["layer"] == 1


def test_cli_plot(model_file: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    result = run(str(model_file), "--from", "-2,-2", "--to", "2,2", "--plot",
                 str(tmp_path / "f.png"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "f.png").stat().st_size > 1000
    bad = run(str(model_file), "--from", "-2,-2", "--to", "2,2", "--plot", "f.jpg")
    assert "must end in" in one_error_line(bad)


def test_cli_unsupported_operator(tmp_path: Path) -> None:
    graph = helper.make_graph(
        [helper.make_node("Softsign", ["x"], ["y"], name="mystery")], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])])
    onnx.save(helper.make_model(graph), str(tmp_path / "bad.onnx"))
    line_ = one_error_line(run(str(tmp_path / "bad.onnx"), "--from", "0,0", "--to", "1,1"))
    assert "'Softsign'" in line_
    assert "'mystery'" in line_


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(["missing.onnx", "--from", "0", "--to", "1"], "no such model file", id="missing"),
    pytest.param(["MODEL", "--from", "0,0,0", "--to", "1,1,1"], "2 numbers", id="size"),
    pytest.param(["MODEL", "--from", "0,zz", "--to", "1,1"], "'zz' is not a number", id="number"),
    pytest.param(["MODEL", "--from", "0,0", "--to", "1,1", "--output", "9"], "--output 9",
                 id="output"),
])
def test_cli_bad_input(model_file: Path, args: list[str], message: str) -> None:
    args = [str(model_file) if a == "MODEL" else a for a in args]
    assert message in one_error_line(run(*args))


def test_cli_not_a_model(tmp_path: Path) -> None:
    (tmp_path / "junk.onnx").write_bytes(b"\x00\x01 not protobuf \xff" * 10)
    assert "cannot read" in one_error_line(run(str(tmp_path / "junk.onnx"), "--from", "0",
                                                "--to", "1"))


def test_cli_without_onnx(model_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)
    line_ = one_error_line(run(str(model_file), "--from", "0,0", "--to", "1,1"))
    assert 'pip install "diffcheck-analyzer[onnx]"' in line_


def test_render_text() -> None:
    net, *_ = one_hidden(np.random.default_rng(1), 2, 6)
    result = analyze_network(net.model(), [-2, -2], [2, 2])
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(render_network(result))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert f"Output 0: {result.outputs[0].pieces} piece(s)" in text
    assert "exact (rational arithmetic" in text
    assert "relu1[" in text


def test_more_linear_operators_against_exact_evaluation() -> None:
    """Gemm with transB, alpha and beta (torch's export), constant minus tensor, constant
    times tensor, division by a constant, one-sided Clip, Min of two tensors, Reshape with
    -1, and an input declared without a shape."""
    w = np.array([[1.5, -0.5], [0.25, 2.0], [-1.0, 1.0]], np.float32)  # (3, 2): out x in
    b = np.array([0.5, -0.25, 0.125], np.float32)
    c = np.array([1.0, -2.0, 0.5], np.float32)
    inits = [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b"),
             numpy_helper.from_array(c, "c"), numpy_helper.from_array(np.float32(3.0), "three"),
             numpy_helper.from_array(np.float32(-0.5), "lo"),
             numpy_helper.from_array(np.array([1, -1]), "shape")]
    nodes = [
        helper.make_node("Reshape", ["x", "shape"], ["x2"]),
        helper.make_node("Gemm", ["x2", "w", "b"], ["g"], transB=1, alpha=0.5, beta=2.0),
        helper.make_node("Sub", ["c", "g"], ["s"]),
        helper.make_node("Mul", ["c", "s"], ["m"]),
        helper.make_node("Div", ["m", "three"], ["d"]),
        helper.make_node("Clip", ["d", "lo"], ["k"], name="clip"),
        helper.make_node("Min", ["k", "g"], ["y"], name="min"),
    ]
    graph = helper.make_graph(nodes, "ops", [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                                           None)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])

    def evaluate(x: Sequence[Fraction]) -> list[Fraction]:
        we, be, ce = exact(w), exact(b), exact(c)
        g = [F(1, 2) * sum((we[j][i] * x[i] for i in range(2)), F(0)) + 2 * be[j]
             for j in range(3)]
        d = [ce[j] * (ce[j] - g[j]) / 3 for j in range(3)]
        return [min(max(d[j], F(-1, 2)), g[j]) for j in range(3)]

    class Evaluated(Net):
        def __call__(self, x: Sequence[Fraction]) -> list[Fraction]:
            return evaluate(x)

    a, z = [F(-3), F(2)], [F(4), F(-1, 3)]
    result = analyze_network(model, a, z)
    check_against(Evaluated(2, []), a, z, result, random.Random(1))
    assert sum(len(o.kinks) for o in result.outputs) >= 2
    assert {u.op for o in result.outputs for p in o.points for u in p.units} == {"Clip", "Min"}


@pytest.mark.slow
def test_torch_export() -> None:
    torch = pytest.importorskip("torch")
    import warnings

    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.ReLU(), torch.nn.Linear(8, 8),
                              torch.nn.LeakyReLU(0.1), torch.nn.Linear(8, 1))
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(net, (torch.zeros(1, 2),), buffer, dynamo=False)
    model = onnx.load_from_string(buffer.getvalue())
    layers = [net[0], net[2], net[4]]
    spec = Net(2, [("dense", layers[0].weight.detach().numpy().T, layers[0].bias.detach().numpy()),
                   ("relu",),
                   ("dense", layers[1].weight.detach().numpy().T, layers[1].bias.detach().numpy()),
                   ("leaky", 0.1),
                   ("dense", layers[2].weight.detach().numpy().T, layers[2].bias.detach().numpy())])
    a, b = [F(-2), F(-1)], [F(2), F(3)]
    result = analyze_network(model, a, b)
    check_against(spec, a, b, result, random.Random(0))
    assert result.outputs[0].kinks


def test_cli_torch_module_needs_execute(model_file: Path, tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("raise SystemExit('must not run')\n", encoding="utf-8")
    line_ = one_error_line(run(str(model_file), "--from", "0,0", "--to", "1,1",
                               "--torch-module", f"{tmp_path / 'm.py'}:model"))
    assert "add --execute" in line_


@pytest.mark.slow
def test_cli_torch_module_autograd(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    source = tmp_path / "mynet.py"
    source.write_text(
        "import torch\n"
        "torch.manual_seed(0)\n"
        "model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.ReLU(), "
        "torch.nn.Linear(8, 1))\n", encoding="utf-8")
    import importlib.util
    import warnings

    import torch

    spec = importlib.util.spec_from_file_location("mynet_for_export", source)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module.model, (torch.zeros(1, 2),), str(tmp_path / "mynet.onnx"),
                          dynamo=False)
    result = run(str(tmp_path / "mynet.onnx"), "--from", "-3,-3", "--to", "3,3", "--json",
                 "--torch-module", f"{source}:model", "--execute")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    checks = data["autograd"]
    assert checks
    assert {c["verdict"] for c in checks} <= {"subgradient", "agrees"}
    assert all(c["value_matches"] for c in checks)


def test_json_leaves_out_long_points() -> None:
    net, *_ = one_hidden(np.random.default_rng(2), 101, 4)
    a, b = [F(-1)] * 101, [F(1)] * 101
    data = analyze_network(net.model(), a, b).to_dict()
    points = [p for o in data["outputs"] for p in o["points"]]
    assert points
    assert all(p["point"] is None for p in points)
    assert data["input_shape"] == [1, 101]


def test_core_loads_neither_click_nor_rich() -> None:
    import subprocess

    code = ("import sys, diffcheck.apps.network; "
            "print(sorted({m.partition('.')[0] for m in sys.modules} & {'click', 'rich'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "[]"
