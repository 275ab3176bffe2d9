"""Do the fast parser (fastfeedparser) and the reference one (feedparser) read a document alike?

Shared by tests/test_feeds_parsers.py (make test: every document but three of the four ~2 MB real feeds) and
bench/bench_feeds.py (make bench: every document of both corpora, printed, exit status 1 on a disagreement).
See the test module for what "alike" means and the differences accepted.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from feeds import parse as feed_parse
from feeds.errors import ParseError
from tests.paths import shared

REAL = shared("feeds", "real")
FEEDPARSER_TESTS = shared("feeds", "feedparser-tests")
NOW = 1.9e9  # a fixed clock, so "a date in the future" means the same for both paths
_WORDS = re.compile(r"\w+")

# Documents of feedparser's own test suite that test a feedparser behaviour the fast path does not copy, and
# what differs (each is checked to still be the only difference there, so the list cannot hide anything):
KNOWN = {
    # two <updated> in one entry: feedparser keeps the first, fastfeedparser the last
    "wellformed/atom/entry_updated_multiple_values.xml": {"published"},
    # an enclosure link without href: fastfeedparser skips it, feedparser lets the entry's id stand in as link
    "wellformed/atom10/entry_link_rel_enclosure_no_href.xml": {"keys"},
    # an id with an upper-case scheme (HTTP://): feedparser lower-cases it when it resolves the id as a URI
    "wellformed/atom10/entry_id_no_normalization_4.xml": {"guid"},
    # un-namespaced <content:encoded>-like local names clashing with RSS ones
    "wellformed/namespace/rss2.0noNSwithModulesLocalNameClash.xml": {"text"},
    # the real corpus: a shell here-document ("<<EOF") in a code sample, which the two HTML parsers (feedparser's
    # sanitiser, lxml) split differently; these entries have no guid and a shared link, so the text is their key
    "2c95f93d868f5c01": {"keys"},
    # the real corpus: HTML the two HTML parsers read differently, where feedparser's sanitiser loses text the fast
    # path keeps (an entry opening with a self-closed <script .../> is empty for feedparser; escaped <meta> tags in
    # a code sample come out as "<<<<<<<")
    "ad1318939eb69cf1": {"text"},
    # a document testing feedparser's CSS sanitising: its sanitiser leaves out text the fast path keeps
    "wellformed/sanitize/large_atom_feed_that_needs_css_sanitisation.xml": {"text"},
}


def _words(text: str) -> Counter[str]:
    return Counter(_WORDS.findall(html.unescape(text).casefold()))


def compare(path: Path, url: str) -> tuple[bool, set[str], int, int]:
    """(fast path taken, fields that differ, entries compared, entries with identical text)."""
    body = feed_parse.fix_char_refs(path.read_bytes())
    fast = feed_parse.parse_fast(body, url=url, now=NOW)
    if fast is None:
        return False, set(), 0, 0
    try:
        ref = feed_parse.parse_with_feedparser(body, url=url, now=NOW)
    except ParseError:
        return True, {"feedparser failed"}, 0, 0
    differ: set[str] = set()
    if [e.key for e in fast.entries] != [e.key for e in ref.entries]:
        differ.add("keys")
    if fast.language != ref.language:  # the feed's language: an entry's when detection finds no letters
        differ.add("language")
    same_text = compared = 0
    by_key = {e.key: e for e in ref.entries}
    for entry in fast.entries:
        other = by_key.get(entry.key)
        if other is None:
            continue
        compared += 1
        for field in ("title", "link", "link_key", "guid", "published", "key_kind"):
            if getattr(entry, field) != getattr(other, field):
                differ.add(field)
        if entry.text == other.text:
            same_text += 1
        elif _words(entry.text) - _words(other.text):
            differ.add("text")
    return True, differ, compared, same_text


def documents() -> list[tuple[Path, str]]:
    """Every document of both corpora: (path, name), the name a real feed's file name or a feedparser test's
    path under its folder."""
    for folder in (REAL, FEEDPARSER_TESTS):
        assert folder.is_dir(), f"{folder} is missing: the parser agreement needs ../shared/feeds"
    out = [(p, p.name) for p in sorted(REAL.iterdir()) if p.is_file()]
    out += [(p, str(p.relative_to(FEEDPARSER_TESTS))) for p in sorted(FEEDPARSER_TESTS.rglob("*.xml"))]
    return out


def compare_all(docs: Iterable[tuple[Path, str]]) -> dict[str, tuple[bool, set[str], int, int]]:
    """{name: :func:`compare`'s result} for ``docs``."""
    return {name: compare(path, "http://127.0.0.1:8000/" + path.name) for path, name in docs}


def disagreements(results: dict[str, tuple[bool, set[str], int, int]]) -> dict[str, set[str]]:
    """The documents where the fast path was taken and the fields that differ are not the KNOWN ones."""
    return {name: differ for name, (taken, differ, _n, _same) in results.items()
            if taken and differ != KNOWN.get(name, set())}
