"""Stoner-Wohlfarth hysteresis loops of the F/S/F stack, Eqs. (12)-(15) (isingsc.hysteresis)."""
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from isingsc.magnetism import (
    ConventionalCoupling,
    FSFStack,
    IsingQuadraticCoupling,
    collinear_stability_limits,
)
from isingsc.hysteresis import MinimumFollower, hysteresis_loop

H_TOL = 1e-6  # default relative resolution of the switching fields


def astroid(psi):
    """Stoner-Wohlfarth switching field in units of 2K/Ms."""
    return (np.cos(psi) ** (2 / 3) + np.sin(psi) ** (2 / 3)) ** -1.5


def events(loop, branch=None):
    return [e for e in loop.switching_fields if branch is None or e.branch == branch]


def test_field_path_validation():
    st = FSFStack.single(1.0, 1.0)
    with pytest.raises(ValueError, match="not strictly monotonic"):
        hysteresis_loop(st, field_path=[np.array([3.0, 1.0, 2.0, -3.0]), np.linspace(-3, 3, 5)])
    with pytest.raises(ValueError, match="not strictly monotonic"):
        hysteresis_loop(st, field_path=[np.array([3.0, 1.0, 1.0, -3.0])])
    with pytest.raises(ValueError, match="must be finite"):
        hysteresis_loop(st, field_path=[np.array([3.0, np.nan, -3.0])])
    with pytest.raises(ValueError, match="H_max must be > 0"):
        hysteresis_loop(st, -1.0)
    with pytest.raises(ValueError, match="give H_max"):
        hysteresis_loop(st)
    with pytest.raises(ValueError, match="n_steps"):
        hysteresis_loop(st, 3.0, n_steps=0)


# -------------------------------------------------------------- Stoner-Wohlfarth
def test_single_macrospin_easy_axis_switches_at_2K_over_Ms():
    K, Ms = 1.3, 0.7
    loop = hysteresis_loop(FSFStack.single(K, Ms), 2.0 * 2 * K / Ms)
    (down,), (up,) = events(loop, "descending"), events(loop, "ascending")
    assert_allclose(down.H, -2 * K / Ms, atol=4 * H_TOL * 2 * K / Ms)
    assert_allclose(up.H, 2 * K / Ms, atol=4 * H_TOL * 2 * K / Ms)
    assert down.magnets == up.magnets == (1,)
    d = loop.descending
    assert np.all(d.M_z[d.H > down.H] == Ms) and np.all(d.M_z[d.H < down.H] == -Ms)
    assert loop.H.size == 2 * 401 and loop.M_z.size == 2 * 401


@pytest.mark.parametrize("psi", [0.15, 0.5, np.pi / 4 - 0.05, np.pi / 4 + 0.1, 1.2, 1.45])
def test_oblique_switching_follows_the_astroid(psi):
    K, Ms = 0.8, 1.6
    hk = 2 * K / Ms
    loop = hysteresis_loop(FSFStack.single(K, Ms), 2.5 * hk, field_angle=psi)
    assert [e.branch for e in loop.switching_fields] == ["descending", "ascending"]
    down, up = loop.switching_fields
    assert_allclose(-down.H, astroid(psi) * hk, rtol=5 * H_TOL)
    assert_allclose(up.H, astroid(psi) * hk, rtol=5 * H_TOL)
    # coercive field (sign change of M along H): the jump for psi < pi/4,
    # the reversible zero crossing H_c = sin(psi) cos(psi) 2K/Ms before the jump for psi > pi/4
    coercive = loop.coercive_fields()
    hc = astroid(psi) if psi < np.pi / 4 else np.sin(psi) * np.cos(psi)
    assert_allclose([h for _, h in coercive], [-hc * hk, hc * hk], rtol=5 * H_TOL)
    if psi > np.pi / 4:
        assert hc < astroid(psi) - 0.01


def test_hard_axis_field_has_no_hysteresis():
    K, Ms = 1.0, 2.0
    hk = 2 * K / Ms
    loop = hysteresis_loop(FSFStack.single(K, Ms), 3 * hk, field_angle=np.pi / 2)
    assert loop.switching_fields == ()
    d, a = loop.descending, loop.ascending
    assert_allclose(a.H[::-1], d.H, atol=1e-15)
    assert_allclose(a.M_x[::-1], d.M_x, atol=1e-7)
    assert_allclose(d.M_x, Ms * np.clip(d.H / hk, -1, 1), atol=1e-7)
    # M_z breaks the symmetry deterministically but has the same magnitude on both branches
    assert_allclose(np.abs(a.M_z[::-1]), np.abs(d.M_z), atol=1e-3)
    assert_allclose(d.M_z**2 + d.M_x**2, Ms**2, rtol=1e-12)


def test_minor_loop_keeps_history():
    st = FSFStack.single(1.0, 1.0)  # switches at |H| = 2
    down = np.linspace(3.0, -1.5, 91)
    loop = hysteresis_loop(st, field_path=[down, down[::-1]])
    assert loop.switching_fields == ()
    assert np.all(loop.M_z == 1.0)
    full = hysteresis_loop(st, field_path=[np.linspace(3.0, -2.5, 111), np.linspace(-2.5, 1.5, 81)])
    assert [e.branch for e in full.switching_fields] == ["descending"]
    assert full.ascending.M_z[-1] == -1.0


def test_loops_are_symmetric_under_field_and_magnetization_reversal():
    st = FSFStack(1.6, 1.1, 1.12, 1.0, J=1.0, coupling=IsingQuadraticCoupling(1.0, 0.15))
    loop = hysteresis_loop(st, 4.0, field_angle=0.25)
    d, a = loop.descending, loop.ascending
    assert_allclose(a.H, -d.H, atol=0)
    assert_allclose(a.M_z, -d.M_z, atol=1e-9)
    assert_allclose(a.M_x, -d.M_x, atol=1e-9)
    hd = sorted(-e.H for e in events(loop, "descending"))
    ha = sorted(e.H for e in events(loop, "ascending"))
    assert len(hd) == 2
    assert_allclose(ha, hd, atol=4 * H_TOL * 4.0)


# -------------------------------------------------------------- coupled magnets
def test_identical_magnets_with_eq_13_switch_together_at_2_K_minus_chi_J2():
    K, Ms, chi, J = 1.3, 1.0, 0.8, 1.1
    st = FSFStack(K, K, Ms, Ms, J=J, coupling=IsingQuadraticCoupling(chi))
    loop = hysteresis_loop(st, 3.0)
    paper = 2 * (K - chi * J**2) / Ms
    assert [e.magnets for e in loop.switching_fields] == [(1, 2), (1, 2)]
    assert_allclose([e.H for e in loop.switching_fields], [-paper, paper], atol=4 * H_TOL * 3.0)
    # the uncoupled value 2K/Ms is far off
    assert abs(paper - 2 * K / Ms) > 1.0
    assert_allclose(collinear_stability_limits(st)[0], -paper, rtol=1e-12)


def test_chi_perp_replaces_chi_s_by_chi_par_minus_chi_perp():
    K, chi, chiz, J = 1.5, 1.0, 0.3, 1.0
    st = FSFStack(K, K, 1.0, 1.0, J=J, coupling=IsingQuadraticCoupling(chi, chiz))
    loop = hysteresis_loop(st, 3.0)
    assert_allclose([e.H for e in loop.switching_fields],
                    [-2 * (K - (chi - chiz) * J**2), 2 * (K - (chi - chiz) * J**2)], atol=4 * H_TOL * 3.0)


def test_paper_coercive_formula_needs_equal_K_minus_chi_J2_over_Ms():
    # different magnets, but (K1 - chi J^2)/Ms1 = (K2 - chi J^2)/Ms2: the formula holds, one coherent jump
    st = FSFStack(1.5, 2.0, 1.0, 2.0, J=1.0, coupling=IsingQuadraticCoupling(1.0))
    loop = hysteresis_loop(st, 3.0)
    assert [e.magnets for e in loop.switching_fields] == [(1, 2), (1, 2)]
    assert_allclose([e.H for e in loop.switching_fields], [-1.0, 1.0], atol=4 * H_TOL * 3.0)


def test_different_magnets_switch_together_between_the_two_paper_fields():
    chi, J = 1.0, 1.0
    st = FSFStack(1.5, 1.3, 1.0, 1.0, J=J, coupling=IsingQuadraticCoupling(chi))
    paper = sorted(2 * (K - chi * J**2) for K in (1.5, 1.3))  # [0.6, 1.0]
    loop = hysteresis_loop(st, 4.0)
    (down,) = events(loop, "descending")
    assert down.magnets == (1, 2)
    # instability of the parallel state: det[[2K1 - chi J^2 - h, -chi J^2], [-chi J^2, 2K2 - chi J^2 - h]] = 0
    a1, a2, c = 2 * 1.5 - chi * J**2, 2 * 1.3 - chi * J**2, chi * J**2
    h_star = 0.5 * (a1 + a2) - math.sqrt(0.25 * (a1 - a2) ** 2 + c**2)
    assert_allclose(-down.H, h_star, atol=4 * H_TOL * 4.0)
    assert paper[0] + 0.1 < h_star < paper[1] - 0.1


def test_different_magnets_switch_one_by_one_at_coupled_stability_limits():
    chi, J = 1.0, 1.0
    K1, K2 = 2.0, 1.2
    st = FSFStack(K1, K2, 1.0, 1.0, J=J, coupling=IsingQuadraticCoupling(chi))
    loop = hysteresis_loop(st, 4.0)
    first, second = events(loop, "descending")
    assert first.magnets == (2,) and second.magnets == (1,)
    h1 = collinear_stability_limits(st, (1, 1))[0]  # parallel state along +z loses stability
    h2 = collinear_stability_limits(st, (1, -1))[0]  # then the antiparallel one
    assert_allclose([first.H, second.H], [h1, h2], atol=4 * H_TOL * 4.0)
    # the closed forms of the two determinant conditions
    c = chi * J**2
    a1, a2 = 2 * K1 - c, 2 * K2 - c
    assert_allclose(-h1, 0.5 * (a1 + a2) - math.sqrt(0.25 * (a1 - a2) ** 2 + c**2), rtol=1e-12)
    assert_allclose((a1 + h2) * (a2 - h2), c**2, rtol=1e-10)
    # neither equals the paper's 2(K_i - chi J^2)/Ms, and both lie between that and 2(K_i - chi J^2/2)/Ms
    assert 2 * (K2 - c) + 0.3 < -h1 < 2 * (K2 - 0.5 * c)
    assert 2 * (K1 - c) + 0.3 < -h2 < 2 * (K1 - 0.5 * c)
    # decoupled limit: 2 K_i / Ms
    free = hysteresis_loop(FSFStack(K1, K2, 1.0, 1.0), 5.0)
    assert_allclose(sorted(-e.H for e in events(free, "descending")), [2 * K2, 2 * K1], atol=4 * H_TOL * 5.0)


def test_paper_fig4a_parameters_do_not_give_a_stable_out_of_plane_remanence():
    # K1 = 1.05 chi J^2, K1 = 1.12 K2, Ms1 = 1.12 Ms2 (Fig. 4(a)): K2 < chi J^2 and
    # (2K1 - chi J^2)(2K2 - chi J^2) < (chi J^2)^2, so the parallel z state is unstable at H = 0
    chi, J = 1.0, 1.0
    K1 = 1.05
    st = FSFStack(K1, K1 / 1.12, 1.12, 1.0, J=J, coupling=IsingQuadraticCoupling(chi))
    low, high = collinear_stability_limits(st, (1, 1))
    assert low > 0.0 and high is None  # stable for every field above low
    loop = hysteresis_loop(st, 1.0, field_angle=0.0)
    d = loop.descending
    remanent = np.argmin(np.abs(d.H))
    assert d.H[remanent] == 0.0
    assert abs(np.sin(d.theta1[remanent])) > 0.5  # canted, not along z


def test_in_plane_regime_like_fig4cd():
    # K_i < chi_s J^2: the magnets cant continuously (pitchfork bifurcations, no jumps) in an
    # out-of-plane field, so M_z has no hysteresis (Fig. 4(c)); an in-plane field gives an M_x loop (Fig. 4(d))
    chi, J, K1 = 1.0, 1.0, 0.85
    st = FSFStack(K1, K1 / 1.12, 1.12, 1.0, J=J, coupling=IsingQuadraticCoupling(chi))
    out = hysteresis_loop(st, 1.0, field_angle=0.0)
    assert out.switching_fields == ()
    assert_allclose(out.ascending.M_z[::-1], out.descending.M_z, atol=1e-8)
    d = out.descending
    assert np.all(np.abs(d.M_z[np.abs(d.H) < 0.1]) < 0.5 * (1.12 + 1.0))  # canted towards the plane
    inplane = hysteresis_loop(st, 1.0, field_angle=np.pi / 2)
    (down,), (up,) = events(inplane, "descending"), events(inplane, "ascending")
    assert down.magnets == (1, 2) and down.H < -0.05
    assert_allclose(up.H, -down.H, atol=4 * H_TOL)
    a, d = inplane.ascending, inplane.descending
    between = np.abs(d.H) < 0.9 * up.H
    assert np.all(np.sign(d.M_x[between]) == -np.sign(a.M_x[::-1][between]))  # open M_x loop


def test_conventional_coupling_loop_passes_through_antiparallel_plateau():
    st = FSFStack(1.0, 0.8, 1.0, 1.0, coupling=ConventionalCoupling(1.0, 0.5))
    loop = hysteresis_loop(st, 3.0)
    first, second = events(loop, "descending")
    assert first.magnets == (2,) and second.magnets == (1,)
    d = loop.descending
    plateau = (d.H < first.H) & (d.H > second.H)
    assert plateau.sum() > 10
    assert_allclose(d.M_z[plateau], 0.0, atol=1e-12)
    assert_allclose([first.H, second.H],
                    [collinear_stability_limits(st, (1, 1))[0], collinear_stability_limits(st, (1, -1))[0]],
                    atol=4 * H_TOL * 3.0)


# -------------------------------------------------------------- the follower, piece by piece
def test_follower_is_immutable():
    import dataclasses

    f = MinimumFollower(FSFStack.single(1.0, 1.0))
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.field_angle = 0.3


def test_follower_bisection_stops_at_one_float_step():
    """Asked for the finest resolution the range allows, the bisection ends (at most ~60 halvings)."""
    st = FSFStack.single(1.0, 1.0)
    f = MinimumFollower(st, 0.0, h_resolution=10 * np.finfo(float).eps * 3.0, H_scale=3.0)
    kept, left = f.bisect_switching_field((0.0, 0.0), -1.5, -2.5)
    assert not f.leaves((0.0, 0.0), kept) and f.leaves((0.0, 0.0), left)
    assert abs(left - kept) <= 10 * np.finfo(float).eps * 3.0
    assert_allclose(0.5 * (kept + left), -2.0, atol=1e-9)  # 2K/Ms, resolved to the relaxation's accuracy
    # and a bracket already one float step wide is returned unchanged
    a = -2.0
    b = np.nextafter(a, -3.0)
    assert f.bisect_switching_field((0.0, 0.0), a, b) == (a, b)
    assert f.bisect_switching_field((0.0, 0.0), a, b, halvings=10) == (a, b)


@pytest.mark.parametrize("h_tol", [1e-17, 1e-300, 0.0, -1e-6, 0.2, float("nan")])
def test_unreachable_or_unphysical_h_tol_is_rejected(h_tol):
    """h_tol below the float resolution of the field range would never be met: rejected, not a hang."""
    with pytest.raises(ValueError, match="h_tol"):
        hysteresis_loop(FSFStack.single(1.0, 1.0), 3.0, 20, h_tol=h_tol)
    with pytest.raises(TypeError, match="h_tol"):
        hysteresis_loop(FSFStack.single(1.0, 1.0), 3.0, 20, h_tol="fine")


def test_finest_h_tol_terminates_and_agrees():
    st = FSFStack(1.0, 0.6, 1.0, 1.3, J=0.8, coupling=IsingQuadraticCoupling(0.4, 0.1))
    coarse = hysteresis_loop(st, 3.0, 40, h_tol=1e-6)
    finest = hysteresis_loop(st, 3.0, 40, h_tol=2.3e-15)
    assert [e.magnets for e in coarse.switching_fields] == [e.magnets for e in finest.switching_fields]
    assert_allclose([e.H for e in finest.switching_fields], [e.H for e in coarse.switching_fields], atol=3e-6 * 3.0)


def test_classify_tells_a_jump_from_a_pitchfork():
    st = FSFStack.single(1.0, 1.0)
    easy = MinimumFollower(st, 0.0, h_resolution=1e-9, H_scale=3.0)
    kept, left = easy.bisect_switching_field((0.0, 0.0), -1.9, -2.1)
    *_, before, after, jump = easy.classify((0.0, 0.0), kept, left)
    assert jump and abs(abs(after[0] - before[0]) - np.pi) < 1e-6   # reversal: a jump by pi
    # hard-axis field: coming down from saturation the moment tilts away from the field
    # continuously (a pitchfork at H = 2K/Ms): the well is left, but there is no jump
    hard = MinimumFollower(st, 0.5 * np.pi, h_resolution=1e-9, H_scale=3.0)
    state = hard.relax_to((0.5 * np.pi, 0.0), 2.5)[0]
    assert hard.leaves(state, 1.0)
    kept, left = hard.bisect_switching_field(state, 2.5, 1.0)
    assert_allclose(0.5 * (kept + left), 2.0, atol=1e-6)
    *_, jump = hard.classify(state, kept, left)
    assert not jump


def test_advance_step_by_step_reproduces_the_loop():
    st = FSFStack(1.2, 0.9, 1.12, 1.0, J=1.0, coupling=IsingQuadraticCoupling(0.5, 0.1))
    loop = hysteresis_loop(st, 3.0, 30)
    f = MinimumFollower(st, 0.0, h_resolution=1e-6 * 3.0, H_scale=3.0)
    b = loop.descending
    state = f.relax_to((0.0, 0.0), b.H[0])[0]
    events = []
    for k in range(1, b.H.size):
        state, ev, unconverged = f.advance(state, b.H[k - 1], b.H[k], "descending", 0)
        events += ev
        assert unconverged == ()
        assert_allclose(np.cos([state[0] - b.theta1[k], state[1] - b.theta2[k]]), 1.0, atol=1e-12)
    assert [e.H for e in events] == [e.H for e in loop.switching_fields if e.branch == "descending"]


def test_unresolvable_step_raises_convergence_error_instead_of_recursing(monkeypatch):
    from isingsc import hysteresis
    from isingsc.errors import ConvergenceError

    monkeypatch.setattr(hysteresis, "MAX_SEGMENTS", 0)
    f = MinimumFollower(FSFStack.single(1.0, 1.0), h_resolution=1e-9, H_scale=3.0)
    assert f.advance((0.0, 0.0), -1.0, -1.5)[1] == ()          # no switching: nothing to resolve
    with pytest.raises(ConvergenceError, match="could not resolve"):
        f.advance((0.0, 0.0), -1.9, -2.1)
