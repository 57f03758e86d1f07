"""Analyse a Python function of a file, read, never run (``--function FILE.py:NAME``)."""

from __future__ import annotations

from typing import Any

from diffcheck.analysis.single import analyze
from diffcheck.language.pyfunction import function_expression, load_function
from diffcheck.model.report import Analysis


def analyze_function(spec: str, *, var: str | None = None, **options: Any) -> Analysis:
    """:func:`diffcheck.analyze` of the function ``"path/to/file.py:name"``, read not run.

    ``options`` are :func:`diffcheck.analyze`'s (``at``, ``domain``, ``timeout``, ...).

    Raises:
        InputError: a :class:`FunctionError` for the file or the function, or what
            :func:`diffcheck.analyze` raises.
    """
    source, path, name = load_function(spec)
    expr, x = function_expression(source, name, path=path, var=var)
    return analyze(expr, var=x.name, **options)
