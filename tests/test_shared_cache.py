"""isingsc.book._shared_cache: results shared between the kernels of one build, and only there."""
import pickle

import pytest

from isingsc.book import _shared_cache as sc_cache


def test_without_the_variable_nothing_is_shared(monkeypatch, tmp_path):
    monkeypatch.delenv(sc_cache.ENV, raising=False)
    calls = []
    for _ in range(2):
        assert sc_cache.shared("x", (1,), lambda: calls.append(1) or 42) == 42
    assert len(calls) == 2 and not any(tmp_path.iterdir())


def test_a_stored_result_is_read_by_the_next_caller(monkeypatch, tmp_path):
    monkeypatch.setenv(sc_cache.ENV, str(tmp_path / "cache"))
    calls = []
    value = {"D": 0.9781, "claims": ["a", "b"]}
    assert sc_cache.shared("summary", (), lambda: calls.append(1) or value) == value
    assert sc_cache.shared("summary", (), lambda: calls.append(1) or "recomputed") == value
    assert calls == [1]
    # another key, another name: computed
    assert sc_cache.shared("summary", (2,), lambda: "other") == "other"
    assert sc_cache.shared("claims", (), lambda: "third") == "third"
    assert len(list((tmp_path / "cache").glob("*.pkl"))) == 3


def test_store_writes_what_shared_reads(monkeypatch, tmp_path):
    monkeypatch.setenv(sc_cache.ENV, str(tmp_path))
    assert sc_cache.store("r", ("k",), 1.5) == 1.5
    assert sc_cache.shared("r", ("k",), lambda: pytest.fail("should have been read")) == 1.5


def test_an_edited_library_never_reads_old_results(monkeypatch, tmp_path):
    monkeypatch.setenv(sc_cache.ENV, str(tmp_path))
    sc_cache.store("r", (), "old library")
    monkeypatch.setattr(sc_cache, "_library_digest", lambda: "a different digest")
    assert sc_cache.shared("r", (), lambda: "new library") == "new library"


def test_a_damaged_file_is_recomputed(monkeypatch, tmp_path):
    monkeypatch.setenv(sc_cache.ENV, str(tmp_path))
    sc_cache.store("r", (), "good")
    (path,) = tmp_path.glob("r-*.pkl")
    path.write_bytes(b"\x80\x05 not a pickle")
    assert sc_cache.shared("r", (), lambda: "again") == "again"
    assert pickle.loads(path.read_bytes()) == "again"
    assert not list(tmp_path.glob(".tmp-*"))  # no temporary files left behind


def test_the_digest_covers_the_library_sources():
    d = sc_cache._library_digest()
    assert len(d) == 64 and d == sc_cache._library_digest()
