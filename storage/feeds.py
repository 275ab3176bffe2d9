"""Feeds and their polling state: which feeds exist, which are due, how their last poll went."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

import sqlite_utils

from storage.db import transaction
from storage.errors import AlreadyExists, NotFound
from storage.models import FeedRow

RETRY_NOW = "1970-01-01 00:00:00"  # next_poll_at set by an operator's retry: poll at once, not at the next tick
_COLUMNS = ", ".join(f'"{name}"' for name in FeedRow.__dataclass_fields__)


def _feeds(db: sqlite_utils.Database, where: str = "1", params: tuple = ()) -> list[FeedRow]:
    sql = f"SELECT {_COLUMNS} FROM feeds WHERE {where} ORDER BY id"
    return [FeedRow.from_row(row) for row in db.query(sql, params)]


def feed_by_url(db: sqlite_utils.Database, url: str) -> FeedRow | None:
    """The feed polled at ``url``, or None. Read-only."""
    rows = _feeds(db, "url = ?", (url,))
    return rows[0] if rows else None


def feed_by_id(db: sqlite_utils.Database, feed_id: int) -> FeedRow | None:
    """The feed with this id, or None. Read-only."""
    rows = _feeds(db, "id = ?", (feed_id,))
    return rows[0] if rows else None


def all_feeds(db: sqlite_utils.Database) -> list[FeedRow]:
    """Every feed, in the order they were added. Read-only."""
    return _feeds(db)


def due_feeds(db: sqlite_utils.Database, now: str) -> list[FeedRow]:
    """The feeds to poll at ``now``: never polled, or ``next_poll_at <= now``; the longest-waiting first.

    Read-only.
    """
    sql = (f"SELECT {_COLUMNS} FROM feeds WHERE next_poll_at IS NULL OR next_poll_at <= ? "
           "ORDER BY next_poll_at IS NOT NULL, next_poll_at, id")
    return [FeedRow.from_row(row) for row in db.query(sql, (now,))]


def retry_feeds(db: sqlite_utils.Database, url: str | None = None) -> list[FeedRow]:
    """An operator's "try again now": the feed at ``url`` (or, with None, every feed in backoff, i.e. whose
    last poll failed) is due at once, with its failure count reset so a new failure backs off from the
    start again. The running service polls such feeds within seconds (:func:`retry_requested`).

    :returns: the feeds reset. :raises NotFound: ``url`` is not a feed.
    """
    with transaction(db):
        where, params = ("url = ?", (url,)) if url is not None else ("consecutive_failures > 0", ())
        reset = _feeds(db, where, params)
        if url is not None and not reset:
            raise NotFound(f"no feed {url}")
        db.conn.execute(f"UPDATE feeds SET next_poll_at = ?, consecutive_failures = 0 WHERE {where}",
                        (RETRY_NOW, *params))
    return reset


def retry_requested(db: sqlite_utils.Database) -> list[FeedRow]:
    """The feeds an operator asked to retry now (:func:`retry_feeds`) and not yet polled since. Read-only."""
    return _feeds(db, "next_poll_at = ?", (RETRY_NOW,))


def add_feed(db: sqlite_utils.Database, url: str, *, name: str = "", lang: str | None = None,
             speaker: str | None = None, interval: int = 600, fetch_pages: bool = True,
             origin: str = "cli") -> FeedRow:
    """Add a feed and return it. The caller validates the URL, language and speaker.

    :raises AlreadyExists: a feed with this URL exists already.
    :raises ValueError: ``lang`` is not ``ar``/``en`` or ``interval`` is under 5 seconds.
    """
    try:
        cursor = db.execute(
            "INSERT INTO feeds (url, name, lang, speaker, interval, fetch_pages, origin) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (url, name or "", lang, speaker, interval, int(bool(fetch_pages)), origin),
        )
    except sqlite3.IntegrityError as exc:
        if "UNIQUE" in str(exc):
            raise AlreadyExists(f"feed {url} exists already") from None
        raise ValueError(f"invalid feed {url}: {exc}") from None
    feed = feed_by_id(db, cursor.lastrowid)
    assert feed is not None
    return feed


def remove_feed(db: sqlite_utils.Database, url: str) -> None:
    """Remove the feed at ``url`` with its articles and their statements (clusters stay).

    :raises NotFound: no feed has this URL.
    """
    if db.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount == 0:
        raise NotFound(f"no feed {url}")


def sync_config_feeds(db: sqlite_utils.Database, feeds: Iterable) -> None:
    """Make every configured feed exist with the configuration's name, language, speaker, interval and
    fetch_pages (``origin='config'``), keeping its polling state. One transaction.

    ``feeds`` are :class:`config.FeedConfig`-like objects. A feed added earlier from the command line
    becomes a configured one. Feeds no longer configured are left alone: ``raqib feeds remove`` removes them.
    """
    with transaction(db):
        for feed in feeds:
            db.execute(
                """INSERT INTO feeds (url, name, lang, speaker, interval, fetch_pages, origin)
                   VALUES (?, ?, ?, ?, ?, ?, 'config')
                   ON CONFLICT (url) DO UPDATE SET name = excluded.name, lang = excluded.lang,
                       speaker = excluded.speaker, interval = excluded.interval,
                       fetch_pages = excluded.fetch_pages, origin = 'config'""",
                (feed.url, feed.name or "", feed.lang, feed.speaker, feed.interval,
                 int(bool(getattr(feed, "fetch_pages", True)))),
            )


def record_poll_success(db: sqlite_utils.Database, feed_id: int, *, status: int, etag: str | None,
                        last_modified: str | None, next_poll_at: str, new_url: str | None = None) -> None:
    """Note a successful poll (200 or 304): reset the failure count, keep the validators for the next
    conditional GET, schedule the next poll. ``new_url`` (a permanent redirect) replaces the feed's URL
    unless another feed has that URL already.

    :raises NotFound: no feed has this id.
    """
    with transaction(db):
        cursor = db.execute(
            """UPDATE feeds SET last_status = ?, etag = ?, last_modified = ?, last_error = NULL,
                   last_polled_at = datetime('now'), last_success_at = datetime('now'),
                   consecutive_failures = 0, next_poll_at = ?
               WHERE id = ?""",
            (status, etag, last_modified, next_poll_at, feed_id),
        )
        if cursor.rowcount == 0:
            raise NotFound(f"no feed with id {feed_id}")
        if new_url:
            db.execute("UPDATE feeds SET url = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = ?)",
                       (new_url, feed_id, new_url))


def record_poll_failure(db: sqlite_utils.Database, feed_id: int, *, status: int | None, error: str,
                        next_poll_at: str) -> int:
    """Note a failed poll with its readable reason; return the feed's new count of consecutive failures.

    :raises NotFound: no feed has this id.
    """
    rows = list(db.query(
        """UPDATE feeds SET last_status = ?, last_error = ?, last_error_at = datetime('now'),
               last_polled_at = datetime('now'), consecutive_failures = consecutive_failures + 1,
               next_poll_at = ?
           WHERE id = ? RETURNING consecutive_failures""",
        (status, error, next_poll_at, feed_id),
    ))
    if not rows:
        raise NotFound(f"no feed with id {feed_id}")
    return rows[0]["consecutive_failures"]
