"""refresh_feed / poll_once end to end: loopback feeds and pages -> parse -> statements -> SQLite."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import uuid
from pathlib import Path

import pytest

import storage
from bot.config import Config, FeedConfig, FetchConfig
from feeds.cli import poll_command
from feeds.models import PollSummary
from feeds.pipeline import page_allowed, poll_once
from tests.feed_server import FeedServer, atom, rss

STATEMENT_AR = ("وقال المتحدث باسم وزارة الخارجية الأمريكية نيد برايس إن الولايات المتحدة تدين بشدة الهجوم على "
                "المدنيين وتدعو جميع الأطراف إلى ضبط النفس.")
PARAGRAPHS = [
    "The minister arrived in the capital on Monday for two days of talks with officials from the region, "
    "according to a statement released by the foreign ministry late on Sunday evening.",
    "Officials said the discussions would focus on trade, security cooperation and the humanitarian "
    "situation, which aid agencies have described as deteriorating rapidly over recent weeks.",
    "Diplomats familiar with the preparations said no major agreement was expected, but both sides hoped "
    "to set out a framework for further negotiations before the end of the year.",
    "Analysts noted that the visit comes after months of strained relations and several public "
    "disagreements over the handling of the crisis and the distribution of assistance.",
]
PAGE = f"""<!DOCTYPE html><html lang="en"><head><title>Minister visits capital</title></head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>Minister visits capital</h1>
{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}
</article></main>
<footer><p>Copyright 2024 News Test. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
<script>var tracking = "do not keep me";</script></body></html>"""


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def make_config(path: Path, feeds: list[FeedConfig], **fetch: object) -> Config:
    settings = {"timeout": 5.0, **fetch}
    return Config(storage_path=path, fetch=FetchConfig(**settings), feeds=tuple(feeds))  # type: ignore[arg-type]


def poll(db, config: Config, urls: list[str] | None = None) -> PollSummary:
    return asyncio.run(poll_once(db, config, urls))


def rows(db, sql: str, params: tuple = ()) -> list[dict]:
    return [dict(r) for r in db.query(sql, params)]


def test_a_feed_that_changes_guids_on_every_fetch_stores_no_duplicates(server, db, db_path):
    def body(_request: int) -> bytes:
        return rss([{"title": f"Item {i}", "link": f"http://news.test/story/{i}?utm_source=rss",
                     "guid": str(uuid.uuid4()), "description": f"Text {i}"} for i in range(4)])

    server.route("/feed.xml", body)
    config = make_config(db_path, [FeedConfig(url=server.url("/feed.xml"), fetch_pages=False)])
    first, second = poll(db, config), poll(db, config)
    assert (first.new_articles, second.new_articles, second.not_modified) == (4, 0, 0)
    assert rows(db, "SELECT url FROM articles ORDER BY url") == [
        {"url": f"http://news.test/story/{i}"} for i in range(4)]


def test_the_same_feed_polled_twice_without_validators_stores_nothing_new(server, db, db_path):
    server.route("/feed.xml", rss([{"title": "A", "link": "http://news.test/a", "description": "x"}]),
                 etag=False, last_modified=False)
    config = make_config(db_path, [FeedConfig(url=server.url("/feed.xml"), fetch_pages=False)])
    assert [poll(db, config).new_articles for _ in range(3)] == [1, 0, 0]


def test_summary_only_entries_get_their_page_text(server, db, db_path):
    server.route("/article/1", PAGE, content_type="text/html; charset=utf-8")
    server.route("/feed.xml", rss([{"title": "Minister visits capital", "link": server.url("/article/1"),
                                    "description": "The minister arrived on Monday."}]))
    config = make_config(db_path, [FeedConfig(url=server.url("/feed.xml"), lang="en")], full_text_min_chars=200)
    summary = poll(db, config)
    assert summary.new_articles == 1 and summary.results[0].pages_fetched == 1
    (article,) = rows(db, "SELECT text FROM articles")
    assert PARAGRAPHS[1] in article["text"] and PARAGRAPHS[3] in article["text"]
    assert "do not keep me" not in article["text"] and "Privacy" not in article["text"]
    # An unchanged entry is not fetched again.
    server.conditional = False
    poll(db, config)
    assert len(server.requests_to("/article/1")) == 1


def test_fetch_pages_false_never_fetches_pages(server, db, db_path):
    server.route("/article/1", PAGE, content_type="text/html")
    server.route("/feed.xml", rss([{"title": "T", "link": server.url("/article/1"), "description": "Short."}]))
    config = make_config(db_path, [FeedConfig(url=server.url("/feed.xml"), fetch_pages=False)],
                         full_text_min_chars=200)
    poll(db, config)
    assert server.requests_to("/article/1") == []
    assert rows(db, "SELECT text FROM articles") == [{"text": "Short."}]


def test_a_page_that_fails_keeps_the_feed_text(server, db, db_path):
    server.route("/feed.xml", rss([{"title": "T", "link": server.url("/missing"), "description": "Short."}]))
    config = make_config(db_path, [FeedConfig(url=server.url("/feed.xml"))], full_text_min_chars=200)
    assert poll(db, config).failed == 0
    assert rows(db, "SELECT text FROM articles") == [{"text": "Short."}]


def test_the_same_article_in_two_feeds_makes_one_cluster_with_two_sources(server, db, db_path):
    item = {"title": "الخارجية الأمريكية تدين الهجوم", "description": f"<p>{STATEMENT_AR}</p>",
            "pubDate": "Tue, 10 May 2022 09:00:00 GMT"}
    server.route("/a.xml", rss([{**item, "link": "https://www.outlet-a.test/news/1?utm_source=rss"}]))
    server.route("/b.xml", rss([{**item, "link": "https://outlet-b.test/ar/2"}]))
    feeds = [FeedConfig(url=server.url(p), lang="ar", fetch_pages=False) for p in ("/a.xml", "/b.xml")]
    summary = poll(db, make_config(db_path, feeds))
    assert summary.new_articles == 2 and summary.new_statements >= 2
    clusters = rows(db, """SELECT c.id, count(DISTINCT a.feed_id) AS sources FROM clusters c
                           JOIN statements s ON s.cluster_id = c.id JOIN articles a ON a.id = s.article_id
                           WHERE c.speaker = 'us-state-department' GROUP BY c.id""")
    assert clusters and all(c["sources"] == 2 for c in clusters)
    assert summary.new_clusters == len(clusters)
    assert rows(db, "SELECT DISTINCT published_at FROM articles") == [{"published_at": "2022-05-10 09:00:00"}]


def test_an_official_feed_makes_one_statement_per_item(server, db, db_path):
    server.route("/press.xml", rss([
        {"title": "Secretary Blinken's Call with Foreign Minister", "link": "https://www.state.gov/call-1/",
         "description": "Secretary Blinken spoke today with the Foreign Minister. They discussed the region.",
         "pubDate": "Tue, 10 May 2022 09:00:00 GMT"},
        {"title": "On the Attack in the City", "link": "https://www.state.gov/attack/",
         "description": "The United States strongly condemns the attack. We extend our condolences.",
         "pubDate": "Tue, 10 May 2022 10:00:00 GMT"},
    ]))
    feed = FeedConfig(url=server.url("/press.xml"), lang="en", speaker="us-state-department", fetch_pages=False)
    summary = poll(db, make_config(db_path, [feed]))
    assert summary.new_statements == 2
    statements = rows(db, 'SELECT speaker, person, kind, start, "end", text, reaction FROM statements ORDER BY id')
    assert [s["speaker"] for s in statements] == ["us-state-department"] * 2
    assert statements[0]["text"] == ("Secretary Blinken's Call with Foreign Minister\n"
                                     "Secretary Blinken spoke today with the Foreign Minister. They discussed the region.")
    assert statements[0]["start"] == 0 and statements[0]["end"] == len(statements[0]["text"])
    assert statements[0]["reaction"] == "announcement"
    assert statements[1]["reaction"] == "condemnation"


def test_gov_uk_timestamped_ids_update_one_article(server, db, db_path):
    versions = {
        1: atom([{"id": "https://www.gov.uk/government/news/x#2024-01-02T10:00:00Z", "title": "Statement",
                  "link": "https://www.gov.uk/government/news/x", "summary": "First version.",
                  "updated": "2024-01-02T10:00:00Z"}]),
        2: atom([{"id": "https://www.gov.uk/government/news/x#2024-01-03T12:00:00Z", "title": "Statement",
                  "link": "https://www.gov.uk/government/news/x", "summary": "Second version, updated.",
                  "updated": "2024-01-03T12:00:00Z"}]),
    }
    server.route("/govuk.atom", lambda n: versions[min(n, 2)], content_type="application/atom+xml")
    feed = FeedConfig(url=server.url("/govuk.atom"), lang="en", speaker="uk-government", fetch_pages=False)
    config = make_config(db_path, [feed])
    first, second = poll(db, config), poll(db, config)
    assert (first.new_articles, second.new_articles, second.changed_articles) == (1, 0, 1)
    assert rows(db, "SELECT entry_key, text FROM articles") == [
        {"entry_key": "u:https://gov.uk/government/news/x", "text": "Second version, updated."}]
    assert [s["text"] for s in rows(db, "SELECT text FROM statements")] == ["Statement\nSecond version, updated."]


def test_an_unreadable_date_falls_back_to_the_time_first_seen(server, db, db_path):
    server.route("/ar.xml", rss([{"title": "خبر", "link": "http://news.test/1", "description": "نص الخبر",
                                  "pubDate": "الأحد، 05 يناير 2025 10:00"}]))
    poll(db, make_config(db_path, [FeedConfig(url=server.url("/ar.xml"), fetch_pages=False)]))
    (article,) = rows(db, "SELECT published_at, first_seen_at, lang FROM articles")
    assert article["published_at"] == article["first_seen_at"]
    assert article["lang"] == "ar"


def test_an_html_page_is_recorded_as_not_a_feed(server, db, db_path):
    server.route("/page", PAGE, content_type="text/html")
    summary = poll(db, make_config(db_path, [FeedConfig(url=server.url("/page"))]))
    assert summary.failed == 1
    assert storage.feed_by_url(db, server.url("/page")).last_error == "not a feed: the address returns an HTML page"


def _args(**kwargs: object) -> argparse.Namespace:
    return argparse.Namespace(**{"once": True, "feed": None, "json": False, **kwargs})


def test_poll_command_prints_a_summary_and_exits_0_when_feeds_fail(server, db_path, capsys):
    server.route("/ok.xml", rss([{"title": "A", "link": "http://news.test/a", "description": "x"}]))
    feeds = [FeedConfig(url=server.url("/ok.xml"), fetch_pages=False), FeedConfig(url=server.url("/missing.xml"))]
    out = io.StringIO()
    assert poll_command(make_config(db_path, feeds), _args(), out=out) == 0
    text = out.getvalue()
    assert "feeds polled: 2 (not modified: 0, failed: 1)" in text
    assert "new articles: 1" in text
    assert f"{server.url('/missing.xml')}: HTTP 404 Not Found" in text


def test_poll_command_json_and_feed_selection(server, db_path):
    for name in ("a", "b"):
        server.route(f"/{name}.xml", rss([{"title": name, "link": f"http://news.test/{name}"}]))
    feeds = [FeedConfig(url=server.url(f"/{n}.xml"), fetch_pages=False) for n in ("a", "b")]
    out = io.StringIO()
    assert poll_command(make_config(db_path, feeds), _args(json=True, feed=[server.url("/b.xml")]), out=out) == 0
    data = json.loads(out.getvalue())
    assert (data["feeds_polled"], data["new_articles"], data["failed"]) == (1, 1, 0)
    assert server.requests_to("/a.xml") == []


def test_poll_command_rejects_an_unknown_feed(db_path, capsys):
    code = poll_command(make_config(db_path, []), _args(feed=["http://127.0.0.1:9/unknown.xml"]), out=io.StringIO())
    assert code == 2
    assert "is not a known feed" in capsys.readouterr().err


@pytest.mark.parametrize(("feed_url", "link", "allowed"), [
    ("https://news.test/feed", "https://news.test/a", True),
    ("https://news.test/feed", "http://127.0.0.1:8080/admin", False),
    ("https://news.test/feed", "http://169.254.169.254/latest/meta-data", False),
    ("https://news.test/feed", "http://10.0.0.5/", False),
    ("https://news.test/feed", "http://localhost/", False),
    ("http://127.0.0.1:8000/feed", "http://127.0.0.1:8000/a", True),
    ("http://192.168.1.10/feed", "https://news.test/a", True),
])
def test_public_feeds_cannot_make_raqib_fetch_private_pages(feed_url, link, allowed):
    assert page_allowed(feed_url, link) is allowed


def test_an_updated_undated_entry_keeps_its_first_date(server, db, db_path):
    versions = {1: rss([{"title": "T", "link": "http://news.test/1", "description": "First."}]),
                2: rss([{"title": "T", "link": "http://news.test/1", "description": "Second."}])}
    server.route("/feed.xml", lambda n: versions[min(n, 2)])
    config = make_config(db_path, [FeedConfig(url=server.url("/feed.xml"), fetch_pages=False)])
    poll(db, config)
    db.execute("UPDATE articles SET published_at = '2020-01-01 00:00:00'")
    assert poll(db, config).changed_articles == 1
    assert rows(db, "SELECT text, published_at FROM articles") == [
        {"text": "Second.", "published_at": "2020-01-01 00:00:00"}]


def test_an_xml_bomb_from_the_network_stores_little(server, db, db_path):
    from tests.test_feeds_parse import BOMB

    server.route("/bomb.xml", BOMB)
    summary = poll(db, make_config(db_path, [FeedConfig(url=server.url("/bomb.xml"), fetch_pages=False)]))
    assert summary.feeds_polled == 1
    stored = rows(db, "SELECT length(title) + length(text) AS size FROM articles")
    assert len(stored) <= 2 and all(r["size"] < 100_000 for r in stored)
    feed = storage.feed_by_url(db, server.url("/bomb.xml"))
    assert feed.last_error is None or feed.last_error.startswith("not a feed")
