"""Input checks shared by the library's modules (ValueError with the offending name and value)."""
from __future__ import annotations

import math

import numpy as np

__all__ = ["check_real", "check_array"]


def check_real(value, name, *, nonneg=False, positive=False):
    """A finite real scalar as float; optionally required ``>= 0`` or ``> 0``."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {value!r}") from None
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite, got {x!r}")
    if nonneg and x < 0:
        raise ValueError(f"{name} must be >= 0, got {x!r}")
    if positive and x <= 0:
        raise ValueError(f"{name} must be > 0, got {x!r}")
    return x


def check_array(values, name, *, nonneg=False):
    """A finite float array; optionally required ``>= 0`` elementwise."""
    arr = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {values!r}")
    if nonneg and np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {values!r}")
    return arr
