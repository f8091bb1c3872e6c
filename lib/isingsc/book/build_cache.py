"""Reuse the results the book's build computed, when a chapter is run in the book's repository.

Building the book executes every chapter once; the library's expensive calls (``Tc`` and ``T*``
searches, sweeps, microscopic tables, the explorers' frames, the reproduction claims) store their
results in :data:`BUILD_DIRECTORY` under the book's root as they go.  A chapter that a reader opens
afterwards calls :func:`reuse_build_results` in its set-up cell, and every such call with the same
arguments reads the stored result instead of computing it again; anything else -- a changed parameter,
a new call, an edited library -- is computed (and stored for the next run).

Nothing stored is ever stale: a result is found only under a SHA-256 digest of every source file of
:mod:`isingsc`, the NumPy and SciPy versions, the function and its exact arguments.  Warnings are
stored with the result and shown again.  To compute everything, set the environment variable
``ISINGSC_SHARED_CACHE=off`` before starting the kernel (or point it at another directory); to start
afresh, delete the directory.  Inside ``with recompute():`` every call computes: a comparison of two
ways of computing the same result (serial and on a cluster, say) must compare two computations.

Examples
--------
>>> from isingsc.book import build_cache
>>> build_cache.BUILD_DIRECTORY.as_posix()
'_build/.isingsc-shared-cache'
>>> build_cache.ENV
'ISINGSC_SHARED_CACHE'
>>> with build_cache.recompute():
...     build_cache.directory() is None
True
"""
from __future__ import annotations

import os
from pathlib import Path

from .._results_cache import ENV, directory, recompute

__all__ = ["BUILD_DIRECTORY", "ENV", "book_root", "directory", "recompute", "reuse_build_results"]

#: Where the build stores results, relative to the book's root (the directory of ``_config.yml``).
BUILD_DIRECTORY = Path("_build") / ".isingsc-shared-cache"


def book_root(start=None):
    """The book's root directory above ``start``, or None outside the book's repository.

    Parameters
    ----------
    start : str or pathlib.Path, optional
        Where to start looking (default: the current directory, the chapter's folder in a kernel).

    Returns
    -------
    pathlib.Path or None
        The nearest directory at or above ``start`` that holds the book's ``_config.yml``,
        ``_toc.yml`` and ``chapters/``.

    Raises
    ------
    TypeError
        ``start`` not a path.

    Examples
    --------
    >>> import tempfile
    >>> book_root(tempfile.gettempdir()) is None
    True
    """
    if start is not None and not isinstance(start, (str, os.PathLike)):
        raise TypeError(f"start must be a path (str or os.PathLike), got {type(start).__name__}")
    here = Path(os.getcwd() if start is None else os.fspath(start)).resolve()
    for folder in (here, *here.parents):
        if (folder / "_config.yml").is_file() and (folder / "_toc.yml").is_file() and (folder / "chapters").is_dir():
            return folder
    return None


def reuse_build_results(start=None):
    """Read the results the book's build stored, and store new ones there (a chapter's set-up call).

    Sets the environment variable ``ISINGSC_SHARED_CACHE`` of this process to the book's :data:`BUILD_DIRECTORY`,
    unless it is set already (the build and the test suite set it for their kernels; ``off`` turns
    storing off) or ``start`` lies outside the book's repository.

    Parameters
    ----------
    start : str or pathlib.Path, optional
        Where to look for the book's root (default: the current directory).

    Returns
    -------
    None
        :func:`directory` gives the directory now in use (None: every call computes).

    Raises
    ------
    TypeError
        ``start`` not a path.

    Examples
    --------
    >>> import os, tempfile
    >>> saved = os.environ.pop(ENV, None)
    >>> reuse_build_results(tempfile.gettempdir())   # outside the book: nothing changes
    >>> directory() is None
    True
    >>> if saved is not None: os.environ[ENV] = saved
    """
    if ENV in os.environ:
        return None
    root = book_root(start)
    if root is not None:
        os.environ[ENV] = str(root / BUILD_DIRECTORY)
    return None
