"""Which common losses are differentiable, and where are their kinks?

Each loss is a function of the residual r (prediction minus target), written
in diffcheck's language; the table shows where it is not differentiable.  The
L1 and hinge losses have corners, Huber and smooth L1 are differentiable
everywhere (their pieces meet with equal slopes), and the squared hinge is
differentiable too (its corner is flattened by the square).

With matplotlib installed (``pip install "diffcheck-analyzer[plot]"``) each
loss is also drawn, with its points and derivative, into a directory: the one
given with ``--plots DIR``, else a new temporary directory (never this
repository).

``huber`` below is the same loss as plain Python, the way it is usually
written in a training script; the script checks that it agrees with the
expression diffcheck analyses.

Run:  python examples/losses.py [--plots DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import tempfile
from pathlib import Path

import sympy

import diffcheck


def huber(r, delta=1.0):
    if abs(r) <= delta:
        return 0.5 * r**2
    return delta * (abs(r) - 0.5 * delta)


LOSSES = {
    "huber": "huber(r)",
    "huber, delta=1/2": "huber(r, 1/2)",
    "smooth_l1": "smooth_l1(r)",
    "l1": "l1(r)",
    "mse": "mse(r)",
    "hinge": "hinge(r)",
    "squared hinge": "Max(0, 1 - r)**2",
    "logistic": "log(1 + exp(-r))",
    "eps-insensitive": "Max(0, Abs(r) - 1/10)",
}


def check_plain_huber() -> None:
    """The plain Python huber and diffcheck's huber(r) are the same function."""
    analysis = diffcheck.analyze("huber(r)")
    exact = sympy.lambdify(analysis.variable, analysis.expression, "math")
    for r in (-3.0, -1.0, -0.25, 0.0, 0.5, 1.0, 2.5):
        assert abs(huber(r) - exact(r)) < 1e-12, r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plots", metavar="DIR", type=Path,
                        help="write the plots here (default: a new temporary directory)")
    args = parser.parse_args()

    check_plain_huber()
    analyses = {name: diffcheck.analyze(expr) for name, expr in LOSSES.items()}
    print(f"{'loss':<18} {'differentiable everywhere':<26} points")
    for name, analysis in analyses.items():
        everywhere = {True: "yes", False: "no", None: "not decided"}[
            analysis.differentiable_everywhere]
        points = "; ".join(f"{p.kind.value} at {p.at}" for p in analysis.points) or "-"
        print(f"{name:<18} {everywhere:<26} {points}")

    if importlib.util.find_spec("matplotlib") is None:
        print('\nplots skipped: matplotlib is not installed '
              '(pip install "diffcheck-analyzer[plot]")')
        return
    from diffcheck.render.plot import save

    directory = args.plots or Path(tempfile.mkdtemp(prefix="diffcheck-losses-"))
    directory.mkdir(parents=True, exist_ok=True)
    for name, analysis in analyses.items():
        stem = "".join(c if c.isalnum() else "_" for c in name).strip("_")
        save(analysis, directory / f"{stem}.png")
    print(f"\n{len(analyses)} plots written to {directory}")


if __name__ == "__main__":
    main()
