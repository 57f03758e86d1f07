"""Import discipline: the core never loads the presentation layers.

``import diffcheck`` is what a library user pays; click belongs to the command
and rich to the terminal report (click's own tests/test_imports.py does the same).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

FORBIDDEN = ("click", "rich")


def loaded_after(statement: str) -> list[str]:
    """Top-level modules among FORBIDDEN that ``statement`` loads in a fresh interpreter."""
    code = textwrap.dedent(f"""
        import json, sys
        {statement}
        print(json.dumps(sorted({{m.partition(".")[0] for m in sys.modules}})))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return [m for m in json.loads(proc.stdout) if m in FORBIDDEN]


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("import diffcheck", id="package"),
        pytest.param("from diffcheck import analyze, Analysis, Kind", id="public-api"),
        pytest.param("import diffcheck.render.to_json", id="render-json"),
    ],
)
def test_core_loads_neither_click_nor_rich(statement: str) -> None:
    assert loaded_after(statement) == []


def test_cli_loads_click_but_not_rich() -> None:
    assert loaded_after("import diffcheck.cli") == ["click"]
