"""Results shared between the processes of one book build (private).

The chapters run in separate kernels, and the reproduction report gathers what the other chapters have
already computed (the Sec. III and Sec. IV claims, the robustness summary).  When the environment
variable :data:`ENV` names a directory -- the book's ``_ext/parallel_execution.py`` sets it for the
kernels of an HTML build, ``tests/conftest.py`` for the notebook regression kernels -- those results are
pickled there by whichever kernel computes them first and read by the others.  Without it (a reader's
notebook, the library's own tests) nothing is written or read: every call computes.

A stored result is used only by the same library: the file name holds a digest of every source file of
:mod:`isingsc`, the NumPy and SciPy versions and the call's arguments, so an edit to the library (or a
different superconductor) never reads an old number.  Files are written atomically (a temporary file,
then :func:`os.replace`), so two kernels computing the same result at once do no harm.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

__all__ = ["ENV", "shared", "store"]

#: Environment variable naming the directory of the shared results (unset: no sharing).
ENV = "ISINGSC_SHARED_CACHE"


@lru_cache(maxsize=1)
def _library_digest():
    import numpy
    import scipy

    h = hashlib.sha256(f"numpy {numpy.__version__} scipy {scipy.__version__}".encode())
    root = Path(__file__).resolve().parent.parent  # the whole isingsc package, not only isingsc.book
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _path(name, key):
    directory = os.environ.get(ENV, "").strip()
    if not directory:
        return None
    digest = hashlib.sha256((_library_digest() + "\0" + name + "\0" + repr(key)).encode()).hexdigest()[:32]
    return Path(directory) / f"{name}-{digest}.pkl"


def store(name, key, value):
    """Write ``value`` for ``(name, key)`` if sharing is on; returns ``value``."""
    path = _path(name, key)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return value


def shared(name, key, compute):
    """``compute()``, or the result another process of this build stored for ``(name, key)``.

    ``key`` must have a deterministic ``repr`` (numbers, strings, the reprs of frozen dataclasses).
    """
    path = _path(name, key)
    if path is not None and path.is_file():
        try:
            with open(path, "rb") as fh:
                return pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError):
            pass  # unreadable: compute it again (and overwrite)
    return store(name, key, compute())
