"""Shared, cached objects for the library tests (built once per test session), and nbval under xdist.

The suite runs on two workers (``-n 2 --dist loadfile`` in pyproject.toml): every cell of a notebook stays
on one worker, in order, in one kernel.  This conftest is loaded at start-up (``tests`` is a test path), so
the patch below applies to the chapters too: kernel start-ups are serialised through a lock file in the
temporary directory, shared by the workers, because concurrent start-ups have been seen to stall; and each
kernel is started with ``ISINGSC_SHARED_CACHE`` set (see ``SHARED_CACHE``).  Numbers that a chapter
glues are compared as numbers, to what the book shows (``glue_records``: their last digits depend on the CPU).
"""
import fcntl
import os
import tempfile
from pathlib import Path

import pytest
from nbval import kernel as _nbval_kernel
from nbval import plugin as _nbval_plugin

import glue_records

import isingsc
from isingsc import _results_cache
from isingsc.book.build_cache import BUILD_DIRECTORY


@pytest.fixture(scope="session")
def paper_sc():
    """The paper's NbSe2 superconductor, lambda_soc = 150 Delta0 (isingsc.ising_superconductor)."""
    return isingsc.ising_superconductor(150.0)


@pytest.fixture(scope="session")
def paper_resp(paper_sc):
    """Its tabulated chi_par(T), chi_perp(T) (default grid)."""
    return isingsc.superconductor_response(paper_sc)


@pytest.fixture(scope="session")
def server():
    """The built book (``_build/html``) on a free localhost port: one server per test worker."""
    from test_browser import start_server

    url, stop = start_server()
    yield url
    stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (tests/test_browser.py): one browser per test worker, shared by the browser checks
    (each module opens its own context, so pages and caches stay apart)."""
    from test_browser import launch_chromium

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        from test_browser import _unavailable

        _unavailable("the Playwright Python client is not installed (pip install -r requirements.txt)")
    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


_KERNEL_LOCK = Path(tempfile.gettempdir()) / "isingsc-nbval-kernel-start.lock"
_start_new_kernel = _nbval_kernel.start_new_kernel


#: The notebook kernels read the results the book's build stored, and store what they compute, in the
#: build's directory (isingsc.book.build_cache: keyed by a digest of the library's sources and the exact
#: arguments, so only results of this very library are read).  A value already set is kept
#: (ISINGSC_SHARED_CACHE=off: the kernels compute everything).  The library's own tests, in this process,
#: never read or store anything.
SHARED_CACHE = Path(__file__).resolve().parent.parent / BUILD_DIRECTORY


def _serialised_kernel_start(*args, **kwargs):
    with open(_KERNEL_LOCK, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        # the kernel inherits os.environ when it is started: set the variable for that moment only
        previous = os.environ.get(_results_cache.ENV)
        if previous is None:
            os.environ[_results_cache.ENV] = str(SHARED_CACHE)
        try:
            return _start_new_kernel(*args, **kwargs)
        finally:
            if previous is None:
                os.environ.pop(_results_cache.ENV, None)
            fcntl.flock(fh, fcntl.LOCK_UN)


_nbval_kernel.start_new_kernel = _serialised_kernel_start


@pytest.fixture(autouse=True)
def _results_cache_as_it_was():
    """A test that switches the results cache on in this process (e.g. the fuzz harness calling
    ``reuse_build_results``) must not leave it on: the library's tests compute every result."""
    saved = os.environ.get(_results_cache.ENV)
    yield
    if saved is None:
        os.environ.pop(_results_cache.ENV, None)
    else:
        os.environ[_results_cache.ENV] = saved


_compare_outputs = _nbval_plugin.IPyNbCell.compare_outputs


def _compare_glued_numbers_as_numbers(self, test, ref, skip_compare=None):
    """nbval's comparison, with glued numbers compared as numbers (``glue_records``): their last digits
    depend on the CPU; printed outputs and everything else are still compared exactly."""
    return _compare_outputs(self, glue_records.align_glued_numbers(test, ref), ref, skip_compare)


_nbval_plugin.IPyNbCell.compare_outputs = _compare_glued_numbers_as_numbers


#: Test files that take longest (about 5-70 s each on the 2-core machine, measured with ``--durations=0``
#: summed per file, 2026-12-07), longest first.  Under ``--dist loadfile`` a file runs on one worker;
#: scheduling these first and the many short files after them lets the two workers finish together
#: (longest processing time first) instead of one of them starting a long file when the other is nearly done.
LONGEST_FIRST = (
    "tests/test_browser.py",
    "chapters/hysteresis.ipynb",
    "tests/test_engine_filling.py",
    "tests/test_browser_api.py",
    "chapters/superconductivity.ipynb",
    "tests/test_browser_print.py",
    "chapters/robustness.ipynb",
    "tests/test_superconductor.py",
    "tests/test_engine_rashba.py",
    "chapters/library.ipynb",
    "tests/test_pdf.py",
    "tests/test_library_api.py",
    "tests/test_engine_kernels.py",
    "tests/test_hostile_inputs.py",
    "chapters/model.ipynb",
    "tests/test_dask.py",
    "chapters/intro.ipynb",
    "tests/test_explorers.py",
)


def pytest_collection_modifyitems(session, config, items):
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    root = Path(str(config.rootpath))

    def key(item):
        try:
            rel = Path(str(item.path)).resolve().relative_to(root).as_posix()
        except ValueError:
            rel = str(item.path)
        return rank.get(rel, len(rank))

    items.sort(key=key)  # stable: the cells of a notebook (and the tests of a file) keep their order
