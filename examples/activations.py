"""Where are common activation functions not differentiable?

One row per activation: the points diffcheck found, their kinds, and whether
the function is differentiable on the whole real line.  ReLU, ReLU6,
leaky ReLU and hardtanh have corners; ELU with alpha = 1 is differentiable
(both one-sided derivatives at 0 are 1) but ELU with alpha = 2 is not; GELU,
SiLU, softplus and the sigmoid are smooth.

Run:  python examples/activations.py
"""

from __future__ import annotations

import diffcheck

ACTIVATIONS = {
    "relu": "relu(x)",
    "relu6": "relu6(x)",
    "leaky_relu": "leaky_relu(x)",
    "elu": "elu(x)",
    "elu, alpha=2": "elu(x, 2)",
    "gelu": "gelu(x)",
    "silu": "silu(x)",
    "softplus": "softplus(x)",
    "sigmoid": "sigmoid(x)",
    "softsign": "softsign(x)",
    "hardtanh": "hardtanh(x)",
    "tanh": "tanh(x)",
}


def describe(analysis: diffcheck.Analysis) -> str:
    """``corner at 0`` for each point, or ``-`` when there is none."""
    shown = [f"{p.kind.value} at {p.at} (f'(a-) = {p.left_derivative}, "
             f"f'(a+) = {p.right_derivative})" for p in analysis.points]
    return "; ".join(shown) or "-"


def main() -> None:
    print(f"{'activation':<14} {'differentiable everywhere':<26} points")
    for name, expr in ACTIVATIONS.items():
        analysis = diffcheck.analyze(expr)
        everywhere = {True: "yes", False: "no", None: "not decided"}[
            analysis.differentiable_everywhere]
        print(f"{name:<14} {everywhere:<26} {describe(analysis)}")


if __name__ == "__main__":
    main()
