"""How smooth is each activation, and what should an optimiser use at its kinks?

Run with ``python examples/depth.py``.
"""

from __future__ import annotations

import diffcheck

FUNCTIONS = {
    "ReLU": "relu(x)",
    "ELU": "elu(x)",
    "squared ReLU": "Max(0, x)**2",
    "Huber": "Piecewise((x**2/2, Abs(x) <= 1), (Abs(x) - 1/2, True))",
    "x|x|": "x*Abs(x)",
    "sinc": "sin(x)/x",
}


def main() -> None:
    for name, text in FUNCTIONS.items():
        analysis = diffcheck.analyze(text, order=3)
        print(f"{name}: f = {analysis.expression}")
        print(f"  f' = {analysis.derivative_piecewise} where f is differentiable")
        for p in analysis.points:
            line = f"  at {p.at}: {p.kind.value}, smoothness {p.smoothness}"
            if p.subdifferential is not None:
                lo, hi = p.subdifferential
                line += f"; any slope in [{lo}, {hi}] is a valid choice ({p.kink} kink)"
            if p.repair is not None and p.repair.differentiable:
                line += f"; define f({p.at}) = {p.repair.value}, then f'({p.at}) = " \
                        f"{p.repair.derivative}"
            print(line)


if __name__ == "__main__":
    main()
