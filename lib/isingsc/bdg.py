"""Momentum-resolved Bogoliubov-de Gennes physics of an Ising superconductor.

Everything here is a function of the two spin-resolved band energies at one
momentum, ``a = xi_up(k)`` and ``b = xi_down(k)`` (meV), of the s-wave pair
potential ``delta`` (meV), of the exchange field ``J`` (meV) at polar angle
``theta`` (rad), and of the temperature ``T`` (meV, k_B = 1).  The Brillouin-zone
integrals in :mod:`isingsc.superconductor` are weighted sums of these.

The BdG Hamiltonian (C1) in the Nambu basis
``(c_{k up}, c_{k down}, c^dag_{-k up}, c^dag_{-k down})`` reads, with
``xi_up(-k) = xi_down(k)`` (time reversal) and the field in the x-z plane
(the result does not depend on the azimuth ``phi``: ``H_0`` conserves S_z and the
singlet pairing is invariant under spin rotations about z),

    H = [[a + Jz, Jx,      0,      delta ],
         [Jx,     b - Jz, -delta,  0     ],
         [0,     -delta,  -b - Jz, -Jx   ],
         [delta,  0,      -Jx,     -a + Jz]]

with ``Jz = J cos(theta)``, ``Jx = J sin(theta)``.  Its characteristic polynomial
is the depressed quartic ``E^4 + p E^2 + q E + r`` with

    p = -(a^2 + b^2 + 2 delta^2 + 2 J^2),   q = -2 Jz (a^2 - b^2),
    r = Ea^2 Eb^2 + J^4 - 2 J^2 delta^2 - Jz^2 (a^2 + b^2) - 2 Jx^2 a b,

``Ea = sqrt(a^2 + delta^2)``, ``Eb = sqrt(b^2 + delta^2)``.  For ``theta = 0`` the
roots are ``Jz +- Ea`` and ``-Jz +- Eb`` (Eqs. C2-C3 without the J^2 term); for
``theta = pi/2`` the quartic is biquadratic.  The free energy per momentum,
Eq. (6) with all constants kept, is

    F(k) = (a + b)/2 - sum_n (T/2) ln(2 cosh(E_n / 2T)),

so that ``f = delta^2/g + <F(k)>_BZ`` is the free energy per site.
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "bdg_hamiltonian",
    "quasiparticle_energies",
    "free_energy_density",
    "pair_kernel",
    "spin_susceptibility_density",
]


def bdg_hamiltonian(a, b, delta, J=0.0, theta=0.0):
    """The 4x4 BdG matrix (C1) at each momentum, shape ``(..., 4, 4)`` (meV).

    Used by the brute-force reference and the tests; the fast paths use the
    closed forms of :func:`quasiparticle_energies`.
    """
    a, b = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
    jz, jx = J * np.cos(theta), J * np.sin(theta)
    H = np.zeros(a.shape + (4, 4))
    H[..., 0, 0] = a + jz
    H[..., 1, 1] = b - jz
    H[..., 2, 2] = -b - jz
    H[..., 3, 3] = -a + jz
    H[..., 0, 1] = H[..., 1, 0] = jx
    H[..., 2, 3] = H[..., 3, 2] = -jx
    H[..., 0, 3] = H[..., 3, 0] = delta
    H[..., 1, 2] = H[..., 2, 1] = -delta
    return H


def _pole_cases(theta):
    c, s = np.cos(theta), np.sin(theta)
    if abs(s) < 1e-14:
        return "z"
    if abs(c) < 1e-14:
        return "x"
    return "general"


def quasiparticle_energies(a, b, delta, J=0.0, theta=0.0):
    """The four BdG eigenvalues at each momentum, shape ``(..., 4)`` (meV).

    Closed forms: Zeeman-shifted BCS energies for an out-of-plane field, the
    biquadratic roots for an in-plane field, and Ferrari's solution of the
    quartic (with the largest root of the resolvent cubic, which is well
    conditioned) for an oblique field.  The order of the returned energies is
    not specified.
    """
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    d2 = float(delta) ** 2
    Ea = np.sqrt(a * a + d2)
    Eb = np.sqrt(b * b + d2)
    case = _pole_cases(theta)
    jz, jx = J * np.cos(theta), J * np.sin(theta)
    if J == 0.0 or case == "z":
        return np.stack(np.broadcast_arrays(jz + Ea, jz - Ea, -jz + Eb, -jz - Eb), axis=-1)
    if case == "x":
        ep, em = _inplane_positive_roots(a, b, Ea, Eb, d2, J)
        return np.stack([ep, -ep, em, -em], axis=-1)
    return _ferrari_roots(a, b, Ea, Eb, d2, J, jz, jx)


def _inplane_positive_roots(a, b, Ea, Eb, d2, J):
    J2 = J * J
    P = Ea * Ea + Eb * Eb + 2.0 * J2
    Q = (Ea * Eb) ** 2 + J2 * J2 - 2.0 * J2 * (d2 + a * b)
    Q = np.maximum(Q, 0.0)
    disc = np.sqrt(np.maximum(P * P - 4.0 * Q, 0.0))
    ep2 = 0.5 * (P + disc)
    ep = np.sqrt(ep2)
    with np.errstate(divide="ignore", invalid="ignore"):
        em = np.where(ep > 0, np.sqrt(Q) / np.where(ep > 0, ep, 1.0), 0.0)
    return ep, em


def _ferrari_roots(a, b, Ea, Eb, d2, J, jz, jx):
    a2, b2 = a * a, b * b
    J2 = J * J
    p = -(a2 + b2 + 2.0 * d2 + 2.0 * J2)
    q = -2.0 * jz * (a2 - b2)
    r = (Ea * Eb) ** 2 + J2 * J2 - 2.0 * J2 * d2 - jz * jz * (a2 + b2) - 2.0 * jx * jx * a * b
    # resolvent cubic y^3 + 2p y^2 + (p^2 - 4r) y - q^2 = 0, all roots real and >= 0
    c2, c1, c0 = 2.0 * p, p * p - 4.0 * r, -q * q
    sh = c2 / 3.0
    pp = c1 - c2 * c2 / 3.0
    qq = 2.0 * c2 ** 3 / 27.0 - c2 * c1 / 3.0 + c0
    m = np.sqrt(np.maximum(-pp / 3.0, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        arg = np.where(m > 0, -qq / (2.0 * np.where(m > 0, m, 1.0) ** 3), 0.0)
    arg = np.clip(arg, -1.0, 1.0)
    y = 2.0 * m * np.cos(np.arccos(arg) / 3.0) - sh
    y = np.maximum(y, 0.0)
    s = np.sqrt(y)
    with np.errstate(divide="ignore", invalid="ignore"):
        qs = np.where(s > 0, q / np.where(s > 0, s, 1.0), 0.0)
    d1 = np.sqrt(np.maximum(-y - 2.0 * p + 2.0 * qs, 0.0))
    d2_ = np.sqrt(np.maximum(-y - 2.0 * p - 2.0 * qs, 0.0))
    return np.stack([0.5 * (-s + d1), 0.5 * (-s - d1), 0.5 * (s + d2_), 0.5 * (s - d2_)], axis=-1)


def _half_log_2cosh(E, T):
    """phi(E) = (T/2) ln(2 cosh(E/2T)); at T = 0 it is |E|/4."""
    aE = np.abs(E)
    if T == 0.0:
        return 0.25 * aE
    return 0.25 * aE + 0.5 * T * np.log1p(np.exp(-aE / T))


def free_energy_density(a, b, delta, J=0.0, theta=0.0, T=0.0):
    """Free energy per momentum, ``F(k)`` of Eq. (6) with constants kept (meV).

    ``F = (a + b)/2 - sum_n (T/2) ln(2 cosh(E_n/2T))`` over the four BdG
    eigenvalues; in the normal state at ``J = 0`` this is the grand potential
    ``-T ln(1 + e^{-a/T}) - T ln(1 + e^{-b/T})`` of the two spin states.  The
    free energy per site is ``delta^2/g`` plus the Brillouin-zone average of F.
    The result is even in ``J`` and symmetric under ``a <-> b``.
    """
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    case = _pole_cases(theta)
    if J != 0.0 and case == "x":
        d2 = float(delta) ** 2
        Ea = np.sqrt(a * a + d2)
        Eb = np.sqrt(b * b + d2)
        if T == 0.0:
            J2 = J * J
            P = Ea * Ea + Eb * Eb + 2.0 * J2
            Q = np.maximum((Ea * Eb) ** 2 + J2 * J2 - 2.0 * J2 * (d2 + a * b), 0.0)
            return 0.5 * (a + b) - 0.5 * np.sqrt(P + 2.0 * np.sqrt(Q))
        ep, em = _inplane_positive_roots(a, b, Ea, Eb, d2, J)
        return 0.5 * (a + b) - 2.0 * (_half_log_2cosh(ep, T) + _half_log_2cosh(em, T))
    E = quasiparticle_energies(a, b, delta, J, theta)
    return 0.5 * (a + b) - _half_log_2cosh(E, T).sum(axis=-1)


def pair_kernel(a, b, delta0):
    """Zero-temperature pairing kernel ``1/(4 Ea0) + 1/(4 Eb0)`` (1/meV).

    The BZ average of this kernel at the zero-field, zero-temperature gap
    ``delta0`` is the inverse coupling ``1/g`` (per site): it is the gap
    equation (B1)/(B3) at ``T = 0``, ``J = 0``.
    """
    d2 = float(delta0) ** 2
    return 0.25 / np.sqrt(np.asarray(a, float) ** 2 + d2) + 0.25 / np.sqrt(np.asarray(b, float) ** 2 + d2)


def _tanh_divided(x, y):
    """(tanh x - tanh y)/(x - y), evaluated stably for x ~ y."""
    d = x - y
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(np.abs(d) > 1e-4, np.tanh(d) / np.where(d == 0, 1.0, d), 1.0 - d * d / 3.0)
    return (1.0 - np.tanh(x) * np.tanh(y)) * ratio


def spin_susceptibility_density(a, b, delta, T=0.0, direction="in-plane"):
    """Spin susceptibility per momentum, ``-d^2 F / dJ^2`` at ``J = 0`` (1/meV).

    Second-order perturbation theory in the exchange field (Eq. C6) with the
    analytic BCS coherence factors:

    * ``direction="out-of-plane"``: ``[sech^2(Ea/2T) + sech^2(Eb/2T)]/(4T)``
      (Yosida; zero at ``T = 0`` for ``delta > 0``).
    * ``direction="in-plane"``:
      ``c+ [tanh(Ea/2T) - tanh(Eb/2T)]/(Ea - Eb) + c- [tanh(Ea/2T) + tanh(Eb/2T)]/(Ea + Eb)``
      with ``c+- = (1 +- (ab + delta^2)/(Ea Eb))/2``: the spin-flip (Van Vleck)
      response between the spin-orbit split bands.

    The Brillouin-zone average gives the susceptibility per site, in units
    where the magnetic moment is one (energy ``-chi J^2 / 2``).  In the normal
    state both reduce to ``2 N(0)`` for a constant density of states.
    """
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    d2 = float(delta) ** 2
    Ea = np.sqrt(a * a + d2)
    Eb = np.sqrt(b * b + d2)
    if direction == "out-of-plane":
        if T == 0.0:
            # only exactly gapless states respond; they have zero measure
            return np.zeros(np.broadcast(a, b).shape)
        return 0.25 / T * (_sech2(Ea / (2 * T)) + _sech2(Eb / (2 * T)))
    if direction != "in-plane":
        raise ValueError(f"direction must be 'in-plane' or 'out-of-plane', got {direction!r}")
    with np.errstate(divide="ignore", invalid="ignore"):
        EaEb = Ea * Eb
        coh = np.where(EaEb > 0, (a * b + d2) / np.where(EaEb > 0, EaEb, 1.0), 1.0)
        c_plus = 0.5 * (1.0 + coh)
        c_minus = 0.5 * (1.0 - coh)
        if T == 0.0:
            same = np.zeros_like(EaEb)
            total = Ea + Eb
            opposite = np.where(total > 0, 2.0 / np.where(total > 0, total, 1.0), 0.0)
        else:
            x, y = Ea / (2 * T), Eb / (2 * T)
            same = _tanh_divided(x, y) / (2 * T)
            total = Ea + Eb
            opposite = np.where(
                total > 0,
                (np.tanh(x) + np.tanh(y)) / np.where(total > 0, total, 1.0),
                0.5 / T,
            )
    return c_plus * same + c_minus * opposite


def _sech2(x):
    ax = np.abs(x)
    e = np.exp(-2.0 * ax)
    return 4.0 * e / (1.0 + e) ** 2
