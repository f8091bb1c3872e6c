"""The book as readers meet it: every built page opened in headless Chromium.

Serves ``_build/html`` (built by the README's book command) on a free localhost port and opens each page
in Debian's ``chromium``, driven by Playwright's Python client (no browser download: the system binary is
used).  Per page it checks that

* every ``<img>`` has loaded (``naturalWidth > 0``) and no table is wider than the text column;
* math is typeset: every Sphinx math element holds a MathJax ``mjx-container``, MathJax reports no TeX
  error, no display equation is wider than the text column, and no raw TeX (``$$``, ``\\begin``,
  ``\\(`` ...) is left in the visible text outside code;
* there are no JavaScript errors (console errors, uncaught exceptions, failed or >= 400 requests) and no
  request leaves localhost: the book must not depend on CDNs;
* every internal link resolves to an existing file and, with a fragment, to an existing id on the target page;
* the page's own bytes (its HTML, with the explorers' frames, and the files only it loads, counted in the
  browser) stay below 5 MB; the theme's shared ``_static`` files and plotly.js are reported, not counted;
* every interactive explorer (``isingsc.book.interactive``) is drawn by the local plotly.js, and moving each of
  its sliders with the mouse changes the plotted data to the precomputed frame named after the positions of
  ALL its sliders; every play button steps its slider and changes the data.

On the book's chapters it also checks what a reader on a 1400 px desktop and on a 390x844 phone meets
(one page load per size, the checks evaluated in one script each):

* no page scrolls sideways, and every display equation can be read from its left end to its right end
  (it fits, or its own box scrolls to both ends);
* no rendered link text shows raw LaTeX (a backslash or ``$``);
* every figure displays at >= ``MIN_PX_PER_INCH`` pixels per figure inch on the desktop (the rendered width
  over the PNG's width in inches, from its ``pHYs`` resolution); the smallest value over the book is printed
  and asserted (``test_smallest_figure_scale_over_the_book``); on the phone a figure wider than the column
  scrolls in its own box;
* in every explorer, the data of every frame lie inside the axes the page draws that frame with (checked in
  the page over the frames' data, without animating); on the phone no button covers a slider.

It saves a screenshot of the first screen of each page to ``_build/screenshots/NAME.jpg`` (of the whole
page for the chapters with ``ISINGSC_FULL_SCREENSHOTS=1``: a full-page capture of a long chapter costs
seconds, and CI has no one to look at it).  Without a build or without Chromium
the tests skip, unless the environment variable ``CI`` is set, where they fail.
"""
from __future__ import annotations

import functools
import html
import http.server
import math
import os
import re
import shutil
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
#: full-page screenshots of the chapters (set ISINGSC_FULL_SCREENSHOTS=1 to look at whole pages)
FULL_SCREENSHOTS = os.environ.get("ISINGSC_FULL_SCREENSHOTS") == "1"
# _modules: the highlighted sources of sphinx.ext.viewcode, checked by tests/test_browser_print.py
SKIP_DIRS = {"_static", "_sources", "_images", "reports", "_modules"}
SKIP_PAGES = {"genindex.html", "search.html"}
IN_CI = bool(os.environ.get("CI"))
CHROMIUM_FLAGS = [
    # every request that leaves the book's server goes to a proxy where nothing listens: it fails at once
    # and nothing is fetched from the network; _Tab reports it.  (Not Playwright's request routing, which
    # switches the HTTP cache off: every page would then fetch and compile the theme's shared scripts --
    # MathJax, fontawesome, plotly.js -- again, a third of the time a page takes to load here.)
    "--proxy-server=http://127.0.0.1:9",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# page weight (issue 11): the page's own bytes -- its HTML, which carries the explorers' frames, and the
# images and other files only it loads -- must stay below 5 MB.  The theme's shared files under _static/
# (fonts, fontawesome, MathJax, CSS: about 3.5 MB, cached after the first page) and plotly.js (4.8 MB,
# only on explorer pages) are reported but not counted.
MAX_PAGE_BYTES = 5_000_000
#: Desktop and phone viewports (CSS px) of the chapters' checks.
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
#: Smallest displayed scale of a figure on the desktop (px per figure inch): 9 pt text then shows at >= 10 px.
MIN_PX_PER_INCH = 80.0
#: px per figure inch of every chapter figure measured on the desktop, {page: [values]} (filled by the page tests)
FIGURE_SCALES: dict = {}
PLOTLY_JS = "_static/plotly.min.js"
#: pause between two steps of an explorer's playback during the checks (ms; the page's own is 650 ms)
PLAY_STEP_MS = 150
# raw TeX that MathJax should have consumed (checked in visible text outside code blocks)
RAW_TEX = re.compile(r"\$\$|\\begin\{|\\end\{|\\\(|\\\)|\\\[|\\\]|\$[^$\n]{0,80}\\[A-Za-z]+[^$\n]{0,80}\$")


def _unavailable(reason):
    """Skip locally, fail in CI: a CI run must really look at the book."""
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)", pytrace=False)
    pytest.skip(reason)


def _pages():
    if not (HTML / "index.html").exists():
        return []
    pages = []
    for path in sorted(HTML.rglob("*.html")):
        rel = path.relative_to(HTML)
        if rel.parts[0] in SKIP_DIRS or rel.as_posix() in SKIP_PAGES:
            continue
        pages.append(rel.as_posix())
    return pages


PAGES = _pages()


def _chromium():
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).exists() else None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


def start_server():
    """Serve ``_build/html`` on a free localhost port in a thread: ``(url, stop)``."""
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: a free port
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def stop():
        httpd.shutdown()
        httpd.server_close()

    return f"http://127.0.0.1:{httpd.server_address[1]}", stop


def launch_chromium(playwright):
    """The system Chromium, headless, with a fresh temporary profile (skips, or fails in CI, without it)."""
    if not (HTML / "index.html").exists():
        _unavailable(f"no built book at {HTML}: run the README's book command first")
    executable = _chromium()
    if executable is None:
        _unavailable("Chromium not found: apt-get install chromium chromium-driver (see README)")
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)


# The fixtures ``server`` and ``browser`` (one of each per test worker, shared by tests/test_browser*.py)
# are in tests/conftest.py.


@pytest.fixture(scope="module")
def context(browser):
    """One browser context for all pages of a module (they are loaded one after the other into its tab).

    Its HTTP cache is on: the theme's shared files come from the cache after the first page (as for a reader);
    each page's own files (its HTML, its images) are fetched, and weighed, when it is loaded.
    """
    ctx = browser.new_context(viewport=DESKTOP)
    yield ctx
    ctx.close()


# the ids a fragment can point at: every id="...", and name="..." on <a>; scripts and styles are skipped as an
# HTML parser skips them (a regular expression: html.parser took seconds over the API reference's pages)
_RAW_TEXT = re.compile(r"(<(script|style)\b[^>]*>).*?</\2\s*>", re.S | re.I)
_TAG = re.compile(r"<([a-zA-Z][\w:-]*)(\s[^>]*)?>")
_ATTR = re.compile(r"""\s(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)


@functools.lru_cache(maxsize=None)
def _ids(path: Path):
    text = _RAW_TEXT.sub(r"\1", path.read_text(encoding="utf-8"))  # the tag stays (it may have an id)
    ids = set()
    for tag in _TAG.finditer(text):
        for m in _ATTR.finditer(tag.group(2) or ""):
            key = m.group(1).lower()
            if key == "id" or (key == "name" and tag.group(1).lower() == "a"):
                ids.add(html.unescape(next(v for v in m.group(2, 3, 4) if v is not None)))
    return frozenset(ids)


def _ids_by_html_parser(path: Path):
    """The same, with html.parser (tests/test_browser.py::test_id_scan_agrees_with_an_html_parser)."""
    class _Ids(HTMLParser):
        def __init__(self):
            super().__init__()
            self.ids = set()

        def handle_starttag(self, tag, attrs):
            for key, value in attrs:
                if key == "id" or (key == "name" and tag == "a"):
                    self.ids.add(value)

    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


def _check_links(page_rel, hrefs, origin):
    """Internal links: the target file exists and so does the fragment id on it."""
    problems = []
    for href in sorted(set(hrefs)):
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue  # external link (Binder, Colab, DOIs): not followed
        target = HTML / unquote(parts.path).lstrip("/")
        if parts.path.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            problems.append(f"broken link {href!r}: no file {target.relative_to(HTML)}")
            continue
        frag = unquote(parts.fragment)
        if frag and target.suffix == ".html" and frag not in _ids(target):
            problems.append(f"broken link {href!r}: no id {frag!r} in {target.relative_to(HTML)}")
    return problems


_PAGE_STATE_JS = r"""
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  // load every image now (lazy ones too) and wait for each to finish or fail
  const imgs = Array.from(document.images);
  imgs.forEach(img => { img.loading = "eager"; });
  await Promise.all(imgs.map(img => img.complete ? null :
    new Promise(r => { img.addEventListener("load", r); img.addEventListener("error", r);
                       setTimeout(r, 10000); })));
  const broken = imgs.filter(img => !(img.complete && img.naturalWidth > 0))
                     .map(img => img.getAttribute("src"));
  const math = Array.from(document.querySelectorAll(".math"));
  const untypeset = math.filter(el => !el.querySelector("mjx-container"))
                        .map(el => el.textContent.trim().slice(0, 80));
  // MathJax renders TeX errors (e.g. "\\tag not allowed in split environment") as mjx-merror
  const mathErrors = Array.from(document.querySelectorAll("mjx-merror"))
                          .map(el => (el.getAttribute("data-mjx-error") || el.textContent).slice(0, 120));
  // display math wider than the text column is clipped (on the left when centred) or needs scrolling
  const column = (document.querySelector("article.bd-article") || document.querySelector("main")
                  || document.body).getBoundingClientRect();
  const wideMath = Array.from(document.querySelectorAll('mjx-container[display="true"]')).filter(el => {
    const m = el.querySelector("mjx-math");
    if (!m || el.getBoundingClientRect().width === 0) return false;
    const r = m.getBoundingClientRect();
    return r.left < column.left - 1 || r.right > column.right + 1;
  }).map(el => (el.closest(".math") || el).textContent.trim().slice(0, 60));
  // tables wider than the text column are clipped or need sideways scrolling
  const wideTables = Array.from(document.querySelectorAll("article table")).filter(t => {
    const r = t.getBoundingClientRect();
    return r.width > 0 && (r.left < column.left - 1 || r.right > column.right + 1);
  }).map(t => t.textContent.trim().replace(/\s+/g, " ").slice(0, 60));
  // visible text outside code, scripts and typeset math
  const skip = "pre, code, script, style, textarea, mjx-container, .highlight";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const chunks = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest(skip)) continue;
    if (el.offsetParent === null && getComputedStyle(el).position !== "fixed") continue;  // hidden
    chunks.push(n.textContent);
  }
  const links = Array.from(document.querySelectorAll("a[href]")).map(a => a.href);
  // link texts (cross-references, citations, the page lists): words or typeset math, never raw LaTeX
  const texLinks = Array.from(document.querySelectorAll("a[href]")).map(a => a.textContent.trim())
                        .filter(t => /[\\$]|\^\*|\^\{|_\{/.test(t)).slice(0, 10);
  const widgets = Array.from(document.querySelectorAll(
      'script[type="application/vnd.jupyter.widget-view+json"], .jupyter-widgets, .widget-area'))
      .map(el => el.outerHTML.slice(0, 120));
  return {broken, nMath: math.length, nTypeset: document.querySelectorAll("mjx-container").length,
          untypeset, mathErrors, wideMath, wideTables, text: chunks.join(" "), links, texLinks, widgets,
          hasMathJax: !!(window.MathJax && MathJax.startup)};
}
"""


# ------------------------------------------------------------------ what a reader meets (one call per page)
_READER_JS = r"""
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  const out = {};
  // the page itself must not scroll sideways
  out.pageOverflow = document.scrollingElement.scrollWidth - window.innerWidth;
  if (out.pageOverflow > 1) {
    const W = window.innerWidth, culprits = [];
    const walker = document.createTreeWalker(document.querySelector("main") || document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n && culprits.length < 3; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || el.closest("pre, mjx-container, .bd-sidebar-primary, .bd-sidebar-secondary")) continue;
      let clipped = false;
      for (let a = el; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== "visible") { clipped = true; break; }
      }
      if (clipped) continue;
      const r = document.createRange(); r.selectNodeContents(n);
      if (Array.from(r.getClientRects()).some(q => q.right > W + 1)) culprits.push(n.textContent.trim().slice(0, 60));
    }
    out.overflowCulprits = culprits;
  }
  // every display equation readable from end to end: scroll each scrollable box around it to the left end,
  // then to the right end, and see whether the glyphs at that end lie inside all the boxes that clip them
  out.unreachableMath = [];
  for (const c of document.querySelectorAll('mjx-container[display="true"]')) {
    if (c.getBoundingClientRect().width === 0) continue;
    const clips = [];
    for (let a = c; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox !== "visible") clips.push({el: a, scrolls: ox === "auto" || ox === "scroll", keep: a.scrollLeft});
    }
    const glyphs = [c, ...c.querySelectorAll("mjx-c")];
    const edge = (side) => {
      clips.forEach(k => { if (k.scrolls) k.el.scrollLeft = side * 1e7; });
      let lo = Infinity, hi = -Infinity;
      for (const g of glyphs) { const r = g.getBoundingClientRect(); if (r.width > 0) { lo = Math.min(lo, r.left); hi = Math.max(hi, r.right); } }
      let boxLo = 0, boxHi = window.innerWidth;
      clips.forEach(k => { const r = k.el.getBoundingClientRect(); boxLo = Math.max(boxLo, r.left); boxHi = Math.min(boxHi, r.right); });
      return side < 0 ? lo - boxLo : boxHi - hi;
    };
    const left = edge(-1), right = edge(1);
    clips.forEach(k => { k.el.scrollLeft = k.keep; });
    if (left < -1 || right < -1) {
      out.unreachableMath.push(`${(c.closest(".math") || c).textContent.trim().slice(0, 50)} (left end ${Math.round(left)} px, right end ${Math.round(right)} px)`);
    }
  }
  // figures: displayed px per figure inch = rendered width / (natural width / dpi of the PNG)
  out.figures = [];
  for (const img of document.querySelectorAll(".bd-article img")) {
    if (!img.naturalWidth) continue;
    let dpi = null;
    try {
      const b = new Uint8Array(await (await fetch(img.currentSrc || img.src)).arrayBuffer());
      for (let i = 8; i + 12 < Math.min(b.length, 65536); i++) {
        if (b[i] === 0x70 && b[i + 1] === 0x48 && b[i + 2] === 0x59 && b[i + 3] === 0x73) {
          const ppm = ((b[i + 4] << 24) | (b[i + 5] << 16) | (b[i + 6] << 8) | b[i + 7]) >>> 0;
          if (b[i + 12] === 1) dpi = ppm * 0.0254;
          break;
        }
      }
    } catch (e) { /* reported as a missing resolution below */ }
    const r = img.getBoundingClientRect();
    let box = img.parentElement, scrolls = false;
    for (let a = img.parentElement; a && !a.classList.contains("bd-article"); a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX; if (ox === "auto" || ox === "scroll") { scrolls = true; box = a; break; }
    }
    const column = (document.querySelector("article.bd-article") || document.body).getBoundingClientRect();
    out.figures.push({src: (img.getAttribute("src") || "").split("/").pop().slice(0, 16), width: r.width,
                      natural: img.naturalWidth, dpi, pxPerInch: dpi ? r.width / (img.naturalWidth / dpi) : null,
                      fitsColumn: r.left >= column.left - 1 && r.right <= column.right + 1, scrolls,
                      boxFits: box.getBoundingClientRect().right <= column.right + 1});
  }
  return out;
}
"""


def _reader_problems(state, phone):
    """Problems of the reader checks (_READER_JS) at one window size."""
    size = "phone" if phone else "desktop"
    problems = []
    if state["pageOverflow"] > 1:
        problems.append(f"{size}: the page scrolls sideways by {state['pageOverflow']} px "
                        f"(text past the right edge: {state.get('overflowCulprits')})")
    problems += [f"{size}: display equation cannot be read to both ends: {m}" for m in state["unreachableMath"]]
    for f in state["figures"]:
        if f["dpi"] is None:
            problems.append(f"{size}: figure {f['src']} has no resolution (pHYs) in its PNG")
        elif not phone and f["pxPerInch"] < MIN_PX_PER_INCH:
            problems.append(f"desktop: figure {f['src']} shown at {f['pxPerInch']:.1f} px per figure inch "
                            f"(< {MIN_PX_PER_INCH:g}; {f['width']:.0f} px for {f['natural'] / f['dpi']:.1f} in)")
        if phone and not (f["fitsColumn"] or (f["scrolls"] and f["boxFits"])):
            problems.append(f"phone: figure {f['src']} is wider than the column and does not scroll in its own box")
    return problems


# ------------------------------------------------------------------ explorers (plotly)
_EXPLORERS_JS = r"""
() => {
  const boxes = Array.from(document.querySelectorAll(".isingsc-explorer"));
  return {
    hasPlotly: !!window.Plotly, hasScript: !!window.isingscExplorers,
    boxes: boxes.map(b => b.getAttribute("data-explorer")),
    plots: boxes.map(b => { const gd = b.querySelector(".js-plotly-plot");
      return gd ? {id: gd.id, ready: gd.getAttribute("data-ready") === "1",
                   nTraces: (gd._fullData || []).length,
                   nFrames: Object.keys((gd._transitionData || {})._frameHash || {}).filter(n => n.indexOf("*") < 0).length,
                   nSliders: (gd._fullLayout.sliders || []).length,
                   steps: (gd._fullLayout.sliders || []).map(s => s.steps.length),
                   fallbackShown: (b.querySelector(".isingsc-explorer-fallback") || {}).offsetParent !== null && !!b.querySelector(".isingsc-explorer-fallback")}
                : {id: null}; }),
  };
}
"""

# state of one plot: slider positions, a checksum of the drawn data, and how far the drawn data is from
# the precomputed frame named after all the slider positions (float32 frames, compared exactly)
_PLOT_STATE_JS = r"""
(gd) => {
  const active = gd._fullLayout.sliders.map(s => s.active || 0);
  const name = active.map(String).join(",");
  let checksum = 0;
  gd._fullData.forEach((t, ti) => ["x", "y"].forEach(k => {
    const a = t[k]; if (!a || typeof a === "string") return;
    for (let i = 0; i < a.length; i++) { const v = +a[i]; if (isFinite(v)) checksum += v * (1 + (i % 97)) * (1 + ti); }
  }));
  // the setting's frames: one per group of curves (curves that ignore some sliders are stored once)
  const groups = ((gd.layout.meta || {}).isingsc || {}).groups || [active.map(() => true)];
  const hash = gd._transitionData._frameHash || {};
  const parts = groups.map(mask => hash[active.map((a, k) => mask[k] ? String(a) : "*").join(",")]);
  const fr = parts.every(p => p) ? {traces: [].concat(...parts.map(p => p.traces)),
                                    data: [].concat(...parts.map(p => p.data))} : null;
  let maxdiff = null, compared = 0;
  if (fr) {
    maxdiff = 0;
    const decode = v => {
      if (v && typeof v === "object" && "bdata" in v) {
        const bin = atob(v.bdata), buf = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
        return Array.from(new Float32Array(buf.buffer));
      }
      return v ? Array.from(v) : null;
    };
    fr.traces.forEach((ti, j) => ["x", "y"].forEach(k => {
      if (!(k in fr.data[j])) return;
      const want = decode(fr.data[j][k]), have = Array.from(gd._fullData[ti][k] || []);
      compared += 1;
      if (want.length !== have.length) { maxdiff = Infinity; return; }
      for (let i = 0; i < want.length; i++) {
        const w = want[i], h = +have[i];
        if (Number.isNaN(w) && Number.isNaN(h)) continue;
        const d = Math.abs(w - h);
        maxdiff = Number.isNaN(d) ? Infinity : Math.max(maxdiff, d);
      }
    }));
  }
  return {active, name, shown: gd.getAttribute("data-frame"), checksum, maxdiff, compared,
          playing: gd.getAttribute("data-playing")};
}
"""


# every frame of every explorer inside the axes the page draws it with: the frames' data (as the page holds
# them, odd halves restored) against isingscExplorers.axisRanges(gd, setting), without animating anything
_FRAMES_INSIDE_AXES_JS = r"""
() => {
  const decode = v => {
    if (v && typeof v === "object" && "bdata" in v) {
      const bin = atob(v.bdata), buf = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
      return new Float32Array(buf.buffer);
    }
    return v || [];
  };
  const report = [];
  for (const box of document.querySelectorAll(".isingsc-explorer")) {
    const gd = box.querySelector(".js-plotly-plot");
    const name = box.getAttribute("data-explorer");
    if (!gd || !gd._fullLayout) { report.push({name, settings: 0, bad: ["not drawn"]}); continue; }
    const steps = (gd._fullLayout.sliders || []).map(sl => sl.steps.length);
    const groups = ((gd.layout.meta || {}).isingsc || {}).groups || [steps.map(() => true)];
    const hash = gd._transitionData._frameHash || {};
    const bad = [];
    let settings = 0;
    const idx = steps.map(() => 0);
    for (;;) {
      const setting = idx.join(",");
      const ranges = window.isingscExplorers.axisRanges(gd, setting);
      const arrays = gd.data.map(t => ({x: t.x, y: t.y}));   // base: constant and static curves
      for (const mask of groups) {
        const fr = hash[idx.map((a, k) => mask[k] ? String(a) : "*").join(",")];
        if (!fr) { bad.push(`${setting}: no frame`); continue; }
        fr.traces.forEach((ti, j) => ["x", "y"].forEach(k => { if (k in fr.data[j]) arrays[ti][k] = fr.data[j][k]; }));
      }
      gd._fullData.forEach((t, ti) => ["x", "y"].forEach(k => {
        const axis = (t[k + "axis"] || k).replace(/^([xy])(\d*)$/, "$1axis$2");
        const r = ranges[axis]; if (!r) return;
        const lo = Math.min(r[0], r[1]), hi = Math.max(r[0], r[1]);
        // the frames hold float32 values: allow their rounding (1e-6 of the axis scale), nothing more
        const tol = 1e-6 * Math.max(Math.abs(lo), Math.abs(hi), hi - lo);
        const v = decode(arrays[ti][k]);
        let vmin = Infinity, vmax = -Infinity;
        for (let i = 0; i < v.length; i++) { const a = +v[i]; if (isFinite(a)) { vmin = Math.min(vmin, a); vmax = Math.max(vmax, a); } }
        if (vmin < lo - tol || vmax > hi + tol) {
          bad.push(`setting ${setting}: ${t.name} ${k} in [${vmin.toPrecision(4)}, ${vmax.toPrecision(4)}], ${axis} shows [${lo.toPrecision(4)}, ${hi.toPrecision(4)}]`);
        }
      }));
      settings += 1;
      let k = steps.length - 1;
      while (k >= 0 && ++idx[k] >= steps[k]) { idx[k] = 0; k -= 1; }
      if (k < 0) break;
    }
    report.push({name, settings, bad: bad.slice(0, 5), nBad: bad.length});
  }
  return report;
}
"""

# on a phone: no button (play) overlaps a slider's rail or the grip at either end
_SLIDER_ENDS_JS = r"""
() => {
  const out = [];
  const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  for (const box of document.querySelectorAll(".isingsc-explorer")) {
    const gd = box.querySelector(".js-plotly-plot"); if (!gd) continue;
    const buttons = Array.from(gd.querySelectorAll("g.updatemenu-button")).map(b => b.getBoundingClientRect());
    gd.querySelectorAll("g.slider-group").forEach((g, k) => {
      const parts = Array.from(g.querySelectorAll("rect.slider-rail-rect, rect.slider-tick-rect, text.slider-label-group, g.slider-label-group text"))
        .map(e => e.getBoundingClientRect()).filter(r => r.width > 0);
      const ticks = Array.from(g.querySelectorAll("rect.slider-tick-rect")).map(e => e.getBoundingClientRect());
      const ends = ticks.length ? [ticks[0], ticks[ticks.length - 1]] : [];
      buttons.forEach(b => {
        if (parts.some(r => meets(b, r)) || ends.some(r => meets(b, r))) {
          out.push(`${box.getAttribute("data-explorer")}: a button covers slider ${k}`);
        }
      });
      // a wide figure scrolls in its own box: the slider must lie inside the figure
      const fig = gd.getBoundingClientRect();
      if (ends.length && (ends[0].left < fig.left - 1 || ends[1].right > fig.right + 1)) {
        out.push(`${box.getAttribute("data-explorer")}: slider ${k} runs past its figure`);
      }
    });
  }
  return out;
}
"""


def _check_frame(state, what):
    problems = []
    if state["maxdiff"] is None:
        problems.append(f"{what}: no precomputed frame named {state['name']!r} for the slider positions")
    elif state["maxdiff"] != 0 or state["compared"] == 0:
        problems.append(f"{what}: drawn data differ from frame {state['name']!r} (max |diff| {state['maxdiff']}, "
                        f"{state['compared']} arrays compared)")
    if state["shown"] != state["name"]:
        problems.append(f"{what}: the script shows frame {state['shown']!r}, the sliders say {state['name']!r}")
    return problems


def _wait_settled(page, gd, timeout_ms=5000):
    """Wait until the drawn frame matches the sliders (the animation has been applied)."""
    t0 = time.perf_counter()
    state = gd.evaluate(_PLOT_STATE_JS)
    while (state["maxdiff"] != 0 or state["shown"] != state["name"]) and time.perf_counter() - t0 < timeout_ms / 1e3:
        page.wait_for_timeout(50)
        state = gd.evaluate(_PLOT_STATE_JS)
    return state


def _drive_explorers(page):
    """Move every slider of every explorer with the mouse; press every play button."""
    problems, report = [], []
    info = page.evaluate(_EXPLORERS_JS)
    if not info["boxes"]:
        return problems, report
    if not info["hasPlotly"]:
        return [f"{len(info['boxes'])} explorers but window.Plotly is not defined (plotly.min.js not served?)"], report
    if not info["hasScript"]:
        return ["explorers but no window.isingscExplorers (_static/isingsc-explorers.js not loaded)"], report
    # playback steps every PLAY_STEP_MS instead of the page's 650 ms, so that the checks that a pause holds
    # (nothing moves for longer than a step) wait a third as long; the stepping code is the same
    page.evaluate(f"() => {{ window.isingscExplorers.playStepMs = {PLAY_STEP_MS}; }}")
    for name, plot in zip(info["boxes"], info["plots"]):
        if not plot["id"] or not plot["ready"]:
            problems.append(f"explorer {name!r} was not drawn ({plot})")
            continue
        if plot["fallbackShown"]:
            problems.append(f"explorer {name!r}: the no-plotly fallback text is still visible")
        if plot["nFrames"] != math.prod(plot["steps"]):
            problems.append(f"explorer {name!r}: {plot['nFrames']} frames for slider steps {plot['steps']}")
        gd = page.locator(f"#{plot['id']}")
        gd.scroll_into_view_if_needed()
        state = _wait_settled(page, gd)
        problems += _check_frame(state, f"explorer {name!r} on load")
        groups = gd.locator("g.slider-group")
        for k in range(groups.count()):
            n = plot["steps"][k]
            if n < 2:
                continue
            group = groups.nth(k)
            grip = group.locator("rect.slider-grip-rect").bounding_box()
            before = gd.evaluate(_PLOT_STATE_JS)
            target = (before["active"][k] + max(1, n // 2)) % n
            tick = group.locator("rect.slider-tick-rect").nth(target).bounding_box()
            y = grip["y"] + grip["height"] / 2
            page.mouse.move(grip["x"] + grip["width"] / 2, y)
            page.mouse.down()
            page.mouse.move(tick["x"] + tick["width"] / 2, y, steps=3)
            page.mouse.up()
            after = _wait_settled(page, gd)
            what = f"explorer {name!r}, slider {k}"
            if after["active"][k] != target:
                problems.append(f"{what}: dragged to step {target}, slider is at {after['active'][k]}")
            others = [a for i, a in enumerate(after["active"]) if i != k]
            if others != [a for i, a in enumerate(before["active"]) if i != k]:
                problems.append(f"{what}: moving it changed the other sliders {before['active']} -> {after['active']}")
            if after["checksum"] == before["checksum"]:
                problems.append(f"{what}: moving it from step {before['active'][k]} to {target} did not change "
                                "the plotted data")
            problems += _check_frame(after, what)
            report.append(f"{name}[{k}] {before['name']} -> {after['name']}")
        buttons = gd.locator("g.updatemenu-button")
        for b in range(buttons.count()):
            what = f"explorer {name!r}, play button {b}"
            # presses go to the button's place on the screen (page.mouse), as a reader's do: a locator's
            # click() first waits for the button to be stable, and plotly redraws its buttons at every step,
            # so under load that wait can outlast a short playback (the press then starts a new one)
            box = buttons.nth(b).bounding_box()
            cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            # a slider of two or three steps plays for only two or three steps: on a loaded machine the press
            # meant as a pause can land after the playback has ended, and then starts a new one (seen in CI).
            # The pause is then checked again with steps four times as long.
            for step_ms in (PLAY_STEP_MS, 4 * PLAY_STEP_MS):
                page.evaluate(f"() => {{ window.isingscExplorers.playStepMs = {step_ms}; }}")
                before = _wait_settled(page, gd)
                page.mouse.click(cx, cy)
                t0 = time.perf_counter()
                mid = gd.evaluate(_PLOT_STATE_JS)
                while mid["active"] == before["active"] and time.perf_counter() - t0 < 3.0:
                    page.wait_for_timeout(25)
                    mid = gd.evaluate(_PLOT_STATE_JS)
                if mid["active"] == before["active"]:
                    break
                page.mouse.click(cx, cy)  # pause (if a second step came first, the checks below still hold)
                paused = gd.evaluate(_PLOT_STATE_JS)
                if paused["playing"] is None or step_ms != PLAY_STEP_MS:
                    break
                # the press started a new playback: let it end, and check again with longer steps
                t0 = time.perf_counter()
                while gd.evaluate(_PLOT_STATE_JS)["playing"] is not None and time.perf_counter() - t0 < 5.0:
                    page.wait_for_timeout(50)
            page.evaluate(f"() => {{ window.isingscExplorers.playStepMs = {PLAY_STEP_MS}; }}")
            if mid["active"] == before["active"]:
                problems.append(f"{what}: no step within 3 s of pressing play")
                continue
            page.wait_for_timeout(2 * step_ms)  # longer than one step of the animation
            after = _wait_settled(page, gd)
            if after["playing"] is not None or after["active"] != paused["active"]:
                problems.append(f"{what}: a second click did not pause ({paused['active']} -> {after['active']})")
            moved = [i for i, (a, c) in enumerate(zip(before["active"], after["active"])) if a != c]
            if len(moved) != 1:
                problems.append(f"{what}: play moved sliders {moved}, expected exactly one")
            if after["checksum"] == before["checksum"]:
                problems.append(f"{what}: playing did not change the plotted data")
            problems += _check_frame(after, what)
            # pause while a step is still being drawn (play, then pause 20 ms later: the first step's timer has
            # fired and its redraw is in flight): the step in flight must not arm the next one
            page.mouse.click(cx, cy)
            page.wait_for_timeout(20)
            page.mouse.click(cx, cy)
            page.wait_for_timeout(150)
            paused = gd.evaluate(_PLOT_STATE_JS)
            page.wait_for_timeout(3 * PLAY_STEP_MS)  # longer than a redraw and one step of the animation
            later = _wait_settled(page, gd)
            if later["playing"] is not None or later["active"] != paused["active"]:
                problems.append(f"{what}: a pause during a redraw did not stop playback "
                                f"({paused['active']} -> {later['active']})")
            report.append(f"{name} play {b}: {before['name']} -> {after['name']}")
    return problems, report


class _Tab:
    """One browser tab for all the pages of a test module, with its request filter and listeners.

    Loading the next page into the same tab costs half as much as opening a new tab for it
    (0.74 vs 1.40 s per API page here).  The listeners write into the record of the current check,
    which :meth:`start` replaces before each page is loaded.
    """

    def __init__(self, context, origin):
        self.origin = origin
        self.page = page = context.new_page()
        self.start()

        # requests that leave the book's server (they fail at the dead proxy of CHROMIUM_FLAGS); the listener
        # is called for every request anyway (requests in flight), so this costs no extra round trip
        leaves = re.compile("^(?!" + re.escape(origin) + "/|data:|blob:|about:)")
        page.on("request", lambda req: leaves.match(req.url) and self.external.append(req.url))
        # (the browser's own request for /favicon.ico -- the book has none -- is not the page's error)
        page.on("console", lambda m: m.type == "error" and m.location.get("url") != f"{origin}/favicon.ico"
                and self.problems.append(f"console error: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"uncaught JavaScript exception: {e}"))
        page.on("requestfailed", lambda r: r.url.startswith(origin)
                and self.problems.append(f"request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        page.on("requestfinished", lambda req: (resp := req.response()) is not None and self._weigh(resp))
        page.on("request", lambda req: self.inflight.add(req))
        page.on("requestfinished", lambda req: self.inflight.discard(req))
        page.on("requestfailed", lambda req: self.inflight.discard(req))

    def start(self):
        """A fresh record (problems, external requests, weights, requests in flight) for the next page."""
        self.problems, self.external, self.weights, self.inflight = [], [], {}, set()

    def _weigh(self, r):
        weights = self.weights
        try:
            if urlsplit(r.url).path.startswith("/_static/"):
                # the theme's shared files (fonts, MathJax, plotly.js) count only towards the printed total:
                # their Content-Length is enough (fetching megabytes of bodies into Python is slow)
                weights[r.url] = int(r.headers.get("content-length", 0))
            else:
                weights[r.url] = len(r.body())  # the page's own files: the tested limit, exactly
        except Exception:  # redirects and aborted requests have no body
            pass


@pytest.fixture(scope="module")
def tab(context, server):
    t = _Tab(context, server)
    yield t
    t.page.close()


#: after the load event: MathJax has typeset (and requested its fonts), the fonts have loaded, and every
#: explorer has been drawn (or 10 s have passed: the explorer checks then report it)
_SETTLED_JS = r"""
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  if (document.fonts && document.fonts.ready) { await document.fonts.ready; }
  const t0 = performance.now();
  while (performance.now() - t0 < 10000 && Array.from(document.querySelectorAll(".isingsc-explorer .js-plotly-plot"))
                                                .some(gd => gd.getAttribute("data-ready") !== "1")) {
    await new Promise(r => setTimeout(r, 25));
  }
}
"""


def _load(tab, server, page_rel):
    """Load a page into the tab (a fresh record) and wait until it has settled and the network is idle."""
    tab.start()
    page, inflight = tab.page, tab.inflight
    page.goto(f"{server}/{page_rel}", wait_until="load", timeout=60_000)
    for attempt in range(3):
        try:
            page.evaluate(_SETTLED_JS)
            break
        except Exception as exc:  # a page that redirects (index.html: meta refresh) navigates meanwhile
            if "navigation" not in str(exc) or attempt == 2:
                raise
            page.wait_for_load_state("load")
    # then the network is idle once no request has been in flight for 100 ms (Playwright's own
    # "networkidle" wait has been seen to miss the end of a request that did finish)
    t_idle = time.perf_counter() + 10.0
    quiet_since = None
    while time.perf_counter() < t_idle:
        if inflight:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.perf_counter()
        elif time.perf_counter() - quiet_since >= 0.1:
            break
        page.wait_for_timeout(25)
    else:
        tab.problems.append(f"requests still pending 10 s after load: {sorted(r.url for r in inflight)[:5]}")
    return page


def _explorer_frames_problems(page):
    """Every frame of every explorer of the page inside the axes it is drawn with (no animation)."""
    problems, checked = [], {}
    for ex in page.evaluate(_FRAMES_INSIDE_AXES_JS):
        checked[ex["name"]] = ex["settings"]
        problems += [f"explorer {ex['name']!r}: data outside the visible axes, {b}" for b in ex["bad"]]
        if ex.get("nBad", 0) > len(ex["bad"]):
            problems.append(f"explorer {ex['name']!r}: ... {ex['nBad'] - len(ex['bad'])} more such settings")
    return problems, checked


def _enlarge_problems(page):
    """A click on a figure opens it at full size (_static/isingsc-book.js); Escape closes it again."""
    img = page.locator(".bd-article img.isingsc-zoomable").first
    if img.count() == 0:
        return ["figures are not marked zoomable (_static/isingsc-book.js not loaded?)"]
    img.scroll_into_view_if_needed()
    img.click()
    opened = page.evaluate("async () => { const b = document.querySelector('.isingsc-lightbox img');"
                           " if (!b) return null;"
                           " if (!b.complete || !b.naturalWidth) await new Promise(r => { b.onload = r; b.onerror = r;"
                           " setTimeout(r, 5000); });"
                           " return {w: b.getBoundingClientRect().width, n: b.naturalWidth}; }")
    page.keyboard.press("Escape")
    closed = page.evaluate("() => !document.querySelector('.isingsc-lightbox')")
    problems = []
    if not opened or abs(opened["w"] - opened["n"]) > 1:
        problems.append(f"a click on a figure did not open it at full size ({opened})")
    if not closed:
        problems.append("Escape did not close the enlarged figure")
    return problems


def _open_and_check(tab, server, page_rel):
    origin = server
    page = _load(tab, server, page_rel)
    problems, external = tab.problems, tab.external
    state = page.evaluate(_PAGE_STATE_JS)
    if page_rel.startswith("chapters/"):
        reader = page.evaluate(_READER_JS)
        problems += _reader_problems(reader, phone=False)
        FIGURE_SCALES[page_rel] = [f["pxPerInch"] for f in reader["figures"] if f["pxPerInch"]]
        state["figure_scales"] = FIGURE_SCALES[page_rel]
        frame_problems, state["frames_checked"] = _explorer_frames_problems(page)
        problems += frame_problems
        if reader["figures"]:
            problems += _enlarge_problems(page)
    explorer_problems, state["explorers"] = _drive_explorers(page)
    problems += explorer_problems
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = page_rel[: -len(".html")].replace("/", "_")
    # the first screen; the whole page for the book's chapters on request (FULL_SCREENSHOTS), since a
    # full-page capture of a long chapter costs seconds and shows nothing the checks above do not
    page.screenshot(path=str(SHOTS / f"{name}.jpg"), type="jpeg", quality=80,
                    full_page=FULL_SCREENSHOTS and not page_rel.startswith("api/"))

    problems += [f"external request (the book must not need the network): {u}" for u in external]
    problems += [f"image did not load: {src}" for src in state["broken"]]
    if state["nMath"]:
        if not state["hasMathJax"]:
            problems.append(f"{state['nMath']} math elements but MathJax did not start")
        problems += [f"math not typeset: {t!r}" for t in state["untypeset"]]
    problems += [f"MathJax error: {t!r}" for t in state["mathErrors"]]
    problems += [f"display math wider than the text column: {t!r}" for t in state["wideMath"]]
    problems += [f"table wider than the text column: {t!r}" for t in state["wideTables"]]
    problems += [f"raw LaTeX in a link text: {t!r}" for t in state["texLinks"]]
    raw = list(RAW_TEX.finditer(state["text"]))
    for m in raw[:5]:
        lo = max(m.start() - 40, 0)
        problems.append(f"raw TeX in the visible text: ...{state['text'][lo:m.end() + 40]!r}...")
    if len(raw) > 5:
        problems.append(f"... and {len(raw) - 5} more places with raw TeX")
    problems += [f"widget view in the static page (shows as a blank box): {w}" for w in state["widgets"]]
    problems += _check_links(page_rel, state["links"], origin)
    paths = {urlsplit(u).path: n for u, n in tab.weights.items()}
    own = {p: n for p, n in paths.items() if not p.startswith("/_static/")}
    state["weight"] = sum(own.values())
    state["weight_total"] = sum(n for p, n in paths.items() if not p.endswith(PLOTLY_JS))
    if state["weight"] > MAX_PAGE_BYTES:
        big = sorted(own.items(), key=lambda kv: -kv[1])[:3]
        problems.append(f"page weighs {state['weight'] / 1e6:.2f} MB (its HTML and own files; limit "
                        f"{MAX_PAGE_BYTES / 1e6:.0f} MB); largest: {big}")
    return problems, state


# explorers each page must have (so that the slider checks cannot pass by finding none)
EXPECTED_EXPLORERS = {
    "chapters/model.html": {"bands"},
    "chapters/superconductivity.html": {"angle", "chi"},
    "chapters/hysteresis.html": {"loops", "alignment"},
}


def test_pages_found():
    if not PAGES:
        _unavailable(f"no built book at {HTML}: run the README's book command first")
    names = {Path(p).name for p in PAGES}
    assert {"intro.html", "model.html", "bibliography.html"} <= names, PAGES
    for page, expected in EXPECTED_EXPLORERS.items():
        html = (HTML / page).read_text(encoding="utf-8")
        found = set(re.findall(r'class="isingsc-explorer" data-explorer="([\w-]+)"', html))
        assert expected <= found, f"{page}: explorers {sorted(found)}, expected {sorted(expected)}"


def check_page(tab, server, page_rel):
    """Load one page into the module's tab and assert that it has no problems (also used by tests/test_browser_api.py)."""
    t0 = time.perf_counter()
    problems, state = _open_and_check(tab, server, page_rel)
    scales = state.get("figure_scales") or []
    print(f"{page_rel}: own {state.get('weight', 0) / 1e6:.2f} MB, all but plotly.js "
          f"{state.get('weight_total', 0) / 1e6:.2f} MB; explorers: {state.get('explorers')}; "
          f"frames checked inside the axes: {state.get('frames_checked')}; "
          f"figures: {len(scales)}, smallest {min(scales, default=float('nan')):.1f} px per figure inch")
    assert not problems, f"{page_rel} ({time.perf_counter() - t0:.1f} s):\n  " + "\n  ".join(problems)


# the API reference pages are checked by tests/test_browser_api.py (a file of its own, so that the two
# halves of the browser check run on different test workers)
@pytest.mark.parametrize("page_rel", [p for p in PAGES if not p.startswith("api/")] or ["(no build)"])
def test_page_in_browser(tab, server, page_rel):
    check_page(tab, server, page_rel)


CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]


@pytest.fixture(scope="module")
def phone_tab(browser, server):
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    t = _Tab(ctx, server)
    yield t
    ctx.close()


@pytest.mark.parametrize("page_rel", CHAPTERS or ["(no build)"])
def test_chapter_on_a_phone(phone_tab, server, page_rel):
    """390x844: no sideways page scroll, every equation readable end to end, figures in their own scroll box,
    no raw LaTeX in link texts, no button over a slider."""
    if not CHAPTERS:
        _unavailable(f"no built book at {HTML}: run the README's book command first")
    page = _load(phone_tab, server, page_rel)
    problems = list(phone_tab.problems)
    problems += _reader_problems(page.evaluate(_READER_JS), phone=True)
    problems += [f"phone: {x}" for x in page.evaluate(_SLIDER_ENDS_JS)]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / (page_rel[: -len(".html")].replace("/", "_") + "-phone.jpg")), type="jpeg",
                    quality=80, full_page=FULL_SCREENSHOTS)
    assert not problems, f"{page_rel} on a phone:\n  " + "\n  ".join(problems)


def test_smallest_figure_scale_over_the_book():
    """The smallest displayed scale of any chapter figure on a 1400 px desktop window (after the page tests)."""
    if not CHAPTERS:
        _unavailable(f"no built book at {HTML}: run the README's book command first")
    n = sum(len(vs) for vs in FIGURE_SCALES.values())
    assert set(FIGURE_SCALES) == set(CHAPTERS), "run with the chapter page tests (they measure the figures)"
    assert n >= 20, f"only {n} figures measured: the measurement cannot have seen the book"
    page, smallest = min(((p, min(vs)) for p, vs in FIGURE_SCALES.items() if vs), key=lambda kv: kv[1])
    print(f"smallest displayed scale over {n} figures: {smallest:.1f} px per figure inch ({page})")
    assert smallest >= MIN_PX_PER_INCH, f"{page}: a figure at {smallest:.1f} px per figure inch"


def test_the_check_catches_requests_that_leave_the_server(browser, server):
    """The request filter (a regular expression in the driver) reports what a page fetches from elsewhere."""
    ctx = browser.new_context(viewport=DESKTOP)
    try:
        ctx.add_init_script("window.addEventListener('load', () => {"
                            " fetch('https://example.org/x.js').catch(() => {});"
                            " const i = new Image(); i.src = 'http://10.1.2.3/a.png'; });")
        problems, state = _open_and_check(_Tab(ctx, server), server, "chapters/intro.html")
    finally:
        ctx.close()
    external = sorted(p for p in problems if p.startswith("external request"))
    assert external == ["external request (the book must not need the network): http://10.1.2.3/a.png",
                        "external request (the book must not need the network): https://example.org/x.js"]
    assert state["weight"] > 0  # the page's own bytes were weighed


def test_api_pages_show_no_giant_values():
    """API signatures and module attributes stay short: no dumped registries, no evaluated defaults.

    A static check of the built HTML (no browser): the text of every ``dt.sig`` of the API pages.
    """
    api = [p for p in PAGES if p.startswith("api/")]
    if not api:
        _unavailable(f"no built book at {HTML}: run the README's book command first")
    long = []
    for page in api:
        html = (HTML / page).read_text(encoding="utf-8")
        for m in re.finditer(r'<dt class="sig sig-object py"[^>]*>(.*?)</dt>', html, re.S):
            text = " ".join(re.sub(r"<[^>]+>", "", m.group(1)).split())
            # a default printed as an evaluated float (theta=1.5707963267948966) in a call signature
            is_value = re.match(r"^[\w.]+ = ", text)   # a module attribute shows its value; only length counts
            evaluated_default = not is_value and re.search(r"\(.*=\s*-?\d+\.\d{10,}.*\)", text)
            if len(text) > 400 or "&lt;sub&gt;" in m.group(1) or evaluated_default:
                long.append(f"{page}: {len(text)} characters: {text[:100]}...")
    assert not long, "API entries a reader has to scroll past:\n  " + "\n  ".join(long)


def test_id_scan_agrees_with_an_html_parser():
    """The fast id scan of the link check finds exactly the ids html.parser finds, on a sample of pages."""
    sample = [p for p in PAGES if p.startswith(("chapters/", "api/book/"))][:12] + ["api/superconductor.html"]
    if not (HTML / "index.html").exists():
        _unavailable(f"no built book at {HTML}: run the README's book command first")
    sample += [p.relative_to(HTML).as_posix() for p in sorted((HTML / "_modules").rglob("*.html"))[:3]]
    for page in sample:
        assert _ids(HTML / page) == _ids_by_html_parser(HTML / page), page
