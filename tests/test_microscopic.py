"""The full free energy as a stack coupling (isingsc.microscopic)."""
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import isingsc
from isingsc import IsingQuadraticCoupling, TabulatedCoupling


@pytest.fixture
def sc(paper_sc):
    return paper_sc


@pytest.fixture
def resp(paper_resp):
    return paper_resp


def test_microscopic_coupling_reduces_to_complete_quadratic_form(sc, resp):
    """At small J the tabulated full free energy is -J^2/2 [chi_par X^2 + chi_perp Z^2]."""
    T = 0.5 * resp.tc0
    J = 0.05 * sc.delta0 / math.sqrt(2)
    cpl = isingsc.microscopic_coupling(sc, T, J, n_magnitudes=4, n_angles=3)
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
    P = isingsc.Fig4Parameters()
    tab = isingsc.microscopic_table(sc, 0.0, P.J)
    direct, interp = tab.interpolation_error(sc, [0.37 * P.J, 1.63 * P.J], [0.41, 1.13])
    assert_allclose(interp, direct, atol=2e-5 * P.energy_unit)
    # the least-squares fit passes close to the nodes, and exactly through F = 0 at J_tot = 0
    assert_allclose(tab.energy(tab.J_abs[:, None], tab.alpha[None, :]), tab.values, atol=1e-4 * P.energy_unit)
    assert tab.energy(0.0, 0.7) == 0.0
    assert isingsc.microscopic_table(sc, 0.0, P.J) is tab  # cached


def test_microscopic_coupling_derivatives_and_exact_differences(sc, resp):
    """Analytic gradient/Hessian match differences of the energy; energy changes are cancellation free."""
    P = isingsc.Fig4Parameters()
    cpl = isingsc.microscopic_coupling(sc, 0.0, P.J)
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
    the out-of-plane dF/ds compares a tilted field with the collinear one, whose ~1e-11 meV
    consistency limits it at very small J.
    """
    T = 0.5 * resp.tc0
    hp = sc.delta0 / math.sqrt(2)
    chi_par, chi_perp = resp.chi_par_at(T), resp.chi_perp_at(T)
    for J in (0.02 * hp, 0.05 * hp):
        F_u, F_s = isingsc.free_energy_derivatives(sc, T, J, "in-plane")
        assert_allclose(F_u, -0.5 * chi_par, rtol=1e-3)
        assert_allclose(F_s, -2 * J**2 * (chi_par - chi_perp), rtol=1e-3)
    F_u, _ = isingsc.free_energy_derivatives(sc, T, 0.02 * hp, "out-of-plane")
    assert_allclose(F_u, -0.5 * chi_perp, rtol=5e-3)
    J = 0.05 * hp
    _, F_s = isingsc.free_energy_derivatives(sc, T, J, "out-of-plane")
    assert_allclose(F_s, -2 * J**2 * (chi_par - chi_perp), rtol=1e-2)


def test_table_polynomial_and_its_differences_by_horner(sc):
    """The Horner forms of the table's polynomial equal its power sums; energy changes equal differences."""
    tab = isingsc.microscopic_table(sc, 0.5 * sc.tc0, 0.02, n_magnitudes=5, n_angles=4)
    C = np.array(tab._poly["C_rows"])
    k, l = np.arange(C.shape[0])[:, None], np.arange(C.shape[1])[None, :]
    rng = np.random.default_rng(3)
    for x, s in rng.uniform(0.0, 1.0, (20, 2)):
        xp, sp = x ** k, s ** l
        xp1, sp1 = np.where(k >= 1, x ** np.maximum(k - 1, 0), 0.0), np.where(l >= 1, s ** np.maximum(l - 1, 0), 0.0)
        xp2, sp2 = np.where(k >= 2, x ** np.maximum(k - 2, 0), 0.0), np.where(l >= 2, s ** np.maximum(l - 2, 0), 0.0)
        direct = [np.sum(C * xp * sp), np.sum(C * k * xp1 * sp), np.sum(C * l * xp * sp1),
                  np.sum(C * k * (k - 1) * xp2 * sp), np.sum(C * k * l * xp1 * sp1), np.sum(C * l * (l - 1) * xp * sp2)]
        terms = tab._g_terms(float(x), float(s), 2)
        assert all(isinstance(v, float) for v in terms)               # the relaxation's scalar path
        scale = np.sum(np.abs(C))
        assert_allclose(terms, direct, rtol=0, atol=1e-13 * scale)
        assert_allclose(tab._g_terms(np.array([x, x]), s, 2)[5], [direct[5]] * 2, rtol=0, atol=1e-13 * scale)
    # W(p + dp, q + dq) - W(p, q) without cancellation, against the difference of two evaluations
    J = tab.J
    for p, q in rng.uniform(0.0, 1.0, (20, 2)):
        for dp, dq in ((1e-3, -2e-3), (-0.3, 0.1), (0.0, 1e-4)):
            W_new, W_old = tab._w_terms(p + dp, q + dq, J, 0)[0], tab._w_terms(p, q, J, 0)[0]
            assert_allclose(tab._w_difference(p, dp, q, dq, J), W_new - W_old, rtol=1e-9, atol=1e-15 * abs(W_old))
    # tiny increments: the difference is linear in them (no rounding floor at the energy's 1e-16)
    d1 = tab._w_difference(0.4, 1e-13, 0.3, 2e-13, J)
    d2 = tab._w_difference(0.4, 2e-13, 0.3, 4e-13, J)
    assert d1 != 0.0 and abs(d2 / d1 - 2.0) < 1e-6
