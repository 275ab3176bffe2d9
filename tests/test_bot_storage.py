"""storage.chats and storage.queries: chats, subscriptions, digests due, and the boards' reads."""

from __future__ import annotations

import datetime as dt

import pytest

from reactions.model import Statement
from storage import chats, queries
from storage.articles import save_article
from storage.feeds import add_feed
from storage.models import NewArticle

SPEAKERS = ["us-state-department", "us-pentagon", "un-ohchr", "uk-government"]
NOW = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)


def article(db, feed, key, text, statements, published="2026-01-10 09:00:00", now="2026-01-10 10:00:00",
            url=None):
    new = NewArticle(feed_id=feed.id, entry_key=key, url=url or f"https://news.example/{key}", title=key,
                     text=text, lang="en", published_at=published, content_hash=None)
    return save_article(db, new, statements, now=now)


def st(speaker, text, reaction="condemnation", person=None):
    return Statement(speaker=speaker, person=person, kind="reported", start=0, end=len(text), text=text,
                     reaction=reaction)


@pytest.fixture
def seeded(db):
    outlet = add_feed(db, "https://news.example/rss", name="Example News")
    other = add_feed(db, "https://other.example/rss", name="")
    article(db, outlet, "a1", "x", [st("us-state-department", "The United States condemns the attack on the prison.",
                                       person="ned-price")], published="2026-01-09 20:00:00")
    article(db, other, "a2", "x", [st("us-state-department", "The United States condemns the attack on the prison.")],
            published="2026-01-09 21:00:00", url="https://other.example/story")
    article(db, outlet, "a3", "x", [st("us-pentagon", "US forces supported the SDF with air strikes near Hasakah.",
                                       "announcement", "john-kirby")], published="2026-01-10 08:00:00")
    article(db, outlet, "a4", "x", [st("un-ohchr", "وأعربت المفوضية عن قلقها إزاء أوضاع المدنيين في الحسكة",
                                       "concern")], published="2026-01-10 09:30:00")
    return db


def test_ensure_chat_inserts_then_keeps_settings_and_reactivates(db):
    chat = chats.ensure_chat(db, 42, "private", "Ann", "ar", "Asia/Riyadh", "07:30")
    assert (chat.lang, chat.timezone, chat.digest_time, chat.active) == ("ar", "Asia/Riyadh", "07:30", True)
    chats.set_language(db, 42, "en")
    chats.deactivate_chat(db, 42, "blocked")
    again = chats.ensure_chat(db, 42, "private", "Ann", "ar", "UTC", "08:00")
    assert (again.lang, again.timezone, again.digest_time, again.active) == ("en", "Asia/Riyadh", "07:30", True)


def test_subscribe_is_idempotent_and_unsubscribe_all(db):
    chats.ensure_chat(db, 1)
    assert chats.subscribe(db, 1, "us-pentagon") is True
    assert chats.subscribe(db, 1, "us-pentagon") is False
    assert chats.subscribe(db, 1, "un-ohchr", "Syria") is True
    assert chats.subscriptions_of(db, 1) == [chats.Subscription("un-ohchr", "Syria"),
                                             chats.Subscription("us-pentagon", "")]
    assert chats.unsubscribe(db, 1, "us-pentagon") == 1
    assert chats.unsubscribe(db, 1) == 1
    assert chats.subscriptions_of(db, 1) == []


def test_digest_due_after_local_time_once_per_day(db):
    chats.ensure_chat(db, 7, digest_time="08:00", timezone="Asia/Riyadh")  # 05:00 UTC
    db.execute("UPDATE chats SET created_at = '2026-01-01 00:00:00'")
    chats.subscribe(db, 7, "us-pentagon")
    assert chats.chats_due_for_digest(db, dt.datetime(2026, 1, 10, 4, 59, tzinfo=dt.UTC)) == []
    due = chats.chats_due_for_digest(db, dt.datetime(2026, 1, 10, 5, 1, tzinfo=dt.UTC))
    assert [(d.chat_id, d.day, d.window_start, d.window_end) for d in due] == [
        (7, "2026-01-10", "2026-01-09 05:00:00", "2026-01-10 05:00:00")]
    assert chats.mark_digest_sent(db, 7, "2026-01-10") is True
    assert chats.mark_digest_sent(db, 7, "2026-01-10") is False
    assert chats.chats_due_for_digest(db, dt.datetime(2026, 1, 10, 23, 0, tzinfo=dt.UTC)) == []
    # the next local day (Riyadh is already on the 11th at 21:30 UTC, but 08:00 has not come yet)
    assert chats.chats_due_for_digest(db, dt.datetime(2026, 1, 10, 21, 30, tzinfo=dt.UTC)) == []
    assert len(chats.chats_due_for_digest(db, dt.datetime(2026, 1, 11, 6, 0, tzinfo=dt.UTC))) == 1


def test_digest_not_due_when_off_without_subscriptions_or_created_after(db):
    chats.ensure_chat(db, 1, digest_time=None)
    chats.subscribe(db, 1, "us-pentagon")
    chats.ensure_chat(db, 2, digest_time="08:00")  # no subscriptions
    chats.ensure_chat(db, 3, digest_time="08:00")
    chats.subscribe(db, 3, "us-pentagon")  # created now, i.e. after 08:00 of the day in NOW below? see below
    db.execute("UPDATE chats SET created_at = '2026-01-10 09:00:00' WHERE id = 3")
    assert chats.chats_due_for_digest(db, NOW) == []


def test_latest_clusters_newest_first_with_all_outlets(seeded):
    views = queries.latest_clusters(seeded, None, 5)
    assert [v.speaker for v in views] == ["un-ohchr", "us-pentagon", "us-state-department"]
    state = views[-1]
    assert [a.outlet for a in state.articles] == ["Example News", "other.example"]
    assert state.when == "2026-01-09 20:00:00"
    assert [v.speaker for v in queries.latest_clusters(seeded, "us-pentagon", 5)] == ["us-pentagon"]
    assert len(queries.latest_clusters(seeded, None, 1)) == 1


def test_who_board_counts_and_latest(seeded):
    board = {row.speaker: row for row in queries.who_board(seeded, NOW, SPEAKERS)}
    assert (board["us-state-department"].last_24h, board["us-state-department"].last_7d) == (1, 1)
    assert board["uk-government"].latest is None and board["uk-government"].last_7d == 0
    later = {row.speaker: row for row in queries.who_board(seeded, NOW + dt.timedelta(days=3), SPEAKERS)}
    assert (later["us-pentagon"].last_24h, later["us-pentagon"].last_7d) == (0, 1)


@pytest.mark.parametrize("topic, expected", [
    ("attack prison", {"us-state-department"}),
    ("Hasakah", {"us-pentagon", "un-ohchr"}),  # the OHCHR statement says الحسكة: one place in two languages
    ('"; DROP TABLE statements; --', set()),
    ("attack* (prison):", {"us-state-department"}),
    ("NEAR(attack prison) OR *", set()),  # operators are plain words here, and these are not in the text
    ("الحسكة", {"un-ohchr", "us-pentagon"}),
    ("hasakah", {"us-pentagon", "un-ohchr"}),
    ("المدنيين", {"un-ohchr"}),
    ("مدنيين", {"un-ohchr"}),  # not a whole token: found by the folded substring fallback
])
def test_search_statements_fts_and_fallback(seeded, topic, expected):
    results = queries.search_statements(seeded, topic, NOW - dt.timedelta(days=7), SPEAKERS)
    assert {r.speaker for r in results if r.match is not None} == expected
    assert [r.speaker for r in results] == SPEAKERS


def test_who_finds_a_topic_in_article_titles_and_across_languages(db):
    outlet = add_feed(db, "https://news.example/rss", name="Example News")
    article(db, outlet, "t1", "x", [st("us-state-department", "The United States condemns the attack on the "
                                                                "detention facility.")])
    new = NewArticle(feed_id=outlet.id, entry_key="t2", url=None, title="Syria: the prison after the attack",
                     text="x", lang="en", published_at="2026-01-10 09:00:00", content_hash=None)
    save_article(db, new, [st("uk-government", "Britain said the coalition was determined to defeat Daesh.")],
                 now="2026-01-10 10:00:00")
    found = {r.speaker for r in queries.search_statements(db, "prison", NOW - dt.timedelta(days=7), SPEAKERS)
             if r.match is not None}
    assert found == {"uk-government"}  # in the title of the article that carried the UK's words
    by_name = {r.speaker for r in queries.search_statements(db, "سوريا", NOW - dt.timedelta(days=7), SPEAKERS)
               if r.match is not None}
    assert by_name == {"uk-government"}  # "Syria" in that title, asked in Arabic


def test_who_across_languages_follows_a_changed_title_and_text_however_often_asked(db):
    """Titles are folded when stored and names remembered between searches; a changed article must not be answered
    from what was remembered (its statements may even get their old ids back)."""
    outlet = add_feed(db, "https://news.example/rss", name="Example News")
    week = NOW - dt.timedelta(days=7)

    def found(topic):
        return {r.speaker for r in queries.search_statements(db, topic, week, SPEAKERS) if r.match is not None}

    def save(title, said):
        new = NewArticle(feed_id=outlet.id, entry_key="t2", url=None, title=title, text=said, lang="en",
                         published_at="2026-01-10 09:00:00", content_hash=None)
        save_article(db, new, [st("uk-government", said)], now="2026-01-10 10:00:00")

    save("Syria: the prison after the attack", "Britain said the coalition was determined to defeat Daesh.")
    for _ in range(2):
        assert (found("prison"), found("سوريا"), found("لبنان")) == ({"uk-government"}, {"uk-government"}, set())
    save("Talks in Beirut", "Britain said it supported the government of Lebanon.")
    for _ in range(2):
        assert (found("prison"), found("سوريا"), found("لبنان")) == (set(), set(), {"uk-government"})


def test_fts_query_quotes_every_word():
    assert queries.fts_query('NEAR(a "b") OR c*') == '"NEAR" "a" "b" "OR" "c"'
    assert queries.fts_query("  ") == ""


def test_digest_clusters_window_on_first_seen(seeded):
    views = queries.digest_clusters(seeded, "2026-01-10 00:00:00", "2026-01-11 00:00:00")
    assert {v.speaker for v in views} == {"us-state-department", "us-pentagon", "un-ohchr"}
    assert queries.digest_clusters(seeded, "2026-01-10 00:00:00", "2026-01-11 00:00:00", ["uk-government"]) == []
    assert queries.digest_clusters(seeded, "2026-01-10 10:00:01", "2026-01-11 00:00:00") == []


def test_status_counts(seeded):
    chats.ensure_chat(seeded, 5)
    chats.subscribe(seeded, 5, "us-pentagon")
    seeded.execute("UPDATE feeds SET consecutive_failures = 2, last_error = 'HTTP 503' WHERE name = ''")
    view = queries.status(seeded, NOW)
    assert (view.feeds, view.chats, view.subscribers, view.subscriptions) == (2, 1, 1, 1)
    assert [f.last_error for f in view.failing] == ["HTTP 503"]
