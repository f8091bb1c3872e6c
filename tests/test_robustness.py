"""Robustness of the reversed T* (isingsc.robustness): decomposition, filling, Rashba, finite J; the verdicts (isingsc.book.beyond_paper)."""
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import isingsc
from isingsc import bdg
from isingsc._bands import band_evaluator
from isingsc import robustness as rob
from isingsc.model import reciprocal_vectors


@pytest.fixture(scope="module")
def sc():
    return isingsc.ising_superconductor(150.0)


def test_parts_add_up_to_the_engine_and_intra_vanishes_at_zero_temperature(sc):
    for t in (0.0, 0.5, 1.0, 1.2):
        p = rob.susceptibility_decomposition(sc, t * sc.tc0)
        assert_allclose(p.intra + p.inter, p.chi_par, rtol=1e-12)
        assert p.intra >= 0 and p.inter > 0
    p0 = rob.susceptibility_decomposition(sc, 0.0)
    assert p0.intra == 0.0 and p0.chi_perp == 0.0
    # in the normal state chi_perp = chi_P and chi_par = chi_n^soc
    pn = rob.susceptibility_decomposition(sc, 1.2 * sc.tc0)
    assert_allclose(pn.chi_perp, pn.chi_P, rtol=1e-5)
    assert_allclose(pn.chi_par, sc.normal_susceptibility(np.pi / 2, T=1.2 * sc.tc0), rtol=1e-12)


def test_the_van_vleck_part_is_untouched_by_pairing_and_the_intra_part_is_small(sc):
    """inter(0) = inter(Tc) to O(Delta/lambda); intra(Tc) ~ fraction of the Fermi surface near the nodes."""
    p0, pc = (rob.susceptibility_decomposition(sc, t * sc.tc0) for t in (0.0, 1.0))
    assert_allclose(p0.inter, pc.inter, rtol=1e-3)
    assert pc.intra / pc.chi_P < 0.05
    # hence D = (chi_s0 - chi_n^soc + chi_P)/chi_P = 1 - intra(Tc)/chi_P up to the small inter change
    D = rob.filling_point(-44.5).indicator
    assert_allclose(D, 1 - pc.intra / pc.chi_P, atol=2e-3)


def test_decomposition_against_a_brute_force_grid():
    """Intra/inter split of chi_par at T > 0 on a uniform k-grid (large delta, T so the grid resolves it)."""
    s = isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(30.0), 5.0)
    T = 0.5 * s.tc0
    p = rob.susceptibility_decomposition(s, T)
    nk = 720
    b1, b2 = reciprocal_vectors()
    u = np.arange(nk) / nk
    U, V = np.meshgrid(u, u, indexing="ij")
    kx, ky = (U * b1[0] + V * b2[0]).ravel(), (U * b1[1] + V * b2[1]).ravel()
    a, b = band_evaluator(s.model).bands(kx, ky)  # xi_up, xi_down
    intra, inter = rob._inplane_parts(a, b, p.gap, T)
    assert_allclose(intra.mean(), p.intra, rtol=2e-2, atol=1e-3 * p.chi_P)
    assert_allclose(inter.mean(), p.inter, rtol=2e-3)
    assert_allclose(bdg.spin_susceptibility_density(a, b, p.gap, T, "in-plane").mean(), p.chi_par, rtol=2e-3)


def test_rashba_is_refused_by_the_decomposition():
    s = isingsc.IsingSuperconductor(isingsc.NbSe2().with_alpha_R(5.0))
    with pytest.raises(ValueError, match="alpha_R"):
        rob.susceptibility_decomposition(s, 0.0)
    with pytest.raises(TypeError, match="sc"):
        rob.susceptibility_decomposition("nbse2", 0.0)


def test_filling_map_limits():
    """Band top (one spin species at K): chi_n^soc << chi_P and chi_s(0) = chi_n^soc (no Fermi-surface part)."""
    top = rob.filling_point(-594.0)
    assert top.chi_n_soc / top.chi_P < 0.05
    assert_allclose(top.chi_s0, top.chi_n_soc, rtol=5e-2)
    assert top.direction == rob.IN_PLANE_BELOW
    # 0.6 meV from a van Hove saddle (146.6 meV at this lambda_soc) the engine computes; the refined quadrature agrees
    vh = rob.filling_point(146.0)
    assert_allclose(vh.chi_P, rob.filling_point(146.0, resolution=isingsc.Resolution().refined(2)).chi_P, rtol=1e-6)
    with pytest.raises(ValueError, match="Fermi"):
        rob.filling_point(420.0)


def test_rashba_zero_is_the_ising_engine_and_frigeri_ratios(sc):
    p = rob.rashba_point(0.0)
    assert p.chi_s_perp == 0.0
    assert_allclose(p.chi_s_par, sc.spin_susceptibility(0.0), rtol=1e-12)
    assert_allclose(p.chi_n_perp, p.chi_P, rtol=1e-5)


def test_general_frigeri_formula_for_ising_plus_rashba():
    """Strong SOC (|g| >> Delta except at a few points): chi_ii(0)/chi_P = 1 - <g_i^2/|g|^2>_FS.

    The Fermi-surface average is taken independently on a uniform k-grid with a thermal smearing
    T_s << lambda (helical bands eps_+- = xi +- |G|, weights -f'(eps)).
    """
    lam, alpha = 40.0, 40.0
    s = isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(lam).with_alpha_R(alpha), 2.0)
    chi_p = s.pauli_susceptibility
    zz, xx = s.spin_susceptibility(0.0, 0.0) / chi_p, s.spin_susceptibility(0.0, math.pi / 2) / chi_p
    nk, Ts = 900, 4.0
    b1, b2 = reciprocal_vectors()
    u = (np.arange(nk) + 0.5) / nk
    U, V = np.meshgrid(u, u, indexing="ij")
    kx, ky = (U * b1[0] + V * b2[0]).ravel(), (U * b1[1] + V * b2[1]).ravel()
    xi, D, gx, gy = band_evaluator(s.model).soc(kx, ky)
    g2 = D**2 + gx**2 + gy**2
    w = 0.0
    avg_z = 0.0
    for sign in (1.0, -1.0):
        e = xi + sign * np.sqrt(g2)
        wt = 0.25 / Ts / np.cosh(e / (2 * Ts)) ** 2
        w += wt.sum()
        avg_z += (wt * D**2 / g2).sum()
    avg_z /= w
    assert_allclose(zz, 1 - avg_z, atol=3e-2)
    assert_allclose(xx, 1 - (1 - avg_z) / 2, atol=3e-2)   # C3: <g_x^2> = <g_y^2> = (1 - <g_z^2>)/2


def test_rashba_crossover_is_bracketed_and_the_direction_flips():
    lo, hi = rob.rashba_point(1.0), rob.rashba_point(1.5)
    assert lo.direction == rob.IN_PLANE_BELOW and hi.direction == rob.OUT_OF_PLANE_BELOW
    r = rob.rashba_crossover(1.0, 1.5, xtol=0.05)
    assert 1.0 < r < 1.5
    with pytest.raises(ValueError, match="same sign"):
        rob.rashba_crossover(0.0, 0.5)


def test_alignment_map_limits(sc):
    """J << H_P: preference = (chi_par - chi_perp) J^2/2 (quadratic); J > H_P at T = 0: f_out is the normal f."""
    hp = sc.delta0 / math.sqrt(2)
    J = 0.05 * hp
    m = rob.alignment_map(sc, [0.0], [J, 2 * hp])
    assert_allclose(m.preference[0, 0], 0.5 * (sc.spin_susceptibility(0.0) - 0.0) * J**2, rtol=2e-3)
    assert m.gap_out[0, 1] == 0.0 and m.gap_in[0, 1] > 0
    assert_allclose(m.f_out[0, 1], -0.5 * sc.pauli_susceptibility * (2 * hp) ** 2, rtol=1e-5)
    assert_allclose(rob.alignment_preference(sc, 0.0, 2 * hp), m.preference[0, 1], rtol=1e-12)


def test_reorientation_temperature_is_below_the_in_plane_tc(sc):
    hp = sc.delta0 / math.sqrt(2)
    t_flip, tc_in = rob.reorientation_temperature(sc, 2 * hp)
    assert 0.5 * tc_in < t_flip < tc_in
    assert rob.alignment_preference(sc, 0.98 * t_flip, 2 * hp) > 0 > rob.alignment_preference(sc, 0.5 * (t_flip + tc_in), 2 * hp)


def test_beyond_paper_claims_have_the_report_fields():
    from isingsc.book import beyond_paper, report

    summary = beyond_paper.RobustnessSummary(0.97, 0.17, -514.8, 1.29, -456.0, 1.2, 100.0, 18.7, 0.05)
    claims = beyond_paper.beyond_paper_claims(summary)
    assert len(claims) == 6
    assert all(isinstance(c, report.Claim) and c.evidence.startswith("sec-rob-") for c in claims)
    assert {c.status for c in claims} <= {report.AGREES, report.DISAGREES, report.PARTLY, report.NOT_TESTABLE}
    assert report.claims_markdown(claims).count("\n") == len(claims) + 2
    with pytest.raises(TypeError, match="summary"):
        beyond_paper.beyond_paper_claims({"paper_D": 1.0})
