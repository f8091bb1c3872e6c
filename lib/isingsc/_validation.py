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

import dataclasses
import functools
import math
import numbers
import types

import numpy as np

__all__ = [
    "check_real",
    "check_array",
    "check_int",
    "check_flag",
    "check_choice",
    "check_instance",
    "check_tolerance",
    "check_callable",
    "check_sequence",
    "readonly",
    "frozen_mapping",
    "numerics",
    "checked_fields",
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


def check_tolerance(value, name, scale=1.0, *, unit="", scale_name="the range"):
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
        raise ValueError(f"{name} = {tol:g}{_unit_suffix(unit)} is below the float resolution of {scale_name} "
                         f"({float(scale):g}{_unit_suffix(unit)}); use >= {floor:.2g}{_unit_suffix(unit)}")
    return tol


def check_flag(value, name):
    """A boolean (``bool`` or ``numpy.bool_``) as ``bool``; TypeError naming ``name`` otherwise.

    Truthy non-booleans (``"no"``, ``2``) are refused: a misspelt flag must not switch anything on.

    Examples
    --------
    >>> check_flag(True, "refine")
    True
    >>> check_flag("no", "refine")
    Traceback (most recent call last):
    ...
    TypeError: refine must be True or False, got 'no' (str)
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {_describe(value)}")


def check_callable(value, name, what="a function"):
    """``value`` itself if it is callable, TypeError naming ``name`` otherwise.

    Examples
    --------
    >>> check_callable(abs, "func") is abs
    True
    >>> check_callable("abs", "func", "f(Jx, Jz)")
    Traceback (most recent call last):
    ...
    TypeError: func must be callable, f(Jx, Jz), got 'abs' (str)
    """
    if not callable(value) or isinstance(value, type):
        raise TypeError(f"{name} must be callable, {what}, got {_describe(value)}")
    return value


def check_sequence(value, name, *, item=None, length=None, min_length=None, max_length=None):
    """A list or tuple as ``tuple`` (each item passed through ``item(x, "name[i]")`` if given).

    Strings are refused (they are sequences of characters, never what is meant here).

    Examples
    --------
    >>> check_sequence(["Gamma", "K"], "points", min_length=2)
    ('Gamma', 'K')
    >>> check_sequence("GK", "points")
    Traceback (most recent call last):
    ...
    TypeError: points must be a list or tuple, got 'GK' (str)
    """
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list or tuple, got {_describe(value)}")
    n = len(value)
    if length is not None and n != length:
        raise ValueError(f"{name} must have {length} entries, got {n}")
    if min_length is not None and n < min_length:
        raise ValueError(f"{name} must have at least {min_length} entries, got {n}")
    if max_length is not None and n > max_length:
        raise ValueError(f"{name} must have at most {max_length} entries, got {n}")
    if item is not None:
        return tuple(item(x, f"{name}[{i}]") for i, x in enumerate(value))
    return tuple(value)


def readonly(values):
    """A read-only view of an array: what an immutable object holds, so that no caller can corrupt it.

    The object keeps the array it was given only if that array is already read-only; otherwise a copy
    (the caller's own array stays writable and is not aliased).

    Examples
    --------
    >>> a = readonly([1.0, 2.0])
    >>> a[0] = 3.0
    Traceback (most recent call last):
    ...
    ValueError: assignment destination is read-only
    """
    arr = np.asarray(values)
    if arr.flags.writeable or arr.base is not None and getattr(arr.base, "flags", None) is not None \
            and arr.base.flags.writeable:
        arr = arr.copy()
    arr.flags.writeable = False
    return arr


def frozen_mapping(mapping):
    """A read-only view (``types.MappingProxyType``) of a copy of ``mapping``, for module-level tables.

    Examples
    --------
    >>> m = frozen_mapping({"up": "#1f77b4"})
    >>> m["down"] = "#d62728"
    Traceback (most recent call last):
    ...
    TypeError: 'mappingproxy' object does not support item assignment
    """
    return types.MappingProxyType(dict(mapping))


#: the floating-point error state every public numerical routine runs in: NumPy's default, except that
#: underflow (``exp(-E/T)`` of a large ``E/T``, a correct zero) is never reported
_ERRSTATE = dict(divide="warn", over="warn", invalid="warn", under="ignore")


def numerics(func):
    """Run ``func`` in the library's own floating-point error state (``np.errstate``), whatever the
    caller's ``np.seterr``: results never depend on it, and an underflow to zero is never an error.

    Examples
    --------
    >>> @numerics
    ... def boltzmann(E, T):
    ...     return float(np.exp(-E / T))
    >>> with np.errstate(all="raise"):
    ...     boltzmann(1000.0, 1.0)
    0.0
    """
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with np.errstate(**_ERRSTATE):
            return func(*args, **kwargs)

    return wrapper


def _field_check(annotation, name, unit, nonneg):
    """A checker ``value -> value`` for one dataclass field, from its annotation (a string)."""
    text = str(annotation).replace(" ", "")
    optional = text.endswith("|None") or text.startswith("None|")
    base = text.replace("|None", "").replace("None|", "")

    def check(value):
        if value is None and optional:
            return None
        if base == "float":
            return check_real(value, name, unit=unit, nonneg=nonneg)
        if base == "int":
            return check_int(value, name)
        if base == "bool":
            return check_flag(value, name)
        if base == "str":
            if not isinstance(value, str):
                raise TypeError(f"{name} must be a str, got {_describe(value)}")
            return value
        if base == "tuple":
            return check_sequence(value, name)
        if base in ("np.ndarray", "ndarray"):
            return readonly(check_array(value, name, unit=unit, nonneg=nonneg, allow_empty=True))
        return value

    return check


def checked_fields(cls=None, *, units=None, nonneg=()):
    """Class decorator for the library's frozen result dataclasses: their fields are checked on construction.

    From each field's annotation: ``float`` a finite real number, ``int`` an integer, ``bool`` a
    boolean, ``str`` a string, ``tuple`` a tuple (a list is converted), ``np.ndarray`` a finite real
    array, stored read-only (:func:`readonly`); ``X | None`` also admits ``None``; other annotations
    are left to the class.  ``units`` names the unit of a field for the messages, ``nonneg`` the
    fields that must be ``>= 0``.  The class's own ``__post_init__`` (if any) runs afterwards.

    Examples
    --------
    >>> @checked_fields(units={"T": "meV"}, nonneg=("T",))
    ... @dataclasses.dataclass(frozen=True)
    ... class Point:
    ...     T: float
    ...     values: np.ndarray
    >>> p = Point(0.5, [1.0, 2.0])
    >>> p.values.flags.writeable
    False
    >>> Point(-1.0, [1.0])
    Traceback (most recent call last):
    ...
    ValueError: T must be >= 0 meV, got -1.0 meV
    """
    def decorate(klass):
        checks = {f.name: _field_check(f.type, f.name, (units or {}).get(f.name, ""), f.name in nonneg)
                  for f in dataclasses.fields(klass) if f.init}
        own = klass.__dict__.get("__post_init__")

        def __post_init__(self):
            for name, check in checks.items():
                object.__setattr__(self, name, check(getattr(self, name)))
            if own is not None:
                own(self)

        klass.__post_init__ = __post_init__
        if own is None:  # the dataclass's __init__ does not call a __post_init__ added afterwards
            init = klass.__init__

            @functools.wraps(init)
            def __init__(self, *args, **kwargs):
                init(self, *args, **kwargs)
                __post_init__(self)

            klass.__init__ = __init__
        return klass

    return decorate if cls is None else decorate(cls)
