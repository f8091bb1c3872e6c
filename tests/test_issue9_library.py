"""Regression tests for the findings of issue 9 in the library modules (not the engine).

Each test names the finding: the call used to return a wrong number, hang or fail
deep inside numpy/scipy; it now returns the right number or raises TypeError
(wrong type, naming the parameter), ValueError (unphysical value, with the value
and unit) or ConvergenceError.
"""
import math
import time

import numpy as np
import pytest
from numpy.testing import assert_allclose

import isingsc
from isingsc import formulas
from isingsc.errors import ConvergenceError


@pytest.fixture
def resp(paper_resp):
    return paper_resp


# ------------------------------------------------------------------ formulas
@pytest.mark.parametrize("tc0", [float("nan"), -1.0, 0.0, float("inf")])
@pytest.mark.parametrize("call", [
    lambda tc0: formulas.ising_tc(0.5, 3.0, tc0),
    lambda tc0: formulas.fermi_surface_ising_tc(0.5, [3.0, 4.0], [1.0, 1.0], tc0),
    lambda tc0: formulas.pauli_limited_tc(0.5, tc0),
], ids=["ising_tc", "fermi_surface_ising_tc", "pauli_limited_tc"])
def test_tc_formulas_reject_unphysical_tc0(call, tc0):
    """Finding: ising_tc and friends passed NaN, negative and zero Tc0 straight to scipy."""
    with pytest.raises(ValueError, match="tc0"):
        call(tc0)


def test_fermi_surface_ising_tc_rejects_empty_or_zero_weights():
    """Finding: empty weights went to scipy."""
    with pytest.raises(ValueError, match="must not be empty"):
        formulas.fermi_surface_ising_tc(0.5, [], [], 1.0)
    with pytest.raises(ValueError, match="weights"):
        formulas.fermi_surface_ising_tc(0.5, [3.0, 4.0], [0.0, 0.0], 1.0)
    with pytest.raises(ValueError, match="weights"):
        formulas.fermi_surface_ising_tc(0.5, [3.0, 4.0], [1.0], 1.0)
    with pytest.raises(ValueError, match="weights"):
        formulas.fermi_surface_ising_tc(0.5, [3.0, 4.0], [1.0, -1.0], 1.0)


def test_pauli_limited_tc_of_nan_is_an_error_not_zero():
    """Finding: formulas.pauli_limited_tc(nan, 0.26) returned 0.0."""
    with pytest.raises(ValueError, match="J must be finite"):
        formulas.pauli_limited_tc(float("nan"), 0.26)
    with pytest.raises(ValueError, match="J must be >= 0 meV"):
        formulas.pauli_limited_tc(-0.1, 0.26)
    # the genuine zero: beyond the end of the upper second-order branch (J > 0.6 Delta0, Delta0 = 1.764 Tc0)
    assert formulas.pauli_limited_tc(0.7 * 1.764 * 0.26, 0.26) == 0.0
    assert 0.0 < formulas.pauli_limited_tc(0.5 * 1.764 * 0.26, 0.26) < 0.26


def test_yosida_function_of_infinite_temperature_is_an_error():
    """Finding: yosida_function(inf, 1) returned 0.0."""
    with pytest.raises(ValueError, match="T must be finite"):
        formulas.yosida_function(float("inf"), 1.0)
    with pytest.raises(ValueError, match="delta"):
        formulas.yosida_function(0.1, float("nan"))
    # high temperature: the normal-state value; large gap: exponentially small, never negative
    assert_allclose(formulas.yosida_function(1e6, 1.0), 1.0, rtol=1e-9)
    assert formulas.yosida_function(1e-3, 10.0) == 0.0
    T, d = 0.05, 1.0
    assert_allclose(formulas.yosida_function(T, d), math.sqrt(2 * math.pi * d / T) * math.exp(-d / T), rtol=0.05)


def test_weak_soc_susceptibility_is_finite_and_bounded_for_strong_spin_orbit():
    """Finding: weak_soc_susceptibility(1e-8, 1.0) returned -inf (cancellation in s - lambda)."""
    assert_allclose(formulas.weak_soc_susceptibility(1e-8, 1.0), 1.0, atol=1e-14)
    x = np.geomspace(1e-6, 1e12, 400)
    chi = formulas.weak_soc_susceptibility(1.0, x)
    assert np.all(np.isfinite(chi)) and np.all(chi >= 0) and np.all(chi <= 1)
    assert np.all(np.diff(chi) >= -1e-15)  # monotonic in lambda/Delta
    # the closed form equals the paper's expression where the latter is well conditioned
    lam, d = 2.0, 1.0
    s = math.hypot(lam, d)
    assert_allclose(formulas.weak_soc_susceptibility(d, lam), 1 - d * d / (2 * lam * s) * math.log((lam + s) / (s - lam)),
                    rtol=1e-13)


@pytest.mark.parametrize("call, name", [
    (lambda: formulas.weak_soc_susceptibility("a", 1.0), "delta"),
    (lambda: formulas.weak_soc_susceptibility(1.0, "b"), "lambda0"),
    (lambda: formulas.yosida_function("hot", 1.0), "T"),
    (lambda: formulas.pauli_limited_tc(0.1, "warm"), "tc0"),
    (lambda: formulas.ising_tc(0.1 + 1j, 3.0, 1.0), "J"),
    (lambda: formulas.critical_field_estimate(1.0, 2.0, None, 0.0, 1.0), "chi_s"),
    (lambda: formulas.perturbative_energies([1.0], ["x"], 0.1, 0.1, 0.0), "b"),
])
def test_formulas_name_the_parameter_of_a_wrong_type(call, name):
    """Finding: wrong types got Python's bare 'could not convert string to float'."""
    with pytest.raises(TypeError, match=rf"^{name} must be"):
        call()


# ------------------------------------------------------------ tolerances that could never be met
def test_find_t_star_rejects_an_unreachable_tolerance_quickly(resp):
    """Finding: find_t_star(..., t_tol=1e-300) was accepted and never returned."""
    J = 0.01
    K = 0.6 * resp.chi_s0 * J**2
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match="t_tol"):
        isingsc.find_t_star(resp, K, K, J, "complete", t_tol=1e-300)
    assert time.perf_counter() - t0 < 1.0  # rejected before any scan
    with pytest.raises(ValueError, match="t_tol"):
        isingsc.stability_temperature(resp, K, K, J, "complete", t_tol=1e-300)


def test_find_t_star_at_the_finest_tolerance_terminates(resp):
    """The bisection stops at one float step: the finest accepted tolerance ends, and agrees."""
    J = 0.01
    K = 0.6 * resp.chi_s0 * J**2
    fine = isingsc.find_t_star(resp, K, K, J, "complete", temperatures=[0.3 * resp.tc0, 0.8 * resp.tc0], t_tol=2.3e-15)
    coarse = isingsc.find_t_star(resp, K, K, J, "complete", temperatures=[0.3 * resp.tc0, 0.8 * resp.tc0], t_tol=1e-6)
    # identical magnets: at T* itself K_eff = 0 and every angle is degenerate, so a tolerance of a few
    # float steps may resolve a "canted" window of zero width there; its ends are the coarse T*
    assert len(coarse.transitions) == 1 and 1 <= len(fine.transitions) <= 2
    assert fine.transitions[0].below == "in-plane" and fine.transitions[-1].above == "out-of-plane"
    assert_allclose([fine.t_star, fine.t_star_last], coarse.transitions[0].T, atol=1e-6 * resp.tc0)


def test_t_star_map_with_no_temperatures_is_a_clear_error():
    """Finding: t_star_map(n_t=0) failed inside numpy."""
    for n_t in (0, 1, -3):
        with pytest.raises(ValueError, match="n_t must be >= 2"):
            isingsc.t_star_map([1.0], [150.0], n_t=n_t)
    with pytest.raises(TypeError, match="n_t"):
        isingsc.t_star_map([1.0], [150.0], n_t=2.5)
    with pytest.raises(ValueError, match="lambdas"):
        isingsc.t_star_map([1.0], [-150.0])
    with pytest.raises(ValueError, match="coupling_form"):
        isingsc.t_star_map([1.0], [150.0], "microscopic")


# ------------------------------------------------------------------ user couplings
def _nan_coupling(with_gradient=False):
    def f(jx, jz):
        out = np.where(np.abs(jx) > 0.5, np.nan, -0.1 * (jx**2 + jz**2))
        return (out, 0 * out, 0 * out) if with_gradient else out
    return isingsc.TabulatedCoupling(f)


@pytest.mark.parametrize("with_gradient", [False, True])
def test_tabulated_coupling_returning_nan_is_a_value_error(with_gradient):
    """Finding: a TabulatedCoupling that returns NaN ended in AttributeError (deep in ground_state)."""
    st = isingsc.FSFStack(1.0, 1.0, 1.0, 1.0, 1.0, _nan_coupling(with_gradient))
    for call in (lambda: st.energy(0.6, 0.6), lambda: isingsc.relax(st, 0.6, 0.6),
                 lambda: isingsc.ground_state(st), lambda: isingsc.hysteresis_loop(st, 2.0, 10, np.pi / 2)):
        with pytest.raises(ValueError, match="non-finite"):
            call()
    assert np.isfinite(st.energy(0.0, 0.0))  # where the function is finite, it is used


def test_tabulated_coupling_returning_strings_or_complex_is_a_type_error():
    st = isingsc.FSFStack(1.0, 1.0, 1.0, 1.0, 1.0, isingsc.TabulatedCoupling(lambda jx, jz: 1j * jx))
    with pytest.raises(TypeError, match="real numbers"):
        st.energy(0.3, 0.2)
    with pytest.raises(TypeError, match="callable"):
        isingsc.TabulatedCoupling("f")


# ------------------------------------------------------------------ wrong types name the parameter
@pytest.mark.parametrize("call, name", [
    (lambda r: isingsc.NbSe2(epsilon="x"), "epsilon"),
    (lambda r: isingsc.TriangularTMD(0.0, ("a",) * 6, (0.0,) * 6), "t"),
    (lambda r: isingsc.NbSe2().dispersion("a", 0.0), "kx"),
    (lambda r: isingsc.NbSe2().with_lambda_soc("a"), "lambda_soc"),
    (lambda r: isingsc.NbSe2().density_of_states("a"), "energies"),
    (lambda r: isingsc.NbSe2().density_of_states(0.0, nk="many"), "nk"),
    (lambda r: isingsc.bz_path(n="long"), "n"),
    (lambda r: isingsc.unit_cell_area("a"), "a"),
    (lambda r: isingsc.FSFStack(1, 1, 1, 1).energy("a", 0), "theta1"),
    (lambda r: isingsc.FSFStack(1, 1, 1, 1, coupling="ising"), "coupling"),
    (lambda r: isingsc.relax("stack", 0.0, 0.0), "stack"),
    (lambda r: isingsc.hysteresis_loop("stack", 1.0), "stack"),
    (lambda r: isingsc.ground_state(isingsc.FSFStack(1, 1, 1, 1), n_grid="fine"), "n_grid"),
    (lambda r: isingsc.effective_anisotropy("K", 1.0, 1.0), "K"),
    (lambda r: isingsc.collinear_determinant(1, 1, 1, 1, 0, state=3), "state"),
    (lambda r: isingsc.superconductor_response("NbSe2"), "sc"),
    (lambda r: isingsc.superconductor_response(r.superconductor, n_below=4.5), "n_below"),
    (lambda r: r.chi_par_at("cold"), "T"),
    (lambda r: r.coupling(0.1, coupling_form=2), "coupling_form"),
    (lambda r: isingsc.single_magnet_anisotropy(1.0, "J", 0.0, r), "J"),
    (lambda r: isingsc.easy_axis_phase_diagram(r, [0.5], ["k"]), "k"),
    (lambda r: isingsc.microscopic_table(r.superconductor, "T", 0.1), "T"),
    (lambda r: isingsc.stack_coupling(r, 0.1, 0.1, None), "coupling_form"),
    (lambda r: isingsc.find_t_star(r, "K1", 1.0, 0.1), "K1"),
    (lambda r: isingsc.stability_temperature(r, 1.0, 1.0, 0.1, bracket=("a", 1.0)), "bracket"),
    (lambda r: isingsc.t_star_map(["k"], [150.0]), "k1"),
    (lambda r: isingsc.Fig4Parameters(k1="big"), "k1"),
    (lambda r: isingsc.ising_superconductor("strong"), "lambda_over_delta0"),
    (lambda r: isingsc.fermi_surface.fermi_contours("NbSe2"), "model"),
    (lambda r: isingsc.fermi_surface.band_gradient(isingsc.NbSe2(), 0.0, 0.0, spin=1), "spin"),
    (lambda r: isingsc.materials.anisotropy_per_nb_site(3), "magnet"),
    (lambda r: isingsc.materials.honeycomb_dipole_sum("a"), "a"),
])
def test_wrong_types_name_the_parameter(resp, call, name):
    """Finding: wrong types got 'could not convert string to float' with no parameter name."""
    with pytest.raises(TypeError, match=rf"\b{name}\b"):
        call(resp)


@pytest.mark.parametrize("call, match", [
    (lambda r: isingsc.NbSe2().with_lambda_soc(-1.0), r"lambda_soc must be >= 0 meV, got -1.0 meV"),
    (lambda r: r.chi_perp_at(-0.1), r"T must be >= 0 meV"),
    (lambda r: isingsc.single_magnet_anisotropy(1.0, -0.1, 0.0, r), r"J must be >= 0"),
    (lambda r: isingsc.microscopic_table(r.superconductor, 0.0, 0.0), r"J must be > 0 meV"),
    (lambda r: isingsc.microscopic_table(r.superconductor, 0.0, 0.1, n_magnitudes=2), r"n_magnitudes must be >= 4"),
    (lambda r: isingsc.free_energy_derivatives(r.superconductor, 0.0, 0.1, rel_step=0.7), r"rel_step"),
    (lambda r: isingsc.Fig4Parameters(j_over_hp=-1), r"j_over_hp must be > 0"),
    (lambda r: isingsc.ising_superconductor(0.0), r"lambda_over_delta0 must be > 0"),
    (lambda r: isingsc.superconductor_response(r.superconductor, t_max=0.9), r"t_max must exceed 1"),
    (lambda r: isingsc.stability_temperature(r, 1e-5, 1e-5, 0.1, "complete", "out-of-plane", (0.5, 0.2)), "bracket"),
    (lambda r: isingsc.find_t_star(r, 1.0, 1.0, 0.1, t_max=5.0), r"t_max must be <="),
    (lambda r: isingsc.collinear_stability_limits(isingsc.FSFStack(1, 1, 1, 1), (1, 0)), "orientation"),
    (lambda r: isingsc.materials.anisotropy_per_nb_site("CrF3"), "unknown material"),
    (lambda r: isingsc.materials.anisotropy_per_nb_site("CrI3", "thin film"), "source"),
])
def test_unphysical_values_say_what_and_in_which_unit(resp, call, match):
    with pytest.raises(ValueError, match=match):
        call(resp)


# ------------------------------------------------------------------ one shared superconductor per value
def test_ising_superconductor_normalises_its_arguments_before_caching():
    """Finding: positional and keyword calls of hs.ising_superconductor gave different objects."""
    a = isingsc.ising_superconductor(150.0)
    assert a is isingsc.ising_superconductor(150)
    assert a is isingsc.ising_superconductor(lambda_over_delta0=150.0)
    assert a is isingsc.ising_superconductor(150.0, isingsc.DELTA0_PAPER)
    assert a is isingsc.ising_superconductor(np.float64(150.0), delta0=float(isingsc.DELTA0_PAPER))
    assert a is not isingsc.ising_superconductor(151.0)


def test_stack_coupling_rejects_table_options_for_quadratic_forms(resp):
    with pytest.raises(TypeError, match="microscopic"):
        isingsc.stack_coupling(resp, 0.1, 0.01, "complete", n_angles=3)


def test_ground_state_raises_instead_of_returning_nothing():
    """ground_state never returns a state it could not relax to a minimum."""
    st = isingsc.FSFStack(1.0, 0.5, 1.0, 1.0)
    gs = isingsc.ground_state(st)
    assert gs.alignment == "out-of-plane"
    # a single Newton step per relaxation cannot converge from the grid: a ConvergenceError, not a guess
    from isingsc import magnetism

    def one_step_relax(stack, t1, t2, H=0.0, field_angle=0.0, **kw):
        return magnetism.Relaxation(t1, t2, 0.0, False, 1, False)

    import unittest.mock as mock
    with mock.patch.object(magnetism, "relax", one_step_relax):
        with pytest.raises(ConvergenceError):
            isingsc.ground_state(st)
