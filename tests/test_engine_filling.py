"""The engine at any filling, including next to and at the van Hove singularities (issue 10, section 2).

NbSe2's bands have saddle points (van Hove singularities) near M and on Gamma-K; shifting the
on-site energy ``epsilon`` moves the Fermi level through them, and the Fermi surface changes
topology (it crosses the wedge's patch boundary, becomes tangent to the quadrature's rays).
Tests: chi_P, Tc0 and chi_s(0) converge under refinement across the band, N(0) agrees with
an independent tetrahedron density of states, the engine agrees with brute-force 4x4
diagonalisation on a uniform grid at a few fillings, and at a saddle the log-divergent N(0)
is refused, not returned.
"""
import numpy as np
import pytest
from numpy.testing import assert_allclose

import isingsc
from isingsc import bdg
from isingsc.errors import ConvergenceError
from isingsc.quadrature import _saddle_points, fermi_surface_density, uniform_quadrature

from grid_states import distinct_states

D0 = isingsc.DELTA0_PAPER
#: the saddle near M of NbSe2 lies 207.67 meV below the band's epsilon-free energy: at this epsilon it
#: sits exactly at the Fermi level
EPS_VH = -44.5 - min((xi for _, xi in _saddle_points(isingsc.NbSe2())), key=lambda x: abs(x + 207.67))


def test_the_van_hove_filling_is_the_saddle_near_m():
    saddles = _saddle_points(isingsc.NbSe2(epsilon=EPS_VH))
    assert min(abs(xi) for _, xi in saddles) < 1e-9
    assert_allclose(EPS_VH, 163.1739, atol=1e-3)


@pytest.mark.parametrize("eps", [-200.0, 140.5, EPS_VH - 0.02, EPS_VH + 1.0])
def test_converges_across_the_band(eps):
    """Default against refined resolution: chi_P to 1e-6, Tc0 to 1e-4 Tc0, chi_s(0) to 5e-5 chi_P
    (far from the saddles 1e-8, 1e-8, 1e-8)."""
    m = isingsc.NbSe2(epsilon=eps)
    s = isingsc.IsingSuperconductor(m, D0)
    f = s.with_resolution(isingsc.Resolution(16, 8, 2.0))
    assert_allclose(s.pauli_susceptibility, f.pauli_susceptibility, rtol=1e-6)
    assert_allclose(s.tc0, f.tc0, rtol=1e-4)
    assert abs(s.spin_susceptibility(0.0) - f.spin_susceptibility(0.0)) < 5e-5 * f.pauli_susceptibility


@pytest.mark.parametrize("eps", [-44.5, 155.0])
def test_density_of_states_against_tetrahedra(eps):
    """An independent method: the linear tetrahedron DOS on a 1200 x 1200 grid (error ~1e-4 here)."""
    m = isingsc.NbSe2(epsilon=eps)
    assert_allclose(fermi_surface_density(m, 0.0, 96), m.density_of_states(np.array([0.0]), nk=1200)[0],
                    rtol=2e-4)


def test_at_the_van_hove_saddle_n0_is_refused_but_tc0_and_chi_s_are_finite():
    s = isingsc.IsingSuperconductor(isingsc.NbSe2(epsilon=EPS_VH), D0)
    with pytest.raises(ConvergenceError, match="van Hove"):
        s.pauli_susceptibility
    near = isingsc.IsingSuperconductor(isingsc.NbSe2(epsilon=EPS_VH + 1e-3), D0)
    assert_allclose(s.tc0, near.tc0, rtol=1e-6)  # continuous through the singularity
    assert_allclose(s.spin_susceptibility(0.0), near.spin_susceptibility(0.0), rtol=1e-4)
    # the divergence is logarithmic: N(0) grows by about the same amount per decade of distance
    n = [isingsc.IsingSuperconductor(isingsc.NbSe2(epsilon=EPS_VH - d), D0).density_of_states_fermi
         for d in (1e-1, 1e-2, 1e-3)]
    assert n[2] > n[1] > n[0]
    assert_allclose(n[2] - n[1], n[1] - n[0], rtol=0.05)


@pytest.mark.parametrize("eps,theta", [(155.0, 0.7), (EPS_VH + 1.0, np.pi / 2)])
def test_against_brute_force_at_unusual_fillings(eps, theta):
    """At a large gap (5 meV) a uniform 1200 x 1200 grid with batched 4x4 diagonalisation converges (each
    distinct band state of the grid diagonalised once, weighted by its copies: tests/grid_states.py)."""
    m = isingsc.NbSe2(epsilon=eps)
    big = isingsc.IsingSuperconductor(m, 5.0)
    T, J, d = 0.3 * big.tc0, 2.0, 4.0
    u = distinct_states(uniform_quadrature(m, 1200))
    kern = bdg.pair_kernel(u.xi_up, u.xi_down, big.delta0)
    E = np.linalg.eigvalsh(bdg.bdg_hamiltonian(u.xi_up, u.xi_down, d, J, theta))
    Fs = 0.5 * (u.xi_up + u.xi_down) - bdg.thermal_potential(E, T).sum(-1)
    Fn = bdg.free_energy_density(u.xi_up, u.xi_down, 0.0, 0.0, 0.0, T)
    assert_allclose(big.free_energy_landscape(d, T, J, theta), u.average(d * d * kern + Fs - Fn), rtol=1e-4)
    chi = u.average(bdg.spin_susceptibility_density(u.xi_up, u.xi_down, d, T, "in-plane"))
    assert_allclose(big._susceptibility(d, T, np.pi / 2), chi, rtol=1e-4)
