"""The --json contract: real output checked against diffcheck/model/analysis.schema.json."""

from __future__ import annotations

import json
import pathlib
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

import diffcheck
from diffcheck.cli import main
from diffcheck.model.report import SCHEMA_VERSION

SCHEMA_PATH = pathlib.Path(diffcheck.__file__).parent / "model" / "analysis.schema.json"
SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def cli_json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def errors(data: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in VALIDATOR.iter_errors(data)]


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_schema_version_is_the_models() -> None:
    one = SCHEMA["$defs"]["analysis"]["properties"]["schema_version"]["const"]
    several = SCHEMA["$defs"]["multi_analysis"]["properties"]["schema_version"]["const"]
    assert one == several == SCHEMA_VERSION


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("Max(0, x)",), id="relu"),
        pytest.param(("Abs(x) + floor(x)", "--domain", "[-1, 1]"), id="family-in-window"),
        pytest.param(("floor(x)",), id="family"),
        pytest.param(("sin(x)/x", "--verify", "--order", "2"), id="removable-verify-order"),
        pytest.param(("x*Abs(x)", "--order", "3"), id="smoothness"),
        pytest.param(("x**(1/3)",), id="vertical-tangent"),
        pytest.param(("x*sin(1/x)",), id="oscillating"),
        pytest.param(("a*Abs(x - b)", "--var", "x"), id="parameters"),
        pytest.param(("sqrt(x)", "--at", "-1"), id="endpoint"),
        pytest.param(("Abs(x)", "--autodiff", "torch"), id="autodiff"),
        pytest.param(("Max(0, 1 - y*(w*x + b))", "--vars", "w,b", "--set", "x=2", "--set",
                      "y=1", "--at", "w=1/2, b=0"), id="several-variables"),
        pytest.param(("Abs(x) + Abs(y)", "--vars", "x,y"), id="several-no-points"),
    ],
)
def test_real_output_follows_the_schema(args: tuple[str, ...]) -> None:
    data = cli_json(*args)
    assert errors(data) == []
    assert data["schema_version"] == SCHEMA_VERSION


def test_a_key_the_schema_does_not_know_is_caught() -> None:
    data = cli_json("Max(0, x)")
    data["points"][0]["slope"] = "1"
    del data["derivative"]
    found = errors(data)
    assert found, "the schema must reject unknown and missing keys"


def test_every_kind_is_in_the_schema() -> None:
    assert set(SCHEMA["$defs"]["kind"]["enum"]) == {k.value for k in diffcheck.Kind}


def test_the_benchmark_corpus_follows_the_schema() -> None:
    corpus = pathlib.Path(__file__).resolve().parent.parent / "benchmarks" / "corpus.txt"
    checked = 0
    for line in corpus.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        expr, _, at = line.partition(" ; ")
        data = diffcheck.analyze(expr, at=[at] if at else []).to_dict()
        assert errors(json.loads(json.dumps(data))) == [], expr
        checked += 1
    assert checked > 50
