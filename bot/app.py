"""The one wiring function: :func:`build_application` builds the python-telegram-bot Application with the
command handlers, the error handler, and a ``post_init`` that registers the command menus (Arabic and
English), subscribes the configured channels, and starts the jobs: one polling job per feed
(:func:`feeds.scheduler.schedule_feeds`), the sender (:func:`bot.sender.schedule_delivery`), the daily
digest (:func:`bot.digest.schedule_digest`) and the heartbeat, all in :func:`start_jobs_of`. ``post_shutdown``
releases what the jobs hold.

Console mode (``console=True``) builds the same Application over a :class:`ConsoleRequest` (python-telegram-bot's
HTTP layer, replaced through ``ApplicationBuilder.request``) that answers Bot API calls locally, without an
Updater, with pushes and digests going to a console sink instead of Telegram. :mod:`bot.console` drives it.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections.abc import Sequence
from typing import Any

import sqlite_utils
from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    filters,
)
from telegram.request import BaseRequest, RequestData

from bot import sender
from bot.chart import ChartCommand
from bot.digest import schedule_digest
from bot.handlers import Handlers
from bot.health import heartbeat_path, schedule_heartbeat
from bot.i18n import t
from bot.inline import InlineSearch
from bot.sources import CALLBACK_PREFIX, SourcesCommand
from bot.stalls import StallMonitor
from config import Config
from feeds.asyncdb import AsyncDB
from feeds.scheduler import FeedJobs, schedule_feeds
from reactions import load_registry
from reactions.registry import Registry
from storage import chats
from storage.models import FeedRow

log = logging.getLogger(__name__)

COMMANDS = ("start", "help", "id", "subscribe", "unsubscribe", "subscriptions", "latest", "who", "chart", "digest",
            "language", "sources")
ALLOWED_UPDATES = ["message", "edited_message", "channel_post", "callback_query", "inline_query"]
CONSOLE_CHAT_ID = 0
CONSOLE_TOKEN = "0:console"
CONSOLE_USER = {"id": 0, "is_bot": True, "first_name": "Raqib", "username": "raqib_console_bot"}


class ConsoleModeError(TelegramError):
    """A Bot API call was attempted in console mode."""


class ConsoleRequest(BaseRequest):
    """python-telegram-bot's HTTP layer for console mode (its public extension point,
    ``ApplicationBuilder().request(...)``): Bot API calls are answered here and never reach Telegram.

    ``getMe`` answers with a local bot user; replies to commands typed in the console (``sendMessage``,
    ``editMessageText``) are printed through ``sink.reply``; ``answerCallbackQuery`` succeeds; any other
    method raises :class:`ConsoleModeError`. Console mode only schedules jobs and prints through a console sink.
    """

    def __init__(self, sink: Any = None) -> None:
        self.sink = sink if hasattr(sink, "reply") else None  # where replies to typed commands are printed

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         **timeouts: Any) -> tuple[int, bytes]:  # noqa: ARG002 - nothing goes on the wire
        endpoint = url.rsplit("/", 1)[-1]
        data = request_data.parameters if request_data is not None else {}
        result: Any
        if endpoint == "getMe":
            result = CONSOLE_USER
        elif endpoint in ("sendMessage", "editMessageText") and self.sink is not None:
            chat_id = int(data.get("chat_id") or 0)
            text = str(data.get("text") or "")
            markup = data.get("reply_markup")
            if isinstance(markup, dict) and markup.get("inline_keyboard"):
                text += "\n" + "  ".join(f"[{button['text']}]" for row in markup["inline_keyboard"] for button in row)
            message_id = await self.sink.reply(chat_id, text)
            result = {"message_id": message_id, "date": int(time.time()), "text": text,
                      "chat": {"id": chat_id, "type": "private", "first_name": "console"}}
        elif endpoint == "sendPhoto" and self.sink is not None:  # /chart: saved to a file, its caption printed
            chat_id = int(data.get("chat_id") or 0)
            files = request_data.multipart_data if request_data is not None else {}
            content = next(iter(files.values()))[1] if files else b""
            if not isinstance(content, bytes):  # a file handle
                content = content.read()
            with tempfile.NamedTemporaryFile(prefix="raqib-chart-", suffix=".png", delete=False) as f:
                f.write(content)
            text = f"{data.get('caption') or ''}\n🖼 {f.name}"
            message_id = await self.sink.reply(chat_id, text)
            result = {"message_id": message_id, "date": int(time.time()), "caption": text,
                      "photo": [{"file_id": "console", "file_unique_id": "console", "width": 1, "height": 1}],
                      "chat": {"id": chat_id, "type": "private", "first_name": "console"}}
        elif endpoint == "answerCallbackQuery":
            result = True
        else:
            raise ConsoleModeError(f"console mode: the Bot API method {endpoint} is not available")
        return 200, json.dumps({"ok": True, "result": result}).encode()


def commands(lang: str) -> list[BotCommand]:
    return [BotCommand(name, t(f"cmd_{name}", lang)) for name in COMMANDS]


def build_application(config: Config, db: sqlite_utils.Database, *, console: bool = False, sink: Any = None,
                      registry: Registry | None = None, start_jobs: bool = True,
                      store: AsyncDB | None = None) -> Application:
    """Build the Application: handlers, error handler, post_init (menus, channels, jobs), post_shutdown.

    :param console: answer Bot API calls locally (:class:`ConsoleRequest`), with no Updater: nothing reaches
        Telegram.
    :param sink: where pushes and digests go; default a ``bot.sender.TelegramSink`` over the application's bot
        (console mode needs one, e.g. ``bot.console.ConsoleSink``).
    :param registry: the speaker registry (default ``reactions.load_registry()``).
    :param start_jobs: False builds the handlers only (tests).
    :param store: the database threads every handler and job uses (default: the :class:`AsyncDB` kept with
        ``db``); the caller closes it after the application stopped.
    """
    registry = registry or load_registry()
    store = store or AsyncDB.of(db)
    defaults = Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
    builder: ApplicationBuilder = ApplicationBuilder().defaults(defaults)
    if console:
        request = ConsoleRequest(sink)
        builder = builder.token(CONSOLE_TOKEN).request(request).get_updates_request(request).updater(None)
    limiter = None
    if not console:
        # One rate limiter for everything the bot sends: the sender's pushes and digests (bot.sender.RateLimiter)
        # and, through python-telegram-bot's rate-limiter hook, command replies (bot.sender.ReplyLimiter), so a
        # reply never draws a 429 during a fan-out. Not AIORateLimiter: see bot.sender's docstring.
        limiter = sender.RateLimiter()
        builder = (builder.token(config.telegram.token).base_url(config.telegram.api_url)
                   .base_file_url(config.telegram.file_api_url).rate_limiter(sender.ReplyLimiter(limiter)))
    running: dict[str, FeedJobs] = {}  # the feed jobs, once post_init started them

    async def post_init(application: Application) -> None:
        if not start_jobs:
            return
        stalls.start()
        if not console:
            # console mode's pseudo subscriber (chat 0) is not a Telegram chat: never deliver to it here
            await store.write(chats.deactivate_chat, CONSOLE_CHAT_ID, "console mode only")
            await _set_commands(application)
            await _subscribe_channels(application, store, config, handlers.names.tracked)
        running["feeds"] = start_jobs_of(application, config, db,
                                         sink or sender.TelegramSink(application.bot, limiter=limiter),
                                         handlers, console=console)

    async def post_shutdown(application: Application) -> None:
        await stalls.stop()
        feed_jobs = running.pop("feeds", None)
        if feed_jobs is not None:
            await feed_jobs.aclose()

    application = builder.post_init(post_init).post_shutdown(post_shutdown).build()

    def on_feed_added(app: Application, feed: FeedRow) -> None:
        if "feeds" in running:
            running["feeds"].add(feed, first=1.0)

    def on_feed_removed(app: Application, url: str) -> None:
        if "feeds" in running:
            running["feeds"].remove(url)

    handlers = Handlers(config, db, registry, on_feed_added=on_feed_added, on_feed_removed=on_feed_removed,
                        admins=(CONSOLE_CHAT_ID,) if console else (), store=store)  # the console's user is its admin
    stalls = StallMonitor()  # the event loop's stalls: /status, the log, the heartbeat file
    handlers.stalls = stalls
    add_handlers(application, handlers)
    return application


def add_handlers(application: Application, handlers: Handlers) -> None:
    """Register the commands (private chats, groups as /cmd@botname, channel posts), the keyboard and the
    error handler."""
    where = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST
    routes = {
        ("start", "help"): handlers.start,
        ("id",): handlers.whoami,
        ("subscribe",): handlers.subscribe,
        ("unsubscribe",): handlers.unsubscribe,
        ("subscriptions",): handlers.subscriptions,
        ("latest",): handlers.latest,
        ("who",): handlers.who,
        ("digest",): handlers.digest,
        ("language",): handlers.language,
        ("status",): handlers.status,
        ("addfeed",): handlers.addfeed,
        ("removefeed",): handlers.removefeed,
    }
    sources = SourcesCommand(handlers)
    routes[("sources",)] = sources.command
    routes[("chart",)] = ChartCommand(handlers).command
    for names, callback in routes.items():
        application.add_handler(CommandHandler(list(names), callback, filters=where))
    application.add_handler(CallbackQueryHandler(handlers.toggle, pattern=r"^sub:"))
    application.add_handler(CallbackQueryHandler(sources.button, pattern=rf"^{CALLBACK_PREFIX}"))
    application.add_handler(InlineQueryHandler(InlineSearch(handlers).answer))
    application.add_error_handler(handlers.error)


async def _set_commands(application: Application) -> None:
    """The command menu in English (the default) and Arabic (for users whose Telegram is in Arabic)."""
    try:
        await application.bot.set_my_commands(commands("en"))
        await application.bot.set_my_commands(commands("ar"), language_code="ar")
    except Exception:  # noqa: BLE001 - a menu is not worth failing the start for
        log.warning("could not set the command menu", exc_info=True)


async def _subscribe_channels(application: Application, store: AsyncDB, config: Config,
                              speakers: Sequence[str]) -> None:
    """Every configured channel follows every tracked speaker (``@username`` channels resolved once), with
    the configuration's default timezone and digest time."""
    for channel in config.telegram.channels:
        chat_id, title = channel, ""
        if isinstance(channel, str):
            try:
                found = await application.bot.get_chat(channel)
            except Exception:  # noqa: BLE001
                log.warning("channel %s could not be resolved; is the bot an admin there?", channel, exc_info=True)
                continue
            chat_id, title = found.id, found.title or channel
        await store.write(_follow_all, int(chat_id), title, config, speakers)
        log.info("channel %s follows every speaker", channel)


def _follow_all(db: sqlite_utils.Database, chat_id: int, title: str, config: Config, speakers: Sequence[str]) -> None:
    chats.ensure_chat(db, chat_id, "channel", title, timezone=config.digest.timezone,
                      digest_time=config.digest.time.strftime("%H:%M"))
    for speaker in speakers:
        chats.subscribe(db, chat_id, speaker)


def start_jobs_of(application: Application, config: Config, db: sqlite_utils.Database, sink: sender.Sink,
                  handlers: Handlers, *, console: bool) -> FeedJobs:
    """The one place the service's jobs start: one polling job per feed, the delivery job (fan-out from the
    store into the outbox, then sending), the digest and the heartbeat. Returns the feed jobs."""
    job_queue = application.job_queue
    assert job_queue is not None, "python-telegram-bot's [job-queue] extra is required"
    feed_jobs = schedule_feeds(job_queue, db, config)
    sender.schedule_delivery(job_queue, handlers.store, sink, limiter=sender.console_limiter() if console else None,
                             max_age=config.delivery.max_age_hours * 3600,
                             keep_sent_days=config.delivery.keep_sent_days,
                             max_delay=config.delivery.max_delay_minutes * 60)
    schedule_digest(job_queue, handlers.store, sink, handlers.names)
    if str(config.storage_path) != ":memory:":  # the heartbeat lives beside the database file
        schedule_heartbeat(job_queue, heartbeat_path(config.storage_path), stalls=handlers.stalls)
    log.info("jobs started: feed polling, delivery, daily digest, heartbeat")
    return feed_jobs
