"""Time budgets that really stop SymPy.

SymPy's ``limit`` and ``solveset`` can run for minutes.  A budget arms a timer
thread that, when it fires, raises :class:`BudgetExceeded` *inside* the thread
doing the work (``PyThreadState_SetAsyncExc``), so it works from the CLI, from
the API and from worker threads alike.  SymPy is pure Python, so the exception
is delivered between two bytecodes within microseconds.

``BudgetExceeded`` derives from ``BaseException`` so that SymPy's own
``except Exception`` clauses cannot swallow it.
"""

from __future__ import annotations

import ctypes
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

LONGEST = 1e7
"""Seconds (about 4 months) beyond which a budget is no limit: a timer thread cannot
wait for ``inf`` or ``1e300`` seconds (OverflowError inside the thread)."""


REFIRE = 0.05
"""Seconds between repeated deliveries of an expired budget's exception."""


class BudgetExceeded(BaseException):
    """The time budget of the current piece of work ran out."""


def _quiet(hook: Callable[[Any], object]) -> Callable[[Any], object]:
    """``sys.unraisablehook`` that drops a swallowed BudgetExceeded: the budget delivers
    it again (see ``REFIRE``), so the ``Exception ignored in ...`` traceback Python
    would print for it tells the user nothing."""

    def hook_(unraisable: Any) -> object:
        if isinstance(unraisable.exc_value, BudgetExceeded):
            return None
        return hook(unraisable)

    hook_.diffcheck_quiet = True  # type: ignore[attr-defined]
    return hook_


if not getattr(sys.unraisablehook, "diffcheck_quiet", False):
    sys.unraisablehook = _quiet(sys.unraisablehook)


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None
    )


@contextmanager
def budget(seconds: float | None) -> Iterator[None]:
    """Run the body for at most ``seconds``; raise :class:`BudgetExceeded` after.

    ``None`` means no limit.  Budgets do not nest: an inner budget is ignored
    while an outer one is armed in the same thread, so the outer one holds.

    Examples:
        >>> import time
        >>> try:
        ...     with budget(0.05):
        ...         while True:
        ...             time.sleep(0.001)
        ... except BudgetExceeded:
        ...     print("stopped")
        stopped
    """
    if seconds is None or not seconds < LONGEST or getattr(_armed, "on", False):
        yield  # no limit (``inf``, or beyond what a timer thread can wait for)
        return
    thread_id = threading.get_ident()
    lock = threading.Lock()
    stop = threading.Event()
    state = {"active": True}

    def fire() -> None:
        # Fire, then fire again every REFIRE seconds until the body has ended:
        # an exception delivered inside a gc callback or a __del__ (JAX registers
        # one) is printed and swallowed by Python, and one shot would be lost.
        if stop.wait(max(seconds, 0.0)):
            return
        while True:
            with lock:
                if not state["active"]:
                    return
                _set_async_exc(thread_id, BudgetExceeded)
            if stop.wait(REFIRE):
                return

    timer = threading.Thread(target=fire, name="diffcheck-budget", daemon=True)
    _armed.on = True
    try:
        timer.start()  # inside the try: a timer firing at once still reaches `finally`
        yield
    finally:
        while True:
            try:
                with lock:
                    state["active"] = False
                    stop.set()
                    # The exception may still be pending if the body finished just
                    # as the timer fired: withdraw it so it cannot hit later code.
                    _set_async_exc(thread_id, None)
                break
            except BudgetExceeded:
                # Delivered during this clean-up, before the withdrawal: go round
                # once more; with `active` off nothing new can be sent.
                continue
        _armed.on = False


_armed = threading.local()


class Deadline:
    """A wall-clock deadline shared by several budgeted steps."""

    def __init__(self, seconds: float | None) -> None:
        self.end = None if seconds is None else time.monotonic() + seconds

    def remaining(self) -> float | None:
        if self.end is None:
            return None
        return max(self.end - time.monotonic(), 0.0)

    def expired(self) -> bool:
        return self.end is not None and time.monotonic() >= self.end
