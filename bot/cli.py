"""The ``raqib`` command line: a thin layer over the packages (``python -m bot`` runs the same).

Every command takes ``--config PATH`` (or ``$RAQIB_CONFIG``, else ``./raqib.toml``). Configuration
errors print one line naming the key and exit with status 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

from bot.errors import CommandError
from bot.settings import read_config
from config import Config, ConfigError

EXIT_USAGE = 2


def _add_config_option(parser: argparse.ArgumentParser, top: bool = False) -> None:
    # Sub-commands accept --config too; SUPPRESS keeps them from overwriting a value given earlier.
    parser.add_argument("--config", metavar="PATH", default=None if top else argparse.SUPPRESS,
                        help="configuration file (default: $RAQIB_CONFIG or ./raqib.toml)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="raqib",
        description="Raqib tracks official statements and reactions in the news and pushes them to Telegram.",
        epilog="Run `raqib COMMAND --help` for a command's options.",
    )
    _add_config_option(parser, top=True)
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    parser.add_argument("--version", action="version", version=f"raqib {version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    feeds = sub.add_parser("feeds", help="list, add, remove, retry, import and export feeds",
                           description="Manage the feeds Raqib polls. Example: raqib feeds add URL --lang ar")
    _add_config_option(feeds)
    fsub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    p = fsub.add_parser("list", help="list the feeds with their state", description="List the feeds and their state.")
    p.add_argument("--json", action="store_true", help="print JSON")
    _add_config_option(p)
    p = fsub.add_parser("add", help="add a feed", description="Add a feed. Example: raqib feeds add "
                        "https://feeds.bbci.co.uk/arabic/rss.xml --lang ar")
    p.add_argument("url")
    p.add_argument("--speaker", help="speaker id when every item is that speaker's own statement")
    p.add_argument("--lang", choices=["ar", "en"], help="the feed's language")
    p.add_argument("--name", default="", help="a display name")
    p.add_argument("--interval", type=int, default=600, help="seconds between polls (default 600)")
    _add_config_option(p)
    p = fsub.add_parser("remove", help="remove a feed", description="Remove a feed and its articles.")
    p.add_argument("url")
    _add_config_option(p)
    p = fsub.add_parser("retry", help="try a feed in backoff again now",
                        description="Reset a feed's backoff so it is polled at once (by a running service "
                                    "within seconds). Example: raqib feeds retry URL, or raqib feeds retry --all")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("url", nargs="?", help="the feed to retry")
    target.add_argument("--all", action="store_true", help="every feed whose last poll failed")
    _add_config_option(p)
    p = fsub.add_parser("import", help="import feeds from an OPML file",
                        description="Import feeds from an OPML file (nested outlines are flattened).")
    p.add_argument("file", metavar="FILE.opml")
    _add_config_option(p)
    p = fsub.add_parser("export", help="export the feeds as OPML 2.0", description="Print the feeds as OPML 2.0.")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    _add_config_option(p)

    p = sub.add_parser("stats", help="counts of feeds, articles, statements, deliveries...",
                       description="Print counts of feeds, failing feeds, articles, statements, clusters, chats, "
                                   "subscriptions and pending deliveries.")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    _add_config_option(p)

    # extract's options are declared once, by reactions.cli (``raqib extract --help`` lists them): the words
    # after "extract" are handed to it as they were typed.
    sub.add_parser("extract", help="find statements in a text (raqib extract --help)", add_help=False)

    p = sub.add_parser("poll", help="poll the feeds once, without Telegram",
                       description="Fetch the feeds, store new articles, statements and clusters, and print a "
                                   "summary. Example: raqib poll --once --feed URL")
    p.add_argument("--once", action="store_true", help="run one cycle and exit (the only mode)")
    p.add_argument("--feed", metavar="URL", action="append", help="poll only this feed (repeatable)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    _add_config_option(p)

    p = sub.add_parser("run", help="run the service: poll, extract, push to Telegram (or the console)",
                       description="Run Raqib: poll feeds on schedule, push new statements, send digests. "
                                   "Without a Telegram token it runs in console mode.")
    p.add_argument("--console", action="store_true", help="console mode even when a token is set")
    p.add_argument("--demo", action="store_true", help="use the bundled demo feeds served from loopback")
    _add_config_option(p)

    p = sub.add_parser("archive", help="browse the statements archive in a browser (Datasette, read-only)",
                       description="Serve the database read-only through Datasette, with titles, descriptions, "
                                   "facets, full-text search and canned queries. Example: raqib archive --port 8001")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    p.add_argument("--immutable", action="store_true",
                   help="serve the file as an immutable snapshot (a copy nothing writes any more)")
    p.add_argument("--allow-sql", action="store_true",
                   help="let visitors run their own read-only SQL (which can read the subscribers' tables)")
    _add_config_option(p)

    p = sub.add_parser("health", help="is the running service's work on schedule? (exit 0 yes, 1 no)",
                       description="Read the heartbeat `raqib run` writes beside the database and exit 1 when it "
                                   "is stale or a job has stopped running (Docker's HEALTHCHECK runs this).")
    p.add_argument("--max-age", type=float, default=None, metavar="SECONDS",
                   help="the oldest acceptable heartbeat (default 120)")
    _add_config_option(p)
    return parser


def version() -> str:
    """Raqib's version, from the installed package's metadata."""
    try:
        return package_version("raqib")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _config(args: argparse.Namespace) -> Config:
    return read_config(getattr(args, "config", None))


def _store_errors() -> tuple[type[Exception], ...]:
    """The errors of a database that cannot be opened, or that a newer Raqib wrote (evaluated only when an
    exception reaches :func:`main`)."""
    from storage.errors import CannotOpen, SchemaTooNew

    return CannotOpen, SchemaTooNew


# Each command imports what it needs when it runs, not at start-up: importing every stage (Telegram,
# trafilatura, sqlite-utils, the extractor) costs about a second of CPU, which `raqib --help`, a
# configuration error or `raqib extract` should not pay.
def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if rest and args.command != "extract":
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        if args.command == "extract":
            from reactions.cli import main_extract

            return main_extract(rest)
        if args.command == "run":
            from bot.service import run_service

            return run_service(args)
        config = _config(args)
        if args.command in ("feeds", "stats"):
            from bot import cli_store

            command = cli_store.feeds_command if args.command == "feeds" else cli_store.stats_command
            return command(config, args)
        if args.command == "archive":
            from bot.archive import archive_command

            return archive_command(config.storage_path, args)
        if args.command == "health":
            from bot.health import MAX_AGE, health_command

            return health_command(config.storage_path, args.max_age if args.max_age is not None else MAX_AGE)
        if args.command == "poll":
            from feeds.cli import poll_command

            return poll_command(config, args)
    except ConfigError as exc:
        print(f"raqib: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CommandError as exc:
        print(f"raqib: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except _store_errors() as exc:  # the database cannot be opened, or a newer Raqib wrote it
        print(f"raqib: {exc}", file=sys.stderr)
        return EXIT_USAGE
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
