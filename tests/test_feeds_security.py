"""Security of feed fetching: redirects of the feed document itself, DNS rebinding, layered compression."""

from __future__ import annotations

import asyncio
import tracemalloc
import zlib

import httpx
import pytest

import storage
from config import FetchConfig
from feeds.errors import AddressRefused, BodyTooLarge
from feeds.fetch import Fetcher
from feeds.pipeline import refresh_feed
from feeds.transport import PUBLIC_ONLY, CappedDecoder, PinnedTransport, UnsupportedEncoding
from tests.feed_server import FeedServer, rss

PUBLIC_IP = "93.184.216.34"
FEED = rss([{"title": "Item", "link": "https://news.test/a", "description": "Words."}])


def _gzip_stream(chunks, level: int = 9):
    c = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    for chunk in chunks:
        yield c.compress(chunk)
    yield c.flush()


def gzip_bomb(decoded_mb: int) -> bytes:
    """gzip(gzip(decoded_mb MB of zeros)), built without holding the decoded body."""
    inner = b"".join(_gzip_stream(b"\0" * (1 << 20) for _ in range(decoded_mb)))
    return b"".join(_gzip_stream([inner]))


def _resolver(table: dict[str, list[str]]):
    async def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError(f"unknown host {host}")
        return table[host]
    return resolve


# --- layered compression ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_layered_gzip_bomb_stops_at_the_cap_without_inflating_it():
    bomb = gzip_bomb(200)
    assert len(bomb) < 10_000  # a small body that decodes to 200 MB
    with FeedServer() as server:
        server.route("/bomb.xml", bomb, headers={"Content-Encoding": "gzip, gzip"}, etag=False,
                     last_modified=False)
        settings = FetchConfig(timeout=20.0, max_bytes=1 << 20)

        async def run():
            async with Fetcher(settings) as client:
                return await client.fetch(server.url("/bomb.xml"))

        tracemalloc.start()
        try:
            with pytest.raises(BodyTooLarge):
                asyncio.run(run())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    # httpx alone inflated the whole 200 MB chunk before any check; decoding layer by layer stays near the cap.
    assert peak < 16 << 20, f"peak {peak / 2**20:.0f} MB"


def test_layered_encodings_are_decoded_in_reverse_order():
    body = b"<rss>" + b"x" * 5000 + b"</rss>"
    inner = zlib.compress(body)  # deflate (zlib-wrapped)
    outer = b"".join(_gzip_stream([inner]))
    decoder = CappedDecoder("deflate, gzip", 1 << 20)
    out = b"".join(decoder.feed(outer[i:i + 100]) for i in range(0, len(outer), 100))
    assert out == body


def test_raw_deflate_and_identity_are_decoded():
    body = b"hello " * 100
    c = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    raw = c.compress(body) + c.flush()
    assert CappedDecoder("deflate", 10_000).feed(raw) == body
    assert CappedDecoder("identity", 10_000).feed(body) == body
    assert CappedDecoder("", 10_000).feed(body) == body


def test_an_unknown_encoding_is_a_readable_error():
    with pytest.raises(UnsupportedEncoding, match="br"):
        CappedDecoder("br", 1000)


def test_a_gzip_body_through_the_real_server_is_decoded():
    with FeedServer() as server:
        server.route("/feed.xml", FEED, gzip=True)

        async def run():
            async with Fetcher(FetchConfig(timeout=5.0)) as client:
                return await client.fetch(server.url("/feed.xml"))

        assert asyncio.run(run()).body == FEED


# --- the feed document's redirects -------------------------------------------------------------------------

def _refresh_public_feed(db, monkeypatch, target: str, status: int, origin: str):
    """A feed on a public name (fake DNS) answering ``status`` to ``target``; HTTP through a mock transport."""
    monkeypatch.setattr("feeds.addresses.resolve_host", _resolver({"news.test": [PUBLIC_IP]}))
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        if request.url.host == "news.test":
            return httpx.Response(status, headers={"Location": target})
        return httpx.Response(200, content=FEED, headers={"Content-Type": "application/rss+xml"})

    feed = storage.add_feed(db, "https://news.test/feed.xml", lang="en", origin=origin)
    settings = FetchConfig(timeout=5.0)

    async def run():
        async with Fetcher(settings, transport=httpx.MockTransport(handler)) as client:
            return await refresh_feed(db, feed, client, settings)

    return asyncio.run(run()), requested


@pytest.mark.parametrize("origin", ["bot", "config"])
@pytest.mark.parametrize("status", [301, 302])
def test_a_public_feed_redirecting_to_loopback_is_refused(db, monkeypatch, origin, status):
    result, requested = _refresh_public_feed(db, monkeypatch, "http://127.0.0.1:8080/internal.xml", status, origin)
    assert result.outcome == "failed"
    assert requested == ["https://news.test/feed.xml"]  # the loopback address was never asked
    row = storage.feed_by_id(db, result.feed_id)
    assert row.url == "https://news.test/feed.xml"  # a 301 did not rewrite it to the internal address
    assert "private" in (row.last_error or "")
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def test_a_public_feed_may_redirect_to_another_public_host(db, monkeypatch):
    monkeypatch.setattr("feeds.addresses.resolve_host", _resolver({"news.test": [PUBLIC_IP],
                                                                    "cdn.test": [PUBLIC_IP]}))
    result, requested = None, None

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "news.test":
            return httpx.Response(302, headers={"Location": "https://cdn.test/feed.xml"})
        return httpx.Response(200, content=FEED, headers={"Content-Type": "application/rss+xml"})

    feed = storage.add_feed(db, "https://news.test/feed.xml", lang="en", origin="bot")
    settings = FetchConfig(timeout=5.0)

    async def run():
        async with Fetcher(settings, transport=httpx.MockTransport(handler)) as client:
            return await refresh_feed(db, feed, client, settings)

    result = asyncio.run(run())
    assert result.outcome == "ok" and result.new_articles == 1, requested


def test_a_bot_added_feed_whose_name_now_resolves_to_loopback_is_refused(db, monkeypatch):
    """/addfeed checked the name was public; if it later points at 127.0.0.1, the feed is not fetched."""
    monkeypatch.setattr("feeds.addresses.resolve_host", _resolver({"news.test": ["127.0.0.1"]}))
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return httpx.Response(200, content=FEED, headers={"Content-Type": "application/rss+xml"})

    feed = storage.add_feed(db, "https://news.test/feed.xml", lang="en", origin="bot")
    settings = FetchConfig(timeout=5.0)

    async def run():
        async with Fetcher(settings, transport=httpx.MockTransport(handler)) as client:
            return await refresh_feed(db, feed, client, settings)

    result = asyncio.run(run())
    assert result.outcome == "failed" and requested == []


def test_an_operator_feed_on_loopback_is_still_fetched(db):
    """Feeds the operator configured on private addresses (tests, the demo, an intranet) keep working."""
    with FeedServer() as server:
        server.route("/feed.xml", FEED)
        feed = storage.add_feed(db, server.url("/feed.xml"), lang="en", origin="config")
        settings = FetchConfig(timeout=5.0)

        async def run():
            async with Fetcher(settings) as client:
                return await refresh_feed(db, feed, client, settings)

        result = asyncio.run(run())
    assert result.outcome == "ok" and result.new_articles == 1


# --- DNS rebinding: the connection goes to the address that was checked ------------------------------------

def test_the_connection_goes_to_the_checked_address_with_the_original_host_name():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"ok")

    transport = PinnedTransport(httpx.MockTransport(handler), resolve=_resolver({"news.test": [PUBLIC_IP]}))

    async def run():
        async with httpx.AsyncClient(transport=transport) as client:
            return await client.get("https://news.test/feed.xml", extensions={PUBLIC_ONLY: True})

    assert asyncio.run(run()).status_code == 200
    (request,) = seen
    assert request.url.host == PUBLIC_IP and request.url.path == "/feed.xml"
    assert request.headers["Host"] == "news.test"
    assert request.extensions["sni_hostname"] == "news.test"  # TLS still checks the name's certificate


def test_a_name_that_rebinds_to_loopback_between_check_and_connect_is_refused():
    answers = iter([[PUBLIC_IP], ["127.0.0.1"]])  # public for the check, loopback a moment later

    async def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=b"secret")

    from feeds.addresses import PageGuard

    transport = PinnedTransport(httpx.MockTransport(handler), resolve=rebinding)
    guard = PageGuard("https://news.test/feed.xml", resolve=rebinding)

    async def run():
        assert await guard.allowed("https://news.test/feed.xml")  # the check sees the public address
        async with Fetcher(FetchConfig(timeout=5.0), transport=transport) as client:
            return await client.fetch("https://news.test/feed.xml", allow=guard.allowed,
                                      public_only=await guard.public_only())

    with pytest.raises(AddressRefused):
        asyncio.run(run())
    assert seen == []
