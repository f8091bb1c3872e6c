"""Ground-state transitions T*, stability edges and maps (isingsc.tstar)."""
import math

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


@pytest.mark.parametrize("coupling_form, k, direction", [("complete", 0.6, "in-plane -> out-of-plane"),
                                                  ("paper", 1.01, "out-of-plane -> in-plane")])
def test_t_star_at_the_analytic_condition(sc, resp, coupling_form, k, direction):
    """Identical magnets: out of plane iff K > (chi_par - chi_perp) J^2 (complete) or chi_par J^2 (paper)."""
    J = 0.25 * sc.delta0 / math.sqrt(2)
    K = k * resp.chi_s0 * J**2
    res = isingsc.find_t_star(resp, K, K, J, coupling_form, t_tol=1e-5)
    assert len(res.transitions) == 1 and res.direction == direction
    Ts = res.t_star

    def condition(T):
        chi_perp = sc.spin_susceptibility(T, 0.0) if coupling_form == "complete" else 0.0
        return K - (sc.spin_susceptibility(T, np.pi / 2) - chi_perp) * J**2

    dT = 2e-3 * resp.tc0
    assert condition(Ts - dT) * condition(Ts + dT) < 0  # the analytic condition changes sign at T*
    T_edge = isingsc.stability_temperature(resp, K, K, J, coupling_form, "out-of-plane", (0.0, 1.2 * resp.tc0), t_tol=1e-6)
    assert_allclose(T_edge, res.t_star, atol=2e-5 * resp.tc0)          # both in meV
    assert_allclose(T_edge / resp.tc0, res.t_star_tc0, atol=2e-5)


def test_fig4_stability_edges_are_the_ground_state_transitions(resp):
    for k1 in (1.05, 0.95):
        P = isingsc.Fig4Parameters(k1=k1)
        res = isingsc.find_t_star(resp, P.K1, P.K2, P.J, "complete", t_tol=1e-5)
        assert res.transitions[-1].above == "out-of-plane"
        T_out = isingsc.stability_temperature(resp, P.K1, P.K2, P.J, "complete", "out-of-plane", (0, resp.tc0), t_tol=1e-6)
        assert_allclose(T_out, res.t_star_last, atol=2e-5 * resp.tc0)
        # the paper's own coupling gives no transition for these parameters
        assert isingsc.find_t_star(resp, P.K1, P.K2, P.J, "paper").transitions == ()
