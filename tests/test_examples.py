"""Every script in examples/ runs, so that none of them can rot.

Parametrized over the directory itself: a new example is covered the day it
is added.  Each runs in a fresh interpreter (``sys.executable``) and must exit
0 without a traceback; the examples listed in EXPECTED must also print the
lines given there.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from diffcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TIMEOUT = 300
"""Seconds an example may take: a generous bound against hangs, not a speed test."""

EXPECTED: dict[str, tuple[str, ...]] = {
    "relu.py": (
        "f'(a-) = lim h->0- (f(a+h) - f(a))/h = 0",
        "f'(a+) = lim h->0+ (f(a+h) - f(a))/h = 1",
        "verdict: corner (left derivative 0 differs from right derivative 1)",
    ),
    "api_basic.py": (
        "not differentiable at: (0, 1)",
        "|x|**(2/3): [(0, 'cusp', -oo, oo)]",
        "InputError: cannot parse 'Max(0,' at column 7",
    ),
    "activations.py": (
        "relu           no                         corner at 0 (f'(a-) = 0, f'(a+) = 1)",
        "elu            yes ",
        "elu, alpha=2   no                         corner at 0 (f'(a-) = 2, f'(a+) = 1)",
        "gelu           yes                        -",
    ),
    "losses.py": (
        "huber              yes ",
        "l1                 no                         corner at 0",
        "hinge              no                         corner at 1",
    ),
}
SLOW = {"losses.py"}
"""Examples that draw many plots: run with the slow tests (CI runs those too)."""


def run(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True,
                          timeout=TIMEOUT, cwd=EXAMPLES.parent)


def examples() -> list[object]:
    return [pytest.param(path, id=path.stem,
                         marks=[pytest.mark.slow] if path.name in SLOW else [])
            for path in sorted(EXAMPLES.glob("*.py"))]


def test_the_examples_are_there() -> None:
    assert set(EXPECTED) <= {path.name for path in EXAMPLES.glob("*.py")}


@pytest.mark.parametrize("script", examples())
def test_example_runs(script: Path, tmp_path: Path) -> None:
    # An example that writes files (losses.py --plots) writes them into tmp_path.
    args = ("--plots", str(tmp_path)) if script.name == "losses.py" else ()
    proc = run(script, *args)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stdout.splitlines()
    for expected in EXPECTED.get(script.name, ()):
        assert any(line.startswith(expected) for line in lines), (expected, proc.stdout)


@pytest.mark.slow
def test_losses_writes_its_plots_only_where_told(tmp_path: Path) -> None:
    proc = run(EXAMPLES / "losses.py", "--plots", str(tmp_path / "plots"))
    assert proc.returncode == 0, proc.stderr
    if importlib.util.find_spec("matplotlib") is None:
        assert "plots skipped" in proc.stdout
        return
    written = sorted(p.name for p in (tmp_path / "plots").iterdir())
    assert "huber.png" in written
    assert "hinge.png" in written
    for name in written:
        assert (tmp_path / "plots" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plain_huber_in_losses_is_the_catalog_huber() -> None:
    """examples/losses.py:huber is read as source by others: keep its shape and meaning."""
    spec = importlib.util.spec_from_file_location("losses_example", EXAMPLES / "losses.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.huber(0.5) == 0.125
    assert module.huber(3.0) == 2.5
    assert module.huber(3.0, delta=2.0) == 4.0
    module.check_plain_huber()


# --- the README's gallery ---------------------------------------------------------------


def test_gallery_picture_is_the_documented_command_s_png() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert '`diffcheck "Max(0, x)" --plot docs/relu.png`' in readme
    assert "](docs/relu.png)" in readme
    data = (ROOT / "docs" / "relu.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (700, 600)
    assert len(data) < 100_000


def test_gallery_terminal_output_is_what_the_command_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    gallery = readme[readme.index("## Gallery"):]
    [block] = re.findall(r"```text\n\$ diffcheck (.*?)\n(.*?)```", gallery, flags=re.DOTALL)
    command, shown = block
    result = CliRunner().invoke(main, shlex.split(command))
    assert result.exit_code == 0, result.stderr
    printed = "\n".join(line.rstrip() for line in result.stdout.splitlines())
    assert printed.strip() == shown.strip()
