"""Eq. (13) stability window (harmonic mean / max) against the numerical ground state."""
import pytest

import isingsc
from isingsc import tstar
from isingsc.magnetism import FSFStack, IsingQuadraticCoupling, ground_state


@pytest.mark.parametrize("k1,k2,x", [(1.05, 1.05 / 1.12, 1.0), (0.95, 0.95 / 1.12, 1.0), (1.2, 1.0, 1.0),
                                     (1.05 * 1.12, 1.05, 1.02), (1.0, 1.0, 0.99), (1.0, 1.0, 1.01)])
def test_alignment_matches_ground_state(k1, k2, x):
    J = 0.1
    stack = FSFStack(k1, k2, 1.0, 1.0, J, IsingQuadraticCoupling(x / J**2))
    assert ground_state(stack).alignment == tstar.eq13_alignment(k1, k2, x)


def test_paper_stacks_have_no_eq13_t_star():
    for k1, hm in ((1.05, 0.9906), (0.95, 0.8962), (0.85, 0.8019)):
        P = isingsc.Fig4Parameters(k1=k1)
        w = tstar.eq13_window(P.response, P.K1, P.K2, P.J)
        assert abs(w.harmonic_mean / P.energy_unit - hm) < 1e-4
        assert not w.has_t_star
    # identical magnets inside the window do have one
    P = isingsc.Fig4Parameters()
    w = tstar.eq13_window(P.response, 1.01 * P.energy_unit, 1.01 * P.energy_unit, P.J)
    assert w.has_t_star and w.alignment_low == "out-of-plane" and w.alignment_high != "out-of-plane"
