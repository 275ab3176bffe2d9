"""A feed's first poll is its backlog: stored and searchable, but not pushed unless configured."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import storage
from config import Config, DeliveryConfig, FeedConfig, FetchConfig
from feeds.pipeline import poll_once
from storage import chats, outbox
from tests.feed_server import FeedServer, rss

PRICE = ("وقال المتحدث باسم وزارة الخارجية الأمريكية نيد برايس إن الولايات المتحدة تدين بشدة الهجوم على "
         "المدنيين وتدعو جميع الأطراف إلى ضبط النفس.")
MILLER = ("وأعرب المتحدث باسم وزارة الخارجية الأمريكية ماثيو ميلر عن قلق بلاده العميق إزاء تدهور الأوضاع "
          "الإنسانية في السودان، داعيا إلى فتح ممرات آمنة لإيصال المساعدات.")


def item(n: int, text: str, date: str) -> dict:
    return {"title": f"خبر {n}", "link": f"https://outlet.test/news/{n}", "guid": f"news-{n}",
            "description": f"<p>{text}</p>", "pubDate": date}


def config(db_path: Path, url: str, push_backlog: bool) -> Config:
    return Config(storage_path=db_path, fetch=FetchConfig(timeout=5.0),
                  delivery=DeliveryConfig(push_backlog=push_backlog),
                  feeds=(FeedConfig(url=url, lang="ar", fetch_pages=False),))


@pytest.fixture
def feed():
    items = [item(1, PRICE, "Tue, 10 May 2022 09:00:00 GMT")]
    with FeedServer() as server:
        server.route("/feed.xml", lambda _n: rss(items))
        yield server.url("/feed.xml"), items


def poll(db, settings: Config) -> None:
    storage.sync_config_feeds(db, settings.feeds)  # what storage.open_store does at start-up
    asyncio.run(poll_once(db, settings))


def subscriber(db) -> None:
    chats.ensure_chat(db, 42)
    chats.subscribe(db, 42, "us-state-department")


def test_the_first_poll_is_stored_but_not_pushed(db, db_path, feed):
    url, items = feed
    subscriber(db)
    poll(db, config(db_path, url, push_backlog=False))
    held = [r["fanned_out"] for r in db.query("SELECT fanned_out FROM clusters")]
    assert held and set(held) == {2}
    assert outbox.fan_out(db) == 0
    assert db.execute("SELECT count(*) FROM statements").fetchone()[0] >= 1  # still in /latest and /who

    items.append(item(2, MILLER, "Thu, 11 May 2023 09:00:00 GMT"))
    poll(db, config(db_path, url, push_backlog=False))
    assert outbox.fan_out(db) == 1  # what the feed gains later is pushed


def test_push_backlog_pushes_the_first_poll_too(db, db_path, feed):
    url, _items = feed
    subscriber(db)
    poll(db, config(db_path, url, push_backlog=True))
    assert outbox.fan_out(db) == 1
