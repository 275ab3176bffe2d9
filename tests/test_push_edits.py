"""One push per cluster and chat, edited when later reports join it: the edits outbox (storage.outbox) and the
sender's edits (bot.sender) against the fake Bot API with a real python-telegram-bot ``Bot``."""

from __future__ import annotations

import asyncio

import pytest
import telegram

from bot import sender
from bot.push_format import render_push, sources_line
from reactions import Statement
from storage import NewArticle, add_feed, chats, outbox, save_article
from storage.db import open_db
from tests.fake_telegram import FakeTelegram

TOKEN = "123:ABC"
STATE = "us-state-department"
QUOTE = ("This attack underscores the importance of fully funding the Global Coalition to Defeat ISIS's efforts to "
         "improve the secure and humane detention of ISIS fighters")
EN = (f'State Department spokesperson Ned Price said Washington condemned the ISIS attack on the prison in Hasakah. '
      f'"{QUOTE}," Price said.')
AR = ("وقال المتحدث باسم الخارجية الأمريكية نيد برايس إن واشنطن تدين هجوم داعش على السجن في الحسكة وأشاد بقوات "
      "سوريا الديمقراطية.")


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "raqib.db")
    yield database
    database.conn.close()


@pytest.fixture
def server():
    with FakeTelegram(token=TOKEN) as s:
        yield s


def report(db, outlet: str, lang: str, text: str, key: str, published: str, quotes=()):
    feed = add_feed(db, f"https://{key}.example/rss", name=outlet, lang=lang)
    st = Statement(STATE, "ned-price", "direct" if quotes else "reported", 0, len(text), text, tuple(quotes),
                   "condemnation")
    article = NewArticle(feed_id=feed.id, entry_key=key, url=f"https://{key}.example/a", title="Hasakah",
                         text=text, lang=lang, published_at=published, content_hash=None)
    return save_article(db, article, [st], now="2022-01-23 06:00:00")


def pushed(db, chat_id=1):
    """Subscribe, report in English, fan out and 'send' the push as message 77."""
    chats.ensure_chat(db, chat_id)
    chats.subscribe(db, chat_id, STATE)
    first = report(db, "Levant Wire", "en", EN, "en", "2022-01-22 22:40:00", quotes=(QUOTE,))
    assert outbox.fan_out(db) == 1
    [job] = outbox.claim_due(db, "2099-01-01 00:00:00")
    outbox.mark_sent(db, job.delivery_ids, 77)
    return first


def test_a_report_joining_a_pushed_cluster_queues_one_edit(db):
    first = pushed(db)
    second = report(db, "BBC Arabic", "ar", AR, "ar", "2022-01-22 23:30:00")
    assert second.cluster_ids == first.cluster_ids and outbox.fan_out(db) == 0  # no second push
    assert outbox.queue_edits(db) == 1
    assert outbox.queue_edits(db) == 0  # one open edit per message
    [job] = outbox.claim_due_edits(db, "2099-01-01 00:00:00")
    assert (job.chat_id, job.message_id, job.attempts) == (1, 77, 1)
    assert job.bundle.items[0].sources == (("Levant Wire", "en"), ("BBC Arabic", "ar"))
    outbox.mark_edit(db, job.edit_id, "sent")
    assert outbox.edit_counts(db)["sent"] == 1


def test_pushes_not_yet_sent_need_no_edit(db):
    chats.ensure_chat(db, 1)
    chats.subscribe(db, 1, STATE)
    report(db, "Levant Wire", "en", EN, "en", "2022-01-22 22:40:00", quotes=(QUOTE,))
    outbox.fan_out(db)
    report(db, "BBC Arabic", "ar", AR, "ar", "2022-01-22 23:30:00")
    assert outbox.queue_edits(db) == 0  # the push, when it goes, lists both outlets
    [job] = outbox.claim_due(db, "2099-01-01 00:00:00")
    assert [name for name, _lang in job.bundle.items[0].sources] == ["Levant Wire", "BBC Arabic"]


def test_a_push_in_flight_keeps_the_edit_due_until_it_is_sent(db):
    chats.ensure_chat(db, 1)
    chats.subscribe(db, 1, STATE)
    report(db, "Levant Wire", "en", EN, "en", "2022-01-22 22:40:00", quotes=(QUOTE,))
    outbox.fan_out(db)
    [job] = outbox.claim_due(db, "2099-01-01 00:00:00")  # rendered with one outlet, now 'sending'
    report(db, "BBC Arabic", "ar", AR, "ar", "2022-01-22 23:30:00")
    assert outbox.queue_edits(db) == 0
    outbox.mark_sent(db, job.delivery_ids, 5)
    assert outbox.queue_edits(db) == 1


def test_edits_per_message_are_capped(db):
    pushed(db)
    for n in range(outbox.MAX_EDITS + 2):
        report(db, f"Outlet {n}", "en", EN.replace("Price said.", f"Price said. ({n})"), f"o{n}",
               "2022-01-22 23:00:00", quotes=(QUOTE,))
        queued = outbox.queue_edits(db)
        for job in outbox.claim_due_edits(db, "2099-01-01 00:00:00"):
            outbox.mark_edit(db, job.edit_id, "sent")
        assert queued == (1 if n < outbox.MAX_EDITS else 0), n
    assert outbox.edit_counts(db)["sent"] == outbox.MAX_EDITS


def test_the_push_lists_the_other_outlets_with_their_languages():
    class Item:
        outlet, sources = "Levant Wire", (("Levant Wire", "en"), ("BBC Arabic", "ar"), ("Reuters", "en"),
                                          ("Al Jazeera", "ar"), ("AFP", "en"))
    assert sources_line([Item()], "en") == "🗞 Also reported by: BBC Arabic (AR), Reuters (EN), Al Jazeera (AR) +1"
    assert sources_line([Item()], "ar").startswith("🗞 نقلته أيضاً: BBC Arabic (AR)، Reuters (EN)")

    class Alone:
        outlet, sources = "Levant Wire", (("Levant Wire", "en"),)
    assert sources_line([Alone()], "en") == ""


def run_with_bot(server: FakeTelegram, body):
    async def go():
        async with telegram.Bot(TOKEN, base_url=server.api_url) as bot:
            return await body(sender.TelegramSink(bot))
    return asyncio.run(go())


def test_the_sender_pushes_once_then_edits_the_message_with_the_second_outlet(db, server):
    chats.ensure_chat(db, 1)
    chats.subscribe(db, 1, STATE)
    report(db, "Levant Wire", "en", EN, "en", "2022-01-22 22:40:00", quotes=(QUOTE,))
    outbox.fan_out(db)

    async def first(sink):
        return await sender.drain_outbox(db, sink, limiter=sender.RateLimiter())
    assert run_with_bot(server, first) == 1
    [message] = server.sent(1)
    assert "Levant Wire" in message["text"] and "BBC Arabic" not in message["text"]

    report(db, "BBC Arabic", "ar", AR, "ar", "2022-01-22 23:30:00")
    assert outbox.fan_out(db) == 0 and outbox.queue_edits(db) == 1

    async def edits(sink):
        return await sender.drain_edits(db, sink, limiter=sender.RateLimiter())
    assert run_with_bot(server, edits) == 1
    [message] = server.sent(1)  # still one message, now edited
    assert "Also reported by: BBC Arabic (AR)" in message["text"]
    assert [e["message_id"] for e in server.edits] == [message["message_id"]]
    assert outbox.edit_counts(db)["sent"] == 1


def test_an_edit_telegram_refuses_is_failed_and_kept(db, server):
    pushed(db)  # message 77 was never sent to the fake server: "message to edit not found"
    report(db, "BBC Arabic", "ar", AR, "ar", "2022-01-22 23:30:00")
    outbox.queue_edits(db)

    async def edits(sink):
        return await sender.drain_edits(db, sink, limiter=sender.RateLimiter())
    assert run_with_bot(server, edits) == 0
    [row] = db.conn.execute("SELECT status, last_error FROM edits").fetchall()
    assert row[0] == "failed" and "message to edit not found" in row[1].lower()


def test_a_crash_while_editing_loses_nothing(db):
    pushed(db)
    report(db, "BBC Arabic", "ar", AR, "ar", "2022-01-22 23:30:00")
    outbox.queue_edits(db)
    outbox.claim_due_edits(db, "2099-01-01 00:00:00")  # 'sending' when the process dies
    assert outbox.recover_in_flight(db) == 1
    assert len(outbox.claim_due_edits(db, "2099-01-01 00:00:00")) == 1


def test_the_rendered_edit_is_the_push_with_its_sources(db):
    pushed(db)
    report(db, "BBC Arabic", "ar", AR, "ar", "2022-01-22 23:30:00")
    outbox.queue_edits(db)
    [job] = outbox.claim_due_edits(db, "2099-01-01 00:00:00")
    html = render_push(job.bundle, job.lang, job.timezone)
    assert "Ned Price" in html and "Levant Wire" in html and "BBC Arabic (AR)" in html
