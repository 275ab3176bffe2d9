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
from config import Config, FeedConfig, FetchConfig
from feeds.cli import poll_command
from feeds.models import PollSummary
from feeds.pipeline import page_allowed, poll_once, refresh_feed
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
    storage.sync_config_feeds(db, config.feeds)  # what storage.open_store does at start-up
    return asyncio.run(poll_once(db, config, urls))


def rows(db, sql: str, params: tuple = ()) -> list[dict]:
    return [dict(r) for r in db.query(sql, params)]


def test_a_feed_that_changes_guids_on_every_fetch_stores_no_duplicates(server, db, db_path):
    def body(_request: int) -> bytes:
        return rss([{"title": f"Item {i}", "link": f"http://news.test/story/{i}?utm_source=rss",
                     "guid": str(uuid.uuid4()), "description": f"Text {i}"} for i in range(4)])

    server.route("/feed.xml", body)
    config = make_config(db_path, [FeedConfig(url=server.url("/feed.xml"), fetch_pages=False)])
    first, second, third = poll(db, config), poll(db, config), poll(db, config)
    assert (first.new_articles, second.new_articles, third.new_articles, second.not_modified) == (4, 0, 0, 0)
    assert (second.changed_articles, third.changed_articles) == (0, 0)
    stored = rows(db, "SELECT url, entry_key, link_key FROM articles ORDER BY url")
    assert [(r["url"], r["link_key"]) for r in stored] == [
        (f"http://news.test/story/{i}", f"https://news.test/story/{i}") for i in range(4)]
    assert all(r["entry_key"].startswith("g:") for r in stored)  # re-keyed to the latest guid


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
    assert statements[1]["reaction"] == "condolence"  # condemns and offers condolences: the README's precedence


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
        {"entry_key": "g:https://gov.uk/government/news/x", "text": "Second version, updated."}]
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


FAKE_DNS = {
    "news.test": ["93.184.216.34"],
    "public.test": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
    "intranet.test": ["10.0.0.5"],
    "sneaky.test": ["93.184.216.34", "127.0.0.1"],  # one private address is enough to refuse
    "mapped.test": ["::ffff:127.0.0.1"],
    "metadata.test": ["169.254.169.254"],
    "private-feed.test": ["192.168.1.10"],
}


async def fake_resolve(host: str, port: int) -> list[str]:
    if host not in FAKE_DNS:
        raise OSError(f"unknown host {host}")
    return FAKE_DNS[host]


@pytest.mark.parametrize(("feed_url", "link", "allowed"), [
    ("https://news.test/feed", "https://news.test/a", True),
    ("https://news.test/feed", "https://public.test/a", True),
    ("https://news.test/feed", "http://127.0.0.1:8080/admin", False),
    ("https://news.test/feed", "http://169.254.169.254/latest/meta-data", False),
    ("https://news.test/feed", "http://10.0.0.5/", False),
    ("https://news.test/feed", "http://[::1]/", False),
    ("https://news.test/feed", "http://localhost/", False),
    ("https://news.test/feed", "http://printer.local/", False),
    ("https://news.test/feed", "http://intranet.test/", False),
    ("https://news.test/feed", "http://sneaky.test/a", False),
    ("https://news.test/feed", "http://mapped.test/a", False),
    ("https://news.test/feed", "http://metadata.test/a", False),
    ("https://news.test/feed", "http://unresolvable.test/a", False),
    ("http://127.0.0.1:8000/feed", "http://127.0.0.1:8000/a", True),
    ("http://127.0.0.1:8000/feed", "http://intranet.test/a", True),
    ("http://192.168.1.10/feed", "https://news.test/a", True),
    ("http://private-feed.test/feed", "http://localhost:8080/a", True),
    ("http://unresolvable.test/feed", "http://localhost/a", False),
])
def test_public_feeds_cannot_make_raqib_fetch_private_pages(feed_url, link, allowed):
    assert asyncio.run(page_allowed(feed_url, link, resolve=fake_resolve)) is allowed


def test_allow_private_feed_urls_lets_every_page_through():
    assert asyncio.run(page_allowed("https://news.test/feed", "http://intranet.test/", allow_private=True,
                                    resolve=fake_resolve))


def test_the_system_resolver_is_used_for_host_names():
    from feeds.addresses import is_public_address, resolve_host

    addresses = asyncio.run(resolve_host("localhost", 80))  # /etc/hosts: offline
    assert addresses and not any(is_public_address(a) for a in addresses)


def test_a_slow_resolver_counts_as_unresolvable():
    async def slow(host: str, port: int) -> list[str]:
        await asyncio.sleep(5)
        return ["93.184.216.34"]

    assert asyncio.run(page_allowed("https://news.test/feed", "https://public.test/a", resolve=slow,
                                    timeout=0.1)) is False


def test_a_public_feed_never_fetches_pages_on_private_addresses(db, monkeypatch):
    """End to end through refresh_feed: names resolved by a fake DNS, HTTP answered by a mock transport."""
    import httpx

    from feeds.fetch import Fetcher

    monkeypatch.setattr("feeds.addresses.resolve_host", fake_resolve)
    requested: list[str] = []
    summary = "Short."
    feed_body = rss([
        {"title": "Public", "link": "https://public.test/story", "description": summary},
        {"title": "Private", "link": "http://intranet.test/secret", "description": summary},
        {"title": "Redirected", "link": "https://public.test/jump", "description": summary},
    ])

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        if request.url.host == "news.test":
            return httpx.Response(200, content=feed_body, headers={"Content-Type": "application/rss+xml"})
        if request.url.path == "/jump":
            return httpx.Response(302, headers={"Location": "http://intranet.test/other"})
        return httpx.Response(200, content=PAGE.encode(), headers={"Content-Type": "text/html"})

    feed = storage.add_feed(db, "https://news.test/feed.xml", lang="en")
    settings = FetchConfig(timeout=5.0, full_text_min_chars=200)

    async def run():
        async with Fetcher(settings, transport=httpx.MockTransport(handler)) as client:
            return await refresh_feed(db, feed, client, settings)

    result = asyncio.run(run())
    assert result.outcome == "ok" and result.new_articles == 3 and result.pages_fetched == 1
    # The redirect from public.test/jump to intranet.test was refused before it was followed.
    assert sorted(requested) == ["https://news.test/feed.xml", "https://public.test/jump", "https://public.test/story"]
    texts = {r["title"]: r["text"] for r in rows(db, "SELECT title, text FROM articles")}
    assert PARAGRAPHS[1] in texts["Public"] and texts["Private"] == texts["Redirected"] == summary


def _serve_versions(server, path: str, versions: dict[int, list[dict]]) -> None:
    server.route(path, lambda n: rss(versions[min(n, max(versions))]), etag=False, last_modified=False)


def test_a_new_guid_for_the_same_link_updates_the_stored_article(server, db, db_path):
    _serve_versions(server, "/feed.xml", {
        1: [{"title": "Statement", "link": "http://news.test/a", "guid": "old-id", "description": "First."}],
        2: [{"title": "Statement", "link": "https://www.news.test/a/", "guid": "new-id", "description": "Second."}],
    })
    config = make_config(db_path, [FeedConfig(url=server.url("/feed.xml"), fetch_pages=False)])
    first, second, third = poll(db, config), poll(db, config), poll(db, config)
    assert [(s.new_articles, s.changed_articles) for s in (first, second, third)] == [(1, 0), (0, 1), (0, 0)]
    assert rows(db, "SELECT entry_key, text FROM articles") == [{"entry_key": "g:new-id", "text": "Second."}]


def test_two_guids_for_one_link_in_one_fetch_store_one_article(server, db, db_path):
    item = {"title": "Statement", "description": "Text."}
    _serve_versions(server, "/feed.xml", {1: [{**item, "link": "http://news.test/a?utm_source=x", "guid": "g1"},
                                              {**item, "link": "https://news.test/a", "guid": "g2"}]})
    config = make_config(db_path, [FeedConfig(url=server.url("/feed.xml"), fetch_pages=False)])
    assert (poll(db, config).new_articles, poll(db, config).new_articles) == (1, 0)
    assert rows(db, "SELECT entry_key FROM articles") == [{"entry_key": "g:g1"}]


def test_stable_guids_keep_distinct_items_that_share_a_link(server, db, db_path):
    _serve_versions(server, "/feed.xml", {1: [
        {"title": "10:00 update", "link": "http://news.test/live", "guid": "u1", "description": "One."},
        {"title": "11:00 update", "link": "http://news.test/live", "guid": "u2", "description": "Two."},
    ]})
    config = make_config(db_path, [FeedConfig(url=server.url("/feed.xml"), fetch_pages=False)])
    assert (poll(db, config).new_articles, poll(db, config).new_articles) == (2, 0)
    assert rows(db, "SELECT entry_key, link_key FROM articles ORDER BY entry_key") == [
        {"entry_key": "g:u1", "link_key": None}, {"entry_key": "g:u2", "link_key": None}]


def test_an_item_still_in_the_feed_keeps_its_article_when_another_takes_its_old_link(server, db, db_path):
    _serve_versions(server, "/feed.xml", {
        1: [{"title": "A", "link": "http://news.test/1", "guid": "a", "description": "A text."}],
        2: [{"title": "A", "link": "http://news.test/1-moved", "guid": "a", "description": "A text."},
            {"title": "B", "link": "http://news.test/1", "guid": "b", "description": "B text."}],
    })
    config = make_config(db_path, [FeedConfig(url=server.url("/feed.xml"), fetch_pages=False)])
    poll(db, config)
    assert poll(db, config).new_articles == 1
    assert rows(db, "SELECT entry_key, title FROM articles ORDER BY entry_key") == [
        {"entry_key": "g:a", "title": "A"}, {"entry_key": "g:b", "title": "B"}]


def test_a_guid_repeated_within_one_fetch_falls_back_to_the_link(server, db, db_path):
    _serve_versions(server, "/feed.xml", {1: [
        {"title": "One", "link": "http://news.test/1", "guid": "same", "description": "x"},
        {"title": "Two", "link": "http://news.test/2", "guid": "same", "description": "y"},
    ]})
    config = make_config(db_path, [FeedConfig(url=server.url("/feed.xml"), fetch_pages=False)])
    assert (poll(db, config).new_articles, poll(db, config).new_articles) == (2, 0)
    assert rows(db, "SELECT entry_key FROM articles ORDER BY entry_key") == [
        {"entry_key": "u:https://news.test/1"}, {"entry_key": "u:https://news.test/2"}]


def test_missing_guids_use_the_link_then_the_text(server, db, db_path):
    _serve_versions(server, "/feed.xml", {1: [
        {"title": "Linked", "link": "http://news.test/1", "description": "x"},
        {"title": "Bare", "description": "No link, no guid."},
    ]})
    config = make_config(db_path, [FeedConfig(url=server.url("/feed.xml"), fetch_pages=False)])
    assert (poll(db, config).new_articles, poll(db, config).new_articles) == (2, 0)
    keys = sorted(r["entry_key"] for r in rows(db, "SELECT entry_key FROM articles"))
    assert keys[0].startswith("h:") and keys[1] == "u:https://news.test/1"


def test_articles_stored_with_link_first_keys_are_taken_over_not_duplicated(server, db, db_path):
    """A database from before guid-first keys: 'u:' keys, link_key filled by the migration."""
    server.route("/feed.xml", rss([{"title": "T", "link": "http://news.test/1", "guid": "guid-1",
                                    "description": "Text."}]))
    config = make_config(db_path, [FeedConfig(url=server.url("/feed.xml"), fetch_pages=False)])
    poll(db, config)
    db.execute("UPDATE articles SET entry_key = 'u:https://news.test/1', link_key = NULL")
    db.execute("UPDATE articles SET link_key = substr(entry_key, 3) WHERE entry_key LIKE 'u:%'")  # migration 5
    server.conditional = False
    assert poll(db, config).new_articles == 0
    assert rows(db, "SELECT entry_key FROM articles") == [{"entry_key": "g:guid-1"}]


def test_a_parse_that_runs_too_long_is_recorded_on_the_feed(server, db, db_path, monkeypatch):
    import time

    import feeds.parse

    def stuck(*args, **kwargs):
        time.sleep(1.5)
        raise AssertionError("should have been abandoned")

    monkeypatch.setenv("RAQIB_PARSE_POOL", "thread")
    monkeypatch.setattr(feeds.parse, "parse_document", stuck)
    monkeypatch.setattr(feeds.parse, "WORK_TIMEOUT", 0.3)
    server.route("/feed.xml", rss([{"title": "T", "link": "http://news.test/1"}]))
    summary = poll(db, make_config(db_path, [FeedConfig(url=server.url("/feed.xml"), fetch_pages=False)]))
    assert summary.failed == 1
    assert storage.feed_by_url(db, server.url("/feed.xml")).last_error == "parser timed out after 0.3 s"


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
