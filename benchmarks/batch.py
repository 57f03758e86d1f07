"""Throughput of ``diffcheck batch`` with 2 jobs against 1 job on the corpus.

    python benchmarks/batch.py [--repeat 3] [--rounds 3]

The corpus (each line with its extra point, as JSON lines) is repeated
``--repeat`` times into one file; each round runs ``diffcheck batch -q`` with
``--jobs 1`` and then ``--jobs 2`` end to end (start-up included) and prints
lines per second and the ratio.  Rounds are interleaved so both see the same
machine load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import read_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="copies of the corpus")
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each")
    args = parser.parse_args(argv)
    script = Path(sys.executable).parent / "diffcheck"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "diffcheck"]
    rows = [json.dumps({"expr": e, "at": [a]}) for _g, e, a in read_corpus()] * args.repeat
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, "corpus.jsonl")
        src.write_text("\n".join(rows) + "\n", encoding="utf-8")
        for r in range(args.rounds):
            rate = {}
            for jobs in (1, 2):
                start = time.perf_counter()
                subprocess.run([*command, "batch", str(src), "-q", "--jobs", str(jobs),
                                "-o", str(Path(tmp, f"out{jobs}.jsonl"))], check=True)
                rate[jobs] = len(rows) / (time.perf_counter() - start)
            ratios.append(rate[2] / rate[1])
            print(f"round {r + 1}: {len(rows)} lines, 1 job {rate[1]:.1f} lines/s, "
                  f"2 jobs {rate[2]:.1f} lines/s, ratio {ratios[-1]:.2f}")
    print(f"median ratio 2 jobs / 1 job: {statistics.median(ratios):.2f} "
          f"(min {min(ratios):.2f}, max {max(ratios):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
