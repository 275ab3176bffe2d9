"""Fair limits for a poll (issue 10, item 12), against the loopback feed server: feed documents go ahead of
article pages on a shared host, a feed's items are stored before its slow pages arrive, a poll's page fetching
has a deadline, a host whose pages time out is not waited on again, and a huge feed is handled a bounded
number of items per poll."""

from __future__ import annotations

import asyncio

import pytest

import storage
from config import FeedConfig, FetchConfig
from feeds import pipeline
from feeds.fetch import Fetcher
from feeds.pipeline import poll_once, refresh_feed
from tests.feed_server import FeedServer, rss
from tests.test_feeds_pipeline import PAGE, PARAGRAPHS, make_config

LONG = " ".join(PARAGRAPHS) * 2  # long enough that no page is fetched for it


def summary_items(prefix: str, n: int, base: str) -> list[dict]:
    return [{"title": f"{prefix} {i}", "link": f"{base}/{prefix}/page{i}.html", "guid": f"{prefix}-{i}",
             "description": "Short summary."} for i in range(n)]


def long_items(prefix: str, n: int) -> list[dict]:
    return [{"title": f"{prefix} long {i}", "link": f"http://news.test/{prefix}/long{i}", "guid": f"{prefix}-l{i}",
             "description": LONG} for i in range(n)]


def settings(**kwargs) -> FetchConfig:
    return FetchConfig(**{"timeout": 10.0, "per_host": 2, "full_text_min_chars": 600, **kwargs})


def add(db, url: str) -> storage.FeedRow:
    return storage.add_feed(db, url, interval=60, origin="config")


@pytest.mark.slow
def test_a_feed_document_is_not_queued_behind_another_feeds_slow_pages(db):
    with FeedServer() as server:
        for i in range(10):
            server.route(f"/a/page{i}.html", PAGE, content_type="text/html", delay=1.0)
        server.route("/a.xml", rss(summary_items("a", 10, server.base_url)))
        server.route("/b.xml", rss(long_items("b", 1)))
        feed_a, feed_b = add(db, server.url("/a.xml")), add(db, server.url("/b.xml"))

        async def scenario():
            async with Fetcher(settings(timeout=15.0)) as fetcher:
                a = asyncio.create_task(refresh_feed(db, feed_a, fetcher, settings(timeout=15.0), push_backlog=True))
                while not server.requests_to("/a/page0.html") and not server.requests_to("/a/page1.html"):
                    await asyncio.sleep(0.02)  # feed a's pages have started
                b = await refresh_feed(db, feed_b, fetcher, settings(timeout=15.0), push_backlog=True)
                a_done_before_b = a.done()
                a_result = await a
                return b, a_done_before_b, a_result

        b, a_done_before_b, a_result = asyncio.run(scenario())
        b_asked = server.requests_to("/b.xml")[0].time
        pages_before_b = sum(r.time < b_asked for i in range(10) for r in server.requests_to(f"/a/page{i}.html"))
    assert b.outcome == "ok" and b.new_articles == 1
    assert not a_done_before_b, "feed b waited for all of feed a's pages"
    # b's document went out at once, not after the pages queued before it (8 of them on a FIFO semaphore)
    assert pages_before_b <= 2, pages_before_b
    assert a_result.outcome == "ok" and a_result.pages_fetched == 10


@pytest.mark.slow
def test_items_that_need_no_page_are_stored_before_the_slow_pages_arrive(db):
    with FeedServer() as server:
        for i in range(4):
            server.route(f"/s/page{i}.html", PAGE, content_type="text/html", delay=3.0)
        server.route("/s.xml", rss(long_items("s", 3) + summary_items("s", 4, server.base_url)))
        feed = add(db, server.url("/s.xml"))

        async def scenario():
            async with Fetcher(settings()) as fetcher:
                task = asyncio.create_task(refresh_feed(db, feed, fetcher, settings(), push_backlog=True))
                stored_early, still_fetching = 0, False
                while not task.done():  # the 4 pages take 3 s each, one at a time
                    stored_early = db.execute("SELECT count(*) FROM articles").fetchone()[0]
                    if stored_early:
                        still_fetching = not task.done()
                        break
                    await asyncio.sleep(0.05)
                result = await task
                return stored_early, still_fetching, result

        stored_early, still_fetching, result = asyncio.run(scenario())
    assert stored_early == 3 and still_fetching, (stored_early, still_fetching)
    assert result.new_articles == 7 and result.pages_fetched == 4


def test_a_poll_stops_waiting_for_pages_at_its_budget(db, monkeypatch):
    monkeypatch.setattr(pipeline, "MIN_PAGE_BUDGET", 1.0)
    monkeypatch.setattr(pipeline, "MAX_PAGE_BUDGET", 1.0)
    with FeedServer() as server:
        for i in range(6):
            server.route(f"/p/page{i}.html", PAGE, content_type="text/html", delay=8.0)
        server.route("/p.xml", rss(summary_items("p", 6, server.base_url)))
        feed = add(db, server.url("/p.xml"))

        async def scenario():
            async with Fetcher(settings(timeout=20.0)) as fetcher:
                return await refresh_feed(db, feed, fetcher, settings(timeout=20.0), push_backlog=True)

        result = asyncio.run(scenario())
    # the pages (8 s each, within the 20 s timeout) would all have been waited for without the budget
    assert result.outcome == "ok" and result.new_articles == 6 and result.pages_fetched == 0
    assert {r["text"] for r in db.query("SELECT text FROM articles")} == {"Short summary."}


def test_pages_of_a_host_that_times_out_are_not_waited_on_again(db):
    with FeedServer() as server:
        for i in range(8):
            server.route(f"/t/page{i}.html", PAGE, content_type="text/html", delay=4.0)
        server.route("/t.xml", rss(summary_items("t", 8, server.base_url)))
        feed = add(db, server.url("/t.xml"))

        async def scenario():
            async with Fetcher(settings(timeout=1.0)) as fetcher:
                return await refresh_feed(db, feed, fetcher, settings(timeout=1.0), push_backlog=True)

        result = asyncio.run(scenario())
        page_requests = sum(len(server.requests_to(f"/t/page{i}.html")) for i in range(8))
    assert result.outcome == "ok" and result.new_articles == 8
    assert page_requests <= 2, page_requests  # the first timeout marks the host down for its other pages


def test_a_huge_feed_is_handled_a_bounded_number_of_items_per_poll(db, db_path, monkeypatch):
    monkeypatch.setattr(pipeline, "MAX_ITEMS_PER_POLL", 10)
    with FeedServer() as server:
        server.route("/huge.xml", rss(long_items("h", 25)))
        config = make_config(db_path, [FeedConfig(url=server.url("/huge.xml"), fetch_pages=False)])
        storage.sync_config_feeds(db, config.feeds)  # what storage.open_store does at start-up
        counts = []
        for _ in range(4):
            summary = asyncio.run(poll_once(db, config))
            counts.append(summary.new_articles)
            assert summary.failed == 0
    assert counts == [10, 10, 5, 0]
    feed = storage.all_feeds(db)[0]
    assert feed.etag is not None  # once all is handled the validators are kept again
