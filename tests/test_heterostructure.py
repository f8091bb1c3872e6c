"""F/S/F energetics from the superconductor engine (Sec. IV, Eqs. 9-15) and the material presets."""
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import isingsc
from isingsc import heterostructure as hs
from isingsc import materials
from isingsc.magnetism import FSFStack, IsingQuadraticCoupling, TabulatedCoupling


@pytest.fixture(scope="module")
def sc():
    return hs.ising_superconductor(150.0)


@pytest.fixture(scope="module")
def resp(sc):
    return hs.superconductor_response(sc)


def test_public_names_exported():
    for name in hs.__all__:
        assert hasattr(hs, name), name
    for name in materials.__all__:
        assert hasattr(materials, name), name


# ------------------------------------------------------------ susceptibilities
def test_response_interpolates_the_engine(sc, resp):
    tc = resp.tc0
    for t in (0.23, 0.61, 0.94, 1.17):  # off the nodes, below and above Tc0
        T = t * tc
        assert_allclose(resp.chi_par_at(T), sc.spin_susceptibility(T, np.pi / 2), atol=1.5e-5 * resp.chi_s0)
        assert_allclose(resp.chi_perp_at(T), sc.spin_susceptibility(T, 0.0), atol=1.5e-5 * resp.chi_s0)
    # T = 0: chi_perp = 0 exactly (App. C), chi_par = chi_s(0)
    assert resp.chi_perp_at(0.0) == 0.0
    assert_allclose(resp.chi_par_at(0.0), sc.spin_susceptibility(0.0), rtol=1e-12)


def test_response_couplings(resp):
    T = 0.5 * resp.tc0
    paper, complete = resp.coupling(T, "paper"), resp.coupling(T, "complete")
    assert isinstance(paper, IsingQuadraticCoupling) and paper.chi_perp == 0.0
    assert_allclose(complete.chi_perp, resp.chi_perp_at(T))
    assert_allclose(paper.chi_par, complete.chi_par)


# --------------------------------------------------------------- single magnet
@pytest.mark.parametrize("model", ["paper", "complete"])
def test_single_magnet_boundary(sc, resp, model):
    """Easy axis flips at K = chi_par J^2/2 (paper, Eq. 10) or (chi_par - chi_perp) J^2/2 (complete)."""
    J = 0.3 * sc.delta0
    for t in (0.0, 0.4, 0.8, 1.1):
        T = t * resp.tc0
        chi_par = sc.spin_susceptibility(T, np.pi / 2)
        chi_perp = sc.spin_susceptibility(T, 0.0) if model == "complete" else 0.0
        Kc = 0.5 * (chi_par - chi_perp) * J**2
        assert_allclose(hs.single_magnet_anisotropy(Kc, J, T, sc, model), 0.0, atol=1e-5 * resp.chi_s0 * J**2)
        above, below = hs.single_magnet_easy_axis([1.001 * Kc + 1e-9 * J**2, 0.999 * Kc - 1e-9 * J**2], J, T, sc, model)
        assert above == 0.0 and below == 0.5 * np.pi
    t = np.array([0.0, 0.3, 0.7, 1.05])
    pd = hs.easy_axis_phase_diagram(resp, t, np.linspace(0, 1, 11), model)
    direct = [sc.spin_susceptibility(x * resp.tc0, np.pi / 2)
              - (sc.spin_susceptibility(x * resp.tc0, 0.0) if model == "complete" else 0.0) for x in t]
    assert_allclose(pd.k_boundary, 0.5 * np.array(direct) / resp.chi_s0, atol=1e-5)
    assert pd.theta.shape == (11, 4)
    assert np.all(pd.theta[pd.k[:, None] > pd.k_boundary[None, :] + 1e-9] == 0.0)


def test_paper_and_complete_trends_are_opposite(resp):
    """chi_s grows with T (Eq. 10 favours in-plane on warming); chi_par - chi_perp shrinks to ~0 at Tc."""
    t = np.linspace(0, 1, 11) * resp.tc0
    paper = resp.anisotropy_susceptibility(t, "paper")
    complete = resp.anisotropy_susceptibility(t, "complete")
    assert np.all(np.diff(paper) > -1e-9 * resp.chi_s0)
    assert np.all(np.diff(complete) < 0)
    assert abs(complete[-1]) < 1e-3 * resp.chi_s0


# --------------------------------------------------------------- microscopic
def test_microscopic_coupling_reduces_to_complete_quadratic_form(sc, resp):
    """At small J the tabulated full free energy is -J^2/2 [chi_par X^2 + chi_perp Z^2]."""
    T = 0.5 * resp.tc0
    J = 0.05 * sc.delta0 / math.sqrt(2)
    cpl = hs.microscopic_coupling(sc, T, J, n_magnitudes=4, n_angles=3)
    assert isinstance(cpl, TabulatedCoupling)
    rng = np.random.default_rng(7)
    t1, t2 = rng.uniform(-np.pi, np.pi, (2, 30))
    quad = IsingQuadraticCoupling(sc.spin_susceptibility(T, np.pi / 2), sc.spin_susceptibility(T, 0.0))
    scale = resp.chi_s0 * J**2
    assert_allclose(cpl.energy(t1, t2, J), quad.energy(t1, t2, J), atol=2e-3 * scale)
    # antiparallel magnets induce no field: exactly zero
    assert_allclose(cpl.energy(0.3, 0.3 + np.pi, J), 0.0, atol=1e-12 * scale)
    # the gradient supplied by the table matches differences of its energy
    g = cpl.gradient(t1[:5], t2[:5], J)
    h = 1e-6
    fd1 = (cpl.energy(t1[:5] + h, t2[:5], J) - cpl.energy(t1[:5] - h, t2[:5], J)) / (2 * h)
    assert_allclose(g[:, 0], fd1, atol=1e-6 * scale)


def test_microscopic_table_interpolation_error(sc, resp):
    """The default 5 x 4 table at the Fig. 4 field reproduces direct engine calls off the grid."""
    P = hs.Fig4Parameters()
    tab = hs.microscopic_table(sc, 0.0, P.J)
    direct, interp = tab.interpolation_error(sc, [0.37 * P.J, 1.63 * P.J], [0.41, 1.13])
    assert_allclose(interp, direct, atol=2e-5 * P.energy_unit)
    # the least-squares fit passes close to the nodes, and exactly through F = 0 at J_tot = 0
    assert_allclose(tab.energy(tab.J_abs[:, None], tab.alpha[None, :]), tab.values, atol=1e-4 * P.energy_unit)
    assert tab.energy(0.0, 0.7) == 0.0
    assert hs.microscopic_table(sc, 0.0, P.J) is tab  # cached


def test_microscopic_coupling_derivatives_and_exact_differences(sc, resp):
    """Analytic gradient/Hessian match differences of the energy; energy changes are cancellation free."""
    P = hs.Fig4Parameters()
    cpl = hs.microscopic_coupling(sc, 0.0, P.J)
    J, scale = P.J, P.energy_unit
    rng = np.random.default_rng(11)
    t1, t2 = rng.uniform(-np.pi, np.pi, (2, 20))
    h = 1e-5
    e = lambda a, b: cpl.energy(a, b, J)  # noqa: E731
    g = cpl.gradient(t1, t2, J)
    assert_allclose(g[:, 0], (e(t1 + h, t2) - e(t1 - h, t2)) / (2 * h), atol=1e-8 * scale)
    assert_allclose(g[:, 1], (e(t1, t2 + h) - e(t1, t2 - h)) / (2 * h), atol=1e-8 * scale)
    H = cpl.hessian(t1, t2, J)
    d1 = (cpl.gradient(t1 + h, t2, J) - cpl.gradient(t1 - h, t2, J)) / (2 * h)
    assert_allclose(H[:, 0, :], d1, atol=1e-7 * scale)
    # moderate steps: the difference formula equals the plain difference
    n1, n2 = t1 + rng.normal(0, 0.5, 20), t2 + rng.normal(0, 0.5, 20)
    assert_allclose(cpl.energy_change(t1, t2, n1, n2, J), e(n1, n2) - e(t1, t2), atol=1e-13 * scale)
    # tiny steps: the change is resolved far below the rounding error of the energy (~1e-16 scale)
    step = 1e-9
    dE = cpl.energy_change(t1, t2, t1 + step, t2, J)
    assert_allclose(dE, g[:, 0] * step + 0.5 * H[:, 0, 0] * step**2, rtol=1e-5, atol=1e-22 * scale)


def test_free_energy_derivatives_reduce_to_susceptibilities(sc, resp):
    """dF/du and dF/ds of the full free energy at |J_tot| = 2J tend to the quadratic-form values.

    The out-of-plane dF/du has a J^2 correction (1.3% at J = 0.05 H_P, 0.2% at 0.02 H_P);
    the out-of-plane dF/ds compares a tilted field (2D quadrature) with the collinear one
    (1D path), whose ~1e-11 meV consistency limits it at very small J.
    """
    T = 0.5 * resp.tc0
    hp = sc.delta0 / math.sqrt(2)
    chi_par, chi_perp = resp.chi_par_at(T), resp.chi_perp_at(T)
    for J in (0.02 * hp, 0.05 * hp):
        F_u, F_s = hs.free_energy_derivatives(sc, T, J, "in-plane")
        assert_allclose(F_u, -0.5 * chi_par, rtol=1e-3)
        assert_allclose(F_s, -2 * J**2 * (chi_par - chi_perp), rtol=1e-3)
    F_u, _ = hs.free_energy_derivatives(sc, T, 0.02 * hp, "out-of-plane")
    assert_allclose(F_u, -0.5 * chi_perp, rtol=5e-3)
    J = 0.05 * hp
    _, F_s = hs.free_energy_derivatives(sc, T, J, "out-of-plane")
    assert_allclose(F_s, -2 * J**2 * (chi_par - chi_perp), rtol=1e-2)


# --------------------------------------------------------------- ground state
def test_ground_state_simple_cases():
    up = hs.ground_state(FSFStack(1.0, 0.5, 1.0, 1.0))
    assert up.alignment == "out-of-plane" and up.theta1 == 0.0
    plane = hs.ground_state(FSFStack(-1.0, -0.5, 1.0, 1.0, 1.0, IsingQuadraticCoupling(0.3)))
    assert plane.alignment == "in-plane" and plane.parallel
    assert_allclose(plane.theta1, np.pi / 2, atol=1e-7)
    # a conventional-superconductor coupling aligns the magnets antiparallel
    anti = hs.ground_state(FSFStack(1.0, 1.0, 1.0, 1.0, 0.0, isingsc.ConventionalCoupling(1.0, 0.5)))
    assert anti.alignment == "out-of-plane" and not anti.parallel


@pytest.mark.parametrize("model, k, direction", [("complete", 0.6, "in-plane -> out-of-plane"),
                                                  ("paper", 1.01, "out-of-plane -> in-plane")])
def test_t_star_at_the_analytic_condition(sc, resp, model, k, direction):
    """Identical magnets: out of plane iff K > (chi_par - chi_perp) J^2 (complete) or chi_par J^2 (paper)."""
    J = 0.25 * sc.delta0 / math.sqrt(2)
    K = k * resp.chi_s0 * J**2
    res = hs.find_t_star(resp, K, K, J, model, t_tol=1e-5)
    assert len(res.transitions) == 1 and res.direction == direction
    Ts = res.t_star

    def condition(T):
        chi_perp = sc.spin_susceptibility(T, 0.0) if model == "complete" else 0.0
        return K - (sc.spin_susceptibility(T, np.pi / 2) - chi_perp) * J**2

    dT = 2e-3 * resp.tc0
    assert condition(Ts - dT) * condition(Ts + dT) < 0  # the analytic condition changes sign at T*
    assert_allclose(hs.stability_temperature(resp, K, K, J, model, "out-of-plane", (0.0, 1.2), t_tol=1e-6),
                    res.transitions[0].t, atol=2e-5)


def test_fig4_stability_edges_are_the_ground_state_transitions(resp):
    for k1 in (1.05, 0.95):
        P = hs.Fig4Parameters(k1=k1)
        res = hs.find_t_star(resp, P.K1, P.K2, P.J, "complete", t_tol=1e-5)
        assert res.transitions[-1].above == "out-of-plane"
        t_out = hs.stability_temperature(resp, P.K1, P.K2, P.J, "complete", "out-of-plane", (0, 1), t_tol=1e-6)
        assert_allclose(t_out, res.transitions[-1].t, atol=2e-5)
        # the paper's own coupling gives no transition for these parameters
        assert hs.find_t_star(resp, P.K1, P.K2, P.J, "paper").transitions == ()


def test_collinear_determinant_identical_magnets():
    J, cp, cz = 0.7, 2.0, 0.5
    for state, Kc in (("out-of-plane", (cp - cz) * J**2),):
        assert_allclose(hs.collinear_determinant(Kc, Kc, J, cp, cz, state), 0.0, atol=1e-12)
        assert hs.collinear_determinant(1.01 * Kc, 1.01 * Kc, J, cp, cz, state) > 0
        assert hs.collinear_determinant(0.99 * Kc, 0.99 * Kc, J, cp, cz, state) < 0
    # in-plane state of identical magnets: stable for K < (chi_par - chi_perp) J^2 as well
    Kc = (cp - cz) * J**2
    assert hs.collinear_determinant(0.99 * Kc, 0.99 * Kc, J, cp, cz, "in-plane") > 0
    assert hs.collinear_determinant(1.01 * Kc, 1.01 * Kc, J, cp, cz, "in-plane") < 0


def test_fig4_parameters(resp):
    P = hs.Fig4Parameters(k1=0.95)
    assert_allclose(P.J, 0.25 * P.superconductor.delta0 / math.sqrt(2))
    assert_allclose(P.K1, 0.95 * resp.chi_s0 * P.J**2)
    assert_allclose(P.K1 / P.K2, 1.12)
    st = P.stack(0.3 * resp.tc0, "complete")
    assert st.Ms1 / st.Ms2 == pytest.approx(1.12) and st.coupling.chi_perp > 0
    assert P.stack(0.3 * resp.tc0, "bare").coupling is None


def test_bad_input_raises(sc, resp):
    with pytest.raises(ValueError, match="model"):
        hs.single_magnet_easy_axis(1.0, 0.1, 0.0, resp, "quartic")
    with pytest.raises(ValueError, match="T"):
        resp.chi_par_at(-0.1)
    with pytest.raises(ValueError, match="above the tabulated range"):
        resp.chi_par_at(10 * resp.tc0)
    with pytest.raises(ValueError, match="IsingSuperconductor"):
        hs.superconductor_response("NbSe2")
    with pytest.raises(ValueError, match="t_max"):
        hs.superconductor_response(sc, t_max=0.9)
    with pytest.raises(ValueError, match="J"):
        hs.microscopic_table(sc, 0.0, 0.0)
    with pytest.raises(ValueError, match="n_magnitudes"):
        hs.microscopic_table(sc, 0.0, 0.1, n_magnitudes=2)
    with pytest.raises(ValueError, match="stack"):
        hs.ground_state("stack")
    with pytest.raises(ValueError, match="state"):
        hs.collinear_determinant(1, 1, 1, 1, 0, "sideways")
    with pytest.raises(ValueError, match="bracket"):
        hs.stability_temperature(resp, 1e-5, 1e-5, 0.1, "complete", "out-of-plane", (0.5, 0.2))
    with pytest.raises(ValueError, match="j_over_hp"):
        hs.Fig4Parameters(j_over_hp=-1)
    with pytest.raises(ValueError, match="unknown material"):
        materials.anisotropy_per_nb_site("CrF3")


# ------------------------------------------------------------------ materials
def test_dipolar_anisotropy_against_direct_pair_sum():
    """K_dip = -(3/4) mu0 m^2/(4 pi) sum r^-3 equals the full dipolar energy difference per moment."""
    a, m = 6.0, 3.0
    n = 60
    i, j = np.meshgrid(np.arange(-n, n + 1), np.arange(-n, n + 1), indexing="ij")
    pos = []
    for bx, by in ((0.0, 0.0), (0.5 * a, 0.5 * a / math.sqrt(3))):
        pos.append(np.stack([(i + 0.5 * j).ravel() * a + bx, (0.5 * math.sqrt(3) * j).ravel() * a + by], -1))
    r = np.concatenate(pos)
    d = np.hypot(r[:, 0], r[:, 1])
    keep = (d > 1e-9) & (d < 50 * a)
    r, d = r[keep], d[keep]
    c = materials._base.MU0_MU_B2_OVER_4PI * m * m
    e_out = 0.5 * c * np.sum(d**-3.0)
    e_in = 0.5 * c * np.sum((1 - 3 * (r[:, 0] / d) ** 2) * d**-3.0)  # moments along x
    mag = materials.MonolayerFerromagnet("test", a, m, 1.5, 0.0, 6.0)
    tail = 0.75 * c * 2 * math.pi * mag.cr_per_area / (50 * a)  # continuum tail beyond 50 a
    assert_allclose(-(e_out - e_in) - tail, mag.dipolar_energy, rtol=1e-3)


def test_material_presets():
    cri3, crbr3, crcl3 = (materials.MAGNETS[n] for n in ("CrI3", "CrBr3", "CrCl3"))
    assert cri3.anisotropy_per_cr > crbr3.anisotropy_per_cr > 0 > crcl3.anisotropy_per_cr  # CrCl3 easy plane
    # S(S - 1/2) |A| for S = 3/2
    assert_allclose(cri3.single_ion_energy, 1.5 * 0.12)
    a_nb = materials.nbse2.LATTICE_CONSTANT
    assert_allclose(cri3.cr_per_site(a_nb), 2 * (a_nb / cri3.lattice_constant) ** 2)
    assert_allclose(materials.moment_per_nb_site("CrI3"), 3.0 * 2 * (a_nb / cri3.lattice_constant) ** 2)
    # 300 kJ/m^3 over the volume per Cr of bulk CrI3 is a quarter meV
    assert 0.2 < cri3.bulk_anisotropy_per_cr < 0.3
    assert materials.anisotropy_per_nb_site("CrBr3", "bulk") is None
