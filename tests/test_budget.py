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


# --- the two clocks: CPU time of the working thread, and the wall-clock cap ---------------


def _spin_cpu(seconds: float) -> None:
    """Compute (not wait) until this thread has used ``seconds`` of CPU time."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_budget_counts_cpu_time_not_waiting() -> None:
    """Waiting costs no CPU: a body that sleeps past its budget (but well inside the
    wall cap) is not stopped.  A wall-clock budget would stop it."""
    with budget(0.3):
        time.sleep(0.6)


def test_the_wall_clock_cap_ends_a_body_that_only_waits() -> None:
    from diffcheck.budget import WALL_FACTOR

    def wait_forever() -> None:
        with budget(0.05):
            while True:
                time.sleep(0.001)

    start = time.monotonic()
    with pytest.raises(BudgetExceeded):
        wait_forever()
    assert 0.05 * WALL_FACTOR * 0.9 <= time.monotonic() - start < 0.05 * WALL_FACTOR + 5


def test_cpu_budget_fires_on_computation() -> None:
    def compute() -> None:
        with budget(0.1):
            _spin_cpu(5.0)

    with pytest.raises(BudgetExceeded):
        compute()
    # after the budget, nothing fires late
    _spin_cpu(0.05)


def test_deadline_counts_cpu_time() -> None:
    from diffcheck.budget import Deadline

    d = Deadline(1.0)
    time.sleep(0.3)
    left = d.remaining()
    assert left is not None
    assert left > 0.9  # waiting did not use it up
    _spin_cpu(0.3)
    left = d.remaining()
    assert left is not None
    assert left < 0.75
    assert not d.expired()


@pytest.mark.slow
def test_verdicts_do_not_depend_on_load() -> None:
    """The same analysis with a tight budget, alone and next to threads hogging the
    interpreter, gives the same answers."""
    import threading

    expr = "Abs(x**2 - 2*x*cos(1) + 1/4)"

    def kinds() -> list[tuple[str, str]]:
        return [(str(p.at), p.kind.value) for p in analyze(expr, domain="[-3, 3]").points]

    alone = kinds()
    stop = threading.Event()

    def hog() -> None:
        while not stop.is_set():
            pass

    hogs = [threading.Thread(target=hog, daemon=True) for _ in range(2)]
    for h in hogs:
        h.start()
    try:
        loaded = kinds()
    finally:
        stop.set()
        for h in hogs:
            h.join()
    assert loaded == alone
    assert all(kind == "corner" for _at, kind in alone)


def test_a_fired_budget_resets_the_root_cache_and_mpmath_precision() -> None:
    """An exception raised into SymPy mid-update can leave its global state half-done
    (a CRootOf's cached interval mirrored); the budget that fired resets it."""
    import mpmath
    import sympy
    from sympy.polys import rootoftools

    x = sympy.Symbol("x")
    sympy.CRootOf(x**3 - 2, 0).evalf()  # fills the cache
    assert rootoftools._reals_cache._dict
    prec = mpmath.mp.prec

    def spin_at_low_precision() -> None:
        with budget(0.05):
            mpmath.mp.prec = 20
            while True:
                pass

    with pytest.raises(BudgetExceeded):
        spin_at_low_precision()
    assert mpmath.mp.prec == prec
    assert not rootoftools._reals_cache._dict


@pytest.mark.slow
def test_interrupted_root_isolation_leaves_no_wrong_root() -> None:
    """Found by the fuzz target: with 0.5 s per point, budgets firing inside SymPy's root
    isolation left CRootOf(2*x**3 - x**2 - 16, 0) evaluating to -2.18 (a root of
    2*x**3 + x**2 + 16) later in the same analysis."""
    import sympy

    from diffcheck import analyze

    x = sympy.Symbol("x")
    analysis = analyze("Mod(x**2*(1/2 - x), 2)", domain="[-3, 3]", timeout=0.5, verify=True)
    roots = [p.at for p in analysis.points if isinstance(p.at, sympy.CRootOf)]
    assert len(roots) > 10
    for r in roots:
        assert abs(r.poly.as_expr().subs(x, r.evalf(20))) < 1e-6, r
    keys = [float(p.at) for p in analysis.points]
    assert keys == sorted(keys)
