"""Input checks shared by every module of the library.

The rules (see the book's library chapter):

* a wrong *type* raises :class:`TypeError` naming the parameter
  (``"T must be a real number (meV), got 'hot' (str)"``);
* an unphysical *value* raises :class:`ValueError` with the value and its unit
  (``"T must be >= 0 meV, got -1.0 meV"``);
* a solve that cannot be established raises
  :class:`~isingsc.errors.ConvergenceError` (raised by the solvers, not here).

Complex numbers are rejected (with a TypeError), never silently cut to their
real part; booleans are not numbers here.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "check_real",
    "check_array",
    "check_int",
    "check_choice",
    "check_instance",
    "check_tolerance",
]


def _unit_suffix(unit):
    return f" {unit}" if unit else ""


def _describe(value):
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def _as_float(value, name, unit):
    """``float(value)`` for a real scalar, TypeError otherwise."""
    if isinstance(value, (bool, np.bool_)) or value is None:
        raise TypeError(f"{name} must be a real number{_paren(unit)}, got {_describe(value)}")
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        return float(value)
    raise TypeError(f"{name} must be a real number{_paren(unit)}, got {_describe(value)}")


def _paren(unit):
    return f" ({unit})" if unit else ""


def _check_bounds(x, name, unit, nonneg, positive, lower, upper, lower_open=False):
    u = _unit_suffix(unit)
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite{_paren(unit)}, got {x!r}")
    if nonneg and x < 0:
        raise ValueError(f"{name} must be >= 0{u}, got {x!r}{u}")
    if positive and x <= 0:
        raise ValueError(f"{name} must be > 0{u}, got {x!r}{u}")
    if lower is not None and (x <= lower if lower_open else x < lower):
        op = ">" if lower_open else ">="
        raise ValueError(f"{name} must be {op} {lower:g}{u}, got {x!r}{u}")
    if upper is not None and x > upper:
        raise ValueError(f"{name} must be <= {upper:g}{u}, got {x!r}{u}")


def check_real(value, name, *, unit="", nonneg=False, positive=False, lower=None, upper=None, lower_open=False):
    """A finite real scalar as ``float``.

    Parameters
    ----------
    value : object
        The input.
    name : str
        Parameter name used in messages.
    unit : str, optional
        Unit used in messages (e.g. ``"meV"``).
    nonneg, positive : bool, optional
        Require ``value >= 0`` or ``value > 0``.
    lower, upper : float, optional
        Require ``lower <= value <= upper`` (``lower < value`` with ``lower_open``).

    Raises
    ------
    TypeError
        Not a real number (strings, complex numbers, ``None``, booleans, arrays of size > 1).
    ValueError
        NaN, infinite or out of the allowed range.

    Examples
    --------
    >>> check_real(2, "T", unit="meV")
    2.0
    >>> check_real(-1.0, "T", unit="meV", nonneg=True)
    Traceback (most recent call last):
    ...
    ValueError: T must be >= 0 meV, got -1.0 meV
    """
    x = _as_float(value, name, unit)
    _check_bounds(x, name, unit, nonneg, positive, lower, upper, lower_open)
    return x


def check_array(values, name, *, unit="", nonneg=False, positive=False, lower=None, upper=None, allow_empty=False):
    """A finite float array (any shape).

    Raises
    ------
    TypeError
        Non-numeric or complex entries.
    ValueError
        Empty (unless ``allow_empty``), NaN, infinite or out-of-range entries.

    Examples
    --------
    >>> check_array([0.0, 0.5], "T", unit="meV", nonneg=True)
    array([0. , 0.5])
    >>> check_array([0.1 + 0.5j], "T", unit="meV")
    Traceback (most recent call last):
    ...
    TypeError: T must be real numbers (meV), got complex entries
    """
    if isinstance(values, (str, bytes)) or values is None:
        raise TypeError(f"{name} must be real numbers{_paren(unit)}, got {_describe(values)}")
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be an array of real numbers{_paren(unit)}: {err}") from None
    kind = arr.dtype.kind
    if kind == "c":
        raise TypeError(f"{name} must be real numbers{_paren(unit)}, got complex entries")
    if kind == "b":
        raise TypeError(f"{name} must be real numbers{_paren(unit)}, got booleans")
    if kind not in "iuf":
        if kind == "O":
            try:
                arr = np.array([_as_float(v, name, unit) for v in arr.ravel()]).reshape(arr.shape)
            except TypeError:
                raise TypeError(f"{name} must be real numbers{_paren(unit)}, got {_describe(values)}") from None
        else:
            raise TypeError(f"{name} must be real numbers{_paren(unit)}, got {_describe(values)}")
    arr = arr.astype(float, copy=False)
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty")
    u = _unit_suffix(unit)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite{_paren(unit)}, got {_short(arr)}")
    if nonneg and np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0{u}, got {arr.min()!r}{u}")
    if positive and np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0{u}, got {arr.min()!r}{u}")
    if lower is not None and np.any(arr < lower):
        raise ValueError(f"{name} must be >= {lower:g}{u}, got {arr.min()!r}{u}")
    if upper is not None and np.any(arr > upper):
        raise ValueError(f"{name} must be <= {upper:g}{u}, got {arr.max()!r}{u}")
    return arr


def _short(arr):
    flat = arr.ravel()
    bad = flat[~np.isfinite(flat)]
    return f"{bad[0]!r} among {flat.size} entries" if bad.size else repr(flat[:4])


def check_int(value, name, *, minimum=None, maximum=None):
    """An integer (``int`` or a float with an integral value) as ``int``.

    Raises
    ------
    TypeError
        Not a number, or a number with a fractional part.
    ValueError
        Outside ``[minimum, maximum]``.

    Examples
    --------
    >>> check_int(12.0, "n_phi", minimum=4)
    12
    >>> check_int(-5, "n_phi", minimum=4)
    Traceback (most recent call last):
    ...
    ValueError: n_phi must be >= 4, got -5
    """
    if isinstance(value, (bool, np.bool_)) or value is None:
        raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    if isinstance(value, numbers.Integral):
        n = int(value)
    elif isinstance(value, numbers.Real):
        x = float(value)
        if not math.isfinite(x):
            raise ValueError(f"{name} must be a finite integer, got {x!r}")
        if x != int(x):
            raise TypeError(f"{name} must be an integer, got {x!r}")
        n = int(x)
    else:
        raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    if minimum is not None and n < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {n}")
    if maximum is not None and n > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {n}")
    return n


def check_choice(value, name, choices):
    """One of ``choices`` (strings); TypeError for a non-string, ValueError for an unknown one.

    Examples
    --------
    >>> check_choice("complete", "coupling", ("paper", "complete"))
    'complete'
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {tuple(choices)}, got {_describe(value)}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {value!r}")
    return value


def check_instance(value, name, cls, hint=""):
    """``value`` itself if it is an instance of ``cls``, TypeError naming ``name`` otherwise.

    Examples
    --------
    >>> check_instance(3, "n", int)
    3
    >>> check_instance("3", "n", int)
    Traceback (most recent call last):
    ...
    TypeError: n must be a int, got '3' (str)
    """
    if not isinstance(value, cls):
        names = " or ".join(c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,)))
        extra = f" ({hint})" if hint else ""
        raise TypeError(f"{name} must be a {names}{extra}, got {_describe(value)}")
    return value


def check_tolerance(value, name, scale=1.0, *, unit=""):
    """A positive tolerance that a bisection on a range of size ``scale`` can reach.

    A tolerance below a few float steps of ``scale`` would never be met (the
    bisection would stall at one float step): it is rejected with ValueError.

    Examples
    --------
    >>> check_tolerance(1e-6, "t_tol", 1.2)
    1e-06
    >>> check_tolerance(1e-300, "t_tol", 1.2)
    Traceback (most recent call last):
    ...
    ValueError: t_tol = 1e-300 is below the float resolution of the range (1.2); use >= 2.7e-15
    """
    tol = check_real(value, name, unit=unit, positive=True)
    floor = 10.0 * np.finfo(float).eps * max(abs(float(scale)), np.finfo(float).tiny)
    if tol < floor:
        raise ValueError(f"{name} = {tol:g}{_unit_suffix(unit)} is below the float resolution of the range "
                         f"({float(scale):g}{_unit_suffix(unit)}); use >= {floor:.2g}{_unit_suffix(unit)}")
    return tol
