"""JSON-safe dicts for parameters, one ``.npz`` file format for results (private).

Parameters (models, materials, superconductors, stacks and couplings) turn into
plain dicts of numbers, strings and lists with :meth:`to_dict`, tagged with
their class (``"type"``), and come back equal with ``from_dict``
(:class:`Serializable`).  Results that hold arrays are saved as one ``.npz``
file: the arrays under their names and everything else -- the parameters that
produced them -- as JSON in the entry ``"__isingsc__"`` (:func:`save_npz`,
:func:`load_npz`).  :func:`isingsc.load <isingsc._serialize.load>` reads any of them back.
"""
from __future__ import annotations

import json
import math
import numbers
from dataclasses import fields
from pathlib import Path

import numpy as np

__all__ = ["Serializable", "Record", "Result", "ArrayEquality", "jsonable", "from_jsonable", "save_npz", "load_npz", "load"]

#: the class of each ``"type"`` tag
_REGISTRY: dict = {}
#: key of the JSON metadata inside a saved ``.npz``
META_KEY = "__isingsc__"
FORMAT_VERSION = 1


def jsonable(x):
    """``x`` as JSON-safe data: numbers, strings, lists and tagged dicts (objects with ``to_dict``)."""
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, (np.bool_,)):
        return bool(x)
    if isinstance(x, numbers.Integral):
        return int(x)
    if isinstance(x, numbers.Real):
        v = float(x)
        if not math.isfinite(v):
            return {"float": repr(v)}  # nan, inf, -inf: valid JSON, restored by from_jsonable
        return v
    if isinstance(x, np.ndarray):
        return [jsonable(v) for v in x.tolist()] if x.ndim else jsonable(x.item())
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if hasattr(x, "to_dict"):
        return x.to_dict()
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    raise TypeError(f"cannot save {type(x).__name__} objects as JSON")


def from_jsonable(x):
    """Inverse of :func:`jsonable`: tagged dicts become objects again, lists stay lists."""
    if isinstance(x, dict):
        if set(x) == {"float"}:
            return float(x["float"])
        if "type" in x and x["type"] in _REGISTRY:
            return _REGISTRY[x["type"]].from_dict(x)
        return {k: from_jsonable(v) for k, v in x.items()}
    if isinstance(x, list):
        return [from_jsonable(v) for v in x]
    return x


class Serializable:
    """``to_dict``/``from_dict`` for frozen dataclasses (the fields given to ``__init__``)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _REGISTRY[cls.__name__] = cls

    def _dict_fields(self):
        return {f.name: getattr(self, f.name) for f in fields(self) if f.init and not f.name.startswith("_")}

    def to_dict(self):
        """The parameters as a JSON-safe dict (``json.dumps`` takes it), tagged with the class name.

        Returns
        -------
        dict
            ``{"type": class name, field: value, ...}``; nested parameter objects are dicts too.

        Examples
        --------
        >>> import json, isingsc
        >>> sc = isingsc.IsingSuperconductor(isingsc.NbSe2(epsilon=-40.0), 0.5)
        >>> data = json.loads(json.dumps(sc.to_dict()))
        >>> data["type"], data["model"]["epsilon"], isingsc.IsingSuperconductor.from_dict(data) == sc
        ('IsingSuperconductor', -40.0, True)
        """
        out = {"type": type(self).__name__}
        out.update({k: jsonable(v) for k, v in self._dict_fields().items()})
        return out

    @classmethod
    def from_dict(cls, data):
        """The object from :meth:`to_dict`'s dict (equal to the original).

        Parameters
        ----------
        data : dict
            As returned by :meth:`to_dict` (also after a JSON round trip).

        Returns
        -------
        object
            An instance of the class named by ``data["type"]`` (this class or a subclass).

        Raises
        ------
        TypeError
            ``data`` is not a dict, or names a class that is not this one or a subclass.
        ValueError
            A field is missing or has an invalid value (the class's own checks).
        """
        if not isinstance(data, dict):
            raise TypeError(f"data must be a dict (from to_dict), got {type(data).__name__}")
        name = data.get("type", cls.__name__)
        target = _REGISTRY.get(name)
        if target is None or not issubclass(target, cls):
            raise TypeError(f"data describes a {name!r}, not a {cls.__name__}")
        kwargs = {k: from_jsonable(v) for k, v in data.items() if k != "type"}
        init = {f.name for f in fields(target) if f.init}
        unknown = sorted(set(kwargs) - init)
        if unknown:
            raise ValueError(f"unknown fields for {name}: {unknown}")
        return target._from_fields(kwargs)

    @classmethod
    def _from_fields(cls, kwargs):
        return cls(**kwargs)


def _equal(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.dtype.kind != b.dtype.kind and not (a.dtype.kind in "iuf" and b.dtype.kind in "iuf"):
            return False
        return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


class ArrayEquality:
    """Equality of dataclasses that hold arrays: same class, every compared field equal (nan equals nan)."""

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(_equal(getattr(self, f.name), getattr(other, f.name)) for f in fields(self)
                   if f.compare and not f.name.startswith("_"))

    __hash__ = None


def save_npz(path, obj, arrays, meta):
    """Write ``arrays`` (name -> ndarray) and the JSON ``meta`` of ``obj``'s class to ``path`` (``.npz``)."""
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    head = {"format": "isingsc", "version": FORMAT_VERSION, "type": type(obj).__name__, "meta": jsonable(meta)}
    payload = {k: np.asarray(v) for k, v in arrays.items()}
    if META_KEY in payload:
        raise ValueError(f"{META_KEY!r} is reserved")
    payload[META_KEY] = np.array(json.dumps(head))
    np.savez_compressed(path, **payload)
    return path


def _ensure_registry():
    """Import every module that defines a saveable class (``import isingsc`` is lazy)."""
    import importlib

    for name in ("model", "materials", "superconductor", "magnetism", "microscopic", "response", "hysteresis",
                 "tstar", "maps"):
        importlib.import_module(f"isingsc.{name}")


def load_npz(path, expected=None):
    """``(type name, meta, arrays)`` of a file written by :func:`save_npz`."""
    _ensure_registry()
    import os
    import zipfile

    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or pathlib.Path, got {path!r:.60} ({type(path).__name__})")
    if not Path(path).is_file():
        raise FileNotFoundError(f"path: no such file {str(path)!r}")
    try:
        f = np.load(Path(path), allow_pickle=False)
    except (ValueError, OSError, zipfile.BadZipFile) as exc:
        raise ValueError(f"path {str(path)!r} is not an isingsc result file (.npz): {exc}") from None
    if not isinstance(f, np.lib.npyio.NpzFile):
        raise ValueError(f"path {str(path)!r} is not an isingsc result file (.npz): a single array")
    with f:
        if META_KEY not in f.files:
            raise ValueError(f"{path} is not an isingsc result file (no {META_KEY!r} entry)")
        head = json.loads(str(f[META_KEY]))
        arrays = {k: f[k] for k in f.files if k != META_KEY}
    if head.get("format") != "isingsc":
        raise ValueError(f"{path} is not an isingsc result file")
    if expected is not None and head["type"] != expected:
        raise TypeError(f"{path} holds a {head['type']}, not a {expected}")
    return head["type"], from_jsonable(head["meta"]), arrays


def load(path):
    """Read any result saved with ``save`` (its class from the file).

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.npz`` file written by a result's ``save``.

    Returns
    -------
    object
        The result, equal to the one saved.

    Raises
    ------
    TypeError
        ``path`` is not a str or path.
    FileNotFoundError
        No file at ``path``.
    ValueError
        The file is not an isingsc result file.

    Examples
    --------
    >>> import tempfile, pathlib, isingsc
    >>> loop = isingsc.hysteresis_loop(isingsc.FSFStack.single(1.0, 1.0), H_max=3.0, n_steps=30)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = loop.save(pathlib.Path(tmp) / "loop")
    ...     back = isingsc.load(path)
    >>> path.name, back == loop, type(back).__name__
    ('loop.npz', True, 'HysteresisLoop')
    """
    name, _, _ = load_npz(path)
    cls = _REGISTRY.get(name)
    if cls is None or not hasattr(cls, "load"):
        raise ValueError(f"{path} holds a {name!r}, which this version of isingsc cannot load")
    return cls.load(path)


# ------------------------------------------------------------------------------------------- results
def _summary(value):
    """A short text for a field of a result: arrays by shape and range, long tuples by count."""
    if isinstance(value, np.ndarray):
        if value.size == 0:
            return f"<empty array {value.shape}>"
        if value.dtype.kind in "iuf":
            finite = value[np.isfinite(value)] if value.dtype.kind == "f" else value
            rng = f", {finite.min():.4g} .. {finite.max():.4g}" if finite.size else ""
            nan = f", {value.size - finite.size} nan" if finite.size != value.size else ""
            return f"<array {value.shape}{rng}{nan}>"
        if value.dtype.kind == "b":
            return f"<bool array {value.shape}, {int(value.sum())} true>"
        return f"<{value.dtype.kind} array {value.shape}: {', '.join(sorted(set(map(str, value.ravel()))))[:60]}>"
    if isinstance(value, (tuple, list)):
        if len(value) > 6 or any(isinstance(v, Result) for v in value):
            kinds = sorted({type(v).__name__ for v in value})
            return f"<{len(value)} x {'/'.join(kinds)}>"
        inner = ", ".join(_summary(v) for v in value)
        if isinstance(value, list):
            return f"[{inner}]"
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)


class Record:
    """A dataclass that may sit inside a saved result (registered by class name for loading)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _REGISTRY[cls.__name__] = cls


def _encode(x, arrays, key):
    if isinstance(x, np.ndarray):
        arrays[key] = x
        return {"__array__": key}
    if isinstance(x, Serializable):
        return x.to_dict()
    if isinstance(x, Record):
        out = {"__record__": type(x).__name__}
        for f in fields(x):
            if f.init and not f.name.startswith("_"):
                out[f.name] = _encode(getattr(x, f.name), arrays, f"{key}.{f.name}")
        return out
    if isinstance(x, tuple):
        return {"__tuple__": [_encode(v, arrays, f"{key}.{i}") for i, v in enumerate(x)]}
    if isinstance(x, list):
        return [_encode(v, arrays, f"{key}.{i}") for i, v in enumerate(x)]
    return jsonable(x)


def _decode(x, arrays):
    if isinstance(x, dict):
        if "__array__" in x:
            return arrays[x["__array__"]]
        if "__tuple__" in x:
            return tuple(_decode(v, arrays) for v in x["__tuple__"])
        if "__record__" in x:
            cls = _REGISTRY[x["__record__"]]
            return cls(**{k: _decode(v, arrays) for k, v in x.items() if k != "__record__"})
        return from_jsonable(x)
    if isinstance(x, list):
        return [_decode(v, arrays) for v in x]
    return x


class Result(Record, ArrayEquality):
    """A result that holds arrays: equality by value, a short repr, ``save``/``load`` as ``.npz``.

    Arrays are compared element by element (``nan`` equal to ``nan``); the repr
    shows every array by its shape and range.  :meth:`save` writes one ``.npz``
    file: the arrays under their names, the rest (the parameters that produced
    the result) as JSON metadata.
    """

    def __repr__(self):
        parts = [f"{f.name}={_summary(getattr(self, f.name))}" for f in fields(self)
                 if f.repr and not f.name.startswith("_")]
        return f"{type(self).__name__}({', '.join(parts)})"

    def save(self, path):
        """Write the result to ``path`` (``.npz``; the suffix is added if missing).

        Parameters
        ----------
        path : str or pathlib.Path

        Returns
        -------
        pathlib.Path
            The file written.

        Raises
        ------
        TypeError
            A parameter of the result cannot be saved (e.g. a stack with an arbitrary
            :class:`~isingsc.magnetism.TabulatedCoupling` function).

        Examples
        --------
        >>> import tempfile, pathlib, isingsc
        >>> resp = isingsc.superconductor_response(isingsc.ising_superconductor(150.0))
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     back = type(resp).load(resp.save(pathlib.Path(tmp) / "chi.npz"))
        >>> back == resp, back.chi_s0 == resp.chi_s0
        (True, True)
        """
        arrays = {}
        meta = _encode(self, arrays, "r")
        return save_npz(path, self, arrays, meta)

    @classmethod
    def load(cls, path):
        """Read a result written by :meth:`save` (equal to the one saved).

        Parameters
        ----------
        path : str or pathlib.Path

        Returns
        -------
        Result
            An instance of this class.

        Raises
        ------
        TypeError
            The file holds another kind of result.
        ValueError
            The file is not an isingsc result file.
        """
        _, meta, arrays = load_npz(path, expected=cls.__name__)
        return _decode(meta, arrays)
