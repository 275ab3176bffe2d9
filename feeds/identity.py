"""Entry identity: normalised links, stable entry keys and content hashes.

An entry's key decides whether an item seen again is the same article (Miniflux's ``entry.Hash``).
Keys are guid-first, as the feed intends: ``g:`` keys from the guid (gov.uk style
``url#2024-01-02T10:00:00Z`` ids lose their timestamp, so an updated item keeps its key; URL-shaped guids
are normalised like links). A guid missing, or repeated within one fetch, falls back to the normalised
link (``u:`` keys), then to a hash of title and summary (``h:`` keys).

Links are normalised (https, no ``www.``, no tracking parameters, no ``#fragment``, no trailing slash) so
the same article reached twice compares equal, and each entry carries its *identifying link*
(``EntryKey.link``, stored as ``articles.link_key``): within one fetch, items that share a link and a
title are one article reached twice (kept once, whatever their guids); a link shared by items with
different titles (a home page, a live page) or a bare home-page link identifies nothing. Across fetches
the pipeline uses the identifying link to recognise an article whose guid changed (feeds that regenerate
guids on every fetch) instead of storing it again.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only track where a click came from.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "mc_cid", "mc_eid",
    "ocid", "cmpid", "cmp", "smid", "smtyp", "taid", "ito", "xtor", "ns_mchannel", "ns_source", "ns_campaign",
    "ns_linkname", "ns_fee", "_ga", "_gl", "__twitter_impression", "ref_src", "from_rss", "ftag", "guccounter",
    "guce_referrer", "guce_referrer_sig",
})
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_", "oly_", "vero_", "sr_share")

_TIMESTAMP_FRAGMENT = re.compile(
    r"#\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)


def is_tracking_param(name: str) -> bool:
    """True for ``utm_source``, ``fbclid``, ``at_medium``... (case-insensitive)."""
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def clean_link(url: str | None, base: str | None = None) -> str | None:
    """The link to show and store: absolute, without tracking parameters and fragment, scheme kept.

    Returns None when ``url`` is empty or does not resolve to an http(s) URL.
    """
    if not url or not url.strip():
        return None
    url = url.strip()
    if base:
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k)]
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", urlencode(query), ""))


def normalize_link(url: str | None, base: str | None = None) -> str | None:
    """The comparison form of a link, so the same article reached twice compares equal.

    ``http://www.Example.com/a/b/?utm_source=x&id=2#0`` -> ``https://example.com/a/b?id=2``: scheme to
    https, host lower-cased without ``www.`` and default port, tracking parameters dropped, remaining
    parameters sorted, fragment and trailing slash dropped. None for empty or non-http(s) links.
    """
    cleaned = clean_link(url, base)
    if cleaned is None:
        return None
    parts = urlsplit(cleaned)
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = sorted(parse_qsl(parts.query, keep_blank_values=True))
    return urlunsplit(("https", host, path, urlencode(query), ""))


def normalize_guid(guid: str | None) -> str | None:
    """A guid without surrounding space and without a trailing ``#timestamp`` (gov.uk Atom ids).

    URL-shaped guids are normalised like links. Empty guids are None.
    """
    if guid is None:
        return None
    guid = guid.strip()
    if not guid:
        return None
    guid = _TIMESTAMP_FRAGMENT.sub("", guid)
    if guid.lower().startswith(("http://", "https://")):
        return normalize_link(guid) or guid
    return guid


def content_hash(title: str, text: str) -> str:
    """A short hash of what a reader sees; a changed hash means the article was updated."""
    return hashlib.sha1(f"{title.strip()}\n{text.strip()}".encode()).hexdigest()


def text_hash_key(title: str, summary: str) -> str:
    """The last-resort key: a hash of title and summary."""
    return "h:" + hashlib.sha1(f"{' '.join(title.split())}\n{' '.join(summary.split())}".encode()).hexdigest()[:24]


def is_home_link(link: str | None) -> bool:
    """True for a normalised link to a site's front page (``https://example.com/``): it names no article."""
    if not link:
        return False
    parts = urlsplit(link)
    return parts.path in ("", "/") and not parts.query


def fold_title(title: str) -> str:
    """A title as compared to tell one article reached twice from distinct items sharing a link."""
    return " ".join(title.split()).casefold()


@dataclass(frozen=True)
class Identity:
    """The identifying parts of one raw item, before keys are chosen for the whole fetch."""

    link: str | None
    guid: str | None
    hashkey: str
    title: str = ""


class EntryKey(NamedTuple):
    """The key chosen for one item: ``key`` (``g:``/``u:``/``h:``), ``kind`` (``"guid"``, ``"link"`` or
    ``"hash"``) and ``link``, the normalised link when it identifies this item (else None)."""

    key: str
    kind: str
    link: str | None


def identity(link: str | None, guid: str | None, title: str, summary: str, base: str | None = None) -> Identity:
    """Normalise one item's link and guid (a permalink guid stands in for a missing link)."""
    norm_link = normalize_link(link, base)
    norm_guid = normalize_guid(guid)
    if norm_link is None and norm_guid and norm_guid.startswith("https://"):
        norm_link = norm_guid
    return Identity(norm_link, norm_guid, text_hash_key(title, summary), fold_title(title))


def assign_keys(items: Sequence[Identity]) -> list[EntryKey | None]:
    """Choose a key for each item of one fetch, or None for an item to drop.

    Dropped: an exact repeat (same link, guid, title and text), and a second item with the same
    (non-home-page) link and title as an earlier one: the same article reached via another guid.
    A link shared by items with different titles, or a home-page link, does not identify an item
    (``EntryKey.link`` is None). Keys: the guid when present and not repeated in this fetch, else the
    identifying link, else the text hash; a key that still collides keeps only its first item.
    """
    keep = [True] * len(items)
    first: dict[Identity, int] = {}
    for i, item in enumerate(items):
        if first.setdefault(item, i) != i:
            keep[i] = False
    titles_by_link: dict[str, set[str]] = {}
    for i, item in enumerate(items):
        if not keep[i] or not item.link or is_home_link(item.link):
            continue
        titles = titles_by_link.setdefault(item.link, set())
        label = item.title or item.hashkey
        if label in titles:
            keep[i] = False  # the same article reached twice (another guid, or none)
        else:
            titles.add(label)
    identifying = {link for link, titles in titles_by_link.items() if len(titles) == 1}
    guids = Counter(item.guid for i, item in enumerate(items) if keep[i] and item.guid)
    keys: list[EntryKey | None] = []
    used: set[str] = set()
    for i, item in enumerate(items):
        if not keep[i]:
            keys.append(None)
            continue
        link = item.link if item.link in identifying else None
        if item.guid and guids[item.guid] == 1:
            key, kind = "g:" + item.guid, "guid"
        elif link:
            key, kind = "u:" + link, "link"
        else:
            key, kind = item.hashkey, "hash"
        if key in used:
            keys.append(None)
            continue
        used.add(key)
        keys.append(EntryKey(key, kind, link))
    return keys
