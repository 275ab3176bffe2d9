"""Inline mode end to end: the real Application polls the fake Bot API, a user types ``@bot words``, the bot
answers with InlineQueryResultArticle results, and choosing one posts a valid card (speaker, person, date, the
words, the source link). Empty, hostile and over-long queries are answered sensibly; pages follow."""

from __future__ import annotations

import asyncio

import pytest

from reactions.model import Statement
from storage import search
from storage.articles import save_article
from storage.feeds import add_feed
from storage.models import NewArticle
from tests.fake_telegram import FakeTelegram
from tests.test_bot_handlers import running

STATE = "The United States condemns the attack on the Ghwayran prison in Hasakah."
PENTAGON = "US forces supported the SDF with air strikes near the Hasakah prison."
OHCHR_AR = "وأعربت المفوضية عن قلقها البالغ إزاء أوضاع المدنيين في الحسكة."
STATE_AR = "أدانت الولايات المتحدة الهجوم على سجن غويران في الحسكة."
NASTY = 'The UK said "<script>alert(1)</script>" & <b>AT&T</b> statements are not HTML.'


def save(db, feed, key, lang, speaker, person, text, now, reaction="condemnation"):
    new = NewArticle(feed_id=feed.id, entry_key=key, url=f"https://{lang}.example/{key}?a=1&b=2",
                     title=f"Story {key}", text=text, lang=lang, published_at=now, content_hash=None)
    statement = Statement(speaker=speaker, person=person, kind="reported", start=0, end=len(text), text=text,
                          reaction=reaction)
    save_article(db, new, [statement], now=now)
    return db.conn.execute("SELECT s.cluster_id FROM statements s JOIN articles a ON a.id = s.article_id "
                           "WHERE a.entry_key = ?", [key]).fetchone()[0]


@pytest.fixture
def archive(db):
    en = add_feed(db, "https://en.example/rss", name="Levant Wire", lang="en")
    ar = add_feed(db, "https://ar.example/rss", name="الشرق", lang="ar")
    ids = {
        "state": save(db, en, "s1", "en", "us-state-department", "ned-price", STATE, "2026-01-22 20:00:00"),
        "pentagon": save(db, en, "p1", "en", "us-pentagon", "john-kirby", PENTAGON, "2026-01-23 09:00:00",
                         "announcement"),
        "ohchr": save(db, ar, "o1", "ar", "un-ohchr", None, OHCHR_AR, "2026-01-24 10:00:00", "concern"),
        "uk": save(db, en, "u1", "en", "uk-government", None, NASTY, "2026-01-25 10:00:00", "other"),
    }
    state_ar = save(db, ar, "s1ar", "ar", "us-state-department", "ned-price", STATE_AR, "2026-01-22 21:00:00")
    if state_ar != ids["state"]:  # the Arabic report of the same statement, in its cluster
        db.conn.execute("UPDATE statements SET cluster_id = ? WHERE cluster_id = ?", [ids["state"], state_ar])
        db.conn.execute("DELETE FROM clusters WHERE id = ?", [state_ar])
        db.conn.commit()
    return ids


@pytest.fixture
def server():
    with FakeTelegram(token="123:ABC") as fake:
        yield fake


async def ask(server, query, *, user_id=500, lang="en", offset=""):
    query_id = server.send_inline_query(user_id, query, offset=offset, language_code=lang)
    return await server.await_inline_answer(query_id)


def test_words_find_statements_and_a_chosen_result_posts_a_card(db, archive, server):
    async def scenario():
        async with running(db, server):
            answer = await ask(server, "Hasakah prison")
            results = answer["results"]
            assert [r["id"] for r in results] == [f"c{archive['pentagon']}", f"c{archive['state']}"]  # newest first
            state = results[1]
            assert state["type"] == "article" and state["title"] == "🇺🇸 US State Department · Ned Price"
            assert state["description"].startswith("2026-01-22 · The United States condemns")
            assert state["url"] == "https://en.example/s1?a=1&b=2"
            posted = server.choose_inline_result(-4000, state)
            card = posted["visible"]
            assert "US State Department" in card and "Ned Price" in card and STATE in card
            assert "Levant Wire" in card and "2026-01-22 20:00 UTC" in card
            assert 'href="https://en.example/s1?a=1&amp;b=2"' in posted["text"]
            assert answer["cache_time"] == 30 and answer.get("next_offset", "") == ""
    asyncio.run(scenario())


def test_a_speaker_named_first_narrows_the_search(db, archive, server):
    async def scenario():
        async with running(db, server):
            answer = await ask(server, "pentagon Hasakah")
            assert [r["id"] for r in answer["results"]] == [f"c{archive['pentagon']}"]
            answer = await ask(server, "البنتاغون")  # a speaker alone: that speaker's newest statements
            assert [r["id"] for r in answer["results"]] == [f"c{archive['pentagon']}"]
    asyncio.run(scenario())


def test_arabic_words_and_arabic_users(db, archive, server):
    async def scenario():
        async with running(db, server):
            answer = await ask(server, "حسكة المدنيين", lang="ar")  # no article al-: found by the folded match
            assert f"c{archive['ohchr']}" in [r["id"] for r in answer["results"]]
            ohchr = next(r for r in answer["results"] if r["id"] == f"c{archive['ohchr']}")
            assert "مفوضية" in ohchr["title"] or "المفوضية" in ohchr["title"]
            posted = server.choose_inline_result(-4001, ohchr)
            assert OHCHR_AR in posted["visible"] and "قلق" in posted["visible"]
            # the State Department's statement was reported in both languages: an Arabic user gets the Arabic one
            answer = await ask(server, "Hasakah", lang="ar")
            state = next(r for r in answer["results"] if r["id"] == f"c{archive['state']}")
            assert STATE_AR in server.choose_inline_result(-4001, state)["visible"]
    asyncio.run(scenario())


def test_an_empty_query_lists_the_newest_statements(db, archive, server):
    async def scenario():
        async with running(db, server):
            answer = await ask(server, "")
            assert [r["id"] for r in answer["results"]][:2] == [f"c{archive['uk']}", f"c{archive['ohchr']}"]
            assert len(answer["results"]) == 4
    asyncio.run(scenario())


@pytest.mark.parametrize("query", [
    "'); DROP TABLE statements; --", 'text:Hasakah OR "prison', "NEAR(Hasakah prison) *", "<b>Hasakah</b> &amp;",
    "!!! ??? ...", "x" * 600, "Hasakah " * 100, "\u200f\u200e\u0000",
])
def test_hostile_queries_are_answered_and_harm_nothing(db, archive, server, query):
    async def scenario():
        async with running(db, server):
            answer = await ask(server, query)
            for result in answer["results"]:  # every card is valid Telegram HTML (the fake checked it too)
                server.choose_inline_result(-4002, result)
            return answer
    answer = asyncio.run(scenario())
    assert db.conn.execute("SELECT count(*) FROM statements").fetchone()[0] == 5
    ids = [r["id"] for r in answer["results"]]
    if query.startswith(("NEAR", "Hasakah")):
        assert f"c{archive['pentagon']}" in ids  # operators are plain words: "near", "Hasakah", "prison" match
    if query.startswith(("text:", "<b>")):
        assert ids == []  # "text", "OR", "b", "amp" are required words like any other
    if not ids:
        assert answer["button"]["start_parameter"] == "inline" and answer["button"]["text"]


def test_html_in_a_statement_is_escaped_in_the_card(db, archive, server):
    async def scenario():
        async with running(db, server):
            answer = await ask(server, "script alert")
            assert [r["id"] for r in answer["results"]] == [f"c{archive['uk']}"]
            posted = server.choose_inline_result(-4003, answer["results"][0])
            assert '"<script>alert(1)</script>" & <b>AT&T</b>' in posted["visible"]
            assert "&lt;script&gt;" in posted["text"]
    asyncio.run(scenario())


def test_nothing_found_offers_the_private_chat(db, archive, server):
    async def scenario():
        async with running(db, server):
            answer = await ask(server, "zebra unicorn")
            assert answer["results"] == [] and answer["button"]["text"] == "No statement matches. Open Raqib"
    asyncio.run(scenario())


def test_pages_follow_through_next_offset(db, server):
    feed = add_feed(db, "https://en.example/rss", name="Levant Wire", lang="en")
    for i in range(25):
        save(db, feed, f"k{i}", "en", "us-pentagon", None,
             f"The Pentagon said strike number {i} near Hasakah hit a depot {'x' * i}.",
             f"2026-02-{1 + i // 24:02d} {i % 24:02d}:00:00")

    async def scenario():
        async with running(db, server):
            first = await ask(server, "Hasakah depot")
            second = await ask(server, "Hasakah depot", offset=first["next_offset"])
            bogus = await ask(server, "Hasakah depot", offset="-7; DROP")
            return first, second, bogus
    first, second, bogus = asyncio.run(scenario())
    assert len(first["results"]) == 20 and first["next_offset"] == "20"
    assert len(second["results"]) == 5 and second.get("next_offset", "") == ""
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    assert [r["id"] for r in bogus["results"]] == [r["id"] for r in first["results"]]  # a bad offset: page one


def test_find_clusters_requires_every_word(db, archive):
    assert search.find_clusters(db, "Hasakah condemns").cluster_ids == (archive["state"],)
    assert search.find_clusters(db, "Hasakah zebra").cluster_ids == ()
    assert search.find_clusters(db, "", speakers=["un-ohchr"]).cluster_ids == (archive["ohchr"],)
