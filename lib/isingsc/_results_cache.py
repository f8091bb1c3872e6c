"""Results kept between runs, keyed by the library's own source code (private).

The book's chapters run in separate kernels -- the build's, the tests' nbval kernels, a reader's -- and
many of them ask for the same expensive results (``T*`` searches, ``Tc`` sweeps, microscopic tables,
the explorers' frames).  When the environment variable :data:`ENV` names a directory, the functions
decorated with :func:`persistent` store what they compute there, and every later call with the same
arguments, in any process, reads it back instead of computing it again.  The book's build sets the
variable for its kernels (``_ext/parallel_execution.py``), the test suite for its notebook kernels, and a
chapter opened in the book's repository points it at the build's directory
(:func:`isingsc.book.build_cache.reuse_build_results`).  Unset, empty or ``off``: nothing is written or
read, every call computes, exactly as without this module.

A stored result is never stale: the file name is a SHA-256 digest of

* every source file of :mod:`isingsc` and the NumPy and SciPy versions (an edit to the library, or
  another NumPy, reads nothing old),
* the function's qualified name, and
* its arguments, exactly: floats by their bits (``float.hex``), arrays by dtype, shape and bytes, the
  library's frozen parameter objects (superconductors, models, responses, stacks) by the values of their
  fields.  A frozen object holding a function that its other fields determine (a coupling interpolating a
  microscopic table) says so with a method ``_results_key()`` returning what it is keyed by (the table).
  Arguments with no exact key (any other callable, an arbitrary object) make the call compute.

Arguments that choose only *how* a result is computed (``executor``, ``progress``) are not part of the
key.  Warnings the computation raised are stored with the result and raised again when it is read, so a
reader sees the same warnings either way.  Files are written atomically (a temporary file, then
:func:`os.replace`): two kernels computing the same result at once do no harm, and a damaged file is
computed again.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import inspect
import os
import pickle
import tempfile
import threading
import warnings
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["ENV", "directory", "library_digest", "lookup", "nested", "persistent", "recompute", "shared", "store"]

#: Environment variable naming the directory of the stored results (unset, empty or "off": none).
ENV = "ISINGSC_SHARED_CACHE"
_OFF = {"", "off", "0", "no", "false", "none"}
#: arguments that choose how a result is computed, not what it is
_HOW = frozenset({"executor", "progress"})
#: results read in this process, by file name (only immutable kinds: see _memoizable), the most recently
#: used last; at most MEMO_SIZE of them (the others are read from their files again when asked for)
_MEMO: OrderedDict = OrderedDict()
#: most results kept in memory by one process
MEMO_SIZE = 1024
#: how many kept results this thread is computing now (see nested)
_STATE = threading.local()


def directory():
    """The directory of the stored results, or None when storing is off.

    Returns
    -------
    pathlib.Path or None
        What the environment variable ``ISINGSC_SHARED_CACHE`` names; None when it is unset, empty or
        ``off``.

    Examples
    --------
    >>> import os
    >>> saved = os.environ.get(ENV)
    >>> os.environ[ENV] = "off"
    >>> directory() is None
    True
    >>> os.environ[ENV] = "/tmp/isingsc-results"
    >>> directory().as_posix()
    '/tmp/isingsc-results'
    >>> _ = os.environ.pop(ENV) if saved is None else os.environ.update({ENV: saved})
    """
    value = os.environ.get(ENV, "").strip()
    return None if value.lower() in _OFF else Path(value)


@contextlib.contextmanager
def nested():
    """Context manager: calls inside are parts of a larger result -- they read kept results but store none.

    A kept result that is being computed stores itself; its parts (the points of a sweep, the gaps inside
    a ``T*`` search, the points a worker of :func:`~isingsc._parallel.parallel_map` computes) would only
    add thousands of small files.
    """
    _STATE.depth = getattr(_STATE, "depth", 0) + 1
    try:
        yield
    finally:
        _STATE.depth -= 1


@contextlib.contextmanager
def recompute():
    """Context manager: inside it every call computes, nothing is read or stored (this process only).

    For comparisons of two ways of computing the same result (serially and on a cluster, say), which must
    compare two computations, not one computation and its stored copy.

    Examples
    --------
    >>> import os
    >>> saved = os.environ.get(ENV)
    >>> os.environ[ENV] = "/tmp/isingsc-results"
    >>> with recompute():
    ...     directory() is None
    True
    >>> directory().as_posix()
    '/tmp/isingsc-results'
    >>> _ = os.environ.pop(ENV) if saved is None else os.environ.update({ENV: saved})
    """
    saved = os.environ.get(ENV)
    os.environ[ENV] = "off"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = saved


@lru_cache(maxsize=1)
def library_digest():
    """SHA-256 (hex) of every source file of :mod:`isingsc` and of the NumPy and SciPy versions."""
    import scipy

    h = hashlib.sha256(f"numpy {np.__version__} scipy {scipy.__version__}".encode())
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


class _Unkeyable(Exception):
    """An argument without an exact, deterministic key."""


def _feed(h, x):
    """Feed an exact description of ``x`` into the hash ``h`` (raises _Unkeyable)."""
    if x is None or isinstance(x, (bool, np.bool_)):
        h.update(f"b{x!r};".encode())
    elif isinstance(x, (int, np.integer)):
        h.update(f"i{int(x)};".encode())
    elif isinstance(x, (float, np.floating)):
        h.update(f"f{float(x).hex()};".encode())
    elif isinstance(x, (complex, np.complexfloating)):
        h.update(f"c{complex(x).real.hex()},{complex(x).imag.hex()};".encode())
    elif isinstance(x, str):
        h.update(f"s{len(x)}:{x};".encode())
    elif isinstance(x, np.ndarray):
        if x.dtype.hasobject:
            raise _Unkeyable
        a = np.ascontiguousarray(x)
        h.update(f"a{a.dtype.str}{a.shape};".encode())
        h.update(a.tobytes())
    elif isinstance(x, (tuple, list)):
        h.update(f"{type(x).__name__}{len(x)}(".encode())
        for item in x:
            _feed(h, item)
        h.update(b")")
    elif isinstance(x, dict):
        h.update(f"d{len(x)}(".encode())
        for k in sorted(x, key=repr):
            _feed(h, k)
            _feed(h, x[k])
        h.update(b")")
    elif dataclasses.is_dataclass(x) and not isinstance(x, type):
        cls = type(x)
        if not cls.__dataclass_params__.frozen:
            raise _Unkeyable  # a mutable object may change after it is keyed
        if callable(getattr(x, "_results_key", None)):
            # its other fields determine what it computes (e.g. a function built from a table it holds)
            h.update(f"K{cls.__module__}.{cls.__qualname__}(".encode())
            _feed(h, x._results_key())
            h.update(b")")
            return
        h.update(f"D{cls.__module__}.{cls.__qualname__}(".encode())
        for f in dataclasses.fields(x):
            if f.init:
                h.update(f.name.encode() + b"=")
                _feed(h, getattr(x, f.name))
        h.update(b")")
    else:
        raise _Unkeyable


def _location(name, key):
    """The file of ``(name, key)``: ``directory()/name-<digest>.pkl``, or None when storing is off or an
    argument has no exact key."""
    folder = directory()
    if folder is None:
        return None
    h = hashlib.sha256((library_digest() + "\0" + name + "\0").encode())
    try:
        _feed(h, key)
    except _Unkeyable:
        return None
    return folder / f"{name.rsplit('.', 1)[-1]}-{h.hexdigest()[:40]}.pkl"


def _read(path):
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None  # absent, damaged or from a class that no longer exists: compute again


def _write(path, record):
    try:
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return  # a result that cannot be pickled is simply not kept
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only or full disk: the result is still returned


def _memoizable(value):
    """Results that cannot be changed in place may be handed out again from memory."""
    if value is None or isinstance(value, (bool, int, float, complex, str)):
        return True
    if isinstance(value, tuple):
        return all(_memoizable(v) for v in value)
    return dataclasses.is_dataclass(value) and type(value).__dataclass_params__.frozen


#: one registry per source file of a replayed warning: the "default" action then shows each warning once
#: per location, as it did when the result was computed
_REGISTRIES: dict = {}


def _replay(caught):
    for category, message, filename, lineno in dict.fromkeys(caught):
        warnings.warn_explicit(message, category, filename, lineno, registry=_REGISTRIES.setdefault(filename, {}))


def _cached_call(name, key, compute):
    path = _location(name, key)
    if path is None:
        return compute()
    record = _MEMO.get(str(path)) or _read(path)
    if record is not None:
        value, caught = record
        if _memoizable(value):
            _remember(str(path), record)
        _replay(caught)
        return value
    if getattr(_STATE, "depth", 0):
        return compute()  # a part of a result being computed: not stored on its own
    caught = []
    try:
        with warnings.catch_warnings(record=True) as log, nested():
            warnings.simplefilter("always")
            try:
                value = compute()
            finally:
                caught = [(w.category, str(w.message), w.filename, w.lineno) for w in log]
    except BaseException:
        _replay(caught)  # the warnings raised before the error are shown, as without storing
        raise
    _write(path, (value, caught))
    if _memoizable(value):
        _remember(str(path), (value, caught))
    _replay(caught)
    return value


def _remember(name, record):
    """Keep ``record`` in memory as the most recently used; drop the least recently used beyond MEMO_SIZE."""
    _MEMO[name] = record
    try:
        _MEMO.move_to_end(name)
        while len(_MEMO) > MEMO_SIZE:
            _MEMO.popitem(last=False)
    except KeyError:  # another thread dropped it meanwhile
        pass


def _check_how(arguments):
    """The unkeyed arguments are checked as the function would check them, even when nothing is computed."""
    from ._parallel import check_executor, progress_enabled

    if "executor" in arguments:
        check_executor(arguments["executor"])
    if "progress" in arguments:
        progress_enabled(arguments["progress"])


def persistent(func):
    """Decorator: keep ``func``'s results in the directory :func:`directory` names.

    The key is the library's digest, ``func``'s qualified name and its arguments (bound to its
    signature, defaults applied, ``executor`` and ``progress`` left out); see the module's docstring.
    With storing off, or an argument without an exact key, the call simply computes.
    """
    sig = inspect.signature(func)
    name = f"{func.__module__}.{func.__qualname__}"

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if directory() is None:
            return func(*args, **kwargs)
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError:
            return func(*args, **kwargs)  # the function's own error for a wrong call
        bound.apply_defaults()
        _check_how(bound.arguments)
        key = {k: v for k, v in bound.arguments.items() if k not in _HOW}
        return _cached_call(name, key, lambda: func(*args, **kwargs))

    return wrapper


def store(name, key, value):
    """Write ``value`` for ``(name, key)`` when storing is on; returns ``value``."""
    path = _location(name, key)
    if path is not None:
        _write(path, (value, []))
    return value


def lookup(name, key):
    """The value stored for ``(name, key)`` (its warnings raised again), or None: absent, or storing off."""
    path = _location(name, key)
    record = None if path is None else _read(path)
    if record is None:
        return None
    _replay(record[1])
    return record[0]


def shared(name, key, compute):
    """``compute()``, or the result stored for ``(name, key)`` by an earlier call in any process."""
    return _cached_call(name, key, compute)
