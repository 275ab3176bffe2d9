"""OPML 2.0 feed lists, read and written. Pure: bytes in, :class:`OpmlFeed` values out, and back.

Reading flattens nested outlines (folders), needs ``xmlUrl`` on every feed outline, takes the name from
``text`` (else ``title``) and honours Raqib's own attributes, plain or namespaced (``speaker`` or
``raqib:speaker``; ``lang``, ``raqib:lang`` or OPML's ``language``; ``interval``; ``fetch_pages``).
Documents that declare a DOCTYPE or entities are refused before parsing (entity-expansion bombs).
Writing emits one ``type="rss"`` outline per feed with those attributes, so an export imports back as it was.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from config import LANGS, MIN_INTERVAL

NAMESPACE = "https://github.com/raqib-bot/raqib/opml"

_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class OpmlError(ValueError):
    """The document is not a usable OPML feed list; ``str(error)`` is one line saying why."""


@dataclass(frozen=True)
class OpmlFeed:
    """One feed outline. ``speaker`` is as written in the file (the caller resolves it)."""

    url: str
    name: str = ""
    lang: str | None = None
    speaker: str | None = None
    interval: int | None = None
    fetch_pages: bool = True


def _text_of(data: bytes) -> str:
    """The document as text, to look for declarations in whatever encoding it uses."""
    for bom, encoding in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                          (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if b"\x00" in data[:4]:
        raise OpmlError("not an OPML file (unsupported encoding: use UTF-8)")
    return data.decode("utf-8", errors="replace")


def _attributes(element: ET.Element) -> dict[str, str]:
    """The element's attributes by local name (``{namespace}speaker`` -> ``speaker``); plain names win."""
    plain, namespaced = {}, {}
    for key, value in element.attrib.items():
        if key.startswith("{"):
            namespaced[key.rsplit("}", 1)[1]] = value
        else:
            plain[key] = value
    return {**namespaced, **plain}


def _lang(value: str | None, where: str) -> str | None:
    if not value or not value.strip():
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGS:
        raise OpmlError(f"{where}: language {value!r} is not one of {', '.join(LANGS)}")
    return code


def _interval(value: str | None, where: str) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        seconds = int(value)
    except ValueError:
        raise OpmlError(f"{where}: interval {value!r} is not a whole number of seconds") from None
    if seconds < MIN_INTERVAL:
        raise OpmlError(f"{where}: interval must be at least {MIN_INTERVAL} seconds, got {seconds}")
    return seconds


def _feed(element: ET.Element, number: int) -> OpmlFeed:
    attrs = _attributes(element)
    url = attrs.get("xmlUrl", "").strip()
    name = (attrs.get("text") or attrs.get("title") or "").strip()
    where = f"outline {number}" + (f" ({name!r})" if name else "")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise OpmlError(f"{where}: xmlUrl {url!r} is not an http(s) URL")
    fetch_pages = attrs.get("fetch_pages", attrs.get("fetchPages", "true")).strip().lower()
    if fetch_pages not in ("true", "false", "1", "0", "yes", "no"):
        raise OpmlError(f"{where}: fetch_pages {fetch_pages!r} is not true or false")
    return OpmlFeed(
        url=url,
        name="" if name == url else name,  # an export writes a nameless feed's URL as its text
        lang=_lang(attrs.get("lang") or attrs.get("language"), where),
        speaker=(attrs.get("speaker") or "").strip() or None,
        interval=_interval(attrs.get("interval"), where),
        fetch_pages=fetch_pages in ("true", "1", "yes"),
    )


def parse_opml(data: bytes | str) -> list[OpmlFeed]:
    """The feeds of an OPML document, in document order, each URL once.

    :raises OpmlError: the document declares a DOCTYPE/ENTITY, is not XML, is not OPML, has no feed
        outline, or has a feed outline without an http(s) ``xmlUrl`` or with a bad language or interval.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    text = _text_of(data)
    if _DECLARATION.search(text):
        raise OpmlError("refusing a document with a DOCTYPE or ENTITY declaration (entity expansion)")
    if "raqib:" in text and "xmlns:raqib" not in text:  # a forgotten namespace declaration
        data = re.sub(rb"<opml\b", b'<opml xmlns:raqib="' + NAMESPACE.encode() + b'"', data, count=1)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"not XML ({exc})") from None
    if root.tag != "opml":
        raise OpmlError(f"not an OPML file (the root element is <{root.tag}>, not <opml>)")
    body = root.find("body")
    if body is None:
        raise OpmlError("not an OPML file (no <body>)")
    feeds: dict[str, OpmlFeed] = {}
    for number, element in enumerate(body.iter("outline"), start=1):
        attrs = _attributes(element)
        is_feed = "xmlUrl" in attrs or attrs.get("type", "").lower() in ("rss", "atom")
        if not is_feed:
            continue  # a folder (its children are read in turn) or a plain note
        feed = _feed(element, number)
        feeds.setdefault(feed.url, feed)
    if not feeds:
        raise OpmlError("no feeds in it (no <outline> with an xmlUrl)")
    return list(feeds.values())


def write_opml(feeds: Iterable, *, title: str = "Raqib feeds", now: dt.datetime | None = None) -> str:
    """An OPML 2.0 document listing ``feeds`` (objects with url, name, lang, speaker, interval, fetch_pages).

    Pure.
    """
    now = now or dt.datetime.now(dt.UTC)
    now = now.astimezone(dt.UTC) if now.tzinfo else now.replace(tzinfo=dt.UTC)
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = email.utils.format_datetime(now, usegmt=True)
    ET.SubElement(head, "docs").text = "https://opml.org/spec2.opml"
    body = ET.SubElement(root, "body")
    for feed in feeds:
        name = feed.name or feed.url
        attrs = {"type": "rss", "text": name, "title": name, "xmlUrl": feed.url}
        if feed.lang:
            attrs["lang"] = feed.lang
        if feed.speaker:
            attrs["speaker"] = feed.speaker
        if getattr(feed, "interval", None):
            attrs["interval"] = str(feed.interval)
        if not getattr(feed, "fetch_pages", True):
            attrs["fetch_pages"] = "false"
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
