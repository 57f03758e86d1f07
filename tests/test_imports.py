"""Import discipline: the core never loads the presentation layers.

``import diffcheck`` is what a library user pays; click belongs to the command
and rich to the terminal report (click's own tests/test_imports.py does the same).
"""

from __future__ import annotations

import ast
import json
import pathlib
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


# --- the layers: every import points down ------------------------------------------------

# Lower number = lower layer.  A module may import its own layer and the layers below.
LAYERS: dict[str, int] = {
    "diffcheck.errors": 0, "diffcheck.budget": 0, "diffcheck.facts": 0, "diffcheck._version": 0,
    "diffcheck.model": 1,
    "diffcheck.language": 2, "diffcheck.engine": 2,
    "diffcheck.analysis": 3,
    "diffcheck.apps": 4,
    "diffcheck.render": 5,
    "diffcheck.notebook": 6, "diffcheck.cli": 6, "diffcheck.__main__": 6, "diffcheck": 6,
}
# The language and the engine are peers that must not know each other.
PEERS = {("diffcheck.language", "diffcheck.engine"), ("diffcheck.engine", "diffcheck.language")}
PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "diffcheck"


def _layer_of(module: str) -> str:
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        name = ".".join(parts[:n])
        if name in LAYERS:
            return name
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")


def _module_name(path: pathlib.Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: pathlib.Path) -> list[tuple[int, str]]:
    """Every diffcheck module imported anywhere in the file (lazy imports included)."""
    tree = ast.parse(path.read_text(), str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("diffcheck")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "diffcheck":
                found += [(node.lineno, f"diffcheck.{a.name}") for a in node.names]
            elif node.module.startswith("diffcheck."):
                found.append((node.lineno, node.module))
    return found


def _edges() -> list[tuple[str, int, str, str]]:
    """(file, line, importer's layer, imported layer) for every import of the package."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        me = _layer_of(_module_name(path))
        for line, target in _imports(path):
            try:
                other = _layer_of(target)
            except AssertionError:
                other = "diffcheck"  # a name re-exported by the package (diffcheck.analyze)
            out.append((str(path.relative_to(PACKAGE.parent)), line, me, other))
    return out


def test_every_import_points_down() -> None:
    wrong = [f"{file}:{line}: {me} imports {other}" for file, line, me, other in _edges()
             if LAYERS[other] > LAYERS[me] or (me, other) in PEERS]
    assert wrong == [], "\n".join(wrong)


def test_the_layer_walk_sees_lazy_imports() -> None:
    edges = {(me, other) for _file, _line, me, other in _edges()}
    # the CLI imports the renderers inside its functions: the walk must see those edges
    assert ("diffcheck.cli", "diffcheck.render") in edges
    assert ("diffcheck.analysis", "diffcheck.engine") in edges


def test_the_layer_rule_catches_an_upward_edge(tmp_path: pathlib.Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from diffcheck.render.terminal import render_point\n")
    [(line, target)] = _imports(bad)
    assert line == 2
    assert LAYERS[_layer_of(target)] > LAYERS["diffcheck.model"]
