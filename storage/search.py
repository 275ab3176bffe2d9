"""Finding statements by their words across the whole archive (inline mode): newest first, paged.

FTS5 over statement text, each word a quoted string and all required (:func:`storage.queries.fts_query`, so
operators, quotes and column filters typed by a user are plain words). When full-text search finds nothing
(Arabic words carry prefixes such as و، ب، ال that the tokenizer keeps), a substring match of the folded words in
the folded statement text, every word required. No words at all: the newest statements. Read-only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from reactions.text import fold
from storage.queries import fts_query

__all__ = ["Page", "find_clusters"]

MAX_WORDS = 12
_WORD = re.compile(r"\w+", re.UNICODE)  # the words fts_query quotes


@dataclass(frozen=True)
class Page:
    """Cluster ids newest first, and whether more follow."""

    cluster_ids: tuple[int, ...]
    more: bool


def _speakers_sql(speakers: Sequence[str] | None, column: str) -> tuple[str, list[str]]:
    if not speakers:
        return "", []
    return f" AND {column} IN ({','.join('?' * len(speakers))})", list(speakers)


def find_clusters(db: sqlite_utils.Database, words: str, *, speakers: Sequence[str] | None = None, limit: int = 20,
                  offset: int = 0) -> Page:
    """The clusters whose statements contain every word of ``words`` (of ``speakers`` when given), newest
    statement first; ``limit`` of them from ``offset``."""
    limit, offset = max(1, int(limit)), max(0, int(offset))
    terms = _WORD.findall(words)[:MAX_WORDS]
    if not terms:
        where, params = _speakers_sql(speakers, "speaker")
        rows = db.conn.execute(
            f"SELECT id FROM clusters WHERE 1{where} ORDER BY last_seen_at DESC, id DESC LIMIT ? OFFSET ?",
            [*params, limit + 1, offset]).fetchall()
        return _page(rows, limit)
    where, params = _speakers_sql(speakers, "s.speaker")

    def full_text(count: int, start: int) -> list:
        return db.conn.execute(
            "SELECT s.cluster_id FROM statements_fts JOIN statements s ON s.id = statements_fts.rowid "
            f"WHERE statements_fts MATCH ? AND s.cluster_id IS NOT NULL{where} "
            "GROUP BY s.cluster_id ORDER BY max(s.created_at) DESC, s.cluster_id DESC LIMIT ? OFFSET ?",
            [fts_query(" ".join(terms)), *params, count, start]).fetchall()

    rows = full_text(limit + 1, offset)
    if rows or (offset and full_text(1, 0)):  # a later page of a full-text search
        return _page(rows, limit)
    # the folded words in the statements' folded text (stored with each statement: migration 18)
    likes = [w for w in (fold(term) for term in terms) if w]  # a word folding to nothing would match everything
    if not likes:
        return Page((), False)
    condition = " AND ".join("instr(s.folded, ?) > 0" for _ in likes)
    rows = db.conn.execute(
        f"SELECT s.cluster_id FROM statements s WHERE s.cluster_id IS NOT NULL AND {condition}{where} "
        "GROUP BY s.cluster_id ORDER BY max(s.created_at) DESC, s.cluster_id DESC LIMIT ? OFFSET ?",
        [*likes, *params, limit + 1, offset]).fetchall()
    return _page(rows, limit)


def _page(rows: Sequence[Sequence[int]], limit: int) -> Page:
    ids = tuple(int(r[0]) for r in rows)
    return Page(ids[:limit], len(ids) > limit)
