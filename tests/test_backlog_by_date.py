"""Backlog is decided by the items' dates against when the feed was added (issue 10, item 5).

Items published after a feed was added but before its first successful poll (the first poll runs up to 15 s
after start, and much later when the site is down) are news and are pushed; older and undated items are the
backlog and are not; a feed that dates every item by the fetch time does not flood on its first poll.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import signal
from pathlib import Path

import pytest

from config import Config, DeliveryConfig, FeedConfig, FetchConfig
from feeds.pipeline import MAX_FRESH_ON_FIRST_POLL, poll_once
from storage import chats, outbox
from tests.fake_telegram import FakeTelegram
from tests.feed_server import FeedServer, rss


def official_item(n: int, date: str | None) -> dict:
    """An item of the State Department's own feed (each item is its statement), dated ``date`` (RFC 822)."""
    item = {"title": f"Statement item {n} on the situation in Sudan", "link": f"https://state.test/item/{n}",
            "guid": f"item-{n}",
            "description": f"<p>The United States calls for an immediate ceasefire, says item {n}.</p>"}
    if date is not None:
        item["pubDate"] = date
    return item


def backlog_config(db_path: Path, url: str) -> Config:
    return Config(storage_path=db_path, fetch=FetchConfig(timeout=5.0), delivery=DeliveryConfig(push_backlog=False),
                  feeds=(FeedConfig(url=url, lang="en", speaker="us-state-department", fetch_pages=False),))


def rfc822(moment: dt.datetime) -> str:
    return email.utils.format_datetime(moment, usegmt=True)


def test_first_poll_pushes_items_dated_after_the_feed_was_added(db, db_path):
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    items = [official_item(1, rfc822(now - dt.timedelta(days=3))),     # backlog: before the feed was added
             official_item(2, None)]                                    # undated: backlog
    with FeedServer() as server:
        server.route("/feed.xml", lambda _n: rss(items))
        config = backlog_config(db_path, server.url("/feed.xml"))
        chats.ensure_chat(db, 42)
        chats.subscribe(db, 42, "us-state-department")
        from storage.feeds import sync_config_feeds

        sync_config_feeds(db, config.feeds)  # the feed is added now ...
        db.conn.execute("UPDATE feeds SET created_at = ?", ((now - dt.timedelta(minutes=10)).strftime(
            "%Y-%m-%d %H:%M:%S"),))  # ... ten minutes ago, in fact: the site was down until now
        items += [official_item(3, rfc822(now - dt.timedelta(minutes=5))),  # published while it was down
                  official_item(4, rfc822(now - dt.timedelta(minutes=1)))]
        asyncio.run(poll_once(db, config))
    assert outbox.fan_out(db) == 2
    pushed = {r["text"] for r in db.query(
        "SELECT cl.text FROM deliveries d JOIN clusters cl ON cl.id = d.cluster_id")}
    assert len(pushed) == 2 and all("item 3" in t or "item 4" in t for t in pushed), pushed
    assert db.execute("SELECT count(*) FROM clusters").fetchone()[0] == 4  # all stored, for /latest and /who


def test_a_feed_dating_everything_now_does_not_flood_on_its_first_poll(db, db_path):
    now = dt.datetime.now(dt.UTC)
    items = [official_item(n, rfc822(now)) for n in range(MAX_FRESH_ON_FIRST_POLL + 5)]
    with FeedServer() as server:
        server.route("/feed.xml", lambda _n: rss(items))
        config = backlog_config(db_path, server.url("/feed.xml"))
        chats.ensure_chat(db, 42)
        chats.subscribe(db, 42, "us-state-department")
        from storage.feeds import sync_config_feeds

        sync_config_feeds(db, config.feeds)
        db.conn.execute("UPDATE feeds SET created_at = datetime('now', '-1 minute')")
        asyncio.run(poll_once(db, config))
    assert outbox.fan_out(db) == 0


@pytest.mark.slow
def test_items_published_before_the_first_poll_reach_a_subscriber_end_to_end(tmp_path):
    """The real ``raqib run``: the feed's site is down at start; a user subscribes; two statements are
    published; the site comes back. Both are pushed, the old item is not."""
    from tests.test_e2e_service import Service, is_push

    old = official_item(1, "Mon, 10 Jan 2022 09:00:00 GMT")
    items = [old]
    with FakeTelegram(token="123:ABC") as telegram, FeedServer() as feeds:
        feeds.route("/feed.xml", b"down for maintenance", status=503, content_type="text/plain")
        service = Service(tmp_path, telegram.api_url, feeds.url("/feed.xml"))
        service.config.write_text(
            f'[storage]\npath = "raqib.db"\n\n[telegram]\napi_url = "{telegram.api_url}"\n\n'
            f'[[feeds]]\nurl = "{feeds.url("/feed.xml")}"\nname = "State"\nlang = "en"\ninterval = 5\n'
            'speaker = "us-state-department"\nfetch_pages = false\n', encoding="utf-8")
        try:
            service.start(telegram)
            before = len(telegram.sent(5001))
            telegram.send_command(5001, "/subscribe us-state-department", language_code="en")
            telegram.wait_until(lambda: len(telegram.sent(5001)) > before, timeout=15)
            telegram.wait_until(lambda: service.db_path.exists(), timeout=10)
            now = service.time_after_the_feeds_were_added()
            items += [official_item(2, rfc822(now)), official_item(3, rfc822(now))]
            feeds.route("/feed.xml", lambda _n: rss(items))  # the site is back
            telegram.wait_until(lambda: len([m for m in telegram.sent(5001) if is_push(m)]) >= 2, timeout=60)
            service.wait_settled()  # every cluster fanned out and every delivery sent: no third push to come
            pushes = [m["text"] for m in telegram.sent(5001) if is_push(m)]
            assert len(pushes) == 2, pushes
            assert any("item 2" in p for p in pushes) and any("item 3" in p for p in pushes)
            assert not any("item 1" in p for p in pushes)
            assert service.stop() == 0
        finally:
            if service.process is not None and service.process.poll() is None:
                service.stop(signal.SIGKILL)

