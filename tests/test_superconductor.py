"""Physics tests of the Ising superconductor engine (Sec. III, App. B-C).

Known limits (BCS ratio, Clogston-Chandrasekhar, Sarma/digamma pair breaking,
Yosida function, Ising pair breaking) and agreement between independent
methods (closed forms vs 4x4 diagonalisation, density-of-states integrals vs
the Fermi-surface quadrature, Fermi-surface quadrature vs brute-force uniform grid).
"""
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import integrate, optimize, special

import isingsc
from isingsc import bdg
from isingsc.quadrature import fermi_surface_quadrature, uniform_quadrature

from grid_states import distinct_states

D0 = isingsc.DELTA0_PAPER


@pytest.fixture(scope="module")
def sc():
    """The paper's setting: lambda_soc = 150 Delta0 through phi0."""
    return isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(150 * D0))


# ------------------------------------------------------------------ BdG algebra
RNG = np.random.default_rng(7)
A = RNG.normal(scale=3.0, size=4000)
B = RNG.normal(scale=3.0, size=4000)
B[:500] = A[:500]  # Delta_soc = 0 (Gamma-M lines)
B[500:1000] = -A[500:1000]  # |xi_up| = |xi_down|: degenerate BdG blocks


@pytest.mark.parametrize("theta", [0.0, 0.4, np.pi / 2, 2.0, np.pi])
@pytest.mark.parametrize("delta,J", [(1.0, 0.4), (0.5, 1.7), (0.0, 0.6), (0.8, 0.0)])
def test_closed_form_energies_match_diagonalisation(theta, delta, J):
    E = np.sort(bdg.quasiparticle_energies(A, B, delta, J, theta), axis=-1)
    E_exact = np.linalg.eigvalsh(bdg.bdg_hamiltonian(A, B, delta, J, theta))
    assert_allclose(E, E_exact, atol=1e-6)
    for T in (0.0, 0.2):
        F = bdg.free_energy_density(A, B, delta, J, theta, T)
        phi = 0.25 * np.abs(E_exact) + (0.5 * T * np.log1p(np.exp(-np.abs(E_exact) / T)) if T else 0.0)
        assert_allclose(F, 0.5 * (A + B) - phi.sum(-1), atol=1e-10)


def test_azimuthal_angle_does_not_enter():
    """Field (Jx, Jy) rotated about z: identical spectrum (S_z conservation + singlet pairing)."""
    delta, J, theta = 0.7, 0.9, 1.1
    for phi in (0.3, 1.2, 2.9):
        H = bdg.bdg_hamiltonian(A, B, delta, J, theta).astype(complex)
        jx, jy = J * np.sin(theta) * np.cos(phi), J * np.sin(theta) * np.sin(phi)
        # particle block sigma.J, hole block -(sigma.J)^*
        H[..., 0, 1], H[..., 1, 0] = jx - 1j * jy, jx + 1j * jy
        H[..., 2, 3], H[..., 3, 2] = -jx - 1j * jy, -jx + 1j * jy
        E = np.linalg.eigvalsh(H)
        assert_allclose(E, np.sort(bdg.quasiparticle_energies(A, B, delta, J, theta), -1), atol=1e-9)


@pytest.mark.parametrize("theta", [0.0, 0.7, np.pi / 2])
def test_free_energy_even_in_J_and_symmetric_in_spin_bands(theta):
    for T in (0.0, 0.3):
        F = bdg.free_energy_density(A, B, 0.6, 0.8, theta, T)
        assert_allclose(bdg.free_energy_density(A, B, 0.6, -0.8, theta, T), F, atol=1e-10)
        assert_allclose(bdg.free_energy_density(B, A, 0.6, 0.8, theta, T), F, atol=1e-10)
        assert_allclose(bdg.free_energy_density(A, B, 0.6, 0.8, np.pi - theta, T), F, atol=1e-10)


def test_perturbative_eigenvalues_c2_c3():
    """Eqs. (C2)-(C3): second-order in-plane shifts agree with exact roots to O(J^4)."""
    a, b, delta = 2.0, -1.0, 0.5
    Ea, Eb = np.hypot(a, delta), np.hypot(b, delta)
    for J in (1e-2, 2e-2):
        exact = np.sort(bdg.quasiparticle_energies(a, b, delta, J, np.pi / 2))
        ca = (a * b + a * a + 2 * delta ** 2) / ((a * a - b * b) * Ea) * J ** 2
        cb = (a * b + b * b + 2 * delta ** 2) / ((b * b - a * a) * Eb) * J ** 2
        approx = np.sort([Ea + ca, -Ea - ca, Eb + cb, -Eb - cb])
        assert np.max(np.abs(exact - approx)) < 50 * J ** 4


# Not (T, delta) = (0, 0): in the normal state at T = 0 the out-of-plane response is a Fermi-surface
# delta function, which no pointwise finite difference resolves.
@pytest.mark.parametrize(("T", "delta"), [(0.0, 0.6), (0.15, 0.0), (0.15, 0.6)])
def test_susceptibility_density_is_second_derivative(T, delta):
    mask = np.abs(np.abs(A) - np.abs(B)) > 0.05
    h = 1e-3
    for theta, direction in ((np.pi / 2, "in-plane"), (0.0, "out-of-plane")):
        fd = -(bdg.free_energy_density(A, B, delta, h, theta, T) - 2 * bdg.free_energy_density(A, B, delta, 0, theta, T)
               + bdg.free_energy_density(A, B, delta, -h, theta, T)) / h ** 2
        an = bdg.spin_susceptibility_density(A, B, delta, T, direction)
        assert_allclose(an[mask], fd[mask], atol=2e-5)


# ------------------------------------------------------------------ quadrature
def test_quadrature_weights_and_smooth_averages():
    model = isingsc.NbSe2()
    q = fermi_surface_quadrature(model, 0.5)
    u = uniform_quadrature(model, 400)
    assert_allclose(q.weights.sum(), 1.0, rtol=1e-13)
    for g in (lambda a, b: a + b, lambda a, b: np.cos(a / 40) * np.cos(b / 40), lambda a, b: a * b):
        # smooth periodic integrands: the uniform grid is spectrally accurate
        assert_allclose(q.average(g(q.xi_up, q.xi_down)), u.average(g(u.xi_up, u.xi_down)), rtol=1e-10, atol=1e-12)


def test_quadrature_counts_filled_states_exactly():
    """Fermi sea volume: steps at the Fermi surfaces are panel boundaries, so exact."""
    model = isingsc.NbSe2()
    q = fermi_surface_quadrature(model, 0.5)
    filled = q.average((q.xi_up < 0).astype(float) + (q.xi_down < 0))
    u = uniform_quadrature(model, 2000)
    assert_allclose(filled, u.average((u.xi_up < 0).astype(float) + (u.xi_down < 0)), atol=5e-5)


# ------------------------------------------------------------------ BCS limits
def test_bcs_ratio(sc):
    assert_allclose(sc.delta0 / sc.tc0, isingsc.BCS_RATIO, rtol=1e-3)


def test_gap_at_zero_temperature_is_delta0(sc):
    assert_allclose(sc.gap(0.0), sc.delta0, rtol=1e-9)
    assert_allclose(sc.free_energy(0.0), -0.5 * sc.density_of_states_fermi * sc.delta0 ** 2, rtol=1e-3)


def test_gap_vanishes_above_tc(sc):
    assert sc.gap(1.001 * sc.tc0) == 0.0
    assert sc.gap(0.999 * sc.tc0) > 0.0


def test_bcs_gap_temperature_dependence(sc):
    """Delta(T)/Delta0 against the universal weak-coupling BCS curve (constant DOS)."""

    def bcs_gap(t):  # t = T/Tc0, returns Delta/Delta0, constant DOS
        tc = 1.0 / isingsc.BCS_RATIO  # Tc in units of Delta0

        def eq(x):
            T = t * tc
            integrand = lambda xi: np.tanh(np.hypot(xi, x) / (2 * T)) / np.hypot(xi, x) - 1 / np.hypot(xi, 1.0)  # noqa
            L = 60.0  # beyond L, tanh = 1 to 1e-40; the rest of the integral is analytic
            tail = -np.log(x) - (np.arcsinh(L / x) - np.arcsinh(L))
            return integrate.quad(integrand, 0, L, limit=400)[0] + tail

        return optimize.brentq(eq, 1e-6, 1.0)

    for t in (0.3, 0.6, 0.9):
        assert_allclose(sc.gap(t * sc.tc0) / sc.delta0, bcs_gap(t), rtol=2e-3)


def test_out_of_plane_susceptibility_is_yosida(sc):
    for t in (0.2, 0.5, 0.8):
        T = t * sc.tc0
        d = sc.gap(T)
        yosida = integrate.quad(lambda xi: 1 / (2 * T) / np.cosh(np.hypot(xi, d) / (2 * T)) ** 2, 0, 60 * T)[0]
        assert_allclose(sc.spin_susceptibility(T, 0.0) / sc.pauli_susceptibility, yosida, rtol=2e-3)
    assert sc.spin_susceptibility(0.0, 0.0) == 0.0


# ------------------------------------------------------------------ Pauli limit
def test_out_of_plane_gap_unchanged_up_to_first_order_transition(sc):
    """T = 0, J < H_P out of plane: the BCS state is untouched (every E_n keeps its sign).

    The gap is Delta0 to rounding; the free energies at J and at 0 come from two quadratures
    (graded at different energy scales), each accurate to ~1e-7, hence rtol 1e-6 for f."""
    hp = sc.delta0 / math.sqrt(2)
    for j in (0.2, 0.5, 0.9, 0.98):
        assert_allclose(sc.gap(0.0, j * hp, 0.0), sc.delta0, rtol=1e-8)
        assert_allclose(sc.free_energy(0.0, j * hp, 0.0), sc.free_energy(0.0), rtol=1e-6)
        # on one quadrature the field does not change f at the BCS gap at all
        assert_allclose(sc.free_energy_landscape(sc.delta0, 0.0, j * hp, 0.0), sc.free_energy(0.0, j * hp, 0.0),
                        rtol=1e-12)
    assert sc.gap(0.0, 1.02 * hp, 0.0) == 0.0
    assert_allclose(sc.free_energy(0.0, 1.02 * hp, 0.0), -0.5 * sc.pauli_susceptibility * (1.02 * hp) ** 2, rtol=1e-3)


def test_clogston_chandrasekhar_field(sc):
    """First-order T = 0 transition where f_s(J=0) = f_P(J) = -chi_P J^2 / 2: the gap jumps to zero there."""
    lo, hi = 0.6 * sc.delta0, 0.8 * sc.delta0
    assert sc.gap(0.0, lo, 0.0) == sc.delta0 or abs(sc.gap(0.0, lo, 0.0) / sc.delta0 - 1) < 1e-8
    assert sc.gap(0.0, hi, 0.0) == 0.0
    while hi - lo > 1e-5 * sc.delta0:
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if sc.gap(0.0, mid, 0.0) > 0 else (lo, mid)
    assert_allclose(lo, sc.delta0 / math.sqrt(2), rtol=2e-3)
    # and there the normal-state energy crosses the condensation energy
    jc = optimize.brentq(lambda J: sc.free_energy_landscape(0.0, 0.0, J, 0.0) - sc.free_energy(0.0),
                         0.6 * sc.delta0, 0.8 * sc.delta0, xtol=1e-9 * sc.delta0)
    assert_allclose(jc, lo, rtol=2e-5)


def _digamma_tc(J, tc0):
    f = lambda T: np.log(tc0 / T) - (special.digamma(0.5 + 1j * J / (2 * np.pi * T)).real - special.digamma(0.5))  # noqa
    return optimize.brentq(f, 0.3 * tc0, tc0 * (1 - 1e-12))


@pytest.mark.parametrize("j", [0.1, 0.3, 0.5, 0.58])
def test_out_of_plane_tc_follows_digamma_pair_breaking(sc, j):
    J = j * sc.delta0
    assert_allclose(sc.critical_temperature(J, 0.0), _digamma_tc(J, sc.tc0), rtol=1e-3)


def test_tricritical_point(sc):
    """Second order for J below 0.607 Delta0 (T > 0.56 Tc0), first order above (Sarma)."""
    J = 0.59 * sc.delta0
    Ts = sc.tc0 * np.linspace(1.0, 0.5, 51)
    alphas = [sc.pair_curvature(T, J, 0.0) for T in Ts]
    i = next(i for i, a in enumerate(alphas) if a < 0)
    upper_root = optimize.brentq(lambda T: sc.pair_curvature(T, J, 0.0), Ts[i], Ts[i - 1])
    tc = sc.critical_temperature(J, 0.0)
    assert_allclose(tc, upper_root, rtol=1e-6)
    assert tc > 0.56 * sc.tc0
    J = 0.63 * sc.delta0
    tc = sc.critical_temperature(J, 0.0)
    assert 0.2 * sc.tc0 < tc < 0.56 * sc.tc0
    assert sc.pair_curvature(tc, J, 0.0) > 0  # normal state locally stable: the transition is first order
    assert sc.gap(0.99 * tc, J, 0.0) > 0.3 * sc.delta0  # finite jump of the gap


# ------------------------------------------------------------------ Ising physics
def test_in_plane_susceptibility_limits(sc):
    chi_p = sc.pauli_susceptibility
    chi0 = sc.spin_susceptibility(0.0)
    assert 0.9 < chi0 / chi_p < 1.0  # large lambda: close to the normal-state value
    assert_allclose(sc.spin_susceptibility(1.01 * sc.tc0), sc.normal_susceptibility(np.pi / 2, 1.01 * sc.tc0), rtol=1e-12)
    # without spin-orbit coupling the T = 0 susceptibility vanishes (conventional BCS)
    conventional = isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(0.0))
    assert conventional.spin_susceptibility(0.0) / conventional.pauli_susceptibility < 1e-6


def test_weak_soc_susceptibility_matches_c8():
    """Eq. (C8) for a uniform splitting lambda0 with constant DOS, via 1D integrals of the same BdG densities."""
    delta = 1.0
    xi, w = np.polynomial.legendre.leggauss(400)
    # map to (-L, L) with clustering near 0: xi = L sinh(u)/sinh(U)
    U, L = 9.0, 2000.0
    u = U * xi
    x = L * np.sinh(u) / np.sinh(U)
    wx = w * U * L * np.cosh(u) / np.sinh(U)
    for lam0 in (0.3, 1.0, 3.0):
        chi = np.sum(wx * bdg.spin_susceptibility_density(x + lam0, x - lam0, delta, 0.0, "in-plane")) / 2  # per N0
        s = math.hypot(lam0, delta)
        c8 = 1 - delta ** 2 / (2 * lam0 * s) * math.log((lam0 + s) / (s - lam0))
        assert_allclose(chi, c8, rtol=1e-6)


def test_in_plane_tc_uniform_splitting_ising_equation():
    """Pair curvature of the in-plane BdG problem for a uniform splitting vs the Ising pair-breaking equation
    ln(Tc0/T) = J^2/(J^2+l^2) [Re psi(1/2 + i sqrt(J^2+l^2)/(2 pi T)) - psi(1/2)]."""
    lam0, tc0 = 5.0, 1.0
    x, wx = _energy_nodes([-lam0, 0.0, lam0], 0.01, 4000.0, n_gauss=12)

    def alpha(T, J):  # (f(h) - f(0))/h^2 per N0 for h -> 0 (Richardson), without the 1/g term
        h = 1e-2
        F = lambda d: bdg.free_energy_density(x + lam0, x - lam0, d, J, np.pi / 2, T)  # noqa: E731
        c1 = np.sum(wx * (F(h) - F(0.0))) / h ** 2 / 2
        c2 = np.sum(wx * (F(2 * h) - F(0.0))) / (2 * h) ** 2 / 2
        return (4 * c1 - c2) / 3

    inv_g = -alpha(tc0, 0.0)  # fixes the coupling so that Tc(J = 0) = tc0
    for J in (2.0, 4.0):
        tc = optimize.brentq(lambda T: alpha(T, J) + inv_g, 0.05, 0.9999)
        rho = math.hypot(J, lam0)
        ising = lambda T: np.log(tc0 / T) - J ** 2 / rho ** 2 * (  # noqa: E731
            special.digamma(0.5 + 1j * rho / (2 * np.pi * T)).real - special.digamma(0.5))
        assert_allclose(tc, optimize.brentq(ising, 0.05, 0.9999), rtol=2e-4)


def test_free_energy_equation_7_at_small_in_plane_field(sc):
    J = 0.2 * sc.delta0 / math.sqrt(2)
    expected = sc.free_energy(0.0) - 0.5 * sc.spin_susceptibility(0.0) * J ** 2
    assert_allclose(sc.free_energy(0.0, J, np.pi / 2), expected, rtol=1e-4)


def test_free_energy_depends_on_polar_angle_only_through_sin2(sc):
    J = 0.5 * sc.delta0 / math.sqrt(2)
    f0, f90 = sc.free_energy(0.0, J, 0.0), sc.free_energy(0.0, J, np.pi / 2)
    for theta in (0.5, 1.0):
        assert_allclose(sc.free_energy(0.0, J, theta), f0 + (f90 - f0) * math.sin(theta) ** 2, rtol=2e-4)
        assert_allclose(sc.free_energy(0.0, J, np.pi - theta), sc.free_energy(0.0, J, theta), rtol=1e-12)


def _energy_nodes(levels, eta, window, n_gauss=10, grading=2.0):
    """Gauss-Legendre nodes on [-window, window] (meV), graded towards each level."""
    from isingsc.quadrature import _gauss, graded_breakpoints

    lev = np.unique(np.clip(np.asarray(levels, float), -window, window))
    b = graded_breakpoints(lev, eta, -window, window, grading)
    xg, wg = _gauss(n_gauss)
    lo, hi = b[:-1, None], b[1:, None]
    return (lo + (hi - lo) * xg[None, :]).ravel(), ((hi - lo) * wg[None, :]).ravel()


@pytest.fixture(scope="module")
def one_d_band(sc):
    """Energy nodes over the whole band with 2 N(eps) weights (contour-integral DOS, both spins)."""
    from isingsc.quadrature import band_range, fermi_surface_density

    lo, hi = band_range(sc.model)
    L = max(-lo, hi)
    eps, w = _energy_nodes([0.0, 0.15, -0.15, 0.25, -0.25], 0.02, L, n_gauss=10, grading=1.6)
    keep = (eps > lo) & (eps < hi)
    eps, w = eps[keep], w[keep]
    return eps, w * 2.0 * fermi_surface_density(sc.model, eps, n_phi=48)


@pytest.mark.parametrize("T_over_tc,J", [(0.0, 0.0), (0.5, 0.0), (0.3, 0.25), (0.0, 0.25)])
def test_one_dimensional_dos_integral_agrees_with_the_2d_quadrature(sc, one_d_band, T_over_tc, J):
    """J = 0 or out of plane: the BdG problem splits into single-band blocks, so f is a 1D integral over
    the density of states (here from contour integrals over the whole band, an independent method)."""
    eps, w = one_d_band
    T = T_over_tc * sc.tc0
    d0 = sc.delta0
    for d in (0.2, 0.45):
        E = np.sqrt(eps ** 2 + d ** 2)
        h = (d * d * 0.25 / np.sqrt(eps ** 2 + d0 ** 2) - bdg.thermal_potential(E + J, T) - bdg.thermal_potential(E - J, T)
             + 2.0 * bdg.thermal_potential(eps, T))  # per spin band
        one_d = float(w @ h)
        assert_allclose(sc.free_energy_landscape(d, T, J, 0.0), one_d, rtol=2e-6)


# ------------------------------------------------------------------ brute force
def test_distinct_states_average_as_the_full_grid():
    """tests/grid_states.py: the grid with each distinct band state once, weighted by its copies, averages what
    the full grid averages (non-trivial functions of the pair), and the symmetry is there (about 6 copies)."""
    for eps in (-44.5, 155.0):
        u = uniform_quadrature(isingsc.NbSe2(epsilon=eps), 120)
        d = distinct_states(u)
        assert 5 * d.size < u.size < 7 * d.size
        assert_allclose(d.weights.sum(), 1.0, rtol=1e-13)
        for g in (lambda a, b: np.tanh(a / 7.0) * np.exp(-b * b / 900.0), lambda a, b: np.hypot(a - b, 3.0),
                  lambda a, b: np.linalg.eigvalsh(bdg.bdg_hamiltonian(a, b, 4.0, 2.0, 0.7))[..., 0]):
            assert_allclose(d.average(g(d.xi_up, d.xi_down)), u.average(g(u.xi_up, u.xi_down)), rtol=1e-10)


@pytest.fixture(scope="module")
def brute_grid():
    """The 5 meV superconductor, (T, J, d), the uniform 1200 x 1200 grid (each distinct band state once) and the
    field-independent parts of the brute force on it: the pair kernel, F_n and the in-plane chi density."""
    model = isingsc.NbSe2()
    big = isingsc.IsingSuperconductor(model, 5.0)
    T, J, d = 0.3 * big.tc0, 2.0, 4.0
    u = distinct_states(uniform_quadrature(model, 1200))
    kern = bdg.pair_kernel(u.xi_up, u.xi_down, big.delta0)
    Fn = bdg.free_energy_density(u.xi_up, u.xi_down, 0.0, 0.0, 0.0, T)
    chi_brute = u.average(bdg.spin_susceptibility_density(u.xi_up, u.xi_down, d, T, "in-plane"))
    return big, (T, J, d), u, kern, Fn, chi_brute


@pytest.mark.parametrize("theta", [0.0, 0.7, np.pi / 2])
def test_engine_against_brute_force_grid(brute_grid, theta):
    """At a large gap (5 meV) a uniform grid with batched 4x4 diagonalisation is affordable (each distinct
    band state of the grid diagonalised once, weighted by its copies: tests/grid_states.py)."""
    big, (T, J, d), u, kern, Fn, chi_brute = brute_grid
    E = np.linalg.eigvalsh(bdg.bdg_hamiltonian(u.xi_up, u.xi_down, d, J, theta))
    phi = 0.25 * np.abs(E) + 0.5 * T * np.log1p(np.exp(-np.abs(E) / T))
    Fs = 0.5 * (u.xi_up + u.xi_down) - phi.sum(-1)
    brute = u.average(d * d * kern + Fs - Fn)
    engine = big.free_energy_landscape(d, T, J, theta)
    assert_allclose(engine, brute, rtol=1e-4)
    assert_allclose(big._susceptibility(d, T, np.pi / 2), chi_brute, rtol=1e-4)


# ------------------------------------------------------------------ input checks
@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.gap(-1.0),
        lambda s: s.gap(np.nan),
        lambda s: s.gap(0.1, -0.2),
        lambda s: s.free_energy(0.1, np.nan),
        lambda s: s.free_energy(0.1, 0.1, 0.0, np.nan),
        lambda s: s.spin_susceptibility(-0.1),
        lambda s: s.critical_temperature(-1.0),
        lambda s: s.pair_curvature(0.0, 0.0),
        lambda s: isingsc.IsingSuperconductor(isingsc.NbSe2(), -0.1),
        lambda s: isingsc.IsingSuperconductor(isingsc.NbSe2(), 1e-6),
        lambda s: s.sweep("_solve", [0.1]),
    ],
)
def test_bad_input_raises(sc, call):
    with pytest.raises(ValueError):
        call(sc)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: isingsc.IsingSuperconductor("NbSe2"),
        lambda s: s.gap("hot"),
        lambda s: s.gap(None),
        lambda s: s.free_energy(0.1, 0.1 + 0.5j),
        lambda s: s.sweep("gap", [0.1 + 0.5j]),
        lambda s: s.sweep(3, [0.1]),
    ],
)
def test_wrong_types_raise_type_error(sc, call):
    with pytest.raises(TypeError):
        call(sc)


def test_sweep_matches_scalar_calls_and_executor(sc):
    from concurrent.futures import ThreadPoolExecutor

    Ts = np.array([0.2, 0.5, 0.8]) * sc.tc0
    serial = sc.sweep("gap", Ts)
    assert_allclose(serial, [sc.gap(T) for T in Ts])
    with ThreadPoolExecutor(2) as ex:
        assert_allclose(sc.sweep("gap", Ts, executor=ex), serial)


def test_superconductor_pickles(sc):
    import pickle

    other = pickle.loads(pickle.dumps(sc))
    assert_allclose(other.gap(0.5 * sc.tc0), sc.gap(0.5 * sc.tc0))


def test_sweep_over_process_pool(sc):
    """The superconductor pickles to worker processes (as for a dask.distributed executor)."""
    from concurrent.futures import ProcessPoolExecutor

    Ts = np.array([0.3, 0.7]) * sc.tc0
    with ProcessPoolExecutor(2) as ex:
        assert_allclose(sc.sweep("spin_susceptibility", Ts, np.pi / 2, executor=ex),
                        sc.sweep("spin_susceptibility", Ts, np.pi / 2), rtol=1e-12)


@pytest.mark.parametrize("theta", [0.3, 1.0, np.pi / 2])
def test_zero_temperature_gapless_and_normal_states_converge(sc, theta):
    """T = 0 with a field above the gap: kinks of the gapless/normal branches must not cost accuracy."""
    fine = isingsc.IsingSuperconductor(sc.model, sc.delta0, resolution=isingsc.Resolution(32, 10, 1.5, 0.5))
    J = 2 * sc.delta0 / math.sqrt(2)
    assert_allclose(sc.free_energy(0.0, J, theta), fine.free_energy(0.0, J, theta), rtol=2e-4)
