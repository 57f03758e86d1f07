"""Analysis -> the ``--json`` text.

The object is :meth:`diffcheck.model.report.Analysis.to_dict`, which is the contract;
this module only serialises it (and never imports rich, so ``--json`` starts fast).
"""

from __future__ import annotations

import json

from diffcheck.model.report import Analysis


def render_json(analysis: Analysis) -> str:
    """The analysis as one JSON object, indented by two spaces.

    Exact values are SymPy strings (``"sqrt(2)/2"``, ``"oo"``); a value that
    does not exist is ``null`` and the point's ``reason`` says why.

    Examples:
        >>> import sympy
        >>> from diffcheck.model.report import Analysis
        >>> x = sympy.Symbol("x", real=True)
        >>> text = render_json(Analysis(expression=x**2, variable=x,
        ...                             differentiable_on=sympy.S.Reals, derivative=2*x))
        >>> json.loads(text)["differentiable_on"], json.loads(text)["derivative"]
        ('Reals', '2*x')
    """
    return json.dumps(analysis.to_dict(), indent=2)
