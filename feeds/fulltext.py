"""Full text for summary-only entries: fetch the article page and keep its main text (trafilatura).

Pages go through the same :class:`feeds.fetch.Fetcher` as feeds (same timeout, size cap, redirect
limit, per-host limit and User-Agent); extraction runs in the worker pool. Any failure returns None and
the pipeline keeps the feed's own text.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from feeds.errors import FetchError, ParseError
from feeds.fetch import PAGE_ACCEPT, Fetcher
from feeds.parse import run_off_loop
from feeds.text import strip_shortcodes, tidy

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")


def extract_main_text(html: bytes, url: str | None = None) -> str:
    """The main text of an HTML page (no navigation, comments or boilerplate); empty when none is found."""
    # imported here, in the worker process that extracts pages: a service whose feeds carry their full text
    # (and every raqib command that never fetches a page) does not pay its start-up (about 0.15 s of CPU)
    import trafilatura

    try:
        text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False,
                                   include_images=False, include_links=False, deduplicate=False,
                                   favor_precision=True)
    except Exception:  # noqa: BLE001 - a page that breaks the extractor is just a page without text
        log.debug("trafilatura failed on %s", url, exc_info=True)
        return ""
    return tidy(strip_shortcodes(text or ""))


async def fetch_full_text(fetcher: Fetcher, url: str, *,
                          allow: Callable[[str], Awaitable[bool]] | None = None,
                          public_only: bool = False) -> str | None:
    """Fetch ``url`` and return its main text, or None when the page cannot be fetched or has none.

    :param allow: asked before each request and redirect hop (:class:`feeds.addresses.PageGuard`).
    :param public_only: connect to public addresses only (``PageGuard.public_only``).
    """
    try:
        result = await fetcher.fetch(url, accept=PAGE_ACCEPT, allow=allow, public_only=public_only, page=True)
    except FetchError as exc:
        log.debug("page %s: %s", url, exc.message)
        return None
    media_type = result.content_type.split(";", 1)[0].strip().lower()
    if not result.body or media_type not in HTML_TYPES:
        return None
    try:
        text = await run_off_loop(extract_main_text, result.body, result.final_url)
    except ParseError as exc:  # the extractor timed out: keep the feed's text
        log.info("page %s: %s", url, exc.message)
        return None
    return text or None
