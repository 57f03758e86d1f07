"""ReLU networks of one input written as expressions: kinks, time and memory against size.

    python benchmarks/compositions.py                 # the scaling table (several minutes)
    python benchmarks/compositions.py --quick         # one small network, seconds

For every network (hidden layer widths, seeded rational weights), in the same run
and each in a fresh worker process (peak RSS from ``os.wait4``, wall time of the
work alone with ``time.perf_counter``):

* ``diffcheck``: ``diffcheck.analyze(f)`` -- kinks found (non-differentiable points),
  whether every one has exact one-sided derivatives, and whether anything was left
  unsolved;
* ``before``: the same with the partition switched off
  (``diffcheck.engine.discovery.USE_PARTITION = False``), SymPy's ``solveset`` on
  each switch equation as before this change;
* ``sympy``: plain SymPy as a user would do it, ``solveset`` of every switch
  equation (``p - q = 0`` for each ``Max(p, q)``) on the reals, then
  ``sympy.limit`` of the one-sided difference quotients at up to ``--samples`` of
  the points found, extrapolated to all of them (marked ``~``).  Each SymPy call is
  capped at ``--cap`` seconds (a capped call counts as the cap).

A worker that runs past ``--wall`` seconds is stopped and reported as ``>wall``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

NETWORKS: tuple[tuple[int, ...], ...] = (
    (8,), (16,), (32,), (64,),
    (8, 8), (32, 16), (64, 32),
    (8, 8, 8), (16, 8, 8),
)
QUICK: tuple[tuple[int, ...], ...] = ((8, 4),)


def network(widths: tuple[int, ...], seed: int = 0) -> Any:
    """sum_k c_k*relu(W_L ... relu(W_1 x + b_1) ... + b_L)_k, seeded rational weights."""
    import sympy

    x = sympy.Symbol("x", real=True)
    rng = random.Random(seed)
    layer: list[Any] = [x]
    for width in widths:
        layer = [sympy.Max(0, sympy.Add(
            sympy.Rational(rng.randint(-20, 20), rng.randint(1, 5)),
            *(sympy.Rational(rng.randint(-9, 9), rng.randint(1, 4)) * u for u in layer)))
            for _ in range(width)]
    return sympy.Add(*(sympy.Rational(rng.choice([-2, -1, 1, 2]), rng.randint(1, 3)) * u
                       for u in layer))


def work(spec: dict[str, Any]) -> dict[str, Any]:
    widths = tuple(spec["widths"])
    f = network(widths)
    out: dict[str, Any] = {"chars": len(str(f))}
    if spec["method"] in ("diffcheck", "before"):
        from diffcheck import analyze
        from diffcheck.engine import discovery

        discovery.USE_PARTITION = spec["method"] == "diffcheck"
        start = time.perf_counter()
        a = analyze(f)
        out["seconds"] = time.perf_counter() - start
        kinks = [p for p in a.points if p.differentiable is False]
        out["kinks"] = len(kinks)
        out["exact"] = all(p.left_derivative is not None and p.right_derivative is not None
                           and p.left_derivative.is_Rational and p.right_derivative.is_Rational
                           for p in kinks)
        out["unsolved"] = len(a.candidate_sets)
        return out
    import sympy

    from diffcheck.budget import BudgetExceeded, budget

    x = sympy.Symbol("x", real=True)
    h = sympy.Dummy("h", real=True)
    start = time.perf_counter()
    found: set[Any] = set()
    capped = 0
    for node in sorted(f.atoms(sympy.Max), key=sympy.default_sort_key):
        p, q = node.args
        try:
            with budget(spec["cap"]):
                solution = sympy.solveset(p - q, x, sympy.S.Reals)
            if isinstance(solution, sympy.FiniteSet):
                found.update(solution)
            else:
                capped += 1  # not a finite set of points: nothing usable
        except BudgetExceeded:
            capped += 1
    solve_seconds = time.perf_counter() - start
    points = sorted(found, key=float)
    k = min(spec["samples"], len(points))
    chosen = [points[round(i * (len(points) - 1) / (k - 1))] for i in range(k)] if k > 1 \
        else points[:k]
    t0 = time.perf_counter()
    limits_ok = 0
    for a in chosen:
        fa = f.subs(x, a)
        quotient = (f.subs(x, a + h) - fa) / h
        for side in ("-", "+"):
            try:
                with budget(spec["cap"]):
                    v = sympy.limit(quotient, h, 0, side)
                limits_ok += int(v.is_finite is True)
            except BudgetExceeded:
                pass
            except Exception:  # plain SymPy is measured as it is: any failure is counted
                pass
    per_point = (time.perf_counter() - t0) / k if k else 0.0
    out.update(seconds=solve_seconds + per_point * len(points), points=len(points),
               unsolved=capped, estimated=k < len(points), limits_ok=limits_ok,
               limits_tried=2 * k)
    return out


def run_worker(spec: dict[str, Any], wall: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        spec_path, out_path = Path(tmp, "spec.json"), Path(tmp, "out.json")
        spec_path.write_text(json.dumps(spec))
        proc = subprocess.Popen([sys.executable, __file__, "--worker", str(spec_path),
                                 str(out_path)])
        deadline = time.monotonic() + wall
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                _pid, status, usage = os.wait4(proc.pid, 0)
                return {"timeout": wall, "peak_mb": usage.ru_maxrss / 1024}
            time.sleep(0.05)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"worker {spec} failed")
        result: dict[str, Any] = json.loads(out_path.read_text())
    result["peak_mb"] = usage.ru_maxrss / 1024
    return result


def _s(r: dict[str, Any]) -> str:
    if "timeout" in r:
        return f">{r['timeout']:.0f}"
    return ("~" if r.get("estimated") else "") + f"{r['seconds']:.3g}"


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| widths | depth | chars | diffcheck kinks | exact slopes | s | MB "
             "| before: kinks | s | MB | SymPy solveset points (unsolved eqs) | s | MB "
             "| before/diffcheck | SymPy/diffcheck |",
             "|" + "---|" * 15]
    for row in rows:
        dc, old, sp = row["diffcheck"], row["before"], row["sympy"]
        if "timeout" in dc:
            lines.append(f"| {'x'.join(map(str, row['widths']))} | {len(row['widths'])} | ? "
                         f"| - | - | {_s(dc)} | {dc['peak_mb']:.0f} |" + " - |" * 8)
            continue
        old_k = "-" if "timeout" in old else f"{old['kinks']} ({old['unsolved']} unsolved)"
        sp_k = "-" if "timeout" in sp else f"{sp['points']} ({sp['unsolved']})"
        ratio_old = ">" + f"{old['timeout'] / dc['seconds']:.3g}" if "timeout" in old \
            else f"{old['seconds'] / dc['seconds']:.3g}"
        ratio_sp = ">" + f"{sp['timeout'] / dc['seconds']:.3g}" if "timeout" in sp \
            else f"{sp['seconds'] / dc['seconds']:.3g}"
        lines.append(
            f"| {'x'.join(map(str, row['widths']))} | {len(row['widths'])} | {dc['chars']} "
            f"| {dc['kinks']} | {'yes' if dc['exact'] and not dc['unsolved'] else 'NO'} "
            f"| {_s(dc)} | {dc['peak_mb']:.0f} | {old_k} | {_s(old)} | {old['peak_mb']:.0f} "
            f"| {sp_k} | {_s(sp)} | {sp['peak_mb']:.0f} | {ratio_old} | {ratio_sp} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one small network")
    parser.add_argument("--widths", nargs="*", help="networks to run, e.g. 32,16 8,8,8")
    parser.add_argument("--cap", type=float, default=5.0, help="seconds per SymPy call")
    parser.add_argument("--samples", type=int, default=3,
                        help="points SymPy's limits are timed at")
    parser.add_argument("--wall", type=float, default=150.0,
                        help="seconds after which a worker is stopped")
    parser.add_argument("--json", metavar="FILE", help="also write the measurements as JSON")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        spec = json.loads(Path(args.worker[0]).read_text())
        Path(args.worker[1]).write_text(json.dumps(work(spec)))
        return 0
    rows = []
    chosen = [tuple(int(w) for w in spec.split(",")) for spec in args.widths] \
        if args.widths else QUICK if args.quick else NETWORKS
    for widths in chosen:
        print(f"  {widths}", file=sys.stderr, flush=True)
        row: dict[str, Any] = {"widths": widths}
        for method in ("diffcheck", "before", "sympy"):
            row[method] = run_worker({"widths": widths, "method": method, "cap": args.cap,
                                      "samples": args.samples}, args.wall)
        rows.append(row)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
