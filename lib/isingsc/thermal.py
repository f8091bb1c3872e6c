"""Thermal stability of the macrospins: Stoner-Wohlfarth barrier against k_B T (Neel-Arrhenius).

A single-domain magnet of area ``A`` with a net uniaxial anisotropy ``K`` per
Nb site (meV) has, in zero field, the Stoner-Wohlfarth barrier
``E_b = |K| A / A_site`` between its two minima (``A_site`` the area per Nb
site of NbSe2, ``isingsc.materials.nbse2.SITE_AREA``).  By the
Neel-Arrhenius law its moment switches thermally after a mean time
``tau = exp(E_b / k_B T) / f0`` (attempt frequency ``f0``, typically
1e9-1e10 Hz, Brown 1963); the hysteresis survives a measurement of duration
``t`` if ``tau > t``, i.e. for flakes larger than
``A_min = k_B T ln(f0 t) A_site / |K|``.

Units
-----
Energies and temperatures in meV (k_B = 1), anisotropies in meV per Nb site,
areas in square micrometres, times in seconds, frequencies in Hz.
"""
from __future__ import annotations

import math

import numpy as np

from ._validation import check_array, check_real, numerics
from .materials.nbse2 import SITE_AREA
from .superconductor import KELVIN

__all__ = ["ATTEMPT_FREQUENCY", "sites_per_um2", "barrier", "switching_time", "critical_area"]

#: Default attempt frequency ``f0 = 1e9`` Hz; 1e9-1e10 Hz is the usual range (Brown 1963).
ATTEMPT_FREQUENCY = 1e9

_A2_PER_UM2 = 1e8


def sites_per_um2():
    """Nb sites per square micrometre of NbSe2 (from the lattice constant of :mod:`isingsc.materials.nbse2`).

    Returns
    -------
    float
        Sites per um^2.

    Examples
    --------
    >>> round(sites_per_um2() / 1e6, 3)
    9.656
    """
    return _A2_PER_UM2 / SITE_AREA


@numerics
def barrier(K, area):
    """Zero-field Stoner-Wohlfarth barrier ``|K| N_sites`` (meV) of a flake of ``area`` (um^2).

    Parameters
    ----------
    K : array_like
        Net uniaxial anisotropy per Nb site (meV); only ``|K|`` matters.
    area : array_like
        Flake area (um^2), >= 0; broadcast against ``K``.

    Returns
    -------
    float or ndarray
        The barrier (meV), the broadcast shape.

    Raises
    ------
    TypeError
        Non-real arguments.
    ValueError
        Non-finite values, a negative area, or a barrier that overflows double precision.

    Examples
    --------
    >>> round(barrier(1e-5, 1.0) / KELVIN)      # 10 neV per site over 1 um^2, in kelvin
    1121
    """
    K = check_array(K, "K", unit="meV per Nb site")
    area = check_array(area, "area", unit="um^2", nonneg=True)
    with np.errstate(over="ignore"):
        out = np.abs(K) * area * sites_per_um2()
    if not np.all(np.isfinite(out)):
        raise ValueError("the barrier |K| area sites_per_um2 overflows double precision: K (meV per Nb site) or "
                         "area (um^2) is far too large")
    return float(out) if out.ndim == 0 else out


@numerics
def switching_time(K, area, T, attempt_frequency=ATTEMPT_FREQUENCY):
    """Neel-Arrhenius mean switching time ``exp(E_b/T)/f0`` (s) of a flake.

    Parameters
    ----------
    K : array_like
        Net uniaxial anisotropy per Nb site (meV); only ``|K|`` matters.
    area : array_like
        Flake area (um^2), >= 0; broadcast against ``K``.
    T : float
        Temperature (meV), > 0.
    attempt_frequency : float, optional
        ``f0`` (Hz), > 0; default :data:`ATTEMPT_FREQUENCY`.

    Returns
    -------
    float or ndarray
        ``tau`` (s), the broadcast shape of ``K`` and ``area``.

    Raises
    ------
    TypeError
        Non-real arguments.
    ValueError
        Non-finite or negative values, or a time beyond double precision
        (``E_b / T > 700``: the moment never switches thermally; compare :func:`barrier` with ``T``).

    Examples
    --------
    >>> f"{switching_time(1e-5, 0.01, 3 * KELVIN):.1e}"   # 0.01 um^2 at 3 K: superparamagnetic
    '4.2e-08'
    """
    T = check_real(T, "T", unit="meV", positive=True)
    f0 = check_real(attempt_frequency, "attempt_frequency", unit="Hz", positive=True)
    x = np.asarray(barrier(K, area)) / T
    out = np.exp(np.minimum(x, 700.0)) / f0
    if np.any(x > 700.0) or not np.all(np.isfinite(out)):
        raise ValueError(f"K (meV per Nb site), area (um^2), T = {T:g} meV and attempt_frequency = {f0:g} Hz give a "
                         f"switching time exp(E_b/T)/f0 beyond double precision (E_b/T = {float(np.max(x)):.4g}): "
                         "the moment never switches thermally")
    return float(out) if out.ndim == 0 else out


@numerics
def critical_area(K, T, time=100.0, attempt_frequency=ATTEMPT_FREQUENCY):
    """Smallest flake area (um^2) whose moment survives thermal switching for ``time`` (s) at ``T`` (meV).

    ``K`` and ``T`` broadcast against each other.

    ``A_min = T ln(f0 time) / (|K| sites_per_um2)``.

    Parameters
    ----------
    K : array_like
        Net uniaxial anisotropy per Nb site (meV), not zero; only ``|K|`` matters.
    T : array_like
        Temperature (meV), > 0.
    time : float, optional
        Measurement time (s), > 0 (default 100 s).
    attempt_frequency : float, optional
        ``f0`` (Hz), > 0, with ``f0 time > 1``.

    Returns
    -------
    float or ndarray
        ``A_min`` (um^2), the broadcast shape of ``K`` and ``T``.

    Raises
    ------
    TypeError
        Non-real arguments.
    ValueError
        Non-finite values, ``T <= 0``, ``f0 time <= 1``, ``K = 0`` (no barrier at all: no flake is
        stable) or an area beyond double precision.

    Examples
    --------
    >>> round(critical_area(1e-5, 1.5 * KELVIN), 4)     # 10 neV per site at 1.5 K, 100 s, 1 GHz
    0.0339
    """
    K = check_array(K, "K", unit="meV per Nb site")
    T = check_array(T, "T", unit="meV", positive=True)
    t = check_real(time, "time", unit="s", positive=True)
    f0 = check_real(attempt_frequency, "attempt_frequency", unit="Hz", positive=True)
    if f0 * t <= 1.0:
        raise ValueError(f"attempt_frequency * time = {f0 * t:g} <= 1: the measurement is shorter than one attempt")
    if np.any(K == 0.0):
        raise ValueError("K = 0 meV per Nb site: without anisotropy there is no barrier and no flake is stable")
    with np.errstate(over="ignore"):
        out = T * math.log(f0 * t) / (np.abs(K) * sites_per_um2())
    if not np.all(np.isfinite(out)):
        raise ValueError(f"K (meV per Nb site), T (meV), time = {t:g} s and attempt_frequency = {f0:g} Hz give a "
                         "critical area beyond double precision: |K| is far too small")
    return float(out) if out.ndim == 0 else out
