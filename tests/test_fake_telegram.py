"""The fake Bot API server answers a real python-telegram-bot ``Bot`` the way Telegram does."""

from __future__ import annotations

import asyncio
import time

import pytest
import telegram
from telegram import error

from tests.fake_telegram import EntityError, FakeTelegram, parse_html

TOKEN = "123:ABC"


@pytest.fixture
def server():
    with FakeTelegram() as s:
        yield s


def run(coro):
    return asyncio.run(coro)


async def _bot(server: FakeTelegram) -> telegram.Bot:
    bot = telegram.Bot(TOKEN, base_url=server.api_url)
    await bot.initialize()
    return bot


def test_get_me_and_send_message(server):
    async def go():
        bot = await _bot(server)
        try:
            me = await bot.get_me()
            message = await bot.send_message(42, "<b>hi</b> &amp; bye", parse_mode="HTML")
            return me, message
        finally:
            await bot.shutdown()

    me, message = run(go())
    assert me.username == "raqib_test_bot"
    assert message.chat.id == 42 and message.text == "hi & bye"
    assert [(m["chat_id"], m["text"]) for m in server.sent()] == [(42, "<b>hi</b> &amp; bye")]


@pytest.mark.parametrize("text", ["<script>x</script>", "a & b", "<b>open", "<b><i>x</b></i>", "1 > 0",
                                  '<a title="x">no href</a>'])
def test_bad_html_is_rejected(server, text):
    async def go():
        bot = await _bot(server)
        try:
            await bot.send_message(1, text, parse_mode="HTML")
        finally:
            await bot.shutdown()

    with pytest.raises(error.BadRequest, match="parse entities"):
        run(go())
    assert server.sent() == []


def test_parse_html_accepts_telegram_tags():
    html = ('<b>b</b><i>i</i><u>u</u><s>s</s><a href="https://x.org/?a=1&amp;b=2">l</a><code>c</code>'
            '<pre><code class="language-python">p</code></pre><blockquote>q</blockquote><tg-spoiler>t</tg-spoiler>'
            "&lt;&gt;&quot;&#x27;&#39; عربي")
    assert parse_html(html).endswith("<>\"'' عربي")
    with pytest.raises(EntityError):
        parse_html("<b>unclosed")


def test_too_long_text_is_rejected(server):
    async def go():
        bot = await _bot(server)
        try:
            await bot.send_message(1, "x" * 4097)
        finally:
            await bot.shutdown()

    with pytest.raises(error.BadRequest, match="too long"):
        run(go())


def test_programmed_failures_map_to_ptb_errors(server):
    server.flood(times=1, retry_after=3)
    server.block(5)
    server.migrate(-7, -1007)
    server.server_errors(1, chat_id=8)
    server.drop_connections(1, chat_id=9)

    async def go():
        bot = await _bot(server)
        caught = []
        try:
            for chat_id in (1, 5, -7, 8, 9, 9):
                try:
                    await bot.send_message(chat_id, "x")
                    caught.append("ok")
                except error.TelegramError as exc:
                    caught.append(type(exc).__name__)
                if chat_id == 1:
                    server._penalty.clear()  # do not wait out the retry_after in this test
        finally:
            await bot.shutdown()
        return caught

    assert run(go()) == ["RetryAfter", "Forbidden", "ChatMigrated", "NetworkError", "NetworkError", "ok"]
    assert server.stats.rejected_429 == 1


def test_early_retry_is_answered_429_again(server):
    server.flood(times=1, retry_after=1)

    async def go():
        bot = await _bot(server)
        try:
            for _ in range(2):
                with pytest.raises(error.RetryAfter):
                    await bot.send_message(1, "x")
            await asyncio.sleep(1.05)
            await bot.send_message(1, "x")
        finally:
            await bot.shutdown()

    run(go())
    assert server.stats.early_retries == 1 and len(server.sent()) == 1


def test_limits_are_enforced(server):
    server.enforce_limits = True

    async def go():
        bot = await _bot(server)
        results = []
        try:
            for chat_id in (1, 1, -5):
                try:
                    await bot.send_message(chat_id, "x")
                    results.append("ok")
                except error.RetryAfter:
                    results.append("429")
        finally:
            await bot.shutdown()
        return results

    assert run(go()) == ["ok", "429", "ok"]
    assert server.stats.limit_violations == 1


def test_get_updates_long_polls_and_honours_offset(server):
    async def go():
        bot = await _bot(server)
        try:
            started = time.monotonic()
            assert await bot.get_updates(timeout=1) == ()
            waited = time.monotonic() - started
            server.send_command(42, "/subscribe us-state-department", language_code="ar")
            first = await bot.get_updates(timeout=1)
            again = await bot.get_updates(offset=first[-1].update_id, timeout=0)
            after = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
            return waited, first, again, after
        finally:
            await bot.shutdown()

    waited, first, again, after = run(go())
    assert waited >= 0.9
    assert first[0].message.text == "/subscribe us-state-department"
    assert first[0].message.from_user.language_code == "ar"
    assert first[0].message.entities[0].type == "bot_command"
    assert [u.update_id for u in again] == [first[0].update_id]
    assert after == ()


def test_commands_and_callbacks(server):
    async def go():
        bot = await _bot(server)
        try:
            await bot.set_my_commands([("latest", "Latest statements")])
            commands = await bot.get_my_commands()
            message = await bot.send_message(3, "pick")
            server.press_button(3, message.message_id, "lang:ar")
            updates = await bot.get_updates(timeout=1)
            query = updates[0].callback_query
            await query.answer()
            await bot.edit_message_text("picked", chat_id=3, message_id=message.message_id)
            return commands, query
        finally:
            await bot.shutdown()

    commands, query = run(go())
    assert [c.command for c in commands] == ["latest"]
    assert query.data == "lang:ar" and query.message.chat.id == 3
    assert server.sent(3)[0]["text"] == "picked"
    assert len(server.callback_answers) == 1
