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
import tempfile
from pathlib import Path

import sqlite_utils

from bot.app import ALLOWED_UPDATES, build_application
from bot.console import SampleServer, run_console
from bot.settings import read_config
from config import Config, config_path
from storage import open_store

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

    def _clean(self, value: object) -> object:
        if isinstance(value, str) and self.secret in value:
            return value.replace(self.secret, "<token>")
        return value

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

    samples = None
    if demo:
        samples = SampleServer().__enter__()
        config = dataclasses.replace(config, feeds=tuple(dataclasses.replace(f, url=samples.rewrite(f.url))
                                                         for f in config.feeds))
    try:
        db = open_store(config, deliver=True)
        try:
            if console:
                return asyncio.run(_console(config, db, samples))
            return _telegram(config, db)
        finally:
            db.close()
    finally:
        if samples is not None:
            samples.close()


def _telegram(config: Config, db: sqlite_utils.Database) -> int:
    application = build_application(config, db)
    log.info("Raqib starts with Telegram (%d configured feeds)", len(config.feeds))
    # run_polling installs SIGINT/SIGTERM handlers and stops the application (jobs included) gracefully.
    application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False,
                            stop_signals=(signal.SIGINT, signal.SIGTERM))
    return 0


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
