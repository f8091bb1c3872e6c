"""Physics checks of isingsc.book.paper_checks: tricritical point, DOS window, (B2), (B3), Eq. (6)."""
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import isingsc
from isingsc.book import paper_checks as pc


@pytest.fixture(scope="module")
def sc():
    return isingsc.ising_superconductor(150)


def test_tricritical_point_engine_matches_quasiclassical(sc):
    tp = pc.tricritical_point(sc)
    qc = pc.quasiclassical_tricritical_point(sc.tc0, sc.delta0)
    assert_allclose(tp.t, qc.t, atol=2e-4)
    assert_allclose(tp.j, qc.j, atol=2e-4)
    # Saint-James/Sarma: the flat-band tricritical temperature is 0.561 Tc0
    assert_allclose(qc.t, 0.5615, atol=2e-4)


def test_quartic_coefficient_changes_sign_at_tricritical_point(sc):
    tp = pc.tricritical_point(sc)
    assert pc.quartic_coefficient(sc, 0.9 * tp.T)[0] < 0 < pc.quartic_coefficient(sc, 1.1 * tp.T)[0]


def test_dos_window_linear_part_cancels():
    w = pc.dos_window(isingsc.NbSe2().with_lambda_soc(69.8), nk=300, n_energies=101)
    assert abs(w.linear_part) < 1e-12
    assert abs(w.slope_change) > 0.05          # the slope itself is not small ...
    assert abs(w.window_mean - 1) < 0.3 * abs(w.slope_change)   # ... but cancels in the mean


def test_b2_matches_finite_differences():
    rng = np.random.default_rng(3)
    a, b = rng.uniform(-40, 40, (2, 300))
    for theta in (0.0, 0.6, math.pi / 2):
        assert pc.b2_residual(a, b, 0.45, 0.25, theta) < 1e-6
    # the paper's opposite sign of J_z does not
    assert pc.b2_residual(a, b, 0.45, 0.25, 0.6, sign_jz=-1) > 1e-2


@pytest.mark.parametrize("args", [(0.5, 0.0, 0.0), (0.5, 0.3, 0.0), (0.3, 2.0, math.pi / 2), (0.3, 0.5, 0.8)])
def test_b3_holds_at_engine_gap(sc, args):
    t, j, theta = args
    assert_allclose(pc.b3_lhs(sc, t * sc.tc0, j * sc.delta0, theta), 1.0, atol=1e-6)


def test_b3_fails_away_from_gap(sc):
    T = 0.5 * sc.tc0
    assert abs(pc.b3_lhs(sc, T, delta=0.5 * sc.gap(T)) - 1) > 1e-2


def test_eq6_identity():
    assert pc.eq6_residual(np.linspace(-200, 200, 2001), 0.05) < 1e-14


def test_inplane_gap_scan_single_branch(sc):
    hp = sc.delta0 / math.sqrt(2)
    s = pc.inplane_gap_scan(sc, np.array([5.0, 40.0]) * hp, n_trial=21)
    assert list(s.n_minima) == [1, 1]
    assert s.gap[0] > s.gap[1] > 0
