"""Print the built book to PDF, offline: the whole book and one file per chapter.

Run after the HTML build (the README's optional third command)::

    .venv/bin/python _ext/book_pdf.py

It serves ``_build/html`` on a localhost port, opens each page of the table of contents (``_toc.yml``)
in Debian's Chromium (``/usr/bin/chromium``, driven by Playwright's Python client: nothing is
downloaded, no request leaves the machine), waits until MathJax has typeset the page and the interactive
explorers are drawn, and prints it with the book's print style (``_static/book-print.css``: A4, page
numbers, no figure, table or display equation cut by a page break).  Before printing, each page is
prepared as print needs it:

* the chapter gets its number ("Chapter 3"), and a running head with its title;
* each interactive explorer is replaced by a picture of its default setting (plotly's own ``toImage``)
  with a note that the HTML book has the interactive version;
* links within the page and to the outside world are kept; links to other pages of the book become
  internal links of the PDF: printed as links to a placeholder address (``XREF``), they are pointed, once
  the pages are merged, at the page (and height) of their target's named destination, or of the
  nearest section around it (``_link_pages``).  In a chapter's own PDF, links to other chapters, and in
  every PDF links to pages that are not printed (highlighted sources, data files), are plain text.

Chapters are printed one after the other, each numbered on from the last, so that the chapter PDFs
(``_build/html/pdf/NAME.pdf``, the API reference as ``api.pdf``) carry the page numbers of the
book.  The book (``_build/html/pdf/isingsc-book.pdf``) is a title page (with the version, git commit and
date of the HTML build and the NumPy and SciPy that computed it, from ``_static/build-info.json``) and a
table of contents with page numbers (the pages of the headings' named destinations in the chapters'
PDFs), followed by the chapter PDFs, merged with ``pypdf`` with bookmarks and page labels (i, ii for the front matter, then 1, 2,
... as printed).  The theme's ".pdf" download buttons serve these files (``_ext/book_meta.py``).

A LaTeX route would need several hundred MB of TeX Live packages and would typeset the chapters'
HTML outputs (tables, explorers) poorly; the browser is already installed for the browser check and
prints the pages as readers see them, math included, in well under a minute.

``tests/test_pdf.py`` checks the result: page count, every glued number of a chapter in that chapter's
PDF text, no raw TeX, every figure embedded.
"""
from __future__ import annotations

import argparse
import functools
import html
import http.server
import json
import os
import re
import shutil
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from book_meta import BOOK_PDF, BUILD_INFO, pdf_name  # noqa: E402  (the names the download buttons use)

HTML = ROOT / "_build" / "html"
# offline: every request but those to the loopback server (bypassed by default) goes to a proxy on a
# closed local port and fails; unlike request interception this keeps the browser's cache, so the
# theme's files, MathJax and plotly.js are loaded once, not for every page
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic",
                  "--proxy-server=http://127.0.0.1:9"]
#: page set-up of every printed page (the @page rule of _static/book-print.css sets size and margins)
# (no tagged PDF: it doubles the time of printing; the bookmarks are made from the headings' named
# destinations, which Chromium writes for every link target)
PDF_OPTIONS = {"prefer_css_page_size": True, "print_background": True, "outline": False, "tagged": False}
#: placeholder address of a link to another printed page of the book (``XREF`` + docname + ``#id``), turned
#: into an internal link of the PDF when the pages are merged (``_link_pages``); never fetched
XREF = "https://isingsc-xref.invalid/"
#: longest wait for one page to load, typeset and draw (ms)
PAGE_TIMEOUT = 60_000


def _chromium():
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        sys.exit("Chromium not found: install Debian's chromium (apt-get install chromium), see README")
    return path


def book_parts(toc_path: Path = ROOT / "_toc.yml") -> list[dict]:
    """The printed units of the book, in order: one per chapter of ``_toc.yml``.

    Each is ``{"name": PDF file name, "docs": [docnames printed into it], "number": chapter number or None,
    "appendix": letter or None}``.  The chapters of the first part are numbered from 1 (the root page is
    chapter 1), except the bibliography and the "About" page; the chapters of later parts (the API
    reference, whose module pages are printed into one unit) are appendices A, B, ... with their own page
    numbers (A-1, A-2, ...), so that they can be printed alongside the chapters.
    """
    import yaml

    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    entries = [{"file": toc["root"], "part": 0}]
    for k, part in enumerate(toc.get("parts", [])):
        for ch in part.get("chapters", []):
            entries.append(dict(ch, part=k))
    units, number, appendix = [], 0, 0
    for entry in entries:
        doc = entry["file"].removesuffix(".md").removesuffix(".rst")
        docs = [doc] + [s["file"].removesuffix(".md").removesuffix(".rst") for s in entry.get("sections", [])]
        unit = {"name": pdf_name(doc), "docs": docs, "number": None, "appendix": None}
        if entry["part"] > 0:
            unit["appendix"] = "ABCDEFGH"[appendix]
            appendix += 1
        elif not doc.endswith(("bibliography", "about")):
            number += 1
            unit["number"] = number
        units.append(unit)
    return units


# JavaScript run in each page before printing (see the module docstring)
PREPARE_JS = r"""
async ({label, head, origin, docs, xref}) => {
  document.documentElement.classList.add("isingsc-pdf");
  const article = document.querySelector("article.bd-article");
  const h1 = article && article.querySelector("h1");
  if (h1 && label) {
    const p = document.createElement("p");
    p.className = "isingsc-chapter-label";
    p.textContent = label;
    h1.parentNode.insertBefore(p, h1);
  }
  // running head of every page but the first of the chapter
  const style = document.createElement("style");
  style.textContent = `@page { @top-right { content: ${JSON.stringify(head)}; } }
                       @page :first { @top-right { content: none; } }`;
  document.head.appendChild(style);
  // links: keep the ones within this page and to the outside world; those to other printed pages of the
  // book go to a placeholder address that the merge turns into internal links; the rest become plain text
  for (const a of document.querySelectorAll("article a[href]")) {
    const url = new URL(a.getAttribute("href"), location.href);
    const here = url.origin === location.origin && url.pathname === location.pathname;
    if (here && url.hash) { continue; }
    if (url.origin !== origin && /^https?:$/.test(url.protocol)) { continue; }
    const doc = url.origin === origin ? decodeURIComponent(url.pathname).replace(/^\//, "").replace(/\.html$/, "") : "";
    if (docs.includes(doc)) {
      a.setAttribute("href", xref + doc + (url.hash || ""));
      continue;
    }
    a.removeAttribute("href");
    a.classList.add("isingsc-pdf-unlinked");
  }
  // explorers: a picture of the default setting, and a note
  const explorers = Array.from(document.querySelectorAll(".isingsc-explorer"));
  for (const box of explorers) {
    const gd = box.querySelector(".js-plotly-plot");
    if (!gd) { continue; }
    await Plotly.relayout(gd, {updatemenus: []});   // play buttons mean nothing on paper
    const rect = gd.getBoundingClientRect();
    const url = await Plotly.toImage(gd, {format: "png", width: Math.round(rect.width),
                                          height: Math.round(rect.height), scale: 2});
    const img = document.createElement("img");
    img.src = url;
    img.className = "isingsc-explorer-print";
    img.alt = "Interactive explorer, default setting";
    await new Promise((resolve) => { img.onload = resolve; img.onerror = resolve; gd.replaceWith(img); });
    const note = document.createElement("p");
    note.className = "isingsc-print-note";
    note.textContent = "Interactive figure, shown at its default setting: in the HTML version of the " +
      "book its sliders select the other precomputed settings.";
    img.after(note);
    for (const fb of box.querySelectorAll(".isingsc-explorer-fallback")) { fb.remove(); }
  }
  // the headings as printed, with the id that their "#" link targets (a named destination in the PDF)
  const headings = [];
  for (const h of document.querySelectorAll("article.bd-article :is(h1, h2, h3, h4, h5, h6)")) {
    if (!h.getClientRects().length) { continue; }
    const link = h.querySelector("a.headerlink");
    const section = h.closest("section[id]");
    const id = link ? decodeURIComponent(link.getAttribute("href").replace(/^#/, "")) : (section ? section.id : "");
    const c = h.cloneNode(true);
    c.querySelectorAll(".headerlink").forEach((e) => e.remove());
    headings.push([Number(h.tagName[1]), c.textContent.replace(/\s+/g, " ").trim(), id]);
  }
  return headings;
}
"""

# the page is ready when MathJax has typeset it and every explorer is drawn
READY_JS = r"""
() => {
  const plots = document.querySelectorAll(".isingsc-explorer-plot");
  if (window.Plotly && Array.from(plots).some(p => p.getAttribute("data-ready") !== "1")) { return false; }
  if (!document.querySelector('script[src*="mathjax"]')) { return true; }
  return !!window.isingscMathDone;
}
"""
MATH_JS = r"""
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
    window.isingscMathDone = true;
  }
  return true;
}
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(directory):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def _page_title(page):
    return page.evaluate("() => { const h = document.querySelector('article.bd-article h1');"
                         " return h ? h.textContent.replace(/#$/, '').trim() : document.title; }")


def _print_doc(page, base, doc, label, head, offset, prefix, path, docs=()):
    """Load one page, prepare it and print it to ``path``, its pages numbered ``prefix`` + offset + 1, ...

    Returns the page's title.
    """
    page.goto(f"{base}/{doc}.html", wait_until="load", timeout=PAGE_TIMEOUT)
    page.evaluate(MATH_JS)
    page.wait_for_function(READY_JS, timeout=PAGE_TIMEOUT, polling=100)
    title = _page_title(page)
    headings = page.evaluate(PREPARE_JS, {"label": label, "head": head or title, "origin": base,
                                          "docs": list(docs), "xref": XREF})
    number = f"{json.dumps(prefix)} counter(page)" if prefix else "counter(page)"
    page.add_style_tag(content=f"html {{ counter-reset: page {offset}; }} "
                               f"@page {{ @bottom-center {{ content: {number}; }} }}")
    page.emulate_media(media="print")
    page.pdf(path=str(path), **PDF_OPTIONS)
    path.with_suffix(".json").write_text(json.dumps(headings), encoding="utf-8")
    return title


def _print_units(base, units, tmp, verbose, docs=()):
    """Print ``units`` one after the other in one browser (chapters number their pages on from the last).

    ``docs``: every docname printed into the book (links to them become internal links).
    """
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), headless=True, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        offset = 0
        for unit in units:
            t = time.perf_counter()
            if unit["appendix"]:
                offset, prefix = 0, unit["appendix"] + "-"
                label = f"Appendix {unit['appendix']}"
            else:
                prefix = ""
                label = f"Chapter {unit['number']}" if unit["number"] else None
            unit["prefix"], unit["files"], head = prefix, [], None
            for k, doc in enumerate(unit["docs"]):
                path = tmp / f"{doc.replace('/', '-')}.pdf"
                title = _print_doc(page, base, doc, label if k == 0 else None, head, offset, prefix, path, docs)
                if k == 0:
                    unit["title"] = title
                    head = f"{label} · {title}" if label else title
                n = len(PdfReader(path).pages)
                unit["files"].append((path, offset, n))
                offset += n
            unit["seconds"] = time.perf_counter() - t
            if verbose:
                pages = sum(n for _, _, n in unit["files"])
                print(f"  {unit['name']:<26} {pages:4d} pages  {unit['seconds']:5.1f} s", flush=True)
        browser.close()


def _outline(reader, path):
    """[(level, title, page index)] of the headings of a printed page, in order.

    The headings (level, text, id) were collected before printing (``path.json``); their pages are those
    of the named destinations Chromium writes for link targets (every heading has its "#" link).  A
    heading without one is placed on the page of the heading before it.
    """
    headings = json.loads(Path(path).with_suffix(".json").read_text(encoding="utf-8"))
    dests = reader.named_destinations
    out, page = [], 0
    for level, title, ident in headings:
        dest = dests.get("/" + ident) if ident else None
        if dest is not None:
            page = reader.get_destination_page_number(dest)
        out.append((level, title, page))
    return out


# the page's markup, scanned with regular expressions (an HTML parser took seconds over the book's pages):
# comments and the contents of scripts and styles are skipped, elements nest as their tags say
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_RAW_TEXT = re.compile(r"(<(script|style)\b[^>]*>).*?(</\2\s*>)", re.S | re.I)
_MARKUP = re.compile(r"<(/?)([a-zA-Z][\w:-]*)((?:\s[^>]*)?)>")
_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def section_chains(text):
    """``{id: [id, the ids of the elements around it, innermost first]}`` of an HTML page's text.

    The first element with a given id counts (the one a link goes to).  An end tag closes the innermost
    open element of its name and everything opened inside it.
    """
    text = _RAW_TEXT.sub(r"\1\3", _COMMENT.sub("", text))
    stack, chains = [], {}
    for m in _MARKUP.finditer(text):
        closing, tag, attrs = m.group(1), m.group(2).lower(), m.group(3)
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == tag:
                    del stack[i:]
                    break
            continue
        found = _ID.search(attrs)
        ident = html.unescape(next(v for v in found.groups() if v is not None)) if found else None
        if ident is not None and ident not in chains:
            chains[ident] = [ident] + [i for _, i in reversed(stack) if i is not None]
        if tag not in _VOID and not attrs.rstrip().endswith("/"):
            stack.append((tag, ident))
    return chains


def _section_chains(html_dir, doc, cache={}):
    """:func:`section_chains` of the page of ``doc`` (empty if there is none), read once."""
    if doc not in cache:
        path = Path(html_dir) / f"{doc}.html"
        cache[doc] = section_chains(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return cache[doc]


def _section_chain(html_dir, doc, ident):
    """``ident`` and the ids of the elements around it on the page of ``doc``, innermost first."""
    if not ident:
        return []
    return _section_chains(html_dir, doc).get(ident, [ident])


def _link_pages(writer, placed, html_dir):
    """Turn the placeholder links (``XREF``) of ``writer``'s pages into internal links.

    ``placed`` maps each docname merged into ``writer`` to (its first page there, the reader of its printed
    file).  A link goes to the page and height of its target's named destination in that file (Chromium
    writes one for every element that a link of its own page targets: headings, equations, figures), or of
    the nearest element around the target that has one, or else to the first page of the target's page;
    a link to a page that is not in ``writer`` loses its annotation (its text stays).  Returns the counts
    ``{"internal": n, "to_target": n, "to_a_section": n, "to_a_page": n, "dropped": n}`` (internal: the
    sum of the three kinds of internal links).
    """
    from urllib.parse import unquote, urlsplit

    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NullObject

    counts = {"to_target": 0, "to_a_section": 0, "to_a_page": 0, "dropped": 0}
    for page in writer.pages:
        annots = page.get("/Annots")
        if annots is None:
            continue
        keep = ArrayObject()
        for ref in annots.get_object():
            annot = ref.get_object()
            action = annot.get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if uri is None or not str(uri).startswith(XREF):
                keep.append(ref)
                continue
            parts = urlsplit(str(uri)[len(XREF) - 1:])
            doc, ident = unquote(parts.path).lstrip("/"), unquote(parts.fragment)
            if doc not in placed:
                counts["dropped"] += 1
                continue
            first, reader = placed[doc]
            dests = reader.named_destinations
            target, top = first, None
            chain = _section_chain(html_dir, doc, ident)
            hit = next((dests["/" + i] for i in chain if "/" + i in dests), None)
            if hit is not None:
                target += reader.get_destination_page_number(hit)
                top = hit.top if isinstance(hit.top, (int, float)) else None
                counts["to_target" if chain and "/" + chain[0] in dests else "to_a_section"] += 1
            else:
                counts["to_a_page"] += 1
            dest = ArrayObject([writer.pages[target].indirect_reference, NameObject("/XYZ"), NullObject(),
                                FloatObject(top) if top is not None else NullObject(), NullObject()])
            annot[NameObject("/A")] = DictionaryObject({NameObject("/S"): NameObject("/GoTo"), NameObject("/D"): dest})
            keep.append(ref)
        page[NameObject("/Annots")] = keep
    counts["internal"] = counts["to_target"] + counts["to_a_section"] + counts["to_a_page"]
    return counts


FRONT_CSS = """
@page { size: A4; margin: 25mm 22mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; color: #111; }
.title { page-break-after: always; text-align: center; padding-top: 45mm; }
.title h1 { font-size: 24pt; margin: 0 0 8mm; font-weight: 600; }
.title .subtitle { font-size: 13pt; margin: 0 0 20mm; }
.title .authors { font-size: 12pt; margin-bottom: 30mm; }
.title .build { font-size: 9pt; color: #444; line-height: 1.6; }
h2 { font-size: 16pt; font-weight: 600; margin: 0 0 6mm; }
table.toc { width: 100%; border-collapse: collapse; }
table.toc td { padding: 0.6mm 0; vertical-align: bottom; }
table.toc td.page { text-align: right; width: 12mm; }
table.toc tr.chapter td { font-weight: 600; padding-top: 3mm; }
table.toc tr.section td.name { padding-left: 8mm; }
table.toc tr.part td { font-size: 12pt; font-weight: 600; padding-top: 6mm; }
"""


def _front_html(config, info, toc_rows):
    rows = []
    for kind, name, page in toc_rows:
        rows.append(f'<tr class="{kind}"><td class="name">{html.escape(name)}</td>'
                    f'<td class="page">{"" if page is None else page}</td></tr>')
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>{FRONT_CSS}</style></head><body>
<section class="title">
<h1>{html.escape(config["title"])}</h1>
<p class="subtitle">A computational reproduction of F. Aikebaier, T. T. Heikkilä and J. L. Lado,<br>
<i>Controlling magnetism through Ising superconductivity in magnetic van der Waals heterostructures</i>,
arXiv:2109.04788</p>
<p class="authors">{html.escape(config["author"])}</p>
<p class="build">isingsc {info["version"]} · git commit {info["commit_short"]} · built {info["datetime"]}<br>
computed with NumPy {info["numpy"]} and SciPy {info["scipy"]}<br>
Code: {info["code_license"]} License · Text and figures: {info["text_license"]}<br>
The HTML version of the book has the interactive figures and the data and code of every figure.</p>
</section>
<section class="contents"><h2>Contents</h2><table class="toc">{"".join(rows)}</table></section>
</body></html>"""


def _contents(units):
    """Rows (kind, title, printed page number) of the table of contents, from the units' headings."""
    from pypdf import PdfReader

    rows = []
    for unit in units:
        label = (f"{unit['number']}  " if unit["number"] else
                 f"Appendix {unit['appendix']}  " if unit["appendix"] else "")
        first = unit["files"][0][1] + 1
        rows.append(("chapter", label + unit["title"], f"{unit['prefix']}{first}"))
        several = len(unit["files"]) > 1
        for k, (path, start, n) in enumerate(unit["files"]):
            for level, title, index in _outline(PdfReader(path), path):
                # one page per chapter: its h2 sections; a chapter of several pages: their titles
                if (level == 2 and not several) or (level == 1 and several and k > 0):
                    rows.append(("section", title, f"{unit['prefix']}{start + index + 1}"))
    return rows


def make_pdfs(html_dir: Path = HTML, out_dir: Path | None = None, verbose: bool = True) -> dict:
    """Print the book in ``html_dir`` to ``out_dir`` (default ``html_dir/pdf``); return a summary."""
    import yaml
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    t0 = time.perf_counter()
    html_dir = Path(html_dir)
    if not (html_dir / "index.html").exists():
        sys.exit(f"no built book at {html_dir}: run the README's book command first")
    out_dir = Path(out_dir) if out_dir else html_dir / "pdf"
    out_dir.mkdir(parents=True, exist_ok=True)
    info = json.loads((html_dir / "_static" / BUILD_INFO).read_text(encoding="utf-8"))
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    units = book_parts()
    tmp = out_dir / ".pages"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()

    httpd, base = _serve(html_dir)
    try:
        # the appendices (own page numbers) in a second browser while the chapters print: two cores
        appendices = [u for u in units if u["appendix"]]
        errors = []

        docs = [d for u in units for d in u["docs"]]

        def side():
            try:
                _print_units(base, appendices, tmp, verbose, docs)
            except BaseException as exc:  # re-raised in the main thread
                errors.append(exc)

        worker = threading.Thread(target=side)
        worker.start()
        try:
            _print_units(base, [u for u in units if not u["appendix"]], tmp, verbose, docs)
        finally:
            worker.join()
        if errors:
            raise errors[0]
        t_print = time.perf_counter() - t0

        # front matter: title page and contents
        front = tmp / "front.pdf"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=_chromium(), headless=True, args=CHROMIUM_FLAGS)
            page = browser.new_page()
            page.set_content(_front_html(config, info, _contents(units)), wait_until="load")
            page.pdf(path=str(front), prefer_css_page_size=True, print_background=True)
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()

    # one PDF per chapter, and the book: front matter, chapters, appendices, with bookmarks and page labels
    book = PdfWriter()
    book.append(str(front), import_outline=False)
    placed = {}   # docname -> (first page in the book, reader of its printed file)
    n_front = len(book.pages)
    book.set_page_label(0, n_front - 1, style="/r")
    links = {"chapters": 0}
    for unit in units:
        part = PdfWriter()
        name = next(r[1] for r in _contents([unit]) if r[0] == "chapter")
        first = len(book.pages)
        parents = None
        several = len(unit["files"]) > 1
        in_part = {}
        for k, (path, start, n) in enumerate(unit["files"]):
            here_part, here = len(part.pages), len(book.pages)
            reader = PdfReader(path)
            placed[unit["docs"][k]] = (here, reader)
            in_part[unit["docs"][k]] = (here_part, reader)
            part.append(reader, import_outline=False)
            book.append(reader, import_outline=False)
            if parents is None:
                parents = (part.add_outline_item(title=name, page_number=0),
                           book.add_outline_item(title=name, page_number=first))
            for level, title, index in _outline(reader, path):
                # bookmarks: the chapter, and its sections (or, for a chapter of several pages, their titles)
                if (level == 2 and not several) or (level == 1 and several and k > 0):
                    part.add_outline_item(title=title, page_number=here_part + index, parent=parents[0])
                    book.add_outline_item(title=title, page_number=here + index, parent=parents[1])
        for writer, at in ((part, 0), (book, first)):
            writer.set_page_label(at, len(writer.pages) - 1, style="/D", prefix=unit["prefix"] or None,
                                  start=unit["files"][0][1] + 1)
        links["chapters"] += _link_pages(part, in_part, html_dir)["internal"]
        with open(out_dir / unit["name"], "wb") as fh:
            part.write(fh)
    book.add_metadata({"/Title": config["title"], "/Author": config["author"],
                       "/Subject": "A computational reproduction of arXiv:2109.04788",
                       "/Keywords": f"isingsc {info['version']}, commit {info['commit']}, built {info['datetime']}"})
    links.update(_link_pages(book, placed, html_dir))
    book_path = out_dir / BOOK_PDF
    with open(book_path, "wb") as fh:
        book.write(fh)
    shutil.rmtree(tmp)
    summary = {"pages": len(book.pages), "bytes": book_path.stat().st_size,
               "seconds": round(time.perf_counter() - t0, 1), "printing_seconds": round(t_print, 1),
               "front_pages": n_front,
               "cross_page_links": links,
               "units": {u["name"]: {"docs": u["docs"], "title": u["title"], "number": u["number"],
                                     "appendix": u["appendix"],
                                     "pages": sum(n for _, _, n in u["files"]),
                                     "first_page": f"{u['prefix']}{u['files'][0][1] + 1}"} for u in units}}
    (out_dir / "pdf-summary.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    if verbose:
        print(f"book: {book_path} ({summary['pages']} pages, {summary['bytes'] / 1e6:.1f} MB) "
              f"in {summary['seconds']:.1f} s (printing {t_print:.1f} s)")
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=HTML, help="the built HTML book (default _build/html)")
    parser.add_argument("--out", type=Path, default=None, help="where the PDFs go (default HTML/pdf)")
    args = parser.parse_args(argv)
    make_pdfs(args.html, args.out)


if __name__ == "__main__":
    main()
