"""What a page says about the book, checked in headless Chromium (see tests/test_browser.py for the set-up).

* the footer of every page names the version of ``isingsc``, the git commit and date of the build and the
  NumPy and SciPy versions that computed it, and the two licenses;
* no page has a Binder, Colab or repository button (the book has no public repository), and no page
  links to one;
* the ".ipynb" entry of the download menu downloads the executed notebook (a file, not JSON in a tab),
  the ".pdf" entries download the chapter's PDF and the book's, when ``_ext/book_pdf.py`` has made them;
* the "Run it yourself" box shows the README's two commands, and fits a phone screen;
* the API reference has [source] links (``sphinx.ext.viewcode``) that resolve, and the highlighted
  sources link back to the documentation;
* the "About" page has the execution statistics of every chapter and cites the book and the paper.

Screenshots go to ``_build/screenshots/print-*.png``.
"""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
from importlib import metadata
from pathlib import Path
from urllib.parse import urljoin

import nbformat
import pytest

from test_browser import HTML, ROOT, SHOTS, _check_links, _unavailable

CHAPTER = "chapters/model.html"
PAGES = ["chapters/intro.html", CHAPTER, "chapters/about.html", "api/superconductor.html",
         "_modules/isingsc/superconductor.html"]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _readme_commands():
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)
    return [line.strip() for b in blocks for line in b.splitlines() if line.startswith("python3 -m venv")]


@pytest.fixture(scope="module")
def info():
    path = HTML / "_static" / "build-info.json"
    if not path.is_file():
        _unavailable(f"no built book at {HTML}: run the README's book command first")
    return json.loads(path.read_text(encoding="utf-8"))


DESKTOP = {"width": 1400, "height": 900}


@pytest.fixture(scope="module")
def tab(browser):
    """One tab for the whole module (a new context per test cost a second each); its HTTP cache is on.

    These checks read what a page says around its text (footer, menus, links, the about page), not its
    figures or its math: the tab does not load plotly.js (4.8 MB of script to compile on every chapter with an
    explorer) and MathJax (blocked in the browser, which keeps its cache, unlike request routing).
    tests/test_browser.py loads every page whole.
    """
    ctx = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setBlockedURLs", {"urls": ["*/_static/plotly.min.js*", "*/_static/mathjax/*"]})
    yield page
    ctx.close()


@pytest.fixture
def page(tab):
    """The module's tab at the desktop size, with no other tab open in its context."""
    for other in tab.context.pages:
        if other is not tab:
            other.close()
    tab.set_viewport_size(DESKTOP)
    return tab


def _goto(page, url):
    """Open a page; these checks need its DOM and the theme's scripts, not its images or typeset math."""
    page.goto(url, wait_until="domcontentloaded")


def test_build_info_is_this_build(info):
    assert info["version"] == metadata.version("isingsc")
    assert info["numpy"] == metadata.version("numpy") and info["scipy"] == metadata.version("scipy")
    assert re.fullmatch(r"[0-9a-f]{40}", info["commit"]), info["commit"]
    known = subprocess.run(["git", "cat-file", "-e", f"{info['commit']}^{{commit}}"], cwd=ROOT,
                           capture_output=True)
    assert known.returncode == 0, f"the footer's commit {info['commit']} is not a commit of this repository"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", info["datetime"])


@pytest.mark.parametrize("rel", PAGES)
def test_footer_names_the_build(page, server, info, rel):
    _goto(page, f"{server}/{rel}")
    footer = page.locator(".isingsc-footer")
    assert footer.count() == 1 and footer.is_visible(), f"{rel}: no visible build footer"
    text = " ".join(footer.inner_text().split())
    for part in (f"isingsc {info['version']}", f"commit {info['commit_short']}", f"built {info['datetime']}",
                 f"NumPy {info['numpy']}", f"SciPy {info['scipy']}", "Code: MIT License", "CC BY 4.0",
                 "How to cite"):
        assert part in text, f"{rel}: {part!r} not in the footer {text!r}"
    cite = footer.get_by_role("link", name="How to cite").evaluate("a => a.href")
    assert cite.endswith("chapters/about.html#how-to-cite"), cite
    assert _check_links(rel, [cite], server) == []
    if rel == CHAPTER:
        SHOTS.mkdir(parents=True, exist_ok=True)
        footer.scroll_into_view_if_needed()
        footer.screenshot(path=str(SHOTS / "print-footer.png"))


def test_no_launch_or_repository_buttons():
    """No button or link points at the placeholder repository, Binder or Colab."""
    if not (HTML / "index.html").exists():
        _unavailable(f"no built book at {HTML}")
    dead = re.compile(r"mybinder\.org|colab\.research\.google\.com|github\.com/isingsc|"
                      r"dropdown-launch-buttons|btn-repository-button|btn-source-edit-button")
    offenders = [p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")
                 if dead.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"pages with launch or repository buttons: {offenders[:5]}"
    for md in (ROOT / "chapters").glob("*.md"):
        assert not re.search(r"Binder|Colab", md.read_text(encoding="utf-8")), \
            f"{md.name} sends readers to a live service that does not exist"


def _open_download_menu(page):
    page.locator(".dropdown-download-buttons > button.dropdown-toggle").click()


def test_notebook_download_is_a_file(page, server):
    _goto(page, f"{server}/{CHAPTER}")
    _open_download_menu(page)
    link = page.locator("a.btn-download-notebook-button")
    assert link.get_attribute("target") is None and link.get_attribute("download") is not None
    with page.expect_download() as dl:
        link.click()
    download = dl.value
    assert download.suggested_filename == "model.ipynb"
    assert len(page.context.pages) == 1, "the notebook opened a tab"
    assert page.url.endswith(CHAPTER), f"the page navigated to {page.url}"
    nb = nbformat.read(download.path(), as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and any(c.outputs for c in code), "the downloaded notebook has no outputs"
    # it is the chapter's executed twin, the notebook that nbval checks
    # (compared by digest: pytest's diff of two megabyte-long byte strings runs for many minutes)
    served, executed = (hashlib.sha256(Path(p).read_bytes()).hexdigest()
                        for p in (download.path(), ROOT / "chapters" / "model.ipynb"))
    assert served == executed, "the downloaded notebook is not chapters/model.ipynb (rebuild the book after executing it)"


def test_pdf_download(page, server):
    if not (HTML / "pdf" / "model.pdf").is_file():
        _unavailable("no PDF: run `.venv/bin/python _ext/book_pdf.py` after the book build")
    _goto(page, f"{server}/{CHAPTER}")
    for button, name in (("download-pdf-button", "model.pdf"), ("download-book-pdf-button", "isingsc-book.pdf")):
        _open_download_menu(page)
        with page.expect_download() as dl:
            page.locator(f"button.btn-{button}").click()
        assert dl.value.suggested_filename == name
        assert Path(dl.value.path()).read_bytes()[:5] == b"%PDF-"
    # an API page serves the API reference's PDF
    _goto(page, f"{server}/api/model.html")
    _open_download_menu(page)
    with page.expect_download() as dl:
        page.locator("button.btn-download-pdf-button").click()
    assert dl.value.suggested_filename == "api.pdf"


@pytest.mark.parametrize("viewport", [(1400, 900), (390, 844)], ids=["desktop", "phone"])
def test_run_it_yourself_box(page, server, viewport):
    commands = _readme_commands()
    assert len(commands) == 2, f"README's set-up commands: {commands}"
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    _goto(page, f"{server}/{CHAPTER}")
    page.locator(".dropdown-run-it-yourself > button.dropdown-toggle").click()
    box = page.locator(".isingsc-run-box")
    box.wait_for(state="visible")
    shown = [" ".join(t.split()) for t in box.locator("pre").all_inner_texts()]
    assert shown == commands
    r = box.bounding_box()
    assert r["x"] >= 0 and r["x"] + r["width"] <= viewport[0] + 1, f"box outside the screen: {r}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"print-run-box-{viewport[0]}.png"))


def test_api_source_links(page, server):
    _goto(page, f"{server}/api/superconductor.html")
    links = page.locator("a:has(.viewcode-link)")
    assert links.count() >= 5, "no [source] links in the API reference"
    hrefs = [links.nth(k).evaluate("a => a.href") for k in range(links.count())]
    assert all("/_modules/isingsc/" in h for h in hrefs), hrefs[:3]
    assert _check_links("api/superconductor.html", hrefs, server) == []
    _goto(page, hrefs[0])
    back = page.locator("a.viewcode-back")
    assert back.count() >= 1, "the highlighted source does not link back to the documentation"
    # every highlighted module links back to pages and ids that exist
    for path in sorted((HTML / "_modules").rglob("*.html")):
        rel = path.relative_to(HTML).as_posix()
        hrefs = re.findall(r'href="([^"#]*#[^"]+)"', path.read_text(encoding="utf-8"))
        resolved = [urljoin(f"{server}/{rel}", h) for h in hrefs if not h.startswith("http")]
        assert _check_links(rel, resolved, server) == [], rel


def test_about_page(page, server, info):
    _goto(page, f"{server}/chapters/about.html")
    text = " ".join(page.locator("article").inner_text().split())
    assert "arXiv:2109.04788" in text and "10.48550/arXiv.2109.04788" in text
    assert f"git commit {info['commit_short']}" in text and "@software{isingsc_book" in text
    table = page.locator("article table").filter(has_text="Run Time")
    assert table.count() == 1, "no execution statistics table"
    rows = table.locator("tbody tr").all_inner_texts()
    chapters = sorted(p.stem for p in (ROOT / "chapters").glob("*.ipynb"))
    for name in chapters:
        assert any(f"chapters/{name}" in r for r in rows), f"{name} not in the execution statistics"
