"""The small frozen values that cross the feed stages: fetch result, parsed entries, poll results."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class FetchResult:
    """What the fetcher got for one URL.

    ``status`` is the final status (200, or 304 when ``not_modified``); ``final_url`` the URL after
    redirects; ``permanent_url`` the new address when every redirect from the start was permanent
    (301/308), else None; ``body`` the decoded bytes (empty for 304).
    """

    url: str
    final_url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    permanent_url: str | None = None
    retry_after: float | None = None

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional request."""
        return self.status == 304


@dataclass(frozen=True)
class Entry:
    """One feed item, normalised: plain text, a stable ``key`` and a ``content_hash``.

    ``title``, ``summary`` and ``content`` are plain text (markup, scripts and shortcodes removed);
    ``text`` is the longer of ``content`` and ``summary``. ``published`` is UTC ``YYYY-MM-DD HH:MM:SS``
    or None when the feed gives no date the parser can read (the pipeline then uses the time first
    seen). ``link`` is the article URL to show (absolute, tracking parameters dropped; or None).
    ``key_kind`` says what the key was made from: ``"guid"``, ``"link"`` or ``"hash"``; ``link_key`` is the
    normalised link when it identifies this entry (:func:`feeds.identity.assign_keys`), else None.
    """

    key: str
    guid: str | None
    link: str | None
    title: str
    summary: str
    content: str
    published: str | None
    text: str = ""
    content_hash: str = ""
    key_kind: str = "link"
    raw_link: str | None = None
    link_key: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    """A parse that yielded entries (possibly none, for a valid empty feed)."""

    entries: tuple[Entry, ...]
    title: str = ""
    version: str = ""
    bozo: bool = False
    bozo_reason: str = ""
    language: str | None = None


@dataclass(frozen=True)
class FeedResult:
    """The outcome of one refresh of one feed.

    ``outcome`` is ``"ok"``, ``"not_modified"``, ``"failed"`` or ``"skipped"`` (not due yet, or already
    being polled).
    """

    feed_id: int
    url: str
    outcome: str
    status: int | None = None
    error: str | None = None
    entries: int = 0
    new_articles: int = 0
    changed_articles: int = 0
    new_statements: int = 0
    new_clusters: tuple[int, ...] = ()
    cluster_ids: tuple[int, ...] = ()
    pages_fetched: int = 0
    new_url: str | None = None
    next_poll_at: str | None = None


@dataclass
class PollSummary:
    """Totals of one poll cycle (``raqib poll --once``)."""

    feeds_polled: int = 0
    not_modified: int = 0
    failed: int = 0
    new_articles: int = 0
    changed_articles: int = 0
    new_statements: int = 0
    new_clusters: int = 0
    entries: int = 0
    cluster_ids: list[int] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    results: list[FeedResult] = field(default_factory=list)

    def add(self, result: FeedResult) -> None:
        """Fold one feed's result into the totals."""
        self.results.append(result)
        if result.outcome == "skipped":
            return
        self.feeds_polled += 1
        if result.outcome == "not_modified":
            self.not_modified += 1
        elif result.outcome == "failed":
            self.failed += 1
            self.errors.append((result.url, result.error or "failed"))
        self.entries += result.entries
        self.new_articles += result.new_articles
        self.changed_articles += result.changed_articles
        self.new_statements += result.new_statements
        self.new_clusters += len(result.new_clusters)
        self.cluster_ids.extend(c for c in result.new_clusters if c not in self.cluster_ids)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form printed by ``raqib poll --once --json``."""
        return {
            "feeds_polled": self.feeds_polled,
            "not_modified": self.not_modified,
            "failed": self.failed,
            "new_articles": self.new_articles,
            "changed_articles": self.changed_articles,
            "new_statements": self.new_statements,
            "new_clusters": self.new_clusters,
            "entries": self.entries,
            "errors": [{"url": url, "error": error} for url, error in self.errors],
            "feeds": [asdict(r) for r in self.results],
        }
