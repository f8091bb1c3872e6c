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


def _plain_bisection(scan, labels, t_tol, label):
    """The bisection of find_t_star before predictions, written out: every midpoint labelled exactly."""
    out = []
    for i in range(len(scan) - 1):
        lo, lab_lo = scan[i], labels[i]
        while lab_lo != labels[i + 1]:
            hi, lab_hi = scan[i + 1], labels[i + 1]
            while hi - lo > t_tol:
                mid = 0.5 * (lo + hi)
                if mid in (lo, hi):
                    break
                lab = label(mid)
                if lab == lab_lo:
                    lo = mid
                else:
                    hi, lab_hi = mid, lab
            out.append((0.5 * (lo + hi), lab_lo, lab_hi))
            lo, lab_lo = hi, lab_hi
    return out


@pytest.mark.parametrize("shift", [0.0, 3e-3, -0.02, 0.2])
def test_predicted_bisection_gives_the_exact_bisection(shift):
    """Predictions (right, slightly off, far off) choose where to look; the exact labels decide the result."""
    from isingsc.tstar import _bisect_labels

    edges = (0.4027, 0.4095)                # in plane -> canted -> out of plane, as the microscopic Fig. 4(b)

    def truth(t, at=edges):
        return "in-plane" if t < at[0] else "canted" if t < at[1] else "out-of-plane"

    calls = []

    def exact(ts):
        calls.extend(ts)
        return [truth(t) for t in ts]

    scan = np.array([0.337, 0.457])
    labels = exact(scan.tolist())
    plain = _plain_bisection(scan.tolist(), labels, 4e-3, truth)
    calls.clear()
    res = _bisect_labels(scan, labels, 4e-3, 1.0, exact, lambda t: truth(t, (edges[0] + shift, edges[1] + shift)))
    assert [(tr.t, tr.below, tr.above) for tr in res] == plain
    if shift == 0.0:
        assert len(calls) < 5           # the plain bisection labels 9 midpoints exactly
    calls.clear()
    res = _bisect_labels(scan, labels, 4e-3, 1.0, exact, lambda t: None)     # no prediction: plain bisection
    assert [(tr.t, tr.below, tr.above) for tr in res] == plain and len(calls) == 9


def test_microscopic_t_star_equals_the_exact_bisection(sc, resp):
    """find_t_star's predicted search returns the transitions of labelling every bisection midpoint exactly."""
    from isingsc.magnetism import FSFStack, ground_state

    P = isingsc.Fig4Parameters(k1=0.85)
    opts = dict(n_magnitudes=4, n_angles=3)
    temperatures = np.array([0.40, 0.58]) * resp.tc0
    res = isingsc.find_t_star(resp, P.K1, P.K2, P.J, "microscopic", temperatures=temperatures, t_tol=4e-3, **opts)
    scan = (temperatures / resp.tc0).tolist()           # as find_t_star scans, in units of Tc0

    def label(t):
        cpl = isingsc.microscopic_coupling(sc, t * resp.tc0, P.J, **opts)
        return ground_state(FSFStack(P.K1, P.K2, 1.0, 1.0, P.J, cpl)).alignment

    plain = _plain_bisection(scan, list(res.alignments), 4e-3, label)
    assert len(plain) >= 1
    assert [(tr.t, tr.below, tr.above) for tr in res.transitions] == plain
