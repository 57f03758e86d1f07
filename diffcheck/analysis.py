"""analyze() = parse -> discover -> evaluate -> classify -> Analysis.  (skeleton)"""

from __future__ import annotations

from collections.abc import Iterable

import sympy

from diffcheck.report import Analysis

DEFAULT_TIMEOUT = 5.0


def analyze(
    expr: str | sympy.Expr,
    *,
    var: str | sympy.Symbol | None = None,
    at: Iterable[str | sympy.Expr] = (),
    domain: str | sympy.Set | None = None,
    order: int = 1,
    timeout: float | None = None,
) -> Analysis:
    """Analyse where ``expr`` is differentiable (skeleton: no points yet)."""
    from diffcheck.parsing import parse_expression

    f = parse_expression(expr) if isinstance(expr, str) else expr
    x = sorted(f.free_symbols, key=str)[0] if f.free_symbols else sympy.Symbol("x", real=True)
    return Analysis(expression=f, variable=x)
