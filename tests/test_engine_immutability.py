"""IsingSuperconductor is immutable, compares by value and pickles slim (issue 9, "Immutable objects").

Regression tests for the findings: ``sc.delta0 = 0.3`` used to be accepted and left
``sc.tc0`` and cached solves stale, so that a serial sweep disagreed with a
process-pool sweep (which rebuilds the object).
"""
import dataclasses
import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose

import isingsc

D0 = isingsc.DELTA0_PAPER


@pytest.fixture(scope="module")
def sc():
    return isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(60 * D0), D0)


@pytest.mark.parametrize("name,value", [("delta0", 0.3), ("model", isingsc.NbSe2()),
                                        ("resolution", isingsc.Resolution(8, 4)), ("tc0", 1.0)])
def test_attributes_cannot_be_assigned(sc, name, value):
    with pytest.raises(AttributeError):
        setattr(sc, name, value)
    with pytest.raises(AttributeError):
        delattr(sc, "delta0")


def test_tc0_never_stale(sc):
    tc_before = sc.tc0
    other = sc.with_delta0(0.3)
    assert other.delta0 == 0.3 and sc.delta0 == D0
    assert_allclose(other.delta0 / other.tc0, isingsc.BCS_RATIO, rtol=1e-3)  # its own Tc0, not the cached one
    assert sc.tc0 == tc_before
    assert_allclose(other.gap(0.0), 0.3, rtol=1e-12)


def test_with_methods_derive_new_objects(sc):
    assert sc.with_lambda_soc(20 * D0) == sc.with_model(sc.model.with_lambda_soc(20 * D0))
    assert_allclose(sc.with_lambda_soc(20 * D0).model.lambda_soc, 20 * D0, rtol=1e-12)
    fine = sc.with_resolution(isingsc.Resolution().refined(2))
    assert fine.resolution == isingsc.Resolution(24, 8, 2.5, 0.5) and fine.model == sc.model
    assert sc.with_delta0(D0) == sc and sc.with_delta0(D0) is not sc
    with pytest.raises(TypeError):
        sc.with_resolution("fine")


def test_value_equality_and_hash():
    a = isingsc.IsingSuperconductor(isingsc.NbSe2(), D0)
    b = isingsc.IsingSuperconductor(isingsc.NbSe2(), D0, resolution=isingsc.Resolution())
    a.tc0  # a warm cache does not change identity in caches
    assert a == b and hash(a) == hash(b)
    assert len({a, b}) == 1
    assert a != a.with_delta0(0.3) and a != a.with_resolution(isingsc.Resolution(8, 4))
    assert dataclasses.is_dataclass(a)


def test_pickle_round_trip_is_equal_and_slim(sc):
    sc.spin_susceptibility(0.5 * sc.tc0)  # fill the caches
    blob = pickle.dumps(sc)
    other = pickle.loads(blob)
    assert other == sc and hash(other) == hash(sc)
    assert len(blob) < 2000  # model, delta0 and resolution only, no cached results
    assert_allclose(other.gap(0.5 * sc.tc0), sc.gap(0.5 * sc.tc0), rtol=1e-14)


def test_serial_sweep_equals_process_pool_sweep(sc):
    from concurrent.futures import ProcessPoolExecutor

    T = np.array([0.3, 0.7]) * sc.tc0
    serial = sc.sweep("free_energy", T, 0.3 * D0, np.pi / 4)
    with ProcessPoolExecutor(2) as ex:
        pooled = sc.sweep("free_energy", T, 0.3 * D0, np.pi / 4, executor=ex)
    assert_allclose(pooled, serial, rtol=1e-14)
