"""The names each statement mentions, stored with it for /who about a place or a person.

A statement's names are the ids (:mod:`reactions.names`: ``city:<geonameid>``, ``country:PS``, ``person:...``)
that the gazetteer finds in its text and its article's title, written with the statement (``statement_names``,
migration 20) by :func:`storage.articles.save_article` and :func:`storage.articles.import_cluster`. Each statement
row carries the :attr:`reactions.names.Gazetteer.version` its names were found with (``names_version``): /who
reads the index for the statements whose version is the running gazetteer's, and asks the gazetteer on the spot
about the others (found with other tables or rules, or never), so a lexicon change never gives stale answers.
A changed article's statements are written again (with their names); a deleted statement's names go with it
(a trigger).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from reactions.names import Gazetteer


def names_key(text: str | None, title: str | None) -> str:
    """What a statement's names are found in: its text and its article's title (one text, as /who reads them)."""
    return f"{text or ''}\n{title or ''}"


def file_names(conn: sqlite3.Connection, gazetteer: Gazetteer, statements: Iterable[tuple[int, str, str | None]],
               *, mark: bool = False) -> None:
    """Store the names of these ``(statement_id, text, title)``; with ``mark``, also set each statement's
    ``names_version`` (rows written before their names were: the migration). Joins the caller's transaction."""
    memo: dict[str, frozenset[str]] = {}  # reprints of one statement have the same text and title
    rows, ids = [], []
    for statement_id, text, title in statements:
        key = names_key(text, title)
        if (names := memo.get(key)) is None:
            names = memo[key] = gazetteer.entities(key)
        rows += [(statement_id, name) for name in sorted(names)]
        ids.append((gazetteer.version, statement_id))
    conn.executemany("INSERT OR IGNORE INTO statement_names (statement_id, name_key) VALUES (?, ?)", rows)
    if mark:
        conn.executemany("UPDATE statements SET names_version = ? WHERE id = ?", ids)


def fill_all(conn: sqlite3.Connection, gazetteer: Gazetteer, chunk: int = 20_000) -> None:
    """The names of every statement not yet found with this gazetteer, in id order, ``chunk`` at a time."""
    last = 0
    while True:
        batch = conn.execute(
            "SELECT s.id, s.text, a.title FROM statements s LEFT JOIN articles a ON a.id = s.article_id "
            "WHERE s.id > ? AND s.names_version IS NOT ? ORDER BY s.id LIMIT ?",
            [last, gazetteer.version, chunk]).fetchall()
        if not batch:
            return
        conn.execute(f"DELETE FROM statement_names WHERE statement_id IN ({','.join('?' * len(batch))})",
                     [row[0] for row in batch])
        file_names(conn, gazetteer, batch, mark=True)
        last = batch[-1][0]
