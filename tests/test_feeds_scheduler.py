"""Feed jobs on python-telegram-bot's JobQueue (no Telegram: the queue runs without a started bot)."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from telegram.ext import ApplicationBuilder

import storage
from config import Config, FeedConfig, FetchConfig
from feeds.pipeline import db_time
from feeds.scheduler import feed_jobs, job_name, schedule_feeds
from tests.feed_server import FeedServer, rss

STATEMENT = "The United States strongly condemns the attack on civilians and calls for restraint."


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def make_config(path: Path, urls: list[str], interval: int = 5) -> Config:
    return Config(storage_path=path, fetch=FetchConfig(timeout=5.0, full_text_min_chars=0),
                  feeds=tuple(FeedConfig(url=u, interval=interval, lang="en", speaker="us-state-department",
                                         fetch_pages=False) for u in urls))


async def wait_for(predicate, seconds: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not predicate():
        assert loop.time() < deadline, "gave up waiting"
        await asyncio.sleep(0.05)


def application():
    return ApplicationBuilder().token("123456:TEST").build()


def stored_clusters(db) -> list[int]:
    """The clusters polling stored: the delivery job fans them out from there (the only hand-off)."""
    return [row[0] for row in db.execute("SELECT id FROM clusters")]


def test_schedule_feeds_polls_each_feed_and_stores_new_clusters_for_delivery(server, db, db_path):
    server.route("/a.xml", rss([{"title": "On the attack", "link": "https://state.test/a", "description": STATEMENT}]))
    server.route("/b.xml", rss([]))
    config = make_config(db_path, [server.url("/a.xml"), server.url("/b.xml")])
    storage.sync_config_feeds(db, config.feeds)  # what storage.open_store does at start-up

    async def scenario():
        app = application()
        job_queue = app.job_queue
        job_queue.set_application(app)
        state = schedule_feeds(job_queue, db, config)
        assert sorted(j.name for j in feed_jobs(job_queue)) == sorted(job_name(f.url) for f in config.feeds)
        for job in feed_jobs(job_queue):  # start now rather than after the jitter
            job.job.modify(next_run_time=dt.datetime.now(dt.UTC))
        await job_queue.start()
        try:
            await wait_for(lambda: len(server.requests_to("/b.xml")) >= 1 and stored_clusters(db))
        finally:
            await job_queue.stop(wait=False)
            await state.aclose()
        return state

    asyncio.run(scenario())
    assert len(stored_clusters(db)) == 1
    assert db.execute("SELECT count(*) FROM statements").fetchone()[0] == 1


def test_a_feed_that_is_not_due_is_skipped(server, db, db_path):
    server.route("/a.xml", rss([]))
    config = make_config(db_path, [server.url("/a.xml")], interval=60)

    async def scenario():
        app = application()
        storage.sync_config_feeds(db, config.feeds)
        state = schedule_feeds(app.job_queue, db, config)
        feed = storage.feed_by_url(db, server.url("/a.xml"))
        later = db_time(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2))
        storage.record_poll_failure(db, feed.id, status=429, error="HTTP 429 Too Many Requests", next_poll_at=later)
        result = await state.poll(feed.id)
        await state.aclose()
        return result

    result = asyncio.run(scenario())
    assert result.outcome == "skipped"
    assert server.requests_to("/a.xml") == []


def test_one_feed_is_never_polled_twice_at_once(server, db, db_path):
    server.route("/slow.xml", rss([]), delay=0.5)
    config = make_config(db_path, [server.url("/slow.xml")])

    async def scenario():
        app = application()
        storage.sync_config_feeds(db, config.feeds)
        state = schedule_feeds(app.job_queue, db, config)
        feed = storage.feed_by_url(db, server.url("/slow.xml"))
        results = await asyncio.gather(state.poll(feed.id), state.poll(feed.id))
        await state.aclose()
        return results

    outcomes = sorted(r.outcome for r in asyncio.run(scenario()))
    assert outcomes == ["ok", "skipped"]
    assert len(server.requests_to("/slow.xml")) == 1


def test_feed_jobs_follow_added_and_removed_feeds(server, db, db_path):
    config = make_config(db_path, [server.url("/a.xml")])

    async def scenario():
        app = application()
        job_queue = app.job_queue
        storage.sync_config_feeds(db, config.feeds)
        state = schedule_feeds(job_queue, db, config)
        added = storage.add_feed(db, server.url("/b.xml"), interval=30)
        state.add(added)
        names = sorted(j.name for j in feed_jobs(job_queue))
        assert state.remove(server.url("/a.xml")) == 1
        after_remove = [j.name for j in feed_jobs(job_queue)]
        storage.remove_feed(db, server.url("/b.xml"))
        storage.add_feed(db, server.url("/c.xml"), interval=5)
        count = state.reschedule()
        final = sorted(j.name for j in feed_jobs(job_queue))
        await state.aclose()
        return names, after_remove, count, final

    names, after_remove, count, final = asyncio.run(scenario())
    assert names == [job_name(server.url("/a.xml")), job_name(server.url("/b.xml"))]
    assert after_remove == [job_name(server.url("/b.xml"))]
    assert count == 2
    assert final == [job_name(server.url("/a.xml")), job_name(server.url("/c.xml"))]


def test_a_moved_feed_keeps_its_job_under_the_new_url(server, db, db_path):
    server.route("/old.xml", status=308, headers={"Location": "/new.xml"})
    server.route("/new.xml", rss([]))
    config = make_config(db_path, [server.url("/old.xml")])

    async def scenario():
        app = application()
        job_queue = app.job_queue
        job_queue.set_application(app)
        storage.sync_config_feeds(db, config.feeds)
        state = schedule_feeds(job_queue, db, config)
        (job,) = feed_jobs(job_queue)
        job.job.modify(next_run_time=dt.datetime.now(dt.UTC))
        await job_queue.start()
        try:
            await wait_for(lambda: storage.feed_by_url(db, server.url("/new.xml")) is not None
                           and feed_jobs(job_queue)[0].name == job_name(server.url("/new.xml")))
        finally:
            await job_queue.stop(wait=False)
            await state.aclose()

    asyncio.run(scenario())
