"""One magnet on the Ising superconductor: Eq. (10) and the complete form (isingsc.anisotropy)."""
import numpy as np
import pytest
from numpy.testing import assert_allclose

import isingsc


@pytest.fixture
def sc(paper_sc):
    return paper_sc


@pytest.fixture
def resp(paper_resp):
    return paper_resp


@pytest.mark.parametrize("coupling_form", ["paper", "complete"])
def test_single_magnet_boundary(sc, resp, coupling_form):
    """Easy axis flips at K = chi_par J^2/2 (paper, Eq. 10) or (chi_par - chi_perp) J^2/2 (complete)."""
    J = 0.3 * sc.delta0
    for t in (0.0, 0.4, 0.8, 1.1):
        T = t * resp.tc0
        chi_par = sc.spin_susceptibility(T, np.pi / 2)
        chi_perp = sc.spin_susceptibility(T, 0.0) if coupling_form == "complete" else 0.0
        Kc = 0.5 * (chi_par - chi_perp) * J**2
        assert_allclose(isingsc.single_magnet_anisotropy(Kc, J, T, sc, coupling_form), 0.0, atol=1e-5 * resp.chi_s0 * J**2)
        above, below = isingsc.single_magnet_easy_axis([1.001 * Kc + 1e-9 * J**2, 0.999 * Kc - 1e-9 * J**2], J, T, sc, coupling_form)
        assert above == 0.0 and below == 0.5 * np.pi
    t = np.array([0.0, 0.3, 0.7, 1.05])
    pd = isingsc.easy_axis_phase_diagram(resp, t, np.linspace(0, 1, 11), coupling_form)
    direct = [sc.spin_susceptibility(x * resp.tc0, np.pi / 2)
              - (sc.spin_susceptibility(x * resp.tc0, 0.0) if coupling_form == "complete" else 0.0) for x in t]
    assert_allclose(pd.k_boundary, 0.5 * np.array(direct) / resp.chi_s0, atol=1e-5)
    assert pd.theta.shape == (11, 4)
    assert np.all(pd.theta[pd.k[:, None] > pd.k_boundary[None, :] + 1e-9] == 0.0)
