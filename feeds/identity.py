"""Entry identity: normalised links, stable entry keys and content hashes.

An entry's key decides whether an item seen again is the same article (Miniflux's ``entry.Hash``).
Raqib prefers the *normalised link* (``u:`` keys): links survive feeds that regenerate their guids on
every fetch, and normalisation (https, no ``www.``, no tracking parameters, no ``#fragment``, no
trailing slash) makes the same article reached twice one key.  When links are missing or shared by
several items of one fetch (every item pointing at a home page), the guid is used (``g:`` keys; gov.uk
style ``url#2024-01-02T10:00:00Z`` ids lose their timestamp so an updated item keeps its key), and
when the guid is missing or repeated too, a hash of title and summary (``h:`` keys).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Identity:
    """The identifying parts of one raw item, before keys are chosen for the whole fetch."""

    link: str | None
    guid: str | None
    hashkey: str


def identity(link: str | None, guid: str | None, title: str, summary: str, base: str | None = None) -> Identity:
    """Normalise one item's link and guid (a permalink guid stands in for a missing link)."""
    norm_link = normalize_link(link, base)
    norm_guid = normalize_guid(guid)
    if norm_link is None and norm_guid and norm_guid.startswith("https://"):
        norm_link = norm_guid
    return Identity(norm_link, norm_guid, text_hash_key(title, summary))


def assign_keys(items: Sequence[Identity]) -> list[tuple[str, str] | None]:
    """Choose a key for each item of one fetch: ``(key, kind)``, or None for an exact repeat to drop.

    Items identical in link, guid and text (a feed repeating an item) keep only their first copy.
    A link shared by several distinct items falls back to the guid, a repeated or missing guid to the
    text hash; a text hash that still collides keeps only its first item.
    """
    first: dict[Identity, int] = {}
    for i, item in enumerate(items):
        first.setdefault(item, i)
    distinct = [item for i, item in enumerate(items) if first[item] == i]
    links = Counter(item.link for item in distinct if item.link)
    guids = Counter(item.guid for item in distinct if item.guid)
    keys: list[tuple[str, str] | None] = []
    used: set[str] = set()
    for i, item in enumerate(items):
        if first[item] != i:
            keys.append(None)
            continue
        if item.link and links[item.link] == 1:
            key, kind = "u:" + item.link, "link"
        elif item.guid and guids[item.guid] == 1:
            key, kind = "g:" + item.guid, "guid"
        else:
            key, kind = item.hashkey, "hash"
        if key in used:
            keys.append(None)
            continue
        used.add(key)
        keys.append((key, kind))
    return keys
