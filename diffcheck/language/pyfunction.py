"""A Python function -> one exact SymPy expression, read from its source, never run.

``diffcheck --function losses.py:huber`` reads ``losses.py`` as text, finds ``def huber``
(or ``Class.forward``, a method of a class) in its syntax tree and translates the body
with the expression parser's own whitelist (:mod:`diffcheck.language.parsing`: numbers
exact, names, operators, calls of the functions diffcheck knows, ``a if c else b``) and
what real activation and loss code writes around the formula
(:mod:`diffcheck.language.pycode`):

* ``return value``; ``name = value`` (also annotated, augmented, ``a, b = ...``,
  ``y[mask] = value`` and in-place tensor methods such as ``y.clamp_(min=0)``);
* ``if``/``elif``/``else``: a test on values gives a ``Piecewise``; a test on an option
  (``if reduction == "mean"``, ``if inplace``, ``if weight is None``) is decided from
  the parameter's default or ``--option name=value``, and said; a test on the input's
  type or shape (``isinstance``, ``x.ndim``) keeps both ways when they agree, and
  leaves out a way that raises. A path that raises under a test on values is where f
  is undefined;
* validation (``assert``, ``check(...)``, ``warnings.warn``), value-preserving decorators
  (``jit``, ``custom_jvp``, ``tf.function``, export/registration ones) and array plumbing
  (``convert_to_tensor``, ``asarray``, ``astype``, ``.float()``) are read as the identity;
  reductions over a batch (``loss.mean()``) are read per element, and said;
* comparisons used as numbers are 0/1 masks (``(x > 0) * x``); tensor methods are the
  functions of the same name (``x.clamp(min=0)``); ``nn`` layers are their functional
  forms; calls of the file's own functions and ``self.`` methods are inlined, with
  ``self.`` attributes read from ``__init__`` (its defaults, or ``--option``).

The first parameter (after ``self``), or ``var``, is the variable. A parameter with a
numeric default is that constant (``delta=1.0`` is exactly 1); one without a default is a
real parameter. Module-level ``NAME = value`` assignments are constants, and the module's
imports rename prefixes (``import numpy as xp`` makes ``xp.maximum`` mean
``numpy.maximum``; ``from jax._src import numpy as jnp`` means ``jax.numpy``). Anything
else is a :class:`FunctionError` naming the file, the line and what to change.

XXX: powers follow diffcheck's real-root convention, so ``x ** (1/3)`` is the real cube
root on the whole line, where Python, NumPy and PyTorch give a complex number or
``nan`` for negative x.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import sympy

from diffcheck.language.pycode.base import FunctionError, Translation
from diffcheck.language.pycode.statements import MAX_FILE, Reader

__all__ = [
    "MAX_FILE", "FunctionError", "Translation", "function_expression", "load_function",
    "translate_function",
]

def load_function(spec: str) -> tuple[str, str, str]:
    """Read ``"path/to/file.py:name"`` (or ``:Class.method``): the text, the path and the name.

    Raises:
        FunctionError: no ``:name``, a file that cannot be read, or one too large.
    """
    path, colon, name = spec.rpartition(":")
    parts = name.split(".")
    if not colon or not path or len(parts) > 2 or not all(p.isidentifier() for p in parts):
        raise FunctionError(spec, None, None, "", "expected FILE.py:NAME, such as "
                            "losses.py:huber (the file, a colon, the function's name) or "
                            "FILE.py:Class.forward")
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE:
            raise FunctionError(path, None, None, "", f"the file is {size:,} bytes; the "
                                f"limit is {MAX_FILE:,}")
        source = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise FunctionError(path, None, None, "", f"cannot read the file: {reason}") from None
    return source, path, name


def function_expression(source: str, name: str, *, path: str = "<source>",
                        var: str | None = None,
                        options: Mapping[str, str] | None = None,
                        ) -> tuple[sympy.Expr, sympy.Symbol]:
    """Translate the function ``name`` defined in ``source`` into an exact expression.

    Args:
        source: Python source text; it is parsed, never executed.
        name: a function defined at the top level of ``source``, or ``Class.method``.
        path: the file name shown in errors.
        var: the parameter that is the variable (default: the first one).
        options: ``--option`` values by parameter name (text, such as ``"sum"`` or
            ``"True"``), for the function's parameters or its class's ``__init__``.

    Returns:
        The expression and its variable (a real symbol).

    Raises:
        FunctionError: the function is missing or outside the subset.

    Examples:
        >>> src = '''
        ... def huber(r, delta=1.0):
        ...     if abs(r) <= delta:
        ...         return 0.5 * r**2
        ...     return delta * (abs(r) - 0.5 * delta)
        ... '''
        >>> function_expression(src, "huber")
        (Piecewise((r**2/2, Abs(r) <= 1), (Abs(r) - 1/2, True)), r)
        >>> function_expression("def f(x):\\n    return torch.where(x > 0, x, 0.01 * x)", "f")
        (Piecewise((x, x > 0), (x/100, True)), x)
    """
    translation = translate_function(source, name, path=path, var=var, options=options)
    return translation.expression, translation.variable


def translate_function(source: str, name: str, *, path: str = "<source>",
                       var: str | None = None,
                       options: Mapping[str, str] | None = None) -> Translation:
    """:func:`function_expression`, with the notes on what was read as what.

    Examples:
        >>> src = '''
        ... def loss(x, reduction="mean"):
        ...     out = (x > 0).float() * x
        ...     if reduction == "mean":
        ...         return out.mean()
        ...     return out
        ... '''
        >>> t = translate_function(src, "loss")
        >>> t.expression
        Piecewise((x, x > 0), (0, True))
        >>> for note in t.notes:
        ...     print(note)  # doctest: +NORMALIZE_WHITESPACE
        line 4: 'reduction == "mean"' is decided by parameter reduction = 'mean'
            (its default; --option to change it)
        line 5: 'out.mean()' reduces over a batch; the function of one element is analysed
    """
    return Reader(source, path, options).translate(name, var)
