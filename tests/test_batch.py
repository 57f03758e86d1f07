"""Batch mode: tasks from lines, results in input order, one error per bad line.

Workers are forked, so a monkeypatched ``diffcheck.analysis.single.analyze`` reaches
them: that is how slow, hanging, crashing and memory-hungry lines are made.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import diffcheck.analysis.single
from diffcheck.apps.batch import Task, done_ids, read_tasks, run_batch, run_task
from diffcheck.cli import main

REAL_ANALYZE = diffcheck.analysis.single.analyze


def misbehaving(expr: str, **kwargs: Any) -> Any:
    """analyze(), except for a few expressions that misbehave on purpose."""
    if expr == "slow(x)":
        time.sleep(1.0)
        expr = "Abs(x)"
    elif expr == "hang(x)":
        time.sleep(60)
    elif expr == "crash(x)":
        os._exit(3)
    elif expr == "hog(x)":
        bytearray(2**30)  # 1 GiB, over the 512 MiB cap of the test
        expr = "x"
    return REAL_ANALYZE(expr, **kwargs)


@pytest.fixture
def patched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diffcheck.analysis.single, "analyze", misbehaving)


def statuses(results: list[dict[str, Any]]) -> list[str]:
    return [r["status"] if r["status"] == "ok" else r["error"]["type"] for r in results]


# --- reading tasks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("Abs(x)", Task(line=1, id="1", expr="Abs(x)"), id="plain"),
        pytest.param('{"expr": "Abs(x - b)", "var": "x", "at": "1", "domain": "[0, 2]", '
                     '"id": "a1"}',
                     Task(line=1, id="a1", expr="Abs(x - b)", var="x", at=("1",),
                          domain="[0, 2]"), id="jsonl-all-fields"),
        pytest.param('{"expr": "x", "at": ["0", "pi"]}', Task(line=1, id="1", expr="x",
                                                              at=("0", "pi")), id="at-list"),
        pytest.param('{"expr": "x", "id": 7}', Task(line=1, id="7", expr="x"), id="int-id"),
        pytest.param('{"expr": "x"', Task(line=1, id="1", problem="not valid JSON: Expecting ',' "
                                          "delimiter: line 1 column 13 (char 12)"),
                     id="bad-json"),
        pytest.param('["x"]', Task(line=1, id="1", expr='["x"]'), id="not-an-object-is-text"),
        pytest.param('{"expr": "x", "points": 1}',
                     Task(line=1, id="1", problem="unknown field(s) 'points'; expected "
                          "['at', 'domain', 'expr', 'id', 'var']"), id="unknown-field"),
        pytest.param('{"expr": "x", "at": [0]}',
                     Task(line=1, id="1", problem="'at' must be a point or a list of points "
                          "(strings)"), id="at-not-strings"),
        pytest.param('{"var": "x"}', Task(line=1, id="1", problem="'expr' must be a string"),
                     id="no-expr"),
        pytest.param('{"expr": "x", "id": true}',
                     Task(line=1, id="1", problem="'id' must be a string or an integer"),
                     id="bool-id"),
        pytest.param("[1, 2", Task(line=1, id="1", expr="[1, 2"), id="text-left-to-the-parser"),
    ],
)
def test_read_tasks(line: str, expected: Task) -> None:
    assert read_tasks([line]) == [expected]


def test_read_tasks_skips_blank_and_comment_lines_but_keeps_line_numbers() -> None:
    tasks = read_tasks(["# header", "", "Abs(x)", "   ", "x**2"])
    assert [(t.line, t.id, t.expr) for t in tasks] == [(3, "3", "Abs(x)"), (5, "5", "x**2")]


def test_done_ids_ignores_a_cut_last_line() -> None:
    assert done_ids(['{"id": 1}', '{"id": "b", "status": "ok"}', '{"id": 3, "sta']) == {"1", "b"}


# --- running ----------------------------------------------------------------------------


def test_run_task_in_process() -> None:
    result = run_task(Task(line=4, id="r", expr="Max(0, x)"))
    assert result["id"] == "r"
    assert result["line"] == 4
    assert result["status"] == "ok"
    assert result["result"]["nondifferentiable_points"] == ["0"]


@pytest.mark.usefixtures("patched")
def test_results_come_in_input_order_whatever_finishes_first() -> None:
    tasks = read_tasks(["slow(x)", "Max(0, x)", "Abs(x - 1)", "x**2"])
    seen: list[Any] = []
    results = list(run_batch(tasks, jobs=2, on_done=lambda r: seen.append(r["id"])))
    assert [r["id"] for r in results] == ["1", "2", "3", "4"]
    assert statuses(results) == ["ok"] * 4
    assert seen.index("1") > seen.index("2")  # the slow first line finished after the second
    assert results[0]["result"]["nondifferentiable_points"] == ["0"]  # slow(x) is Abs(x)


@pytest.mark.usefixtures("patched")
def test_each_bad_line_gets_its_own_error() -> None:
    lines = ["Max(0,", '{"expr": 1}', "hang(x)", "crash(x)", "hog(x)", "Abs(x)", "y + z"]
    results = list(run_batch(read_tasks(lines), jobs=2, timeout=2, memory_mb=512))
    assert statuses(results) == ["input", "bad_line", "timeout", "crash", "memory", "ok",
                                 "input"]
    errors = [r["error"]["message"] for r in results if r["status"] == "error"]
    assert errors[2] == "the line took longer than its budget of 2 s"
    assert "exit code 3" in errors[3]
    assert "several free names" in errors[5]


# --- the command ----------------------------------------------------------------------------


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_cli_writes_one_json_line_per_input_line_to_stdout(tmp_path: Path) -> None:
    src = write(tmp_path / "in.txt", ["Abs(x)", "Max(0,", '{"expr": "floor(x)", "domain": '
                                      '"[-1, 1]", "id": "fl"}'])
    result = CliRunner().invoke(main, ["batch", str(src), "--jobs", "2"])
    assert result.exit_code == 1, result.output  # a line failed
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["status"]) for r in lines] == [("1", "ok"), ("2", "error"), ("fl", "ok")]
    assert [p["at"] for p in lines[2]["result"]["points"]] == ["-1", "0", "1"]
    # no progress bar when stderr is not a terminal; one line counts the failures
    assert result.stderr == "1 of 3 lines failed\n"


def test_cli_exits_0_when_every_line_succeeded(tmp_path: Path) -> None:
    src = write(tmp_path / "in.txt", ["Abs(x)", '{"expr": "x", "id": 7}'])
    result = CliRunner().invoke(main, ["batch", str(src)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["1", "7"]


def test_cli_output_file_and_resume(tmp_path: Path) -> None:
    src = write(tmp_path / "in.txt", ["Abs(x)", "Abs(x - 1)", "Abs(x - 2)", "Abs(x - 3)"])
    out = tmp_path / "out.jsonl"
    # A previous run wrote two results, then died in the middle of the third.
    full = CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "--quiet"])
    assert full.exit_code == 0
    assert full.stdout == ""
    first = read_jsonl(out)
    out.write_text("\n".join(json.dumps(r) for r in first[:2]) + '\n{"id": 3, "li',
                   encoding="utf-8")
    resumed = CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "--resume", "-q"])
    assert resumed.exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[2] == '{"id": 3, "li'  # the cut line is left as it was
    again = [json.loads(line) for i, line in enumerate(lines) if i != 2]
    assert again == first  # ids 1 and 2 were not analysed again; 3 and 4 were


def test_cli_resume_needs_an_output_file(tmp_path: Path) -> None:
    src = write(tmp_path / "in.txt", ["Abs(x)"])
    result = CliRunner().invoke(main, ["batch", str(src), "--resume"])
    assert result.exit_code == 2
    assert result.stderr == "Error: --resume needs --output: the file whose ids are skipped\n"


def test_cli_missing_file_is_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["batch", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
