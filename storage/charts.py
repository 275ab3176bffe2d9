"""The numbers behind /chart: statements per day by speaker over a window, optionally about a topic.

Counted as /who counts them: distinct statement clusters by when Raqib saw their statements
(``statements.created_at``), a topic matched as /who matches it (FTS5 over statement text, every word
required, with the folded substring fallback for Arabic prefixes). Each cluster is counted once, on the UTC day
of its earliest statement in the window, so a speaker's days add up to /who's count for the same window. For a
topic, each speaker's first matching statement in the window is named (the chart marks it). Read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from storage.models import db_time
from storage.queries import topic_hits

__all__ = ["FirstStatement", "DailyCounts", "daily_counts"]


@dataclass(frozen=True)
class FirstStatement:
    speaker: str
    cluster_id: int
    day: str  # YYYY-MM-DD (UTC)
    seen_at: str


@dataclass(frozen=True)
class DailyCounts:
    """``days``: every UTC day of the window, oldest first; ``counts[speaker]``: clusters per day, aligned with
    ``days``; ``first``: per speaker with a statement, its first one (topic charts only)."""

    days: tuple[str, ...]
    counts: dict[str, tuple[int, ...]]
    first: dict[str, FirstStatement]

    def total(self, speaker: str) -> int:
        return sum(self.counts.get(speaker, ()))


def _hits(db: sqlite_utils.Database, since: str, until: str, speakers: Sequence[str],
          topic: str | None) -> list[tuple[str, int, str]]:
    """(speaker, cluster id, created_at) of every statement in the window (about ``topic`` when given)."""
    marks = ",".join("?" * len(speakers))
    base = (f"s.created_at >= ? AND s.created_at < ? AND s.cluster_id IS NOT NULL AND s.speaker IN ({marks})")
    params: list = [since, until, *speakers]
    if not topic:
        return [tuple(r) for r in db.conn.execute(
            f"SELECT s.speaker, s.cluster_id, s.created_at FROM statements s WHERE {base}", params)]
    # The topic matched exactly as /who matches it (in any language), so the chart gives /who's numbers.
    wanted = set(speakers)
    return [h for h in topic_hits(db, topic, since, until_text=until) or () if h[0] in wanted]


def daily_counts(db: sqlite_utils.Database, now: dt.datetime, days: int, speakers: Sequence[str],
                 topic: str | None = None) -> DailyCounts:
    """Statement clusters per UTC day and speaker over the ``days`` days up to ``now``."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    start = now - dt.timedelta(days=days)
    day_list = []
    day = start.astimezone(dt.UTC).date()
    while day <= now.astimezone(dt.UTC).date():
        day_list.append(day.isoformat())
        day += dt.timedelta(days=1)
    index = {d: i for i, d in enumerate(day_list)}
    speakers = list(speakers)
    if not speakers:
        return DailyCounts(tuple(day_list), {}, {})
    earliest: dict[tuple[str, int], str] = {}
    for speaker, cluster_id, created in _hits(db, db_time(start), db_time(now + dt.timedelta(seconds=1)),
                                              speakers, topic):
        key = (speaker, cluster_id)
        if key not in earliest or created < earliest[key]:
            earliest[key] = created
    counts = {s: [0] * len(day_list) for s in speakers}
    first: dict[str, FirstStatement] = {}
    for (speaker, cluster_id), created in earliest.items():
        i = index.get(created[:10])
        if i is None:
            continue
        counts[speaker][i] += 1
        if topic and (speaker not in first or (created, cluster_id) < (first[speaker].seen_at,
                                                                        first[speaker].cluster_id)):
            first[speaker] = FirstStatement(speaker, cluster_id, created[:10], created)
    return DailyCounts(tuple(day_list), {s: tuple(c) for s, c in counts.items()}, first)
