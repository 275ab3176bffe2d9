"""The commands end to end: a real PTB Application (built by bot.app.build_application) polling the fake
Telegram Bot API server, with a real database."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from bot.app import build_application
from bot.handlers import FeedURLRefused, check_public_url
from config import Config, TelegramConfig
from reactions.registry import load_registry
from storage import chats
from storage.feeds import all_feeds
from tests.fake_telegram import FakeTelegram, parse_html
from tests.test_bot_storage import article, st

ADMIN = 999


@pytest.fixture
def server():
    with FakeTelegram(token="123:ABC") as fake:
        yield fake


@contextlib.asynccontextmanager
async def running(db, server, *, admins=(ADMIN,), allow_private=False):
    config = Config(storage_path=":memory:", telegram=TelegramConfig(
        token="123:ABC", api_url=server.api_url, file_api_url=server.file_api_url, admins=tuple(admins),
        allow_private_feed_urls=allow_private))
    app = build_application(config, db, registry=load_registry(), start_jobs=False)
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


PROBE_CHAT = 999_999  # a chat no test talks in: see Chat.say_all


class Chat:
    """A user in a chat talking to the bot: ``await chat.say('/latest')`` returns the bot's reply."""

    def __init__(self, server, chat_id, *, user_id=None, lang="en", chat_type="private"):
        self.server, self.chat_id, self.user_id, self.lang, self.chat_type = server, chat_id, user_id, lang, chat_type

    def last_id(self):
        sent = self.server.sent(self.chat_id)
        return sent[-1]["message_id"] if sent else 0

    async def say(self, text):
        before = self.last_id()
        self.server.send_command(self.chat_id, text, user_id=self.user_id, language_code=self.lang,
                                 chat_type=self.chat_type)
        message = await self.server.await_for(
            lambda m: int(m["chat_id"]) == self.chat_id and m["message_id"] > before, timeout=30)  # generous: a loaded machine
        message["visible"] = parse_html(message["text"]) if message.get("parse_mode") else message["text"]
        return message

    async def say_all(self, text):
        """Every message of a reply that may span several messages, as one visible text. The reply is
        complete once the bot has answered a command sent after it from another chat: the application
        handles updates one at a time, in order (python-telegram-bot's default, which build_application keeps)."""
        before = self.last_id()
        await self.say(text)
        await Chat(self.server, PROBE_CHAT).say("/help")
        return "\n".join(parse_html(m["text"]) for m in self.server.sent(self.chat_id) if m["message_id"] > before)

    async def press(self, message_id, data):
        edits = len(self.server.edits)
        self.server.press_button(self.chat_id, message_id, data, user_id=self.user_id, language_code=self.lang)
        for _ in range(500):
            if len(self.server.edits) > edits:
                return self.server.edits[-1]
            await asyncio.sleep(0.02)
        raise TimeoutError("no edit")


def run(coro):
    return asyncio.run(coro)


def subs(db, chat_id):
    return [(s.speaker, s.keyword) for s in chats.subscriptions_of(db, chat_id)]


def test_subscribe_by_alias_in_both_languages(db, server):
    async def scenario():
        async with running(db, server):
            en = Chat(server, 10)
            reply = await en.say("/subscribe pentagon")
            assert "Following" in reply["visible"] and "Pentagon" in reply["visible"]
            ar = Chat(server, 11, lang="ar")
            reply = await ar.say("/subscribe البنتاغون مفوضية حقوق الإنسان")
            assert "تتم متابعة" in reply["visible"]
            kw = Chat(server, 12)
            reply = await kw.say("/subscribe state uk Syria prison")
            assert "only statements mentioning “Syria prison”" in reply["visible"]
            bad = await kw.say("/subscribe nobody")
            assert "Unknown speaker: nobody" in bad["visible"] and "Usage: /subscribe" in bad["visible"]
    run(scenario())
    assert subs(db, 10) == [("us-pentagon", "")]
    assert subs(db, 11) == [("un-ohchr", ""), ("us-pentagon", "")]
    assert subs(db, 12) == [("uk-government", "Syria prison"), ("us-state-department", "Syria prison")]
    assert chats.chat_by_id(db, 11).lang == "ar"


def test_keyboard_toggles_a_speaker(db, server):
    async def scenario():
        async with running(db, server):
            chat = Chat(server, 20)
            reply = await chat.say("/subscribe")
            buttons = [b for row in reply["reply_markup"]["inline_keyboard"] for b in row]
            assert [b["callback_data"] for b in buttons] == ["sub:us-state-department", "sub:us-pentagon",
                                                             "sub:un-ohchr", "sub:uk-government"]
            await chat.press(reply["message_id"], "sub:un-ohchr")
            assert subs(db, 20) == [("un-ohchr", "")]
            assert server.callback_answers  # answered before editing
            edited = server.sent(20)[-1]
            labels = [b["text"] for row in edited["reply_markup"]["inline_keyboard"] for b in row]
            assert any(label.startswith("✅") and "OHCHR" in label for label in labels)
            await chat.press(reply["message_id"], "sub:un-ohchr")
            assert subs(db, 20) == []
    run(scenario())


def test_unsubscribe_all_and_one(db, server):
    async def scenario():
        async with running(db, server):
            chat = Chat(server, 30)
            await chat.say("/subscribe state pentagon")
            reply = await chat.say("/unsubscribe pentagon")
            assert "Stopped following" in reply["visible"]
            assert subs(db, 30) == [("us-state-department", "")]
            reply = await chat.say("/unsubscribe all")
            assert reply["visible"] == "Stopped following everything."
            reply = await chat.say("/subscriptions")
            assert "follows nobody" in reply["visible"]
    run(scenario())
    assert subs(db, 30) == []


def seed(db):
    from storage.feeds import add_feed

    feed = add_feed(db, "https://news.example/rss", name="Example News")
    now = chats.utc_text(__import__("datetime").datetime.now(__import__("datetime").UTC))
    for i in range(25):
        article(db, feed, f"p{i}", "x", [st("us-pentagon", f"Statement number {i} about Hasakah operations.")],
                published=f"2026-01-{1 + i % 28:02d} 10:00:00", now=now)
    article(db, feed, "s1", "x", [st("us-state-department", "The United States condemns the attack on the prison.")],
            published="2026-01-27 10:00:00", now=now)


def test_latest_bounds_and_speaker(db, server):
    seed(db)

    async def scenario():
        async with running(db, server):
            chat = Chat(server, 40)
            for bad in ("/latest 0", "/latest 21", "/latest -3", "/latest nobody"):
                reply = await chat.say(bad)
                assert reply["visible"].startswith("Usage: /latest"), bad
            reply = await chat.say("/latest")
            assert reply["visible"].count("🕒") == 5
            assert (await chat.say_all("/latest 20")).count("🕒") == 20  # two messages
            reply = await chat.say("/latest pentagon 2")
            assert reply["visible"].count("🕒") == 2 and "condemns" not in reply["visible"]
            reply = await chat.say("/latest state")
            assert "condemns the attack" in reply["visible"] and "Example News" in reply["visible"]
    run(scenario())


def test_who_board_and_topic(db, server):
    seed(db)

    async def scenario():
        async with running(db, server):
            chat = Chat(server, 50)
            board = await chat.say("/who")
            assert "Who said what" in board["visible"] and "No statement in the last 7 days." in board["visible"]
            topic = await chat.say("/who prison attack")
            assert "Who reacted to “prison attack”" in topic["visible"]
            assert "condemns" in topic["visible"] and "No reaction found" in topic["visible"]
            none = await chat.say('/who "unrelated" OR *')
            assert "No tracked speaker has reacted" in none["visible"]
    run(scenario())


def test_digest_set_off_and_bad_input(db, server):
    async def scenario():
        async with running(db, server):
            chat = Chat(server, 60)
            reply = await chat.say("/digest")
            assert "Daily digest at 08:00 (UTC)" in reply["visible"]
            reply = await chat.say("/digest 07:30 Asia/Riyadh")
            assert "07:30 (Asia/Riyadh)" in reply["visible"]
            assert (chats.chat_by_id(db, 60).digest_time, chats.chat_by_id(db, 60).timezone) == ("07:30", "Asia/Riyadh")
            for bad in ("/digest 25:00", "/digest soon", "/digest 7:5", "/digest 08:00 UTC extra"):
                reply = await chat.say(bad)
                assert "Usage: /digest" in reply["visible"], bad
            reply = await chat.say("/digest 08:00 Mars/Olympus")
            assert "Unknown timezone" in reply["visible"]
            reply = await chat.say("/digest off")
            assert reply["visible"] == "Daily digest turned off."
            assert chats.chat_by_id(db, 60).digest_time is None
    run(scenario())


def test_language_switch(db, server):
    async def scenario():
        async with running(db, server):
            chat = Chat(server, 70)
            reply = await chat.say("/language ar")
            assert "العربية" in reply["visible"]
            reply = await chat.say("/help")
            assert "الأوامر" in reply["visible"]
            reply = await chat.say("/language fr")
            assert "الاستخدام" in reply["visible"]
            reply = await chat.say("/language en")
            assert reply["visible"] == "Language: English."
    run(scenario())


def test_start_in_arabic_from_telegram_language(db, server):
    async def scenario():
        async with running(db, server):
            reply = await Chat(server, 71, lang="ar-SA").say("/start")
            assert "رقيب" in reply["visible"] and "البنتاغون" in reply["visible"]
            assert "/addfeed" not in reply["visible"]
    run(scenario())


def test_admin_commands_refused_to_others(db, server):
    async def scenario():
        async with running(db, server):
            user = Chat(server, 80)
            for command in ("/status", "/addfeed https://example.com/rss", "/removefeed https://example.com/rss"):
                reply = await user.say(command)
                assert "only the bot's administrators" in reply["visible"], command
            admin = Chat(server, 81, user_id=ADMIN)
            reply = await admin.say("/status")
            assert "Feeds: 0 (0 failing)" in reply["visible"]
    run(scenario())


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/feed", "http://localhost:8080/rss", "http://10.1.2.3/rss", "http://192.168.0.1/",
    "http://169.254.169.254/latest/meta-data", "http://[::1]/rss", "http://[fe80::1]/rss", "http://0.0.0.0/",
    "http://[::ffff:127.0.0.1]/", "file:///etc/passwd", "ftp://example.com/feed", "gopher://x/", "javascript:alert(1)",
    "http://user:pw@93.184.216.34/rss",
])
def test_addfeed_refuses_private_and_non_http(url):
    with pytest.raises(FeedURLRefused):
        asyncio.run(check_public_url(url))


def test_addfeed_and_removefeed_by_admin(db, server):
    async def scenario():
        async with running(db, server):
            admin = Chat(server, 90, user_id=ADMIN)
            reply = await admin.say("/addfeed http://127.0.0.1:9/feed.xml")
            assert "Refused" in reply["visible"] and "private, loopback" in reply["visible"]
            reply = await admin.say("/addfeed file:///etc/passwd")
            assert "only http:// and https://" in reply["visible"]
            reply = await admin.say("/addfeed")
            assert reply["visible"].startswith("Usage: /addfeed")
            reply = await admin.say("/addfeed http://93.184.216.34/rss.xml pentagon")
            assert reply["visible"].startswith("Added")
            assert [(f.url, f.speaker, f.origin) for f in all_feeds(db)] == [
                ("http://93.184.216.34/rss.xml", "us-pentagon", "bot")]
            reply = await admin.say("/addfeed http://93.184.216.34/rss.xml")
            assert "already a feed" in reply["visible"]
            reply = await admin.say("/removefeed http://93.184.216.34/rss.xml")
            assert reply["visible"].startswith("Removed")
            reply = await admin.say("/removefeed http://93.184.216.34/rss.xml")
            assert "is not a feed" in reply["visible"]
    run(scenario())
    assert all_feeds(db) == []


def test_private_urls_allowed_when_configured(db, server):
    async def scenario():
        async with running(db, server, allow_private=True):
            reply = await Chat(server, 91, user_id=ADMIN).say("/addfeed http://127.0.0.1:9/feed.xml")
            assert reply["visible"].startswith("Added")
    run(scenario())


def test_group_command_addressed_to_the_bot(db, server):
    async def scenario():
        async with running(db, server):
            group = Chat(server, -100123, user_id=1123, chat_type="supergroup")
            server.set_member_status(-100123, 1123, "administrator")  # groups: only admins change settings
            reply = await group.say("/subscribe@raqib_test_bot ohchr")
            assert "Following" in reply["visible"]
    run(scenario())
    assert chats.chat_by_id(db, -100123).type == "supergroup"


# --- groups: only the group's administrators change its settings ------------------------------------------

GROUP = -100777
REFUSED = "only this group's administrators"


def member(server, user_id, status=None, *, lang="en"):
    if status is not None:
        server.set_member_status(GROUP, user_id, status)
    return Chat(server, GROUP, user_id=user_id, lang=lang, chat_type="supergroup")


def test_group_member_cannot_change_settings(db, server):
    async def scenario():
        async with running(db, server):
            admin = member(server, 501, "administrator")
            await admin.say("/subscribe state")
            user = member(server, 502)  # default status: member
            for command in ("/subscribe pentagon", "/subscribe", "/unsubscribe all", "/unsubscribe state",
                            "/digest 07:00 Asia/Riyadh", "/digest off", "/language ar"):
                reply = await user.say(command)
                assert REFUSED in reply["visible"], command
                assert "reply_markup" not in reply or not reply["reply_markup"], command
            for status in ("restricted", "left"):
                server.set_member_status(GROUP, 502, status)
                reply = await user.say("/subscribe pentagon")
                assert REFUSED in reply["visible"], status
            calls = server.method_calls("getChatMember")
            assert {(c["chat_id"], int(c["user_id"])) for c in calls} == {(GROUP, 501), (GROUP, 502)}
    run(scenario())
    assert subs(db, GROUP) == [("us-state-department", "")]
    chat = chats.chat_by_id(db, GROUP)
    assert (chat.lang, chat.digest_time, chat.timezone) == ("en", "08:00", "UTC")


def test_group_refusal_is_in_the_groups_language(db, server):
    async def scenario():
        async with running(db, server):
            await member(server, 511, "creator").say("/language ar")
            reply = await member(server, 512, lang="en").say("/digest off")
            assert "متاح لمشرفيها فقط" in reply["visible"]
    run(scenario())


@pytest.mark.parametrize("status", ["administrator", "creator"])
def test_group_administrator_and_creator_can_change_settings(db, server, status):
    async def scenario():
        async with running(db, server):
            admin = member(server, 521, status)
            reply = await admin.say("/subscribe pentagon state")
            assert "Following" in reply["visible"]
            reply = await admin.say("/unsubscribe state")
            assert "Stopped following" in reply["visible"]
            reply = await admin.say("/digest 07:30 Asia/Riyadh")
            assert "07:30 (Asia/Riyadh)" in reply["visible"]
            reply = await admin.say("/language ar")
            assert "العربية" in reply["visible"]
    run(scenario())
    assert subs(db, GROUP) == [("us-pentagon", "")]
    chat = chats.chat_by_id(db, GROUP)
    assert (chat.lang, chat.digest_time, chat.timezone) == ("ar", "07:30", "Asia/Riyadh")


def test_bot_admin_and_anonymous_group_admin_can_change_settings(db, server):
    async def scenario():
        async with running(db, server):
            reply = await member(server, ADMIN).say("/subscribe pentagon")  # a plain member, but a bot admin
            assert "Following" in reply["visible"]
            before = server.sent(GROUP)[-1]["message_id"]
            server.send_command(GROUP, "/subscribe ohchr", chat_type="supergroup", anonymous=True)
            reply = await server.await_for(lambda m: m["chat_id"] == GROUP and m["message_id"] > before)
            assert "Following" in parse_html(reply["text"])
            assert server.method_calls("getChatMember") == []  # neither needed a lookup
    run(scenario())
    assert subs(db, GROUP) == [("un-ohchr", ""), ("us-pentagon", "")]


def test_group_read_only_commands_stay_open(db, server):
    seed(db)

    async def scenario():
        async with running(db, server):
            await member(server, 531, "administrator").say("/subscribe state")
            user = member(server, 532)
            for command in ("/latest", "/latest pentagon 2", "/who", "/who prison", "/subscriptions", "/help",
                            "/start"):
                reply = await user.say(command)
                assert REFUSED not in reply["visible"], command
            assert "US State Department" in (await user.say("/subscriptions"))["visible"]
            assert all(int(c["user_id"]) != 532 for c in server.method_calls("getChatMember"))
    run(scenario())


def test_group_keyboard_toggles_refused_to_members(db, server):
    async def scenario():
        async with running(db, server):
            admin = member(server, 541, "administrator")
            keyboard = await admin.say("/subscribe")
            user = member(server, 542)
            answers = len(server.callback_answers)
            server.press_button(GROUP, keyboard["message_id"], "sub:un-ohchr", user_id=542)
            for _ in range(500):
                if len(server.callback_answers) > answers:
                    break
                await asyncio.sleep(0.02)
            answer = server.callback_answers[-1]
            assert REFUSED in answer["text"] and answer.get("show_alert") in (True, "true")
            await asyncio.sleep(0.2)
            assert server.edits == [] and subs(db, GROUP) == []
            await admin.press(keyboard["message_id"], "sub:un-ohchr")  # an administrator's tap works
            assert subs(db, GROUP) == [("un-ohchr", "")]
            assert user.chat_id == GROUP
    run(scenario())


def test_group_admin_check_failure_is_refused_politely(db, server):
    from tests.fake_telegram import Fault

    async def scenario():
        async with running(db, server):
            server.add_fault(Fault("400", "getChatMember", GROUP, description="Bad Request: chat not found"))
            reply = await member(server, 551, "administrator").say("/subscribe pentagon")
            assert "could not check whether you administer this group" in reply["visible"]
            server.clear_faults()
            server.server_errors(times=1, method="getChatMember")
            reply = await member(server, 551).say("/digest off")
            assert "could not check" in reply["visible"]
            reply = await member(server, 551).say("/digest off")  # the server is back
            assert reply["visible"] == "Daily digest turned off."
    run(scenario())
    assert subs(db, GROUP) == []


def test_private_chats_and_channels_need_no_admin_check(db, server):
    async def scenario():
        async with running(db, server):
            reply = await Chat(server, 561).say("/subscribe pentagon")
            assert "Following" in reply["visible"]
            channel = {"id": -100888, "type": "channel", "title": "Raqib channel"}
            server.chats[-100888] = channel
            server.inject_update({"channel_post": {
                "message_id": 1, "date": 0, "chat": channel, "sender_chat": channel, "text": "/subscribe state",
                "entities": [{"type": "bot_command", "offset": 0, "length": 10}]}})
            reply = await server.await_for(lambda m: m["chat_id"] == -100888)
            assert "Following" in parse_html(reply["text"])
            assert server.method_calls("getChatMember") == []
    run(scenario())
    assert subs(db, 561) == [("us-pentagon", "")]
    assert subs(db, -100888) == [("us-state-department", "")]
