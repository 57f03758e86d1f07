"""Time budgets that really stop SymPy.

SymPy's ``limit`` and ``solveset`` can run for minutes.  A budget arms a timer
(one long-lived watchdog thread keeps the timers of every budget) that, when
it fires, raises :class:`BudgetExceeded` *inside* the thread doing the work
(``PyThreadState_SetAsyncExc``), so it works from the CLI, from the API and
from worker threads alike.  SymPy is pure Python, so the exception
is delivered between two bytecodes within microseconds.

Budgets are measured in **CPU time of the working thread** (Linux gives each
thread its own CPU clock, read from the watchdog through
``time.pthread_getcpuclockid``), so the same input gets the same verdict on an
idle and on a loaded machine.  A generous wall-clock cap (:data:`WALL_FACTOR`
times the budget) still ends work that waits without computing, so nothing
hangs.  Where the platform has no per-thread clock, the budget is wall time.

``BudgetExceeded`` derives from ``BaseException`` so that SymPy's own
``except Exception`` clauses cannot swallow it.
"""

from __future__ import annotations

import ctypes
import heapq
import itertools
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

LONGEST = 1e7
"""Seconds (about 4 months) beyond which a budget is no limit: a timer thread cannot
wait for ``inf`` or ``1e300`` seconds (OverflowError inside the thread)."""


GRACE = 1.0
"""Seconds after which an expired budget whose body still runs is fired again."""

AGAIN = 0.01
"""Seconds after which a swallowed BudgetExceeded is delivered again."""

WALL_FACTOR = 10.0
"""A budget of s CPU seconds also ends after WALL_FACTOR * s seconds of wall time."""

TICK = 0.002
"""Shortest wait of the watchdog between two readings of the worker's CPU clock."""


def thread_clock(thread_id: int) -> int | None:
    """The CPU clock of a thread (``None``: the platform has none)."""
    try:
        return time.pthread_getcpuclockid(thread_id)
    except (AttributeError, OSError):
        return None


def cpu_seconds(clock: int | None) -> float:
    """The time on a thread CPU clock; wall time when there is no such clock."""
    if clock is None:
        return time.monotonic()
    return time.clock_gettime(clock)


class _Entry:
    """One scheduled call of the watchdog; ``cancelled`` stops it (a plain flag)."""

    __slots__ = ("call", "cancelled")

    def __init__(self, call: Callable[[], object]) -> None:
        self.call = call
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class _Watchdog:
    """One long-lived daemon thread that runs every budget's timed checks.

    A budget used to start a ``threading.Timer`` (a new thread) each time it
    was armed; starting a thread waits until the new thread runs, which on a
    loaded machine costs a scheduler time slice, for every budget (a ReLU
    network of 800 kinks arms a few thousand).  Arming now pushes an entry on
    a heap and wakes this one thread.  Its calls are short (a lock, a clock
    reading, ``PyThreadState_SetAsyncExc``) and run outside its own lock.
    """

    def __init__(self) -> None:
        self.cond = threading.Condition(threading.Lock())
        self.heap: list[tuple[float, int, _Entry]] = []
        self.count = itertools.count()
        self.thread: threading.Thread | None = None

    def schedule(self, delay: float, call: Callable[[], object]) -> _Entry:
        """Run ``call`` in the watchdog thread ``delay`` wall seconds from now."""
        entry = _Entry(call)
        with self.cond:
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="diffcheck-budget",
                                               daemon=True)
                self.thread.start()
            heapq.heappush(self.heap, (time.monotonic() + delay, next(self.count), entry))
            self.cond.notify()
        return entry

    def _run(self) -> None:
        while True:
            with self.cond:
                while True:
                    while self.heap and self.heap[0][2].cancelled:
                        heapq.heappop(self.heap)
                    wait = self.heap[0][0] - time.monotonic() if self.heap else None
                    if wait is not None and wait <= 0:
                        entry = heapq.heappop(self.heap)[2]
                        break
                    self.cond.wait(wait)
            if not entry.cancelled:
                entry.call()


_WATCHDOG = _Watchdog()


def _schedule(delay: float, call: Callable[[], object]) -> _Entry:
    return _WATCHDOG.schedule(delay, call)


class BudgetExceeded(BaseException):
    """The time budget of the current piece of work ran out."""


class _Armed:
    """One armed budget: its thread, its timer, and whether it is still on."""

    __slots__ = ("active", "clock", "cpu_end", "fired", "lock", "pid", "precision", "thread_id",
                 "timer", "wall_end")

    def __init__(self, thread_id: int, seconds: float = 0.0) -> None:
        self.pid = os.getpid()  # in a forked child its timer thread does not exist
        self.thread_id = thread_id
        self.lock = threading.Lock()
        self.active = True
        self.fired = False
        self.precision: tuple[int, int] | None = None
        self.timer: _Entry | None = None
        self.clock = thread_clock(thread_id)
        self.cpu_end = cpu_seconds(self.clock) + seconds
        self.wall_end = time.monotonic() + (seconds * WALL_FACTOR if self.clock is not None
                                            else seconds)

    def wait(self) -> float | None:
        """Wall seconds before the budget can next run out; None: it has run out.

        The CPU clock cannot run faster than the wall clock, so the CPU budget
        left is also the soonest it can end.
        """
        try:
            cpu_left = self.cpu_end - cpu_seconds(self.clock)
        except OSError:  # the thread has ended: nothing left to stop
            cpu_left = 0.0
        left = min(cpu_left, self.wall_end - time.monotonic())
        return None if left <= 0 else max(left, TICK)

    def check(self) -> None:
        """The watchdog: fire if the budget has run out, else look again later."""
        with self.lock:
            if not self.active:
                return
            wait = self.wait()
            if wait is not None:
                self.timer = _schedule(wait, self.check)
                return
        self.fire()

    def fire(self) -> None:
        """Deliver BudgetExceeded to the working thread if the body still runs.

        Fired again every ``GRACE`` seconds while the body has not ended: where
        ``sys.unraisablehook`` is not diffcheck's (under pytest), an exception
        swallowed in a gc callback is not seen, and the work would run unbounded.
        """
        with self.lock:
            if not self.active:
                return
            self.fired = True
            _set_async_exc(self.thread_id, BudgetExceeded)
            self.timer = _schedule(GRACE, self.fire)

    def deactivate(self) -> None:
        """Off: nothing more is sent (a pending exception is left to land).

        The timer is not cancelled: its exception may still land here, and one landing
        inside ``Timer.cancel`` would leave the timer's internal lock held.  A timer
        that wakes later finds the budget off and ends.
        """
        if self.pid != os.getpid():
            return
        with self.lock:
            self.active = False

    def deliver_again(self) -> None:
        """The delivered exception was swallowed (a gc callback): deliver it once more."""
        with self.lock:
            if self.active and self.fired:
                _set_async_exc(self.thread_id, BudgetExceeded)

    def disarm(self) -> None:
        """Off for good; an exception still pending for the body is withdrawn."""
        if self.pid != os.getpid():
            return  # armed before a fork: the child has no timer, and its locks may be held
        try:
            while True:
                try:
                    with self.lock:
                        self.active = False
                        if self.fired:
                            _set_async_exc(self.thread_id, None)
                    break
                except BudgetExceeded:
                    # Delivered in here, before the withdrawal: go round once more.
                    # With `active` off nothing new can be sent.
                    continue
            if self.timer is not None:
                self.timer.cancel()  # after the lock: nothing can interrupt it now
                # (a re-fire timer started under the lock is in self.timer already)
        finally:
            if _ARMED.get(self.thread_id) is self:
                del _ARMED[self.thread_id]


_ARMED: dict[int, _Armed] = {}
"""The budget armed in each thread (budgets do not nest: the outer one holds)."""


def _forget_all() -> None:
    global _WATCHDOG
    _ARMED.clear()  # a forked child has no timer threads: nothing of the parent's holds
    _WATCHDOG = _Watchdog()  # nor the watchdog (whose lock the fork may have caught held)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_all)


def _quiet(hook: Callable[[Any], object]) -> Callable[[Any], object]:
    """``sys.unraisablehook`` for a swallowed BudgetExceeded.

    Python swallows an exception raised inside a gc callback or a ``__del__``
    (JAX installs a gc callback), printing ``Exception ignored in ...``.  The
    hook runs in that same thread: if its budget is still on, the exception is
    delivered again ``AGAIN`` seconds later, and nothing is printed.
    """

    def hook_(unraisable: Any) -> object:
        if isinstance(unraisable.exc_value, BudgetExceeded) or (
                unraisable.exc_type is BudgetExceeded):
            armed = _ARMED.get(threading.get_ident())
            if armed is not None:
                # From another thread, a moment later: set for this thread now, it would
                # land inside this hook and be swallowed again.
                again = threading.Timer(AGAIN, armed.deliver_again)
                again.daemon = True
                again.start()
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


def _precision() -> tuple[int, int] | None:
    """mpmath's working precisions (``mp`` and ``iv``), if mpmath is loaded."""
    mpmath = sys.modules.get("mpmath")
    return None if mpmath is None else (mpmath.mp.prec, mpmath.iv.prec)


def repair_after_interrupt(precision: tuple[int, int] | None) -> None:
    """Undo what an interrupted SymPy call may have left half-done in global state.

    An exception raised into SymPy at an arbitrary bytecode can stop it between two
    updates it meant to make together.  Two such states are known to matter: the
    isolating intervals ``CRootOf`` caches per polynomial (an interrupted refinement
    left a root's cached interval mirrored, so ``CRootOf(2*x**3 - x**2 - 16, 0)``
    evaluated to -2.18 instead of 2.18), and mpmath's working precision (changed and
    restored around every evaluation).  Both are reset; the cache refills on use.
    """
    rootoftools = sys.modules.get("sympy.polys.rootoftools")
    if rootoftools is not None:
        rootoftools.CRootOf.clear_cache()
    mpmath = sys.modules.get("mpmath")
    if mpmath is not None and precision is not None:
        mpmath.mp.prec, mpmath.iv.prec = precision


class budget:
    """Run the body for at most ``seconds``; raise :class:`BudgetExceeded` after.

    ``None`` means no limit.  Budgets do not nest: an inner budget is ignored
    while an outer one is armed in the same thread, so the outer one holds.

    A class, not a generator: its ``__exit__`` is one call, and if the
    exception lands at its very start (the body ended with a long C call
    while the timer fired), the budget is left fired and the next budget in
    the thread replaces it instead of being ignored as nested.

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

    __slots__ = ("_armed", "seconds")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._armed: _Armed | None = None

    def __enter__(self) -> budget:
        seconds = self.seconds
        if seconds is None or not seconds < LONGEST:
            return self  # no limit (``inf``, or beyond what a timer thread can wait for)
        thread_id = threading.get_ident()
        outer = _ARMED.get(thread_id)
        if outer is not None and not outer.fired:
            return self  # nested: the outer budget holds
        if outer is not None:
            outer.deactivate()  # fired and left behind (its exit never ran): replaced
            del _ARMED[thread_id]
        if seconds <= 0:
            raise BudgetExceeded  # no time at all: the body does not start
        armed = _Armed(thread_id, max(seconds, 0.0))
        armed.precision = _precision()
        _ARMED[thread_id] = armed  # replaces an outer one that fired and was left behind
        self._armed = armed
        try:
            armed.timer = _schedule(max(seconds, 0.0), armed.check)
        except BaseException:
            self._armed = None
            armed.disarm()  # fired at once, or interrupted: leave nothing armed
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        armed, self._armed = self._armed, None
        if armed is not None:
            armed.disarm()
            if armed.fired:
                repair_after_interrupt(armed.precision)

    def __del__(self) -> None:
        # The exception landed at the start of __exit__, so it never ran: once the
        # exception (which holds this object) is let go, stop the re-firing.
        armed = self._armed
        if armed is not None:
            armed.deactivate()


class Deadline:
    """A CPU-time deadline shared by several budgeted steps of one thread.

    ``remaining()`` is the CPU time the creating thread has left, cut so that a
    :class:`budget` of that many seconds (whose wall cap is ``WALL_FACTOR``
    times longer) still ends by the deadline's own wall cap.

    Examples:
        >>> d = Deadline(2.0)
        >>> 0 < d.remaining() <= 2.0, d.expired()
        (True, False)
        >>> Deadline(None).remaining() is None
        True
    """

    def __init__(self, seconds: float | None) -> None:
        self.clock = thread_clock(threading.get_ident())
        factor = WALL_FACTOR if self.clock is not None else 1.0
        self.end = None if seconds is None else cpu_seconds(self.clock) + seconds
        self.wall_end = None if seconds is None else time.monotonic() + seconds * factor
        self.factor = factor
        self.seconds = seconds

    def remaining(self) -> float | None:
        if self.end is None or self.wall_end is None:
            return None
        try:
            cpu_left = self.end - cpu_seconds(self.clock)
        except OSError:
            cpu_left = 0.0
        wall_left = (self.wall_end - time.monotonic()) / self.factor
        return max(min(cpu_left, wall_left), 0.0)

    def expired(self) -> bool:
        left = self.remaining()
        return left is not None and left <= 0.0
