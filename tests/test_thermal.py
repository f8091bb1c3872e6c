"""Thermal stability of the macrospins (isingsc.thermal)."""
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from isingsc import KELVIN, thermal
from isingsc.materials.nbse2 import LATTICE_CONSTANT


def test_sites_per_area_from_the_lattice_constant():
    assert_allclose(thermal.sites_per_um2(), 1e8 / (math.sqrt(3) / 2 * LATTICE_CONSTANT**2), rtol=1e-12)


def test_barrier_time_and_area_are_consistent():
    K, T = 1.3e-5, 1.5 * KELVIN
    A = thermal.critical_area(K, T, time=100.0, attempt_frequency=1e9)
    # at the critical area the Neel-Arrhenius time is the measurement time
    assert_allclose(thermal.switching_time(K, A, T, 1e9), 100.0, rtol=1e-9)
    assert thermal.switching_time(K, 2 * A, T, 1e9) > 1e10
    # linear in T, inverse in |K|, logarithmic in f0 t
    assert_allclose(thermal.critical_area(-2 * K, 2 * T), A, rtol=1e-12)
    assert_allclose(thermal.critical_area(K, T, 100.0, 1e10) / A, math.log(1e12) / math.log(1e11), rtol=1e-12)
    with pytest.raises(ValueError, match="no barrier"):
        thermal.critical_area(0.0, T)
    with pytest.raises(ValueError, match="never switches"):
        thermal.switching_time(K, 1e3 * A, T)
    assert_allclose(thermal.critical_area(K, np.array([T, 2 * T])), [A, 2 * A], rtol=1e-12)


def test_validation():
    with pytest.raises(ValueError, match="attempt"):
        thermal.critical_area(1e-5, 0.1, time=1e-10)
    with pytest.raises(ValueError, match="area"):
        thermal.barrier(1e-5, -1.0)
    with pytest.raises(TypeError, match="T"):
        thermal.switching_time(1e-5, 1.0, "hot")
