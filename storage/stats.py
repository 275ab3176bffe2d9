"""Counts for ``raqib stats`` and the admins' /status."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from storage.migrations import schema_version
from storage.outbox import pending_count

# The big tables are counted by triggers (migration 9, table row_counts), not by count(*) over millions of rows.
_KEPT = "SELECT n FROM row_counts WHERE name = '{}'"
_COUNTS = {
    "feeds": "SELECT count(*) FROM feeds",
    "feeds_failing": "SELECT count(*) FROM feeds WHERE consecutive_failures > 0",
    "articles": _KEPT.format("articles"),
    "statements": _KEPT.format("statements"),
    "clusters": _KEPT.format("clusters"),
    "chats": "SELECT count(*) FROM chats",
    "subscriptions": "SELECT count(*) FROM subscriptions",
    # counted up to storage.outbox.COUNT_CAP through the status index
    "deliveries_pending": "SELECT count(*) FROM (SELECT 1 FROM deliveries WHERE status IN ('pending', 'sending') "
                          "LIMIT 100000)",
}


def stats(db: sqlite_utils.Database) -> dict[str, Any]:
    """Counts of the store's rows, keys in this order: ``feeds, feeds_failing, articles, statements,
    clusters, chats, subscriptions, deliveries_pending`` (not sent yet: pending or being
    sent), then ``schema_version``. All zero on an empty database. Read-only.
    """
    counts: dict[str, Any] = {key: db.execute(sql).fetchone()[0] for key, sql in _COUNTS.items()}
    counts["schema_version"] = schema_version(db.conn)
    return counts


def first_round_done(db: sqlite_utils.Database) -> bool:
    """Every feed polled at least once and nothing left to push (the console demo waits for it)."""
    row = next(db.query("SELECT count(*) AS n, sum(last_polled_at IS NULL) AS waiting FROM feeds"))
    pending = next(db.query("SELECT count(*) AS n FROM clusters WHERE fanned_out = 0"))["n"]
    return bool(row["n"]) and not row["waiting"] and not pending and pending_count(db) == 0
