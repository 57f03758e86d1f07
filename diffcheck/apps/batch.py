"""Batch mode: many expressions, each analysed in its own worker process.

The pure part of ``diffcheck batch`` (no click, no rich): reading tasks from
lines, analysing one task, and running many in parallel.  Every task runs in
a process of its own (forked where the platform allows, so SymPy is already
imported), under a memory cap (``resource.setrlimit``) and a wall-clock
budget after which the process is killed: a task that crashes, runs out of
memory or hangs costs only its own line.  Results come back in input order.

XXX: forking a process that runs other threads (JAX and PyTorch start native
thread pools) can deadlock a child that needs a lock one of them held.  The
``diffcheck batch`` command never loads them; a program that calls
``run_batch`` after loading them takes that risk (JAX warns at every fork).
A forkserver would avoid it at the price of cold workers.

One result per task, a JSON-ready dict::

    {"id": ..., "line": 3, "status": "ok", "result": {...Analysis.to_dict()...}}
    {"id": ..., "line": 4, "status": "error",
     "error": {"type": "input", "message": "cannot parse ..."}}

with error types ``bad_line`` (the line is not a task), ``input`` (diffcheck
refused the expression, a point or the domain), ``timeout`` (over the line's
budget), ``memory`` (over the memory cap) and ``crash`` (the worker died).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from diffcheck.errors import InputError

DEFAULT_LINE_TIMEOUT = 60.0
"""Seconds one line may take before its worker is killed (``--timeout``)."""
DEFAULT_MEMORY_MB = 4096
"""Address-space cap of a worker in MiB (``--memory``)."""
FIELDS = frozenset({"expr", "var", "at", "domain", "id"})
"""The keys a JSONL task may have."""

Result = dict[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class Task:
    """One input line: what to analyse, or why the line is not a task."""

    line: int
    id: str
    expr: str | None = None
    var: str | None = None
    at: tuple[str, ...] = ()
    domain: str | None = None
    problem: str | None = None


def read_tasks(lines: Iterable[str]) -> list[Task]:
    """Tasks from the lines of a batch file; blank lines and ``#`` comments are skipped.

    A line is either an expression or a JSON object with ``expr`` and
    optionally ``var``, ``at`` (a point or a list of points), ``domain`` and
    ``id``.  The id defaults to the line number.  A line that is not a task
    becomes a task with a ``problem``, reported as that line's error.

    Examples:
        >>> [t.expr for t in read_tasks(["Abs(x)", "", "# note", '{"expr": "x", "id": "a"}'])]
        ['Abs(x)', 'x']
        >>> read_tasks(['{"expr": 1}'])[0].problem
        "'expr' must be a string"
    """
    tasks = []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        if not text.startswith("{"):
            tasks.append(Task(line=number, id=str(number), expr=text))
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            tasks.append(Task(line=number, id=str(number), problem=f"not valid JSON: {e}"))
            continue
        tasks.append(_task_from_object(number, obj))
    return tasks


def _task_from_object(number: int, obj: Any) -> Task:
    if not isinstance(obj, dict):
        return Task(line=number, id=str(number), problem="a JSON line must be an object")
    task_id = obj.get("id", number)
    if not isinstance(task_id, str | int) or isinstance(task_id, bool):
        return Task(line=number, id=str(number),
                    problem="'id' must be a string or an integer")
    task_id = str(task_id)  # one type in the results: an integer id is written as a string
    unknown = sorted(set(obj) - FIELDS)
    at = obj.get("at", ())
    at = (at,) if isinstance(at, str) else at
    problem = (
        f"unknown field(s) {', '.join(map(repr, unknown))}; expected {sorted(FIELDS)}"
        if unknown else
        "'expr' must be a string" if not isinstance(obj.get("expr"), str) else
        "'var' must be a string" if not isinstance(obj.get("var", ""), str) else
        "'domain' must be a string" if not isinstance(obj.get("domain", ""), str) else
        "'at' must be a point or a list of points (strings)"
        if not (isinstance(at, list | tuple) and all(isinstance(p, str) for p in at)) else None
    )
    if problem:
        return Task(line=number, id=task_id, problem=problem)
    return Task(line=number, id=task_id, expr=obj["expr"], var=obj.get("var"), at=tuple(at),
                domain=obj.get("domain"))


def done_ids(lines: Iterable[str]) -> set[Any]:
    """The ids of the results already in an output file (unreadable lines are ignored).

    Examples:
        >>> sorted(done_ids(['{"id": 1, "status": "ok"}', '{"id": "b"', '{"id": "c"}']), key=str)
        ['1', 'c']
    """
    ids = set()
    for line in lines:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short when a previous run was killed
        if isinstance(obj, dict) and "id" in obj:
            ids.add(str(obj["id"]))
    return ids


def error(task: Task, kind: str, message: str) -> Result:
    """The result of a line that produced no analysis."""
    return {"id": task.id, "line": task.line, "status": "error",
            "error": {"type": kind, "message": message}}


def run_task(task: Task, *, point_timeout: float | None = None) -> Result:
    """Analyse one task in this process: its result, or an error object.

    Examples:
        >>> run_task(Task(line=1, id=1, expr="Abs(x)"))["result"]["nondifferentiable_points"]
        ['0']
        >>> run_task(Task(line=2, id=2, expr="Max(0,"))["error"]["type"]
        'input'
    """
    from diffcheck.analysis.single import analyze

    if task.problem is not None or task.expr is None:
        return error(task, "bad_line", task.problem or "no expression")
    try:
        analysis = analyze(task.expr, var=task.var, at=task.at, domain=task.domain,
                           timeout=point_timeout)
    except InputError as e:
        return error(task, "input", str(e))
    except MemoryError:
        return error(task, "memory", "the analysis ran out of memory")
    return {"id": task.id, "line": task.line, "status": "ok", "result": analysis.to_dict()}


def _worker(task: Task, point_timeout: float | None, memory_mb: int | None,
            out: Connection) -> None:
    """Body of a worker process: cap its memory, analyse, send the result."""
    if memory_mb:
        try:
            import resource
        except ImportError:  # not on POSIX: no cap
            pass
        else:
            # A forked worker starts with its parent's address space (a large
            # program, or a test run, may already map hundreds of MiB): the cap is
            # on what the analysis adds to it.
            limit = _address_space() + memory_mb * 2**20
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    out.send(run_task(task, point_timeout=point_timeout))
    out.close()


def _address_space() -> int:
    """Bytes of address space this process maps now (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


WARM_UP = ("Max(0, x) + Abs(x - 1) + floor(x)", "sqrt(x) + x**(1/3)",
           "Piecewise((x**2*sin(1/x), Ne(x, 0)), (0, True))")
"""Analysed once in the parent before forking: the workers inherit the modules SymPy
imports on first use (limits, series, solvers) and its warm caches, instead of each
paying for them again."""


def _warm_up() -> None:
    for expr in WARM_UP:
        run_task(Task(line=0, id="0", expr=expr))


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_batch(
    tasks: list[Task],
    *,
    jobs: int = 1,
    timeout: float = DEFAULT_LINE_TIMEOUT,
    point_timeout: float | None = None,
    memory_mb: int | None = DEFAULT_MEMORY_MB,
    on_done: Callable[[Result], None] | None = None,
) -> Iterator[Result]:
    """Analyse ``tasks`` in up to ``jobs`` worker processes; yield results in input order.

    Each task gets a fresh process, at most ``timeout`` seconds of wall clock
    (then it is killed and its line reports ``timeout``) and ``memory_mb`` of
    address space; ``point_timeout`` is the budget of each point inside the
    analysis (``analyze(timeout=...)``).  ``on_done`` is called with every
    result as soon as it is known (out of order), e.g. to advance a progress bar.

    Examples:
        >>> tasks = read_tasks(["Abs(x - 1)", "Max(0,", "x**2"])
        >>> [r["status"] for r in run_batch(tasks, jobs=2)]
        ['ok', 'error', 'ok']
    """
    ctx = _context()
    if ctx.get_start_method() == "fork" and any(t.problem is None for t in tasks):
        _warm_up()
    running: dict[int, tuple[Any, Connection, float]] = {}
    finished: dict[int, Result] = {}
    upcoming = iter(enumerate(tasks))
    exhausted = False
    emitted = 0

    def finish(i: int, result: Result) -> None:
        finished[i] = result
        if on_done is not None:
            on_done(result)

    try:
        while emitted < len(tasks):
            while not exhausted and len(running) < max(jobs, 1):
                nxt = next(upcoming, None)
                if nxt is None:
                    exhausted = True
                    break
                i, task = nxt
                if task.problem is not None:
                    finish(i, run_task(task))
                    continue
                receive, send = ctx.Pipe(duplex=False)
                process = ctx.Process(target=_worker, args=(task, point_timeout, memory_mb,
                                                            send), daemon=True)
                process.start()
                send.close()  # the child holds its own end: EOF when it dies
                running[i] = (process, receive, time.monotonic() + timeout)
            if running:
                soonest = min(end for _p, _c, end in running.values())
                wait([c for _p, c, _e in running.values()],
                     timeout=max(soonest - time.monotonic(), 0.0))
                for i in sorted(running):
                    result = _collect(tasks[i], *running[i], timeout)
                    if result is not None:
                        del running[i]
                        finish(i, result)
            while emitted in finished:
                yield finished.pop(emitted)
                emitted += 1
    finally:
        for process, connection, _end in running.values():
            process.kill()
            process.join()
            connection.close()


def _collect(task: Task, process: Any, connection: Connection, end: float,
             timeout: float) -> Result | None:
    """The result of a worker if it is over (sent, died, or out of time), else None."""
    if connection.poll():
        try:
            result: Result = connection.recv()
        except EOFError:  # the pipe closed with nothing in it: the worker died
            process.join()
            result = error(task, "crash", f"the worker process died (exit code "
                                          f"{process.exitcode}) while analysing this line")
        else:
            process.join()
    elif time.monotonic() >= end:
        process.kill()
        process.join()
        result = error(task, "timeout", f"the line took longer than its budget of "
                                        f"{timeout:g} s")
    else:
        return None
    connection.close()
    return result
