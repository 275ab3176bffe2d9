"""Feeds: fetch, parse and store the news, one stage per module (like Miniflux's ``internal/reader``).

- :mod:`feeds.fetch` — :class:`~feeds.fetch.Fetcher`: httpx, conditional GET, limits, typed errors.
- :mod:`feeds.parse` — feedparser 6 (and JSON Feed) -> :class:`~feeds.models.Entry`, off the event loop.
- :mod:`feeds.identity` — normalised links, guid-first entry keys, identifying links, content hashes.
- :mod:`feeds.addresses` — which article pages may be fetched (DNS-resolved private-address check).
- :mod:`feeds.text` / :mod:`feeds.fulltext` — plain text from feed HTML; article pages via trafilatura.
- :mod:`feeds.pipeline` — :func:`~feeds.pipeline.refresh_feed` and :func:`~feeds.pipeline.poll_once`,
  the only place here that calls storage.
- :mod:`feeds.scheduler` — one JobQueue job per feed in the running service.
- :mod:`feeds.cli` — ``raqib poll --once``.
- :mod:`feeds.errors` — :class:`~feeds.errors.FeedError` and subclasses, each with a readable ``message``.
"""
