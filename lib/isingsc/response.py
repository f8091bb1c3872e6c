"""The superconductor's spin response: ``chi_par(T)`` and ``chi_perp(T)`` tabulated once, interpolated.

The susceptibilities of an :class:`~isingsc.superconductor.IsingSuperconductor`
for an in-plane (``chi_par``, the paper's ``chi_s``) and an out-of-plane
(``chi_perp``) exchange field set the superconductor-mediated magnetic energy of
the stack to second order in the field.  :func:`superconductor_response`
computes them on a temperature grid (cached per superconductor) and
:class:`SuperconductorResponse` interpolates them and hands out the quadratic
couplings of :mod:`isingsc.magnetism`.

The coupling forms
------------------
Three descriptions of the superconductor-mediated coupling run through the
stack modules; the argument ``coupling_form`` chooses one (:data:`COUPLING_FORMS`):

``"paper"``
    Eq. (13): ``-1/2 chi_s(T) J^2 (sin t1 + sin t2)^2`` with the in-plane
    susceptibility ``chi_s = chi_par`` only.  For one magnet it gives Eq. (10),
    ``K_eff = K - 1/2 chi_s J^2``.
``"complete"``
    The complete second-order form
    ``-1/2 J^2 [chi_par(T) (sin t1 + sin t2)^2 + chi_perp(T) (cos t1 + cos t2)^2]``;
    for one magnet ``K_eff = K - 1/2 (chi_par - chi_perp) J^2``.  It agrees with
    the paper's form at ``T = 0`` only, where ``chi_perp = 0`` (App. C).
``"microscopic"``
    The full free energy of the engine, ``f_sn(T, |J_tot|, alpha) - f_sn(T, 0)``,
    tabulated and interpolated (:mod:`isingsc.microscopic`).

Every function and method that takes ``coupling_form`` defaults to
``"complete"`` (the complete second-order form, exact to second order in the
field at every temperature); :func:`~isingsc.microscopic.stack_coupling`
requires it.

Units
-----
Temperatures in meV (``k_B = 1``); susceptibilities in 1/meV per Nb site (the
engine's convention, in which the Zeeman energy of the electrons in a field
``J`` is ``-chi J^2/2``).
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import numpy as np

from ._results_cache import persistent
from ._serialize import Result
from ._validation import check_array, check_choice, check_instance, check_int, check_real, readonly
from .magnetism import IsingQuadraticCoupling
from .superconductor import IsingSuperconductor

__all__ = [
    "COUPLING_FORMS",
    "QUADRATIC_FORMS",
    "SuperconductorResponse",
    "superconductor_response",
]

#: The three descriptions of the superconductor-mediated coupling (see the module docstring).
COUPLING_FORMS = ("paper", "complete", "microscopic")

#: The two second-order (quadratic) forms, which need only ``chi_par(T)`` and ``chi_perp(T)``.
QUADRATIC_FORMS = ("paper", "complete")


def check_coupling_form(coupling_form, allowed=COUPLING_FORMS):
    """``coupling_form`` if it is one of ``allowed``; TypeError or ValueError naming it otherwise."""
    return check_choice(coupling_form, "coupling_form", allowed)


def check_superconductor(sc, name="sc"):
    """``sc`` if it is an :class:`~isingsc.superconductor.IsingSuperconductor`, TypeError naming ``name`` otherwise."""
    return check_instance(sc, name, IsingSuperconductor, "build one with isingsc.IsingSuperconductor(model, delta0)")


@dataclass(frozen=True, eq=False, repr=False)
class SuperconductorResponse(Result):
    """In- and out-of-plane spin susceptibilities ``chi_par(T)``, ``chi_perp(T)`` on a grid.

    Build with :func:`superconductor_response` (cached per superconductor).
    Between the nodes the susceptibilities are cubic splines, separately on
    ``[0, Tc0]`` and ``[Tc0, T_max]`` (they have a kink at the second-order
    transition ``Tc0``), clipped at zero (``chi_perp`` is exponentially small
    at low ``T``).  With the default grid the interpolation error is below
    ``1e-5 chi_s(0)`` (the out-of-plane one, which rises like ``exp(-Delta/T)``,
    is the harder; checked in the tests).

    The arrays are read-only (the object is cached and shared: nobody may change its numbers).

    Attributes
    ----------
    superconductor : IsingSuperconductor
        The tabulated superconductor.
    T : ndarray
        Temperature nodes (meV), increasing, from ``0`` and including ``Tc0``, shape ``(n,)``.
    chi_par : ndarray
        In-plane spin susceptibility (the paper's ``chi_s``) at the nodes, 1/meV per Nb site, shape ``(n,)``.
    chi_perp : ndarray
        Out-of-plane spin susceptibility at the nodes, 1/meV per Nb site, shape ``(n,)``.

    Examples
    --------
    >>> from isingsc import ising_superconductor
    >>> resp = superconductor_response(ising_superconductor(150.0))
    >>> round(resp.chi_s0 / resp.chi_pauli, 4)      # chi_s(0) / chi_P
    0.9776
    >>> resp.chi_perp_at(0.0)                         # no out-of-plane response at T = 0 (App. C)
    0.0
    >>> c = resp.coupling(0.5 * resp.tc0, "complete")
    >>> bool(c.chi_par > c.chi_perp > 0)
    True
    >>> resp.chi_par[0] = 0.0                         # shared and cached: read-only
    Traceback (most recent call last):
    ...
    ValueError: assignment destination is read-only
    """

    superconductor: IsingSuperconductor
    T: np.ndarray
    chi_par: np.ndarray
    chi_perp: np.ndarray
    _splines: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        check_superconductor(self.superconductor, "superconductor")
        T = check_array(self.T, "T", unit="meV", nonneg=True).ravel()
        chi_par = check_array(self.chi_par, "chi_par", unit="1/meV", nonneg=True).ravel()
        chi_perp = check_array(self.chi_perp, "chi_perp", unit="1/meV", nonneg=True).ravel()
        if not (T.shape == chi_par.shape == chi_perp.shape):
            raise ValueError(f"T, chi_par and chi_perp must have the same length, got {T.size}, "
                             f"{chi_par.size}, {chi_perp.size}")
        if T.size < 3 or np.any(np.diff(T) <= 0) or T[0] != 0.0:
            raise ValueError("T must increase strictly from 0 with at least 3 nodes")
        tc = self.tc0
        below = T <= tc * (1 + 1e-12)
        above = T >= tc * (1 - 1e-12)
        if below.sum() < 2 or not np.any(np.abs(T - tc) <= 1e-12 * tc):
            raise ValueError(f"T must include Tc0 = {tc:g} meV and at least one node below it")
        for name, value in (("T", T), ("chi_par", chi_par), ("chi_perp", chi_perp)):
            object.__setattr__(self, name, readonly(value))
        from scipy.interpolate import CubicSpline  # here, not at import: it costs most of a second

        sp = {}
        for name in ("chi_par", "chi_perp"):
            y = getattr(self, name)
            sp[name] = (CubicSpline(T[below], y[below]),
                        CubicSpline(T[above], y[above]) if above.sum() >= 2 else None)
        object.__setattr__(self, "_splines", sp)

    @property
    def tc0(self):
        """Zero-field critical temperature (meV).

        Examples
        --------
        >>> from isingsc import ising_superconductor
        >>> resp = superconductor_response(ising_superconductor(150.0))
        >>> bool(resp.tc0 == resp.superconductor.tc0 == resp.T[24])
        True
        """
        return self.superconductor.tc0

    @property
    def chi_s0(self):
        """``chi_s(T = 0) = chi_par(0)`` (1/meV per Nb site), the paper's unit ``chi_s(T=0) J^2 / J^2``.

        Examples
        --------
        >>> from isingsc import ising_superconductor
        >>> resp = superconductor_response(ising_superconductor(150.0))
        >>> resp.chi_s0 == resp.chi_par_at(0.0)
        True
        """
        return float(self.chi_par[0])

    @property
    def chi_pauli(self):
        """Pauli susceptibility ``chi_P = 2 N(0)`` (1/meV per Nb site).

        Examples
        --------
        >>> from isingsc import ising_superconductor
        >>> resp = superconductor_response(ising_superconductor(150.0))
        >>> round(resp.chi_pauli, 6)
        0.001932
        """
        return self.superconductor.pauli_susceptibility

    @property
    def t_max(self):
        """Highest tabulated temperature (meV).

        Examples
        --------
        >>> from isingsc import ising_superconductor
        >>> resp = superconductor_response(ising_superconductor(150.0))
        >>> round(resp.t_max / resp.tc0, 12)
        1.3
        """
        return float(self.T[-1])

    def _eval(self, name, T):
        T = check_array(T, "T", unit="meV", nonneg=True)
        if np.any(T > self.t_max * (1 + 1e-9)):
            raise ValueError(f"T = {T.max():g} meV is above the tabulated range (T_max = {self.t_max:g} meV); "
                             "build the response with a larger t_max")
        lo, hi = self._splines[name]
        out = lo(np.minimum(T, self.tc0))
        if hi is not None:
            out = np.where(T > self.tc0, hi(np.maximum(T, self.tc0)), out)
        # chi_perp(T) is exponentially small at low T; the spline may undershoot by ~1e-6 chi_s(0)
        out = np.maximum(out, 0.0)
        return float(out) if out.ndim == 0 else out

    def chi_par_at(self, T):
        """In-plane susceptibility ``chi_par(T) = chi_s(T)`` (1/meV per Nb site), interpolated.

        Parameters
        ----------
        T : array_like
            Temperatures (meV), ``0 <= T <= t_max``.

        Returns
        -------
        float or ndarray
            ``chi_par`` (1/meV per Nb site), the shape of ``T``.

        Raises
        ------
        TypeError
            Non-real temperatures.
        ValueError
            Negative, non-finite temperatures, or temperatures above :attr:`t_max`.

        Examples
        --------
        >>> from isingsc import ising_superconductor
        >>> resp = superconductor_response(ising_superconductor(150.0))
        >>> chi = resp.chi_par_at([0.0, resp.tc0])
        >>> bool(chi[0] < chi[1]), round(float(chi[1]) / resp.chi_pauli, 4)   # rises to chi_n^soc at Tc0
        (True, 0.9995)
        """
        return self._eval("chi_par", T)

    def chi_perp_at(self, T):
        """Out-of-plane susceptibility ``chi_perp(T)`` (1/meV per Nb site), interpolated.

        Parameters
        ----------
        T : array_like
            Temperatures (meV), ``0 <= T <= t_max``.

        Returns
        -------
        float or ndarray
            ``chi_perp`` (1/meV per Nb site), the shape of ``T``.

        Raises
        ------
        TypeError
            Non-real temperatures.
        ValueError
            Negative, non-finite temperatures, or temperatures above :attr:`t_max`.

        Examples
        --------
        >>> from isingsc import ising_superconductor
        >>> resp = superconductor_response(ising_superconductor(150.0))
        >>> resp.chi_perp_at(0.0), round(resp.chi_perp_at(resp.tc0) / resp.chi_pauli, 4)   # Yosida: 0 to chi_P
        (0.0, 1.0)
        """
        return self._eval("chi_perp", T)

    def susceptibilities(self, T, coupling_form="complete"):
        """``(chi_par(T), chi_perp(T))`` as a coupling form sees them (1/meV per Nb site).

        Parameters
        ----------
        T : array_like
            Temperatures (meV).
        coupling_form : {"complete", "paper"}, optional
            Default ``"complete"``; ``"paper"`` drops ``chi_perp`` (Eq. 13): it returns zeros for it.

        Returns
        -------
        (float or ndarray, float or ndarray)
            ``(chi_par, chi_perp)`` (1/meV per Nb site), each the shape of ``T``.

        Raises
        ------
        TypeError
            Non-real temperatures, or a non-string ``coupling_form``.
        ValueError
            Temperatures out of range, or a form other than ``"paper"`` and ``"complete"``.

        Examples
        --------
        >>> from isingsc import ising_superconductor
        >>> resp = superconductor_response(ising_superconductor(150.0))
        >>> resp.susceptibilities(0.5 * resp.tc0, "paper")[1]            # Eq. (13) has no chi_perp
        0.0
        """
        check_coupling_form(coupling_form, QUADRATIC_FORMS)
        par = self.chi_par_at(T)
        perp = self.chi_perp_at(T) if coupling_form == "complete" else 0.0 * par
        return par, perp

    def anisotropy_susceptibility(self, T, coupling_form="complete"):
        """Susceptibility that sets the single-magnet anisotropy, ``K_eff = K - chi_eff J^2 / 2``.

        Parameters
        ----------
        T : array_like
            Temperature(s) in meV.
        coupling_form : {"complete", "paper"}, optional
            ``"paper"``: ``chi_eff = chi_par`` (Eq. 10); ``"complete"`` (default):
            ``chi_eff = chi_par - chi_perp``.

        Returns
        -------
        ndarray or float
            ``chi_eff`` in 1/meV per Nb site.

        Raises
        ------
        TypeError
            Non-real temperatures, or a non-string ``coupling_form``.
        ValueError
            Temperatures out of range, or a form other than ``"paper"`` and ``"complete"``.

        Examples
        --------
        >>> from isingsc import ising_superconductor
        >>> resp = superconductor_response(ising_superconductor(150.0))
        >>> T = 0.5 * resp.tc0
        >>> resp.anisotropy_susceptibility(T) == resp.chi_par_at(T) - resp.chi_perp_at(T)
        True
        """
        par, perp = self.susceptibilities(T, coupling_form)
        return par - perp

    def coupling(self, T, coupling_form="complete"):
        """Quadratic coupling at temperature ``T`` (meV): equation (13) of the paper or the complete form.

        Parameters
        ----------
        T : float
            Temperature (meV).
        coupling_form : {"complete", "paper"}, optional
            Default ``"complete"``.

        Returns
        -------
        IsingQuadraticCoupling
            ``chi_par = chi_s(T)`` and ``chi_perp = 0`` (``"paper"``) or ``chi_perp(T)`` (``"complete"``).

        Raises
        ------
        TypeError
            A non-real ``T`` or a non-string ``coupling_form``.
        ValueError
            ``T`` out of range, or a form other than ``"paper"`` and ``"complete"``.

        Examples
        --------
        >>> from isingsc import ising_superconductor
        >>> resp = superconductor_response(ising_superconductor(150.0))
        >>> resp.coupling(0.0, "paper").chi_perp, resp.coupling(0.0).chi_par == resp.chi_s0
        (0.0, True)
        """
        T = check_real(T, "T", unit="meV", nonneg=True)
        par, perp = self.susceptibilities(T, coupling_form)
        return IsingQuadraticCoupling(par, perp)


_RESPONSES = weakref.WeakKeyDictionary()


def superconductor_response(sc, t_max=1.3, n_below=25, n_above=4):
    """Tabulate ``chi_par(T)`` and ``chi_perp(T)`` of a superconductor (cached).

    Parameters
    ----------
    sc : IsingSuperconductor
        The superconductor.
    t_max : float, optional
        Highest temperature in units of ``Tc0`` (> 1, at most 10).
    n_below : int, optional
        Nodes on ``[0, Tc0]`` (Chebyshev-Lobatto, i.e. dense near both ends), 4 to 400.
    n_above : int, optional
        Intervals on ``[Tc0, t_max Tc0]`` (uniform), 1 to 400.

    Returns
    -------
    SuperconductorResponse
        The same object for the same superconductor and grid (read-only arrays).

    Raises
    ------
    TypeError
        ``sc`` not an :class:`~isingsc.superconductor.IsingSuperconductor`, or non-numeric options.
    ValueError
        Options out of range.
    ConvergenceError
        A susceptibility that cannot be established.

    Examples
    --------
    >>> from isingsc import ising_superconductor
    >>> sc = ising_superconductor(150.0)
    >>> superconductor_response(sc) is superconductor_response(sc)
    True
    """
    sc = check_superconductor(sc)
    t_max = check_real(t_max, "t_max", upper=10.0)
    if t_max <= 1.0:
        raise ValueError(f"t_max must exceed 1 (units of Tc0) so that the normal state is included, got {t_max!r}")
    n_below = check_int(n_below, "n_below", minimum=4, maximum=400)
    n_above = check_int(n_above, "n_above", minimum=1, maximum=400)
    key = (t_max, n_below, n_above)
    cache = _RESPONSES.setdefault(sc, {})
    if key not in cache:
        cache[key] = SuperconductorResponse(sc, *_tabulate_response(sc, t_max, n_below, n_above))
    return cache[key]


@persistent
def _tabulate_response(sc, t_max, n_below, n_above):
    """The nodes ``T`` (meV) and ``chi_par``, ``chi_perp`` (1/meV per site) there (kept between runs)."""
    tc = sc.tc0
    k = np.arange(n_below)
    below = 0.5 * tc * (1.0 - np.cos(np.pi * k / (n_below - 1)))
    below[-1] = tc
    above = np.linspace(tc, t_max * tc, n_above + 1)[1:]
    T = np.concatenate([below, above])
    chi_par = np.array([sc.spin_susceptibility(t, 0.5 * np.pi) for t in T])
    chi_perp = np.array([sc.spin_susceptibility(t, 0.0) for t in T])
    return T, chi_par, chi_perp


def as_response(sc_or_response):
    """A :class:`SuperconductorResponse`: itself, or the default one of a superconductor."""
    if isinstance(sc_or_response, SuperconductorResponse):
        return sc_or_response
    return superconductor_response(check_instance(sc_or_response, "sc", (IsingSuperconductor, SuperconductorResponse)))
