"""Points of a function with parameters: a verdict for every value, or cases.

With free parameters a verdict must hold for *every* admissible parameter
value.  At each point the admissible values are split into cells on which
the critical factors (see :mod:`diffcheck.engine.conditions`) have fixed
signs; in each cell the point is analysed with the parameters rewritten
through positive symbols, and the answer is then checked, independently, by
analysing the function with a few sample parameter values of the cell
substituted.  Cells with the same answer are merged; when one answer covers
every cell it is the point's verdict, otherwise the point carries ``cases``.
A cell whose answer the samples contradict (``x**a`` at 0 is an endpoint
for a = 3/2 and differentiable for a = 2: integrality, not a sign, decides)
is ``unknown`` with the reason.

The critical factors at a point a come from the expression:

* every switch argument u (of Abs, Max/Min, Piecewise conditions, sign,
  Heaviside): u(a) and the first Taylor coefficients u'(a), u''(a), whose
  signs decide the branch on each side;
* every power u**e whose exponent involves a parameter: e and e - 1 (the
  thresholds of continuity and differentiability at a zero of u), and the
  same for the sum of such exponents in a product;
* every coefficient of the expression in the parameters alone (``a`` in
  ``a*Abs(x - b)``: a = 0 makes the corner vanish);
* the denominators of a itself (1/t exists for t != 0);
* after a first pass, the differences the analysis could not decide (the
  left and right derivatives, the one-sided limits).
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import sympy
from sympy import S

from diffcheck import facts
from diffcheck.budget import BudgetExceeded, Deadline, budget
from diffcheck.engine.classify import Side
from diffcheck.engine.conditions import Assumptions, Cell, cells, factors_of, set_condition
from diffcheck.engine.limits import is_zero
from diffcheck.model.report import Case, ConditionalSet, Kind, PointReport

SAMPLE_SECONDS = 2.0
"""Budget of one sampled check."""

# The functions that select a branch, from the facts table; Mod is left to the general
# rule below, which takes both of its arguments.
_SWITCHES = tuple(c for c in facts.BRANCHING if facts.FACTS[c].side is not facts.Side.MODULUS)


def parameters(f: sympy.Expr, x: sympy.Symbol) -> frozenset[sympy.Symbol]:
    """The free names of f other than the variable."""
    return frozenset(s for s in f.free_symbols if s != x and isinstance(s, sympy.Symbol))


def _switch_arguments(f: sympy.Expr, x: sympy.Symbol) -> list[sympy.Expr]:
    out: list[sympy.Expr] = []
    for node in sympy.preorder_traversal(f):
        if not isinstance(node, _SWITCHES) or not node.has(x):
            continue
        if isinstance(node, (sympy.Max, sympy.Min)):
            args = list(node.args)
            out += [p - q for i, p in enumerate(args) for q in args[i + 1:]]
        elif isinstance(node, sympy.Piecewise):
            for _e, c in node.args:
                out += [r.lhs - r.rhs for r in c.atoms(sympy.core.relational.Relational)]
        else:
            out.append(node.args[0])
    # Where f is defined can change too: a base of a power, the argument of log, sqrt, ...
    for node in sympy.preorder_traversal(f):
        if isinstance(node, sympy.Pow) and node.has(x) and not (
                node.exp.is_integer and node.exp.is_positive):
            out.append(node.base)
        elif isinstance(node, sympy.Function) and not isinstance(node, _SWITCHES) \
                and node.has(x):
            out += list(node.args)
    return out


def critical_factors(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr,
                     params: frozenset[sympy.Symbol]) -> set[sympy.Expr]:
    """The factors in the parameters whose signs may change the answer at ``a``.

    Examples:
        >>> x, p, a, b = sympy.symbols("x p a b", real=True)
        >>> sorted(map(str, critical_factors(abs(x)**p, x, S.Zero, frozenset({p}))))
        ['p', 'p - 1', 'p - 2']
        >>> sorted(map(str, critical_factors(a*abs(x - b), x, b, frozenset({a, b}))))
        ['a']
    """
    found: set[sympy.Expr] = set()

    def add(e: sympy.Expr) -> None:
        found.update(factors_of(e, params))

    add(sympy.fraction(sympy.together(a))[1])
    for u in _switch_arguments(f, x):
        d = u
        for _k in range(3):
            try:
                add(sympy.simplify(d.subs(x, a)))
            except (TypeError, ValueError, ArithmeticError, NotImplementedError):
                break
            d = d.diff(x)
    for node in sympy.preorder_traversal(f):
        if isinstance(node, sympy.Pow) and node.exp.free_symbols & params:
            add(node.exp)
            add(node.exp - 1)
            add(node.exp - 2)  # f' continuous at a zero of the base
        if isinstance(node, sympy.Mul):
            exps = [m.exp for m in node.args
                    if isinstance(m, sympy.Pow) and m.exp.free_symbols & params]
            if len(exps) > 1:
                add(sympy.Add(*exps))
                add(sympy.Add(*exps) - 1)
                add(sympy.Add(*exps) - 2)
            if any(m.has(*_SWITCHES) for m in node.args if m.has(x)):
                add(sympy.Mul(*(m for m in node.args if not m.has(x))))
    return found


# --- one point ----------------------------------------------------------------------


def _back(e: sympy.Expr | None, cell: Cell) -> sympy.Expr | None:
    if e is None or not cell.backward:
        return e
    try:
        return sympy.simplify(e.xreplace(cell.backward))
    except (TypeError, ValueError, ArithmeticError, NotImplementedError, RecursionError):
        return e.xreplace(cell.backward)


def _outcome(report: PointReport, cell: Cell, condition: sympy.Basic) -> Case:
    return Case(condition=condition, differentiable=report.differentiable, kind=report.kind,
                derivative=_back(report.derivative, cell),
                left_derivative=_back(report.left_derivative, cell),
                right_derivative=_back(report.right_derivative, cell),
                reason=str(_back_text(report.reason, cell)))


def _back_text(reason: str, cell: Cell) -> str:
    for q, e in cell.backward.items():
        shown = sympy.sstr(e)
        reason = reason.replace(str(q), shown if e.is_Atom else f"({shown})")
    return reason


def _same(p: sympy.Expr | None, q: sympy.Expr | None) -> bool:
    if p is None or q is None:
        return p is q
    if p == q:
        return True
    if p.is_infinite or q.is_infinite:
        return False
    try:
        return bool(is_zero(sympy.simplify(p - q)))
    except (TypeError, ValueError, ArithmeticError, NotImplementedError, RecursionError):
        return False


def _agrees(case: Case, sample: PointReport, values: dict[sympy.Symbol, sympy.Expr]) -> bool:
    """Whether the analysis with the parameters set to ``values`` agrees with ``case``."""
    if sample.kind is Kind.UNKNOWN or case.kind is Kind.UNKNOWN:
        return case.differentiable is None or sample.differentiable is None or (
            case.differentiable == sample.differentiable)
    if case.kind != sample.kind or case.differentiable != sample.differentiable:
        return False
    for mine, theirs in ((case.derivative, sample.derivative),
                         (case.left_derivative, sample.left_derivative),
                         (case.right_derivative, sample.right_derivative)):
        if mine is None or theirs is None:
            continue
        if not _same(mine.xreplace(values), theirs):
            return False
    return True


def _evaluate(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, sources: tuple[sympy.Basic, ...],
              seconds: float, deadline: Deadline) -> tuple[PointReport, tuple[Side, Side] | None]:
    from diffcheck.analysis.single import evaluate_sides

    return evaluate_sides(f, x, a, sources, seconds=seconds, deadline=deadline)


def _exists(a: sympy.Expr, exists: sympy.Basic | None) -> bool | None:
    if a.has(S.ComplexInfinity, S.NaN, S.Infinity, S.NegativeInfinity):
        return False
    if a.is_extended_real is False:
        return False
    if exists is None:
        return True
    if exists in (S.true, S.false):
        return bool(exists)
    return None


def _cell_case(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, sources: tuple[sympy.Basic, ...],
               cell: Cell, exists: sympy.Basic | None, seconds: float,
               deadline: Deadline) -> tuple[Case, bool | None, PointReport | None] | None:
    """The answer in one cell, whether both sides of a are in the domain, the full report.

    ``None`` when the point does not exist in the cell.
    """
    condition = cell.condition()
    a_c = a.xreplace(cell.forward)
    here = _exists(a_c, None if exists is None else exists.xreplace(cell.forward))
    if here is False:
        return None
    if here is None:
        return Case(condition=condition, reason=f"cannot decide whether the point {a} "
                    f"exists when {sympy.sstr(condition)}"), None, None
    report, sides = _evaluate(f.xreplace(cell.forward), x, a_c, sources, seconds, deadline)
    both = None if sides is None else all(s.defined is True for s in sides)
    case = _outcome(report, cell, condition)
    if not cell.exact and case.kind is not Kind.UNKNOWN:
        case = replace(case, kind=Kind.UNKNOWN, differentiable=None, derivative=None,
                       reason=f"when {sympy.sstr(condition)} the sign conditions could not "
                       f"be carried into the computation")
    for values in cell.samples():
        if deadline.expired():
            break
        f_s, a_s = f.xreplace(values), sympy.nsimplify(a.xreplace(values))
        if _exists(a_s, None if exists is None else exists.xreplace(values)) is False:
            continue
        sample, _ = _evaluate(f_s, x, a_s, sources, SAMPLE_SECONDS, deadline)
        if not _agrees(case, sample, values):
            shown = ", ".join(f"{p} = {v}" for p, v in sorted(values.items(), key=str))
            return Case(condition=condition,
                        reason=f"the answer is not the same for all values with "
                        f"{sympy.sstr(condition)}: the symbolic form gives {case.kind} but "
                        f"{shown} gives {sample.kind} (it depends on more than signs, e.g. "
                        f"on whether a power is an integer: try --assume)"), None, None
    if case.differentiable is True and not deadline.expired():
        case = replace(case, derivative_continuous=_continuity(
            f, x, a, sources, cell, exists, seconds, deadline))
    stated = replace(report, at=a, value=_back(report.value, cell),
                     left_limit=_back(report.left_limit, cell),
                     right_limit=_back(report.right_limit, cell),
                     left_derivative=case.left_derivative, right_derivative=case.right_derivative,
                     derivative=case.derivative, reason=case.reason)
    return case, both, stated


def _first_derivative_continuous(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr,
                                 sources: tuple[sympy.Basic, ...], seconds: float,
                                 deadline: Deadline) -> bool | None:
    from diffcheck.analysis.single import evaluate_point

    allowed = min(seconds, deadline.remaining() or 0.0)
    if allowed <= 0:
        return None
    deep = evaluate_point(f, x, a, sources, seconds=allowed, deadline=deadline, order=1)
    return deep.derivatives[0].continuous if deep.derivatives else None


def _continuity(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, sources: tuple[sympy.Basic, ...],
                cell: Cell, exists: sympy.Basic | None, seconds: float,
                deadline: Deadline) -> bool | None:
    """Whether f' is continuous at a in the cell, checked against the samples like the verdict."""
    found = _first_derivative_continuous(f.xreplace(cell.forward), x, a.xreplace(cell.forward),
                                         sources, seconds, deadline)
    if found is None or not cell.exact:
        return None
    for values in cell.samples():
        f_s, a_s = f.xreplace(values), sympy.nsimplify(a.xreplace(values))
        if _exists(a_s, None if exists is None else exists.xreplace(values)) is False:
            continue
        sample = _first_derivative_continuous(f_s, x, a_s, sources, SAMPLE_SECONDS, deadline)
        if sample is not None and sample != found:
            return None
    return found


def _mergeable(p: Case, q: Case, cell: Cell) -> bool:
    """Whether ``p``'s answer, read in ``q``'s cell, is ``q``'s (``s`` at s = 0 is 0)."""

    def there(e: sympy.Expr | None) -> sympy.Expr | None:
        return None if e is None else _back(e.xreplace(cell.forward), cell)

    return (p.kind == q.kind and p.differentiable == q.differentiable
            and p.derivative_continuous == q.derivative_continuous
            and _same(there(p.derivative), q.derivative)
            and _same(there(p.left_derivative), q.left_derivative)
            and _same(there(p.right_derivative), q.right_derivative)
            and (p.kind is not Kind.UNKNOWN or p.reason == q.reason))


def _merge(pairs: list[tuple[Cell, Case]]) -> list[tuple[list[Cell], Case]]:
    groups: list[tuple[list[Cell], Case]] = []
    for cell, case in pairs:
        for members, first in groups:
            if _mergeable(first, case, cell):
                members.append(cell)
                break
        else:
            groups.append(([cell], case))
    return groups


def group_condition(members: list[Cell], all_cells: list[Cell],
                    assumptions: Assumptions) -> sympy.Basic:
    """One condition for a group of cells, as simple as the cells allow.

    When the cells differ only in one parameter, their pieces of it are
    united into one set (``a < 0`` or ``a > 0`` becomes ``a != 0``); a
    condition that every admissible value satisfies becomes ``True``.
    """
    if len(members) == len(all_cells):
        return S.true
    relations = {c.relations for c in members}
    if len(relations) == 1:
        [rels] = relations
        params = sorted(members[0].pieces, key=str)
        for p in params:
            others = {tuple((q, s) for q, s in c.pieces.items() if q != p) for c in members}
            if len(others) != 1:
                continue
            [rest] = others
            union = sympy.Union(*(c.pieces[p] for c in members))
            everything = sympy.Union(*(c.pieces[p] for c in all_cells
                                       if tuple((q, s) for q, s in c.pieces.items()
                                                if q != p) == rest
                                       and c.relations == rels))
            mine = S.true if union == everything else set_condition(union, p)
            parts = [mine, *(set_condition(s, q) for q, s in rest), *rels]
            return sympy.And(*parts)
    return sympy.Or(*(c.condition() for c in members))


def analyse_point(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr,
                  sources: tuple[sympy.Basic, ...], assumptions: Assumptions, *,
                  seconds: float, deadline: Deadline,
                  exists: sympy.Basic | None = None,
                  extra: set[sympy.Expr] | None = None) -> tuple[PointReport, bool | None]:
    """The point ``a`` of f with parameters: one verdict for all values, or cases.

    Returns the report and whether f is defined on both sides of a for every
    value (``None``: not known).
    """
    params = parameters(f, x) | frozenset(s for s in a.free_symbols if isinstance(s, sympy.Symbol))
    critical = critical_factors(f, x, a, params) | (extra or set())
    if exists is not None:
        for r in exists.atoms(sympy.core.relational.Relational):
            critical |= factors_of(r.lhs - r.rhs, params)
    found = _cases(f, x, a, sources, params, critical, assumptions, exists, seconds, deadline)
    if found is None:
        return PointReport(at=a, sources=sources, kind=Kind.UNKNOWN,
                           reason="the parameter values split into too many cases"), None
    pairs, both, full = found
    # Second pass: what the first could not decide names the factors that matter.
    more: set[sympy.Expr] = set()
    for _cell, case in pairs:
        if case.kind is Kind.UNKNOWN and case.left_derivative is not None \
                and case.right_derivative is not None \
                and not case.left_derivative.is_infinite and not case.right_derivative.is_infinite:
            more |= factors_of(case.left_derivative - case.right_derivative, params)
    if more - critical:
        again = _cases(f, x, a, sources, params, critical | more, assumptions, exists, seconds,
                       deadline)
        if again is not None:
            pairs, both, full = again
    if not pairs:
        return PointReport(at=a, sources=sources, kind=Kind.UNKNOWN, condition=exists,
                           reason="the point exists for no admissible parameter value"), both
    all_cells = [c for c, _ in pairs]
    groups = _merge(pairs)
    if len(groups) == 1:
        case = groups[0][1]
        first = full[id(groups[0][0][0])]
        if first is not None and first.kind == case.kind:
            return replace(first, condition=exists), both
        return PointReport(at=a, sources=sources, kind=case.kind,
                           differentiable=case.differentiable, derivative=case.derivative,
                           left_derivative=case.left_derivative,
                           right_derivative=case.right_derivative, reason=case.reason,
                           condition=exists), both
    out = tuple(replace(case, condition=group_condition(members, all_cells, assumptions))
                for members, case in groups)
    verdicts = {c.differentiable for c in out}
    differentiable = verdicts.pop() if len(verdicts) == 1 else None
    listed = "; ".join(f"{c.kind} when {sympy.sstr(c.condition)}" for c in out)
    return _common(PointReport(at=a, sources=sources, kind=Kind.UNKNOWN,
                               differentiable=differentiable,
                               reason=f"depends on the parameters: {listed}", cases=out,
                               condition=exists),
                   [r for r in full.values() if r is not None], len(all_cells)), both


def _common(point: PointReport, reports: list[PointReport], cells: int) -> PointReport:
    """``point`` with f(a), the one-sided limits and continuity where every cell agrees."""
    if len(reports) != cells or not reports:
        return point
    first = reports[0]
    if all(_same(first.value, r.value) for r in reports):
        point = replace(point, value=first.value)
    if all(_same(first.left_limit, r.left_limit) for r in reports):
        point = replace(point, left_limit=first.left_limit)
    if all(_same(first.right_limit, r.right_limit) for r in reports):
        point = replace(point, right_limit=first.right_limit)
    if all(r.continuous == first.continuous for r in reports):
        point = replace(point, continuous=first.continuous)
    return point


def _cases(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, sources: tuple[sympy.Basic, ...],
           params: frozenset[sympy.Symbol], critical: set[sympy.Expr],
           assumptions: Assumptions, exists: sympy.Basic | None, seconds: float,
           deadline: Deadline) -> tuple[list[tuple[Cell, Case]], bool | None,
                                        dict[int, PointReport | None]] | None:
    split = cells(params, critical, assumptions)
    if split is None:
        return None
    full: dict[int, PointReport | None] = {}
    pairs: list[tuple[Cell, Case]] = []
    both: bool | None = True
    for cell in split:
        if deadline.expired():
            pairs.append((cell, Case(condition=cell.condition(),
                                     reason="the analysis ran out of its total time budget")))
            full[id(cell)] = None
            both = None
            continue
        try:
            with budget(deadline.remaining()):
                found = _cell_case(f, x, a, sources, cell, exists, seconds, deadline)
        except BudgetExceeded:
            found = (Case(condition=cell.condition(), reason="over the time budget"), None, None)
        if found is None:
            continue
        case, defined, full[id(cell)] = found
        if defined is not True:
            both = None if defined is None or both is None else both and defined
        pairs.append((cell, case))
    return pairs, both, full


# --- the summary --------------------------------------------------------------------


def conditional_summary(points: list[tuple[PointReport, bool | None]], window: sympy.Set,
                        has_families: bool, limit: int = 16) -> tuple[
                            sympy.Set | None, tuple[ConditionalSet, ...]]:
    """Where f is differentiable, for all parameter values or per condition.

    Definedness changes only at candidate points, so when f is defined on
    both sides of every point (for every value), f is differentiable on the
    window less the points where it is not (per case).  Returns
    ``(set, ())`` when one set holds for all values, ``(None, cases)`` when
    it depends on them, ``(None, ())`` when not decided.
    """
    if has_families or not points or any(both is not True for _p, both in points):
        return None, ()
    options: list[list[tuple[sympy.Basic, bool | None]]] = []
    for p, _both in points:
        if p.cases:
            opts = [(c.condition, c.differentiable) for c in p.cases]
            if p.condition is not None:
                opts = [(sympy.And(c, p.condition), v) for c, v in opts]
                opts.append((sympy.Not(p.condition), True))
            options.append(opts)
        else:
            cond = S.true if p.condition is None else p.condition
            opts = [(cond, p.differentiable)]
            if p.condition is not None:
                opts.append((sympy.Not(p.condition), True))
            options.append(opts)
    combos: list[tuple[sympy.Basic, sympy.Set | None]] = []
    for choice in itertools.product(*options):
        cond = sympy.And(*(c for c, _v in choice))
        if cond is S.false or _empty(cond):
            continue
        verdicts = [v for _c, v in choice]
        bad = [p.at for (p, _b), (_c, v) in zip(points, choice, strict=True) if v is False]
        shown: sympy.Set | None = None if None in verdicts else (
            window - sympy.FiniteSet(*bad) if bad else window)
        combos.append((cond, shown))
        if len(combos) > limit:
            return None, ()
    if len(combos) == 1:
        return combos[0][1], ()
    merged: list[tuple[list[sympy.Basic], sympy.Set | None]] = []
    for cond, shown in combos:
        for conds, s in merged:
            if s == shown:
                conds.append(cond)
                break
        else:
            merged.append(([cond], shown))
    if len(merged) == 1:
        return merged[0][1], ()
    conditions = [_simplest(sympy.Or(*conds)) for conds, _s in merged]
    if len(merged) == 2 and any(len(c.free_symbols) > 1 for c in conditions):
        # The combinations partition the admissible values: each condition is the
        # other's negation there, and the shorter one says it more plainly.
        short = min((0, 1), key=lambda i: len(sympy.sstr(conditions[i])))
        conditions[1 - short] = _simplest(sympy.Not(conditions[short]).to_nnf())
    return None, tuple(ConditionalSet(condition=c, set=s)
                       for c, (_conds, s) in zip(conditions, merged, strict=True))


def _empty(cond: sympy.Basic) -> bool:
    syms = cond.free_symbols
    if len(syms) != 1:
        return False
    [p] = syms
    try:
        return bool(cond.as_set() == S.EmptySet) if p.is_real else False
    except (NotImplementedError, TypeError, ValueError):
        return False


def _simplest(cond: sympy.Basic) -> sympy.Basic:
    if isinstance(cond, sympy.Or) and len(cond.args) == 2:
        p, q = cond.args
        strict = (sympy.StrictGreaterThan, sympy.StrictLessThan)
        if isinstance(p, strict) and isinstance(q, strict) and type(p) is not type(q) \
                and p.lhs == q.lhs and p.rhs == q.rhs:
            return sympy.Ne(p.lhs, p.rhs)
    syms = cond.free_symbols
    if len(syms) == 1:
        [p] = syms
        try:
            return set_condition(cond.as_set(), p)
        except (NotImplementedError, TypeError, ValueError):
            return cond
    return cond


_TRIAL_VALUES = (S.One, S.Zero, -S.One, sympy.Integer(2), sympy.Integer(-2), S.Half, -S.Half,
                 sympy.Integer(3), sympy.Rational(1, 3))


def satisfying(condition: sympy.Basic,
               names: list[sympy.Symbol]) -> dict[sympy.Symbol, sympy.Expr] | None:
    """Simple parameter values for which ``condition`` holds (None: none found).

    Examples:
        >>> a, b = sympy.symbols("a b", real=True)
        >>> satisfying(sympy.And(a > 1, b < a), [a, b])
        {a: 2, b: 1}
    """
    if len(names) == 1:
        [p] = names
        try:
            allowed = condition.as_set() if condition.free_symbols else (
                S.Reals if condition is S.true else S.EmptySet)
        except (NotImplementedError, TypeError, ValueError):
            allowed = None
        if isinstance(allowed, sympy.FiniteSet) and allowed:
            return {p: allowed.args[0]}
    for i, combo in enumerate(itertools.product(_TRIAL_VALUES, repeat=len(names))):
        if i > 400:
            break
        values = dict(zip(names, combo, strict=True))
        if condition.xreplace(values) is S.true:
            return values
    return None


def confirm_summary(f: sympy.Expr, x: sympy.Symbol, window: sympy.Set,
                    points: tuple[PointReport, ...], whole: sympy.Set | None,
                    by_case: tuple[ConditionalSet, ...], relations: tuple[sympy.Basic, ...],
                    seconds: float) -> tuple[sympy.Set | None, tuple[ConditionalSet, ...]]:
    """Keep a summary set only where the substituted function has no candidate it misses.

    The summary rests on "definedness and smoothness change only at the
    candidate points"; at special parameter values a new candidate may appear
    (``b**x`` with b = 0 is ``0**x``, defined for x > 0 only).  For each
    condition, f with simple values satisfying it goes through discovery;
    a candidate that is not one of the points (at those values) leaves the
    set undecided.
    """
    from diffcheck.engine.discovery import discover

    names = sorted(parameters(f, x), key=str)

    def confirmed(condition: sympy.Basic, shown: sympy.Set | None) -> sympy.Set | None:
        if shown is None:
            return None
        values = satisfying(sympy.And(condition, *relations), names)
        if values is None:
            return None
        f_s = f.xreplace(values)
        try:
            with budget(seconds):
                found = discover(f_s, x, window, seconds=seconds, deadline=Deadline(seconds))
        except BudgetExceeded:
            return None
        known = {sympy.nsimplify(p.at.xreplace(values)) for p in points}
        if found.families or found.unsolved or any(
                not any(_same(p, k) for k in known) for p in found.points):
            return None
        return shown

    if by_case:
        return whole, tuple(replace(c, set=confirmed(c.condition, c.set)) for c in by_case)
    return confirmed(S.true, whole), ()
