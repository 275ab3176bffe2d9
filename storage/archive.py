"""The archive's reads (``raqib archive`` serves them through Datasette, read-only): the canned queries' SQL and
a read-only look at a database file's schema version. Datasette runs the SQL itself; it lives here because
storage is the one place with SQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.errors import CannotOpen

REPORT_COLUMNS = ("s.id, s.cluster_id, s.speaker, s.person, s.reaction, s.lang, s.text, "
                  "coalesce(nullif(f.name, ''), f.url) AS outlet, a.title, a.url, a.published_at, "
                  "s.created_at AS seen_at")
REPORTS = "FROM statements s JOIN articles a ON a.id = s.article_id JOIN feeds f ON f.id = a.feed_id"

# name -> SQL with named parameters (Datasette shows a form field per parameter)
QUERIES = {
    "speaker_latest": f"SELECT {REPORT_COLUMNS} {REPORTS} WHERE s.speaker = :speaker "
                      "ORDER BY coalesce(a.published_at, s.created_at) DESC, s.id DESC LIMIT 100",
    "who_reacted": "WITH hits AS (SELECT s.id, s.speaker, s.cluster_id, s.lang, s.created_at, s.text "
                   "FROM statements s WHERE (:topic_en != '' AND s.text LIKE '%' || :topic_en || '%') "
                   "OR (:topic_ar != '' AND s.text LIKE '%' || :topic_ar || '%')) "
                   "SELECT speaker, count(DISTINCT cluster_id) AS statements, group_concat(DISTINCT lang) AS languages, "
                   "min(created_at) AS first_seen, max(created_at) AS last_seen, "
                   "(SELECT h.text FROM hits h WHERE h.speaker = hits.speaker ORDER BY h.created_at DESC, h.id DESC "
                   "LIMIT 1) AS latest "
                   "FROM hits GROUP BY speaker ORDER BY statements DESC, speaker",
    "person_statements": f"SELECT {REPORT_COLUMNS} {REPORTS} WHERE s.person = :person "
                         "ORDER BY coalesce(a.published_at, s.created_at) DESC, s.id DESC LIMIT 200",
    "cluster_reports": f"SELECT {REPORT_COLUMNS} {REPORTS} WHERE s.cluster_id = :cluster "
                       "ORDER BY coalesce(a.published_at, s.created_at), s.id",
}


def read_only_schema_version(path: Path) -> int:
    """The schema version of the database file at ``path``, read without writing to it (``mode=ro``).

    :raises CannotOpen: the file is not an SQLite database (one line naming the path).
    """
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise CannotOpen(f"{path} is not a Raqib database: {exc}") from None
