"""Spin-orbit impurity scattering and the spin susceptibility (isingsc.spin_orbit_scattering)."""
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import integrate

import isingsc
from isingsc import spin_orbit_scattering as sos


@pytest.fixture(scope="module")
def sc():
    return isingsc.ising_superconductor(150.0)


def test_clean_limit_is_the_yosida_function_of_the_engine(sc):
    """Gamma = 0: the Matsubara sum equals the engine's out-of-plane chi (sech^2 integral over the zone)."""
    for t in (0.2, 0.5, 0.9):
        T = t * sc.tc0
        assert_allclose(sos.susceptibility_ratio(T, sc.gap(T), 0.0) * sc.pauli_susceptibility,
                        sc.spin_susceptibility(T, 0.0), rtol=2e-5, atol=1e-8 * sc.pauli_susceptibility)
    assert sos.susceptibility_ratio(0.0, 1.0, 0.0) == 0.0


@pytest.mark.parametrize("g", [0.0, 0.3, 1.0, 1.0 + 5e-7, 3.0, 30.0])
def test_zero_temperature_closed_form_against_quadrature_and_low_t_sum(g):
    num = integrate.quad(lambda w: 1.0 / ((w * w + 1) * (math.sqrt(w * w + 1) + g)), 0, np.inf)[0]
    assert_allclose(sos.suppression(0.0, 1.0, 1.5 * g), num, rtol=1e-9)
    assert_allclose(sos.suppression(1e-3, 1.0, 1.5 * g), num, rtol=1e-6)


def test_limits_anderson_and_abrikosov_gorkov():
    """Strong scattering restores chi_n with 1 - chi/chi_n -> 3 pi Delta tau_so / 4; normal state R = 0."""
    for G in (1e3, 1e5):
        assert_allclose(sos.suppression(0.0, 1.0, G), 0.75 * math.pi / G, rtol=20 / G)
    assert sos.suppression(0.3, 0.0, 5.0) == 0.0
    # monotonic: more scattering, more susceptibility
    r = [sos.susceptibility_ratio(0.2, 1.0, G) for G in (0.0, 0.5, 2.0, 10.0)]
    assert all(np.diff(r) > 0)


def test_ising_bounds(sc):
    clean = sos.ising_susceptibilities(sc, 0.0, 0.0)
    assert clean.chi_perp == 0.0 and clean.chi_par_clean == clean.chi_par_scaled
    strong = sos.ising_susceptibilities(sc, 0.0, 1e4 * sc.delta0)
    assert_allclose(strong.chi_perp, strong.chi_P, rtol=1e-3)
    assert_allclose(strong.chi_par_scaled, strong.chi_n_soc, rtol=1e-3)
    assert strong.indicator("clean") < 0 < strong.indicator("scaled")
    with pytest.raises(ValueError, match="bound"):
        strong.indicator("dirty")


def test_validation():
    with pytest.raises(ValueError, match="rate"):
        sos.suppression(0.1, 1.0, -1.0)
    with pytest.raises(TypeError, match="delta"):
        sos.suppression(0.1, "1", 1.0)
