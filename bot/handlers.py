"""Telegram command handlers: thin async functions that parse ``context.args``, call storage and the
renderers, and reply in HTML. Bad input gets a "Usage: …" reply.

The handlers are methods of :class:`Handlers`, which holds what they need (configuration, database,
display names); :func:`bot.app.build_application` registers them. No state lives in ``bot_data``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, ContextTypes

from bot import render
from bot.i18n import lang_of, t
from bot.stalls import StallMonitor
from config import Config, check_feed_url, check_timezone, parse_time
from feeds.addresses import PUBLIC, UNKNOWN, address_kind
from feeds.asyncdb import AsyncDB
from reactions import fold
from reactions.registry import Registry
from storage import chats, languages, queries
from storage import feeds as feed_store
from storage.errors import AlreadyExists, NotFound
from storage.models import FeedRow

log = logging.getLogger(__name__)

LATEST_DEFAULT = 5
LATEST_MAX = 20
WHO_DAYS = 7
GROUP_TYPES = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
GROUP_ADMIN_STATUSES = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})


class FeedURLRefused(ValueError):
    """A URL given to /addfeed that Raqib will not fetch (scheme, private address, unresolvable host)."""


async def check_public_url(url: str, allow_private: bool = False, *, timeout: float = 10.0) -> str:
    """Accept only http(s) URLs whose host resolves to public addresses (unless ``allow_private``).

    The check is :func:`feeds.addresses.address_kind` (the one the fetcher makes, within its resolve timeout):
    every address the host resolves to must be public, so a name that also resolves to 127.0.0.1 is refused.

    :raises FeedURLRefused: with a reason for the user.
    """
    try:
        url = check_feed_url(url)
    except ValueError:
        raise FeedURLRefused("only http:// and https:// URLs can be feeds") from None
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        raise FeedURLRefused("the URL has no host")
    if parts.username or parts.password:
        raise FeedURLRefused("URLs with a user name or password are not accepted")
    if allow_private:
        return url
    try:
        _ = parts.port  # raises ValueError for a port that is not a number in range
    except ValueError:
        raise FeedURLRefused("the URL's port is not valid") from None
    kind = await address_kind(url, timeout=timeout)
    if kind == UNKNOWN:
        raise FeedURLRefused(f"the host {host} cannot be resolved")
    if kind != PUBLIC:
        raise FeedURLRefused(f"{host} resolves to a private, loopback or link-local address")
    return url


class Handlers:
    """The bot's commands. ``registry`` is the speaker registry (``reactions.load_registry()``).

    Every storage call goes through ``store`` (:class:`feeds.asyncdb.AsyncDB`: in a database thread, off the
    event loop), by default the one kept with ``db``.
    """

    def __init__(self, config: Config, db: sqlite_utils.Database, registry: Registry, *,
                 on_feed_added: Callable[[Application, FeedRow], None] | None = None,
                 on_feed_removed: Callable[[Application, str], None] | None = None,
                 admins: tuple[int, ...] = (), store: AsyncDB | None = None) -> None:
        self.config = config
        self.admins = frozenset(config.telegram.admins) | frozenset(admins)
        self.db = db
        self.store = store or AsyncDB.of(db)
        self.stalls: StallMonitor | None = None  # the event loop's stall monitor, shown by /status when running
        self.registry = registry
        self.names = render.Names.from_registry(registry)
        self.on_feed_added = on_feed_added  # (application, FeedRow) -> None: schedule its job
        self.on_feed_removed = on_feed_removed  # (application, url) -> None: cancel its job

    # --- helpers -------------------------------------------------------------------------------------

    async def chat_of(self, update: Update) -> chats.Chat:
        """The chat row for this update (created on first contact, language from the user's Telegram). A known
        chat is only read (a reader thread: it works while another process holds the write lock)."""
        chat = update.effective_chat
        user = update.effective_user
        assert chat is not None
        title = chat.title or chat.username or chat.first_name or ""
        known = await self.store.read(chats.chat_by_id, chat.id)
        if known is not None and chats.is_current(known, chat.type, title):
            return known
        return await self.store.write(
            chats.ensure_chat, chat.id, chat.type, title, lang_of(user.language_code if user else None),
            self.config.digest.timezone, self.config.digest.time.strftime("%H:%M"))

    def is_admin(self, update: Update) -> bool:
        user = update.effective_user
        return user is not None and user.id in self.admins

    async def may_change_settings(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool | None:
        """Whether the sender may change this chat's subscriptions, digest or language.

        Private chats and channels: always. Groups and supergroups: the group's administrators and creator
        (``getChatMember``), anonymous administrators (a message sent as the group itself) and the bot's
        configured admins. :returns: True, False (not an administrator) or None (the check itself failed).
        """
        chat = update.effective_chat
        if chat is None or chat.type not in GROUP_TYPES or self.is_admin(update):
            return True
        message = update.message
        if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
            return True  # an anonymous administrator, posting as the group
        user = update.effective_user
        if user is None or (message is not None and message.sender_chat is not None):
            return False  # posted as a channel (a linked channel's forward, another chat): not a group admin
        try:
            member = await context.bot.get_chat_member(chat.id, user.id)
        except TelegramError:
            log.warning("could not check whether user %s administers chat %s", user.id, chat.id, exc_info=True)
            return None
        return member.status in GROUP_ADMIN_STATUSES

    async def refuse_non_group_admin(self, update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str) -> bool:
        """Reply with a polite refusal and return True when the sender may not change the group's settings."""
        allowed = await self.may_change_settings(update, context)
        if allowed:
            return False
        await self.reply(update, t("group_admin_only" if allowed is False else "group_admin_check_failed", lang),
                         lang)
        return True

    async def refuse_tap(self, update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str) -> bool:
        """For a keyboard tap: show the refusal as an alert and return True when the sender may not change the
        group's settings (:meth:`refuse_non_group_admin` for commands)."""
        query = update.callback_query
        assert query is not None
        allowed = await self.may_change_settings(update, context)
        if allowed:
            return False
        await query.answer(t("group_admin_only" if allowed is False else "group_admin_check_failed", lang),
                           show_alert=True)
        return True

    def resolve(self, name: str) -> str | None:
        """A tracked speaker id from an id or alias (either language), else None."""
        speaker = self.registry.resolve(name.strip())
        return speaker if speaker in self.names.speakers else None

    def parse_speakers(self, words: list[str]) -> tuple[list[str], list[str]]:
        """Leading words that name speakers (multi-word aliases allowed) -> (speaker ids, the other words)."""
        found: list[str] = []
        i = 0
        while i < len(words):
            for size in range(min(4, len(words) - i), 0, -1):
                speaker = self.resolve(" ".join(words[i:i + size]))
                if speaker:
                    if speaker not in found:
                        found.append(speaker)
                    i += size
                    break
            else:
                break
        return found, words[i:]

    def speaker_list(self, speakers: list[str], lang: str) -> str:
        sep = "، " if lang == "ar" else ", "
        return sep.join(render.esc(self.names.speaker(s, lang)) for s in speakers)

    def known(self) -> str:
        return ", ".join(sorted(self.names.speakers))

    @staticmethod
    async def reply(update: Update, text: str, lang: str = "en", **kwargs: Any) -> None:
        message = update.effective_message
        assert message is not None
        for part in render.split_html(render.rtl(text, lang)):
            await message.reply_text(part, parse_mode=ParseMode.HTML, **kwargs)
            kwargs.pop("reply_markup", None)

    async def keyboard(self, chat_id: int, lang: str) -> InlineKeyboardMarkup:
        followed = {s.speaker for s in await self.store.read(chats.subscriptions_of, chat_id)}
        rows = [[InlineKeyboardButton(("✅ " if sid in followed else "➕ ") + self.names.speaker(sid, lang),
                                      callback_data=f"sub:{sid}")] for sid in self.names.speakers]
        return InlineKeyboardMarkup(rows)

    # --- commands ------------------------------------------------------------------------------------

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start and /help: what the bot does, the commands and the tracked speakers."""
        chat = await self.chat_of(update)
        await self.reply(update, render.help_text(self.names, chat.lang, admin=self.is_admin(update)), chat.lang)

    async def subscribe(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/subscribe [speaker …] [keyword]: a keyboard without arguments."""
        chat = await self.chat_of(update)
        lang = chat.lang
        if await self.refuse_non_group_admin(update, context, lang):
            return
        args = list(context.args or [])
        if not args:
            await self.reply(update, t("subscribe_keyboard", lang), lang, reply_markup=await self.keyboard(chat.id, lang))
            return
        if len(args) == 1 and args[0].lower() in ("all", "الكل"):
            speakers, rest = list(self.names.speakers), []
        else:
            speakers, rest = self.parse_speakers(args)
        if not speakers:
            await self.reply(update, t("unknown_speakers", lang, names=render.esc(args[0]), known=self.known())
                             + "\n" + t("usage_subscribe", lang), lang)
            return
        keyword = " ".join(rest).strip()[:100]
        new = await self.store.write(lambda db: [s for s in speakers if chats.subscribe(db, chat.id, s, keyword)])
        names = self.speaker_list(speakers, lang)
        if not new:
            await self.reply(update, t("already_subscribed", lang, names=names), lang)
        elif keyword:
            await self.reply(update, t("subscribed_keyword", lang, names=names, keyword=render.esc(keyword)), lang)
        else:
            await self.reply(update, t("subscribed", lang, names=names), lang)

    async def toggle(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A tap on the /subscribe keyboard (``sub:<speaker>``): follow or unfollow that speaker."""
        query = update.callback_query
        assert query is not None
        chat = await self.chat_of(update)
        if await self.refuse_tap(update, context, chat.lang):
            return
        await query.answer()
        speaker = (query.data or "").removeprefix("sub:")
        if speaker in self.names.speakers:
            await self.store.write(toggle_subscription, chat.id, speaker)
        try:
            await query.edit_message_text(render.rtl(t("subscribe_keyboard", chat.lang), chat.lang),
                                          reply_markup=await self.keyboard(chat.id, chat.lang))
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():  # a double tap: nothing changed, nothing to do
                raise

    async def unsubscribe(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/unsubscribe speaker … | all."""
        chat = await self.chat_of(update)
        lang = chat.lang
        if await self.refuse_non_group_admin(update, context, lang):
            return
        args = list(context.args or [])
        if not args:
            await self.reply(update, t("usage_unsubscribe", lang), lang, reply_markup=await self.keyboard(chat.id, lang))
            return
        if len(args) == 1 and args[0].lower() in ("all", "الكل"):
            await self.store.write(chats.unsubscribe, chat.id)
            await self.reply(update, t("unsubscribed_all", lang), lang)
            return
        speakers, rest = self.parse_speakers(args)
        if rest or not speakers:
            bad = render.esc(" ".join(rest) or args[0])
            await self.reply(update, t("unknown_speakers", lang, names=bad, known=self.known()) + "\n"
                             + t("usage_unsubscribe", lang), lang)
            return
        removed = await self.store.write(lambda db: [s for s in speakers if chats.unsubscribe(db, chat.id, s)])
        if removed:
            await self.reply(update, t("unsubscribed", lang, names=self.speaker_list(removed, lang)), lang)
        else:
            await self.reply(update, t("not_subscribed", lang, names=self.speaker_list(speakers, lang)), lang)

    async def subscriptions(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/subscriptions: what this chat follows."""
        chat = await self.chat_of(update)
        subs = await self.store.read(chats.subscriptions_of, chat.id)
        await self.reply(update, render.subscriptions(subs, chat.lang, self.names), chat.lang)

    async def latest(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/latest [speaker] [n]: the latest n statement clusters, newest first."""
        chat = await self.chat_of(update)
        lang = chat.lang
        n, words = LATEST_DEFAULT, []
        for arg in context.args or []:
            if arg.isdecimal():  # ASCII or Arabic-Indic digits (int() reads both)
                n = int(arg) if len(arg) < 6 else 0
            elif any(ch.isdigit() for ch in arg) and not any(ch.isalpha() for ch in arg):
                n = 0  # "-5", "--5", "²": not a count; out of range, so the usage answer
            else:
                words.append(arg)
        speaker = self.resolve(" ".join(words)) if words else None
        if not 1 <= n <= LATEST_MAX or (words and speaker is None):
            await self.reply(update, t("usage_latest", lang, max=LATEST_MAX), lang)
            return
        views = await self.store.read(
            lambda db: languages.localize(db, queries.latest_clusters(db, speaker, n, chat.sources), chat.sources,
                                          lang))
        await self.reply(update, render.latest(views, lang, self.names, speaker, chat.timezone), lang)

    async def who(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/who [topic]: the speakers' board, or who reacted to a topic in the last 7 days."""
        chat = await self.chat_of(update)
        lang = chat.lang
        topic = " ".join(context.args or []).strip()
        now = dt.datetime.now(dt.UTC)
        if topic and not searchable(topic):
            # only invisible characters (zero-width space, RLM, tatweel, a lone diacritic): it folds to ""
            await self.reply(update, t("usage_who", lang), lang)
            return
        if not topic:
            rows = await self.store.read(queries.who_board, now, self.names.tracked)
            await self.reply(update, render.who_board(rows, lang, self.names, chat.timezone), lang)
            return
        results = await self.store.read(queries.search_statements, topic[:200], now - dt.timedelta(days=WHO_DAYS),
                                        self.names.tracked)
        await self.reply(update, render.who_topic(topic, results, lang, self.names, chat.timezone), lang)

    async def digest(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/digest [HH:MM] [timezone] | off: the chat's daily digest time."""
        chat = await self.chat_of(update)
        lang = chat.lang
        if await self.refuse_non_group_admin(update, context, lang):
            return
        args = list(context.args or [])
        if not args:
            key = "digest_current" if chat.digest_time else "digest_current_off"
            await self.reply(update, t(key, lang, time=chat.digest_time, tz=render.esc(chat.timezone)), lang)
            return
        if args[0].lower() in ("chart", "رسم"):  # /digest chart on|off: a small chart with the digest
            choice = args[1].lower() if len(args) == 2 else ""
            if choice not in ("on", "off", "تشغيل", "إيقاف", "ايقاف"):
                await self.reply(update, t("usage_digest_chart", lang), lang)
                return
            on = choice in ("on", "تشغيل")
            await self.store.write(chats.set_digest_chart, chat.id, on)
            await self.reply(update, t("digest_chart_on" if on else "digest_chart_off", lang), lang)
            return
        if len(args) == 1 and args[0].lower() in ("off", "إيقاف", "ايقاف"):
            await self.store.write(chats.set_digest, chat.id, None)
            await self.reply(update, t("digest_off", lang), lang)
            return
        if len(args) > 2:
            await self.reply(update, t("usage_digest", lang), lang)
            return
        try:
            when = parse_time(args[0]).strftime("%H:%M")
        except ValueError:
            await self.reply(update, t("usage_digest", lang), lang)
            return
        tz = chat.timezone
        if len(args) == 2:
            try:
                tz = check_timezone(args[1])
            except ValueError:
                await self.reply(update, t("bad_timezone", lang, tz=render.esc(args[1][:60])) + "\n"
                                 + t("usage_digest", lang), lang)
                return
        await self.store.write(chats.set_digest, chat.id, when, tz)
        await self.reply(update, t("digest_set", lang, time=when, tz=render.esc(tz)), lang)

    async def language(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/language ar|en."""
        chat = await self.chat_of(update)
        if await self.refuse_non_group_admin(update, context, chat.lang):
            return
        args = [a.lower() for a in context.args or []]
        aliases = {"ar": "ar", "arabic": "ar", "عربي": "ar", "العربية": "ar", "en": "en", "english": "en",
                   "إنجليزي": "en", "الإنجليزية": "en"}
        if len(args) != 1 or args[0] not in aliases:
            await self.reply(update, t("usage_language", chat.lang), chat.lang)
            return
        lang = aliases[args[0]]
        await self.store.write(chats.set_language, chat.id, lang)
        await self.reply(update, t("language_set", lang), lang)

    async def whoami(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/id: the sender's numeric Telegram user id (for ``[telegram] admins``) and this chat's id (for
        ``[telegram] channels``). Needs no rights: it only repeats what Telegram told the bot."""
        chat = await self.chat_of(update)
        lang = chat.lang
        user = update.effective_user
        message = update.effective_message
        lines = []
        if chat.type == "channel":
            lines += [t("id_chat", lang, id=chat.id, type="channel"), t("id_channel_hint", lang)]
        else:
            if user is not None and not (message is not None and message.sender_chat is not None):
                lines.append(t("id_user", lang, id=user.id))
            else:
                lines.append(t("id_no_user", lang))
            if chat.type != "private":
                lines.append(t("id_chat", lang, id=chat.id, type=render.esc(chat.type)))
            lines.append(t("id_admin" if self.is_admin(update) else "id_hint", lang))
        await self.reply(update, "\n".join(lines), lang)

    # --- admin ---------------------------------------------------------------------------------------

    async def refuse_non_admin(self, update: Update, lang: str) -> bool:
        if self.is_admin(update):
            return False
        await self.reply(update, t("admin_only", lang), lang)
        return True

    async def status(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/status (admins): failing feeds and why, when each is tried next, last poll, outbox size,
        subscribers. ``/status retry all|URL`` resets the backoff of the failing feeds (or one feed): the
        service polls them within seconds."""
        chat = await self.chat_of(update)
        lang = chat.lang
        if await self.refuse_non_admin(update, lang):
            return
        args = list(context.args or [])
        if not args:
            loop = self.stalls.stats() if self.stalls is not None and self.stalls.samples else None
            await self.reply(update, render.status(await self.store.read(queries.status), lang, loop), lang)
            return
        if len(args) != 2 or args[0].lower() != "retry":
            await self.reply(update, t("usage_status", lang), lang)
            return
        target = None if args[1].lower() in ("all", "الكل") else args[1].strip()
        try:
            reset = await self.store.write(feed_store.retry_feeds, target)
        except NotFound:
            await self.reply(update, t("feed_unknown", lang, url=render.esc(target or "")), lang)
            return
        if not reset:
            await self.reply(update, t("status_retried_none", lang), lang)
            return
        await self.reply(update, t("status_retried", lang, urls=render.esc(", ".join(f.url for f in reset))), lang)

    async def addfeed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/addfeed URL [speaker] (admins): public http(s) feeds only, polled from now on."""
        chat = await self.chat_of(update)
        lang = chat.lang
        if await self.refuse_non_admin(update, lang):
            return
        args = list(context.args or [])
        if not args or len(args) > 5:
            await self.reply(update, t("usage_addfeed", lang), lang)
            return
        speaker = None
        if len(args) > 1:
            speaker = self.resolve(" ".join(args[1:]))
            if speaker is None:
                await self.reply(update, t("unknown_speakers", lang, names=render.esc(" ".join(args[1:])),
                                           known=self.known()) + "\n" + t("usage_addfeed", lang), lang)
                return
        try:
            url = await check_public_url(args[0], self.config.telegram.allow_private_feed_urls,
                                         timeout=self.config.fetch.timeout)
        except FeedURLRefused as exc:
            await self.reply(update, t("feed_refused", lang, reason=render.esc(exc)), lang)
            return
        try:
            feed = await self.store.write(feed_store.add_feed, url, speaker=speaker, origin="bot")
        except AlreadyExists:
            await self.reply(update, t("feed_exists", lang, url=render.esc(url)), lang)
            return
        if self.on_feed_added is not None:
            self.on_feed_added(context.application, feed)
        log.info("feed added by admin %s: %s", update.effective_user.id if update.effective_user else "?", url)
        await self.reply(update, t("feed_added", lang, url=render.esc(url)), lang)

    async def removefeed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/removefeed URL (admins): stop polling it and forget its articles."""
        chat = await self.chat_of(update)
        lang = chat.lang
        if await self.refuse_non_admin(update, lang):
            return
        args = list(context.args or [])
        if len(args) != 1:
            await self.reply(update, t("usage_removefeed", lang), lang)
            return
        url = args[0].strip()
        try:
            await self.store.write(feed_store.remove_feed, url)
        except NotFound:
            await self.reply(update, t("feed_unknown", lang, url=render.esc(url)), lang)
            return
        if self.on_feed_removed is not None:
            self.on_feed_removed(context.application, url)
        await self.reply(update, t("feed_removed", lang, url=render.esc(url)), lang)

    # --- errors --------------------------------------------------------------------------------------

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The one error handler: log with the traceback, tell the chat something went wrong."""
        log.error("error while handling an update", exc_info=context.error)
        if isinstance(update, Update) and update.effective_message is not None:
            lang = "en"
            try:
                if update.effective_chat is not None:
                    found = await self.store.read(chats.chat_by_id, update.effective_chat.id)
                    lang = found.lang if found else lang
                await update.effective_message.reply_text(t("error", lang))
            except Exception:  # noqa: BLE001 - the chat may be gone; the error is logged above
                log.warning("could not tell the chat about the error", exc_info=True)


def toggle_subscription(db: sqlite_utils.Database, chat_id: int, speaker: str) -> bool:
    """Follow ``speaker`` if the chat does not (True), else stop following it (False): one database call."""
    if any(s.speaker == speaker for s in chats.subscriptions_of(db, chat_id)):
        chats.unsubscribe(db, chat_id, speaker)
        return False
    chats.subscribe(db, chat_id, speaker)
    return True


def searchable(topic: str) -> bool:
    """Whether a /who topic has a letter or digit left once folded (so it cannot match every statement)."""
    return any(ch.isalnum() for ch in fold(topic))


class Feature:
    """A command or query handler kept in its own module (``bot.chart``, ``bot.sources``, ``bot.inline``) that
    works through the bot's :class:`Handlers`: its database, display names, replies and permission checks."""

    def __init__(self, handlers: Handlers) -> None:
        self.handlers = handlers
