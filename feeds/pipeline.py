"""The orchestrator: :func:`refresh_feed` reads top to bottom like Miniflux's ``RefreshFeed``.

fetch (conditional) -> parse (worker pool, time-limited) -> recognise entries whose guid changed by
their link -> skip unchanged entries -> full text for summary-only entries (public addresses only,
:mod:`feeds.addresses`) -> statements (reactions, or the feed's own speaker) -> store
(storage.save_article, with the entry's identifying link) -> record the poll on the feed row
(validators, errors, backoff, Retry-After, permanent redirects).
This is the only module of ``feeds/`` that calls storage; every failure ends up as a readable
message on the feed row, never as an exception out of :func:`refresh_feed`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

import sqlite_utils

import reactions
import storage
from config import Config, FetchConfig
from feeds.addresses import PageGuard
from feeds.addresses import page_allowed as page_allowed  # re-exported: the check lived here before
from feeds.asyncdb import AsyncDB
from feeds.errors import FeedError, short
from feeds.fetch import Fetcher
from feeds.fulltext import fetch_full_text
from feeds.models import Entry, FeedResult, FetchResult, PollSummary
from feeds.parse import parse_off_loop
from feeds.text import lead
from reactions.clustering import read_time
from reactions.model import Statement
from reactions.reaction_types import classify
from storage.articles import articles_by_links, rekey_article
from storage.errors import AlreadyExists, StorageError
from storage.models import FeedRow, NewArticle, SaveResult, db_time

log = logging.getLogger(__name__)

MAX_BACKOFF = 86400  # a failing feed is still tried once a day
MAX_RETRY_AFTER = 7 * 86400  # a server asking for more than a week is not obeyed beyond a week
DEFAULT_PARALLEL = 16  # feeds refreshed at once by poll_once (bodies are held in memory while parsed)
SPEAKER_REACTION = "announcement"
MAX_FRESH_ON_FIRST_POLL = 20  # more "new" items than this on a first poll: a feed dating items by fetch time
MAX_ITEMS_PER_POLL = 2000  # new or changed items handled in one poll; a longer feed goes on at the next poll
MIN_PAGE_BUDGET, MAX_PAGE_BUDGET = 15.0, 120.0  # seconds a poll may wait for article pages (2 x fetch.timeout)
STORE_BATCH = 50  # items stored together as their pages arrive
STORE_EVERY = 2.0  # seconds: and at least this often
FUTURE_SLACK = 600  # seconds: an item dated later than this after the poll started is not trusted as news


def utcnow() -> dt.datetime:
    """The current UTC time, without microseconds."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def parse_db_time(text: str | None) -> dt.datetime | None:
    """The inverse of :func:`db_time` (:func:`reactions.clustering.read_time`, aware); None for None or an
    unreadable value."""
    moment = read_time(text)
    return moment.replace(tzinfo=dt.UTC) if moment else None


def backoff_seconds(interval: int, failures: int, retry_after: float | None = None) -> float:
    """Seconds until the next try after ``failures`` consecutive failures.

    The interval doubles with each failure (``interval * 2**failures``) up to a day (or the interval
    itself when that is longer); a ``Retry-After`` asks for at least that long (capped at a week).
    """
    failures = max(1, failures)
    delay = float(min(interval * 2 ** min(failures, 30), max(MAX_BACKOFF, interval)))
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay


def is_due(feed: FeedRow, now: dt.datetime) -> bool:
    """Whether a scheduled job firing at ``now`` should poll ``feed``.

    ``next_poll_at`` is set one interval after the last poll started, so a job firing on its regular
    tick is due even with jitter; only backoff and Retry-After (which push it further) make it wait.
    Half an interval of slack absorbs the jitter.
    """
    next_at = parse_db_time(getattr(feed, "next_poll_at", None))
    if next_at is None:
        return True
    slack = dt.timedelta(seconds=max(1.0, feed.interval / 2))
    return next_at <= now + slack


@dataclass(frozen=True)
class _Prepared:
    entry: Entry
    text: str
    lang: str
    published: str
    page_fetched: bool


async def refresh_feed(db: sqlite_utils.Database | AsyncDB, feed: FeedRow, client: Fetcher, settings: FetchConfig, *,
                       allow_private: bool = False, push_backlog: bool = True) -> FeedResult:
    """Poll one feed and store what is new; never raises (except cancellation).

    :param db: the store: an :class:`feeds.asyncdb.AsyncDB` (every storage call runs in its threads, off the
        event loop), or the ``sqlite_utils.Database`` from ``storage.db.open_db`` (then the AsyncDB kept with it).
    :param feed: a ``storage.models.FeedRow``.
    :param client: the shared :class:`Fetcher`.
    :param settings: ``config.fetch`` (``full_text_min_chars`` decides which entries get their page).
    :param allow_private: fetch article pages on private addresses even for a public feed
        (``config.telegram.allow_private_feed_urls``; see :mod:`feeds.addresses`).
    :param push_backlog: push the statements found in the feed's first successful poll; when False
        (``[delivery].push_backlog``) the new clusters of its items dated before the feed was added (or
        undated) are stored as held back, so adding a feed does not flood subscribers with its old items,
        while items published after it was added are pushed (see :func:`_fresh_on_first_poll`).
    :returns: a :class:`FeedResult` (outcome ``ok``, ``not_modified`` or ``failed``).
    """
    started = utcnow()
    store = AsyncDB.of(db)
    try:
        return await _refresh(store, feed, client, settings, started, allow_private, push_backlog)
    except asyncio.CancelledError:
        raise
    except FeedError as exc:
        return await _failed(store, feed, started, exc.message, status=exc.status,
                             retry_after=getattr(exc, "retry_after", None))
    except Exception as exc:  # noqa: BLE001 - recorded on the feed row; the other feeds go on
        log.exception("feed %s: unexpected error", feed.url)
        return await _failed(store, feed, started, f"internal error: {type(exc).__name__}: {short(str(exc), 120)}")


async def _refresh(db: AsyncDB, feed: FeedRow, client: Fetcher, settings: FetchConfig, started: dt.datetime,
                   allow_private: bool = False, push_backlog: bool = True) -> FeedResult:
    # Every hop of the feed's own fetch passes the same address check as its pages (see feeds.addresses).
    guard = PageGuard(feed.url, allow_private=allow_private, timeout=settings.timeout,
                      trusted=feed.origin != "bot")
    fetched = await client.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified,
                                 allow=guard.allowed, public_only=await guard.public_only())
    next_poll = db_time(started + dt.timedelta(seconds=feed.interval))
    if fetched.not_modified:
        await db.write(_record_success, feed, fetched, next_poll)
        return FeedResult(feed.id, feed.url, "not_modified", status=304, new_url=fetched.permanent_url,
                          next_poll_at=next_poll)

    parsed = await parse_off_loop(fetched.body, content_type=fetched.content_type, url=fetched.final_url)
    entries = parsed.entries
    known = await db.write(_known, feed.id, entries) if entries else {}
    todo = [e for e in entries if known.get(e.key) != e.content_hash]
    if len(todo) > MAX_ITEMS_PER_POLL:
        # The rest waits for the next poll, which must then fetch the whole document again (no validators).
        log.warning("feed %s: %d new or changed items; handling the first %d this poll", feed.url, len(todo),
                    MAX_ITEMS_PER_POLL)
        todo = todo[:MAX_ITEMS_PER_POLL]
        fetched = dataclasses.replace(fetched, etag=None, last_modified=None)
    seen_at = db_time(started)
    first_seen = await db.read(_first_seen_of_undated, feed.id, todo, known)
    first_poll = not push_backlog and feed.last_success_at is None  # the first poll: its backlog
    fresh = _fresh_on_first_poll(feed, todo, started) if first_poll else set()
    totals = _Totals()

    async def store(items: Sequence[_Prepared]) -> None:
        found = await _statements(feed, items)
        # One batch of entries in one transaction (one commit instead of one per entry; a failure stores none
        # of them, and the next poll tries them again), on the database's writer thread.
        for saved, item in zip(await db.write(_save_batch, feed.id, items, found, seen_at, first_poll, fresh),
                               items, strict=True):
            totals.add(saved, item.page_fetched)

    # The items whose own text is enough are stored at once; those waiting for their article page follow as
    # the pages arrive, within the poll's page budget (then with the feed's own text).
    waiting = [e for e in todo if _wants_page(feed, e, settings)]
    waiting_keys = {id(e) for e in waiting}
    ready = [e for e in todo if id(e) not in waiting_keys]
    # language detection (about 1.5 ms an entry) in a thread: a first poll of 100 items held the loop for it
    now_ready = await asyncio.to_thread(
        lambda: [_prepared(feed, e, e.text, False, seen_at, parsed.language, first_seen) for e in ready]) \
        if ready else []
    if now_ready:
        await store(now_ready)
    if waiting:
        await _with_pages(feed, waiting, client, settings, seen_at, parsed.language, first_seen, guard, store)
    new, changed, statements_new = totals.new, totals.changed, totals.statements
    new_clusters, cluster_ids = totals.new_clusters, totals.cluster_ids

    await db.write(_record_success, feed, fetched, next_poll)
    log.debug("feed %s: %d entries, %d new, %d changed, %d statements", feed.url, len(entries), new, changed,
              statements_new)
    return FeedResult(
        feed.id, feed.url, "ok", status=fetched.status, entries=len(entries), new_articles=new,
        changed_articles=changed, new_statements=statements_new, new_clusters=tuple(new_clusters),
        cluster_ids=tuple(cluster_ids), pages_fetched=totals.pages,
        new_url=fetched.permanent_url, next_poll_at=next_poll,
    )


class _Totals:
    """What one poll stored, added up batch by batch."""

    def __init__(self) -> None:
        self.new = self.changed = self.statements = self.pages = 0
        self.new_clusters: list[int] = []
        self.cluster_ids: list[int] = []

    def add(self, saved: SaveResult, page_fetched: bool) -> None:
        self.new += saved.status == "new"
        self.changed += saved.status == "changed"
        self.statements += saved.statements_new
        self.pages += page_fetched
        self.new_clusters.extend(c for c in saved.clusters_new if c not in self.new_clusters)
        self.cluster_ids.extend(c for c in saved.cluster_ids if c not in self.cluster_ids)


def page_budget(settings: FetchConfig) -> float:
    """Seconds one poll may spend waiting for article pages (after its items without pages are stored)."""
    return min(MAX_PAGE_BUDGET, max(MIN_PAGE_BUDGET, 2 * settings.timeout))


def _wants_page(feed: FeedRow, entry: Entry, settings: FetchConfig) -> bool:
    return (bool(feed.fetch_pages) and settings.full_text_min_chars > 0 and bool(entry.link)
            and len(entry.text) < settings.full_text_min_chars)


def _prepared(feed: FeedRow, entry: Entry, text: str, page: bool, seen_at: str, feed_language: str | None,
              first_seen: dict[str, str]) -> _Prepared:
    lang = feed.lang or _detect_language(f"{entry.title}\n{text}") or feed_language or "en"
    return _Prepared(entry, text, lang, entry.published or first_seen.get(entry.key) or seen_at, page)


async def _with_pages(feed: FeedRow, entries: Sequence[Entry], client: Fetcher, settings: FetchConfig, seen_at: str,
                      feed_language: str | None, first_seen: dict[str, str], guard: PageGuard | None,
                      store: Callable[[Sequence[_Prepared]], Awaitable[None]]) -> None:
    """Fetch the article pages of ``entries`` concurrently (the fetcher's per-host slots bound them, behind
    feed documents) and ``store`` the entries in batches as their pages arrive. When the poll's
    :func:`page_budget` is spent, the entries still waiting are stored with the feed's own text."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + page_budget(settings)

    async def one(entry: Entry) -> _Prepared:
        text, page = entry.text, False
        full = await fetch_full_text(client, entry.link or "", allow=guard.allowed if guard else None,
                                     public_only=await guard.public_only() if guard else False)
        if full and len(full) > len(text):
            text, page = full, True
        return _prepared(feed, entry, text, page, seen_at, feed_language, first_seen)

    tasks = {asyncio.ensure_future(one(e)): e for e in entries}
    pending = set(tasks)
    batch: list[_Prepared] = []
    flushed = loop.time()
    try:
        while pending and loop.time() < deadline:
            done, pending = await asyncio.wait(pending, timeout=min(deadline - loop.time(), STORE_EVERY),
                                               return_when=asyncio.FIRST_COMPLETED)
            batch.extend(task.result() for task in done)
            if batch and (len(batch) >= STORE_BATCH or not pending or loop.time() - flushed >= STORE_EVERY):
                await store(batch)
                batch, flushed = [], loop.time()
    finally:
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
    late = [_prepared(feed, tasks[task], tasks[task].text, False, seen_at, feed_language, first_seen)
            for task in pending]
    if late:
        log.info("feed %s: %d article pages not fetched within the poll's %gs page budget; stored with the "
                 "feed's text", feed.url, len(late), page_budget(settings))
    if batch or late:
        await store(batch + late)


def _fresh_on_first_poll(feed: FeedRow, entries: Sequence[Entry], started: dt.datetime) -> set[str]:
    """Keys of the entries of a feed's first poll that are news, not backlog: dated after the feed was added
    (``feeds.created_at``) and not in the future. The first poll may come long after the feed was added
    (a site down at start, a slow first round); what was published meanwhile is pushed like any new item.

    Undated items are backlog (their date is the first poll). So are all of them when more than
    :data:`MAX_FRESH_ON_FIRST_POLL` claim to be fresh: a feed that stamps every item with the fetch time
    would otherwise flood its subscribers the moment it is added.
    """
    added = parse_db_time(getattr(feed, "created_at", None))
    if added is None:
        return set()
    latest = started + dt.timedelta(seconds=FUTURE_SLACK)
    fresh = set()
    for entry in entries:
        published = parse_db_time(entry.published)
        if published is not None and added <= published <= latest:
            fresh.add(entry.key)
    if len(fresh) > MAX_FRESH_ON_FIRST_POLL:
        log.warning("feed %s: %d items of its first poll are dated after it was added; treating them all as "
                    "backlog (not pushed)", feed.url, len(fresh))
        return set()
    return fresh


def _save_batch(db: sqlite_utils.Database, feed_id: int, items: Sequence[_Prepared],
                found: Sequence[Sequence[Statement]], seen_at: str, first_poll: bool, fresh: set[str]) -> list:
    """Store a batch of prepared entries and their statements in one transaction; the ``SaveResult`` of each."""
    with storage.transaction(db):
        return [storage.save_article(db, _new_article(feed_id, item), statements, now=seen_at,
                                     link_key=item.entry.link_key, hold_back=first_poll and item.entry.key not in fresh)
                for item, statements in zip(items, found, strict=True)]


def _known(db: sqlite_utils.Database, feed_id: int, entries: Sequence[Entry]) -> dict[str, str]:
    """``entry_key -> content_hash`` of the entries stored already (by key, or by link: then re-keyed)."""
    known = storage.article_hashes(db, feed_id, [e.key for e in entries])
    known.update(_recognise_by_link(db, feed_id, entries, known))
    return known


def _recognise_by_link(db: sqlite_utils.Database, feed_id: int, entries: Sequence[Entry], known: dict[str, str]) -> dict[str, str]:
    """Entries with a new key whose identifying link is that of one stored article of the feed: the same
    article under a new key (a feed that regenerates guids on every fetch, a guid the feed changed once,
    or a key from before guid-first keys). That article is re-keyed to the entry's key, so it is updated,
    not stored again, and the next fetch finds it by key. Not when the stored article's own key is also
    in this fetch (then both items are live and distinct).

    :returns: ``entry_key -> content_hash`` of the re-keyed articles (to merge into ``known``).
    """
    unknown = [e for e in entries if e.key not in known and e.link_key]
    if not unknown:
        return {}
    current = {e.key for e in entries}
    stored = articles_by_links(db, feed_id, [e.link_key for e in unknown if e.link_key])
    rekeyed: dict[str, str] = {}
    taken: set[int] = set()
    for entry in unknown:
        old = stored.get(entry.link_key or "")
        if old is None or old.entry_key in current or old.id in taken:
            continue
        taken.add(old.id)
        try:
            rekey_article(db, old.id, entry.key)
        except StorageError:  # a key taken meanwhile: store the entry as new
            log.debug("feed %s: could not re-key article %d to %s", feed_id, old.id, entry.key, exc_info=True)
            continue
        log.debug("feed %s: %s is the stored %s (same link %s)", feed_id, entry.key, old.entry_key, entry.link_key)
        rekeyed[entry.key] = old.content_hash or ""
    return rekeyed


def _first_seen_of_undated(db: sqlite_utils.Database, feed_id: int, todo: Sequence[Entry], known: dict[str, str]) -> dict[str, str]:
    """For changed entries without a readable date: the date they were stored with (first seen), so an
    update does not move them to today."""
    dates: dict[str, str] = {}
    for entry in todo:
        if entry.published is None and entry.key in known:
            old = storage.article_by_key(db, feed_id, entry.key)
            if old is not None:
                dates[entry.key] = old.published_at or old.first_seen_at
    return dates


def _detect_language(text: str) -> str | None:
    try:
        lang = reactions.detect_language(text)
    except Exception:  # noqa: BLE001 - fall back to counting Arabic letters
        letters = [c for c in text if c.isalpha()]
        if not letters:
            return None
        arabic = sum("\u0600" <= c <= "\u06ff" for c in letters)
        lang = "ar" if arabic * 3 > len(letters) else "en"
    return lang if lang in ("ar", "en") else None


def speaker_reaction(text: str, lang: str) -> str:
    """The reaction type of an official item (reactions' classifier); ``announcement`` when it takes no
    other stance: an official feed's own item announces something."""
    reaction = classify(text, lang)
    return reaction if reaction != "statement" else SPEAKER_REACTION


def speaker_statement(speaker: str, title: str, text: str, lang: str = "en") -> Statement:
    """The one statement of an item of an official feed: the speaker's own words, title and lead.

    Its span is the start of ``title + "\\n" + text`` (what extraction sees and storage stores).
    """
    opening = lead(text) if text else ""
    body = f"{title}\n{opening}".strip() if title else opening
    return Statement(speaker=speaker, person=None, kind="reported", start=0, end=len(body), text=body,
                     quotes=(), reaction=speaker_reaction(body, lang))


def _extract_all(feed: FeedRow, items: Sequence[_Prepared]) -> list[list[Statement]]:
    out: list[list[Statement]] = []
    for item in items:
        title = item.entry.title
        if feed.speaker:
            out.append([speaker_statement(feed.speaker, title, item.text, item.lang)])
            continue
        combined = f"{title}\n{item.text}" if title else item.text
        try:
            out.append(list(reactions.extract(combined, item.lang, item.published[:10])))
        except Exception:  # noqa: BLE001 - an extractor bug must not lose the article
            log.exception("extraction failed for %s", item.entry.link or item.entry.key)
            out.append([])
    return out


async def _statements(feed: FeedRow, items: Sequence[_Prepared]) -> list[list[Statement]]:
    """Statements for each prepared entry (extraction runs in a thread: it is pure CPU work)."""
    if not items:
        return []
    return await asyncio.to_thread(_extract_all, feed, items)


def _new_article(feed_id: int, item: _Prepared) -> NewArticle:
    entry = item.entry
    return NewArticle(feed_id=feed_id, entry_key=entry.key, url=entry.link, title=entry.title, text=item.text,
                      lang=item.lang, published_at=item.published, content_hash=entry.content_hash)


def _record_success(db: sqlite_utils.Database, feed: FeedRow, fetched: FetchResult, next_poll: str) -> None:
    etag = fetched.etag or (feed.etag if fetched.not_modified else None)
    last_modified = fetched.last_modified or (feed.last_modified if fetched.not_modified else None)
    new_url = fetched.permanent_url if fetched.permanent_url and fetched.permanent_url != feed.url else None
    try:
        storage.record_poll_success(db, feed.id, status=fetched.status, etag=etag, last_modified=last_modified,
                                    next_poll_at=next_poll, new_url=new_url)
    except AlreadyExists:
        # The new address is already another feed: keep polling the old one.
        log.warning("feed %s moved to %s, which is already a feed", feed.url, new_url)
        storage.record_poll_success(db, feed.id, status=fetched.status, etag=etag, last_modified=last_modified,
                                    next_poll_at=next_poll)


async def _failed(db: AsyncDB, feed: FeedRow, started: dt.datetime, message: str, *, status: int | None = None,
                  retry_after: float | None = None) -> FeedResult:
    failures = (feed.consecutive_failures or 0) + 1
    delay = backoff_seconds(feed.interval, failures, retry_after)
    next_poll = db_time(started + dt.timedelta(seconds=delay))
    log.info("feed %s failed (%d in a row): %s; next try %s", feed.url, failures, message, next_poll)
    try:
        await db.write(storage.record_poll_failure, feed.id, status=status, error=message, next_poll_at=next_poll)
    except Exception:  # noqa: BLE001 - the database itself failing: log, report in the result
        log.exception("could not record the failure of feed %s", feed.url)
    return FeedResult(feed.id, feed.url, "failed", status=status, error=message, next_poll_at=next_poll)


def select_feeds(db: sqlite_utils.Database, urls: Iterable[str] | None = None) -> list[FeedRow]:
    """The feeds to poll: all of them, or those with the given URLs.

    :raises KeyError: a URL that is not a known feed (the message names it).
    """
    if urls is None:
        return list(storage.all_feeds(db))
    chosen = []
    for url in urls:
        feed = storage.feed_by_url(db, url)
        if feed is None:
            raise KeyError(url)
        chosen.append(feed)
    return chosen


async def poll_once(db: sqlite_utils.Database | AsyncDB, config: Config, urls: Iterable[str] | None = None, *,
                    fetcher: Fetcher | None = None, parallel: int = DEFAULT_PARALLEL) -> PollSummary:
    """Poll every feed (due or not) once, or only ``urls``; return the totals.

    The feeds are the database's (:func:`storage.open_store` synced the configured ones into it). Feeds are
    refreshed concurrently, at most ``parallel`` at a time (and ``fetch.per_host`` requests per host).

    :raises KeyError: one of ``urls`` is not a known feed.
    """
    feeds = await AsyncDB.of(db).read(select_feeds, urls)
    summary = PollSummary()
    gate = asyncio.Semaphore(max(1, parallel))
    own = fetcher is None
    client = fetcher or Fetcher(config.fetch)

    async def one(feed: FeedRow) -> FeedResult:
        async with gate:
            return await refresh_feed(db, feed, client, config.fetch,
                                      allow_private=config.telegram.allow_private_feed_urls,
                                      push_backlog=config.delivery.push_backlog)

    try:
        for result in await asyncio.gather(*(one(f) for f in feeds)):
            summary.add(result)
    finally:
        if own:
            await client.aclose()
    return summary

