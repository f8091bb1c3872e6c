"""How nbval compares the numbers a chapter glues (MyST-NB ``glue``) with the executed reference.

A glued number is stored at full double precision (``repr``) in an output with the MIME type
``application/papermill.record/text/plain``, and nbval compares those strings exactly.  The last digits
of such a number depend on the CPU the notebook runs on (NumPy's SIMD loops for ``exp``, ``log`` and the
reductions differ between instruction sets): between the AMD EPYC on which the references were executed
and an Intel Xeon host of the same CI pool, 15 of the glued numbers differed, by 1e-16 to 8e-6 relative
(the largest: the tricritical temperature, an ill-conditioned intersection of two phase boundaries), and
accuracy residuals such as a sum-rule check at 1.1e-7 against 1.3e-7.

So glued numbers are compared as numbers, to what the book can show: within ``REL_TOL`` relative (the
prose shows at most five significant digits; the printed outputs of the same cells, rounded to the
digits we trust, are still compared exactly), and residuals (both below ``RESIDUAL`` in magnitude, shown
in the prose as an order of magnitude) within a factor ``RESIDUAL_FACTOR`` of each other, or both at
round-off level (below ``ROUND_OFF``).  Everything that is not a number on both sides (strings, tables,
lists) is still compared exactly.
"""
from __future__ import annotations

import copy
import math

__all__ = ["GLUE_MIME", "REL_TOL", "RESIDUAL", "RESIDUAL_FACTOR", "ROUND_OFF", "same_number",
           "align_glued_numbers"]

GLUE_MIME = "application/papermill.record/text/plain"
REL_TOL = 1e-4
RESIDUAL = 1e-6
RESIDUAL_FACTOR = 3.0
ROUND_OFF = 1e-12


def _float(text):
    try:
        x = float(text)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def same_number(reference: str, test: str) -> bool:
    """True if two glued values are the same number to what the book shows (see the module docstring)."""
    if reference == test:
        return True
    a, b = _float(reference), _float(test)
    if a is None or b is None:
        return False
    if math.isclose(a, b, rel_tol=REL_TOL, abs_tol=0.0):
        return True
    if max(abs(a), abs(b)) < ROUND_OFF:
        return True
    if max(abs(a), abs(b)) < RESIDUAL and a * b > 0:
        return max(abs(a), abs(b)) <= RESIDUAL_FACTOR * min(abs(a), abs(b))
    return False


def _name(output):
    return output.get("metadata", {}).get("scrapbook", {}).get("name")


def align_glued_numbers(test_outputs, ref_outputs):
    """A copy of ``test_outputs`` in which each glued number equal (:func:`same_number`) to the
    reference's glued value of the same name carries the reference's string; the rest is unchanged."""
    ref = {_name(o): o["data"][GLUE_MIME] for o in ref_outputs
           if _name(o) is not None and GLUE_MIME in o.get("data", {})}
    out = []
    for o in test_outputs:
        name = _name(o)
        value = o.get("data", {}).get(GLUE_MIME) if name is not None else None
        if value is not None and name in ref and ref[name] != value and same_number(ref[name], value):
            o = copy.deepcopy(o)
            o["data"][GLUE_MIME] = ref[name]
        out.append(o)
    return out
