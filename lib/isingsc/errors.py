"""The library's own exception.

Besides :class:`TypeError` (wrong type, naming the parameter) and
:class:`ValueError` (unphysical value, with its unit), the library raises
:class:`ConvergenceError` when a self-consistent solution, a root or a
bracket cannot be established to the stated accuracy.  It never returns a
number it could not establish.
"""
from __future__ import annotations

__all__ = ["ConvergenceError"]


class ConvergenceError(RuntimeError):
    """A self-consistent solution or a root could not be established reliably.

    Examples
    --------
    >>> issubclass(ConvergenceError, RuntimeError)
    True
    """
