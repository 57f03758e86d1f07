"""The one exception hierarchy of diffcheck (imports nothing from the package)."""

from __future__ import annotations


class DiffcheckError(Exception):
    """Root of every error diffcheck raises on purpose."""


class InputError(DiffcheckError, ValueError):
    """The user's input (expression, point, domain, option) cannot be used.

    The CLI turns it into one ``Error: ...`` line and exit code 2.
    """


class ParseError(InputError):
    """Text that is not in diffcheck's expression language.

    Attributes:
        text: the text that was being parsed.
        column: 1-based column of the offending piece, or ``None``.
        reason: what was wrong and how to fix it.
    """

    def __init__(self, text: str, column: int | None, reason: str) -> None:
        self.text = text
        self.column = column
        self.reason = reason
        shown = text if len(text) <= 60 else text[:57] + "..."
        where = f" at column {column}" if column is not None else ""
        super().__init__(f"cannot parse {shown!r}{where}: {reason}")
