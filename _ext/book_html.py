"""Small fixes to the HTML pages as readers see them (checked by tests/test_browser.py).

* Each page gets a colour mode from the start (``html_context["default_mode"] = "light"``): with none, the
  pydata-sphinx-theme logs "Got invalid theme mode" as a console error on a first visit.
* Inline scripts registered twice are emitted once.  sphinx-thebe (loaded by Jupyter Book)
  adds its ``const THEBE_JS_URL = ...`` snippet twice under Sphinx 7, and the second copy
  throws "Identifier 'THEBE_JS_URL' has already been declared" on every page.

It also makes the kernels that execute the chapters during the build quiet: ``_ext/jupyter`` is put
first on ``JUPYTER_PATH``, so its ``python3`` kernelspec (the standard one plus
``--IPKernelApp.log_level=ERROR``) is used.  Otherwise every kernel prints ipykernel's "WARNING |
Kernel is running over TCP without encryption" (a local kernel on loopback) into the build log.
"""
import os
from pathlib import Path


def _default_mode(app, config):
    config.html_context.setdefault("default_mode", "light")


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        # the copies differ only in filename None versus "" (inline scripts have no file)
        key = (str(getattr(js, "filename", js) or ""), repr(sorted(getattr(js, "attributes", {}).items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(js)
    if len(unique) != len(scripts):
        scripts[:] = unique


def _quiet_build_kernels():
    data_dir = str(Path(__file__).resolve().parent / "jupyter")
    paths = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != data_dir]
    os.environ["JUPYTER_PATH"] = os.pathsep.join([data_dir] + paths)


def setup(app):
    _quiet_build_kernels()
    app.connect("config-inited", _default_mode)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

