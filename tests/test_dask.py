"""The library beyond one machine: dask.distributed executors give the serial results.

A LocalCluster with two worker processes (one thread each) stands in for a
cluster: every task unpickles the objects it gets, so the workers compute with
their own copies of the superconductor (caches per object per worker), and the
results must equal the serial ones bit for bit.
"""
import os

import numpy as np
import pytest

import isingsc

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    import logging

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=logging.ERROR)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def sc(paper_sc):
    return paper_sc


def _where(sc):
    """(worker pid, id of the unpickled copy, its parameters) for one task."""
    return os.getpid(), id(sc), (sc.model, sc.delta0, sc.resolution)


def test_sweep_on_a_local_cluster_equals_serial(client, sc):
    T = np.array([0.1, 0.5, 0.9, 1.1]) * sc.tc0
    ex = client.get_executor()
    for method, args in (("gap", (T,)), ("free_energy", (T, 0.1, 0.0))):
        serial = sc.sweep(method, *args)
        np.testing.assert_array_equal(sc.sweep(method, *args, executor=ex), serial)


def test_workers_compute_with_their_own_equal_copies(client, sc):
    """Each worker unpickles its own copy: another object in another process, with the same parameters."""
    fut = client.scatter(sc, broadcast=True)           # one copy per worker, kept while the future lives
    seen = client.gather([client.submit(_where, fut, pure=False, workers=[w]) for w in client.nthreads()])
    pids = {pid for pid, _, _ in seen}
    assert len(pids) == 2 and os.getpid() not in pids
    for _, _, params in seen:
        assert params == (sc.model, sc.delta0, sc.resolution)


def test_t_star_map_over_a_local_cluster_equals_serial(client):
    k1, lams = [0.3, 0.8, 1.1], [150.0, 150.0]  # one row per worker; the serial rows come from the session cache
    serial = isingsc.t_star_map(k1, lams, "complete", n_t=61)
    spread = isingsc.t_star_map(k1, lams, "complete", n_t=61, executor=client.get_executor())
    np.testing.assert_array_equal(spread.t_star, serial.t_star)
    np.testing.assert_array_equal(spread.out_below, serial.out_below)
    np.testing.assert_array_equal(spread.k_window, serial.k_window)


def test_microscopic_table_over_a_local_cluster_equals_serial(client, sc):
    from isingsc import microscopic

    ex = client.get_executor()
    assert microscopic.executor_workers(ex) == 2
    T, J = 0.37 * sc.tc0, 0.021  # values no other test tabulates (the cache would hide the executor)
    spread = isingsc.microscopic_table(sc, T, J, n_magnitudes=4, n_angles=2, executor=ex)
    serial = np.array([[sc.free_energy(T, j, a) for a in spread.alpha] for j in spread.J_abs])  # in this process
    np.testing.assert_array_equal(spread.values, serial - sc.free_energy(T, 0.0))
