"""Source languages per chat (/sources ar|en|both and its buttons): pushes, /latest and the digest carry only the
chosen languages, and a cluster reported in both languages is pushed in the preferred one (the chat's only
source language, else its interface language). Real database, real fan-out and claiming, the real Application
against the fake Bot API."""

from __future__ import annotations

import asyncio

import pytest

from bot.digest import digest_views
from reactions.model import Statement
from storage import chats, languages, outbox
from storage.articles import save_article
from storage.feeds import add_feed
from storage.models import NewArticle
from tests.fake_telegram import FakeTelegram
from tests.test_bot_handlers import ADMIN, Chat, running

EN_TEXT = "The United States condemns the attack on the prison in Hasakah."
AR_TEXT = "أدانت الولايات المتحدة الهجوم على السجن في الحسكة."
AR_ONLY = "وأعربت الخارجية الأمريكية عن قلقها إزاء أوضاع المدنيين في الحسكة."
EN_ONLY = "The State Department welcomed the ceasefire announced in Idlib."


def st(text, reaction="condemnation"):
    return Statement(speaker="us-state-department", person="ned-price", kind="reported", start=0, end=len(text),
                     text=text, reaction=reaction)


def save(db, feed, key, lang, text, now="2026-01-10 10:00:00"):
    new = NewArticle(feed_id=feed.id, entry_key=key, url=f"https://{lang}.example/{key}", title=f"{key} title",
                     text=text, lang=lang, published_at="2026-01-10 09:00:00", content_hash=None)
    save_article(db, new, [st(text)], now=now)
    return db.conn.execute("SELECT cluster_id FROM statements s JOIN articles a ON a.id = s.article_id "
                           "WHERE a.entry_key = ?", [key]).fetchone()[0]


@pytest.fixture
def bilingual(db):
    """Cluster A reported in English and Arabic (one cluster, as cross-language clustering makes it), B in
    Arabic only, C in English only."""
    en_feed = add_feed(db, "https://en.example/rss", name="English Wire", lang="en")
    ar_feed = add_feed(db, "https://ar.example/rss", name="وكالة عربية", lang="ar")
    a = save(db, en_feed, "a-en", "en", EN_TEXT)
    a_ar = save(db, ar_feed, "a-ar", "ar", AR_TEXT)
    if a_ar != a:  # join the Arabic report to the English one's cluster
        db.conn.execute("UPDATE statements SET cluster_id = ? WHERE cluster_id = ?", [a, a_ar])
        db.conn.execute("DELETE FROM clusters WHERE id = ?", [a_ar])
        db.conn.commit()
    b = save(db, ar_feed, "b-ar", "ar", AR_ONLY)
    c = save(db, en_feed, "c-en", "en", EN_ONLY)
    return {"a": a, "b": b, "c": c}


def chat(db, chat_id, lang, sources):
    chats.ensure_chat(db, chat_id, "private", f"chat {chat_id}", lang)
    chats.set_sources(db, chat_id, sources)
    chats.subscribe(db, chat_id, "us-state-department")


def test_a_new_chat_receives_both_languages_and_bad_values_are_refused(db):
    assert chats.ensure_chat(db, 1).sources == "both"
    chats.set_sources(db, 1, "ar")
    assert chats.chat_by_id(db, 1).sources == "ar"
    with pytest.raises(ValueError):
        chats.set_sources(db, 1, "fr")
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError):  # the column's CHECK holds even past the function
        db.conn.execute("UPDATE chats SET sources = 'de' WHERE id = 1")


def test_fan_out_and_pushes_follow_each_chats_languages(db, bilingual):
    a, b, c = bilingual["a"], bilingual["b"], bilingual["c"]
    chat(db, 1, "en", "ar")     # English interface, Arabic sources
    chat(db, 2, "ar", "en")     # Arabic interface, English sources
    chat(db, 3, "ar", "both")   # both: the interface language is preferred
    chat(db, 4, "en", "both")
    outbox.fan_out(db)
    got = {cid: {r[0] for r in db.conn.execute("SELECT cluster_id FROM deliveries WHERE chat_id = ?", [cid])}
           for cid in (1, 2, 3, 4)}
    assert got == {1: {a, b}, 2: {a, c}, 3: {a, b, c}, 4: {a, b, c}}
    texts: dict[int, dict[int, str]] = {1: {}, 2: {}, 3: {}, 4: {}}
    for _ in range(10):
        jobs = outbox.claim_due(db, "2100-01-01 00:00:00")
        if not jobs:
            break
        for job in jobs:
            for item in job.bundle.items:
                texts[job.chat_id][item.cluster_id] = (item.text, item.outlet)
            outbox.mark_sent(db, job.delivery_ids, 1)
    assert texts[1][a] == (AR_TEXT, "وكالة عربية") and texts[3][a] == (AR_TEXT, "وكالة عربية")
    assert texts[2][a] == (EN_TEXT, "English Wire") and texts[4][a] == (EN_TEXT, "English Wire")
    assert texts[1][b][0] == AR_ONLY and texts[2][c][0] == EN_ONLY
    assert texts[4][b][0] == AR_ONLY  # reported in Arabic only: shown as it was reported


def test_a_cluster_without_a_known_language_reaches_everyone(db):
    feed = add_feed(db, "https://x.example/rss", name="X")
    new = NewArticle(feed_id=feed.id, entry_key="u", url="https://x.example/u", title="u", text=EN_ONLY, lang=None,
                     published_at="2026-01-10 09:00:00", content_hash=None)
    save_article(db, new, [st(EN_ONLY)], now="2026-01-10 10:00:00")
    chat(db, 1, "en", "ar")
    chat(db, 2, "en", "en")
    assert outbox.fan_out(db) == 2


def test_digest_views_honour_the_languages(db, bilingual):
    chat(db, 5, "en", "ar")
    chat(db, 6, "ar", "en")
    chat(db, 7, "ar", "both")
    window = ("2026-01-10 00:00:00", "2026-01-11 00:00:00")
    arabic = digest_views(db, 5, *window)
    assert sorted(v.id for v in arabic) == sorted([bilingual["a"], bilingual["b"]])
    assert {v.text for v in arabic} == {AR_TEXT, AR_ONLY}
    assert all(a.lang == "ar" for v in arabic for a in v.articles)
    english = digest_views(db, 6, *window)
    assert {v.text for v in english} == {EN_TEXT, EN_ONLY}
    both = digest_views(db, 7, *window)
    assert len(both) == 3 and AR_TEXT in {v.text for v in both}
    shared = next(v for v in both if v.id == bilingual["a"])
    assert [a.lang for a in shared.articles] == ["ar", "en"]  # the preferred language's outlet first


def test_sql_filter_matches_accepts(db, bilingual):
    for sources in languages.SOURCES:
        where, params = languages.sql_filter(sources)
        ids = {r[0] for r in db.conn.execute(f"SELECT id FROM clusters WHERE {where}", params)}
        langs = languages.cluster_languages(db, bilingual.values())
        assert ids == {i for i in bilingual.values() if languages.accepts(sources, langs[i])}, sources


@pytest.fixture
def server():
    with FakeTelegram(token="123:ABC") as fake:
        yield fake


def test_sources_command_buttons_and_latest(db, bilingual, server):
    async def scenario():
        async with running(db, server):
            user = Chat(server, 70)
            reply = await user.say("/sources")
            assert "Source languages: Arabic and English." in reply["visible"]
            buttons = [b for row in reply["reply_markup"]["inline_keyboard"] for b in row]
            assert [b["callback_data"] for b in buttons] == ["src:ar", "src:en", "src:both"]
            assert buttons[2]["text"].startswith("✅")
            edit = await user.press(reply["message_id"], "src:en")
            assert "English" in edit["text"] and chats.chat_by_id(db, 70).sources == "en"
            latest = await user.say("/latest")
            assert EN_TEXT in latest["visible"] and EN_ONLY in latest["visible"]
            assert AR_TEXT not in latest["visible"] and AR_ONLY not in latest["visible"]
            reply = await user.say("/sources عربي")
            assert reply["visible"] == "Source languages: Arabic."
            latest = await user.say("/latest")
            assert AR_TEXT in latest["visible"] and AR_ONLY in latest["visible"]
            assert EN_TEXT not in latest["visible"] and EN_ONLY not in latest["visible"]
            bad = await user.say("/sources fr")
            assert bad["visible"] == "Usage: /sources ar|en|both"
            arabic = Chat(server, 71, lang="ar")
            reply = await arabic.say("/sources both")
            assert reply["visible"].endswith("لغات المصادر: العربية والإنجليزية.")
            latest = await arabic.say("/latest")
            assert AR_TEXT in latest["visible"] and EN_TEXT not in latest["visible"]  # one cluster, in Arabic
            assert EN_ONLY in latest["visible"]
            # in a group, a member may look but not change; an administrator may
            member = Chat(server, -900, user_id=901, chat_type="supergroup")
            refused = await member.say("/sources ar")
            assert "only this group's administrators" in refused["visible"]
            server.set_member_status(-900, 902, "administrator")
            admin = Chat(server, -900, user_id=902, chat_type="supergroup")
            assert (await admin.say("/sources ar"))["visible"] == "Source languages: Arabic."
            board = await member.say("/sources")
            answers = len(server.callback_answers)
            server.press_button(-900, board["message_id"], "src:en", user_id=901)
            for _ in range(250):
                if len(server.callback_answers) > answers:
                    break
                await asyncio.sleep(0.02)
            assert server.callback_answers[-1].get("show_alert") is True
            assert chats.chat_by_id(db, -900).sources == "ar"
            help_text = await Chat(server, ADMIN).say("/help")
            assert "/sources" in help_text["visible"]
    asyncio.run(scenario())
