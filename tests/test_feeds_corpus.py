"""Robustness on feeds nobody here wrote: 200 captured real feeds and feedparser's 2,106 test documents,
served from loopback and polled through the real pipeline into a real SQLite database.

Every feed must end either with its entries stored or with a readable error on its row; no exception
escapes; polling again stores nothing new (every real feed; a fixed sample of feedparser's documents, see
SAMPLE). Page fetching is off (the corpora have no pages).
"""

from __future__ import annotations

import asyncio
import csv
import zlib
from pathlib import Path

import pytest

import storage
from config import Config, FeedConfig, FetchConfig
from feeds.pipeline import poll_once
from storage import open_store
from tests.feed_server import FeedServer
from tests.paths import shared
from tests.shared import once_per_session

pytestmark = pytest.mark.slow  # polls whole corpora or runs the service: make test-fast leaves it out

REAL = shared("feeds", "real")
FEEDPARSER_TESTS = shared("feeds", "feedparser-tests")
INDEX = shared("feeds", "real-index.tsv")


def index() -> dict[str, dict[str, str]]:
    with open(INDEX, encoding="utf-8", newline="") as f:
        return {row["file"]: row for row in csv.DictReader(f, delimiter="\t")}


def make_config(path: Path, urls: list[str]) -> Config:
    return Config(storage_path=path, fetch=FetchConfig(timeout=60.0, per_host=8, full_text_min_chars=0),
                  feeds=tuple(FeedConfig(url=u, fetch_pages=False) for u in urls))


def article_counts(db) -> dict[int, int]:
    return {row["feed_id"]: row["n"] for row in db.query("SELECT feed_id, count(*) AS n FROM articles GROUP BY feed_id")}


def check_every_feed_has_entries_or_an_error(db, summary) -> None:
    counts = article_counts(db)
    results = {r.feed_id: r for r in summary.results}
    for feed in storage.all_feeds(db):
        result = results[feed.id]
        if result.outcome == "failed":
            assert feed.last_error and feed.last_error == result.error, feed.url
            assert not feed.last_error.startswith("internal error"), (feed.url, feed.last_error)
        else:
            assert feed.last_error is None and feed.last_success_at is not None, feed.url
            assert counts.get(feed.id, 0) == result.entries == result.new_articles, feed.url


@pytest.fixture(scope="module")
def real_corpus(tmp_path_factory):
    """The real corpus polled once (shared by the tests below: the first poll is the expensive part; make test
    keeps them on one xdist worker, see ONE_WORKER in tests/conftest.py)."""
    files = sorted(p.name for p in REAL.iterdir() if p.is_file())
    db_path = tmp_path_factory.mktemp("real") / "raqib.db"
    with FeedServer(root=REAL) as server:
        config = make_config(db_path, [server.url(name) for name in files])
        db = open_store(config)
        summary = asyncio.run(poll_once(db, config))
        yield server, db, config, summary
        db.close()


def test_real_feeds_end_stored_or_with_a_recorded_error(real_corpus):
    server, db, _config, summary = real_corpus
    assert summary.feeds_polled == 200
    check_every_feed_has_entries_or_an_error(db, summary)
    expected = index()
    for result in summary.results:
        name = result.url.rsplit("/", 1)[1]
        if int(expected[name]["entries"]) > 0:
            assert result.outcome == "ok", (name, result.error)
            assert 0 < result.entries <= int(expected[name]["entries"]), name
        elif not expected[name]["version"] and (REAL / name).read_bytes().lstrip().startswith(b"{"):
            assert result.outcome == "ok" and result.entries > 0, name  # a JSON Feed: feedparser 6.0 reads XML only
        else:
            assert result.outcome == "failed" and result.error.startswith("not a feed: "), name


def test_real_feeds_keep_their_arabic_and_relative_links(real_corpus):
    _server, db, _config, _summary = real_corpus
    relative = [name for name, row in index().items() if int(row["relative_links"]) > 0]
    for name in relative:
        urls = [r["url"] for r in db.query(
            "SELECT a.url FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE f.url LIKE ?", (f"%/{name}",))]
        assert urls and all(u is None or u.startswith(("http://", "https://")) for u in urls), name


def test_real_feeds_polled_again_store_nothing_new(real_corpus):
    server, db, config, _summary = real_corpus
    before = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    again = asyncio.run(poll_once(db, config))
    assert (again.new_articles, again.changed_articles, again.new_statements) == (0, 0, 0)
    assert again.not_modified == 199
    # Without validators every document is parsed again: the quirky ones (no ids, duplicate ids, relative
    # links, ill-formed) must still map to the same keys and hashes.
    quirky = [name for name, row in index().items()
              if (int(row["entries_without_id"]) or int(row["duplicate_ids"]) or int(row["relative_links"])
                  or row["bozo"] in ("True", "1")) and int(row["bytes"]) < 2_000_000]
    server.conditional = False
    try:
        reparsed = asyncio.run(poll_once(db, config, [server.url(name) for name in quirky]))
    finally:
        server.conditional = True
    assert reparsed.feeds_polled == len(quirky) and reparsed.not_modified == 0
    assert (reparsed.new_articles, reparsed.changed_articles) == (0, 0)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == before


# feedparser's 2,106 test documents are polled in CHUNKS (each its own server and database, largest first dealt
# out evenly), so that several xdist workers share the work; each chunk's totals are kept for this run (see
# tests.shared.once_per_session) and the last test adds them up.
CHUNKS = 4
# Every document is polled once; a second poll without validators (every document fetched and parsed again: it
# must store nothing new) polls a fixed sample of them, about one in SAMPLE chosen by a stable hash of the name,
# plus every document whose first poll failed or stored fewer articles than it had entries (duplicate or missing
# ids: the quirky ones). The 200 real feeds' second poll is above. (Issue 11: the lead's trade-off for a
# two-minute make test; polling all 2,106 twice cost about 12 s of CPU more.)
SAMPLE = 10


def feedparser_test_files(index: int) -> list[str]:
    files = sorted(FEEDPARSER_TESTS.rglob("*"), key=lambda p: (-p.stat().st_size, str(p)))
    return [str(p.relative_to(FEEDPARSER_TESTS)) for p in files if p.is_file()][index::CHUNKS]


def in_sample(name: str) -> bool:
    return zlib.crc32(name.encode("utf-8")) % SAMPLE == 0


def polled_again(result) -> bool:
    """Is this first-poll result's document polled a second time?"""
    name = result.url.split("/", 3)[3]
    return in_sample(name) or result.outcome == "failed" or result.new_articles < result.entries


def poll_feedparser_tests(folder: Path, index: int) -> tuple[int, int, int]:
    """Poll one chunk once, check every feed, poll its sample again (without validators: every document parsed
    again) and check that nothing new was stored and the same documents failed; return (feeds polled, new
    articles of the first poll, feeds polled again)."""
    files = feedparser_test_files(index)
    with FeedServer(root=FEEDPARSER_TESTS) as server:
        server.conditional = False
        config = make_config(folder / f"raqib-{index}.db", [server.url(name) for name in files])
        db = open_store(config)
        try:
            first = asyncio.run(poll_once(db, config))
            assert first.feeds_polled == len(files)
            check_every_feed_has_entries_or_an_error(db, first)
            again = [r for r in first.results if polled_again(r)]
            second = asyncio.run(poll_once(db, config, [r.url for r in again]))
            assert second.feeds_polled == len(again)
            assert (second.new_articles, second.changed_articles) == (0, 0)
            failed = {r.url for r in second.results if r.outcome == "failed"}
            assert failed == {r.url for r in again if r.outcome == "failed"}
        finally:
            db.close()
    return first.feeds_polled, first.new_articles, len(again)


def polled_chunk(shared_dir: Path, index: int) -> tuple[int, int, int]:
    return once_per_session(shared_dir, f"feedparser-tests-{index}-of-{CHUNKS}",
                            lambda: poll_feedparser_tests(shared_dir, index))


@pytest.mark.parametrize("index", range(CHUNKS))
def test_feedparser_test_documents_never_raise(shared_dir, index):
    polled, _new, _again = polled_chunk(shared_dir, index)
    assert polled == len(feedparser_test_files(index))


def test_feedparser_test_documents_are_all_polled_and_mostly_stored(shared_dir):
    totals = [polled_chunk(shared_dir, index) for index in range(CHUNKS)]
    assert sum(polled for polled, _new, _again in totals) == sum(
        len(feedparser_test_files(i)) for i in range(CHUNKS)) > 2000
    assert sum(new for _polled, new, _again in totals) > 1000
    # the second poll's sample: every failed or quirky document and about a tenth of the others
    sampled = sum(in_sample(name) for i in range(CHUNKS) for name in feedparser_test_files(i))
    assert 150 < sampled < 300 and sampled < sum(again for _polled, _new, again in totals) < 1000
