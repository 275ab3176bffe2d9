"""The one wiring function: :func:`build_application` builds the python-telegram-bot Application with the
command handlers, the error handler, and a ``post_init`` that registers the command menus (Arabic and
English), subscribes the configured channels, and starts the jobs: one polling job per feed
(:func:`feeds.scheduler.schedule_feeds`), the sender (:func:`bot.sender.schedule_delivery`) and the daily
digest (:func:`bot.digest.schedule_digest`). ``post_shutdown`` releases what the jobs hold.

Console mode (``console=True``) builds the same Application around a :class:`ConsoleBot` that never talks to
Telegram (its ``get_me`` answers locally, and there is no Updater), with pushes and digests going to a
console sink instead of Telegram. :mod:`bot.console` drives it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

import sqlite_utils
from telegram import BotCommand, LinkPreviewOptions, User
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    ExtBot,
    InlineQueryHandler,
    filters,
)

from bot.handlers import Handlers
from bot.i18n import t
from config import Config
from storage import chats

log = logging.getLogger(__name__)

COMMANDS = ("start", "help", "id", "subscribe", "unsubscribe", "subscriptions", "latest", "who", "chart", "digest", "language", "sources")
ALLOWED_UPDATES = ["message", "edited_message", "channel_post", "callback_query", "inline_query"]
CONSOLE_CHAT_ID = 0
CONSOLE_TOKEN = "0:console"


class ConsoleBot(ExtBot):
    """A Bot that never contacts Telegram: ``initialize()`` and ``get_me()`` answer locally, and any other
    Bot API call raises :class:`ConsoleModeError` instead of making a request.

    Console mode only schedules jobs and prints through a console sink; nothing should call the Bot API.
    """

    async def get_me(self, *args: Any, **kwargs: Any) -> User:  # noqa: ARG002 - same signature as Bot
        self._bot_user = User(id=0, is_bot=True, first_name="Raqib", username="raqib_console_bot")
        return self._bot_user

    def __init__(self, *args: Any, console_sink: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._console_sink = console_sink  # where replies to commands typed in the console are printed

    async def _do_post(self, endpoint: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        """Replies to commands typed in the console are printed; nothing else is available."""
        data = data or {}
        if endpoint in ("sendMessage", "editMessageText") and self._console_sink is not None:
            chat_id = int(data.get("chat_id") or 0)
            text = str(data.get("text") or "")
            markup = data.get("reply_markup")
            if markup is not None and hasattr(markup, "inline_keyboard"):
                text += "\n" + "  ".join(f"[{button.text}]" for row in markup.inline_keyboard for button in row)
            message_id = await self._console_sink.reply(chat_id, text)
            return {"message_id": message_id, "date": int(time.time()), "text": text,
                    "chat": {"id": chat_id, "type": "private", "first_name": "console"}}
        if endpoint == "sendPhoto" and self._console_sink is not None:  # /chart: saved, its caption printed
            import tempfile

            chat_id = int(data.get("chat_id") or 0)
            photo = data.get("photo")
            content = getattr(photo, "input_file_content", photo if isinstance(photo, bytes) else b"")
            with tempfile.NamedTemporaryFile(prefix="raqib-chart-", suffix=".png", delete=False) as f:
                f.write(content or b"")
            text = f"{data.get('caption') or ''}\n🖼 {f.name}"
            message_id = await self._console_sink.reply(chat_id, text)
            return {"message_id": message_id, "date": int(time.time()), "caption": text,
                    "photo": [{"file_id": "console", "file_unique_id": "console", "width": 1, "height": 1}],
                    "chat": {"id": chat_id, "type": "private", "first_name": "console"}}
        if endpoint == "answerCallbackQuery":
            return True
        raise ConsoleModeError(f"console mode: the Bot API method {endpoint} is not available")


class ConsoleModeError(RuntimeError):
    """A Bot API call was attempted in console mode."""


def commands(lang: str) -> list[BotCommand]:
    return [BotCommand(name, t(f"cmd_{name}", lang)) for name in COMMANDS]


def _registry() -> Any:
    from reactions import load_registry

    return load_registry()


def build_application(config: Config, db: sqlite_utils.Database, *, console: bool = False, sink: Any = None,
                      registry: Any = None, start_jobs: bool = True) -> Application:
    """Build the Application: handlers, error handler, post_init (menus, channels, jobs), post_shutdown.

    :param console: build around a :class:`ConsoleBot` with no Updater (nothing reaches Telegram).
    :param sink: where pushes and digests go; default a ``bot.sender.TelegramSink`` over the application's bot
        (console mode needs one, e.g. ``bot.console.ConsoleSink``).
    :param registry: the speaker registry (default ``reactions.load_registry()``).
    :param start_jobs: False builds the handlers only (tests).
    """
    registry = registry or _registry()
    defaults = Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
    builder: ApplicationBuilder = ApplicationBuilder()
    if console:
        bot = ConsoleBot(CONSOLE_TOKEN, defaults=defaults, console_sink=sink if hasattr(sink, "reply") else None)
        builder = builder.bot(bot).updater(None)
    else:
        builder = (builder.token(config.telegram.token).base_url(config.telegram.api_url)
                   .base_file_url(config.telegram.file_api_url).defaults(defaults))
    # No AIORateLimiter: bot.sender keeps Telegram's limits itself (see its docstring); both would double up.
    state: dict[str, Any] = {"sink": sink}

    async def post_init(application: Application) -> None:
        if not start_jobs:
            return
        if state["sink"] is None:
            from bot.sender import TelegramSink

            state["sink"] = TelegramSink(application.bot)
        if not console:
            # console mode's pseudo subscriber (chat 0) is not a Telegram chat: never deliver to it here
            chats.deactivate_chat(db, CONSOLE_CHAT_ID, "console mode only")
            await _set_commands(application)
            await _subscribe_channels(application, db, config, handlers.names.tracked)
        _start_jobs(application, config, db, state["sink"], handlers, console=console)

    async def post_shutdown(application: Application) -> None:
        if not start_jobs or application.job_queue is None:
            return
        from feeds.scheduler import close_feed_jobs

        await close_feed_jobs(application.job_queue)

    application = builder.post_init(post_init).post_shutdown(post_shutdown).build()

    def on_feed_added(app: Application, feed: Any) -> None:
        if app.job_queue is not None and start_jobs:
            from feeds.scheduler import add_feed_job

            add_feed_job(app.job_queue, feed, first=1.0)

    def on_feed_removed(app: Application, url: str) -> None:
        if app.job_queue is not None and start_jobs:
            from feeds.scheduler import remove_feed_job

            remove_feed_job(app.job_queue, url)

    handlers = Handlers(config, db, registry, on_feed_added=on_feed_added, on_feed_removed=on_feed_removed,
                        admins=(CONSOLE_CHAT_ID,) if console else ())  # the console's user is its admin
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
    from bot.sources import CALLBACK_PREFIX, SourcesCommand

    sources = SourcesCommand(handlers)
    routes[("sources",)] = sources.command
    from bot.chart import ChartCommand

    routes[("chart",)] = ChartCommand(handlers).command
    for names, callback in routes.items():
        application.add_handler(CommandHandler(list(names), callback, filters=where))
    application.add_handler(CallbackQueryHandler(handlers.toggle, pattern=r"^sub:"))
    application.add_handler(CallbackQueryHandler(sources.button, pattern=rf"^{CALLBACK_PREFIX}"))
    from bot.inline import InlineSearch

    application.add_handler(InlineQueryHandler(InlineSearch(handlers).answer))
    application.add_error_handler(handlers.error)


async def _set_commands(application: Application) -> None:
    """The command menu in English (the default) and Arabic (for users whose Telegram is in Arabic)."""
    try:
        await application.bot.set_my_commands(commands("en"))
        await application.bot.set_my_commands(commands("ar"), language_code="ar")
    except Exception:  # noqa: BLE001 - a menu is not worth failing the start for
        log.warning("could not set the command menu", exc_info=True)


async def _subscribe_channels(application: Application, db: sqlite_utils.Database, config: Config,
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
        chats.ensure_chat(db, int(chat_id), "channel", title, timezone=config.digest.timezone,
                          digest_time=config.digest.time.strftime("%H:%M"))
        for speaker in speakers:
            chats.subscribe(db, int(chat_id), speaker)
        log.info("channel %s follows every speaker", channel)


def _start_jobs(application: Application, config: Config, db: sqlite_utils.Database, sink: Any,
                handlers: Handlers, *, console: bool) -> None:
    from bot import sender
    from bot.digest import schedule_digest
    from feeds.scheduler import schedule_feeds

    job_queue = application.job_queue
    assert job_queue is not None, "python-telegram-bot's [job-queue] extra is required"
    async def on_new_clusters(cluster_ids: Sequence[int]) -> None:
        await sender.fan_out(db, cluster_ids)  # the delivery job (every second) sends them

    schedule_feeds(job_queue, db, config, on_new_clusters=on_new_clusters)
    sender.schedule_delivery(job_queue, db, sink, limiter=sender.console_limiter() if console else None,
                             max_age=config.delivery.max_age_hours * 3600)
    schedule_digest(job_queue, db, sink, handlers.names)
    if str(config.storage_path) != ":memory:":  # the heartbeat lives beside the database file
        from bot.health import heartbeat_path, schedule_heartbeat

        schedule_heartbeat(job_queue, heartbeat_path(config.storage_path))
    log.info("jobs started: feed polling, delivery, daily digest, heartbeat")
