"""MyST-NB's ``glue`` for the chapters: NumPy scalars are glued as Python numbers.

``{glue:text}`name:.3f``` formats a glued value with Python's format specification; MyST-NB stores the
value's ``repr``-able object, and a NumPy scalar would print with its type (``np.float64(0.97)``).  This
helper converts NumPy scalars first, so every chapter glues the same way.
"""
from __future__ import annotations

import math

import numpy as np

from .._validation import check_flag

__all__ = ["glue"]


def glue(name, value, display=False):
    """``myst_nb.glue(name, value, display)`` with NumPy scalars converted to Python numbers.

    Parameters
    ----------
    name : str
        Key used in the page's ``{glue:text}`` roles.
    value : object
        The value; a NumPy scalar is glued as the Python number it holds.
    display : bool, optional
        Also show the value where the cell is (default: no).

    Raises
    ------
    TypeError
        If ``name`` is not a string or ``display`` not a bool.
    ValueError
        If ``value`` is a NaN or infinite number.

    Examples
    --------
    >>> from isingsc.book.glue import _plain
    >>> _plain(np.float64(0.5)), type(_plain(np.float64(0.5))).__name__
    (0.5, 'float')
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str (the key of {{glue:text}}), got {type(name).__name__}")
    display = check_flag(display, "display")
    plain = _plain(value)
    if isinstance(plain, float) and not math.isfinite(plain):
        raise ValueError(f"value of {name!r} must be a finite number (a number in the prose), got {plain!r}")
    from myst_nb import glue as _glue

    _glue(name, plain, display=display)


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value
