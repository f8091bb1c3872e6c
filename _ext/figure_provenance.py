"""Every figure of the book numbered, with a link to its data and to the code that drew it.

A chapter's figure cell ends with :func:`isingsc.book.provenance.show`, which displays the figure and a
provenance line with placeholders.  This extension

* sets ``ISINGSC_FIGURE_STORE`` (= ``isingsc.book.provenance.STORE_ENV``) for the kernels that execute the
  chapters during the build (``_build/.isingsc-figures``): there :func:`show` writes each figure's data file,
  ``NAME.json``, the arrays drawn, read back from the figure's artists, with the axis labels (units) in its
  header;
* numbers the figures of each chapter in order ("Figure 3.2": chapter 3, its second figure; chapters
  numbered as in the PDF, ``_ext/book_pdf.py``);
* fills in the links: **data** to ``figures/NAME.json`` (copied into the HTML output, after checking that
  its SHA-256 digest is the one the page's figure was drawn with: a stale file is an error), **code** to
  the cell that drew the figure (an anchor on the cell; ``_static/isingsc-figure-links.js`` opens a folded
  cell) and, for each library function named in ``computed_by``, to its API entry and to its highlighted
  source (``sphinx.ext.viewcode``); a name that the API reference does not document is an error.

The interactive explorers carry the same line (made by :func:`isingsc.book.provenance.explorer_links` in
:func:`isingsc.book.interactive.book_view`): they are numbered with the figures, their data file
``figures/explorer-NAME.json`` holds the arrays of every precomputed frame, and their code link names the
explorer's compute function.

``tests/test_figures.py`` checks the result: every figure of every chapter has both links, each data file
loads, has its units and matches the digest of the figure it belongs to.
"""
from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import shutil
import sys
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
STORE_ENV = "ISINGSC_FIGURE_STORE"   # = isingsc.book.provenance.STORE_ENV (not imported: keep Sphinx light)
FIGURES = "figures"
MARKER = 'class="isingsc-figure-links"'


def _store(app):
    return Path(app.outdir).parent / ".isingsc-figures"


def _digest(record):
    # = isingsc.book.provenance.data_digest: a figure's drawn arrays ("axes"), an explorer's frames ("arrays")
    arrays = record["axes"] if "axes" in record or "arrays" not in record else record["arrays"]
    canonical = json.dumps(arrays, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _chapter_numbers():
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from book_pdf import book_parts

    numbers = {}
    for unit in book_parts():
        label = unit["number"] or unit["appendix"]
        for doc in unit["docs"]:
            numbers[doc] = label
    return numbers


def _rel(docname, target):
    """Relative URL from the page of ``docname`` to the output file ``target``."""
    return posixpath.relpath(target, posixpath.dirname(docname) or ".")


def _resolve_function(app, docname, qualified):
    """(API href, source href) of a documented object, or None."""
    domain = app.env.get_domain("py")
    entry = domain.objects.get(qualified)
    if entry is None:
        return None
    modules = [m for m in domain.modules if qualified.startswith(m + ".")]
    if not modules:
        return None
    module = max(modules, key=len)
    api = app.builder.get_relative_uri(docname, entry.docname) + "#" + entry.node_id
    source = _rel(docname, f"_modules/{module.replace('.', '/')}.html") + "#" + qualified[len(module) + 1:]
    return api, source


def _cell_of(node):
    parent = node.parent
    while parent is not None and not (isinstance(parent, nodes.container) and "cell" in parent.get("classes", [])):
        parent = parent.parent
    return parent


def _process(app, doctree, docname):
    raws = [n for n in doctree.findall(nodes.raw) if MARKER in n.astext()]
    if not raws:
        return
    label = app.isingsc_chapter_numbers.get(docname)
    store, out = _store(app), Path(app.outdir) / FIGURES
    for k, raw in enumerate(raws, start=1):
        text = raw.astext()
        name = re.search(r'data-figure="([a-z0-9-]+)"', text).group(1)
        location = f"{docname}: figure {name!r}"
        seen = app.isingsc_figures.setdefault(name, docname)
        if seen != docname:
            LOGGER.warning(f"{location}: the name is used by {seen} too", location=docname)
        number = f"{label}.{k}" if label else str(k)
        digest = re.search(r'data-sha256="([0-9a-f]{64})"', text)
        source = store / f"{name}.json"
        if digest is None:
            LOGGER.warning(f"{location}: no data digest (executed outside the book build?)", location=docname)
        elif not source.is_file():
            LOGGER.warning(f"{location}: no data file {source} (delete _build/.jupyter_cache to re-execute)",
                           location=docname)
        else:
            record = json.loads(source.read_text(encoding="utf-8"))
            if not (record.get("sha256") == _digest(record) == digest.group(1)):
                LOGGER.warning(f"{location}: {source} is not the data of the figure on the page (stale; "
                               "delete _build/.jupyter_cache to re-execute)", location=docname)
            out.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, out / f"{name}.json")
        cell = _cell_of(raw)
        anchor = f"figure-{name}"
        if cell is not None:
            cell["ids"].append(anchor)
        else:
            LOGGER.warning(f"{location}: provenance line outside a code cell", location=docname)
        text = text.replace('<span class="isingsc-figure-number"></span>',
                            f'<span class="isingsc-figure-number">Figure {number}</span>')
        text = text.replace(f'<a data-figure="{name}">',
                            f'<a class="reference download" href="{_rel(docname, f"{FIGURES}/{name}.json")}" '
                            f'download="{name}.json" title="the arrays drawn in Figure {number}, with units">')
        text = text.replace("code: <a>the cell</a>", f'code: <a class="reference internal isingsc-cell-link" '
                                                      f'href="#{anchor}">the cell</a>')
        for qualified in sorted(set(re.findall(r'data-py="([^"]+)"', text))):
            hrefs = _resolve_function(app, docname, qualified)
            if hrefs is None:
                LOGGER.warning(f"{location}: {qualified} is not in the API reference", location=docname)
                continue
            api, src = hrefs
            text = text.replace(f'<a class="isingsc-api-ref" data-py="{qualified}">',
                                f'<a class="reference internal isingsc-api-ref" href="{api}">')
            text = text.replace(f'<a class="isingsc-source-ref" data-py="{qualified}">',
                                f'<a class="reference internal isingsc-source-ref" href="{src}">')
        raw.replace_self(nodes.raw("", text, format="html"))


def _init(app):
    app.isingsc_chapter_numbers = _chapter_numbers()
    app.isingsc_figures = {}


def setup(app):
    os.environ[STORE_ENV] = str(_store(app))
    app.connect("builder-inited", _init)
    app.connect("doctree-resolved", _process)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
