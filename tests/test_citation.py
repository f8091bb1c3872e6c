"""License and citation: LICENSE, CITATION.cff, the README and the book's "How to cite" agree."""
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
import book_meta  # noqa: E402


def _bib_entry(key):
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    body = re.search(r"@\w+\{" + key + r",(.*?)\n\}", text, re.S).group(1)
    return {k.lower(): re.sub(r"[{}]", "", v).strip() for k, v in re.findall(r"(\w+)\s*=\s*\{(.*)\},?\s*$", body, re.M)}


def test_citation_file():
    cff = book_meta.load_citation()
    assert cff["cff-version"] == "1.2.0"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert cff["version"] == project["version"], "CITATION.cff and pyproject.toml name different versions"
    assert set(cff["license"]) == {"MIT", "CC-BY-4.0"}
    paper = next(r for r in cff["references"] if r["type"] == "article")
    bib = _bib_entry("aikebaier2021")
    assert paper["title"] == bib["title"]
    assert str(paper["year"]) == bib["year"]
    ids = {i["type"]: i["value"] for i in paper["identifiers"]}
    assert ids["other"] == f"arXiv:{bib['eprint']}" and ids["doi"] == f"10.48550/arXiv.{bib['eprint']}"
    families = [a["family-names"] for a in paper["authors"]]
    bib_families = [a.split(",")[0].strip() for a in bib["author"].replace('\\"a', "ä").split(" and ")]
    assert families == bib_families == ["Aikebaier", "Heikkilä", "Lado"]


def test_licenses_named_everywhere():
    license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in license_text and "Creative Commons Attribution 4.0" in license_text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "MIT" in readme and "CC BY 4.0" in readme and "CITATION.cff" in readme
    assert (book_meta.CODE_LICENSE, book_meta.TEXT_LICENSE) == ("MIT", "CC BY 4.0")
    footer = (ROOT / "_ext" / "templates" / "isingsc-footer.html").read_text(encoding="utf-8")
    assert "code_license" in footer and "text_license" in footer


def test_how_to_cite_renders_both_citations():
    info = {"commit_short": "0123456789", "date": "2031-02-03", "code_license": "MIT", "text_license": "CC BY 4.0"}
    cites = book_meta.citations(book_meta.load_citation(), info)
    assert "version 0.1.0 (git commit 0123456789, built 2031-02-03)" in cites["book_text"]
    assert cites["paper_text"].startswith("F. Aikebaier, T. T. Heikkilä and J. L. Lado, ")
    assert "arXiv:2109.04788 (2021)" in cites["paper_text"]
    bib = cites["bibtex"]
    assert bib.count("@") == 2 and "year    = {2031}" in bib and "eprint        = {2109.04788}" in bib
    assert bib.count("{") == bib.count("}")


def test_readme_commands_are_the_run_box_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in book_meta.COMMANDS:
        assert f"\n{command}\n" in readme, command
    assert "\n.venv/bin/python _ext/book_pdf.py\n" in readme
    about = (ROOT / "chapters" / "about.md").read_text(encoding="utf-8")
    assert "{isingsc-how-to-cite}" in about and "{nb-exec-table}" in about
    for command in book_meta.COMMANDS:
        assert command in about
