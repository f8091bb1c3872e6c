"""Checks of the paper's intermediate formulas and arguments against the engine.

* :func:`tricritical_point` -- where the out-of-plane (Pauli-limited) transition
  turns from second to first order: the Landau coefficient of ``Delta^4`` on the
  second-order line changes sign.  Engine (primary) and the quasiclassical
  Matsubara sum (independent check, :func:`quasiclassical_tricritical_point`).
* :func:`dos_window` -- the density of states at ``+-lambda_soc`` and its average
  over the symmetric window that the inter-band (Van Vleck) response sees.
* :func:`b2_residual` -- App. B's Eq. (B2) for ``d eps/d Delta`` against finite
  differences of the 4x4 BdG eigenvalues.
* :func:`b3_lhs` -- the left-hand side of the self-consistency condition (B3) at
  the engine's gap (equals 1 if (B3) and the engine agree).
* :func:`eq6_residual` -- the paper's Eq. (6) form ``log(2 + 2 cosh(E/T))`` against
  the book's ``2 log(2 cosh(E/2T))``.
* :func:`inplane_gap_scan` -- ``Delta(J)`` for an in-plane field at ``T = 0`` out to
  large ``J``, with the number of local minima of the landscape (the kind of
  transition).

Energies in meV, ``k_B = 1``, free energies per Nb site.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import optimize, special

from .. import bdg
from .._validation import check_array, check_instance, check_real
from ..errors import ConvergenceError
from ..superconductor import IsingSuperconductor

__all__ = ["TricriticalPoint", "quartic_coefficient", "tricritical_point", "quasiclassical_tricritical_point",
           "DOSWindow", "dos_window", "b2_derivative", "b2_residual", "b3_lhs", "eq6_residual",
           "InplaneGapScan", "inplane_gap_scan", "PAPER_COUPLING_FACTOR"]


@dataclass(frozen=True)
class TricriticalPoint:
    """Tricritical point of the out-of-plane transition.

    Attributes
    ----------
    T : float
        Temperature (meV).
    J : float
        Exchange field (meV).
    t : float
        ``T/Tc0``.
    j : float
        ``J/Delta0``.
    """

    T: float
    J: float
    t: float
    j: float


def _second_order_field(sc, T):
    """J (meV) of the second-order line at T: pair curvature alpha(T, J) = 0 (out of plane)."""
    f = lambda J: sc.pair_curvature(T, J, 0.0)  # noqa: E731
    # secant iterations from the quasiclassical (flat-DOS digamma) line, which is within 1e-4 of the engine's
    guess = _digamma_field(T / sc.tc0, sc.tc0)
    try:
        J = optimize.newton(f, guess, x1=guess * (1 + 1e-3), tol=1e-11 * sc.delta0, maxiter=20)
        if abs(J / guess - 1) < 0.05:
            return float(J)
    except RuntimeError:
        pass
    lo, hi = 1e-4 * sc.delta0, 2.0 * sc.delta0             # fallback: bracketed
    return optimize.brentq(f, lo, hi, xtol=1e-10 * sc.delta0)


def quartic_coefficient(sc, T, step=0.02):
    """Landau coefficient ``b`` of ``Delta^4`` (1/meV^3 per site) on the second-order line at ``T``.

    ``f(Delta) - f(0) = b Delta^4 + c Delta^6 + ...`` at the field ``J_2(T)`` where the
    ``Delta^2`` coefficient vanishes; ``b`` is extracted from two trial gaps
    ``step Delta0`` and ``2 step Delta0`` (Richardson elimination of ``c``).

    Returns
    -------
    (float, float)
        ``b`` and ``J_2(T)`` (meV).

    Examples
    --------
    >>> import isingsc
    >>> sc = isingsc.ising_superconductor(150)
    >>> b, J2 = quartic_coefficient(sc, 0.8 * sc.tc0)
    >>> b > 0      # second order at high temperature
    True
    """
    check_instance(sc, "sc", IsingSuperconductor)
    T = check_real(T, "T", unit="meV", positive=True)
    J = _second_order_field(sc, T)
    d = np.array([step, 2 * step]) * sc.delta0
    f = sc.free_energy_landscape(d, T, J, 0.0) - sc.free_energy_landscape(0.0, T, J, 0.0)
    b = (16 * f[0] / d[0] ** 4 - f[1] / d[1] ** 4) / 15
    return float(b), float(J)


@lru_cache(maxsize=8)
def tricritical_point(sc, bracket=(0.5, 0.62)):
    """Tricritical point from the engine: ``b(T) = 0`` on the second-order line.

    Above it the out-of-plane transition is second order (``b > 0``), below it
    first order.  Cached per superconductor.

    Examples
    --------
    >>> import isingsc
    >>> tp = tricritical_point(isingsc.ising_superconductor(150))
    >>> 0.5 < tp.t < 0.6
    True
    """
    check_instance(sc, "sc", IsingSuperconductor)
    tc0 = sc.tc0
    b = lambda x: quartic_coefficient(sc, x * tc0)[0]  # noqa: E731
    t0 = quasiclassical_tricritical_point(tc0, n_matsubara=100000).t     # a close starting point
    try:
        t = float(optimize.newton(b, t0, x1=t0 + 2e-3, tol=2e-5, maxiter=10))
        if not bracket[0] < t < bracket[1]:
            raise RuntimeError("secant left the bracket")
    except RuntimeError:
        t = optimize.brentq(b, *bracket, xtol=2e-5, rtol=1e-6)
    J = _second_order_field(sc, t * tc0)
    return TricriticalPoint(t * tc0, J, t, J / sc.delta0)


def _digamma_field(t, tc0):
    """Quasiclassical second-order field J/Tc0 at T = t Tc0 (flat DOS)."""
    def eq(j):
        z = 0.5 + 1j * j / (2 * math.pi * t)
        return float(np.real(special.digamma(z)) - special.digamma(0.5) - math.log(1 / t))
    return optimize.brentq(eq, 1e-9, 5.0, xtol=1e-14) * tc0


def quasiclassical_tricritical_point(tc0, delta0=None, n_matsubara=400000):
    """Independent check: quasiclassical tricritical point of a Zeeman-split BCS superconductor.

    The second-order line is ``ln(Tc0/T) = Re psi(1/2 + iJ/2piT) - psi(1/2)``; the
    ``Delta^4`` coefficient is proportional to ``sum_n Re (omega_n + iJ)^-3``.

    Returns
    -------
    TricriticalPoint
        (``j`` is ``J/delta0`` if ``delta0`` is given, else ``J/Tc0``).

    Examples
    --------
    >>> tp = quasiclassical_tricritical_point(1.0)
    >>> round(tp.t, 3)
    0.561
    """
    tc0 = check_real(tc0, "tc0", unit="meV", positive=True)
    n = np.arange(n_matsubara)

    def b(t):
        J = _digamma_field(t, tc0)
        w = math.pi * t * tc0 * (2 * n + 1)
        return float(np.sum(np.real(1.0 / (w + 1j * J) ** 3)))

    t = optimize.brentq(b, 0.4, 0.7, xtol=1e-9)
    J = _digamma_field(t, tc0)
    return TricriticalPoint(t * tc0, J, t, J / (delta0 if delta0 else tc0))


@dataclass(frozen=True)
class DOSWindow:
    """The density of states across the spin-orbit window ``[-lambda, lambda]``.

    Attributes
    ----------
    lam : float
        Half-width of the window (meV).
    n_minus : float
        ``N(-lam)/N(0)``.
    n_plus : float
        ``N(+lam)/N(0)``.
    linear_mean : float
        ``(N(-lam) + N(lam))/(2 N(0))``: the window mean if ``N`` were linear plus
        the curvature seen at the ends (a linear ``N`` alone gives exactly 1).
    window_mean : float
        ``(1/2lam) int_{-lam}^{lam} N(E) dE / N(0)``: what a uniform splitting ``lam`` sees.
    linear_part : float
        Window mean of the linear fit ``N(0) + N'(0) E`` divided by ``N(0)``, minus one
        (zero up to rounding: the symmetric window cancels the slope).
    slope_change : float
        ``N'(0) lam / N(0)``: the relative change the slope alone would give at the edge.
    """

    lam: float
    n_minus: float
    n_plus: float
    linear_mean: float
    window_mean: float
    linear_part: float
    slope_change: float


@lru_cache(maxsize=8)
def dos_window(model, lam=None, n_energies=201, nk=600):
    """Density of states of ``model`` over the window ``[-lam, lam]`` (``lam`` default: ``model.lambda_soc``).

    Examples
    --------
    >>> import isingsc
    >>> w = dos_window(isingsc.NbSe2(), 10.0, n_energies=21, nk=200)
    >>> abs(w.linear_part) < 1e-12
    True
    """
    lam = float(model.lambda_soc if lam is None else check_real(lam, "lam", unit="meV", positive=True))
    E = np.linspace(-lam, lam, n_energies)
    N = model.density_of_states(E, nk=nk)
    N0 = float(model.density_of_states(np.array([0.0]), nk=nk)[0])
    mid = n_energies // 2
    h = E[1] - E[0]
    slope = (N[mid + 1] - N[mid - 1]) / (2 * h)
    lin = N0 + slope * E
    w = np.full(n_energies, h)
    w[[0, -1]] = h / 2                                     # trapezoid weights over the window
    mean = float(w @ N / (2 * lam) / N0)
    lin_mean = float(w @ lin / (2 * lam) / N0)
    return DOSWindow(lam, float(N[0] / N0), float(N[-1] / N0), float((N[0] + N[-1]) / (2 * N0)), mean,
                     lin_mean - 1.0, float(slope * lam / N0))


def b2_derivative(a, b, delta, eps, J=0.0, theta=0.0):
    """The paper's Eq. (B2): ``d eps/d Delta`` through the eigenvalue ``eps`` itself (meV/meV)."""
    jz = J * math.cos(theta)
    num = delta * (-2 * eps ** 2 + b ** 2 + a ** 2 + 2 * delta ** 2 - 2 * J ** 2)
    den = (a ** 2 - b ** 2) * jz + eps * (b ** 2 + a ** 2 + 2 * delta ** 2 + 2 * J ** 2) - 2 * eps ** 3
    return num / den


def b2_residual(a, b, delta, J=0.0, theta=0.0, h=1e-6, sign_jz=1.0):
    """Largest ``|B2 - finite difference|`` of ``d eps/d Delta`` over the four BdG eigenvalues.

    The finite differences (central, step ``h`` meV) use the sorted eigenvalues of the
    4x4 BdG matrix (:func:`isingsc.bdg.bdg_hamiltonian`); ``sign_jz`` flips the sign of
    ``J_z`` in (B2) (the paper's sign of ``J . sigma`` differs from the book's).

    Examples
    --------
    >>> r = b2_residual(np.array([3.0, -2.0]), np.array([1.0, -0.5]), 0.4, 0.3, 0.7)
    >>> r < 1e-6
    True
    """
    a, b = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
    eig = lambda d: np.linalg.eigvalsh(bdg.bdg_hamiltonian(a, b, d, J, theta))  # noqa: E731
    e = eig(delta)
    fd = (eig(delta + h) - eig(delta - h)) / (2 * h)
    formula = b2_derivative(a[..., None], b[..., None], delta, e, J, sign_jz * theta if sign_jz > 0 else math.pi - theta)
    return float(np.max(np.abs(formula - fd)))


# The paper's coupling in units of the book's: Eq. (6) is 4 x the book's f with g_paper = g/4.
PAPER_COUPLING_FACTOR = 0.25


def b3_lhs(sc, T, J=0.0, theta=0.0, delta=None):
    """Left-hand side of the paper's (B3) at the engine's gap (1 if they agree).

    ``(g_p/2) <sum_n tanh(eps_n/2T) (xi_+^2 - J^2 + Delta^2 - eps_n^2) /
    (xi_-^2 J cos(theta) + eps_n (xi_+^2 + J^2 + Delta^2 - eps_n^2))>_BZ`` with the
    engine's coupling ``g`` and quadrature (a BZ average per site).  Nodes where the
    (B3) summand is 0/0 (degenerate spin bands) are dropped: they have zero weight.

    Examples
    --------
    >>> import isingsc
    >>> sc = isingsc.ising_superconductor(150)
    >>> abs(b3_lhs(sc, 0.5 * sc.tc0) - 1) < 1e-4
    True
    """
    check_instance(sc, "sc", IsingSuperconductor)
    T = check_real(T, "T", unit="meV", nonneg=True)
    if delta is None:
        delta = sc.gap(T, J, theta)
    q = sc.quadrature(T, J, theta, delta)
    a, b = q.xi_up[:, None], q.xi_down[:, None]
    eps = np.sort(bdg.quasiparticle_energies(q.xi_up, q.xi_down, delta, J, theta), axis=-1)
    xp2, xm2 = (a ** 2 + b ** 2) / 2, (a ** 2 - b ** 2) / 2
    num = xp2 - J ** 2 + delta ** 2 - eps ** 2
    den = xm2 * J * math.cos(theta) + eps * (xp2 + J ** 2 + delta ** 2 - eps ** 2)
    th = np.tanh(eps / (2 * T)) if T > 0 else np.sign(eps)
    with np.errstate(invalid="ignore", divide="ignore"):
        term = np.where(np.abs(den) > 1e-300, th * num / den, 0.0)
    # degenerate bands (xi_up = xi_down, J = 0): the summand's limit is 1/eps per eigenvalue
    bad = np.abs(den) < 1e-12 * (np.abs(eps) ** 3 + 1e-300)
    term = np.where(bad, th / np.where(eps == 0, np.inf, eps), term)
    return float(PAPER_COUPLING_FACTOR * q.average(term.sum(axis=-1)) / (2 * sc.inverse_coupling))


def eq6_residual(E, T):
    """Largest ``|log(2 + 2 cosh(E/T)) - 2 log(2 cosh(E/2T))|`` (dimensionless), computed stably.

    The identity ``2 + 2 cosh x = 4 cosh^2(x/2)`` makes the paper's Eq. (6) the book's
    form: ``-T sum log(2 + 2 cosh(eps/T)) = -2T sum log(2 cosh(eps/2T))``.

    Examples
    --------
    >>> eq6_residual(np.linspace(-5, 5, 11), 0.7) < 1e-13
    True
    """
    E = check_array(E, "E", unit="meV")
    T = check_real(T, "T", unit="meV", positive=True)
    x = np.abs(E) / T
    paper = np.log(2 + 2 * np.cosh(np.minimum(x, 700)))
    book = 2 * (x / 2 + np.log1p(np.exp(-x)))          # 2 log(2 cosh(x/2)), overflow-free
    ok = x < 700
    return float(np.max(np.abs(paper[ok] - book[ok]) / np.maximum(1.0, book[ok])))


@dataclass(frozen=True)
class InplaneGapScan:
    """In-plane ``Delta(J)`` at ``T`` with the number of superconducting minima of ``f(Delta)``.

    Attributes
    ----------
    J : ndarray
        Fields (meV) where the engine resolved the gap.
    gap : ndarray
        Self-consistent gaps (meV).
    n_minima : ndarray
        Number of local minima of the landscape with ``Delta > 0`` (1: one branch, no
        first-order jump).
    unresolved : tuple
        Fields (meV) where the gap is below the engine's resolution (ConvergenceError).
    """

    J: np.ndarray
    gap: np.ndarray
    n_minima: np.ndarray
    unresolved: tuple


def inplane_gap_scan(sc, J, T=0.0, n_trial=61):
    """Gap for an in-plane field over ``J`` (meV) and the shape of the landscape at each field.

    Examples
    --------
    >>> import isingsc
    >>> sc = isingsc.ising_superconductor(150)
    >>> s = inplane_gap_scan(sc, [10 * sc.delta0], n_trial=11)
    >>> int(s.n_minima[0])
    1
    """
    check_instance(sc, "sc", IsingSuperconductor)
    J = tuple(check_array(J, "J", unit="meV", nonneg=True).ravel().tolist())
    return _inplane_gap_scan(sc, J, float(check_real(T, "T", unit="meV", nonneg=True)), int(n_trial))


@lru_cache(maxsize=16)
def _inplane_gap_scan(sc, J, T, n_trial):
    Js, gaps, nmin, bad = [], [], [], []
    for j in J:
        try:
            d = sc.gap(T, j, math.pi / 2)
        except ConvergenceError:
            bad.append(j)
            continue
        trial = np.linspace(0.0, max(2.0 * d, 0.05 * sc.delta0), n_trial)
        f = sc.free_energy_landscape(trial, T, j, math.pi / 2)
        inner = (f[1:-1] < f[:-2]) & (f[1:-1] < f[2:])
        Js.append(j), gaps.append(d), nmin.append(int(inner.sum()))
    return InplaneGapScan(np.array(Js), np.array(gaps), np.array(nmin), tuple(bad))
