"""What sits under the fetcher's HTTP client: content decoding within the size cap, and connections pinned to
the address that was checked.

Decoding: ``Content-Encoding`` may list several codings (``gzip, gzip``). httpx would inflate a whole chunk
through every layer before the fetcher sees a byte, so a 2 KB body could grow to gigabytes before the cap
is checked. :class:`CappedDecoder` decodes each layer itself, never producing more than the cap plus one byte
from any layer, and raises :class:`feeds.errors.BodyTooLarge` as soon as a layer goes past it.

Pinning: :class:`PinnedTransport` resolves the host of every request itself, refuses it when the request
must stay on public addresses (``extensions={"raqib_public_only": True}``) and any address is not public,
and then connects to that very address (the URL's host replaced by the address, the ``Host`` header and
TLS server name kept), so a DNS answer that changes between the check and the connection (DNS rebinding)
cannot send the request elsewhere.
"""

from __future__ import annotations

import ipaddress
import zlib
from collections.abc import Awaitable, Callable, Sequence

import httpx

from feeds.addresses import is_public_address, resolve_host
from feeds.errors import AddressRefused, BodyTooLarge, FetchError, short

PUBLIC_ONLY = "raqib_public_only"
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]


class UnsupportedEncoding(FetchError):
    """The body uses a content coding Raqib does not decode (it asks for gzip and deflate only)."""


class _Layer:
    """One content coding, decoded incrementally with at most ``limit`` bytes of output in all."""

    def __init__(self, coding: str, limit: int) -> None:
        self.coding = coding
        self.limit = limit
        self.total = 0
        self._d: zlib._Decompress | None = None  # created on the first bytes (deflate's header decides)
        if coding in ("gzip", "x-gzip"):
            self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def _start(self, data: bytes) -> zlib._Decompress:
        if self._d is None:
            # "deflate" is meant to be zlib-wrapped, but servers send raw deflate too.
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._d = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        return self._d

    def feed(self, data: bytes) -> bytes:
        out: list[bytes] = []
        while data:
            d = self._start(data)
            try:
                piece = d.decompress(data, self.limit - self.total + 1)
            except zlib.error as exc:
                raise FetchError(f"bad {self.coding} content encoding: {short(str(exc), 60)}") from None
            self.total += len(piece)
            if self.total > self.limit:
                raise BodyTooLarge(self.limit)
            out.append(piece)
            if d.unconsumed_tail:
                data = d.unconsumed_tail
            elif d.eof and d.unused_data and self.coding in ("gzip", "x-gzip"):
                # a further gzip member
                data = d.unused_data
                self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            else:
                data = b""
        return b"".join(out)


class CappedDecoder:
    """Decodes a body sent with ``Content-Encoding: <codings>`` (applied in the order listed, so decoded in
    reverse), chunk by chunk, with at most ``limit`` decoded bytes from any layer.

    :raises UnsupportedEncoding: for a coding other than gzip, x-gzip, deflate and identity.
    :raises BodyTooLarge: as soon as a layer would produce more than ``limit`` bytes.
    """

    def __init__(self, content_encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        for coding in codings:
            if coding not in ("gzip", "x-gzip", "deflate"):
                raise UnsupportedEncoding(f"unsupported content encoding {short(coding, 30)!r}")
        self.limit = limit
        self.size = 0
        self._layers = [_Layer(c, limit) for c in reversed(codings)]

    def feed(self, chunk: bytes) -> bytes:
        for layer in self._layers:
            if not chunk:
                break
            chunk = layer.feed(chunk)
        self.size += len(chunk)
        if self.size > self.limit:
            raise BodyTooLarge(self.limit)
        return chunk


class PinnedTransport(httpx.AsyncBaseTransport):
    """An httpx transport that connects to the address it checked (see the module docstring).

    :param inner: the transport that makes the connection (``httpx.AsyncHTTPTransport`` by default).
    :param resolve: ``(host, port) -> addresses`` (the system resolver by default; tests give their own).
    """

    def __init__(self, inner: httpx.AsyncBaseTransport | None = None, *, resolve: Resolver | None = None,
                 **transport_options: object) -> None:
        self._inner = inner or httpx.AsyncHTTPTransport(**transport_options)  # type: ignore[arg-type]
        self._resolve = resolve or resolve_host

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        public_only = bool(request.extensions.pop(PUBLIC_ONLY, False))
        url = request.url
        host = url.host
        if not _is_ip(host):
            port = url.port or (443 if url.scheme == "https" else 80)
            try:
                addresses = list(await self._resolve(host, port))
            except OSError as exc:
                raise httpx.ConnectError(f"host not found: {exc}", request=request) from exc
            if not addresses:
                raise httpx.ConnectError("host not found", request=request)
            if public_only and not all(is_public_address(a) for a in addresses):
                raise AddressRefused(f"not fetched: {short(str(url), 80)} is on a private address")
            address = addresses[0].split("%", 1)[0]
            request.url = url.copy_with(host=address)
            request.extensions = {**request.extensions, "sni_hostname": host}
            # The Host header was set from the original URL when the request was built, and stays.
        elif public_only and not is_public_address(host):
            raise AddressRefused(f"not fetched: {short(str(url), 80)} is on a private address")
        response = await self._inner.handle_async_request(request)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True
