"""Statement clusters in the database: what :func:`reactions.clustering.assign` compares a new article with.

The decision (which reports are one utterance on one occasion) is pure and lives in ``reactions.clustering``;
``raqib extract --jsonl --cluster`` runs the same code on a stream of documents. This module only reads the
candidates (the clusters of the same speakers around the article's time, with their statements and articles)
and turns rows into :class:`reactions.clustering.Report`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

import sqlite_utils

from reactions.clustering import WINDOW, Candidate, Report, parse_time
from reactions.text import fold
from storage.models import TIME_FORMAT

MAX_CANDIDATES = 500  # clusters of one speaker compared with a new article, the most recent first
MAX_REPORTS = 40  # statements of one cluster compared (its first ones: the original and early reprints)


def normalise(text: str) -> str:
    """The folded text stored in ``clusters.norm_text`` (for search and inspection)."""
    return " ".join(fold(text).split())


def report_time(published_at: str | None, seen_at: str) -> dt.datetime:
    """When a stored statement was made, as clustering sees it: its article's publication time unless absent,
    unreadable or later than when the article was first seen."""
    seen = dt.datetime.strptime(seen_at, TIME_FORMAT)
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


def candidates(db: sqlite_utils.Database, speakers: Iterable[str], when: str) -> list[Candidate]:
    """The clusters of ``speakers`` seen within :data:`reactions.clustering.WINDOW` of ``when``, with their
    statements as reports (``ref`` = statement id, ``doc`` = article id). Read-only."""
    moment = dt.datetime.strptime(when, TIME_FORMAT)
    since = (moment - WINDOW).strftime(TIME_FORMAT)
    until = (moment + WINDOW).strftime(TIME_FORMAT)
    out: list[Candidate] = []
    for speaker in sorted(set(speakers)):
        ids = [row["id"] for row in db.query(
            """SELECT id FROM clusters WHERE speaker = ? AND last_seen_at >= ? AND first_seen_at <= ?
               ORDER BY last_seen_at DESC LIMIT ?""", (speaker, since, until, MAX_CANDIDATES))]
        if not ids:
            continue
        marks = ", ".join("?" * len(ids))
        members: dict[int, list[Report]] = {cid: [] for cid in ids}
        for row in db.query(
            f"""SELECT s.id, s.cluster_id, s.speaker, s.person, s.text, s.quotes, s.reaction, s.lang, s.start,
                       s."end", a.id AS article_id, a.title, a.text AS article_text, a.lang AS article_lang,
                       a.published_at, a.first_seen_at, f.speaker AS feed_speaker
                FROM statements s JOIN articles a ON a.id = s.article_id JOIN feeds f ON f.id = a.feed_id
                WHERE s.cluster_id IN ({marks}) ORDER BY s.id""", ids):
            reports = members[row["cluster_id"]]
            if len(reports) >= MAX_REPORTS:
                continue
            moment_row = report_time(row["published_at"], row["first_seen_at"])
            reports.append(_report(
                row["id"], row["article_id"], row["title"], row["article_text"], row["lang"] or row["article_lang"],
                moment_row, row["speaker"], row["person"], row["text"], tuple(json.loads(row["quotes"] or "[]")),
                row["reaction"] or "", row["start"], row["end"], row["feed_speaker"]))
        out.extend(Candidate(cid, tuple(reports)) for cid, reports in members.items() if reports)
    return out
