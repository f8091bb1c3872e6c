"""How robust is the reversed T*?  Decomposition, filling, Rashba and finite-J maps (issue 10).

The book finds that superconductivity *strengthens* the in-plane preference of
the magnets (``chi_par - chi_perp`` grows on cooling), so that ``T*`` runs in
the direction opposite to the paper's Fig. 1(b).  This module tests that
finding beyond the clean one-band model at the paper's filling:

* :func:`susceptibility_decomposition` -- ``chi_par`` split into its intra-band
  (Fermi-surface, Yosida-suppressed) and inter-band (Van Vleck) parts;
* :func:`filling_point` / :func:`filling_map` -- the same across the band
  (any on-site energy ``epsilon``, also near the van Hove saddles);
* :func:`rashba_point` / :func:`rashba_map` / :func:`rashba_crossover` -- with
  Rashba coupling ``alpha_R``;
* :func:`alignment_map` -- the superconductor's own preference between
  in-plane and out-of-plane magnets at finite exchange field ``J`` (up to and
  beyond ``H_P``), from the self-consistent free energy.

The book's verdicts on these questions (the chapter's summary numbers and its
"beyond the paper" claims) are the book's machinery, in
:mod:`isingsc.book.beyond_paper`.

The *direction of T** is read off the superconducting change of the
anisotropy, ``D = [Dchi(0) - Dchi(Tc)] / chi_P`` with ``Dchi = chi_par -
chi_perp``: ``D > 0`` means pairing adds in-plane preference on cooling, so a
magnet whose own easy axis is out of plane is in plane below ``T*`` and out of
plane above it (``"in-plane -> out-of-plane"`` on warming, the book's
finding); ``D < 0`` gives the paper's sequence (``"out-of-plane -> in-plane"``).

Units
-----
Energies and temperatures in meV (k_B = 1), susceptibilities per Nb site
(1/meV, moment one), free energies per Nb site (meV).
"""
from __future__ import annotations

import math  # noqa: F401  (the doctests use it)
from dataclasses import dataclass

import numpy as np

from ._results_cache import persistent
from . import bdg
from ._parallel import parallel_map
from ._validation import check_array, check_instance, check_real, checked_fields, numerics
from .materials.nbse2 import NbSe2
from .superconductor import DELTA0_PAPER, IsingSuperconductor, Resolution

__all__ = [
    "IN_PLANE_BELOW",
    "OUT_OF_PLANE_BELOW",
    "tstar_direction",
    "SusceptibilityParts",
    "susceptibility_decomposition",
    "FillingPoint",
    "filling_point",
    "filling_map",
    "RashbaPoint",
    "rashba_point",
    "rashba_map",
    "rashba_crossover",
    "AlignmentMap",
    "alignment_map",
    "alignment_preference",
    "reorientation_field",
    "reorientation_temperature",
]

#: T* direction (on warming) when pairing adds in-plane preference (the book's finding)
IN_PLANE_BELOW = "in-plane -> out-of-plane"
#: T* direction (on warming) of the paper's Fig. 1(b)
OUT_OF_PLANE_BELOW = "out-of-plane -> in-plane"


def tstar_direction(indicator):
    """The T* direction for a superconducting anisotropy change ``D`` (see the module docstring).

    Parameters
    ----------
    indicator : float
        ``D`` (dimensionless).

    Returns
    -------
    str
        :data:`IN_PLANE_BELOW` for ``D > 0``, else :data:`OUT_OF_PLANE_BELOW`.

    Raises
    ------
    TypeError
        A non-real ``indicator``.
    ValueError
        A non-finite ``indicator``.

    Examples
    --------
    >>> tstar_direction(0.98), tstar_direction(-0.1)
    ('in-plane -> out-of-plane', 'out-of-plane -> in-plane')
    """
    return IN_PLANE_BELOW if check_real(indicator, "indicator") > 0 else OUT_OF_PLANE_BELOW


# ---------------------------------------------------------------------------------------------- section 1
def _inplane_parts(a, b, delta, T):
    """Intra- and inter-band parts of the in-plane spin susceptibility density (1/meV).

    The in-plane density of :func:`isingsc.bdg.spin_susceptibility_density`
    is ``c+ S + c- O`` with ``S = [tanh(Ea/2T) - tanh(Eb/2T)]/(Ea - Eb)`` (both
    quasiparticles on the same side of zero: a Fermi-surface term, non-zero
    only where the spin-orbit splitting is within ~T of zero and suppressed
    like the Yosida function) and ``O = [tanh(Ea/2T) + tanh(Eb/2T)]/(Ea + Eb)``
    (across the spin-orbit gap: the Van Vleck term, denominators ~ 2 lambda).
    """
    d2 = float(delta) ** 2
    Ea, Eb = np.sqrt(a * a + d2), np.sqrt(b * b + d2)
    EaEb = Ea * Eb
    with np.errstate(divide="ignore", invalid="ignore"):
        coh = np.clip(np.where(EaEb > 0, (a * b + d2) / np.where(EaEb > 0, EaEb, 1.0), 1.0), -1.0, 1.0)
        total = Ea + Eb
        if T == 0.0:
            same = np.zeros_like(EaEb)
            opposite = np.where(total > 0, 2.0 / np.where(total > 0, total, 1.0), 0.0)
        else:
            x, y = Ea / (2 * T), Eb / (2 * T)
            same = bdg._tanh_divided(x, y) / (2 * T)
            opposite = np.where(total > 0, (bdg._tanh(x) + bdg._tanh(y)) / np.where(total > 0, total, 1.0), 0.5 / T)
    return 0.5 * (1.0 + coh) * same, 0.5 * (1.0 - coh) * opposite


@checked_fields(units={"T": "meV", "gap": "meV"}, nonneg=("T", "gap", "intra", "inter", "chi_par", "chi_perp", "chi_P"))
@dataclass(frozen=True)
class SusceptibilityParts:
    """``chi_par`` split into intra- and inter-band parts at one temperature (1/meV per site).

    Attributes
    ----------
    T : float
        Temperature (meV).
    gap : float
        Self-consistent zero-field gap at ``T`` (meV).
    intra : float
        Intra-band (Fermi-surface, Yosida-suppressed) part of ``chi_par``.
    inter : float
        Inter-band (Van Vleck) part of ``chi_par``.
    chi_par : float
        ``intra + inter``, the engine's in-plane ``spin_susceptibility(T)``.
    chi_perp : float
        Out-of-plane susceptibility (all intra-band: ``S_z`` is conserved).
    chi_P : float
        Pauli susceptibility ``2 N(0)``.

    Examples
    --------
    >>> p = SusceptibilityParts(T=0.0, gap=0.47, intra=0.0, inter=1.9, chi_par=1.9, chi_perp=0.0, chi_P=2.0)
    >>> round(p.anisotropy, 12)
    0.95
    """

    T: float
    gap: float
    intra: float
    inter: float
    chi_par: float
    chi_perp: float
    chi_P: float

    @property
    def anisotropy(self):
        """``(chi_par - chi_perp) / chi_P`` (dimensionless).

        Examples
        --------
        >>> round(SusceptibilityParts(0.1, 0.4, 0.2, 1.7, 1.9, 0.3, 2.0).anisotropy, 12)
        0.8
        """
        return (self.chi_par - self.chi_perp) / self.chi_P


@persistent
@numerics
def susceptibility_decomposition(sc, T):
    """Intra-/inter-band decomposition of the in-plane susceptibility at temperature ``T`` (meV).

    Parameters
    ----------
    sc : IsingSuperconductor
        Without Rashba coupling (the band basis is then the spin basis).
    T : float
        Temperature (meV), >= 0; above ``Tc0`` the normal state.

    Returns
    -------
    SusceptibilityParts
        On the engine's own quadrature, so ``intra + inter`` equals
        ``sc.spin_susceptibility(T)`` to rounding.

    Raises
    ------
    TypeError
        ``sc`` not an :class:`~isingsc.superconductor.IsingSuperconductor`, or a non-real ``T``.
    ValueError
        A negative, non-finite or too large ``T``, or a model with Rashba coupling.

    Examples
    --------
    >>> from isingsc import ising_superconductor
    >>> sc = ising_superconductor(150.0)
    >>> p = susceptibility_decomposition(sc, 0.0)
    >>> p.intra, round(p.inter / p.chi_P, 4), p.chi_perp
    (0.0, 0.9776, 0.0)
    """
    check_instance(sc, "sc", IsingSuperconductor, "e.g. isingsc.ising_superconductor(150)")
    if sc.model.alpha_R != 0.0:
        raise ValueError(f"alpha_R = {sc.model.alpha_R:g} meV: the intra/inter split here is in the Ising "
                         "(spin) basis; use alpha_R = 0")
    T = sc._temperature(sc._T(T))
    delta = sc.delta0 if T == 0.0 else sc.gap(T)
    q = sc.quadrature(T, 0.0, np.pi / 2)
    intra, inter = q._integrate(_inplane_parts, delta, T)
    chi_par = sc.spin_susceptibility(T)
    chi_perp = sc.spin_susceptibility(T, 0.0)
    return SusceptibilityParts(float(T), float(delta), intra, inter, chi_par, chi_perp, sc.pauli_susceptibility)


# ---------------------------------------------------------------------------------------------- section 2
@checked_fields(units={"epsilon": "meV", "lambda_soc": "meV", "tc0": "meV"},
                nonneg=("lambda_soc", "tc0", "chi_P", "chi_n_soc", "chi_n_perp", "chi_s0"))
@dataclass(frozen=True)
class FillingPoint:
    """Susceptibilities at one filling (on-site energy ``epsilon``), per site (1/meV).

    Attributes
    ----------
    epsilon : float
        On-site energy of the NbSe2 model (meV).
    lambda_soc : float
        Spin-orbit coupling (meV).
    tc0 : float
        Zero-field critical temperature (meV).
    chi_P : float
        ``2 N(0)``.
    chi_n_soc : float
        Normal-state in-plane susceptibility at ``Tc0`` (next to a band edge it differs from its
        ``T = 0`` value: the density of states changes within ``Tc0`` of the Fermi level).
    chi_n_perp : float
        Normal-state out-of-plane susceptibility at ``Tc0`` (``chi_P`` away from band edges).
    chi_s0 : float
        Superconducting in-plane ``chi_s(T = 0)`` (the out-of-plane one is exactly 0 at ``T = 0``).

    Examples
    --------
    >>> p = FillingPoint(-44.5, 69.8, 0.264, 0.00193, 0.00193, 0.00193, 0.00189)
    >>> round(p.indicator, 4), p.direction
    (0.9793, 'in-plane -> out-of-plane')
    """

    epsilon: float
    lambda_soc: float
    tc0: float
    chi_P: float
    chi_n_soc: float
    chi_n_perp: float
    chi_s0: float

    @property
    def indicator(self):
        """``D = [Dchi(0) - Dchi(Tc)] / chi_P = (chi_s0 - chi_n_soc + chi_n_perp) / chi_P`` (dimensionless).

        Examples
        --------
        >>> round(FillingPoint(-44.5, 69.8, 0.264, 2.0, 1.9, 2.0, 1.8).indicator, 12)
        0.95
        """
        return (self.chi_s0 - self.chi_n_soc + self.chi_n_perp) / self.chi_P

    @property
    def direction(self):
        """The T* direction (:func:`tstar_direction`).

        Examples
        --------
        >>> FillingPoint(-44.5, 69.8, 0.264, 2.0, 1.9, 2.0, 1.8).direction
        'in-plane -> out-of-plane'
        """
        return tstar_direction(self.indicator)


def _lambda_soc(lambda_over_delta0, delta0):
    """``lambda_soc = lambda_over_delta0 * delta0`` (meV), checked against what NbSe2's ``t_0`` allows."""
    lam = check_real(lambda_over_delta0, "lambda_over_delta0", positive=True)
    d0 = check_real(delta0, "delta0", unit="meV", positive=True)
    lam_max = 3.0 * math.sqrt(3.0) * abs(NbSe2().t[0])
    if lam * d0 > lam_max:
        raise ValueError(f"lambda_over_delta0 * delta0 = {lam * d0:g} meV is above the largest spin-orbit strength "
                         f"of the NbSe2 model, 3 sqrt(3) |t_0| = {lam_max:.4g} meV")
    return lam, d0


def _nbse2_sc(epsilon, lambda_soc, alpha_R, delta0, resolution):
    model = NbSe2(epsilon=epsilon).with_lambda_soc(lambda_soc)
    if alpha_R:
        model = model.with_alpha_R(alpha_R)
    return IsingSuperconductor(model, delta0, resolution=resolution)


#: computed points, shared by :func:`filling_point` and :func:`filling_map` (also across worker processes)
_FILLING_CACHE: dict = {}
_RASHBA_CACHE: dict = {}


def _filling_point(epsilon, lambda_soc, delta0, resolution):
    key = (epsilon, lambda_soc, delta0, resolution)
    if key not in _FILLING_CACHE:
        _FILLING_CACHE[key] = _compute_filling_point(*key)
    return _FILLING_CACHE[key]


def _compute_filling_point(epsilon, lambda_soc, delta0, resolution):
    sc = _nbse2_sc(epsilon, lambda_soc, 0.0, delta0, resolution)
    tc = sc.tc0
    return FillingPoint(epsilon, lambda_soc, tc, sc.pauli_susceptibility, sc.normal_susceptibility(np.pi / 2, T=tc),
                        sc.normal_susceptibility(0.0, T=tc), sc.spin_susceptibility(0.0))


@persistent
def filling_point(epsilon, lambda_over_delta0=150.0, delta0=DELTA0_PAPER, resolution=None):
    """:class:`~isingsc.robustness.FillingPoint` of ``NbSe2(epsilon=epsilon)`` at ``lambda_soc = lambda_over_delta0 * delta0`` (cached).

    Raises :class:`~isingsc.errors.ConvergenceError` exactly at a van Hove
    saddle (N(0) diverges) and :class:`ValueError` outside the band.

    Parameters
    ----------
    epsilon : float
        On-site energy of the NbSe2 model (meV); sets the filling.
    lambda_over_delta0 : float, optional
        ``lambda_soc / delta0``, > 0.
    delta0 : float, optional
        Zero-temperature gap (meV), > 0.
    resolution : Resolution, optional
        Quadrature resolution of the superconductor.

    Returns
    -------
    FillingPoint

    Raises
    ------
    TypeError
        Arguments of the wrong type (a ``resolution`` that is not a :class:`~isingsc.superconductor.Resolution`).
    ValueError
        Out-of-range values: a spin-orbit strength ``lambda_over_delta0 * delta0`` beyond what the
        model's ``t_0`` allows, a filling outside the band.
    ConvergenceError
        At a van Hove saddle (N(0) diverges) or for a solve that cannot be established.

    Examples
    --------
    >>> p = filling_point(-44.5)
    >>> round(p.chi_n_soc / p.chi_P, 4), round(p.chi_s0 / p.chi_P, 4), p.direction
    (0.9995, 0.9776, 'in-plane -> out-of-plane')
    """
    eps = check_real(epsilon, "epsilon", unit="meV", lower=-1e4, upper=1e4)
    lam, d0 = _lambda_soc(lambda_over_delta0, delta0)
    if resolution is not None:
        check_instance(resolution, "resolution", Resolution)
    return _filling_point(eps, lam * d0, d0, resolution)


def filling_map(epsilons, lambda_over_delta0=150.0, delta0=DELTA0_PAPER, resolution=None, executor=None, progress=None):
    """:func:`~isingsc.robustness.filling_point` over on-site energies ``epsilons`` (meV).

    Points not yet cached are computed on ``executor`` (e.g. a
    ``concurrent.futures.ProcessPoolExecutor``) if one is given, and cached here.

    Parameters
    ----------
    epsilons : array_like
        On-site energies (meV); at most 10^4 of them.
    lambda_over_delta0, delta0, resolution
        As in :func:`filling_point`.
    executor : concurrent.futures.Executor, optional
        Where the points not yet cached are computed.
    progress : bool or None, optional
        tqdm bar over the points: ``None`` (default) in a terminal after 2 s, ``True``
        always (a widget in Jupyter), ``False`` never.

    Returns
    -------
    list of FillingPoint

    Raises
    ------
    TypeError
        Arguments of the wrong type (a ``resolution`` that is not a :class:`~isingsc.superconductor.Resolution`).
    ValueError
        Out-of-range values: a spin-orbit strength ``lambda_over_delta0 * delta0`` beyond what the
        model's ``t_0`` allows, a filling outside the band.
    ConvergenceError
        At a van Hove saddle (N(0) diverges) or for a solve that cannot be established.

    Examples
    --------
    >>> [round(p.indicator, 4) for p in filling_map([-44.5])]
    [0.9781]
    """
    eps = [float(e) for e in check_array(epsilons, "epsilons", unit="meV", lower=-1e4, upper=1e4).ravel()]
    if len(eps) > 10**4:
        raise ValueError(f"epsilons has {len(eps)} entries; at most 10^4")
    lam, d0 = _lambda_soc(lambda_over_delta0, delta0)
    _cache_points(_FILLING_CACHE, _compute_filling_point, [(e, lam * d0, d0, resolution) for e in eps],
                  FillingPoint, "filling map", executor, progress)
    return [filling_point(e, lambda_over_delta0, delta0, resolution) for e in eps]


# ---------------------------------------------------------------------------------------------- section 3
@checked_fields(units={"alpha_R": "meV", "lambda_soc": "meV", "tc0": "meV"},
                nonneg=("alpha_R", "lambda_soc", "tc0", "chi_P", "chi_n_par", "chi_n_perp", "chi_s_par", "chi_s_perp"))
@dataclass(frozen=True)
class RashbaPoint:
    """Susceptibilities with Rashba coupling ``alpha_R`` (per site, 1/meV).

    Attributes
    ----------
    alpha_R : float
        Rashba coupling (meV).
    lambda_soc : float
        Ising coupling (meV).
    tc0 : float
        Zero-field critical temperature (meV).
    chi_P : float
        ``2 N(0)``.
    chi_n_par : float
        Normal-state in-plane susceptibility at ``Tc0``.
    chi_n_perp : float
        Normal-state out-of-plane susceptibility at ``Tc0``.
    chi_s_par : float
        In-plane susceptibility at ``T = 0`` (superconducting).
    chi_s_perp : float
        Out-of-plane susceptibility at ``T = 0`` (superconducting).

    Examples
    --------
    >>> p = RashbaPoint(7.0, 69.8, 0.264, 2.0, 1.9, 2.0, 1.8, 0.1)
    >>> round(p.indicator, 6), p.direction
    (0.9, 'in-plane -> out-of-plane')
    """

    alpha_R: float
    lambda_soc: float
    tc0: float
    chi_P: float
    chi_n_par: float
    chi_n_perp: float
    chi_s_par: float
    chi_s_perp: float

    @property
    def indicator(self):
        """``D = [(chi_s_par - chi_s_perp) - (chi_n_par - chi_n_perp)] / chi_P`` (dimensionless).

        Examples
        --------
        >>> round(RashbaPoint(7.0, 69.8, 0.264, 2.0, 2.0, 2.0, 1.0, 0.4).indicator, 12)
        0.3
        """
        return ((self.chi_s_par - self.chi_s_perp) - (self.chi_n_par - self.chi_n_perp)) / self.chi_P

    @property
    def direction(self):
        """The T* direction (:func:`tstar_direction`).

        Examples
        --------
        >>> RashbaPoint(7.0, 69.8, 0.264, 2.0, 2.0, 2.0, 1.0, 1.4).direction
        'out-of-plane -> in-plane'
        """
        return tstar_direction(self.indicator)


def _rashba_point(alpha_R, lambda_soc, epsilon, delta0, resolution):
    key = (alpha_R, lambda_soc, epsilon, delta0, resolution)
    if key not in _RASHBA_CACHE:
        _RASHBA_CACHE[key] = _compute_rashba_point(*key)
    return _RASHBA_CACHE[key]


def _compute_rashba_point(alpha_R, lambda_soc, epsilon, delta0, resolution):
    sc = _nbse2_sc(epsilon, lambda_soc, alpha_R, delta0, resolution)
    tc = sc.tc0
    return RashbaPoint(alpha_R, lambda_soc, tc, sc.pauli_susceptibility,
                       sc.normal_susceptibility(np.pi / 2, T=tc), sc.normal_susceptibility(0.0, T=tc),
                       sc.spin_susceptibility(0.0), sc.spin_susceptibility(0.0, 0.0))


@persistent
def rashba_point(alpha_over_lambda, lambda_over_delta0=150.0, epsilon=-44.5, delta0=DELTA0_PAPER, resolution=None):
    """:class:`~isingsc.robustness.RashbaPoint` at ``alpha_R = alpha_over_lambda * lambda_soc`` (cached).

    Parameters
    ----------
    alpha_over_lambda : float
        ``alpha_R / lambda_soc``, 0 ... 100.
    lambda_over_delta0 : float, optional
        ``lambda_soc / delta0``, > 0.
    epsilon : float, optional
        On-site energy (meV).
    delta0 : float, optional
        Zero-temperature gap (meV), > 0.
    resolution : Resolution, optional
        Quadrature resolution.

    Returns
    -------
    RashbaPoint

    Raises
    ------
    TypeError
        Arguments of the wrong type (a ``resolution`` that is not a :class:`~isingsc.superconductor.Resolution`).
    ValueError
        Out-of-range values: a spin-orbit strength ``lambda_over_delta0 * delta0`` beyond what the
        model's ``t_0`` allows, a filling outside the band.
    ConvergenceError
        At a van Hove saddle (N(0) diverges) or for a solve that cannot be established.

    Examples
    --------
    >>> p = rashba_point(0.0)
    >>> round(p.chi_s_par / p.chi_P, 4), p.chi_s_perp, p.direction
    (0.9776, 0.0, 'in-plane -> out-of-plane')
    """
    r = check_real(alpha_over_lambda, "alpha_over_lambda", nonneg=True, upper=100.0)
    lam, d0 = _lambda_soc(lambda_over_delta0, delta0)
    eps = check_real(epsilon, "epsilon", unit="meV", lower=-1e4, upper=1e4)
    if resolution is not None:
        check_instance(resolution, "resolution", Resolution)
    return _rashba_point(r * lam * d0, lam * d0, eps, d0, resolution)


def rashba_map(ratios, lambda_over_delta0=150.0, epsilon=-44.5, delta0=DELTA0_PAPER, resolution=None,
               executor=None, progress=None):
    """:func:`~isingsc.robustness.rashba_point` over ``alpha_R / lambda_soc`` values ``ratios``.

    Points not yet cached are computed on ``executor`` if one is given.

    Parameters
    ----------
    ratios : array_like
        ``alpha_R / lambda_soc`` values, 0 ... 100; at most 10^4 of them.
    lambda_over_delta0, epsilon, delta0, resolution
        As in :func:`rashba_point`.
    executor : concurrent.futures.Executor, optional
        Where the points not yet cached are computed.
    progress : bool or None, optional
        tqdm bar over the points: ``None`` (default) in a terminal after 2 s, ``True``
        always (a widget in Jupyter), ``False`` never.

    Returns
    -------
    list of RashbaPoint

    Raises
    ------
    TypeError
        Arguments of the wrong type (a ``resolution`` that is not a :class:`~isingsc.superconductor.Resolution`).
    ValueError
        Out-of-range values: a spin-orbit strength ``lambda_over_delta0 * delta0`` beyond what the
        model's ``t_0`` allows, a filling outside the band.
    ConvergenceError
        At a van Hove saddle (N(0) diverges) or for a solve that cannot be established.

    Examples
    --------
    >>> [p.direction for p in rashba_map([0.0])]
    ['in-plane -> out-of-plane']
    """
    r = [float(x) for x in check_array(ratios, "ratios", nonneg=True, upper=100.0).ravel()]
    if len(r) > 10**4:
        raise ValueError(f"ratios has {len(r)} entries; at most 10^4")
    lam, d0 = _lambda_soc(lambda_over_delta0, delta0)
    eps = check_real(epsilon, "epsilon", unit="meV", lower=-1e4, upper=1e4)
    _cache_points(_RASHBA_CACHE, _compute_rashba_point, [(x * lam * d0, lam * d0, eps, d0, resolution) for x in r],
                  RashbaPoint, "Rashba map", executor, progress)
    return [rashba_point(x, lambda_over_delta0, epsilon, delta0, resolution) for x in r]


@persistent
def rashba_crossover(lo, hi, lambda_over_delta0=150.0, epsilon=-44.5, delta0=DELTA0_PAPER, xtol=0.01, dtol=2e-3):
    """``alpha_R / lambda_soc`` in ``[lo, hi]`` where the T* direction changes (``D = 0``).

    Illinois (modified false-position) iteration on :attr:`RashbaPoint.indicator`,
    which keeps a sign-changing bracket of exact engine values; it stops when
    the bracket is narrower than ``xtol`` or ``|D| < dtol`` at the newest point
    (``D`` is smooth in ``alpha_R``, so this takes two or three evaluations).

    Parameters
    ----------
    lo, hi : float
        The bracket of ``alpha_R / lambda_soc``, ``0 <= lo < hi <= 100``.
    lambda_over_delta0, epsilon, delta0
        As in :func:`rashba_point`.
    xtol : float, optional
        Width of the final bracket, ``1e-12 ... 1``.
    dtol : float, optional
        ``|D|`` at which the iteration stops, ``1e-12 ... 1``.

    Returns
    -------
    float
        ``alpha_R / lambda_soc`` at the crossover.

    Raises
    ------
    TypeError
        Non-real arguments.
    ValueError
        Out-of-range values, or ``D`` with the same sign at both ends.

    Examples
    --------
    >>> round(rashba_crossover(1.0, 1.5, xtol=0.05), 1)
    1.2
    """
    lo = check_real(lo, "lo", nonneg=True, upper=100.0)
    hi = check_real(hi, "hi", lower=lo, lower_open=True, upper=100.0)
    xtol = check_real(xtol, "xtol", lower=1e-12, upper=1.0)
    dtol = check_real(dtol, "dtol", lower=1e-12, upper=1.0)
    f = lambda r: rashba_point(r, lambda_over_delta0, epsilon, delta0).indicator  # noqa: E731
    flo, fhi = f(lo), f(hi)
    if (flo > 0) == (fhi > 0):
        raise ValueError(f"D has the same sign at the bracket ends lo = {lo:g} ({flo:.3g}) and hi = {hi:g} ({fhi:.3g}) "
                         f"of alpha_R/lambda_soc (lambda_over_delta0 = {lambda_over_delta0!r}): no crossover there")
    side = 0
    for _ in range(60):
        x = (lo * fhi - hi * flo) / (fhi - flo)
        fx = f(x)
        if abs(fx) < dtol or hi - lo < xtol:
            return x
        if (fx > 0) == (flo > 0):
            lo, flo = x, fx
            if side == -1:
                fhi *= 0.5
            side = -1
        else:
            hi, fhi = x, fx
            if side == 1:
                flo *= 0.5
            side = 1
    return x


# ---------------------------------------------------------------------------------------------- section 5
@checked_fields(units={"T": "meV", "J": "meV", "f_out": "meV", "f_in": "meV", "gap_out": "meV", "gap_in": "meV"},
                nonneg=("T", "J", "gap_out", "gap_in"))
@dataclass(frozen=True)
class AlignmentMap:
    """The superconductor's preference between out-of-plane and in-plane exchange fields over (T, J).

    Attributes
    ----------
    T : ndarray
        Temperatures (meV), shape (nT,).
    J : ndarray
        Exchange fields (meV), shape (nJ,).
    f_out : ndarray
        Self-consistent ``f(T, J, theta = 0) - f_n(0)`` per site (meV), shape (nT, nJ).
    f_in : ndarray
        The same at ``theta = pi/2``.
    gap_out : ndarray
        The gap (meV) at ``theta = 0``.
    gap_in : ndarray
        The gap (meV) at ``theta = pi/2``.

    Examples
    --------
    >>> m = AlignmentMap([0.0], [0.1], [[-2e-4]], [[-3e-4]], [[0.46]], [[0.46]])
    >>> m.preference.round(6).tolist(), m.f_in.flags.writeable
    ([[0.0001]], False)
    """

    def __post_init__(self):
        shape = (self.T.size, self.J.size)
        for name in ("f_out", "f_in", "gap_out", "gap_in"):
            if getattr(self, name).shape != shape:
                raise ValueError(f"{name} must have shape (T.size, J.size) = {shape}, got {getattr(self, name).shape}")

    T: np.ndarray
    J: np.ndarray
    f_out: np.ndarray
    f_in: np.ndarray
    gap_out: np.ndarray
    gap_in: np.ndarray

    @property
    def preference(self):
        """``f_out - f_in`` (meV per site): > 0 where the superconductor favours in-plane magnets.

        Examples
        --------
        >>> AlignmentMap([0.0], [0.1], [[-2e-4]], [[-3e-4]], [[0.46]], [[0.46]]).preference > 0
        array([[ True]])
        """
        return self.f_out - self.f_in


def _alignment_row(sc, t, Js):
    return [sc._solve(sc._temperature(sc._T(t)), sc._J(x), theta) for x in Js for theta in (0.0, np.pi / 2)]


@persistent
@numerics
def alignment_map(sc, T, J, executor=None, progress=None):
    """Free energies for out-of-plane and in-plane exchange fields on the grid ``T x J`` (meV).

    Parameters
    ----------
    sc : IsingSuperconductor
    T, J : array_like
        Temperatures and exchange fields (meV), >= 0.
    executor : concurrent.futures.Executor, optional
        Spread the temperatures over e.g. a ``ProcessPoolExecutor`` (the
        superconductor is pickled slim; results are identical).
    progress : bool or None, optional
        tqdm bar over the points: ``None`` (default) in a terminal after 2 s, ``True``
        always (a widget in Jupyter), ``False`` never.

    Returns
    -------
    AlignmentMap

    Raises
    ------
    TypeError
        ``sc`` not an :class:`~isingsc.superconductor.IsingSuperconductor`, or non-real values.
    ValueError
        Negative, non-finite or too large values (above the band width), or more than 10^6 points.
    ConvergenceError
        A solve that cannot be established.

    Examples
    --------
    >>> from isingsc import ising_superconductor
    >>> sc = ising_superconductor(150.0)
    >>> m = alignment_map(sc, [0.0], [0.5 * sc.delta0])
    >>> m.preference.shape, bool(m.preference[0, 0] > 0)         # the superconductor favours in-plane fields
    ((1, 1), True)
    """
    check_instance(sc, "sc", IsingSuperconductor)
    Ts = [sc._T(t) for t in check_array(T, "T", unit="meV", nonneg=True).ravel().tolist()]
    Js = [sc._J(j) for j in check_array(J, "J", unit="meV", nonneg=True).ravel().tolist()]
    if len(Ts) * len(Js) > 10**6:
        raise ValueError(f"T and J span {len(Ts) * len(Js)} points; at most 10^6")
    rows = parallel_map(_alignment_row, [(sc, t, Js) for t in Ts], executor=executor, progress=progress,
                        desc="alignment map", check=_check_row(2 * len(Js)))
    a = np.array(rows, dtype=float).reshape(len(Ts), len(Js), 2, 2)  # (T, J, theta, (gap, f))
    return AlignmentMap(np.array(Ts), np.array(Js), a[:, :, 0, 1], a[:, :, 1, 1], a[:, :, 0, 0], a[:, :, 1, 0])


def _cache_points(cache, compute, keys, cls, desc, executor, progress):
    """Compute the points of ``keys`` not yet in ``cache`` (on ``executor`` if given, checked to be ``cls``) and store them."""
    missing = [k for k in dict.fromkeys(keys) if k not in cache]
    for k, p in zip(missing, parallel_map(compute, missing, executor=executor, progress=progress, desc=desc,
                                          check=_check_point(cls))):
        cache[k] = p


def _check_point(cls):
    def check(p):
        if not isinstance(p, cls):
            raise TypeError(f"expected a {cls.__name__}, got {type(p).__name__}")
    return check


def _check_row(n):
    def check(row):
        if not isinstance(row, list) or len(row) != n:
            raise TypeError(f"expected a row of {n} (gap, free energy) pairs, got {type(row).__name__}")
        a = np.asarray(row, dtype=float)
        if a.shape != (n, 2) or not np.all(np.isfinite(a)):
            raise ValueError("expected finite (gap, free energy) pairs")
    return check


@numerics
def alignment_preference(sc, T, J):
    """``f(T, J, 0) - f(T, J, pi/2)`` per site (meV): > 0 where the superconductor favours in-plane magnets.

    Both free energies are the engine's self-consistent ones (global minimum
    over the gap), so beyond ``H_P`` the out-of-plane state is the normal one.

    Parameters
    ----------
    sc : IsingSuperconductor
        The superconductor.
    T : float
        Temperature (meV).
    J : float
        Exchange field (meV).

    Returns
    -------
    float
        The preference (meV per site).

    Raises
    ------
    TypeError
        ``sc`` not an :class:`~isingsc.superconductor.IsingSuperconductor`, or non-real values.
    ValueError
        Negative, non-finite or too large ``T`` or ``J`` (above the band width).
    ConvergenceError
        A solve that cannot be established.

    Examples
    --------
    >>> from isingsc import ising_superconductor
    >>> sc = ising_superconductor(150.0)
    >>> alignment_preference(sc, 0.0, 2 * sc.delta0 / math.sqrt(2)) > 0
    True
    """
    check_instance(sc, "sc", IsingSuperconductor)
    T = sc._temperature(sc._T(T))
    J = sc._J(J)
    return sc._solve(T, J, 0.0)[1] - sc._solve(T, J, np.pi / 2)[1]


@persistent
def reorientation_field(sc, T, lo, hi, xtol=1e-4):
    """Exchange field ``J`` (meV) in ``[lo, hi]`` where :func:`~isingsc.robustness.alignment_preference` changes sign at ``T``.

    Brent's method on the self-consistent free energies (relative tolerance ``xtol``).

    Parameters
    ----------
    sc : IsingSuperconductor
        The superconductor.
    T : float
        Temperature (meV).
    lo, hi : float
        The bracket (meV), ``0 < lo < hi <=`` the band width.
    xtol : float, optional
        Relative tolerance, ``1e-12 ... 0.1``.

    Returns
    -------
    float
        The field (meV).

    Raises
    ------
    TypeError
        ``sc`` not an :class:`~isingsc.superconductor.IsingSuperconductor`, or non-real values.
    ValueError
        Out-of-range values, or a preference with the same sign at ``lo`` and ``hi``.

    Examples
    --------
    >>> from isingsc import ising_superconductor
    >>> sc = ising_superconductor(150.0)
    >>> hp = sc.delta0 / math.sqrt(2)
    >>> round(reorientation_field(sc, 0.0, 16 * hp, 20 * hp, xtol=1e-3) / hp, 1)   # in units of H_P
    18.7
    """
    from scipy import optimize

    check_instance(sc, "sc", IsingSuperconductor)
    T = sc._T(T)
    lo = sc._J(check_real(lo, "lo", unit="meV", positive=True), "lo")
    hi = sc._J(check_real(hi, "hi", unit="meV", lower=lo, lower_open=True), "hi")
    if lo == 0.0:
        raise ValueError(f"lo is below the field resolution of the engine (1e-8 delta0 = {1e-8 * sc.delta0:g} meV)")
    xtol = check_real(xtol, "xtol", lower=1e-12, upper=0.1)
    f = lambda J: alignment_preference(sc, T, J)  # noqa: E731
    flo, fhi = f(lo), f(hi)
    if (flo > 0) == (fhi > 0):
        raise ValueError(f"the alignment preference has one sign on J = {lo:g} ... {hi:g} meV at T = {T:g} meV")
    return optimize.brentq(f, lo, hi, xtol=xtol * hi)


@persistent
def reorientation_temperature(sc, J, xtol=1e-5):
    """For ``J`` above the out-of-plane Pauli limit: the temperature (meV) below which in-plane magnets win.

    Above the in-plane ``Tc(J)`` both orientations are normal and the normal
    anisotropy (``chi_P > chi_n^soc``) favours out-of-plane magnets by
    ``(chi_P - chi_n^soc) J^2 / 2``; below it the in-plane condensation
    energy grows and overtakes it at the returned temperature, where the
    alignment jumps by 90 degrees (first order: the out-of-plane state is
    normal, the in-plane one superconducting).

    Parameters
    ----------
    sc : IsingSuperconductor
        The superconductor.
    J : float
        Exchange field (meV), > 0 (above the out-of-plane Pauli limit).
    xtol : float, optional
        Relative tolerance, ``1e-12 ... 0.1``.

    Returns
    -------
    (float, float)
        ``(T_flip, Tc_in)`` in meV.

    Raises
    ------
    TypeError
        ``sc`` not an :class:`~isingsc.superconductor.IsingSuperconductor`, or non-real values.
    ValueError
        Out-of-range values, a field that destroys in-plane superconductivity, or one at which
        in-plane magnets do not win at ``Tc_in/2``.
    ConvergenceError
        A solve that cannot be established.

    Examples
    --------
    >>> from isingsc import ising_superconductor
    >>> sc = ising_superconductor(150.0)
    >>> t_flip, tc_in = reorientation_temperature(sc, 2 * sc.delta0 / math.sqrt(2))
    >>> round(t_flip / sc.tc0, 3), round(tc_in / sc.tc0, 3)
    (0.941, 0.968)
    """
    from scipy import optimize

    check_instance(sc, "sc", IsingSuperconductor)
    J = sc._J(check_real(J, "J", unit="meV", positive=True))
    xtol = check_real(xtol, "xtol", lower=1e-12, upper=0.1)
    tc_in = sc.critical_temperature(J, np.pi / 2)
    if tc_in == 0.0:
        raise ValueError(f"J = {J:g} meV destroys in-plane superconductivity at all temperatures")
    f = lambda T: alignment_preference(sc, T, J)  # noqa: E731
    hi = tc_in * (1 - 1e-9)
    lo = 0.5 * tc_in
    if f(lo) <= 0:
        raise ValueError(f"in-plane magnets do not win at T = Tc_in/2 for J = {J:g} meV")
    if f(hi) > 0:
        return hi, tc_in
    return optimize.brentq(f, lo, hi, xtol=xtol * tc_in), tc_in
