"""The parser stage: fetched bytes -> :class:`feeds.models.ParsedFeed` of normalised entries.

Two parsers do the format work: fastfeedparser (lxml, about a hundred times faster) reads the common case,
well-formed UTF-8 RSS 2.0 and Atom 1.0; feedparser 6 reads everything else (RSS 0.9x/1.0, RDF, ill-formed XML
through its loose parser, encodings through chardet) and is the reference the fast path is held to
(:func:`parse_fast` declines any document where their rules differ). This module judges the result by the
entries it yields (not by ``bozo``), turns HTML into plain text, reads dates (an unreadable date is None: the
pipeline uses the time first seen), and gives each entry a stable key (:mod:`feeds.identity`).

Parsing a large feed takes seconds of CPU, so :func:`parse_off_loop` runs it in a worker process
(a thread pool when ``RAQIB_PARSE_POOL=thread`` or when processes are unavailable), keeping the event
loop free for the other feeds. A job that runs longer than :data:`WORK_TIMEOUT` fails with
:class:`feeds.errors.ParserTimedOut` and its worker pool is replaced; workers ignore SIGINT.
"""

from __future__ import annotations

import asyncio
import calendar
import concurrent.futures
import dataclasses
import datetime as dt
import io
import json
import logging
import math
import multiprocessing
import os
import re
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

import fastfeedparser
import feedparser
from lxml import etree

from feeds.errors import NotAFeed, ParseError, ParserCrashed, ParserTimedOut, short
from feeds.identity import assign_keys, clean_link, content_hash, identity
from feeds.models import Entry, ParsedFeed
from feeds.text import html_to_text

log = logging.getLogger(__name__)
T = TypeVar("T")

# A date more than this far in the future is a feed's mistake: treat as unreadable.
FUTURE_SLACK = 2 * 86400


def format_time(struct: time.struct_time | None, *, now: float | None = None) -> str | None:
    """A feedparser UTC ``struct_time`` as ``YYYY-MM-DD HH:MM:SS``; None when absent or implausible."""
    if not struct:
        return None
    try:
        stamp = calendar.timegm(struct)
    except (TypeError, ValueError, OverflowError):
        return None
    now = time.time() if now is None else now
    if struct.tm_year < 1990 or stamp > now + FUTURE_SLACK:
        return None
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(stamp))


def _detail_text(value: str | None, detail: Any) -> str:
    kind = (detail or {}).get("type", "text/html") if isinstance(detail, dict) else "text/html"
    return html_to_text(value or "", is_html="html" in kind)


def _entry_texts(raw: Any) -> tuple[str, str, str]:
    title = _detail_text(raw.get("title"), raw.get("title_detail")).replace("\n", " ")
    summary = _detail_text(raw.get("summary"), raw.get("summary_detail"))
    content = ""
    for part in raw.get("content") or ():
        text = _detail_text(part.get("value"), part)
        if len(text) > len(content):
            content = text
    return title, summary, content


def _looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]


def parse_document(body: bytes, *, content_type: str = "", url: str = "", now: float | None = None) -> ParsedFeed:
    """Parse one fetched document (runs in a worker; pure apart from the parser).

    Well-formed UTF-8 RSS 2.0 and Atom 1.0 (the common case) go through fastfeedparser, about a hundred times
    faster than feedparser; everything else (ill-formed XML, other encodings, RDF, Atom 0.3, ``xml:base``,
    documents fastfeedparser refuses or finds no entries in) through feedparser, which stays the reference:
    both give the same entries, dates and text where both read a document (``tests/test_feeds_parsers.py``).
    Character references to no character (``&#xD800;``, ``&#x110000;``; a surrogate pair written as two
    references is joined into its character) become U+FFFD first, so one bad item does not fail the feed.

    :param body: the bytes as fetched (decompressed); never a URL or a file name.
    :param content_type: the ``Content-Type`` header (its charset, if any, is honoured).
    :param url: the final URL, for relative links (sent to feedparser as ``Content-Location``).
    :raises NotAFeed: no entries and the document is not a well-formed feed.
    :raises ParserCrashed: the parser raised.
    """
    if not body.strip():
        raise NotAFeed("empty document")
    if _looks_like_json_feed(body):
        return parse_json_feed(body, url=url, now=now)
    body = fix_char_refs(body)
    fast = parse_fast(body, content_type=content_type, url=url, now=now)
    if fast is not None:
        return fast
    return parse_with_feedparser(body, content_type=content_type, url=url, now=now)


def parse_with_feedparser(body: bytes, *, content_type: str = "", url: str = "",
                          now: float | None = None) -> ParsedFeed:
    """The reference path: feedparser (loose parser, encoding detection) for any XML feed.

    :raises NotAFeed: no entries and the document is not a well-formed feed.
    :raises ParserCrashed: the parser raised.
    """
    headers = {"content-location": url} if url else {}
    # Without any Content-Type feedparser falls back to windows-1252 before trying chardet; a generic XML
    # type without charset lets the detector find legacy encodings (windows-1256 Arabic) instead.
    headers["content-type"] = content_type or "application/xml"
    # resolve_relative_uris=False: feedparser would rewrite every href and src inside each entry's HTML against
    # the base (one more pass of its SGML parser over every text, a fifth of its time), and html_to_text keeps
    # no attribute. Entry links and guids are still resolved (feedparser does those apart from this switch).
    try:
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, resolve_relative_uris=False)
    except Exception as exc:  # noqa: BLE001 - any parser failure is recorded on the feed, never raised
        raise ParserCrashed(exc) from None
    try:
        return _to_parsed_feed(parsed, body, url, now)
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ParserCrashed(exc) from None


# --- character references to no character ----------------------------------------------------------------

# Only references that can be out of range: 4+ hex digits or 5+ decimal digits (so the callback runs rarely).
_WIDE_REF = re.compile(rb"&#(?:[xX]0*([0-9a-fA-F]{4,8})|0*([0-9]{5,9}));")
_REPLACEMENT = b"&#xFFFD;"


def _ref_value(match: re.Match[bytes]) -> int:
    return int(match.group(1), 16) if match.group(1) else int(match.group(2))


def fix_char_refs(body: bytes) -> bytes:
    """Rewrite character references that name no character, which no parser can store: a lone surrogate
    (``&#xD800;``), or a value past U+10FFFF (``&#x110000;``) becomes ``&#xFFFD;``; a high and a low surrogate
    written as two adjacent references (``&#55357;&#56832;``, how some CMSs escape emoji) become the one
    character they encode. Everything else is left byte for byte."""
    if b"&#" not in body:
        return body
    pending: list[int] = []  # the start of a high surrogate reference waiting for its low half

    def replace(match: re.Match[bytes]) -> bytes:
        value = _ref_value(match)
        if value <= 0xFFFF and not 0xD800 <= value <= 0xDFFF:
            return match.group(0)
        if 0xD800 <= value <= 0xDBFF:
            following = _WIDE_REF.match(body, match.end())
            if following is not None and 0xDC00 <= _ref_value(following) <= 0xDFFF:
                pending.append(match.end())
                combined = 0x10000 + ((value - 0xD800) << 10) + (_ref_value(following) - 0xDC00)
                return b"&#x%X;" % combined
            return _REPLACEMENT
        if 0xDC00 <= value <= 0xDFFF:
            if pending and pending[-1] == match.start():
                pending.pop()
                return b""  # the low half, already joined to the high half before it
            return _REPLACEMENT
        return _REPLACEMENT if value > 0x10FFFF else match.group(0)

    return _WIDE_REF.sub(replace, body)


# --- the fast path: fastfeedparser for well-formed UTF-8 RSS 2.0 and Atom 1.0 --------------------------------

_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_ATOM_NS = b"http://www.w3.org/2005/Atom"
_UTF8 = frozenset({"utf-8", "utf8"})
# a DOCTYPE without an internal subset, before the root element (group 1: the declaration)
_PLAIN_DOCTYPE = re.compile(rb"^(?:\s*<\?xml[^>]*>)?(?:\s*<!--(?:(?!-->).)*-->)*\s*(<!DOCTYPE[^\[<>]*>)", re.DOTALL)
# xml:base, or the plain base attribute feedparser honours as xml:base, anywhere: relative URIs then have another base
_BASE_ATTR = re.compile(rb"\s(?:xml:)?base\s*=")
_ATOM = "{http://www.w3.org/2005/Atom}"


def _fast_candidate(body: bytes, content_type: str) -> tuple[bytes, etree._Element] | None:
    """The body (without a UTF-8 BOM or a plain DOCTYPE) and its XML tree, when the fast parser may read it;
    None to leave it to feedparser."""
    charset = ""
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower()
    if charset and charset not in _UTF8 and charset != "us-ascii":
        return None
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    declared = _XML_ENCODING.match(body[:200])
    if declared and declared.group(1).decode("ascii").lower() not in _UTF8 | {"us-ascii"}:
        return None
    if b"<!ENTITY" in body[:4096]:
        return None  # DTD entities: feedparser's rules
    if b"<!DOCTYPE" in body[:4096]:
        # feedparser removes a DOCTYPE before it parses (it only reads one naming Netscape's RSS 0.91, and
        # entities, which are declined above): a plain one (an Atom feed declaring <!DOCTYPE html>) goes too
        doctype = _PLAIN_DOCTYPE.match(body)
        if doctype is None or b"netscape" in doctype.group(0).lower():
            return None
        body = body[:doctype.start(1)] + body[doctype.end(1):]
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    root = _xml_root(body)
    if root is None:
        return None
    return body, root


def _xml_root(body: bytes) -> etree._Element | None:
    """The root of a well-formed document (None when it is not: feedparser's loose parser reads those)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        return etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _fast_version(body: bytes, root_head: bytes) -> str | None:
    """feedparser's version name for an RSS 2.0 or Atom 1.0 document; None for the other formats."""
    if b"<rss" in root_head:
        match = re.search(rb"<rss[^>]*\sversion\s*=\s*[\"']([0-9.]+)[\"']", root_head)
        if match and match.group(1) in (b"2.0", b"2.0.1", b"2.00"):
            return "rss20"
        return None
    if b"<feed" in root_head and _ATOM_NS in root_head:
        return "atom10"
    return None


def parse_fast(body: bytes, *, content_type: str = "", url: str = "", now: float | None = None) -> ParsedFeed | None:
    """The document read by fastfeedparser, or None when it is not one the fast path takes (see
    :func:`parse_document`) or fastfeedparser cannot read it; never raises for a bad document."""
    readable = _fast_candidate(body, content_type)
    if readable is None:
        return _declined(url, "encoding, DTD or ill-formed XML")
    candidate, root = readable
    if b"media:description" in candidate:
        return _declined(url, "media:description")  # feedparser lets it replace the item's summary (even an image caption after it)
    version = _fast_version(candidate, candidate[:8192])
    if version is None:
        return _declined(url, "not RSS 2.0 or Atom 1.0")
    try:
        parsed = fastfeedparser.parse(candidate, include_tags=False, include_media=False, include_enclosures=False)
    except Exception:  # noqa: BLE001 - whatever the fast parser cannot read, feedparser reads (or judges)
        return _declined(url, "fastfeedparser failed", exc_info=True)
    raw_entries = list(parsed.get("entries") or ())
    if not raw_entries:
        return _declined(url, "no entries")  # an empty feed, or one the fast parser found nothing in: feedparser decides
    # What fastfeedparser's entries do not tell is read from the XML tree, item by item: whether it has a guid
    # (fastfeedparser gives an entry without one its link as id; feedparser gives none), whether that guid is a
    # permalink, and whether it has a summary (fastfeedparser makes one up from the content when there is none).
    facts = _item_facts(root, version)
    if facts is None:
        return _declined(url, "an item with an empty guid, or two guids or summaries")
    if len(facts) != len(raw_entries) or any(
            fact.guid is not None and (raw.get("id") or "").strip() != fact.guid
            for fact, raw in zip(facts, raw_entries, strict=False)):
        return _declined(url, "items not matched one to one")
    # feedparser resolves a guid that is a permalink (RSS without isPermaLink="false", every Atom id) against
    # the base as a relative URI (with its own function); under xml:base the base varies: feedparser there.
    guids = [fact.guid for fact in facts]
    for index, fact in enumerate(facts):
        if fact.guid is not None and fact.permalink and not _SCHEME.match(fact.guid):
            if _BASE_ATTR.search(candidate):
                return _declined(url, "a relative guid under xml:base")
            guids[index] = _feedparser_urljoin(url, fact.guid)
    if b"xml:base" in candidate and any(not _SCHEME.match(raw.get("link") or "x:") for raw in raw_entries):
        return _declined(url, "a relative link under xml:base")
    feed = parsed.get("feed") or {}
    items = []
    for raw, fact, guid in zip(raw_entries, facts, guids, strict=True):
        content = ""
        first = ""
        for part in raw.get("content") or ():
            text = _detail_text(_as_feedparser(part.get("value")), part)
            first = first or text
            if len(text) > len(content):
                content = text
        title = _fast_text(raw.get("title")).replace("\n", " ")
        summary = html_to_text(_as_feedparser(raw.get("description"))) if fact.summary else first
        published = _fast_time(raw.get("published"), now) or _fast_time(raw.get("updated"), now)
        # an item without any link element gets even a non-permalink guid as its link from fastfeedparser
        link = (_as_feedparser(_fast_link(raw, version)) or None) if fact.link else None
        if link is None and guid is not None and fact.permalink and _HTTP.match(guid):
            link = _as_feedparser(guid)  # feedparser: a permalink guid stands in for the link
        if link is None and guid is None:
            return _declined(url, "an entry without guid or link")  # identified by a hash of its text alone: feedparser's text rules decide
        items.append(_RawItem(link=link, guid=(_as_feedparser(guid) or None) if guid is not None else None,
                              title=title, summary=summary, content=content, published=published))
    language = (_feed_language(root, version) or feed.get("language") or "")[:2].lower() or None
    title = _fast_text(feed.get("title")).replace("\n", " ")
    return _build(items, url or None, ParsedFeed(entries=(), title=title, version=version, language=language))


@dataclass(frozen=True)
class _ItemFacts:
    """What the XML says of one item (RSS ``<item>``, Atom ``<entry>``) that fastfeedparser's entry does not."""

    guid: str | None  # the text of its guid (RSS) or id (Atom), stripped; None without one
    permalink: bool  # feedparser resolves the guid as a URI and lets it stand in for a missing link
    summary: bool  # it has a description (RSS) or summary (Atom): feedparser's summary, else the content
    link: bool = True  # it has a link element (in any namespace)


def _item_facts(root: etree._Element, version: str) -> list[_ItemFacts] | None:
    """The facts of every item in document order; None when an item has two guids, one in a namespace or deeper
    in the item, an empty Atom id, or two summaries."""
    facts = []
    if version == "rss20":
        for item in root.iter("item"):
            guids = list(item.iter("{*}guid"))
            summaries = sum(1 for _ in item.iter("description"))
            if len(guids) > 1 or (guids and guids[0].tag != "guid") or summaries > 1:
                return None
            # an empty guid is none for feedparser (fastfeedparser's id is then the link, as for no guid)
            guid = (guids[0].text or "").strip() or None if guids else None
            # feedparser lower-cases attribute names; only the value "true" (or none) makes a permalink
            flag = next((value for name, value in guids[0].attrib.items() if name.lower() == "ispermalink"),
                        "true") if guids else "false"
            facts.append(_ItemFacts(guid, flag == "true", summaries == 1,
                                    next(item.iter("{*}link"), None) is not None))
        return facts
    for entry in root.iter(_ATOM + "entry"):
        ids = entry.findall(_ATOM + "id")
        summaries = sum(1 for _ in entry.iter(_ATOM + "summary"))
        if len(ids) > 1 or summaries > 1 or any(not _in_source(deep, entry) for deep in entry.iter("{*}id")
                                                 if deep.getparent() is not entry):
            return None  # an id deeper in the entry counts for feedparser too (but not one of its <source>)
        guid = (ids[0].text or "").strip() if ids else None
        if guid == "":
            return None
        facts.append(_ItemFacts(guid, True, summaries == 1))
    return facts


def _feed_language(root: etree._Element, version: str) -> str | None:
    """The feed's language as feedparser reads it: RSS ``<language>`` (or ``<dc:language>``) of the channel, the
    ``xml:lang`` of an Atom feed (fastfeedparser reads only ``xml:lang``)."""
    if version == "rss20":
        for path in ("channel/language", "channel/{http://purl.org/dc/elements/1.1/}language"):
            found = root.find(path)
            if found is not None and (found.text or "").strip():
                return found.text.strip()
        return None
    return root.get("{http://www.w3.org/XML/1998/namespace}lang")


def _in_source(element: etree._Element, entry: etree._Element) -> bool:
    """Whether ``element`` is inside an Atom ``<source>`` of ``entry`` (feedparser keeps that apart)."""
    parent = element.getparent()
    while parent is not None and parent is not entry:
        if parent.tag == _ATOM + "source":
            return True
        parent = parent.getparent()
    return False


def _declined(url: str, reason: str, *, exc_info: bool = False) -> None:
    log.debug("fast parser declined %s (%s): feedparser reads it", url or "a document", reason, exc_info=exc_info)
    return None


# feedparser's test for "text that is really HTML" (pinned feedparser; its mixin keeps it as a static method).
_looks_like_html_text = feedparser.mixin._FeedParserMixin.looks_like_html
# how feedparser resolves a relative URI against its base (pinned feedparser)
_feedparser_urljoin = feedparser.urls._urljoin
_HTTP = re.compile(r"https?://", re.IGNORECASE)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# feedparser maps C1 controls to the windows-1252 characters they stand for in mis-encoded feeds.
_C1 = re.compile("[\x80-\x9f]")
_CP1252 = {byte: bytes([byte]).decode("cp1252") for byte in range(0x80, 0xA0) if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def _fast_link(raw: Any, version: str) -> str | None:
    """The entry's link as feedparser chooses it: in Atom the first ``alternate`` link (a link without
    ``rel`` is one) of an HTML type, never ``self``, ``enclosure`` or ``related``; in RSS the ``<link>``."""
    if version == "atom10":
        for link in raw.get("links") or ():
            kind = link.get("type") or "text/html"
            if link.get("rel") in (None, "alternate") and "html" in kind and link.get("href"):
                return link["href"]
        return None
    return raw.get("link")


def _as_feedparser(value: str | None) -> str:
    """A text value with feedparser's two repairs for UTF-8 documents: UTF-8 read as Latin-1 (``Ã©`` ->
    ``é``) and C1 controls as windows-1252 characters."""
    if not value:
        return ""
    if value.isascii():
        return value
    try:
        value = value.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return value.translate(_CP1252) if _C1.search(value) else value


def _fast_text(value: str | None) -> str:
    """A title as feedparser reads it: HTML when it looks like HTML (feedparser's own test), else plain."""
    value = _as_feedparser(value)
    return html_to_text(value, is_html=_looks_like_html_text(value))


def _fast_time(value: str | None, now: float | None) -> str | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return format_time(moment.astimezone(dt.UTC).timetuple(), now=now)


@dataclass(frozen=True)
class _RawItem:
    """One entry as either parser read it, before keys are chosen for the whole fetch."""

    link: str | None
    guid: str | None
    title: str
    summary: str
    content: str
    published: str | None


def _build(items: list[_RawItem], base: str | None, shell: ParsedFeed) -> ParsedFeed:
    """Entries with keys from the parsed items (both parsers end here)."""
    identities = [identity(item.link, item.guid, item.title, item.summary or item.content, base) for item in items]
    entries: list[Entry] = []
    for item, ident, chosen in zip(items, identities, assign_keys(identities), strict=True):
        if chosen is None:
            continue
        key, kind, link_key = chosen
        text = item.content if len(item.content) >= len(item.summary) else item.summary
        raw_link = clean_link(item.link, base) or (ident.link if ident.link else None)
        entries.append(Entry(
            key=key, guid=item.guid, link=raw_link, title=item.title, summary=item.summary, content=item.content,
            published=item.published, text=text, content_hash=content_hash(item.title, text), key_kind=kind,
            raw_link=item.link, link_key=link_key,
        ))
    return dataclasses.replace(shell, entries=tuple(entries))


def _to_parsed_feed(parsed: Any, body: bytes, url: str, now: float | None) -> ParsedFeed:
    raw_entries = list(parsed.get("entries") or ())
    bozo = bool(parsed.get("bozo"))
    reason = short(str(parsed.get("bozo_exception") or ""), 120) if bozo else ""
    version = parsed.get("version") or ""
    feed = parsed.get("feed") or {}
    if not raw_entries:
        if _looks_like_html(body):
            raise NotAFeed("the address returns an HTML page")
        if bozo:
            raise NotAFeed(reason or "unreadable document")
        if not version:
            raise NotAFeed("no RSS, Atom or RDF elements found")
    base = parsed.get("href") or url or None
    items = []
    for raw in raw_entries:
        title, summary, content = _entry_texts(raw)
        # dict.get: FeedParserDict.get would map a missing published_parsed to updated_parsed, with a warning.
        published = format_time(dict.get(raw, "published_parsed"), now=now) or format_time(
            dict.get(raw, "updated_parsed"), now=now)
        items.append(_RawItem(link=raw.get("link"), guid=raw.get("id") or raw.get("guid") or None, title=title,
                              summary=summary, content=content, published=published))
    language = (feed.get("language") or "")[:2].lower() or None
    shell = ParsedFeed(entries=(), title=html_to_text(feed.get("title") or "").replace("\n", " "),
                       version=version, bozo=bozo, bozo_reason=reason, language=language)
    return _build(items, base, shell)


# --- JSON Feed (feedparser 6.0 reads XML only) ---------------------------------------------------------

def _looks_like_json_feed(body: bytes) -> bool:
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b"jsonfeed.org/version" in head


def parse_json_feed(body: bytes, *, url: str = "", now: float | None = None) -> ParsedFeed:
    """A JSON Feed 1.0/1.1 document (https://jsonfeed.org/version/1.1) -> :class:`ParsedFeed`.

    :raises NotAFeed: not valid JSON, or not a JSON Feed object.
    """
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except ValueError as exc:
        raise NotAFeed(f"invalid JSON: {short(str(exc), 80)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
        raise NotAFeed("JSON without a list of items")
    base = data.get("feed_url") if isinstance(data.get("feed_url"), str) else None
    base = url or base
    raw_items = [item for item in data.get("items") or [] if isinstance(item, dict)]

    def text(value: object, *, is_html: bool = True) -> str:
        return html_to_text(value, is_html=is_html) if isinstance(value, str) else ""

    texts = []
    for item in raw_items:
        content = text(item.get("content_html")) or text(item.get("content_text"), is_html=False)
        texts.append((text(item.get("title"), is_html=False).replace("\n", " "), text(item.get("summary")), content))
    identities = [
        identity(item.get("url") if isinstance(item.get("url"), str) else None,
                 str(item["id"]) if item.get("id") not in (None, "") else None, title, summary or content, base)
        for item, (title, summary, content) in zip(raw_items, texts, strict=True)
    ]
    entries = []
    for item, (title, summary, content), ident, chosen in zip(raw_items, texts, identities, assign_keys(identities),
                                                             strict=True):
        if chosen is None:
            continue
        key, kind, link_key = chosen
        body_text = content if len(content) >= len(summary) else summary
        published = None
        for field in ("date_published", "date_modified"):
            value = item.get(field)
            if isinstance(value, str) and value:
                published = format_time(rfc3339_date(value), now=now)
                if published:
                    break
        link = clean_link(item.get("url") if isinstance(item.get("url"), str) else None, base) or ident.link
        entries.append(Entry(key=key, guid=str(item.get("id")) if item.get("id") is not None else None, link=link,
                             title=title, summary=summary, content=content, published=published, text=body_text,
                             content_hash=content_hash(title, body_text), key_kind=kind,
                             raw_link=item.get("url") if isinstance(item.get("url"), str) else None,
                             link_key=link_key))
    language = data.get("language") if isinstance(data.get("language"), str) else ""
    return ParsedFeed(entries=tuple(entries), title=text(data.get("title"), is_html=False),
                      version="json1", language=language[:2].lower() or None)


def rfc3339_date(value: str) -> time.struct_time | None:
    """An RFC 3339 date (what JSON Feed uses) as a UTC struct_time; None when unreadable."""
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).timetuple()


# --- running off the event loop ---------------------------------------------------------------------

# The longest one job (a parse, a page extraction) may run in the pool; the clock starts when a worker
# takes the job, not while it waits in the queue behind other feeds' jobs.
WORK_TIMEOUT = 60.0
_POLL = 0.25  # how often a queued job is checked for having started

_pool_lock = threading.Lock()
_pool: concurrent.futures.Executor | None = None
_threads: concurrent.futures.ThreadPoolExecutor | None = None


def pool_kind() -> str:
    """``"process"`` (default) or ``"thread"``, from ``$RAQIB_PARSE_POOL``."""
    kind = os.environ.get("RAQIB_PARSE_POOL", "process").strip().lower()
    return kind if kind in ("process", "thread") else "process"


def _thread_pool() -> concurrent.futures.ThreadPoolExecutor:
    global _threads
    with _pool_lock:
        if _threads is None:
            _threads = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="raqib-parse")
        return _threads


ORPHAN_CHECK = 0.5  # seconds between a worker's looks for the process it works for


def _worker_init(owner: int) -> None:
    """Worker initializer. Ctrl-C in a terminal reaches the whole process group; the workers ignore it and
    leave it to the service, which shuts them down itself (instead of each printing a KeyboardInterrupt
    traceback). And a worker dies with its owner (the ``raqib`` process, pid ``owner``): a ``kill -9`` runs no
    shutdown, and the forkserver's children would live on, reparented to init. A daemon thread looks every
    :data:`ORPHAN_CHECK` seconds and ends the worker once its parent changed (the forkserver exits when its
    owner dies) or the owner is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(ORPHAN_CHECK)
            if os.getppid() != parent or not _alive(owner):
                os._exit(0)

    threading.Thread(target=watch, name="raqib-orphan-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else (the pid was reused): not ours any more
        return False
    return True


def worker_pool() -> concurrent.futures.Executor:
    """The shared executor for CPU-heavy work (parsing, page extraction), created on first use.

    A process pool (``forkserver`` start method: safe in a process with threads) of up to
    ``min(4, cpu_count)`` workers that ignore SIGINT and die with this process, even after a ``kill -9``
    (:func:`_worker_init`); a thread pool when ``RAQIB_PARSE_POOL=thread``.
    """
    global _pool
    if pool_kind() == "thread":
        return _thread_pool()
    with _pool_lock:
        if _pool is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            if isinstance(context, multiprocessing.context.ForkServerContext):
                # The fork server imports this module (lxml, feedparser, fastfeedparser: 0.3 s of CPU) once, and
                # every worker forked from it starts with them (a new pool after a stuck job too). It is started
                # with the first pool; later calls change nothing.
                context.set_forkserver_preload(["__main__", __name__])
            workers = max(1, min(4, os.cpu_count() or 1))
            _pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                                           initializer=_worker_init, initargs=(os.getpid(),))
        return _pool


def shutdown_pool() -> None:
    """Stop the worker processes (the service calls this at shutdown; tests and the bench may too)."""
    global _pool, _threads
    with _pool_lock:
        pool, _pool = _pool, None
        threads, _threads = _threads, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
    if threads is not None:
        threads.shutdown(wait=False, cancel_futures=True)


def _retire(pool: concurrent.futures.Executor) -> None:
    """Replace a process pool with a stuck worker: the next job starts a fresh pool, and the old pool's
    processes are killed (jobs of other feeds running there fail with BrokenProcessPool and are run again
    by :func:`run_off_loop`). A thread cannot be killed: a stuck thread keeps its slot until it ends."""
    global _pool
    with _pool_lock:
        if _pool is pool:
            _pool = None
    if not isinstance(pool, concurrent.futures.ProcessPoolExecutor):
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        try:
            process.terminate()
        except Exception:  # noqa: BLE001 - already gone
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    if processes:
        threading.Thread(target=_reap, args=(processes,), name="raqib-reap", daemon=True).start()


def _reap(processes: list[Any]) -> None:
    """Wait for terminated workers (off the event loop); kill one that ignores SIGTERM."""
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)


async def _wait_limited(future: concurrent.futures.Future[T], limit: float) -> T:
    """Await a pool future; raise TimeoutError once it has run (not queued) for ``limit`` seconds.

    "Running" is the executor's notion: a process pool marks a job running when it hands it to the
    workers' call queue, which holds one job more than there are workers, so the clock may start a
    little early for that one job."""
    waiter = asyncio.wrap_future(future)
    loop = asyncio.get_running_loop()
    started: float | None = None
    try:
        while True:
            if math.isinf(limit):
                return await waiter
            if started is None and future.running():
                started = loop.time()
            step = _POLL if started is None else max(0.0, started + limit - loop.time())
            done, _pending = await asyncio.wait({waiter}, timeout=step)
            if done:
                return waiter.result()
            if started is not None:
                raise TimeoutError
    finally:
        if not waiter.done():
            waiter.cancel()


async def run_off_loop(func: Callable[..., T], *args: Any, time_limit: float | None = None, **kwargs: Any) -> T:
    """Run ``func(*args, **kwargs)`` in :func:`worker_pool` and return its result.

    If the process pool breaks (a worker killed, say, by the OOM killer), start a fresh one once, then
    fall back to a thread.

    :param time_limit: seconds the job may run once a worker has taken it (None: :data:`WORK_TIMEOUT`;
        ``math.inf``: no limit). Past it the process pool is replaced (see :func:`_retire`).
    :raises ParserTimedOut: the job ran longer than ``time_limit``.
    """
    limit = WORK_TIMEOUT if time_limit is None else time_limit
    call = _Call(func, args, kwargs)
    for _attempt in range(2):
        pool = worker_pool()
        try:
            future = pool.submit(call)
        except (BrokenProcessPool, RuntimeError):
            # Broken, or shut down by _retire between worker_pool() and submit(): use a fresh pool.
            _retire(pool)
            continue
        try:
            return await _wait_limited(future, limit)
        except BrokenProcessPool:
            log.warning("worker pool broke; starting a new one")
            _retire(pool)
        except TimeoutError:
            log.warning("%s ran longer than %g s; replacing the worker pool", getattr(func, "__name__", func), limit)
            _retire(pool)
            raise ParserTimedOut(limit) from None
    threads = _thread_pool()
    try:
        return await _wait_limited(threads.submit(call), limit)
    except TimeoutError:
        raise ParserTimedOut(limit) from None


class _Call:
    """A picklable ``func(*args, **kwargs)`` (functools.partial pickles too, but this reads better)."""

    def __init__(self, func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.func, self.args, self.kwargs = func, args, kwargs

    def __call__(self) -> Any:
        return self.func(*self.args, **self.kwargs)


async def parse_off_loop(body: bytes, *, content_type: str = "", url: str = "",
                         time_limit: float | None = None) -> ParsedFeed:
    """:func:`parse_document` in the worker pool, within ``time_limit`` (default :data:`WORK_TIMEOUT`).

    :raises ParseError: as :func:`parse_document`; :class:`ParserTimedOut` past the limit; any other
        exception becomes :class:`ParserCrashed`.
    """
    try:
        return await run_off_loop(parse_document, body, content_type=content_type, url=url, time_limit=time_limit)
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - e.g. a result that would not pickle
        raise ParserCrashed(exc) from None
