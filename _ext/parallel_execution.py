"""Execute the book's notebooks two at a time before Sphinx reads them.

MyST-NB (``execute_notebooks: cache``) executes each notebook when Sphinx reads it, one after the other:
on a 2-core machine one core idles while a chapter runs.  This extension runs first
(``env-before-read-docs``): it reads every notebook that is about to be read, exactly as MyST-NB does
(its own reader), asks the jupyter-cache whether an executed copy with the same code is there, and
executes the missing ones in a pool of worker processes (one per core, at most ``MAX_WORKERS``), without
waiting for them: Sphinx meanwhile reads the other pages (the API reference: autodoc, a third of Sphinx's
reading), and waits for a chapter only when it is about to read it (``source-read``).  Each executed
notebook then goes into the same cache with the same call MyST-NB makes, so that MyST-NB finds it there
("Using cached notebook") and renders it unchanged.

The jupyter-cache knows a notebook only by its code: an edit to the library would leave the old outputs
in place.  So the build also keeps the digest of the library's sources
(``isingsc._results_cache.library_digest``) in ``_build/.isingsc-library.sha256``; when it differs, the
executed notebooks are dropped from the jupyter-cache and every chapter is read (and executed) again
(``env-get-outdated``).  The stamp is written once the build has finished.

Nothing is decided here that MyST-NB would decide differently: a notebook that fails in a worker is
simply not cached, and MyST-NB then executes it itself and reports the error as usual
(``raise_on_error``).  Kernel start-ups are serialised by a lock (concurrent start-ups have been seen to
stall); the cells of different chapters then run side by side.  The kernels inherit the environment,
including ``ISINGSC_HTML_BUILD=1`` set by ``explorers_html``, and ``ISINGSC_BUILD_WORKERS=1`` set here
(the chapters' explorer frames are computed in their own kernels: the cores are already busy), and
``ISINGSC_SHARED_CACHE=_build/.isingsc-shared-cache`` (results that the report chapter gathers from the
other chapters are computed once, by whichever kernel needs them first; see ``isingsc.book.build_cache``).
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
#: Most notebooks executed at once.
MAX_WORKERS = 2

_START_LOCK = None


def _init_worker(lock):
    """Worker start-up: kernel start-ups (start + wait until ready) hold ``lock``."""
    global _START_LOCK
    _START_LOCK = lock
    # both cores run chapters: each chapter precomputes its explorers' frames in its own kernel
    # (isingsc.book.interactive.BUILD_WORKERS_ENV), not in a process pool of its own
    os.environ["ISINGSC_BUILD_WORKERS"] = "1"
    from nbclient import NotebookClient

    start, start_client = NotebookClient.async_start_new_kernel, NotebookClient.async_start_new_kernel_client

    async def locked_start(self, **kwargs):
        _START_LOCK.acquire()
        try:
            return await start(self, **kwargs)
        except BaseException:
            _START_LOCK.release()
            raise

    async def unlocking_start_client(self):
        try:
            return await start_client(self)
        finally:
            _START_LOCK.release()

    NotebookClient.async_start_new_kernel = locked_start
    NotebookClient.async_start_new_kernel_client = unlocking_start_client


def _execute(nb, cwd, timeout, allow_errors):
    """Execute ``nb`` in a worker as MyST-NB's cache mode does; ``(nb, seconds, error or None)``."""
    from jupyter_cache.executors.utils import single_nb_execution

    result = single_nb_execution(nb, cwd=cwd, allow_errors=allow_errors, timeout=timeout, meta_override=True)
    err = None if result.err is None else f"{type(result.err).__name__}: {result.exc_string}"
    return nb, result.time, err


def _notebooks_to_execute(app, env, docnames, cache):
    from myst_nb.core.read import create_nb_reader

    todo = []
    for docname in sorted(docnames):
        path = Path(env.doc2path(docname))
        if path.suffix not in (".md", ".ipynb") or not path.is_file():
            continue
        content = path.read_text(encoding="utf-8")
        reader = create_nb_reader(str(path), env.myst_config, env.mystnb_config, content)
        if reader is None:
            continue
        nb = reader.read(content)
        try:
            cache.match_cache_notebook(nb)
            continue  # already executed with this code
        except KeyError:
            pass
        todo.append((docname, path, nb, reader.read_fmt))
    return todo


#: {docname: (path, read format, future)} of the notebooks executing in the pool, and the pool
_PENDING: dict = {}
_POOL = {}


def _execute_in_parallel(app, env, docnames):
    # the chapters' kernels (ours and any MyST-NB runs itself) share the results the report chapter
    # gathers from the others (isingsc.book.build_cache: keyed by a digest of the library's sources)
    os.environ.setdefault("ISINGSC_SHARED_CACHE", str(Path(app.outdir).parent / ".isingsc-shared-cache"))
    config = env.mystnb_config
    if config.execution_mode != "cache" or len(docnames) < 2:
        return
    from jupyter_cache import get_cache

    cache = get_cache(config.execution_cache_path or ".jupyter_cache")
    todo = _notebooks_to_execute(app, env, docnames, cache)
    workers = min(MAX_WORKERS, os.cpu_count() or 1, len(todo))
    if workers < 2:
        return  # nothing to gain: MyST-NB executes it while reading
    # the longest chapters first (by source size), so that the two workers finish together
    todo.sort(key=lambda item: -item[1].stat().st_size)
    LOGGER.info(f"[parallel_execution] executing {len(todo)} notebooks on {workers} workers")
    ctx = multiprocessing.get_context("spawn")  # a clean interpreter: Sphinx's state is not forked
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(ctx.Lock(),))
    _POOL.update(pool=pool, cache=cache, t0=time.perf_counter())
    for docname, path, nb, read_fmt in todo:
        _PENDING[docname] = (path, read_fmt, pool.submit(_execute, nb, str(path.parent), config.execution_timeout,
                                                         config.execution_allow_errors))
    # no waiting here: Sphinx reads the other pages (the API reference, ...) while the chapters execute,
    # and waits for a chapter only when it is about to read it (_wait_for_notebook)


def _wait_for_notebook(app, docname, source):
    """Before Sphinx reads a chapter that is executing in the pool: wait for it and put it in the cache."""
    if docname not in _PENDING:
        return
    path, read_fmt, fut = _PENDING.pop(docname)
    cache = _POOL["cache"]
    try:
        nb, seconds, err = fut.result()
    except Exception as exc:  # a broken worker: leave it to MyST-NB
        LOGGER.info(f"[parallel_execution] {docname}: not executed here ({type(exc).__name__}: {exc})")
    else:
        if err is not None:
            LOGGER.info(f"[parallel_execution] {docname}: failed, MyST-NB will execute it and report")
        else:
            from jupyter_cache.base import CacheBundleIn

            stage = (cache.add_nb_to_project(str(path), read_data=read_fmt) if read_fmt is not None
                     else cache.add_nb_to_project(str(path)))
            cache.cache_notebook_bundle(CacheBundleIn(nb, stage.uri, data={"execution_seconds": seconds}),
                                        check_validity=False, overwrite=True)
            LOGGER.info(f"[parallel_execution] {docname}: executed in {seconds:.1f} s")
    if not _PENDING:
        _shutdown()


def _shutdown(*args):
    pool = _POOL.pop("pool", None)
    if pool is not None:
        for _, _, fut in _PENDING.values():
            fut.cancel()
        _PENDING.clear()
        pool.shutdown(wait=True, cancel_futures=True)
        LOGGER.info(f"[parallel_execution] all done in {time.perf_counter() - _POOL['t0']:.1f} s")


def _stamp(app):
    return Path(app.outdir).parent / ".isingsc-library.sha256"


def _library_digest():
    from isingsc._results_cache import library_digest

    return library_digest()


def _outdated_by_the_library(app, env, added, changed, removed):
    """Every chapter, when the library's sources changed since the last build (and no executed copy kept)."""
    stamp = _stamp(app)
    if stamp.is_file() and stamp.read_text().strip() == _library_digest():
        return []
    cache_path = Path(env.mystnb_config.execution_cache_path or ".jupyter_cache")
    if cache_path.is_dir():
        LOGGER.info("[parallel_execution] the library changed since the last build: every chapter is executed again")
        shutil.rmtree(cache_path)
    return [d for d in env.found_docs if d.startswith("chapters/") and d not in added and d not in changed]


def _write_stamp(app, exception):
    if exception is None:
        _stamp(app).write_text(_library_digest() + "\n")


def setup(app):
    app.connect("env-get-outdated", _outdated_by_the_library)
    app.connect("build-finished", _write_stamp)
    app.connect("env-before-read-docs", _execute_in_parallel, priority=900)
    app.connect("source-read", _wait_for_notebook, priority=100)
    app.connect("env-updated", _shutdown)
    app.connect("build-finished", _shutdown)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
