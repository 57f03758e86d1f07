"""Analyse a Python function of a file, read, never run (``--function FILE.py:NAME``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from diffcheck.analysis.single import analyze
from diffcheck.language.pyfunction import Translation, load_function, translate_function
from diffcheck.model.report import Analysis


def analyze_function(spec: str, *, var: str | None = None,
                     options: Mapping[str, str] | None = None, **settings: Any) -> Analysis:
    """:func:`diffcheck.analyze` of the function ``"path/to/file.py:name"`` (or
    ``:Class.forward``), read not run.

    ``options`` are the ``--option`` values of the function's option parameters (text,
    by name); ``settings`` are :func:`diffcheck.analyze`'s (``at``, ``options``, ...). The
    translation's notes (defaults taken, reductions read per element, ...) come first
    among the analysis' notes.

    Raises:
        InputError: a :class:`FunctionError` for the file or the function, or what
            :func:`diffcheck.analyze` raises.
    """
    source, path, name = load_function(spec)
    translation = translate_function(source, name, path=path, var=var, options=options)
    analysis = analyze(translation.expression, var=translation.variable.name, **settings)
    return with_notes(analysis, translation)


def with_notes(analysis: Analysis, translation: Translation) -> Analysis:
    """``analysis`` with the translation's notes before its own."""
    if not translation.notes:
        return analysis
    return dataclasses.replace(analysis, notes=translation.notes + analysis.notes)
