"""Regression tests for the engine findings of issue 9 ("No silent wrong numbers").

Each test names the finding; the old behaviour is quoted in the docstring.
Independent references are brute-force uniform grids (4x4 diagonalisation where
the integrand is a BdG free energy) or closed forms.
"""
import inspect
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import isingsc
from isingsc import bdg, quadrature, superconductor
from isingsc._roots import brent_root, expand_bracket
from isingsc.errors import ConvergenceError
from isingsc.quadrature import uniform_quadrature

D0 = isingsc.DELTA0_PAPER


@pytest.fixture(scope="module")
def sc():
    return isingsc.IsingSuperconductor(isingsc.NbSe2(), D0)


@pytest.fixture(scope="module")
def grid600():
    return uniform_quadrature(isingsc.NbSe2(), 600)


# ------------------------------------------------------------------ any T and J
@pytest.mark.parametrize("T", [10.0, 30.0])
def test_normal_susceptibility_at_high_temperature(sc, grid600, T):
    """Was -15 % (T = 10 meV) and -61 % (30 meV) off: the 1D path ignored T outside a 25 meV window.
    At these temperatures the integrand is smooth and a uniform grid is spectrally accurate."""
    u = grid600
    for theta, direction in ((0.0, "out-of-plane"), (np.pi / 2, "in-plane")):
        brute = u.average(bdg.spin_susceptibility_density(u.xi_up, u.xi_down, 0.0, T, direction))
        assert_allclose(sc.normal_susceptibility(theta, T), brute, rtol=1e-6)


def test_free_energy_in_a_huge_out_of_plane_field(sc):
    """free_energy(0, 100 meV, 0) was -4.23 (1D path, tails blind to J) against -9.75: now the 2D path,
    checked against a refined resolution and a uniform grid (T = 0: algebraic convergence, hence rtol 5e-6)."""
    f = sc.free_energy(0.0, 100.0, 0.0)
    fine = sc.with_resolution(isingsc.Resolution(24, 8, 2.0)).free_energy(0.0, 100.0, 0.0)
    assert_allclose(f, fine, rtol=1e-8)
    u = uniform_quadrature(sc.model, 1200)
    brute = u.average(bdg.free_energy_density(u.xi_up, u.xi_down, 0.0, 100.0, 0.0, 0.0)
                      - bdg.free_energy_density(u.xi_up, u.xi_down, 0.0, 0.0, 0.0, 0.0))
    assert_allclose(f, brute, rtol=5e-6)
    assert sc.gap(0.0, 100.0, 0.0) == 0.0


def test_large_trial_gap_is_exact(sc):
    """free_energy_landscape(100 meV, 0.1 meV) was 500.6 against 47.2: trial gaps had no upper bound.
    Brute force: batched 4x4 diagonalisation on a uniform grid for <F_s - F_n> (smooth at this gap) plus
    delta^2/g, with 1/g from the adapted quadrature (the kernel is sharp on the scale delta0)."""
    d, T = 100.0, 0.1
    u = uniform_quadrature(sc.model, 800)
    E = np.linalg.eigvalsh(bdg.bdg_hamiltonian(u.xi_up, u.xi_down, d, 0.0, 0.0))
    Fs = 0.5 * (u.xi_up + u.xi_down) - bdg.thermal_potential(E, T).sum(-1)
    brute = d * d * sc.inverse_coupling + u.average(Fs - bdg.free_energy_density(u.xi_up, u.xi_down, 0.0, 0.0, 0.0, T))
    assert_allclose(sc.free_energy_landscape(d, T), brute, rtol=2e-6)
    with pytest.raises(ValueError):
        sc.free_energy_landscape(np.inf, T)
    with pytest.raises(ValueError):
        sc.free_energy_landscape(-1.0, T)


# ------------------------------------------------------------------ roots and brackets
def test_flat_band_at_the_fermi_level():
    """Gave Tc0 = 0.09 meV, the lower end of a fixed root bracket, and a NaN smoothness ratio passed the
    Chebyshev guard.  Flat band xi = 0: alpha(T) = 1/(2 delta0) - 1/(4T), so Tc0 = delta0/2 exactly,
    Delta(T) = delta0 tanh(Delta/2T), f(T=0) = -delta0/2 per site."""
    flat = isingsc.TriangularTMD(epsilon=0.0, t=(0.0,) * 6, phi=(0.0,) * 6)
    s = isingsc.IsingSuperconductor(flat, 0.3)
    assert_allclose(s.tc0, 0.15, rtol=1e-12)
    T = 0.1
    d = s.gap(T)
    assert_allclose(d, 0.3 * math.tanh(d / (2 * T)), rtol=1e-10)
    assert_allclose(s.free_energy(0.0), -0.15, rtol=1e-10)  # the weights sum to 1 to ~1e-12
    with pytest.raises(ValueError, match="flat"):
        s.pauli_susceptibility


def test_root_finders_refuse_instead_of_guessing():
    with pytest.raises(ConvergenceError, match="no sign change"):
        brent_root(lambda x: x * x + 1.0, -1.0, 1.0, xtol=1e-12)
    with pytest.raises(ConvergenceError, match="non-finite"):
        brent_root(lambda x: np.nan, 0.0, 1.0, xtol=1e-12)
    with pytest.raises(ConvergenceError, match="non-finite"):
        brent_root(lambda x: x - 0.3 if x < 0.5 else np.nan, 0.0, 1.0, xtol=1e-12)
    with pytest.raises(ConvergenceError, match="upper limit"):
        expand_bracket(lambda x: -1.0, 1.0, 2.0, lo_min=0.1, hi_max=10.0)
    x, _ = brent_root(lambda x: math.tanh(x - 0.7), 0.0, 3.0, xtol=1e-14)
    assert_allclose(x, 0.7, rtol=1e-13)


def test_no_fermi_surface_is_a_clear_value_error():
    """Failed inside scipy with "f(a) and f(b) must have different signs"."""
    with pytest.raises(ValueError, match="no Fermi surface: the band runs from .* meV and does not cross"):
        isingsc.IsingSuperconductor(isingsc.NbSe2(epsilon=2000.0))
    with pytest.raises(ValueError, match="no Fermi surface"):
        isingsc.IsingSuperconductor(isingsc.NbSe2(epsilon=-2000.0))


# ------------------------------------------------------------------ input types
@pytest.mark.parametrize("call,name", [
    (lambda s: s.sweep("gap", [0.1 + 0.5j]), "argument 1 of sweep"),
    (lambda s: s.gap(0.1 + 0.5j), "T"),
    (lambda s: s.gap("hot"), "T"),
    (lambda s: s.free_energy(0.1, None), "J"),
    (lambda s: s.spin_susceptibility(0.1, "in-plane"), "theta"),
    (lambda s: s.free_energy_landscape("big", 0.1), "delta"),
    (lambda s: s.critical_temperature([0.1]), "J"),
    (lambda s: s.with_delta0("0.3"), "delta0"),
    (lambda s: isingsc.IsingSuperconductor(s.model, D0, resolution="fine"), "resolution"),
    (lambda s: isingsc.Resolution(n_phi="12"), "n_phi"),
    (lambda s: isingsc.Resolution(n_gauss=6.5), "n_gauss"),
])
def test_wrong_types_name_the_parameter(sc, call, name):
    with pytest.raises(TypeError, match=name):
        call(sc)


@pytest.mark.parametrize("kwargs,match", [
    (dict(n_phi=-5), "n_phi must be >= 4"),
    (dict(n_gauss=np.nan), "n_gauss must be a finite integer"),
    (dict(n_phi=10**6), "budget"),
    (dict(n_gauss=10**5), "n_gauss must be <= 64"),
    (dict(n_phi=2000, n_gauss=40), "budget"),
    (dict(grading=1.0), "grading"),
    (dict(scale_factor=0.0), "scale_factor"),
])
def test_bad_resolutions_are_rejected_at_construction(kwargs, match):
    """Resolution(n_phi=-5, n_gauss=nan) was accepted; Resolution(n_phi=10**6) tried to allocate terabytes."""
    with pytest.raises(ValueError, match=match):
        isingsc.Resolution(**kwargs)


def test_sweep_with_unknown_method_lists_the_valid_ones(sc):
    with pytest.raises(ValueError, match=r"method must be one of \('gap', 'free_energy'"):
        sc.sweep("gapp", [0.1])
    with pytest.raises(ValueError, match="method must be one of"):
        sc.sweep("_solve", [0.1])


# ------------------------------------------------------------------ twins
def test_twins_are_gone():
    """superconductor._phi vs bdg._half_log_2cosh; the contour bisection in quadrature._contour_density vs
    _level_crossings; the unit-cell area factor written three times: now one of each."""
    assert not hasattr(superconductor, "_phi") and not hasattr(bdg, "_half_log_2cosh")
    assert not hasattr(quadrature, "_level_crossings") and not hasattr(quadrature, "_contour_density")
    src = inspect.getsource(quadrature)
    assert src.count("8.0 * np.pi ** 2") == 1 and src.count("_newton_on_rays(") == 3  # definition + 2 uses
    assert_allclose(quadrature.WEDGE_FACTOR * quadrature.BZ_AREA, 12.0, rtol=1e-15)
