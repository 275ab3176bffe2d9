"""Push messages: a new statement (or several from one article) as Telegram HTML, in Arabic or English; and
:func:`render_grouped`, a late queue's statements for one chat together, by speaker, in parts of 4,096 characters.

Pure: :func:`render_push` takes a :class:`storage.outbox.PushBundle` (or anything with the same
attributes), the chat's language and timezone, and returns the message. Times are shown in the chat's
timezone with its abbreviation or UTC offset (``2022-01-22 21:05 +03``, ``… EST``), or as UTC when the zone
is UTC or unknown. Every inserted value goes through :func:`html.escape`, and the
message stays within Telegram's 4,096 characters: statement texts are shortened on their raw text, before
escaping, so a cut never falls inside a tag or an entity. Arabic messages use Arabic labels; plain text
flows right to left in Telegram's clients by itself.

Example (English)::

    🇺🇸 <b>US State Department</b> · Ned Price
    ⚠️ <b>Condemnation</b>
    <blockquote>The United States condemns the attack ...</blockquote>
    📰 <a href="https://...">Al Jazeera</a>: Title of the article
    🕒 2022-01-22 18:05 UTC
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reactions import load_registry

MAX_LENGTH = 4096
BUDGET = 4000  # leave room: Telegram counts the visible text, we count the HTML (always longer)
MAX_ITEMS = 8  # statements shown in one message; the rest are counted
LRM = "\u200e"

REACTION_LABELS: dict[str, dict[str, str]] = {
    "condemnation": {"en": "Condemnation", "ar": "إدانة"},
    "concern": {"en": "Concern", "ar": "قلق"},
    "welcome": {"en": "Welcome", "ar": "ترحيب"},
    "call": {"en": "Call", "ar": "دعوة"},
    "warning": {"en": "Warning", "ar": "تحذير"},
    "denial": {"en": "Denial", "ar": "نفي"},
    "condolence": {"en": "Condolences", "ar": "تعزية"},
    "support": {"en": "Support", "ar": "دعم"},
    "announcement": {"en": "Announcement", "ar": "إعلان"},
    "statement": {"en": "Statement", "ar": "تصريح"},
}
REACTION_ICONS = {
    "condemnation": "⛔", "concern": "😟", "welcome": "🤝", "call": "📣", "warning": "⚠️", "denial": "🚫",
    "condolence": "🕊", "support": "✊", "announcement": "📢", "statement": "💬",
}
LABELS: dict[str, dict[str, str]] = {
    "source": {"en": "Source", "ar": "المصدر"},
    "more": {"en": "and {n} more statements in this article", "ar": "و{n} تصريحات أخرى في هذا المقال"},
    "utc": {"en": "UTC", "ar": "بتوقيت غرينتش"},
    "link": {"en": "article", "ar": "المقال"},
    "also": {"en": "Also reported by", "ar": "نقلته أيضاً"},
}
MAX_SOURCES = 3  # other outlets named in a push; the rest are counted ("+2")


def reaction_label(reaction: str | None, lang: str) -> str:
    # unknown types, and "other" from older databases, read as "statement"
    labels = REACTION_LABELS.get(reaction or "statement", REACTION_LABELS["statement"])
    return labels["ar" if lang == "ar" else "en"]


@dataclass(frozen=True)
class SpeakerName:
    id: str
    name_en: str
    name_ar: str
    flag: str = ""

    def name(self, lang: str) -> str:
        return self.name_ar if lang == "ar" and self.name_ar else self.name_en


@dataclass(frozen=True)
class Names:
    """Display names: speakers by id, people by id (``john-kirby`` -> "John Kirby" / "جون كيربي")."""

    speakers: Mapping[str, SpeakerName] = field(default_factory=dict)
    people: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def from_registry(cls, registry: Any) -> Names:
        speakers = {s.id: SpeakerName(s.id, s.name_en, s.name_ar, s.flag) for s in registry.tracked}
        people: dict[str, tuple[str, str]] = {}
        raw = getattr(registry, "people", None) or getattr(registry, "persons", None) or {}
        items = raw.values() if isinstance(raw, Mapping) else raw
        for person in items:
            try:
                en = person.names_en[0] if person.names_en else ""
                ar = person.names_ar[0] if person.names_ar else en
                people[person.id] = (en, ar)
            except (AttributeError, TypeError, IndexError):
                continue
        return cls(speakers, people)

    @property
    def tracked(self) -> list[str]:
        return list(self.speakers)

    def speaker(self, speaker_id: str, lang: str, flag: bool = True) -> str:
        known = self.speakers.get(speaker_id)
        if known is None:
            return speaker_id
        return f"{known.flag} {known.name(lang)}".strip() if flag else known.name(lang)

    def person(self, person_id: str | None, lang: str) -> str:
        if not person_id:
            return ""
        if person_id in self.people:
            en, ar = self.people[person_id]
            return (ar if lang == "ar" else en) or en
        if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", person_id):
            return " ".join(part.capitalize() for part in person_id.split("-"))
        return person_id


@lru_cache(maxsize=1)
def _names() -> Names:
    return Names.from_registry(load_registry())


def speaker_label(speaker_id: str, lang: str) -> tuple[str, str]:
    """``(flag, name)`` of a speaker in ``lang``; the id itself when the registry does not know it."""
    known = _names().speakers.get(speaker_id)
    if known is None:
        return "", speaker_id
    return known.flag, known.name(lang) or speaker_id


def person_label(person: str | None, lang: str) -> str:
    """A person id (``ned-price``) as a name in ``lang``: from the registry when it lists the person,
    else the id title-cased (``Ned Price``); a value that is not an id is shown as it is."""
    return _names().person(person, lang)


def _zone(tz: Any) -> dt.tzinfo | None:
    """A tzinfo for ``tz`` (an IANA name or a tzinfo); None for UTC, empty or unknown zones."""
    if tz is None or tz == "":
        return None
    if isinstance(tz, dt.tzinfo):
        zone = tz
    else:
        try:
            zone = ZoneInfo(str(tz).strip())
        except (ZoneInfoNotFoundError, ValueError):
            return None
    if str(zone) in ("UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Zulu", "Zulu", "Universal", "Etc/Universal"):
        return None
    return zone


def _zone_label(moment: dt.datetime) -> str:
    """``+03``, ``EST``, ``+0530``: the zone's abbreviation, or its UTC offset when it has none."""
    abbr = moment.strftime("%Z")
    if abbr and re.fullmatch(r"[A-Za-z]{2,6}|[+-]\d{2}(?:\d{2})?", abbr):
        return abbr
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}" + (f"{minutes:02d}" if minutes else "")


def time_label(value: str | None, lang: str = "en", tz: Any = None) -> str:
    """Database UTC text -> ``2022-01-22 18:05 UTC``, or in the zone ``tz``: ``2022-01-22 21:05 +03``."""
    if not value:
        return ""
    text = value.strip().replace("T", " ")
    m = re.match(r"(\d{4}-\d{2}-\d{2})(?: (\d{2}:\d{2}))?", text)
    if not m:
        return text[:32]
    day, clock = m.group(1), m.group(2)
    if not clock:
        return day
    zone = _zone(tz)
    if zone is not None:
        try:
            # (fromisoformat reads the same text as strptime's "%Y-%m-%d %H:%M", ten times faster)
            moment = dt.datetime.fromisoformat(f"{day} {clock}").replace(tzinfo=dt.UTC).astimezone(zone)
        except (ValueError, OverflowError):
            moment = None
        if moment is not None:
            label = f"{moment:%Y-%m-%d %H:%M} {_zone_label(moment)}"
            # left-to-right marks keep date, time and "+03" in order inside an Arabic line (else "03+")
            return LRM + label + LRM if lang == "ar" else label
    return f"{day} {clock} {LABELS['utc']['ar' if lang == 'ar' else 'en']}"


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) link a message may carry, else None (no javascript:, data:, tg: links)."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def shorten_plain(text: str, limit: int) -> str:
    """``text`` on one line, cut to at most ``limit`` characters at a word boundary with '…' (not escaped)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)]
    space = cut.rfind(" ")
    if space > len(cut) * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,،;؛:-") + "…"


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _shorten(text: str, budget: int) -> str:
    """The longest clean prefix of ``text`` whose escaped form fits ``budget`` UTF-16 units, with '…'."""
    escaped = html.escape(text)
    if utf16_len(escaped) <= budget:
        return escaped
    if budget <= 1:
        return ""
    lo, hi = 0, len(text)
    while lo < hi:  # the longest raw prefix whose escaped form + '…' fits
        mid = (lo + hi + 1) // 2
        if utf16_len(html.escape(text[:mid])) + 1 <= budget:
            lo = mid
        else:
            hi = mid - 1
    cut = text[:lo]
    space = cut.rfind(" ")
    if space > lo * 0.6:
        cut = cut[:space]
    return html.escape(cut.rstrip(" ,،;؛:-")) + "…"


def _item_text(item: Any) -> str:
    text = (getattr(item, "text", "") or "").strip()
    quotes = [q.strip() for q in getattr(item, "quotes", ()) or () if q and q.strip()]
    if not text and quotes:
        return " … ".join(f"«{q}»" for q in quotes)
    missing = [q for q in quotes if q not in text]
    if missing and len(text) < 600:
        text += "\n" + " … ".join(f"«{q}»" for q in missing)
    return text


def sources_line(items: Sequence[Any], lang: str) -> str:
    """``🗞 Also reported by: BBC Arabic (AR), Reuters (EN) +2``: the other outlets that carried the items'
    statements (``item.sources``: ``(name, language)`` pairs, the first item's own outlet left out); empty
    when there are none."""
    first = (getattr(items[0], "outlet", "") or "").strip() if items else ""
    others: list[tuple[str, str]] = []
    for item in items:
        for name, source_lang in getattr(item, "sources", ()) or ():
            if name and name != first and (name, source_lang) not in others:
                others.append((name, source_lang))
    if not others:
        return ""
    shown = [f"{html.escape(name)} ({html.escape((code or '?').upper())})" for name, code in others[:MAX_SOURCES]]
    more = f" +{len(others) - MAX_SOURCES}" if len(others) > MAX_SOURCES else ""
    return f"🗞 {LABELS['also'][lang]}: " + ("، " if lang == "ar" else ", ").join(shown) + more


def render_push(bundle: Any, lang: str = "en", tz: Any = None) -> str:
    """The push message for ``bundle`` (``speaker`` and ``items``: cluster id, speaker, person, reaction,
    text, quotes, title, url, outlet, published_at, first_seen_at) in ``lang`` ('ar' or 'en'), with times
    in the timezone ``tz`` (an IANA name such as ``Asia/Riyadh`` or a tzinfo; None, UTC or an unknown
    name: UTC).

    :returns: Telegram HTML of at most 4,096 characters.
    """
    lang = "ar" if lang == "ar" else "en"
    items: Sequence[Any] = tuple(getattr(bundle, "items", ()) or ())
    speaker_id = getattr(bundle, "speaker", "") or (items[0].speaker if items else "")
    flag, name = speaker_label(speaker_id, lang)
    shown, hidden = items[:MAX_ITEMS], max(0, len(items) - MAX_ITEMS)

    persons = list(dict.fromkeys(person_label(getattr(i, "person", None), lang) for i in shown))
    persons = [p for p in persons if p]
    head = f"{flag} <b>{html.escape(name)}</b>" if flag else f"<b>{html.escape(name)}</b>"
    if persons:
        head += " · " + html.escape("، ".join(persons) if lang == "ar" else ", ".join(persons))

    def reaction_line(item: Any) -> str:
        reaction = getattr(item, "reaction", None) or "statement"
        return f"{REACTION_ICONS.get(reaction, '💬')} <b>{html.escape(reaction_label(reaction, lang))}</b>"

    first = items[0] if items else None
    footer: list[str] = []
    if first is not None:
        outlet = (getattr(first, "outlet", "") or "").strip()
        url = safe_url((getattr(first, "url", "") or "").strip())
        title = (getattr(first, "title", "") or "").strip()
        source_name = outlet or LABELS["link"][lang]
        if url:
            source = f'<a href="{html.escape(url, quote=True)}">{html.escape(source_name)}</a>'
        else:
            source = html.escape(source_name)
        line = f"📰 {source}"
        if title:
            line += ": " + _shorten(title, 300)
        footer.append(line)
        also = sources_line(items, lang)
        if also:
            footer.append(also)
        when = time_label(getattr(first, "published_at", None) or getattr(first, "first_seen_at", None), lang, tz)
        if when:
            footer.append(f"🕒 {html.escape(when)}")
    if hidden:
        footer.insert(0, "➕ " + html.escape(LABELS["more"][lang].format(n=hidden)))

    # Fixed parts first, then the statements share what is left of the budget.
    blocks = [(reaction_line(item), _item_text(item)) for item in shown]
    fixed = utf16_len(head) + sum(utf16_len(r) + len("\n<blockquote></blockquote>\n") for r, _t in blocks)
    fixed += sum(utf16_len(f) + 1 for f in footer) + 2
    remaining = max(0, BUDGET - fixed)
    body: list[str] = [head]
    for index, (reaction, text) in enumerate(blocks):
        share = remaining // (len(blocks) - index)
        escaped = _shorten(text, share) if text else ""
        remaining -= utf16_len(escaped)
        body.append(reaction)
        if escaped:
            body.append(f"<blockquote>{escaped}</blockquote>")
    message = "\n".join(body + [""] + footer if footer else body)
    if utf16_len(message) > MAX_LENGTH:  # cannot happen with sane inputs; never send an invalid message
        message = head + "\n" + _shorten(" ".join(t for _r, t in blocks), MAX_LENGTH - utf16_len(head) - 200)
    return message


# --- grouped messages: a late queue's pending statements for one chat, together --------------------------

GROUPED_TEXT = 500  # UTF-16 units of one statement's text in a grouped message
GROUPED_TITLE = 140
GROUPED_LABELS: dict[str, dict[str, str]] = {
    "head": {"en": "{n} statements, sent together while many pushes wait",
             "ar": "تصريحات جديدة ({n})، مجمّعة لكثرة الرسائل المنتظرة"},
    "page": {"en": "part {i} of {n}", "ar": "الجزء {i} من {n}"},
}


def _grouped_item(item: Any, lang: str, tz: Any, text_budget: int) -> str:
    """One statement of a grouped message: reaction, person, text, outlet with link and title, time."""
    reaction = getattr(item, "reaction", None) or "statement"
    line = f"{REACTION_ICONS.get(reaction, '💬')} <b>{html.escape(reaction_label(reaction, lang))}</b>"
    person = person_label(getattr(item, "person", None), lang)
    if person:
        line += " · " + html.escape(person)
    parts = [line]
    text = _item_text(item)
    if text and text_budget > 0:
        escaped = _shorten(text, text_budget)
        if escaped:
            parts.append(f"<blockquote>{escaped}</blockquote>")
    outlet = (getattr(item, "outlet", "") or "").strip() or LABELS["link"][lang]
    url = safe_url((getattr(item, "url", "") or "").strip())
    source = _shorten(outlet, 100)
    if url and len(url) <= 1000:
        source = f'<a href="{html.escape(url, quote=True)}">{source}</a>'
    source_line = f"📰 {source}"
    title = (getattr(item, "title", "") or "").strip()
    if title:
        source_line += ": " + _shorten(title, GROUPED_TITLE)
    when = time_label(getattr(item, "published_at", None) or getattr(item, "first_seen_at", None), lang, tz)
    if when:
        source_line += f" · 🕒 {html.escape(when)}"
    parts.append(source_line)
    return "\n".join(parts)


def render_grouped(items: Sequence[Any], lang: str = "en", tz: Any = None) -> list[tuple[str, tuple[int, ...]]]:
    """Several statements for one chat in as few messages as Telegram's 4,096 characters allow, grouped
    by speaker (speakers in the order of their first statement, each speaker's statements in the given
    order): what the sender sends instead of one push per article when the queue is late.

    :param items: :class:`storage.outbox.PushItem`-like objects (``cluster_id``, ``speaker``, ``reaction``,
        ``person``, ``text``, ``quotes``, ``title``, ``url``, ``outlet``, ``published_at``).
    :returns: ``(html, cluster ids it shows)`` per message, every item in exactly one message; empty when
        there are no items.
    """
    lang = "ar" if lang == "ar" else "en"
    by_speaker: dict[str, list[Any]] = {}
    for item in items:
        by_speaker.setdefault(getattr(item, "speaker", "") or "", []).append(item)
    total = sum(len(group) for group in by_speaker.values())
    if not total:
        return []
    head_room = 160  # the page header is written last, when the number of pages is known
    budget = BUDGET - head_room
    pages: list[tuple[list[str], list[int]]] = []
    lines: list[str] = []
    ids: list[int] = []
    used = 0
    for speaker, group in by_speaker.items():
        flag, name = speaker_label(speaker, lang)
        title = f"{flag} <b>{html.escape(name)}</b>" if flag else f"<b>{html.escape(name)}</b>"
        for index, item in enumerate(group):
            block = _grouped_item(item, lang, tz, GROUPED_TEXT)
            need = utf16_len(block) + 2 + (utf16_len(title) + 2 if index == 0 or not lines else 0)
            if lines and used + need > budget:  # this page is full: the next one repeats the speaker
                pages.append((lines, ids))
                lines, ids, used = [], [], 0
                need = utf16_len(block) + 2 + utf16_len(title) + 2
            if need > budget:  # one item alone too long (a huge URL or title): its text gives way
                block = _grouped_item(item, lang, tz, max(0, GROUPED_TEXT - (need - budget)))
                need = utf16_len(block) + 2 + utf16_len(title) + 2
            if index == 0 or not lines:
                lines.append(title)
            lines.append(block)
            ids.append(int(item.cluster_id))
            used += need
    pages.append((lines, ids))
    out = []
    for number, (page_lines, page_ids) in enumerate(pages, start=1):
        head = "🗂 <b>" + html.escape(GROUPED_LABELS["head"][lang].format(n=total)) + "</b>"
        if len(pages) > 1:
            head += " · " + html.escape(GROUPED_LABELS["page"][lang].format(i=number, n=len(pages)))
        out.append(("\n\n".join([head, *page_lines]), tuple(page_ids)))
    return out
