"""What a translation of Python code works with: its error, its result, and the values
the code's names may hold besides numbers (options, metadata, tuples, objects).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TypeAlias

import sympy

from diffcheck.errors import InputError, ParseError

__all__ = ["FunctionError", "Translation"]


class FunctionError(ParseError):
    """A function outside the translatable subset, or a file that cannot be read.

    Attributes:
        path: the file; ``line`` and ``column`` (1-based, ``None`` when not known) say
            where the offending piece is; ``text`` is that piece; ``reason`` what to change.
    """

    def __init__(self, path: str, line: int | None, column: int | None, text: str,
                 reason: str) -> None:
        self.path, self.line = path, line
        self.text, self.column, self.reason = text, column, reason
        where = f"{path}, line {line}" if line is not None else path
        shown = f" ({text!r})" if text and text not in reason else ""
        InputError.__init__(self, f"{where}: {reason}{shown}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Translation:
    """A function read from source: its exact expression, its variable, and what was assumed.

    ``notes`` say, line by line, every reading that is not literal: an option's default
    that decided an ``if``, a reduction read per element, a decorator or a validation
    left out.
    """

    expression: sympy.Expr
    variable: sympy.Symbol
    notes: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()  # the function's (or method's, without self)


@dataclass(frozen=True, slots=True)
class Static:
    """A Python value known when the code is read: ``False``, ``"mean"``, ``None``.

    ``origin`` names where it comes from (``"parameter reduction"``), for messages.
    """

    value: object
    origin: str = ""
    default: bool = False  # a default nobody overrode


@dataclass(frozen=True, slots=True)
class Meta:
    """What describes a tensor rather than its values: ``x.dtype``, ``torch.float32``."""

    text: str


@dataclass(frozen=True, slots=True)
class Broken:
    """A name whose value could not be read; using it raises ``error``."""

    error: FunctionError


@dataclass(slots=True)
class Instance:
    """``self`` inside a class's method: its attributes, read from ``__init__``."""

    name: str
    attributes: dict[str, Value] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Layer:
    """A module such as ``nn.LeakyReLU(0.2)``: called, it is ``function(x, *args, **kwargs)``."""

    function: str
    args: tuple[Value, ...] = ()
    kwargs: tuple[tuple[str, Value], ...] = ()


@dataclass(frozen=True, slots=True)
class Function:
    """A function the file defines (or a nested one), used as a value."""

    node: ast.FunctionDef
    owner: str | None = None  # the class, for methods
    closure: dict[str, Value] | None = field(default=None, compare=False)  # a nested one's
    bound: Instance | None = field(default=None, compare=False)  # self.method as a value


class Unknowable:
    """A test on the input's type or shape: which way it goes does not depend on x."""

    def __repr__(self) -> str:
        return "UNKNOWABLE"


UNKNOWABLE = Unknowable()


class Raises:
    """The value of a path that ends in ``raise``: the function is undefined there."""

    def __repr__(self) -> str:
        return "RAISES"


RAISES = Raises()

Value: TypeAlias = (
    "sympy.Basic | Static | Meta | Broken | Instance | Layer | Function | tuple[Value, ...]")
