"""Console mode: the same service as with Telegram, but every message a subscriber would receive is printed.

How it runs without Telegram: :func:`bot.app.build_application` builds the Application over a
:class:`bot.app.ConsoleRequest` (Bot API calls answered locally) and without an Updater, so
``initialize()``/``start()`` make no network call; we then run the very sequence ``run_polling`` runs
(initialize, post_init, start ... stop, shutdown, post_shutdown) minus the polling of updates. The JobQueue
therefore runs the real feed jobs, fan-out and digest job; only the sink differs (:class:`ConsoleSink`).

With the demo configuration (``bot/demo.toml``), the sample feeds in ``bot/samples/`` are served from disk by
:class:`SampleServer` on 127.0.0.1 (port 0), so items added to those files show up at the next poll.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
import re
import shutil
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import unquote, urlsplit

import sqlite_utils
from telegram import Update

from bot import render
from bot.app import CONSOLE_CHAT_ID, build_application
from bot.digest import preview
from bot.i18n import RLM
from config import Config
from reactions import load_registry
from storage import chats, queries
from storage.stats import first_round_done

log = logging.getLogger(__name__)

SAMPLES = Path(__file__).with_name("samples")
BASE_PLACEHOLDER = "{{BASE}}"
CONTENT_TYPES = {".xml": "application/rss+xml; charset=utf-8", ".rss": "application/rss+xml; charset=utf-8",
                 ".atom": "application/atom+xml; charset=utf-8", ".html": "text/html; charset=utf-8"}
FIRST_ROUND_TIMEOUT = 90.0


# --- printing ----------------------------------------------------------------------------------------

_LINK = re.compile(r'<a\s+href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL | re.IGNORECASE)
_QUOTE = re.compile(r"<blockquote[^>]*>(.*?)</blockquote>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(text: str) -> str:
    """Telegram HTML as readable plain text: links as ``label (url)``, quotes indented, tags dropped."""
    def link(m: re.Match[str]) -> str:
        label, url = _TAG.sub("", m.group(2)), m.group(1)
        return label if html.unescape(label) == html.unescape(url) else f"{label} ({url})"

    text = _LINK.sub(link, text)
    text = _QUOTE.sub(lambda m: "\n".join("  │ " + line for line in m.group(1).strip("\n").split("\n")), text)
    text = _TAG.sub("", text)
    return html.unescape(text).replace(RLM, "")


def rule(title: str, width: int | None = None) -> str:
    width = width or min(100, shutil.get_terminal_size((88, 20)).columns)
    head = f"━━ {title} "
    return head + "━" * max(3, width - len(head))


class ConsoleSink:
    """A :class:`bot.sender.Sink` that prints each message as plain text instead of sending it."""

    def __init__(self, out: TextIO | None = None, label: Callable[[int], str] | None = None) -> None:
        self.out = out
        self.label = label or (lambda chat_id: "console" if chat_id == 0 else f"chat {chat_id}")
        self.count = 0
        self.replies = 0
        self.edits = 0

    async def send(self, chat_id: int, html_text: str) -> int:
        """A push or digest message: printed under a ``message N to console`` rule."""
        self.count += 1
        self._print(f"message {self.count} to {self.label(chat_id)}", html_text)
        return self.count

    async def edit(self, chat_id: int, message_id: int, html_text: str) -> None:
        """A pushed message gained sources: printed again under ``message N edited``."""
        self.edits += 1
        self._print(f"message {message_id} to {self.label(chat_id)} edited", html_text)

    async def reply(self, chat_id: int, html_text: str) -> int:
        """The bot's answer to a command typed in the console."""
        self.replies += 1
        self._print("reply", html_text)
        return 100_000 + self.replies

    def _print(self, title: str, html_text: str) -> None:
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        print(f"\n{rule(f'{title} · {stamp}')}\n{html_to_text(html_text)}", file=self.out or sys.stdout, flush=True)


# --- the sample feed server --------------------------------------------------------------------------

class _SampleHandler(BaseHTTPRequestHandler):
    server: _SampleHTTPServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        name = unquote(urlsplit(self.path).path).lstrip("/")
        root = self.server.root.resolve()
        path = (root / name).resolve()
        if not name or root not in path.parents or not path.is_file():
            page = self.server.article_page(self.path) if name.endswith(".html") else None
            if page is None:
                self.send_error(404, "no such sample")
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)
            return
        stat = path.stat()
        modified = dt.datetime.fromtimestamp(int(stat.st_mtime), dt.UTC)
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'  # exact, unlike Last-Modified's whole seconds
        since = self.headers.get("If-Modified-Since")
        match = self.headers.get("If-None-Match")
        if match is not None:
            if etag in [m.strip() for m in match.split(",")]:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
        elif since:
            try:
                if parsedate_to_datetime(since) >= modified:
                    self.send_response(304)
                    self.end_headers()
                    return
            except (TypeError, ValueError):
                pass
        body = path.read_text(encoding="utf-8").replace(BASE_PLACEHOLDER, self.server.base_url).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", CONTENT_TYPES.get(path.suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", formatdate(modified.timestamp(), usegmt=True))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        log.debug("sample server: " + format, *args)


class _SampleHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    root: Path
    base_url: str

    def article_page(self, request_path: str) -> bytes | None:
        """A sample item's own page (its ``<link>``), built from the feed files, so demo links open."""

        wanted = urlsplit(request_path).path
        encoded = "{http://purl.org/rss/1.0/modules/content/}encoded"
        for feed in sorted(self.root.glob("*.xml")):
            try:
                tree = ET.fromstring(feed.read_text(encoding="utf-8").replace(BASE_PLACEHOLDER, self.base_url))
            except (ET.ParseError, OSError):
                continue
            lang = (tree.findtext("channel/language") or "en")[:2]
            for item in tree.iter("item"):
                if urlsplit(item.findtext("link") or "").path != wanted:
                    continue
                title = html.escape(item.findtext("title") or "")
                body = item.findtext(encoded) or f"<p>{html.escape(item.findtext('description') or '')}</p>"
                direction = "rtl" if lang == "ar" else "ltr"
                return (f'<!DOCTYPE html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
                        f"<title>{title}</title></head><body><article><h1>{title}</h1>{body}</article>"
                        "</body></html>").encode()
        return None


class SampleServer:
    """Serves a folder (``bot/samples``) on 127.0.0.1 at a free port, reading files at each request, with
    ``{{BASE}}`` in them replaced by the server's base URL and Last-Modified/If-Modified-Since support."""

    def __init__(self, root: Path = SAMPLES) -> None:
        self.httpd = _SampleHTTPServer(("127.0.0.1", 0), _SampleHandler)
        self.httpd.root = root
        self.base_url = self.httpd.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="raqib-samples", daemon=True)

    def __enter__(self) -> SampleServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def rewrite(self, url: str) -> str:
        """``http://any.host/path`` -> ``http://127.0.0.1:PORT/path``."""
        parts = urlsplit(url)
        return self.base_url + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


# --- the console run -----------------------------------------------------------------------------------

def setup_console_chat(db: sqlite_utils.Database, speakers: list[str], lang: str = "en") -> chats.Chat:
    """The console's pseudo chat (id 0, "console") following every tracked speaker."""
    chat = chats.ensure_chat(db, CONSOLE_CHAT_ID, "private", "console", lang, "UTC", None)
    for speaker in speakers:
        chats.subscribe(db, CONSOLE_CHAT_ID, speaker)
    return chat


def print_boards(db: sqlite_utils.Database, names: render.Names, lang: str, out: TextIO | None = None) -> None:
    """What /latest, /who and the digest would show right now, as plain text."""
    out = out or sys.stdout
    now = dt.datetime.now(dt.UTC)
    print(f"\n{rule('/latest')}\n" + html_to_text(render.latest(queries.latest_clusters(db, None, 5), lang, names)),
          file=out)
    print(f"\n{rule('/who')}\n" + html_to_text(render.who_board(queries.who_board(db, now, names.tracked), lang,
                                                                names)), file=out)
    print(f"\n{rule('digest preview')}", file=out)
    for part in preview(db, CONSOLE_CHAT_ID, names, lang, now):
        print(html_to_text(part), file=out)
    print(f"\n{rule('waiting for new items (Ctrl-C to stop)')}", file=out, flush=True)


async def run_console(config: Config, db: sqlite_utils.Database, *, lang: str = "en",
                      samples: SampleServer | None = None, stop: asyncio.Event | None = None,
                      out: TextIO | None = None, commands: bool | None = None) -> int:
    """Run the service in console mode until ``stop`` is set (SIGINT/SIGTERM in :mod:`bot.service`)."""
    out = out or sys.stdout
    stop = stop or asyncio.Event()
    sink = ConsoleSink(out)
    application = build_application(config, db, console=True, sink=sink)
    names = render.Names.from_registry(load_registry())
    setup_console_chat(db, names.tracked, lang)
    print(rule("Raqib · console mode"), file=out)
    print("No Telegram token: every message a subscriber would receive is printed here.\n"
          f"Subscriber: chat 0 \"console\", following {', '.join(names.tracked)}.\n"
          f"Database: {config.storage_path}", file=out)
    if samples is not None:
        print(f"Demo feeds: {SAMPLES} served at {samples.base_url}/ (polled every "
              f"{min(f.interval for f in config.feeds) if config.feeds else '?'} s; add an <item> to a file "
              "and it appears at the next poll).", file=out)
    for feed in config.feeds:
        print(f"  • {feed.name or feed.url}  {feed.url}" + (f"  [{feed.speaker}]" if feed.speaker else ""),
              file=out)
    out.flush()
    # Commands are read from standard input whether it is a terminal or a pipe/file (``echo /latest |
    # raqib run``); only a missing or closed stdin (some service managers) means no commands.
    interactive = commands if commands is not None else _stdin_open()
    if interactive and sys.stdin.isatty():
        print("Type a command as a Telegram user would (/latest pentagon 3, /who Hasakah, /digest, /status, "
              "/help) and press Enter.", file=out)
    elif interactive:
        print("Standard input is not a terminal: commands are read from it, one a line (/latest, /who Hasakah, "
              "/status, /help).", file=out)
    else:
        print("Standard input is closed: typed commands are not available in this run.", file=out)
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        await application.start()
        if interactive:
            start_command_reader(application, lang)
        boards_shown = False
        waited = 0.0
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=1.0)
            except TimeoutError:
                pass
            waited += 1.0
            if not boards_shown and (first_round_done(db) or waited >= FIRST_ROUND_TIMEOUT):
                await asyncio.sleep(0.5)
                print_boards(db, names, lang, out)
                boards_shown = True
    finally:
        print(f"\n{rule('stopping')}", file=out, flush=True)
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
    return 0


def _stdin_open() -> bool:
    """Whether standard input exists and is open (a terminal, a pipe or a file)."""
    stream = sys.stdin
    if stream is None or stream.closed:
        return False
    try:
        stream.fileno()
    except (OSError, ValueError):
        return False
    return True


def command_update(text: str, update_id: int, lang: str = "en") -> dict[str, Any]:
    """A Telegram update (JSON) for ``text`` typed by the console's user in the console chat (id 0)."""
    word = text.split()[0] if text.split() else text
    message: dict[str, Any] = {
        "message_id": update_id, "date": int(time.time()), "text": text,
        "chat": {"id": 0, "type": "private", "first_name": "console"},
        "from": {"id": 0, "is_bot": False, "first_name": "console", "language_code": lang},
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(word.encode("utf-16-le")) // 2}]
    return {"update_id": update_id, "message": message}


def start_command_reader(application: Any, lang: str, stream: TextIO | None = None) -> threading.Thread:
    """Read commands from the terminal (a daemon thread) and hand each to the Application as an update from
    the console chat: the real handlers answer, and ConsoleRequest prints the answer."""

    loop = asyncio.get_running_loop()
    stream = stream or sys.stdin

    def read() -> None:
        number = 0
        for line in iter(stream.readline, ""):
            text = line.strip()
            if not text:
                continue
            if not text.startswith("/"):
                text = "/" + text
            number += 1
            update = Update.de_json(command_update(text, number, lang), application.bot)
            asyncio.run_coroutine_threadsafe(application.process_update(update), loop)

    thread = threading.Thread(target=read, name="raqib-console-commands", daemon=True)
    thread.start()
    return thread
