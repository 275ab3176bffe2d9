"""The rows the store hands out and takes in: small frozen dataclasses, one per table or request.

Times are UTC text ``YYYY-MM-DD HH:MM:SS``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields, replace
from typing import Any


class _Row:
    """Shared helpers: build from a ``sqlite3.Row``/dict with extra columns ignored, and back to a dict."""

    @classmethod
    def from_row(cls, row: Any):
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: row[k] for k in row.keys() if k in names})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class FeedRow(_Row):
    """A feed and its polling state (``last_status`` is the HTTP status; None before the first poll)."""

    id: int
    url: str
    name: str
    lang: str | None
    speaker: str | None
    interval: int
    fetch_pages: bool
    origin: str
    etag: str | None
    last_modified: str | None
    last_status: int | None
    last_error: str | None
    last_error_at: str | None
    last_polled_at: str | None
    last_success_at: str | None
    consecutive_failures: int
    next_poll_at: str | None
    created_at: str | None = None  # when the feed was added (its first poll's backlog is what is older)

    @classmethod
    def from_row(cls, row: Any) -> FeedRow:
        feed = super().from_row(row)
        return replace(feed, fetch_pages=bool(feed.fetch_pages))


@dataclass(frozen=True)
class NewArticle:
    """An article as the feeds pipeline found it, before it is stored."""

    feed_id: int
    entry_key: str
    url: str | None
    title: str
    text: str
    lang: str | None
    published_at: str | None
    content_hash: str | None


@dataclass(frozen=True)
class ArticleRow(_Row):
    id: int
    feed_id: int
    entry_key: str
    url: str | None
    title: str
    text: str
    lang: str | None
    published_at: str | None
    first_seen_at: str
    updated_at: str | None
    content_hash: str | None


@dataclass(frozen=True)
class StatementRow(_Row):
    """A stored statement; ``quotes`` is decoded from its JSON column."""

    id: int
    article_id: int
    cluster_id: int | None
    speaker: str
    person: str | None
    kind: str
    text: str
    quotes: tuple[str, ...]
    reaction: str
    lang: str | None
    start: int
    end: int
    created_at: str


@dataclass(frozen=True)
class ClusterRow(_Row):
    """One statement as reprinted by several articles: the first statement's text, person and reaction."""

    id: int
    speaker: str
    person: str | None
    reaction: str | None
    text: str
    norm_text: str
    first_seen_at: str
    last_seen_at: str


@dataclass(frozen=True)
class SaveResult:
    """What :func:`storage.articles.save_article` did.

    ``status`` is ``new``, ``changed`` or ``unchanged``; ``cluster_ids`` are the clusters of the article's
    statements (in order, without repeats); ``clusters_new`` those among them this call created.
    """

    article_id: int
    status: str
    statements_new: int
    cluster_ids: tuple[int, ...]
    clusters_new: tuple[int, ...]



TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def db_time(moment: dt.datetime) -> str:
    """A datetime as the database's UTC text (naive datetimes are taken as UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.strftime(TIME_FORMAT)


def utc_now() -> str:
    """The current UTC time in the database's format (what ``datetime('now')`` writes)."""
    return db_time(dt.datetime.now(dt.UTC))


# --- what the reads behind /latest, /who and the digest return (storage.queries) ---

@dataclass(frozen=True)
class ArticleRef:
    """An article that carried a statement: where to read it and which outlet published it."""

    url: str | None
    title: str
    outlet: str
    lang: str | None
    published_at: str | None


@dataclass(frozen=True)
class ClusterView:
    id: int
    speaker: str
    person: str | None
    reaction: str | None
    text: str
    first_seen_at: str
    articles: tuple[ArticleRef, ...]

    @property
    def when(self) -> str:
        return min((a.published_at for a in self.articles if a.published_at), default=self.first_seen_at)
