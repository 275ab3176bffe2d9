"""The daily digest: per chat, at the chat's local digest time, the statements of the past day from the
speakers it follows, split into messages at Telegram's limit.

Scheduling: ONE repeating job (every minute) asks storage which chats' local digest time has passed today
with no ``digests_sent`` row for that local day (:func:`storage.chats.chats_due_for_digest`), sends their
digests and records them. Compared with one ``run_daily`` job per chat this survives restarts (a digest due
while the service was down goes out when it comes back, and one already sent is not repeated), follows
/digest changes and timezone/DST rules without rescheduling anything, and keeps no per-chat jobs in memory.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import sqlite_utils

from bot import render
from bot.chart import DIGEST_DAYS, caption, chart_spec
from bot.sender import ChatGone, ChatMoved, RetryLater, SendError, limiter_for
from feeds.asyncdb import AsyncDB
from reactions import fold as reactions_fold
from storage import chats, languages, queries
from storage.outbox import migrate_chat

log = logging.getLogger(__name__)

JOB_NAME = "digest"
INTERVAL = 60


def digest_views(db: sqlite_utils.Database, chat_id: int, window_start: str, window_end: str,
                 fold: Callable[[str], str] | None = None) -> list[queries.ClusterView]:
    """The clusters a chat's digest lists: those of the speakers it follows first seen in the window, in the
    chat's source languages (each shown in its preferred language); a speaker followed only with keywords
    contributes the statements mentioning one of them."""
    return _views(db, chats.subscriptions_of(db, chat_id), chats.chat_by_id(db, chat_id), window_start, window_end,
                  fold)


def _views(db: sqlite_utils.Database, subs: Sequence[chats.Subscription], chat: chats.Chat | None,
           window_start: str, window_end: str, fold: Callable[[str], str] | None = None,
           shared: dict | None = None) -> list[queries.ClusterView]:
    if not subs:
        return []
    keywords: dict[str, list[str] | None] = {}
    for sub in subs:
        if not sub.keyword:
            keywords[sub.speaker] = None
        elif keywords.get(sub.speaker, []) is not None:
            keywords.setdefault(sub.speaker, []).append(sub.keyword)
    views = queries.digest_clusters(db, window_start, window_end, sorted(keywords), shared)
    if chat is not None:  # the chat's source languages, each cluster in its preferred one
        views = languages.localize(db, views, chat.sources, chat.lang, shared)
    if all(k is None for k in keywords.values()):
        return views
    fold = fold or reactions_fold
    kept = []
    for view in views:
        words = keywords.get(view.speaker)
        if words is None or any(fold(w) in fold(view.text) for w in words):
            kept.append(view)
    return kept


_BLOCKS = ("rendered statements",)  # the key of the blocks in a round's shared dict (digests' keys are longer)


def digest_messages(db: sqlite_utils.Database, due: chats.DigestDue, names: render.Names,
                    shared: dict[tuple, Any] | None = None) -> list[str]:
    """The digest's messages for one due chat (empty when there is nothing to report).

    :param shared: digests already made in this round, by what decides them (window, day, timezone, the chat's
        language and sources, its subscriptions): chats with the same combination (at a hundred thousand
        chats, about one in twenty is distinct) share one query and one rendering; and each speaker's clusters,
        each cluster as a chat's languages show it, and the statements rendered for them
        (:func:`storage.queries.digest_clusters`, :func:`storage.languages.localize`, :func:`bot.render.digest`'s
        ``blocks``), which chats following other mixes of the same speakers reuse.
    """
    subs = chats.subscriptions_of(db, due.chat_id)
    chat = chats.chat_by_id(db, due.chat_id)
    key = (due.window_start, due.window_end, due.day, due.timezone, due.lang, chat.sources if chat else None,
           tuple((sub.speaker, sub.keyword) for sub in subs))
    if shared is not None and key in shared:
        return shared[key]
    views = _views(db, subs, chat, due.window_start, due.window_end, shared=shared)
    blocks = shared.setdefault(_BLOCKS, {}) if shared is not None else None
    parts = render.digest(due.day, views, due.lang, names, due.timezone, blocks=blocks) if views else []
    if shared is not None:
        shared[key] = parts
    return parts


async def send_due_digests(db: sqlite_utils.Database | AsyncDB, sink: Any, names: render.Names,
                           now: dt.datetime | None = None) -> int:
    """Send every digest that is due through ``sink`` (``async send(chat_id, html)``); returns how many.

    The storage work (which chats are due, their digests' queries and rendering, the records) runs in the
    database threads (:class:`feeds.asyncdb.AsyncDB`), off the event loop. A digest is recorded as sent once its first message went out (a failure later in a multi-part digest is
    logged, not retried, so nobody gets the beginning twice). Retryable errors leave it unrecorded: the next
    tick tries again. A chat that is gone is deactivated.
    """
    store = AsyncDB.of(db)
    limiter = limiter_for(sink)
    now = now or dt.datetime.now(dt.UTC)
    sent = 0
    shared: dict[tuple, Any] = {}
    async for due in _due_chats(store, now):
        parts = await store.read(digest_messages, due, names, shared)
        if not parts:
            await store.write(chats.mark_digest_sent, due.chat_id, due.day)
            continue
        delivered = 0
        try:
            for part in parts:
                await limiter.acquire(due.chat_id, "private" if due.chat_id > 0 else "group")
                await sink.send(due.chat_id, part)
                delivered += 1
        except RetryLater as exc:
            log.info("digest for chat %s: retry later (%s)", due.chat_id, exc)
            if delivered == 0:
                continue
        except ChatGone as exc:
            log.info("digest for chat %s: chat gone (%s); deactivating it", due.chat_id, exc)
            await store.write(chats.deactivate_chat, due.chat_id, str(exc) or "chat gone")
            continue
        except ChatMoved as exc:
            new_id = getattr(exc, "new_chat_id", None)
            log.info("digest for chat %s: moved to %s", due.chat_id, new_id)
            if new_id is not None and delivered == 0:
                await store.write(migrate_chat, due.chat_id, new_id)
                continue
        except SendError:
            log.warning("digest for chat %s failed after %d of %d messages", due.chat_id, delivered, len(parts),
                        exc_info=True)
            if delivered == 0:
                continue
        await store.write(chats.mark_digest_sent, due.chat_id, due.day)
        sent += 1
        if delivered == len(parts):
            await send_digest_chart(store, sink, names, due, now)
    return sent


async def _due_chats(store: AsyncDB, now: dt.datetime) -> AsyncIterator[chats.DigestDue]:
    """The chats whose digest is due, a page at a time (each page one short call on the writer thread, which
    records when each chat it read is due next), until a page comes back short."""
    while True:
        page = await store.write(chats.chats_due_for_digest, now, limit=chats.DIGEST_PAGE)
        for due in page:
            yield due
        if len(page) < chats.DIGEST_PAGE:
            return


async def send_digest_chart(db: sqlite_utils.Database | AsyncDB, sink: Any, names: render.Names,
                            due: chats.DigestDue, now: dt.datetime) -> bool:
    """After a chat's digest, a small chart of its speakers' statements per day over the last week, when the
    chat asked for it (/digest chart on) and the sink can send pictures. A failure is logged, not retried: the
    digest itself went out."""
    store = AsyncDB.of(db)
    chat = await store.read(chats.chat_by_id, due.chat_id)
    if chat is None or not chat.digest_chart or not hasattr(sink, "send_photo"):
        return False
    subs = await store.read(chats.subscriptions_of, due.chat_id)
    speakers = sorted({s.speaker for s in subs} & set(names.tracked))
    if not speakers:
        return False
    spec = await store.read(chart_spec, names, chat.lang, speaker=None, topic=None, days=DIGEST_DAYS, now=now,
                            small=True, speakers=speakers)
    png = await asyncio.to_thread(spec.png)
    try:
        await sink.send_photo(due.chat_id, png, caption(spec.data, names, chat.lang, spec.title))
    except SendError:
        log.warning("the digest chart for chat %s could not be sent", due.chat_id, exc_info=True)
        return False
    return True


def schedule_digest(job_queue: Any, db: sqlite_utils.Database | AsyncDB, sink: Any, names: render.Names,
                    first: float = 5.0) -> Any:
    """Start the one repeating digest job (every minute) on ``job_queue``; returns the Job."""

    async def tick(context: Any) -> None:
        sent = await send_due_digests(db, sink, names)
        if sent:
            log.info("sent %d daily digests", sent)

    for job in job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    return job_queue.run_repeating(tick, interval=INTERVAL, first=first, name=JOB_NAME,
                                   job_kwargs={"max_instances": 1, "coalesce": True})


def preview(db: sqlite_utils.Database, chat_id: int, names: render.Names, lang: str = "en",
            now: dt.datetime | None = None, speakers: Sequence[str] | None = None) -> list[str]:
    """The digest a chat would get for the 24 hours up to ``now`` (console mode's preview)."""
    now = now or dt.datetime.now(dt.UTC)
    end = now + dt.timedelta(seconds=1)
    start = chats.utc_text(end - dt.timedelta(days=1))
    views = digest_views(db, chat_id, start, chats.utc_text(end))
    if speakers is not None:
        views = [v for v in views if v.speaker in speakers]
    return render.digest(now.date().isoformat(), views, lang, names)
