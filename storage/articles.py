"""Articles, their statements, and the clusters that group one statement reprinted by many articles."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence

import sqlite_utils

from reactions.clustering import assign, document_keys, group_keys, read_time
from reactions.model import Statement
from reactions.names import load_gazetteer
from reactions.text import fold
from storage.clusters import article_reports, candidates, file_keys, normalise
from storage.db import transaction
from storage.errors import AlreadyExists, NotFound, StorageError
from storage.models import TIME_FORMAT, ArticleRow, ClusterRow, NewArticle, SaveResult, StatementRow, utc_now
from storage.names import file_names

_CHUNK = 500

_ARTICLE_COLUMNS = ", ".join(ArticleRow.__dataclass_fields__)
_STATEMENT_COLUMNS = ", ".join(f'"{name}"' for name in StatementRow.__dataclass_fields__)
_CLUSTER_COLUMNS = ", ".join(ClusterRow.__dataclass_fields__)


def article_by_key(db: sqlite_utils.Database, feed_id: int, entry_key: str) -> ArticleRow | None:
    """The stored article of ``feed_id`` with this entry key, or None. Read-only."""
    rows = list(db.query(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE feed_id = ? AND entry_key = ?",
                         (feed_id, entry_key)))
    return ArticleRow.from_row(rows[0]) if rows else None


def article_hashes(db: sqlite_utils.Database, feed_id: int, entry_keys: Sequence[str]) -> dict[str, str]:
    """``entry_key -> content_hash`` for the keys of ``feed_id`` already stored, so unchanged entries can
    be skipped before fetching their pages. Keys not stored are absent. Read-only.
    """
    found: dict[str, str] = {}
    keys = list(dict.fromkeys(entry_keys))
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i:i + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        for row in db.query(f"SELECT entry_key, content_hash FROM articles WHERE feed_id = ? AND entry_key IN ({marks})",
                            (feed_id, *chunk)):
            found[row["entry_key"]] = row["content_hash"] or ""
    return found


def article_by_link(db: sqlite_utils.Database, feed_id: int, link_key: str) -> ArticleRow | None:
    """The stored article of ``feed_id`` whose identifying link (``articles.link_key``, the normalised link
    the feeds pipeline passed to :func:`save_article`) is ``link_key``; None when no article, or more
    than one, has it (a link several articles share identifies none of them). Read-only."""
    return articles_by_links(db, feed_id, [link_key]).get(link_key)


def articles_by_links(db: sqlite_utils.Database, feed_id: int, link_keys: Sequence[str]) -> dict[str, ArticleRow]:
    """``link_key -> ArticleRow`` for the given identifying links of ``feed_id`` held by exactly one stored
    article (as :func:`article_by_link`, for many links at once). Read-only."""
    found: dict[str, ArticleRow] = {}
    shared: set[str] = set()
    keys = [k for k in dict.fromkeys(link_keys) if k]
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i:i + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        for row in db.query(f"""SELECT {_ARTICLE_COLUMNS}, link_key FROM articles
                                WHERE feed_id = ? AND link_key IN ({marks})""", (feed_id, *chunk)):
            if row["link_key"] in found:
                shared.add(row["link_key"])
            found[row["link_key"]] = ArticleRow.from_row(row)
    return {k: v for k, v in found.items() if k not in shared}


def rekey_article(db: sqlite_utils.Database, article_id: int, entry_key: str) -> None:
    """Give a stored article a new entry key (its feed now identifies it differently, e.g. a new guid).

    :raises NotFound: no article ``article_id``.
    :raises AlreadyExists: another article of the same feed already has ``entry_key`` (nothing changes).
    """
    try:
        with transaction(db):
            cursor = db.execute("UPDATE articles SET entry_key = ? WHERE id = ?", (entry_key, article_id))
    except sqlite3.IntegrityError:
        raise AlreadyExists(f"another article of the feed already has the key {entry_key!r}") from None
    if cursor.rowcount == 0:
        raise NotFound(f"no article with id {article_id}")


def statements_of_article(db: sqlite_utils.Database, article_id: int) -> list[StatementRow]:
    """The article's statements in text order. Read-only."""
    rows = db.query(f"SELECT {_STATEMENT_COLUMNS} FROM statements WHERE article_id = ? ORDER BY start, id",
                    (article_id,))
    return [_statement(row) for row in rows]


def statements_of_cluster(db: sqlite_utils.Database, cluster_id: int) -> list[StatementRow]:
    """The statements grouped in a cluster, oldest first. Read-only."""
    rows = db.query(f"SELECT {_STATEMENT_COLUMNS} FROM statements WHERE cluster_id = ? ORDER BY id", (cluster_id,))
    return [_statement(row) for row in rows]


def cluster_by_id(db: sqlite_utils.Database, cluster_id: int) -> ClusterRow | None:
    """The cluster with this id, or None. Read-only."""
    rows = list(db.query(f"SELECT {_CLUSTER_COLUMNS} FROM clusters WHERE id = ?", (cluster_id,)))
    return ClusterRow.from_row(rows[0]) if rows else None


def content_hash(title: str, text: str) -> str:
    """The hash :func:`save_article` uses when the article comes without one."""
    return hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()


def save_article(db: sqlite_utils.Database, article: NewArticle, statements: Sequence[Statement], *,
                 now: str | None = None, link_key: str | None = None, hold_back: bool = False) -> SaveResult:
    """Store an article and its statements, clustering each statement with its reprints. One transaction.

    A new article, or one whose ``content_hash`` changed, gets its statements (``reactions.Statement``-like
    objects) replaced; an unchanged one is left as it is (``status='unchanged'``, nothing written).
    The statements are clustered by :func:`reactions.clustering.assign` (one utterance on one occasion: the
    statements of one speaker, voice and subject in the article, joined with a cluster of the same speaker seen
    within 72 hours of the statement's time when the evidence says they report the same act of speech; see
    that module). The statement's time is the article's ``published_at``, or ``now`` when absent or later. A
    new cluster takes its first statement's text, person and reaction; joining moves ``last_seen_at`` forward.
    A cluster left without statements by a changed article is deleted unless it was already pushed.

    :param now: the current UTC time (``YYYY-MM-DD HH:MM:SS``); the clock when None.
    :param hold_back: create new clusters as already handled (``fanned_out = 2``: stored and shown in
        /latest, /who and digests, never pushed); for the backlog found in a feed's first poll.
    :param link_key: the article's identifying link (found again by :func:`article_by_link`), written
        with a new or changed article; for an unchanged one only when given and different.
    :raises NotFound: ``article.feed_id`` is not a feed (nothing is written).
    :raises StorageError: a statement was refused, e.g. its kind is not ``direct``/``reported``
        (nothing is written).
    """
    now = _db_time(now) if now else utc_now()
    if now is None:
        raise ValueError("now must be a UTC time such as 2026-03-10 12:00:00")
    try:
        return _save(db, article, statements, now, link_key, hold_back)
    except sqlite3.IntegrityError as exc:
        if "FOREIGN KEY" in str(exc):
            raise NotFound(f"no feed with id {article.feed_id}") from None
        raise StorageError(f"cannot save article {article.entry_key!r}: {exc}") from None


def _save(db: sqlite_utils.Database, article: NewArticle, statements: Sequence[Statement], now: str,
          link_key: str | None, hold_back: bool = False) -> SaveResult:
    digest = article.content_hash or content_hash(article.title, article.text)
    when = _statement_time(article.published_at, now)
    with transaction(db):
        old = article_by_key(db, article.feed_id, article.entry_key)
        if old is not None and old.content_hash == digest:
            if link_key is not None:
                db.execute("UPDATE articles SET link_key = ? WHERE id = ? AND link_key IS NOT ?",
                           (link_key, old.id, link_key))
            ids = [s.cluster_id for s in statements_of_article(db, old.id) if s.cluster_id is not None]
            return SaveResult(old.id, "unchanged", 0, tuple(dict.fromkeys(ids)), ())
        fields = (article.url, article.title or "", article.text or "", article.lang, article.published_at, digest,
                  link_key)
        unique, seen = [], set()
        for statement in statements:
            place = (statement.speaker, statement.start, statement.end)
            if place not in seen:  # the same statement twice in one list: stored once
                seen.add(place)
                unique.append(statement)
        feed_speaker = _feed_speaker(db, article.feed_id)
        reports = article_reports(("new", article.entry_key), article.title or "", article.text or "", article.lang,
                                  when, unique, feed_speaker)
        # the clusters around, read before a changed article's statements go (so what it still says keeps them)
        around = candidates(db, document_keys(reports), when) if unique else []
        if old is None:
            cursor = db.execute(_INSERT_ARTICLE, (article.feed_id, article.entry_key, *fields, now))
            article_id, status, orphans = cursor.lastrowid, "new", []
        else:
            article_id, status = old.id, "changed"
            db.execute("""UPDATE articles SET url = ?, title = ?, text = ?, lang = ?, published_at = ?,
                              content_hash = ?, link_key = ?, updated_at = ? WHERE id = ?""",
                       (*fields, now, article_id))
            orphans = [row["cluster_id"] for row in db.query(
                "SELECT DISTINCT cluster_id FROM statements WHERE article_id = ? AND cluster_id IS NOT NULL",
                (article_id,))]
            db.execute("DELETE FROM statements WHERE article_id = ?", (article_id,))

        cluster_of: dict[int, int] = {}
        created: list[int] = []
        for group, chosen in assign(reports, around):
            if chosen is None:
                chosen = _new_cluster(db, unique[group[0].ref], when, hold_back)
                created.append(chosen)
            else:
                first = next((unique[r.ref].person for r in group if unique[r.ref].person), None)
                # a cluster already pushed gains a report: its messages are edited to list the new source
                db.execute("""UPDATE clusters SET last_seen_at = max(last_seen_at, ?), person = coalesce(person, ?),
                                  edit_due = CASE WHEN fanned_out = 1 THEN 1 ELSE edit_due END
                              WHERE id = ?""", (when, first, chosen))
            file_keys(db, chosen, group, when)
            for r in group:
                cluster_of[r.ref] = chosen
        inserted, cluster_ids, named = 0, [], []
        folded_title = fold(article.title or "")
        gazetteer = load_gazetteer()
        for i, statement in enumerate(unique):
            cluster_id = cluster_of[i]
            cursor = db.execute(_INSERT_STATEMENT, _statement_values(article_id, cluster_id, statement, article.lang,
                                                                     now, folded_title, gazetteer.version))
            named.append((cursor.lastrowid, statement.text, article.title))
            inserted += 1
            cluster_ids.append(cluster_id)
        file_names(db.conn, gazetteer, named)
        _delete_empty_clusters(db, orphans)
        return SaveResult(article_id, status, inserted, tuple(dict.fromkeys(cluster_ids)),
                          tuple(c for c in dict.fromkeys(created) if c in cluster_ids))


HELD_BACK = 2  # clusters.fanned_out: found in a feed's first poll, stored but never pushed

_INSERT_ARTICLE = """INSERT INTO articles (feed_id, entry_key, url, title, text, lang, published_at, content_hash,
                         link_key, first_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_INSERT_STATEMENT = """INSERT INTO statements (article_id, cluster_id, speaker, person, kind, text, quotes, reaction,
                           lang, start, "end", created_at, folded, folded_title, names_version)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""


def _statement_values(article_id: int, cluster_id: int | None, statement: Statement, lang: str | None,
                      now: str, folded_title: str, names_version: int) -> tuple:
    """The row of a statement, with its text and its article's title folded for /who (migration 18;
    ``folded_title``: ``fold(title)``, once per article) and the version of the gazetteer its names are filed
    with (:mod:`storage.names`). A changed article's statements are written again, so the folded title and the
    names follow the title."""
    return (article_id, cluster_id, statement.speaker, statement.person, statement.kind, statement.text,
            json.dumps(list(statement.quotes or ()), ensure_ascii=False), statement.reaction or "statement",
            lang, statement.start, statement.end, now, fold(statement.text or ""), folded_title, names_version)


def import_articles(db: sqlite_utils.Database, articles: Sequence[NewArticle], *, now: str | None = None) -> None:
    """Store many new articles without statements at once (what :func:`save_article` writes for each, in one
    statement): for importing an archive, and ``make bench-scale``'s generator. Each is first seen at its
    ``published_at`` (``now`` when absent or later). One transaction (joins the caller's).

    :raises StorageError: an article of the feed already has the entry key, or the feed does not exist (nothing
        of the batch is written when this opened the transaction).
    """
    now = _db_time(now) if now else utc_now()
    rows = []
    for article in articles:
        seen = _statement_time(article.published_at, now)
        rows.append((article.feed_id, article.entry_key, article.url, article.title or "", article.text or "",
                     article.lang, article.published_at, article.content_hash or content_hash(article.title,
                                                                                              article.text),
                     None, seen))
    try:
        with transaction(db):
            db.conn.executemany(_INSERT_ARTICLE, rows)
    except sqlite3.IntegrityError as exc:
        raise StorageError(f"cannot import {len(rows)} articles: {exc}") from None


def import_cluster(db: sqlite_utils.Database, reports: Sequence[tuple[NewArticle, Statement]], *,
                   now: str | None = None, hold_back: bool = True) -> int:
    """Store the reports of one statement already known to be one utterance (its reprints by several outlets,
    clustered elsewhere: an imported archive, ``make bench-scale``'s history) as one new cluster, without
    comparing them with the clusters around as :func:`save_article` does. The rows are the ones
    :func:`save_article` writes: each new article (first seen at its ``published_at``, ``now`` when absent or
    later) and its statement (searchable through the triggers), the cluster (text, person and reaction of the
    first report; first and last seen at the earliest and latest report) and its keys
    (:func:`storage.clusters.file_keys`), so articles saved later find it as a candidate. One transaction (joins
    the caller's). Returns the cluster's id.

    :param hold_back: the cluster is already handled (``fanned_out = 2``: never pushed), as for a backlog.
    :raises ValueError: no reports.
    :raises StorageError: an article's entry key is taken, its feed does not exist, or a statement is refused.
    """
    if not reports:
        raise ValueError("a cluster needs at least one report")
    now = _db_time(now) if now else utc_now()
    times = [_statement_time(article.published_at, now) for article, _statement in reports]
    filed: dict[tuple, frozenset[str]] = {}
    gazetteer, named = load_gazetteer(), []
    try:
        with transaction(db):
            feed_ids = sorted({article.feed_id for article, _statement in reports})
            feed_speakers = dict(db.conn.execute(
                f"SELECT id, speaker FROM feeds WHERE id IN ({', '.join('?' * len(feed_ids))})", feed_ids))
            cluster_id = _new_cluster(db, reports[0][1], min(times), hold_back)
            db.execute("UPDATE clusters SET last_seen_at = ? WHERE id = ?", (max(times), cluster_id))
            for (article, statement), when in zip(reports, times, strict=True):
                digest = article.content_hash or content_hash(article.title, article.text)
                article_id = db.execute(_INSERT_ARTICLE, (
                    article.feed_id, article.entry_key, article.url, article.title or "", article.text or "",
                    article.lang, article.published_at, digest, None, when)).lastrowid
                statement_id = db.execute(_INSERT_STATEMENT, _statement_values(
                    article_id, cluster_id, statement, article.lang, when, fold(article.title or ""),
                    gazetteer.version)).lastrowid
                named.append((statement_id, statement.text, article.title))
                official = feed_speakers.get(article.feed_id) == statement.speaker
                # reprints with the same words, title and person have the same keys (group_keys reads nothing
                # else of a report): computed once
                same = (statement.speaker, article.lang, statement.text, article.title, statement.person,
                        tuple(statement.quotes or ()), (article.text, official) if official else None)
                if same not in filed:
                    filed[same] = group_keys(article_reports(
                        ("import", article_id), article.title or "", article.text or "", article.lang, when,
                        [statement], feed_speakers.get(article.feed_id)))
                db.conn.executemany(
                    "INSERT OR IGNORE INTO cluster_keys (speaker, key, seen_at, cluster_id) VALUES (?, ?, ?, ?)",
                    [(statement.speaker, key, when, cluster_id) for key in sorted(filed[same])])
            file_names(db.conn, gazetteer, named)
    except sqlite3.IntegrityError as exc:
        raise StorageError(f"cannot import the cluster of {reports[0][0].entry_key!r}: {exc}") from None
    return cluster_id


def _feed_speaker(db: sqlite_utils.Database, feed_id: int) -> str | None:
    rows = list(db.query("SELECT speaker FROM feeds WHERE id = ?", (feed_id,)))
    return rows[0]["speaker"] if rows else None


def _new_cluster(db: sqlite_utils.Database, statement: Statement, when: str, hold_back: bool = False) -> int:
    """A cluster started by ``statement`` (its text, person and reaction); its id."""
    cursor = db.execute(
        """INSERT INTO clusters (speaker, person, reaction, text, norm_text, first_seen_at, last_seen_at,
                                 fanned_out)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (statement.speaker, statement.person, statement.reaction or "statement", statement.text,
         normalise(statement.text), when, when, HELD_BACK if hold_back else 0),
    )
    return cursor.lastrowid


def _delete_empty_clusters(db: sqlite_utils.Database, cluster_ids: Sequence[int]) -> None:
    for cluster_id in cluster_ids:
        db.execute("""DELETE FROM clusters WHERE id = ? AND fanned_out = 0
                      AND NOT EXISTS (SELECT 1 FROM statements WHERE cluster_id = ?)""", (cluster_id, cluster_id))


def _statement_time(published_at: str | None, now: str) -> str:
    """The time a statement is clustered at: the article's publication time, unless absent, unreadable or
    in the future, then ``now``."""
    published = _db_time(published_at) if published_at else None
    return min(published, now) if published else now


def _db_time(text: str) -> str | None:
    """An ISO 8601 time (:func:`reactions.clustering.read_time`) in the database's format, or None."""
    moment = read_time(text)
    return moment.strftime(TIME_FORMAT) if moment else None


def _statement(row: dict) -> StatementRow:
    row = dict(row)
    row["quotes"] = tuple(json.loads(row["quotes"] or "[]"))
    return StatementRow.from_row(row)
