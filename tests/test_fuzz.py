"""In-process fuzz targets (hypothesis): the analysis and the command on random input.

* Random expressions from a grammar (as text, so they go through the parser):
  the analysis ends with a report or an ``InputError``, the report keeps its
  invariants, and the numeric cross-check contradicts no verdict.
* Random command lines (expression, points, domain, options) through click's
  CliRunner: exit 0, 1 or 2; never a traceback; exit 2 is one ``Error:`` line;
  ``--json`` is one JSON object.

Bounded and derandomised in the default suite; ``-m slow`` runs many more.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diffcheck import Analysis, Kind, analyze
from diffcheck.cli import main
from diffcheck.errors import InputError

QUICK = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
MANY = settings(max_examples=400, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

numbers = st.sampled_from(["0", "1", "2", "-1", "1/2", "-3/2", "1/3", "pi", "sqrt(2)", "pi/2"])
powers = st.sampled_from(["1/3", "2/3", "1/2", "3/2", "4/3", "2", "3", "-1", "-1/3", "5/3"])
functions = st.sampled_from(["Abs", "floor", "ceiling", "frac", "sign", "Heaviside", "sin", "cos",
                             "exp", "sqrt", "log", "tan", "atan", "acot", "asin", "acos", "tanh",
                             "cbrt", "sinh", "erf"])
relations = st.sampled_from(["<", "<=", ">", "Ne", "Eq"])
leaves = st.one_of(st.just("x"), st.just("x"), numbers)


def _piecewise(t: tuple[str, str, str, str]) -> str:
    a, b, c, rel = t
    cond = f"{rel}(x, {c})" if rel in ("Ne", "Eq") else f"x {rel} {c}"
    return f"Piecewise(({a}, {cond}), ({b}, True))"


def _grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    two = st.tuples(inner, inner)
    return st.one_of(
        two.map(lambda t: f"({t[0]} + {t[1]})"),
        two.map(lambda t: f"({t[0]} - {t[1]})"),
        two.map(lambda t: f"({t[0]}) * ({t[1]})"),
        two.map(lambda t: f"({t[0]}) / ({t[1]})"),
        two.map(lambda t: f"Max({t[0]}, {t[1]})"),
        two.map(lambda t: f"Min({t[0]}, {t[1]})"),
        two.map(lambda t: f"atan2({t[0]}, {t[1]})"),
        inner.map(lambda a: f"Mod({a}, 2)"),
        st.tuples(functions, inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, powers).map(lambda t: f"({t[0]})**({t[1]})"),
        st.tuples(inner, inner, numbers, relations).map(_piecewise),
    )


expressions = st.recursive(leaves, _grow, max_leaves=6)


def assert_invariants(analysis: Analysis) -> None:
    """What holds of every report, whatever the function."""
    keys = [float(p.at) for p in analysis.points if p.at.is_number]
    assert keys == sorted(keys)
    for p in analysis.points:
        assert p.reason
        if p.differentiable:
            assert p.kind is Kind.DIFFERENTIABLE
            assert p.continuous is True
            assert p.left_derivative == p.right_derivative == p.derivative
            assert p.derivative is not None
            assert p.derivative.is_finite
        if p.continuous is False:
            assert p.differentiable is False
        if p.kind is Kind.UNKNOWN:
            assert p.differentiable is not True
        if p.numeric_check is not None:
            # A contradiction is either a core bug or a verifier flaw: both are bugs here.
            assert p.numeric_check.agrees is not False, (str(analysis.expression), p.reason)
    json.loads(json.dumps(analysis.to_dict()))


def _analyse(text: str) -> None:
    try:
        analysis = analyze(text, domain="[-3, 3]", timeout=0.5, verify=True)
    except InputError:
        return
    assert_invariants(analysis)


@QUICK
@given(text=expressions)
def test_analysis_fuzz(text: str) -> None:
    _analyse(text)


@pytest.mark.slow
@MANY
@given(text=expressions)
def test_analysis_fuzz_many(text: str) -> None:
    _analyse(text)


# --- the command line ---------------------------------------------------------------------

junk = st.text(alphabet="x()[],+-*/^<>=.0123456789 ITazoonpi", max_size=12)
points = st.one_of(numbers, st.sampled_from(["oo", "-oo", "zoo", "nan", "I", "x", "1/0",
                                             "10**400", ""]), junk)
domains = st.one_of(st.sampled_from(["[-2, 2]", "(0, oo)", "[2, 1]", "[1, 1]", "R", "[-oo, 0]",
                                     "(-1, 1]", "[0, 1", "nonsense"]), junk)
options = st.lists(st.one_of(
    st.tuples(st.just("--at"), points),
    st.tuples(st.just("--domain"), domains),
    st.tuples(st.just("--timeout"), st.sampled_from(["0.3", "0", "-1", "nan", "inf", "abc"])),
    st.tuples(st.just("--var"), st.sampled_from(["x", "y", "1x", "x y", ""])),
    st.tuples(st.just("--order"), st.sampled_from(["1", "2", "0", "one"])),
    st.just(("--json",)), st.just(("--verify",)), st.just(("--fail-on-nondifferentiable",)),
), max_size=4).map(lambda groups: [word for group in groups for word in group])


def _command(expr: str, args: list[str]) -> None:
    if "--timeout" not in args:
        args = [*args, "--timeout", "0.3"]
    result = CliRunner().invoke(main, ["--", expr, *args] if expr.startswith("-")
                                else [expr, *args])
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2), (expr, args, result.output, result.exception)
    if result.exit_code == 2:
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        # click's own usage errors print a usage block; diffcheck's errors one line
        assert lines[-1].startswith("Error: "), result.stderr
        if not any(line.startswith("Usage:") for line in lines):
            assert len(lines) == 1, result.stderr
    elif "--json" in args:
        assert isinstance(json.loads(result.stdout), dict)


@QUICK
@given(expr=st.one_of(expressions, junk), args=options)
def test_cli_fuzz(expr: str, args: list[str]) -> None:
    _command(expr, args)


@pytest.mark.slow
@MANY
@given(expr=st.one_of(expressions, junk), args=options)
def test_cli_fuzz_many(expr: str, args: list[str]) -> None:
    _command(expr, args)

