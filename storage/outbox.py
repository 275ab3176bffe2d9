"""The delivery outbox: fan-out of statement clusters into per-chat deliveries, claiming and marking them.

Every SQL string about deliveries lives here. A delivery row goes
``pending -> sending -> sent``; on a retryable error back to ``pending`` with a later ``next_attempt_at``;
on a permanent one to ``failed`` with ``last_error`` (kept, visible in /status, never deleted).
Crash safety: a row is marked ``sending`` *before* the message goes out and ``sent`` right after, so after a
crash :func:`recover_in_flight` puts the ``sending`` rows back to ``pending``: nothing is lost, and at most
the message that was in flight for a chat is sent twice.

Times are UTC text ``YYYY-MM-DD HH:MM:SS``, like SQLite's ``datetime('now')``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import sqlite_utils

from reactions import fold
from storage import languages
from storage.db import transaction
from storage.models import db_time as format_time
from storage.models import utc_now

__all__ = [
    "DeliveryJob", "EditJob", "GROUP_MAX", "MAX_EDITS", "backlog_is_late", "PushBundle", "PushItem", "age_seconds", "claim_due", "claim_due_edits",
    "cluster_sources", "edit_age_seconds", "edit_counts", "mark_edit", "queue_edits", "deactivate_chat", "delivery_counts", "failed_deliveries",
    "fan_out", "fan_out_steps", "format_time", "prune", "load_items", "mark_failed", "mark_retry", "mark_sent", "migrate_chat",
    "pending_count", "recover_in_flight", "utc_now",
]


# --- what a push message needs ----------------------------------------------------------------------

@dataclass(frozen=True)
class PushItem:
    """One cluster as a push shows it: the cluster and its first statement's article."""

    cluster_id: int
    speaker: str
    person: str | None
    reaction: str
    text: str
    quotes: tuple[str, ...]
    kind: str
    article_id: int | None
    title: str
    url: str | None
    outlet: str
    published_at: str | None
    first_seen_at: str | None
    sources: tuple[tuple[str, str], ...] = ()  # every outlet that carried the cluster: (name, language), first first


@dataclass(frozen=True)
class PushBundle:
    """What one push message carries: one or more clusters of one speaker from one article."""

    speaker: str
    items: tuple[PushItem, ...]

    @property
    def article(self) -> PushItem:
        return self.items[0]


@dataclass(frozen=True)
class DeliveryJob:
    """One message to send: the claimed delivery rows of one chat, one article and one speaker."""

    chat_id: int
    chat_type: str
    lang: str
    delivery_ids: tuple[int, ...]
    attempts: int  # after this claim (1 on the first try)
    bundle: PushBundle
    timezone: str = "UTC"  # the chat's (``chats.timezone``): push times are shown in it
    grouped: bool = False  # the queue is late: the chat's pending statements of any article and speaker together
    deliveries: tuple[tuple[int, int], ...] = ()  # (cluster id, delivery id) of every claimed row, in claim order

    def delivery_ids_of(self, cluster_ids: Iterable[int]) -> tuple[int, ...]:
        """The claimed rows behind these clusters (one message of a grouped job shows some of them)."""
        wanted = set(cluster_ids)
        return tuple(d for c, d in self.deliveries if c in wanted)


# --- fan-out -----------------------------------------------------------------------------------------

def fan_out(db: sqlite_utils.Database, cluster_ids: Iterable[int] | None = None) -> int:
    """Enqueue one delivery per active chat whose subscriptions match each cluster not yet fanned out.

    A subscription matches when its speaker is the cluster's and its keyword is empty or occurs (folded,
    lower case) in the cluster's text or its statements' texts, and the chat's source languages include one
    of the cluster's (``chats.sources``). ``INSERT OR IGNORE`` on
    UNIQUE(chat_id, cluster_id) means a cluster is pushed once per chat however often it is seen again.
    The clusters are then marked ``fanned_out = 1``. All of it at once; :func:`fan_out_steps` does the same in
    bounded transactions, for a caller that must not be held for a whole fan-out.

    :param cluster_ids: only these clusters (still only those with ``fanned_out = 0``); default all.
    :returns: the number of deliveries inserted.
    """
    with transaction(db):
        return sum(fan_out_steps(db, cluster_ids, chunk=None))


FAN_OUT_CHUNK = 500  # deliveries per transaction in fan_out_steps (2,000 took 20-40 ms each on a loaded machine)


def fan_out_steps(db: sqlite_utils.Database, cluster_ids: Iterable[int] | None = None, *,
                  chunk: int | None = FAN_OUT_CHUNK) -> Iterator[int]:
    """:func:`fan_out` in steps: each yield is one committed transaction of at most ``chunk`` deliveries (its
    count), so a caller on the event loop can let other work run between them (one statement to 98,000
    subscribers held the bot for 1.2 s in one transaction). A cluster is marked fanned out after its last
    step; if the process stops in between, the next fan-out finishes it, and ``INSERT OR IGNORE`` keeps each
    chat's delivery single. ``chunk=None``: no limit (the caller's transaction holds it all).
    """
    conn = db.conn
    if cluster_ids is None:
        rows = conn.execute("SELECT id, speaker, text FROM clusters WHERE fanned_out = 0 ORDER BY id").fetchall()
    else:
        ids = sorted(set(int(i) for i in cluster_ids))
        rows = []
        for piece in _chunks(ids, 500):
            marks = ",".join("?" * len(piece))
            rows += conn.execute(f"SELECT id, speaker, text FROM clusters WHERE fanned_out = 0 AND id IN ({marks})"
                                 " ORDER BY id", piece).fetchall()
    subscribers: dict[str, list[tuple[int, str, str]]] = {}
    cluster_langs = languages.cluster_languages(db, [r[0] for r in rows])
    for cluster_id, speaker, cluster_text in rows:
        if speaker not in subscribers:
            subscribers[speaker] = [
                (chat_id, fold(keyword) if keyword else "", sources)
                for chat_id, keyword, sources in conn.execute(
                    "SELECT s.chat_id, s.keyword, c.sources FROM subscriptions s JOIN chats c ON c.id = s.chat_id "
                    "WHERE s.speaker = ? AND c.active = 1 ORDER BY s.chat_id", (speaker,))
            ]
        # a chat that chose one source language gets the clusters reported in it (storage.languages)
        subs = [(chat_id, keyword) for chat_id, keyword, sources in subscribers[speaker]
                if languages.accepts(sources, cluster_langs.get(cluster_id, ()))]
        haystack = None
        if any(keyword for _c, keyword in subs):
            texts = [cluster_text or ""] + [
                t for (t,) in conn.execute("SELECT text FROM statements WHERE cluster_id = ?", (cluster_id,))]
            haystack = fold("\n".join(texts))
        chats = sorted({chat_id for chat_id, keyword in subs
                        if not keyword or (haystack is not None and keyword in haystack)})
        for piece in _chunks(chats, chunk or max(1, len(chats))):
            with transaction(db):  # rowcount, not total_changes: triggers change rows too
                inserted = conn.executemany("INSERT OR IGNORE INTO deliveries (chat_id, cluster_id) VALUES (?, ?)",
                                            [(chat_id, cluster_id) for chat_id in piece]).rowcount
            yield inserted
        with transaction(db):
            conn.execute("UPDATE clusters SET fanned_out = 1 WHERE id = ?", (cluster_id,))


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- claiming ----------------------------------------------------------------------------------------

_FIRST_ARTICLE = ("(SELECT s.article_id FROM statements s WHERE s.cluster_id = d.cluster_id "
                  "ORDER BY s.id LIMIT 1)")


GROUP_MAX = 60  # deliveries one grouped job takes for a chat; the rest wait for the chat's next turn


def backlog_is_late(db: sqlite_utils.Database, now: str, backlog_limit: int) -> bool:
    """Whether the queue is late: sending what is due at ``now`` would take more than ``backlog_limit``
    messages. One message per due delivery sends the last one after (due) messages; grouping then costs every
    chat still waiting one more turn of the queue, up to one message per waiting chat (at most min(due, active
    chats)). So the queue is late when due + min(due, chats) > ``backlog_limit``: grouping starts while both
    waits still fit, rather than after one-by-one sending has used up the time. Both counts stop at
    ``backlog_limit + 1`` rows (indexes only). Read-only."""
    (due,) = db.conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ? LIMIT ?)",
        (now, backlog_limit + 1)).fetchone()
    if due > backlog_limit or due * 2 <= backlog_limit:
        return due > backlog_limit
    (active,) = db.conn.execute("SELECT count(*) FROM (SELECT 1 FROM chats WHERE active = 1 LIMIT ?)",
                                (backlog_limit - due + 1,)).fetchone()
    return due + min(due, active) > backlog_limit


def claim_due(db: sqlite_utils.Database, now: str, limit: int = 100, *,
              backlog_limit: int | None = None) -> list[DeliveryJob]:
    """Claim up to ``limit`` messages that are due: pending deliveries with ``next_attempt_at <= now``
    for active chats, at most one job per chat per call, the chats whose oldest due row is oldest first.

    The deliveries of one chat whose clusters' first statements come from the same article and speaker are
    claimed together and make one message. Claimed rows become ``sending`` with ``attempts + 1`` in the same
    transaction, so two senders never claim the same row.

    :param backlog_limit: how many deliveries the sender can send within the longest wait it allows
        (``[delivery] max_delay_minutes`` at Telegram's rate). When more are due (:func:`backlog_is_late`),
        sending them one article at a time would make the last chats wait longer than that, so each claimed
        chat's job takes all its due deliveries (up to :data:`GROUP_MAX`, oldest first), whatever their
        article and speaker, to go out together (``grouped`` when they are more than one article's). Every
        chat then needs one message per turn, and a turn of the queue takes about (chats waiting) / rate.
        None: never grouped.
    """
    conn = db.conn
    with transaction(db):
        grouped = backlog_limit is not None and backlog_is_late(db, now, backlog_limit)
        # The oldest due rows, in index order (status, next_attempt_at, rowid): cheap however long the queue.
        chats = list(dict.fromkeys(row[0] for row in conn.execute(
            "SELECT d.chat_id FROM deliveries d JOIN chats c ON c.id = d.chat_id AND c.active = 1 "
            "WHERE d.status = 'pending' AND d.next_attempt_at <= ? "
            "ORDER BY d.next_attempt_at, d.id LIMIT ?", (now, limit * 4))))[:limit]
        if not chats:
            return []
        groups: dict[int, list[tuple[int, int, int, tuple]]] = {}
        for chunk in _chunks(chats, 500):
            marks = ",".join("?" * len(chunk))
            for delivery_id, chat_id, cluster_id, attempts, speaker, article_id in conn.execute(
                    f"SELECT d.id, d.chat_id, d.cluster_id, d.attempts, cl.speaker, {_FIRST_ARTICLE} "
                    "FROM deliveries d JOIN clusters cl ON cl.id = d.cluster_id "
                    # unary + keeps the planner on UNIQUE(chat_id, ...) rather than scanning every due row
                    f"WHERE +d.status = 'pending' AND +d.next_attempt_at <= ? AND d.chat_id IN ({marks}) "
                    "ORDER BY d.next_attempt_at, d.id", (now, *chunk)):
                key = (article_id if article_id is not None else -cluster_id, speaker)
                groups.setdefault(chat_id, []).append((delivery_id, cluster_id, attempts, key))
        picked: list[tuple[int, list[tuple[int, int, int]]]] = []
        many: set[int] = set()  # chats whose job is grouped (more than one article's statements)
        for chat_id in chats:
            rows = groups.get(chat_id)
            if not rows:
                continue
            first_key = rows[0][3]
            if grouped and any(k != first_key for _d, _c, _a, k in rows):
                picked.append((chat_id, [(d, c, a) for d, c, a, _k in rows[:GROUP_MAX]]))
                many.add(chat_id)
                continue
            picked.append((chat_id, [(d, c, a) for d, c, a, k in rows if k == first_key]))
        ids = [d for _chat, rows in picked for d, _c, _a in rows]
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            conn.execute(f"UPDATE deliveries SET status = 'sending', attempts = attempts + 1 WHERE id IN ({marks})",
                         chunk)
        chat_info = {}
        for chunk in _chunks([c for c, _r in picked], 500):
            marks = ",".join("?" * len(chunk))
            for chat_id, chat_type, lang, timezone, sources in conn.execute(
                    f"SELECT id, type, lang, timezone, sources FROM chats WHERE id IN ({marks})", chunk):
                chat_info[chat_id] = (chat_type, lang, timezone or "UTC", languages.preferred(sources, lang))
        # a cluster reported in both languages is pushed in the chat's preferred one
        by_lang: dict[str, set[int]] = {}
        for chat_id, rows in picked:
            by_lang.setdefault(chat_info[chat_id][3], set()).update(c for _d, c, _a in rows)
        items = {prefer: load_items(db, ids, prefer=prefer) for prefer, ids in by_lang.items()}
    jobs = []
    for chat_id, rows in picked:
        chat_type, lang, timezone, prefer = chat_info[chat_id]
        chat_items = items[prefer]
        bundle_items = tuple(chat_items[c] for _d, c, _a in rows if c in chat_items)
        jobs.append(DeliveryJob(
            chat_id=chat_id, chat_type=chat_type, lang=lang, delivery_ids=tuple(d for d, _c, _a in rows),
            attempts=max(a for _d, _c, a in rows) + 1,
            bundle=PushBundle(speaker=bundle_items[0].speaker if bundle_items else "", items=bundle_items),
            timezone=timezone, grouped=chat_id in many, deliveries=tuple((c, d) for d, c, _a in rows)))
    return jobs


def load_items(db: sqlite_utils.Database, cluster_ids: Iterable[int], prefer: str | None = None) -> dict[int, PushItem]:
    """The cluster (speaker, person, reaction, text), its first statement's quotes and kind, and that
    statement's article (title, url, feed name, published/first seen), by cluster id. With ``prefer``
    ('ar' or 'en'), its first statement in that language when it has one. Read-only."""
    ids = sorted(set(cluster_ids))
    pick = ("(SELECT s2.id FROM statements s2 WHERE s2.cluster_id = cl.id "
            "ORDER BY coalesce(s2.lang = ?, 0) DESC, s2.id LIMIT 1)") if prefer else \
        "(SELECT MIN(s2.id) FROM statements s2 WHERE s2.cluster_id = cl.id)"
    out: dict[int, PushItem] = {}
    for chunk in _chunks(ids, 500):
        marks = ",".join("?" * len(chunk))
        for row in db.conn.execute(
                "SELECT cl.id, cl.speaker, cl.person, cl.reaction, cl.text, s.quotes, s.kind, s.text, s.person, "
                "a.id, a.title, a.url, f.name, f.url, a.published_at, a.first_seen_at "
                "FROM clusters cl "
                f"LEFT JOIN statements s ON s.id = {pick} "
                "LEFT JOIN articles a ON a.id = s.article_id "
                "LEFT JOIN feeds f ON f.id = a.feed_id "
                f"WHERE cl.id IN ({marks})", ([prefer] if prefer else []) + list(chunk)):
            (cid, speaker, person, reaction, text, quotes, kind, s_text, s_person, article_id, title, url,
             feed_name, feed_url, published, first_seen) = row
            try:
                quote_list = tuple(str(q) for q in json.loads(quotes or "[]") if str(q).strip())
            except (ValueError, TypeError):
                quote_list = ()
            out[cid] = PushItem(
                cluster_id=cid, speaker=speaker, person=person or s_person, reaction=reaction or "statement",
                text=s_text or text or "", quotes=quote_list, kind=kind or "reported", article_id=article_id,
                title=title or "", url=url, outlet=feed_name or _host(url or feed_url or ""),
                published_at=published, first_seen_at=first_seen)
    sources = cluster_sources(db, list(out))
    return {cid: replace(item, sources=sources.get(cid, ())) for cid, item in out.items()}


def cluster_sources(db: sqlite_utils.Database, cluster_ids: Sequence[int]) -> dict[int, tuple[tuple[str, str], ...]]:
    """The outlets that carried each cluster, ``(name, language)`` in the order they did (one entry per outlet
    and language; a feed without a name shows its host). Read-only."""
    out: dict[int, list[tuple[str, str]]] = {}
    for chunk in _chunks(sorted(set(cluster_ids)), 500):
        marks = ",".join("?" * len(chunk))
        for cid, feed_name, feed_url, lang in db.conn.execute(
                "SELECT s.cluster_id, f.name, f.url, coalesce(s.lang, a.lang, f.lang, '') FROM statements s "
                "JOIN articles a ON a.id = s.article_id JOIN feeds f ON f.id = a.feed_id "
                f"WHERE s.cluster_id IN ({marks}) ORDER BY s.id", chunk):
            entry = (feed_name or _host(feed_url or ""), lang or "")
            found = out.setdefault(cid, [])
            if entry not in found:
                found.append(entry)
    return {cid: tuple(entries) for cid, entries in out.items()}


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""


# --- marking -----------------------------------------------------------------------------------------

def _update(db: sqlite_utils.Database, ids: Iterable[int], sql: str, params: Sequence) -> None:
    ids = list(ids)
    with transaction(db):
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            db.conn.execute(sql.format(marks=marks), (*params, *chunk))


def mark_sent(db: sqlite_utils.Database, ids: Iterable[int], message_id: int | None, *, now: str | None = None,
              grouped: bool = False) -> None:
    """The message for these deliveries went out as ``message_id``; ``grouped``: a message of a grouped job
    (never edited afterwards, see :func:`queue_edits`)."""
    _update(db, ids, "UPDATE deliveries SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL, "
                     "grouped = ? WHERE id IN ({marks})", (message_id, now or utc_now(), int(grouped)))


def mark_retry(db: sqlite_utils.Database, ids: Iterable[int], error: str, next_attempt_at: str, *,
               count_attempt: bool = True) -> None:
    """Claimed (``sending``) rows back to ``pending``, not before ``next_attempt_at``; ``error`` is kept in
    ``last_error``. Rows in any other state are left as they are.

    :param count_attempt: False when the failure was not the message's (flood control, shutdown): the
        attempt the claim counted is given back, so a 429 storm never makes a delivery fail.
    """
    back = "" if count_attempt else ", attempts = max(0, attempts - 1)"
    # only claimed rows: a grouped job's messages already sent stay sent whatever happens to the rest
    _update(db, ids, "UPDATE deliveries SET status = 'pending', last_error = ?, next_attempt_at = ?" + back +
            " WHERE status = 'sending' AND id IN ({marks})", (error, next_attempt_at))


def age_seconds(db: sqlite_utils.Database, ids: Iterable[int], now: str | None = None) -> float:
    """Seconds since the oldest of these deliveries was enqueued (0 when none is found). Read-only."""
    oldest = None
    for chunk in _chunks(list(ids), 500):
        marks = ",".join("?" * len(chunk))
        (found,) = db.conn.execute(f"SELECT min(created_at) FROM deliveries WHERE id IN ({marks})", chunk).fetchone()
        if found is not None and (oldest is None or found < oldest):
            oldest = found
    if oldest is None:
        return 0.0
    parse = dt.datetime.fromisoformat
    return max(0.0, (parse(now or utc_now()) - parse(oldest)).total_seconds())


def mark_failed(db: sqlite_utils.Database, ids: Iterable[int], error: str) -> None:
    """Given up: ``failed`` with ``last_error`` (kept and visible, never retried)."""
    _update(db, ids, "UPDATE deliveries SET status = 'failed', last_error = ? WHERE id IN ({marks})", (error,))


def deactivate_chat(db: sqlite_utils.Database, chat_id: int, reason: str) -> int:
    """The bot can no longer write to the chat (blocked, kicked, deleted): mark it inactive with ``reason`` and
    its pending or in-flight deliveries ``failed`` with that reason (kept, so nothing is silently lost).

    :returns: the number of deliveries failed.
    """
    with transaction(db):
        db.conn.execute("UPDATE chats SET active = 0, inactive_reason = ? WHERE id = ?", (reason, chat_id))
        cur = db.conn.execute("UPDATE deliveries SET status = 'failed', last_error = ? "
                              "WHERE chat_id = ? AND status IN ('pending', 'sending')",
                              (f"chat inactive: {reason}", chat_id))
        return cur.rowcount


def migrate_chat(db: sqlite_utils.Database, old_id: int, new_id: int) -> None:
    """A group became a supergroup: move the chat, its subscriptions and deliveries to ``new_id``
    (ON UPDATE CASCADE carries the rows). If ``new_id`` exists already, the old chat's subscriptions and
    deliveries are merged into it (duplicates dropped) and the old chat removed."""
    conn = db.conn
    with transaction(db):
        if conn.execute("SELECT 1 FROM chats WHERE id = ?", (new_id,)).fetchone() is None:
            conn.execute("UPDATE chats SET id = ? WHERE id = ?", (new_id, old_id))
            return
        conn.execute("UPDATE OR IGNORE subscriptions SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))
        conn.execute("UPDATE OR IGNORE deliveries SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))
        conn.execute("UPDATE OR IGNORE digests_sent SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))
        conn.execute("DELETE FROM chats WHERE id = ?", (old_id,))


def recover_in_flight(db: sqlite_utils.Database) -> int:
    """At start-up: deliveries and edits left ``sending`` by a crash go back to ``pending`` (due now).

    :returns: how many were recovered.
    """
    with transaction(db):
        cur = db.conn.execute("UPDATE deliveries SET status = 'pending', next_attempt_at = ? "
                              "WHERE status = 'sending'", (utc_now(),))
        edits = db.conn.execute("UPDATE edits SET status = 'pending', next_attempt_at = ? WHERE status = 'sending'",
                                (utc_now(),))
        return cur.rowcount + edits.rowcount


def pending_count(db: sqlite_utils.Database) -> int:
    """Deliveries not yet sent nor given up (``pending`` or ``sending``), up to :data:`COUNT_CAP`. Read-only."""
    return capped_count(db, "status IN ('pending', 'sending')")


COUNT_CAP = 100_000  # counts of deliveries stop here: counting millions of index entries took 250-380 ms


def capped_count(db: sqlite_utils.Database, condition: str, cap: int = COUNT_CAP) -> int:
    """Deliveries matching ``condition`` (a fixed SQL condition, never user input), counted up to ``cap``
    through the status index: a figure for an operator, exact below ``cap``. Read-only."""
    return db.conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM deliveries WHERE {condition} LIMIT ?)",
                           (cap,)).fetchone()[0]


def delivery_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Deliveries by status (every status present, 0 when none). Read-only."""
    counts = dict.fromkeys(("pending", "sending", "sent", "failed", "dropped"), 0)
    for status, count in db.conn.execute("SELECT status, COUNT(*) FROM deliveries GROUP BY status"):
        counts[status] = count
    return counts


def failed_deliveries(db: sqlite_utils.Database, limit: int = 20) -> list[dict]:
    """The most recent failed deliveries with their chat and last error, newest first. Read-only."""
    return [dict(zip(("id", "chat_id", "cluster_id", "attempts", "last_error", "created_at"), row, strict=True))
            for row in db.conn.execute(
                "SELECT id, chat_id, cluster_id, attempts, last_error, created_at FROM deliveries "
                "WHERE status = 'failed' ORDER BY id DESC LIMIT ?", (limit,))]


# --- edits: a pushed message lists the outlets that carried its statements ---------------------------

MAX_EDITS = 5  # edits sent per message at most: later reports are still stored, shown in /latest and the digest


@dataclass(frozen=True)
class EditJob:
    """One message to edit: a push already sent to ``chat_id`` as ``message_id``, re-rendered with its
    clusters' current sources."""

    edit_id: int
    chat_id: int
    chat_type: str
    lang: str
    message_id: int
    attempts: int  # after this claim
    bundle: PushBundle
    timezone: str = "UTC"


def queue_edits(db: sqlite_utils.Database, max_edits: int = MAX_EDITS) -> int:
    """Enqueue an edit for every sent push of a cluster that later reports joined (``clusters.edit_due``).

    One open edit per message (it renders the sources current when it goes out, so several joins make one
    edit); none once ``max_edits`` edits of the message were sent. A cluster whose pushes are still in flight
    keeps ``edit_due`` for the next call (what is in flight was rendered before the join); one with pending
    pushes needs no edit for those (they render the sources when they go out). A grouped message (sent while
    the queue was late) is not edited: the messages an edit costs are what the queue lacks then.

    :returns: the number of edits enqueued.
    """
    conn = db.conn
    inserted = 0
    with transaction(db):
        due = [row[0] for row in conn.execute("SELECT id FROM clusters WHERE edit_due = 1 ORDER BY id")]
        for cluster_id in due:
            if conn.execute("SELECT 1 FROM deliveries WHERE cluster_id = ? AND status = 'sending' LIMIT 1",
                            (cluster_id,)).fetchone():
                continue
            for chat_id, message_id in conn.execute(
                    "SELECT d.chat_id, d.message_id FROM deliveries d JOIN chats c ON c.id = d.chat_id AND c.active = 1 "
                    "WHERE d.cluster_id = ? AND d.status = 'sent' AND d.message_id IS NOT NULL AND d.grouped = 0",
                    (cluster_id,)).fetchall():
                (sent,) = conn.execute("SELECT count(*) FROM edits WHERE chat_id = ? AND message_id = ? "
                                       "AND status = 'sent'", (chat_id, message_id)).fetchone()
                if sent >= max_edits:
                    continue
                before = conn.total_changes
                conn.execute("INSERT OR IGNORE INTO edits (chat_id, message_id, next_attempt_at) VALUES (?, ?, ?)",
                             (chat_id, message_id, utc_now()))
                inserted += conn.total_changes - before
            conn.execute("UPDATE clusters SET edit_due = 0 WHERE id = ?", (cluster_id,))
    return inserted


def claim_due_edits(db: sqlite_utils.Database, now: str, limit: int = 100) -> list[EditJob]:
    """Claim up to ``limit`` due edits (one per chat), ``sending`` with ``attempts + 1``, each with the
    clusters its message shows (the deliveries sent as that message) loaded afresh."""
    conn = db.conn
    with transaction(db):
        rows = conn.execute(
            "SELECT e.id, e.chat_id, e.message_id, e.attempts, c.type, c.lang, c.timezone, c.sources FROM edits e "
            "JOIN chats c ON c.id = e.chat_id AND c.active = 1 "
            "WHERE e.status = 'pending' AND e.next_attempt_at <= ? ORDER BY e.next_attempt_at, e.id LIMIT ?",
            (now, limit * 4)).fetchall()
        picked, chats = [], set()
        for row in rows:
            if row[1] not in chats and len(picked) < limit:
                chats.add(row[1])
                picked.append(row)
        jobs = []
        for edit_id, chat_id, message_id, attempts, chat_type, lang, timezone, sources in picked:
            conn.execute("UPDATE edits SET status = 'sending', attempts = attempts + 1 WHERE id = ?", (edit_id,))
            cluster_ids = [r[0] for r in conn.execute(
                "SELECT cluster_id FROM deliveries WHERE chat_id = ? AND message_id = ? ORDER BY id",
                (chat_id, message_id))]
            items = load_items(db, cluster_ids, prefer=languages.preferred(sources, lang))
            bundle_items = tuple(items[c] for c in cluster_ids if c in items)
            jobs.append(EditJob(edit_id=edit_id, chat_id=chat_id, chat_type=chat_type, lang=lang,
                                message_id=message_id, attempts=attempts + 1,
                                bundle=PushBundle(speaker=bundle_items[0].speaker if bundle_items else "",
                                                  items=bundle_items), timezone=timezone or "UTC"))
    return jobs


def mark_edit(db: sqlite_utils.Database, edit_id: int, status: str, error: str | None = None,
              next_attempt_at: str | None = None, *, count_attempt: bool = True) -> None:
    """An edit went out (``sent``), must wait (``pending`` until ``next_attempt_at``) or was given up
    (``failed``, with ``error`` kept)."""
    if status not in ("sent", "pending", "failed"):
        raise ValueError(f"unknown edit status {status!r}")
    back = "" if count_attempt or status != "pending" else ", attempts = max(0, attempts - 1)"
    with transaction(db):
        db.conn.execute(
            "UPDATE edits SET status = ?, last_error = ?, next_attempt_at = coalesce(?, next_attempt_at), "
            "sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END" + back + " WHERE id = ?",
            (status, error, next_attempt_at, status, utc_now(), edit_id))


def edit_age_seconds(db: sqlite_utils.Database, edit_id: int, now: str | None = None) -> float:
    """Seconds since the edit was enqueued (0 when it is not found). Read-only."""
    row = db.conn.execute("SELECT created_at FROM edits WHERE id = ?", (edit_id,)).fetchone()
    if row is None:
        return 0.0
    parse = dt.datetime.fromisoformat
    return max(0.0, (parse(now or utc_now()) - parse(row[0])).total_seconds())


def edit_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Edits by status (every status present, 0 when none). Read-only."""
    counts = dict.fromkeys(("pending", "sending", "sent", "failed", "dropped"), 0)
    for status, count in db.conn.execute("SELECT status, COUNT(*) FROM edits GROUP BY status"):
        counts[status] = count
    return counts


# --- pruning -----------------------------------------------------------------------------------------

PRUNE_CHUNK = 5000


def prune(db: sqlite_utils.Database, before: str, *, chunk: int = PRUNE_CHUNK) -> Iterator[int]:
    """Delete what is only history: deliveries sent before ``before`` (UTC text) and digest records of days
    before it, ``chunk`` rows per transaction (each yield is one committed step, so a caller on the event loop
    can let other work run between them). Failed deliveries stay (they are shown in /status). A pruned
    delivery's cluster is fanned out already and never again, so nobody gets it twice.
    """
    conn = db.conn
    while True:
        with transaction(db):
            # next_attempt_at <= sent_at for a sent row: it bounds the (status, next_attempt_at) index range
            removed = conn.execute(
                "DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE status = 'sent' "
                "AND next_attempt_at < ? AND sent_at < ? LIMIT ?)", (before, before, chunk)).rowcount
        yield removed
        if removed < chunk:
            break
    day = before[:10]
    while True:
        with transaction(db):
            removed = conn.execute(
                "DELETE FROM digests_sent WHERE rowid IN (SELECT rowid FROM digests_sent WHERE day < ? LIMIT ?)",
                (day, chunk)).rowcount
        yield removed
        if removed < chunk:
            break
