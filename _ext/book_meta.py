"""What every page says about the book it belongs to: which build it is, how to get it, how to run it.

* **Footer** (``templates/isingsc-footer.html``): the version of ``isingsc``, the git commit and the date of
  the build, the NumPy and SciPy that computed the pages (the chapters' kernels run in the build's own
  environment), the licenses (code: MIT, text: CC BY 4.0) and a link to "How to cite".  The same record is
  written to ``_static/build-info.json``, which ``_ext/book_pdf.py`` prints on the PDF's title page.
* **Launch and repository buttons** only when the book has a public repository: set the environment
  variable ``ISINGSC_REPOSITORY_URL`` (e.g. ``https://github.com/OWNER/REPO``) for the build and the pages
  get Binder and Colab buttons and a repository button; without it (today) they get none, so no button
  points at a repository that does not exist.
* **Downloads**: the ``.ipynb`` of a chapter (the notebook executed by the build, with its outputs) is
  offered whether or not launch buttons are on (the theme copies it only for its launch buttons); the
  ``.pdf`` entry serves the chapter's PDF made by ``_ext/book_pdf.py`` (``pdf/NAME.pdf``) instead of the
  browser's print dialog, and a second entry the whole book.  ``_static/isingsc-downloads.js`` makes the file
  links downloads (not JSON shown in a tab) and falls back to printing when no PDF has been made.
* **Run it yourself** (``templates/isingsc-run-box.html``): a box next to the download buttons with the
  README's two set-up commands.
* **How to cite**: the directive ``{isingsc-how-to-cite}`` renders the citation of the book (from
  ``CITATION.cff``, with the version, commit and date of this build) and of the article it reproduces (the
  reference listed in ``CITATION.cff``), as text and as BibTeX.  Its page is read again at every build, so
  the commit it names is this build's.
"""
from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

LOGGER = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: environment variable that turns on the launch (Binder, Colab) and repository buttons
REPOSITORY_ENV = "ISINGSC_REPOSITORY_URL"
BUILD_INFO = "build-info.json"
CODE_LICENSE = "MIT"
TEXT_LICENSE = "CC BY 4.0"
#: the README's two set-up commands, shown in the "Run it yourself" box (tests/test_browser_print.py
#: checks that they are README's, character for character)
SETUP = "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt"
COMMANDS = (f"{SETUP} && .venv/bin/jupyter-book build . -W -n --keep-going",
            f"{SETUP} && .venv/bin/python -m pytest")


def pdf_name(docname: str) -> str:
    """The PDF (under ``pdf/``) that holds a page: its chapter's (``chapters/model`` -> ``model.pdf``); the
    reference pages are printed by folder, with their index (``api/model`` -> ``api.pdf``,
    ``api/book/report`` -> ``api-book.pdf``)."""
    if docname.startswith("api/"):
        return "-".join(docname.split("/")[:-1]) + ".pdf"
    return docname.rsplit("/", 1)[-1] + ".pdf"


BOOK_PDF = "isingsc-book.pdf"
#: pages that use the {isingsc-how-to-cite} directive (re-read at every build)
CITE_DOCS = ("chapters/about",)


def _git(*args):
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def build_info() -> dict:
    """Version, commit, date and the numerical libraries of this build (all strings)."""
    commit = _git("rev-parse", "HEAD")
    # uncommitted changes to tracked files make the pages differ from the commit they name
    dirty = bool(_git("status", "--porcelain", "--untracked-files=no"))
    now = datetime.datetime.now(datetime.timezone.utc)
    versions = {}
    for dist in ("isingsc", "numpy", "scipy"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    return {
        "version": versions["isingsc"],
        "commit": commit or "unknown",
        "commit_short": (commit[:10] + ("+modified" if dirty else "")) if commit else "unknown",
        "date": now.strftime("%Y-%m-%d"),
        "datetime": now.strftime("%Y-%m-%d %H:%M UTC"),
        "numpy": versions["numpy"],
        "scipy": versions["scipy"],
        "code_license": CODE_LICENSE,
        "text_license": TEXT_LICENSE,
    }


def _configure(app, config):
    info = build_info()
    app.isingsc_build_info = info
    config.html_context["isingsc_build"] = info
    config.html_context["isingsc_commands"] = COMMANDS
    config.templates_path = list(config.templates_path) + [str(TEMPLATES)]
    opts = config.html_theme_options
    items = list(opts.get("footer_content_items") or
                 ["author.html", "copyright.html", "last-updated.html", "extra-footer.html"])
    if "isingsc-footer.html" not in items:
        opts["footer_content_items"] = items + ["isingsc-footer.html"]
    header = opts.get("article_header_end") or ["article-header-buttons.html"]
    header = [header] if isinstance(header, str) else list(header)
    # the theme's buttons with the "Run it yourself" box right after the download menu
    opts["article_header_end"] = ["isingsc-header-buttons.html" if h == "article-header-buttons.html" else h
                                  for h in header]
    url = os.environ.get(REPOSITORY_ENV, "").strip().rstrip("/")
    launch = dict(opts.get("launch_buttons") or {})
    if url:
        opts["repository_url"] = url
        opts["use_repository_button"] = True
        launch.setdefault("binderhub_url", "https://mybinder.org")
        launch.setdefault("colab_url", "https://colab.research.google.com")
        LOGGER.info(f"[book_meta] repository {url}: launch and repository buttons on")
    else:
        opts["repository_url"] = ""
        for key in ("use_repository_button", "use_issues_button", "use_edit_page_button", "use_source_button"):
            opts[key] = False
        for key in ("binderhub_url", "jupyterhub_url", "colab_url", "deepnote_url", "jupyterlite_url", "thebe"):
            launch.pop(key, None)
    opts["launch_buttons"] = launch


def _notebook_download(app, pagename, templatename, context, doctree):
    """Offer the executed notebook of a chapter: its committed twin ``NAME.ipynb`` (the nbval reference,
    with outputs).  The theme offers one only along with its launch buttons, and copies MyST-NB's
    ``jupyter_execute`` notebook, which has no outputs when the chapter came from the execution cache."""
    if not context.get("sourcename", "").endswith(".md"):
        return
    executed = Path(app.srcdir) / f"{pagename}.ipynb"
    if not executed.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def _fresh_module_pages(app):
    """viewcode writes a highlighted module page only when the module is newer than it: remove the old
    pages, so that every page carries this build's footer."""
    if app.builder.format == "html":
        shutil.rmtree(Path(app.outdir) / "_modules", ignore_errors=True)


def _pdf_buttons(app, pagename, templatename, context, doctree):
    """The download menu's .pdf entry serves the book's PDFs (falls back to printing if none was made)."""
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        pdf_dir = context["pathto"]("pdf", 1)
        buttons = [b for b in group["buttons"] if b.get("label") != "download-pdf-button"]
        chapter = f"{pdf_dir}/{pdf_name(pagename)}"
        buttons.append({"type": "javascript", "javascript": f"isingscDownloadPdf('{chapter}')",
                        "text": ".pdf", "icon": "fas fa-file-pdf", "label": "download-pdf-button",
                        "tooltip": "Download this chapter as PDF"})
        buttons.append({"type": "javascript", "javascript": f"isingscDownloadPdf('{pdf_dir}/{BOOK_PDF}')",
                        "text": "book .pdf", "icon": "fas fa-book", "label": "download-book-pdf-button",
                        "tooltip": "Download the whole book as PDF"})
        group["buttons"] = buttons


def _write_build_info(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / BUILD_INFO
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(app.isingsc_build_info, indent=1) + "\n", encoding="utf-8")


def load_citation(path: Path = ROOT / "CITATION.cff") -> dict:
    """The book's ``CITATION.cff`` as a dict."""
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _initials(given):
    return " ".join(part if part.endswith(".") else part[0] + "." for part in given.split())


def _people(authors, bibtex=False):
    names = []
    for a in authors:
        if "name" in a:
            names.append("{" + a["name"] + "}" if bibtex else a["name"])
        elif bibtex:
            names.append(f"{a['family-names']}, {a['given-names']}")
        else:
            names.append(f"{_initials(a['given-names'])} {a['family-names']}")
    if bibtex:
        return " and ".join(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def citations(cff: dict, info: dict) -> dict:
    """Text and BibTeX citations of the book (this build) and of the article it reproduces."""
    paper = next(r for r in cff["references"] if r.get("type") == "article")
    ids = {i["type"]: i["value"] for i in paper.get("identifiers", [])}
    arxiv = ids["other"].removeprefix("arXiv:")
    year = info["date"][:4]
    book_text = (f"{_people(cff['authors'])}, {cff['title']}, version {cff['version']} "
                 f"(git commit {info['commit_short']}, built {info['date']}).")
    paper_text = (f"{_people(paper['authors'])}, \"{paper['title']}\", arXiv:{arxiv} ({paper['year']}), "
                  f"doi:{ids['doi']}.")
    book_bib = "\n".join([
        "@software{isingsc_book,",
        f"  author  = {{{_people(cff['authors'], bibtex=True)}}},",
        f"  title   = {{{cff['title']}}},",
        f"  year    = {{{year}}},",
        f"  version = {{{cff['version']}}},",
        f"  note    = {{git commit {info['commit_short']}, built {info['date']}; "
        f"code {info['code_license']}, text {info['text_license']}}},",
        "}"])
    title = paper["title"].replace("Ising", "{I}sing").replace("Waals", "{W}aals")
    paper_bib = "\n".join([
        "@article{aikebaier2021,",
        f"  author        = {{{_people(paper['authors'], bibtex=True)}}},",
        f"  title         = {{{title}}},",
        f"  journal       = {{{paper['journal']}}},",
        f"  year          = {{{paper['year']}}},",
        f"  eprint        = {{{arxiv}}},",
        "  archivePrefix = {arXiv},",
        f"  doi           = {{{ids['doi']}}},",
        "}"])
    return {"book_text": book_text, "paper_text": paper_text, "bibtex": book_bib + "\n\n" + paper_bib}


class HowToCite(SphinxDirective):
    """``{isingsc-how-to-cite}``: the two citations of ``CITATION.cff`` as text and BibTeX."""

    has_content = False

    def run(self):
        self.env.note_dependency(str(ROOT / "CITATION.cff"))
        cites = citations(load_citation(), self.env.app.isingsc_build_info)
        items = nodes.enumerated_list(classes=["isingsc-citations"])
        for key in ("book_text", "paper_text"):
            items += nodes.list_item("", nodes.paragraph(text=cites[key]))
        block = nodes.literal_block(cites["bibtex"], cites["bibtex"], language="bibtex",
                                    classes=["isingsc-bibtex"])
        return [items, block]


def _always_reread(app, env, added, changed, removed):
    """The page with the citations names the commit of this build: read it again every time."""
    return [doc for doc in CITE_DOCS if doc in env.all_docs]


def setup(app):
    app.add_directive("isingsc-how-to-cite", HowToCite)
    app.connect("env-get-outdated", _always_reread)
    app.connect("config-inited", _configure)
    app.connect("builder-inited", _fresh_module_pages)
    app.connect("html-page-context", _notebook_download, priority=499)  # before the theme's buttons (501)
    app.connect("html-page-context", _pdf_buttons, priority=600)  # after them
    app.connect("build-finished", _write_build_info)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
