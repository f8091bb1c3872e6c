"""The engine's fast paths against independent methods.

* the Fourier band evaluator against ``model.dispersion`` (values and gradients);
* the free-energy and gap-function densities against 4x4 diagonalisation and
  finite differences, the pair susceptibility against a Richardson second difference;
* the prepared landscape (:mod:`isingsc._landscape`) against the reference densities;
* self-consistent gaps against a dense scan of the free-energy landscape (global
  minimum, first-order transitions);
* the default resolution against a refined one (the accuracy stays tiny).
"""
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import isingsc
from isingsc import bdg
from isingsc._bands import BandEvaluator, GenericBandEvaluator, band_evaluator
from isingsc._landscape import Landscape

D0 = isingsc.DELTA0_PAPER
HP = D0 / math.sqrt(2)
RNG = np.random.default_rng(11)
A = RNG.normal(scale=3.0, size=3000)
B = RNG.normal(scale=3.0, size=3000)
B[:300] = A[:300]  # Delta_soc = 0 (Gamma-M lines)
B[300:600] = -A[300:600]  # |xi_up| = |xi_down|


# ------------------------------------------------------------------ bands
@pytest.mark.parametrize("model", [
    isingsc.NbSe2(),
    isingsc.TriangularTMD(epsilon=12.0, t=(26.3, 99.1, -1.4, -11.2, -14.6, 2.5), phi=(0.6, 0.2, -0.3, 0.1, 0.4, -0.2)),
])
def test_band_evaluator_matches_dispersion(model):
    k = RNG.uniform(-5.0, 5.0, size=(2, 5000))
    ev = band_evaluator(model)
    assert isinstance(ev, BandEvaluator)
    up, dn, gu, gd = ev.bands_and_gradients(*k)
    ref_up, ref_dn = model.dispersion(*k)
    assert_allclose(up, ref_up, atol=1e-10)
    assert_allclose(dn, ref_dn, atol=1e-10)
    h = 1e-6
    for axis in (0, 1):
        dk = np.zeros((2, 1))
        dk[axis] = h
        fd_up = (model.dispersion(*(k + dk))[0] - model.dispersion(*(k - dk))[0]) / (2 * h)
        fd_dn = (model.dispersion(*(k + dk))[1] - model.dispersion(*(k - dk))[1]) / (2 * h)
        assert_allclose(gu[axis], fd_up, atol=2e-5)
        assert_allclose(gd[axis], fd_dn, atol=2e-5)


def test_models_with_their_own_dispersion_are_evaluated_through_it():
    class Shifted(isingsc.TriangularTMD):
        def dispersion(self, kx, ky):
            up, dn = super().dispersion(kx, ky)
            return up + 1.0, dn + 1.0

    m = Shifted(epsilon=-44.5, t=isingsc.NbSe2().t, phi=isingsc.NbSe2().phi)
    ev = band_evaluator(m)
    assert isinstance(ev, GenericBandEvaluator)
    assert_allclose(ev.bands(np.array([0.3]), np.array([0.2]))[0], m.dispersion(0.3, 0.2)[0], rtol=1e-14)


# ------------------------------------------------------------------ densities
CASES = [(theta, delta, J) for theta in (0.0, 0.4, np.pi / 2, 2.0)
         for delta, J in ((1.0, 0.4), (0.5, 1.7), (0.8, 0.0), (0.05, 0.3))]


@pytest.mark.parametrize("theta,delta,J", CASES)
@pytest.mark.parametrize("T", [0.0, 0.2])
def test_free_energy_and_gap_density_against_diagonalisation(theta, delta, J, T):
    F, G = bdg.free_energy_and_gap_density(A, B, delta, J, theta, T)
    E = np.linalg.eigvalsh(bdg.bdg_hamiltonian(A, B, delta, J, theta))
    assert_allclose(F, 0.5 * (A + B) - bdg.thermal_potential(E, T).sum(-1), atol=1e-12)
    h = 1e-6  # G = dF/d(delta^2)
    Fp = bdg.free_energy_density(A, B, math.sqrt(delta ** 2 + h), J, theta, T)
    Fm = bdg.free_energy_density(A, B, math.sqrt(delta ** 2 - h), J, theta, T)
    assert_allclose(G, (Fp - Fm) / (2 * h), atol=2e-7)


@pytest.mark.parametrize("theta", [0.0, 0.4, np.pi / 2])
@pytest.mark.parametrize("J", [0.0, 0.3, 1.2])
@pytest.mark.parametrize("T", [0.1, 0.5])
def test_pair_susceptibility_is_the_curvature_at_zero_gap(theta, J, T):
    h = 2e-3
    F = lambda d: 0.5 * (A + B) - bdg.thermal_potential(  # noqa: E731
        np.linalg.eigvalsh(bdg.bdg_hamiltonian(A, B, d, J, theta)), T).sum(-1)
    f0 = F(0.0)
    c1 = -(F(h) - f0) / h ** 2
    c2 = -(F(2 * h) - f0) / (2 * h) ** 2
    assert_allclose(bdg.pair_susceptibility_density(A, B, J, theta, T), (4 * c1 - c2) / 3, atol=2e-7)


# ------------------------------------------------------------------ prepared landscape
@pytest.fixture(scope="module")
def sc():
    return isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(60 * D0), D0)


@pytest.mark.parametrize("T,J,theta", [(0.13, 0.0, 0.0), (0.13, 0.14, 0.0), (0.13, 0.14, np.pi / 2),
                                       (0.13, 0.14, np.pi / 4), (0.0, 0.6, 0.3), (0.0, 0.6, np.pi / 2)])
def test_landscape_matches_the_reference_densities(sc, T, J, theta):
    q = sc.quadrature(T, J, theta)
    land = Landscape(q, D0, T, J, theta)
    assert_allclose(land.kernel, q.integrate(bdg.pair_kernel, D0), rtol=1e-13)
    for d in (0.05, 0.3, 0.46):
        g, f = land(d)

        def ref(a, b):
            K = bdg.pair_kernel(a, b, D0)
            F, G = bdg.free_energy_and_gap_density(a, b, d, J, theta, T)
            return d * d * K + F - bdg.free_energy_density(a, b, 0.0, 0.0, 0.0, T), K + G

        f_ref, g_ref = q.integrate(ref)
        # f is a ~1e-6 remainder of band energies of ~100 meV: agreement to rounding of those
        assert_allclose(f, f_ref, rtol=1e-9, atol=1e-14)
        assert_allclose(g, g_ref, rtol=1e-9, atol=1e-12 * land.kernel)
    assert_allclose(land(0.0)[1], land.normal(), rtol=1e-15)


# ------------------------------------------------------------------ global minimum
@pytest.mark.parametrize("lam,t,j,theta", [
    (150, 0.1, 0.95, 0.0),     # just below the first-order Pauli transition, out of plane
    (150, 0.1, 1.05, 0.0),     # just above it: normal
    (150, 0.5, 0.9, np.pi / 4),
    (150, 0.0, 5.0, np.pi / 2),  # Ising protection far beyond H_P, gapless at T = 0
    (20, 0.3, 1.5, 1.2),
    (3, 0.0, 3.0, np.pi / 2),  # weak spin-orbit coupling: a tiny gapless gap survives
])
def test_gap_is_the_global_minimum_of_a_dense_scan(lam, t, j, theta):
    s = isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(lam * D0), D0)
    T, J = t * s.tc0, j * HP
    gap, f = s.gap(T, J, theta), s.free_energy(T, J, theta)
    trial = np.concatenate([np.linspace(0.0, 1.3 * D0, 131), [gap]])
    scan = s.free_energy_landscape(trial, T, J, theta)
    assert f <= scan.min() + 1e-9 * abs(f)
    assert_allclose(f, scan[-1], rtol=1e-9, atol=1e-16)
    if gap > 0:  # and it solves the gap equation on the quadrature it was refined on
        land = s._landscape(T, J, theta, gap if s._needs_adapted(gap, T, J) else None)
        assert abs(land(gap)[0]) < 1e-8 * land.kernel


def test_first_order_transition_out_of_plane_at_low_temperature():
    """At T = 0.1 Tc0 the out-of-plane transition is first order: the gap jumps from ~Delta0 to 0."""
    s = isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(150 * D0), D0)
    T = 0.1 * s.tc0
    gaps = np.array([s.gap(T, j * HP, 0.0) for j in np.linspace(0.9, 1.1, 9)])
    jump = np.flatnonzero(np.diff(gaps > 0))
    assert jump.size == 1 and gaps[jump[0]] > 0.95 * D0 and gaps[jump[0] + 1] == 0.0


# ------------------------------------------------------------------ accuracy of the default resolution
def test_default_resolution_is_converged_to_1e_minus_6():
    s = isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(60 * D0), D0)
    fine = s.with_resolution(isingsc.Resolution().refined(2))
    assert_allclose(s.tc0, fine.tc0, rtol=1e-6)
    assert_allclose(s.spin_susceptibility(0.0), fine.spin_susceptibility(0.0), rtol=1e-7)
    T, J, theta = 0.5 * fine.tc0, 0.3 * D0, np.pi / 4
    assert_allclose(s.free_energy(T, J, theta), fine.free_energy(T, J, theta), rtol=1e-6)
    assert_allclose(s.gap(T, J, theta), fine.gap(T, J, theta), rtol=1e-6)
    # T = 0, weak spin-orbit coupling, in-plane field: the normal-state Fermi surfaces in the field are
    # curves xi_up xi_down = J^2, not band levels; the quadrature follows them
    w = isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(3 * D0), D0)
    wf = w.with_resolution(isingsc.Resolution().refined(2))
    for d in (0.0, 0.015):
        assert_allclose(w.free_energy_landscape(d, 0.0, 3 * HP, np.pi / 2),
                        wf.free_energy_landscape(d, 0.0, 3 * HP, np.pi / 2), rtol=1e-8)


def test_gap_equation_alone_is_the_landscapes_g_bit_for_bit():
    """The solvers' g-only evaluation (no free-energy density) returns exactly the g of the full one."""
    import math

    import isingsc
    from isingsc._landscape import Landscape
    from isingsc.superconductor import _gap_equation

    sc = isingsc.ising_superconductor(150.0)
    hp = sc.delta0 / math.sqrt(2)
    for T in (0.0, 0.4 * sc.tc0):
        for J, theta in ((0.0, 0.0), (0.7 * hp, 0.0), (0.7 * hp, math.pi / 2), (0.7 * hp, 0.6)):
            land = Landscape(sc.quadrature(T, J, theta), sc.delta0, T, J, theta)
            assert land.case == ("zero" if J == 0 else {0.0: "z", math.pi / 2: "x"}.get(theta, "general"))
            for d in (0.0, 0.05 * sc.delta0, 0.9 * sc.delta0, 1.3 * sc.delta0):
                assert land.gap_equation(d) == land(d)[0]
    mixed = sc._landscape(0.3 * sc.tc0, 1e-6 * sc.delta0, 0.6)       # weak oblique field: z and x mixed
    assert type(mixed).__name__ == "_MixedLandscape"
    assert _gap_equation(mixed)(0.8 * sc.delta0) == mixed(0.8 * sc.delta0)[0]


@pytest.mark.parametrize("T", [1e-9, 1e-3, 0.1, 2.0])
def test_exponent_floor_changes_no_number(T):
    """exp(-|E|/T) floored at exp(-700) (NumPy's fast path) gives bit for bit the unfloored phi, phi', tanh."""
    from isingsc import _landscape, bdg

    rng = np.random.default_rng(5)
    E = np.concatenate([rng.uniform(-5000.0, 5000.0, 4000) * T, rng.uniform(-800.0, 800.0, 4000) * T,
                        np.array([0.0, 699.9, 700.0, 700.1, 745.2, 1e4]) * T])
    with np.errstate(under="ignore"):        # the kernels' own operations, without the floor
        x = np.exp(np.abs(E) * (-1.0 / T))                  # _landscape._phi_slope
        phi_ref = np.abs(E) * 0.25 + np.log1p(x) * (0.5 * T)
        slope_ref = np.copysign(0.5 / (x + 1.0) - 0.25, E)
        xb = np.exp(-np.abs(E) / T)                         # bdg
        phi_b = 0.25 * np.abs(E) + 0.5 * T * np.log1p(xb)
        e2 = np.exp(-2.0 * np.abs(E / T))
        tanh_ref = np.copysign((1.0 - e2) / (1.0 + e2), E / T)
    assert np.count_nonzero(np.abs(E) / T > 700.0) > 1000         # the floor is active on many nodes
    phi, slope, tmp = np.empty_like(E), np.empty_like(E), np.empty_like(E)
    _landscape._phi_slope(E, T, phi, slope, tmp, True)
    assert np.array_equal(phi, phi_ref) and np.array_equal(slope, slope_ref)
    _landscape._phi_slope(E, T, None, slope, tmp, True)
    assert np.array_equal(slope, slope_ref)
    assert np.array_equal(bdg._thermal_potential(E, T), phi_b)
    assert np.array_equal(bdg._tanh(E / T), tanh_ref)
    p2, s2 = bdg._phi_and_slope(E, T)
    assert np.array_equal(p2, phi_b)
    assert np.array_equal(s2, np.copysign(0.25 * (1.0 - xb) / (1.0 + xb), E))
