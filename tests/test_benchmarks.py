"""The benchmark command runs, and scores plain SymPy's answers the way RESULTS.md says.

No time is asserted: only that the quick run completes and what it counts.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import sympy

from diffcheck import analyze
from diffcheck.language.parsing import parse_expression

ROOT = Path(__file__).resolve().parent.parent


def load_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run = load_run()


def test_corpus_covers_every_construct() -> None:
    rows = run.read_corpus()
    assert len(rows) >= 60
    assert {g for g, _e, _a in rows} == {"max-min", "abs-sign", "piecewise", "steps",
                                         "roots-poles", "activations", "smooth"}
    for _group, text, _at in rows:
        parse_expression(text)  # every line is valid input


@pytest.mark.parametrize("n", [3, 12])
def test_relu_network_has_n_distinct_kinks(n: int) -> None:
    f = run.relu_network(n)
    assert len(f.atoms(sympy.Max)) == n
    assert [p.kind.value for p in analyze(f).points] == ["corner"] * n


def reference(expr: str, at: str) -> dict[str, object]:
    [point] = [p for p in analyze(expr, at=[at]).points if str(p.at) == at]
    return {k: point.to_dict()[k] for k in ("at", "kind", "left_derivative", "right_derivative",
                                            "differentiable", "derivative")}


X = sympy.Symbol("x", real=True)


@pytest.mark.parametrize(
    ("expr", "at", "left", "right", "scores"),
    [
        pytest.param("Abs(x)", "0", {"value": sympy.Integer(-1)}, {"value": sympy.Integer(1)},
                     ["agree", "agree"], id="agree"),
        pytest.param("Abs(x)", "0", {"value": sympy.Integer(1)}, {"error": "NotImplementedError"},
                     ["wrong", "error"], id="wrong-and-error"),
        pytest.param("Abs(x)", "0", {"timeout": True},
                     {"value": sympy.Limit(X, X, 0)}, ["timeout", "failed"], id="timeout-failed"),
        pytest.param("Piecewise((x*sin(1/x), Ne(x, 0)), (0, True))", "0",
                     {"value": sympy.AccumBounds(-1, 1)}, {"value": sympy.Integer(0)},
                     ["agree", "wrong"], id="no-limit"),
        pytest.param("sqrt(x)", "0", {"value": sympy.I * sympy.oo}, {"value": sympy.oo},
                     ["wrong", "agree"], id="complex-is-wrong"),
    ],
)
def test_limits_scoring(expr: str, at: str, left: dict[str, object], right: dict[str, object],
                        scores: list[str]) -> None:
    assert run._score_limits(reference(expr, at), {"-": left, "+": right}) == scores


@pytest.mark.parametrize(
    ("expr", "at", "got", "score"),
    [
        pytest.param("Max(0, x)", "0", {"value": sympy.Rational(1, 2)}, ["wrong"],
                     id="heaviside-half-at-a-corner"),
        pytest.param("x*Abs(x)", "0", {"value": sympy.Integer(0)}, ["right"], id="right"),
        pytest.param("floor(x)", "1", {"value": sympy.Derivative(sympy.floor(X), X)}, ["none"],
                     id="unevaluated"),
        pytest.param("Max(sin(x), cos(x))", "pi/4", {"error": "TypeError"}, ["error"],
                     id="error"),
    ],
)
def test_subs_scoring(expr: str, at: str, got: dict[str, object], score: list[str]) -> None:
    assert run._score_subs(reference(expr, at), got) == score


def test_quick_run(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    # this checkout's package, whichever copy is installed
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick",
                           "--json", str(out)], capture_output=True, text=True, check=False,
                          cwd=ROOT, env=env)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    rows = {r["name"]: r for r in data["rows"]}
    assert set(rows) == {"corpus", "relu N=10"}
    assert rows["relu N=10"]["points"] == 10
    assert rows["relu N=10"]["limits"]["estimated"] is True  # 1 sampled kink of 10
    for row in rows.values():
        for method in ("diffcheck", "limits", "subs"):
            assert row[method]["seconds"] > 0
            assert row[method]["peak_mb"] > 0
    # At a kink of the network diff().subs() reports Heaviside(0) = 1/2 mixes: never right.
    assert all(s == ["wrong"] for s in rows["relu N=10"]["subs"]["scores"])
    assert "| relu N=10 | 10 (sampled 1) |" in proc.stdout
    assert "CLI start-up / import sympy" in proc.stdout
