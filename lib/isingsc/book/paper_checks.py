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
from .._results_cache import persistent
from .._validation import check_array, check_instance, check_int, check_real, check_sequence, checked_fields, numerics
from ..errors import ConvergenceError
from ..model import TriangularTMD
from ..superconductor import IsingSuperconductor

__all__ = ["TricriticalPoint", "quartic_coefficient", "tricritical_point", "quasiclassical_tricritical_point",
           "DOSWindow", "dos_window", "b2_derivative", "b2_residual", "b3_lhs", "eq6_residual",
           "InplaneGapScan", "inplane_gap_scan", "PAPER_COUPLING_FACTOR"]


@checked_fields(units={"T": "meV", "J": "meV"}, nonneg=("T", "J", "t", "j"))
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

    Examples
    --------
    >>> tp = TricriticalPoint(T=0.15, J=0.3, t=0.56, j=0.64)
    >>> tp.t, tp.j
    (0.56, 0.64)
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
    flo, fhi = f(lo), f(hi)
    if (flo > 0) == (fhi > 0):
        raise ConvergenceError(f"no second-order out-of-plane transition at T = {T:g} meV between J = {lo:g} and "
                               f"{hi:g} meV (the pair curvature has one sign)")
    return optimize.brentq(f, lo, hi, xtol=1e-10 * sc.delta0)


def quartic_coefficient(sc, T, step=0.02):
    """Landau coefficient ``b`` of ``Delta^4`` (1/meV^3 per site) on the second-order line at ``T``.

    ``f(Delta) - f(0) = b Delta^4 + c Delta^6 + ...`` at the field ``J_2(T)`` where the
    ``Delta^2`` coefficient vanishes; ``b`` is extracted from two trial gaps
    ``step Delta0`` and ``2 step Delta0`` (Richardson elimination of ``c``).

    Parameters
    ----------
    sc : IsingSuperconductor
        The superconductor.
    T : float
        Temperature (meV), ``0 < T < Tc0``.
    step : float, optional
        The smaller trial gap in units of ``Delta0``, ``1e-4 ... 0.2``.

    Returns
    -------
    (float, float)
        ``b`` and ``J_2(T)`` (meV).

    Raises
    ------
    TypeError
        ``sc`` not an :class:`~isingsc.superconductor.IsingSuperconductor`, or non-real numbers.
    ValueError
        ``T`` outside ``(0, Tc0)`` or ``step`` out of range.
    ConvergenceError
        No second-order line at ``T``.

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
    if not T < sc.tc0:
        raise ValueError(f"T = {T:g} meV must be below Tc0 = {sc.tc0:g} meV (the second-order line ends there)")
    step = check_real(step, "step", lower=1e-4, upper=0.2)
    J = _second_order_field(sc, T)
    d = np.array([step, 2 * step]) * sc.delta0
    f = sc.free_energy_landscape(d, T, J, 0.0) - sc.free_energy_landscape(0.0, T, J, 0.0)
    b = (16 * f[0] / d[0] ** 4 - f[1] / d[1] ** 4) / 15
    return float(b), float(J)


@persistent
def tricritical_point(sc, bracket=(0.5, 0.62)):
    """Tricritical point from the engine: ``b(T) = 0`` on the second-order line.

    Above it the out-of-plane transition is second order (``b > 0``), below it
    first order.  Cached per superconductor.

    Parameters
    ----------
    sc : IsingSuperconductor
        The superconductor.
    bracket : (float, float), optional
        ``T/Tc0`` interval, ``0 < lo < hi < 1``, searched if the secant from the quasiclassical
        estimate leaves it.

    Returns
    -------
    TricriticalPoint

    Raises
    ------
    TypeError
        ``sc`` not an :class:`~isingsc.superconductor.IsingSuperconductor`, or a non-real bracket.
    ValueError
        A bracket outside ``(0, 1)`` or not increasing.
    ConvergenceError
        ``b(T)`` does not change sign in the bracket.

    Examples
    --------
    >>> import isingsc
    >>> tp = tricritical_point(isingsc.ising_superconductor(150))
    >>> 0.5 < tp.t < 0.6
    True
    """
    check_instance(sc, "sc", IsingSuperconductor)
    bracket = check_sequence(bracket, "bracket", length=2, item=lambda x, name: check_real(x, name, lower=0.0,
                                                                                         upper=1.0))
    if not 0.0 < bracket[0] < bracket[1] < 1.0:
        raise ValueError(f"bracket must be increasing within (0, 1) (units of Tc0), got {bracket!r}")
    return _tricritical_point(sc, bracket)


@lru_cache(maxsize=8)
def _tricritical_point(sc, bracket):
    tc0 = sc.tc0
    b = lambda x: quartic_coefficient(sc, x * tc0)[0]  # noqa: E731
    t0 = quasiclassical_tricritical_point(tc0, n_matsubara=100000).t     # a close starting point
    try:
        t = float(optimize.newton(b, t0, x1=t0 + 2e-3, tol=2e-5, maxiter=10))
        if not bracket[0] < t < bracket[1]:
            raise RuntimeError("secant left the bracket")
    except RuntimeError:
        blo, bhi = b(bracket[0]), b(bracket[1])
        if (blo > 0) == (bhi > 0):
            raise ConvergenceError(f"the quartic coefficient b(T) has one sign on T/Tc0 in {bracket}: no tricritical "
                                   "point there") from None
        t = optimize.brentq(b, *bracket, xtol=2e-5, rtol=1e-6)
    J = _second_order_field(sc, t * tc0)
    return TricriticalPoint(t * tc0, J, t, J / sc.delta0)


def _digamma_field(t, tc0):
    """Quasiclassical second-order field J/Tc0 at T = t Tc0 (flat DOS)."""
    def eq(j):
        z = 0.5 + 1j * j / (2 * math.pi * t)
        return float(np.real(special.digamma(z)) - special.digamma(0.5) - math.log(1 / t))
    return optimize.brentq(eq, 1e-9, 5.0, xtol=1e-14) * tc0


@persistent
def quasiclassical_tricritical_point(tc0, delta0=None, n_matsubara=400000):
    """Independent check: quasiclassical tricritical point of a Zeeman-split BCS superconductor.

    The second-order line is ``ln(Tc0/T) = Re psi(1/2 + iJ/2piT) - psi(1/2)``; the
    ``Delta^4`` coefficient is proportional to ``sum_n Re (omega_n + iJ)^-3``, truncated after
    ``n_matsubara`` terms (error of ``T/Tc0`` about ``0.04 / n_matsubara^2``).

    Parameters
    ----------
    tc0 : float
        Critical temperature (meV), > 0 (the result scales with it).
    delta0 : float, optional
        Zero-temperature gap (meV), > 0, for ``j = J/delta0``.
    n_matsubara : int, optional
        Matsubara frequencies summed, 1000 ... 10^6.

    Returns
    -------
    TricriticalPoint
        (``j`` is ``J/delta0`` if ``delta0`` is given, else ``J/Tc0``).

    Examples
    --------
    >>> tp = quasiclassical_tricritical_point(1.0)
    >>> round(tp.t, 3)
    0.561

    Raises
    ------
    TypeError
        Non-real ``tc0``/``delta0`` or a non-integer ``n_matsubara``.
    ValueError
        ``tc0 <= 0``, ``delta0 <= 0`` or ``n_matsubara`` out of range (fewer terms would give a
        truncated, wrong tricritical temperature).
    """
    tc0 = check_real(tc0, "tc0", unit="meV", positive=True)
    if delta0 is not None:
        delta0 = check_real(delta0, "delta0", unit="meV", positive=True)
    n = np.arange(check_int(n_matsubara, "n_matsubara", minimum=1000, maximum=10**6))

    def b(t):  # in units of Tc0 (scale-free): no over- or underflow for any tc0
        J = _digamma_field(t, 1.0)
        w = math.pi * t * (2 * n + 1)
        return float(np.sum(np.real(1.0 / (w + 1j * J) ** 3)))

    t = optimize.brentq(b, 0.4, 0.7, xtol=1e-9)
    J = _digamma_field(t, 1.0) * tc0
    return TricriticalPoint(t * tc0, J, t, J / (delta0 if delta0 else tc0))


@checked_fields(units={"lam": "meV"}, nonneg=("lam",))
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

    Examples
    --------
    >>> DOSWindow(10.0, 0.98, 1.02, 1.0, 1.0, 0.0, 0.02).window_mean
    1.0
    """

    lam: float
    n_minus: float
    n_plus: float
    linear_mean: float
    window_mean: float
    linear_part: float
    slope_change: float


def dos_window(model, lam=None, n_energies=201, nk=600):
    """Density of states of ``model`` over the window ``[-lam, lam]`` (``lam`` default: ``model.lambda_soc``).

    Parameters
    ----------
    model : TriangularTMD
        Band model.
    lam : float, optional
        Half-width of the window (meV), > 0.
    n_energies : int, optional
        Energies in the window, odd, 3 ... 10001 (the middle one is the Fermi level).
    nk : int, optional
        Grid of :meth:`~isingsc.model.TriangularTMD.density_of_states` (8 ... 4000).

    Returns
    -------
    DOSWindow

    Raises
    ------
    TypeError
        ``model`` not a :class:`~isingsc.model.TriangularTMD`, or wrong types of the numbers.
    ValueError
        Out-of-range values, an even ``n_energies``, or ``N(0) = 0`` (no Fermi surface).

    Examples
    --------
    >>> import isingsc
    >>> w = dos_window(isingsc.NbSe2(), 10.0, n_energies=21, nk=200)
    >>> abs(w.linear_part) < 1e-12
    True
    """
    check_instance(model, "model", TriangularTMD)
    lam = float(model.lambda_soc if lam is None else check_real(lam, "lam", unit="meV", positive=True, upper=1e4))
    if not lam > 0:
        raise ValueError("the model has lambda_soc = 0: give the window half-width lam (meV)")
    n_energies = check_int(n_energies, "n_energies", minimum=3, maximum=10001)
    if n_energies % 2 == 0:
        raise ValueError(f"n_energies must be odd (the middle energy is the Fermi level), got {n_energies}")
    nk = check_int(nk, "nk", minimum=8, maximum=4000)
    return _dos_window(model, lam, n_energies, nk)


@lru_cache(maxsize=8)
def _dos_window(model, lam, n_energies, nk):
    E = np.linspace(-lam, lam, n_energies)
    N = model.density_of_states(E, nk=nk)
    N0 = float(model.density_of_states(np.array([0.0]), nk=nk)[0])
    if not N0 > 0:
        raise ValueError("N(0) = 0: the model has no Fermi surface, the window is not defined relative to it")
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


@numerics
def b2_derivative(a, b, delta, eps, J=0.0, theta=0.0):
    """The derivative ``d eps/d Delta`` of equation (B2) of the paper, through the eigenvalue ``eps`` itself.

    Parameters
    ----------
    a, b : array_like
        Band energies ``xi_up, xi_down`` (meV).
    delta : float
        Gap (meV), >= 0.
    eps : array_like
        A BdG eigenvalue at ``(a, b, delta, J, theta)`` (meV), broadcast against ``a`` and ``b``.
    J : float, optional
        Exchange field (meV), >= 0.
    theta : float, optional
        Polar angle of the field (rad).

    Returns
    -------
    ndarray
        ``d eps / d Delta`` (dimensionless), the broadcast shape.

    Raises
    ------
    TypeError
        Non-real arguments.
    ValueError
        Non-finite or negative values, or a point where (B2) is singular (a degenerate eigenvalue:
        its denominator vanishes).

    Examples
    --------
    Without a field ``eps = sqrt(a^2 + Delta^2)`` and ``d eps/d Delta = Delta/eps``:

    >>> round(float(b2_derivative(0.3, -0.2, 0.4, 0.5)), 12)
    0.8
    """
    a = check_array(a, "a", unit="meV", allow_empty=True, lower=-1e6, upper=1e6)
    b = check_array(b, "b", unit="meV", allow_empty=True, lower=-1e6, upper=1e6)
    eps = check_array(eps, "eps", unit="meV", allow_empty=True, lower=-1e6, upper=1e6)
    delta = check_real(delta, "delta", unit="meV", nonneg=True, upper=1e6)
    J = check_real(J, "J", unit="meV", nonneg=True, upper=1e6)
    theta = check_real(theta, "theta", unit="rad")
    out = _b2_derivative(a, b, delta, eps, J, theta)
    if not np.all(np.isfinite(out)):
        raise ValueError("(B2) is singular here: its denominator vanishes (a degenerate eigenvalue eps)")
    return float(out) if np.ndim(out) == 0 else out


def _b2_derivative(a, b, delta, eps, J=0.0, theta=0.0):
    jz = J * math.cos(theta)
    num = delta * (-2 * eps ** 2 + b ** 2 + a ** 2 + 2 * delta ** 2 - 2 * J ** 2)
    den = (a ** 2 - b ** 2) * jz + eps * (b ** 2 + a ** 2 + 2 * delta ** 2 + 2 * J ** 2) - 2 * eps ** 3
    with np.errstate(divide="ignore", invalid="ignore"):
        return num / den


def b2_residual(a, b, delta, J=0.0, theta=0.0, h=1e-6, sign_jz=1.0):
    """Largest ``|B2 - finite difference|`` of ``d eps/d Delta`` over the four BdG eigenvalues.

    The finite differences (central, step ``h`` meV) use the sorted eigenvalues of the
    4x4 BdG matrix (:func:`isingsc.bdg.bdg_hamiltonian`); ``sign_jz`` flips the sign of
    ``J_z`` in (B2) (the paper's sign of ``J . sigma`` differs from the book's).

    Parameters
    ----------
    a, b : array_like
        Band energies ``xi_up, xi_down`` (meV), broadcast against each other; at most 10^5 momenta.
    delta : float
        Gap (meV), > ``h``.
    J : float, optional
        Exchange field (meV), >= 0.
    theta : float, optional
        Polar angle of the field (rad).
    h : float, optional
        Finite-difference step (meV), ``1e-9 ... 1e-2``.
    sign_jz : float, optional
        The sign of ``J_z`` in (B2): ``1.0`` or ``-1.0``.

    Returns
    -------
    float
        The largest deviation (dimensionless).

    Raises
    ------
    TypeError
        Non-real arguments.
    ValueError
        Non-finite or out-of-range values, or momenta where (B2) is singular (degenerate eigenvalues).

    Examples
    --------
    >>> r = b2_residual(np.array([3.0, -2.0]), np.array([1.0, -0.5]), 0.4, 0.3, 0.7)
    >>> r < 1e-6
    True
    """
    a = check_array(a, "a", unit="meV", lower=-1e6, upper=1e6)
    b = check_array(b, "b", unit="meV", lower=-1e6, upper=1e6)
    a, b = np.broadcast_arrays(a, b)
    if a.size > 10**5:
        raise ValueError(f"a and b have {a.size} momenta; at most 10^5")
    h = check_real(h, "h", unit="meV", lower=1e-9, upper=1e-2)
    delta = check_real(delta, "delta", unit="meV", upper=1e6)
    if not delta > h:
        raise ValueError(f"delta = {delta:g} meV must exceed the step h = {h:g} meV")
    J = check_real(J, "J", unit="meV", nonneg=True, upper=1e6)
    theta = check_real(theta, "theta", unit="rad")
    sign_jz = check_real(sign_jz, "sign_jz")
    if sign_jz not in (1.0, -1.0):
        raise ValueError(f"sign_jz must be +1 or -1, got {sign_jz!r}")
    eig = lambda d: np.linalg.eigvalsh(bdg._bdg_hamiltonian(a, b, d, J, theta))  # noqa: E731
    e = eig(delta)
    fd = (eig(delta + h) - eig(delta - h)) / (2 * h)
    formula = _b2_derivative(a[..., None], b[..., None], delta, e, J, sign_jz * theta if sign_jz > 0 else math.pi - theta)
    out = np.abs(formula - fd)
    if not np.all(np.isfinite(out)):
        raise ValueError("(B2) is singular at some of these momenta (degenerate eigenvalues)")
    return float(np.max(out))


#: The paper's coupling in units of the book's, ``g_paper / g = 0.25``: the paper's equation (6) is four
#: times the book's free energy, with ``g_paper = g/4``.
PAPER_COUPLING_FACTOR = 0.25


def b3_lhs(sc, T, J=0.0, theta=0.0, delta=None):
    """Left-hand side of the paper's (B3) at the engine's gap (1 if they agree).

    ``(g_p/2) <sum_n tanh(eps_n/2T) (xi_+^2 - J^2 + Delta^2 - eps_n^2) /
    (xi_-^2 J cos(theta) + eps_n (xi_+^2 + J^2 + Delta^2 - eps_n^2))>_BZ`` with the
    engine's coupling ``g`` and quadrature (a BZ average per site).  Nodes where the
    (B3) summand is 0/0 (degenerate spin bands) are dropped: they have zero weight.

    Parameters
    ----------
    sc : IsingSuperconductor
        The superconductor.
    T : float
        Temperature (meV), ``0 <= T <=`` the band width.
    J : float, optional
        Exchange field (meV).
    theta : float, optional
        Polar angle of the field (rad).
    delta : float, optional
        The gap (meV) at which (B3) is evaluated, > 0; default the engine's self-consistent one.

    Returns
    -------
    float
        The left-hand side (dimensionless): 1 at a self-consistent gap.

    Raises
    ------
    TypeError
        ``sc`` not an :class:`~isingsc.superconductor.IsingSuperconductor`, or non-real numbers.
    ValueError
        Out-of-range values, or a vanishing gap (the normal state: (B3) is not defined).
    ConvergenceError
        A gap that cannot be established.

    Examples
    --------
    >>> import isingsc
    >>> sc = isingsc.ising_superconductor(150)
    >>> abs(b3_lhs(sc, 0.5 * sc.tc0) - 1) < 1e-4
    True
    """
    check_instance(sc, "sc", IsingSuperconductor)
    T, J = sc._T(T), sc._J(J)
    theta = check_real(theta, "theta", unit="rad")
    if delta is None:
        delta = sc.gap(T, J, theta)
    delta = check_real(delta, "delta", unit="meV", nonneg=True, upper=1e3 * sc.delta0)
    if delta == 0.0:
        raise ValueError(f"the gap vanishes (delta = 0) at T = {T:g} meV, J = {J:g} meV: (B3) has no superconducting "
                         "solution to test")
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

    Parameters
    ----------
    E : array_like
        Energies (meV).
    T : float
        Temperature (meV), > 0.

    Returns
    -------
    float
        The largest relative difference (dimensionless).

    Raises
    ------
    TypeError
        Non-real arguments.
    ValueError
        Non-finite values or ``T <= 0``.

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
    ok = x < 700   # beyond, both forms are x to exp(-700): no difference to resolve
    if not np.any(ok):
        return 0.0
    return float(np.max(np.abs(paper[ok] - book[ok]) / np.maximum(1.0, book[ok])))


@checked_fields(units={"J": "meV", "gap": "meV"}, nonneg=("J", "gap", "n_minima"))
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

    Examples
    --------
    >>> s = InplaneGapScan([1.0], [0.4], [1], ())
    >>> s.gap.flags.writeable, int(s.n_minima[0])
    (False, 1)
    """

    J: np.ndarray
    gap: np.ndarray
    n_minima: np.ndarray
    unresolved: tuple


@persistent
def inplane_gap_scan(sc, J, T=0.0, n_trial=61):
    """Gap for an in-plane field over ``J`` (meV) and the shape of the landscape at each field.

    Parameters
    ----------
    sc : IsingSuperconductor
        The superconductor.
    J : array_like
        In-plane exchange fields (meV), >= 0; at most 1000 of them.
    T : float, optional
        Temperature (meV).
    n_trial : int, optional
        Trial gaps per field for counting the minima, 3 ... 1001.

    Returns
    -------
    InplaneGapScan

    Raises
    ------
    TypeError
        ``sc`` not an :class:`~isingsc.superconductor.IsingSuperconductor`, or wrong types of the numbers.
    ValueError
        Out-of-range values.

    Examples
    --------
    >>> import isingsc
    >>> sc = isingsc.ising_superconductor(150)
    >>> s = inplane_gap_scan(sc, [10 * sc.delta0], n_trial=11)
    >>> int(s.n_minima[0])
    1
    """
    check_instance(sc, "sc", IsingSuperconductor)
    J = check_array(J, "J", unit="meV", nonneg=True).ravel()
    if J.size > 1000:
        raise ValueError(f"J has {J.size} fields; at most 1000")
    J = tuple(sc._J(j) for j in J.tolist())
    n_trial = check_int(n_trial, "n_trial", minimum=3, maximum=1001)
    return _inplane_gap_scan(sc, J, sc._T(T), n_trial)


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
