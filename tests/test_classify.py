"""classify() on hand-built sides: a kind is claimed only from complete evidence.

A budget can run out after one side's limit is known and before the other's;
what is certain then (f is not continuous) is said, the kind is not guessed.
"""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st
from sympy import Integer

from diffcheck.engine.classify import RULES, Facts, Side, classify
from diffcheck.model.report import Kind

ZERO, ONE, TWO = Integer(0), Integer(1), Integer(2)
OPEN = "the right side took longer than the time budget"


def left(limit: Integer) -> Side:
    return Side(side=-1, defined=True, limit=limit, limit_exists=True)


CASES = [
    # (value, left side, right side, kind, continuous, differentiable)
    pytest.param(ONE, left(ZERO), Side(side=1, defined=True, limit=ZERO, limit_exists=True),
                 Kind.REMOVABLE, False, False, id="both-limits-agree-value-differs"),
    pytest.param(ONE, left(ZERO), Side(side=1, defined=True, limit=TWO, limit_exists=True),
                 Kind.JUMP, False, False, id="both-limits-differ"),
    pytest.param(ONE, left(ZERO), Side(side=1, defined=True, note=OPEN),
                 Kind.UNKNOWN, False, False, id="right-limit-open-after-defined"),
    pytest.param(ONE, left(ZERO), Side(side=1, defined=None, note=OPEN),
                 Kind.UNKNOWN, False, False, id="right-side-open"),
    pytest.param(ZERO, left(ZERO), Side(side=1, defined=True, note=OPEN),
                 Kind.UNKNOWN, None, None, id="left-continuous-right-open"),
    pytest.param(ONE, left(ZERO), Side(side=1, defined=False),
                 Kind.REMOVABLE, False, False, id="one-sided-function"),
]


@pytest.mark.parametrize(("value", "lside", "rside", "kind", "continuous", "differentiable"),
                         CASES)
def test_kind_needs_complete_evidence(value: Integer, lside: Side, rside: Side, kind: Kind,
                                      continuous: bool | None,
                                      differentiable: bool | None) -> None:
    report = classify(ZERO, value, lside, rside, ())
    assert (report.kind, report.continuous, report.differentiable) == (
        kind, continuous, differentiable), report.reason
    if kind is Kind.UNKNOWN and differentiable is False:
        assert report.reason.startswith("not differentiable: the left limit 0 differs from f(0)")
        assert OPEN in report.reason


def test_undefined_value_with_the_other_side_open_does_not_say_defined_only() -> None:
    report = classify(ZERO, None, left(ONE), Side(side=1, defined=None, note=OPEN), ())
    assert (report.kind, report.differentiable) == (Kind.UNDEFINED, False)
    assert "defined only" not in report.reason
    assert OPEN in report.reason


# --- the rule table: every Kind, every rule --------------------------------------------

OO = sympy.oo


def side(s: int, limit: sympy.Expr | None = ZERO, slope: sympy.Expr | None = ZERO, *,
         defined: bool | None = True, limit_exists: bool | None = True,
         slope_exists: bool | None = True, note: str = "") -> Side:
    """One side with f -> limit and difference quotient -> slope (None: no such limit)."""
    return Side(side=s, defined=defined, limit=limit, limit_exists=limit_exists,
                derivative=slope, derivative_exists=slope_exists, note=note)


SQRT2 = sympy.sqrt(2)
RULE_TABLE = [
    # (f(a), left, right, kind, deciding rule, differentiable) — one row per situation
    pytest.param(ZERO, side(-1, slope=ONE), side(1, slope=ONE),
                 Kind.DIFFERENTIABLE, "both_slopes", True, id="differentiable"),
    pytest.param(ZERO, side(-1, slope=SQRT2 / 2), side(1, slope=1 / SQRT2),
                 Kind.DIFFERENTIABLE, "both_slopes", True, id="differentiable-same-number"),
    pytest.param(ZERO, side(-1), side(1, slope=ONE),
                 Kind.CORNER, "both_slopes", False, id="corner"),
    pytest.param(ZERO, side(-1, slope=ONE), side(1, slope=OO),
                 Kind.CORNER, "both_slopes", False, id="corner-half-vertical"),
    pytest.param(ZERO, side(-1, slope=-OO), side(1, slope=OO),
                 Kind.CUSP, "both_slopes", False, id="cusp"),
    pytest.param(ZERO, side(-1, slope=OO), side(1, slope=OO),
                 Kind.VERTICAL_TANGENT, "both_slopes", False, id="vertical-tangent"),
    pytest.param(ZERO, side(-1), side(1, limit=ONE),
                 Kind.JUMP, "jump", False, id="jump"),
    pytest.param(None, side(-1, limit=ONE), side(1, limit=ONE),
                 Kind.REMOVABLE, "undefined_at", False, id="removable-hole"),
    pytest.param(TWO, side(-1), side(1),
                 Kind.REMOVABLE, "limit_differs_from_value", False, id="removable-value"),
    pytest.param(None, side(-1, limit=OO), side(1, limit=-OO),
                 Kind.INFINITE, "infinite_limit", False, id="infinite"),
    pytest.param(ZERO, side(-1, limit=None, limit_exists=False), side(1),
                 Kind.OSCILLATING, "no_limit", False, id="oscillating-f"),
    pytest.param(ZERO, side(-1, slope=None, slope_exists=False), side(1),
                 Kind.OSCILLATING, "quotient_oscillates", False, id="oscillating-quotient"),
    pytest.param(None, side(-1, defined=False), side(1, defined=False),
                 Kind.UNDEFINED, "nowhere_defined", False, id="undefined-everywhere-near"),
    pytest.param(None, side(-1, defined=False), side(1, limit=ONE),
                 Kind.UNDEFINED, "undefined_at", False, id="undefined-at-a"),
    pytest.param(ZERO, side(-1, defined=False), side(1, slope=OO),
                 Kind.ENDPOINT, "endpoint", False, id="endpoint"),
    pytest.param(ZERO, side(-1, defined=None, note=OPEN), side(1, defined=None, note=OPEN),
                 Kind.UNKNOWN, "nowhere_defined", None, id="unknown-both-sides-open"),
    pytest.param(ZERO, side(-1, limit=None, limit_exists=None, note=OPEN), side(1),
                 Kind.UNKNOWN, "limit_undecided", None, id="unknown-limit"),
    pytest.param(ZERO, side(-1, slope=None, slope_exists=None, note=OPEN), side(1),
                 Kind.UNKNOWN, "slope_undecided", None, id="unknown-slope"),
    pytest.param(ZERO, side(-1, slope=None, slope_exists=None, note=OPEN), side(1, slope=OO),
                 Kind.UNKNOWN, "slope_undecided", False, id="unknown-kind-not-differentiable"),
]


def deciding_rule(value: sympy.Expr | None, lside: Side, rside: Side) -> str:
    facts = Facts(ZERO, value, lside, rside)
    return next(rule.__name__ for rule in RULES if rule(facts) is not None)


@pytest.mark.parametrize(("value", "lside", "rside", "kind", "rule", "differentiable"),
                         RULE_TABLE)
def test_rule_table(value: sympy.Expr | None, lside: Side, rside: Side, kind: Kind, rule: str,
                    differentiable: bool | None) -> None:
    report = classify(ZERO, value, lside, rside)
    assert (report.kind, report.differentiable) == (kind, differentiable), report.reason
    assert deciding_rule(value, lside, rside) == rule
    assert report.reason  # every verdict says why
    if kind is Kind.DIFFERENTIABLE:
        assert report.derivative == lside.derivative
    else:
        assert report.derivative is None


def test_the_rule_table_covers_every_kind_and_every_rule() -> None:
    rows = [p.values for p in RULE_TABLE]
    assert {row[3] for row in rows} == set(Kind)
    assert {row[4] for row in rows} == {rule.__name__ for rule in RULES}


NUMBERS = st.sampled_from([ZERO, ONE, TWO, -ONE, SQRT2, OO, -OO, None])
TRI = st.sampled_from([True, False, None])


@st.composite
def sides(draw: st.DrawFn, s: int) -> Side:
    # As the analysis builds them: a limit or slope said to exist is written down.
    limit, derivative = draw(NUMBERS), draw(NUMBERS)
    limit_exists = draw(TRI if limit is not None else st.sampled_from([False, None]))
    derivative_exists = draw(TRI if derivative is not None
                             else st.sampled_from([False, None]))
    return Side(side=s, defined=draw(TRI), limit=limit, limit_exists=limit_exists,
                derivative=derivative, derivative_exists=derivative_exists, note="a note")


@given(value=NUMBERS.filter(lambda v: v is None or v.is_finite), lside=sides(-1),
       rside=sides(1))
def test_differentiable_only_on_complete_evidence(value: sympy.Expr | None, lside: Side,
                                                  rside: Side) -> None:
    """Any combination of facts: "differentiable" only when the definition holds, and
    a proven non-differentiability is never called differentiable or unknown-maybe."""
    report = classify(ZERO, value, lside, rside)
    if report.differentiable:
        assert value is not None
        for s in (lside, rside):
            assert s.defined
            assert s.limit_exists
            assert s.limit == value
            assert s.derivative_exists
            assert s.derivative is not None
            assert s.derivative.is_finite
        assert lside.derivative == rside.derivative == report.derivative
    if report.kind is Kind.UNKNOWN:
        assert report.differentiable is not True
    else:
        assert report.differentiable is (report.kind is Kind.DIFFERENTIABLE)
