"""Statement clusters in the database: what :func:`reactions.clustering.assign` compares a new article with.

The decision (which reports are one utterance on one occasion) is pure and lives in ``reactions.clustering``;
``raqib extract --jsonl --cluster`` runs the same code on a stream of documents. This module only reads the
candidates (the clusters of the same speakers around the article's time, with their statements and articles)
and turns rows into :class:`reactions.clustering.Report`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlite_utils

from reactions.clustering import (
    ANY,
    MAX_REPORTS,
    MAX_SPREAD,
    WINDOW,
    Candidate,
    Report,
    group_keys,
    nominate,
    parse_time,
)
from reactions.text import fold
from storage.models import TIME_FORMAT


def normalise(text: str) -> str:
    """The folded text stored in ``clusters.norm_text`` (for search and inspection)."""
    return " ".join(fold(text).split())


def report_time(published_at: str | None, seen_at: str) -> dt.datetime:
    """When a stored statement was made, as clustering sees it: its article's publication time unless absent,
    unreadable or later than when the article was first seen."""
    seen = dt.datetime.fromisoformat(seen_at)  # TIME_FORMAT; fromisoformat reads it ten times faster
    return min(parse_time(published_at, default=seen), seen)


def article_reports(doc: Any, title: str, text: str, lang: str | None, when: str, statements: Sequence[Any],
                    feed_speaker: str | None) -> list[Report]:
    """The reports of a new article's statements (``reactions.Statement``-like; ``ref`` is the index)."""
    moment = dt.datetime.strptime(when, TIME_FORMAT)
    return [_report(i, doc, title, text, lang, moment, s.speaker, s.person, s.text, tuple(s.quotes or ()),
                    s.reaction or "", s.start, s.end, feed_speaker) for i, s in enumerate(statements)]


def _report(ref: Any, doc: Any, title: str, text: str, lang: str | None, moment: dt.datetime, speaker: str,
            person: str | None, said: str, quotes: tuple[str, ...], reaction: str, start: int, end: int,
            feed_speaker: str | None) -> Report:
    official = bool(feed_speaker) and feed_speaker == speaker
    return Report(ref=ref, doc=doc, speaker=speaker, lang=lang or "en", time=moment, text=said, person=person,
                  quotes=quotes, reaction=reaction, title=title or "", official=official,
                  context=f"{title}\n{text}" if official and title else (text if official else ""),
                  start=start, end=end)


def candidates(db: sqlite_utils.Database, keys: Mapping[str, Iterable[str]], when: str) -> list[Candidate]:
    """The clusters to compare a new article with: per speaker, the clusters filed within
    :data:`reactions.clustering.WINDOW` of ``when`` under one of the article's keys
    (:func:`reactions.clustering.document_keys`), at most :data:`reactions.clustering.MAX_LOADED` of them
    (:func:`reactions.clustering.nominate`), with their statements as reports (``ref`` = statement id, ``doc`` =
    article id; the first :data:`MAX_REPORTS` of each). Read-only; one indexed range of at most
    :data:`reactions.clustering.MAX_SPREAD` + 1 rows per key, so the cost does not grow with the number of
    clusters around."""
    moment = dt.datetime.strptime(when, TIME_FORMAT)
    since = (moment - WINDOW).strftime(TIME_FORMAT)
    until = (moment + WINDOW).strftime(TIME_FORMAT)
    out: list[Candidate] = []
    for speaker in sorted(keys):
        rows: list[tuple[int, str]] = []
        for key in sorted(set(keys[speaker])):  # one bounded index range per key
            limit = -1 if key == ANY else MAX_SPREAD + 1  # more than MAX_SPREAD: the key nominates nothing
            rows.extend((cid, key) for (cid,) in db.conn.execute(
                """SELECT DISTINCT cluster_id FROM cluster_keys
                   WHERE speaker = ? AND key = ? AND seen_at BETWEEN ? AND ? LIMIT ?""",
                (speaker, key, since, until, limit)))
        ids = nominate(rows)
        if not ids:
            continue
        marks = ", ".join("?" * len(ids))
        members: dict[int, list[Report]] = {cid: [] for cid in ids}
        cursor = db.conn.execute(
            f"""SELECT s.id, s.cluster_id, s.speaker, s.person, s.text, s.quotes, s.reaction, s.lang, s.start,
                       s."end", a.id AS article_id, a.title, f.speaker AS feed_speaker,
                       CASE WHEN f.speaker = s.speaker THEN a.text END AS article_text, a.lang AS article_lang,
                       a.published_at, a.first_seen_at
                FROM (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY cluster_id ORDER BY id) AS n
                                      FROM statements WHERE cluster_id IN ({marks}))
                      WHERE n <= ?) AS firsts
                JOIN statements s ON s.id = firsts.id JOIN articles a ON a.id = s.article_id
                JOIN feeds f ON f.id = a.feed_id ORDER BY s.id""", (*ids, MAX_REPORTS))
        names = [column[0] for column in cursor.description]
        for row in (dict(zip(names, values, strict=True)) for values in cursor):
            moment_row = report_time(row["published_at"], row["first_seen_at"])
            members[row["cluster_id"]].append(_report(
                row["id"], row["article_id"], row["title"], row["article_text"] or "",
                row["lang"] or row["article_lang"], moment_row, row["speaker"], row["person"], row["text"],
                tuple(json.loads(row["quotes"] or "[]")), row["reaction"] or "", row["start"], row["end"],
                row["feed_speaker"]))
        out.extend(Candidate(cid, tuple(reports)) for cid, reports in members.items() if reports)
    return out


def file_keys(db: sqlite_utils.Database, cluster_id: int, group: Sequence[Report], when: str) -> None:
    """File ``cluster_id`` under the keys of ``group`` (one utterance of an article that joined or started it),
    at ``when``, for :func:`candidates`. In the caller's transaction."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO cluster_keys (speaker, key, seen_at, cluster_id) VALUES (?, ?, ?, ?)",
        [(group[0].speaker, key, when, cluster_id) for key in sorted(group_keys(group))])
