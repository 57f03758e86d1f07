"""The facts table (diffcheck.facts): every stage reads it, and one row teaches a function."""

from __future__ import annotations

import pytest
import sympy

from diffcheck import analyze, facts
from diffcheck.engine import discovery, limits
from diffcheck.facts import FACTS, Side, Switch


def test_every_switch_has_a_discovery_rule() -> None:
    assert set(discovery.SWITCH_RULES) == set(Switch) - {Switch.NONE}


def test_every_side_has_a_resolution_rule() -> None:
    assert set(limits.SIDE_RULES) == set(Side)


@pytest.mark.parametrize("cls", list(FACTS), ids=lambda c: c.__name__)
def test_rows_are_consistent(cls: type) -> None:
    row = FACTS[cls]
    if row.entire:
        assert row.analytic
        assert row.continuous
        assert row.switch is Switch.NONE
    if row.switch is Switch.ARGUMENT_AT:
        assert row.at
    if row.switch is Switch.POLE or row.side is Side.POLE:
        assert row.pole is not None
    if row.side in (Side.INSIDE, Side.OUTSIDE):
        assert row.bounds != (None, None)
    assert set(row.edges) <= set(row.at), "a domain edge is also a candidate"


def test_subclass_uses_its_parents_row() -> None:
    class mymax(sympy.Max):
        pass

    assert facts.facts_of(mymax(sympy.Symbol("x"), 0)) is FACTS[sympy.Max]
    assert facts.facts_of(sympy.Symbol("x")) is None


# The rows added as one-row demonstrations (erfinv, sinc, erfcinv): parsed, discovered, resolved.
@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        pytest.param("sinc(x)", [], id="sinc-entire"),
        pytest.param("sinc(x) - Abs(x)", [("0", "corner", "1", "-1")], id="sinc-plus-corner"),
        pytest.param("erfinv(x)", [("-1", "infinite", None, None), ("1", "infinite", None, None)],
                     id="erfinv-ends"),
        pytest.param("Max(erfinv(x/4), 0)", [("-4", "undefined", None, None),
                                             ("0", "corner", "0", "sqrt(pi)/8"),
                                             ("4", "infinite", None, None)],
                     id="erfinv-relu"),
        # erfcinv: one row (domain, ends, evalf spelling) and nothing else.
        pytest.param("erfcinv(x)", [("0", "infinite", None, None), ("2", "infinite", None, None)],
                     id="erfcinv-ends"),
    ],
)
def test_one_row_teaches_a_function(expr: str, expected: list[tuple[str, str, str | None,
                                                                          str | None]]) -> None:
    a = analyze(expr, domain="[-5, 5]")
    got = [(str(p.at), p.kind.value,
            None if p.left_derivative is None else str(p.left_derivative),
            None if p.right_derivative is None else str(p.right_derivative)) for p in a.points]
    assert got == expected, a.points


def test_sinc_is_smooth_at_zero() -> None:
    p = analyze("sinc(x)", at=["0"], order=3).points[0]
    assert p.differentiable is True
    assert p.derivative == 0
    assert p.smoothness is not None
    assert "oo" in str(p.smoothness)


def test_the_tables_other_stages_read_come_from_the_facts() -> None:
    """The parameter cases, the sign conditions, the set analysis and the certified roots
    read the table: a class is taught once."""
    from diffcheck.analysis import cases
    from diffcheck.engine import conditions, nondiff_set, roots

    assert set(cases._SWITCHES) == set(facts.BRANCHING) - {sympy.Mod}
    assert conditions._SIGNED == facts.SIGNED
    assert nondiff_set.SMOOTH_FUNCTIONS == facts.ENTIRE
    x = sympy.Symbol("x")
    for cls, row in FACTS.items():
        if row.enclosure is not None:
            assert roots._enclosure(cls(x)) is row.enclosure
