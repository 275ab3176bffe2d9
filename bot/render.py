"""Pure formatting of the bot's boards (Telegram HTML): /start and /help, /latest, /who, the digest,
/status, and :func:`split_html`, which cuts long HTML at line boundaries into messages that fit Telegram's
4,096-character limit without breaking a tag or an entity.

Every inserted value goes through :func:`esc`. Nothing here touches Telegram or the database.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import RLM, reaction_name, t

TELEGRAM_LIMIT = 4096
QUOTE_MAX = 500
MAX_LINKS = 5


def esc(value: object) -> str:
    """Escape a value for Telegram HTML (text and attribute values alike)."""
    return html.escape(str(value), quote=True)


def rtl(text: str, lang: str) -> str:
    """Start every line of an Arabic message with a right-to-left mark so it reads right to left even
    when a line begins with a command, a number or a Latin name."""
    if lang != "ar":
        return text
    return "\n".join(RLM + line if line and not line.startswith(RLM) else line for line in text.split("\n"))


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


def format_time(value: str | None, tz: str = "UTC") -> str:
    """Database UTC text -> ``2022-01-22 18:05 UTC`` (in ``tz`` when given)."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        zone = ZoneInfo(tz)
    except (KeyError, ValueError):
        zone, tz = ZoneInfo("UTC"), "UTC"
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M ") + (tz if tz != "UTC" else "UTC")


def _shorten(text: str, limit: int = QUOTE_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _safe_url(url: str | None) -> str | None:
    return url if url and url.lower().startswith(("http://", "https://")) else None


def links(articles: Sequence[Any], lang: str, limit: int = MAX_LINKS) -> str:
    """``Carried by: <a>Outlet</a>, <a>Outlet</a> (+2)``: which outlets carried the statement."""
    seen: list[str] = []
    parts = []
    for article in articles:
        url = _safe_url(article.url)
        key = url or article.outlet
        if key in seen:
            continue
        seen.append(key)
        label = esc(article.outlet or url or "?")
        parts.append(f'<a href="{esc(url)}">{label}</a>' if url else label)
    if not parts:
        return ""
    more = f" (+{len(parts) - limit})" if len(parts) > limit else ""
    return f"{t('carried_by', lang)}: " + "، ".join(parts[:limit]) + more if lang == "ar" else \
        f"{t('carried_by', lang)}: " + ", ".join(parts[:limit]) + more


def cluster_block(view: Any, lang: str, names: Names, tz: str = "UTC", with_speaker: bool = True) -> str:
    """One statement: speaker, person, reaction type, the statement, the outlets that carried it, time."""
    head = []
    if with_speaker:
        head.append(f"<b>{esc(names.speaker(view.speaker, lang))}</b>")
    person = names.person(view.person, lang)
    if person:
        head.append(esc(person))
    head.append(f"<i>{esc(reaction_name(view.reaction, lang))}</i>")
    lines = [" · ".join(head), f"«{esc(_shorten(view.text))}»"]
    carried = links(view.articles, lang)
    if carried:
        lines.append(carried)
    lines.append(f"🕒 {esc(format_time(view.when, tz))}")
    return "\n".join(lines)


def help_text(names: Names, lang: str, admin: bool = False) -> str:
    speakers = "\n".join(t("speaker_line", lang, flag=esc(s.flag), name=esc(s.name(lang)), id=esc(s.id))
                         for s in names.speakers.values())
    text = t("help", lang, speakers=speakers)
    if admin:
        text += t("help_admin", lang)
    return rtl(text, lang)


def latest(views: Sequence[Any], lang: str, names: Names, speaker: str | None = None, tz: str = "UTC") -> str:
    title = (t("latest_title_speaker", lang, name=esc(names.speaker(speaker, lang))) if speaker
             else t("latest_title", lang))
    if not views:
        return rtl(f"{title}\n\n{t('nothing_yet', lang)}", lang)
    blocks = [cluster_block(v, lang, names, tz) for v in views]
    return rtl(title + "\n\n" + "\n\n".join(blocks), lang)


def who_board(rows: Sequence[Any], lang: str, names: Names, tz: str = "UTC") -> str:
    parts = [t("who_title", lang)]
    for row in rows:
        lines = [f"<b>{esc(names.speaker(row.speaker, lang))}</b>: "
                 f"{t('who_counts', lang, day=row.last_24h, week=row.last_7d)}"]
        if row.latest is not None:
            lines.append(t("who_latest", lang) + " " + cluster_block(row.latest, lang, names, tz, with_speaker=False))
        else:
            lines.append(t("who_none", lang))
        parts.append("\n".join(lines))
    return rtl("\n\n".join(parts), lang)


def who_topic(topic: str, results: Sequence[Any], lang: str, names: Names, tz: str = "UTC") -> str:
    topic_html = esc(_shorten(topic, 100))
    reacted = [r for r in results if r.match is not None]
    silent = [r for r in results if r.match is None]
    if not reacted:
        return rtl(t("who_nobody", lang, topic=topic_html), lang)
    parts = [t("who_topic_title", lang, topic=topic_html), t("who_reacted", lang)]
    for r in reacted:
        parts.append(cluster_block(r.match, lang, names, tz) +
                     (f"\n({t('matches', lang, n=r.matches)})" if r.matches > 1 else ""))
    if silent:
        parts.append(t("who_not_reacted", lang) + "\n" +
                     "\n".join(f"• {esc(names.speaker(r.speaker, lang))}" for r in silent))
    return rtl("\n\n".join(parts), lang)


def digest(day: str, views: Sequence[Any], lang: str, names: Names, tz: str = "UTC",
           limit: int = TELEGRAM_LIMIT) -> list[str]:
    """The daily digest: per speaker, the day's statements with links, split into messages."""
    title = t("digest_title", lang, day=esc(day))
    if not views:
        return [rtl(f"{title}\n\n{t('digest_empty', lang)}", lang)]
    by_speaker: dict[str, list[Any]] = {}
    for view in views:
        by_speaker.setdefault(view.speaker, []).append(view)
    order = [s for s in names.speakers if s in by_speaker] + [s for s in by_speaker if s not in names.speakers]
    sections = []
    for speaker in order:
        items = by_speaker[speaker]
        blocks = [cluster_block(v, lang, names, tz, with_speaker=False) for v in items]
        sections.append(f"<b>{esc(names.speaker(speaker, lang))}</b> ({len(items)})\n\n" + "\n\n".join(blocks))
    return split_html(rtl(title + "\n\n" + "\n\n".join(sections), lang), limit)


def status(view: Any, lang: str) -> str:
    never = t("never", lang)
    body = t("status_body", lang, feeds=view.feeds, failing=len(view.failing),
             last_poll=esc(format_time(view.last_poll) or never),
             last_success=esc(format_time(view.last_success) or never), pending=view.outbox_pending,
             failed=view.outbox_failed, chats=view.chats, subscribers=view.subscribers,
             subscriptions=view.subscriptions, recent=view.clusters_24h)
    text = t("status_title", lang) + "\n" + body
    if view.failing:
        lines = [t("status_failing_line", lang, name=esc(f.name or f.url), failures=f.consecutive_failures,
                   error=esc(_shorten(f.last_error or str(f.last_status or "?"), 200)),
                   when=esc(format_time(f.last_error_at) or "?"))
                 + t("status_next_try", lang, next=esc(_next_try(getattr(f, "next_poll_at", None), lang)))
                 for f in view.failing]
        text += ("\n\n" + t("status_failing", lang) + "\n" + "\n".join(lines) + "\n"
                 + t("status_retry_hint", lang))
    return rtl(text, lang)


def _next_try(next_poll_at: str | None, lang: str) -> str:
    """A failing feed's next try: "now" when due (or an operator asked), else its time."""
    from storage.feeds import RETRY_NOW

    if not next_poll_at or next_poll_at == RETRY_NOW or next_poll_at <= db_now():
        return t("now", lang)
    return format_time(next_poll_at)


def db_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def subscriptions(subs: Iterable[Any], lang: str, names: Names) -> str:
    lines = []
    for sub in subs:
        line = "• " + esc(names.speaker(sub.speaker, lang))
        if sub.keyword:
            line += t("subscription_keyword", lang, keyword=esc(sub.keyword))
        lines.append(line)
    if not lines:
        return rtl(t("no_subscriptions", lang), lang)
    return rtl(t("subscriptions", lang, lines="\n".join(lines)), lang)


# --- splitting ---------------------------------------------------------------------------------------

_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*)?>|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{1,10});",
                    re.DOTALL)


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _tokens(text: str) -> list[tuple[str, str | None, bool]]:
    """(token, tag name or None, closing?) for tags; entities and single characters have no name."""
    out: list[tuple[str, str | None, bool]] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        out.extend((ch, None, False) for ch in text[pos:m.start()])
        if m.group(2):
            out.append((m.group(0), m.group(2).lower(), bool(m.group(1))))
        else:
            out.append((m.group(0), None, False))
        pos = m.end()
    out.extend((ch, None, False) for ch in text[pos:])
    return out


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split Telegram HTML into parts of at most ``limit`` UTF-16 code units (Telegram counts those).

    Parts end at a paragraph break if possible, else a line break, else a space, else anywhere between
    two characters; never inside a tag or an entity (``&amp;``). Tags open at a cut are closed at the end
    of the part and reopened, with their attributes, at the start of the next one. Line breaks at a cut are
    dropped. Unbalanced closing tags are kept as they are.
    """
    if _u16(text) <= limit:
        return [text] if text else []
    tokens = _tokens(text)
    sizes = [_u16(tok) for tok, _, _ in tokens]
    # the open-tag stack after each token
    stacks: list[tuple[tuple[str, str], ...]] = []
    stack: list[tuple[str, str]] = []
    for tok, name, closing in tokens:
        if name is not None:
            if closing:
                for k in range(len(stack) - 1, -1, -1):
                    if stack[k][0] == name:
                        del stack[k:]
                        break
            else:
                stack.append((name, tok))
        stacks.append(tuple(stack))

    def closers(st: tuple[tuple[str, str], ...]) -> str:
        return "".join(f"</{name}>" for name, _ in reversed(st))

    parts: list[str] = []
    i, n = 0, len(tokens)
    opened: tuple[tuple[str, str], ...] = ()
    while i < n:
        prefix = "".join(tag for _, tag in opened)
        size = _u16(prefix)
        best = {0: -1, 1: -1, 2: -1, 3: -1}  # paragraph, line, space, any: the cut index (exclusive)
        j = i
        while j < n:
            st = stacks[j]
            if size + sizes[j] + _u16(closers(st)) > limit:
                break
            size += sizes[j]
            j += 1
            nxt = tokens[j][0] if j < n else ""
            if j == n:
                best[0] = j
                break
            if nxt == "\n":
                best[0 if j + 1 < n and tokens[j + 1][0] == "\n" else 1] = j
            elif nxt in (" ", "\t"):
                best[2] = j
            else:
                best[3] = j
        if j == n and best[0] == n:
            cut = n
        else:
            floor = i + max(1, (j - i) // 3)  # don't leave a part almost empty for a nicer break
            cut = next((best[k] for k in (0, 1, 2) if best[k] >= floor), -1)
            if cut < 0:
                cut = best[3] if best[3] > i else (j if j > i else i + 1)
        body = "".join(tok for tok, _, _ in tokens[i:cut])
        end_stack = stacks[cut - 1] if cut > 0 else ()
        part = prefix + body + closers(end_stack)
        if body.strip():
            parts.append(part)
        opened = end_stack
        i = cut
        while i < n and tokens[i][0] in ("\n", " ", "\t"):
            i += 1
    return parts
