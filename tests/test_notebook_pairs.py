"""Each chapter is a MyST .md paired with an executed .ipynb: their inputs must agree.

jupytext's --sync relies on file timestamps, which a fresh clone does not keep, so we
regenerate the notebook cells from the .md and compare sources cell by cell.
"""
from pathlib import Path

import jupytext
import nbformat
import pytest

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"


def _is_notebook(md):
    """A jupytext MyST notebook has a front matter with a kernelspec; plain pages (bibliography) do not."""
    text = md.read_text(encoding="utf-8")
    return text.startswith("---") and "kernelspec:" in text.split("\n---", 1)[0]


PAIRS = sorted(md for md in CHAPTERS.glob("*.md") if _is_notebook(md))


def _cells(nb):
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def test_every_chapter_is_paired():
    assert PAIRS, "no chapters found"
    for md in PAIRS:
        assert md.with_suffix(".ipynb").exists(), f"{md.name} has no executed .ipynb twin"
    for ipynb in CHAPTERS.glob("*.ipynb"):
        assert ipynb.with_suffix(".md").exists(), f"{ipynb.name} has no .md source"


@pytest.mark.parametrize("md", PAIRS, ids=lambda p: p.name)
def test_pair_inputs_agree(md):
    from_md = jupytext.read(md)
    executed = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    assert _cells(from_md) == _cells(executed), (
        f"{md.name} and its .ipynb have drifted apart: re-run "
        f"`jupytext --to ipynb --execute chapters/{md.name}`"
    )


@pytest.mark.parametrize("md", PAIRS, ids=lambda p: p.name)
def test_reference_notebook_is_executed(md):
    nb = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert code, f"{md.name} has no code"
    assert all(c.get("execution_count") for c in code), (
        f"{md.with_suffix('.ipynb').name} is not fully executed; nbval needs its outputs"
    )
