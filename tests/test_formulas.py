"""Reference formulas: limits and mutual consistency."""
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from isingsc import bdg, formulas


def test_c8_limits():
    assert_allclose(formulas.weak_soc_susceptibility(1.0, 1e6), 1.0, atol=1e-6)  # strong SOC: normal-state value
    assert_allclose(formulas.weak_soc_susceptibility(1.0, 1e-3), 2e-6 / 3, rtol=1e-3)  # weak SOC: (2/3)(lambda/Delta)^2
    x = np.array([1e-2 * (1 - 1e-9), 1e-2 * (1 + 1e-9)])  # series and closed form agree at the switch
    below, above = formulas.weak_soc_susceptibility(1.0, x)
    assert_allclose(below, above, rtol=1e-7)
    with pytest.raises(ValueError):
        formulas.weak_soc_susceptibility(0.0, 1.0)


def test_yosida_limits():
    assert formulas.yosida_function(0.0, 1.0) == 0.0
    assert_allclose(formulas.yosida_function(0.3, 0.0), 1.0, rtol=1e-8)  # normal state
    T, d = 0.05, 1.0  # low T: sqrt(2 pi Delta/T) exp(-Delta/T)
    assert_allclose(formulas.yosida_function(T, d), math.sqrt(2 * math.pi * d / T) * math.exp(-d / T), rtol=0.05)


def test_pauli_limited_tc():
    tc0 = 1.0
    assert formulas.pauli_limited_tc(0.0, tc0) == tc0
    # small field: ln(Tc0/Tc) = Re psi(1/2 + i h) - psi(1/2) ~ (7 zeta(3)/(8 pi^2)) (J/T)^2 * ... ; check monotonic decrease
    tcs = [formulas.pauli_limited_tc(j, tc0) for j in (0.2, 0.5, 0.8, 1.0)]
    assert all(a > b for a, b in zip(tcs, tcs[1:]))
    # the upper second-order branch ends near J = 0.607 Delta0 = 0.607 * 1.764 Tc0
    assert formulas.pauli_limited_tc(1.06, tc0) > 0.5
    assert formulas.pauli_limited_tc(1.2, tc0) == 0.0


def test_ising_tc_reduces_to_pauli_limit_without_splitting():
    for J in (0.3, 0.8):
        assert_allclose(formulas.ising_tc(J, 0.0, 1.0), formulas.pauli_limited_tc(J, 1.0), rtol=1e-9)


def test_fermi_surface_average_of_equal_splittings():
    assert_allclose(formulas.fermi_surface_ising_tc(2.0, np.full(7, 3.0), np.arange(1, 8), 1.0),
                    formulas.ising_tc(2.0, 3.0, 1.0), rtol=1e-12)
    assert formulas.ising_tc(2.0, 30.0, 1.0) > formulas.ising_tc(2.0, 3.0, 1.0)  # splitting protects


def test_critical_field_estimate_is_clogston_for_out_of_plane():
    n0 = 1.3
    assert_allclose(formulas.critical_field_estimate(n0, 2 * n0, 0.9 * n0, 0.0, 1.0), 1 / math.sqrt(2))
    with pytest.raises(ValueError, match="no first-order transition"):
        formulas.critical_field_estimate(n0, 2 * n0, 2 * n0, np.pi / 2, 1.0)


def test_perturbative_energies_exact_for_out_of_plane_field():
    a, b = np.array([1.0, -2.0]), np.array([0.3, 0.5])
    assert_allclose(np.sort(formulas.perturbative_energies(a, b, 0.4, 0.3, 0.0), -1),
                    np.sort(bdg.quasiparticle_energies(a, b, 0.4, 0.3, 0.0), -1), atol=1e-12)


def _upper_root_full_scan(f, tc0):
    """The scan of formulas._upper_root evaluated at every point at once (the reference of its piecewise scan)."""
    from scipy import optimize

    Ts = formulas._tc_scan(tc0)
    vals = f(Ts)
    assert np.all(np.isfinite(vals))
    idx = np.nonzero(vals > 0)[0]
    if idx.size == 0:
        return 0.0
    i = idx[0]
    return float(optimize.brentq(lambda T: float(f(np.array([T]))[0]), Ts[i], Ts[i - 1], xtol=1e-14 * tc0))


def test_upper_root_scans_in_pieces_with_the_full_scans_result():
    """Tc from the top-down piecewise scan equals the full scan's, bit for bit, from Tc ~ Tc0 down to no Tc."""
    from scipy import special

    from isingsc.quadrature import fermi_surface_nodes
    import isingsc

    tc0 = 0.26
    nodes = fermi_surface_nodes(isingsc.NbSe2())
    lam, w = np.abs(nodes["splitting"]) / 2, nodes["weight"] / nodes["weight"].sum()
    psi_half = special.digamma(0.5)
    seen = set()
    for J in np.concatenate([np.geomspace(1e-3, 80.0, 12), [0.2, 0.45]]):
        rho = np.hypot(J, lam)

        def f(T, rho=rho, J=J):
            T = np.atleast_1d(np.asarray(T, float))
            pb = special.digamma(0.5 + 1j * rho[None, :] / (2 * np.pi * T[:, None])).real - psi_half
            return np.log(tc0 / T) - np.sum(w * J * J / rho**2 * pb, axis=1)

        expected = _upper_root_full_scan(f, tc0)
        assert formulas._upper_root(f, tc0) == expected
        assert formulas.fermi_surface_ising_tc(J, nodes["splitting"] / 2, nodes["weight"], tc0) == expected
        seen.add("near Tc0" if expected > 0.9 * tc0 else "lower" if expected > 0 else "none")
    assert seen >= {"near Tc0", "lower"}
    for J in (0.05, 0.3, 0.4, 0.6):   # Zeeman pair breaking: up to the end of the second-order branch
        g = lambda T, J=J: np.log(1.0 / np.asarray(T, float)) - (
            special.digamma(0.5 + 1j * J / (2 * np.pi * np.asarray(T, float))).real - psi_half)
        assert formulas.pauli_limited_tc(J, 1.0) == _upper_root_full_scan(g, 1.0)
