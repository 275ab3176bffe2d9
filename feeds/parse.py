"""The parser stage: fetched bytes -> :class:`feeds.models.ParsedFeed` of normalised entries.

feedparser 6 does the format work (RSS 0.9x/1.0/2.0, Atom, RDF, ill-formed XML through its loose
parser, encodings through chardet); this module judges the result by the entries it yields (not by
``bozo``), turns HTML into plain text, reads dates (an unreadable date is None: the pipeline uses the
time first seen), and gives each entry a stable key (:mod:`feeds.identity`).

Parsing a large feed takes seconds of CPU, so :func:`parse_off_loop` runs it in a worker process
(a thread pool when ``RAQIB_PARSE_POOL=thread`` or when processes are unavailable), keeping the event
loop free for the other feeds. A job that runs longer than :data:`WORK_TIMEOUT` fails with
:class:`feeds.errors.ParserTimedOut` and its worker pool is replaced; workers ignore SIGINT.
"""

from __future__ import annotations

import asyncio
import calendar
import concurrent.futures
import datetime as dt
import io
import json
import logging
import math
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

import feedparser

from feeds.errors import NotAFeed, ParseError, ParserCrashed, ParserTimedOut, short
from feeds.identity import assign_keys, clean_link, content_hash, identity
from feeds.models import Entry, ParsedFeed
from feeds.text import html_to_text

log = logging.getLogger(__name__)
T = TypeVar("T")

# A date more than this far in the future is a feed's mistake: treat as unreadable.
FUTURE_SLACK = 2 * 86400


def format_time(struct: time.struct_time | None, *, now: float | None = None) -> str | None:
    """A feedparser UTC ``struct_time`` as ``YYYY-MM-DD HH:MM:SS``; None when absent or implausible."""
    if not struct:
        return None
    try:
        stamp = calendar.timegm(struct)
    except (TypeError, ValueError, OverflowError):
        return None
    now = time.time() if now is None else now
    if struct.tm_year < 1990 or stamp > now + FUTURE_SLACK:
        return None
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(stamp))


def _detail_text(value: str | None, detail: Any) -> str:
    kind = (detail or {}).get("type", "text/html") if isinstance(detail, dict) else "text/html"
    return html_to_text(value or "", is_html="html" in kind)


def _entry_texts(raw: Any) -> tuple[str, str, str]:
    title = _detail_text(raw.get("title"), raw.get("title_detail")).replace("\n", " ")
    summary = _detail_text(raw.get("summary"), raw.get("summary_detail"))
    content = ""
    for part in raw.get("content") or ():
        text = _detail_text(part.get("value"), part)
        if len(text) > len(content):
            content = text
    return title, summary, content


def _looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]


def parse_document(body: bytes, *, content_type: str = "", url: str = "", now: float | None = None) -> ParsedFeed:
    """Parse one fetched document (runs in a worker; pure apart from the parser).

    :param body: the bytes as fetched (decompressed); never a URL or a file name.
    :param content_type: the ``Content-Type`` header (its charset, if any, is honoured).
    :param url: the final URL, for relative links (sent to feedparser as ``Content-Location``).
    :raises NotAFeed: no entries and the document is not a well-formed feed.
    :raises ParserCrashed: the parser raised.
    """
    if not body.strip():
        raise NotAFeed("empty document")
    if _looks_like_json_feed(body):
        return parse_json_feed(body, url=url, now=now)
    headers = {"content-location": url} if url else {}
    # Without any Content-Type feedparser falls back to windows-1252 before trying chardet; a generic XML
    # type without charset lets the detector find legacy encodings (windows-1256 Arabic) instead.
    headers["content-type"] = content_type or "application/xml"
    try:
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    except Exception as exc:  # noqa: BLE001 - any parser failure is recorded on the feed, never raised
        raise ParserCrashed(exc) from None
    try:
        return _to_parsed_feed(parsed, body, url, now)
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ParserCrashed(exc) from None


def _to_parsed_feed(parsed: Any, body: bytes, url: str, now: float | None) -> ParsedFeed:
    raw_entries = list(parsed.get("entries") or ())
    bozo = bool(parsed.get("bozo"))
    reason = short(str(parsed.get("bozo_exception") or ""), 120) if bozo else ""
    version = parsed.get("version") or ""
    feed = parsed.get("feed") or {}
    if not raw_entries:
        if _looks_like_html(body):
            raise NotAFeed("the address returns an HTML page")
        if bozo:
            raise NotAFeed(reason or "unreadable document")
        if not version:
            raise NotAFeed("no RSS, Atom or RDF elements found")
    base = parsed.get("href") or url or None
    texts = [_entry_texts(raw) for raw in raw_entries]
    identities = [
        identity(raw.get("link"), raw.get("id") or raw.get("guid"), title, summary or content, base)
        for raw, (title, summary, content) in zip(raw_entries, texts, strict=True)
    ]
    keys = assign_keys(identities)
    entries: list[Entry] = []
    for raw, (title, summary, content), ident, chosen in zip(raw_entries, texts, identities, keys, strict=True):
        if chosen is None:
            continue
        key, kind, link_key = chosen
        text = content if len(content) >= len(summary) else summary
        # dict.get: FeedParserDict.get would map a missing published_parsed to updated_parsed, with a warning.
        published = format_time(dict.get(raw, "published_parsed"), now=now) or format_time(
            dict.get(raw, "updated_parsed"), now=now)
        raw_link = clean_link(raw.get("link"), base) or (ident.link if ident.link else None)
        entries.append(Entry(
            key=key, guid=(raw.get("id") or raw.get("guid") or None), link=raw_link, title=title,
            summary=summary, content=content, published=published, text=text,
            content_hash=content_hash(title, text), key_kind=kind, raw_link=raw.get("link"), link_key=link_key,
        ))
    language = (feed.get("language") or "")[:2].lower() or None
    return ParsedFeed(entries=tuple(entries), title=html_to_text(feed.get("title") or "").replace("\n", " "),
                      version=version, bozo=bozo, bozo_reason=reason, language=language)


# --- JSON Feed (feedparser 6.0 reads XML only) ---------------------------------------------------------

def _looks_like_json_feed(body: bytes) -> bool:
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b"jsonfeed.org/version" in head


def parse_json_feed(body: bytes, *, url: str = "", now: float | None = None) -> ParsedFeed:
    """A JSON Feed 1.0/1.1 document (https://jsonfeed.org/version/1.1) -> :class:`ParsedFeed`.

    :raises NotAFeed: not valid JSON, or not a JSON Feed object.
    """
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except ValueError as exc:
        raise NotAFeed(f"invalid JSON: {short(str(exc), 80)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
        raise NotAFeed("JSON without a list of items")
    base = data.get("feed_url") if isinstance(data.get("feed_url"), str) else None
    base = url or base
    raw_items = [item for item in data.get("items") or [] if isinstance(item, dict)]

    def text(value: object, *, is_html: bool = True) -> str:
        return html_to_text(value, is_html=is_html) if isinstance(value, str) else ""

    texts = []
    for item in raw_items:
        content = text(item.get("content_html")) or text(item.get("content_text"), is_html=False)
        texts.append((text(item.get("title"), is_html=False).replace("\n", " "), text(item.get("summary")), content))
    identities = [
        identity(item.get("url") if isinstance(item.get("url"), str) else None,
                 str(item["id"]) if item.get("id") not in (None, "") else None, title, summary or content, base)
        for item, (title, summary, content) in zip(raw_items, texts, strict=True)
    ]
    entries = []
    for item, (title, summary, content), ident, chosen in zip(raw_items, texts, identities, assign_keys(identities),
                                                             strict=True):
        if chosen is None:
            continue
        key, kind, link_key = chosen
        body_text = content if len(content) >= len(summary) else summary
        published = None
        for field in ("date_published", "date_modified"):
            value = item.get(field)
            if isinstance(value, str) and value:
                published = format_time(rfc3339_date(value), now=now)
                if published:
                    break
        link = clean_link(item.get("url") if isinstance(item.get("url"), str) else None, base) or ident.link
        entries.append(Entry(key=key, guid=str(item.get("id")) if item.get("id") is not None else None, link=link,
                             title=title, summary=summary, content=content, published=published, text=body_text,
                             content_hash=content_hash(title, body_text), key_kind=kind,
                             raw_link=item.get("url") if isinstance(item.get("url"), str) else None,
                             link_key=link_key))
    language = data.get("language") if isinstance(data.get("language"), str) else ""
    return ParsedFeed(entries=tuple(entries), title=text(data.get("title"), is_html=False),
                      version="json1", language=language[:2].lower() or None)


def rfc3339_date(value: str) -> time.struct_time | None:
    """An RFC 3339 date (what JSON Feed uses) as a UTC struct_time; None when unreadable."""
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).timetuple()


# --- running off the event loop ---------------------------------------------------------------------

# The longest one job (a parse, a page extraction) may run in the pool; the clock starts when a worker
# takes the job, not while it waits in the queue behind other feeds' jobs.
WORK_TIMEOUT = 60.0
_POLL = 0.25  # how often a queued job is checked for having started

_pool_lock = threading.Lock()
_pool: concurrent.futures.Executor | None = None
_threads: concurrent.futures.ThreadPoolExecutor | None = None


def pool_kind() -> str:
    """``"process"`` (default) or ``"thread"``, from ``$RAQIB_PARSE_POOL``."""
    kind = os.environ.get("RAQIB_PARSE_POOL", "process").strip().lower()
    return kind if kind in ("process", "thread") else "process"


def _thread_pool() -> concurrent.futures.ThreadPoolExecutor:
    global _threads
    with _pool_lock:
        if _threads is None:
            _threads = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="raqib-parse")
        return _threads


def _ignore_sigint() -> None:
    """Worker initializer: Ctrl-C in a terminal reaches the whole process group; the workers leave it to
    the service, which shuts them down itself (instead of each printing a KeyboardInterrupt traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def worker_pool() -> concurrent.futures.Executor:
    """The shared executor for CPU-heavy work (parsing, page extraction), created on first use.

    A process pool (``forkserver`` start method: safe in a process with threads) of up to
    ``min(4, cpu_count)`` workers that ignore SIGINT; a thread pool when ``RAQIB_PARSE_POOL=thread``.
    """
    global _pool
    if pool_kind() == "thread":
        return _thread_pool()
    with _pool_lock:
        if _pool is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            workers = max(1, min(4, os.cpu_count() or 1))
            _pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                                           initializer=_ignore_sigint)
        return _pool


def shutdown_pool() -> None:
    """Stop the worker processes (the service calls this at shutdown; tests and the bench may too)."""
    global _pool, _threads
    with _pool_lock:
        pool, _pool = _pool, None
        threads, _threads = _threads, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
    if threads is not None:
        threads.shutdown(wait=False, cancel_futures=True)


def _retire(pool: concurrent.futures.Executor) -> None:
    """Replace a process pool with a stuck worker: the next job starts a fresh pool, and the old pool's
    processes are killed (jobs of other feeds running there fail with BrokenProcessPool and are run again
    by :func:`run_off_loop`). A thread cannot be killed: a stuck thread keeps its slot until it ends."""
    global _pool
    with _pool_lock:
        if _pool is pool:
            _pool = None
    if not isinstance(pool, concurrent.futures.ProcessPoolExecutor):
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        try:
            process.terminate()
        except Exception:  # noqa: BLE001 - already gone
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    if processes:
        threading.Thread(target=_reap, args=(processes,), name="raqib-reap", daemon=True).start()


def _reap(processes: list[Any]) -> None:
    """Wait for terminated workers (off the event loop); kill one that ignores SIGTERM."""
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)


async def _wait_limited(future: concurrent.futures.Future[T], limit: float) -> T:
    """Await a pool future; raise TimeoutError once it has run (not queued) for ``limit`` seconds.

    "Running" is the executor's notion: a process pool marks a job running when it hands it to the
    workers' call queue, which holds one job more than there are workers, so the clock may start a
    little early for that one job."""
    waiter = asyncio.wrap_future(future)
    loop = asyncio.get_running_loop()
    started: float | None = None
    try:
        while True:
            if math.isinf(limit):
                return await waiter
            if started is None and future.running():
                started = loop.time()
            step = _POLL if started is None else max(0.0, started + limit - loop.time())
            done, _pending = await asyncio.wait({waiter}, timeout=step)
            if done:
                return waiter.result()
            if started is not None:
                raise TimeoutError
    finally:
        if not waiter.done():
            waiter.cancel()


async def run_off_loop(func: Callable[..., T], *args: Any, time_limit: float | None = None, **kwargs: Any) -> T:
    """Run ``func(*args, **kwargs)`` in :func:`worker_pool` and return its result.

    If the process pool breaks (a worker killed, say, by the OOM killer), start a fresh one once, then
    fall back to a thread.

    :param time_limit: seconds the job may run once a worker has taken it (None: :data:`WORK_TIMEOUT`;
        ``math.inf``: no limit). Past it the process pool is replaced (see :func:`_retire`).
    :raises ParserTimedOut: the job ran longer than ``time_limit``.
    """
    limit = WORK_TIMEOUT if time_limit is None else time_limit
    call = _Call(func, args, kwargs)
    for _attempt in range(2):
        pool = worker_pool()
        try:
            future = pool.submit(call)
        except (BrokenProcessPool, RuntimeError):
            # Broken, or shut down by _retire between worker_pool() and submit(): use a fresh pool.
            _retire(pool)
            continue
        try:
            return await _wait_limited(future, limit)
        except BrokenProcessPool:
            log.warning("worker pool broke; starting a new one")
            _retire(pool)
        except TimeoutError:
            log.warning("%s ran longer than %g s; replacing the worker pool", getattr(func, "__name__", func), limit)
            _retire(pool)
            raise ParserTimedOut(limit) from None
    threads = _thread_pool()
    try:
        return await _wait_limited(threads.submit(call), limit)
    except TimeoutError:
        raise ParserTimedOut(limit) from None


class _Call:
    """A picklable ``func(*args, **kwargs)`` (functools.partial pickles too, but this reads better)."""

    def __init__(self, func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.func, self.args, self.kwargs = func, args, kwargs

    def __call__(self) -> Any:
        return self.func(*self.args, **self.kwargs)


async def parse_off_loop(body: bytes, *, content_type: str = "", url: str = "",
                         time_limit: float | None = None) -> ParsedFeed:
    """:func:`parse_document` in the worker pool, within ``time_limit`` (default :data:`WORK_TIMEOUT`).

    :raises ParseError: as :func:`parse_document`; :class:`ParserTimedOut` past the limit; any other
        exception becomes :class:`ParserCrashed`.
    """
    try:
        return await run_off_loop(parse_document, body, content_type=content_type, url=url, time_limit=time_limit)
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - e.g. a result that would not pickle
        raise ParserCrashed(exc) from None
