"""Which article pages Raqib may fetch: a feed on the public internet must not make it fetch loopback,
private, link-local or other non-public addresses (``localhost``, ``10.x``, ``169.254.169.254``...).

Host names are resolved (``loop.getaddrinfo``, within the fetch timeout) and a page is refused when ANY
address its host resolves to is not public, or when the host cannot be resolved. The same check applies to
every hop of every fetch of the feed document itself. Pages and redirects are allowed anyway when the
configuration allows private URLs (``telegram.allow_private_feed_urls``), or when the feed itself is on a
non-public address and the operator added it (configuration, ``raqib feeds add``, OPML: a feed served from
127.0.0.1 by the tests or the demo, an intranet feed). A feed added through the bot (``/addfeed``, origin
``bot``) was checked to be public when added, so it must stay public: if its host later resolves to a
private address, it is refused. The fetcher asks again before each redirect hop, and its transport
(:class:`feeds.transport.PinnedTransport`) connects to the address it checked, so DNS rebinding between
the check and the connection does not get through.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")
PUBLIC, PRIVATE, UNKNOWN = "public", "private", "unknown"


async def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system resolver, off the event loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_public_address(text: str) -> bool:
    """Whether an IP address (text, IPv6 zone allowed) is a public, routable unicast address.

    False for private, loopback, link-local, multicast, reserved, unspecified and other non-global
    ranges (an IPv4-mapped IPv6 address is judged as its IPv4 address); False for non-addresses.
    """
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not (address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
                or address.is_reserved or address.is_unspecified or not address.is_global)


async def address_kind(url: str, *, resolve: Resolver | None = None, timeout: float = 10.0) -> str:
    """``"public"`` when every address of the URL's host is public, ``"private"`` when one is not (or
    the name is ``localhost``, ``*.local``...), ``"unknown"`` when the host is missing or cannot be
    resolved within ``timeout`` seconds."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        return UNKNOWN
    if not host:
        return UNKNOWN
    if host == "localhost" or host.endswith(LOCAL_SUFFIXES):
        return PRIVATE
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    else:
        return PUBLIC if is_public_address(host) else PRIVATE
    try:
        async with asyncio.timeout(timeout):
            addresses = list(await (resolve or resolve_host)(host, port))
    except (OSError, TimeoutError, UnicodeError, ValueError) as exc:
        log.debug("cannot resolve %s: %s", host, exc)
        return UNKNOWN
    if not addresses:
        return UNKNOWN
    return PUBLIC if all(is_public_address(a) for a in addresses) else PRIVATE


async def page_allowed(feed_url: str, link: str, *, allow_private: bool = False, resolve: Resolver | None = None,
                       timeout: float = 10.0) -> bool:
    """Whether the page ``link`` of the feed at ``feed_url`` may be fetched (see the module docstring)."""
    return await PageGuard(feed_url, allow_private=allow_private, resolve=resolve, timeout=timeout).allowed(link)


class PageGuard:
    """:func:`page_allowed` for the pages of one feed during one refresh, resolving each host once.

    ``await guard.allowed(url)`` is what :meth:`feeds.fetch.Fetcher.fetch` takes as ``allow``.
    """

    def __init__(self, feed_url: str, *, allow_private: bool = False, resolve: Resolver | None = None,
                 timeout: float = 10.0, trusted: bool = True) -> None:
        self.feed_url = feed_url
        self.allow_private = allow_private
        self.trusted = trusted
        self.resolve = resolve
        self.timeout = timeout
        self._kinds: dict[str, str] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def _kind(self, url: str) -> str:
        try:
            parts = urlsplit(url)
            key = f"{(parts.hostname or '').lower()}:{parts.port or ''}"
        except ValueError:
            return UNKNOWN
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key not in self._kinds:
                self._kinds[key] = await address_kind(url, resolve=self.resolve, timeout=self.timeout)
            return self._kinds[key]

    async def public_only(self) -> bool:
        """Whether this feed's fetches must connect to public addresses only."""
        if self.allow_private:
            return False
        return not (self.trusted and await self._kind(self.feed_url) == PRIVATE)

    async def allowed(self, url: str) -> bool:
        """True when ``url`` (the feed, a redirect hop, a page) may be fetched for this feed."""
        if not await self.public_only():
            return True
        return await self._kind(url) == PUBLIC
