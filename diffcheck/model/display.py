"""How results show themselves, without the model knowing any renderer.

The frozen results inherit :class:`Displayable`: ``__rich__``, ``_repr_html_``,
``_repr_markdown_``, ``_repr_latex_``, ``_repr_pretty_``, ``__str__`` and ``plot``
ask the registry for the function registered for their class and format (rich's
``JupyterMixin`` works the same way).  The layers above register targets as
``"module:function"`` strings (:mod:`diffcheck.notebook`), imported on first use, so
that the model imports no renderer and ``import diffcheck`` loads neither rich nor
matplotlib.

Examples:
    >>> class Card(Displayable):
    ...     __slots__ = ()
    >>> register(Card, "text", lambda card: "a card")
    >>> str(Card()), Card()._repr_html_() is None
    ('a card', True)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

FORMATS = ("rich", "html", "markdown", "latex", "text", "plot")
"""What a renderer can be registered for."""

_REGISTRY: dict[tuple[type, str], str | Callable[..., Any]] = {}


def register(cls: type, fmt: str, target: str | Callable[..., Any]) -> None:
    """Register ``target`` (a callable, or ``"module:function"``) to show ``cls`` as ``fmt``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown display format {fmt!r}; known: {', '.join(FORMATS)}")
    _REGISTRY[cls, fmt] = target


def renderer(obj: object, fmt: str) -> Callable[..., Any] | None:
    """The function registered for ``obj``'s class (or the nearest base) and ``fmt``."""
    for cls in type(obj).__mro__:
        target = _REGISTRY.get((cls, fmt))
        if target is None:
            continue
        if isinstance(target, str):
            module, _, name = target.partition(":")
            target = getattr(importlib.import_module(module), name)
            _REGISTRY[cls, fmt] = target
        return target
    return None


class Displayable:
    """The display hooks of a result, dispatched through the registry."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # IPython's pretty printer takes a class's own __repr__ (a dataclass has one)
        # before an inherited _repr_pretty_: give every subclass its own.
        super().__init_subclass__(**kwargs)
        if "_repr_pretty_" not in cls.__dict__:
            cls._repr_pretty_ = Displayable._repr_pretty_  # type: ignore[method-assign]

    def _show(self, fmt: str, *args: Any) -> Any:
        found = renderer(self, fmt)
        return None if found is None else found(self, *args)

    def __rich__(self) -> Any:
        """A rich renderable (the terminal report)."""
        shown = self._show("rich")
        return repr(self) if shown is None else shown

    def _repr_html_(self) -> str | None:
        """HTML for Jupyter (``None``: Jupyter falls back to the plain text)."""
        return self._show("html")  # type: ignore[no-any-return]

    def _repr_markdown_(self) -> str | None:
        """Markdown with LaTeX math, for notebook exports."""
        return self._show("markdown")  # type: ignore[no-any-return]

    def _repr_latex_(self) -> str | None:
        """A LaTeX fragment, for notebook exports to PDF."""
        return self._show("latex")  # type: ignore[no-any-return]

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's plain-text display: the report as text, not the dataclass repr."""
        printer.text(repr(self) if cycle else str(self))

    def __str__(self) -> str:
        """The report as plain text (``print(analysis)``)."""
        shown = self._show("text")
        return repr(self) if shown is None else str(shown)
