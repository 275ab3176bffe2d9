"""``stats(db)``: the counts behind ``raqib stats`` and /status."""

from __future__ import annotations

from reactions import Statement
from storage import NewArticle, add_feed, record_poll_failure, save_article, stats
from storage.migrations import LATEST_VERSION

KEYS = ["feeds", "feeds_failing", "articles", "statements", "clusters", "chats", "subscriptions",
        "deliveries_pending"]


def test_an_empty_database_counts_zero_in_the_documented_order(db):
    counts = stats(db)
    assert list(counts)[:8] == KEYS
    assert [counts[key] for key in KEYS] == [0] * 8
    assert counts["schema_version"] == LATEST_VERSION


def test_every_count_follows_its_table(db):
    feed = add_feed(db, "https://example.org/feed").id
    add_feed(db, "https://example.org/quiet")
    record_poll_failure(db, feed, status=500, error="boom", next_poll_at="2030-01-01 00:00:00")
    quote = "We condemn the attack on the hospital"
    saved = save_article(db, NewArticle(feed, "e1", None, "t", quote, "en", None, None),
                         [Statement("un-ohchr", None, "direct", 0, len(quote), quote, (quote,), "condemnation")])
    db.execute("INSERT INTO chats (id) VALUES (1), (2)")
    db.execute("INSERT INTO subscriptions (chat_id, speaker) VALUES (1, 'un-ohchr'), (2, 'un-ohchr')")
    cluster = saved.cluster_ids[0]
    db.execute("INSERT INTO deliveries (chat_id, cluster_id) VALUES (1, ?)", (cluster,))
    db.execute("INSERT INTO deliveries (chat_id, cluster_id, status) VALUES (2, ?, 'sent')", (cluster,))
    counts = stats(db)
    assert [counts[key] for key in KEYS] == [2, 1, 1, 1, 1, 2, 2, 1]
