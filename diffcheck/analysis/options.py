"""One options object: everything that shapes an analysis, built and checked once.

The CLI and the API build an :class:`Options` (``Options.build`` checks every value
and raises :class:`~diffcheck.errors.InputError` with a message that says how to fix
it) and hand it down; the stages read it instead of loose arguments.

Examples:
    >>> o = Options.build(domain="[-1, 2]", order=2, timeout=3)
    >>> o.window, o.order, o.timeout, o.total_seconds
    (Interval(-1, 2), 2, 3.0, 90.0)
    >>> Options.build(timeout=0)
    Traceback (most recent call last):
    ...
    diffcheck.errors.InputError: the timeout must be a positive number of seconds, not 0
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import S

from diffcheck.budget import Deadline
from diffcheck.engine.smoothness import MAX_ORDER
from diffcheck.errors import InputError

DEFAULT_TIMEOUT = 5.0
"""Seconds each point may take (``--timeout``)."""
TOTAL_FACTOR = 30
"""The whole analysis may take this many per-point budgets."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    """What an analysis is asked to do.

    Attributes:
        window: the part of the real line whose points are reported (``--domain``).
        order: the highest derivative checked at every point (``--order``).
        timeout: seconds each point may take (``--timeout``).
        verify: cross-check every point numerically (``--verify``).
        max_order: the highest order this kind of analysis supports.
    """

    window: sympy.Set = S.Reals
    order: int = 1
    timeout: float = DEFAULT_TIMEOUT
    verify: bool = False

    @classmethod
    def build(cls, *, domain: str | sympy.Set | None = None, order: int = 1,
              timeout: float | None = None, verify: bool = False,
              max_order: int = MAX_ORDER) -> Options:
        """Options from user values, each checked (``InputError`` says how to fix it)."""
        if isinstance(order, bool) or not isinstance(order, int) or not 1 <= order <= max_order:
            if max_order == 1:
                raise InputError(f"order {order} is not supported yet; only order 1 "
                                 f"(first derivatives)")
            raise InputError(f"the order must be a whole number from 1 to {max_order}, "
                             f"not {order!r}")
        seconds = DEFAULT_TIMEOUT if timeout is None else float(timeout)
        if not seconds > 0:
            raise InputError(f"the timeout must be a positive number of seconds, not {timeout}")
        return cls(window=_window(domain), order=order, timeout=seconds, verify=bool(verify))

    @property
    def total_seconds(self) -> float:
        """The budget of the whole analysis."""
        return self.timeout * TOTAL_FACTOR

    def deadline(self) -> Deadline:
        """A fresh clock for the whole analysis."""
        return Deadline(self.total_seconds)


def _window(domain: str | sympy.Set | None) -> sympy.Set:
    if domain is None:
        return S.Reals
    if isinstance(domain, str):
        from diffcheck.language.parsing import parse_domain

        return parse_domain(domain)
    if not isinstance(domain, sympy.Interval) and domain != S.Reals:
        raise InputError(f"the domain must be an interval, not {domain}")
    return domain
