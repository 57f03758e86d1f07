"""The README's example outputs, checked against (or rewritten from) the real command.

Each example is a fenced ``text`` block between ``<!-- example-output -->`` and
``<!-- /example-output -->`` whose first line is ``$ diffcheck ARGS``; the rest
is what ``diffcheck ARGS`` prints (80 columns, no colour).  When the report's
layout changes on purpose, regenerate them all::

    python -m tests.readme_examples --write
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from click.testing import CliRunner

from diffcheck.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"(<!-- example-output -->\n```text\n\$ diffcheck (?P<args>.*?)\n)"
                   r"(?P<shown>.*?)(```\n<!-- /example-output -->)", flags=re.DOTALL)


def printed(args: str) -> str:
    """What ``diffcheck ARGS`` prints, as a pipe gets it, ending with one newline."""
    result = CliRunner().invoke(main, shlex.split(args), env={"COLUMNS": "80"})
    if result.exit_code not in (0, 1):
        raise RuntimeError(f"diffcheck {args} failed: {result.stderr}")
    return "\n".join(line.rstrip() for line in result.stdout.rstrip("\n").splitlines()) + "\n"


def examples(text: str) -> list[tuple[str, str]]:
    """(args, shown output) of every marked example of the README text."""
    return [(m["args"], m["shown"]) for m in BLOCK.finditer(text)]


def rewrite(text: str) -> str:
    """The README text with every marked example's output regenerated."""
    return BLOCK.sub(lambda m: m[1] + printed(m["args"]) + m[4], text)


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.readme_examples --write")
    README.write_text(rewrite(README.read_text(encoding="utf-8")), encoding="utf-8")
