"""The fetcher stage: HTTP GET of feeds and article pages with httpx, within limits.

One :class:`Fetcher` (one ``httpx.AsyncClient``) serves a whole poll cycle or the whole service.
It sends conditional requests (``If-None-Match`` / ``If-Modified-Since``), bounds each request by one
deadline (connection, headers, body and every redirect hop, ``fetch.timeout``), stops reading a body
past ``fetch.max_bytes`` (after gzip/deflate decoding, so a compressed bomb stops too), follows at most
``fetch.max_redirects`` redirects itself (so it can tell permanent ones, 301/308, from the rest), allows
at most ``fetch.per_host`` requests to one host at a time, and reads ``Retry-After`` on 429/503.
Every failure is a :class:`feeds.errors.FetchError` with a readable ``message``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import email.utils
import http
import socket
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from config import FetchConfig
from feeds.errors import (
    AddressRefused,
    BodyTooLarge,
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    TooManyRedirects,
    short,
)
from feeds.models import FetchResult
from feeds.transport import PUBLIC_ONLY, CappedDecoder, PinnedTransport

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml, application/feed+json;q=0.9, "
               "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8")
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.8"
REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT_REDIRECTS = (301, 308)
HOST_DOWN_SECONDS = 300.0  # after a page of a host timed out or could not connect, its pages are skipped this long


def host_key(url: str) -> str:
    """``host:port`` of a URL, lower case: what the per-host limits count."""
    parts = urlsplit(url)
    try:
        port = parts.port or ""
    except ValueError:
        port = ""
    return f"{(parts.hostname or '').lower()}:{port}"


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """``Retry-After`` as seconds from now: ``"120"`` -> 120.0, an HTTP date -> seconds until it.

    Returns None when absent or unreadable; never negative.
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


class _Redirect(Exception):
    """Internal: one hop answered with a redirect to ``location``."""

    def __init__(self, status: int, location: str) -> None:
        super().__init__(location)
        self.status = status
        self.location = location


class HostSlots:
    """At most ``size`` requests to one host at a time, feed documents first.

    Waiters are served by priority (feeds ``0`` before pages ``1``), then in arrival order; and pages never
    hold more than ``size - 1`` of the slots (when ``size`` is 2 or more), so one feed's 40 slow article pages
    cannot keep another feed's document on the same host waiting behind them.
    """

    FEED, PAGE = 0, 1

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self.page_cap = max(1, self.size - 1)
        self.busy = 0
        self.pages = 0
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = 0

    def _may_start(self, priority: int) -> bool:
        return self.busy < self.size and (priority == self.FEED or self.pages < self.page_cap)

    async def acquire(self, priority: int) -> None:
        if self._may_start(priority) and not any(w[0] <= priority for w in self._waiters):
            self._take(priority)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._order += 1
        entry = (priority, self._order, future)
        self._waiters.append(entry)
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():  # the slot was handed over just as we were cancelled
                self.release(priority)
            elif entry in self._waiters:
                self._waiters.remove(entry)
            raise

    def _take(self, priority: int) -> None:
        self.busy += 1
        self.pages += priority == self.PAGE

    def release(self, priority: int) -> None:
        self.busy -= 1
        self.pages -= priority == self.PAGE
        while self.busy < self.size:
            # the first waiter by (priority, arrival) that may start: a page held back by the page cap lets a
            # feed behind it go
            chosen = next((w for w in sorted(self._waiters, key=lambda w: (w[0], w[1]))
                           if not w[2].done() and self._may_start(w[0])), None)
            if chosen is None:
                return
            self._waiters.remove(chosen)
            self._take(chosen[0])
            chosen[2].set_result(None)


class Fetcher:
    """An HTTP client for feeds and pages with Raqib's limits (see the module docstring).

    Use it as ``async with Fetcher(config.fetch) as fetcher: result = await fetcher.fetch(url)``.

    :param settings: timeout, body cap, redirect limit, per-host concurrency and User-Agent.
    :param transport: an httpx transport to use instead of the network (tests); by default a
        :class:`feeds.transport.PinnedTransport` that connects to the address it checked.
    """

    def __init__(self, settings: FetchConfig, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        if transport is None:
            transport = PinnedTransport(limits=httpx.Limits(max_connections=64, max_keepalive_connections=32))
        self._client = httpx.AsyncClient(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,
            timeout=httpx.Timeout(settings.timeout),
            transport=transport,
        )
        self._slots: dict[str, HostSlots] = {}
        self.down_hosts: dict[str, float] = {}  # host -> monotonic time until which its pages are skipped

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    @asynccontextmanager
    async def _slot(self, url: str, priority: int = HostSlots.FEED) -> AsyncIterator[None]:
        slots = self._slots.get(host_key(url))
        if slots is None:
            slots = self._slots[host_key(url)] = HostSlots(self.settings.per_host)
        await slots.acquire(priority)
        try:
            yield
        finally:
            slots.release(priority)

    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                    accept: str = FEED_ACCEPT, allow: Callable[[str], Awaitable[bool]] | None = None,
                    public_only: bool = False, page: bool = False) -> FetchResult:
        """GET ``url``, conditionally when ``etag``/``last_modified`` are given.

        :param allow: asked before each request (the first and every redirect hop) whether that URL may be
            fetched (:class:`feeds.addresses.PageGuard`); False raises AddressRefused.
        :param public_only: connect only to public addresses, to the very address checked (every hop).
        :param page: an article page: it waits behind feed documents for the host's slots (:class:`HostSlots`),
            and after one page of a host timed out or could not connect, that host's pages fail at once
            (``ConnectionFailed``) for :data:`HOST_DOWN_SECONDS`, so a poll does not wait on each of them.

        :returns: a :class:`FetchResult` with status 200 (or another 2xx) and the body, or 304.
        :raises FetchError: ``FetchTimeout``, ``BodyTooLarge``, ``TooManyRedirects``, ``HTTPStatusError``
            (with ``retry_after`` for 429/503), ``ConnectionFailed``, ``InvalidURL`` or ``AddressRefused``.
        """
        if not page:
            return await self._fetch(url, etag, last_modified, accept, allow, public_only, False)
        host = host_key(url)
        if self.down_hosts.get(host, 0.0) > time.monotonic():
            raise ConnectionFailed(f"skipped: {host} failed a moment ago")
        try:
            return await self._fetch(url, etag, last_modified, accept, allow, public_only, True)
        except (ConnectionFailed, FetchTimeout):
            self.down_hosts[host] = time.monotonic() + HOST_DOWN_SECONDS
            raise

    async def _fetch(self, url: str, etag: str | None, last_modified: str | None, accept: str,
                     allow: Callable[[str], Awaitable[bool]] | None, public_only: bool, page: bool) -> FetchResult:
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        seen = {url}
        permanent_url: str | None = None
        all_permanent = True
        deadline: float | None = None
        loop = asyncio.get_running_loop()
        for _hop in range(self.settings.max_redirects + 1):
            _check_url(current)
            if allow is not None and not await allow(current):
                raise AddressRefused(f"not fetched: {short(current, 80)} is on a private or unresolvable address")
            try:
                async with self._slot(current, HostSlots.PAGE if page else HostSlots.FEED):
                    if page and self.down_hosts.get(host_key(current), 0.0) > time.monotonic():
                        raise ConnectionFailed(f"skipped: {host_key(current)} failed a moment ago")
                    if deadline is None:
                        # The clock starts once the first request may go out (waiting for a slot is free).
                        deadline = loop.time() + self.settings.timeout
                    async with asyncio.timeout_at(deadline):
                        result = await self._get(url, current, headers, public_only)
            except _Redirect as redirect:
                try:
                    target = urljoin(current, redirect.location.strip())
                except ValueError:
                    raise InvalidURL(f"bad redirect target {short(redirect.location, 80)!r}",
                                     status=redirect.status) from None
                if redirect.status in PERMANENT_REDIRECTS and all_permanent:
                    permanent_url = target
                else:
                    all_permanent = False
                if target in seen:
                    raise TooManyRedirects(self.settings.max_redirects, loop=True) from None
                seen.add(target)
                current = target
                continue
            except TimeoutError:
                raise FetchTimeout(self.settings.timeout) from None
            except httpx.TimeoutException:
                raise FetchTimeout(self.settings.timeout) from None
            except FetchError:
                raise
            except (httpx.InvalidURL, UnicodeError) as exc:
                raise InvalidURL(f"not a valid URL: {short(current, 80)} ({short(str(exc), 60)})") from exc
            except httpx.HTTPError as exc:
                raise ConnectionFailed(_connection_message(exc)) from exc
            except OSError as exc:
                raise ConnectionFailed(f"connection failed: {short(str(exc) or type(exc).__name__)}") from exc
            if permanent_url is not None and permanent_url != url:
                result = dataclasses.replace(result, permanent_url=permanent_url)
            return result
        raise TooManyRedirects(self.settings.max_redirects)

    async def _get(self, url: str, current: str, headers: dict[str, str], public_only: bool) -> FetchResult:
        """One hop: send, then redirect (raise), 304, error status (raise) or read the capped body."""
        request = self._client.build_request("GET", current, headers=headers,
                                             extensions={PUBLIC_ONLY: public_only})
        response = await self._client.send(request, stream=True)
        try:
            status = response.status_code
            if status in REDIRECTS and response.headers.get("location"):
                raise _Redirect(status, response.headers["location"])
            common = {
                "url": url, "final_url": current, "status": status,
                "content_type": response.headers.get("content-type", ""),
                "etag": response.headers.get("etag"), "last_modified": response.headers.get("last-modified"),
                "retry_after": parse_retry_after(response.headers.get("retry-after")),
            }
            if status == 304:
                return FetchResult(**common)
            if status >= 300 or status < 200:
                retry_after = common["retry_after"] if status in (429, 503) else None
                raise HTTPStatusError(status, _reason(response), retry_after=retry_after)
            limit = self.settings.max_bytes
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise BodyTooLarge(limit, status=status)
            # Decoded here, layer by layer under the cap (httpx would inflate a whole chunk first).
            if response.is_stream_consumed:  # a response built in memory (a test transport), already decoded
                decoder, raw_chunks = CappedDecoder("", limit), _once(response.content)
            else:
                decoder, raw_chunks = CappedDecoder(response.headers.get("content-encoding", ""), limit), \
                    response.aiter_raw()
            chunks: list[bytes] = []
            size = 0
            async for raw in raw_chunks:
                size += len(raw)
                if size > limit:
                    raise BodyTooLarge(limit, status=status)
                chunks.append(decoder.feed(raw))
            return FetchResult(body=b"".join(chunks), **common)
        finally:
            await response.aclose()


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


def _check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
    except ValueError:
        raise InvalidURL(f"not a valid URL: {short(url, 80)}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidURL(f"not an http(s) URL: {short(url, 80)}")


def _reason(response: httpx.Response) -> str:
    try:
        return http.HTTPStatus(response.status_code).phrase
    except ValueError:
        return response.reason_phrase or ""


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _connection_message(exc: httpx.HTTPError) -> str:
    chain = _causes(exc)
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "connection refused"
    if any(isinstance(e, socket.gaierror) for e in chain):
        return "host not found"
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return f"TLS error: {short(str(next(e for e in chain if isinstance(e, ssl.SSLError))))}"
    text = " ".join(str(e) for e in chain if str(e)) or type(exc).__name__
    low = text.lower()
    if "certificate" in low or "ssl" in low or "tls" in low:
        return f"TLS error: {short(text)}"
    if "name or service not known" in low or "nodename nor servname" in low or "getaddrinfo" in low:
        return f"host not found: {short(text)}"
    if "refused" in low:
        return "connection refused"
    if isinstance(exc, httpx.DecodingError):
        return f"bad content encoding: {short(text)}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"broken HTTP answer: {short(text)}"
    return f"connection failed: {short(text)}"
