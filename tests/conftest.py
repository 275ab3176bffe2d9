"""Shared fixtures: a database file in a temporary folder (others may append fixtures below).

No test is skipped here: a skip (a missing fixture file, an ``importorskip``, an empty parameter list) is
reported as a failure, so a test that did not run never looks like one that passed.
"""

from __future__ import annotations

import pytest

from storage.db import open_db


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"{item.nodeid} was skipped, and tests here must run: {report.longrepr}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if report.skipped:  # a module-level skip or importorskip
        report.outcome = "failed"


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
