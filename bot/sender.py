"""Sending pushes: the outbox drained to Telegram within its rate limits, safely across crashes.

The flow for one message: :func:`storage.outbox.claim_due` marks the chat's deliveries ``sending``, the
message is rendered (:func:`bot.push_format.render_push`) and sent through a :class:`Sink`, then the rows are
marked ``sent``. After a crash or ``kill -9`` at any moment, :func:`storage.outbox.recover_in_flight` (run by
:func:`storage.open_store` when ``raqib run`` starts) puts ``sending`` rows back to ``pending``: nothing is lost, and at most
the one message per chat that was in flight is sent again.

Rate limits (Telegram: about 30 messages a second overall, 1 a second per chat, 20 a minute per group) are
kept by our own :class:`RateLimiter` rather than PTB's ``AIORateLimiter``: AIORateLimiter's overall limiter
is a leaky bucket that lets a burst of 30 through at once (a strict one-second window sees more than 30), it
does not limit private chats at all, and it retries a 429 inside ``send_message``, hiding it from the outbox.
Ours spaces messages evenly (29/s) and never starts more than 28 in any one second (a margin for jitter on
the way: the bench's strict one-second window then sees no 429 at all, sustaining 28 messages/s), keeps a
next-allowed time per chat (1.05 s private, 3.1 s group), and turns a 429 into a pause: of that chat, or of
the whole sender when it is a global flood (a private chat, or two chats within two seconds). Command
replies take their slots from the same limiter through :class:`ReplyLimiter` (python-telegram-bot's
rate-limiter hook, set by ``bot.app.build_application``); do not add AIORateLimiter as well: the limits would
be applied twice.

Errors: :class:`RetryLater` (429) -> retry after ``retry_after`` (not counted as an attempt);
:class:`ChatGone` (blocked, kicked, chat not found) -> the chat is marked inactive and its deliveries failed
with the reason; :class:`ChatMoved` (group upgraded) -> the chat moves to its new id and the message is sent
there; :class:`TransientError` (network, timeouts, 5xx) -> retried with exponential backoff (up to
:data:`BACKOFF_MAX`) for as long as the delivery is younger than ``max_age`` (``[delivery] max_age_hours``,
default 24): a Telegram outage of minutes or hours loses nothing; a push older than that no longer matters and
is failed with ``last_error`` (visible in /status); :class:`Rejected` (any other 400) -> failed at once.
"""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import logging
import math
import sqlite3
import time
import warnings
import weakref
from collections.abc import Callable
from typing import Any, Protocol

import sqlite_utils
from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter

from bot.push_format import render_grouped, render_push
from feeds.asyncdb import AsyncDB
from storage import outbox
from storage.errors import is_busy

logger = logging.getLogger(__name__)

MESSAGES_PER_SECOND = 29.0  # spacing between messages (Telegram allows about 30 a second)
WINDOW_CAP = 28  # and at most this many in any one second: a margin of 2 for jitter on the way
PRIVATE_INTERVAL = 1.05  # seconds between two messages to one private chat (limit: 1/s)
GROUP_INTERVAL = 3.1  # seconds between two messages to one group or channel (limit: 20/min)
CONCURRENCY = 8  # requests in flight at once (the limiter still spaces them)
CLAIM_BATCH = 50  # messages claimed per query
DEFAULT_MAX_AGE = 24 * 3600.0  # seconds: transient errors are retried until a delivery is this old
BACKOFF_BASE = 2.0  # seconds: 2, 4, 8, ... between network retries
BACKOFF_MAX = 300.0  # so a message queued during an outage goes out at most 5 minutes after it ends
FLOOD_WINDOW = 2.0  # 429s for two chats within this many seconds: a global flood
JOB_NAME = "raqib-delivery"
MAX_RUN_SECONDS = 60.0  # one run of the delivery job stops claiming after this long
MAX_WAIT_IN_RUN = 5.0  # a message that would wait longer than this (flood control) goes back to the queue
DEFAULT_MAX_DELAY = 30 * 60.0  # seconds: a later queue sends each chat's due statements together


# --- the sink and its errors -----------------------------------------------------------------------

class SendError(Exception):
    """A message could not be sent; the subclass says what to do about it."""


class RetryLater(SendError):
    """Flood control (429): try again after ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"flood control: retry after {seconds:g}s")
        self.seconds = float(seconds)


class ChatGone(SendError):
    """The bot can no longer write to the chat (blocked by the user, kicked, chat deleted)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ChatMoved(SendError):
    """The group became a supergroup with a new id."""

    def __init__(self, new_chat_id: int) -> None:
        super().__init__(f"chat migrated to {new_chat_id}")
        self.new_chat_id = int(new_chat_id)


class TransientError(SendError):
    """A network error, a timeout or a server error: worth retrying later."""


class Rejected(SendError):
    """Telegram refused the message itself (a 400 other than a missing chat): retrying will not help."""


class Sink(Protocol):
    """Where pushes go: Telegram, or the console in console mode."""

    async def send(self, chat_id: int, html: str) -> int:
        """Send ``html`` (Telegram HTML) to ``chat_id``; return the message id.

        :raises SendError: a subclass saying whether to retry, drop the chat or follow it.
        """
        ...

    async def edit(self, chat_id: int, message_id: int, html: str) -> None:
        """Replace the text of message ``message_id`` in ``chat_id`` with ``html`` (unchanged text is no error).

        :raises SendError: as :meth:`send`; :class:`Rejected` when the message can no longer be edited.
        """
        ...


class TelegramSink:
    """A :class:`Sink` over a ``telegram.Bot``, mapping PTB's errors to :class:`SendError` subclasses.

    :param limiter: the rate limiter of every drain through this sink (:func:`limiter_for`); when the bot has a
        :class:`ReplyLimiter` too, give both the same one. The sink's own calls tell the bot's rate limiter that
        they took their slot already (``rate_limit_args``).
    """

    def __init__(self, bot: Any, *, disable_preview: bool = True, limiter: RateLimiter | None = None) -> None:
        self.bot = bot
        self.disable_preview = disable_preview
        if limiter is not None:
            self.limiter = limiter
        # the sender acquired the slot itself: the bot's rate limiter (ReplyLimiter) must not take another
        self._limited = {"rate_limit_args": SENDER} if getattr(bot, "rate_limiter", None) is not None else {}

    async def send_photo(self, chat_id: int, photo: bytes, caption_html: str) -> int:
        """A picture with an HTML caption (the digest's chart). Any Telegram error is a :class:`SendError`."""
        try:
            message = await self.bot.send_photo(chat_id, photo, caption=caption_html, parse_mode=ParseMode.HTML,
                                                **self._limited)
        except TelegramError as exc:
            raise SendError(str(exc)) from exc
        return message.message_id

    async def send(self, chat_id: int, html: str) -> int:
        async def call() -> Any:
            return await self.bot.send_message(
                chat_id, html, parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=self.disable_preview), **self._limited)
        return (await _mapped(call)).message_id

    async def edit(self, chat_id: int, message_id: int, html: str) -> None:
        async def call() -> Any:
            return await self.bot.edit_message_text(
                html, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=self.disable_preview), **self._limited)
        try:
            await _mapped(call)
        except Rejected as exc:
            if "message is not modified" in str(exc).lower():
                return  # already shows this text: nothing to do
            raise


async def _mapped(call: Callable[[], Any]) -> Any:
    """Run a Bot API call, mapping PTB's errors to :class:`SendError` subclasses."""
    try:
        return await call()
    except RetryAfter as exc:
        raise RetryLater(_retry_after_seconds(exc)) from exc
    except ChatMigrated as exc:
        raise ChatMoved(exc.new_chat_id) from exc
    except Forbidden as exc:
        raise ChatGone(exc.message) from exc
    except BadRequest as exc:
        text = exc.message.lower()
        if "chat not found" in text or "user is deactivated" in text or "peer_id_invalid" in text \
                or "have no rights to send" in text or "not enough rights" in text:
            raise ChatGone(exc.message) from exc
        raise Rejected(exc.message) from exc
    except NetworkError as exc:  # includes TimedOut and 5xx answers
        raise TransientError(str(exc) or type(exc).__name__) from exc
    except TelegramError as exc:  # InvalidToken, Conflict, ...: not the message's fault; retry later
        raise TransientError(str(exc)) from exc


def _retry_after_seconds(exc: Any) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that retry_after will become a timedelta
        warnings.simplefilter("ignore")
        value = exc.retry_after
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value)


# --- rate limiting ---------------------------------------------------------------------------------

class WaitTooLong(Exception):
    """A message would wait ``seconds`` for flood control: better back in the queue than held in memory."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"waiting {seconds:.1f}s for flood control")
        self.seconds = seconds


class RateLimiter:
    """Evenly spaced sends (``per_second`` overall) with a next-allowed time per chat, and pauses after 429s.

    Time comes from ``clock`` (``time.monotonic``) and waiting from ``sleep`` (``asyncio.sleep``).
    """

    def __init__(self, per_second: float = MESSAGES_PER_SECOND, *, private_interval: float = PRIVATE_INTERVAL,
                 group_interval: float = GROUP_INTERVAL, window_cap: int | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Any] = asyncio.sleep) -> None:
        self.spacing = 1.0 / per_second
        # never more than this many starts in any one second (Telegram: 30; keep a margin for network jitter)
        self.window_cap = window_cap if window_cap is not None else max(1, min(WINDOW_CAP, math.floor(per_second)))
        self.recent: collections.deque[float] = collections.deque()
        self.private_interval = private_interval
        self.group_interval = group_interval
        self.clock, self.sleep = clock, sleep
        self.next_slot = 0.0
        self.paused_until = 0.0
        self.chat_next: dict[int, float] = {}
        self.recent_429: collections.deque[tuple[float, int]] = collections.deque()
        self.pauses = 0

    async def acquire(self, chat_id: int, chat_type: str = "private",
                      should_stop: Callable[[], bool] | None = None, max_wait: float | None = None, *,
                      space_chat: bool = True) -> bool:
        """Wait until a message may go to ``chat_id``, and take that slot. Returns False, without a slot, as
        soon as ``should_stop()`` is true (checked at least every quarter second while waiting).

        :param space_chat: False takes an overall slot and waits out the chat's hold, but does not space the
            chat's next message (a reply's parts: Telegram takes a short burst in one chat).

        :raises WaitTooLong: the chat or the whole sender is held (flood control) for more than ``max_wait``.
        """
        while True:
            if should_stop is not None and should_stop():
                return False
            now = self.clock()
            ready = max(self.paused_until, self.chat_next.get(chat_id, 0.0))
            if max_wait is not None and ready - now > max_wait:
                raise WaitTooLong(ready - now)
            if ready > now:
                await self.sleep(ready - now if should_stop is None else min(ready - now, 0.25))
                continue
            slot = max(now, self.next_slot)
            self.next_slot = slot + self.spacing
            interval = self.private_interval if chat_type == "private" and chat_id > 0 else self.group_interval
            previous = self.chat_next.get(chat_id, 0.0)
            if space_chat:
                self.chat_next[chat_id] = slot + interval
            if slot > now:
                await self.sleep(slot - now)
            await self._window()
            now = self.clock()
            if self.paused_until > now:  # a flood began while we waited: that slot is void
                if self.chat_next.get(chat_id) == slot + interval:
                    self.chat_next[chat_id] = previous
                continue
            self.recent.append(now)  # no await since _window() saw room: the window cannot overfill
            if len(self.chat_next) > 50_000:
                self._forget(now)
            return True

    async def _window(self) -> None:
        """Wait while ``window_cap`` messages started within the last second. The even spacing alone is not
        enough: a stalled event loop (a slow disk write, a busy machine) wakes several waiters at once."""
        while True:
            now = self.clock()
            while self.recent and self.recent[0] <= now - 1.0:
                self.recent.popleft()
            if len(self.recent) < self.window_cap:
                return
            await self.sleep(self.recent[0] + 1.0 - now)

    def _forget(self, now: float) -> None:
        self.chat_next = {c: t for c, t in self.chat_next.items() if t > now}

    def retry_after(self, chat_id: int, seconds: float, chat_type: str = "private") -> bool:
        """A 429 for ``chat_id``: hold that chat for ``seconds``, and the whole sender when it looks like a
        global flood (a private chat, which our spacing keeps within its own limit, or 429s for two chats
        within :data:`FLOOD_WINDOW` seconds). Returns True when the whole sender pauses."""
        now = self.clock()
        self.chat_next[chat_id] = max(self.chat_next.get(chat_id, 0.0), now + seconds)
        while self.recent_429 and self.recent_429[0][0] < now - FLOOD_WINDOW:
            self.recent_429.popleft()
        self.recent_429.append((now, chat_id))
        is_global = (chat_type == "private" and chat_id > 0) or len({c for _t, c in self.recent_429}) > 1
        if is_global:
            if now + seconds > self.paused_until:
                self.pauses += 1
            self.paused_until = max(self.paused_until, now + seconds)
        return is_global


_LIMITERS: weakref.WeakKeyDictionary[Any, RateLimiter] = weakref.WeakKeyDictionary()


def limiter_for(sink: Any) -> RateLimiter:
    """The limiter shared by every drain through ``sink`` (one per bot, kept between runs): the sink's own
    ``limiter`` when it has one."""
    own = getattr(sink, "limiter", None)
    if isinstance(own, RateLimiter):
        return own
    try:
        limiter = _LIMITERS.get(sink)
        if limiter is None:
            limiter = _LIMITERS[sink] = RateLimiter()
        return limiter
    except TypeError:  # not weak-referenceable
        return RateLimiter()


SENDER = "raqib-sender"  # rate_limit_args of the sender's own calls: their slot is taken already
LIMITED_METHODS = frozenset({"sendMessage", "editMessageText", "sendPhoto", "editMessageCaption",
                             "editMessageReplyMarkup", "sendDocument"})
REPLY_RETRIES = 3  # a reply drawing 429s is tried again this many times, each after Telegram's retry_after


class ReplyLimiter(BaseRateLimiter[str]):
    """python-telegram-bot's rate-limiter hook (``ApplicationBuilder.rate_limiter``) over the sender's
    :class:`RateLimiter`: every message the bot sends outside the sender (command replies, keyboard edits,
    /chart's photo, the "something went wrong" notice) takes an overall slot of the same limiter as pushes
    (and waits out a hold on its chat, without spacing a reply's parts), so a reply never draws a 429 during a
    fan-out, and a 429 on one holds that chat (or pauses the sender, as for pushes)
    and is retried after its ``retry_after``. The sender's sink sends with ``rate_limit_args=SENDER``: it took
    its slot already. Other calls (``getChatMember``, answering a callback or an inline query) pass through.
    """

    def __init__(self, limiter: RateLimiter, *, retries: int = REPLY_RETRIES) -> None:
        self.limiter = limiter
        self.retries = retries

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(self, callback: Callable[..., Any], args: Any, kwargs: dict[str, Any], endpoint: str,
                              data: dict[str, Any], rate_limit_args: str | None) -> Any:
        chat_id = data.get("chat_id")
        if rate_limit_args == SENDER or endpoint not in LIMITED_METHODS or not isinstance(chat_id, int):
            return await callback(*args, **kwargs)
        chat_type = "private" if chat_id > 0 else "group"
        for attempt in range(self.retries + 1):
            await self.limiter.acquire(chat_id, chat_type, space_chat=False)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self.retries:
                    raise
                seconds = max(_retry_after_seconds(exc), 0.5)
                whole = self.limiter.retry_after(chat_id, seconds, chat_type)  # the next acquire waits it out
                logger.warning("429 for a reply to chat %s (%s): retrying after %gs%s", chat_id, endpoint, seconds,
                               " (sender paused)" if whole else "")
        raise AssertionError("unreachable")


# --- draining the outbox ---------------------------------------------------------------------------

def _after(seconds: float) -> str:
    """The database time ``seconds`` from now, rounded up to the next whole second."""
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)
    if moment.microsecond:
        moment = moment.replace(microsecond=0) + dt.timedelta(seconds=1)
    return outbox.format_time(moment)


def backoff(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failed attempt: 2, 4, 8, ... up to 10 minutes."""
    return min(BACKOFF_MAX, BACKOFF_BASE * 2 ** max(0, attempts - 1))


class Sender:
    """The delivery side of the service: fan-out, the outbox drained through ``sink`` within ``limiter``, edits
    of pushed messages, pruning. One per service (``schedule_delivery`` makes it); it keeps what must outlive
    one run: the rate limiter and the marks the database would not take.

    Every storage call goes through ``store`` (:class:`feeds.asyncdb.AsyncDB`), so sending never waits on the
    event loop for SQLite, and another process's write lock holds up the writer thread, not the bot.

    :param db: the store (a plain ``Database`` gets the AsyncDB kept with it).
    :param limiter: default the one shared by every drain through ``sink`` (:func:`limiter_for`).
    :param max_age: seconds; transient errors are retried until a delivery is this old.
    :param max_delay: seconds (``[delivery] max_delay_minutes``): when more deliveries are due than the limiter
        sends in this time, each chat's due statements go out together (:func:`storage.outbox.claim_due`,
        :meth:`messages`), so a turn of the queue takes one message per waiting chat. None: never grouped.
    """

    def __init__(self, db: sqlite_utils.Database | AsyncDB, sink: Sink, *, limiter: RateLimiter | None = None,
                 max_age: float = DEFAULT_MAX_AGE, concurrency: int = CONCURRENCY,
                 max_delay: float | None = DEFAULT_MAX_DELAY) -> None:
        self.store = AsyncDB.of(db)
        self.sink = sink
        self.limiter = limiter or limiter_for(sink)
        self.max_age = max_age
        self.concurrency = concurrency
        # the deliveries the limiter sends within max_delay (a delivery counts as one message: never fewer)
        rate = min(1.0 / self.limiter.spacing, float(self.limiter.window_cap))
        self.backlog_limit = None if max_delay is None else max(1, int(max_delay * rate))
        # marks the database refused (another process held the write lock past the busy timeout, a full disk):
        # (what, mark, args, kwargs), applied at the start of the next drain
        self.unmarked: list[tuple[str, Callable[..., Any], tuple, dict]] = []

    # --- marks the database would not take ----------------------------------------------------------

    async def mark_or_remember(self, what: str, mark: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Apply ``mark(db, *args, **kwargs)``; when the database refuses it, remember it and apply it at the
        start of the next drain (:meth:`flush_unmarked`). The rows stay ``sending`` meanwhile, so no drain claims
        them again: a message that went out is marked ``sent`` later, never sent a second time by this process.
        Returns True when applied."""
        try:
            await self.store.write(mark, *args, **kwargs)
            return True
        except sqlite3.Error as exc:
            logger.error("%s, but the database refused the mark (%s); kept to mark later, not sent again", what, exc)
            self.unmarked.append((what, mark, args, kwargs))
            return False

    async def flush_unmarked(self) -> int:
        """Apply the marks :meth:`mark_or_remember` kept; returns how many are still waiting."""
        waiting, self.unmarked = self.unmarked, []
        for index, (what, mark, args, kwargs) in enumerate(waiting):
            try:
                await self.store.write(mark, *args, **kwargs)
                logger.info("marked at last: %s", what)
            except sqlite3.Error:
                self.unmarked.extend(waiting[index:])  # still locked: keep this one and the rest, in order
                break
        return len(self.unmarked)

    # --- fan-out and pushes ------------------------------------------------------------------------

    async def fan_out(self) -> int:
        """Enqueue deliveries for the clusters polling stored and nobody fanned out yet (the delivery job's first
        step each tick: the outbox is the only hand-off between polling and delivery), one bounded transaction
        per call of the writer thread, so other writes (a /subscribe) go in between."""
        steps = await self.store.write(outbox.fan_out_steps)  # a generator, run step by step on the writer thread
        count = 0
        while (inserted := await self.store.write(lambda _db: next(steps, None))) is not None:
            count += inserted
        if count:
            logger.info("fan-out: %d deliveries enqueued", count)
        return count

    async def drain(self, *, limit: int | None = None, should_stop: Callable[[], bool] | None = None,
                    max_seconds: float | None = None) -> int:
        """Send the due deliveries, one message per chat, article and speaker; return how many messages went out.

        Stops when nothing is due (rows waiting for a retry are left for a later run), after ``limit``
        messages were claimed, after ``max_seconds``, or as soon as ``should_stop()`` is true (claimed messages
        not yet sent go back to ``pending``).
        """
        limiter = self.limiter
        started = time.monotonic()
        claimed = 0
        semaphore = asyncio.Semaphore(self.concurrency)
        tasks: set[asyncio.Task] = set()
        results: list[int] = []

        def stopping() -> bool:
            return bool(should_stop and should_stop())

        async def deliver(job: outbox.DeliveryJob) -> None:
            try:
                results.append(await self._deliver(job, stopping))
            except Exception:  # a bug must not kill the job loop: keep the rows for a later try
                logger.exception("delivery to chat %s failed unexpectedly", job.chat_id)
                await self.mark_or_remember(f"delivery to chat {job.chat_id} failed", outbox.mark_retry,
                                            job.delivery_ids, "internal error (see log)", _after(backoff(job.attempts)))
            finally:
                semaphore.release()

        await self.flush_unmarked()
        try:
            while not stopping():
                if max_seconds is not None and time.monotonic() - started > max_seconds:
                    break
                if limiter.paused_until - limiter.clock() > MAX_WAIT_IN_RUN:
                    break  # flood control for a while: a later run goes on
                want = CLAIM_BATCH if limit is None else min(CLAIM_BATCH, limit - claimed)
                if want <= 0:
                    break
                try:
                    jobs = await self.store.write(outbox.claim_due, outbox.utc_now(), want,
                                                  backlog_limit=self.backlog_limit)
                except sqlite3.OperationalError as exc:  # another process holds the write lock: a later run goes on
                    if not is_busy(exc):
                        raise
                    logger.warning("the outbox cannot be claimed now (%s); trying again at the next run", exc)
                    break
                if not jobs:
                    if not tasks:
                        break
                    await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)  # retries may become due
                    tasks = {t for t in tasks if not t.done()}
                    if not tasks:
                        continue
                    await asyncio.sleep(0.2)
                    continue
                claimed += len(jobs)
                for index, job in enumerate(jobs):
                    await semaphore.acquire()
                    if stopping():
                        semaphore.release()
                        rest = [d for j in jobs[index:] for d in j.delivery_ids]
                        await self.mark_or_remember("sender stopped", outbox.mark_retry, rest, "sender stopped",
                                                    outbox.utc_now(), count_attempt=False)
                        break
                    task = asyncio.create_task(deliver(job))
                    tasks.add(task)
                tasks = {t for t in tasks if not t.done()}
        finally:
            if tasks:
                await asyncio.gather(*tasks, return_exceptions=True)
        return sum(results)

    def messages(self, job: outbox.DeliveryJob) -> list[tuple[str, tuple[int, ...]]]:
        """What ``job`` sends: ``(html, delivery ids it carries)`` per message. One push for an ordinary job; for
        a grouped one (the queue is late) the chat's statements by speaker in as few messages as Telegram's
        4,096 characters allow, each row in exactly one message (a row whose cluster is gone rides with the
        first)."""
        if not job.grouped:
            return [(render_push(job.bundle, job.lang, job.timezone), job.delivery_ids)]
        pages = [(html, job.delivery_ids_of(clusters))
                 for html, clusters in render_grouped(job.bundle.items, job.lang, job.timezone)]
        shown = {d for _html, ids in pages for d in ids}
        orphans = tuple(d for d in job.delivery_ids if d not in shown)
        if not pages:
            return [(render_push(job.bundle, job.lang, job.timezone), job.delivery_ids)]
        if orphans:
            pages[0] = (pages[0][0], pages[0][1] + orphans)
        return pages

    async def _deliver(self, job: outbox.DeliveryJob, stopping: Callable[[], bool]) -> int:
        """Send ``job``'s messages in order, each marked ``sent`` as soon as it went out (so a crash repeats at
        most the one in flight); returns how many went out. A failure that a later try may cure (flood
        control, network, shutdown) puts this message's and the later ones' rows back to ``pending``."""
        chat_id = job.chat_id
        write = self.store.write
        messages = self.messages(job)
        sent = 0
        for number, (html, ids) in enumerate(messages):
            rest = tuple(d for _html, later in messages[number:] for d in later)  # this message and the later ones
            for _hop in range(3):  # follow at most a few migrations
                try:
                    acquired = await self.limiter.acquire(chat_id, job.chat_type, should_stop=stopping,
                                                          max_wait=MAX_WAIT_IN_RUN)
                except WaitTooLong as exc:  # a long flood pause: give the job back rather than hold the run
                    await write(outbox.mark_retry, rest, "waiting for flood control", _after(exc.seconds),
                                count_attempt=False)
                    return sent
                if not acquired or stopping():
                    await write(outbox.mark_retry, rest, "sender stopped", outbox.utc_now(), count_attempt=False)
                    return sent
                try:
                    message_id = await self.sink.send(chat_id, html)
                except ChatMoved as exc:
                    logger.info("chat %s moved to %s", chat_id, exc.new_chat_id)
                    await write(outbox.migrate_chat, chat_id, exc.new_chat_id)
                    chat_id = exc.new_chat_id
                    continue
                except RetryLater as exc:
                    seconds = max(exc.seconds, 0.5)
                    whole = self.limiter.retry_after(chat_id, seconds, job.chat_type)
                    logger.warning("429 for chat %s: retry after %gs%s", chat_id, seconds,
                                   " (sender paused)" if whole else "")
                    await write(outbox.mark_retry, rest, str(exc), _after(seconds), count_attempt=False)
                    return sent
                except ChatGone as exc:
                    logger.info("chat %s is gone: %s", chat_id, exc.reason)
                    await write(outbox.deactivate_chat, chat_id, exc.reason)
                    return sent
                except Rejected as exc:  # this message only: the job's later messages still go
                    logger.error("message to chat %s rejected: %s", chat_id, exc)
                    await write(outbox.mark_failed, ids, f"rejected: {exc}")
                    break
                except TransientError as exc:
                    age = await write(outbox.age_seconds, rest)
                    if age >= self.max_age:
                        logger.error("giving up on chat %s: still failing after %d attempts over %.1f h: %s",
                                     chat_id, job.attempts, age / 3600, exc)
                        await write(outbox.mark_failed, rest, f"too old to send after {job.attempts} attempts over "
                                                              f"{age / 3600:.1f} h: {exc}")
                    else:
                        wait = backoff(job.attempts)
                        logger.warning("sending to chat %s failed (%s); retry in %gs", chat_id, exc, wait)
                        await write(outbox.mark_retry, rest, str(exc), _after(wait))
                    return sent
                await self.mark_or_remember(f"sent to chat {chat_id}", outbox.mark_sent, ids, message_id,
                                            now=outbox.utc_now(), grouped=job.grouped)
                sent += 1
                break
            else:
                await write(outbox.mark_failed, rest, "chat migrated too many times")
                return sent
        return sent

    # --- edits: a pushed message gains the outlets that later carried its statements -----------------

    async def drain_edits(self, *, should_stop: Callable[[], bool] | None = None,
                          max_seconds: float | None = None) -> int:
        """Send the due edits (:func:`storage.outbox.queue_edits` enqueues them) through the same rate limiter as
        pushes, one per chat at a time; return how many went out. Errors are handled as for pushes: flood
        control and network errors retry later, a chat that is gone is deactivated, a message that can no
        longer be edited is given up (``failed``, kept)."""
        started = time.monotonic()
        done = 0

        def stopping() -> bool:
            return bool(should_stop and should_stop())

        while not stopping():
            if max_seconds is not None and time.monotonic() - started > max_seconds:
                break
            jobs = await self.store.write(outbox.claim_due_edits, outbox.utc_now(), CLAIM_BATCH)
            if not jobs:
                break
            for job in jobs:
                try:
                    done += await self._edit(job, stopping)
                except Exception:  # a bug must not kill the job loop: keep the edit for a later try
                    logger.exception("editing message %s in chat %s failed unexpectedly", job.message_id,
                                     job.chat_id)
                    await self.store.write(outbox.mark_edit, job.edit_id, "pending", "internal error (see log)",
                                           _after(backoff(job.attempts)))
        return done

    async def _edit(self, job: outbox.EditJob, stopping: Callable[[], bool]) -> int:
        write = self.store.write
        if not job.bundle.items:
            await write(outbox.mark_edit, job.edit_id, "failed", "nothing left to show")
            return 0
        html = render_push(job.bundle, job.lang, job.timezone)
        try:
            acquired = await self.limiter.acquire(job.chat_id, job.chat_type, should_stop=stopping,
                                                  max_wait=MAX_WAIT_IN_RUN)
        except WaitTooLong as exc:
            await write(outbox.mark_edit, job.edit_id, "pending", "waiting for flood control", _after(exc.seconds),
                        count_attempt=False)
            return 0
        if not acquired or stopping():
            await write(outbox.mark_edit, job.edit_id, "pending", "sender stopped", outbox.utc_now(),
                        count_attempt=False)
            return 0
        try:
            await self.sink.edit(job.chat_id, job.message_id, html)
        except RetryLater as exc:
            seconds = max(exc.seconds, 0.5)
            self.limiter.retry_after(job.chat_id, seconds, job.chat_type)
            await write(outbox.mark_edit, job.edit_id, "pending", str(exc), _after(seconds), count_attempt=False)
            return 0
        except ChatGone as exc:
            await write(outbox.deactivate_chat, job.chat_id, exc.reason)
            await write(outbox.mark_edit, job.edit_id, "failed", f"chat inactive: {exc.reason}")
            return 0
        except (Rejected, ChatMoved) as exc:
            logger.warning("edit of message %s in chat %s refused: %s", job.message_id, job.chat_id, exc)
            await write(outbox.mark_edit, job.edit_id, "failed", f"rejected: {exc}")
            return 0
        except TransientError as exc:
            if await write(outbox.edit_age_seconds, job.edit_id) >= self.max_age:
                await write(outbox.mark_edit, job.edit_id, "failed", f"too old after {job.attempts} attempts: {exc}")
            else:
                await write(outbox.mark_edit, job.edit_id, "pending", str(exc), _after(backoff(job.attempts)))
            return 0
        await write(outbox.mark_edit, job.edit_id, "sent")
        return 1

    # --- one run of the job, and pruning -------------------------------------------------------------

    async def run_once(self, should_stop: Callable[[], bool] | None = None) -> None:
        """One tick of the delivery job: fan out, drain the outbox, queue and send the edits. A write lock held
        by another process past the busy timeout ends the run quietly (the next one goes on); any other
        database error is raised."""
        try:
            await self.fan_out()
            await self.drain(should_stop=should_stop, max_seconds=MAX_RUN_SECONDS)
            if await self.store.write(outbox.queue_edits):
                logger.info("edits enqueued: pushed statements that more outlets carried since")
            await self.drain_edits(should_stop=should_stop, max_seconds=MAX_RUN_SECONDS)
        except sqlite3.OperationalError as exc:  # another process holds the write lock: the next run goes on
            if not is_busy(exc):
                raise  # a schema or disk fault is not waited out quietly: PTB's error handler logs it
            logger.warning("delivery run stopped: %s; the next run goes on", exc)

    async def prune(self, keep_days: float, now: dt.datetime | None = None) -> int:
        """Delete sent pushes and digest records older than ``keep_days`` (0: nothing), one small transaction
        per call of the writer thread; returns how many rows went."""
        if keep_days <= 0:
            return 0
        before = outbox.format_time((now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=keep_days))
        steps = await self.store.write(outbox.prune, before)
        removed = 0
        while (step := await self.store.write(lambda _db: next(steps, None))) is not None:
            removed += step
        if removed:
            logger.info("pruned %d sent pushes and digest records older than %g days", removed, keep_days)
        return removed


# One-shot forms (tests, benches, the CLI): a Sender for one call. The service keeps one Sender instead, so
# the marks a locked database refused survive from one run to the next.

async def fan_out(db: sqlite_utils.Database | AsyncDB) -> int:
    """:meth:`Sender.fan_out` once."""
    return await Sender(db, _NoSink()).fan_out()


async def drain_outbox(db: sqlite_utils.Database | AsyncDB, sink: Sink, *, limit: int | None = None,
                       limiter: RateLimiter | None = None, concurrency: int = CONCURRENCY,
                       should_stop: Callable[[], bool] | None = None,
                       max_seconds: float | None = None, max_age: float = DEFAULT_MAX_AGE,
                       max_delay: float | None = DEFAULT_MAX_DELAY) -> int:
    """:meth:`Sender.drain` once."""
    return await Sender(db, sink, limiter=limiter, max_age=max_age, concurrency=concurrency,
                        max_delay=max_delay).drain(limit=limit, should_stop=should_stop, max_seconds=max_seconds)


async def drain_edits(db: sqlite_utils.Database | AsyncDB, sink: Sink, *, limiter: RateLimiter | None = None,
                      should_stop: Callable[[], bool] | None = None, max_seconds: float | None = None,
                      max_age: float = DEFAULT_MAX_AGE) -> int:
    """:meth:`Sender.drain_edits` once."""
    return await Sender(db, sink, limiter=limiter, max_age=max_age).drain_edits(should_stop=should_stop,
                                                                                 max_seconds=max_seconds)


async def prune(db: sqlite_utils.Database | AsyncDB, keep_days: float, now: dt.datetime | None = None) -> int:
    """:meth:`Sender.prune` once."""
    return await Sender(db, _NoSink()).prune(keep_days, now)


class _NoSink:
    """The sink of a Sender that only fans out or prunes."""

    async def send(self, chat_id: int, html: str) -> int:
        raise Rejected("this sender does not send")

    async def edit(self, chat_id: int, message_id: int, html: str) -> None:
        raise Rejected("this sender does not send")


# --- the repeating job -----------------------------------------------------------------------------

class _SkipFilter(logging.Filter):
    """Quiet APScheduler's 'skipped: maximum number of running instances' for our job (a long drain is
    expected to overlap the next tick)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (JOB_NAME in message and "maximum number of running instances" in message)


def console_limiter() -> RateLimiter:
    """The limiter for a console sink: a terminal has no flood limits, so no per-chat spacing."""
    return RateLimiter(per_second=50, private_interval=0.05, group_interval=0.05)


PRUNE_JOB_NAME = "prune"
PRUNE_INTERVAL = 3600.0


def schedule_delivery(job_queue: Any, db: sqlite_utils.Database | AsyncDB, sink: Sink, interval: float = 1.0, *,
                      limiter: RateLimiter | None = None, max_age: float = DEFAULT_MAX_AGE,
                      keep_sent_days: float = 0.0, max_delay: float | None = DEFAULT_MAX_DELAY) -> Any:
    """Start the sender: every ``interval`` seconds fan out new clusters, drain the outbox, then queue and send
    the edits of pushed messages whose statements more outlets carried since (one run at a time; a run ends
    when nothing is due, or soon after the application stops). Returns the ``telegram.ext.Job``, whose
    ``data`` is the :class:`Sender`.

    :param limiter: default the one shared by every drain through ``sink`` (:func:`limiter_for`).
    :param max_age: seconds; transient errors are retried until a delivery is this old
        (``[delivery] max_age_hours``).
    :param keep_sent_days: when more than 0, an hourly job prunes sent pushes and digest records older than
        this (``[delivery] keep_sent_days``).
    :param max_delay: seconds; a later queue sends each chat's due statements together
        (``[delivery] max_delay_minutes``, :class:`Sender`).
    """
    logging.getLogger("apscheduler.scheduler").addFilter(_SkipFilter())
    the_sender = Sender(db, sink, limiter=limiter, max_age=max_age, max_delay=max_delay)

    async def deliver(context: Any) -> None:
        application = getattr(context, "application", None)

        def should_stop() -> bool:
            return application is not None and not application.running

        await the_sender.run_once(should_stop)

    if keep_sent_days > 0:
        async def prune_job(context: Any) -> None:
            await the_sender.prune(keep_sent_days)

        job_queue.run_repeating(prune_job, interval=PRUNE_INTERVAL, first=60.0, name=PRUNE_JOB_NAME,
                                job_kwargs={"max_instances": 1, "coalesce": True})
    return job_queue.run_repeating(deliver, interval=interval, first=min(interval, 1.0), name=JOB_NAME,
                                   data=the_sender,
                                   job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None})
