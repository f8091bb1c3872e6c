"""Spin-orbit impurity scattering and the spin susceptibility (Abrikosov-Gor'kov).

Spin-orbit scattering by impurities (rate ``1/tau_so``) does not conserve
spin, so a singlet superconductor keeps part of its spin susceptibility at
``T = 0`` (Abrikosov and Gor'kov 1962; Anderson's argument: strong scattering
restores ``chi_n``).  In the quasiclassical (Maki) form, the Zeeman field enters
``u_+- = (omega -+ i h)/Delta + b (u_+- - u_-+)/sqrt(1 + u_-+^2)`` with
``b = hbar/(3 tau_so Delta)`` (as in Meservey and Tedrow's review);
linearising in ``h`` gives

    chi/chi_n = 1 - R,   R = pi T sum_omega Delta^2 / [(omega^2 + Delta^2)(sqrt(omega^2 + Delta^2) + 2 Gamma/3)]

over all fermionic Matsubara frequencies ``omega = pi T (2n + 1)``, with
``Gamma = hbar/tau_so`` (meV).  ``Gamma = 0`` is the Yosida function
(``R = 1`` at ``T = 0``); ``Gamma >> Delta`` gives ``R(0) = 3 pi Delta/(4 Gamma)``.
At ``T = 0`` the sum is an integral with the closed form (``g = 2 Gamma/(3 Delta)``)
``R = [pi/2 - arccos(g)/sqrt(1 - g^2)] / g`` (analytically continued for g > 1).
Scattering by non-magnetic impurities leaves the gap unchanged (Anderson's theorem).

:func:`ising_susceptibilities` applies this to the Ising superconductor: the
out-of-plane field couples to the conserved ``S_z`` of the clean bands, so its
susceptibility is ``chi_P (1 - R)`` exactly as for a conventional
superconductor; for the in-plane one two bounds are given (see there).

Units
-----
Energies, temperatures and rates ``hbar/tau_so`` in meV (k_B = 1);
susceptibilities per Nb site (1/meV).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import integrate

from ._validation import checked_fields, numerics, check_choice, check_instance, check_real
from .superconductor import IsingSuperconductor

__all__ = ["suppression", "susceptibility_ratio", "SOScatteringSusceptibility", "ising_susceptibilities"]


#: Largest energy (meV) taken here: far above any gap, rate or temperature of a superconductor.
_MAX_ENERGY = 1e6
#: Matsubara frequencies summed term by term at most (about 32 MB per array); beyond, the rest of the sum is
#: the midpoint-rule integral (its error ~(2 pi T)^2 g'/24 is far below double precision there).
_MAX_TERMS = 4_000_000


def _check_rate(rate):
    return check_real(rate, "rate", unit="meV (hbar/tau_so)", nonneg=True, upper=_MAX_ENERGY)


def _zero_temperature(delta, rate):
    g = 2.0 * rate / (3.0 * delta)
    if g < 1e-6:
        return 1.0 - 2.0 * g / math.pi * (math.pi / 2 - 1.0)  # series: 1 - (1 - 2/pi) g + O(g^2)
    if abs(g - 1.0) < 1e-6:
        ratio = 1.0 - (g - 1.0) / 3.0  # arccos(g)/sqrt(1-g^2) near g = 1
    elif g < 1.0:
        ratio = math.acos(g) / math.sqrt(1.0 - g * g)
    else:
        ratio = math.acosh(g) / math.sqrt(g * g - 1.0)
    return (math.pi / 2 - ratio) / g


@numerics
def suppression(T, delta, rate):
    """``R = 1 - chi/chi_n``, the pairing suppression of a conserved-spin susceptibility with spin-orbit scattering.

    Parameters
    ----------
    T : float
        Temperature (meV), >= 0.
    delta : float
        Gap at ``T`` (meV), >= 0 (0: normal state, ``R = 0``).
    rate : float
        ``Gamma = hbar/tau_so`` (meV), >= 0.

    Returns
    -------
    float
        ``R`` in ``[0, 1]`` (dimensionless).

    Raises
    ------
    TypeError
        A non-real argument.
    ValueError
        A negative, non-finite or out-of-range value (each at most 1e6 meV).

    Examples
    --------
    >>> suppression(0.0, 1.0, 0.0)
    1.0
    >>> round(suppression(0.0, 1.0, 1e4) * 1e4 / (0.75 * math.pi), 3)   # 3 pi Delta / (4 Gamma)
    0.999
    """
    T = check_real(T, "T", unit="meV", nonneg=True, upper=_MAX_ENERGY)
    delta = check_real(delta, "delta", unit="meV", nonneg=True, upper=_MAX_ENERGY)
    rate = _check_rate(rate)
    if delta == 0.0:
        return 0.0
    if T == 0.0:
        return _zero_temperature(delta, rate)
    c = 2.0 * rate / 3.0
    g = lambda w: delta**2 / ((w * w + delta**2) * (np.sqrt(w * w + delta**2) + c))  # noqa: E731
    # explicit sum while omega < 200 max(Delta, Gamma, T), midpoint-rule integral for the tail
    cut = 200.0 * max(delta, c, T)
    n = int(math.ceil(cut / (2 * math.pi * T)))
    # beyond _MAX_TERMS frequencies (T far below the gap or the rate) the rest of the sum is the
    # midpoint-rule integral, evaluated to full precision (its error is ~(2 pi T)^2 g'/24, far below 1e-15)
    tight = {} if n <= _MAX_TERMS else {"epsabs": 0.0, "epsrel": 1e-13}
    n = min(n, _MAX_TERMS)
    w = math.pi * T * (2 * np.arange(n) + 1)
    head = float(np.sum(g(w)))
    tail = integrate.quad(g, 2 * math.pi * T * n, np.inf, limit=200, **tight)[0] / (2 * math.pi * T)
    return 2.0 * math.pi * T * (head + tail)  # both signs of omega


def susceptibility_ratio(T, delta, rate):
    """``chi/chi_n = 1 - R`` of :func:`~isingsc.spin_orbit_scattering.suppression` (conventional s-wave superconductor, AG 1962).

    Parameters
    ----------
    T : float
        Temperature (meV), >= 0.
    delta : float
        Gap at ``T`` (meV), >= 0.
    rate : float
        ``Gamma = hbar/tau_so`` (meV), >= 0.

    Returns
    -------
    float
        ``chi / chi_n`` in ``[0, 1]``.

    Raises
    ------
    TypeError
        A non-real argument.
    ValueError
        A negative, non-finite or out-of-range value.

    Examples
    --------
    >>> round(susceptibility_ratio(0.0, 1.0, 0.0), 12), round(susceptibility_ratio(0.0, 1.0, 1e6), 4)
    (0.0, 1.0)
    """
    return 1.0 - suppression(T, delta, rate)


@checked_fields(units={n: "1/meV" for n in ("chi_P", "chi_n_soc", "chi_perp", "chi_par_clean", "chi_par_scaled")}
                | {"T": "meV", "rate": "meV"},
                nonneg=("T", "rate", "chi_P", "chi_n_soc", "chi_perp", "chi_par_clean", "chi_par_scaled"))
@dataclass(frozen=True)
class SOScatteringSusceptibility:
    """Ising-superconductor susceptibilities with spin-orbit scattering (1/meV per site).

    Attributes
    ----------
    T : float
        Temperature (meV).
    rate : float
        ``hbar/tau_so`` (meV).
    chi_P : float
        Normal-state out-of-plane susceptibility ``2 N(0)``.
    chi_n_soc : float
        Normal-state in-plane susceptibility at ``Tc0``.
    chi_perp : float
        Out-of-plane: ``chi_P (1 - R)``.
    chi_par_clean : float
        In-plane, clean engine value (lower bound: scattering only restores susceptibility).
    chi_par_scaled : float
        In-plane, its pairing suppression scaled by the same factor ``R(Gamma)/R(0)``.

    Examples
    --------
    >>> r = SOScatteringSusceptibility(0.0, 0.1, 2.0, 1.9, 0.1, 1.8, 1.85)
    >>> round(r.indicator("scaled"), 3)
    0.925
    """

    T: float
    rate: float
    chi_P: float
    chi_n_soc: float
    chi_perp: float
    chi_par_clean: float
    chi_par_scaled: float

    def indicator(self, bound="clean"):
        """The reversal indicator ``D = [(chi_par - chi_perp) - (chi_n_soc - chi_P)] / chi_P`` with the in-plane ``bound``.

        Parameters
        ----------
        bound : {"clean", "scaled"}, optional
            Which in-plane susceptibility: ``chi_par_clean`` or ``chi_par_scaled``.

        Returns
        -------
        float
            ``D`` (dimensionless); ``D > 0``: the superconductor reverses the normal-state preference.

        Raises
        ------
        TypeError, ValueError
            ``bound`` not one of the two strings.

        Examples
        --------
        >>> r = SOScatteringSusceptibility(0.0, 0.1, 2.0, 1.9, 0.1, 1.8, 1.85)
        >>> round(r.indicator(), 3), round(r.indicator("scaled"), 3)
        (0.9, 0.925)
        """
        bound = check_choice(bound, "bound", ("clean", "scaled"))
        par = self.chi_par_clean if bound == "clean" else self.chi_par_scaled
        return ((par - self.chi_perp) - (self.chi_n_soc - self.chi_P)) / self.chi_P


@lru_cache(maxsize=256)
def _engine_values(sc, T):
    """chi_P, chi_n^soc(Tc0) and the clean in-plane chi(T) of ``sc`` (cached: the rate does not enter)."""
    return sc.pauli_susceptibility, sc.normal_susceptibility(np.pi / 2, T=sc.tc0), sc.spin_susceptibility(T)


@numerics
def ising_susceptibilities(sc, T, rate):
    """:class:`~isingsc.spin_orbit_scattering.SOScatteringSusceptibility` of the Ising superconductor ``sc`` at ``T`` and ``hbar/tau_so = rate``.

    The gap is the clean one (Anderson's theorem).  The out-of-plane field
    couples to the conserved ``S_z``: ``chi_perp = chi_P (1 - R)``.  The
    in-plane one is bracketed: ``chi_par_clean`` (no restoration at all: the
    smallest in-plane preference, hence a conservative test of the reversal)
    and ``chi_par_scaled`` (its suppression ``chi_n_soc - chi_par`` reduced by
    the same factor ``R(Gamma)/R(0)`` as the out-of-plane one).

    Parameters
    ----------
    sc : IsingSuperconductor
        The clean superconductor.
    T : float
        Temperature (meV), ``0 <= T <=`` the band width.
    rate : float
        ``hbar/tau_so`` (meV), ``>= 0``.

    Returns
    -------
    SOScatteringSusceptibility

    Raises
    ------
    TypeError
        ``sc`` not an :class:`~isingsc.superconductor.IsingSuperconductor`, or non-real numbers.
    ValueError
        Negative, non-finite or out-of-range values.
    ConvergenceError
        A solve of the superconductor that cannot be established.

    Examples
    --------
    >>> from isingsc import ising_superconductor
    >>> r = ising_susceptibilities(ising_superconductor(150.0), 0.0, 0.0)
    >>> r.chi_perp, round(r.indicator(), 4)
    (0.0, 0.9781)
    """
    check_instance(sc, "sc", IsingSuperconductor)
    T = sc._temperature(sc._T(T))
    rate = _check_rate(rate)
    delta = sc.delta0 if T == 0.0 else sc.gap(T)
    chi_p, chi_n, par = _engine_values(sc, T)
    r_clean, r = suppression(T, delta, 0.0), suppression(T, delta, rate)
    scaled = par if r_clean == 0.0 else chi_n - (chi_n - par) * r / r_clean
    return SOScatteringSusceptibility(float(T), rate, chi_p, chi_n, chi_p * (1.0 - r), par, scaled)
