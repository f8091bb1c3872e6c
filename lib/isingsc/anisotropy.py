"""One magnet on the Ising superconductor: effective anisotropy, easy axis and its phase diagram.

Eq. (10) of the paper and its complete second-order form: a monolayer magnet
with bare anisotropy ``K`` (Eq. 9) that induces an exchange field ``J`` in
NbSe2 has ``K_eff = K - 1/2 chi_eff(T) J^2`` with ``chi_eff = chi_par``
(``coupling_form="paper"``) or ``chi_par - chi_perp`` (``"complete"``).  All
``K_eff`` here come from the single entry point
:func:`isingsc.magnetism.effective_anisotropy`; this module supplies the
susceptibilities of the superconductor (:mod:`isingsc.response`).

Units
-----
``K`` and ``K_eff`` in meV per Nb site, ``J`` and ``T`` in meV, angles in rad.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import check_array, check_choice, checked_fields
from .magnetism import easy_direction, effective_anisotropy
from .response import QUADRATIC_FORMS, as_response, check_coupling_form

__all__ = [
    "single_magnet_anisotropy",
    "single_magnet_easy_axis",
    "EasyAxisPhaseDiagram",
    "easy_axis_phase_diagram",
]


def single_magnet_anisotropy(K, J, T, sc, coupling_form="complete"):
    """Effective anisotropy of one magnet on the Ising superconductor: equation (10) of the paper and its complete form.

    ``K_eff = K - 1/2 chi_s(T) J^2`` (``"paper"``) or
    ``K - 1/2 [chi_par(T) - chi_perp(T)] J^2`` (``"complete"``); ``K_eff > 0``
    is an out-of-plane easy axis, ``K_eff < 0`` an easy plane.

    Parameters
    ----------
    K : array_like
        Bare anisotropy of the ferromagnet (meV per Nb site), Eq. (9).
    J : array_like
        Exchange field it induces in NbSe2 (meV), ``>= 0``.
    T : array_like
        Temperature (meV), ``>= 0``.
    sc : IsingSuperconductor or SuperconductorResponse
        The superconductor (its default response table) or a response table.
    coupling_form : {"paper", "complete"}
        The second-order form (default ``"complete"``).

    Returns
    -------
    ndarray or float
        ``K_eff`` in meV per Nb site (broadcast shape of the inputs).

    Raises
    ------
    TypeError
        Non-real numbers, ``sc`` neither an :class:`~isingsc.superconductor.IsingSuperconductor` nor a
        :class:`~isingsc.response.SuperconductorResponse`, or a non-string ``coupling_form``.
    ValueError
        Non-finite or negative ``J``/``T``, ``T`` above the tabulated range, or a form other than
        ``"paper"`` and ``"complete"``.

    Examples
    --------
    At ``T = 0`` both forms agree (``chi_perp(0) = 0``):

    >>> from isingsc import ising_superconductor, superconductor_response
    >>> resp = superconductor_response(ising_superconductor(150.0))
    >>> K = 0.5 * resp.chi_s0                     # J = 1 meV: exactly at the boundary
    >>> abs(single_magnet_anisotropy(K, 1.0, 0.0, resp, "paper")) < 1e-12
    True
    """
    resp = as_response(sc)
    T = check_array(T, "T", unit="meV", nonneg=True)
    chi_par, chi_perp = resp.susceptibilities(T, coupling_form)
    return effective_anisotropy(K, chi_par, J, chi_perp)


def single_magnet_easy_axis(K, J, T, sc, coupling_form="complete"):
    """Easy direction of one magnet on the Ising superconductor (polar angle, rad).

    Parameters
    ----------
    K, J, T, sc, coupling_form
        As in :func:`single_magnet_anisotropy`.

    Returns
    -------
    ndarray or float
        ``0`` (out of plane) where ``K_eff >= 0`` (on the boundary every direction is a
        minimum), ``pi/2`` (in plane) where ``K_eff < 0``.

    Raises
    ------
    TypeError
        Non-real numbers, ``sc`` neither an :class:`~isingsc.superconductor.IsingSuperconductor` nor a
        :class:`~isingsc.response.SuperconductorResponse`, or a non-string ``coupling_form``.
    ValueError
        Non-finite or negative ``J``/``T``, ``T`` above the tabulated range, or a form other than
        ``"paper"`` and ``"complete"``.

    Examples
    --------
    >>> from isingsc import ising_superconductor, superconductor_response
    >>> resp = superconductor_response(ising_superconductor(150.0))
    >>> single_magnet_easy_axis([0.1 * resp.chi_s0, resp.chi_s0], 1.0, 0.0, resp).tolist()
    [1.5707963267948966, 0.0]
    """
    resp = as_response(sc)
    T = check_array(T, "T", unit="meV", nonneg=True)
    chi_par, chi_perp = resp.susceptibilities(T, coupling_form)
    return easy_direction(K, chi_par, J, chi_perp)


@checked_fields(nonneg=("t",))
@dataclass(frozen=True, eq=False)
class EasyAxisPhaseDiagram:
    """Easy direction of one magnet over ``(T/Tc0, K/(chi_s(0) J^2))``.

    Attributes
    ----------
    coupling_form : str
        ``"paper"`` or ``"complete"``.
    t : ndarray
        ``T/Tc0`` (columns).
    k : ndarray
        ``K/(chi_s(0) J^2)`` (rows).
    theta : ndarray
        Easy polar angle, shape ``(k.size, t.size)``: ``0`` or ``pi/2`` (``0`` on the boundary, where
        every direction is a minimum).
    k_boundary : ndarray
        Phase boundary ``K_c/(chi_s(0) J^2) = chi_eff(T)/(2 chi_s(0))`` for each ``t``:
        out of plane above it, in plane below.

    Examples
    --------
    Built by :func:`easy_axis_phase_diagram`:

    >>> from isingsc import ising_superconductor
    >>> pd = easy_axis_phase_diagram(ising_superconductor(150.0), [0.0, 0.5], [0.2, 0.8], "paper")
    >>> pd.coupling_form, pd.theta.shape
    ('paper', (2, 2))
    """

    coupling_form: str
    t: np.ndarray
    k: np.ndarray
    theta: np.ndarray
    k_boundary: np.ndarray

    def __post_init__(self):
        check_choice(self.coupling_form, "coupling_form", QUADRATIC_FORMS)
        if self.theta.shape != (self.k.size, self.t.size) or self.k_boundary.shape != (self.t.size,):
            raise ValueError(f"theta must have shape (k.size, t.size) = {(self.k.size, self.t.size)} and "
                             f"k_boundary shape (t.size,), got {self.theta.shape} and {self.k_boundary.shape}")


def easy_axis_phase_diagram(sc, t, k, coupling_form="complete"):
    """Phase diagram of the easy direction of one magnet on NbSe2.

    In the quadratic theory the boundary ``K = chi_eff(T) J^2 / 2`` scales with
    ``J^2``, so in the units ``K/(chi_s(0) J^2)`` the diagram does not depend on ``J``.

    Parameters
    ----------
    sc : IsingSuperconductor or SuperconductorResponse
        The superconductor (its default response table) or a response table.
    t : array_like
        Temperatures in units of ``Tc0``, within the tabulated range; at most 10^4 of them.
    k : array_like
        Anisotropies ``K/(chi_s(0) J^2)``; at most 10^4 of them.
    coupling_form : {"paper", "complete"}
        The second-order form (default ``"complete"``).

    Returns
    -------
    EasyAxisPhaseDiagram

    Raises
    ------
    TypeError
        Non-real numbers, a wrong ``sc`` or a non-string ``coupling_form``.
    ValueError
        Non-finite or negative ``t``, ``t`` above the tabulated range, too many points, or a form
        other than ``"paper"`` and ``"complete"``.

    Examples
    --------
    >>> from isingsc import ising_superconductor
    >>> pd = easy_axis_phase_diagram(ising_superconductor(150.0), [0.0, 1.0], [0.1, 0.9])
    >>> (pd.k_boundary.round(3) + 0.0).tolist()        # chi_eff/(2 chi_s(0)): 1/2 at T = 0, 0 at Tc0
    [0.5, 0.0]
    >>> (pd.theta / (np.pi / 2)).tolist()              # rows: k = 0.1, 0.9; columns: t = 0, 1
    [[1.0, 0.0], [0.0, 0.0]]
    """
    resp = as_response(sc)
    check_coupling_form(coupling_form, QUADRATIC_FORMS)
    t = check_array(t, "t", nonneg=True).ravel()
    k = check_array(k, "k").ravel()
    for name, arr in (("t", t), ("k", k)):
        if arr.size > 10**4:
            raise ValueError(f"{name} has {arr.size} entries; at most 10^4")
    chi_par, chi_perp = resp.susceptibilities(t * resp.tc0, coupling_form)
    x_par = np.atleast_1d(chi_par) / resp.chi_s0
    x_perp = np.atleast_1d(chi_perp) / resp.chi_s0
    # in units of chi_s(0) J^2 with J = 1: the boundary is where K_eff(K_c) = 0, i.e. K_c = -K_eff(0)
    boundary = -np.asarray(effective_anisotropy(0.0, x_par, 1.0, x_perp))
    theta = np.asarray(easy_direction(k[:, None], x_par[None, :], 1.0, x_perp[None, :]))
    return EasyAxisPhaseDiagram(coupling_form, t, k, theta, np.atleast_1d(boundary))
