"""Typed errors of the feed stages, each with a ``message`` a user can read.

Like Miniflux's ``LocalizedError``: the exception keeps the technical detail for logs (``str(error)``,
``__cause__``) while ``error.message`` is the short sentence stored on the feed row
(``feeds.last_error``) and shown by ``/status`` and ``raqib feeds list``.
"""

from __future__ import annotations

from typing import Any


class FeedError(Exception):
    """Base class of every error the feed stages raise on purpose.

    :param message: the readable one-line reason, e.g. ``"HTTP 404 Not Found"``.
    :param status: the HTTP status that went with the failure, when there was one.
    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses build their message in __init__; rebuild from state so errors survive a worker process.
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))


def _rebuild(cls: type[FeedError], message: str, state: dict[str, Any]) -> FeedError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


# --- fetcher -----------------------------------------------------------------------------------------

class FetchError(FeedError):
    """Fetching a feed or a page failed (network, HTTP status, limits)."""


class FetchTimeout(FetchError):
    """The whole request (connection, headers, body, redirects) took longer than ``fetch.timeout``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"timed out after {seconds:g} s")
        self.seconds = seconds


class BodyTooLarge(FetchError):
    """The body is larger than ``fetch.max_bytes`` (checked while streaming, after decompression)."""

    def __init__(self, limit: int, *, status: int | None = None) -> None:
        super().__init__(f"body larger than {_size(limit)}", status=status)
        self.limit = limit


class TooManyRedirects(FetchError):
    """More than ``fetch.max_redirects`` redirects, or a redirect loop."""

    def __init__(self, limit: int, *, loop: bool = False) -> None:
        super().__init__("too many redirects (a redirect loop)" if loop else f"too many redirects (more than {limit})")
        self.limit = limit


class HTTPStatusError(FetchError):
    """The server answered with an error status (4xx/5xx) or an unusable 3xx.

    :param retry_after: seconds the server asked us to wait (``Retry-After``), when it said so.
    """

    def __init__(self, status: int, reason: str = "", *, retry_after: float | None = None) -> None:
        text = f"HTTP {status} {reason}".rstrip()
        if retry_after is not None:
            text += f" (retry after {retry_after:.0f} s)"
        super().__init__(text, status=status)
        self.retry_after = retry_after


class ConnectionFailed(FetchError):
    """No HTTP answer at all: DNS, refused connection, TLS, reset."""


class InvalidURL(FetchError):
    """The URL (or a redirect target) is not an absolute http(s) URL."""


class AddressRefused(FetchError):
    """An article page (or a redirect hop) on a loopback, private or unresolvable address, from a public feed."""


# --- parser --------------------------------------------------------------------------------------

class ParseError(FeedError):
    """The document could not be turned into entries."""


class NotAFeed(ParseError):
    """The document has no entries and is not a well-formed feed (HTML page, error page, garbage)."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"not a feed: {detail}")
        self.detail = detail


class ParserCrashed(ParseError):
    """The parser raised an exception of its own."""

    def __init__(self, exc: BaseException) -> None:
        super().__init__(f"parser failed: {type(exc).__name__}: {_short(str(exc))}")


class ParserTimedOut(ParseError):
    """Parsing (or extracting a page) ran longer than the limit; the stuck worker was replaced."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"parser timed out after {seconds:g} s")
        self.seconds = seconds


def _size(n: int) -> str:
    """``10485760`` -> ``"10 MB"``, ``2048`` -> ``"2 KB"``, ``1000`` -> ``"1000 bytes"``."""
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KB"
    return f"{n} bytes"


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def short(text: str, limit: int = 160) -> str:
    """One line of at most ``limit`` characters (for messages built from foreign text)."""
    return _short(text, limit)
