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

and saves a full-page screenshot to ``_build/screenshots/NAME.png``.  Without a build or without Chromium
the tests skip, unless the environment variable ``CI`` is set, where they fail.
"""
from __future__ import annotations

import functools
import http.server
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
SKIP_DIRS = {"_static", "_sources", "_images", "reports"}
SKIP_PAGES = {"genindex.html", "search.html"}
IN_CI = bool(os.environ.get("CI"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
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


@pytest.fixture(scope="module")
def server():
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: a free port
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    if not (HTML / "index.html").exists():
        _unavailable(f"no built book at {HTML}: run the README's book command first")
    executable = _chromium()
    if executable is None:
        _unavailable("Chromium not found: apt-get install chromium chromium-driver (see README)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Playwright Python client is not installed (pip install -r requirements.txt)")
    with sync_playwright() as p:
        # Playwright runs the system Chromium headless with a fresh temporary --user-data-dir
        b = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key == "id" or (key == "name" and tag == "a"):
                self.ids.add(value)


@functools.lru_cache(maxsize=None)
def _ids(path: Path):
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
  const widgets = Array.from(document.querySelectorAll(
      'script[type="application/vnd.jupyter.widget-view+json"], .jupyter-widgets, .widget-area'))
      .map(el => el.outerHTML.slice(0, 120));
  return {broken, nMath: math.length, nTypeset: document.querySelectorAll("mjx-container").length,
          untypeset, mathErrors, wideMath, wideTables, text: chunks.join(" "), links, widgets,
          hasMathJax: !!(window.MathJax && MathJax.startup)};
}
"""


def _open_and_check(browser, server, page_rel):
    problems, external = [], []
    origin = server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()

    def route(r):
        url = r.request.url
        if url.startswith(origin) or url.startswith(("data:", "blob:", "about:")):
            r.continue_()
        else:
            external.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"uncaught JavaScript exception: {e}"))
    page.on("requestfailed", lambda r: r.url.startswith(origin)
            and problems.append(f"request failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    try:
        page.goto(f"{origin}/{page_rel}", wait_until="load", timeout=60_000)
        page.wait_for_load_state("networkidle", timeout=30_000)
        state = page.evaluate(_PAGE_STATE_JS)
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = page_rel[: -len(".html")].replace("/", "_")
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    finally:
        context.close()

    problems += [f"external request (the book must not need the network): {u}" for u in external]
    problems += [f"image did not load: {src}" for src in state["broken"]]
    if state["nMath"]:
        if not state["hasMathJax"]:
            problems.append(f"{state['nMath']} math elements but MathJax did not start")
        problems += [f"math not typeset: {t!r}" for t in state["untypeset"]]
    problems += [f"MathJax error: {t!r}" for t in state["mathErrors"]]
    problems += [f"display math wider than the text column: {t!r}" for t in state["wideMath"]]
    problems += [f"table wider than the text column: {t!r}" for t in state["wideTables"]]
    raw = list(RAW_TEX.finditer(state["text"]))
    for m in raw[:5]:
        lo = max(m.start() - 40, 0)
        problems.append(f"raw TeX in the visible text: ...{state['text'][lo:m.end() + 40]!r}...")
    if len(raw) > 5:
        problems.append(f"... and {len(raw) - 5} more places with raw TeX")
    problems += [f"widget view in the static page (shows as a blank box): {w}" for w in state["widgets"]]
    problems += _check_links(page_rel, state["links"], origin)
    return problems, state


def test_pages_found():
    if not PAGES:
        _unavailable(f"no built book at {HTML}: run the README's book command first")
    names = {Path(p).name for p in PAGES}
    assert {"intro.html", "model.html", "bibliography.html"} <= names, PAGES


@pytest.mark.parametrize("page_rel", PAGES or ["(no build)"])
def test_page_in_browser(browser, server, page_rel):
    t0 = time.perf_counter()
    problems, state = _open_and_check(browser, server, page_rel)
    assert not problems, f"{page_rel} ({time.perf_counter() - t0:.1f} s):\n  " + "\n  ".join(problems)
