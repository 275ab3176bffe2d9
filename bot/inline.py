"""Inline mode: ``@bot words`` in any chat lists the statements whose text holds every word, newest first, as
inline results; choosing one posts its card (the push formatter's message: speaker, person, reaction, the
words, the outlet with the source link, the date) in that chat, "via @bot".

Leading words that name a speaker narrow the search to it (``@bot pentagon Hasakah``); no words at all list the
newest statements. What a user types is only ever data: it becomes quoted FTS5 strings (operators and column
filters are plain words), never SQL or HTML. Queries longer than :data:`MAX_QUERY` characters are cut. A query
without any match answers with no results and a button that opens a private chat with the bot. Results are in
the user's Telegram language and, for a statement reported in both languages, show the report in that language.
Pages of :data:`PAGE` results follow one another through Telegram's ``next_offset``.

Enable it with @BotFather: ``/setinline`` (and optionally ``/setinlinefeedback``).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot import push_format
from bot.handlers import Feature
from bot.i18n import lang_of, t
from storage import outbox, search

log = logging.getLogger(__name__)

PAGE = 20  # results per answer (Telegram allows 50)
MAX_QUERY = 200
MAX_OFFSET = 1000  # deeper pages are not offered
CACHE_SECONDS = 30
DESCRIPTION = 200
_SPACE = re.compile(r"\s+")


def _offset(value: str | None) -> int:
    try:
        offset = int(value or 0)
    except ValueError:
        return 0
    return offset if 0 <= offset <= MAX_OFFSET else 0


def result_for(item: outbox.PushItem, lang: str) -> InlineQueryResultArticle:
    """One inline result: title ``speaker · person``, description ``date · words``, the card as its message."""
    flag, name = push_format.speaker_label(item.speaker, lang)
    person = push_format.person_label(item.person, lang)
    title = " · ".join(p for p in (f"{flag} {name}".strip(), person) if p)
    when = (item.published_at or item.first_seen_at or "")[:10]
    description = push_format.shorten_plain(f"{when} · {item.text}" if when else item.text, DESCRIPTION)
    card = push_format.render_push(outbox.PushBundle(item.speaker, (item,)), lang)
    url = push_format.safe_url(item.url)
    return InlineQueryResultArticle(
        id=f"c{item.cluster_id}", title=push_format.shorten_plain(title, 120), description=description, url=url,
        input_message_content=InputTextMessageContent(
            card, parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))


class InlineSearch(Feature):
    """The inline query handler, over the bot's :class:`bot.handlers.Handlers` (database, speaker names)."""

    def parse(self, query: str) -> tuple[list[str], str]:
        """(speakers named by the leading words, the remaining words)."""
        words = _SPACE.sub(" ", (query or "")[:MAX_QUERY]).strip().split(" ")
        words = [w for w in words if w]
        speakers, rest = self.handlers.parse_speakers(words)
        return speakers, " ".join(rest)

    @staticmethod
    def find(db: Any, words: str, speakers: list[str], offset: int, lang: str) -> tuple[search.Page, dict]:
        """One page of matching clusters and their items (one database call)."""
        page = search.find_clusters(db, words, speakers=speakers or None, limit=PAGE, offset=offset)
        return page, outbox.load_items(db, page.cluster_ids, prefer=lang)

    async def answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        inline = update.inline_query
        assert inline is not None
        lang = lang_of(inline.from_user.language_code if inline.from_user else None)
        speakers, words = self.parse(inline.query)
        offset = _offset(inline.offset)
        page, items = await self.handlers.store.read(self.find, words, speakers, offset, lang)
        results = [result_for(items[i], lang) for i in page.cluster_ids if i in items]
        next_offset = str(offset + PAGE) if page.more and offset + PAGE <= MAX_OFFSET else None
        button = None
        if not results and not offset:
            button = InlineQueryResultsButton(text=t("inline_nothing", lang), start_parameter="inline")
        await inline.answer(results, cache_time=CACHE_SECONDS, is_personal=False, next_offset=next_offset,
                            button=button)
