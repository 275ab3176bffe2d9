"""The outbox (storage/outbox.py): fan-out of clusters to subscribed chats, claiming, marking, recovery.

The helpers at the top (``make_db``, ``add_article``, ``add_chat``) are shared by the other delivery tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reactions.model import Statement
from storage import chats, outbox
from storage.articles import save_article
from storage.db import open_db
from storage.feeds import add_feed, feed_by_url
from storage.models import NewArticle

STATE = "us-state-department"
FAR_FUTURE = "2999-01-01 00:00:00"


def make_db(tmp_path: Path):
    return open_db(tmp_path / "raqib.db")


def statement(text: str, *, speaker: str = STATE, person: str | None = None, reaction: str = "condemnation",
              quotes: tuple[str, ...] = (), start: int = 0) -> Statement:
    return Statement(speaker=speaker, person=person, kind="direct" if quotes else "reported", start=start,
                     end=start + len(text), text=text, quotes=quotes, reaction=reaction)


def add_article(db, statements, *, entry: str = "a1", title: str = "An article", feed_url: str =
                "https://news.example/rss", feed_name: str = "Example News", url: str | None = None,
                published: str | None = "2022-01-22 10:00:00"):
    """Store an article with ``statements`` (``reactions.Statement``s) through the storage API."""
    feed = feed_by_url(db, feed_url) or add_feed(db, feed_url, name=feed_name, lang="en")
    text = " ".join(s.text for s in statements)
    return save_article(db, NewArticle(feed_id=feed.id, entry_key=entry, url=url or f"https://news.example/{entry}",
                                       title=title, text=text, lang="en", published_at=published,
                                       content_hash=None), statements)


def add_chat(db, chat_id: int, *subscriptions: str | tuple[str, str], lang: str = "en", type: str = "private"):
    """A chat following ``subscriptions`` (a speaker id, or ``(speaker, keyword)``)."""
    chats.ensure_chat(db, chat_id, type=type, lang=lang)
    for sub in subscriptions or (STATE,):
        speaker, keyword = (sub, "") if isinstance(sub, str) else sub
        chats.subscribe(db, chat_id, speaker, keyword)


def rows(db, *columns: str) -> list[tuple]:
    cols = ", ".join(columns or ("chat_id", "cluster_id", "status"))
    return [tuple(r) for r in db.conn.execute(f"SELECT {cols} FROM deliveries ORDER BY chat_id, cluster_id")]


@pytest.fixture
def db(tmp_path):
    database = make_db(tmp_path)
    yield database
    database.conn.close()


def test_fan_out_enqueues_one_delivery_per_subscribed_chat(db):
    add_chat(db, 1)
    add_chat(db, 2)
    add_chat(db, 3, "us-pentagon")
    saved = add_article(db, [statement("The State Department condemned the attack.")])
    assert outbox.fan_out(db) == 2
    cluster = saved.cluster_ids[0]
    assert rows(db) == [(1, cluster, "pending"), (2, cluster, "pending")]


def test_fan_out_twice_enqueues_once(db):
    add_chat(db, 1)
    saved = add_article(db, [statement("The State Department condemned the attack.")])
    assert outbox.fan_out(db) == 1
    assert outbox.fan_out(db) == 0
    assert outbox.fan_out(db, saved.cluster_ids) == 0
    # the same statement reprinted by another outlet joins the cluster: no second push
    again = add_article(db, [statement("The State Department condemned the attack.")], entry="b2",
                        feed_url="https://other.example/rss")
    assert again.cluster_ids == saved.cluster_ids
    assert outbox.fan_out(db) == 0
    assert len(rows(db)) == 1


def test_fan_out_only_given_clusters(db):
    add_chat(db, 1)
    first = add_article(db, [statement("The State Department condemned the attack.")])
    second = add_article(db, [statement("The State Department welcomed the ceasefire.", reaction="welcome")],
                         entry="a2")
    assert outbox.fan_out(db, second.cluster_ids) == 1
    assert rows(db, "cluster_id") == [(second.cluster_ids[0],)]
    assert outbox.fan_out(db) == 1
    assert {r[0] for r in rows(db, "cluster_id")} == {first.cluster_ids[0], second.cluster_ids[0]}


def test_keyword_subscriptions_filter(db):
    add_chat(db, 1, (STATE, "Ukraine"))
    add_chat(db, 2, (STATE, "غزة"))
    add_chat(db, 3, (STATE, "ukraine"), (STATE, "gaza"))
    ukraine = add_article(db, [statement("The State Department expressed concern about UKRAINE.",
                                         reaction="concern")]).cluster_ids[0]
    gaza = add_article(db, [statement("قالت الخارجية الأمريكية إنها قلقة من الوضع في غزّة", reaction="concern")],
                       entry="a2").cluster_ids[0]
    assert outbox.fan_out(db) == 3
    assert rows(db, "chat_id", "cluster_id") == [(1, ukraine), (2, gaza), (3, ukraine)]


def test_inactive_chats_get_nothing(db):
    add_chat(db, 1)
    add_chat(db, 2)
    chats.deactivate_chat(db, 2, "blocked")
    add_article(db, [statement("The State Department condemned the attack.")])
    assert outbox.fan_out(db) == 1
    assert [r[0] for r in rows(db)] == [1]


def test_claim_groups_one_article_into_one_message(db):
    add_chat(db, 1)
    add_chat(db, 2, lang="ar")
    saved = add_article(db, [statement("The State Department condemned the attack.", person="ned-price"),
                             statement("Separately, it called for restraint.", reaction="call", start=100,
                                       quotes=("We call for restraint",))],
                        title="Attack & reactions")
    add_article(db, [statement("The State Department welcomed the talks.", reaction="welcome")], entry="a2")
    outbox.fan_out(db)
    jobs = outbox.claim_due(db, FAR_FUTURE, 10)
    assert [(j.chat_id, j.lang, len(j.delivery_ids), j.attempts) for j in jobs] == [(1, "en", 2, 1), (2, "ar", 2, 1)]
    bundle = jobs[0].bundle
    assert [i.cluster_id for i in bundle.items] == list(saved.cluster_ids)
    first = bundle.items[0]
    assert (first.speaker, first.person, first.reaction, first.title, first.outlet, first.url, first.published_at) \
        == (STATE, "ned-price", "condemnation", "Attack & reactions", "Example News", "https://news.example/a1",
            "2022-01-22 10:00:00")
    assert bundle.items[1].quotes == ("We call for restraint",)
    assert outbox.delivery_counts(db)["sending"] == 4
    # the second article is the next message for each chat
    later = outbox.claim_due(db, FAR_FUTURE, 10)
    assert [(j.chat_id, len(j.delivery_ids)) for j in later] == [(1, 1), (2, 1)]
    assert outbox.claim_due(db, FAR_FUTURE, 10) == []


def test_claim_respects_next_attempt_and_limit(db):
    for chat_id in (1, 2, 3):
        add_chat(db, chat_id)
    add_article(db, [statement("The State Department condemned the attack.")])
    outbox.fan_out(db)
    assert outbox.claim_due(db, "2000-01-01 00:00:00", 10) == []
    jobs = outbox.claim_due(db, FAR_FUTURE, 2)
    assert [j.chat_id for j in jobs] == [1, 2]
    outbox.mark_retry(db, jobs[0].delivery_ids, "boom", "2998-01-01 00:00:00")
    assert [j.chat_id for j in outbox.claim_due(db, FAR_FUTURE, 10)] == [3, 1]  # the oldest due first


def test_marking(db):
    for chat_id in (1, 2, 3):
        add_chat(db, chat_id)
    add_article(db, [statement("The State Department condemned the attack.")])
    outbox.fan_out(db)
    one, two, three = outbox.claim_due(db, FAR_FUTURE, 10)
    outbox.mark_sent(db, one.delivery_ids, 77)
    outbox.mark_retry(db, two.delivery_ids, "429", FAR_FUTURE, count_attempt=False)
    outbox.mark_failed(db, three.delivery_ids, "rejected")
    assert rows(db, "chat_id", "status", "attempts", "message_id", "last_error") == [
        (1, "sent", 1, 77, None), (2, "pending", 0, None, "429"), (3, "failed", 1, None, "rejected")]
    assert outbox.pending_count(db) == 1
    assert outbox.failed_deliveries(db)[0]["last_error"] == "rejected"


def test_recover_in_flight_puts_sending_back(db):
    add_chat(db, 1)
    add_article(db, [statement("The State Department condemned the attack.")])
    outbox.fan_out(db)
    outbox.claim_due(db, FAR_FUTURE, 10)
    assert outbox.recover_in_flight(db) == 1
    assert rows(db, "status", "attempts") == [("pending", 1)]
    assert outbox.pending_count(db) == 1


def test_deactivate_chat_fails_its_deliveries_visibly(db):
    add_chat(db, 1)
    add_chat(db, 2)
    add_article(db, [statement("The State Department condemned the attack.")])
    outbox.fan_out(db)
    assert outbox.deactivate_chat(db, 1, "Forbidden: bot was blocked by the user") == 1
    assert rows(db, "chat_id", "status", "last_error") == [
        (1, "failed", "chat inactive: Forbidden: bot was blocked by the user"), (2, "pending", None)]
    assert chats.chat_by_id(db, 1).active is False


def test_migrate_chat_moves_everything(db):
    add_chat(db, -5, type="group")
    add_article(db, [statement("The State Department condemned the attack.")])
    outbox.fan_out(db)
    outbox.migrate_chat(db, -5, -1005)
    assert chats.chat_by_id(db, -5) is None
    assert chats.chat_by_id(db, -1005).type == "group"
    assert [s.speaker for s in chats.subscriptions_of(db, -1005)] == [STATE]
    assert [r[0] for r in rows(db)] == [-1005]


def test_migrate_chat_merges_into_existing(db):
    add_chat(db, -5, type="group")
    add_chat(db, -1005, type="supergroup")
    add_article(db, [statement("The State Department condemned the attack.")])
    outbox.fan_out(db)
    outbox.migrate_chat(db, -5, -1005)
    assert chats.chat_by_id(db, -5) is None
    assert [r[0] for r in rows(db)] == [-1005]
