"""plotly.js for the book's interactive explorers, served from ``_static``: no CDN, no require.js.

The explorers (:mod:`isingsc.book.interactive`) are emitted as plain HTML whose figures are drawn by
``Plotly`` and by the book's ``_static/isingsc-explorers.js``.  This extension

* copies the ``plotly.min.js`` that the ``plotly`` wheel ships (``plotly/package_data``) into the
  build's ``_static`` once per build (skipped when the copy is already identical), and
* adds ``plotly.min.js`` and ``isingsc-explorers.js`` as ordinary ``<script>`` tags in the head of
  the pages that hold an explorer, and only those (Sphinx's per-page ``add_js_file`` from the
  ``html-page-context`` event), so that the other pages do not load 4.8 MB of JavaScript.

It also sets ``ISINGSC_HTML_BUILD=1`` in the environment, which the kernels that execute the chapters
inherit: :func:`isingsc.book.interactive.book_view` precomputes the frames only there (a live notebook or
the regression run gets a one-line stand-in and the live widget).

``tests/test_browser.py`` checks the result: ``window.Plotly`` defined, every explorer drawn, its
sliders working, and zero requests leaving localhost.
"""
import filecmp
import os
import shutil
from pathlib import Path

MARKER = 'class="isingsc-explorer"'
PLOTLY_JS = "plotly.min.js"
EXPLORERS_JS = "isingsc-explorers.js"


def plotly_js_source():
    """Path of the plotly.min.js bundled with the installed ``plotly`` package."""
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / PLOTLY_JS
    if not path.is_file():
        raise FileNotFoundError(f"plotly.min.js not found at {path}: is the plotly wheel installed?")
    return path


def _copy_plotly(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    src = plotly_js_source()
    dst = Path(app.outdir) / "_static" / PLOTLY_JS
    dst.parent.mkdir(parents=True, exist_ok=True)
    if not (dst.is_file() and filecmp.cmp(src, dst, shallow=False)):
        shutil.copyfile(src, dst)


def _add_scripts(app, pagename, templatename, context, doctree):
    if MARKER in (context.get("body") or ""):
        # plain synchronous scripts in <head>: defined before the explorers' inline calls run
        app.add_js_file(PLOTLY_JS, priority=450)
        app.add_js_file(EXPLORERS_JS, priority=451)


def setup(app):
    plotly_js_source()  # fail early, with a clear message, if plotly is missing
    os.environ["ISINGSC_HTML_BUILD"] = "1"  # = isingsc.book.interactive.BUILD_ENV (not imported: keep Sphinx light)
    app.connect("html-page-context", _add_scripts)
    app.connect("build-finished", _copy_plotly)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
