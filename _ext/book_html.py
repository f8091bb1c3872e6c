"""Small fixes to the HTML pages as readers see them (checked by tests/test_browser.py).

* Each page gets a colour mode from the start (``html_context["default_mode"] = "light"``): with none, the
  pydata-sphinx-theme logs "Got invalid theme mode" as a console error on a first visit.
* Inline scripts registered twice are emitted once.  sphinx-thebe (loaded by Jupyter Book)
  adds its ``const THEBE_JS_URL = ...`` snippet twice under Sphinx 7, and the second copy
  throws "Identifier 'THEBE_JS_URL' has already been declared" on every page.

* API signatures show defaults a reader can read: ``autodoc_preserve_defaults`` (in ``_config.yml``) keeps
  them as written in the source (``theta=np.pi / 2``); where the signature is built from values (dataclass
  ``__init__``), a float printed with more than ten significant digits is rounded to six
  (``delta0=0.46533599614800003`` -> ``delta0=0.465336``), and pi/2 and pi are named.

It also makes the kernels that execute the chapters during the build quiet: ``_ext/jupyter`` is put
first on ``JUPYTER_PATH``, so its ``python3`` kernelspec (the standard one plus
``--IPKernelApp.log_level=ERROR``) is used.  Otherwise every kernel prints ipykernel's "WARNING |
Kernel is running over TCP without encryption" (a local kernel on loopback) into the build log.
"""
import math
import os
import re
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


_LONG_FLOAT = re.compile(r"(?<![\w.])-?\d+\.\d{10,}(?:e[+-]?\d+)?")


def _readable_float(match):
    x = float(match.group(0))
    for value, name in ((math.pi / 2, "pi/2"), (math.pi, "pi"), (-math.pi / 2, "-pi/2")):
        if abs(x - value) < 1e-12:
            return name
    return format(x, ".6g")


def readable_signature(signature):
    """A signature with long floats rounded to six significant digits and pi/2, pi named.

    >>> readable_signature("(model, delta0=0.46533599614800003, theta=1.5707963267948966)")
    '(model, delta0=0.465336, theta=pi/2)'
    """
    return _LONG_FLOAT.sub(_readable_float, signature) if signature else signature


def _round_signature(app, what, name, obj, options, signature, return_annotation):
    if signature is None:
        return None
    return readable_signature(signature), return_annotation


def _quiet_build_kernels():
    data_dir = str(Path(__file__).resolve().parent / "jupyter")
    paths = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != data_dir]
    os.environ["JUPYTER_PATH"] = os.pathsep.join([data_dir] + paths)


def setup(app):
    _quiet_build_kernels()
    app.connect("config-inited", _default_mode)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("autodoc-process-signature", _round_signature)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

