"""Small fixes to the HTML pages as readers see them (checked by tests/test_browser.py).

* Each page gets a colour mode from the start (``html_context["default_mode"] = "light"``): with none, the
  pydata-sphinx-theme logs "Got invalid theme mode" as a console error on a first visit.
* Inline scripts registered twice are emitted once.  sphinx-thebe (loaded by Jupyter Book)
  adds its ``const THEBE_JS_URL = ...`` snippet twice under Sphinx 7, and the second copy
  throws "Identifier 'THEBE_JS_URL' has already been declared" on every page.
"""


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


def setup(app):
    app.connect("config-inited", _default_mode)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

