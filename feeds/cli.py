"""``raqib poll --once [--feed URL] [--json]``: one poll cycle without Telegram.

Opens the store (:func:`storage.open_store`), polls every feed (due or not), or the ``--feed`` ones, prints a summary and exits 0 even when some
feeds failed (their errors are recorded on the feed rows and listed). An unknown ``--feed`` URL is a
usage error (exit 2).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TextIO

from config import Config
from feeds.asyncdb import AsyncDB
from feeds.models import PollSummary
from feeds.parse import shutdown_pool
from feeds.pipeline import poll_once
from storage import open_store

EXIT_USAGE = 2


def format_summary(summary: PollSummary) -> str:
    """The human-readable summary: totals on the first lines, then one line per failed feed."""
    lines = [
        f"feeds polled: {summary.feeds_polled} (not modified: {summary.not_modified}, failed: {summary.failed})",
        f"new articles: {summary.new_articles} (updated: {summary.changed_articles})",
        f"new statements: {summary.new_statements}",
        f"new clusters: {summary.new_clusters}",
    ]
    if summary.errors:
        lines.append("failed feeds:")
        lines.extend(f"  {url}: {error}" for url, error in summary.errors)
    return "\n".join(lines)


def poll_command(config: Config, args: argparse.Namespace, *, out: TextIO | None = None) -> int:
    """Run one poll cycle and print its summary (``--json`` for one JSON object).

    :returns: 0 (also when feeds failed), 2 when a ``--feed`` URL is not a known feed.
    """
    out = out or sys.stdout
    urls = list(getattr(args, "feed", None) or []) or None
    db = open_store(config)
    store = AsyncDB(db)
    try:
        try:
            summary = asyncio.run(poll_once(store, config, urls))
        except KeyError as exc:
            print(f"raqib: {exc.args[0]} is not a known feed (add it with `raqib feeds add URL`)", file=sys.stderr)
            return EXIT_USAGE
        finally:
            shutdown_pool()
    finally:
        store.close()
        db.close()
    if getattr(args, "json", False):
        print(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2), file=out)
    else:
        print(format_summary(summary), file=out)
    return 0
