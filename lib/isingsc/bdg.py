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
is the depressed quartic ``P(E) = E^4 + p E^2 + q E + r`` with

    p = -(a^2 + b^2 + 2 delta^2 + 2 J^2),   q = -2 Jz (a^2 - b^2),
    r = Ea^2 Eb^2 + J^4 - 2 J^2 delta^2 - Jz^2 (a^2 + b^2) - 2 Jx^2 a b,

``Ea = sqrt(a^2 + delta^2)``, ``Eb = sqrt(b^2 + delta^2)``.  For ``theta = 0`` the
roots are ``Jz +- Ea`` and ``-Jz +- Eb``; for ``theta = pi/2`` the quartic is
biquadratic.  The free energy per momentum, Eq. (6) with all constants kept, is

    F(k) = (a + b)/2 - sum_n phi(E_n),     phi(E) = (T/2) ln(2 cosh(E / 2T)),

so that ``f = delta^2/g + <F(k)>_BZ`` is the free energy per site.

Its derivative with respect to ``delta^2`` (the *gap function* density ``G``,
1/meV) follows from ``dE_n/d delta = -dP/d delta / P'(E_n)``, so the gap equation
``df/d delta^2 = 1/g + <G> = 0`` needs no numerical differentiation; at
``delta = 0`` it becomes minus the Cooper-pair susceptibility
(:func:`pair_susceptibility_density`), computed from second-order perturbation
theory in ``delta`` on the normal-state eigenstates.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_array, check_choice, check_flag, check_real, numerics

__all__ = [
    "MAX_ENERGY",
    "bdg_hamiltonian",
    "quasiparticle_energies",
    "free_energy_density",
    "free_energy_and_gap_density",
    "pair_kernel",
    "pair_susceptibility_density",
    "spin_susceptibility_density",
    "thermal_potential",
]


# ----------------------------------------------------------------------------
# phi(E) = (T/2) ln(2 cosh(E/2T)) and its derivatives: the one definition
# ----------------------------------------------------------------------------
#: floor of the exponents of ``exp(-|E|/T)`` and ``exp(-2|x|)`` below: under about -708 NumPy's ``exp``
#: leaves its vector path (subnormal results, ten to a hundred times slower per element); from -700 on
#: ``1 +- e`` is 1.0 and ``(T/2) log1p(e)`` lies far below half an ulp of ``|E|/4``, so every result below
#: is the same floating-point number (see ``isingsc._landscape.EXP_FLOOR``)
_EXP_FLOOR = -700.0

def _thermal_potential(E, T):
    """Unchecked kernel of :func:`thermal_potential` (the engine's hot path)."""
    aE = np.abs(E)
    if T == 0.0:
        return 0.25 * aE
    return 0.25 * aE + 0.5 * T * np.log1p(np.exp(np.maximum(-aE / T, _EXP_FLOOR)))


def _tanh(x):
    """``tanh x`` from one exponential, ``sign(x) (1 - e)/(1 + e)`` with ``e = exp(-2|x|)``.

    NumPy's ``tanh`` costs about twice its ``exp`` on the reference machine.  The absolute error is
    a few 1e-16; the relative error ``~1e-16/|x|`` matters only for ``|x| < 1e-4``, where the
    callers below use their Taylor forms.
    """
    e = np.exp(np.maximum(-2.0 * np.abs(x), _EXP_FLOOR))
    return np.copysign((1.0 - e) / (1.0 + e), x)


def _phi_and_slope(E, T):
    """phi(E) and phi'(E) = tanh(E/2T)/4 from one exponential."""
    aE = np.abs(E)
    if T == 0.0:
        return 0.25 * aE, 0.25 * np.sign(E)
    e = np.exp(np.maximum(-aE / T, _EXP_FLOOR))
    return 0.25 * aE + 0.5 * T * np.log1p(e), np.copysign(0.25 * (1.0 - e) / (1.0 + e), E)


def _slope_over(E, T):
    """phi'(E)/E = tanh(E/2T)/(4E) for E >= 0; its limit 1/(8T) at E = 0 (T > 0)."""
    if T == 0.0:
        with np.errstate(divide="ignore"):
            return 0.25 / E
    x = E / (2.0 * T)
    with np.errstate(divide="ignore", invalid="ignore"):
        small = x < 1e-4
        return np.where(small, (1.0 - x * x / 3.0) / (8.0 * T), _tanh(x) / (4.0 * np.where(small, 1.0, E)))


def _slope_divided(x, y, T):
    """Divided difference ``(phi'(x) - phi'(y)) / (x - y)`` (1/meV), >= 0, stable for x ~ y."""
    if T == 0.0:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(np.signbit(x) != np.signbit(y), 0.5 / np.abs(x - y), 0.0)
    return _tanh_divided(x / (2.0 * T), y / (2.0 * T)) / (8.0 * T)


def _tanh_divided(x, y):
    """(tanh x - tanh y)/(x - y), evaluated stably for x ~ y."""
    d = x - y
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(np.abs(d) > 1e-4, _tanh(d) / np.where(d == 0, 1.0, d), 1.0 - d * d / 3.0)
    return (1.0 - _tanh(x) * _tanh(y)) * ratio


# ----------------------------------------------------------------------------
# the matrix and its spectrum
# ----------------------------------------------------------------------------
def _bdg_hamiltonian(a, b, delta, J=0.0, theta=0.0):
    """Unchecked kernel of :func:`bdg_hamiltonian` (the engine's hot path)."""
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


def _field_case(J, theta):
    """'zero', 'z' (out of plane), 'x' (in plane) or 'general', and the components |Jz|, |Jx|."""
    jz, jx = abs(J * np.cos(theta)), abs(J * np.sin(theta))
    if J == 0.0:
        return "zero", 0.0, 0.0
    if jx < 1e-14 * J:
        return "z", float(J), 0.0
    if jz < 1e-14 * J:
        return "x", 0.0, float(J)
    return "general", float(jz), float(jx)


def _quasiparticle_energies(a, b, delta, J=0.0, theta=0.0):
    """Unchecked kernel of :func:`quasiparticle_energies` (the engine's hot path)."""
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    d2 = float(delta) ** 2
    case = _field_case(J, theta)[0]
    jz, jx = J * np.cos(theta), J * np.sin(theta)  # signed: the spectrum (not F) changes with their signs
    if case in ("zero", "z"):
        Ea = np.sqrt(a * a + d2)
        Eb = np.sqrt(b * b + d2)
        jz = float(np.sign(jz)) * abs(J) if case == "z" else 0.0
        return np.stack(np.broadcast_arrays(jz + Ea, jz - Ea, -jz + Eb, -jz - Eb), axis=-1)
    if case == "x":
        ep, em = _inplane_positive_roots(a, b, d2, J)[:2]
        return np.stack([ep, -ep, em, -em], axis=-1)
    return np.stack(_ferrari_roots(a, b, d2, J, jz, jx), axis=-1)


def _inplane_positive_roots(a, b, d2, J):
    """Positive roots ep >= em of the biquadratic, with u = 4 J^2 / sqrt(disc) (for d/d delta)."""
    J2 = J * J
    a2, b2 = a * a, b * b
    P = a2 + b2 + 2.0 * (d2 + J2)
    Q = np.maximum((a2 + d2) * (b2 + d2) + J2 * J2 - 2.0 * J2 * (d2 + a * b), 0.0)
    s = a2 - b2
    t = a + b
    disc = np.sqrt(s * s + 4.0 * J2 * (t * t + 4.0 * d2))  # = sqrt(P^2 - 4Q) without cancellation
    ep = np.sqrt(0.5 * (P + disc))
    with np.errstate(divide="ignore", invalid="ignore"):
        em = np.where(ep > 0, np.sqrt(Q) / np.where(ep > 0, ep, 1.0), 0.0)
        u = np.where(disc > 0, 4.0 * J2 / np.where(disc > 0, disc, 1.0), 0.0)
    return ep, em, u


def _ferrari_roots(a, b, d2, J, jz, jx):
    a2, b2 = a * a, b * b
    J2 = J * J
    p = -(a2 + b2 + 2.0 * d2 + 2.0 * J2)
    q = -2.0 * jz * (a2 - b2)
    r = (a2 + d2) * (b2 + d2) + J2 * J2 - 2.0 * J2 * d2 - jz * jz * (a2 + b2) - 2.0 * jx * jx * a * b
    # resolvent cubic y^3 + 2p y^2 + (p^2 - 4r) y - q^2 = 0, all roots real and >= 0
    c2, c1, c0 = 2.0 * p, p * p - 4.0 * r, -q * q
    sh = c2 / 3.0
    pp = c1 - c2 * sh
    qq = (2.0 / 27.0) * c2 * c2 * c2 - c2 * c1 / 3.0 + c0
    m = np.sqrt(np.maximum(-pp / 3.0, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        mm = np.where(m > 0, m, 1.0)
        arg = np.where(m > 0, -qq / (2.0 * mm * mm * mm), 0.0)
    arg = np.clip(arg, -1.0, 1.0)
    y = np.maximum(2.0 * m * np.cos(np.arccos(arg) / 3.0) - sh, 0.0)
    s = np.sqrt(y)
    with np.errstate(divide="ignore", invalid="ignore"):
        qs = np.where(s > 0, q / np.where(s > 0, s, 1.0), 0.0)
    base = -y - 2.0 * p
    d1 = np.sqrt(np.maximum(base + 2.0 * qs, 0.0))
    d2_ = np.sqrt(np.maximum(base - 2.0 * qs, 0.0))
    return 0.5 * (-s + d1), 0.5 * (-s - d1), 0.5 * (s + d2_), 0.5 * (s - d2_)


def _general_normal_free_energy(a, b, jz, jx, T):
    """F at delta = 0 for field components ``jz``, ``jx`` that may be arrays (meV)."""
    m, rp, rh, _, _ = _normal_energies(a, b, jz, jx)
    return 0.5 * (a + b) - (_thermal_potential(m + rp, T) + _thermal_potential(m - rp, T)
                            + _thermal_potential(rh - m, T) + _thermal_potential(rh + m, T))


def _normal_energies(a, b, jz, jx):
    """Normal-state (delta = 0) eigenvalues: particle m +- rho_p, hole -m +- rho_h, and d_p, d_h."""
    m = 0.5 * (a + b)
    d = 0.5 * (a - b)
    dp, dh = d + jz, d - jz
    rp = np.sqrt(dp * dp + jx * jx)
    rh = np.sqrt(dh * dh + jx * jx)
    return m, rp, rh, dp, dh


# ----------------------------------------------------------------------------
# free energy and gap function per momentum
# ----------------------------------------------------------------------------
def _free_energy_density(a, b, delta, J=0.0, theta=0.0, T=0.0):
    """Unchecked kernel of :func:`free_energy_density` (the engine's hot path)."""
    return _free_energy_and_gap_density(a, b, delta, J, theta, T, gap=False)


def _free_energy_and_gap_density(a, b, delta, J=0.0, theta=0.0, T=0.0, gap=True):
    """Unchecked kernel of :func:`free_energy_and_gap_density` (the engine's hot path)."""
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    delta = float(delta)
    d2 = delta * delta
    case, jz, jx = _field_case(J, theta)
    base = 0.5 * (a + b)
    if delta == 0.0:
        m, rp, rh, _, _ = _normal_energies(a, b, jz, jx)
        F = base - (_thermal_potential(m + rp, T) + _thermal_potential(m - rp, T)
                    + _thermal_potential(rh - m, T) + _thermal_potential(rh + m, T))
        if not gap:
            return F
        return F, -_pair_susceptibility_density(a, b, J, theta, T)
    if case in ("zero", "z"):
        Ea = np.sqrt(a * a + d2)
        Eb = np.sqrt(b * b + d2)
        if case == "zero":
            pa, sa = _phi_and_slope(Ea, T)
            pb, sb = _phi_and_slope(Eb, T)
            F = base - 2.0 * (pa + pb)
            if not gap:
                return F
            return F, -(sa / Ea + sb / Eb)
        pa1, sa1 = _phi_and_slope(Ea + jz, T)
        pa2, sa2 = _phi_and_slope(Ea - jz, T)
        pb1, sb1 = _phi_and_slope(Eb + jz, T)
        pb2, sb2 = _phi_and_slope(Eb - jz, T)
        F = base - (pa1 + pa2 + pb1 + pb2)
        if not gap:
            return F
        return F, -(0.5 * (sa1 + sa2) / Ea + 0.5 * (sb1 + sb2) / Eb)
    if case == "x":
        ep, em, u = _inplane_positive_roots(a, b, d2, J)
        pp_, sp = _phi_and_slope(ep, T)
        pm, sm = _phi_and_slope(em, T)
        F = base - 2.0 * (pp_ + pm)
        if not gap:
            return F
        # phi'(em)/em is finite at em = 0 for T > 0; at T = 0 em vanishes only at isolated points
        gm = _slope_over(em, T) if T > 0 else np.where(em > 0, 0.25 / np.where(em > 0, em, 1.0), 0.0)
        return F, -(sp / ep * (1.0 + u) + gm * (1.0 - u))
    return _general_free_energy_and_gap(a, b, delta, jz, jx, T, gap)


def _general_free_energy_and_gap(a, b, delta, jz, jx, T, gap=True):
    """F and G for field components ``jz``, ``jx`` that may be arrays (one per node), delta > 0.

    Ferrari's roots with the characteristic-polynomial derivative; the per-node
    field is what a Rashba model needs (the field's angle to the spin-orbit
    vector varies with k).
    """
    d2 = float(delta) ** 2
    J = np.sqrt(jz * jz + jx * jx)
    base = 0.5 * (a + b)
    roots = _ferrari_roots(a, b, d2, J, jz, jx)
    phis = [_phi_and_slope(E, T) for E in roots]
    F = base - (phis[0][0] + phis[1][0] + phis[2][0] + phis[3][0])
    if not gap:
        return F
    s = a * a + b * b + 2.0 * d2 - 2.0 * J * J
    G = np.zeros_like(F)
    bound = 0.5 / delta  # |dE/d delta| <= 1
    for n in range(4):
        En = roots[n]
        dP = np.ones_like(En)
        for mm in range(4):
            if mm != n:
                dP = dP * (En - roots[mm])
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.clip((2.0 * En * En - s) / dP, -bound, bound)
        G -= phis[n][1] * np.where(np.isfinite(ratio), ratio, 0.0)
    return F, G


def _pair_kernel(a, b, delta0):
    """Unchecked kernel of :func:`pair_kernel` (the engine's hot path)."""
    d2 = float(delta0) ** 2
    return 0.25 / np.sqrt(np.asarray(a, float) ** 2 + d2) + 0.25 / np.sqrt(np.asarray(b, float) ** 2 + d2)


def _pair_susceptibility_density(a, b, J=0.0, theta=0.0, T=0.0):
    """Unchecked kernel of :func:`pair_susceptibility_density` (the engine's hot path)."""
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    case, jz, jx = _field_case(J, theta)
    if case == "zero":
        return _slope_over(np.abs(a), T) + _slope_over(np.abs(b), T)
    if case == "z":  # pairs (a + Jz, Jz - a) and (b - Jz, -b - Jz)
        return _slope_divided(a + jz, jz - a, T) + _slope_divided(b - jz, -b - jz, T)
    if case == "x":  # hole energies are minus the particle ones: pairs (e+, -e-) twice, (e+, -e+), (e-, -e-)
        m = 0.5 * (a + b)
        d = 0.5 * (a - b)
        d2, j2 = d * d, jx * jx
        rho = np.sqrt(d2 + j2)
        c2 = d2 / (d2 + j2)  # cos^2 of the angle difference: (1 + (d^2 - Jx^2)/(d^2 + Jx^2))/2
        ep, em_ = m + rho, m - rho
        return ((1.0 - c2) * 2.0 * _slope_divided(ep, -em_, T)
                + c2 * (_slope_over(np.abs(ep), T) + _slope_over(np.abs(em_), T)))
    return _general_pair_susceptibility(a, b, jz, jx, T)


def _general_pair_susceptibility(a, b, jz, jx, T):
    """chi_pair for field components ``jz``, ``jx`` that may be arrays (one per node)."""
    m, rp, rh, dp, dh = _normal_energies(a, b, jz, jx)
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = rp * rh
        cos2 = np.where(denom > 0, (dp * dh - jx * jx) / np.where(denom > 0, denom, 1.0), 1.0)
    c2 = 0.5 * (1.0 + cos2)  # cos^2 of the angle difference
    s2 = 1.0 - c2
    ep, em_ = m + rp, m - rp
    hp, hm = -m + rh, -m - rh
    if T == 0.0:
        return (s2 * (_slope_divided(ep, hp, T) + _slope_divided(em_, hm, T))
                + c2 * (_slope_divided(ep, hm, T) + _slope_divided(em_, hp, T)))
    # (tanh x - tanh y)/(x - y) = tanh(x - y)(1 - tanh x tanh y)/(x - y): four tanh of the energies, once
    s = 0.5 / T
    t_ep, t_em, t_hp, t_hm = (_tanh(x * s) for x in (ep, em_, hp, hm))

    def div(x, tx, y, ty):
        d = (x - y) * s
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(np.abs(d) > 1e-4, _tanh(d) / np.where(d == 0, 1.0, d), 1.0 - d * d / 3.0)
        return (1.0 - tx * ty) * ratio

    return (s2 * (div(ep, t_ep, hp, t_hp) + div(em_, t_em, hm, t_hm))
            + c2 * (div(ep, t_ep, hm, t_hm) + div(em_, t_em, hp, t_hp))) * (s * 0.25)


def _spin_susceptibility_density(a, b, delta, T=0.0, direction="in-plane"):
    """Unchecked kernel of :func:`spin_susceptibility_density` (the engine's hot path)."""
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
        # |ab + delta^2| <= Ea Eb exactly; clipped, so that rounding cannot make c+- (and chi) negative
        coh = np.clip(np.where(EaEb > 0, (a * b + d2) / np.where(EaEb > 0, EaEb, 1.0), 1.0), -1.0, 1.0)
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
                (_tanh(x) + _tanh(y)) / np.where(total > 0, total, 1.0),
                0.5 / T,
            )
    return c_plus * same + c_minus * opposite


def _sech2(x):
    ax = np.abs(x)
    e = np.exp(-2.0 * ax)
    return 4.0 * e / (1.0 + e) ** 2


# ----------------------------------------------------------------------------
# the public functions: checked inputs, a fixed floating-point error state
# ----------------------------------------------------------------------------
#: Largest magnitude of an energy, gap, field or temperature taken by this module, 10^6 meV, far above any
#: band and small enough that fourth powers stay finite in double precision.
MAX_ENERGY = 1e6


def _energies(a, b):
    a = check_array(a, "a", unit="meV", allow_empty=True, lower=-MAX_ENERGY, upper=MAX_ENERGY)
    b = check_array(b, "b", unit="meV", allow_empty=True, lower=-MAX_ENERGY, upper=MAX_ENERGY)
    try:
        np.broadcast(a, b)
    except ValueError:
        raise ValueError(f"a and b must broadcast together, got shapes {a.shape} and {b.shape}") from None
    return a, b


def _scalar(value, name, unit="meV", nonneg=True):
    if unit == "rad":
        return check_real(value, name, unit="rad")
    return check_real(value, name, unit=unit, nonneg=nonneg, lower=None if nonneg else -MAX_ENERGY,
                      upper=MAX_ENERGY)


@numerics
def thermal_potential(E, T):
    """The thermal potential ``phi(E) = (T/2) ln(2 cosh(E/2T))`` (meV); ``|E|/4`` at ``T = 0``.

    The free energy per momentum is ``(a + b)/2 - sum_n phi(E_n)`` over the four BdG energies.

    Parameters
    ----------
    E : array_like
        Quasiparticle energies (meV), ``|E| <= MAX_ENERGY``; any shape.
    T : float
        Temperature (meV), ``0 <= T <= MAX_ENERGY``.

    Returns
    -------
    ndarray or float
        ``phi(E)`` (meV), the shape of ``E`` (a float for a scalar ``E``).

    Raises
    ------
    TypeError
        Non-real ``E`` or ``T``.
    ValueError
        Non-finite or out-of-range values.

    Examples
    --------
    >>> float(thermal_potential(2.0, 0.0))
    0.5
    >>> bool(np.isclose(thermal_potential(0.0, 1.0), 0.5 * np.log(2.0)))
    True
    """
    E = check_array(E, "E", unit="meV", allow_empty=True, lower=-MAX_ENERGY, upper=MAX_ENERGY)
    out = _thermal_potential(E, _scalar(T, "T"))
    return float(out) if out.ndim == 0 else out


@numerics
def bdg_hamiltonian(a, b, delta, J=0.0, theta=0.0):
    """The 4x4 BdG matrix of equation (C1) at each momentum, shape ``(..., 4, 4)`` (meV).

    Used by the brute-force reference and the tests; the fast paths use the
    closed forms of :func:`quasiparticle_energies`.

    Parameters
    ----------
    a, b : array_like
        Band energies ``xi_up(k), xi_down(k)`` (meV), broadcast against each other.
    delta : float
        Pair potential (meV), ``>= 0``.
    J : float, optional
        Exchange field (meV); a negative ``J`` is the reversed field (``theta + pi``).
    theta : float, optional
        Polar angle of the field from ``z`` (rad).

    Returns
    -------
    ndarray
        Real symmetric matrices, shape ``broadcast(a, b).shape + (4, 4)`` (meV).

    Raises
    ------
    TypeError
        Non-real arguments.
    ValueError
        Negative, non-finite or out-of-range values, or ``a``, ``b`` that do not broadcast.

    Examples
    --------
    >>> H = bdg_hamiltonian(1.0, -0.5, 0.3, 0.2, 0.0)
    >>> H.shape, bool(np.allclose(H, H.T))
    ((4, 4), True)
    """
    a, b = _energies(a, b)
    return _bdg_hamiltonian(a, b, _scalar(delta, "delta"), _scalar(J, "J", nonneg=False), _scalar(theta, "theta", "rad"))


@numerics
def quasiparticle_energies(a, b, delta, J=0.0, theta=0.0):
    """The four BdG eigenvalues at each momentum, shape ``(..., 4)`` (meV).

    Closed forms: Zeeman-shifted BCS energies for an out-of-plane field, the
    biquadratic roots for an in-plane field, and Ferrari's solution of the
    quartic (with the largest root of the resolvent cubic, which is well
    conditioned) for an oblique field.  The order of the returned energies is
    not specified.

    Parameters
    ----------
    a, b : array_like
        Band energies ``xi_up(k), xi_down(k)`` (meV), broadcast against each other.
    delta : float
        Pair potential (meV), ``>= 0``.
    J : float, optional
        Exchange field (meV); a negative ``J`` is the reversed field (``theta + pi``).
    theta : float, optional
        Polar angle of the field from ``z`` (rad).

    Returns
    -------
    ndarray
        Shape ``broadcast(a, b).shape + (4,)`` (meV).

    Raises
    ------
    TypeError
        Non-real arguments.
    ValueError
        Negative, non-finite or out-of-range values, or ``a``, ``b`` that do not broadcast.

    Examples
    --------
    >>> E = np.sort(quasiparticle_energies(1.0, 1.0, 0.0, 0.5, 0.0))
    >>> E.tolist()
    [-1.5, -0.5, 0.5, 1.5]
    >>> H = bdg_hamiltonian(0.3, -0.2, 0.4, 0.25, 0.7)                 # an oblique field: Ferrari's roots
    >>> bool(np.allclose(np.sort(quasiparticle_energies(0.3, -0.2, 0.4, 0.25, 0.7)), np.linalg.eigvalsh(H)))
    True
    """
    a, b = _energies(a, b)
    return _quasiparticle_energies(a, b, _scalar(delta, "delta"), _scalar(J, "J", nonneg=False),
                                   _scalar(theta, "theta", "rad"))


@numerics
def free_energy_density(a, b, delta, J=0.0, theta=0.0, T=0.0):
    """Free energy per momentum ``F(k)`` of the paper's equation (6), with the constants kept (meV).

    ``F = (a + b)/2 - sum_n phi(E_n)`` over the four BdG eigenvalues; in the
    normal state at ``J = 0`` this is the grand potential
    ``-T ln(1 + e^{-a/T}) - T ln(1 + e^{-b/T})`` of the two spin states.  The
    free energy per site is ``delta^2/g`` plus the Brillouin-zone average of F.
    The result is even in ``J`` and symmetric under ``a <-> b``.

    Parameters
    ----------
    a, b : array_like
        Band energies ``xi_up(k), xi_down(k)`` (meV), broadcast against each other.
    delta : float
        Pair potential (meV), ``>= 0``.
    J : float, optional
        Exchange field (meV); a negative ``J`` is the reversed field (``theta + pi``).
    theta : float, optional
        Polar angle of the field from ``z`` (rad).
    T : float, optional
        Temperature (meV), ``>= 0``.

    Returns
    -------
    ndarray
        ``F`` (meV), the broadcast shape of ``a`` and ``b``.

    Raises
    ------
    TypeError
        Non-real arguments.
    ValueError
        Negative, non-finite or out-of-range values, or ``a``, ``b`` that do not broadcast.

    Examples
    --------
    >>> F = free_energy_density(np.array([2.0]), np.array([-1.0]), 0.0, 0.0, 0.0, 0.0)
    >>> F.tolist()  # the occupied state at -1 meV
    [-1.0]
    """
    return free_energy_and_gap_density(a, b, delta, J, theta, T, gap=False)


@numerics
def free_energy_and_gap_density(a, b, delta, J=0.0, theta=0.0, T=0.0, gap=True):
    """Free energy per momentum ``F`` (meV) and the gap-function density ``G = dF/d(delta^2)`` (1/meV).

    ``f(delta) = delta^2 / g + <F>`` per site, so the gap equation is
    ``1/g + <G> = 0``.  ``G`` is computed from the roots: for the quartic,
    ``dE_n/d delta = 2 delta (2 E_n^2 - s) / P'(E_n)`` with
    ``s = a^2 + b^2 + 2 delta^2 - 2 J^2`` and ``P'(E_n) = prod_{m != n}(E_n - E_m)``
    (bounded by 1 in magnitude, which guards near-degenerate roots); closed
    forms for zero, out-of-plane and in-plane fields.  At ``delta = 0``,
    ``G = -chi_pair`` (:func:`pair_susceptibility_density`).

    Parameters
    ----------
    a, b : array_like
        Band energies ``xi_up, xi_down`` (meV), broadcast against each other.
    delta, J, T : float
        Gap and temperature (meV), ``>= 0``, and exchange field (meV, signed: ``-J`` is the reversed field).
    theta : float
        Polar angle of the field (rad).
    gap : bool
        Also return ``G``; if False only ``F`` is returned.

    Returns
    -------
    F : ndarray
        Free energy per momentum (meV).
    G : ndarray
        ``dF/d(delta^2)`` (1/meV), only if ``gap``.

    Raises
    ------
    TypeError
        Non-real arguments, or a ``gap`` that is not a boolean.
    ValueError
        Negative, non-finite or out-of-range values, or ``a``, ``b`` that do not broadcast.

    Examples
    --------
    >>> a, b = np.array([0.3]), np.array([-0.2])
    >>> F, G = free_energy_and_gap_density(a, b, 0.5, 0.2, 0.7, 0.1)
    >>> h = 1e-5
    >>> Fp = free_energy_density(a, b, np.sqrt(0.25 + h), 0.2, 0.7, 0.1)
    >>> Fm = free_energy_density(a, b, np.sqrt(0.25 - h), 0.2, 0.7, 0.1)
    >>> bool(np.allclose(G, (Fp - Fm) / (2 * h), rtol=1e-6))
    True
    """
    a, b = _energies(a, b)
    return _free_energy_and_gap_density(a, b, _scalar(delta, "delta"), _scalar(J, "J", nonneg=False),
                                        _scalar(theta, "theta", "rad"), _scalar(T, "T"), check_flag(gap, "gap"))


@numerics
def pair_kernel(a, b, delta0):
    """Zero-temperature pairing kernel ``1/(4 Ea0) + 1/(4 Eb0)`` (1/meV), ``Ea0 = sqrt(a^2 + delta0^2)``.

    The Brillouin-zone average of this kernel at the zero-field, zero-temperature gap
    ``delta0`` is the inverse coupling ``1/g`` (per site): it is the gap
    equation (B1)/(B3) at ``T = 0``, ``J = 0``.

    Parameters
    ----------
    a, b : array_like
        Band energies ``xi_up(k), xi_down(k)`` (meV), broadcast against each other.
    delta0 : float
        Zero-temperature gap (meV), ``> 0``.

    Returns
    -------
    ndarray or float
        The kernel (1/meV), the broadcast shape of ``a`` and ``b``.

    Raises
    ------
    TypeError
        Non-real arguments.
    ValueError
        ``delta0 <= 0``, non-finite or out-of-range values.

    Examples
    --------
    >>> float(pair_kernel(0.0, 0.0, 0.5))
    1.0
    """
    a, b = _energies(a, b)
    delta0 = check_real(delta0, "delta0", unit="meV", positive=True, upper=MAX_ENERGY)
    out = _pair_kernel(a, b, delta0)
    return float(out) if np.ndim(out) == 0 else out


@numerics
def pair_susceptibility_density(a, b, J=0.0, theta=0.0, T=0.0):
    """Cooper-pair susceptibility per momentum, ``chi_pair = -dF/d(delta^2)`` at ``delta = 0`` (1/meV).

    Second-order perturbation theory in ``delta`` on the normal-state
    eigenstates: the particle block ``[[a + Jz, Jx], [Jx, b - Jz]]`` (energies
    ``e_i``) and the hole block (energies ``h_j``) are coupled by the pairing
    matrix, with weights ``|V_ij|^2`` (``cos^2`` or ``sin^2`` of the difference of
    their rotation angles), so that
    ``chi_pair = sum_ij |V_ij|^2 (phi'(e_i) - phi'(h_j)) / (e_i - h_j)``.

    At ``J = 0`` this is ``tanh(a/2T)/(4a) + tanh(b/2T)/(4b)``.  The pair
    curvature of the free energy per site is ``alpha = 1/g - <chi_pair>``.

    Parameters
    ----------
    a, b : array_like
        Band energies ``xi_up(k), xi_down(k)`` (meV), broadcast against each other.
    J : float, optional
        Exchange field (meV); a negative ``J`` is the reversed field (``theta + pi``).
    theta : float, optional
        Polar angle of the field from ``z`` (rad).
    T : float, optional
        Temperature (meV), ``>= 0``.  At ``T = J = 0`` a state exactly at the Fermi level
        (``a = 0``) has a divergent pair susceptibility: ValueError.

    Returns
    -------
    ndarray
        ``chi_pair`` (1/meV), the broadcast shape of ``a`` and ``b``.

    Raises
    ------
    TypeError
        Non-real arguments.
    ValueError
        Negative, non-finite or out-of-range values, or a divergent ``chi_pair``.

    Examples
    --------
    >>> a = np.array([0.7]); T = 0.2
    >>> bool(np.isclose(pair_susceptibility_density(a, a, 0.0, 0.0, T), np.tanh(0.7 / 0.4) / (2 * 0.7)))
    True
    """
    a, b = _energies(a, b)
    out = _pair_susceptibility_density(a, b, _scalar(J, "J", nonneg=False), _scalar(theta, "theta", "rad"), _scalar(T, "T"))
    return _finite_density(out, "chi_pair")


@numerics
def spin_susceptibility_density(a, b, delta, T=0.0, direction="in-plane"):
    """Spin susceptibility per momentum, ``-d^2 F / dJ^2`` at ``J = 0`` (1/meV).

    Second-order perturbation theory in the exchange field (equation C6) with the
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

    Parameters
    ----------
    a, b : array_like
        Band energies ``xi_up(k), xi_down(k)`` (meV), broadcast against each other.
    delta : float
        Gap (meV), ``>= 0``.
    T : float, optional
        Temperature (meV), ``>= 0``.
    direction : {"in-plane", "out-of-plane"}, optional
        Direction of the field.

    Returns
    -------
    ndarray
        The susceptibility density (1/meV), the broadcast shape of ``a`` and ``b``.

    Raises
    ------
    TypeError
        Non-real arguments or a non-string ``direction``.
    ValueError
        Negative, non-finite or out-of-range values, an unknown ``direction``, or a divergent
        density (the in-plane response of a state at the Fermi level at ``T = delta = 0``).

    Examples
    --------
    >>> float(spin_susceptibility_density(np.array([1.0]), np.array([1.0]), 0.5, 0.0, "out-of-plane")[0])
    0.0
    >>> round(float(spin_susceptibility_density(1.0, 1.0, 0.0, 0.01, "out-of-plane")), 12)   # normal: no response away from the Fermi level
    0.0
    """
    a, b = _energies(a, b)
    direction = check_choice(direction, "direction", ("in-plane", "out-of-plane"))
    out = _spin_susceptibility_density(a, b, _scalar(delta, "delta"), _scalar(T, "T"), direction)
    return _finite_density(out, "the spin susceptibility density")


def _finite_density(out, what):
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{what} diverges for a state at the Fermi level at this temperature and gap "
                         "(T = 0, no gap): it is a delta function, not a density")
    return out
