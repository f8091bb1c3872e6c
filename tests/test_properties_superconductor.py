"""Property-based tests (hypothesis) over the public methods of IsingSuperconductor.

For any input: a finite, physically bounded result, or TypeError / ValueError /
ConvergenceError, within the hypothesis deadline.  The bounds:

* ``0 <= Delta(T, J, theta) <= 1.01 Delta0``: an exchange field and temperature
  only break pairs (weak coupling: the zero-field gap at ``T = 0`` is the largest);
* the self-consistent free energy is the global minimum over trial gaps, so
  ``f_sn(T, J) <= f(Delta_trial) - f_n(0)`` for every trial gap, in particular the
  normal state in the same field (``Delta_trial = 0``); at ``J = 0`` it is ``<= 0``;
  and it is not below the normal state by more than the condensation energy
  ``N(0) Delta0^2`` (with a margin);
* ``0 <= chi(T, theta) <= chi_n(theta, T)``: the gap only suppresses the spin response;
* ``0 < Tc0``, ``Delta0/Tc0`` within 5% of the weak-coupling 1.764, and
  ``0 <= Tc(J, theta) <= Tc0``.

The properties that guard the ENGINE fixes of issue 9 (immutability, value
equality, type checks naming the parameter, Resolution checks, subnormal
temperatures) are plain tests now.  The superconductor is the session-cached paper one
(``lambda_soc = 150 Delta0``); examples are few, so the file runs in seconds.
"""
import copy
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import isingsc
from isingsc.errors import ConvergenceError

ALLOWED = (TypeError, ValueError, ConvergenceError)
ENGINE = settings(max_examples=8, deadline=10000, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
QUICK = settings(max_examples=25, deadline=2000, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

anything = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5), st.text(max_size=3),
                     st.none(), st.complex_numbers(max_magnitude=5))
angle = st.floats(-7.0, 7.0)
temperature = st.one_of(st.just(0.0), st.floats(1e-6, 1.5))  # T/Tc0; subnormal T: see the test below


@pytest.fixture(scope="module")
def sc(paper_sc):
    return paper_sc


def t_units(sc, x):
    return x * sc.tc0


def outcome(call):
    try:
        return call()
    except ALLOWED:
        return None


# ------------------------------------------------------------------ bounded results
@ENGINE
@given(t=temperature, j=st.floats(0, 2.0), theta=angle)
def test_gap_is_between_zero_and_delta0(sc, t, j, theta):
    d = outcome(lambda: sc.gap(t * sc.tc0, j * sc.delta0, theta))
    if d is not None:
        assert math.isfinite(d) and 0.0 <= d <= 1.01 * sc.delta0


@ENGINE
@given(t=temperature, j=st.floats(0, 1.0), theta=angle, trial=st.floats(0, 3.0))
def test_free_energy_is_the_global_minimum_over_trial_gaps(sc, t, j, theta, trial):
    T, J = t * sc.tc0, j * sc.delta0
    f = outcome(lambda: sc.free_energy(T, J, theta))
    if f is None:
        return
    scale = sc.density_of_states_fermi * sc.delta0**2  # the condensation energy scale (meV per site)
    f_normal = sc.free_energy_landscape(0.0, T, J, theta)
    f_trial = sc.free_energy_landscape(trial * sc.delta0, T, J, theta)
    assert f <= f_normal + 1e-9 * scale
    assert f <= f_trial + 1e-9 * scale
    assert f >= f_normal - 1.5 * scale
    if J == 0.0:
        assert f <= 1e-12 * scale


@ENGINE
@given(t=temperature, theta=angle)
def test_susceptibility_is_suppressed_by_the_gap(sc, t, theta):
    T = t * sc.tc0
    chi = sc.spin_susceptibility(T, theta)
    chi_n = sc.normal_susceptibility(theta, T)
    assert 0.0 <= chi <= chi_n * (1 + 1e-6) + 1e-12 * sc.pauli_susceptibility


def test_tc0_and_the_bcs_ratio(sc):
    assert sc.tc0 > 0
    assert abs(sc.delta0 / sc.tc0 / isingsc.BCS_RATIO - 1) < 0.05


@pytest.mark.parametrize("theta", [0.0, math.pi / 2])
def test_susceptibility_at_a_subnormal_temperature(sc, theta):
    chi = sc.spin_susceptibility(2.2e-313, theta)
    assert math.isfinite(chi) and abs(chi - sc.spin_susceptibility(0.0, theta)) <= 1e-9 * sc.pauli_susceptibility


@ENGINE
@given(j=st.floats(0, 1.5), theta=st.sampled_from([0.0, 0.5 * math.pi, -0.5 * math.pi, math.pi, 0.7]))
def test_critical_temperature_is_at_most_tc0(sc, j, theta):
    # an oblique angle (0.7 rad) included: ~1 s per critical temperature with a first-order transition
    tc = outcome(lambda: sc.critical_temperature(j * sc.delta0, theta))
    if tc is not None:
        assert 0.0 <= tc <= sc.tc0 * (1 + 1e-9)


# ------------------------------------------------------------------ any input: a result or a clear error
@QUICK
@given(T=anything, J=anything, theta=anything)
def test_any_input_gives_a_result_or_an_allowed_error(sc, T, J, theta):
    for call in (lambda: sc.gap(T, J, theta), lambda: sc.free_energy(T, J, theta),
                 lambda: sc.spin_susceptibility(T, theta)):
        try:
            out = call()
        except ALLOWED:
            continue
        assert math.isfinite(out)


@QUICK
@given(bad=st.one_of(st.text(min_size=1, max_size=3), st.none(), st.complex_numbers(min_magnitude=0.1, max_magnitude=5)))
def test_wrong_types_are_type_errors_naming_the_parameter(sc, bad):
    with pytest.raises(TypeError, match=r"\bT\b"):
        sc.gap(bad)
    with pytest.raises(TypeError, match=r"\bJ\b"):
        sc.free_energy(0.1, bad)
    with pytest.raises(TypeError, match=r"\btheta\b"):
        sc.spin_susceptibility(0.1, bad)


@QUICK
@given(z=st.complex_numbers(min_magnitude=0.01, max_magnitude=1.0).filter(lambda z: z.imag != 0))
def test_complex_sweep_input_is_rejected(sc, z):
    """Issue 9: complex input must not be cut to its real part (sc.sweep('gap', [0.1 + 0.5j]))."""
    with pytest.raises(TypeError):
        sc.sweep("gap", [z])


@QUICK
@given(n_phi=st.one_of(st.integers(-10, 10**7), anything), n_gauss=st.one_of(st.integers(-10, 10**4), anything))
def test_resolution_is_checked_at_construction(n_phi, n_gauss):
    try:
        r = isingsc.Resolution(n_phi=n_phi, n_gauss=n_gauss)
    except (TypeError, ValueError):
        return
    assert isinstance(r.n_phi, int) and 1 <= r.n_phi <= 10**4
    assert isinstance(r.n_gauss, int) and 1 <= r.n_gauss <= 100


# ------------------------------------------------------------------ immutability: no stale caches
@QUICK
@given(name=st.sampled_from(["delta0", "model", "resolution"]), value=st.floats(0.1, 1.0))
def test_superconductor_is_immutable(sc, name, value):
    other = copy.copy(sc)  # never mutate the shared object
    with pytest.raises(AttributeError):
        setattr(other, name, value)


def test_equal_superconductors_are_equal(sc):
    twin = isingsc.IsingSuperconductor(sc.model, sc.delta0, resolution=sc.resolution)
    assert twin == sc and hash(twin) == hash(sc)


def test_pickled_superconductor_gives_the_same_numbers(sc):
    import pickle

    twin = pickle.loads(pickle.dumps(sc))
    T = 0.5 * sc.tc0
    assert twin.gap(T) == sc.gap(T)
    assert twin.spin_susceptibility(T) == sc.spin_susceptibility(T)
    assert np.array_equal(twin.sweep("gap", [0.2 * sc.tc0, T]), sc.sweep("gap", [0.2 * sc.tc0, T]))
