"""Shared fixtures: a database file in a temporary folder (others may append fixtures below)."""

from __future__ import annotations

import pytest

from storage.db import open_db


@pytest.fixture
def db_path(tmp_path):
    """Where a test's database lives: a fresh file in its own temporary folder."""
    return tmp_path / "raqib.db"


@pytest.fixture
def db(db_path):
    """A new, migrated database (WAL, foreign keys on), closed after the test."""
    database = open_db(db_path)
    yield database
    database.close()
