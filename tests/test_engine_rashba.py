"""Rashba spin-orbit coupling in the band model and the engine's general path (issue 10, section 3).

The model: ``g_R(k) . sigma`` with ``g_R = (2 alpha_R/3) sum_j sin(k.a_j) (z x a_j)``; time reversal
``H(-k) = sigma_y H*(k) sigma_y`` and C3 hold, ``g_R ~ alpha_R (z x k)`` near Gamma.  The engine:
per momentum a spin rotation takes G = (g_x, g_y, D) to z, so the BdG problem is the Ising one
on the helical bands with the field resolved along and across G, summed over the symmetry images
of each wedge node.  Checks: alpha_R = 0 is today's model, a vanishing alpha_R is continuous
with it, brute-force diagonalisation of the full complex 4x4 BdG matrix on a uniform grid, the
analytic susceptibility against the curvature of f in a small field, and the strong-SOC limit
chi_ii(0)/chi_P = 1 - <g_i^2/|g|^2>_FS of Frigeri, Agterberg and Sigrist (2004).
"""
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import isingsc
from isingsc import bdg
from isingsc._landscape import RashbaLandscape
from isingsc.model import high_symmetry_points, reciprocal_vectors

D0 = isingsc.DELTA0_PAPER
RNG = np.random.default_rng(5)
K_RANDOM = RNG.uniform(-5.0, 5.0, size=(2, 1500))
SY = np.array([[0, -1j], [1j, 0]])


@pytest.fixture(scope="module")
def model():
    return isingsc.NbSe2().with_alpha_R(15.0)


# ------------------------------------------------------------------ the model
def test_time_reversal_and_c3(model):
    H = model.bloch_hamiltonian(*K_RANDOM)
    assert_allclose(model.bloch_hamiltonian(*(-K_RANDOM)), SY @ H.conj() @ SY, atol=1e-10)
    a = 2 * np.pi / 3
    R = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    U = np.diag([np.exp(-0.5j * a), np.exp(0.5j * a)])  # spin rotation about z by 120 degrees
    assert_allclose(model.bloch_hamiltonian(*(R @ K_RANDOM)), U @ H @ U.conj().T, atol=1e-10)


def test_rashba_vector_normalisation_and_zeros(model):
    k = 1e-4
    for kx, ky in ((k, 0.0), (0.0, k), (0.6 * k, -0.8 * k)):
        gx, gy = model.rashba_vector(kx, ky)
        assert_allclose([gx, gy], [-15.0 * ky, 15.0 * kx], atol=1e-9)  # alpha_R (z x k)
    hs = high_symmetry_points()
    for p in ("K", "M"):
        assert_allclose(model.rashba_vector(*hs[p]), 0.0, atol=1e-12)


def test_bands_are_the_eigenvalues_and_reduce_to_the_dispersion(model):
    w = np.linalg.eigvalsh(model.bloch_hamiltonian(*K_RANDOM))
    up, dn = model.bands(*K_RANDOM)
    assert_allclose(up, w[:, 1], atol=1e-10)
    assert_allclose(dn, w[:, 0], atol=1e-10)
    plain = isingsc.NbSe2()
    assert plain.alpha_R == 0.0 and plain == isingsc.NbSe2(alpha_R=0.0)
    assert_allclose(plain.bands(*K_RANDOM), plain.dispersion(*K_RANDOM), rtol=0, atol=0)


# ------------------------------------------------------------------ the engine: limits
def test_alpha_r_zero_is_todays_engine_and_a_tiny_alpha_r_is_continuous():
    m = isingsc.NbSe2().with_lambda_soc(60 * D0)
    s0 = isingsc.IsingSuperconductor(m, D0)
    assert isingsc.IsingSuperconductor(m.with_alpha_R(0.0), D0) == s0  # the same object, the same numbers
    s1 = isingsc.IsingSuperconductor(m.with_alpha_R(1e-9), D0)  # the general path
    T, J = 0.5 * s0.tc0, 0.3 * D0
    assert_allclose(s1.tc0, s0.tc0, rtol=1e-9)
    for theta in (0.0, math.pi / 4, math.pi / 2):
        assert_allclose(s1.free_energy(T, J, theta), s0.free_energy(T, J, theta), rtol=1e-6)
        assert_allclose(s1.spin_susceptibility(T, theta), s0.spin_susceptibility(T, theta), rtol=1e-7)


def test_strong_rashba_limit_of_frigeri_agterberg_sigrist():
    """Pure Rashba (Ising phase 0), alpha_R = 50 meV >> Delta0: chi_zz(0) = chi_P, chi_xx(0) = chi_P/2.

    At T = 0 only the part of the field across G responds (the helicity-mixing Van Vleck term, which
    pairing leaves at its normal value for alpha_R >> Delta0); G is in plane, so <g_z^2/g^2> = 0 and
    <g_x^2/g^2> = 1/2.  Corrections are of order Delta0/alpha_R and from the band's curvature (~1e-2).
    """
    s = isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(0.0).with_alpha_R(50.0), D0)
    chi_p = s.pauli_susceptibility
    chi_zz, chi_xx = s.spin_susceptibility(0.0, 0.0), s.spin_susceptibility(0.0, math.pi / 2)
    assert_allclose(chi_zz / chi_p, 1.0, atol=1.5e-2)
    assert_allclose(chi_xx / chi_zz, 0.5, rtol=1e-3)
    # C3: the in-plane response does not depend on the azimuth
    for phi in (0.4, 1.3):
        assert_allclose(s.spin_susceptibility(0.0, math.pi / 2, phi), chi_xx, rtol=1e-9)
    # Ising only (for comparison): chi_zz(0) = 0, chi_xx(0) ~ chi_P
    ising = isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(100 * D0), D0)
    assert ising.spin_susceptibility(0.0, 0.0) == 0.0


# ------------------------------------------------------------------ brute force
def _uniform_grid(model, nk):
    """The field-independent part of the brute force on the uniform nk x nk grid: h(k), h(-k) and the bands
    (computed once, fixture ``grid``, for the zero-field and the field calls of :func:`_brute_f`)."""
    b1, b2 = reciprocal_vectors()
    u = np.arange(nk) / nk
    U, V = np.meshgrid(u, u, indexing="ij")
    kx, ky = (U * b1[0] + V * b2[0]).ravel(), (U * b1[1] + V * b2[1]).ravel()
    h, hm = model.bloch_hamiltonian(kx, ky), model.bloch_hamiltonian(-kx, -ky)
    ep, em = model.bands(kx, ky)
    return h, hm, ep, em


def _brute_f(grid, d, T, J, theta, phi, delta0):
    """f_sn per site from the full complex 4x4 BdG matrix [[h(k) + J.s, d i s_y], [h.c., -(h(-k) + J.s)*]]
    on ``grid = _uniform_grid(model, nk)``."""
    h, hm, ep, em = grid
    Jv = J * np.array([math.sin(theta) * math.cos(phi), math.sin(theta) * math.sin(phi), math.cos(theta)])
    Z = Jv[0] * np.array([[0, 1], [1, 0]]) + Jv[1] * SY + Jv[2] * np.diag([1, -1])
    H = np.zeros((ep.size, 4, 4), complex)
    H[:, :2, :2] = h + Z
    H[:, 2:, 2:] = -(hm + Z).conj()
    H[:, :2, 2:] = d * 1j * SY
    H[:, 2:, :2] = (d * 1j * SY).conj().T
    Fs = 0.5 * (ep + em) - bdg.thermal_potential(np.linalg.eigvalsh(H), T).sum(-1)
    return np.mean(d * d * bdg.pair_kernel(ep, em, delta0) + Fs - bdg.free_energy_density(ep, em, 0, 0, 0, T))


@pytest.fixture(scope="module")
def big():
    return isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(30.0).with_alpha_R(20.0), 5.0)


@pytest.fixture(scope="module")
def grid(big):
    return _uniform_grid(big.model, 720)


@pytest.fixture(scope="module")
def brute_zero_field(big, grid):
    return _brute_f(grid, 4.0, 0.3 * big.tc0, 0.0, 0.0, 0.0, 5.0)


@pytest.mark.parametrize("theta,phi", [(0.7, 0.4)])
def test_general_path_against_brute_force_diagonalisation(big, grid, brute_zero_field, theta, phi):
    """At a large gap (5 meV) a uniform 720 x 720 grid converges to ~6e-4 (it oscillates with nk); the
    field-dependent part of f, where the general path differs from the Ising one, to 1e-4."""
    T, J, d = 0.3 * big.tc0, 2.0, 4.0
    engine = big.free_energy_landscape(d, T, J, theta, phi)
    brute = _brute_f(grid, d, T, J, theta, phi, 5.0)
    assert_allclose(engine, brute, rtol=1e-3)
    field_part = engine - big.free_energy_landscape(d, T, 0.0)
    assert_allclose(field_part, brute - brute_zero_field, rtol=1e-4)


def test_susceptibility_is_the_curvature_of_f_in_a_small_field():
    s = isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(20 * D0).with_alpha_R(10 * D0), D0)
    T = 0.5 * s.tc0
    d = s.gap(T)
    h = 0.02 * D0
    q = s.quadrature(T, 0.0, math.pi / 2)
    for theta, phi in ((0.0, 0.0), (math.pi / 2, 0.0), (0.8, 0.5)):
        f = [RashbaLandscape(q, s._cosines(q, theta, phi), D0, T, J)(d)[1] for J in (0.0, h, 2 * h)]
        c1, c2 = -2 * (f[1] - f[0]) / h ** 2, -2 * (f[2] - f[0]) / (2 * h) ** 2
        assert_allclose(s.spin_susceptibility(T, theta, phi), (4 * c1 - c2) / 3, rtol=1e-6)


def test_the_api_works_for_rashba_models():
    s = isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(20 * D0).with_alpha_R(10 * D0), D0)
    hp = D0 / math.sqrt(2)
    assert 0 < s.gap(0.5 * s.tc0, 0.3 * D0, math.pi / 4, 0.3) < D0
    assert s.free_energy(0.5 * s.tc0, 0.3 * D0, math.pi / 4, 0.3) < 0
    tc_in, tc_out = s.critical_temperature(2 * hp, math.pi / 2), s.critical_temperature(0.5 * hp, 0.0)
    assert 0 < tc_in < s.tc0 and 0 < tc_out < s.tc0
    # Rashba spoils the Ising protection: a weaker in-plane field-resistance than without it
    ising = isingsc.IsingSuperconductor(s.model.with_alpha_R(0.0), D0)
    assert tc_in < ising.critical_temperature(2 * hp, math.pi / 2)
