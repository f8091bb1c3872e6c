"""The printed book: the PDFs that ``_ext/book_pdf.py`` makes from the built HTML (the README's third command).

Checks, with Debian's poppler-utils (``pdfinfo``, ``pdftotext``, ``pdfimages``):

* the book and one PDF per chapter exist, with the page counts the maker reported, a title page and a
  contents page, and chapters whose printed page numbers run on from one chapter to the next;
* every number that a chapter glues into its prose (MyST-NB ``{glue:text}``) is in that chapter's PDF text,
  as the HTML page shows it: the maths and the glued values made it to paper;
* no raw TeX (``$$``, ``\\begin``, ``\\end{``) and no MathJax error text in any PDF: MathJax had typeset
  the pages before they were printed;
* every figure of a chapter is embedded in its PDF: each image of the HTML page at its own pixel size,
  each interactive explorer as a picture with its note, and no image split over two pages;
* links between chapters are internal links of the book PDF (pypdf): none is left pointing at the
  placeholder address or at the local server that printed the pages, every internal link lands on a page
  of the book, each reproduction-report row's evidence link lands in the chapter its HTML link names, and
  a link to an equation lands on the page that shows the equation's number.

Without a PDF (``_build/html/pdf``) or without poppler-utils the tests skip, unless ``CI`` is set, where
they fail: ``.ci/run`` makes the PDF after the book.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
PDF = HTML / "pdf"
SUMMARY = PDF / "pdf-summary.json"
BOOK = "isingsc-book.pdf"
IN_CI = bool(os.environ.get("CI"))
GLUE_ROLE = re.compile(r"\{glue:text\}`[^`]+`")
RAW_TEX = ("$$", "\\begin", "\\end{", "Math input error", "Undefined control sequence")


def _unavailable(reason):
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)", pytrace=False)
    pytest.skip(reason)


def _summary():
    if not SUMMARY.is_file():
        return None
    return json.loads(SUMMARY.read_text(encoding="utf-8"))


UNITS = sorted((_summary() or {}).get("units", {}))


@pytest.fixture(scope="module")
def summary():
    for tool in ("pdfinfo", "pdftotext", "pdfimages"):
        if shutil.which(tool) is None:
            _unavailable(f"{tool} not found: apt-get install poppler-utils")
    data = _summary()
    if data is None:
        _unavailable(f"no PDF at {PDF}: run `.venv/bin/python _ext/book_pdf.py` after the book build")
    return data


def _run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _pages(path):
    return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(path)), re.M).group(1))


def _text(path, first=None, last=None):
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return _run(*args, str(path), "-")


def _images(path):
    """[(page, width, height, color, object id)] of the images drawn in a PDF (pdfimages -list)."""
    out = []
    for line in _run("pdfimages", "-list", str(path)).splitlines()[2:]:
        f = line.split()
        out.append((int(f[0]), int(f[3]), int(f[4]), f[5], f[10]))
    return out


class _Article(HTMLParser):
    """The images, glued values and explorers in a page's article."""

    def __init__(self):
        super().__init__()
        self.depth, self.images, self.glued, self.explorers = 0, [], [], 0
        self._in_glue = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article" and "bd-article" in (a.get("class") or ""):
            self.depth = 1
        elif self.depth and tag == "article":
            self.depth += 1
        if not self.depth:
            return
        classes = (a.get("class") or "").split()
        if tag == "img" and a.get("src"):
            self.images.append(a["src"])
        if tag == "span" and "pasted-text" in classes:
            self._in_glue = True
            self.glued.append("")
        if tag == "div" and "isingsc-explorer" in classes:
            self.explorers += 1

    def handle_endtag(self, tag):
        if tag == "article" and self.depth:
            self.depth -= 1
        if tag == "span":
            self._in_glue = False

    def handle_data(self, data):
        if self._in_glue:
            self.glued[-1] += data


def _article(doc):
    parser = _Article()
    parser.feed((HTML / f"{doc}.html").read_text(encoding="utf-8"))
    return parser


def _png_size(path):
    with open(path, "rb") as fh:
        head = fh.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def _squash(text):
    return " ".join(text.split())


def test_book_and_chapter_pdfs(summary):
    book = PDF / BOOK
    assert book.is_file()
    assert _pages(book) == summary["pages"]
    chapters = summary["units"]
    assert {"intro.pdf", "model.pdf", "report.pdf", "bibliography.pdf", "api.pdf"} <= set(chapters)
    total = summary["front_pages"]
    for name, unit in chapters.items():
        assert _pages(PDF / name) == unit["pages"], name
        total += unit["pages"]
    assert summary["pages"] == total, "the book is its front matter and its chapters, nothing lost"
    assert summary["front_pages"] >= 2
    title = _squash(_text(book, 1))
    assert "Ising superconductivity controls magnetism" in title and "arXiv:2109.04788" in title
    info = json.loads((HTML / "_static" / "build-info.json").read_text(encoding="utf-8"))
    assert info["commit_short"] in title and f"NumPy {info['numpy']}" in title
    contents = _squash(_text(book, 2, summary["front_pages"]))
    assert "Contents" in contents
    for unit in chapters.values():
        assert unit["title"] in contents, unit["title"]


def test_page_numbers_run_through_the_book(summary):
    """The first page of each chapter PDF carries the printed page number the contents give for it."""
    numbered = [u for u in summary["units"].values() if not u["appendix"]]
    expected = 1
    for unit in numbered:
        assert unit["first_page"] == str(expected), unit["title"]
        expected += unit["pages"]
    for name, unit in summary["units"].items():
        # the bottom margin of an A4 page (842 pt high; the number sits in its 18 mm margin)
        footer = _run("pdftotext", "-f", "1", "-l", "1", "-x", "0", "-y", "795", "-W", "595", "-H", "47",
                      str(PDF / name), "-").split()
        assert footer == [unit["first_page"]], f"{name}: first page numbered {footer}"


@pytest.mark.parametrize("name", UNITS)
def test_no_raw_tex(summary, name):
    text = _text(PDF / name)
    for raw in RAW_TEX:
        assert raw not in text, f"{name}: {raw!r} in the PDF text (math not typeset before printing?)"


@pytest.mark.parametrize("name", UNITS)
def test_glued_numbers_are_in_the_chapter_pdf(summary, name):
    unit = summary["units"][name]
    text = _squash(_text(PDF / name))
    for doc in unit["docs"]:
        source = ROOT / f"{doc}.md"
        roles = GLUE_ROLE.findall(source.read_text(encoding="utf-8")) if source.is_file() else []
        glued = _article(doc).glued
        assert len(glued) == len(roles), f"{doc}: {len(roles)} glue roles, {len(glued)} values on the page"
        # pdftotext joins a word broken at a hyphen at the end of a line ("0.515-" / "0.526")
        missing = [v for v in glued if _squash(v) not in text and _squash(v).replace("-", "") not in text]
        assert not missing, f"{doc}: glued values not in {name}: {missing}"


@pytest.mark.parametrize("name", UNITS)
def test_every_figure_is_embedded(summary, name):
    unit = summary["units"][name]
    images = _images(PDF / name)
    sizes = {(w, h) for _, w, h, _, _ in images}
    figures, explorers = [], 0
    for doc in unit["docs"]:
        article = _article(doc)
        explorers += article.explorers
        for src in article.images:
            path = (HTML / doc).parent / src
            if path.suffix.lower() == ".png":
                figures.append((src, _png_size(path)))
    missing = [src for src, size in figures if size not in sizes]
    assert not missing, f"{name}: figures not embedded at their own size: {missing}"
    assert len(images) >= len(figures) + explorers
    notes = _squash(_text(PDF / name)).count("Interactive figure, shown at its default setting")
    assert notes == explorers, f"{name}: {explorers} explorers, {notes} printed with their note"
    pages_of = {}
    for page, _, _, _, obj in images:
        pages_of.setdefault(obj, set()).add(page)
    split = {obj: pages for obj, pages in pages_of.items() if len(pages) > 1}
    assert not split, f"{name}: an image drawn on two pages (cut by a page break?): {split}"


def _goto_links(path):
    """[(source page index, target page index, URI or None)] of the link annotations of a PDF."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    index = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    out = []
    for i, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            action = ref.get_object().get("/A")
            if action is None:
                continue
            action = action.get_object()
            if action.get("/S") == "/GoTo":
                dest = action["/D"]
                out.append((i, index.get(dest[0].idnum) if hasattr(dest[0], "idnum") else None, None))
            elif action.get("/S") == "/URI":
                out.append((i, None, str(action["/URI"])))
    return reader, out


def _book_pdf():
    import sys

    sys.path.insert(0, str(ROOT / "_ext"))
    import book_pdf

    return book_pdf


def test_links_between_chapters_are_internal(summary):
    XREF = _book_pdf().XREF
    reader, links = _goto_links(PDF / BOOK)
    first = summary["front_pages"]
    unit_of = {}
    for name, unit in summary["units"].items():
        unit_of.update({i: name for i in range(first, first + unit["pages"])})
        first += unit["pages"]
    left = [u for _, _, u in links if u and (u.startswith(XREF) or "127.0.0.1" in u or "localhost" in u)]
    assert not left, f"links to nowhere in the book PDF: {left[:5]}"
    internal = [(s, t) for s, t, u in links if u is None]
    assert all(t is not None and 0 <= t < len(reader.pages) for _, t in internal), "a link lands off the book"
    between = [(unit_of.get(s), unit_of.get(t)) for s, t in internal if unit_of.get(s) != unit_of.get(t)]
    assert len(between) >= summary["cross_page_links"]["to_target"] // 2 > 50, \
        f"only {len(between)} links between chapters ({summary['cross_page_links']})"
    # the reproduction report: its evidence links land in the chapters that its HTML links name
    html = (HTML / "chapters" / "report.html").read_text(encoding="utf-8")
    named = {f"{m}.pdf" for m in re.findall(r'href="(\w+)\.html#', html)} & set(summary["units"])
    reached = {t for s, t in between if s == "report.pdf"}
    assert named and named <= reached, f"report links to {sorted(named)}, the PDF reaches {sorted(reached)}"
    # a link to an equation lands on the page that shows its number: the report's link to Eq. (A4)
    assert 'href="model.html#eq-a4"' in html
    report_pages = [i for i, n in unit_of.items() if n == "report.pdf"]
    model_targets = [t for s, t in internal if s in report_pages and unit_of.get(t) == "model.pdf"]
    assert any("(A4)" in reader.pages[t].extract_text() for t in model_targets), \
        "no link of the report lands on the page of Eq. (A4)"


def test_section_chains_follow_the_nesting_of_the_markup():
    """The ids around a link's target (its section, for a target the printer gave no destination)."""
    page = """<html><body><!-- <div id="commented"> -->
    <section id="s1"><h1 id='t1'>One</h1><img id=pic src="a.png"><br>
      <section id="s1-1"><p>text <span id="x&amp;y">target</span></p>
        <script>var s = "<div id='in-script'>";</script>
      </section>
      <p id="after">after the subsection</p>
    </section><div id="s1">a second element with the same id</div></body></html>"""
    chains = _book_pdf().section_chains(page)
    assert chains == {"s1": ["s1"], "t1": ["t1", "s1"], "pic": ["pic", "s1"], "s1-1": ["s1-1", "s1"],
                      "x&y": ["x&y", "s1-1", "s1"], "after": ["after", "s1"]}


def test_section_chains_agree_with_an_html_parser_on_a_built_page():
    if not (HTML / "chapters" / "model.html").is_file():
        _unavailable(f"no built book at {HTML}: run the README's book command first")

    class Chains(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack, self.chains = [], {}

        def handle_starttag(self, tag, attrs):
            ident = dict(attrs).get("id")
            if ident is not None and ident not in self.chains:
                self.chains[ident] = [ident] + [i for _, i in reversed(self.stack) if i is not None]
            if tag not in ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                           "source", "track", "wbr"):
                self.stack.append((tag, ident))

        def handle_startendtag(self, tag, attrs):
            ident = dict(attrs).get("id")
            if ident is not None and ident not in self.chains:
                self.chains[ident] = [ident] + [i for _, i in reversed(self.stack) if i is not None]

        def handle_endtag(self, tag):
            for i in range(len(self.stack) - 1, -1, -1):
                if self.stack[i][0] == tag:
                    del self.stack[i:]
                    break

    for doc in ("chapters/model", "chapters/report", "api/superconductor"):
        text = (HTML / f"{doc}.html").read_text(encoding="utf-8")
        parser = Chains()
        parser.feed(text)
        chains = _book_pdf().section_chains(text)
        assert len(chains) > 20 and chains == parser.chains, doc
