"""A fake Telegram Bot API server on 127.0.0.1, for tests, end-to-end runs and the fan-out bench.

It runs a ``ThreadingHTTPServer`` in a background thread, so it serves in-process python-telegram-bot
bots and a separate ``raqib run`` process alike. Point the bot at :attr:`FakeTelegram.api_url`
(``http://127.0.0.1:PORT/bot``); PTB appends the token, so routes are ``/bot<TOKEN>/<method>``.

Example::

    with FakeTelegram() as server:
        bot = telegram.Bot("123:ABC", base_url=server.api_url)
        server.send_command(42, "/subscribe us-state-department")
        ...
        message = server.wait_for(lambda m: m["chat_id"] == 42, timeout=10)

A test can inject updates (:meth:`send_command`, :meth:`press_button`, :meth:`send_inline_query`,
:meth:`inject_update`), read inline answers (:meth:`inline_answer`) and post a chosen result
(:meth:`choose_inline_result`), read what
the bot sent (:meth:`sent`, :meth:`wait_for`, :meth:`await_for`), set who is a group's administrator
(:meth:`set_member_status`, read back by ``getChatMember``; everyone else is a plain ``member``) and program
failures (:meth:`flood`, :meth:`block`, :meth:`chat_not_found`, :meth:`migrate`, :meth:`server_errors`,
:meth:`drop_connections`; ``method="getChatMember"`` makes the membership check fail).
With ``enforce_limits=True`` it answers 429 past Telegram's limits (30 messages/s overall, 1/s per private
chat, 20/min per group) and counts the violations in :attr:`stats`.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import json
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.loopback import Serving

BOT_ID = 123
ANONYMOUS_ADMIN_BOT = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")
GLOBAL_PER_SECOND = 30
PRIVATE_INTERVAL = 1.0
GROUP_PER_MINUTE = 20
MAX_TEXT = 4096

# Parameters that PTB sends as plain strings (everything else is JSON-encoded).
STRING_FIELDS = {
    "text", "parse_mode", "callback_query_id", "inline_message_id", "language_code", "description",
    "short_description", "url", "caption", "secret_token", "emoji", "name", "business_connection_id",
    "message_effect_id", "chat_id", "from_chat_id", "inline_query_id", "next_offset",
}
SENDING_METHODS = {"sendMessage", "editMessageText", "sendPhoto"}

# --- Telegram's HTML subset --------------------------------------------------------------------------

ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "blockquote", "tg-spoiler", "span", "tg-emoji"}
_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))?)*)\s*(/?)>""")
_ATTR = re.compile(r"""([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>=`]+)))?""")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class EntityError(ValueError):
    """The text is not valid Telegram HTML (``str(error)`` says where)."""


def parse_html(text: str) -> str:
    """Check ``text`` against Telegram's HTML rules and return the visible text.

    Tags must be among :data:`ALLOWED_TAGS`, properly nested and closed; ``<a>`` needs ``href``;
    every ``<``, ``>`` and ``&`` outside a tag must be an entity (``&lt; &gt; &amp; &quot;`` or numeric).

    :raises EntityError: on the first problem.
    """
    out: list[str] = []
    stack: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "<":
            m = _TAG.match(text, i)
            if not m:
                raise EntityError(f"Unexpected '<' at offset {i}")
            closing, name, attrs, selfclose = m.group(1), m.group(2).lower(), m.group(3), m.group(4)
            if name not in ALLOWED_TAGS:
                raise EntityError(f'Unsupported start tag "{name}" at offset {i}')
            if selfclose:
                raise EntityError(f'Unsupported self-closing tag "{name}" at offset {i}')
            if closing:
                if attrs.strip():
                    raise EntityError(f"Unexpected attributes in end tag at offset {i}")
                if not stack or stack[-1] != name:
                    raise EntityError(f'Unmatched end tag at offset {i}, expected "</{stack[-1] if stack else ""}>",'
                                      f' found "</{name}>"')
                stack.pop()
            else:
                parsed = {a.group(1).lower(): next((g for g in a.groups()[1:] if g is not None), "")
                          for a in _ATTR.finditer(attrs)}
                if name == "a" and not parsed.get("href"):
                    raise EntityError(f"Tag a without href at offset {i}")
                if name == "span" and parsed.get("class") != "tg-spoiler":
                    raise EntityError(f"Tag span must have class tg-spoiler at offset {i}")
                if stack and stack[-1] in ("code", "pre") and not (stack[-1] == "pre" and name == "code"):
                    raise EntityError(f'Tag "{name}" inside "{stack[-1]}" at offset {i}')
                for value in parsed.values():
                    _check_entities(value, i)
                stack.append(name)
            i = m.end()
        elif ch == "&":
            m = _ENTITY.match(text, i)
            if not m:
                raise EntityError(f"Character '&' is reserved and must be escaped (offset {i})")
            body = m.group(1)
            if body in _NAMED:
                out.append(_NAMED[body])
            else:
                code = int(body[2:], 16) if body[1] in "xX" else int(body[1:])
                if code > 0x10FFFF:
                    raise EntityError(f"Bad numeric entity at offset {i}")
                out.append(chr(code))
            i = m.end()
        elif ch == ">":
            raise EntityError(f"Character '>' is reserved and must be escaped (offset {i})")
        else:
            out.append(ch)
            i += 1
    if stack:
        raise EntityError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def _check_entities(value: str, offset: int) -> None:
    for m in re.finditer("&", value):
        if not _ENTITY.match(value, m.start()):
            raise EntityError(f"Bad entity in attribute at offset {offset}")


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


# --- programmed failures -----------------------------------------------------------------------------

@dataclass
class Fault:
    """One programmed failure: matches a method (and chat), ``times`` times or until ``until``."""

    kind: str  # "429", "403", "400", "migrate", "5xx", "drop"
    method: str | None = "sendMessage"
    chat_id: int | None = None
    times: int | None = None
    until: float | None = None
    retry_after: int = 1
    status: int = 500
    description: str = ""
    new_chat_id: int | None = None
    hits: int = 0
    skip: int = 0  # let this many matching requests through before failing

    def active(self, now: float) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.until is not None and now >= self.until:
            return False
        return True

    def matches(self, method: str, chat_id: Any, now: float) -> bool:
        if self.method is not None and self.method != method:
            return False
        if self.chat_id is not None and self.chat_id != chat_id:
            return False
        return self.active(now)


class _Reply(Exception):
    def __init__(self, status: int, body: dict[str, Any] | None, drop: bool = False) -> None:
        super().__init__(status)
        self.status, self.body, self.drop = status, body, drop


def _error(status: int, description: str, **parameters: Any) -> _Reply:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return _Reply(status, body)


@dataclass
class Stats:
    requests: int = 0
    sent: int = 0
    rejected_429: int = 0  # every 429 answered (programmed or limit)
    limit_violations: int = 0  # 429s answered because a Telegram limit was exceeded
    early_retries: int = 0  # requests that came back before an earlier retry_after had elapsed
    by_method: collections.Counter = field(default_factory=collections.Counter)


class FakeTelegram:
    """The fake Bot API server. Use as a context manager, or call :meth:`start` and :meth:`stop`."""

    def __init__(self, *, token: str | None = None, enforce_limits: bool = False,
                 bot_username: str = "raqib_test_bot", host: str = "127.0.0.1", port: int = 0,
                 keep_messages: bool = True) -> None:
        self.token = token
        self.enforce_limits = enforce_limits
        self.bot_username = bot_username
        self.keep_messages = keep_messages
        self.stats = Stats()
        self._cond = threading.Condition()
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[Any, itertools.count] = collections.defaultdict(lambda: itertools.count(1))
        self._messages: list[dict[str, Any]] = []
        self._by_id: dict[tuple[Any, int], dict[str, Any]] = {}
        self.edits: list[dict[str, Any]] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.inline_answers: list[dict[str, Any]] = []  # answerInlineQuery parameters, oldest first
        self.inline_posts: list[dict[str, Any]] = []  # messages posted by choosing an inline result
        self.calls: list[tuple[float, str, dict[str, Any]]] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.chats: dict[Any, dict[str, Any]] = {}
        self.members: dict[tuple[Any, int], str] = {}  # (chat id, user id) -> getChatMember status
        self.faults: list[Fault] = []
        self.send_latency = 0.0  # seconds each sendMessage/editMessageText takes to answer (a slow Telegram)
        self.sent_count: collections.Counter = collections.Counter()  # chat id -> messages sent (always kept)
        self.send_times: list[float] = []  # time.monotonic() of every sendMessage that succeeded
        self._penalty: dict[Any, float] = {}  # scope (None = global, else chat id) -> time 429 ends
        self._global_window: collections.deque[float] = collections.deque()
        self._chat_last: dict[Any, float] = {}
        self._group_window: dict[Any, collections.deque[float]] = collections.defaultdict(collections.deque)
        self._closed = False
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._serving: Serving | None = None

    # --- life cycle ---------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def api_url(self) -> str:
        """The ``base_url`` for PTB and ``[telegram].api_url`` for Raqib."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def file_api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def start(self) -> FakeTelegram:
        if self._serving is None:
            self._serving = Serving(self._server, "fake-telegram")
            self._serving.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._serving is not None:
            self._serving.stop()
            self._serving = None
        else:
            self._server.server_close()

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # --- updates a test injects ---------------------------------------------------------------------

    def inject_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (an ``update_id`` is added when missing); returns its update_id."""
        with self._cond:
            update = dict(update)
            if "update_id" not in update:
                update["update_id"] = next(self._update_ids)
            self._updates.append(update)
            self._cond.notify_all()
            return update["update_id"]

    def _chat(self, chat_id: int, chat_type: str, title: str | None = None) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = f"User{abs(chat_id)}"
        else:
            chat["title"] = title or f"Group {chat_id}"
        self.chats[chat_id] = chat
        return chat

    def send_command(self, chat_id: int, text: str, *, user_id: int | None = None, chat_type: str = "private",
                     language_code: str | None = "en", title: str | None = None, anonymous: bool = False) -> int:
        """A user sends ``text`` (e.g. ``"/subscribe us-state-department"``) in a chat; returns the update_id.

        ``anonymous=True``: an anonymous group administrator sends it (``sender_chat`` is the group itself and
        ``from`` is Telegram's GroupAnonymousBot), as Telegram does for admins who post as the group.
        """
        user_id = user_id if user_id is not None else (chat_id if chat_id > 0 else 1000 + abs(chat_id) % 1000)
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        with self._cond:
            chat = self._chat(chat_id, chat_type, title)
            message: dict[str, Any] = {
                "message_id": next(self._message_ids[chat_id]), "date": int(time.time()),
                "chat": chat, "from": user, "text": text,
            }
            if anonymous:
                message["from"] = dict(ANONYMOUS_ADMIN_BOT)
                message["sender_chat"] = dict(chat)
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        return self.inject_update({"message": message})

    def press_button(self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None,
                     language_code: str | None = "en") -> int:
        """A user presses an inline button with callback ``data`` under the bot's message; returns the update_id."""
        user_id = user_id if user_id is not None else (chat_id if chat_id > 0 else 1000 + abs(chat_id) % 1000)
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        with self._cond:
            stored = self._by_id.get((chat_id, message_id))
            chat = self.chats.get(chat_id) or self._chat(chat_id, "private" if chat_id > 0 else "group")
            message = self._message_json(stored) if stored else {
                "message_id": message_id, "date": int(time.time()), "chat": chat, "text": ""}
            query_id = f"cq{next(self._update_ids)}"
        return self.inject_update({"callback_query": {
            "id": query_id, "from": user, "chat_instance": str(chat_id), "message": message, "data": data}})

    def send_inline_query(self, user_id: int, query: str, *, offset: str = "", language_code: str | None = "en",
                          chat_type: str = "sender") -> str:
        """A user types ``@bot query`` in some chat; returns the inline query's id (answered through
        ``answerInlineQuery``: see :meth:`inline_answer`)."""
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        with self._cond:
            query_id = f"iq{next(self._update_ids)}"
        self.inject_update({"inline_query": {"id": query_id, "from": user, "query": query, "offset": offset,
                                             "chat_type": chat_type}})
        return query_id

    def inline_answer(self, query_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """Block until the bot answered the inline query ``query_id``; return the answer's parameters."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for answer in self.inline_answers:
                    if answer.get("inline_query_id") == query_id:
                        return answer
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"inline query {query_id} not answered within {timeout}s")
                self._cond.wait(min(remaining, 0.2))

    async def await_inline_answer(self, query_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """:meth:`inline_answer` for a test whose bot runs on the same asyncio loop."""
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                found = [a for a in self.inline_answers if a.get("inline_query_id") == query_id]
            if found:
                return found[0]
            if time.monotonic() >= deadline:
                raise TimeoutError(f"inline query {query_id} not answered within {timeout}s")
            await asyncio.sleep(0.02)

    def choose_inline_result(self, chat_id: int, result: dict[str, Any], *, user_id: int = 1) -> dict[str, Any]:
        """The user picks ``result`` (one of an answer's ``results``): Telegram posts its
        ``input_message_content`` in ``chat_id`` as the user's message "via @bot". Returns the posted message
        (with ``visible`` text); raises :class:`EntityError` when the content is not valid Telegram HTML."""
        content = result["input_message_content"]
        text = content["message_text"]
        visible = parse_html(text) if str(content.get("parse_mode") or "").upper() == "HTML" else text
        posted = {"chat_id": chat_id, "from_id": user_id, "via_bot": self.bot_username, "text": text,
                  "visible": visible, "result_id": result["id"]}
        with self._cond:
            self.inline_posts.append(posted)
        return posted

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """What ``getChatMember(chat_id, user_id)`` answers from now on: ``creator``, ``administrator``,
        ``member`` (the default for anyone not set), ``restricted``, ``left`` or ``kicked``."""
        if status not in MEMBER_STATUSES:
            raise ValueError(f"unknown chat member status {status!r}")
        with self._cond:
            self.members[(chat_id, int(user_id))] = status

    # --- what the bot sent -------------------------------------------------------------------------

    def sent(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Messages the bot sent (``sendMessage``), oldest first; each has chat_id, message_id, text, ...

        The dicts reflect later edits (``editMessageText`` changes ``text``/``reply_markup``).
        """
        with self._cond:
            return [dict(m) for m in self._messages if chat_id is None or m["chat_id"] == chat_id]

    def wait_for(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 10.0) -> dict[str, Any]:
        """Block until a sent message satisfies ``predicate`` (earlier ones count); return it.

        :raises TimeoutError: when none does within ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            seen = 0
            while True:
                for message in self._messages[seen:]:
                    if predicate(message):
                        return dict(message)
                seen = len(self._messages)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no matching message within {timeout}s; sent: "
                                       f"{[(m['chat_id'], m['text'][:60]) for m in self._messages[-5:]]}")
                self._cond.wait(min(remaining, 0.2))

    def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        """Block until ``condition()`` is true (checked at least every 50 ms). :raises TimeoutError:"""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() >= deadline:
                raise TimeoutError(f"condition not met within {timeout}s")
            with self._cond:
                self._cond.wait(0.05)

    async def await_for(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 10.0) -> dict[str, Any]:
        """:meth:`wait_for` for a test whose bot runs on the same asyncio loop (never blocks the loop)."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.sent():
                if predicate(message):
                    return message
            if time.monotonic() >= deadline:
                raise TimeoutError(f"no matching message within {timeout}s")
            await asyncio.sleep(0.02)

    def method_calls(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every call of ``method`` (successful or not), oldest first."""
        with self._cond:
            return [params for _t, name, params in self.calls if name == method]

    # --- programmed failures -----------------------------------------------------------------------

    def add_fault(self, fault: Fault) -> Fault:
        with self._cond:
            self.faults.append(fault)
        return fault

    def flood(self, *, times: int | None = None, duration: float | None = None, retry_after: int = 1,
              chat_id: int | None = None, method: str | None = "sendMessage") -> Fault:
        """Answer 429 ``Too Many Requests: retry after N`` ``times`` times or for ``duration`` seconds."""
        until = time.monotonic() + duration if duration is not None else None
        if times is None and duration is None:
            times = 1
        return self.add_fault(Fault("429", method, chat_id, times, until, retry_after=retry_after))

    def block(self, chat_id: int) -> Fault:
        """The user blocked the bot: 403 for every message to ``chat_id`` from now on."""
        return self.add_fault(Fault("403", None, chat_id, description="Forbidden: bot was blocked by the user"))

    def chat_not_found(self, chat_id: int) -> Fault:
        return self.add_fault(Fault("400", None, chat_id, description="Bad Request: chat not found"))

    def migrate(self, chat_id: int, new_chat_id: int) -> Fault:
        """The group became a supergroup: 400 with ``migrate_to_chat_id`` for the old id."""
        return self.add_fault(Fault("migrate", None, chat_id, new_chat_id=new_chat_id,
                                    description="Bad Request: group chat was upgraded to a supergroup chat"))

    def server_errors(self, times: int = 1, *, status: int = 502, chat_id: int | None = None,
                      method: str | None = "sendMessage", skip: int = 0) -> Fault:
        """Answer ``status`` ``times`` times, after letting ``skip`` matching requests through."""
        return self.add_fault(Fault("5xx", method, chat_id, times, status=status, description="Bad Gateway",
                                    skip=skip))

    def drop_connections(self, times: int = 1, *, chat_id: int | None = None,
                         method: str | None = "sendMessage") -> Fault:
        """Close the connection without answering (the client sees a network error)."""
        return self.add_fault(Fault("drop", method, chat_id, times))

    def clear_faults(self) -> None:
        with self._cond:
            self.faults.clear()

    # --- the HTTP side -----------------------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
                pass

            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    result = server._dispatch(self.path, self.headers.get("Content-Type", ""), body)
                    status, payload = 200, {"ok": True, "result": result}
                except _Reply as reply:
                    if reply.drop:
                        self.close_connection = True
                        return
                    status, payload = reply.status, reply.body
                data = json.dumps(payload, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client went away (killed, timed out)
                    self.close_connection = True

        return Handler

    def _dispatch(self, path: str, content_type: str, body: bytes) -> Any:
        parts = urlsplit(path)
        m = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", parts.path)
        if not m:
            raise _error(404, "Not Found")
        token, method = m.group(1), m.group(2)
        if self.token is not None and token != self.token:
            raise _error(401, "Unauthorized")
        params = _decode_params(parts.query, content_type, body)
        if method == "getUpdates":
            return self._get_updates(params)
        if method in SENDING_METHODS and self.send_latency:
            time.sleep(self.send_latency)  # this request's own thread: other requests go on
        with self._cond:
            now = time.monotonic()
            self.stats.requests += 1
            self.stats.by_method[method] += 1
            self.calls.append((now, method, params))
            handler = getattr(self, f"_m_{method}", None)
            if handler is None:
                raise _error(404, "Not Found: method not found")
            chat_id = params.get("chat_id")
            if method in SENDING_METHODS:
                self._check_penalty(chat_id, now)
            self._apply_faults(method, chat_id, now)
            if method in SENDING_METHODS:
                self._check_limits(chat_id, now)
            return handler(params)

    def _apply_faults(self, method: str, chat_id: Any, now: float) -> None:
        for fault in self.faults:
            if not fault.matches(method, chat_id, now):
                continue
            if fault.skip > 0:
                fault.skip -= 1
                continue
            fault.hits += 1
            if fault.kind == "429":
                self._too_many(fault.chat_id, fault.retry_after, now, limit=False)
            if fault.kind == "403":
                raise _error(403, fault.description or "Forbidden: bot was blocked by the user")
            if fault.kind == "400":
                raise _error(400, fault.description or "Bad Request")
            if fault.kind == "migrate":
                raise _error(400, fault.description, migrate_to_chat_id=fault.new_chat_id)
            if fault.kind == "5xx":
                raise _error(fault.status, fault.description or "Internal Server Error")
            if fault.kind == "drop":
                raise _Reply(0, None, drop=True)

    def _too_many(self, scope: Any, retry_after: int, now: float, *, limit: bool) -> None:
        self.stats.rejected_429 += 1
        if limit:
            self.stats.limit_violations += 1
        self._penalty[scope] = max(self._penalty.get(scope, 0.0), now + retry_after)
        raise _error(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)

    def _check_penalty(self, chat_id: Any, now: float) -> None:
        # A request that comes back before its retry_after has elapsed is answered 429 again.
        for scope in (None, chat_id):
            until = self._penalty.get(scope)
            if until is not None and now < until:
                self.stats.early_retries += 1
                self.stats.rejected_429 += 1
                raise _error(429, f"Too Many Requests: retry after {math.ceil(until - now)}",
                             retry_after=max(1, math.ceil(until - now)))

    def _check_limits(self, chat_id: Any, now: float) -> None:
        if not self.enforce_limits:
            return
        window = self._global_window
        while window and window[0] <= now - 1.0:
            window.popleft()
        if len(window) >= GLOBAL_PER_SECOND:
            self._too_many(None, max(1, math.ceil(window[0] + 1.0 - now)), now, limit=True)
        is_group = isinstance(chat_id, int) and chat_id < 0 or isinstance(chat_id, str)
        if is_group:
            group = self._group_window[chat_id]
            while group and group[0] <= now - 60.0:
                group.popleft()
            if len(group) >= GROUP_PER_MINUTE:
                self._too_many(chat_id, max(1, math.ceil(group[0] + 60.0 - now)), now, limit=True)
        else:
            last = self._chat_last.get(chat_id)
            if last is not None and now - last < PRIVATE_INTERVAL:
                self._too_many(chat_id, 1, now, limit=True)

    def _count_send(self, chat_id: Any, now: float) -> None:
        self._global_window.append(now)
        self._chat_last[chat_id] = now
        if isinstance(chat_id, int) and chat_id < 0 or isinstance(chat_id, str):
            self._group_window[chat_id].append(now)

    # --- methods -----------------------------------------------------------------------------------

    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Raqib Test", "username": self.bot_username,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + min(timeout, 60.0)
        with self._cond:
            self.stats.requests += 1
            self.stats.by_method["getUpdates"] += 1
            self.calls.append((time.monotonic(), "getUpdates", params))
            while True:
                if offset:
                    if offset < 0:
                        self._updates = self._updates[offset:]
                    else:
                        self._updates = [u for u in self._updates if u["update_id"] >= offset]
                pending = self._updates[:limit]
                if pending or self._closed:
                    return [json.loads(json.dumps(u)) for u in pending]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._cond.wait(min(remaining, 0.5))

    def _m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._bot_user()

    def _m_logOut(self, params: dict[str, Any]) -> bool:
        return True

    _m_close = _m_logOut

    def _m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _m_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    def _m_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands") or []
        if not isinstance(commands, list) or len(commands) > 100:
            raise _error(400, "Bad Request: commands must be a list of at most 100 commands")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise _error(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _error(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = commands
        return True

    def _m_deleteMyCommands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    def _m_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands.get(self._commands_key(params), [])

    def _m_getChat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = {"id": chat_id, "type": "private" if isinstance(chat_id, int) and chat_id > 0 else "supergroup"}
            chat["first_name" if chat["type"] == "private" else "title"] = f"Chat {chat_id}"
        return {**chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": {
            "unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False, "premium_subscription": False}}

    def _m_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        try:
            user_id = int(params.get("user_id"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise _error(400, "Bad Request: invalid user_id specified") from None
        if chat_id is None:
            raise _error(400, "Bad Request: chat_id is empty")
        status = self.members.get((chat_id, user_id), "member")
        return _member_json(status, {"id": user_id, "is_bot": user_id == BOT_ID, "first_name": f"User{user_id}"})

    def _m_sendChatAction(self, params: dict[str, Any]) -> bool:
        return True

    def _m_answerInlineQuery(self, params: dict[str, Any]) -> bool:
        """Checks what Telegram checks: an id, at most 50 results with unique ids of 1-64 bytes, each
        article with a title and valid message content (Telegram HTML, 1-4096 characters)."""
        if not params.get("inline_query_id"):
            raise _error(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        results = params.get("results")
        if not isinstance(results, list) or len(results) > 50:
            raise _error(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = set()
        for result in results:
            rid = str(result.get("id") or "")
            if not 1 <= len(rid.encode()) <= 64 or rid in ids:
                raise _error(400, "Bad Request: RESULT_ID_INVALID" if rid not in ids else
                             "Bad Request: RESULT_ID_DUPLICATE")
            ids.add(rid)
            if result.get("type") == "article":
                if not str(result.get("title") or "").strip():
                    raise _error(400, "Bad Request: RESULT_TITLE_EMPTY")
                content = result.get("input_message_content") or {}
                self._validate_text({"text": content.get("message_text"), "parse_mode": content.get("parse_mode")})
        button = params.get("button")
        if button is not None and not 1 <= len(str(button.get("text") or "")) <= 64:
            raise _error(400, "Bad Request: BUTTON_TEXT_INVALID")
        self.inline_answers.append(params)
        self._cond.notify_all()
        return True

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        self.callback_answers.append(params)
        return True

    def _validate_text(self, params: dict[str, Any]) -> str:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _error(400, "Bad Request: message text is empty")
        visible = text
        if str(params.get("parse_mode") or "").upper() == "HTML":
            try:
                visible = parse_html(text)
            except EntityError as exc:
                raise _error(400, f"Bad Request: can't parse entities: {exc}") from None
        if not visible.strip():
            raise _error(400, "Bad Request: message text is empty")
        if utf16_len(visible) > MAX_TEXT:
            raise _error(400, "Bad Request: message is too long")
        return text

    def _message_json(self, stored: dict[str, Any]) -> dict[str, Any]:
        chat = self.chats.get(stored["chat_id"]) or {
            "id": stored["chat_id"], "type": "private" if stored["chat_id"] > 0 else "group",
            "first_name" if stored["chat_id"] > 0 else "title": f"Chat {stored['chat_id']}"}
        message = {"message_id": stored["message_id"], "date": stored["date"], "chat": chat,
                   "from": self._bot_user(), "text": _visible(stored["text"], stored.get("parse_mode"))}
        if stored.get("reply_markup"):
            message["reply_markup"] = stored["reply_markup"]
        return message

    def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        if chat_id is None:
            raise _error(400, "Bad Request: chat_id is empty")
        text = self._validate_text(params)
        now = time.monotonic()
        self._count_send(chat_id, now)
        stored = {"chat_id": chat_id, "message_id": next(self._message_ids[chat_id]), "text": text,
                  "parse_mode": params.get("parse_mode"), "reply_markup": params.get("reply_markup"),
                  "date": int(time.time()), "t": now, "method": "sendMessage",
                  "link_preview_options": params.get("link_preview_options")}
        self.stats.sent += 1
        self.sent_count[chat_id] += 1
        self.send_times.append(now)
        if self.keep_messages:
            self._messages.append(stored)
            self._by_id[(chat_id, stored["message_id"])] = stored
        self._cond.notify_all()
        return self._message_json(stored)

    def _m_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        """An uploaded PNG or JPEG (at most 10 MB), or a file_id/URL string; an optional caption of at most
        1,024 visible characters in valid Telegram HTML. Kept in :meth:`sent` with ``photo`` (the bytes) and
        ``text`` (the caption)."""
        chat_id = params.get("chat_id")
        if chat_id is None:
            raise _error(400, "Bad Request: chat_id is empty")
        photo = params.get("photo")
        if isinstance(photo, UploadedFile):
            if not photo.data.startswith((PNG_MAGIC, JPEG_MAGIC)):
                raise _error(400, "Bad Request: IMAGE_PROCESS_FAILED")
            if len(photo.data) > MAX_PHOTO_BYTES:
                raise _error(400, "Bad Request: PHOTO_SAVE_FILE_INVALID")
            data = photo.data
        elif isinstance(photo, str) and photo:
            data = b""
        else:
            raise _error(400, "Bad Request: there is no photo in the request")
        caption = params.get("caption") or ""
        if not isinstance(caption, str):
            caption = str(caption)
        visible = caption
        if caption and str(params.get("parse_mode") or "").upper() == "HTML":
            try:
                visible = parse_html(caption)
            except EntityError as exc:
                raise _error(400, f"Bad Request: can't parse entities: {exc}") from None
        if utf16_len(visible) > MAX_CAPTION:
            raise _error(400, "Bad Request: message caption is too long")
        now = time.monotonic()
        self._count_send(chat_id, now)
        stored = {"chat_id": chat_id, "message_id": next(self._message_ids[chat_id]), "text": caption,
                  "parse_mode": params.get("parse_mode"), "reply_markup": params.get("reply_markup"),
                  "date": int(time.time()), "t": now, "method": "sendPhoto", "photo": data}
        self.stats.sent += 1
        self.sent_count[chat_id] += 1
        self.send_times.append(now)
        if self.keep_messages:
            self._messages.append(stored)
            self._by_id[(chat_id, stored["message_id"])] = stored
        self._cond.notify_all()
        message = self._message_json(stored)
        message.pop("text", None)
        message["caption"] = visible
        message["photo"] = [{"file_id": f"photo{stored['message_id']}", "file_unique_id": f"u{stored['message_id']}",
                             "width": 800, "height": 400, "file_size": len(data)}]
        return message

    def _m_editMessageText(self, params: dict[str, Any]) -> Any:
        text = self._validate_text(params)
        if params.get("inline_message_id"):
            return True
        key = (params.get("chat_id"), int(params.get("message_id") or 0))
        stored = self._by_id.get(key)
        if stored is None:
            raise _error(400, "Bad Request: message to edit not found")
        if stored["text"] == text and stored.get("reply_markup") == params.get("reply_markup"):
            raise _error(400, "Bad Request: message is not modified: specified new message content and reply "
                              "markup are exactly the same as a current content and reply markup of the message")
        self._count_send(key[0], time.monotonic())
        stored.update(text=text, parse_mode=params.get("parse_mode"), reply_markup=params.get("reply_markup"))
        self.edits.append({"chat_id": key[0], "message_id": key[1], "text": text})
        self._cond.notify_all()
        return self._message_json(stored)

    def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        key = (params.get("chat_id"), int(params.get("message_id") or 0))
        stored = self._by_id.get(key)
        if stored is None:
            raise _error(400, "Bad Request: message to edit not found")
        stored["reply_markup"] = params.get("reply_markup")
        return self._message_json(stored)

    def _m_deleteMessage(self, params: dict[str, Any]) -> bool:
        return True


def _member_json(status: str, user: dict[str, Any]) -> dict[str, Any]:
    """A ChatMember object as the Bot API returns it for ``status``."""
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(dict.fromkeys((
            "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
            "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories", "can_delete_stories",
            "can_pin_messages"), True))
        member.update(can_be_edited=False, is_anonymous=False, can_promote_members=False)
    elif status == "restricted":
        member.update(dict.fromkeys((
            "can_change_info", "can_invite_users", "can_pin_messages", "can_send_polls", "can_send_other_messages",
            "can_add_web_page_previews", "can_manage_topics", "can_send_audios", "can_send_documents",
            "can_send_photos", "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_edit_tag",
            "can_react_to_messages"),
            False))
        member.update(is_member=True, can_send_messages=True, until_date=0)
    elif status == "kicked":
        member["until_date"] = 0
    return member


def _visible(text: str, parse_mode: str | None) -> str:
    if str(parse_mode or "").upper() == "HTML":
        try:
            return parse_html(text)
        except EntityError:
            return text
    return text


@dataclass(frozen=True)
class UploadedFile:
    """A file a method call uploaded (multipart/form-data), e.g. ``sendPhoto``'s ``photo``."""

    field: str
    filename: str
    content_type: str
    data: bytes


PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
MAX_CAPTION = 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def _decode_value(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in ("chat_id", "from_chat_id"):
        try:
            return int(value)
        except ValueError:
            return value
    if name in STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _decode_params(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    raw: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if body:
        if content_type.startswith("application/json"):
            raw.update(json.loads(body.decode()))
        elif content_type.startswith("multipart/form-data"):
            import email.parser
            import email.policy

            msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
            files: dict[str, UploadedFile] = {}
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if not name:
                    continue
                payload = part.get_payload(decode=True) or b""
                filename = part.get_param("filename", header="content-disposition")
                if filename is not None or part.get_content_type() not in ("text/plain",):
                    files[name] = UploadedFile(name, filename or "", part.get_content_type(), payload)
                    raw[name] = files[name]
                else:
                    raw[name] = payload.decode()
            for name, value in list(raw.items()):  # "attach://<part>" refers to a file part
                if isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
                    raw[name] = files[value[9:]]
        else:
            raw.update(parse_qsl(body.decode(), keep_blank_values=True))
    return {name: _decode_value(name, value) for name, value in raw.items()}


def main() -> None:
    """``python tests/fake_telegram.py``: serve until interrupted and print the api_url (manual testing)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--enforce-limits", action="store_true")
    args = parser.parse_args()
    with FakeTelegram(port=args.port, enforce_limits=args.enforce_limits) as server:
        print(server.api_url, flush=True)
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
