"""Tabulated susceptibilities chi_par(T), chi_perp(T) of the superconductor (isingsc.response)."""
import numpy as np
import pytest
from numpy.testing import assert_allclose

from isingsc import IsingQuadraticCoupling


@pytest.fixture
def sc(paper_sc):
    return paper_sc


@pytest.fixture
def resp(paper_resp):
    return paper_resp


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


def test_paper_and_complete_trends_are_opposite(resp):
    """chi_s grows with T (Eq. 10 favours in-plane on warming); chi_par - chi_perp shrinks to ~0 at Tc."""
    t = np.linspace(0, 1, 11) * resp.tc0
    paper = resp.anisotropy_susceptibility(t, "paper")
    complete = resp.anisotropy_susceptibility(t, "complete")
    assert np.all(np.diff(paper) > -1e-9 * resp.chi_s0)
    assert np.all(np.diff(complete) < 0)
    assert abs(complete[-1]) < 1e-3 * resp.chi_s0
