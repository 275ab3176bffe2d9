"""``raqib archive``: the statements archive in a browser, with Datasette, read-only.

It serves the configured database (``[storage] path``) through Datasette with Raqib's metadata: titles and
descriptions of the tables and their columns, facets (speaker, reaction type, language, outlet), full-text search
over the statements' words (``statements_fts``) and canned queries:

- ``speaker_latest``: a speaker's latest statements;
- ``who_reacted``: who reacted to a topic, the topic given in English and in Arabic;
- ``person_statements``: a person's statements;
- ``cluster_reports``: one statement cluster with all its reports and the outlets that carried them.

Read-only twice over: Datasette opens the file with ``mode=ro`` (the service may go on writing; WAL lets it), or,
with ``--immutable``, as an immutable snapshot (a copy that nothing writes any more, e.g. a backup). Nothing in the
metadata writes. The tables about subscribers (chats, subscriptions, deliveries, digests, row_counts) are closed to every
visitor, and arbitrary SQL is off unless ``--allow-sql`` (SQL could read those tables).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from bot.errors import CommandError
from storage import archive as archive_sql
from storage.db import open_db
from storage.migrations import LATEST_VERSION

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
# (row_counts: the kept counts of stats, subscribers and active chats among them)
PRIVATE_TABLES = ("chats", "subscriptions", "deliveries", "digests_sent", "edits", "row_counts")
STATEMENT_COLUMNS = {
    "id": "The statement's number.",
    "cluster_id": "The statement cluster it belongs to: the same statement as carried by several outlets "
                  "(possibly in both languages).",
    "speaker": "The tracked body that made it: us-state-department, us-pentagon, un-ohchr, uk-government.",
    "person": "The official who spoke for it, when named (an id such as ned-price).",
    "reaction": "The reaction type: condemnation, concern, welcome, call, warning, denial, condolence, support, "
                "announcement, other.",
    "kind": "direct (a quotation) or reported (reported speech).",
    "lang": "The language of the report: ar (Arabic) or en (English).",
    "text": "The statement as the article gives it.",
    "outlet": "The news outlet or official source that carried it.",
    "title": "The title of the article that carried it.",
    "url": "The article's address: the source.",
    "published_at": "When the article was published (UTC).",
    "seen_at": "When Raqib found the statement (UTC).",
    "created_at": "When Raqib found the statement (UTC).",
    "quotes": "The quotations inside it (JSON list).",
    "article_id": "The article that carried it.",
    "start": "Where the statement starts in the article's text (characters).",
    "end": "Where it ends.",
    "folded": "The text folded for matching (case, Arabic letter forms and prefixes): what /who compares.",
    "folded_title": "The article's title, folded the same way.",
    "names_version": "The version of the place and people names its names (statement_names) were found with.",
}
# kept for the service's own lookups, not data to read: described, hidden from the table list
INDEX_TABLES = {
    "cluster_keys": ("Cluster keys", "Each cluster filed under the names, numbers, person and words of its reports, "
                                     "for finding the clusters a new report may join."),
    "statement_names": ("Statement names", "The places, parties, bodies and people each statement and its article's "
                                           "title name (ids such as country:PS), for /who about a place or a person."),
}


def metadata(db_name: str = "raqib") -> dict[str, Any]:
    """Datasette's metadata for a Raqib database named ``db_name`` (the file's stem)."""
    reports = {
        "title": "Statements, with their outlets",
        "description": "Every report of a tracked body's statement: who said it, the reaction type, the language, "
                       "the outlet and the source link. Search the words, or facet by speaker, reaction type, "
                       "language and outlet.",
        "columns": {k: v for k, v in STATEMENT_COLUMNS.items() if k not in ("created_at", "quotes", "article_id",
                                                                             "start", "end", "folded",
                                                                             "folded_title", "names_version")},
        "facets": ["speaker", "reaction", "lang", "outlet"],
        "sort_desc": "seen_at",
        "fts_table": "statements_fts",
        "fts_pk": "id",
        "label_column": "text",
    }
    private = {name: {"allow": False, "hidden": True} for name in PRIVATE_TABLES}
    tables: dict[str, Any] = {
        "statement_reports": reports,
        "statements": {
            "title": "Statements",
            "description": "The statements found in the articles, one row per statement and article.",
            "columns": {k: v for k, v in STATEMENT_COLUMNS.items() if k not in ("outlet", "title", "url",
                                                                                 "published_at", "seen_at")},
            "facets": ["speaker", "reaction", "lang"],
            "sort_desc": "created_at",
            "label_column": "text",
        },
        "clusters": {
            "title": "Statement clusters",
            "description": "One statement as carried by one or more articles, outlets and languages; its "
                           "statements point to it (cluster_id).",
            "columns": {
                "id": "The cluster's number (see the cluster_reports query).",
                "speaker": STATEMENT_COLUMNS["speaker"], "person": STATEMENT_COLUMNS["person"],
                "reaction": STATEMENT_COLUMNS["reaction"],
                "text": "The statement's text as first found.", "norm_text": "The text normalised for matching.",
                "first_seen_at": "When Raqib first found it (UTC).", "last_seen_at": "When it was last reported (UTC).",
                "fanned_out": "Whether it was handed to the pushes (0 no, 1 yes, 2 stored without pushing).",
            },
            "facets": ["speaker", "reaction"],
            "sort_desc": "first_seen_at",
            "label_column": "text",
        },
        "articles": {
            "title": "Articles",
            "description": "The news articles and official releases Raqib read.",
            "columns": {
                "feed_id": "The feed it came from.", "url": "Its address.", "title": "Its title.",
                "text": "Its text.", "lang": "Its language (ar or en).", "published_at": "When it was published (UTC).",
                "first_seen_at": "When Raqib first read it (UTC).",
            },
            "facets": ["lang", "feed_id"],
            "sort_desc": "first_seen_at",
            "label_column": "title",
        },
        "feeds": {
            "title": "Feeds",
            "description": "The RSS/Atom feeds Raqib polls: news outlets and official sources.",
            "columns": {
                "url": "The feed's address.", "name": "The outlet's name.", "lang": "Its language (ar or en).",
                "speaker": "Set for an official source whose every item is that speaker's own statement.",
                "last_success_at": "Its last successful poll (UTC).",
                "consecutive_failures": "Failed polls in a row.",
            },
            "label_column": "name",
        },
        **{name: {"title": title, "description": description, "hidden": True}
           for name, (title, description) in INDEX_TABLES.items()},
        **private,
    }
    queries = {
        "speaker_latest": {
            "title": "A speaker's latest statements",
            "description": "The latest statements of one speaker (an id such as us-pentagon, us-state-department, "
                           "un-ohchr, uk-government), newest first, with the outlets and links.",
            "sql": archive_sql.QUERIES["speaker_latest"],
        },
        "who_reacted": {
            "title": "Who reacted to a topic (in both languages)",
            "description": "Per speaker, the statements about a topic, in English and in Arabic: give the topic's "
                           "English words in topic_en and its Arabic words in topic_ar (either may be left empty).",
            "sql": archive_sql.QUERIES["who_reacted"],
        },
        "person_statements": {
            "title": "A person's statements",
            "description": "Everything one official said (a person id such as ned-price or john-kirby), newest "
                           "first.",
            "sql": archive_sql.QUERIES["person_statements"],
        },
        "cluster_reports": {
            "title": "A statement cluster: all its reports and outlets",
            "description": "One cluster (its number: clusters.id or statements.cluster_id) with every report of it, "
                           "the outlets and languages that carried it, oldest first.",
            "sql": archive_sql.QUERIES["cluster_reports"],
        },
    }
    return {
        "title": "Raqib: official statements in the news",
        "description": "The statements and reactions of tracked official bodies (the US State Department, the "
                       "Pentagon, the UN human rights office OHCHR, the UK government) found by Raqib in Arabic "
                       "and English news, with their sources. Read-only.",
        "source": "Raqib",
        "databases": {db_name: {
            "title": "Raqib archive",
            "description": "Start with “Statements, with their outlets” or one of the queries below.",
            "allow_sql": False,
            "tables": tables,
            "queries": queries,
        }},
    }


class ArchiveError(CommandError):
    """The archive cannot be served (one line for the user, printed by :func:`bot.cli.main`)."""


def check_database(path: Path, immutable: bool) -> None:
    """The file exists and its schema is the current one (migrating it first unless ``immutable``).

    :raises ArchiveError: or :class:`storage.errors.CannotOpen`/:class:`storage.errors.SchemaTooNew`.
    """
    if not path.is_file():
        raise ArchiveError(f"no database at {path}: run `raqib run` or `raqib poll --once` first")
    version = archive_sql.read_only_schema_version(path)
    if version == LATEST_VERSION:
        return
    if version > LATEST_VERSION:
        raise ArchiveError(f"{path} was written by a newer Raqib (schema {version}, this one knows {LATEST_VERSION})")
    if immutable:
        raise ArchiveError(f"{path} has an older schema ({version}); serve it without --immutable once to upgrade it")
    try:
        open_db(path).close()  # upgrades in place, as the service does at start
    except OSError as exc:
        raise ArchiveError(str(exc)) from None


def build(path: Path, *, immutable: bool = False, allow_sql: bool = False) -> Any:
    """The Datasette instance serving ``path`` read-only with Raqib's metadata."""
    from datasette.app import Datasette  # imported on use: about a second of start-up every command would pay

    meta = metadata(path.stem)
    if allow_sql:
        meta["databases"][path.stem]["allow_sql"] = True
    files = [] if immutable else [str(path)]
    immutables = [str(path)] if immutable else []
    return Datasette(files, immutables=immutables, metadata=meta,
                     settings={"sql_time_limit_ms": 3000, "max_returned_rows": 1000, "facet_time_limit_ms": 500,
                               "suggest_facets": False})


def archive_command(storage_path: Path, args: argparse.Namespace) -> int:
    """``raqib archive``: serve until interrupted.

    :raises ArchiveError: the database cannot be served (so does :func:`storage.db.open_db`'s errors).
    """
    import uvicorn  # imported on use, as Datasette is

    path = Path(storage_path)
    check_database(path, args.immutable)
    datasette = build(path, immutable=args.immutable, allow_sql=args.allow_sql)
    asyncio.run(datasette.invoke_startup())
    mode = "immutable" if args.immutable else "read-only"
    print(f"Raqib archive ({mode}) of {path}: http://{args.host}:{args.port}/{path.stem}/statement_reports",
          flush=True)
    uvicorn.run(datasette.app(), host=args.host, port=args.port, log_level="warning")
    return 0
