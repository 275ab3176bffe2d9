"""The fetcher and the feed row's polling state, against the loopback server (no timing assertions)."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
from pathlib import Path

import pytest

import storage
from config import Config, FeedConfig, FetchConfig
from feeds.errors import BodyTooLarge, FetchTimeout, HTTPStatusError, TooManyRedirects
from feeds.fetch import Fetcher, parse_retry_after
from feeds.models import PollSummary
from feeds.pipeline import backoff_seconds, is_due, parse_db_time, poll_once
from tests.feed_server import FeedServer, rss

ITEMS = [{"title": f"Item {i}", "link": f"http://news.test/{i}", "description": f"Text {i}"} for i in range(3)]


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def make_config(path: Path, urls: list[str], **fetch: object) -> Config:
    settings = {"timeout": 5.0, "full_text_min_chars": 0, **fetch}
    return Config(storage_path=path, fetch=FetchConfig(**settings),  # type: ignore[arg-type]
                  feeds=tuple(FeedConfig(url=u, interval=600, fetch_pages=False) for u in urls))


def poll(db, config: Config, urls: list[str] | None = None) -> PollSummary:
    storage.sync_config_feeds(db, config.feeds)  # what storage.open_store does at start-up
    return asyncio.run(poll_once(db, config, urls))


def fetch(settings: FetchConfig, url: str, **kwargs):
    async def run():
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url, **kwargs)

    return asyncio.run(run())


def feed(db, url: str):
    row = storage.feed_by_url(db, url)
    assert row is not None
    return row


def articles(db) -> int:
    return db.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_second_poll_is_conditional_and_stores_nothing(server, db, db_path):
    server.route("/feed.xml", rss(ITEMS))
    config = make_config(db_path, [server.url("/feed.xml")])
    first = poll(db, config)
    second = poll(db, config)
    assert (first.new_articles, second.new_articles, second.not_modified) == (3, 0, 1)
    conditional = server.requests_to("/feed.xml")[1].headers
    assert conditional["If-None-Match"] == feed(db, server.url("/feed.xml")).etag
    assert conditional["If-Modified-Since"] == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert feed(db, server.url("/feed.xml")).last_status == 304
    assert articles(db) == 3


def test_last_modified_alone_gives_a_304(server, db, db_path):
    server.route("/feed.xml", rss(ITEMS), etag=False)
    config = make_config(db_path, [server.url("/feed.xml")])
    poll(db, config)
    assert poll(db, config).not_modified == 1


def test_requests_carry_the_configured_user_agent_and_accept_gzip(server, db, db_path):
    server.route("/feed.xml", rss(ITEMS), gzip=True)
    config = make_config(db_path, [server.url("/feed.xml")], user_agent="RaqibTest/1.0 (+https://example.org)")
    assert poll(db, config).new_articles == 3
    headers = server.requests_to("/feed.xml")[0].headers
    assert headers["User-Agent"] == "RaqibTest/1.0 (+https://example.org)"
    assert "gzip" in headers["Accept-Encoding"]


@pytest.mark.parametrize("options", [{}, {"content_length": False}, {"gzip": True}])
def test_a_body_over_the_cap_is_an_error(server, db, db_path, options):
    big = rss([{"title": "x" * 100, "link": f"http://news.test/{i}", "description": "0" * 5000} for i in range(20)])
    server.route("/big.xml", big, **options)
    config = make_config(db_path, [server.url("/big.xml")], max_bytes=64 * 1024)
    summary = poll(db, config)
    assert summary.failed == 1
    row = feed(db, server.url("/big.xml"))
    assert row.last_error == "body larger than 64 KB"
    assert row.last_error_at is not None and row.consecutive_failures == 1
    assert articles(db) == 0


def test_the_cap_raises_a_typed_error():
    with FeedServer() as server:
        server.route("/big", b"x" * 5000, content_length=False)
        with pytest.raises(BodyTooLarge) as caught:
            fetch(FetchConfig(max_bytes=1024), server.url("/big"))
    assert caught.value.message == "body larger than 1 KB"


@pytest.mark.parametrize("options", [{"delay": 3.0}, {"trickle": 0.5}])
def test_a_slow_server_times_out(server, db, db_path, options):
    body = rss([{"title": f"t{i}", "link": f"http://news.test/{i}", "description": "x" * 1000} for i in range(8)])
    server.route("/slow.xml", body, **options)
    config = make_config(db_path, [server.url("/slow.xml")], timeout=0.5)
    summary = poll(db, config)
    assert summary.failed == 1
    assert feed(db, server.url("/slow.xml")).last_error == "timed out after 0.5 s"


def test_timeout_is_a_typed_error(server):
    server.route("/slow", b"late", delay=2.0)
    with pytest.raises(FetchTimeout):
        fetch(FetchConfig(timeout=0.3), server.url("/slow"))


def test_a_redirect_loop_is_an_error(server, db, db_path):
    server.route("/a", status=302, headers={"Location": "/b"})
    server.route("/b", status=302, headers={"Location": "/a"})
    config = make_config(db_path, [server.url("/a")])
    poll(db, config)
    assert "too many redirects" in feed(db, server.url("/a")).last_error


def test_more_than_max_redirects_is_an_error(server):
    for i in range(7):
        server.route(f"/r{i}", status=307, headers={"Location": f"/r{i + 1}"})
    server.route("/r7", rss(ITEMS))
    with pytest.raises(TooManyRedirects):
        fetch(FetchConfig(max_redirects=5), server.url("/r0"))
    assert fetch(FetchConfig(max_redirects=7), server.url("/r0")).status == 200


def test_a_permanent_redirect_updates_the_stored_url(server, db, db_path):
    server.route("/old.xml", status=301, headers={"Location": "/new.xml"})
    server.route("/new.xml", rss(ITEMS))
    config = make_config(db_path, [server.url("/old.xml")])
    assert poll(db, config).new_articles == 3
    assert storage.feed_by_url(db, server.url("/old.xml")) is None
    moved = feed(db, server.url("/new.xml"))
    assert moved.last_status == 200
    # The next poll goes straight to the new address (the config still names the old one: it is re-added).
    poll(db, config, [server.url("/new.xml")])
    assert len(server.requests_to("/old.xml")) == 1


def test_a_temporary_redirect_keeps_the_url(server, db, db_path):
    server.route("/feed.xml", status=302, headers={"Location": "/elsewhere.xml"})
    server.route("/elsewhere.xml", rss(ITEMS))
    config = make_config(db_path, [server.url("/feed.xml")])
    poll(db, config)
    assert feed(db, server.url("/feed.xml")).last_status == 200


def test_permanent_then_temporary_redirect_stores_the_permanent_target(server):
    server.route("/a", status=308, headers={"Location": "/b"})
    server.route("/b", status=302, headers={"Location": "/c"})
    server.route("/c", rss(ITEMS))
    result = fetch(FetchConfig(), server.url("/a"))
    assert result.permanent_url == server.url("/b")
    assert result.final_url == server.url("/c")


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds_is_honoured(server, db, db_path, status):
    server.route("/busy.xml", status=status, headers={"Retry-After": "7200"}, content_type="text/plain")
    config = make_config(db_path, [server.url("/busy.xml")])
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    poll(db, config)
    row = feed(db, server.url("/busy.xml"))
    assert row.last_error.startswith(f"HTTP {status} ")
    assert "retry after 7200 s" in row.last_error
    assert parse_db_time(row.next_poll_at) >= before + dt.timedelta(seconds=7200)
    assert not is_due(row, before + dt.timedelta(seconds=3600))


def test_retry_after_as_an_http_date_is_honoured(server):
    when = dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)
    server.route("/busy", status=429, headers={"Retry-After": email.utils.format_datetime(when, usegmt=True)})
    with pytest.raises(HTTPStatusError) as caught:
        fetch(FetchConfig(), server.url("/busy"))
    assert caught.value.status == 429
    assert 3 * 3600 - 120 < caught.value.retry_after <= 3 * 3600


@pytest.mark.parametrize(("value", "expected"), [("120", 120.0), ("0", 0.0), ("", None), ("soon", None),
                                                 ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)])
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value) == expected


def test_http_errors_are_readable(server, db, db_path):
    server.route("/gone.xml", b"nothing here", status=404, content_type="text/plain")
    server.route("/broken.xml", b"oops", status=500, content_type="text/plain")
    urls = [server.url("/gone.xml"), server.url("/broken.xml"), "http://127.0.0.1:9/closed.xml"]
    summary = poll(db, make_config(db_path, urls))
    assert summary.failed == 3 and summary.feeds_polled == 3
    assert feed(db, urls[0]).last_error == "HTTP 404 Not Found"
    assert feed(db, urls[1]).last_error == "HTTP 500 Internal Server Error"
    assert feed(db, urls[2]).last_error == "connection refused"
    assert [url for url, _error in summary.errors] == urls


def test_backoff_doubles_up_to_a_day():
    assert [backoff_seconds(600, n) for n in range(1, 10)] == [
        1200, 2400, 4800, 9600, 19200, 38400, 76800, 86400, 86400]
    assert backoff_seconds(600, 1, retry_after=7200) == 7200
    assert backoff_seconds(600, 5, retry_after=60) == 19200
    assert backoff_seconds(172800, 3) == 172800  # an interval longer than a day is kept


def test_a_failing_feed_backs_off_and_recovers(server, db, db_path):
    server.route("/flaky.xml", b"down", status=500)
    url = server.url("/flaky.xml")
    config = make_config(db_path, [url])
    gaps = []
    for _ in range(4):
        started = dt.datetime.now(dt.UTC).replace(microsecond=0)
        poll(db, config)
        row = feed(db, url)
        gaps.append((parse_db_time(row.next_poll_at) - started).total_seconds())
    assert feed(db, url).consecutive_failures == 4
    assert [round(g / 600) for g in gaps] == [2, 4, 8, 16]
    server.route("/flaky.xml", rss(ITEMS))
    poll(db, config)
    row = feed(db, url)
    assert (row.consecutive_failures, row.last_error, row.last_status) == (0, None, 200)


def test_per_host_concurrency_is_limited(server, db, db_path):
    for i in range(6):
        server.route(f"/f{i}.xml", rss([{"title": "t", "link": f"http://news.test/{i}"}]), delay=0.2)
    config = make_config(db_path, [server.url(f"/f{i}.xml") for i in range(6)], per_host=2)
    assert poll(db, config).new_articles == 6
    assert server.max_active <= 2
