"""Pure formatting of the bot's boards (Telegram HTML): /start and /help, /latest, /who, the digest,
/status, and :func:`split_html`, which cuts long HTML at line boundaries into messages that fit Telegram's
4,096-character limit without breaking a tag or an entity.

Every inserted value goes through :func:`esc`. Nothing here touches Telegram or the database.
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from bot.i18n import RLM, t
from bot.push_format import (  # noqa: F401 - Names
    Names,
    SpeakerName,
    reaction_label,
    safe_url,
    shorten_plain,
    time_label,
)
from storage.feeds import RETRY_NOW
from storage.outbox import COUNT_CAP

# and SpeakerName live with the other labels in bot.push_format (the one formatter); render.Names still works

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


def format_time(value: str | None, tz: str = "UTC", lang: str = "en") -> str:
    """Database UTC text as the pushes show times (:func:`bot.push_format.time_label`): ``2022-01-22 18:05 UTC``,
    or in the zone ``tz``: ``2022-01-22 21:05 +03``."""
    return time_label(value, lang, tz)


def _shorten(text: str, limit: int = QUOTE_MAX) -> str:
    return shorten_plain(text, limit)


def links(articles: Sequence[Any], lang: str, limit: int = MAX_LINKS) -> str:
    """``Carried by: <a>Outlet</a> (AR), <a>Outlet</a> (EN) (+2)``: which outlets carried the statement, in
    which language (the clusters of /latest, /who and the digest list every report's outlet)."""
    seen: list[str] = []
    parts = []
    for article in articles:
        url = safe_url(article.url)
        key = url or article.outlet
        if key in seen:
            continue
        seen.append(key)
        label = esc(article.outlet or url or "?")
        code = (getattr(article, "lang", "") or "").upper()  # the language it carried it in, as pushes say
        suffix = f" ({esc(code)})" if code in ("AR", "EN") else ""
        parts.append((f'<a href="{esc(url)}">{label}</a>' if url else label) + suffix)
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
    head.append(f"<i>{esc(reaction_label(view.reaction, lang))}</i>")
    lines = [" · ".join(head), f"«{esc(_shorten(view.text))}»"]
    carried = links(view.articles, lang)
    if carried:
        lines.append(carried)
    lines.append(f"🕒 {esc(format_time(view.when, tz, lang))}")
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
           limit: int = TELEGRAM_LIMIT, blocks: dict[tuple, str] | None = None) -> list[str]:
    """The daily digest: per speaker, the day's statements with links, split into messages.

    :param blocks: statements already rendered for other digests (by the view, language and timezone, which
        decide a block), kept by the caller between digests of a round: chats following different mixes of
        speakers share each speaker's blocks.
    """
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
        if blocks is None:
            rendered = [cluster_block(v, lang, names, tz, with_speaker=False) for v in items]
        else:
            rendered = []
            for view in items:
                key = (view, lang, tz)
                if (block := blocks.get(key)) is None:
                    block = blocks[key] = cluster_block(view, lang, names, tz, with_speaker=False)
                rendered.append(block)
        sections.append(f"<b>{esc(names.speaker(speaker, lang))}</b> ({len(items)})\n\n" + "\n\n".join(rendered))
    return split_html(rtl(title + "\n\n" + "\n\n".join(sections), lang), limit)


def capped(count: int) -> str:
    """A delivery count as counted up to :data:`storage.outbox.COUNT_CAP`: ``100000+`` at the cap."""
    return f"{count}+" if count >= COUNT_CAP else str(count)


def status(view: Any, lang: str, loop: Any = None) -> str:
    """/status. ``loop``: the event loop's stalls (``bot.stalls.LoopStats``), when measured."""
    never = t("never", lang)
    body = t("status_body", lang, feeds=view.feeds, failing=len(view.failing),
             last_poll=esc(format_time(view.last_poll) or never),
             last_success=esc(format_time(view.last_success) or never), pending=capped(view.outbox_pending),
             failed=capped(view.outbox_failed), chats=view.chats, subscribers=view.subscribers,
             subscriptions=view.subscriptions, recent=view.clusters_24h)
    text = t("status_title", lang) + "\n" + body
    if loop is not None:
        text += "\n" + t("status_loop", lang, max=f"{loop.max_ms:.0f}", p99=f"{loop.p99_ms:.0f}",
                          over=loop.over_threshold, threshold=f"{loop.threshold_ms:.0f}")
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


_TAG_ONLY = re.compile(r"<[^<>]*>")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_WS = ("\n", " ", "\t")


class _Markup:
    """Where the tags and entities of a text are, and the open-tag stack after each, so that positions can be
    judged without walking the text one character at a time."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.extra = [0]  # characters beyond one per token before each markup (token index = position - extra)
        self.stacks: list[tuple[tuple[str, str], ...]] = []  # the open tags after each markup
        self.closing: list[int] = []  # the length of the closing tags of each of those stacks
        self.astral = [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []
        # the UTF-16 position of each markup's start and end (astral characters count twice)
        self.u16_starts: list[int] = []
        self.u16_ends: list[int] = []
        stack: list[tuple[str, str]] = []
        now: tuple[tuple[str, str], ...] = ()
        closing = extra = 0
        astral, before_start, before_end = self.astral, 0, 0
        starts, ends, extras = self.starts.append, self.ends.append, self.extra.append
        stacks, closings = self.stacks.append, self.closing.append
        u16_starts, u16_ends = self.u16_starts.append, self.u16_ends.append
        for m in _TOKEN.finditer(text):
            start, end = m.span()
            starts(start)
            ends(end)
            extra += end - start - 1
            extras(extra)
            if astral:
                while before_start < len(astral) and astral[before_start] < start:
                    before_start += 1
                while before_end < len(astral) and astral[before_end] < end:
                    before_end += 1
            u16_starts(start + before_start)
            u16_ends(end + before_end)
            name = m.group(2)
            if name:  # a tag (else an entity, which leaves the stack as it is)
                name = name.lower()
                if m.group(1):
                    for k in range(len(stack) - 1, -1, -1):
                        if stack[k][0] == name:
                            del stack[k:]
                            closing = sum(len(open_name) + 3 for open_name, _ in stack)
                            break
                else:
                    stack.append((name, m.group(0)))
                    closing += len(name) + 3
                now = tuple(stack)
            stacks(now)
            closings(closing)  # len(_closers(now))

    def u16(self, pos: int) -> int:
        """UTF-16 units before character ``pos``."""
        return pos + bisect.bisect_left(self.astral, pos) if self.astral else pos

    def token(self, pos: int) -> int:
        """The token index of a token boundary at character ``pos``."""
        return pos - self.extra[bisect.bisect_right(self.ends, pos)]

    def inside(self, pos: int) -> bool:
        """Whether ``pos`` falls inside a tag or an entity (not at its start)."""
        k = bisect.bisect_right(self.starts, pos) - 1
        return k >= 0 and self.starts[k] < pos < self.ends[k]

    def stack_at(self, pos: int) -> tuple[tuple[str, str], ...]:
        """The open tags after every token that ends at or before ``pos``."""
        k = bisect.bisect_right(self.ends, pos) - 1
        return self.stacks[k] if k >= 0 else ()

    def closing_at(self, pos: int) -> int:
        """``len(_closers(self.stack_at(pos)))``."""
        k = bisect.bisect_right(self.ends, pos) - 1
        return self.closing[k] if k >= 0 else 0

    def token_end(self, pos: int) -> int:
        k = bisect.bisect_right(self.starts, pos) - 1
        return self.ends[k] if k >= 0 and self.starts[k] == pos else pos + 1

    def last(self, low: int, high: int, good: Callable[[int], bool], chars: str) -> int:
        """The last token boundary in ``(low, high]`` whose character is one of ``chars`` and passes ``good``; -1."""
        text = self.text
        pos = high
        while pos > low:
            found = max(text.rfind(c, low + 1, pos + 1) for c in chars)
            if found <= low:
                return -1
            if not self.inside(found) and good(found):
                return found
            pos = found - 1
        return -1


def _closers(stack: tuple[tuple[str, str], ...]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _drop_huge_tags(text: str, limit: int) -> str:
    """Remove each opening tag too long to share a message with text (more than a quarter of ``limit``, such
    as a link to a 4,000-character address), with its closing tag; its text stays."""
    # (a tag over limit // 4 UTF-16 units has over limit // 8 characters: most texts have none, told by one search)
    if not re.search(f"<[^<>]{{{max(0, limit // 8 - 1)},}}>", text):
        return text
    huge = [m for m in _TOKEN.finditer(text) if m.group(2) and not m.group(1) and _u16(m.group(0)) > limit // 4]
    if not huge:
        return text
    drop: set[int] = set()
    stack: list[tuple[str, int, bool]] = []
    for m in _TOKEN.finditer(text):
        if not m.group(2):
            continue
        name = m.group(2).lower()
        if not m.group(1):
            big = _u16(m.group(0)) > limit // 4
            stack.append((name, m.start(), big))
            if big:
                drop.add(m.start())
            continue
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == name:
                if stack[k][2]:
                    drop.add(m.start())
                del stack[k:]
                break
    return _TOKEN.sub(lambda m: "" if m.start() in drop else m.group(0), text)


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split Telegram HTML into parts of at most ``limit`` UTF-16 code units (Telegram counts those).

    Parts end at a paragraph break if possible, else a line break, else a space, else anywhere between
    two characters; never inside a tag or an entity (``&amp;``). Tags open at a cut are closed at the end
    of the part and reopened, with their attributes, at the start of the next one. Line breaks at a cut are
    dropped. Unbalanced closing tags are kept as they are. A part with no visible text (only tags) is never
    produced: Telegram refuses an empty message. An opening tag longer than a quarter of ``limit`` (a link to
    an address of thousands of characters) is dropped with its closing tag, keeping its text, since it could
    not share a message with that text.

    The text is judged by the positions of its tags and entities (bisection over them), not character by
    character: the cuts are those of a token-by-token greedy fill.
    """
    if _u16(text) <= limit:
        return [text] if text and _TAG_ONLY.sub("", text).strip() else []
    text = _drop_huge_tags(text, limit)
    if _u16(text) <= limit:
        return [text] if _TAG_ONLY.sub("", text).strip() else []
    mk = _Markup(text)
    n = len(text)
    starts, ends = mk.starts, mk.ends
    parts: list[str] = []
    pos = 0
    opened: tuple[tuple[str, str], ...] = ()
    while pos < n:
        prefix = "".join(tag for _, tag in opened)
        room = limit - _u16(prefix)
        base = mk.u16(pos)
        # Greedy fill: the first token that does not fit (with the closing tags open after it) stops the part.
        stop = n  # character position of that token; n when the rest fits
        k = bisect.bisect_left(starts, pos)
        run_start = pos
        closing = mk.closing_at(pos)  # the length of the closing tags open at run_start
        u16_starts, u16_ends, u16_n = mk.u16_starts, mk.u16_ends, mk.u16(n)
        while True:
            run_end = starts[k] if k < len(starts) else n
            if run_end > run_start:  # plain characters: the stack and its closing tags are constant
                budget = room - closing
                if (u16_starts[k] if k < len(starts) else u16_n) - base > budget:
                    span = range(run_start + 1, run_end + 1)
                    stop = span[bisect.bisect_right(span, budget + base, key=mk.u16)] - 1
                    break
            if k >= len(starts):
                break
            after = mk.closing[k]
            if u16_ends[k] - base + after > room:
                stop = starts[k]
                break
            closing = after
            run_start = ends[k]
            k += 1
        if stop == n:
            cut = n
        else:
            first, last = mk.token(pos), mk.token(stop)
            floor = first + max(1, (last - first) // 3)
            cut = -1
            if stop > pos:
                for pick in (
                    mk.last(pos, stop, lambda p: text.startswith("\n\n", p), "\n"),
                    mk.last(pos, stop, lambda p: not text.startswith("\n\n", p), "\n"),
                    mk.last(pos, stop, lambda p: True, " \t"),
                ):
                    if pick >= 0 and mk.token(pick) >= floor:
                        cut = pick
                        break
            if cut < 0:
                any_cut = stop
                while any_cut > pos and not mk.inside(any_cut) and text[any_cut] in _WS:
                    any_cut -= 1
                if any_cut > pos and mk.inside(any_cut):
                    any_cut = starts[bisect.bisect_right(starts, any_cut) - 1]
                cut = any_cut if any_cut > pos else (stop if stop > pos else mk.token_end(pos))
        body = text[pos:cut]
        end_stack = mk.stack_at(cut)
        if _TAG_ONLY.sub("", body).strip():
            parts.append(prefix + body + _closers(end_stack))
        opened = end_stack
        pos = cut
        while pos < n and text[pos] in _WS:
            pos += 1
    return parts
