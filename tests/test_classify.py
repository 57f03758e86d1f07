"""classify() on hand-built sides: a kind is claimed only from complete evidence.

A budget can run out after one side's limit is known and before the other's;
what is certain then (f is not continuous) is said, the kind is not guessed.
"""

from __future__ import annotations

import pytest
from sympy import Integer

from diffcheck.engine.classify import Side, classify
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
