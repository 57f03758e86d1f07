"""Every kink of a stored network along a segment, exactly.

For an ONNX model N, two inputs A and B and one output K, the function studied is
``f(t) = N(A + t (B - A))_K`` on ``[0, 1]``.  The model is *read* (``onnx.load``,
weights through ``onnx.numpy_helper.to_array``), never executed and never unpickled;
external weight files are refused.

Why it is exact.  A stored float is an exact binary fraction, so every weight, bias
and input is a rational number with a power-of-two denominator.  Along the segment
the input is affine in t; on each interval where no unit switches, so is every
tensor of a piecewise-linear network: ``scale * (a + b t)`` with integer arrays
``a``, ``b`` and one rational ``scale`` per tensor.  The partition of ``[0, 1]`` is
pushed through the graph node by node (the ExactLine / SyReNN construction): a
linear node maps the coefficients of every interval at once (one integer matrix
product), a switching node (ReLU, Clip, Max, ...) finds where each unit's argument
crosses its threshold, ``t = (theta/scale - a) / b``, strictly inside an interval,
and splits it there.  All of it is integer arithmetic; the only fractions are the
break points, exact rationals.

What is reported.  A *switch point* is a t in ``(0, 1)`` where at least one unit
changes branch (a ReLU turns on or off, a Max changes its maximiser).  At each one,
the one-sided derivatives of f are the slopes of the two adjacent pieces, exact.
When they differ the point is a ``corner``; when they agree (the switching units do
not reach output K, or their effects cancel) it is ``differentiable``: kept in
``points`` with its units, left out of ``kinks``.  ``pieces`` counts the maximal
intervals on which f is affine (kinks + 1).

Smooth activations (Tanh, Sigmoid, Softplus, Erf, Gelu) and the piecewise-smooth
Elu, Selu and HardSwish make f non-affine between switches, and a switch point is
then the root of an analytic function, in general not rational.  A network whose
only non-linear nodes are the smooth five is analytic along the whole segment: one
piece, no point, proved.  A network mixing them with switching units is located
numerically (float64 sampling and bisection of every switching unit's argument);
such points are reported ``unknown`` with approximate t and no derivatives, never
as proved kinks.  ``NetworkAnalysis.exact`` says which case applies.
"""

from __future__ import annotations

import bisect
import functools
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from diffcheck.errors import InputError

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "INSTALL",
    "POINT_IN_JSON",
    "SUPPORTED",
    "AutogradCheck",
    "NetKind",
    "NetworkAnalysis",
    "NetworkPoint",
    "OutputReport",
    "Unit",
    "analyze_network",
    "autograd_checks",
    "evaluate_network",
    "load_model",
    "read_vector",
]

INSTALL = 'pip install "diffcheck-analyzer[onnx]"'

LINEAR_OPS = frozenset({"Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Conv", "Flatten",
                        "Reshape", "Identity", "Constant"})
SWITCHING_OPS = frozenset({"Relu", "LeakyRelu", "PRelu", "Clip", "HardSigmoid", "Abs", "Max",
                           "Min", "MaxPool"})
SMOOTH_OPS = frozenset({"Tanh", "Sigmoid", "Softplus", "Erf", "Gelu"})
PIECEWISE_SMOOTH_OPS = frozenset({"Elu", "Selu", "HardSwish"})
SUPPORTED = LINEAR_OPS | SWITCHING_OPS | SMOOTH_OPS | PIECEWISE_SMOOTH_OPS
"""The ONNX operators :func:`analyze_network` reads (default domain)."""

POINT_IN_JSON = 100
"""``to_dict()`` writes each point's coordinates when the input has at most this many
numbers (``point`` is ``null`` beyond: A + t (B - A) from ``from``, ``to`` and ``t``;
784 exact coordinates at every point of every output run into hundreds of MB)."""

MAX_REGIONS = 1_000_000
"""More linear regions than this along one segment is refused (``max_regions=``)."""

SAMPLES = 4096
"""Grid intervals of the numeric location for networks with smooth activations."""

Ints = Any  # numpy object array of Python ints (numpy has no precise type for it)


class NetKind(StrEnum):
    """What happens at a switch point; the values are the JSON contract strings."""

    DIFFERENTIABLE = "differentiable"  # units switch, the slope of the output does not change
    CORNER = "corner"  # the one-sided derivatives differ
    UNKNOWN = "unknown"  # located numerically only (smooth activations): not proved


@dataclass(frozen=True, slots=True, kw_only=True)
class Unit:
    """One unit that switches: ``layer`` is the index of its node in the graph's node list,
    ``index`` its position in the node's output, flattened in C order."""

    layer: int
    node: str
    op: str
    index: int

    def to_dict(self) -> dict[str, Any]:
        return {"layer": self.layer, "node": self.node, "op": self.op, "index": self.index}


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkPoint:
    """A switch point ``t`` of ``f(t) = N(A + t (B - A))_K``.

    ``left_derivative`` and ``right_derivative`` are the one-sided derivatives of f in t
    (the directional derivatives of N_K along ``B - A``), exact; ``None`` for an
    ``unknown`` point, whose ``t`` is then a float64 approximation.
    """

    t: Fraction
    start: tuple[Fraction, ...] = field(repr=False)
    direction: tuple[Fraction, ...] = field(repr=False)
    units: tuple[Unit, ...]
    value: Fraction | None
    left_derivative: Fraction | None
    right_derivative: Fraction | None
    kind: NetKind

    @property
    def differentiable(self) -> bool | None:
        """Whether f is differentiable at t (``None``: not decided)."""
        return None if self.kind is NetKind.UNKNOWN else self.kind is NetKind.DIFFERENTIABLE

    @property
    def point(self) -> tuple[Fraction, ...]:
        """The input ``A + t (B - A)``, exact."""
        return tuple(a + self.t * d for a, d in zip(self.start, self.direction, strict=True))

    def to_dict(self, *, point: bool = True) -> dict[str, Any]:
        return {
            "t": str(self.t),
            "t_float": float(self.t),
            "point": [str(v) for v in self.point] if point else None,
            "units": [u.to_dict() for u in self.units],
            "value": _str(self.value),
            "left_derivative": _str(self.left_derivative),
            "right_derivative": _str(self.right_derivative),
            "differentiable": self.differentiable,
            "kind": self.kind.value,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class OutputReport:
    """Output K along the segment: its switch points and its affine pieces.

    ``slopes`` and ``breaks`` describe f exactly when the analysis is exact: f has slope
    ``slopes[i]`` between ``breaks[i]`` and ``breaks[i + 1]`` (``breaks`` runs from 0 to 1
    and holds the kinks), and ``values[i]`` is ``f(breaks[i])``.
    """

    output: int
    points: tuple[NetworkPoint, ...]
    breaks: tuple[Fraction, ...]
    values: tuple[Fraction, ...]
    slopes: tuple[Fraction, ...]

    @property
    def kinks(self) -> tuple[NetworkPoint, ...]:
        """The points where f is not differentiable (or may not be: ``unknown``)."""
        return tuple(p for p in self.points if p.kind is not NetKind.DIFFERENTIABLE)

    @property
    def pieces(self) -> int:
        """The number of maximal intervals on which f is affine (or analytic)."""
        return len(self.breaks) - 1 if self.slopes else 1 + len(self.kinks)

    def to_dict(self, *, points: bool = True) -> dict[str, Any]:
        return {
            "output": self.output,
            "pieces": self.pieces,
            "kinks": len(self.kinks),
            "values": [str(v) for v in (self.values[0], self.values[-1])] if self.values
            else None,
            "points": [p.to_dict(point=points) for p in self.points],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkAnalysis:
    """The result of :func:`analyze_network`.

    ``exact`` is true when every statement is proved (piecewise-linear network, or no
    switching unit at all); false when switch points were located numerically.
    ``regions`` is the number of intervals of ``[0, 1]`` on which no unit of the whole
    network switches.
    """

    model: str
    start: tuple[Fraction, ...]
    end: tuple[Fraction, ...]
    outputs: tuple[OutputReport, ...]
    exact: bool
    regions: int
    input_shape: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def closest_kink(self) -> NetworkPoint | None:
        """The kink nearest to A (smallest t) over the outputs reported."""
        kinks = [p for o in self.outputs for p in o.kinks]
        return min(kinks, key=lambda p: p.t) if kinks else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "from": [str(v) for v in self.start],
            "to": [str(v) for v in self.end],
            "exact": self.exact,
            "regions": self.regions,
            "input_shape": list(self.input_shape),
            "outputs": [o.to_dict(points=len(self.start) <= POINT_IN_JSON)
                        for o in self.outputs],
            "notes": list(self.notes),
        }


def _str(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class _Node:
    index: int
    name: str
    op: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    attributes: Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Graph:
    name: str
    input: str
    input_shape: tuple[int, ...] | None  # None: not declared, a vector of the given length
    outputs: tuple[str, ...]
    constants: Mapping[str, NDArray[Any]]
    nodes: tuple[_Node, ...]


def _onnx() -> Any:
    try:
        import onnx
    except ImportError:
        raise InputError(f"diffcheck net reads ONNX models with the onnx package, which is not "
                         f"installed: {INSTALL}") from None
    return onnx


def _tensor(onnx: Any, proto: Any, where: str) -> NDArray[Any]:
    if proto.data_location == onnx.TensorProto.EXTERNAL or len(proto.external_data):
        raise InputError(f"{where} stores its data in an external file; diffcheck net reads "
                         f"only self-contained models (save with save_as_external_data=False)")
    return np.asarray(onnx.numpy_helper.to_array(proto))


def load_model(model: str | os.PathLike[str] | Any) -> _Graph:
    """Read an ONNX model (a path, or an ``onnx.ModelProto``) without executing anything.

    Raises:
        InputError: onnx missing, unreadable file, external data, several graph inputs,
            or an operator outside :data:`SUPPORTED` (named with its node).
    """
    onnx = _onnx()
    if isinstance(model, (str, os.PathLike)):
        from google.protobuf.message import DecodeError  # onnx's own dependency

        path = os.fspath(model)
        try:
            proto = onnx.load(path, load_external_data=False)
        except FileNotFoundError:
            raise InputError(f"no such model file: {path!r}") from None
        except (OSError, ValueError, DecodeError) as e:
            raise InputError(f"cannot read {path!r} as an ONNX model: "
                             f"{e.strerror if isinstance(e, OSError) else e}") from None
    else:
        proto = model
    graph = proto.graph
    constants = {init.name: _tensor(onnx, init, f"initializer {init.name!r}")
                 for init in graph.initializer}
    inputs = [i for i in graph.input if i.name not in constants]
    if len(inputs) != 1:
        raise InputError(f"diffcheck net needs a model with exactly one input, this one has "
                         f"{len(inputs)}: {[i.name for i in inputs]}")
    tensor_type = inputs[0].type.tensor_type
    # a symbolic or unknown dimension (the batch) is 1; no shape at all: a vector
    shape: tuple[int, ...] | None = tuple(
        d.dim_value if d.HasField("dim_value") and d.dim_value > 0 else 1
        for d in tensor_type.shape.dim) if tensor_type.HasField("shape") else None
    nodes = []
    for index, node in enumerate(graph.node):
        name = node.name or f"{node.op_type}_{index}"
        if node.domain not in ("", "ai.onnx") or node.op_type not in SUPPORTED:
            op = node.op_type if node.domain in ("", "ai.onnx") else f"{node.domain}.{node.op_type}"
            raise InputError(f"unsupported ONNX operator {op!r} at node {name!r} (node {index}); "
                             f"diffcheck net reads {', '.join(sorted(SUPPORTED))}")
        attributes: dict[str, Any] = {}
        for attribute in node.attribute:
            if attribute.type == onnx.AttributeProto.TENSOR:
                attributes[attribute.name] = _tensor(onnx, attribute.t, f"node {name!r}")
            elif attribute.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS):
                raise InputError(f"node {name!r} holds a subgraph; not supported")
            else:
                value = onnx.helper.get_attribute_value(attribute)
                attributes[attribute.name] = value.decode() if isinstance(value, bytes) else value
        nodes.append(_Node(index=index, name=name, op=node.op_type, inputs=tuple(node.input),
                           outputs=tuple(node.output), attributes=attributes))
    return _Graph(name=str(model) if isinstance(model, (str, os.PathLike)) else graph.name,
                  input=inputs[0].name, input_shape=shape,
                  outputs=tuple(o.name for o in graph.output), constants=constants,
                  nodes=tuple(nodes))


def read_vector(text: str, what: str = "--from") -> tuple[Fraction, ...]:
    """An input point: comma-separated exact numbers (``0.1`` is 1/10) or a ``.npy`` file.

    Examples:
        >>> read_vector("1, -0.5, 1/3")
        (Fraction(1, 1), Fraction(-1, 2), Fraction(1, 3))

    Raises:
        InputError: unreadable text or file, or a value that is not a finite number.
    """
    if text.strip().endswith(".npy"):
        try:
            array = np.load(text.strip(), allow_pickle=False)
        except (OSError, ValueError) as e:
            raise InputError(f"{what}: cannot read {text.strip()!r} as a .npy array: {e}") from None
        if array.dtype.kind not in "biuf":
            raise InputError(f"{what}: {text.strip()!r} holds {array.dtype}, not numbers")
        return _fractions(array.ravel().tolist(), what)
    words = [w.strip() for w in text.split(",")]
    values = []
    for word in words:
        try:
            values.append(Fraction(word))
        except (ValueError, ZeroDivisionError):
            raise InputError(f"{what}: {word!r} is not a number (give comma-separated numbers "
                             f"such as '0.5, -1, 1/3', or a .npy file)") from None
    return tuple(values)


def _fractions(values: Iterable[Any], what: str) -> tuple[Fraction, ...]:
    out = []
    for v in values:
        if isinstance(v, float) and not math.isfinite(v):
            raise InputError(f"{what}: {v} is not a finite number")
        out.append(Fraction(v))
    return tuple(out)


# --- exact arithmetic on scaled integer arrays ------------------------------------------------


def _exact(values: Any, what: str = "a weight") -> tuple[Ints, Fraction]:
    """``values`` (floats, ints or Fractions) as ``ints * scale``, exactly, scale > 0."""
    array = np.asarray(values)
    flat = array.ravel().tolist()
    ratios = []
    for v in flat:
        if isinstance(v, float) and not math.isfinite(v):
            raise InputError(f"{what} is {v}; diffcheck net needs finite numbers")
        ratios.append(v.as_integer_ratio() if not isinstance(v, bool) else (int(v), 1))
    denominator = math.lcm(*{d for _, d in ratios}) if ratios else 1
    ints = [n * (denominator // d) for n, d in ratios]
    common = math.gcd(*ints) if ints else 0
    common = common or 1
    out = np.empty(len(ints), dtype=object)
    out[:] = [i // common for i in ints]
    return out.reshape(array.shape), Fraction(common, denominator)


def _unit(s: Fraction, u: Fraction) -> Fraction:
    """The largest rational c with s/c and u/c integers (the gcd of two positive rationals)."""
    return Fraction(math.gcd(s.numerator * u.denominator, u.numerator * s.denominator),
                    s.denominator * u.denominator)


def _times(ints: Ints, k: int) -> Ints:
    return ints if k == 1 else ints * k


@dataclass(frozen=True, slots=True)
class _Line:
    """A tensor along the segment: on ``[cuts[s], cuts[s+1]]`` it is
    ``scale * (ints[s, 0] + ints[s, 1] * t)``."""

    cuts: tuple[Fraction, ...]
    ints: Ints
    scale: Fraction

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.ints.shape[2:])


def _const_line(array: NDArray[Any], cuts: tuple[Fraction, ...]) -> _Line:
    ints, scale = _exact(array)
    coefficients = np.empty((len(cuts) - 1, 2, *ints.shape), dtype=object)
    coefficients[:, 0] = ints
    coefficients[:, 1] = 0
    return _Line(cuts, coefficients, scale)


def _refine(line: _Line, cuts: tuple[Fraction, ...]) -> _Line:
    """The same tensor on a finer partition ``cuts`` (a superset of ``line.cuts``)."""
    if cuts == line.cuts:
        return line
    parents = [bisect.bisect_right(line.cuts, c) - 1 for c in cuts[:-1]]
    return _Line(cuts, line.ints[parents], line.scale)


def _merge(*lines: _Line) -> tuple[Fraction, ...]:
    return tuple(sorted(set().union(*(line.cuts for line in lines))))


def _rescale(line: _Line, scale: Fraction) -> Ints:
    """The integers of ``line`` in units of ``scale`` (which divides ``line.scale``)."""
    k = line.scale / scale
    assert k.denominator == 1
    return _times(line.ints, k.numerator)


def _lift(ints: Ints, rank: int) -> Ints:
    """Insert unit axes after the two leading ones so the tensor part has ``rank`` axes."""
    missing = rank - (ints.ndim - 2)
    return ints.reshape(ints.shape[:2] + (1,) * missing + ints.shape[2:]) if missing > 0 else ints


def _add(x: _Line | NDArray[Any], y: _Line | NDArray[Any], sign: int = 1) -> _Line:
    """``x + sign * y``; at least one of them is a line."""
    if not isinstance(x, _Line):
        assert isinstance(y, _Line)
        x = _const_line(x, y.cuts)
    if not isinstance(y, _Line):
        y = _const_line(y, x.cuts)
    cuts = _merge(x, y)
    x, y = _refine(x, cuts), _refine(y, cuts)
    scale = _unit(x.scale, y.scale)
    rank = max(len(x.shape), len(y.shape))
    xi, yi = _lift(_rescale(x, scale), rank), _lift(_rescale(y, scale), rank)
    return _Line(cuts, xi + yi if sign > 0 else xi - yi, scale)


def _scaled(line: _Line, ints: Ints, scale: Fraction) -> _Line:
    """``line`` times the constant ``ints * scale`` (elementwise, broadcast)."""
    rank = max(len(line.shape), ints.ndim)
    product = _lift(line.ints, rank) * ints
    return _normal(line.cuts, product, line.scale * scale)


def _normal(cuts: tuple[Fraction, ...], ints: Ints, scale: Fraction) -> _Line:
    """Keep the scale positive (the threshold tests divide by it)."""
    if scale < 0:
        return _Line(cuts, -ints, -scale)
    if scale == 0:
        return _Line(cuts, ints * 0, Fraction(1))
    return _Line(cuts, ints, scale)


def _matmul(x: _Line | NDArray[Any], y: _Line | NDArray[Any], node: _Node) -> _Line:
    """``x @ y`` (numpy / ONNX semantics) with exactly one of them a line."""
    if isinstance(x, _Line) and isinstance(y, _Line):
        raise InputError(f"node {node.name!r} ({node.op}) multiplies two tensors that both "
                         f"depend on the input: not piecewise linear, not supported")
    if isinstance(x, _Line):
        assert not isinstance(y, _Line)
        w, scale = _exact(y)
        if len(x.shape) == 1 and w.ndim >= 2:
            product = np.matmul(x.ints[:, :, None, :], w)[:, :, 0] if w.ndim == 2 else None
            if product is None:
                raise InputError(f"node {node.name!r}: MatMul of a vector by a stack of "
                                 f"matrices is not supported")
        else:
            product = np.matmul(x.ints, w)
        return _normal(x.cuts, product, x.scale * scale)
    assert isinstance(y, _Line)
    w, scale = _exact(x)
    if len(y.shape) == 1:
        product = np.matmul(y.ints, np.swapaxes(w, -1, -2)) if w.ndim == 2 else None
        if product is None:
            raise InputError(f"node {node.name!r}: MatMul of a stack of matrices by a vector "
                             f"is not supported")
    else:
        product = np.matmul(w, y.ints)
    return _normal(y.cuts, product, y.scale * scale)


def _reshape(line: _Line, shape: Sequence[int]) -> _Line:
    return _Line(line.cuts, line.ints.reshape(line.ints.shape[:2] + tuple(shape)), line.scale)


# --- the linear operators ------------------------------------------------------------------


def _gemm(inputs: list[Any], node: _Node) -> _Line:
    a, b = inputs[0], inputs[1]
    attributes = node.attributes
    if attributes.get("transA", 0):
        a = _transpose(a)
    if attributes.get("transB", 0):
        b = _transpose(b)
    alpha = Fraction(attributes.get("alpha", 1.0))
    product = _matmul(a, b, node)
    if alpha != 1:
        product = _normal(product.cuts, product.ints, product.scale * alpha)
    if len(inputs) > 2 and inputs[2] is not None:
        c = inputs[2]
        beta = Fraction(attributes.get("beta", 1.0))
        if isinstance(c, _Line):
            c = _normal(c.cuts, c.ints, c.scale * beta)
        else:
            ints, scale = _exact(c)
            c = _fraction_array(ints, scale * beta)
        product = _add(product, c)
    return product


def _fraction_array(ints: Ints, scale: Fraction) -> NDArray[Any]:
    out = np.empty(ints.shape, dtype=object)
    out.ravel()[:] = [Fraction(i) * scale for i in ints.ravel().tolist()]
    return out


def _transpose(x: _Line | NDArray[Any]) -> _Line | NDArray[Any]:
    if isinstance(x, _Line):
        return _Line(x.cuts, np.swapaxes(x.ints, -1, -2), x.scale)
    return np.swapaxes(x, -1, -2)


def _conv(inputs: list[Any], node: _Node) -> _Line:
    x, w = inputs[0], inputs[1]
    if not isinstance(x, _Line) or isinstance(w, _Line):
        raise InputError(f"node {node.name!r} (Conv): only a constant kernel applied to the "
                         f"input-dependent tensor is supported")
    attributes = node.attributes
    if attributes.get("group", 1) != 1:
        raise InputError(f"node {node.name!r} (Conv): group={attributes['group']} is not "
                         f"supported (only group=1)")  # XXX: grouped/depthwise convolutions
    columns, out_spatial = _windows(x, w.shape[2:], node)  # (S, 2, N, C*k..., positions)
    wi, ws = _exact(w)
    kernel = wi.reshape(w.shape[0], -1)  # (O, C*k...)
    # columns: (S, 2, N, C*K, P) -> (S, 2, N, O, P)
    product = np.matmul(kernel, columns)
    product = product.reshape(product.shape[:4] + tuple(out_spatial))
    out = _normal(x.cuts, product, x.scale * ws)
    if len(inputs) > 2 and inputs[2] is not None:
        bias = np.asarray(inputs[2]).reshape((-1,) + (1,) * len(out_spatial))
        out = _add(out, bias)
    return out


def _windows(x: _Line, kernel: Sequence[int], node: _Node,
             fill_with_duplicates: bool = False) -> tuple[Ints, tuple[int, ...]]:
    """im2col: ``(S, 2, N, C * prod(kernel), positions)`` for Conv, or for MaxPool with
    ``fill_with_duplicates`` ``(S, 2, N, C, positions, prod(kernel))`` where a padded place
    repeats a real one of its window (harmless for a max)."""
    attributes = node.attributes
    spatial = x.shape[2:]
    d = len(spatial)
    if len(x.shape) < 3 or len(kernel) != d:
        raise InputError(f"node {node.name!r} ({node.op}): expected an input of shape "
                         f"(N, C, spatial...) matching a {len(kernel)}-d kernel, got {x.shape}")
    strides = list(attributes.get("strides", [1] * d))
    dilations = list(attributes.get("dilations", [1] * d))
    pads = list(attributes.get("pads", [0] * (2 * d)))
    auto_pad = attributes.get("auto_pad", "NOTSET")
    if auto_pad not in ("NOTSET", "VALID"):
        raise InputError(f"node {node.name!r} ({node.op}): auto_pad={auto_pad} is not supported; "
                         f"export with explicit pads")
    if auto_pad == "VALID":
        pads = [0] * (2 * d)
    if attributes.get("ceil_mode", 0):
        raise InputError(f"node {node.name!r} (MaxPool): ceil_mode=1 is not supported")
    out_spatial = tuple(
        (spatial[i] + pads[i] + pads[i + d] - dilations[i] * (kernel[i] - 1) - 1) // strides[i] + 1
        for i in range(d))
    if min(out_spatial, default=1) < 1:
        raise InputError(f"node {node.name!r} ({node.op}): the window is larger than the input")
    positions = list(np.ndindex(*out_spatial))
    offsets = list(np.ndindex(*kernel))
    # index into the flattened spatial input; -1 for a padded place
    index = np.full((len(positions), len(offsets)), -1, dtype=np.int64)
    for p, position in enumerate(positions):
        for k, offset in enumerate(offsets):
            coordinate = [position[i] * strides[i] - pads[i] + offset[i] * dilations[i]
                          for i in range(d)]
            if all(0 <= coordinate[i] < spatial[i] for i in range(d)):
                index[p, k] = int(np.ravel_multi_index(coordinate, spatial))
    flat = x.ints.reshape((*x.ints.shape[:4], -1))  # (S, 2, N, C, H*W)
    if fill_with_duplicates:
        for p in range(len(positions)):
            real = index[p][index[p] >= 0]
            index[p][index[p] < 0] = real[0]
        return flat[..., index], out_spatial  # (S, 2, N, C, P, K)
    padded = np.concatenate([flat, np.zeros((*flat.shape[:4], 1), dtype=flat.dtype)], axis=-1)
    index[index < 0] = flat.shape[-1]
    gathered = padded[..., index]  # (S, 2, N, C, P, K)
    gathered = np.moveaxis(gathered, -1, 4)  # (S, 2, N, C, K, P)
    return gathered.reshape((*gathered.shape[:3], -1, len(positions))), out_spatial


# --- the switching operators ---------------------------------------------------------------


class Switches(dict[Fraction, list[Unit]]):
    """The units switching at each t, filled as the graph runs; ``limit`` caps the regions."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def check(self, cuts: Sequence[Fraction]) -> None:
        if len(cuts) - 1 > self.limit:
            raise InputError(f"more than {self.limit} linear regions along the segment; give a "
                             f"shorter segment (or a larger max_regions)")


def _points(cuts: Sequence[Fraction]) -> tuple[Ints, Ints]:
    """Numerators and denominators of ``cuts`` as object columns."""
    n = np.empty(len(cuts), dtype=object)
    d = np.empty(len(cuts), dtype=object)
    n[:] = [c.numerator for c in cuts]
    d[:] = [c.denominator for c in cuts]
    return n, d


def _column(values: Ints, rank: int) -> Ints:
    return values.reshape((-1,) + (1,) * rank)


def _split(line: _Line, crossings: dict[int, set[Fraction]]) -> tuple[tuple[Fraction, ...],
                                                                      list[int]]:
    """The partition refined by ``crossings`` (segment -> points inside it) and the parent
    segment of every new one."""
    cuts: list[Fraction] = [line.cuts[0]]
    parents: list[int] = []
    for s in range(len(line.cuts) - 1):
        for t in sorted(crossings.get(s, ())):
            cuts.append(t)
            parents.append(s)
        cuts.append(line.cuts[s + 1])
        parents.append(s)
    return tuple(cuts), parents


def _threshold(line: _Line, thresholds: Sequence[Fraction], slopes: Sequence[Any],
               offsets: Sequence[Any], node: _Node, switches: Switches) -> _Line:
    """The elementwise piecewise-linear map: branch k (between ``thresholds[k-1]`` and
    ``thresholds[k]``) is ``slopes[k] * v + offsets[k]``; continuous at every threshold.

    ``slopes``/``offsets`` are Fractions or object arrays of Fractions broadcastable to
    the tensor.
    """
    rank = len(line.shape)
    a, b = line.ints[:, 0], line.ints[:, 1]
    n, d = _points(line.cuts)
    crossings: dict[int, set[Fraction]] = {}
    for theta in thresholds:
        level = theta / line.scale  # the unit is at its threshold where a + b t = level
        p, q = level.numerator, level.denominator
        left = q * (a * _column(d[:-1], rank) + b * _column(n[:-1], rank)) - p * _column(
            d[:-1], rank)
        right = q * (a * _column(d[1:], rank) + b * _column(n[1:], rank)) - p * _column(
            d[1:], rank)
        crossing = ((left > 0) & (right < 0)) | ((left < 0) & (right > 0))
        for s, *unit in zip(*np.nonzero(crossing), strict=True):
            crossings.setdefault(int(s), set()).add(
                Fraction(p - q * a[(s, *unit)], q * b[(s, *unit)]))
    cuts, parents = _split(line, crossings)
    switches.check(cuts)
    a, b = a[parents], b[parents]
    n, d = _points(cuts)
    mid_n = _column(n[:-1] * d[1:] + n[1:] * d[:-1], rank)  # twice the midpoint ...
    mid_d = _column(2 * d[:-1] * d[1:], rank)  # ... over this
    branch = np.zeros(a.shape, dtype=np.int64)
    at_threshold = np.zeros(a.shape, dtype=bool)
    for theta in thresholds:
        level = theta / line.scale
        value = level.denominator * (a * mid_d + b * mid_n) - level.numerator * mid_d
        branch += value > 0
        at_threshold |= value == 0  # identically at the threshold: every branch agrees
    changed = (branch[1:] != branch[:-1]) & ~at_threshold[1:] & ~at_threshold[:-1]
    _record(changed, cuts, node, switches)
    # y = m v + c = scale * (m (a + b t) + c / scale): one common denominator for all branches
    ms = [np.asarray(m, dtype=object) for m in slopes]
    cs = [np.asarray(np.asarray(c, dtype=object) / line.scale, dtype=object) for c in offsets]
    denominators = {Fraction(v).denominator for arr in ms + cs for v in arr.ravel().tolist()}
    denominator = math.lcm(*denominators)
    to_int = np.vectorize(lambda v: int(Fraction(v) * denominator), otypes=[object])
    m_choice = [to_int(m) for m in ms]
    c_choice = [to_int(c) for c in cs]
    m = np.choose(branch, m_choice)
    c = np.choose(branch, c_choice)
    ints = np.stack([m * a + c, m * b], axis=1)
    return _normal(cuts, ints, line.scale / denominator)


def _record(changed: NDArray[np.bool_], cuts: Sequence[Fraction], node: _Node,
            switches: Switches) -> None:
    if not changed.size:
        return
    flat = changed.reshape(changed.shape[0], -1)
    for s, index in zip(*np.nonzero(flat), strict=True):
        switches.setdefault(cuts[int(s) + 1], []).append(
            Unit(layer=node.index, node=node.name, op=node.op, index=int(index)))


def _max_last(line: _Line, node: _Node, switches: Switches) -> _Line:
    """The maximum over the last axis (Max of several tensors, MaxPool windows): an upper
    envelope of affine functions of t on each interval."""
    rank = len(line.shape) - 1
    a, b = line.ints[:, 0], line.ints[:, 1]
    k = a.shape[-1]
    n, d = _points(line.cuts)
    ln, ld = _column(n[:-1], rank), _column(d[:-1], rank)
    rn, rd = _column(n[1:], rank), _column(d[1:], rank)
    crossings: dict[int, set[Fraction]] = {}
    for i in range(k):
        for j in range(i + 1, k):
            num = a[..., j] - a[..., i]  # a_i + b_i t = a_j + b_j t at t = num / den
            den = b[..., i] - b[..., j]
            positive = den > 0
            num = np.where(positive, num, -num)
            den = np.where(positive, den, -den)
            inside = (den != 0) & (num * ld > ln * den) & (num * rd < rn * den)
            for s, *unit in zip(*np.nonzero(inside), strict=True):
                t = Fraction(num[(s, *unit)], den[(s, *unit)])
                values = [a[(s, *unit, m)] * t.denominator + b[(s, *unit, m)] * t.numerator
                          for m in range(k)]
                top = max(values)
                if values[i] == top and values[j] == top:  # the envelope turns here
                    crossings.setdefault(int(s), set()).add(t)
    cuts, parents = _split(line, crossings)
    switches.check(cuts)
    a, b = a[parents], b[parents]
    n, d = _points(cuts)
    mid_n = _column(n[:-1] * d[1:] + n[1:] * d[:-1], rank + 1)
    mid_d = _column(2 * d[:-1] * d[1:], rank + 1)
    values = a * mid_d + b * mid_n
    choice = np.argmax(values, axis=-1)  # the first maximiser
    top = np.take_along_axis(values, choice[..., None], axis=-1)
    # a unit switches when the maximiser on one side is not a maximiser on the other
    left_on_right = np.take_along_axis(values[1:], choice[:-1, ..., None], axis=-1)
    right_on_left = np.take_along_axis(values[:-1], choice[1:, ..., None], axis=-1)
    changed = ((left_on_right < top[1:]) | (right_on_left < top[:-1]))[..., 0]
    _record(changed, cuts, node, switches)
    ints = np.stack([np.take_along_axis(a, choice[..., None], axis=-1)[..., 0],
                     np.take_along_axis(b, choice[..., None], axis=-1)[..., 0]], axis=1)
    return _Line(cuts, ints, line.scale)


def _stack_max(inputs: list[Any], node: _Node, switches: Switches, sign: int) -> _Line:
    lines = [x for x in inputs if isinstance(x, _Line)]
    cuts = _merge(*lines)
    full = [_refine(x, cuts) if isinstance(x, _Line) else _const_line(np.asarray(x), cuts)
            for x in inputs]
    scale = functools.reduce(_unit, [x.scale for x in full])
    shape = np.broadcast_shapes(*[x.shape for x in full])
    parts = [np.broadcast_to(_lift(_rescale(x, scale), len(shape)),
                             (len(cuts) - 1, 2, *shape)) for x in full]
    stacked = np.stack(parts, axis=-1) * sign
    out = _max_last(_Line(cuts, stacked, scale), node, switches)
    return out if sign > 0 else _Line(out.cuts, -out.ints, out.scale)


def _max_pool(x: _Line, node: _Node, switches: Switches) -> _Line:
    kernel = node.attributes.get("kernel_shape")
    if kernel is None:
        raise InputError(f"node {node.name!r} (MaxPool) has no kernel_shape")
    windows, out_spatial = _windows(x, kernel, node, fill_with_duplicates=True)
    pooled = _max_last(_Line(x.cuts, windows, x.scale), node, switches)
    return _reshape(pooled, pooled.shape[:2] + tuple(out_spatial))


# --- running the graph ---------------------------------------------------------------------


def _const(inputs: list[Any], i: int, node: _Node) -> NDArray[Any] | None:
    if i >= len(inputs) or inputs[i] is None:
        return None
    if isinstance(inputs[i], _Line):
        raise InputError(f"node {node.name!r} ({node.op}): input {i + 1} must be a constant")
    return np.asarray(inputs[i])


def _bounds(node: _Node, inputs: list[Any]) -> tuple[Fraction | None, Fraction | None]:
    if "min" in node.attributes or "max" in node.attributes:  # opset < 11
        low, high = node.attributes.get("min"), node.attributes.get("max")
    else:
        lo, hi = _const(inputs, 1, node), _const(inputs, 2, node)
        low = None if lo is None else lo.item()
        high = None if hi is None else hi.item()
    return (None if low is None else Fraction(low), None if high is None else Fraction(high))


def _run_node(node: _Node, inputs: list[Any], switches: Switches) -> Any:
    op, attributes = node.op, node.attributes
    x: Any = inputs[0] if inputs else None
    if op == "Constant":
        if "value" in attributes:
            return attributes["value"]
        for key in ("value_float", "value_floats", "value_int", "value_ints"):
            if key in attributes:
                return np.asarray(attributes[key])
        raise InputError(f"node {node.name!r} (Constant): unsupported kind of constant")
    if not any(isinstance(v, _Line) for v in inputs):
        if op in ("Identity", "Reshape", "Flatten"):
            pass  # shape operations on constants are exact
        else:
            raise InputError(f"node {node.name!r} ({op}) computes on constants only; export "
                             f"with constant folding (torch.onnx.export does it by default)")
    if op == "Identity":
        return x
    if op == "Flatten":
        axis = attributes.get("axis", 1)
        shape = x.shape if isinstance(x, _Line) else np.shape(x)
        axis = axis + len(shape) if axis < 0 else axis
        flat = (math.prod(shape[:axis]), math.prod(shape[axis:]))
        return _reshape(x, flat) if isinstance(x, _Line) else np.reshape(x, flat)
    if op == "Reshape":
        shape_in = x.shape if isinstance(x, _Line) else np.shape(x)
        target = [int(v) for v in np.asarray(_const(inputs, 1, node)).tolist()]
        if not attributes.get("allowzero", 0):
            target = [shape_in[i] if v == 0 else v for i, v in enumerate(target)]
        if -1 in target:
            known = math.prod(v for v in target if v != -1)
            target[target.index(-1)] = math.prod(shape_in) // known if known else 0
        if math.prod(target) != math.prod(shape_in):
            raise InputError(f"node {node.name!r} (Reshape): cannot reshape {shape_in} to "
                             f"{target}")
        return _reshape(x, target) if isinstance(x, _Line) else np.reshape(x, target)
    if op in ("Gemm",):
        return _gemm(inputs, node)
    if op == "MatMul":
        return _matmul(inputs[0], inputs[1], node)
    if op == "Conv":
        return _conv(inputs, node)
    if op in ("Add", "Sub"):
        return _add(inputs[0], inputs[1], 1 if op == "Add" else -1)
    if op in ("Mul", "Div"):
        line, other = (inputs[0], inputs[1]) if isinstance(inputs[0], _Line) else (
            inputs[1], inputs[0])
        if isinstance(other, _Line):
            raise InputError(f"node {node.name!r} ({op}) multiplies or divides two tensors that "
                             f"both depend on the input: not piecewise linear, not supported")
        if op == "Div" and not isinstance(inputs[0], _Line):
            raise InputError(f"node {node.name!r} (Div): dividing by an input-dependent "
                             f"tensor is not supported, only division by constants")
        values: Any = np.asarray(other)
        if op == "Div":
            exact = _fraction_array(*_exact(values))
            if any(v == 0 for v in exact.ravel().tolist()):
                raise InputError(f"node {node.name!r} (Div) divides by zero")
            values = 1 / exact
        ints, scale = _exact(values)
        return _scaled(line, ints, scale)
    if not isinstance(x, _Line) and op not in ("Max", "Min"):
        raise InputError(f"node {node.name!r} ({op}): its first input must depend on the input")
    zero, one = Fraction(0), Fraction(1)
    if op == "Relu":
        return _threshold(x, [zero], [zero, one], [zero, zero], node, switches)
    if op == "LeakyRelu":
        alpha = Fraction(attributes.get("alpha", 0.01))
        return _threshold(x, [zero], [alpha, one], [zero, zero], node, switches)
    if op == "PRelu":
        slope = _fraction_array(*_exact(_const(inputs, 1, node)))
        return _threshold(x, [zero], [slope, one], [zero, zero], node, switches)
    if op == "Abs":
        return _threshold(x, [zero], [-one, one], [zero, zero], node, switches)
    if op == "Clip":
        low, high = _bounds(node, inputs)
        return _clip(x, low, high, node, switches)
    if op == "HardSigmoid":
        alpha = Fraction(attributes.get("alpha", 0.2))
        beta = Fraction(attributes.get("beta", 0.5))
        ints, scale = _exact(np.asarray([alpha], dtype=object))
        z = _add(_scaled(x, ints.reshape(()), scale), np.asarray(_fraction_array(
            *_exact(np.asarray(beta, dtype=object)))))
        return _clip(z, zero, one, node, switches)
    if op in ("Max", "Min"):
        return _stack_max(list(inputs), node, switches, 1 if op == "Max" else -1)
    if op == "MaxPool":
        if len(node.outputs) > 1 and node.outputs[1]:
            raise InputError(f"node {node.name!r} (MaxPool): the Indices output is not supported")
        return _max_pool(x, node, switches)
    raise AssertionError(op)


def _clip(x: _Line, low: Fraction | None, high: Fraction | None, node: _Node,
          switches: Switches) -> _Line:
    zero, one = Fraction(0), Fraction(1)
    if low is not None and high is not None and low > high:  # then Clip is max everywhere
        return _add(_scaled(x, np.zeros((), dtype=object), one),
                    np.full(x.shape, high, dtype=object))
    thresholds: list[Fraction] = []
    slopes: list[Any]
    offsets: list[Any]
    if low is not None:
        thresholds.append(low)
        slopes = [zero, one]
        offsets = [low, zero]
    else:
        slopes, offsets = [one], [zero]
    if high is not None:
        thresholds.append(high)
        slopes.append(zero)
        offsets.append(high)
    if not thresholds:
        return x
    return _threshold(x, thresholds, slopes, offsets, node, switches)


def _input_shape(graph: _Graph, start: Sequence[Fraction], end: Sequence[Fraction]
                 ) -> tuple[int, ...]:
    """The model's input shape, once A and B are checked to fill it."""
    shape = graph.input_shape if graph.input_shape is not None else (len(start),)
    size = math.prod(shape)
    if len(start) != size or len(end) != size:
        raise InputError(f"the model's input {graph.input!r} has shape {list(shape)} ({size} "
                         f"numbers); --from has {len(start)} and --to {len(end)}")
    return shape


def _graph_line(graph: _Graph, start: Sequence[Fraction], end: Sequence[Fraction],
                limit: int) -> tuple[_Line, Switches]:
    shape = _input_shape(graph, start, end)
    direction = [e - s for s, e in zip(start, end, strict=True)]
    ints, scale = _exact(np.asarray(list(start) + direction, dtype=object))
    coefficients = ints.reshape((1, 2, *shape))
    values: dict[str, Any] = dict(graph.constants)
    values[graph.input] = _normal((Fraction(0), Fraction(1)), coefficients, scale)
    switches = Switches(limit)
    for node in graph.nodes:
        inputs = [values[name] if name else None for name in node.inputs]
        missing = [name for name in node.inputs if name and name not in values]
        if missing:
            raise InputError(f"node {node.name!r} reads {missing[0]!r}, which nothing computes "
                             f"before it (the graph must be in topological order)")
        values[node.outputs[0]] = _run_node(node, inputs, switches)
    outputs = []
    for name in graph.outputs:
        value = values[name]
        if not isinstance(value, _Line):
            raise InputError(f"the model's output {name!r} does not depend on its input")
        outputs.append(_reshape(value, (-1,)))
    if len(outputs) == 1:
        return outputs[0], switches
    cuts = _merge(*outputs)
    scale = functools.reduce(_unit, [o.scale for o in outputs])
    joined = np.concatenate([_rescale(_refine(o, cuts), scale) for o in outputs], axis=-1)
    return _Line(cuts, joined, scale), switches


# --- the analysis --------------------------------------------------------------------------


def analyze_network(model: str | os.PathLike[str] | Any, start: Iterable[Any],
                    end: Iterable[Any], *, outputs: Sequence[int] | None = None,
                    max_regions: int | None = None) -> NetworkAnalysis:
    """Where ``t -> N(A + t (B - A))`` is not differentiable on ``[0, 1]``, exactly.

    Args:
        model: path of an ONNX file, or an ``onnx.ModelProto``.
        start: A, the input at t = 0 (numbers, ``Fraction``, decimal strings or an array;
            floats are taken at their exact binary value).
        end: B, the input at t = 1.
        outputs: which outputs K (indices into the flattened graph output, several graph
            outputs concatenated in order); default all.
        max_regions: refuse a segment crossing more linear regions (default
            :data:`MAX_REGIONS`).

    Returns:
        A :class:`NetworkAnalysis`.

    Raises:
        InputError: see :func:`load_model`; input sizes that do not match; an output index
            out of range.

    Examples:
        >>> import onnx
        >>> from onnx import helper, TensorProto, numpy_helper
        >>> w = numpy_helper.from_array(np.array([[1.0], [-1.0]]), "w")
        >>> graph = helper.make_graph(
        ...     [helper.make_node("MatMul", ["x", "w"], ["h"]),
        ...      helper.make_node("Abs", ["h"], ["y"])],
        ...     "g", [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [2])],
        ...     [helper.make_tensor_value_info("y", TensorProto.DOUBLE, [1])], [w])
        >>> result = analyze_network(helper.make_model(graph), [0, 1], [3, 0])
        >>> [(str(p.t), str(p.left_derivative), str(p.right_derivative), p.kind.value)
        ...  for p in result.outputs[0].points]
        [('1/4', '-4', '4', 'corner')]
    """
    graph = load_model(model)
    a = _fractions(np.asarray(start).ravel().tolist() if isinstance(start, np.ndarray)
                   else [Fraction(v) for v in start], "--from")
    b = _fractions(np.asarray(end).ravel().tolist() if isinstance(end, np.ndarray)
                   else [Fraction(v) for v in end], "--to")
    ops = {node.op for node in graph.nodes}
    if ops & (SMOOTH_OPS | PIECEWISE_SMOOTH_OPS):
        return _analyze_smooth(graph, a, b, outputs)
    line, switches = _graph_line(graph, a, b, max_regions or MAX_REGIONS)
    count = line.shape[0]
    chosen = _choose_outputs(outputs, count)
    direction = tuple(e - s for s, e in zip(a, b, strict=True))
    slopes_all = line.ints[:, 1]  # (S, K)
    reports = []
    for k in chosen:
        column = slopes_all[:, k].tolist()
        intercepts = line.ints[:, 0, k].tolist()
        points = []
        breaks = [line.cuts[0]]
        slopes = [line.scale * column[0]]
        for s in range(1, len(line.cuts) - 1):
            t = line.cuts[s]
            left, right = line.scale * column[s - 1], line.scale * column[s]
            units = tuple(switches.get(t, ()))
            if left != right:
                breaks.append(t)
                slopes.append(right)
            elif not units:
                continue
            points.append(NetworkPoint(
                t=t, start=a, direction=direction, units=units,
                value=line.scale * (intercepts[s] + column[s] * t),
                left_derivative=left, right_derivative=right,
                kind=NetKind.CORNER if left != right else NetKind.DIFFERENTIABLE))
        breaks.append(line.cuts[-1])
        last = len(line.cuts) - 2
        segment = [bisect.bisect_right(line.cuts, t) - 1 for t in breaks[:-1]] + [last]
        values = tuple(line.scale * (intercepts[s] + column[s] * t)
                       for s, t in zip(segment, breaks, strict=True))
        reports.append(OutputReport(output=k, points=tuple(points), breaks=tuple(breaks),
                                    values=values, slopes=tuple(slopes)))
    return NetworkAnalysis(model=graph.name, start=a, end=b, outputs=tuple(reports), exact=True,
                           regions=len(line.cuts) - 1, input_shape=_input_shape(graph, a, b))


def _choose_outputs(outputs: Sequence[int] | None, count: int) -> tuple[int, ...]:
    if outputs is None:
        return tuple(range(count))
    bad = [k for k in outputs if not 0 <= k < count]
    if bad:
        raise InputError(f"--output {bad[0]}: the model has {count} output value(s), "
                         f"numbered 0 to {count - 1}")
    return tuple(dict.fromkeys(outputs))


# --- smooth activations: float64 evaluation -------------------------------------------------

_SQRT2 = math.sqrt(2.0)
_erf = np.vectorize(math.erf, otypes=[np.float64])


def _smooth(node: _Node, x: NDArray[np.float64]) -> NDArray[np.float64]:
    op, attributes = node.op, node.attributes
    if op == "Tanh":
        return np.tanh(x)
    if op == "Sigmoid":
        return 0.5 * (1.0 + np.tanh(0.5 * x))
    if op == "Softplus":
        return np.logaddexp(0.0, x)
    if op == "Erf":
        return np.asarray(_erf(x))
    if op == "Gelu":
        if attributes.get("approximate", "none") == "tanh":
            return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))
        return 0.5 * x * (1.0 + np.asarray(_erf(x / _SQRT2)))
    if op == "Elu":
        alpha = attributes.get("alpha", 1.0)
        return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))
    if op == "Selu":
        alpha = attributes.get("alpha", 1.67326319217681884765625)
        gamma: float = attributes.get("gamma", 1.05070102214813232421875)
        return gamma * np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))
    if op == "HardSwish":
        return x * np.clip(x / 6.0 + 0.5, 0.0, 1.0)
    raise AssertionError(op)


def _float_node(node: _Node, inputs: list[Any], lines: set[int]
                ) -> tuple[Any, NDArray[np.int64] | None]:
    """One node on float64 tensors with a leading axis of samples; ``lines`` holds the
    positions of the inputs that depend on t.  Returns the output and, for a switching
    node, the branch of every unit."""
    op, attributes = node.op, node.attributes
    x: Any = inputs[0] if inputs else None

    def thresholds(v: NDArray[np.float64], levels: Sequence[float]) -> NDArray[np.int64]:
        counts: NDArray[np.int64] = np.sum([v > level for level in levels], axis=0)
        return counts.astype(np.int64)

    if op in SMOOTH_OPS:
        return _smooth(node, x), None
    if op in ("Elu", "Selu"):
        return _smooth(node, x), (x > 0).astype(np.int64)
    if op == "HardSwish":
        return _smooth(node, x), thresholds(x, [-3.0, 3.0])
    if op == "Relu":
        return np.maximum(x, 0.0), (x > 0).astype(np.int64)
    if op == "LeakyRelu":
        return np.where(x > 0, x, attributes.get("alpha", 0.01) * x), (x > 0).astype(np.int64)
    if op == "PRelu":
        return np.where(x > 0, x, np.asarray(inputs[1], dtype=np.float64) * x), (
            x > 0).astype(np.int64)
    if op == "Abs":
        return np.abs(x), (x > 0).astype(np.int64)
    if op in ("Clip", "HardSigmoid"):
        if op == "HardSigmoid":
            x = attributes.get("alpha", 0.2) * x + attributes.get("beta", 0.5)
            low: Fraction | None = Fraction(0)
            high: Fraction | None = Fraction(1)
        else:
            low, high = _bounds(node, inputs)
        levels = [float(v) for v in (low, high) if v is not None]
        return np.clip(x, -np.inf if low is None else float(low),
                       np.inf if high is None else float(high)), thresholds(x, levels)
    if op in ("Max", "Min"):
        sign = 1.0 if op == "Max" else -1.0
        stacked = np.stack(np.broadcast_arrays(*[
            np.asarray(v, dtype=np.float64) if i in lines else np.asarray(v, dtype=np.float64)[None]
            for i, v in enumerate(inputs)]), axis=-1) * sign
        return sign * stacked.max(axis=-1), stacked.argmax(axis=-1)
    if op == "MaxPool":
        fake = _Line((), x[:, None], Fraction(1))
        windows, out_spatial = _windows(fake, attributes["kernel_shape"], node, True)
        windows = windows[:, 0]  # (T, N, C, P, K)
        out = windows.max(axis=-1).reshape(windows.shape[:3] + tuple(out_spatial))
        return out, windows.argmax(axis=-1)
    if op == "Conv":
        fake = _Line((), x[:, None], Fraction(1))
        w = np.asarray(inputs[1], dtype=np.float64)
        columns, out_spatial = _windows(fake, w.shape[2:], node)
        out = np.matmul(w.reshape(w.shape[0], -1), columns[:, 0])
        out = out.reshape(out.shape[:3] + tuple(out_spatial))
        if len(inputs) > 2 and inputs[2] is not None:
            out = out + np.asarray(inputs[2], dtype=np.float64).reshape(
                (-1,) + (1,) * len(out_spatial))
        return out, None
    if op in ("Gemm", "MatMul"):
        a, b = inputs[0], inputs[1]
        if op == "Gemm":
            a = np.swapaxes(a, -1, -2) if attributes.get("transA", 0) else a
            b = np.swapaxes(b, -1, -2) if attributes.get("transB", 0) else b
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        if 0 in lines:
            out = np.matmul(a, b)
        else:
            out = np.matmul(b, a.T) if b.ndim == 2 else np.matmul(a, b)
        if op == "Gemm":
            out = attributes.get("alpha", 1.0) * out
            if len(inputs) > 2 and inputs[2] is not None:
                out = out + attributes.get("beta", 1.0) * np.asarray(inputs[2], dtype=np.float64)
        return out, None
    raise AssertionError(op)


def _evaluate(graph: _Graph, start: Sequence[Fraction], end: Sequence[Fraction],
              ts: NDArray[np.float64]) -> tuple[NDArray[np.float64], dict[int, NDArray[np.int64]]]:
    """The flattened outputs at every t in ``ts`` (float64) and the branch of every unit of
    every switching node, flattened: ``(len(ts), units)``."""
    a = np.array([float(v) for v in start])
    d = np.array([float(e - s) for s, e in zip(start, end, strict=True)])
    values: dict[str, Any] = dict(graph.constants)
    shape = _input_shape(graph, start, end)
    values[graph.input] = (a + ts[:, None] * d).reshape((len(ts), *shape))
    varying = {graph.input}
    branches: dict[int, NDArray[np.int64]] = {}
    for node in graph.nodes:
        inputs = [values[name] if name else None for name in node.inputs]
        lines = {i for i, name in enumerate(node.inputs) if name in varying}
        if node.op == "Constant" or not lines:
            values[node.outputs[0]] = _run_node(node, inputs, Switches(0))
            continue
        if node.op in LINEAR_OPS - {"Gemm", "MatMul", "Conv"}:
            out = _float_linear(node, inputs, lines)
            branch = None
        else:
            out, branch = _float_node(node, inputs, lines)
        values[node.outputs[0]] = out
        varying.add(node.outputs[0])
        if branch is not None:
            branches[node.index] = branch.reshape(len(ts), -1)
    outputs = [np.asarray(values[name], dtype=np.float64).reshape(len(ts), -1)
               for name in graph.outputs]
    return np.concatenate(outputs, axis=1), branches


def _float_linear(node: _Node, inputs: list[Any], lines: set[int]) -> Any:
    op, x = node.op, inputs[0]
    samples = len(inputs[next(iter(lines))])
    if op == "Identity":
        return x
    if op == "Flatten":
        axis = node.attributes.get("axis", 1)
        shape = x.shape[1:]
        axis = axis + len(shape) if axis < 0 else axis
        return x.reshape(samples, math.prod(shape[:axis]), math.prod(shape[axis:]))
    if op == "Reshape":
        target = [int(v) for v in np.asarray(inputs[1]).tolist()]
        if not node.attributes.get("allowzero", 0):
            target = [x.shape[1 + i] if v == 0 else v for i, v in enumerate(target)]
        return x.reshape(samples, *target)
    u = np.asarray(inputs[0], dtype=np.float64)
    v = np.asarray(inputs[1], dtype=np.float64)
    if 1 in lines and 0 not in lines:  # a constant first operand: keep the sample axis first
        u = u[None]
    if op == "Add":
        return u + v
    if op == "Sub":
        return u - v
    if op == "Mul":
        return u * v
    if op == "Div":
        return u / v
    raise AssertionError(op)


def _analyze_smooth(graph: _Graph, a: tuple[Fraction, ...], b: tuple[Fraction, ...],
                    outputs: Sequence[int] | None) -> NetworkAnalysis:
    ops = {node.op for node in graph.nodes}
    _input_shape(graph, a, b)
    smooth = ", ".join(sorted(ops & (SMOOTH_OPS | PIECEWISE_SMOOTH_OPS)))
    direction = tuple(e - s for s, e in zip(a, b, strict=True))
    # ELU with alpha = 1 is continuously differentiable (both slopes are 1 at 0): no kink
    kinked = {node.op for node in graph.nodes
              if node.op in SWITCHING_OPS | PIECEWISE_SMOOTH_OPS
              and not (node.op == "Elu" and node.attributes.get("alpha", 1.0) == 1.0)}
    if not kinked:
        ends, _ = _evaluate(graph, a, b, np.array([0.0, 1.0]))
        chosen = _choose_outputs(outputs, ends.shape[1])
        smoothness = ("continuously differentiable (ELU with alpha = 1 is C1)" if "Elu" in ops
                      else "analytic")
        note = (f"{smoothness}: besides linear operators the network has only {smooth}, so "
                f"t -> N(A + t (B - A)) is {smoothness.split(' (')[0]} on [0, 1]: no kink "
                f"(proved)")
        return NetworkAnalysis(
            model=graph.name, start=a, end=b, exact=True, regions=1, notes=(note,),
            input_shape=_input_shape(graph, a, b),
            outputs=tuple(OutputReport(output=k, points=(), breaks=(), values=(), slopes=())
                          for k in chosen))
    ts = np.linspace(0.0, 1.0, SAMPLES + 1)
    values, branches = _evaluate(graph, a, b, ts)
    chosen = _choose_outputs(outputs, values.shape[1])
    found: list[tuple[float, Unit]] = []
    by_index = {node.index: node for node in graph.nodes}
    for layer, branch in branches.items():
        cells, units = np.nonzero(branch[1:] != branch[:-1])
        if not len(cells):
            continue
        low, high = ts[cells], ts[cells + 1]
        before = branch[cells, units]
        for _ in range(45):  # float64 bisection down to about 2**-57
            middle = 0.5 * (low + high)
            _, at_middle = _evaluate(graph, a, b, middle)
            same = at_middle[layer][np.arange(len(middle)), units] == before
            low, high = np.where(same, middle, low), np.where(same, high, middle)
        node = by_index[layer]
        found += [(float(0.5 * (lo + hi)), Unit(layer=layer, node=node.name, op=node.op,
                                                 index=int(u)))
                  for lo, hi, u in zip(low, high, units, strict=True)]
    found.sort(key=lambda item: item[0])
    groups: list[tuple[float, list[Unit]]] = []
    for t, unit in found:
        if groups and t - groups[-1][0] < 1e-9:
            groups[-1][1].append(unit)
        else:
            groups.append((t, [unit]))
    points = tuple(NetworkPoint(t=Fraction(t), start=a, direction=direction, units=tuple(units),
                                value=None, left_derivative=None, right_derivative=None,
                                kind=NetKind.UNKNOWN) for t, units in groups)
    note = (f"not proved: the network mixes switching units with {smooth}, so between switches "
            f"it is not affine and a switch point is the root of an analytic function. The "
            f"points were located numerically (float64 on {SAMPLES + 1} samples, then bisection "
            f"of each unit's branch) and are reported unknown; a unit switching twice between "
            f"two samples is missed")
    return NetworkAnalysis(
        model=graph.name, start=a, end=b, exact=False, regions=len(points) + 1, notes=(note,),
        input_shape=_input_shape(graph, a, b),
        outputs=tuple(OutputReport(output=k, points=points, breaks=(), values=(), slopes=())
                      for k in chosen))


def evaluate_network(model: str | os.PathLike[str] | Any, start: Iterable[Any],
                     end: Iterable[Any], ts: Sequence[float]) -> NDArray[np.float64]:
    """``N(A + t (B - A))`` in float64 at every t of ``ts``: shape ``(len(ts), outputs)``.

    For plots and cross-checks; the analysis itself never relies on it for a
    piecewise-linear network.

    Raises:
        InputError: as :func:`analyze_network`.
    """
    graph = load_model(model)
    a = _fractions([Fraction(v) for v in np.asarray(start, dtype=object).ravel().tolist()],
                   "--from")
    b = _fractions([Fraction(v) for v in np.asarray(end, dtype=object).ravel().tolist()], "--to")
    values, _ = _evaluate(graph, a, b, np.asarray(ts, dtype=np.float64))
    return values


# --- what PyTorch's autograd returns at the points (runs the user's code: opt-in) -------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AutogradCheck:
    """PyTorch's autograd derivative of ``t -> module(A + t (B - A))_K`` at a switch point,
    in float64, beside the exact one-sided derivatives.

    ``verdict``: ``agrees``/``disagrees`` (differentiable point: is it f'(t)?),
    ``subgradient``/``not_subgradient`` (corner: is it within [min, max] of the one-sided
    derivatives?), ``unknown`` (the point was not decided).  ``value_matches`` says whether
    the module computes the same f(t) as the ONNX model (relative 1e-6).
    """

    t: Fraction
    output: int
    value: float
    derivative: float
    verdict: str
    value_matches: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {"t": str(self.t), "output": self.output, "value": self.value,
                "derivative": self.derivative, "verdict": self.verdict,
                "value_matches": self.value_matches}


AUTOGRAD_TOLERANCE = 1e-6
"""Relative tolerance of the autograd checks (float64 evaluation of exact values)."""


def _load_module(spec: str) -> Any:
    import importlib.util

    path, _, name = spec.rpartition(":")
    if not path.endswith(".py") or not name.isidentifier():
        raise InputError(f"--torch-module takes FILE.py:NAME, not {spec!r}")
    if not os.path.isfile(path):
        raise InputError(f"--torch-module: no such file {path!r}")
    try:
        import torch
    except ImportError:
        raise InputError('--torch-module needs PyTorch, which is not installed: pip install '
                         '"diffcheck-analyzer[torch]"  (torch==2.13.0)') from None
    module_spec = importlib.util.spec_from_file_location("_diffcheck_torch_model", path)
    assert module_spec is not None
    assert module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)  # the user asked for it with --execute
    except Exception as e:  # the user's code may raise anything: one line, not a traceback
        raise InputError(f"--torch-module: running {path!r} raised {type(e).__name__}: "
                         f"{e}") from None
    found = getattr(module, name, None)
    if found is None:
        raise InputError(f"--torch-module: {path!r} defines no {name!r}")
    if not isinstance(found, torch.nn.Module) and callable(found):
        found = found()
    if not isinstance(found, torch.nn.Module):
        raise InputError(f"--torch-module: {name!r} in {path!r} is neither a torch.nn.Module "
                         f"nor a function returning one")
    return found.double().eval(), torch


def autograd_checks(spec: str, analysis: NetworkAnalysis, *, execute: bool = False
                    ) -> tuple[AutogradCheck, ...]:
    """Run the PyTorch module ``FILE.py:NAME`` (an ``nn.Module`` or a function returning
    one) at every switch point of ``analysis`` and record its autograd derivative in t.

    This imports and runs the user's file, so it must be asked for: ``execute=True``.

    Raises:
        InputError: ``execute`` not given, a bad spec, torch missing, no such module.
    """
    if not execute:
        raise InputError("--torch-module imports and runs FILE.py (arbitrary code): add "
                         "--execute to allow it")
    model, torch = _load_module(spec)
    a = torch.tensor([float(v) for v in analysis.start], dtype=torch.float64)
    d = torch.tensor([float(e - s) for s, e in zip(analysis.start, analysis.end, strict=True)],
                     dtype=torch.float64)
    shape = analysis.input_shape or (len(analysis.start),)
    checks = []
    for output in analysis.outputs:
        for p in output.points:
            t = torch.tensor(float(p.t), dtype=torch.float64, requires_grad=True)
            try:
                y = model((a + t * d).reshape(shape)).reshape(-1)[output.output]
                (gradient,) = torch.autograd.grad(y, t)
            except Exception as e:  # the user's module, on the model's input shape
                raise InputError(f"--torch-module: the module failed on an input of shape "
                                 f"{list(shape)}: {type(e).__name__}: {e}") from None
            g, v = float(gradient), float(y.detach())
            scale = AUTOGRAD_TOLERANCE * (1 + max(abs(float(p.left_derivative or 0)),
                                                  abs(float(p.right_derivative or 0))))
            if p.left_derivative is None or p.right_derivative is None:
                verdict = "unknown"
            elif p.kind is NetKind.DIFFERENTIABLE:
                verdict = "agrees" if abs(g - float(p.left_derivative)) <= scale else "disagrees"
            else:
                low, high = sorted((float(p.left_derivative), float(p.right_derivative)))
                verdict = ("subgradient" if low - scale <= g <= high + scale
                           else "not_subgradient")
            matches = None if p.value is None else bool(
                abs(v - float(p.value)) <= AUTOGRAD_TOLERANCE * (1 + abs(float(p.value))))
            checks.append(AutogradCheck(t=p.t, output=output.output, value=v, derivative=g,
                                        verdict=verdict, value_matches=matches))
    return tuple(checks)
