"""``raqib feeds ...`` and ``raqib stats``: open the database, call storage, print.

Examples::

    raqib feeds list --json
    raqib feeds add https://www.state.gov/rss-feed/press-releases/feed/ --speaker us-state-department --lang en
    raqib feeds import feeds.opml
    raqib feeds export -o feeds.opml
    raqib stats --json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

import storage
from bot.errors import CommandError
from bot.render import capped
from config import MIN_INTERVAL, Config, check_feed_url
from reactions import load_registry
from storage.opml import OpmlError, parse_opml, write_opml


@contextmanager
def _open(config: Config) -> Iterator[sqlite_utils.Database]:
    """The store (:func:`storage.open_store`), closed afterwards."""
    db = storage.open_store(config)
    try:
        yield db
    finally:
        db.close()


def _speaker(name: str | None) -> str | None:
    """The registry id for a speaker id or alias; CommandError naming it when unknown."""
    if not name:
        return None
    registry = load_registry()
    speaker = registry.resolve(name)
    if speaker is None:
        known = ", ".join(s.id for s in registry.tracked)
        raise CommandError(f"unknown speaker {name!r} (known: {known})")
    return speaker


# --- feeds ---------------------------------------------------------------------------------------

def feeds_command(config: Config, args: argparse.Namespace) -> int:
    """Dispatch ``raqib feeds list|add|remove|import|export``."""
    action = {"list": _feeds_list, "add": _feeds_add, "remove": _feeds_remove, "retry": _feeds_retry,
              "import": _feeds_import, "export": _feeds_export}[args.feeds_command]
    with _open(config) as db:
        return action(db, config, args)


def _feeds_list(db: sqlite_utils.Database, config: Config, args: argparse.Namespace) -> int:
    feeds = storage.all_feeds(db)
    if getattr(args, "json", False):
        print(json.dumps([feed.to_dict() for feed in feeds], ensure_ascii=False, indent=2))
        return 0
    if not feeds:
        print("No feeds. Add one with: raqib feeds add URL")
        return 0
    rows = [("STATUS", "FAILS", "NEXT TRY", "LANG", "EVERY", "SPEAKER", "NAME", "URL")]
    now = dt.datetime.now(dt.UTC)
    for feed in feeds:
        rows.append((
            str(feed.last_status) if feed.last_status is not None else ("error" if feed.last_error else "-"),
            str(feed.consecutive_failures),
            next_try(feed.next_poll_at, now),
            feed.lang or "-",
            f"{feed.interval}s",
            feed.speaker or "-",
            feed.name or "-",
            feed.url,
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1])
        feed = feeds[index - 1] if index else None
        if feed is not None and feed.last_error and feed.consecutive_failures:
            print(f"    last error ({feed.last_error_at}): {feed.last_error}")
    if any(feed.consecutive_failures for feed in feeds):
        print("Try a failing feed again now: raqib feeds retry URL (or --all)")
    return 0


def next_try(next_poll_at: str | None, now: dt.datetime) -> str:
    """When a feed is tried next, for people: ``now``, ``in 42s``, ``in 7h59m (2026-01-02 10:00 UTC)``."""
    if not next_poll_at or next_poll_at == storage.RETRY_NOW:
        return "now"
    try:
        moment = dt.datetime.fromisoformat(next_poll_at).replace(tzinfo=dt.UTC)
    except ValueError:
        return next_poll_at
    seconds = int((moment - now).total_seconds())
    if seconds <= 0:
        return "now"
    if seconds < 60:
        return f"in {seconds}s"
    hours, minutes = divmod(seconds // 60, 60)
    span = f"{hours}h{minutes:02d}m" if hours else f"{minutes}m"
    return f"in {span} ({moment.strftime('%Y-%m-%d %H:%M')} UTC)" if hours else f"in {span}"


def _feeds_retry(db: sqlite_utils.Database, config: Config, args: argparse.Namespace) -> int:
    try:
        reset = storage.retry_feeds(db, None if args.all else args.url.strip())
    except storage.NotFound:
        raise CommandError(f"no feed {args.url}") from None
    if not reset:
        print("No feed is in backoff; nothing to retry.")
    for feed in reset:
        print(f"retry now: {feed.url}" + (f" (had failed {feed.consecutive_failures} times)"
                                          if feed.consecutive_failures else ""))
    return 0


def _feeds_add(db: sqlite_utils.Database, config: Config, args: argparse.Namespace) -> int:
    try:
        url = check_feed_url(args.url)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    if args.interval < MIN_INTERVAL:
        raise CommandError(f"--interval must be at least {MIN_INTERVAL} seconds, got {args.interval}")
    speaker = _speaker(args.speaker)
    try:
        feed = storage.add_feed(db, url, name=args.name or "", lang=args.lang, speaker=speaker,
                                interval=args.interval)
    except storage.AlreadyExists:
        raise CommandError(f"feed {url} exists already") from None
    print(f"added feed {feed.id}: {feed.url}")
    return 0


def _feeds_remove(db: sqlite_utils.Database, config: Config, args: argparse.Namespace) -> int:
    url = args.url.strip()
    if any(feed.url == url for feed in config.feeds):
        where = config.source or "the bundled configuration"
        raise CommandError(f"feed {url} is listed in {where}; remove it there")
    try:
        storage.remove_feed(db, url)
    except storage.NotFound:
        raise CommandError(f"no feed {url}") from None
    print(f"removed feed {url}")
    return 0


def _feeds_import(db: sqlite_utils.Database, config: Config, args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None
    try:
        entries = parse_opml(data)
    except OpmlError as exc:
        raise CommandError(f"{path}: {exc}; nothing imported") from None
    speakers = []
    for entry in entries:
        try:
            speakers.append(_speaker(entry.speaker))
        except CommandError as exc:
            raise CommandError(f"{path}: {entry.url}: {exc}; nothing imported") from None
    added = skipped = 0
    with storage.transaction(db):  # all or nothing
        for entry, speaker in zip(entries, speakers, strict=True):
            if storage.feed_by_url(db, entry.url) is not None:
                skipped += 1
                continue
            storage.add_feed(db, entry.url, name=entry.name, lang=entry.lang, speaker=speaker,
                             interval=entry.interval or 600, fetch_pages=entry.fetch_pages, origin="opml")
            added += 1
    print(f"imported {added} feed{'s' if added != 1 else ''}; skipped {skipped} already present")
    return 0


def _feeds_export(db: sqlite_utils.Database, config: Config, args: argparse.Namespace) -> int:
    document = write_opml(storage.all_feeds(db))
    if args.output:
        try:
            Path(args.output).write_text(document, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {args.output}: {exc.strerror}") from None
        print(f"wrote {len(storage.all_feeds(db))} feeds to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(document)
    return 0


# --- stats ---------------------------------------------------------------------------------------

def stats_command(config: Config, args: argparse.Namespace) -> int:
    """``raqib stats [--json]``: the store's counts."""
    with _open(config) as db:
        counts = storage.stats(db)
    if getattr(args, "json", False):
        print(json.dumps(counts))
        return 0
    width = max(len(key) for key in counts)
    for key, value in counts.items():
        shown = capped(value) if key == "deliveries_pending" else str(value)  # counted up to a cap
        print(f"{key.replace('_', ' '):<{width}}  {shown:>8}")
    return 0
