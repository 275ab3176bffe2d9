"""The delivery run waits out a locked database, and only that: other database errors are not swallowed."""

from __future__ import annotations

import sqlite3

import pytest

from storage.errors import is_busy


def _error(db_path, make) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as caught:
        make(db_path)
    return caught.value


def _locked(db_path):
    a = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    a.execute("CREATE TABLE t (x)")
    a.execute("BEGIN IMMEDIATE")
    b = sqlite3.connect(db_path, timeout=0)
    try:
        b.execute("INSERT INTO t VALUES (1)")
    finally:
        a.execute("ROLLBACK")


def _no_column(db_path):
    c = sqlite3.connect(db_path)
    c.execute("CREATE TABLE u (x)")
    c.execute("SELECT nope FROM u")


def test_a_held_write_lock_is_busy(tmp_path):
    assert is_busy(_error(str(tmp_path / "a.db"), _locked))


def test_a_schema_fault_is_not_busy(tmp_path):
    err = _error(str(tmp_path / "b.db"), _no_column)
    assert isinstance(err, sqlite3.OperationalError) and not is_busy(err)
