"""diffcheck against plain SymPy, in one run on one machine.

    python benchmarks/run.py            # the full table (a few minutes on 2 cores)
    python benchmarks/run.py --quick    # a smoke run in seconds (what tests/ runs)

Three methods at the same points of the same expressions:

* ``diffcheck``: ``diffcheck.analyze`` (text for the corpus, a SymPy expression
  for the ReLU networks);
* ``limits``: plain SymPy done the honest way, ``sympy.limit`` of the
  one-sided difference quotients (f(a+h) - f(a))/h as h -> 0- and h -> 0+;
* ``subs``: plain SymPy done the fast, wrong way, ``diff(f, x).subs(x, a)``
  (a floor on the cost of computing derivative values at all).

Every (method, workload) runs in a fresh worker process, so SymPy's caches
start cold for each and the peak memory is that worker's own: the peak
resident set size (``ru_maxrss`` from ``os.wait4``, interpreter and SymPy
included).  Times are wall-clock seconds of the work alone (imports and
building the inputs excluded), with ``time.perf_counter``.

The points are the ones diffcheck reports (candidates plus the corpus' extra
point).  Answers are scored against diffcheck's, whose verdicts the test suite
checks against the limit definition; a side diffcheck leaves ``unknown`` is not
scored.  On the ReLU networks with more than ``--all-points`` kinks the two
SymPy methods run at ``--samples`` evenly spaced kinks and their time is
extrapolated to all N kinks (setup + mean time per point x N); each one-sided
SymPy limit gets ``--cap`` seconds (diffcheck's budget stops it) and a capped
limit counts as the cap, so the extrapolated SymPy time is a lower bound.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus.txt"
SIZES = (10, 30, 100, 300, 800)
QUICK_SIZES = (10,)
METHODS = ("diffcheck", "limits", "subs")


# --- workloads ------------------------------------------------------------------------


def read_corpus(path: Path = CORPUS) -> list[tuple[str, str, str]]:
    """(group, expression, extra point) for every line of the corpus."""
    rows: list[tuple[str, str, str]] = []
    group = "?"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# group:"):
            group = line.partition(":")[2].strip()
        elif line.strip() and not line.startswith("#"):
            expr, _, at = line.partition(" ; ")
            rows.append((group, expr.strip(), at.strip()))
    return rows


def relu_network(n: int, seed: int = 0) -> Any:
    """sum_i c_i*Max(0, w_i*x + b_i) with seeded small rational weights and n distinct kinks."""
    import sympy

    x = sympy.Symbol("x", real=True)
    rng = random.Random(seed)
    terms: list[Any] = []
    kinks: set[Any] = set()
    while len(terms) < n:
        w = sympy.Rational(rng.choice([-3, -2, -1, 1, 2, 3]), rng.randint(1, 3))
        b = sympy.Rational(rng.randint(-99, 99), rng.randint(1, 9))
        if -b / w in kinks:
            continue
        kinks.add(-b / w)
        c = sympy.Rational(rng.choice([-2, -1, 1, 2]), rng.randint(1, 3))
        terms.append(c * sympy.Max(0, w * x + b))
    return sympy.Add(*terms)


# --- workers (one fresh process per method and workload) ----------------------------------


def _cases(spec: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(group, expression, variable) per case of the workload, built outside the timing."""
    import sympy

    from diffcheck.language.parsing import parse_expression

    if spec["workload"] == "corpus":
        out = []
        for group, text, _at in read_corpus()[:: spec.get("stride", 1)]:
            f = parse_expression(text)
            x = sorted(f.free_symbols, key=str)[0] if f.free_symbols else None
            out.append((group, f, x))
        return out
    return [("relu", relu_network(spec["n"]), sympy.Symbol("x", real=True))]


def work_diffcheck(spec: dict[str, Any]) -> dict[str, Any]:
    from diffcheck import analyze

    if spec["workload"] == "corpus":
        jobs = [(text, [at]) for _g, text, at in read_corpus()[:: spec.get("stride", 1)]]
    else:
        jobs = [(relu_network(spec["n"]), [])]
    start = time.perf_counter()
    analyses = [analyze(expr, at=at) for expr, at in jobs]
    seconds = time.perf_counter() - start
    points = [
        {"case": i, **{k: p.to_dict()[k] for k in (
            "at", "kind", "left_derivative", "right_derivative", "differentiable", "derivative")}}
        for i, a in enumerate(analyses) for p in a.points
    ]
    return {"seconds": seconds, "estimated": False, "points": points}


def _sample(points: list[dict[str, Any]], spec: dict[str, Any]) -> list[dict[str, Any]]:
    if spec["workload"] == "corpus" or len(points) <= spec["all_points"]:
        return points
    k = spec["samples"]
    return [points[round(i * (len(points) - 1) / (k - 1))] for i in range(k)] if k > 1 \
        else points[:1]


def work_sympy(spec: dict[str, Any], method: str) -> dict[str, Any]:
    import sympy

    from diffcheck.budget import BudgetExceeded, budget
    from diffcheck.language.parsing import parse_point

    cases = _cases(spec)
    reference = spec["reference"]
    chosen = _sample(reference, spec)
    h = sympy.Dummy("h", real=True)
    answers: list[Any] = []
    per_case_setup: dict[int, float] = {}
    derivatives: dict[int, Any] = {}
    start = time.perf_counter()
    for ref in chosen:
        _group, f, x = cases[ref["case"]]
        a = parse_point(ref["at"])
        if x is None:
            answers.append({"value": "0"})
            continue
        if method == "subs":
            if ref["case"] not in derivatives:
                t0 = time.perf_counter()
                derivatives[ref["case"]] = f.diff(x)
                per_case_setup[ref["case"]] = time.perf_counter() - t0
            answers.append(_attempt(lambda d=derivatives[ref["case"]], a=a, x=x: d.subs(x, a),
                                    spec["cap"], budget, BudgetExceeded))
        else:
            fa = f.subs(x, a)
            quotient = (f.subs(x, a + h) - fa) / h
            answers.append({side: _attempt(
                lambda side=side, q=quotient: sympy.limit(q, h, 0, side),
                spec["cap"], budget, BudgetExceeded) for side in ("-", "+")})
    seconds = time.perf_counter() - start
    estimated = len(chosen) < len(reference)
    if estimated:
        setup = sum(per_case_setup.values())
        seconds = setup + (seconds - setup) / len(chosen) * len(reference)
    scores = [(_score_limits if method == "limits" else _score_subs)(ref, ans)
              for ref, ans in zip(chosen, answers, strict=True)]
    return {"seconds": seconds, "estimated": estimated, "scored_points": len(chosen),
            "scores": scores, "groups": [cases[r["case"]][0] for r in chosen]}


def _attempt(compute: Any, cap: float, budget: Any, exceeded: type[BaseException]) -> Any:
    """One SymPy call under the cap: its value, or why there is none."""
    try:
        with budget(cap):
            return {"value": compute()}
    except exceeded:
        return {"timeout": True}
    # A benchmark of plain SymPy must survive whatever SymPy raises, and count it.
    except Exception as e:
        return {"error": type(e).__name__}


def _same(value: Any, expected: str) -> bool:
    import sympy

    want = sympy.sympify(expected)
    if value == want:
        return True
    try:
        return bool(value.is_finite and want.is_finite and sympy.simplify(value - want) == 0)
    except (TypeError, ValueError, AttributeError):
        return False


def _no_value(v: Any) -> bool:
    import sympy

    return v.has(sympy.nan, sympy.zoo) or isinstance(v, sympy.AccumBounds)


def _score_limits(ref: dict[str, Any], answer: dict[str, Any]) -> list[str]:
    """Per side: agree, wrong, failed (no answer), error, timeout or unscored."""
    import sympy

    out = []
    for side, key in (("-", "left_derivative"), ("+", "right_derivative")):
        got, expected = answer[side], ref[key]
        if ref["kind"] == "unknown":
            out.append("unscored")
        elif "timeout" in got:
            out.append("timeout")
        elif "error" in got:
            out.append("error")
        elif isinstance(got["value"], sympy.Limit) or got["value"].has(sympy.Limit):
            out.append("failed")
        elif _no_value(got["value"]):  # nan, zoo, AccumBounds: "no limit"
            out.append("agree" if expected is None else "failed")
        elif expected is None or got["value"].is_extended_real is False:
            out.append("wrong")
        else:
            out.append("agree" if _same(got["value"], expected) else "wrong")
    return out


def _score_subs(ref: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """right, wrong (a number where f' does not exist, or another number), none, error."""
    import sympy

    if ref["kind"] == "unknown":
        return ["unscored"]
    if "timeout" in got or "error" in got:
        return ["error"]
    v = got["value"]
    if _no_value(v) or v.has(sympy.Derivative, sympy.Subs) or v.is_extended_real is False:
        return ["none"]
    if ref["differentiable"] is True and _same(v, ref["derivative"]):
        return ["right"]
    return ["wrong"]


def worker(spec_path: str, out_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    method = spec["method"]
    result = work_diffcheck(spec) if method == "diffcheck" else work_sympy(spec, method)
    Path(out_path).write_text(json.dumps(result))


def run_worker(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one method on one workload in a fresh process; add its peak RSS in MB."""
    with tempfile.TemporaryDirectory() as tmp:
        spec_path, out_path = Path(tmp, "spec.json"), Path(tmp, "out.json")
        spec_path.write_text(json.dumps(spec))
        proc = subprocess.Popen([sys.executable, __file__, "--worker", str(spec_path),
                                 str(out_path)])
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"worker {spec['method']} on {spec['workload']} failed "
                             f"(exit {proc.returncode})")
        result = json.loads(out_path.read_text())
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux: kilobytes
    return result


# --- CLI start-up ------------------------------------------------------------------------


def _timed(cmd: list[str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd} failed")
    return seconds, usage.ru_maxrss / 1024


def cli_startup(reps: int) -> dict[str, Any]:
    """Median wall time and peak RSS of the JSON command against importing SymPy."""
    script = Path(sys.executable).parent / "diffcheck"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "diffcheck"]
    runs: dict[str, list[tuple[float, float]]] = {"diffcheck": [], "sympy": []}
    for _ in range(reps):  # interleaved, so both see the same machine load
        runs["diffcheck"].append(_timed([*command, "Max(0, x)", "--json"]))
        runs["sympy"].append(_timed([sys.executable, "-c", "import sympy"]))
    return {name: {"seconds": statistics.median(t for t, _ in r),
                   "peak_mb": max(m for _, m in r)} for name, r in runs.items()}


# --- the table ---------------------------------------------------------------------------


def measure(args: argparse.Namespace) -> dict[str, Any]:
    workloads: list[dict[str, Any]] = [{"workload": "corpus", "name": "corpus",
                                        "stride": args.stride}]
    workloads += [{"workload": "relu", "name": f"relu N={n}", "n": n} for n in args.sizes]
    rows = []
    for w in workloads:
        common = {**w, "cap": args.cap, "samples": args.samples, "all_points": args.all_points}
        print(f"  {w['name']}: diffcheck", file=sys.stderr, end="", flush=True)
        dc = run_worker({**common, "method": "diffcheck"})
        row = {"name": w["name"], "points": len(dc["points"]), "diffcheck": dc}
        for method in ("limits", "subs"):
            print(f", {method}", file=sys.stderr, end="", flush=True)
            row[method] = run_worker({**common, "method": method, "reference": dc["points"]})
        if w["workload"] == "corpus" and args.corpus_reps > 1:
            # diffcheck and diff().subs are the close pair (a ratio near its target):
            # more interleaved runs, and the median, so one noisy run cannot decide it
            times: dict[str, list[float]] = {"diffcheck": [dc["seconds"]],
                                             "subs": [row["subs"]["seconds"]]}
            for _ in range(args.corpus_reps - 1):
                for method in times:
                    extra = {"reference": dc["points"]} if method == "subs" else {}
                    times[method].append(run_worker({**common, "method": method,
                                                     **extra})["seconds"])
            for method, seconds in times.items():
                row[method]["seconds"] = statistics.median(seconds)
                row[method]["runs"] = len(seconds)
        print(file=sys.stderr)
        del dc["points"]
        rows.append(row)
    print("  cli start-up", file=sys.stderr)
    return {"rows": rows, "cli": cli_startup(args.reps), "machine": machine()}


def machine() -> dict[str, str]:
    import platform

    import sympy

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.partition(":")[2].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": str(os.cpu_count()), "python": platform.python_version(),
            "sympy": sympy.__version__}


def _count(scores: list[list[str]], *names: str) -> int:
    return sum(s in names for point in scores for s in point)


def _t(r: dict[str, Any]) -> str:
    return ("~" if r.get("estimated") else "") + f"{r['seconds']:.3g}"


def table(data: dict[str, Any]) -> str:
    head = ("| workload | points | diffcheck s | MB | SymPy limits s | MB | diff().subs s | MB "
            "| diffcheck/limits | diffcheck/subs | limits: agree/wrong/failed/error/timeout "
            "| subs: right/wrong/none |")
    lines = [head, "|" + "---|" * 12]
    for row in data["rows"]:
        dc, lim, sub = row["diffcheck"], row["limits"], row["subs"]
        ls, ss = lim["scores"], sub["scores"]
        sampled = f" (sampled {lim['scored_points']})" if lim["estimated"] else ""
        lines.append(
            f"| {row['name']} | {row['points']}{sampled} | {dc['seconds']:.3g} "
            f"| {dc['peak_mb']:.0f} | {_t(lim)} | {lim['peak_mb']:.0f} | {_t(sub)} "
            f"| {sub['peak_mb']:.0f} | {dc['seconds'] / lim['seconds']:.3g} "
            f"| {dc['seconds'] / sub['seconds']:.3g} "
            f"| {_count(ls, 'agree')}/{_count(ls, 'wrong')}/{_count(ls, 'failed')}"
            f"/{_count(ls, 'error')}/{_count(ls, 'timeout')} "
            f"| {_count(ss, 'right')}/{_count(ss, 'wrong')}/{_count(ss, 'none', 'error')} |")
    cli = data["cli"]
    lines += ["", "| CLI start-up (median) | s | peak MB |", "|---|---|---|",
              f"| `diffcheck \"Max(0, x)\" --json` | {cli['diffcheck']['seconds']:.3f} "
              f"| {cli['diffcheck']['peak_mb']:.0f} |",
              f"| `python -c \"import sympy\"` | {cli['sympy']['seconds']:.3f} "
              f"| {cli['sympy']['peak_mb']:.0f} |",
              f"| ratio | {cli['diffcheck']['seconds'] / cli['sympy']['seconds']:.2f} | |"]
    return "\n".join(lines)


def constructs(data: dict[str, Any]) -> str:
    """Per construct of the corpus: how the two SymPy methods fare (sides / points)."""
    corpus = next((r for r in data["rows"] if r["name"] == "corpus"), None)
    if corpus is None:
        return ""
    groups: dict[str, dict[str, list[list[str]]]] = {}
    for method in ("limits", "subs"):
        for g, s in zip(corpus[method]["groups"], corpus[method]["scores"], strict=True):
            groups.setdefault(g, {"limits": [], "subs": []})[method].append(s)
    lines = ["| construct | points | limits: agree/wrong/failed/error/timeout "
             "| subs: right/wrong/none |", "|---|---|---|---|"]
    for g, m in groups.items():
        ls, ss = m["limits"], m["subs"]
        lines.append(f"| {g} | {len(ss)} | {_count(ls, 'agree')}/{_count(ls, 'wrong')}/"
                     f"{_count(ls, 'failed')}/{_count(ls, 'error')}/{_count(ls, 'timeout')} "
                     f"| {_count(ss, 'right')}/{_count(ss, 'wrong')}/{_count(ss, 'none', 'error')}"
                     f" |")
    return "\n".join(lines)


def targets(data: dict[str, Any]) -> str:
    rows = {r["name"]: r for r in data["rows"]}
    checks: list[tuple[str, float, str, bool]] = []

    def dc(name: str) -> float:
        return float(rows[name]["diffcheck"]["seconds"])

    if "relu N=100" in rows and "relu N=800" in rows:
        r = dc("relu N=800") / dc("relu N=100")
        checks.append(("time(800)/time(100), ReLU net", r, "<= 12", r <= 12))
        checks.append(("N=800 seconds", dc("relu N=800"), "< 60", dc("relu N=800") < 60))
    peak = max(r[m]["peak_mb"] for r in data["rows"] for m in ("diffcheck",))
    checks.append(("diffcheck peak MB (any workload)", peak, "< 1024", peak < 1024))
    if "relu N=100" in rows:
        r = rows["relu N=100"]["limits"]["seconds"] / dc("relu N=100")
        checks.append(("SymPy limits / diffcheck, ReLU N=100", r, ">= 20", r >= 20))
    if "corpus" in rows:
        r = dc("corpus") / rows["corpus"]["limits"]["seconds"]
        checks.append(("diffcheck / SymPy limits, corpus", r, "<= 1", r <= 1))
        r = dc("corpus") / rows["corpus"]["subs"]["seconds"]
        checks.append(("diffcheck / diff().subs, corpus", r, "<= 5", r <= 5))
    cli = data["cli"]
    r = cli["diffcheck"]["seconds"] / cli["sympy"]["seconds"]
    checks.append(("CLI start-up / import sympy", r, "<= 1.5", r <= 1.5))
    lines = ["| target | measured | goal | met |", "|---|---|---|---|"]
    lines += [f"| {n} | {v:.3g} | {g} | {'yes' if ok else 'NO'} |" for n, v, g, ok in checks]
    return "\n".join(lines)


def report(data: dict[str, Any]) -> str:
    m = data["machine"]
    return "\n\n".join([
        f"Machine: {m['cores']} cores, {m['cpu']}; Python {m['python']}, SymPy {m['sympy']}.",
        table(data), constructs(data), targets(data)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: every 12th corpus line, ReLU N=10 (SymPy at 1 kink, "
                             "1 s caps), 1 CLI repetition")
    parser.add_argument("--sizes", type=int, nargs="*",
                        help="ReLU network sizes (none: the corpus only)")
    parser.add_argument("--samples", type=int, default=5,
                        help="kinks SymPy is timed at on large networks (default 5)")
    parser.add_argument("--all-points", type=int, default=10,
                        help="networks with at most this many kinks are timed at every kink")
    parser.add_argument("--cap", type=float, default=5.0,
                        help="seconds per one-sided SymPy limit (default 5)")
    parser.add_argument("--reps", type=int, default=7, help="CLI start-up repetitions")
    parser.add_argument("--corpus-reps", type=int, default=5,
                        help="runs of diffcheck and diff().subs on the corpus (median)")
    parser.add_argument("--json", metavar="FILE", help="also write the measurements as JSON")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return 0
    args.stride = 12 if args.quick else 1
    if args.sizes is None:
        args.sizes = QUICK_SIZES if args.quick else SIZES
    if args.quick:
        args.reps, args.cap, args.samples, args.all_points = 1, 1.0, 1, 0
        args.corpus_reps = 1
    data = measure(args)
    if args.json:
        Path(args.json).write_text(json.dumps(data, indent=1))
    print(report(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
