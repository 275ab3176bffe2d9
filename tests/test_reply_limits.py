"""Command replies go through the sender's rate limiter (bot.sender.ReplyLimiter): during a fan-out a reply
never draws a 429, and a 429 on a reply is retried after its retry_after. A real PTB Application (built by
bot.app.build_application) polls the fake Bot API server, which enforces Telegram's limits."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from bot import sender
from bot.app import build_application
from config import Config, TelegramConfig
from reactions.registry import load_registry
from storage import outbox
from tests.fake_telegram import FakeTelegram
from tests.test_delivery_outbox import make_db
from tests.test_delivery_sender import seed

TOKEN = "123:ABC"
ASKERS = tuple(range(9001, 9013))  # twelve chats that send /help together in the middle of the fan-out


@pytest.fixture
def db(tmp_path):
    database = make_db(tmp_path)
    yield database
    database.conn.close()


@contextlib.asynccontextmanager
async def running(db, server):
    config = Config(storage_path=":memory:", telegram=TelegramConfig(
        token=TOKEN, api_url=server.api_url, file_api_url=server.file_api_url))
    app = build_application(config, db, registry=load_registry(), start_jobs=False)
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


def replies(server, chat_id):
    return [m for m in server.sent(chat_id) if "/latest" in m["text"]]  # /help lists the commands


def test_replies_during_a_fan_out_draw_no_429(db):
    seed(db, tuple(range(1, 121)))  # 120 chats with a push each: about four seconds at Telegram's rate
    with FakeTelegram(token=TOKEN, enforce_limits=True) as server:
        async def scenario():
            async with running(db, server) as app:
                # the sender as the service wires it: its sink shares the limiter of the bot's replies
                sink = sender.TelegramSink(app.bot, limiter=app.bot.rate_limiter.limiter)
                drain = asyncio.create_task(sender.drain_outbox(db, sink))
                await server.await_for(lambda m: True, timeout=10)  # the fan-out is sending
                await asyncio.sleep(1.0)  # and at full rate
                for chat_id in ASKERS:
                    server.send_command(chat_id, "/help")
                for chat_id in ASKERS:
                    await server.await_for(lambda m, c=chat_id: m["chat_id"] == c and "/latest" in m["text"],
                                           timeout=30)
                return await drain

        pushed = asyncio.run(scenario())
        assert pushed == 120 and outbox.delivery_counts(db)["sent"] == 120
        assert all(len(replies(server, chat_id)) >= 1 for chat_id in ASKERS)
        assert not any("went wrong" in m["text"] for chat_id in ASKERS for m in server.sent(chat_id))
        # every reply went out at its first try: as many sendMessage calls to the askers as messages they got
        calls = [params for _t, method, params in server.calls if method == "sendMessage"
                 and int(params["chat_id"]) in ASKERS]
        assert len(calls) == sum(len(server.sent(chat_id)) for chat_id in ASKERS), server.stats


def test_a_429_on_a_reply_is_retried_after_retry_after(db):
    with FakeTelegram(token=TOKEN) as server:
        server.flood(times=1, retry_after=1, chat_id=77)

        async def scenario():
            async with running(db, server):
                server.send_command(77, "/help")
                await server.await_for(lambda m: m["chat_id"] == 77 and "/latest" in m["text"], timeout=15)

        asyncio.run(scenario())
        assert server.stats.rejected_429 == 1  # the one programmed, waited out: no early retry
        assert server.stats.early_retries == 0
        assert not any("went wrong" in m["text"] for m in server.sent(77))
