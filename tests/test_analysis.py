"""The core analysis, one table per construct, with exact expected values.

Each row names the expression, the point, and what the definition gives
there: f(a), the one-sided limits, the one-sided difference-quotient limits
(``left``/``right``), the kind and, when differentiable, the derivative.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import sympy

from diffcheck import Kind, analyze
from diffcheck.analysis.single import evaluate_point
from diffcheck.engine.sweep import sweep_sum
from diffcheck.errors import InputError
from diffcheck.language.parsing import parse_expression, parse_point

X = sympy.Symbol("x", real=True)


def assert_point(expr: str, *, at: str, domain: str | None = None, var: str | None = None,
                 **expected: Any) -> None:
    """Analyse ``expr`` and check the point ``at`` (fields as in the JSON, strings)."""
    analysis = analyze(expr, at=[at], domain=domain, var=var)
    [point] = [p for p in analysis.points if p.at == parse_point(at)]
    d = point.to_dict()
    names = {"left": "left_derivative", "right": "right_derivative"}
    actual = {k: d[names.get(k, k)] for k in expected}
    assert actual == expected, f"{expr} at {at}:\n{json.dumps(d, indent=2)}"


def case(expr: str, at: str, kind: str, id: str, **expected: Any) -> Any:
    return pytest.param(expr, at, kind, expected, id=id)


def check(expr: str, at: str, kind: str, expected: dict[str, Any]) -> None:
    domain = expected.pop("domain", None)
    assert_point(expr, at=at, domain=domain, kind=kind, **expected)


MAX_MIN = [
    case("Max(0, x)", "0", "corner", "relu", value="0", left_limit="0", right_limit="0",
         left="0", right="1", continuous=True, differentiable=False, derivative=None,
         reason="left derivative 0 differs from right derivative 1"),
    case("Max(0, x)", "2", "differentiable", "relu-away", left="1", right="1", derivative="1"),
    case("Max(x, x**2)", "0", "corner", "max-quad-0", left="0", right="1"),
    case("Max(x, x**2)", "1", "corner", "max-quad-1", left="1", right="2"),
    case("Min(1, Max(0, x))", "0", "corner", "clip-0", left="0", right="1"),
    case("Min(1, Max(0, x))", "1", "corner", "clip-1", left="1", right="0"),
    case("Max(0, x)**2", "0", "differentiable", "relu-squared", derivative="0"),
    case("Max(0, x) - Max(0, -x)", "0", "differentiable", "relu-difference-is-x",
         left="1", right="1", derivative="1"),
    case("Max(0, x, x - 1)", "1", "differentiable", "max3-false-candidate", derivative="1"),
    case("Max(sin(x), cos(x))", "pi/4", "corner", "max-trig",
         left="-sqrt(2)/2", right="sqrt(2)/2", value="sqrt(2)/2"),
    case("Max(-x, x**2)", "0", "corner", "max-tangent-side", left="-1", right="0"),
    case("Min(x, 0) + Abs(x)", "0", "corner", "min-plus-abs", left="0", right="1"),
]

ABS_SIGN = [
    case("Abs(x)", "0", "corner", "abs", left="-1", right="1", value="0"),
    case("x*Abs(x)", "0", "differentiable", "x-abs-x", derivative="0"),
    case("Abs(x)**3", "0", "differentiable", "abs-cubed", derivative="0"),
    case("Abs(x - sqrt(2))", "sqrt(2)", "corner", "abs-irrational", left="-1", right="1"),
    case("Abs(sin(x))", "pi", "corner", "abs-sin", left="-1", right="1"),
    case("Abs(x**3 - x)", "1", "corner", "abs-cubic", left="-2", right="2"),
    case("sign(x)*x**2", "0", "differentiable", "sign-x-squared", derivative="0"),
    case("sign(x)", "0", "jump", "sign", value="0", left_limit="-1", right_limit="1",
         left="oo", right="oo"),
    case("Heaviside(x)", "0", "jump", "heaviside", value="1/2", left_limit="0",
         right_limit="1", left="oo", right="oo", continuous=False),
    case("sqrt(Abs(x))", "0", "cusp", "sqrt-abs", left="-oo", right="oo"),
]

PIECEWISE = [
    case("Piecewise((x**2, x < 1), (2*x - 1, True))", "1", "differentiable", "pw-smooth-join",
         left="2", right="2", derivative="2"),
    case("Piecewise((x**2, x < 1), (2*x, True))", "1", "jump", "pw-jump", value="2",
         left_limit="1", right_limit="2", left="oo", right="2"),
    case("Piecewise((1, x < 0), (2, True))", "0", "jump", "pw-step-sympy-gets-wrong",
         left_limit="1", right_limit="2", differentiable=False),
    case("Piecewise((x*sin(1/x), Ne(x, 0)), (0, True))", "0", "oscillating", "x-sin-1-over-x",
         value="0", left_limit="0", right_limit="0", continuous=True, left=None, right=None),
    case("Piecewise((x**2*sin(1/x), Ne(x, 0)), (0, True))", "0", "differentiable",
         "x2-sin-1-over-x", continuous=True, left="0", right="0", derivative="0"),
    case("Piecewise((sin(1/x), Ne(x, 0)), (0, True))", "0", "oscillating", "sin-1-over-x",
         continuous=False, left_limit=None, right_limit=None),
    case("Piecewise((exp(-1/x**2), Ne(x, 0)), (0, True))", "0", "differentiable", "flat",
         derivative="0"),
    case("Piecewise((x**2/2, Abs(x) <= 1), (Abs(x) - 1/2, True))", "1", "differentiable",
         "huber-at-1", left="1", right="1", value="1/2"),
    case("Piecewise((x**2/2, Abs(x) <= 1), (Abs(x) - 1/2, True))", "-1", "differentiable",
         "huber-at-minus-1", left="-1", right="-1"),
    case("Piecewise((x**2/2, Abs(x) <= 1), (Abs(x) - 1/2, True))", "0", "differentiable",
         "huber-at-0", derivative="0"),
    case("Piecewise((x, x > 0), (0, x < 0))", "0", "removable", "pw-hole", value=None,
         left_limit="0", right_limit="0", differentiable=False),
    case("Piecewise((x, x > 5), (x, True))", "5", "differentiable", "pw-same-piece",
         derivative="1"),
    case("Piecewise((x, (x > 0) & (x < 1)), (0, True))", "1", "jump", "pw-and",
         left_limit="1", right_limit="0"),
]

STEPS = [
    case("floor(x)", "1", "jump", "floor", value="1", left_limit="0", right_limit="1",
         left="oo", right="0"),
    case("floor(x)", "1/2", "differentiable", "floor-between", derivative="0"),
    case("ceiling(x/3)", "3", "jump", "ceiling", left_limit="1", right_limit="2"),
    case("frac(x)", "1", "jump", "frac", value="0", left_limit="1", right_limit="0"),
    case("Mod(x, 2)", "2", "jump", "mod", value="0", left_limit="2", right_limit="0"),
    case("x*floor(x)", "0", "corner", "x-floor", left="-1", right="0"),
]

ROOTS_POLES = [
    case("x**(1/3)", "0", "vertical_tangent", "cube-root", left="oo", right="oo",
         continuous=True),
    case("x**(2/3)", "0", "cusp", "two-thirds", left="-oo", right="oo"),
    case("x**(4/3)", "0", "differentiable", "four-thirds", derivative="0"),
    case("x**(1/3)", "-8", "differentiable", "cube-root-negative", value="-2",
         derivative="1/12"),
    case("Max(0, x)**(1/3)", "-2", "differentiable", "zero-base-root", value="0",
         derivative="0"),
    case("sqrt(Max(0, x))", "0", "corner", "sqrt-relu", left="0", right="oo"),
    case("sqrt(x)", "0", "endpoint", "sqrt", value="0", left_limit=None, right_limit="0",
         left=None, right="oo", differentiable=False),
    case("acos(x)", "1", "endpoint", "acos", value="0", left="-oo", right=None),
    case("sin(x)/x", "0", "removable", "sinc", value=None, left_limit="1", right_limit="1",
         differentiable=False),
    case("x/x", "0", "removable", "cancelled-divisor", value=None, left_limit="1",
         right_limit="1", differentiable=False),
    case("x**3/x", "0", "removable", "cancelled-power", value=None, left_limit="0"),
    case("1/x", "0", "infinite", "reciprocal", value=None, left_limit="-oo",
         right_limit="oo"),
    case("log(x)", "0", "infinite", "log", left_limit=None, right_limit="-oo"),
    case("x**x", "0", "undefined", "x-to-the-x", value=None, right_limit="1"),
    case("0**x", "0", "undefined", "zero-to-the-x", value=None, left_limit=None,
         right_limit="0"),
    case("Max(0, x)**(x + 1)", "0", "corner", "zero-base-variable-exponent", value="0",
         left="0", right="1"),
    case("sqrt(x)", "-1", "undefined", "outside-domain", value=None, left_limit=None,
         right_limit=None, differentiable=False),
    case("tan(x)", "pi/2", "infinite", "tan-pole", left_limit="oo", right_limit="-oo"),
    case("Piecewise((x, x < 0), (sqrt(x), True))", "0", "corner", "half-vertical",
         left="1", right="oo"),
]

SMOOTH_POINTS = [
    case("exp(x)*sin(x)", "0", "differentiable", "smooth-at", derivative="1"),
    case("x**3", "2", "differentiable", "cube-at-2", value="8", derivative="12"),
]


@pytest.mark.parametrize(("expr", "at", "kind", "expected"),
                         MAX_MIN + ABS_SIGN + PIECEWISE + STEPS + ROOTS_POLES + SMOOTH_POINTS)
def test_point(expr: str, at: str, kind: str, expected: dict[str, Any]) -> None:
    check(expr, at, kind, dict(expected))


# --- discovery: which points are candidates at all ----------------------------------


@pytest.mark.parametrize(
    ("expr", "domain", "points"),
    [
        pytest.param("Max(0, x)", None, ["0"], id="relu"),
        pytest.param("Max(0, x, x - 1)", None, ["0"], id="max3-drops-false-switch"),
        pytest.param("Min(1, Max(0, x))", None, ["0", "1"], id="clip"),
        pytest.param("Abs(x - sqrt(2))", None, ["sqrt(2)"], id="irrational"),
        pytest.param("Piecewise((x**2, x < 1), (2*x - 1, True))", None, ["1"], id="pw"),
        pytest.param("floor(x)", "[-2, 2]", ["-2", "-1", "0", "1", "2"], id="floor-window"),
        pytest.param("Abs(sin(x))", "[-4, 4]", ["-pi", "0", "pi"], id="abs-sin-window"),
        pytest.param("exp(x)*sin(x)", None, [], id="smooth"),
        pytest.param("log(1 + exp(x))", None, [], id="softplus"),
        pytest.param("x**(1/3)", None, ["0"], id="cube-root"),
        pytest.param("acos(x)", None, ["-1", "1"], id="acos"),
    ],
)
def test_candidates(expr: str, domain: str | None, points: list[str]) -> None:
    analysis = analyze(expr, domain=domain)
    assert [sympy.sstr(p.at) for p in analysis.points] == points


@pytest.mark.parametrize(
    ("expr", "differentiable_on", "everywhere"),
    [
        pytest.param("Max(0, x)", "Complement(Reals, {0})", False, id="relu"),
        pytest.param("Max(0, x) - Max(0, -x)", "Reals", True, id="identity"),
        pytest.param("exp(x)*sin(x)", "Reals", True, id="smooth"),
        pytest.param("sqrt(x)", "Interval.open(0, oo)", False, id="sqrt"),
        pytest.param("floor(x)", "Complement(Reals, Integers)", False, id="floor"),
        pytest.param("acos(x)", "Interval.open(-1, 1)", False, id="acos"),
        pytest.param("x/x", "Complement(Reals, {0})", False, id="cancelled-divisor"),
        pytest.param("exp(x)/exp(x)", "Reals", True, id="divisor-never-zero"),
        # 1/7 is off both families {2n*pi} and {2n*pi + pi}: SymPy cannot tell for the
        # second; the summary must not call f undefined everywhere
        pytest.param("1/sin(x)", "Complement(Reals, ImageSet(Lambda(n, pi*n), Integers))",
                     False, id="families-undecided-membership"),
    ],
)
def test_summary(expr: str, differentiable_on: str, everywhere: bool) -> None:
    analysis = analyze(expr)
    assert sympy.sstr(analysis.differentiable_on) == differentiable_on
    assert analysis.differentiable_everywhere is everywhere


def test_relu_json_contract() -> None:
    assert analyze("Max(0, x)").to_dict() == {
        "schema_version": 3, "expression": "Max(0, x)", "variable": "x", "domain": "Reals",
        "points": [{"at": "0", "sources": ["Max(0, x)"], "value": "0", "left_limit": "0",
                    "right_limit": "0", "continuous": True, "left_derivative": "0",
                    "right_derivative": "1", "differentiable": False, "derivative": None,
                    "kind": "corner",
                    "reason": "left derivative 0 differs from right derivative 1",
                    "order": 0, "smoothness": "C^0",
                    "derivatives": [{"order": 1, "left": "0", "right": "1",
                                     "differentiable": False, "value": None,
                                     "continuous": None}],
                    "subdifferential": ["0", "1"], "kink": "convex", "repair": None}],
        "candidate_sets": [], "nondifferentiable_points": ["0"], "unknown_points": [],
        "differentiable_everywhere": False, "differentiable_on": "Complement(Reals, {0})",
        "derivative": "Heaviside(x)", "notes": [],
        "order": 1, "derivative_piecewise": "Piecewise((0, x < 0), (1, x > 0))",
        "derivative_notes": ["SymPy's diff gives f'(x) = Heaviside(x), which is 1/2 at x = 0, "
                             "but f'(0) does not exist (corner)"],
        "assumptions": [],
        "derivative_cases": [{"value": "0", "on": "Interval.open(-oo, 0)"},
                             {"value": "1", "on": "Interval.open(0, oo)"}],
    }


def test_floor_family_on_the_whole_line() -> None:
    analysis = analyze("floor(x)")
    [family] = analysis.candidate_sets
    assert family.set == sympy.S.Integers
    assert family.differentiable is False
    assert family.kind is Kind.JUMP
    assert analysis.differentiable_everywhere is False


def test_abs_sin_family() -> None:
    analysis = analyze("Abs(sin(x))")
    members = {p.at for c in analysis.candidate_sets for p in c.samples}
    assert {sympy.S.Zero, sympy.pi, -sympy.pi} <= members
    assert all(c.kind is Kind.CORNER for c in analysis.candidate_sets)


def test_cases_when_parameter_sign_is_open() -> None:
    [p] = analyze("a*Abs(x)", var="x").points
    assert p.differentiable is None
    assert [(sympy.sstr(c.condition), c.kind) for c in p.cases] == [
        ("Ne(a, 0)", Kind.CORNER), ("Eq(a, 0)", Kind.DIFFERENTIABLE)]


def test_several_names_need_var() -> None:
    with pytest.raises(InputError, match=r"several free names \(a, x\)"):
        analyze("a*x + 1")


@pytest.mark.parametrize("order", [pytest.param(0, id="zero"), pytest.param(13, id="too-high"),
                                   pytest.param(True, id="bool"), pytest.param(1.5, id="float")])
def test_order_outside_range_is_refused(order: Any) -> None:
    with pytest.raises(InputError, match="order must be a whole number from 1 to 12"):
        analyze("Abs(x)", order=order)


# --- the fast path agrees with the definition ---------------------------------------

AGREEMENT = [c.values[:2] for c in MAX_MIN + ABS_SIGN + PIECEWISE + STEPS + ROOTS_POLES]


@pytest.mark.parametrize(("expr", "at"), AGREEMENT)
def test_fast_path_equals_definition(expr: str, at: str) -> None:
    """The derivative-limit shortcut (mean value theorem) never changes a verdict."""
    f = parse_expression(expr)
    x = sorted(f.free_symbols, key=str)[0]
    a = parse_point(at)
    fast = evaluate_point(f, x, a)
    slow = evaluate_point(f, x, a, definition_only=True)
    assert fast.to_dict() == slow.to_dict()


# --- the sum sweep agrees with point-by-point resolution ------------------------------


def relu_network(n: int, seed: int) -> sympy.Expr:
    import random

    rng = random.Random(seed)
    terms: list[sympy.Expr] = []
    kinks: set[sympy.Expr] = set()
    while len(terms) < n:
        w = sympy.Rational(rng.choice([-3, -2, -1, 1, 2, 3]), rng.randint(1, 3))
        b = sympy.Rational(rng.randint(-9, 9), rng.randint(1, 4))
        if -b / w in kinks:
            continue
        kinks.add(-b / w)
        c = sympy.Rational(rng.choice([-2, -1, 1, 2]), rng.randint(1, 3))
        terms.append(c * sympy.Max(0, w * X + b))
    return sympy.Add(*terms)


@pytest.mark.parametrize(
    ("f", "sweeps"),
    [
        pytest.param(relu_network(12, seed), True, id=f"relu-net-{seed}") for seed in range(3)
    ] + [
        pytest.param(parse_expression(text), sweeps, id=text) for text, sweeps in [
            ("Abs(x) + Abs(x - 1) + Max(0, x - 1)**2", True),
            ("Max(0, x) - Max(0, -x) + Abs(x**2 - 1)", True),
            ("Piecewise((x**2, x < 1), (2*x, True)) + Abs(x) + Abs(x - 2)**(1/3)", True),
            ("sqrt(x) + Abs(x - 1)", False),  # undefined left of 0: point by point
            ("1/x + Abs(x - 1)", True),
        ]
    ],
)
def test_sum_sweep_equals_pointwise(f: sympy.Expr, sweeps: bool) -> None:
    """The one-pass sweep over a sum gives exactly the point-by-point verdicts."""
    analysis = analyze(f, var="x")
    ats = [p.at for p in analysis.points]
    swept = sweep_sum(f, X, ats, {p.at: p.sources for p in analysis.points})
    assert (swept is not None) is sweeps
    for p in analysis.points:
        alone = evaluate_point(f, X, p.at, p.sources)
        assert alone.to_dict() == p.to_dict()


# --- regressions: wrong verdicts found by the trust work (issue 8) ------------------------

REGRESSIONS = [
    # SymPy's acot(u) = atan(1/u) jumps at u = 0 (acot(0) = pi/2); it was taken as entire.
    case("acot(x)", "0", "jump", "acot-jump", value="pi/2", left_limit="-pi/2",
         right_limit="pi/2", left="oo", right="-1", differentiable=False),
    case("acot(x - 1)", "1", "jump", "acot-shifted-jump", left_limit="-pi/2", right_limit="pi/2"),
    case("x*acot(x)", "0", "corner", "x-acot-corner", value="0", left="-pi/2", right="pi/2"),
    case("acot(1/x)", "0", "removable", "acot-reciprocal-is-atan", value=None, left_limit="0",
         right_limit="0"),
    case("acot(x)", "1", "differentiable", "acot-away", derivative="-1/2"),
    # atan2 had no rule: its cut y = 0, u < 0 went unsearched and the summary said
    # "differentiable everywhere".
    case("atan2(x, -1)", "0", "jump", "atan2-cut", value="pi", left_limit="-pi",
         right_limit="pi", left="oo", right="-1"),
    case("atan2(x, x**2)", "0", "jump", "atan2-origin", value=None, left_limit="-pi/2",
         right_limit="pi/2"),
    case("atan2(Abs(x), -1)", "0", "corner", "atan2-abs-on-the-cut", left="1", right="-1"),
    case("atan2(x, 1 - x)", "0", "differentiable", "atan2-off-the-cut", derivative="1"),
    # Mod of a branch that resolves to a constant: SymPy evaluated floor(p/q) at once and
    # the resolver took it for frac, making Mod(c, q) = 0 (found by the numeric check).
    case("Mod(Piecewise((-3/2, Ne(x, -3/2)), (x, True)), 2)", "-3/2", "differentiable",
         "mod-constant-branch", value="1/2", left_limit="1/2", right_limit="1/2",
         derivative="0"),
    case("Mod(Piecewise((sqrt(2), Ne(x, -3/2)), (x, True)), 2)", "-3/2", "removable",
         "mod-irrational-constant-branch", value="1/2", left_limit="sqrt(2)",
         right_limit="sqrt(2)", left="-oo", right="oo"),
    case("Mod(Piecewise((1, x < 0), (x, True)), 2)", "0", "jump", "mod-piecewise-jump",
         value="0", left_limit="1", right_limit="0", left="-oo", right="1"),
]


@pytest.mark.parametrize(("expr", "at", "kind", "expected"), REGRESSIONS)
def test_regression_point(expr: str, at: str, kind: str, expected: dict[str, Any]) -> None:
    check(expr, at, kind, dict(expected))


@pytest.mark.parametrize(
    ("expr", "differentiable_on", "everywhere"),
    [
        # defined nowhere: differentiable nowhere (it said "everywhere")
        pytest.param("sqrt(-1 - x**2)", "EmptySet", False, id="sqrt-nowhere"),
        pytest.param("log(-x**2 - 1)", "EmptySet", False, id="log-nowhere"),
        pytest.param("acot(x)", "Complement(Reals, {0})", False, id="acot"),
        pytest.param("atan2(x, -1)", "Complement(Reals, {0})", False, id="atan2"),
    ],
)
def test_regression_summary(expr: str, differentiable_on: str, everywhere: bool) -> None:
    analysis = analyze(expr)
    assert sympy.sstr(analysis.differentiable_on) == differentiable_on
    assert analysis.differentiable_everywhere is everywhere


def test_a_function_without_a_rule_clears_nothing() -> None:
    """A node diffcheck has no rule for leaves the whole window undecided, not cleared."""
    analysis = analyze(sympy.gamma(X) + sympy.Abs(X), var="x")
    assert analysis.differentiable_everywhere is None
    [family] = [c for c in analysis.candidate_sets if c.set == sympy.S.Reals]
    assert family.differentiable is None
    assert "no rule for gamma" in family.reason


def test_max_at_an_algebraic_root() -> None:
    """f(a) of Max at a CRootOf: SymPy's Max cannot compare the exact 0 it meets there
    (it was unknown); the sign of the difference decides."""
    [p] = analyze("Max(x**5 - x - 1, 0)").points
    assert isinstance(p.at, sympy.CRootOf)
    assert (p.value, p.kind, p.left_derivative) == (0, Kind.CORNER, 0)
    assert sympy.N(p.right_derivative) > 0
