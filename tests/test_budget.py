"""Budgets hold: a SymPy call that never returns becomes `unknown`, and a
large input ends within its total budget (bounds, not benchmarks)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import sympy

import diffcheck.limits
from diffcheck import Kind, analyze
from diffcheck.analysis import TOTAL_FACTOR
from diffcheck.budget import BudgetExceeded, budget


def test_budget_interrupts_pure_python_loop() -> None:
    def spin() -> None:
        with budget(0.2):
            while True:
                pass

    start = time.monotonic()
    with pytest.raises(BudgetExceeded):
        spin()
    assert time.monotonic() - start < 5


def test_budget_does_not_fire_after_the_body() -> None:
    with budget(0.05):
        pass
    time.sleep(0.2)  # a late timer must not raise here


def test_a_hanging_limit_becomes_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(*args: object, **kwargs: object) -> sympy.Expr:
        while True:
            time.sleep(0.001)

    monkeypatch.setattr(diffcheck.limits.sympy, "limit", hang)
    start = time.monotonic()
    [p] = analyze("Piecewise((x*sin(1/x), Ne(x, 0)), (0, True))", timeout=0.5).points
    assert time.monotonic() - start < 10
    assert p.kind is Kind.UNKNOWN
    assert p.differentiable is None
    assert "time budget" in p.reason


def test_many_pieces_end_within_the_total_budget() -> None:
    pieces = ", ".join(f"({k}*x, x < {k})" for k in range(300))
    timeout = 0.05
    start = time.monotonic()
    analysis = analyze(f"Piecewise({pieces}, (0, True))", timeout=timeout)
    # the total budget plus a generous margin for discovery and bookkeeping
    assert time.monotonic() - start < timeout * TOTAL_FACTOR + 20
    assert analysis.points


def test_budgets_keep_working_after_racing_expiries() -> None:
    """A timer firing as the body ends must not leave budgets disarmed."""
    for _ in range(200):
        try:
            with budget(0.0005):
                sum(range(2000))
        except BudgetExceeded:
            pass
    test_budget_interrupts_pure_python_loop()


def test_budget_fires_again_when_the_first_exception_is_swallowed() -> None:
    """Python swallows an exception raised inside a gc callback (JAX installs one):
    the budget must deliver again rather than let the work run unbounded."""
    start = time.monotonic()

    def swallow_once_then_spin() -> None:
        with budget(0.05):
            try:
                while True:
                    pass
            except BudgetExceeded:
                pass  # swallowed, as in a gc callback
            while time.monotonic() - start < 5:
                pass

    with pytest.raises(BudgetExceeded):
        swallow_once_then_spin()
    assert time.monotonic() - start < 4


def test_a_swallowed_budget_prints_nothing() -> None:
    """Outside pytest, Python would print 'Exception ignored in: <gc callback>' and a
    traceback for a budget landing in a gc callback; diffcheck's hook drops it."""
    code = """
import gc, sys, time
from diffcheck.budget import BudgetExceeded, budget

def callback(phase, info):
    if phase == "start":
        time.sleep(0.2)  # the budget expires in here, inside the gc callback

gc.callbacks.append(callback)
try:
    with budget(0.05):
        gc.collect()
        while True:
            pass
except BudgetExceeded:
    print("stopped")
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.stdout.strip() == "stopped"
    assert proc.stderr == ""
