"""The textbook derivation: ReLU is not differentiable at 0.

f(x) = max(0, x).  By definition f is differentiable at a when the difference
quotient (f(a + h) - f(a)) / h has one limit as h -> 0 from both sides.  At
a = 0:

    h < 0:  (max(0, h) - 0) / h = 0 / h = 0   ->  f'(0-) = 0
    h > 0:  (max(0, h) - 0) / h = h / h = 1   ->  f'(0+) = 1

The one-sided derivatives differ, so f has a corner at 0.  This script asks
diffcheck for the same thing through its public API and shows that its numbers
are exactly these, then shrinks h to watch the two quotients settle.

Run:  python examples/relu.py
"""

from __future__ import annotations

from fractions import Fraction

import diffcheck


def relu(x: Fraction) -> Fraction:
    return max(Fraction(0), x)


def main() -> None:
    analysis = diffcheck.analyze("Max(0, x)")
    [point] = analysis.points  # the only candidate point: where Max switches branch
    print(f"f(x) = {analysis.expression}")
    print(f"candidate point a = {point.at} (from {', '.join(map(str, point.sources))})")
    print(f"f(a) = {point.value}; f(a-) = {point.left_limit}; f(a+) = {point.right_limit}")
    print(f"f'(a-) = lim h->0- (f(a+h) - f(a))/h = {point.left_derivative}")
    print(f"f'(a+) = lim h->0+ (f(a+h) - f(a))/h = {point.right_derivative}")
    print(f"verdict: {point.kind} ({point.reason})")
    assert (point.left_derivative, point.right_derivative) == (0, 1)

    print("\nthe difference quotient itself, in exact arithmetic:")
    print(f"{'h':>12}  {'(f(h) - f(0))/h':>16}")
    for k in range(1, 5):
        for h in (Fraction(-1, 10**k), Fraction(1, 10**k)):
            quotient = (relu(h) - relu(Fraction(0))) / h
            print(f"{h!s:>12}  {quotient!s:>16}")

    print(f"\nf'(x) = {analysis.derivative} away from 0")
    print(f"differentiable on {analysis.differentiable_on}")


if __name__ == "__main__":
    main()
