"""The book's machinery: what serves the book's chapters, not a physicist's own study.

The library (:mod:`isingsc`) is what a user builds on: band models, the
superconductor, the magnets, their coupling, ``T*`` and the maps.  This
subpackage holds what only the book needs to present and check the paper:

=====================================  ======================================================================
:mod:`~isingsc.book.report`            the reproduction report: every claim of the paper, recomputed and judged
:mod:`~isingsc.book.beyond_paper`      the robustness chapter's summary, resolution checks and verdicts
:mod:`~isingsc.book.paper_checks`      the paper's appendix formulas checked: (B2), (B3), Eq. (6), DOS window, tricritical point
:mod:`~isingsc.book.explorers`         the interactive explorers' compute functions (one per explorer)
:mod:`~isingsc.book.interactive`       their two views: plotly frames for the HTML book, ipywidgets live
:mod:`~isingsc.book.figures`           the book's figure style and the check that every figure is legible as shown
:mod:`~isingsc.book.glue`              MyST-NB's glue with NumPy scalars glued as Python numbers
:mod:`~isingsc.book.provenance`        every figure's data file (the drawn arrays) and links to the code that drew it
:mod:`~isingsc.book.build_cache`       a chapter run in the repository reuses the results the build stored
=====================================  ======================================================================

The submodules are imported on first use (``from isingsc.book import report``),
so ``import isingsc.book`` costs nothing.

Examples
--------
>>> from isingsc.book import report
>>> report.AGREES
'agrees'
"""
from __future__ import annotations

import importlib

__all__ = ["report", "beyond_paper", "paper_checks", "explorers", "interactive", "figures", "glue", "provenance",
           "build_cache"]


def __getattr__(name):
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
