"""``diffcheck net`` on random ReLU networks: exact kinks against a float64 enumeration.

    python benchmarks/network.py [--no-write] [--seed 0]

Workloads (random float32 weights, PyTorch's default initialisation: uniform in
+-1/sqrt(fan_in); ReLU after every hidden layer):

* MLP 2->64->64->64->1, the segment between two standard normal inputs;
* MNIST-size 784->256->256->10, the segment between two inputs uniform in [0, 1];
* both again on a long segment, from -x to x with x normal of standard deviation 10
  (it crosses many more linear regions).

Each workload runs in a fresh worker process: *exact* is
:func:`diffcheck.apps.network.analyze_network` (ONNX model built in memory, reading
included); *float64* is an independent float64 region enumeration of the same segment
(the same construction, numpy floats: the speed anchor), written here.  Time is the
wall clock of the work alone; memory is the worker's peak RSS (``ru_maxrss`` from
``os.wait4``; the interpreter, numpy and onnx included).  The cross-check matches the
float64 break points of the network's partition with the exact ones (1e-9 apart at
most) and reports counts and disagreements.  The table is printed and written under
"## Networks" in ``benchmarks/RESULTS.md`` (replacing an earlier section of that name).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"

WORKLOADS: dict[str, tuple[list[int], str]] = {
    "MLP 2-64-64-64-1": ([2, 64, 64, 64, 1], "normal"),
    "MNIST-size 784-256-256-10": ([784, 256, 256, 10], "uniform"),
    "MLP 2-64-64-64-1, long segment": ([2, 64, 64, 64, 1], "wide"),
    "MNIST-size, long segment": ([784, 256, 256, 10], "wide"),
}
TARGETS = {"MLP 2-64-64-64-1": 10.0, "MNIST-size 784-256-256-10": 60.0,
           "MLP 2-64-64-64-1, long segment": 10.0, "MNIST-size, long segment": 60.0}


def weights(sizes: list[int], seed: int) -> list[tuple[Any, Any]]:
    rng = np.random.default_rng(seed)
    layers = []
    for n, m in itertools.pairwise(sizes):
        bound = 1 / np.sqrt(n)
        layers.append((rng.uniform(-bound, bound, (n, m)).astype(np.float32),
                       rng.uniform(-bound, bound, m).astype(np.float32)))
    return layers


def segment(sizes: list[int], kind: str, seed: int) -> tuple[Any, Any]:
    rng = np.random.default_rng(seed + 1)
    if kind == "normal":
        return rng.standard_normal(sizes[0]), rng.standard_normal(sizes[0])
    if kind == "wide":  # from -x to x, x normal with standard deviation 10
        x = 10 * rng.standard_normal(sizes[0])
        return -x, x
    return rng.uniform(0, 1, sizes[0]), rng.uniform(0, 1, sizes[0])


def model(layers: list[tuple[Any, Any]]) -> Any:
    from onnx import TensorProto, helper, numpy_helper

    nodes, inits, name = [], [], "x"
    for i, (w, b) in enumerate(layers):
        inits += [numpy_helper.from_array(w, f"W{i}"), numpy_helper.from_array(b, f"b{i}")]
        nodes.append(helper.make_node("Gemm", [name, f"W{i}", f"b{i}"], [f"z{i}"]))
        name = f"z{i}"
        if i < len(layers) - 1:
            nodes.append(helper.make_node("Relu", [name], [f"h{i}"], name=f"relu{i}"))
            name = f"h{i}"
    graph = helper.make_graph(
        nodes, "mlp", [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                     [1, layers[0][0].shape[0]])],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, layers[-1][0].shape[1]])],
        inits)
    return helper.make_model(graph)


def float_regions(layers: list[tuple[Any, Any]], a: Any, b: Any) -> list[float]:
    """The break points of the partition of [0, 1], float64: on each interval every
    pre-activation is a + b t; ReLU units split it where they cross 0."""
    cuts = np.array([0.0, 1.0])
    coef = np.stack([a, b - a])[None]  # (S, 2, n)
    for i, (w, bias) in enumerate(layers):
        w64, b64 = w.astype(np.float64), bias.astype(np.float64)
        coef = coef @ w64
        coef[:, 0] += b64
        if i == len(layers) - 1:
            break
        lo, hi = cuts[:-1, None], cuts[1:, None]
        left = coef[:, 0] + coef[:, 1] * lo
        right = coef[:, 0] + coef[:, 1] * hi
        s, u = np.nonzero(left * right < 0)
        ts = -coef[s, 0, u] / coef[s, 1, u]
        new = np.unique(np.concatenate([cuts, ts]))
        parents = np.searchsorted(cuts, new[:-1], side="right") - 1
        coef = coef[parents]
        mid = 0.5 * (new[:-1] + new[1:])[:, None]
        on = (coef[:, 0] + coef[:, 1] * mid) > 0
        coef = coef * on[:, None, :]
        cuts = new
    return cuts[1:-1].tolist()


def worker(name: str, method: str, seed: int) -> dict[str, Any]:
    sizes, kind = WORKLOADS[name]
    layers = weights(sizes, seed)
    a, b = segment(sizes, kind, seed)
    if method == "float64":
        start = time.perf_counter()
        cuts = float_regions(layers, a, b)
        return {"seconds": time.perf_counter() - start, "breaks": cuts}
    sys.path.insert(0, str(ROOT))
    from diffcheck.apps.network import analyze_network

    proto = model(layers)
    start = time.perf_counter()
    result = analyze_network(proto, a, b)
    seconds = time.perf_counter() - start
    switch_points = sorted({p.t for o in result.outputs for p in o.points})
    return {"seconds": seconds, "breaks": [float(t) for t in switch_points],
            "exact_breaks": [str(t) for t in switch_points], "regions": result.regions,
            "kinks": [len(o.kinks) for o in result.outputs],
            "pieces": [o.pieces for o in result.outputs]}


def measure(name: str, method: str, seed: int) -> dict[str, Any]:
    proc = subprocess.Popen([sys.executable, __file__, "--worker", name, method, str(seed)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"worker {name} {method} failed ({proc.returncode})")
    data: dict[str, Any] = json.loads(out)
    data["mb"] = usage.ru_maxrss / 1024
    return data


def compare(exact: list[str], floats: list[float]) -> tuple[int, int, float]:
    """(exact breaks without a float64 one within 1e-9, float64 breaks without an exact
    one, largest |t_float - t_exact| among the matched)."""
    values = [Fraction(t) for t in exact]
    xs = np.array([float(t) for t in values])
    ys = np.array(sorted(floats))
    worst = 0.0
    unmatched_exact = 0
    for x in xs:
        j = np.searchsorted(ys, x)
        near = [abs(ys[k] - x) for k in (j - 1, j) if 0 <= k < len(ys)]
        if near and min(near) <= 1e-9:
            worst = max(worst, min(near))
        else:
            unmatched_exact += 1
    unmatched_float = sum(
        1 for y in ys if not len(xs) or np.min(np.abs(xs - y)) > 1e-9)
    return unmatched_exact, unmatched_float, worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        name, method, seed = args.worker
        print(json.dumps(worker(name, method, int(seed))))
        return 0
    rows = []
    for name in WORKLOADS:
        exact = measure(name, "exact", args.seed)
        floats = measure(name, "float64", args.seed)
        missing, extra, worst = compare(exact["exact_breaks"], floats["breaks"])
        target = TARGETS[name]
        rows.append(
            f"| {name} | {exact['regions']} | {sum(exact['kinks'])} | "
            f"{exact['seconds']:.2f} | {exact['mb']:.0f} | {floats['seconds']:.4f} | "
            f"{floats['mb']:.0f} | {exact['seconds'] / floats['seconds']:.0f} | "
            f"{len(floats['breaks']) + 1} | {missing} / {extra} | {worst:.1e} | "
            f"{'yes' if exact['seconds'] <= target and exact['mb'] <= 1024 else 'NO'} "
            f"(<= {target:.0f} s, <= 1 GB) |")
        print(rows[-1], flush=True)
    load = os.getloadavg()[0]
    section = "\n".join([
        "## Networks",
        "",
        f"`python benchmarks/network.py --seed {args.seed}` on {time.strftime('%Y-%m-%d')}, "
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"{os.cpu_count()} cores, load average {load:.1f} at the end of the run. "
        "Random float32 ReLU MLPs (PyTorch's default initialisation), one segment each; "
        "*exact* is `analyze_network` (rational arithmetic, every switch point exact), "
        "*float64* an independent float64 region enumeration of the same segment "
        "(benchmarks/network.py). Each runs in a fresh process; MB is its peak RSS "
        "(interpreter, numpy and onnx included). *missing / extra*: exact switch points "
        "with no float64 one within 1e-9, and float64 ones with no exact one.",
        "",
        "| workload | regions | kinks (all outputs) | exact s | MB | float64 s | MB | "
        "exact/float64 | float64 regions | missing / extra | max abs t diff | target met |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
    ])
    print()
    print(section)
    if not args.no_write:
        text = RESULTS.read_text(encoding="utf-8")
        if "\n## Networks\n" in text:
            head, _, tail = text.partition("\n## Networks\n")
            rest = tail.partition("\n## ")
            text = head + "\n" + section + ("\n## " + rest[2] if rest[1] else "")
        else:
            text = text.rstrip("\n") + "\n\n" + section
        RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
