"""Counts for ``raqib stats`` and the admins' /status."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from storage.migrations import schema_version

_COUNTS = {
    "feeds": "SELECT count(*) FROM feeds",
    "feeds_failing": "SELECT count(*) FROM feeds WHERE consecutive_failures > 0",
    "articles": "SELECT count(*) FROM articles",
    "statements": "SELECT count(*) FROM statements",
    "clusters": "SELECT count(*) FROM clusters",
    "chats": "SELECT count(*) FROM chats",
    "subscriptions": "SELECT count(*) FROM subscriptions",
    "deliveries_pending": "SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending')",
}


def stats(db: sqlite_utils.Database) -> dict[str, Any]:
    """Counts of the store's rows, keys in this order: ``feeds, feeds_failing, articles, statements,
    clusters, chats, subscriptions, deliveries_pending`` (not sent yet: pending or being
    sent), then ``schema_version``. All zero on an empty database. Read-only.
    """
    counts: dict[str, Any] = {key: db.execute(sql).fetchone()[0] for key, sql in _COUNTS.items()}
    counts["schema_version"] = schema_version(db.conn)
    return counts
