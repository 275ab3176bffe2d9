"""Grouped pushes (issue 13 item 3): when more deliveries are due than the sender can send within
``[delivery] max_delay_minutes``, each chat's due statements go out together, grouped by speaker, split at
Telegram's 4,096 characters, every statement once, each message's rows marked as it goes out.

Claiming and rendering are tested directly; the sender end to end against the fake Bot API server."""

from __future__ import annotations

import asyncio
import re

import pytest
import telegram

from bot import push_format, sender
from storage import outbox
from tests.fake_telegram import FakeTelegram, parse_html, utf16_len
from tests.test_delivery_outbox import FAR_FUTURE, add_article, add_chat, make_db, rows, statement

TOKEN = "123:ABC"
SPEAKERS = ("us-state-department", "us-pentagon", "uk-government")
WORDS = ("harbour", "vaccine", "election", "drought", "pipeline", "refugees", "satellite", "tariffs", "embassy",
         "ceasefire", "uranium", "wildfire", "cyberattack", "famine", "shipping", "prisoners", "earthquake",
         "currency", "elections", "hostages", "border", "fisheries", "airspace", "journalists", "pipelines")


@pytest.fixture
def db(tmp_path):
    database = make_db(tmp_path)
    yield database
    database.conn.close()


@pytest.fixture
def server():
    with FakeTelegram(token=TOKEN) as s:
        yield s


def marker(n: int) -> str:
    return f"item{n:03d}x"


def letters(n: int) -> str:
    """``n`` as a word of letters (the clustering ignores digits)."""
    return "".join(chr(97 + (n // 26 ** i) % 26) for i in range(3))


def seed_backlog(db, count: int, chat_ids=(1,), *, long: bool = False) -> dict[int, str]:
    """``count`` statements of three speakers, one article each, fanned out to ``chat_ids``; returns the
    marker word each statement's text carries, by cluster id."""
    for chat_id in chat_ids:
        add_chat(db, chat_id, *SPEAKERS)
    markers = {}
    for n in range(count):
        words = " ".join(f"{WORDS[(n + k) % len(WORDS)]}{letters(n)}" for k in range(6))  # nothing in common
        text = f"The officials condemned the {words} {marker(n)}."
        if long:
            text += " " + " ".join(f"{letters(n)}{letters(k)}" for k in range(120))
        saved = add_article(db, [statement(text, speaker=SPEAKERS[n % 3])], entry=f"e{n}", title=f"Report {n}")
        [cluster_id] = saved.cluster_ids
        markers[cluster_id] = marker(n)
    assert len(markers) == count  # distinct statements: no two in one cluster
    outbox.fan_out(db)
    return markers


def test_a_late_queue_claims_each_chats_due_rows_as_one_grouped_job(db):
    seed_backlog(db, 9, chat_ids=(1, 2))
    # 18 due, then one more turn for each of the 2 waiting chats: 20 messages
    assert not outbox.backlog_is_late(db, FAR_FUTURE, 20) and outbox.backlog_is_late(db, FAR_FUTURE, 19)
    assert outbox.backlog_is_late(db, FAR_FUTURE, 17) and not outbox.backlog_is_late(db, "2000-01-01 00:00:00", 1)
    ordinary = outbox.claim_due(db, FAR_FUTURE, 10, backlog_limit=20)
    assert [len(j.delivery_ids) for j in ordinary] == [1, 1] and not any(j.grouped for j in ordinary)
    outbox.mark_retry(db, [d for j in ordinary for d in j.delivery_ids], "back", "2000-01-01 00:00:00")
    late = outbox.claim_due(db, FAR_FUTURE, 10, backlog_limit=19)
    assert [j.chat_id for j in late] == [1, 2] and all(j.grouped for j in late)
    assert [len(j.delivery_ids) for j in late] == [9, 9]
    assert {i.speaker for i in late[0].bundle.items} == set(SPEAKERS)
    assert sorted(c for c, _d in late[0].deliveries) == sorted(i.cluster_id for i in late[0].bundle.items)
    assert outbox.delivery_counts(db)["sending"] == 18


def test_a_late_queue_still_pushes_a_lone_article_as_an_ordinary_push(db):
    seed_backlog(db, 1, chat_ids=(1, 2, 3))
    jobs = outbox.claim_due(db, FAR_FUTURE, 10, backlog_limit=1)
    assert [len(j.delivery_ids) for j in jobs] == [1, 1, 1] and not any(j.grouped for j in jobs)


def test_a_grouped_job_takes_at_most_group_max_rows(db, monkeypatch):
    monkeypatch.setattr(outbox, "GROUP_MAX", 4)
    seed_backlog(db, 9)
    [job] = outbox.claim_due(db, FAR_FUTURE, 10, backlog_limit=1)
    assert job.grouped and len(job.delivery_ids) == 4
    assert outbox.delivery_counts(db)["pending"] == 5


def test_mark_retry_leaves_rows_already_sent(db):
    seed_backlog(db, 2)
    [job] = outbox.claim_due(db, FAR_FUTURE, 10, backlog_limit=1)
    first, second = job.delivery_ids
    outbox.mark_sent(db, [first], 7, grouped=True)
    outbox.mark_retry(db, job.delivery_ids, "network", "2000-01-01 00:00:00")
    assert rows(db, "id", "status", "grouped") == [(first, "sent", 1), (second, "pending", 0)]


def items_of(db, count: int, *, long: bool = False):
    seed_backlog(db, count, long=long)
    [job] = outbox.claim_due(db, FAR_FUTURE, 10, backlog_limit=1)
    return job.bundle.items


def test_render_grouped_shows_every_item_once_by_speaker_within_telegrams_limit(db):
    items = items_of(db, 40, long=True)
    pages = push_format.render_grouped(items, "en", "Asia/Riyadh")
    assert len(pages) > 1
    shown = [c for _html, ids in pages for c in ids]
    assert sorted(shown) == sorted(i.cluster_id for i in items)  # each exactly once
    for number, (html, ids) in enumerate(pages, start=1):
        visible = parse_html(html)  # valid Telegram HTML
        assert utf16_len(html) <= push_format.MAX_LENGTH
        assert f"part {number} of {len(pages)}" in visible and "40 statements" in visible
        for cluster_id in ids:
            item = next(i for i in items if i.cluster_id == cluster_id)
            assert re.search(r"item\d{3}x", item.text).group(0) in visible
    # speakers in the order of their first statement; each speaker's statements together
    order = [i.speaker for i in items]
    first_seen = list(dict.fromkeys(order))
    heads = [push_format.speaker_label(s, "en")[1] for s in first_seen]
    whole = "\n".join(parse_html(h) for h, _ids in pages)
    assert [whole.index(h) for h in heads] == sorted(whole.index(h) for h in heads)


def test_render_grouped_in_arabic_and_with_hostile_or_huge_fields(db):
    items = list(items_of(db, 3))
    hostile = "<script>x</script> & «قالت» " + "z" * 5000
    items[0] = outbox.replace(items[0], text=hostile, title=hostile, url="https://news.example/" + "q" * 3000,
                              outlet="<b>Outlet</b>")
    pages = push_format.render_grouped(items, "ar")
    assert len(pages) == 1
    html, ids = pages[0]
    visible = parse_html(html)
    assert utf16_len(html) <= push_format.MAX_LENGTH and len(ids) == 3
    assert "مجمّعة" in visible and "<script>x</script>" in visible and "<b>Outlet</b>" in visible
    assert push_format.render_grouped([], "en") == []


def run_with_bot(server: FakeTelegram, body):
    async def go():
        async with telegram.Bot(TOKEN, base_url=server.api_url) as bot:
            return await body(sender.TelegramSink(bot))

    return asyncio.run(go())


async def drain_until_empty(db, sink, *, max_delay: float, rounds: int = 20) -> int:
    sent = 0
    for _ in range(rounds):
        if not outbox.pending_count(db):
            break
        sent += await sender.drain_outbox(db, sink, limiter=sender.RateLimiter(), max_delay=max_delay)
        await asyncio.sleep(0.05)
    return sent


def test_a_backlog_goes_out_as_grouped_messages_with_every_statement_once(server, db):
    chat_ids = (1, 2, 3)
    markers = seed_backlog(db, 30, chat_ids, long=True)  # 90 due; one second of sending is 28
    sent = run_with_bot(server, lambda sink: drain_until_empty(db, sink, max_delay=1.0))
    assert sent == len(server.sent())
    for chat_id in chat_ids:
        texts = [parse_html(m["text"]) for m in server.sent(chat_id)]
        assert 1 < len(texts) < 30  # grouped, and split at Telegram's limit (each statement is long)
        found = re.findall(r"item\d{3}x", "\n".join(texts))
        assert sorted(found) == sorted(markers.values())  # every statement exactly once
    assert outbox.pending_count(db) == 0
    assert {r for r in rows(db, "status", "grouped")} == {("sent", 1)}
    # each row carries the message that showed its statement
    for chat_id, cluster_id, message_id in rows(db, "chat_id", "cluster_id", "message_id"):
        [message] = [m for m in server.sent(chat_id) if m["message_id"] == message_id]
        assert markers[cluster_id] in message["text"]
    # the messages of a late queue are not edited when more outlets report their statements later
    [(again,)] = db.conn.execute("SELECT text FROM statements WHERE text LIKE ?", (f"%{marker(0)}%",))
    reprint = add_article(db, [statement(again, speaker=SPEAKERS[0])], entry="again",
                          feed_url="https://other.example/rss", feed_name="Other News")
    assert reprint.cluster_ids[0] in markers  # the same statement joined its cluster
    assert outbox.queue_edits(db) == 0


def test_a_failure_between_grouped_messages_resends_none_of_the_sent_ones(server, db, monkeypatch):
    monkeypatch.setattr(sender, "backoff", lambda attempts: 0.0)
    markers = seed_backlog(db, 24, (1,), long=True)
    server.server_errors(1, skip=1)  # the second message of the job fails once
    run_with_bot(server, lambda sink: drain_until_empty(db, sink, max_delay=0.01))
    texts = [parse_html(m["text"]) for m in server.sent(1)]
    assert len(texts) > 2
    assert sorted(re.findall(r"item\d{3}x", "\n".join(texts))) == sorted(markers.values())
    assert outbox.delivery_counts(db)["sent"] == 24 and outbox.pending_count(db) == 0


def test_a_short_queue_is_pushed_one_article_at_a_time(server, db):
    markers = seed_backlog(db, 3, (1,))
    run_with_bot(server, lambda sink: drain_until_empty(db, sink, max_delay=60.0))
    texts = [m["text"] for m in server.sent(1)]
    assert len(texts) == 3 and not any("🗂" in t for t in texts)
    assert sorted(re.findall(r"item\d{3}x", "\n".join(texts))) == sorted(markers.values())
    assert {r for r in rows(db, "grouped")} == {(0,)}


def test_a_rejected_part_fails_only_its_own_statements(server, db):
    from tests.fake_telegram import Fault

    markers = seed_backlog(db, 24, (1,), long=True)
    server.add_fault(Fault("400", "sendMessage", 1, times=1, description="Bad Request: can't parse entities"))
    run_with_bot(server, lambda sink: drain_until_empty(db, sink, max_delay=0.01))
    shown = re.findall(r"item\d{3}x", "\n".join(parse_html(m["text"]) for m in server.sent(1)))
    failed = {markers[c] for c, status in rows(db, "cluster_id", "status") if status == "failed"}
    assert failed and shown  # the first part was refused, the later ones went out
    assert sorted(shown + sorted(failed)) == sorted(markers.values())  # each statement sent once or failed
    assert outbox.pending_count(db) == 0
