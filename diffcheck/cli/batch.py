"""``diffcheck batch FILE``: analyse many expressions in parallel, one JSON result per line."""

from __future__ import annotations

import os
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any

import click

from diffcheck.apps.batch import (
    DEFAULT_LINE_TIMEOUT,
    DEFAULT_MEMORY_MB,
    done_ids,
    read_tasks,
    run_batch,
)
from diffcheck.cli import BadInput, Interrupted

EPILOG = """\b
Each line of FILE is an expression, or a JSON object such as
  {"id": "a1", "expr": "Abs(x - b)", "var": "x", "at": ["1"], "domain": "[-2, 2]"}
(blank lines and lines starting with # are skipped).  Each result is one JSON
line: {"id", "line", "status": "ok", "result": <the --json object>} or
{"id", "line", "status": "error", "error": {"type", "message"}}, in input order.
Error types: bad_line, input, timeout, memory, crash.  The id is always a
string (the line number when the line gives none).  Exit code 0 when every
line succeeded, 1 when some line ended in an error, 2 for a bad option.

\b
Examples:
  diffcheck batch exprs.txt -o out.jsonl           all cores, progress on stderr
  diffcheck batch exprs.jsonl --jobs 2 --timeout 30
  diffcheck batch exprs.txt -o out.jsonl --resume  skip the ids already in out.jsonl
"""


@click.command(epilog=EPILOG, context_settings={"max_content_width": 100})
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the results to this file (JSON lines) instead of stdout.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Worker processes in parallel. [default: the number of cores]")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              default=DEFAULT_LINE_TIMEOUT, show_default=True,
              help="Wall-clock budget of each line; its worker is stopped after it.")
@click.option("--point-timeout", type=click.FloatRange(min=0, min_open=True),
              metavar="SECONDS",
              help="Time budget per point inside an analysis (as diffcheck --timeout).")
@click.option("--memory", type=click.IntRange(min=64), metavar="MB", default=DEFAULT_MEMORY_MB,
              show_default=True,
              help="Address space each worker may add to what it inherits, in MiB.")
@click.option("--resume", is_flag=True,
              help="Skip the ids already present in the output file and append to it.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def batch(file: IO[str], output: Path | None, jobs: int | None, timeout: float,
          point_timeout: float | None, memory: int, resume: bool, quiet: bool) -> None:
    """Analyse every expression of FILE (one per line, or JSON lines) in parallel."""
    tasks = read_tasks(file)
    if resume:
        if output is None:
            raise BadInput("--resume needs --output: the file whose ids are skipped")
        if output.exists():
            with output.open(encoding="utf-8") as previous:
                skip = done_ids(previous)
            tasks = [t for t in tasks if t.id not in skip]
    jobs = jobs or os.cpu_count() or 1
    mode = "a" if resume else "w"
    with output.open(mode, encoding="utf-8") if output else nullcontext(sys.stdout) as out:
        if resume and output is not None:
            _end_with_newline(out, output)
        progress = _progress(len(tasks), quiet)
        failed = 0
        try:
            with progress or nullcontext():
                advance = (lambda _r: progress.advance(0)) if progress else None
                for result in run_batch(tasks, jobs=jobs, timeout=timeout,
                                        point_timeout=point_timeout, memory_mb=memory,
                                        on_done=advance):
                    out.write(_line(result))
                    out.flush()
                    failed += result["status"] != "ok"
                    if progress:
                        progress.refresh()
        except KeyboardInterrupt:
            raise Interrupted() from None
    if failed:
        click.echo(f"{failed} of {len(tasks)} lines failed", err=True)
        click.get_current_context().exit(1)


def _line(result: dict[str, Any]) -> str:
    import json

    return json.dumps(result, ensure_ascii=False) + "\n"


def _end_with_newline(out: IO[str], path: Path) -> None:
    """A run killed mid-line leaves a partial last line: start the next result on its own."""
    with path.open("rb") as f:
        if f.seek(0, os.SEEK_END) == 0:
            return
        f.seek(-1, os.SEEK_END)
        if f.read(1) != b"\n":
            out.write("\n")


def _progress(total: int, quiet: bool) -> Any:
    """A progress bar on stderr (done/total, rate, ETA), or None when quiet or not a TTY.

    Refreshed by hand (no refresh thread), so worker processes are forked from
    a single-threaded parent.
    """
    if quiet or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    progress = Progress(
        TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"), TextColumn("ETA"), TimeRemainingColumn(),
        console=Console(stderr=True), auto_refresh=False, transient=False,
    )
    progress.add_task("batch", total=total, rate="")
    return _Bar(progress)


class _Bar:
    """The one task of the progress bar, with its rate in lines per second."""

    def __init__(self, progress: Any) -> None:
        self.progress = progress

    def __enter__(self) -> _Bar:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.refresh()
        self.progress.__exit__(*exc)

    def advance(self, _task: int) -> None:
        task = self.progress.tasks[0]
        self.progress.advance(task.id)
        speed = task.speed
        self.progress.update(task.id, rate="" if speed is None else f"{speed:.1f} lines/s")
        self.progress.refresh()

    def refresh(self) -> None:
        self.progress.refresh()
