"""Source languages: which statements a chat receives (Arabic, English or both; ``chats.sources``), and which
of a cluster's reports stands for it when the cluster was reported in both languages.

A statement's language is ``statements.lang`` (its article's). A cluster is in every language one of its
statements is in; a cluster whose statements have no known language is shown to every chat (a statement is
never lost for want of a language tag). A chat that receives both languages prefers its interface language;
a chat that receives one prefers that one. Read-only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

import sqlite_utils

from storage.models import ClusterView

__all__ = ["SOURCES", "allowed", "preferred", "accepts", "cluster_languages", "sql_filter", "localize"]

SOURCES = ("ar", "en", "both")


def allowed(sources: str) -> tuple[str, ...]:
    """The languages a chat with these ``sources`` receives."""
    return (sources,) if sources in ("ar", "en") else ("ar", "en")


def preferred(sources: str, interface_lang: str) -> str:
    """The language a cluster reported in both is shown in: the chat's only source language, else its
    interface language."""
    if sources in ("ar", "en"):
        return sources
    return "ar" if interface_lang == "ar" else "en"


def accepts(sources: str, langs: Iterable[str]) -> bool:
    """Whether a chat with ``sources`` receives a cluster in the languages ``langs`` (empty: unknown)."""
    langs = set(langs)
    return not langs or sources not in ("ar", "en") or sources in langs


def cluster_languages(db: sqlite_utils.Database, cluster_ids: Iterable[int]) -> dict[int, set[str]]:
    """Each cluster's known statement languages (an empty set when none is known)."""
    ids = sorted(set(int(i) for i in cluster_ids))
    out: dict[int, set[str]] = {i: set() for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for cluster_id, lang in db.conn.execute(
                f"SELECT DISTINCT cluster_id, lang FROM statements WHERE cluster_id IN ({marks}) "
                "AND lang IS NOT NULL", chunk):
            out[cluster_id].add(lang)
    return out


def sql_filter(sources: str, cluster_column: str = "clusters.id") -> tuple[str, list[str]]:
    """An SQL condition (and its parameters) keeping the clusters a chat with ``sources`` receives;
    ``("1", [])`` for both languages."""
    if sources not in ("ar", "en"):
        return "1", []
    return (f"(EXISTS (SELECT 1 FROM statements sl WHERE sl.cluster_id = {cluster_column} AND sl.lang = ?) "
            f"OR NOT EXISTS (SELECT 1 FROM statements sl WHERE sl.cluster_id = {cluster_column} "
            "AND sl.lang IS NOT NULL))", [sources])


def localize(db: sqlite_utils.Database, views: Sequence[ClusterView], sources: str,
             interface_lang: str, shared: dict | None = None) -> list[ClusterView]:
    """The clusters a chat with ``sources`` receives, each shown in its preferred language: the text of the
    cluster's first statement in that language (when it has one), and the outlets that carried it in the
    chat's languages first (the others are kept when none is in them).

    :param shared: views already localized (each on its own: by the view, ``sources`` and the interface
        language), kept by the caller between digests of a round.
    """
    if not views:
        return []
    if shared is not None:
        keys = [("localized", view, sources, interface_lang) for view in views]
        missing = [view for view, key in zip(views, keys, strict=True) if key not in shared]
        if missing:
            done = {view.id: view for view in localize(db, missing, sources, interface_lang)}
            for view in missing:
                shared[("localized", view, sources, interface_lang)] = done.get(view.id)
        return [found for key in keys if (found := shared[key]) is not None]
    prefer = preferred(sources, interface_lang)
    ok = allowed(sources)
    langs = cluster_languages(db, [v.id for v in views])
    ids = [v.id for v in views if accepts(sources, langs.get(v.id, ()))]
    texts: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for cluster_id, text in db.conn.execute(
                f"SELECT cluster_id, text FROM statements WHERE cluster_id IN ({marks}) AND lang = ? "
                "ORDER BY id DESC", [*chunk, prefer]):
            texts[cluster_id] = text  # the last written is the lowest id: the first statement in that language
    keep = set(ids)
    out = []
    for view in views:
        if view.id not in keep:
            continue
        articles = tuple(a for a in view.articles if a.lang in ok or a.lang is None)
        preferred_first = tuple(sorted(articles or view.articles, key=lambda a: a.lang != prefer))
        out.append(dataclasses.replace(view, text=texts.get(view.id, view.text), articles=preferred_first))
    return out
