"""Two versions of diffcheck on the same workloads, interleaved, in one run.

    python benchmarks/before_after.py --before /path/to/old/tree [--rounds 3]

For every round, each of ``before`` (the tree given, e.g. ``git archive`` of an
older commit unpacked somewhere) and ``after`` (this tree) analyses the corpus
and the one-layer ReLU networks N = 100 and 800 of ``run.py``, each in a fresh
worker process (``run.run_worker``: wall time of the work alone, peak RSS); the
corpus' ``diff().subs()`` runs in the same round as the anchor.  The two trees
take turns, so both see the same load; medians over the rounds are reported,
with the ratios the targets are stated in.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402  (benchmarks/ is not a package)

WORKLOADS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("corpus", {"workload": "corpus"}),
    ("relu N=100", {"workload": "relu", "n": 100}),
    ("relu N=800", {"workload": "relu", "n": 800}),
)


def _in(tree: Path, spec: dict[str, Any]) -> dict[str, Any]:
    os.environ["PYTHONPATH"] = str(tree)  # the worker imports diffcheck from this tree
    return run.run_worker(spec)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the older tree")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": HERE.parent}
    base = {"samples": 5, "all_points": 10, "cap": 5.0}
    seconds: dict[tuple[str, str], list[float]] = {}
    peak: dict[tuple[str, str], float] = {}
    for r in range(args.rounds):
        for name, spec in WORKLOADS:
            for version, tree in (trees.items() if r % 2 == 0 else reversed(trees.items())):
                out = _in(tree, {**base, **spec, "method": "diffcheck"})
                seconds.setdefault((version, name), []).append(out["seconds"])
                peak[(version, name)] = max(peak.get((version, name), 0.0), out["peak_mb"])
                if name == "corpus" and version == "after":
                    subs = _in(tree, {**base, **spec, "method": "subs",
                                      "reference": out["points"]})
                    seconds.setdefault(("subs", name), []).append(subs["seconds"])
        print(f"round {r + 1} done", file=sys.stderr)
    med = {k: statistics.median(v) for k, v in seconds.items()}
    print(f"| workload | before s | after s | after/before | peak MB after |  (median of "
          f"{args.rounds}, load average {os.getloadavg()[0]:.1f} at the end)")
    print("|---|---|---|---|---|")
    for name, _spec in WORKLOADS:
        b, a = med[("before", name)], med[("after", name)]
        print(f"| {name} | {b:.3g} | {a:.3g} | {a / b:.2f} | {peak[('after', name)]:.0f} |")
    subs = med[("subs", "corpus")]
    print(f"\ncorpus diff().subs s: {subs:.3g}; diffcheck/subs before "
          f"{med[('before', 'corpus')] / subs:.2f}, after {med[('after', 'corpus')] / subs:.2f}")
    for version in ("before", "after"):
        ratio = med[(version, "relu N=800")] / med[(version, "relu N=100")]
        print(f"time(800)/time(100) {version}: {ratio:.2f}")
    print("all rounds:", {f"{v} {n}": [round(s, 3) for s in ss] for (v, n), ss in seconds.items()})


if __name__ == "__main__":
    main()
