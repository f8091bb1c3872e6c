"""Every figure of the book: numbered, with its data and the code that drew it (isingsc.book.provenance).

For each chapter page of the built book, every figure (an image in a cell's output) has, in its cell, a
provenance line made by ``isingsc.book.provenance.show`` and completed by ``_ext/figure_provenance.py``:

* its number, "Figure N.k", k counting the chapter's figures in order;
* a "data" link to ``figures/NAME.json`` that loads, says its units (the units note and an axis label for
  each axis of a panel that shows its axes) and holds the arrays the figure drew: the SHA-256 digest of its
  arrays is the one the page's figure was drawn with (computed from the figure in the build's kernel);
* a "code" link to the cell (an anchor on the cell itself), and at least one library function with a link
  to its API entry and to its highlighted source, all of which resolve.

The interactive explorers (``isingsc.book.explorers.EXPLORERS``) carry the same line, numbered with the
figures and marked "(interactive)": their data file ``figures/explorer-NAME.json`` holds, for every grid
setting of the sliders, the arrays the page draws, and it is checked number by number (float32, as the page
stores them) against the figure the page embeds, decoded here independently of the library (the default
traces overlaid with the frame of each group of curves, the odd halves restored as the page's script does);
its code link names the explorer's compute function.  Every explorer of the book has its line.

Without a build the tests skip, unless ``CI`` is set, where they fail.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import itertools
import json
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
IN_CI = bool(os.environ.get("CI"))
PAGES = sorted(p.relative_to(HTML).as_posix() for p in (HTML / "chapters").glob("*.html")) if HTML.is_dir() else []


@functools.lru_cache(maxsize=None)
def _soup(rel):
    """The parsed page, parsed once per test process (the tests only read it: html.parser takes seconds
    over the chapters, whose explorer pages weigh up to 1 MB)."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(_text(HTML / rel), "html.parser")


@functools.lru_cache(maxsize=None)
def _text(path):
    return path.read_text(encoding="utf-8")


def _target(rel, href):
    """(file, fragment) that a relative link of page ``rel`` points at."""
    parts = urlsplit(href)
    path = (HTML / rel).parent / unquote(parts.path) if parts.path else HTML / rel
    return path.resolve(), unquote(parts.fragment)


def _resolves(rel, href):
    path, frag = _target(rel, href)
    if not path.is_file():
        return False
    return not frag or f'id="{frag}"' in _text(path)


def _figures(soup):
    """(cell, provenance line or None) for each cell whose output shows an image or an explorer."""
    out = []
    for cell in soup.select("div.cell"):
        if cell.select("div.cell_output img") or cell.select("div.cell_output div.isingsc-explorer"):
            out.append((cell, cell.select_one("p.isingsc-figure-links")))
    return out


def _decode(spec):
    """A plotly typed array ({dtype, bdata}) or a list, as float32 (the page's precision)."""
    if isinstance(spec, dict):
        return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"])).astype(np.float32)
    return np.asarray([np.nan if v is None else v for v in spec], dtype=np.float32)


def _page_setting(spec, frame):
    """{trace index: {x, y[, customdata]}} the page draws at the grid setting ``frame`` ("2,0,1")."""
    meta = spec["layout"]["meta"]["isingsc"]
    odd = set(meta.get("odd", []))
    by_name = {fr["name"]: fr for fr in spec["frames"]}
    out = {i: {k: _decode(d[k]) for k in ("x", "y", "customdata") if k in d} for i, d in enumerate(spec["data"])}
    idx = frame.split(",")
    for mask in meta["groups"]:
        fr = by_name[",".join(i if m else "*" for i, m in zip(idx, mask))]
        for i, d in zip(fr["traces"], fr["data"]):
            for k in ("x", "y", "customdata"):
                if k in d:
                    a = _decode(d[k])
                    out[i][k] = np.concatenate([a, -a]) if k == "y" and i in odd else a
    return out


def _check_explorer(rel, soup, cell, line, record, where):
    """The data file of an explorer holds exactly the arrays the page embeds, for every setting."""
    explorer = cell.select_one("div.isingsc-explorer")
    assert explorer is not None, f"{where}: no explorer in the cell"
    key = explorer["data-explorer"]
    assert record["figure"] == f"explorer-{key}" == line["data-figure"] and record["explorer"] == key, where
    assert "units of its panel's axis labels" in record["units"], f"{where}: no units"
    for k, panel in enumerate(record["panels"]):   # a panel with curves and axes says what x and y measure
        if panel["axis_shown"] and any(t["panel"] == k and not t["static"] for t in record["traces"]):
            for axis in ("x", "y"):
                assert panel[axis]["label"] or panel[axis].get("ticks"), \
                    f"{where}: panel {k} does not say what {axis} measures (axis label with unit, or named ticks)"
    spec = json.loads(soup.select_one(f"script#isingsc-explorer-{key}-spec").string)
    grid = [s["values"] for s in record["sliders"]]
    settings = record["arrays"]["settings"]
    expected = [",".join(map(str, idx)) for idx in itertools.product(*[range(len(v)) for v in grid])]
    assert [s["frame"] for s in settings] == expected, f"{where}: not every grid setting of the sliders"
    drawn = [t["index"] for t in record["traces"] if not t["static"]]
    assert drawn, f"{where}: no curves"
    for setting in settings:
        idx = [int(i) for i in setting["frame"].split(",")]
        assert setting["values"] == {s["name"]: s["values"][i] for s, i in zip(record["sliders"], idx)}, where
        page = _page_setting(spec, setting["frame"])
        assert sorted(int(i) for i in setting["traces"]) == drawn, where
        for i, arrays in setting["traces"].items():
            assert set(arrays) == set(page[int(i)]), f"{where}, setting {setting['frame']}, curve {i}"
            for k, values in arrays.items():
                assert np.array_equal(_decode(values), page[int(i)][k], equal_nan=True), \
                    f"{where}, setting {setting['frame']}: curve {i}, {k} is not what the page draws"
    for i, arrays in record["arrays"]["static"].items():
        for k, values in arrays.items():
            assert np.array_equal(_decode(values), _decode(spec["data"][int(i)][k]), equal_nan=True), where


def test_pages_found():
    if not PAGES:
        if IN_CI:
            pytest.fail("no built book (CI is set)")
        pytest.skip("no built book: run the README's book command")
    assert "chapters/model.html" in PAGES


@pytest.mark.parametrize("rel", PAGES or ["(no build)"])
def test_every_figure_has_data_and_code(rel):
    if not PAGES:
        pytest.skip("no built book")
    soup = _soup(rel)
    figures = _figures(soup)
    missing = [k for k, (_, line) in enumerate(figures, 1) if line is None]
    assert not missing, f"{rel}: figures {missing} (in page order) have no provenance line"
    numbers = []
    for cell, line in figures:
        name = line["data-figure"]
        where = f"{rel}, figure {name!r}"
        numbers.append(line.select_one(".isingsc-figure-number").get_text(strip=True))
        # data
        data = line.select_one(".isingsc-figure-data a[href]")
        assert data is not None and data.get("download"), f"{where}: no data link"
        path, _ = _target(rel, data["href"])
        assert path.is_file(), f"{where}: no data file {path}"
        record = json.loads(path.read_text(encoding="utf-8"))
        if line.get("data-kind") == "explorer":
            _check_explorer(rel, soup, cell, line, record, where)
            arrays = record["arrays"]
        else:
            assert not cell.select("div.isingsc-explorer"), f"{where}: an explorer's line not marked as such"
            assert record["figure"] == name and "units of its axis label" in record["units"], f"{where}: no units"
            assert record["axes"] and any(panel["series"] for panel in record["axes"]), f"{where}: no arrays"
            # units: every drawn axis is described by a label (with its unit) or named ticks in some panel
            # (a grid of panels labels its rows and columns once)
            drawn = [p for p in record["axes"] if p["axis_shown"] and p["series"]]
            for axis in ("x", "y"):
                assert not drawn or any(p[axis]["label"] or p[axis].get("ticks") for p in drawn), \
                    f"{where}: no panel says what {axis} measures (axis label with unit, or named ticks)"
            arrays = record["axes"]
        canonical = json.dumps(arrays, sort_keys=True, separators=(",", ":"), allow_nan=False)
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        assert record["sha256"] == digest == line.get("data-sha256"), \
            f"{where}: the data file is not the data of the figure on the page"
        # code: the cell, and the library functions with their API entry and source
        code = line.select_one("a.isingsc-cell-link")
        assert code is not None and code["href"] == f"#figure-{name}", f"{where}: no link to the cell"
        assert cell.get("id") == f"figure-{name}", f"{where}: the cell has no anchor figure-{name}"
        api = line.select("a.isingsc-api-ref[href]")
        src = line.select("a.isingsc-source-ref[href]")
        assert api and len(api) == len(src), f"{where}: no library function with API and [source] links"
        for a in api + src:
            assert _resolves(rel, a["href"]), f"{where}: dead link {a['href']}"
        assert all("/_modules/" in a["href"] or a["href"].startswith("../_modules/") for a in src)
    label = re.compile(r"Figure (\w+)\.(\d+)")
    ks = [int(label.fullmatch(n).group(2)) for n in numbers]
    assert ks == list(range(1, len(numbers) + 1)), f"{rel}: figures numbered {numbers}"
    assert len({label.fullmatch(n).group(1) for n in numbers}) <= 1, numbers


def test_every_explorer_has_data_and_code():
    """Each of the book's explorers appears on a chapter page with its provenance line (checked above)."""
    if not PAGES:
        pytest.skip("no built book")
    from isingsc.book.explorers import EXPLORERS

    shown, with_links = {}, {}
    for rel in PAGES:
        soup = _soup(rel)
        for div in soup.select("div.cell_output div.isingsc-explorer"):
            shown[div["data-explorer"]] = rel
        for line in soup.select('p.isingsc-figure-links[data-kind="explorer"]'):
            with_links[line["data-figure"].removeprefix("explorer-")] = rel
    assert set(shown) == set(EXPLORERS), f"explorers on the pages: {sorted(shown)}, in the library: {sorted(EXPLORERS)}"
    assert with_links == shown, f"explorers without data and code links: {sorted(set(shown) - set(with_links))}"


def test_report_rows_link_to_their_evidence():
    """Every row of a claims table (the reproduction report's, the robustness chapter's) links to its evidence."""
    if not PAGES:
        pytest.skip("no built book")
    rows = 0
    for rel in PAGES:
        for table in _soup(rel).select("table"):
            heads = [th.get_text(strip=True) for th in table.select("thead th")]
            if "evidence" not in heads:
                continue
            col = heads.index("evidence")
            for tr in table.select("tbody tr"):
                rows += 1
                cells = tr.select("td")
                links = cells[col].select("a[href]")
                claim = cells[heads.index("claim")].get_text(" ", strip=True)[:60] if "claim" in heads else tr
                assert links, f"{rel}: the row of {claim!r} has no link to its evidence"
                for a in links:
                    assert _resolves(rel, a["href"]), f"{rel}: the row of {claim!r} links to {a['href']}, which does not exist"
    assert "chapters/report.html" in PAGES and rows >= 20, f"only {rows} claims rows with evidence found"
