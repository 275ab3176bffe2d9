"""Shared fixtures: a database file in a temporary folder (others may append fixtures below).

No test is skipped here: a skip (a missing fixture file, an ``importorskip``, an empty parameter list) is
reported as a failure, so a test that did not run never looks like one that passed.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
from xdist.scheduler import LoadScopeScheduling

from storage.db import open_db
from tests.shared import session_dir


def _share_the_default_ssl_context() -> None:
    """Every httpx client made in a test process (python-telegram-bot's two per Bot, a Fetcher per poll) made
    its own default TLS context, loading certifi's bundle: 40 to 50 ms of CPU each, several hundred times a run.
    The tests never open a TLS connection (everything is http:// on 127.0.0.1), so one context, made once per
    process, serves them all. Only the default case (verify=True, no client certificate) is shared."""
    from httpx._transports import default

    create = default.create_ssl_context
    shared: list = []

    def create_ssl_context(verify=True, cert=None, trust_env=True):
        if verify is not True or cert is not None or not trust_env:
            return create(verify=verify, cert=cert, trust_env=trust_env)
        if not shared:
            shared.append(create())
        return shared[0]

    default.create_ssl_context = create_ssl_context


def pytest_configure(config):
    """One cache of prebuilt tables (reactions.prebuilt) for this run, empty at its start: the first process
    to need the registry or the gazetteer builds it, and every other one (the xdist workers, each raqib
    process started) reads it. The run's own folder, so nothing left by an earlier run is read. And one
    default TLS context per test process (see _share_the_default_ssl_context)."""
    _share_the_default_ssl_context()  # in the controller and in every xdist worker
    if hasattr(config, "workerinput"):
        return  # an xdist worker: the controller's folder is in the environment it inherited
    folder = tempfile.mkdtemp(prefix="raqib-test-cache-")
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    os.environ["RAQIB_CACHE_DIR"] = folder


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


@pytest.fixture(scope="session")
def shared_dir(request, tmp_path_factory):
    """A folder shared by every pytest-xdist worker of this run (see :mod:`tests.shared`)."""
    worker = getattr(request.config, "workerinput", {}).get("workerid", "master")
    return session_dir(tmp_path_factory.getbasetemp(), worker)


# Tests that must run on one xdist worker, by node id prefix: they share a costly module fixture, which each
# worker would otherwise build again. (xdist's own xdist_group marker does not group under pytest 9: it renames
# an attribute pytest no longer reads.)
ONE_WORKER = ("tests/test_feeds_corpus.py::test_real_feeds_", "tests/test_e2e_running.py::")


class _Scheduling(LoadScopeScheduling):
    """``--dist loadgroup`` as make test uses it: one test per unit of work, except the ONE_WORKER groups."""

    def _split_scope(self, nodeid: str) -> str:
        return next((prefix for prefix in ONE_WORKER if nodeid.startswith(prefix)), nodeid)


def pytest_xdist_make_scheduler(config, log):
    return _Scheduling(config, log) if config.getvalue("dist") == "loadgroup" else None


# The order tests are handed to the xdist workers (make test: --dist loadgroup, one test at a time): the ones
# that take longest start first, so the many short ones fill the gaps around them instead of a long one
# starting last. First the CPU-heavy corpus chunks, then the other slow tests (processes, waits), then the rest;
# the corpus chunks' totals last (by then every worker has computed and shared its chunks). The ONE_WORKER
# group goes first of all (xdist hands out the largest units first).
HEAVY_FIRST = ("tests/test_feeds_parsers.py::test_both_parsers",
               "tests/test_feeds_corpus.py::test_feedparser_test_documents_never")
LAST = ("tests/test_feeds_parsers.py::test_the_fast_path", "tests/test_feeds_parsers.py::test_texts_are",
        "tests/test_feeds_corpus.py::test_feedparser_test_documents_are_all")


def _rank(item) -> int:
    if item.nodeid.startswith(HEAVY_FIRST):
        return 0
    if item.nodeid.startswith(LAST):
        return 3
    return 1 if item.get_closest_marker("slow") else 2


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=_rank)  # stable: within a rank, files and tests keep their order
