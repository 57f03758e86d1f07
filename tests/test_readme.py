"""The README's set-up commands are what CI runs, and the README matches the command.

``.ci/run`` extracts the two commands between HTML comment markers and runs
them verbatim; these tests make sure the markers hold exactly the documented
commands and that the script extracts the same text.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import click
import pytest

from diffcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
CI = ROOT / ".ci" / "run"

COMMANDS = {
    "run-command": 'pip install . && diffcheck "Max(0, x)"',
    "test-command": 'pip install ".[test]" && python -m pytest',
}


def readme_command(name: str) -> str:
    """The single line inside the fenced block between ``<!-- name -->`` and ``<!-- /name -->``."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^<!-- {name} -->\n```\w*\n(.*?)```\n<!-- /{name} -->$", text,
                      flags=re.MULTILINE | re.DOTALL)
    assert match, f"README.md has no fenced block between <!-- {name} --> markers"
    lines = match.group(1).splitlines()
    assert len(lines) == 1, f"the {name} must be one line, not {lines}"
    return lines[0]


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in COMMANDS])
def test_readme_holds_the_set_up_command(name: str) -> None:
    assert readme_command(name) == COMMANDS[name]


def test_readme_says_where_to_run_them() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Set up"):text.index("<!-- run-command -->")]
    assert "fresh virtual environment" in section
    assert "root of this repository" in section


def test_ci_runs_the_readme_commands_verbatim() -> None:
    proc = subprocess.run(["bash", str(CI), "--print-commands"], capture_output=True,
                          text=True, check=True, cwd=ROOT / "tests")
    assert proc.stdout.splitlines() == [readme_command(n) for n in COMMANDS]


def test_ci_script_is_strict_and_executable() -> None:
    text = CI.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "\nset -euo pipefail\n" in text
    assert 'bash -c "$test_command"' in text
    assert 'bash -c "$run_command"' in text
    assert "-m slow" in text
    if os.name == "posix":
        assert CI.stat().st_mode & stat.S_IXUSR


def test_readme_documents_every_option() -> None:
    text = README.read_text(encoding="utf-8")
    options = [opt for param in main.params if isinstance(param, click.Option)
               for opt in param.opts]
    missing = [opt for opt in options if f"`{opt}" not in text]
    assert not missing, f"README.md does not document {missing}"


def test_readme_names_the_distribution() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    [name] = re.findall(r'^name = "(.+)"$', pyproject, flags=re.MULTILINE)
    assert f"`{name}`" in README.read_text(encoding="utf-8")
