"""Chats, their subscriptions and the digests sent to them (tables ``chats``, ``subscriptions``,
``digests_sent``). Owned by the bot's interaction layer; the delivery outbox lives in ``storage/outbox.py``.

Times are UTC text ``YYYY-MM-DD HH:MM:SS``; a chat's ``digest_time`` is local ``HH:MM`` text in the chat's
``timezone`` (NULL: no digest).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils

from storage.db import transaction
from storage.models import db_time as utc_text

__all__ = [
    "Chat", "Subscription", "DigestDue", "ensure_chat", "chat_by_id", "set_language", "set_sources", "set_digest_chart", "set_digest",
    "deactivate_chat", "subscribe", "unsubscribe", "subscriptions_of", "chats_due_for_digest",
    "mark_digest_sent", "digest_sent", "chat_counts", "utc_text",
]


@dataclass(frozen=True)
class Chat:
    id: int
    type: str
    title: str
    lang: str
    timezone: str
    digest_time: str | None
    active: bool
    sources: str = "both"  # source languages: 'ar', 'en' or 'both' (storage.languages)
    digest_chart: bool = False  # the digest carries a small chart (/digest chart on)


@dataclass(frozen=True)
class Subscription:
    speaker: str
    keyword: str = ""


@dataclass(frozen=True)
class DigestDue:
    """A chat whose digest for local day ``day`` is due; it covers ``[window_start, window_end)`` (UTC text)."""

    chat_id: int
    lang: str
    timezone: str
    day: str
    window_start: str
    window_end: str


def _chat(row: dict) -> Chat:
    return Chat(id=row["id"], type=row["type"], title=row["title"], lang=row["lang"], timezone=row["timezone"],
                digest_time=row["digest_time"], active=bool(row["active"]), sources=row.get("sources") or "both",
                digest_chart=bool(row.get("digest_chart")))


def chat_by_id(db: sqlite_utils.Database, chat_id: int) -> Chat | None:
    """The chat, or None. Read-only."""
    rows = list(db.query("SELECT * FROM chats WHERE id = ?", [chat_id]))
    return _chat(rows[0]) if rows else None


def is_current(known: Chat | None, type: str = "private", title: str = "") -> bool:
    """Whether :func:`ensure_chat` would leave the chat ``known`` as it is (so a reader may use it as is)."""
    return (known is not None and known.active and known.type == (type or "private")
            and (not title or known.title == title))


def ensure_chat(db: sqlite_utils.Database, chat_id: int, type: str = "private", title: str = "",
                lang: str = "en", timezone: str = "UTC", digest_time: str | None = "08:00") -> Chat:
    """Insert the chat if missing (with these defaults), reactivate it if it was marked inactive.

    An existing chat keeps its language, timezone and digest time; its title is refreshed.
    """
    lang = lang if lang in ("ar", "en") else "en"
    known = chat_by_id(db, chat_id)
    if is_current(known, type, title):
        return known  # nothing to change: a read only (it works while another process holds the write lock)
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO chats (id, type, title, lang, timezone, digest_time) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET active = 1, inactive_reason = NULL, type = excluded.type, "
            "title = CASE WHEN excluded.title != '' THEN excluded.title ELSE chats.title END",
            [chat_id, type or "private", title or "", lang, timezone, digest_time],
        )
    chat = chat_by_id(db, chat_id)
    assert chat is not None
    return chat


def set_language(db: sqlite_utils.Database, chat_id: int, lang: str) -> None:
    if lang not in ("ar", "en"):
        raise ValueError(f"unknown language {lang!r}")
    db.execute("UPDATE chats SET lang = ? WHERE id = ?", [lang, chat_id])


def set_sources(db: sqlite_utils.Database, chat_id: int, sources: str) -> None:
    """Which source languages the chat receives: ``ar``, ``en`` or ``both``."""
    if sources not in ("ar", "en", "both"):
        raise ValueError(f"unknown source languages {sources!r}")
    db.execute("UPDATE chats SET sources = ? WHERE id = ?", [sources, chat_id])


def set_digest_chart(db: sqlite_utils.Database, chat_id: int, on: bool) -> None:
    """Whether the chat's daily digest carries a small chart of its speakers' statements per day."""
    db.execute("UPDATE chats SET digest_chart = ? WHERE id = ?", [1 if on else 0, chat_id])


def set_digest(db: sqlite_utils.Database, chat_id: int, digest_time: str | None,
               timezone: str | None = None) -> None:
    """Set the chat's daily digest time (``HH:MM``, local to ``timezone``), or turn it off with None."""
    if timezone is None:
        db.execute("UPDATE chats SET digest_time = ? WHERE id = ?", [digest_time, chat_id])
    else:
        db.execute("UPDATE chats SET digest_time = ?, timezone = ? WHERE id = ?", [digest_time, timezone, chat_id])


def deactivate_chat(db: sqlite_utils.Database, chat_id: int, reason: str) -> None:
    db.execute("UPDATE chats SET active = 0, inactive_reason = ? WHERE id = ?", [reason, chat_id])


def subscribe(db: sqlite_utils.Database, chat_id: int, speaker: str, keyword: str = "") -> bool:
    """Follow ``speaker`` (narrowed to statements mentioning ``keyword`` when given). True if new."""
    with transaction(db) as conn:
        cur = conn.execute("INSERT OR IGNORE INTO subscriptions (chat_id, speaker, keyword) VALUES (?, ?, ?)",
                           [chat_id, speaker, (keyword or "").strip()])
        return cur.rowcount > 0


def unsubscribe(db: sqlite_utils.Database, chat_id: int, speaker: str | None = None) -> int:
    """Stop following ``speaker`` (every keyword of it), or everything with None. Returns rows removed."""
    with transaction(db) as conn:
        if speaker is None:
            cur = conn.execute("DELETE FROM subscriptions WHERE chat_id = ?", [chat_id])
        else:
            cur = conn.execute("DELETE FROM subscriptions WHERE chat_id = ? AND speaker = ?", [chat_id, speaker])
        return cur.rowcount


def subscriptions_of(db: sqlite_utils.Database, chat_id: int) -> list[Subscription]:
    """The chat's subscriptions, by speaker then keyword. Read-only."""
    return [Subscription(r["speaker"], r["keyword"]) for r in db.query(
        "SELECT speaker, keyword FROM subscriptions WHERE chat_id = ? ORDER BY speaker, keyword", [chat_id])]


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _digest_moment(now_utc: dt.datetime, timezone: str, digest_time: str) -> tuple[str, ...] | None:
    """For chats with this timezone and digest time at ``now_utc``: ``("later", when it comes)`` before today's
    digest moment; else ``("passed", local day, window start, window end, tomorrow's moment)`` (UTC texts);
    None for an unreadable digest time."""
    zone = _zone(timezone)
    local_now = now_utc.astimezone(zone)
    try:
        hours, minutes = (int(p) for p in digest_time.split(":"))
        moment = dt.datetime.combine(local_now.date(), dt.time(hours, minutes), tzinfo=zone)
    except ValueError:
        return None
    if local_now < moment:
        return ("later", utc_text(moment))
    tomorrow = dt.datetime.combine(local_now.date() + dt.timedelta(days=1), dt.time(hours, minutes), tzinfo=zone)
    return ("passed", local_now.date().isoformat(), utc_text(moment - dt.timedelta(days=1)), utc_text(moment),
            utc_text(tomorrow))


DIGEST_PAGE = 200  # due chats handed to the digest job per call (the job calls again until a page is short)


def chats_due_for_digest(db: sqlite_utils.Database, now_utc: dt.datetime, *,
                         limit: int | None = None) -> list[DigestDue]:
    """Active chats with a digest time that has passed today (in the chat's timezone) and no digest recorded
    for that local day. Each digest covers the 24 hours up to today's digest moment, so consecutive digests
    neither overlap nor leave gaps, and a restart neither repeats nor skips one. A chat created after today's
    digest moment starts tomorrow. Writes only ``chats.digest_check_at``: for each chat found not due, the
    earliest time it can be (its digest moment today, or tomorrow's), so the next calls read only the chats
    whose moment has come (an index), not every chat.

    ``limit``: a page of at most that many due chats (the digest job calls again until a page is shorter), so
    one call stays short when a hundred thousand chats are due at once (after a day down, or all at 08:00). A
    chat a page returns is not returned again before ``now_utc`` + 1 second: the next page goes on with the
    others, and the next minute's call returns it again if its digest is still not recorded (a failed send is
    retried then). Without ``limit``, every due chat, and a due chat stays due to every call.
    """
    if now_utc.tzinfo is None:
        now_utc = now_utc.replace(tzinfo=dt.UTC)
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    due: list[DigestDue] = []
    later: list[tuple[str, int]] = []  # (the earliest time it can be due, chat) for the chats found not due
    # what decides a chat's day depends only on its (timezone, digest time): worked out once per pair (a few
    # thousand pairs among a hundred thousand chats), not once per chat
    moments: dict[tuple[str, str], tuple[str, ...] | None] = {}
    since_day, now_text = (now_utc - dt.timedelta(days=2)).strftime("%Y-%m-%d"), utc_text(now_utc)
    again = utc_text(now_utc + dt.timedelta(seconds=1))
    while True:
        # each pass reads rows of the index's range and moves every one it reads out of it (later, or again):
        # the next pass reads the following ones
        rows = list(db.query(
            "SELECT c.id, c.lang, c.timezone, c.digest_time, c.created_at, "
            "  (SELECT group_concat(day, ',') FROM digests_sent d WHERE d.chat_id = c.id AND d.day >= ?) AS sent "
            "FROM chats c INDEXED BY idx_chats_digest_check "
            "WHERE c.active = 1 AND c.digest_time IS NOT NULL AND c.digest_check_at <= ? "
            "AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.chat_id = c.id) "
            + ("ORDER BY c.digest_check_at LIMIT ?" if limit else ""),
            [since_day, now_text, *([limit - len(due)] if limit else [])]))
        page: list[DigestDue] = []
        for row in rows:
            pair = (row["timezone"], row["digest_time"])
            if pair not in moments:
                moments[pair] = _digest_moment(now_utc, *pair)
            found = moments[pair]
            if found is None:
                later.append(("9999-12-31 00:00:00", row["id"]))  # until its digest time is set again
                continue
            if found[0] == "later":
                later.append((found[1], row["id"]))
                continue
            _state, day, window_start, window_end, tomorrow = found
            if day in (row["sent"] or "").split(",") or row["created_at"] > window_end:
                later.append((tomorrow, row["id"]))
                continue
            page.append(DigestDue(row["id"], row["lang"], row["timezone"], day, window_start, window_end))
        due.extend(page)
        if limit is None or not rows:
            break
        with transaction(db) as conn:
            # Not due before then (the triggers of migration 12 reset this when the time, zone or state changes):
            # the next calls skip them through the index instead of judging every chat every minute.
            conn.executemany("UPDATE chats SET digest_check_at = ? WHERE id = ?", later)
            conn.executemany("UPDATE chats SET digest_check_at = ? WHERE id = ?", [(again, d.chat_id) for d in page])
        later.clear()
        if len(due) >= limit:
            break
    if later:
        with transaction(db) as conn:
            conn.executemany("UPDATE chats SET digest_check_at = ? WHERE id = ?", later)
    return sorted(due, key=lambda d: d.chat_id)


def mark_digest_sent(db: sqlite_utils.Database, chat_id: int, day: str) -> bool:
    """Record the digest of local ``day`` as sent; False if it was recorded already."""
    with transaction(db) as conn:
        cur = conn.execute("INSERT OR IGNORE INTO digests_sent (chat_id, day) VALUES (?, ?)", [chat_id, day])
        return cur.rowcount > 0


def digest_sent(db: sqlite_utils.Database, chat_id: int, day: str) -> bool:
    return bool(list(db.query("SELECT 1 FROM digests_sent WHERE chat_id = ? AND day = ?", [chat_id, day])))


def chat_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """``chats`` (active), ``inactive``, ``subscribers`` (active chats with a subscription), ``subscriptions``."""
    row = next(db.query(
        "SELECT (SELECT n FROM row_counts WHERE name = 'active_chats') AS chats, "
        "(SELECT count(*) FROM chats) - (SELECT n FROM row_counts WHERE name = 'active_chats') AS inactive, "
        "(SELECT n FROM row_counts WHERE name = 'subscribers') AS subscribers, "
        "(SELECT count(*) FROM subscriptions) AS subscriptions"))
    return dict(row)
