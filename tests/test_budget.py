"""Budgets hold: a SymPy call that never returns becomes `unknown`, and a
large input ends within its total budget (bounds, not benchmarks)."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import pytest
import sympy

import diffcheck.engine.limits
from diffcheck import Kind, analyze
from diffcheck.analysis.options import TOTAL_FACTOR
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

    monkeypatch.setattr(diffcheck.engine.limits.sympy, "limit", hang)
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


def test_an_exception_landing_in_exit_leaves_nothing_armed() -> None:
    """The body ends with a long C call (no eval-breaker check) while the timer fires:
    the exception lands at the start of ``__exit__``.  The next budget must still hold
    (not be ignored as nested) and nothing may hit code outside a budget later."""
    landed = set()
    for _ in range(5):
        try:
            with budget(0.01):
                _ = 3 ** 2_000_000  # about 0.2 s of C
        except BudgetExceeded as e:
            tb = e.__traceback__
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            landed.add(tb.tb_frame.f_code.co_name if tb is not None else "")
        test_budget_interrupts_pure_python_loop()  # a later budget holds
        start = time.monotonic()
        while time.monotonic() - start < 0.1:
            pass  # no stray exception out here
    assert landed


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


def test_a_child_forked_inside_a_budget_enforces_its_own() -> None:
    """A child forked while the parent's budget is armed has no timer thread: the
    parent's budget must not make the child's ones look nested (and be ignored)."""
    import multiprocessing

    def child(queue: Any) -> None:
        start = time.monotonic()
        try:
            with budget(0.2):
                while time.monotonic() - start < 5:
                    pass
            queue.put("ignored")
        except BudgetExceeded:
            queue.put("fired")

    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    with budget(60):
        process = ctx.Process(target=child, args=(queue,))
        process.start()
        got = queue.get(timeout=30)
        process.join(30)
    assert got == "fired"


def test_budget_fires_again_when_the_first_exception_is_lost() -> None:
    """Where diffcheck's unraisable hook is not installed (pytest replaces it), an
    exception swallowed in a gc callback is not seen: the budget fires again after
    GRACE seconds rather than let the work run unbounded."""
    start = time.monotonic()

    def swallow_once_then_spin() -> None:
        with budget(0.05):
            try:
                while True:
                    pass
            except BudgetExceeded:
                pass  # lost, as in a gc callback
            while time.monotonic() - start < 8:
                pass

    with pytest.raises(BudgetExceeded):
        swallow_once_then_spin()
    assert time.monotonic() - start < 8
