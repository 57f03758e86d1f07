"""The Python API in a few lines: analyse, read the points, the set, the JSON.

Run:  python examples/api_basic.py
"""

from __future__ import annotations

import json

import sympy

import diffcheck


def main() -> None:
    # Text in diffcheck's language (SymPy syntax plus relu, abs, np.maximum, ...).
    analysis = diffcheck.analyze("Abs(x - 1) + Max(0, x)", at=["2"])
    for point in analysis.points:
        print(f"x = {point.at}: {point.kind}, f'(a-) = {point.left_derivative}, "
              f"f'(a+) = {point.right_derivative}  ({point.reason})")
    print("not differentiable at:", analysis.nondifferentiable_points)
    print("differentiable on:", analysis.differentiable_on)
    print("derivative away from the points:", analysis.derivative)

    # A SymPy expression works too; the answers are exact SymPy numbers.
    x = sympy.Symbol("x", real=True)
    cusp = diffcheck.analyze(sympy.Abs(x) ** sympy.Rational(2, 3))
    print("\n|x|**(2/3):", [(p.at, p.kind.value, p.left_derivative, p.right_derivative)
                           for p in cusp.points])

    # A window on the line lists infinite families point by point.
    steps = diffcheck.analyze("floor(x)", domain="[-1, 1]")
    print("floor on [-1, 1]:", [(str(p.at), p.kind.value) for p in steps.points])

    # The JSON contract of the command's --json.
    print("\n" + json.dumps(diffcheck.analyze("relu(x)").to_dict()["points"][0], indent=2))

    # Bad input is an InputError (a ValueError) with a message that says why.
    try:
        diffcheck.analyze("Max(0,")
    except diffcheck.InputError as e:
        print("\nInputError:", e)


if __name__ == "__main__":
    main()
