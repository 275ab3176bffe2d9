"""The reads behind the bot's boards: /latest, /who, the digest and /status. Read-only, no writes.

A cluster is one statement as carried by one or more articles; its time (``when``) is the earliest
publication time of its articles, else its clustering time. Lists are ordered by that time, newest first.
Windows ("the last 24 hours", "the last 7 days", a digest's day) are on when Raqib *saw* a statement
(``statements.created_at``): a digest then never misses a statement published just before its cut-off but
fetched after it, and a statement is in exactly one digest (the one covering the moment its cluster was
first seen).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlite_utils

from reactions.names import load_gazetteer
from reactions.text import fold
from storage.languages import sql_filter
from storage.models import ArticleRef, ClusterView, db_time
from storage.names import names_key

__all__ = [
    "ArticleRef", "ClusterView", "WhoRow", "SearchResult", "FailingFeed", "StatusView",
    "latest_clusters", "clusters_by_id", "who_board", "search_statements", "fts_query", "digest_clusters",
    "status",
]

CANDIDATES = 200


@dataclass(frozen=True)
class WhoRow:
    speaker: str
    last_24h: int
    last_7d: int
    latest: ClusterView | None


@dataclass(frozen=True)
class SearchResult:
    """Per speaker, the latest cluster with a statement matching the topic (None: no reaction found)."""

    speaker: str
    match: ClusterView | None
    matches: int


@dataclass(frozen=True)
class FailingFeed:
    url: str
    name: str
    consecutive_failures: int
    last_status: int | None
    last_error: str | None
    last_error_at: str | None
    next_poll_at: str | None = None  # the next try (after backoff); ``storage.feeds.RETRY_NOW``: at once


@dataclass(frozen=True)
class StatusView:
    feeds: int
    failing: tuple[FailingFeed, ...]
    last_poll: str | None
    last_success: str | None
    outbox_pending: int
    outbox_failed: int
    chats: int
    subscribers: int
    subscriptions: int
    clusters_24h: int


def _outlet(name: str | None, url: str | None) -> str:
    if name:
        return name
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


def clusters_by_id(db: sqlite_utils.Database, ids: Sequence[int]) -> list[ClusterView]:
    """The clusters with these ids, in the order given, each with its articles (oldest first)."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    articles: dict[int, list[ArticleRef]] = {i: [] for i in ids}
    seen: set[tuple[int, int]] = set()
    # (tuples, not sqlite_utils' dict rows: a digest loads a thousand of these)
    for cluster_id, article_id, url, title, lang, published_at, name, feed_url in db.conn.execute(
        f"SELECT s.cluster_id, a.id, a.url, a.title, a.lang, a.published_at, f.name, f.url AS feed_url "
        f"FROM statements s JOIN articles a ON a.id = s.article_id JOIN feeds f ON f.id = a.feed_id "
        f"WHERE s.cluster_id IN ({marks}) ORDER BY coalesce(a.published_at, a.first_seen_at), a.id", ids):
        if (cluster_id, article_id) in seen:
            continue
        seen.add((cluster_id, article_id))
        articles[cluster_id].append(ArticleRef(url=url, title=title or "", outlet=_outlet(name, url or feed_url),
                                               lang=lang, published_at=published_at))
    views = {}
    for cluster_id, speaker, person, reaction, text, first_seen_at in db.conn.execute(
            f"SELECT id, speaker, person, reaction, text, first_seen_at FROM clusters WHERE id IN ({marks})", ids):
        views[cluster_id] = ClusterView(cluster_id, speaker, person, reaction, text, first_seen_at,
                                        tuple(articles[cluster_id]))
    return [views[i] for i in ids if i in views]


def _newest_first(views: Iterable[ClusterView]) -> list[ClusterView]:
    return sorted(views, key=lambda v: (v.when, v.id), reverse=True)


def latest_clusters(db: sqlite_utils.Database, speaker: str | None = None, n: int = 5,
                    sources: str = "both") -> list[ClusterView]:
    """The ``n`` newest clusters (of one speaker if given; reported in the source languages ``sources``:
    'ar', 'en' or 'both'), newest first by publication time, among the most recently seen ones. Read-only.
    """
    n = max(0, n)
    if n == 0:
        return []
    in_langs, lang_params = sql_filter(sources)
    where, params = (f"speaker = ? AND {in_langs}", [speaker, *lang_params]) if speaker else (in_langs, lang_params)
    # Among the most recently seen candidates, the n newest by ClusterView.when (the earliest non-empty
    # publication time of the cluster's articles, else first_seen_at), ranked in SQL so only those n are
    # loaded as views (loading all candidates took most of /latest and /who at a million statements).
    ids = [r[0] for r in db.conn.execute(
        f"SELECT c.id, coalesce(min(nullif(a.published_at, '')), c.first_seen_at) AS w "
        f"FROM (SELECT id, first_seen_at FROM clusters WHERE {where} "
        f"      ORDER BY first_seen_at DESC, id DESC LIMIT ?) c "
        # covering indexes (migration 15): the article rows themselves, with their text, are not read
        "JOIN statements s INDEXED BY idx_statements_cluster_article ON s.cluster_id = c.id "
        "JOIN articles a INDEXED BY idx_articles_id_published ON a.id = s.article_id "
        "JOIN feeds f ON f.id = a.feed_id GROUP BY c.id ORDER BY w DESC, c.id DESC LIMIT ?",
        [*params, max(CANDIDATES, n), n])]
    return _newest_first(v for v in clusters_by_id(db, ids) if v.articles)[:n]


def who_board(db: sqlite_utils.Database, now: dt.datetime, speakers: Sequence[str]) -> list[WhoRow]:
    """For each speaker: how many statement clusters were seen in the last 24 hours and 7 days, and the
    latest one. Read-only."""
    day, week = db_time(now - dt.timedelta(days=1)), db_time(now - dt.timedelta(days=7))
    board = []
    for speaker in speakers:
        row = next(db.query(
            "SELECT count(DISTINCT CASE WHEN created_at >= ? THEN cluster_id END) AS d, "
            "count(DISTINCT cluster_id) AS w FROM statements WHERE speaker = ? AND created_at >= ?",
            [day, speaker, week]))
        latest = latest_clusters(db, speaker, 1)
        board.append(WhoRow(speaker, row["d"] or 0, row["w"] or 0, latest[0] if latest else None))
    return board


_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(topic: str) -> str:
    """The user's words as a safe FTS5 MATCH expression: each word a quoted string, all required.

    Operators, quotes, parentheses and column filters in the input are plain text here.
    """
    words = _WORD.findall(topic)
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def search_statements(db: sqlite_utils.Database, topic: str, since: dt.datetime,
                      speakers: Sequence[str]) -> list[SearchResult]:
    """Which ``speakers`` made a statement about ``topic`` since ``since``, in any language.

    A cluster matches when one of its statements does: the topic's words in the statement (FTS5; when that
    finds nothing, the folded topic as a substring of the folded text, since Arabic words carry prefixes such
    as و، ب، ال that the tokenizer keeps), or in the title of the statement's article, or a place, party,
    body or person the topic names (``Hasakah``, ``الحسكة``: :mod:`reactions.names`) named in either. So
    ``/who Hasakah`` and ``/who الحسكة`` find the same clusters, and a speaker is silent only when nothing
    of it matches in either language. Folding is the extractor's matching normaliser (:func:`reactions.fold`),
    stored with each statement (migration 18). Read-only.
    """
    hits = topic_hits(db, topic, db_time(since))
    if hits is None:
        return [SearchResult(speaker, None, 0) for speaker in speakers]
    by_speaker: dict[str, dict[int, None]] = {}
    for speaker, cluster_id, _ in hits:  # each speaker's clusters in the order of their first hit
        by_speaker.setdefault(speaker, {})[cluster_id] = None
    results = []
    for speaker in speakers:
        ids = list(by_speaker.get(speaker, ()))
        newest = _newest_of(db, ids[:50])
        results.append(SearchResult(speaker, newest, len(ids)))
    return results


def _newest_of(db: sqlite_utils.Database, ids: Sequence[int]) -> ClusterView | None:
    """The newest (by :attr:`ClusterView.when`, then id) of these clusters that has an article, loaded alone:
    ranked in SQL from the covering indexes of migration 15, as :func:`latest_clusters` ranks (loading all 50
    candidates of each speaker as views took a fifth of /who at a million statements)."""
    if not ids:
        return None
    marks = ",".join("?" * len(ids))
    row = db.conn.execute(
        f"SELECT c.id, coalesce(min(nullif(a.published_at, '')), c.first_seen_at) AS w FROM clusters c "
        "JOIN statements s INDEXED BY idx_statements_cluster_article ON s.cluster_id = c.id "
        "JOIN articles a INDEXED BY idx_articles_id_published ON a.id = s.article_id "
        f"JOIN feeds f ON f.id = a.feed_id WHERE c.id IN ({marks}) GROUP BY c.id ORDER BY w DESC, c.id DESC LIMIT 1",
        list(ids)).fetchone()
    views = clusters_by_id(db, [row[0]]) if row else []
    return views[0] if views else None


def topic_hits(db: sqlite_utils.Database, topic: str, since_text: str, *,
               until_text: str | None = None) -> list[tuple[str, int, str]] | None:
    """``(speaker, cluster_id, created_at)`` of the statements created in ``[since_text, until_text)`` that
    match ``topic`` the way /who matches it (see :func:`search_statements`); /who, /chart and everything that
    must give /who's numbers call this. None when the window holds no statement at all. Read-only."""
    # Every statement of the window has an id at least that of the window's first statement: bounding the
    # FTS rowid by it keeps the search to the window instead of every hit of the archive.
    # (INDEXED BY: left alone, SQLite answers min(id) by walking the rowids from the archive's first statement)
    first = db.conn.execute("SELECT min(id) FROM statements INDEXED BY idx_statements_created_id_cluster WHERE created_at >= ?",
                            [since_text]).fetchone()[0]
    if first is None:
        return None
    window = _Window(first, since_text, until_text)
    hits: list[tuple[str, int, str]] = []
    query = fts_query(topic)
    if query:
        hits = [tuple(r) for r in db.conn.execute(
            "SELECT s.speaker, s.cluster_id, s.created_at FROM statements_fts JOIN statements s "
            "ON s.id = statements_fts.rowid WHERE statements_fts MATCH ? AND statements_fts.rowid >= ? "
            f"AND {window.sql} ORDER BY s.created_at DESC, s.id DESC LIMIT 2000",
            [query, first, *window.params])]
    needle = fold(topic)
    # none: the folded topic as a substring of the folded text (a topic that folds to "" would match everything),
    # found in the same pass over the window as the matches across languages
    in_text = needle if not hits and needle else None
    found_in_text, across = _hits_across_languages(db, topic, window, in_text)
    return (found_in_text if in_text else hits) + across


@dataclass(frozen=True)
class _Window:
    """The statements of a search's window that belong to a cluster: ``sql`` over ``statements s``."""

    first: int  # the id of the window's first statement
    since: str
    until: str | None = None

    @property
    def sql(self) -> str:
        return "s.created_at >= ?" + (" AND s.created_at < ?" if self.until else "") + " AND s.cluster_id IS NOT NULL"

    @property
    def params(self) -> list[str]:
        return [self.since, *([self.until] if self.until else [])]


MAX_SCANNED = 5000  # the newest statements of the window matched across languages


def _hits_across_languages(db: sqlite_utils.Database, topic: str, window: _Window, in_text: str | None = None
                           ) -> tuple[list[tuple[str, int, str]], list[tuple[str, int, str]]]:
    """``(speaker, cluster_id, created_at)`` of the newest :data:`MAX_SCANNED` statements of the window whose
    article's title holds the folded topic, or whose text or title names a place, party, body or person that the
    topic names; newest first. First, when ``in_text`` is given, the newest 2,000 statements of the whole window
    whose folded text holds it (read in the same pass)."""
    gazetteer = load_gazetteer()
    wanted = gazetteer.expand(topic)
    needle = fold(topic)
    if not wanted and not needle:
        return [], []
    # the oldest statement scanned: the MAX_SCANNED-th newest of the window (None: the window holds fewer)
    oldest = db.conn.execute(
        f"SELECT s.created_at, s.id FROM statements s WHERE s.id >= ? AND {window.sql} "
        "ORDER BY s.created_at DESC, s.id DESC LIMIT 1 OFFSET ?",
        [window.first, *window.params, MAX_SCANNED - 1]).fetchone()
    scanned = f"s.id >= ? AND {window.sql}"
    params: list = [window.first, *window.params]
    bound, bound_params = "1", []
    if oldest is not None:
        bound, bound_params = "(s.created_at > ? OR s.created_at = ? AND s.id >= ?)", [oldest[0], oldest[0], oldest[1]]
    window_params = list(params)
    scanned += f" AND {bound}"
    params += bound_params
    found: dict[int, tuple[str, int, str]] = {}  # by statement id
    if wanted:
        # the statements whose names, filed with this gazetteer when they were stored (storage.names), hold one
        # the topic names: through the index
        keys = sorted(wanted)
        for statement_id, speaker, cluster_id, created_at in db.conn.execute(
                "SELECT s.id, s.speaker, s.cluster_id, s.created_at FROM statement_names n "
                "INDEXED BY idx_statement_names_name JOIN statements s ON s.id = n.statement_id "
                f"WHERE n.name_key IN ({','.join('?' * len(keys))}) AND n.statement_id >= ? "
                f"AND s.names_version = ? AND {scanned}", [*keys, window.first, gazetteer.version, *params]):
            found[statement_id] = (speaker, cluster_id, created_at)
    # One pass over the window for the rest: the titles holding the folded topic, and the statements whose names
    # were filed with other tables or rules, or never, that may name what the topic names (a name's word in the
    # folded text or title: few), each then asked for its names
    needles = sorted(gazetteer.needles(wanted))
    either, either_params = [], []
    if needle:
        either.append("instr(s.folded_title, ?) > 0")
        either_params.append(needle)
    if needles:
        any_needle = " OR ".join("instr(s.folded, ?) > 0 OR instr(s.folded_title, ?) > 0" for _ in needles)
        either.append(f"s.names_version IS NOT ? AND ({any_needle})")
        either_params += [gazetteer.version, *(n for n in needles for _column in (0, 1))]
    # English words whole ("us" is not in "focus"); Arabic ones anywhere in a word (بالحسكة, والسجن)
    whole = None if not needle or re.search("[\u0600-\u06ff]", needle) else re.compile(
        r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
    texts: list[tuple[str, int, str, int]] = []  # (speaker, cluster_id, created_at, id) holding in_text
    if either or in_text:
        # (NOT INDEXED: the window's rows read in id order from the first, half the reads of the time index's
        # order; few of them match. The title read only for a statement asked for its names.)
        across = f"{bound} AND ({' OR '.join(either)})" if either else "0"
        holding, holding_params = ("instr(s.folded, ?) > 0", [in_text]) if in_text else ("0", [])
        for (statement_id, speaker, cluster_id, created_at, folded_title, stale, text, title, holds, scan
             ) in db.conn.execute(
                "SELECT s.id, s.speaker, s.cluster_id, s.created_at, s.folded_title, s.names_version IS NOT ?, "
                "s.text, CASE WHEN s.names_version IS NOT ? "
                "THEN (SELECT a.title FROM articles a WHERE a.id = s.article_id) END, "
                f"{holding}, {across} FROM statements s NOT INDEXED "
                f"WHERE s.id >= ? AND {window.sql} AND ({holding} OR {across})",
                [gazetteer.version, gazetteer.version, *holding_params, *bound_params, *either_params,
                 *window_params, *holding_params, *bound_params, *either_params]):
            if in_text and holds:
                texts.append((speaker, cluster_id, created_at, statement_id))
            if not scan or statement_id in found:
                continue
            if needle and needle in folded_title and (whole is None or whole.search(folded_title)):
                found[statement_id] = (speaker, cluster_id, created_at)
                continue
            if not stale or not wanted:
                continue
            key = names_key(text, title)
            if (named := _NAMED.get(key)) is None:
                named = _NAMED[key] = gazetteer.entities(key)
                _trim(_NAMED)
            if wanted & named:
                found[statement_id] = (speaker, cluster_id, created_at)
    texts.sort(key=lambda r: (r[2], r[3]), reverse=True)
    return ([r[:3] for r in texts[:2000]],
            [found[i] for i in sorted(found, key=lambda i: (found[i][2], i), reverse=True)])


# The names found in a statement and its title, kept between searches (by the text itself, so an edited
# statement or title is simply another entry): finding them costs 10-60 us per statement, and a topic naming
# something reads up to MAX_SCANNED statements per search (300 ms for 5,000; a few ms once known). The memo
# keeps the newest MEMO_SIZE entries.
MEMO_SIZE = 4 * MAX_SCANNED
_NAMED: dict[str, frozenset[str]] = {}


def _trim(memo: dict) -> None:
    if len(memo) > MEMO_SIZE:
        for key in list(memo)[:len(memo) - MEMO_SIZE // 2]:  # the oldest entries go first
            del memo[key]


DIGEST_LIMIT = 1000  # clusters of one digest at most


def digest_clusters(db: sqlite_utils.Database, day_start_utc: str | dt.datetime, day_end_utc: str | dt.datetime,
                    speakers: Sequence[str] | None = None, shared: dict | None = None) -> list[ClusterView]:
    """Clusters first seen by Raqib in ``[day_start_utc, day_end_utc)`` (of these speakers if given),
    oldest first. Read-only.

    :param shared: each speaker's clusters of the window, kept by the caller between digests of a round (a
        cluster has one speaker, so a mix of speakers is the union of theirs): chats following different mixes
        of the same speakers share the queries. The same answer as without it (when the speakers' clusters
        together are more than :data:`DIGEST_LIMIT`, the query of the mix is asked as without it).
    """
    start = day_start_utc if isinstance(day_start_utc, str) else db_time(day_start_utc)
    end = day_end_utc if isinstance(day_end_utc, str) else db_time(day_end_utc)
    if shared is not None and speakers:
        per_speaker = []
        for speaker in dict.fromkeys(speakers):
            key = ("digest clusters", start, end, speaker)
            if key not in shared:
                ids = _digest_ids(db, start, end, [speaker])
                shared[key] = (len(ids), [v for v in clusters_by_id(db, ids) if v.articles])
            per_speaker.append(shared[key])
        if sum(n for n, _views in per_speaker) < DIGEST_LIMIT:  # (so no speaker's list was cut short either)
            return sorted((v for _n, views in per_speaker for v in views), key=lambda v: (v.when, v.id))
    views = [v for v in clusters_by_id(db, _digest_ids(db, start, end, speakers)) if v.articles]
    return sorted(views, key=lambda v: (v.when, v.id))


def _digest_ids(db: sqlite_utils.Database, start: str, end: str, speakers: Sequence[str] | None) -> list[int]:
    sql = ("SELECT DISTINCT s.cluster_id AS id FROM statements s WHERE s.created_at >= ? AND s.created_at < ? "
           "AND s.cluster_id IS NOT NULL "
           "AND NOT EXISTS (SELECT 1 FROM statements o WHERE o.cluster_id = s.cluster_id AND o.created_at < ?)")
    params: list = [start, end, start]
    if speakers is not None:
        if not speakers:
            return []
        sql += f" AND s.speaker IN ({','.join('?' * len(speakers))})"
        params += list(speakers)
    return [r[0] for r in db.conn.execute(sql + f" LIMIT {DIGEST_LIMIT}", params)]


def status(db: sqlite_utils.Database, now: dt.datetime | None = None) -> StatusView:
    """What an admin needs: failing feeds and why, last poll, outbox size, subscribers. Read-only."""
    now = now or dt.datetime.now(dt.UTC)
    failing = tuple(FailingFeed(r["url"], r["name"], r["consecutive_failures"], r["last_status"], r["last_error"],
                                r["last_error_at"], r["next_poll_at"]) for r in db.query(
        "SELECT url, name, consecutive_failures, last_status, last_error, last_error_at, next_poll_at FROM feeds "
        "WHERE consecutive_failures > 0 ORDER BY consecutive_failures DESC, url"))
    row = next(db.query(
        "SELECT (SELECT count(*) FROM feeds) AS feeds, (SELECT max(last_polled_at) FROM feeds) AS last_poll, "
        "(SELECT max(last_success_at) FROM feeds) AS last_success, "
        # counted up to 100,000 (storage.outbox.COUNT_CAP): an exact count of millions took 250-380 ms
        "(SELECT count(*) FROM (SELECT 1 FROM deliveries WHERE status IN ('pending', 'sending') LIMIT 100000)) "
        "AS pending, "
        "(SELECT count(*) FROM (SELECT 1 FROM deliveries WHERE status = 'failed' LIMIT 100000)) AS failed, "
        # kept by triggers (migration 17): counting them took hundreds of milliseconds at 100k chats
        "(SELECT n FROM row_counts WHERE name = 'active_chats') AS chats, "
        "(SELECT n FROM row_counts WHERE name = 'subscribers') AS subscribers, "
        "(SELECT count(*) FROM subscriptions) AS subscriptions, "
        "(SELECT count(DISTINCT cluster_id) FROM statements WHERE created_at >= ?) AS recent",
        [db_time(now - dt.timedelta(days=1))]))
    return StatusView(feeds=row["feeds"], failing=failing, last_poll=row["last_poll"],
                      last_success=row["last_success"], outbox_pending=row["pending"],
                      outbox_failed=row["failed"], chats=row["chats"], subscribers=row["subscribers"],
                      subscriptions=row["subscriptions"], clusters_24h=row["recent"])
