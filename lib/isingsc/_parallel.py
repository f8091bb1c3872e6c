"""Executors and progress bars: the one helper behind every map of the library (private).

Every function of the library that takes an ``executor`` goes through
:func:`parallel_map`: the executor is checked (anything without a callable
``map`` is a :class:`TypeError` naming the parameter), the points are sent in
order (in chunks, so that cheap points do not drown in the executor's
overhead), and what comes back is checked (the wrong count, the wrong type or a
non-finite number is an :class:`~isingsc.errors.ExecutorError`) before it
reaches a returned array.  The same function shows a progress bar (tqdm).

Progress
--------
``progress=None`` (the library's default) shows a bar when standard error is a
terminal, and stays silent otherwise (in tests, in executed notebooks, in a
log); ``progress=True`` always shows one (``tqdm.auto``: a widget in Jupyter,
text in a terminal), ``progress=False`` never does.  The environment variable
``ISINGSC_PROGRESS`` (``0`` or ``1``) overrides the default ``None``.
"""
from __future__ import annotations

import math
import numbers
import os
import sys

import numpy as np

from .errors import ExecutorError

__all__ = ["check_executor", "executor_workers", "progress_enabled", "progress_bar", "parallel_map"]

#: environment variable overriding the default progress setting (``"0"`` silent, ``"1"`` shown)
PROGRESS_ENV = "ISINGSC_PROGRESS"


def check_executor(executor, name="executor"):
    """``executor`` if it is ``None`` or has a callable ``map``; TypeError naming ``name`` otherwise."""
    if executor is None:
        return None
    if isinstance(executor, (str, bytes, numbers.Number)) or not callable(getattr(executor, "map", None)):
        raise TypeError(f"{name} must be a concurrent.futures-style executor with a map method (e.g. "
                        "concurrent.futures.ProcessPoolExecutor(2), or dask.distributed.Client(...).get_executor()), "
                        f"got {executor!r:.60} ({type(executor).__name__})")
    return executor


def executor_workers(executor):
    """Number of workers behind an executor, at least 1.

    Parameters
    ----------
    executor : object
        A ``concurrent.futures`` executor (its ``_max_workers``) or a ``dask.distributed``
        client's executor (the client's worker threads); anything else counts as 2, ``None`` as 1.

    Returns
    -------
    int

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(max_workers=3) as pool:
    ...     executor_workers(pool)
    3
    """
    if executor is None:
        return 1
    n = getattr(executor, "_max_workers", None)
    if n is None:
        client = getattr(executor, "_client", None)
        try:
            n = sum(client.nthreads().values()) if client is not None else None
        except Exception:  # a client that cannot be asked: assume two workers
            n = None
    return max(1, int(n)) if isinstance(n, numbers.Integral) else 2


def progress_enabled(progress):
    """Whether to show a bar for ``progress`` (``None``: the environment's default, see the module)."""
    if progress is None:
        env = os.environ.get(PROGRESS_ENV, "").strip().lower()
        if env in ("0", "false", "no", "off"):
            return False
        if env in ("1", "true", "yes", "on"):
            return True
        try:
            return bool(sys.stderr.isatty())
        except (AttributeError, ValueError):
            return False
    if not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"progress must be True, False or None, got {progress!r:.60} ({type(progress).__name__})")
    return bool(progress)


class _Silent:
    """A progress bar that shows nothing."""

    total = None

    def update(self, n=1):
        pass

    def refresh(self):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def progress_bar(total, desc, progress=None, unit="point"):
    """A tqdm bar (``tqdm.auto``) with ``total`` steps, or a silent stand-in (see the module).

    With the default ``progress=None`` the bar appears only once the call has run
    for two seconds, so quick calls stay quiet.
    """
    if not progress_enabled(progress):
        return _Silent()
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit, leave=True, dynamic_ncols=True,
                delay=2.0 if progress is None else 0.0)


def _run_chunk(func, chunk):
    """Run ``func`` on a chunk of argument tuples in a worker (module level, so it pickles).

    The points are parts of the caller's result: they read kept results but store none
    (:func:`isingsc._results_cache.nested`).
    """
    from ._results_cache import nested

    with nested():
        return [func(*args) for args in chunk]


def parallel_map(func, points, *, executor=None, progress=None, desc=None, check=None, name="executor",
                 chunks_per_worker=4):
    """``[func(*p) for p in points]`` in order, optionally on an executor, with a progress bar.

    Parameters
    ----------
    func : callable
        A module-level function (it is pickled to the workers).
    points : sequence of tuple
        The argument tuples.
    executor : concurrent.futures.Executor, optional
        Checked with :func:`check_executor`; the points go in chunks of about
        ``len(points) / (chunks_per_worker * workers)``.
    progress : bool or None, optional
        See the module docstring.
    desc : str, optional
        The bar's label.
    check : callable, optional
        ``check(result)`` raises (TypeError/ValueError) for a result the caller
        cannot use; turned into :class:`~isingsc.errors.ExecutorError` when the
        result came from an executor.
    name : str, optional
        The caller's parameter name, for the messages.

    Returns
    -------
    list
        One result per point, in order.
    """
    executor = check_executor(executor, name)
    points = [tuple(p) for p in points]
    n = len(points)
    with progress_bar(n, desc, progress) as bar:
        if executor is None or n == 0:
            out = []
            for p in points:
                r = func(*p)
                if check is not None:
                    check(r)
                out.append(r)
                bar.update(1)
            return out
        n_chunks = min(n, max(1, chunks_per_worker * executor_workers(executor)))
        size = math.ceil(n / n_chunks)
        chunks = [points[i:i + size] for i in range(0, n, size)]
        out = []
        results = iter(executor.map(_run_chunk, [func] * len(chunks), chunks))
        for i, chunk in enumerate(chunks):
            try:
                res = next(results)
            except StopIteration:
                raise ExecutorError(f"{name}.map returned {i} results for {len(chunks)} tasks") from None
            if not isinstance(res, list) or len(res) != len(chunk):
                raise ExecutorError(f"{name}.map returned {_kind(res)} for a chunk of {len(chunk)} points; "
                                    "expected a list of one result per point")
            for r in res:
                if check is not None:
                    try:
                        check(r)
                    except (TypeError, ValueError) as err:
                        raise ExecutorError(f"{name}.map returned an unusable result: {err}") from None
                out.append(r)
            bar.update(len(chunk))
        if next(results, _END) is not _END:
            raise ExecutorError(f"{name}.map returned more results than the {len(chunks)} tasks it was given")
    return out


_END = object()


def _kind(x):
    return f"{type(x).__name__} of length {len(x)}" if hasattr(x, "__len__") else f"{x!r:.40} ({type(x).__name__})"


def finite_float(r):
    """Check for a real, finite scalar result."""
    if isinstance(r, (bool, np.bool_)) or not isinstance(r, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"expected a real number, got {r!r:.40} ({type(r).__name__})")
    if not math.isfinite(float(r)):
        raise ValueError(f"expected a finite number, got {r!r}")


def real_or_nan(r):
    """Check for a real scalar result (``nan`` allowed, where it means "none")."""
    if isinstance(r, (bool, np.bool_)) or not isinstance(r, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"expected a real number, got {r!r:.40} ({type(r).__name__})")
    if math.isinf(float(r)):
        raise ValueError(f"expected a finite number or nan, got {r!r}")
