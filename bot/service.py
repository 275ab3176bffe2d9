"""``raqib run``: the service. Load the configuration, open the store (:func:`storage.open_store`: migrate, sync
the configured feeds, recover deliveries a crash left in flight), then run with Telegram (``TELEGRAM_BOT_TOKEN`` or ``[telegram].token``)
or in console mode, until SIGINT/SIGTERM.

Which configuration: ``--demo``, or no token and no configuration file at all (no ``--config``, no
``$RAQIB_CONFIG``, no ``./raqib.toml``), runs the bundled demo (``bot/demo.toml``: sample feeds served from
loopback, a fresh database in a temporary folder). ``--console`` prints instead of sending even with a token.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import signal
import sys
import tempfile
import threading
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils
from telegram import Bot
from telegram.error import InvalidToken, NetworkError

from bot.app import ALLOWED_UPDATES, build_application
from bot.console import SampleServer, run_console
from bot.errors import CommandError
from bot.settings import read_config
from config import Config, config_path
from feeds.asyncdb import AsyncDB
from feeds.fetch import Fetcher
from feeds.pipeline import poll_once, utcnow
from reactions.clustering import warm_up
from storage import open_store
from storage.feeds import due_feeds
from storage.models import db_time

log = logging.getLogger(__name__)

DEMO_CONFIG = Path(__file__).with_name("demo.toml")
QUIET_LOGGERS = ("httpx", "httpcore", "telegram", "telegram.ext", "apscheduler")


class RedactFilter(logging.Filter):
    """Replaces the bot token in every log record (message, arguments and traceback text) with ``<token>``.

    httpx and PTB log request URLs, and Bot API URLs contain the token.
    """

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secret:
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string: leave the record alone
            return True
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, "<token>"), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = record.exc_text.replace(self.secret, "<token>")
        return True


def setup_logging(token: str, *, verbose: bool = False, console: bool = False) -> None:
    """Quiet the HTTP loggers and redact the token from every record on every handler."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose and name == "telegram.ext" else logging.WARNING)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if console and not verbose:
        root.setLevel(logging.WARNING)  # the console shows the messages themselves; logs only for problems
    if token:
        redact = RedactFilter(token)
        for handler in root.handlers:
            handler.addFilter(redact)


def redact_crashes(token: str) -> None:
    """Crash output is redacted too, not only logging: an uncaught exception's traceback (PTB's messages and
    request URLs can carry the token) is printed with the token replaced by ``<token>``."""
    if not token:
        return

    def hook(kind: type[BaseException], value: BaseException, tb: Any) -> None:
        text = "".join(traceback.format_exception(kind, value, tb)).replace(token, "<token>")
        sys.stderr.write(text)

    sys.excepthook = hook


def demo_config(env: dict[str, str] | None = None) -> Config:
    """The bundled demo configuration, its database in a fresh temporary folder."""
    config = read_config(DEMO_CONFIG, env=env if env is not None else dict(os.environ))
    folder = Path(tempfile.mkdtemp(prefix="raqib-demo-"))
    return dataclasses.replace(config, storage_path=folder / "raqib.db", demo=True)


def choose_config(args: argparse.Namespace) -> tuple[Config, bool]:
    """(configuration, demo?) for ``raqib run`` with these options.

    :raises ConfigError: the configuration is invalid.
    """
    explicit = getattr(args, "config", None)
    if getattr(args, "demo", False):
        return demo_config(), True
    if config_path(explicit) is None and not os.environ.get("TELEGRAM_BOT_TOKEN"):
        return demo_config(), True
    config = read_config(explicit)
    return config, bool(config.demo)


def run_service(args: argparse.Namespace) -> int:
    """Run the service until SIGINT/SIGTERM; returns the exit status.

    :raises ConfigError: the configuration is invalid; :raises storage.CannotOpen, storage.SchemaTooNew: the
        database cannot be used (``bot.cli.main`` prints each as one line, exit status 2).
    """
    config, demo = choose_config(args)
    console = bool(getattr(args, "console", False)) or not config.telegram.token
    setup_logging(config.telegram.token, verbose=bool(getattr(args, "verbose", False)), console=console)
    redact_crashes(config.telegram.token)

    samples = None
    if demo:
        samples = SampleServer().__enter__()
        config = dataclasses.replace(config, feeds=tuple(dataclasses.replace(f, url=samples.rewrite(f.url))
                                                         for f in config.feeds))
    # the bilingual names (GeoNames) and the registry load in seconds: built off the event loop from the start
    threading.Thread(target=warm_up, name="raqib-warm-up", daemon=True).start()
    try:
        db = open_store(config, deliver=True)
        # every handler and job reaches the database through these threads, never on the event loop
        store = AsyncDB.of(db, busy_timeout_ms=DB_THREADS_BUSY_TIMEOUT_MS)
        try:
            if console:
                return asyncio.run(_console(config, db, samples))
            return _telegram(config, db)
        finally:
            store.close()
            db.close()
    finally:
        if samples is not None:
            samples.close()


# How long the database threads wait for another process's write lock: a wait holds a thread, not the bot
# (reads go on meanwhile); a write still refused after it fails and is tried again (marks are remembered).
DB_THREADS_BUSY_TIMEOUT_MS = 10_000
TOKEN_REJECTED = ("Telegram rejected the bot token (check TELEGRAM_BOT_TOKEN or [telegram].token; "
                  "@BotFather gives it)")
FIRST_RETRY, MAX_RETRY = 2.0, 60.0  # seconds between tries to reach Telegram at start


def _telegram(config: Config, db: sqlite_utils.Database) -> int:
    try:
        reached = asyncio.run(wait_for_telegram(config, db))
    except InvalidToken:
        raise CommandError(TOKEN_REJECTED) from None
    if not reached:
        return 0  # stopped (SIGINT/SIGTERM) before Telegram could be reached
    application = build_application(config, db)
    log.info("Raqib starts with Telegram (%d configured feeds)", len(config.feeds))
    # run_polling installs SIGINT/SIGTERM handlers and stops the application (jobs included) gracefully.
    try:
        application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False,
                                stop_signals=(signal.SIGINT, signal.SIGTERM))
    except InvalidToken:  # revoked between the check and the start
        raise CommandError(TOKEN_REJECTED) from None
    return 0


async def wait_for_telegram(config: Config, db: sqlite_utils.Database) -> bool:
    """Until Telegram answers ``getMe``: try, and while it is unreachable say so in one line, poll the feeds
    that are due (what they find waits in the store for the delivery job) and try again with backoff
    (2 s doubling to a minute). Returns False when stopped by SIGINT/SIGTERM meanwhile.

    :raises InvalidToken: Telegram answered, and rejected the token (401/404).
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    token = config.telegram.token
    delay = FIRST_RETRY
    try:
        async with Fetcher(config.fetch) as fetcher:
            while not stop.is_set():
                try:
                    async with Bot(token, base_url=config.telegram.api_url,
                                   base_file_url=config.telegram.file_api_url):
                        return True  # initialize() asked getMe: Telegram is there and takes the token
                except InvalidToken:
                    raise
                except NetworkError as exc:  # unreachable, timed out, 5xx
                    reason = (str(exc) or type(exc).__name__).replace(token, "<token>")
                    log.warning("Telegram is unreachable at %s (%s); retrying in %gs, polling the feeds meanwhile",
                                urlsplit(config.telegram.api_url).netloc, reason[:160], delay)
                retry_at = loop.time() + delay
                while not stop.is_set() and loop.time() < retry_at:
                    due = await AsyncDB.of(db).read(due_feeds, db_time(utcnow()))
                    if due:
                        summary = await poll_once(AsyncDB.of(db), config, [f.url for f in due], fetcher=fetcher)
                        log.info("polled %d feeds while Telegram is unreachable: %d new statements",
                                 summary.feeds_polled, summary.new_statements)
                    try:
                        await asyncio.wait_for(stop.wait(), timeout=max(0.1, min(1.0, retry_at - loop.time())))
                    except TimeoutError:
                        pass
                delay = min(MAX_RETRY, delay * 2)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.remove_signal_handler(sig)
            except (NotImplementedError, RuntimeError):
                pass
    return False


async def _console(config: Config, db: sqlite_utils.Database, samples: SampleServer | None) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # not the main thread, or Windows
            pass
    lang = os.environ.get("RAQIB_LANG", "en")
    return await run_console(config, db, lang=lang if lang in ("ar", "en") else "en", samples=samples, stop=stop)
