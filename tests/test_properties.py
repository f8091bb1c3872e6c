"""Property-based tests (hypothesis) over the public API of the library modules.

For any input a public function either returns a finite, physically bounded
result or raises TypeError, ValueError or ConvergenceError -- within a time
limit (the hypothesis deadline).  The bounds are derived in the docstrings.
Inputs are drawn from wide ranges *including* NaN, infinities, negative and
zero values and wrong types, so the error paths are exercised too.

Runtime: the examples per property are few (settings below) and the
superconductor is the session-cached paper one; the whole file runs in a few
seconds (measured in the library chapter's notes).
"""
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import isingsc
from isingsc import formulas
from isingsc.errors import ConvergenceError

ALLOWED = (TypeError, ValueError, ConvergenceError)

# deterministic in CI (no example database, derandomised), with a deadline per example
FAST = settings(max_examples=40, deadline=1000, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=12, deadline=5000, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
anything = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 10), st.text(max_size=3),
                     st.none(), st.complex_numbers(max_magnitude=10), st.booleans())
positive = st.floats(min_value=1e-6, max_value=1e3)
angle = st.floats(min_value=-10.0, max_value=10.0)


def bounded_or_error(call):
    """Run ``call``; return its value, or ``None`` if it raised one of the three allowed errors."""
    try:
        return call()
    except ALLOWED:
        return None


# ------------------------------------------------------------------ formulas
@FAST
@given(delta=st.one_of(positive, anything), lam=st.one_of(finite, anything))
def test_c8_susceptibility_is_a_fraction_of_chi_p(delta, lam):
    """0 <= chi_s/chi_P <= 1 (Eq. C8: the superconductor never exceeds the normal-state value)."""
    out = bounded_or_error(lambda: formulas.weak_soc_susceptibility(delta, lam))
    if out is not None:
        assert np.all(np.isfinite(out)) and np.all(out >= 0.0) and np.all(out <= 1.0)


@FAST
@given(T=st.one_of(st.floats(0, 1e3), anything), delta=st.one_of(st.floats(0, 1e3), anything))
def test_yosida_function_is_a_fraction(T, delta):
    """0 <= Y(T, Delta) <= 1, and Y = 1 for Delta = 0 at T > 0."""
    out = bounded_or_error(lambda: formulas.yosida_function(T, delta))
    if out is not None:
        assert 0.0 <= out <= 1.0
        if delta == 0 and T > 0:
            assert abs(out - 1.0) < 1e-6


@FAST
@given(J=st.one_of(st.floats(0, 10), anything), split=st.one_of(st.floats(-100, 100), anything),
       tc0=st.one_of(st.floats(1e-3, 10), anything))
def test_tc_formulas_are_between_zero_and_tc0(J, split, tc0):
    """0 <= Tc(J) <= Tc0; an Ising splitting protects: Tc(J, l) >= Tc(J, 0) (pair breaking J^2/rho^2 < 1)."""
    pauli = bounded_or_error(lambda: formulas.pauli_limited_tc(J, tc0))
    ising = bounded_or_error(lambda: formulas.ising_tc(J, split, tc0))
    for out in (pauli, ising):
        if out is not None:
            assert math.isfinite(out) and 0.0 <= out <= tc0 * (1 + 1e-12)
    if pauli is not None and ising is not None:
        assert ising >= pauli - 1e-9 * tc0


@FAST
@given(n0=st.floats(1e-3, 10), chi_n=st.floats(0, 10), chi_s=st.floats(0, 10), theta=angle, d0=st.floats(1e-3, 5))
def test_critical_field_estimate_is_positive(n0, chi_n, chi_s, theta, d0):
    denom = chi_n - chi_s * np.sin(theta) ** 2
    if denom > 1e-12 * max(chi_n, chi_s):
        out = formulas.critical_field_estimate(n0, chi_n, chi_s, theta, d0)
        assert 0 < out < np.inf
    else:  # no first-order transition in this estimate: refused, never inf
        with pytest.raises(ValueError, match="no first-order transition"):
            formulas.critical_field_estimate(n0, chi_n, chi_s, theta, d0)


# ------------------------------------------------------------------ band model
hoppings = st.lists(st.floats(-150, 150), min_size=6, max_size=6)
phases = st.lists(st.floats(-math.pi, math.pi), min_size=6, max_size=6)
momenta = st.lists(st.floats(-20, 20), min_size=1, max_size=8)


@FAST
@given(eps=st.floats(-300, 300), t=hoppings, phi=phases, kx=momenta, ky=momenta)
def test_bands_are_finite_time_reversal_symmetric_and_periodic(eps, t, phi, kx, ky):
    """xi_down(k) = xi_up(-k) (time reversal) and xi(k + b) = xi(k) for any model."""
    m = isingsc.TriangularTMD(eps, t, phi)
    n = min(len(kx), len(ky))
    kx, ky = np.array(kx[:n]), np.array(ky[:n])
    up, down = m.dispersion(kx, ky)
    assert np.all(np.isfinite(up)) and np.all(np.isfinite(down))
    bound = abs(eps) + 2 * 6 * sum(abs(x) for x in t)  # at most six bonds per shell
    assert np.all(np.abs(up) <= bound)
    _, down_m = m.dispersion(-kx, -ky)
    np.testing.assert_allclose(down_m, up, atol=1e-9 * bound)
    b1, _ = isingsc.reciprocal_vectors()
    up_b, _ = m.dispersion(kx + b1[0], ky + b1[1])
    np.testing.assert_allclose(up_b, up, atol=1e-9 * bound)


@FAST
@given(t0=st.floats(-100, 100), target=st.one_of(st.floats(0, 1000), anything))
def test_with_lambda_soc_sets_lambda_or_refuses(t0, target):
    """lambda_soc of the derived model is the requested value; impossible values raise ValueError."""
    m = isingsc.TriangularTMD(-40.0, (t0, 90.0, 0, 0, 0, 0), (0.3, 0, 0, 0, 0, 0))
    out = bounded_or_error(lambda: m.with_lambda_soc(target))
    if out is not None:
        assert abs(out.lambda_soc - target) <= 1e-9 * max(1.0, abs(t0))
        assert out.t == m.t and out.phi[1:] == m.phi[1:]


@FAST
@given(energies=st.lists(st.floats(-800, 800), min_size=1, max_size=5))
def test_density_of_states_is_non_negative_and_vanishes_outside_the_band(energies):
    m = isingsc.NbSe2()
    dos = m.density_of_states(energies, nk=48)
    assert np.all(dos >= 0) and np.all(np.isfinite(dos))
    e = np.array(energies)
    # Table I's band lies within [-444, 561] meV; a crude bound from the hoppings: |xi - eps| <= 6 sum |t_j|
    width = 6 * sum(abs(x) for x in m.t)
    assert np.all(dos[(e < m.epsilon - width) | (e > m.epsilon + width)] == 0.0)


@FAST
@given(a=st.one_of(st.floats(1e-3, 1e3), anything))
def test_cell_area_times_zone_area(a):
    out = bounded_or_error(lambda: isingsc.unit_cell_area(a))
    if out is not None:
        assert math.isclose(out * isingsc.brillouin_zone_area() / a**2, (2 * math.pi) ** 2, rel_tol=1e-12)


# ------------------------------------------------------------------ couplings and stacks
chis = st.floats(0, 10)
stack_params = st.tuples(st.floats(-5, 5), st.floats(-5, 5), st.floats(0, 3), st.floats(0, 3), st.floats(0, 2),
                         chis, chis)


@FAST
@given(p=stack_params, t1=angle, t2=angle)
def test_quadratic_coupling_energy_is_bounded(p, t1, t2):
    """-2 (chi_par + chi_perp) J^2 <= df_sc <= 0: |n1 + n2| <= 2."""
    *_, J, cp, cz = p
    e = float(isingsc.IsingQuadraticCoupling(cp, cz).energy(t1, t2, J))
    assert -2 * (cp + cz) * J**2 * (1 + 1e-12) - 1e-300 <= e <= 0.0


@FAST
@given(n0=chis, jbar=st.floats(0, 3), t1=angle, t2=angle)
def test_conventional_coupling_energy_is_bounded(n0, jbar, t1, t2):
    """0 <= N0 Jbar^2 cos^2((t1 - t2)/2) <= N0 Jbar^2."""
    e = float(isingsc.ConventionalCoupling(n0, jbar).energy(t1, t2))
    assert -1e-15 <= e <= n0 * jbar**2 * (1 + 1e-12) + 1e-300


@FAST
@given(K=st.floats(-5, 5), cp=chis, cz=chis, J=st.floats(0, 2))
def test_effective_anisotropy_and_easy_direction(K, cp, cz, J):
    """K_eff = K - (chi_par - chi_perp) J^2 / 2; the easy angle is 0 (K_eff >= 0) or pi/2 (< 0), never nan."""
    keff = isingsc.effective_anisotropy(K, cp, J, cz)
    assert math.isclose(keff, K - 0.5 * (cp - cz) * J**2, rel_tol=1e-12, abs_tol=1e-12)
    th = isingsc.easy_direction(K, cp, J, cz)
    assert th == (0.0 if keff >= 0 else 0.5 * math.pi)


@FAST
@given(p=stack_params, t1=angle, t2=angle, H=st.floats(-5, 5), v=angle)
def test_relaxation_lowers_the_energy_and_ends_in_a_minimum(p, t1, t2, H, v):
    K1, K2, Ms1, Ms2, J, cp, cz = p
    stack = isingsc.FSFStack(K1, K2, Ms1, Ms2, J, isingsc.IsingQuadraticCoupling(cp, cz))
    r = isingsc.relax(stack, t1, t2, H, v)
    e0 = float(stack.energy(t1, t2, H, v))
    scale = stack.energy_scale(H)
    assert r.energy <= e0 + 1e-12 * scale
    assert math.isclose(r.energy, float(stack.energy(r.theta1, r.theta2, H, v)), abs_tol=1e-10 * scale)
    if r.converged:
        assert np.max(np.abs(stack.gradient(r.theta1, r.theta2, H, v))) <= 1e-6 * scale
        assert np.linalg.eigvalsh(stack.hessian(r.theta1, r.theta2, H, v))[0] >= -1e-7 * scale


@FAST
@given(p=stack_params)
def test_ground_state_is_the_lowest_of_the_collinear_states(p):
    """The global minimum is at most the energy of any collinear state; angles in the canonical range."""
    K1, K2, Ms1, Ms2, J, cp, cz = p
    stack = isingsc.FSFStack(K1, K2, Ms1, Ms2, J, isingsc.IsingQuadraticCoupling(cp, cz))
    gs = isingsc.ground_state(stack)
    scale = stack.energy_scale()
    half = 0.5 * math.pi
    for a, b in ((0, 0), (0, math.pi), (half, half), (half, -half), (0, half), (half, 0)):
        assert gs.energy <= float(stack.energy(a, b)) + 1e-9 * scale
    assert 0.0 <= gs.theta1 <= half + 1e-12
    assert gs.alignment in ("out-of-plane", "in-plane", "canted")


@FAST
@given(K1=st.floats(-3, 3), K2=st.floats(-3, 3), J=st.floats(0.1, 2), cp=st.floats(0, 3), cz=st.floats(0, 3))
def test_collinear_determinant_agrees_with_the_hessian(K1, K2, J, cp, cz):
    """Positive determinant (with A1 > 0) <=> the parallel out-of-plane state's zero-field Hessian is positive."""
    stack = isingsc.FSFStack(K1, K2, 1.0, 1.0, J, isingsc.IsingQuadraticCoupling(cp, cz))
    lam = np.linalg.eigvalsh(stack.hessian(0.0, 0.0))
    D = isingsc.collinear_determinant(K1, K2, J, cp, cz)
    margin = 1e-9 * (abs(K1) + abs(K2) + (cp + cz) * J**2)
    assume(abs(lam[0]) > margin)
    assert (D > 0) == (lam[0] > 0)


@FAST
@given(p=stack_params, angle_=st.floats(0, 0.5 * math.pi), h_tol=st.one_of(st.floats(1e-17, 1e-2), anything))
def test_loops_are_bounded_and_symmetric(p, angle_, h_tol):
    """|M| <= Ms1 + Ms2, and a loop along z is odd: M_asc(H) = -M_desc(-H)."""
    K1, K2, Ms1, Ms2, J, cp, cz = p
    stack = isingsc.FSFStack(K1, K2, Ms1, Ms2, J, isingsc.IsingQuadraticCoupling(cp, cz))
    loop = bounded_or_error(lambda: isingsc.hysteresis_loop(stack, 3.0, 24, angle_, h_tol=h_tol))
    if loop is None:
        return
    ms = Ms1 + Ms2
    assert np.all(np.hypot(loop.M_z, loop.M_x) <= ms * (1 + 1e-12) + 1e-300)
    for e in loop.switching_fields:
        assert -3.0 <= e.H <= 3.0


# ------------------------------------------------------------------ superconductor response and the stack
@pytest.fixture(scope="module")
def resp(paper_resp):
    return paper_resp


@SLOW
@given(T=st.one_of(st.floats(0, 1.3), anything))
def test_susceptibility_tables_are_bounded(resp, T):
    """0 <= chi_perp(T) <= chi_par(T) + 1e-3 chi_s(0) <= 1.01 chi_P over the tabulated range (T in units of Tc0)."""
    out = bounded_or_error(lambda: (resp.chi_par_at(T * resp.tc0), resp.chi_perp_at(T * resp.tc0)))
    if out is None:
        return
    par, perp = out
    assert 0.0 <= perp <= par + 1e-3 * resp.chi_s0
    assert 0.9 * resp.chi_s0 <= par <= 1.01 * resp.chi_pauli


@SLOW
@given(K=st.floats(-1e-3, 1e-3), J=st.floats(0, 0.5), t=st.floats(0, 1.3),
       form=st.sampled_from(["paper", "complete", "quartic", 3]))
def test_single_magnet_anisotropy_is_bounded(resp, K, J, t, form):
    """K - chi_par J^2/2 <= K_eff <= K (0 <= chi_eff <= chi_par); the easy angle is in [0, pi/2]."""
    keff = bounded_or_error(lambda: isingsc.single_magnet_anisotropy(K, J, t * resp.tc0, resp, form))
    if keff is None:
        assert form not in ("paper", "complete")
        return
    chi_par = resp.chi_par_at(t * resp.tc0)
    tol = 1e-12 * (abs(K) + chi_par * J**2) + 1e-3 * resp.chi_s0 * J**2
    assert K - 0.5 * chi_par * J**2 - tol <= keff <= K + tol
    th = isingsc.single_magnet_easy_axis(K, J, t * resp.tc0, resp, form)
    assert math.isnan(th) or 0.0 <= th <= 0.5 * math.pi


@SLOW
@given(k1=st.lists(st.floats(0, 3), min_size=1, max_size=4), ratio=st.floats(0.5, 2),
       form=st.sampled_from(["paper", "complete"]), n_t=st.one_of(st.integers(-2, 80), anything))
def test_t_star_map_is_in_range(resp, k1, ratio, form, n_t):
    """T*/Tc0 in [0, t_max] or nan; the window of chi_eff/chi_s(0) is within [0, chi_P/chi_s(0)]."""
    m = bounded_or_error(lambda: isingsc.t_star_map(k1, [150.0], form, k1_over_k2=ratio, t_max=1.2, n_t=n_t))
    if m is None:
        return
    ok = np.isfinite(m.t_star_tc0)
    assert np.all((m.t_star_tc0[ok] >= 0) & (m.t_star_tc0[ok] <= 1.2))
    np.testing.assert_allclose(m.t_star[ok], (m.t_star_tc0 * m.tc0[:, None])[ok])  # t_star itself is in meV
    assert np.all(m.k_window >= -1e-3) and np.all(m.k_window <= resp.chi_pauli / resp.chi_s0 * 1.01)


@SLOW
@given(k=st.floats(0.0, 2.0), ratio=st.floats(1.0, 1.5), form=st.sampled_from(["paper", "complete"]))
def test_t_star_transitions_are_ordered_and_in_the_scan(resp, k, ratio, form):
    J = 0.01
    K1 = k * resp.chi_s0 * J**2
    res = isingsc.find_t_star(resp, K1, K1 / ratio, J, form, n_scan=6, t_tol=1e-3)
    ts = [tr.t for tr in res.transitions]
    assert ts == sorted(ts) and all(0.0 <= t <= 1.2 for t in ts)
    for a, b in zip(res.transitions[:-1], res.transitions[1:]):
        assert a.above == b.below
