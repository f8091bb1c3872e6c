"""isingsc._results_cache and isingsc.book.build_cache: results kept between runs, never stale."""
import dataclasses
import math
import os
import pickle
import warnings
from pathlib import Path

import numpy as np
import pytest

import isingsc
from isingsc import _results_cache as rc
from isingsc.book import build_cache

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache(monkeypatch, tmp_path):
    """Storing on, in a fresh directory, with an empty in-process memo."""
    monkeypatch.setenv(rc.ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(rc, "_MEMO", rc.OrderedDict())
    return tmp_path / "cache"


def _counted():
    calls = []

    @rc.persistent
    def f(x, n=3, *, executor=None, progress=None):
        calls.append((x, n))
        return np.asarray(x, dtype=float) * n

    return f, calls


@pytest.mark.parametrize("value", [None, "", "off", "OFF", "0"])
def test_off_nothing_is_stored(monkeypatch, tmp_path, value):
    monkeypatch.chdir(tmp_path)
    if value is None:
        monkeypatch.delenv(rc.ENV, raising=False)
    else:
        monkeypatch.setenv(rc.ENV, value)
    f, calls = _counted()
    for _ in range(2):
        assert f(2.0).tolist() == 6.0
        assert rc.shared("x", (1,), lambda: 42) == 42
    assert len(calls) == 2 and not any(tmp_path.iterdir())


def test_a_stored_result_is_read_by_the_next_call(cache):
    f, calls = _counted()
    first = f(np.array([1.0, 2.0]))
    rc._MEMO.clear()  # as in another process: read from the file
    again = f(np.array([1.0, 2.0]), 3)  # the default written out: the same call
    assert np.array_equal(first, again) and len(calls) == 1
    assert len(list(cache.glob("f-*.pkl"))) == 1


def test_any_change_of_an_argument_computes(cache):
    f, calls = _counted()
    x = 0.1
    f(x)
    f(np.nextafter(x, 1.0))  # one unit in the last place
    f(x, 4)
    f(np.array([x]))  # an array is not a float
    f(np.array([x], dtype=np.float32))  # nor is another dtype
    assert len(calls) == 5
    f(x, executor=None, progress=False)  # how it is computed is not what it is
    assert len(calls) == 5


def test_frozen_parameter_objects_are_keyed_by_their_fields(cache):
    calls = []

    @rc.persistent
    def tc(sc):
        calls.append(sc)
        return sc.delta0 / 1.764

    a = isingsc.IsingSuperconductor(isingsc.NbSe2(), 0.4653)
    tc(a)
    tc(isingsc.IsingSuperconductor(isingsc.NbSe2(), 0.4653))  # an equal object: read
    tc(a.with_lambda_soc(40.0))  # another model: computed
    assert len(calls) == 2


def test_arguments_without_an_exact_key_compute_every_time(cache):
    calls = []

    @dataclasses.dataclass  # mutable: could change after it was keyed
    class Box:
        v: float

    @rc.persistent
    def g(obj):
        calls.append(1)
        return 1.0

    for arg in (Box(1.0), lambda: 1, object(), np.array([None])):
        g(arg)
        g(arg)
    assert len(calls) == 8 and not cache.exists()


def test_an_edited_library_never_reads_old_results(cache, monkeypatch):
    rc.store("r", (), "old library")
    monkeypatch.setattr(rc, "library_digest", lambda: "a different digest")
    assert rc.shared("r", (), lambda: "new library") == "new library"


def test_the_digest_covers_every_source_file_of_the_library():
    d = rc.library_digest()
    assert len(d) == 64 and d == rc.library_digest()
    assert (Path(rc.__file__).parent / "book" / "explorers.py").is_file()  # isingsc.book is inside the root


def test_a_damaged_file_is_computed_again(cache):
    rc.store("r", (), "good")
    (path,) = cache.glob("r-*.pkl")
    path.write_bytes(b"\x80\x05 not a pickle")
    assert rc.shared("r", (), lambda: "again") == "again"
    assert pickle.loads(path.read_bytes())[0] == "again"
    assert not list(cache.glob(".tmp-*"))  # no temporary files left behind


def test_warnings_are_stored_and_raised_again(cache):
    @rc.persistent
    def warns(x):
        warnings.warn(f"careful at x = {x}", RuntimeWarning)
        return x

    with pytest.warns(RuntimeWarning, match="careful at x = 2"):
        assert warns(2) == 2
    rc._MEMO.clear()
    with pytest.warns(RuntimeWarning, match="careful at x = 2"):
        assert warns(2) == 2  # read, and warned again
    assert len(list(cache.glob("warns-*.pkl"))) == 1


def test_a_wrong_call_is_the_functions_own_error(cache):
    f, _ = _counted()
    with pytest.raises(TypeError):
        f()
    with pytest.raises(TypeError):
        f(1.0, 2, 3)


def test_a_library_result_read_back_equals_the_computed_one(cache, monkeypatch):
    sc = isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(40.0), 0.4653)
    Js = np.array([0.0, 0.3])
    monkeypatch.setenv(rc.ENV, "off")
    direct = sc.sweep("critical_temperature", Js)
    monkeypatch.setenv(rc.ENV, str(cache))
    stored = sc.sweep("critical_temperature", Js)
    rc._MEMO.clear()
    read = isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(40.0), 0.4653).sweep("critical_temperature", Js)
    assert np.array_equal(direct, stored) and np.array_equal(direct, read)
    assert any(cache.glob("sweep-*.pkl"))


def test_book_root_is_found_from_a_chapter_and_not_elsewhere(tmp_path):
    assert build_cache.book_root(ROOT / "chapters") == ROOT
    assert build_cache.book_root(tmp_path) is None


def test_reuse_build_results_points_at_the_build_and_keeps_a_set_value(monkeypatch, tmp_path):
    monkeypatch.delenv(rc.ENV, raising=False)
    build_cache.reuse_build_results(ROOT / "chapters")
    assert rc.directory() == ROOT / build_cache.BUILD_DIRECTORY
    monkeypatch.setenv(rc.ENV, "off")
    build_cache.reuse_build_results(ROOT / "chapters")
    assert os.environ[rc.ENV] == "off" and rc.directory() is None
    monkeypatch.delenv(rc.ENV)
    build_cache.reuse_build_results(tmp_path)
    assert rc.ENV not in os.environ


def test_microscopic_tables_are_kept_per_temperature_and_read_back(cache, monkeypatch):
    from isingsc import microscopic

    sc = isingsc.ising_superconductor(150.0)
    T = [0.3 * sc.tc0, 0.6 * sc.tc0]
    first = microscopic.microscopic_tables(sc, T, 0.02, n_magnitudes=4, n_angles=2)
    assert len(list(cache.glob("microscopic_table-*.pkl"))) == 2
    monkeypatch.setattr(microscopic, "_TABLES", {})  # a new process: nothing in memory
    monkeypatch.setattr(microscopic, "_free_energy", lambda *a: pytest.fail("computed again"))
    again = microscopic.microscopic_tables(sc, T[::-1], 0.02, n_magnitudes=4, n_angles=2)
    for a, b in zip(first, again[::-1]):
        assert a.T == b.T and np.array_equal(a.values, b.values) and a.f_zero == b.f_zero
    assert again[0] is microscopic.microscopic_table(sc, T[1], 0.02, n_magnitudes=4, n_angles=2)  # in memory now


def test_the_memory_keeps_the_most_recently_used_results_only(cache, monkeypatch):
    """A long session does not grow without bound: beyond MEMO_SIZE the least recently used result is dropped
    from memory (and read from its file when it is asked for again)."""
    monkeypatch.setattr(rc, "MEMO_SIZE", 3)
    reads = []
    read = rc._read
    monkeypatch.setattr(rc, "_read", lambda path: reads.append(path) or read(path))
    f, calls = _counted()
    for x in range(5):
        f(float(x))  # computed; memory: 2, 3, 4
    f(2.0)  # from memory, now the most recently used: 3, 4, 2
    f(5.0)  # computed: 4, 2, 5
    assert len(rc._MEMO) == 3 and len(calls) == 6
    reads.clear()
    for x in (4.0, 2.0, 5.0):
        f(x)
    assert not reads  # all three in memory
    assert f(3.0).tolist() == 9.0 and len(reads) == 1 and len(calls) == 6  # dropped: read from its file


def test_a_stack_with_a_microscopic_coupling_is_keyed_by_its_table(cache):
    """The coupling's function is built from its table: equal tables read the kept loop, another table computes."""
    from isingsc import microscopic

    calls = []

    @rc.persistent
    def energy(stack):
        calls.append(stack)
        return float(stack.energy(0.3, 0.3))

    sc = isingsc.ising_superconductor(150.0)
    tables = [microscopic.microscopic_table(sc, t * sc.tc0, 0.02, n_magnitudes=4, n_angles=2) for t in (0.3, 0.6)]
    stack = lambda table: isingsc.FSFStack(1e-7, 1e-7, 1.0, 1.0, J=0.02, coupling=table.coupling())
    first = energy(stack(tables[0]))
    rc._MEMO.clear()
    again = energy(pickle.loads(pickle.dumps(stack(tables[0]))))  # an equal coupling, rebuilt (another process)
    other = energy(stack(tables[1]))
    assert again == first and len(calls) == 2 and other != first
    assert len(list(cache.glob("energy-*.pkl"))) == 2


def test_the_parts_of_a_kept_result_are_read_but_not_stored(cache):
    calls = []

    @rc.persistent
    def part(x):
        calls.append(x)
        return 2.0 * x

    @rc.persistent
    def whole(xs):
        return sum(part(x) for x in xs)

    assert part(1.0) == 2.0  # stored: called on its own
    assert whole((1.0, 2.0, 3.0)) == 12.0
    assert calls == [1.0, 2.0, 3.0]  # part(1.0) was read inside whole
    assert sorted(p.name.split("-")[0] for p in cache.glob("*.pkl")) == ["part", "whole"]
    # the points a worker computes for parallel_map are parts too
    from isingsc._parallel import _run_chunk

    assert _run_chunk(part, [(5.0,), (1.0,)]) == [10.0, 2.0]
    assert len(list(cache.glob("part-*.pkl"))) == 1


def test_unkeyed_arguments_are_still_checked_when_the_result_is_read(cache):
    f, calls = _counted()
    f(1.0)
    with pytest.raises(TypeError, match="executor"):
        f(1.0, executor="two workers")
    with pytest.raises(TypeError, match="progress"):
        f(1.0, progress="yes")
    assert len(calls) == 1


def test_a_failing_call_stores_nothing_and_still_shows_its_warnings(cache):
    @rc.persistent
    def fails(x):
        warnings.warn("on the way to the error", RuntimeWarning)
        raise ValueError(f"x = {x} meV is unphysical")

    for _ in range(2):
        with pytest.warns(RuntimeWarning, match="on the way"), pytest.raises(ValueError, match="unphysical"):
            fails(-1.0)
    assert not cache.exists() or not list(cache.glob("fails-*.pkl"))
