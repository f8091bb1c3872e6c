"""Closed-form and quasiclassical reference results the numerics are compared with.

Energies in meV (k_B = 1); susceptibilities are returned relative to the Pauli
value ``chi_P = 2 N(0)`` unless stated otherwise.  Every function checks its
inputs (:mod:`isingsc._validation`): a wrong type raises :class:`TypeError`
naming the parameter, an unphysical value :class:`ValueError` with its unit,
and a root that cannot be bracketed :class:`~isingsc.errors.ConvergenceError`.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import integrate, optimize, special

from ._results_cache import persistent
from ._validation import check_array, check_real, numerics
from .errors import ConvergenceError

__all__ = [
    "weak_soc_susceptibility",
    "yosida_function",
    "interpolated_bcs_gap",
    "pauli_limited_tc",
    "ising_tc",
    "fermi_surface_ising_tc",
    "critical_field_estimate",
    "perturbative_energies",
]

#: Lowest temperature (units of Tc0) down to which the critical temperatures are searched.
TC_FLOOR = 1e-12
#: Largest magnitude (meV) of an energy taken by these formulas (far above any band; fourth powers stay finite).
_MAX_ENERGY = 1e6


@numerics
def weak_soc_susceptibility(delta, lambda0):
    """In-plane ``chi_s / chi_P`` at ``T = 0`` for a uniform splitting, equation (C8) of the paper.

    ``chi_s/chi_P = 1 - Delta^2 asinh(l/Delta) / (l sqrt(l^2 + Delta^2))`` with
    ``l = |lambda0|``: the paper's ``Delta^2/(2 l s) ln((l + s)/(s - l))``
    (``s = sqrt(l^2 + Delta^2)``) written without the cancellation in ``s - l``,
    and its series ``(2/3) x^2 - (8/15) x^4 + ...`` (``x = l/Delta``) for ``x < 0.01``.

    Parameters
    ----------
    delta : float
        Gap (meV), > 0.
    lambda0 : float or array_like
        Half the spin-orbit splitting at the Fermi level (meV).

    Returns
    -------
    ndarray
        ``chi_s / chi_P`` in ``[0, 1]``: 0 without spin-orbit coupling, 1 for ``l >> Delta``.

    Raises
    ------
    TypeError
        A non-real argument.
    ValueError
        A negative, non-finite or out-of-range value.

    Examples
    --------
    >>> float(weak_soc_susceptibility(1.0, 0.0))
    0.0
    >>> round(float(weak_soc_susceptibility(1e-8, 1.0)), 12)   # strong spin-orbit: the normal-state value
    1.0
    """
    delta = check_real(delta, "delta", unit="meV", positive=True)
    lam = np.abs(check_array(lambda0, "lambda0", unit="meV"))
    with np.errstate(over="ignore"):
        x = lam / delta  # may overflow to inf: chi_s = chi_P there
    s = np.hypot(x, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        closed = 1.0 - np.arcsinh(x) / (x * s)
    x2 = x * x  # small-lambda series (the closed form cancels catastrophically there)
    series = x2 * (2.0 / 3.0 - x2 * (8.0 / 15.0 - x2 * 16.0 / 35.0))
    return np.where(x > 1e150, 1.0, np.where(x > 1e-2, closed, series))  # 1 - ln(2x)/x^2 = 1 beyond 1e150


@numerics
def yosida_function(T, delta):
    """Yosida function ``Y(T) = chi_perp/chi_P`` for a constant density of states.

    ``Y = (1/2T) int_0^inf sech^2(sqrt(xi^2 + delta^2)/2T) d xi``; 0 at ``T = 0``
    (for ``delta > 0``), 1 in the normal state (``delta = 0``).

    Parameters
    ----------
    T : float
        Temperature (meV), >= 0.
    delta : float
        Gap at that temperature (meV), >= 0.

    Returns
    -------
    float
        ``Y`` in ``[0, 1]``.

    Raises
    ------
    TypeError
        A non-real argument.
    ValueError
        A negative, non-finite or out-of-range value.

    Examples
    --------
    >>> yosida_function(0.0, 1.0)
    0.0
    >>> round(yosida_function(0.3, 0.0), 8)
    1.0
    """
    T = check_real(T, "T", unit="meV", nonneg=True)
    delta = check_real(delta, "delta", unit="meV", nonneg=True)
    if T == 0:
        return 0.0 if delta > 0 else 1.0
    x0 = delta / (2 * T)
    if x0 > 350.0:  # sech^2 underflows: Y ~ sqrt(2 pi delta/T) exp(-delta/T) < 1e-300
        return 0.0

    def f(u):  # u = xi / 2T
        return 1.0 / np.cosh(np.hypot(u, x0)) ** 2

    value = integrate.quad(f, 0.0, 40.0, limit=200, epsabs=0.0, epsrel=1e-12)[0]
    return float(min(max(value, 0.0), 1.0))


@numerics
def interpolated_bcs_gap(T, tc):
    """The usual interpolation of the weak-coupling BCS gap, ``1.764 Tc tanh(1.74 sqrt(Tc/T - 1))`` (meV).

    Accurate to about 2% at all temperatures; used for sketches, never for results.

    Parameters
    ----------
    T : float
        Temperature (meV), >= 0.
    tc : float
        Critical temperature (meV), > 0.

    Returns
    -------
    float
        The gap (meV): ``1.764 Tc`` at ``T = 0``, 0 for ``T >= Tc``.

    Raises
    ------
    TypeError
        A non-real argument.
    ValueError
        A negative, non-finite or out-of-range value.

    Examples
    --------
    >>> round(interpolated_bcs_gap(0.0, 1.0), 3)
    1.764
    >>> interpolated_bcs_gap(1.2, 1.0)
    0.0
    """
    T = check_real(T, "T", unit="meV", nonneg=True)
    tc = check_real(tc, "tc", unit="meV", positive=True)
    if T >= tc:
        return 0.0
    ratio = math.pi * math.exp(-np.euler_gamma)
    if T == 0:
        return ratio * tc
    return ratio * tc * math.tanh(1.74 * math.sqrt(tc / T - 1.0))


#: scan points of :func:`_upper_root` evaluated at once
_SCAN_PIECE = 24


def _tc_scan(tc0):
    """The temperatures (meV) that :func:`_upper_root` scans, from just below ``tc0`` down to ``TC_FLOOR tc0``."""
    return tc0 * np.concatenate([np.linspace(1.0 - 1e-12, 1e-3, 400), np.geomspace(1e-3, TC_FLOOR, 61)[1:]])


def _upper_root(f, tc0):
    """Highest root of ``f(T)`` below ``tc0`` where ``f`` turns from negative (above) to positive.

    ``f`` is vectorised and negative just below ``tc0``.  Scan down from
    ``tc0`` (linear to ``1e-3 tc0``, then logarithmic to ``TC_FLOOR tc0``); 0.0 if
    ``f`` stays negative (no second-order transition above ``TC_FLOOR tc0``).
    """
    Ts = _tc_scan(tc0)
    # evaluated from the top in pieces, up to the first piece with a positive value: the same scan points
    # and the same bracket as evaluating all of them (f costs a digamma per scan point and Fermi-surface
    # node), but a Tc near tc0 needs only the first piece
    i = None
    for start in range(0, Ts.size, _SCAN_PIECE):
        vals = f(Ts[start:start + _SCAN_PIECE])
        if not np.all(np.isfinite(vals)):
            raise ConvergenceError("the pair-breaking equation is not finite on the temperature scan")
        idx = np.nonzero(vals > 0)[0]
        if idx.size:
            i = start + int(idx[0])
            break
    if i is None:
        return 0.0
    if i == 0:
        raise ConvergenceError("the pair-breaking equation is positive at Tc0: no bracket for Tc")
    lo, hi = Ts[i], Ts[i - 1]
    return float(optimize.brentq(lambda T: float(f(np.array([T]))[0]), lo, hi, xtol=1e-14 * tc0))


@numerics
def pauli_limited_tc(J, tc0):
    """Second-order ``Tc`` of a Zeeman-split BCS superconductor (upper branch), meV.

    Solves ``ln(Tc0/T) = Re psi(1/2 + i J/(2 pi T)) - psi(1/2)``.

    Parameters
    ----------
    J : float
        Zeeman (exchange) energy (meV), >= 0.
    tc0 : float
        Zero-field critical temperature (meV), > 0.

    Returns
    -------
    float
        ``Tc`` (meV) of the upper second-order branch; 0.0 beyond the field where
        that branch ends (``J > 0.6 Delta0``) or where it would lie below
        ``1e-12 Tc0``.

    Raises
    ------
    TypeError
        A non-real argument.
    ValueError
        A negative, non-finite or out-of-range value.
    ConvergenceError
        A root that cannot be bracketed.

    Examples
    --------
    >>> pauli_limited_tc(0.0, 1.0)
    1.0
    >>> 0.8 < pauli_limited_tc(0.5, 1.0) < 1.0
    True
    """
    J = check_real(J, "J", unit="meV", nonneg=True, upper=_MAX_ENERGY)
    tc0 = check_real(tc0, "tc0", unit="meV", positive=True, upper=_MAX_ENERGY)
    if J == 0:
        return tc0
    psi_half = special.digamma(0.5)

    def f(T):
        T = np.asarray(T, float)
        return np.log(tc0 / T) - (special.digamma(0.5 + 1j * J / (2 * np.pi * T)).real - psi_half)

    return _upper_root(f, tc0)


@numerics
def ising_tc(J, splitting, tc0):
    """``Tc`` for an in-plane field and a *uniform* Ising splitting (meV).

    ``ln(Tc0/T) = J^2/(J^2 + l^2) [Re psi(1/2 + i sqrt(J^2 + l^2)/(2 pi T)) - psi(1/2)]``
    with ``l`` = half the spin-orbit splitting (``lambda_0``).

    Parameters
    ----------
    J : float
        In-plane exchange field (meV), >= 0.
    splitting : float
        ``l`` (meV); its sign does not matter.
    tc0 : float
        Zero-field critical temperature (meV), > 0.

    Returns
    -------
    float
        ``Tc`` (meV), see :func:`fermi_surface_ising_tc`.

    Raises
    ------
    TypeError
        A non-real argument.
    ValueError
        A negative, non-finite or out-of-range value.
    ConvergenceError
        A root that cannot be bracketed.

    Examples
    --------
    >>> ising_tc(2.0, 30.0, 1.0) > ising_tc(2.0, 3.0, 1.0)   # the splitting protects
    True
    """
    splitting = check_real(splitting, "splitting", unit="meV", lower=-_MAX_ENERGY, upper=_MAX_ENERGY)
    return fermi_surface_ising_tc(J, np.array([splitting]), np.array([1.0]), tc0)


@persistent
@numerics
def fermi_surface_ising_tc(J, splittings, weights, tc0):
    """Quasiclassical in-plane ``Tc`` for a splitting that varies over the Fermi surface (meV).

    The uniform-splitting pair-breaking parameter averaged over the Fermi
    surface with its density-of-states weights (e.g. from
    :func:`isingsc.quadrature.fermi_surface_nodes`, with ``splittings`` = half
    of ``xi_up - xi_down``).  Meant as an independent check of the 2D engine.

    Parameters
    ----------
    J : float
        In-plane exchange field (meV), >= 0.
    splittings : array_like
        Half the spin-orbit splitting at each Fermi-surface node (meV).
    weights : array_like
        Non-negative weights of the nodes (any normalisation, not all zero), same shape.
    tc0 : float
        Zero-field critical temperature (meV), > 0.

    Returns
    -------
    float
        ``Tc`` (meV) of the upper second-order branch; 0.0 if there is none
        above ``1e-12 Tc0``.

    Raises
    ------
    TypeError
        A non-real argument.
    ValueError
        A negative, non-finite or out-of-range value, weights that are all zero, or shapes that differ.
    ConvergenceError
        A root that cannot be bracketed.

    Examples
    --------
    >>> import numpy as np
    >>> t1 = fermi_surface_ising_tc(2.0, np.full(3, 3.0), [1, 2, 3], 1.0)
    >>> bool(np.isclose(t1, ising_tc(2.0, 3.0, 1.0)))
    True
    """
    J = check_real(J, "J", unit="meV", nonneg=True, upper=_MAX_ENERGY)
    tc0 = check_real(tc0, "tc0", unit="meV", positive=True, upper=_MAX_ENERGY)
    lam = np.abs(check_array(splittings, "splittings", unit="meV", lower=-_MAX_ENERGY, upper=_MAX_ENERGY)).ravel()
    w = check_array(weights, "weights", nonneg=True).ravel()
    if w.shape != lam.shape:
        raise ValueError(f"weights and splittings must have the same number of entries, got {w.size} weights "
                         f"for {lam.size} splittings")
    total = w.sum()
    if not total > 0:
        raise ValueError("weights must not all be zero")
    w = w / total
    if J == 0:
        return tc0
    rho = np.hypot(J, lam)
    psi_half = special.digamma(0.5)

    def f(T):
        T = np.atleast_1d(np.asarray(T, float))
        pb = special.digamma(0.5 + 1j * rho[None, :] / (2 * np.pi * T[:, None])).real - psi_half
        return np.log(tc0 / T) - np.sum(w * J * J / rho**2 * pb, axis=1)

    return _upper_root(f, tc0)


@numerics
def critical_field_estimate(n0, chi_n, chi_s, theta, delta0):
    """The paper's first-order field estimate ``J_c = sqrt(N(0)/(chi_n(theta) - chi_s sin^2 theta)) Delta0`` (meV).

    The text after equation (8) of the paper.

    Parameters
    ----------
    n0 : float
        Density of states per spin per site at the Fermi level (1/meV), > 0.
    chi_n, chi_s : float
        Normal-state susceptibility along ``theta`` and the superconducting
        in-plane one (1/meV per site), >= 0.
    theta : float
        Polar angle of the field (rad).
    delta0 : float
        Zero-temperature gap (meV), > 0.

    Returns
    -------
    float
        ``J_c`` (meV).

    Raises
    ------
    TypeError
        A non-real argument.
    ValueError
        A negative, non-finite or out-of-range value; or a denominator
        ``chi_n - chi_s sin^2 theta`` that is not positive (no first-order transition in this
        estimate: the superconductor's susceptibility along ``theta`` is not below the normal one).

    Examples
    --------
    Out of plane (``theta = 0``) with ``chi_n = 2 N(0)`` it is Clogston's ``Delta0/sqrt 2``:

    >>> round(critical_field_estimate(1.0, 2.0, 0.9, 0.0, 1.0), 6)
    0.707107
    """
    n0 = check_real(n0, "n0", unit="1/meV", positive=True)
    chi_n = check_real(chi_n, "chi_n", unit="1/meV", nonneg=True)
    chi_s = check_real(chi_s, "chi_s", unit="1/meV", nonneg=True)
    theta = check_real(theta, "theta", unit="rad")
    delta0 = check_real(delta0, "delta0", unit="meV", positive=True, upper=_MAX_ENERGY)
    denom = chi_n - chi_s * math.sin(theta) ** 2
    if not denom > 1e-12 * max(chi_n, chi_s):
        raise ValueError(f"no first-order transition in this estimate: chi_n - chi_s sin^2 theta = {denom:g} "
                         f"1/meV is not positive (chi_n = {chi_n:g}, chi_s = {chi_s:g} 1/meV, theta = {theta:g} rad)")
    out = math.sqrt(n0 / denom) * delta0
    if not math.isfinite(out):
        raise ValueError(f"J_c = sqrt(n0 / (chi_n - chi_s sin^2 theta)) delta0 overflows for n0 = {n0:g} 1/meV, "
                         f"chi_n - chi_s sin^2 theta = {denom:g} 1/meV")
    return out


@numerics
def perturbative_energies(a, b, delta, J, theta):
    """Quasiparticle energies to second order in ``J``, shape ``(..., 4)`` (meV): equations (C2)-(C3).

    Diverges where ``|xi_up| = |xi_down|`` (e.g. on the Gamma-M lines, where
    the spin-orbit splitting vanishes) and an in-plane field component is present: there the
    states are degenerate and non-degenerate perturbation theory does not apply (ValueError).

    Parameters
    ----------
    a, b : array_like
        The two spin bands ``xi_up``, ``xi_down`` at the momenta (meV).
    delta : float
        Gap (meV), >= 0.
    J : float
        Exchange field (meV), >= 0.
    theta : float
        Its polar angle (rad).

    Returns
    -------
    ndarray
        Shape ``broadcast(a, b).shape + (4,)`` (meV).

    Raises
    ------
    TypeError
        A non-real argument.
    ValueError
        A negative, non-finite or out-of-range value, or degenerate states
        (``|a| = |b|`` with an in-plane field), where the expansion does not apply.

    Examples
    --------
    For an out-of-plane field the expansion is exact: ``+-E_a + J``, ``+-E_b - J``.

    >>> perturbative_energies(1.0, 0.5, 0.0, 0.1, 0.0).round(6).tolist()
    [1.1, -0.9, 0.4, -0.6]
    """
    a = check_array(a, "a", unit="meV", lower=-_MAX_ENERGY, upper=_MAX_ENERGY)
    b = check_array(b, "b", unit="meV", lower=-_MAX_ENERGY, upper=_MAX_ENERGY)
    delta = check_real(delta, "delta", unit="meV", nonneg=True, upper=_MAX_ENERGY)
    J = check_real(J, "J", unit="meV", nonneg=True, upper=_MAX_ENERGY)
    theta = check_real(theta, "theta", unit="rad")
    Ea, Eb = np.hypot(a, delta), np.hypot(b, delta)
    jz, j2 = J * math.cos(theta), (J * math.sin(theta)) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        ca = (a * b + a * a + 2 * delta ** 2) / ((a * a - b * b) * Ea) * j2
        cb = (a * b + b * b + 2 * delta ** 2) / ((b * b - a * a) * Eb) * j2
    out = np.stack([Ea + jz + ca, -Ea + jz - ca, Eb - jz + cb, -Eb - jz - cb], axis=-1)
    bad = ~np.isfinite(out).all(axis=-1)
    if np.any(bad):
        raise ValueError(f"second-order perturbation theory does not apply at {int(bad.sum())} of {bad.size} "
                         "momenta: there |xi_up| = |xi_down| (degenerate states) and the field has an in-plane "
                         "component")
    return out
