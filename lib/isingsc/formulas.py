"""Closed-form and quasiclassical reference results the numerics are compared with.

Energies in meV (k_B = 1); susceptibilities are returned relative to the Pauli
value ``chi_P = 2 N(0)`` unless stated otherwise.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import integrate, optimize, special

__all__ = [
    "weak_soc_susceptibility",
    "yosida_function",
    "pauli_limited_tc",
    "ising_tc",
    "fermi_surface_ising_tc",
    "critical_field_estimate",
    "perturbative_energies",
]


def weak_soc_susceptibility(delta, lambda0):
    """In-plane chi_s / chi_P at T = 0 for a uniform splitting, Eq. (C8).

    Parameters
    ----------
    delta : float
        Gap (meV), > 0.
    lambda0 : float or ndarray
        Half the spin-orbit splitting at the Fermi level (meV), >= 0.
    """
    lam = np.abs(np.asarray(lambda0, float))
    if delta <= 0:
        raise ValueError(f"delta must be > 0 meV, got {delta!r}")
    s = np.hypot(lam, delta)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 1.0 - delta ** 2 / (2 * lam * s) * np.log((lam + s) / (s - lam))
    x2 = (lam / delta) ** 2  # small-lambda series (the closed form cancels catastrophically there)
    series = x2 * (2.0 / 3.0 - x2 * (8.0 / 15.0 - x2 * 16.0 / 35.0))
    return np.where(lam > 1e-2 * delta, out, series)


def yosida_function(T, delta):
    """Yosida function Y(T) = chi_perp/chi_P for constant density of states.

    ``Y = (1/2T) int_0^inf sech^2(sqrt(xi^2 + delta^2)/2T) d xi``; 0 at T = 0.
    """
    if T < 0 or delta < 0:
        raise ValueError("T and delta must be >= 0 meV")
    if T == 0:
        return 0.0 if delta > 0 else 1.0
    f = lambda xi: 1.0 / (2 * T) / np.cosh(np.hypot(xi, delta) / (2 * T)) ** 2  # noqa: E731
    return integrate.quad(f, 0.0, 40 * T + 10 * delta, limit=200)[0]


def pauli_limited_tc(J, tc0):
    """Second-order Tc of a Zeeman-split BCS superconductor (upper branch).

    Solves ``ln(Tc0/T) = Re psi(1/2 + i J/(2 pi T)) - psi(1/2)`` (meV).
    Returns 0.0 beyond the field where the upper branch ends (J > 0.6 Delta0).
    """
    if J < 0 or tc0 <= 0:
        raise ValueError("need J >= 0 and tc0 > 0 (meV)")
    if J == 0:
        return tc0

    def f(T):
        return np.log(tc0 / T) - (special.digamma(0.5 + 1j * J / (2 * np.pi * T)).real - special.digamma(0.5))

    Ts = tc0 * np.linspace(1.0 - 1e-12, 1e-3, 2000)
    vals = np.array([f(T) for T in Ts])
    idx = np.nonzero(vals > 0)[0]
    if idx.size == 0:
        return 0.0
    i = idx[0]
    return optimize.brentq(f, Ts[i], Ts[i - 1], xtol=1e-14 * tc0)


def ising_tc(J, splitting, tc0):
    """Tc for an in-plane field and a *uniform* Ising splitting (meV).

    ``ln(Tc0/T) = J^2/(J^2 + l^2) [Re psi(1/2 + i sqrt(J^2 + l^2)/(2 pi T)) - psi(1/2)]``
    with ``l`` = half the spin-orbit splitting (``lambda_0``).
    """
    return fermi_surface_ising_tc(J, np.array([splitting]), np.array([1.0]), tc0)


def fermi_surface_ising_tc(J, splittings, weights, tc0):
    """Quasiclassical in-plane Tc for a splitting that varies over the Fermi surface.

    The uniform-splitting pair-breaking parameter averaged over the Fermi
    surface with its density-of-states weights (e.g. from
    :func:`isingsc.quadrature.fermi_surface_nodes`, with ``splittings`` = half
    of ``xi_up - xi_down``).  Meant as an independent check of the 2D engine.
    """
    l = np.abs(np.asarray(splittings, float))
    w = np.asarray(weights, float) / np.sum(weights)
    if J == 0:
        return tc0
    rho = np.hypot(J, l)

    def f(T):
        pb = special.digamma(0.5 + 1j * rho / (2 * np.pi * T)).real - special.digamma(0.5)
        return np.log(tc0 / T) - np.sum(w * J * J / rho ** 2 * pb)

    if f(1e-4 * tc0) < 0:
        return 0.0
    return optimize.brentq(f, 1e-4 * tc0, tc0 * (1 - 1e-12), xtol=1e-14 * tc0)


def critical_field_estimate(n0, chi_n, chi_s, theta, delta0):
    """The paper's J_c = sqrt(N(0)/(chi_n(theta) - chi_s sin^2 theta)) Delta0 (after Eq. 8), meV."""
    denom = chi_n - chi_s * math.sin(theta) ** 2
    if denom <= 0:
        return math.inf
    return math.sqrt(n0 / denom) * delta0


def perturbative_energies(a, b, delta, J, theta):
    """Quasiparticle energies to second order in J, Eqs. (C2)-(C3), shape (..., 4) (meV).

    Diverges where ``|xi_up| = |xi_down|`` (e.g. on the Gamma-M lines, where
    the spin-orbit splitting vanishes): there the states are degenerate and
    non-degenerate perturbation theory does not apply.
    """
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    Ea, Eb = np.hypot(a, delta), np.hypot(b, delta)
    jz, j2 = J * math.cos(theta), (J * math.sin(theta)) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        ca = (a * b + a * a + 2 * delta ** 2) / ((a * a - b * b) * Ea) * j2
        cb = (a * b + b * b + 2 * delta ** 2) / ((b * b - a * a) * Eb) * j2
    return np.stack([Ea + jz + ca, -Ea + jz - ca, Eb - jz + cb, -Eb - jz - cb], axis=-1)
