"""Losses written as everyday Python, for ``diffcheck --function examples/losses.py:NAME``.

diffcheck reads this file and never runs it; running it prints a few values.
"""


def huber(r, delta=1.0):
    """Quadratic near 0, linear beyond delta: differentiable everywhere."""
    if abs(r) <= delta:
        return 0.5 * r**2
    return delta * (abs(r) - 0.5 * delta)


if __name__ == "__main__":
    for r in (-2.0, -1.0, 0.0, 0.5, 1.0, 2.0):
        print(f"huber({r}) = {huber(r)}")
