"""What the speed work (issue 13) must not change: kept counts equal count(*), capped counts are exact below
their cap, and /latest ranks as before."""

from __future__ import annotations

import random

from storage import outbox, queries
from storage.feeds import add_feed, remove_feed
from storage.stats import stats
from tests.test_delivery_outbox import add_article, add_chat, make_db, statement


def kept(db) -> dict[str, int]:
    return {name: n for name, n in db.conn.execute("SELECT name, n FROM row_counts")}


def counted(db) -> dict[str, int]:
    one = lambda sql: db.conn.execute(sql).fetchone()[0]  # noqa: E731
    return {"articles": one("SELECT count(*) FROM articles"), "statements": one("SELECT count(*) FROM statements"),
            "clusters": one("SELECT count(*) FROM clusters")}


def test_kept_counts_follow_inserts_updates_and_cascading_deletes(tmp_path):
    db = make_db(tmp_path)
    for chat_id in range(1, 6):
        add_chat(db, chat_id)
    for i in range(6):
        add_article(db, [statement(f"The State Department condemned attack number {i}.")], entry=f"a{i}",
                    feed_url=f"https://n{i % 2}.example/rss")
    add_article(db, [statement("A changed text replaces the statements.")], entry="a1", feed_url="https://n1.example/rss")
    assert outbox.fan_out(db) > 0
    assert kept(db) == counted(db)
    jobs = outbox.claim_due(db, "2999-01-01 00:00:00", limit=3)
    outbox.mark_sent(db, jobs[0].delivery_ids, 1)
    outbox.mark_failed(db, jobs[1].delivery_ids, "no")
    outbox.mark_retry(db, jobs[2].delivery_ids, "later", "2999-01-01 00:00:00")
    outbox.deactivate_chat(db, 5, "blocked")
    assert kept(db) == counted(db)
    db.conn.execute("DELETE FROM chats WHERE id = 4")  # deliveries go with it (ON DELETE CASCADE)
    remove_feed(db, "https://n0.example/rss")  # its articles and statements too
    assert kept(db) == counted(db)
    figures = stats(db)
    assert figures["statements"] == counted(db)["statements"]
    pending = db.conn.execute("SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending')").fetchone()[0]
    assert figures["deliveries_pending"] == outbox.pending_count(db) == pending > 0
    assert outbox.capped_count(db, "status IN ('pending', 'sending')", cap=1) == 1


def reference_latest(db, speaker, n):
    """/latest as it was: load every candidate as a view, then rank them in Python."""
    where = "WHERE speaker = ?" if speaker else ""
    ids = [r[0] for r in db.conn.execute(
        f"SELECT id FROM clusters {where} ORDER BY first_seen_at DESC, id DESC LIMIT ?",
        [*([speaker] if speaker else []), max(queries.CANDIDATES, n)])]
    views = [v for v in queries.clusters_by_id(db, ids) if v.articles]
    return sorted(views, key=lambda v: (v.when, v.id), reverse=True)[:n]


def test_latest_ranks_exactly_as_before(tmp_path):
    db = make_db(tmp_path)
    add_feed(db, "https://other.example/rss", name="Other", lang="en")
    rng = random.Random(3)
    speakers = ("us-state-department", "us-pentagon")
    for i in range(300):
        day = rng.randint(1, 28)
        published = rng.choice([f"2024-02-{day:02d} {rng.randint(0, 23):02d}:00:00", None, "", "2031-01-01 00:00:00"])
        text = f"The statement number {rng.randint(0, 120)} about the talks."  # reprints join a cluster
        add_article(db, [statement(text, speaker=rng.choice(speakers))], entry=f"e{i}", published=published,
                    feed_url=rng.choice(["https://news.example/rss", "https://other.example/rss"]))
    for speaker in (None, *speakers):
        for n in (1, 5, 20):
            assert [v.id for v in queries.latest_clusters(db, speaker, n)] == \
                [v.id for v in reference_latest(db, speaker, n)]
