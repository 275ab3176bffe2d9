"""/sources: which source languages a chat receives (Arabic, English or both), separately from its interface
language (/language), as a command with an argument or a keyboard of three buttons (``src:ar``, ``src:en``,
``src:both``). In groups only administrators may change it (the same check as /subscribe). Pushes, /latest and
the digest honour the choice (``storage.languages``); a cluster reported in both languages is shown in the
chat's only source language, or, with both, in its interface language.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import render
from bot.handlers import Feature
from bot.i18n import t
from storage import chats
from storage.languages import SOURCES

CALLBACK_PREFIX = "src:"
ALIASES = {
    "ar": "ar", "arabic": "ar", "عربي": "ar", "العربية": "ar", "عربية": "ar",
    "en": "en", "english": "en", "إنجليزي": "en", "الإنجليزية": "en", "انجليزي": "en", "الانجليزية": "en",
    "both": "both", "all": "both", "ar+en": "both", "en+ar": "both", "كلاهما": "both", "الكل": "both",
    "اللغتان": "both",
}


def keyboard(sources: str, lang: str) -> InlineKeyboardMarkup:
    """One button per choice, the current one ticked."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(("✅ " if choice == sources else "") + t(f"sources_{choice}", lang),
                             callback_data=CALLBACK_PREFIX + choice) for choice in SOURCES]])


def describe(sources: str, lang: str) -> str:
    return t("sources_current", lang, choice=t(f"sources_{sources}", lang))


class SourcesCommand(Feature):
    """The /sources command and its buttons, over the bot's :class:`bot.handlers.Handlers`."""

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/sources [ar|en|both]: without an argument, the current choice and the keyboard."""
        h = self.handlers
        chat = await h.chat_of(update)
        lang = chat.lang
        args = [a.lower() for a in context.args or []]
        if not args:
            await h.reply(update, describe(chat.sources, lang) + "\n" + t("sources_help", lang), lang,
                          reply_markup=keyboard(chat.sources, lang))
            return
        if len(args) != 1 or args[0] not in ALIASES:
            await h.reply(update, t("usage_sources", lang), lang)
            return
        if await h.refuse_non_group_admin(update, context, lang):
            return
        await h.store.write(chats.set_sources, chat.id, ALIASES[args[0]])
        await h.reply(update, t("sources_set", lang, choice=t(f"sources_{ALIASES[args[0]]}", lang)), lang)

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A tap on the keyboard: set the choice and tick it."""
        h = self.handlers
        query = update.callback_query
        assert query is not None
        chat = await h.chat_of(update)
        if await h.refuse_tap(update, context, chat.lang):
            return
        choice = (query.data or "").removeprefix(CALLBACK_PREFIX)
        if choice not in SOURCES:
            await query.answer()
            return
        await h.store.write(chats.set_sources, chat.id, choice)
        await query.answer(t("sources_set", chat.lang, choice=t(f"sources_{choice}", chat.lang)))
        try:
            await query.edit_message_text(
                render.rtl(describe(choice, chat.lang) + "\n" + t("sources_help", chat.lang), chat.lang),
                reply_markup=keyboard(choice, chat.lang))
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():  # the same choice tapped again: nothing to change
                raise
