"""Ferromagnet/NbSe2/ferromagnet energetics from the Ising-superconductor engine (Sec. IV).

This module joins the self-consistent superconductor of
:mod:`isingsc.superconductor` to the macrospin magnetism of
:mod:`isingsc.magnetism`.  Two monolayer ferromagnets with unit vectors
``n1, n2`` (polar angles ``theta1, theta2`` from the out-of-plane axis ``z``)
induce the total exchange field ``J (n1 + n2)`` in the superconductor, whose
free energy is the magnetic coupling ``df_sc(theta1, theta2)`` of Eq. (11).
Three descriptions of that coupling are offered (the argument ``model``):

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
    tabulated on a small grid of field magnitudes and polar angles and
    interpolated (:class:`MicroscopicTable`, :func:`microscopic_coupling`).

Units
-----
Energies in meV (``k_B = 1``) **per Nb site** of NbSe2: ``K1, K2``, all
coupling energies and the Zeeman energy ``H * Ms``.  Susceptibilities in
1/meV per Nb site (the engine's convention, in which the Zeeman energy of the
electrons in a field ``J`` is ``-chi J^2/2``).  Temperatures and the exchange
field ``J`` in meV.  Magnetizations ``Ms`` are free units; with ``Ms = 1`` the
field ``H`` is the Zeeman energy per Nb site.  Angles in radians.

Notes
-----
The zero-field ground state of the stack is obtained by *global* minimisation
over ``(theta1, theta2)`` (:func:`ground_state`), whereas hysteresis loops
follow local minima (:func:`isingsc.magnetism.hysteresis_loop`).  ``T*`` is the
temperature at which the zero-field ground-state alignment changes
(:func:`find_t_star`).
"""
from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy.interpolate import CubicSpline

from ._validation import check_array, check_real
from .magnetism import FSFStack, IsingQuadraticCoupling, TabulatedCoupling, easy_direction, relax, wrap_angle
from .model import NbSe2
from .superconductor import DELTA0_PAPER, IsingSuperconductor

__all__ = [
    "MODELS",
    "ising_superconductor",
    "SuperconductorResponse",
    "superconductor_response",
    "single_magnet_anisotropy",
    "single_magnet_easy_axis",
    "EasyAxisPhaseDiagram",
    "easy_axis_phase_diagram",
    "MicroscopicTable",
    "MicroscopicCoupling",
    "microscopic_table",
    "microscopic_tables",
    "microscopic_coupling",
    "stack_coupling",
    "Fig4Parameters",
    "fig4_stack",
    "GroundState",
    "ground_state",
    "Transition",
    "TStarResult",
    "find_t_star",
    "collinear_determinant",
    "free_energy_derivatives",
    "microscopic_collinear_determinant",
    "stability_temperature",
    "TStarMap",
    "t_star_map",
]

#: The three descriptions of the superconductor-mediated coupling (see the module docstring).
MODELS = ("paper", "complete", "microscopic")


# ---------------------------------------------------------------- validation
_real = check_real
_array = check_array


def _model(model, allowed=MODELS):
    if model not in allowed:
        raise ValueError(f"model must be one of {allowed}, got {model!r}")
    return model


def _superconductor(sc):
    if not isinstance(sc, IsingSuperconductor):
        raise ValueError(f"expected an IsingSuperconductor, got {type(sc).__name__}")
    return sc


@lru_cache(maxsize=16)
def ising_superconductor(lambda_over_delta0=150.0, delta0=DELTA0_PAPER):
    """The paper's NbSe2 superconductor at a given spin-orbit strength (cached).

    Parameters
    ----------
    lambda_over_delta0 : float, optional
        ``lambda_soc / Delta0``; the figures of Secs. III-IV use 150.
    delta0 : float, optional
        Zero-temperature gap (meV); default App. B's ``1.8 x 3 K``.

    Returns
    -------
    IsingSuperconductor
        ``IsingSuperconductor(NbSe2().with_lambda_soc(lambda_over_delta0 * delta0), delta0)``,
        the same object for the same arguments.
    """
    lam = _real(lambda_over_delta0, "lambda_over_delta0", positive=True)
    d0 = _real(delta0, "delta0", positive=True)
    return IsingSuperconductor(NbSe2().with_lambda_soc(lam * d0), d0)


# ------------------------------------------------------- susceptibility table
@dataclass(frozen=True, eq=False)
class SuperconductorResponse:
    """In- and out-of-plane spin susceptibilities ``chi_par(T)``, ``chi_perp(T)`` on a grid.

    Build with :func:`superconductor_response` (cached per superconductor).
    Between the nodes the susceptibilities are cubic splines, separately on
    ``[0, Tc0]`` and ``[Tc0, T_max]`` (they have a kink at the second-order
    transition ``Tc0``), clipped at zero (``chi_perp`` is exponentially small
    at low ``T``).  With the default grid the interpolation error is below
    ``1e-5 chi_s(0)`` (the out-of-plane one, which rises like ``exp(-Delta/T)``,
    is the harder; checked in the tests).

    Attributes
    ----------
    superconductor : IsingSuperconductor
    T : ndarray
        Temperature nodes (meV), including ``0`` and ``Tc0``.
    chi_par, chi_perp : ndarray
        In-plane (the paper's ``chi_s``) and out-of-plane spin susceptibilities
        at the nodes, 1/meV per Nb site.
    """

    superconductor: IsingSuperconductor
    T: np.ndarray
    chi_par: np.ndarray
    chi_perp: np.ndarray
    _splines: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        tc = self.tc0
        below = self.T <= tc * (1 + 1e-12)
        above = self.T >= tc * (1 - 1e-12)
        sp = {}
        for name in ("chi_par", "chi_perp"):
            y = getattr(self, name)
            sp[name] = (CubicSpline(self.T[below], y[below]),
                        CubicSpline(self.T[above], y[above]) if above.sum() >= 2 else None)
        object.__setattr__(self, "_splines", sp)

    @property
    def tc0(self):
        """Zero-field critical temperature (meV)."""
        return self.superconductor.tc0

    @property
    def chi_s0(self):
        """``chi_s(T = 0) = chi_par(0)`` (1/meV per Nb site), the paper's unit ``chi_s(T=0) J^2 / J^2``."""
        return float(self.chi_par[0])

    @property
    def chi_pauli(self):
        """Pauli susceptibility ``chi_P = 2 N(0)`` (1/meV per Nb site)."""
        return self.superconductor.pauli_susceptibility

    @property
    def t_max(self):
        """Highest tabulated temperature (meV)."""
        return float(self.T[-1])

    def _eval(self, name, T):
        T = _array(T, "T", nonneg=True)
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
        """In-plane susceptibility ``chi_par(T) = chi_s(T)`` (1/meV per Nb site), interpolated."""
        return self._eval("chi_par", T)

    def chi_perp_at(self, T):
        """Out-of-plane susceptibility ``chi_perp(T)`` (1/meV per Nb site), interpolated."""
        return self._eval("chi_perp", T)

    def anisotropy_susceptibility(self, T, model="complete"):
        """Susceptibility that sets the single-magnet anisotropy, ``K_eff = K - chi_eff J^2 / 2``.

        Parameters
        ----------
        T : array_like
            Temperature(s) in meV.
        model : {"paper", "complete"}
            ``"paper"``: ``chi_eff = chi_par`` (Eq. 10); ``"complete"``:
            ``chi_eff = chi_par - chi_perp``.

        Returns
        -------
        ndarray or float
            ``chi_eff`` in 1/meV per Nb site.
        """
        _model(model, ("paper", "complete"))
        par = self.chi_par_at(T)
        return par if model == "paper" else par - self.chi_perp_at(T)

    def coupling(self, T, model="paper"):
        """Quadratic coupling at temperature ``T`` (meV): Eq. (13) or the complete form.

        Returns
        -------
        IsingQuadraticCoupling
            ``chi_par = chi_s(T)`` and ``chi_perp = 0`` (``"paper"``) or ``chi_perp(T)`` (``"complete"``).
        """
        _model(model, ("paper", "complete"))
        T = _real(T, "T", nonneg=True)
        return IsingQuadraticCoupling(self.chi_par_at(T), self.chi_perp_at(T) if model == "complete" else 0.0)


_RESPONSES = weakref.WeakKeyDictionary()


def superconductor_response(sc, t_max=1.3, n_below=25, n_above=4):
    """Tabulate ``chi_par(T)`` and ``chi_perp(T)`` of a superconductor (cached).

    Parameters
    ----------
    sc : IsingSuperconductor
    t_max : float, optional
        Highest temperature in units of ``Tc0`` (> 1).
    n_below : int, optional
        Nodes on ``[0, Tc0]`` (Chebyshev-Lobatto, i.e. dense near both ends), >= 4.
    n_above : int, optional
        Intervals on ``[Tc0, t_max Tc0]`` (uniform), >= 1.

    Returns
    -------
    SuperconductorResponse
        The same object for the same superconductor and grid.
    """
    sc = _superconductor(sc)
    t_max = _real(t_max, "t_max")
    if t_max <= 1.0:
        raise ValueError(f"t_max must exceed 1 (units of Tc0) so that the normal state is included, got {t_max!r}")
    if int(n_below) != n_below or n_below < 4 or int(n_above) != n_above or n_above < 1:
        raise ValueError(f"n_below must be an integer >= 4 and n_above >= 1, got {n_below!r}, {n_above!r}")
    key = (t_max, int(n_below), int(n_above))
    cache = _RESPONSES.setdefault(sc, {})
    if key not in cache:
        tc = sc.tc0
        k = np.arange(int(n_below))
        below = 0.5 * tc * (1.0 - np.cos(np.pi * k / (n_below - 1)))
        below[-1] = tc
        above = np.linspace(tc, t_max * tc, int(n_above) + 1)[1:]
        T = np.concatenate([below, above])
        # at T = Tc0 exactly the gap vanishes: evaluate the normal state there
        Teval = T.copy()
        chi_par = np.array([sc.spin_susceptibility(t, 0.5 * np.pi) for t in Teval])
        chi_perp = np.array([sc.spin_susceptibility(t, 0.0) for t in Teval])
        cache[key] = SuperconductorResponse(sc, T, chi_par, chi_perp)
    return cache[key]


def _response(sc_or_response):
    if isinstance(sc_or_response, SuperconductorResponse):
        return sc_or_response
    return superconductor_response(_superconductor(sc_or_response))


# ------------------------------------------------------------ single magnet
def single_magnet_anisotropy(K, J, T, sc, model="complete"):
    """Effective anisotropy of one magnet on the Ising superconductor, Eq. (10) and its complete form.

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
    model : {"paper", "complete"}

    Returns
    -------
    ndarray or float
        ``K_eff`` in meV per Nb site (broadcast shape of the inputs).
    """
    resp = _response(sc)
    K = _array(K, "K")
    J = _array(J, "J", nonneg=True)
    T = _array(T, "T", nonneg=True)
    out = K - 0.5 * resp.anisotropy_susceptibility(T, model) * J**2
    return float(out) if np.ndim(out) == 0 else out


def single_magnet_easy_axis(K, J, T, sc, model="complete"):
    """Easy direction of one magnet on the Ising superconductor (polar angle, rad).

    Parameters
    ----------
    K, J, T, sc, model
        As in :func:`single_magnet_anisotropy`.

    Returns
    -------
    ndarray or float
        ``0`` (out of plane) where ``K_eff > 0``, ``pi/2`` (in plane) where
        ``K_eff < 0``, ``nan`` on the boundary.
    """
    resp = _response(sc)
    _model(model, ("paper", "complete"))
    T = _array(T, "T", nonneg=True)
    chi_par = resp.chi_par_at(T)
    chi_perp = resp.chi_perp_at(T) if model == "complete" else np.zeros_like(chi_par)
    return easy_direction(K, chi_par, J, chi_perp)


@dataclass(frozen=True, eq=False)
class EasyAxisPhaseDiagram:
    """Easy direction of one magnet over ``(T/Tc0, K/(chi_s(0) J^2))``.

    Attributes
    ----------
    model : str
    t : ndarray
        ``T/Tc0`` (columns).
    k : ndarray
        ``K/(chi_s(0) J^2)`` (rows).
    theta : ndarray
        Easy polar angle, shape ``(k.size, t.size)``: ``0`` or ``pi/2``.
    k_boundary : ndarray
        Phase boundary ``K_c/(chi_s(0) J^2) = chi_eff(T)/(2 chi_s(0))`` for each ``t``:
        out of plane above it, in plane below.
    """

    model: str
    t: np.ndarray
    k: np.ndarray
    theta: np.ndarray
    k_boundary: np.ndarray


def easy_axis_phase_diagram(sc, t, k, model="complete"):
    """Phase diagram of the easy direction of one magnet on NbSe2.

    In the quadratic theory the boundary ``K = chi_eff(T) J^2 / 2`` scales with
    ``J^2``, so in the units ``K/(chi_s(0) J^2)`` the diagram does not depend on ``J``.

    Parameters
    ----------
    sc : IsingSuperconductor or SuperconductorResponse
    t : array_like
        Temperatures in units of ``Tc0``, within the tabulated range.
    k : array_like
        Anisotropies ``K/(chi_s(0) J^2)``.
    model : {"paper", "complete"}

    Returns
    -------
    EasyAxisPhaseDiagram
    """
    resp = _response(sc)
    _model(model, ("paper", "complete"))
    t = _array(t, "t", nonneg=True).ravel()
    k = _array(k, "k").ravel()
    boundary = 0.5 * resp.anisotropy_susceptibility(t * resp.tc0, model) / resp.chi_s0
    keff = k[:, None] - boundary[None, :]
    theta = np.where(keff > 0, 0.0, np.where(keff < 0, 0.5 * np.pi, np.nan))
    return EasyAxisPhaseDiagram(model, t, k, theta, np.asarray(boundary))


# -------------------------------------------------- microscopic free energy
def _free_energy_chunk(sc, T, J_abs, alpha):
    return [sc.free_energy(T, j, a) for j, a in zip(J_abs, alpha)]


def _power_difference(a_old, a_new, da, n):
    """``a_new**n - a_old**n`` as ``da * sum_i a_new**i a_old**(n-1-i)`` (no cancellation); ``da = a_new - a_old``."""
    if n == 0:
        return np.zeros_like(da)
    acc = np.zeros_like(da)
    for i in range(n):
        acc = acc + a_new**i * a_old ** (n - 1 - i)
    return da * acc


@dataclass(frozen=True, eq=False)
class MicroscopicTable:
    """Interpolated free energy of the superconductor in a total exchange field.

    ``F(|J_tot|, alpha) = f_sn(T, |J_tot|, alpha) - f_sn(T, 0)`` (meV per Nb
    site), where ``alpha`` is the polar angle of ``J_tot`` from ``z``.  Build
    with :func:`microscopic_table`.

    Interpolation: with ``u = |J_tot|^2`` and ``s = sin^2 alpha`` the free
    energy is an analytic function of ``(J_x^2 + J_y^2, J_z^2) = (u s, u (1 - s))``
    (time reversal makes it even in ``J``, spin conservation along ``z`` makes it
    independent of the azimuth), so ``G = F/u`` is smooth and at order ``u^n``
    a polynomial of degree ``n + 1`` in ``s``.  ``G`` is therefore represented by
    a polynomial of degree ``n_angles - 1`` in ``s`` (through the angle nodes)
    and of degree ``u_degree`` in ``u`` (a least-squares fit through the
    magnitude nodes), i.e. ``F = u sum_kl C_kl (u/u_max)^k s^l`` with
    ``u_max = (2 J)^2``.  A single smooth polynomial (rather than a spline)
    keeps the derivatives that the hysteresis follower relies on free of
    artificial structure.  The fit is extrapolated to ``u = 0``, not pinned to
    the susceptibilities, so that the small-field limit is a genuine check of
    the table; ``F = u G`` vanishes at ``J_tot = 0`` exactly.

    Attributes
    ----------
    T, J : float
        Temperature and single-magnet exchange field (meV); ``|J_tot| <= 2 J``.
    J_abs : ndarray
        Magnitude nodes (meV), ``2 J k / n`` for ``k = 1..n``.
    alpha : ndarray
        Polar-angle nodes (rad) in ``[0, pi/2]``, Chebyshev-Lobatto in ``s = sin^2 alpha``.
    values : ndarray
        ``F`` at the nodes, shape ``(J_abs.size, alpha.size)`` (meV per Nb site).
    f_zero : float
        ``f_sn(T, 0)`` (meV per Nb site), the subtracted zero-field value.
    u_degree : int
        Degree of the fit in ``u`` (default 3; at most ``J_abs.size - 1``).
    """

    T: float
    J: float
    J_abs: np.ndarray
    alpha: np.ndarray
    values: np.ndarray
    f_zero: float
    u_degree: int = 3
    _poly: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        n, m = self.values.shape
        deg = int(self.u_degree)
        if deg < 1 or deg > n - 1:
            raise ValueError(f"u_degree must be between 1 and {n - 1} for {n} magnitude nodes, got {self.u_degree!r}")
        u_max = (2.0 * self.J) ** 2
        x = self.J_abs**2 / u_max
        G = self.values / (x * u_max)[:, None]
        P = np.polynomial.polynomial
        coef_x = P.polyfit(x, G, deg)                      # (deg + 1, m): G_j(x) = sum_k coef_x[k, j] x^k
        s_nodes = np.sin(self.alpha) ** 2
        A = np.array([P.polyfit(s_nodes, np.eye(m)[j], m - 1) for j in range(m)])  # L_j(s) = sum_l A[j, l] s^l
        C = coef_x @ A                                      # g(x, s) = sum_kl C[k, l] x^k s^l
        object.__setattr__(self, "_poly", {"C": C, "u_max": u_max})

    # -------------------------------------------------------------- evaluation
    def _g_terms(self, x, s, order):
        """``g = F/u`` and its derivatives in ``x = u/u_max`` and ``s``, by Horner-free power sums."""
        C = self._poly["C"]
        K, M = C.shape
        xp = [np.ones_like(x)]
        for _ in range(K):
            xp.append(xp[-1] * x)
        sp = [np.ones_like(s)]
        for _ in range(M):
            sp.append(sp[-1] * s)
        g = sum(C[k, l] * xp[k] * sp[l] for k in range(K) for l in range(M))
        if order == 0:
            return (g,)
        g_x = sum(k * C[k, l] * xp[k - 1] * sp[l] for k in range(1, K) for l in range(M))
        g_s = sum(l * C[k, l] * xp[k] * sp[l - 1] for k in range(K) for l in range(1, M))
        if order == 1:
            return g, g_x, g_s
        g_xx = sum(k * (k - 1) * C[k, l] * xp[k - 2] * sp[l] for k in range(2, K) for l in range(M))
        g_xs = sum(k * l * C[k, l] * xp[k - 1] * sp[l - 1] for k in range(1, K) for l in range(1, M))
        g_ss = sum(l * (l - 1) * C[k, l] * xp[k] * sp[l - 2] for k in range(K) for l in range(2, M))
        zero = np.zeros_like(g)
        return g, g_x, g_s, g_xx + zero, g_xs + zero, g_ss + zero

    def __call__(self, J_abs, alpha):
        """``(F, dF/d|J_tot|, dF/dalpha)`` at magnitudes ``J_abs`` (meV) and polar angles ``alpha`` (rad).

        ``F`` in meV per Nb site; broadcast over the inputs.  ``alpha`` may be
        any angle (``F`` depends on ``sin^2 alpha`` only).  Magnitudes above
        ``2 J`` (never reached by two magnets) are a polynomial extrapolation.
        """
        r, a = np.broadcast_arrays(np.asarray(J_abs, float), np.asarray(alpha, float))
        u_max = self._poly["u_max"]
        x = r * r / u_max
        s = np.sin(a) ** 2
        g, g_x, g_s = self._g_terms(x, s, 1)
        f = u_max * x * g
        df_dr = 2.0 * r * (g + x * g_x)
        df_da = u_max * x * g_s * np.sin(2.0 * a)
        return f, df_dr, df_da

    def energy(self, J_abs, alpha):
        """``F`` only (meV per Nb site)."""
        return self(J_abs, alpha)[0]

    def coupling(self):
        """The table as a :class:`MicroscopicCoupling` (a :class:`~isingsc.magnetism.TabulatedCoupling`)."""
        return MicroscopicCoupling(TabulatedCoupling.from_polar(self).func, table=self)

    def _w_terms(self, p, q, J, order):
        """``W(p, q) = F`` with ``u = 4 J^2 p``, ``s = q``, and its derivatives in ``p`` and ``q``."""
        u_max = self._poly["u_max"]
        c = 4.0 * J * J / u_max               # x = c p
        x = c * p
        res = self._g_terms(x, q, order)
        g = res[0]
        W = u_max * x * g
        if order == 0:
            return (W,)
        g_x, g_s = res[1], res[2]
        W_p = c * u_max * (g + x * g_x)
        W_q = u_max * x * g_s
        if order == 1:
            return W, W_p, W_q
        g_xx, g_xs, g_ss = res[3:]
        W_pp = c * c * u_max * (2.0 * g_x + x * g_xx)
        W_pq = c * u_max * (g_s + x * g_xs)
        W_qq = u_max * x * g_ss
        return W, W_p, W_q, W_pp, W_pq, W_qq

    def _w_difference(self, p_old, dp, q_old, dq, J):
        """``W(p_old + dp, q_old + dq) - W(p_old, q_old)`` from exact increments, without cancellation."""
        C = self._poly["C"]
        K, M = C.shape
        u_max = self._poly["u_max"]
        c = 4.0 * J * J / u_max
        x_old, dx = c * p_old, c * dp
        x_new, q_new = x_old + dx, q_old + dq
        out = np.zeros(np.broadcast(x_old, q_old).shape)
        for k in range(K):
            dxk = _power_difference(x_old, x_new, dx, k + 1)     # x^(k+1) changes
            for l in range(M):
                if C[k, l] == 0.0:
                    continue
                dql = _power_difference(q_old, q_new, dq, l)
                out = out + C[k, l] * (dxk * q_new**l + x_old ** (k + 1) * dql)
        return u_max * out

    def interpolation_error(self, sc, J_abs, alpha):
        """Compare the table with direct engine calls at arbitrary (e.g. off-grid) points.

        Parameters
        ----------
        sc : IsingSuperconductor
            The superconductor the table was built from.
        J_abs, alpha : array_like
            Points (meV, rad), broadcast against each other.

        Returns
        -------
        (ndarray, ndarray)
            ``(direct, interpolated)`` values of ``F`` (meV per Nb site).
        """
        sc = _superconductor(sc)
        r, a = np.broadcast_arrays(_array(J_abs, "J_abs", nonneg=True), _array(alpha, "alpha"))
        direct = np.array([sc.free_energy(self.T, x, y) for x, y in zip(r.ravel(), a.ravel())]) - self.f_zero
        return direct.reshape(r.shape), self.energy(r, a)


@dataclass(frozen=True)
class MicroscopicCoupling(TabulatedCoupling):
    """The tabulated full free energy as a stack coupling, with exact derivatives and differences.

    A :class:`~isingsc.magnetism.TabulatedCoupling` (``func(Jx, Jz)`` is the
    table) whose :meth:`terms` are analytic and whose :meth:`energy_change`
    is free of cancellation, so that the relaxation of
    :mod:`isingsc.magnetism` can resolve energy changes far below the
    rounding error of the energy (as for the analytic couplings).  It uses
    ``|J_tot|^2 = 4 J^2 cos^2((theta1 - theta2)/2)`` and that the polar angle of
    ``J_tot`` is ``(theta1 + theta2)/2``: the energy is ``W(p, q)`` with
    ``p = cos^2((theta1 - theta2)/2)`` and ``q = sin^2((theta1 + theta2)/2)``.
    Build it with :func:`microscopic_coupling` or :meth:`MicroscopicTable.coupling`.

    Attributes
    ----------
    func : callable
        As in :class:`~isingsc.magnetism.TabulatedCoupling` (the table in Cartesian components).
    table : MicroscopicTable
        The interpolated free energy.  The stack's ``J`` should be the table's
        ``J``; a larger one extrapolates beyond the tabulated ``2 J``.
    """

    table: "MicroscopicTable" = None
    exact_energy_change = True

    def __post_init__(self):
        super().__post_init__()
        if not isinstance(self.table, MicroscopicTable):
            raise ValueError(f"table must be a MicroscopicTable, got {type(self.table).__name__}")

    def resolution(self):
        return (1e-14, 1e-10)

    def terms(self, theta1, theta2, J, order=2):
        t1, t2 = np.broadcast_arrays(np.asarray(theta1, float), np.asarray(theta2, float))
        d = t1 - t2
        sig = 0.5 * (t1 + t2)
        p = 0.5 * (1.0 + np.cos(d))
        q = np.sin(sig) ** 2
        res = self.table._w_terms(p, q, J, order)
        if order == 0:
            return (res[0],)
        W, W_p, W_q = res[:3]
        p_d, q_s = -0.5 * np.sin(d), np.sin(2.0 * sig)
        F_d, F_s = W_p * p_d, W_q * q_s
        g1, g2 = F_d + 0.5 * F_s, -F_d + 0.5 * F_s
        if order == 1:
            return W, g1, g2
        W_pp, W_pq, W_qq = res[3:]
        F_dd = W_pp * p_d * p_d + W_p * (-0.5 * np.cos(d))
        F_ss = W_qq * q_s * q_s + W_q * 2.0 * np.cos(2.0 * sig)
        F_ds = W_pq * p_d * q_s
        return W, g1, g2, F_dd + F_ds + 0.25 * F_ss, -F_dd + 0.25 * F_ss, F_dd - F_ds + 0.25 * F_ss

    def energy_change(self, theta1, theta2, new1, new2, J=0.0):
        t1, t2, n1, n2 = np.broadcast_arrays(*(np.asarray(x, float) for x in (theta1, theta2, new1, new2)))
        d_old, d_new = t1 - t2, n1 - n2
        dd = (n1 - t1) - (n2 - t2)  # d_new - d_old without rounding the large angles
        s_old, s_new = 0.5 * (t1 + t2), 0.5 * (n1 + n2)
        ds = 0.5 * ((n1 - t1) + (n2 - t2))
        p_old = 0.5 * (1.0 + np.cos(d_old))
        dp = -np.sin(0.5 * (d_new + d_old)) * np.sin(0.5 * dd)
        q_old = np.sin(s_old) ** 2
        dq = np.sin(ds) * np.sin(s_new + s_old)
        return self.table._w_difference(p_old, dp, q_old, dq, J)


_TABLES = weakref.WeakKeyDictionary()


def _table_key(T, J, n_magnitudes, n_angles):
    return (round(T, 15), round(J, 15), int(n_magnitudes), int(n_angles))


def _table_nodes(J, n_magnitudes, n_angles):
    if int(n_magnitudes) != n_magnitudes or n_magnitudes < 4:
        raise ValueError(f"n_magnitudes must be an integer >= 4 (cubic fit in |J_tot|^2), got {n_magnitudes!r}")
    if int(n_angles) != n_angles or n_angles < 2:
        raise ValueError(f"n_angles must be an integer >= 2, got {n_angles!r}")
    J_abs = 2.0 * J * np.arange(1, int(n_magnitudes) + 1) / n_magnitudes
    s = 0.5 * (1.0 - np.cos(np.pi * np.arange(int(n_angles)) / (n_angles - 1)))
    alpha = np.arcsin(np.sqrt(np.clip(s, 0.0, 1.0)))
    alpha[-1] = 0.5 * np.pi
    return J_abs, alpha


def microscopic_tables(sc, temperatures, J, *, n_magnitudes=5, n_angles=4, executor=None):
    """Build (or fetch from the cache) :class:`MicroscopicTable` s at several temperatures.

    All missing engine evaluations are pooled, so that an ``executor`` (e.g. a
    ``concurrent.futures.ProcessPoolExecutor``) keeps every worker busy.

    Parameters
    ----------
    sc : IsingSuperconductor
    temperatures : sequence of float
        Temperatures (meV), ``>= 0``.
    J : float
        Exchange field of one magnet (meV), ``> 0``; the table covers ``|J_tot| <= 2 J``.
    n_magnitudes : int, optional
        Magnitude nodes ``2 J k / n``, ``k = 1..n`` (>= 4).  The default 5 x 4
        grid (20 engine calls, 10 of them at oblique angles) reproduces the free
        energy to < 1e-5 ``chi_s(0) J^2`` at off-grid points for ``J = 0.25 H_P``
        and ``lambda_soc = 150 Delta0`` (tests and book); 3 angles would give ~2e-4.
    n_angles : int, optional
        Polar-angle nodes in ``[0, pi/2]`` (>= 2); the nodes ``0`` and ``pi/2`` are
        cheap (one-dimensional and in-plane paths of the engine), the others
        cost ~0.3 s each.
    executor : concurrent.futures.Executor, optional
        Spread the engine calls over workers (the superconductor is pickled).

    Returns
    -------
    list of MicroscopicTable
    """
    sc = _superconductor(sc)
    J = _real(J, "J", positive=True)
    Ts = [_real(T, "T", nonneg=True) for T in np.atleast_1d(temperatures)]
    J_abs, alpha = _table_nodes(J, n_magnitudes, n_angles)
    cache = _TABLES.setdefault(sc, {})
    missing = [T for T in dict.fromkeys(Ts) if _table_key(T, J, n_magnitudes, n_angles) not in cache]
    if missing:
        pts = [(T, j, a) for T in missing for j in J_abs for a in alpha]
        if executor is None:
            vals = [sc.free_energy(T, j, a) for T, j, a in pts]
        else:
            n_chunks = 2 * max(1, int(getattr(executor, "_max_workers", 2)))
            chunks = [pts[i::n_chunks] for i in range(n_chunks)]
            results = list(executor.map(_points_chunk, [sc] * n_chunks, chunks))
            vals = [None] * len(pts)
            for i in range(n_chunks):
                vals[i::n_chunks] = results[i]
        vals = np.array(vals, float).reshape(len(missing), J_abs.size, alpha.size)
        for T, v in zip(missing, vals):
            f0 = sc.free_energy(T, 0.0)
            cache[_table_key(T, J, n_magnitudes, n_angles)] = MicroscopicTable(T, J, J_abs, alpha, v - f0, f0)
    return [cache[_table_key(T, J, n_magnitudes, n_angles)] for T in Ts]


def _points_chunk(sc, pts):
    return [sc.free_energy(T, j, a) for T, j, a in pts]


def microscopic_table(sc, T, J, *, n_magnitudes=5, n_angles=4, executor=None):
    """One :class:`MicroscopicTable` (cached per superconductor, ``T``, ``J`` and grid).

    Parameters
    ----------
    sc, J, n_magnitudes, n_angles, executor
        As in :func:`microscopic_tables`.
    T : float
        Temperature (meV).

    Returns
    -------
    MicroscopicTable
    """
    return microscopic_tables(sc, [T], J, n_magnitudes=n_magnitudes, n_angles=n_angles, executor=executor)[0]


def microscopic_coupling(sc, T, J, **table_options):
    """Coupling whose energy is the full superconducting free energy in the field ``J (n1 + n2)``.

    ``df_sc(theta1, theta2) = f_sn(T, |J_tot|, alpha) - f_sn(T, 0)`` with
    ``J_tot = J (n1 + n2)``, interpolated from a :class:`MicroscopicTable`
    (not the quadratic expansion).  Use it in an
    :class:`~isingsc.magnetism.FSFStack` with the same ``J``.

    Parameters
    ----------
    sc : IsingSuperconductor
    T, J : float
        Temperature and single-magnet exchange field (meV).
    **table_options
        ``n_magnitudes``, ``n_angles``, ``executor`` of :func:`microscopic_table`.

    Returns
    -------
    MicroscopicCoupling
        A :class:`~isingsc.magnetism.TabulatedCoupling` with analytic
        derivatives and cancellation-free energy changes.
    """
    return microscopic_table(sc, T, J, **table_options).coupling()


def stack_coupling(sc, T, J, model, **table_options):
    """The superconductor-mediated coupling of the stack at temperature ``T`` (meV).

    Parameters
    ----------
    sc : IsingSuperconductor or SuperconductorResponse
    T, J : float
        Temperature and single-magnet exchange field (meV).
    model : {"paper", "complete", "microscopic", "bare"}
        ``"bare"`` means no superconductor (``None``).
    **table_options
        Passed to :func:`microscopic_coupling` for ``"microscopic"``.

    Returns
    -------
    Coupling or None
    """
    _model(model, MODELS + ("bare",))
    if model == "bare":
        return None
    resp = _response(sc)
    if model == "microscopic":
        return microscopic_coupling(resp.superconductor, T, J, **table_options)
    return resp.coupling(T, model)


# ------------------------------------------------------ paper's Fig. 4 stack
@dataclass(frozen=True)
class Fig4Parameters:
    """The F/S/F stack of the paper's Fig. 4, in absolute units.

    The paper fixes only ratios: ``lambda_soc = 150 Delta0``,
    ``K1 = k1 chi_s(T=0) J^2`` with ``k1`` = 1.05, 0.95, 0.85 for panels (a)-(c)
    [(d) as (c)], ``K1 = 1.12 K2`` and ``Ms1 = 1.12 Ms2 = 1.12 Ms``.  The
    exchange field is not given; it must stay below the Pauli limit
    ``H_P = Delta0/sqrt 2`` for the out-of-plane state to be superconducting.
    We take ``J = 0.25 H_P`` so that ``|J_tot| <= 2 J = 0.5 H_P``.

    Attributes
    ----------
    k1 : float
        ``K1 / (chi_s(0) J^2)``.
    k1_over_k2 : float
        ``K1 / K2`` (1.12).
    ms1_over_ms2 : float
        ``Ms1 / Ms2`` (1.12).
    lambda_over_delta0 : float
        ``lambda_soc / Delta0`` (150).
    j_over_hp : float
        ``J / H_P`` (0.25, our choice).
    ms2 : float
        ``Ms2 = Ms`` (1, so that ``H`` is the Zeeman energy of magnet 2 in meV per Nb site).
    """

    k1: float = 1.05
    k1_over_k2: float = 1.12
    ms1_over_ms2: float = 1.12
    lambda_over_delta0: float = 150.0
    j_over_hp: float = 0.25
    ms2: float = 1.0

    def __post_init__(self):
        for name in ("k1_over_k2", "ms1_over_ms2", "lambda_over_delta0", "j_over_hp", "ms2"):
            object.__setattr__(self, name, _real(getattr(self, name), name, positive=True))
        object.__setattr__(self, "k1", _real(self.k1, "k1"))

    @property
    def superconductor(self):
        """The NbSe2 superconductor (:func:`ising_superconductor`)."""
        return ising_superconductor(self.lambda_over_delta0)

    @property
    def response(self):
        """Its tabulated susceptibilities (:func:`superconductor_response`)."""
        return superconductor_response(self.superconductor)

    @property
    def J(self):
        """Exchange field of one magnet in NbSe2 (meV)."""
        return self.j_over_hp * self.superconductor.delta0 / math.sqrt(2.0)

    @property
    def energy_unit(self):
        """``chi_s(T=0) J^2`` (meV per Nb site), the paper's unit of anisotropy."""
        return self.response.chi_s0 * self.J**2

    @property
    def field_unit(self):
        """``chi_s(0) J^2 / Ms`` (meV per Nb site per unit moment), the unit of ``H``."""
        return self.energy_unit / self.ms2

    @property
    def K1(self):
        """Anisotropy of magnet 1 (meV per Nb site)."""
        return self.k1 * self.energy_unit

    @property
    def K2(self):
        """Anisotropy of magnet 2 (meV per Nb site)."""
        return self.K1 / self.k1_over_k2

    @property
    def Ms1(self):
        """Saturation magnetization of magnet 1 (units of ``Ms``)."""
        return self.ms1_over_ms2 * self.ms2

    def stack(self, T, model="paper", **table_options):
        """The :class:`~isingsc.magnetism.FSFStack` at temperature ``T`` (meV).

        Parameters
        ----------
        T : float
            Temperature (meV).
        model : {"paper", "complete", "microscopic", "bare"}
        **table_options
            For ``"microscopic"``: options of :func:`microscopic_table`.
        """
        cpl = stack_coupling(self.response, T, self.J, model, **table_options)
        return FSFStack(self.K1, self.K2, self.Ms1, self.ms2, self.J, cpl)


def fig4_stack(k1, T, model="paper", **options):
    """Shortcut: ``Fig4Parameters(k1=k1).stack(T, model)``; ``options`` go to the stack (table options)."""
    return Fig4Parameters(k1=k1).stack(T, model, **options)


# ------------------------------------------------------------- ground state
@dataclass(frozen=True)
class GroundState:
    """Zero-field global energy minimum of a stack.

    Attributes
    ----------
    theta1, theta2 : float
        Polar angles (rad) in a canonical representative: ``theta1`` in
        ``[0, pi/2]`` (the energy is invariant under ``theta_i -> theta_i + pi``
        for both magnets and under the mirror ``theta_i -> -theta_i``).
    energy : float
        Energy (meV per Nb site).
    magnets : tuple of str
        ``"out-of-plane"``, ``"in-plane"`` or ``"canted"`` for each magnet.
    alignment : str
        ``"out-of-plane"`` or ``"in-plane"`` if both magnets are, else ``"canted"``.
    parallel : bool
        ``cos(theta1 - theta2) > 0``.
    """

    theta1: float
    theta2: float
    energy: float
    magnets: tuple
    alignment: str
    parallel: bool


def _classify(theta, tol):
    if abs(math.sin(theta)) < tol:
        return "out-of-plane"
    if abs(math.cos(theta)) < tol:
        return "in-plane"
    return "canted"


def ground_state(stack, *, n_grid=36, n_starts=6, angle_tol=1e-3):
    """Global minimum of the stack's zero-field energy over ``(theta1, theta2)``.

    A periodic ``n_grid x n_grid`` scan finds the basins (grid points lower
    than their eight neighbours); the ``n_starts`` lowest are relaxed with
    :func:`isingsc.magnetism.relax` and the lowest result is returned.

    Parameters
    ----------
    stack : FSFStack
    n_grid : int, optional
        Grid points per angle on ``[-pi, pi)`` (>= 8).
    n_starts : int, optional
        Basins to relax (>= 1).
    angle_tol : float, optional
        Tolerance (rad) for classifying a magnet as out-of-plane or in-plane.

    Returns
    -------
    GroundState
    """
    if not isinstance(stack, FSFStack):
        raise ValueError(f"stack must be an FSFStack, got {type(stack).__name__}")
    if int(n_grid) != n_grid or n_grid < 8 or int(n_starts) != n_starts or n_starts < 1:
        raise ValueError(f"n_grid must be an integer >= 8 and n_starts >= 1, got {n_grid!r}, {n_starts!r}")
    tol = _real(angle_tol, "angle_tol", positive=True)
    th = np.linspace(-np.pi, np.pi, int(n_grid), endpoint=False)
    T1, T2 = np.meshgrid(th, th, indexing="ij")
    E = np.asarray(stack.energy(T1, T2, 0.0, 0.0))
    is_min = np.ones(E.shape, bool)
    for d1 in (-1, 0, 1):
        for d2 in (-1, 0, 1):
            if d1 or d2:
                is_min &= E <= np.roll(np.roll(E, d1, 0), d2, 1)
    cand = np.argwhere(is_min)
    order = np.argsort(E[is_min])[: int(n_starts)]
    best = None
    for i, j in cand[order]:
        r = relax(stack, float(T1[i, j]), float(T2[i, j]), 0.0, 0.0)
        if best is None or r.energy < best.energy:
            best = r
    t1, t2 = float(wrap_angle(best.theta1)), float(wrap_angle(best.theta2))
    if math.cos(t1) < 0 or (abs(math.cos(t1)) < 1e-15 and math.sin(t1) < 0):
        t1, t2 = float(wrap_angle(t1 + math.pi)), float(wrap_angle(t2 + math.pi))
    if math.sin(t1) < 0:
        t1, t2 = -t1, -t2
    mags = (_classify(t1, tol), _classify(t2, tol))
    alignment = mags[0] if mags[0] == mags[1] and mags[0] != "canted" else "canted"
    return GroundState(t1, t2, float(stack.energy(t1, t2)), mags, alignment, math.cos(t1 - t2) > 0)


# ---------------------------------------------------------------------- T*
@dataclass(frozen=True)
class Transition:
    """A change of the zero-field ground-state alignment on warming.

    Attributes
    ----------
    T : float
        Transition temperature ``T*`` (meV), resolved by bisection.
    t : float
        ``T*/Tc0``.
    below, above : str
        Alignment just below and just above ``T*``.
    """

    T: float
    t: float
    below: str
    above: str


@dataclass(frozen=True, eq=False)
class TStarResult:
    """Result of :func:`find_t_star`.

    Attributes
    ----------
    model : str
    K1, K2, J : float
        Anisotropies (meV per Nb site) and exchange field (meV).
    temperatures : ndarray
        Scanned temperatures (meV).
    alignments : tuple of str
        Ground-state alignment at each scanned temperature.
    transitions : tuple of Transition
        Alignment changes, in order of temperature.
    """

    model: str
    K1: float
    K2: float
    J: float
    temperatures: np.ndarray
    alignments: tuple
    transitions: tuple

    @property
    def t_star(self):
        """The first ``T*`` (meV), or ``nan`` if the alignment never changes."""
        return self.transitions[0].T if self.transitions else math.nan

    @property
    def t_star_last(self):
        """The last ``T*`` (meV), or ``nan``: above it the high-temperature alignment holds."""
        return self.transitions[-1].T if self.transitions else math.nan

    @property
    def direction(self):
        """The sequence of alignments on warming, e.g. ``"in-plane -> canted -> out-of-plane"``."""
        if not self.transitions:
            return f"none ({self.alignments[0]} throughout)"
        return " -> ".join([self.transitions[0].below] + [tr.above for tr in self.transitions])


def find_t_star(sc, K1, K2, J, model="complete", *, t_max=1.2, n_scan=25, scan=None, t_tol=1e-4,
                ground_state_options=None, **table_options):
    """Temperatures where the zero-field ground-state alignment of the stack changes.

    The zero-field ground state (global minimum, :func:`ground_state`) is
    classified at scanned temperatures; each change of the alignment label
    between neighbours is bisected down to ``t_tol Tc0`` (repeatedly, so that
    an intermediate phase between two scan points, typically a canted window,
    gives two transitions).  Phases narrower than the scan step that start
    and end with the same label are missed.

    Parameters
    ----------
    sc : IsingSuperconductor or SuperconductorResponse
    K1, K2 : float
        Anisotropies (meV per Nb site).
    J : float
        Exchange field of one magnet (meV), ``> 0``.
    model : {"paper", "complete", "microscopic"}
        ``"microscopic"`` builds a :class:`MicroscopicTable` at every visited
        temperature (seconds each): give a short ``scan`` bracketing the
        expected transitions (e.g. around the complete model's ``T*``) and a
        coarse ``t_tol``.
    t_max : float, optional
        Upper end of the default scan (units of ``Tc0``); at most the tabulated range.
    n_scan : int, optional
        Points of the default scan ``linspace(0, t_max, n_scan)``.
    scan : array_like, optional
        Explicit scan temperatures in units of ``Tc0`` (overrides the default).
    t_tol : float, optional
        Resolution of ``T*`` in units of ``Tc0``.
    ground_state_options : dict, optional
        Passed to :func:`ground_state`.
    **table_options
        Passed to :func:`microscopic_table` (``"microscopic"`` only).

    Returns
    -------
    TStarResult
    """
    _model(model)
    resp = _response(sc)
    K1, K2 = _real(K1, "K1"), _real(K2, "K2")
    J = _real(J, "J", positive=True)
    t_tol = _real(t_tol, "t_tol", positive=True)
    gs_opts = dict(ground_state_options or {})
    tc = resp.tc0
    if scan is None:
        t_max = _real(t_max, "t_max", positive=True)
        if int(n_scan) != n_scan or n_scan < 2:
            raise ValueError(f"n_scan must be an integer >= 2, got {n_scan!r}")
        scan = np.linspace(0.0, t_max, int(n_scan))
    scan = np.sort(_array(scan, "scan", nonneg=True).ravel())
    if scan.size < 2:
        raise ValueError("scan needs at least two temperatures")

    def label(t):
        cpl = stack_coupling(resp, t * tc, J, model, **table_options)
        return ground_state(FSFStack(K1, K2, 1.0, 1.0, J, cpl), **gs_opts).alignment

    labels = [label(t) for t in scan]
    transitions = []
    for i in range(scan.size - 1):
        # successive bisections: an intermediate phase (e.g. canted) between two scan points
        # is found as two transitions
        lo, lab_lo = scan[i], labels[i]
        while lab_lo != labels[i + 1]:
            hi, lab_hi = scan[i + 1], labels[i + 1]
            while hi - lo > t_tol:
                mid = 0.5 * (lo + hi)
                lab = label(mid)
                if lab == lab_lo:
                    lo = mid
                else:
                    hi, lab_hi = mid, lab
            t_star = 0.5 * (lo + hi)
            transitions.append(Transition(t_star * tc, t_star, lab_lo, lab_hi))
            lo, lab_lo = hi, lab_hi
    return TStarResult(model, K1, K2, J, scan * tc, tuple(labels), tuple(transitions))


_STATES = ("out-of-plane", "in-plane")


def _collinear_det(K1, K2, J, F_u, F_s, state):
    """``A1 A2 - B^2`` (``-inf`` where ``A1 <= 0``) from the derivatives of ``F(u, s)`` at ``u = 4 J^2``."""
    J2 = J * J
    if state == "out-of-plane":
        A1 = K1 - F_u * J2 + 0.25 * F_s
        A2 = K2 - F_u * J2 + 0.25 * F_s
        B = F_u * J2 + 0.25 * F_s
    else:
        A1 = -K1 - F_u * J2 - 0.25 * F_s
        A2 = -K2 - F_u * J2 - 0.25 * F_s
        B = F_u * J2 - 0.25 * F_s
    det = A1 * A2 - B * B
    out = np.where(A1 > 0, det, -np.inf)
    return float(out) if np.ndim(out) == 0 else out


def collinear_determinant(K1, K2, J, chi_par, chi_perp=0.0, state="out-of-plane"):
    """Local stability of a parallel collinear state at zero field, quadratic coupling.

    Write the superconductor's energy as ``F(u, s)`` with ``u = |J_tot|^2`` and
    ``s = sin^2 alpha``.  Around the parallel out-of-plane state (``theta_i =
    delta_i``) one has ``u = 4 J^2 - J^2 (delta1 - delta2)^2`` and ``s = (delta1 +
    delta2)^2 / 4``, so the energy is ``sum_i A_i delta_i^2 + 2 B delta1 delta2``
    with ``A_i = K_i - F_u J^2 + F_s/4`` and ``B = F_u J^2 + F_s/4``; around the
    in-plane state (``theta_i = pi/2 + delta_i``, ``s = 1 - (delta1 + delta2)^2/4``)
    ``A_i = -K_i - F_u J^2 - F_s/4`` and ``B = F_u J^2 - F_s/4``.  The state is a
    local minimum where ``A1 > 0`` and ``A1 A2 - B^2 > 0``.  For the quadratic
    form ``F = -u (chi_par s + chi_perp (1 - s)) / 2``: ``F_s = -2 J^2 (chi_par -
    chi_perp)`` and ``F_u = -chi_perp/2`` (out of plane) or ``-chi_par/2`` (in plane).
    For identical magnets the out-of-plane state is stable for ``K > (chi_par -
    chi_perp) J^2`` (``K > chi_s J^2`` with the paper's coupling, ``chi_perp = 0``).

    Parameters
    ----------
    K1, K2 : array_like
        Anisotropies (meV per Nb site).
    J : array_like
        Exchange field of one magnet (meV).
    chi_par, chi_perp : array_like
        Susceptibilities (1/meV per Nb site); ``chi_perp = 0`` is Eq. (13).
    state : {"out-of-plane", "in-plane"}

    Returns
    -------
    ndarray or float
        ``A1 A2 - B^2`` (meV^2 per Nb site^2) where ``A1 > 0``, ``-inf`` where ``A1 <= 0``:
        positive means locally stable.
    """
    if state not in _STATES:
        raise ValueError(f"state must be one of {_STATES}, got {state!r}")
    K1, K2 = _array(K1, "K1"), _array(K2, "K2")
    J = _array(J, "J", nonneg=True)
    cp = _array(chi_par, "chi_par", nonneg=True)
    cz = _array(chi_perp, "chi_perp", nonneg=True)
    F_s = -2.0 * J**2 * (cp - cz)
    F_u = -0.5 * (cz if state == "out-of-plane" else cp)
    return _collinear_det(K1, K2, J, F_u, F_s, state)


def free_energy_derivatives(sc, T, J, state="out-of-plane", *, rel_step=0.05, angle=0.1):
    """``(dF/du, dF/ds)`` of the full free energy at ``u = 4 J^2`` and ``s = 0`` or ``1``.

    ``F(u, s) = f_sn(T, sqrt(u), alpha) - f_sn(T, 0)`` with ``s = sin^2 alpha``.
    ``dF/du`` comes from a five-point difference in ``|J_tot|`` along the
    collinear direction (step ``rel_step * 2 J``), ``dF/ds`` from one tilted
    field at ``alpha = angle`` (or ``pi/2 - angle``), a one-sided difference whose
    relative error is ``O(sin^2 angle) ~ 1e-3`` for the default.  For the
    out-of-plane state this difference compares the engine's two-dimensional
    quadrature (tilted field) with its one-dimensional path (collinear field);
    they agree to ~1e-11 meV per site, i.e. ~1e-4 of ``dF/ds`` at ``J = 0.25 H_P``
    but ~1% at ``J = 0.05 H_P``.

    Parameters
    ----------
    sc : IsingSuperconductor
    T, J : float
        Temperature and single-magnet exchange field (meV).
    state : {"out-of-plane", "in-plane"}
    rel_step, angle : float, optional

    Returns
    -------
    (float, float)
        ``dF/du`` (1/meV per Nb site) and ``dF/ds`` (meV per Nb site).
    """
    sc = _superconductor(sc)
    if state not in _STATES:
        raise ValueError(f"state must be one of {_STATES}, got {state!r}")
    T = _real(T, "T", nonneg=True)
    J = _real(J, "J", positive=True)
    h = _real(rel_step, "rel_step", positive=True) * 2.0 * J
    ang = _real(angle, "angle", positive=True)
    if h >= 2.0 * J or ang >= 0.5:
        raise ValueError("rel_step must be < 1 and angle < 0.5 rad")
    r = 2.0 * J
    a0 = 0.0 if state == "out-of-plane" else 0.5 * np.pi
    f = [sc.free_energy(T, r + k * h, a0) for k in (-2, -1, 1, 2)]
    dF_dr = (f[0] - 8.0 * f[1] + 8.0 * f[2] - f[3]) / (12.0 * h)
    F_u = dF_dr / (2.0 * r)
    f0 = sc.free_energy(T, r, a0)
    tilt = ang if state == "out-of-plane" else 0.5 * np.pi - ang
    ds = math.sin(tilt) ** 2 - math.sin(a0) ** 2
    F_s = (sc.free_energy(T, r, tilt) - f0) / ds
    return F_u, F_s


def microscopic_collinear_determinant(sc, T, K1, K2, J, state="out-of-plane", **options):
    """:func:`collinear_determinant` with the full free energy (:func:`free_energy_derivatives`).

    Parameters
    ----------
    sc : IsingSuperconductor
    T : float
        Temperature (meV).
    K1, K2, J : float
        Anisotropies (meV per Nb site) and single-magnet exchange field (meV).
    state : {"out-of-plane", "in-plane"}
    **options
        ``rel_step``, ``angle`` of :func:`free_energy_derivatives`.

    Returns
    -------
    float
    """
    F_u, F_s = free_energy_derivatives(sc, T, J, state, **options)
    return _collinear_det(_real(K1, "K1"), _real(K2, "K2"), _real(J, "J", positive=True), F_u, F_s, state)


def stability_temperature(sc, K1, K2, J, model="complete", state="out-of-plane", bracket=(0.0, 1.2), *,
                          t_tol=1e-3, **options):
    """Temperature where a parallel collinear state gains or loses local stability (zero field).

    Where the ground state changes continuously (through canted states, as for
    the paper's Fig. 4 stacks) these stability edges *are* the ground-state
    transitions of :func:`find_t_star`: the out-of-plane edge is the last
    ``T*`` (out of plane above it), the in-plane edge the onset of canting.

    Parameters
    ----------
    sc : IsingSuperconductor or SuperconductorResponse
    K1, K2, J : float
        Anisotropies (meV per Nb site) and exchange field (meV).
    model : {"paper", "complete", "microscopic"}
        ``"microscopic"`` costs ~0.5 s per evaluated temperature.
    state : {"out-of-plane", "in-plane"}
    bracket : (float, float)
        Temperatures in units of ``Tc0`` with opposite stability.
    t_tol : float, optional
        Resolution in units of ``Tc0``.
    **options
        ``rel_step``, ``angle`` of :func:`free_energy_derivatives`.

    Returns
    -------
    float
        The temperature in units of ``Tc0``, or ``nan`` if the stability is the
        same at both ends of the bracket.
    """
    from scipy.optimize import brentq

    _model(model)
    resp = _response(sc)
    tc = resp.tc0
    lo, hi = (_real(x, "bracket", nonneg=True) for x in bracket)
    if not lo < hi:
        raise ValueError(f"bracket must be increasing, got {bracket!r}")

    def det(t):
        T = t * tc
        if model == "microscopic":
            return microscopic_collinear_determinant(resp.superconductor, T, K1, K2, J, state, **options)
        chi_perp = resp.chi_perp_at(T) if model == "complete" else 0.0
        return collinear_determinant(K1, K2, J, resp.chi_par_at(T), chi_perp, state)

    def smooth(t):
        # -inf (A1 <= 0) carries no magnitude: use a large negative number so brentq can bracket
        d = det(t)
        return d if np.isfinite(d) else -1e300

    d_lo, d_hi = smooth(lo), smooth(hi)
    if (d_lo > 0) == (d_hi > 0):
        return math.nan
    return float(brentq(smooth, lo, hi, xtol=_real(t_tol, "t_tol", positive=True)))


@dataclass(frozen=True, eq=False)
class TStarMap:
    """Where ``T*`` exists over ``(K1/(chi_s(0) J^2), lambda_soc/Delta0)``.

    Attributes
    ----------
    model : str
    k1 : ndarray
        ``K1/(chi_s(0) J^2)`` (columns), with ``chi_s(0)`` of each row's superconductor.
    lambdas : ndarray
        ``lambda_soc/Delta0`` (rows).
    k1_over_k2 : float
    t_star : ndarray
        First ``T*/Tc0`` where the out-of-plane state's stability changes, ``nan`` if none.
    out_below : ndarray of bool
        True where the out-of-plane state is the stable one *below* ``T*`` (the
        paper's Fig. 1(b) direction), False where it is stable above.
    k_window : ndarray
        Shape ``(lambdas.size, 2)``: smallest and largest ``chi_eff(T)/chi_s(0)`` over
        the scan (``chi_eff = chi_par - chi_perp`` or ``chi_par``).  For identical
        magnets ``T*`` exists exactly for ``k1`` inside this window.
    """

    model: str
    k1: np.ndarray
    lambdas: np.ndarray
    k1_over_k2: float
    t_star: np.ndarray
    out_below: np.ndarray
    k_window: np.ndarray


def t_star_map(k1, lambdas, model="complete", *, k1_over_k2=1.12, t_max=1.2, n_t=241):
    """Map of ``T*`` from the stability of the zero-field out-of-plane state.

    ``T*`` is taken where :func:`collinear_determinant` (out-of-plane state) changes sign on the
    temperature grid (linear interpolation between grid points).  In units of
    ``chi_s(0) J^2`` the condition does not depend on ``J``.  That this
    stability edge is the ground-state transition is checked against
    :func:`find_t_star` in the tests and the book.

    Parameters
    ----------
    k1 : array_like
        ``K1/(chi_s(0) J^2)``.
    lambdas : array_like
        ``lambda_soc/Delta0`` values (a superconductor and susceptibility
        table is built for each, ~1 s each).
    model : {"paper", "complete"}
    k1_over_k2 : float, optional
        ``K1/K2`` (1.12 as in Fig. 4; 1 for identical magnets).
    t_max : float, optional
        Temperature range ``[0, t_max Tc0]`` scanned.
    n_t : int, optional
        Temperatures on the scan.

    Returns
    -------
    TStarMap
    """
    _model(model, ("paper", "complete"))
    k1 = _array(k1, "k1").ravel()
    lambdas = _array(lambdas, "lambdas").ravel()
    ratio = _real(k1_over_k2, "k1_over_k2", positive=True)
    t = np.linspace(0.0, _real(t_max, "t_max", positive=True), int(n_t))
    t_star = np.full((lambdas.size, k1.size), np.nan)
    out_below = np.zeros((lambdas.size, k1.size), bool)
    k_window = np.empty((lambdas.size, 2))
    for i, lam in enumerate(lambdas):
        resp = superconductor_response(ising_superconductor(lam), t_max=max(1.3, t_max))
        xp = resp.chi_par_at(t * resp.tc0) / resp.chi_s0
        xz = resp.chi_perp_at(t * resp.tc0) / resp.chi_s0 if model == "complete" else np.zeros_like(xp)
        k_window[i] = (np.min(xp - xz), np.max(xp - xz))
        # rows: k1, columns: temperature (J = 1 in units where chi_s(0) = 1)
        D = collinear_determinant(k1[:, None], k1[:, None] / ratio, 1.0, xp[None, :], xz[None, :])
        stable = D > 0
        for j in range(k1.size):
            flips = np.nonzero(stable[j, 1:] != stable[j, :-1])[0]
            if flips.size == 0:
                continue
            m = flips[0]
            d0, d1 = D[j, m], D[j, m + 1]
            if np.isfinite(d0) and np.isfinite(d1) and d0 != d1:
                frac = d0 / (d0 - d1)
            else:
                frac = 0.5
            t_star[i, j] = t[m] + frac * (t[m + 1] - t[m])
            out_below[i, j] = bool(stable[j, m])
    return TStarMap(model, k1, lambdas, ratio, t_star, out_below, k_window)
