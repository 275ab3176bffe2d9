"""A loopback HTTP server for feed and page tests (and the bench): nothing leaves 127.0.0.1.

It serves a directory and/or in-memory routes, answers conditional requests (``ETag`` /
``If-None-Match`` and ``Last-Modified`` / ``If-Modified-Since`` -> 304), and lets each route set its
status, headers, a delay before answering, a slow trickle of the body, gzip, redirects, and a body that
changes on every request. Every request is recorded.

Example::

    from tests.feed_server import FeedServer

    with FeedServer(root="../shared/feeds/real") as server:
        server.route("/feed.xml", RSS_BYTES, content_type="application/rss+xml")
        server.route("/old", status=301, headers={"Location": "/feed.xml"})
        server.route("/slow", RSS_BYTES, delay=5)
        server.route("/busy", status=429, headers={"Retry-After": "120"})
        server.route("/live", lambda n: make_rss(n))        # body built per request (n = 1, 2, ...)
        url = server.url("/feed.xml")                        # http://127.0.0.1:PORT/feed.xml
        ...
        server.requests_to("/feed.xml")[-1].headers["If-None-Match"]

Files under ``root`` are served at ``/<relative path>`` as ``application/xml`` with a strong ETag (a
hash of the bytes) and no ``Last-Modified``; routes send both validators unless told otherwise. ``FeedServer.not_modified_only = True`` makes every conditional request a 304
(for benchmarks of the second poll); ``FeedServer.conditional = False`` ignores validators (every
request gets the full body). ``max_active`` is the highest number of requests handled at once.

:func:`rss` and :func:`atom` build small test documents from dicts.
"""

from __future__ import annotations

import email.utils
import gzip as gzip_module
import hashlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from tests.loopback import Serving

Body = bytes | str | Callable[[int], bytes | str]
FIXED_LAST_MODIFIED = "Mon, 01 Jan 2024 00:00:00 GMT"


@dataclass
class Route:
    """How one path answers. ``body`` may be a callable of the request number (1, 2, ...)."""

    body: Body = b""
    status: int = 200
    content_type: str = "application/rss+xml"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    trickle: float = 0.0
    etag: bool = True
    last_modified: bool = True
    gzip: bool = False
    content_length: bool = True
    hits: int = 0


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it (header names as sent; look them up case-insensitively)."""

    method: str
    path: str
    headers: Mapping[str, str]
    time: float


class _Headers(dict):
    """A case-insensitive view of request headers."""

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return super().get(key.lower(), default)

    def __contains__(self, key: object) -> bool:
        return super().__contains__(str(key).lower())


class FeedServer:
    """A threaded HTTP/1.1 server on ``127.0.0.1`` with a free port; use as a context manager.

    :param root: a directory whose files are served (routes take precedence).
    """

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root).resolve() if root else None
        self.routes: dict[str, Route] = {}
        self.requests: list[RecordedRequest] = []
        self.not_modified_only = False
        self.conditional = True
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()
        server = self
        handler = type("Handler", (_Handler,), {"feed_server": server})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._serving: Serving | None = None

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def route(self, path: str, body: Body = b"", *, status: int = 200, content_type: str = "application/rss+xml",
              headers: Mapping[str, str] | None = None, delay: float = 0.0, trickle: float = 0.0,
              etag: bool = True, last_modified: bool = True, gzip: bool = False,
              content_length: bool = True) -> Route:
        """Define (or replace) what ``path`` answers.

        :param body: bytes, text (sent as UTF-8), or a callable of the request number returning either.
        :param status: the status code; 3xx with a ``Location`` header makes a redirect.
        :param headers: extra response headers (``Location``, ``Retry-After``, ``Content-Type``...).
        :param delay: seconds to wait before answering (a slow server).
        :param trickle: seconds to wait between 1 KB pieces of the body (a slow body).
        :param etag: send a strong ETag (hash of the body) and answer ``If-None-Match`` with 304.
        :param last_modified: send a fixed ``Last-Modified`` and answer ``If-Modified-Since`` with 304.
        :param gzip: compress the body (``Content-Encoding: gzip``).
        :param content_length: send ``Content-Length`` (else the body ends when the connection closes).
        """
        item = Route(body=body, status=status, content_type=content_type, headers=dict(headers or {}),
                     delay=delay, trickle=trickle, etag=etag, last_modified=last_modified, gzip=gzip,
                     content_length=content_length)
        with self._lock:
            self.routes[path] = item
        return item

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """The recorded requests for ``path`` (query string ignored), oldest first."""
        with self._lock:
            return [r for r in self.requests if urlsplit(r.path).path == path]

    def start(self) -> FeedServer:
        """Start serving in a daemon thread."""
        self._serving = Serving(self._httpd, "feed-server")
        self._serving.start()
        return self

    def stop(self) -> None:
        """Stop serving (at once, not at the next poll) and close the socket."""
        if self._serving is not None:
            self._serving.stop()
            self._serving = None
        else:
            self._httpd.server_close()

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- used by the handler --------------------------------------------------------------------------------

    def _record(self, handler: BaseHTTPRequestHandler) -> None:
        headers = _Headers({k.lower(): v for k, v in handler.headers.items()})
        with self._lock:
            self.requests.append(RecordedRequest(handler.command, handler.path, headers, time.monotonic()))

    def _lookup(self, path: str) -> tuple[Route | None, int]:
        with self._lock:
            route = self.routes.get(path)
            if route is not None:
                route.hits += 1
                return route, route.hits
        if self.root is not None:
            target = (self.root / path.lstrip("/")).resolve()
            if target.is_file() and target.is_relative_to(self.root):
                return Route(body=target.read_bytes(), content_type="application/xml", last_modified=False), 1
        return None, 0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    feed_server: FeedServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence the default logging
        return

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        server = self.feed_server
        server._record(self)
        with server._lock:
            server.active += 1
            server.max_active = max(server.max_active, server.active)
        try:
            self._respond(server, send_body)
        finally:
            with server._lock:
                server.active -= 1

    def _respond(self, server: FeedServer, send_body: bool) -> None:
        path = urlsplit(self.path).path
        route, number = server._lookup(path)
        if route is None:
            self._send(404, b"not found", {"Content-Type": "text/plain"}, send_body)
            return
        if route.delay:
            time.sleep(route.delay)
        body = route.body(number) if callable(route.body) else route.body
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = {"Content-Type": route.content_type, **route.headers}
        validators_ok = route.status == 200
        etag = '"' + hashlib.sha1(data).hexdigest()[:20] + '"' if route.etag and validators_ok else None
        if etag:
            headers["ETag"] = etag
        if route.last_modified and validators_ok:
            headers["Last-Modified"] = FIXED_LAST_MODIFIED
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if validators_ok and server.conditional and (inm or ims):
            if server.not_modified_only or (etag and inm and etag in [t.strip() for t in inm.split(",")]) or (
                    not inm and route.last_modified and ims == FIXED_LAST_MODIFIED):
                self._send(304, b"", {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")},
                           send_body=False)
                return
        if route.gzip:
            data = gzip_module.compress(data)
            headers["Content-Encoding"] = "gzip"
        self._send(route.status, data, headers, send_body, trickle=route.trickle,
                   content_length=route.content_length)

    def _send(self, status: int, data: bytes, headers: Mapping[str, str], send_body: bool, *,
              trickle: float = 0.0, content_length: bool = True) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status == 304:
                self.send_header("Content-Length", "0")
            elif content_length:
                self.send_header("Content-Length", str(len(data)))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.send_header("Date", email.utils.formatdate(usegmt=True))
            self.end_headers()
            if not send_body or status == 304:
                return
            if trickle:
                for i in range(0, len(data), 1024):
                    self.wfile.write(data[i:i + 1024])
                    self.wfile.flush()
                    time.sleep(trickle)
            else:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


# --- small feed builders for tests ------------------------------------------------------------------------

def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rss(items: list[Mapping[str, str]], *, title: str = "Test feed", link: str = "http://127.0.0.1/",
        encoding: str | None = "utf-8", declare: bool = True) -> bytes:
    """An RSS 2.0 document. Each item may have ``title``, ``link``, ``guid``, ``description`` (HTML, escaped
    here), ``content`` (``content:encoded``) and ``pubDate``. ``encoding=None`` writes no XML declaration
    encoding (bytes are then UTF-8 unless ``declare`` is False and another codec is used by the caller)."""
    parts = []
    for item in items:
        fields = []
        for key, tag in (("title", "title"), ("link", "link"), ("guid", "guid"), ("description", "description"),
                         ("pubDate", "pubDate"), ("content", "content:encoded")):
            if key in item:
                attrs = ' isPermaLink="false"' if tag == "guid" and not item[key].startswith("http") else ""
                fields.append(f"<{tag}{attrs}>{_escape(item[key])}</{tag}>")
        parts.append("<item>" + "".join(fields) + "</item>")
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>' if declare and encoding else '<?xml version="1.0"?>'
    text = (f'{declaration}\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>{_escape(title)}</title><link>{_escape(link)}</link>"
            f"<description>test</description>{''.join(parts)}</channel></rss>")
    return text.encode(encoding or "utf-8")


def atom(entries: list[Mapping[str, str]], *, title: str = "Test feed", feed_id: str = "tag:test,2024:feed") -> bytes:
    """An Atom 1.0 document. Each entry may have ``id``, ``title``, ``link``, ``updated``, ``summary`` and
    ``content`` (both HTML, escaped here)."""
    parts = []
    for entry in entries:
        fields = [f"<id>{_escape(entry.get('id', ''))}</id>", f"<title>{_escape(entry.get('title', ''))}</title>",
                  f"<updated>{entry.get('updated', '2024-01-02T10:00:00Z')}</updated>"]
        if "link" in entry:
            fields.append(f'<link rel="alternate" type="text/html" href="{_escape(entry["link"])}"/>')
        if "summary" in entry:
            fields.append(f'<summary type="html">{_escape(entry["summary"])}</summary>')
        if "content" in entry:
            fields.append(f'<content type="html">{_escape(entry["content"])}</content>')
        parts.append("<entry>" + "".join(fields) + "</entry>")
    text = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{_escape(title)}</title><id>{feed_id}</id><updated>2024-01-02T10:00:00Z</updated>"
            f"{''.join(parts)}</feed>")
    return text.encode("utf-8")
