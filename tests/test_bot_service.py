"""bot.service and bot.app wiring: which configuration `raqib run` uses, token redaction, post_init in
Telegram mode (command menus, channels, jobs), and the daily digest job's sending. (`raqib -v run` answering
on Telegram without ever logging its token: tests/test_e2e_running.py, against one shared running service.)"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging

import pytest

from bot import digest, render, service
from bot.app import build_application
from bot.cli import main
from bot.sender import RetryLater
from config import Config, DigestConfig, TelegramConfig
from reactions.registry import load_registry
from storage import chats
from storage.feeds import add_feed
from tests.fake_telegram import FakeTelegram, parse_html
from tests.test_bot_storage import article, st

TOKEN = "123456:AAH-secret-token"


def args(**kw):
    return argparse.Namespace(config=kw.get("config"), demo=kw.get("demo", False), console=kw.get("console", False),
                              verbose=False)


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("RAQIB_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_no_token_and_no_config_runs_the_demo(clean_env):
    config, demo = service.choose_config(args())
    assert demo and config.demo and config.storage_path.name == "raqib.db"
    assert [f.speaker for f in config.feeds][0] == "us-state-department"
    assert "raqib-demo-" in str(config.storage_path)


def test_a_config_file_is_used_without_token(clean_env):
    (clean_env / "raqib.toml").write_text('[storage]\npath = "x.db"\n', encoding="utf-8")
    config, demo = service.choose_config(args())
    assert not demo and config.storage_path.resolve() == (clean_env / "x.db").resolve() and config.feeds == ()
    config, demo = service.choose_config(args(demo=True))
    assert demo


def test_invalid_config_is_one_line_and_exit_2(clean_env, capsys):
    (clean_env / "bad.toml").write_text("[digest]\ntime = '25:00'\n", encoding="utf-8")
    assert main(["--config", str(clean_env / "bad.toml"), "run"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "digest.time" in err


def test_redact_filter_hides_the_token_everywhere():
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Keep()
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(service.RedactFilter(TOKEN))
    logger = logging.getLogger("test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("POST https://api.telegram.org/bot%s/getMe", TOKEN)
        logger.warning(f"plain {TOKEN}")
        try:
            raise RuntimeError(f"url /bot{TOKEN}/sendMessage failed")
        except RuntimeError:
            logger.exception("boom")
    finally:
        logger.removeHandler(handler)
    assert len(records) == 3
    assert all(TOKEN not in r for r in records)
    assert "<token>" in records[0] and "<token>" in records[2]


def test_post_init_sets_menus_subscribes_channels_and_starts_jobs(db):
    with FakeTelegram(token=TOKEN) as server:
        config = Config(storage_path=":memory:", telegram=TelegramConfig(
            token=TOKEN, api_url=server.api_url, file_api_url=server.file_api_url, channels=(-100777,)),
            digest=DigestConfig(dt.time(7, 30), "Asia/Riyadh"))

        async def scenario():
            app = build_application(config, db, registry=load_registry())
            async with app:
                await app.post_init(app)
                await app.start()
                names = sorted(job.name for job in app.job_queue.jobs())
                await app.stop()
                await app.post_shutdown(app)
            return names

        names = asyncio.run(scenario())
        calls = server.method_calls("setMyCommands")
    assert "digest" in names and "raqib-delivery" in names
    assert sorted(c.get("language_code") or "" for c in calls) == ["", "ar"]
    assert [s.speaker for s in chats.subscriptions_of(db, -100777)] == sorted(
        ["us-state-department", "us-pentagon", "un-ohchr", "uk-government"])
    channel = chats.chat_by_id(db, -100777)
    assert (channel.type, channel.timezone, channel.digest_time) == ("channel", "Asia/Riyadh", "07:30")


class ListSink:
    def __init__(self):
        self.sent = []

    async def send(self, chat_id, html):
        parse_html(html)
        self.sent.append((chat_id, html))
        return len(self.sent)


class FloodedSink(ListSink):
    """Refuses every message to ``refused`` (flood control), sends the others."""

    def __init__(self, refused):
        super().__init__()
        self.refused, self.tries = refused, 0

    async def send(self, chat_id, html):
        if chat_id == self.refused:
            self.tries += 1
            raise RetryLater(1)
        return await super().send(chat_id, html)


def test_the_digest_job_reads_due_chats_in_pages_and_retries_a_refused_one_next_minute(db, monkeypatch):
    monkeypatch.setattr(chats, "DIGEST_PAGE", 2)  # 5 due chats: pages of 2, 2, 1
    feed = add_feed(db, "https://news.example/rss", name="Example News")
    article(db, feed, "a", "x", [st("us-pentagon", "US forces supported the SDF near Hasakah.")],
            now="2026-01-09 12:00:00")
    for chat_id in range(1, 6):
        chats.ensure_chat(db, chat_id, digest_time="08:00", timezone="UTC")
        chats.subscribe(db, chat_id, "us-pentagon")
    db.execute("UPDATE chats SET created_at = '2026-01-01 00:00:00'")
    names = render.Names.from_registry(load_registry())
    sink = FloodedSink(refused=3)
    at = dt.datetime(2026, 1, 10, 8, 1, tzinfo=dt.UTC)
    assert asyncio.run(digest.send_due_digests(db, sink, names, at)) == 4
    assert sorted(chat_id for chat_id, _html in sink.sent) == [1, 2, 4, 5]
    assert sink.tries == 1  # not retried within the same run
    sink.refused = None
    assert asyncio.run(digest.send_due_digests(db, sink, names, at + dt.timedelta(minutes=1))) == 1
    assert sorted(chat_id for chat_id, _html in sink.sent) == [1, 2, 3, 4, 5]


def test_digest_job_sends_once_per_local_day(db):
    feed = add_feed(db, "https://news.example/rss", name="Example News")
    article(db, feed, "a", "x", [st("us-pentagon", "US forces supported the SDF near Hasakah.")],
            now="2026-01-09 12:00:00")
    article(db, feed, "b", "x", [st("un-ohchr", "We are concerned about civilians in Hasakah.")],
            now="2026-01-09 13:00:00")
    chats.ensure_chat(db, 5, digest_time="08:00", timezone="UTC")
    db.execute("UPDATE chats SET created_at = '2026-01-01 00:00:00'")
    chats.subscribe(db, 5, "us-pentagon")
    chats.subscribe(db, 5, "un-ohchr", "children")  # keyword not in the statement: left out
    names = render.Names.from_registry(load_registry())
    sink = ListSink()
    at = dt.datetime(2026, 1, 10, 8, 1, tzinfo=dt.UTC)
    assert asyncio.run(digest.send_due_digests(db, sink, names, at)) == 1
    assert asyncio.run(digest.send_due_digests(db, sink, names, at + dt.timedelta(hours=3))) == 0
    assert len(sink.sent) == 1
    text = parse_html(sink.sent[0][1])
    assert "Daily digest, 2026-01-10" in text and "US forces supported the SDF" in text
    assert "civilians" not in text
    assert chats.digest_sent(db, 5, "2026-01-10")


def test_console_bot_never_calls_telegram(db):
    from bot.app import ConsoleModeError

    async def scenario():
        app = build_application(Config(storage_path=":memory:"), db, console=True, sink=ListSink(),
                                registry=load_registry(), start_jobs=False)
        async with app:
            assert (await app.bot.get_me()).username == "raqib_console_bot"
            with pytest.raises(ConsoleModeError):
                await app.bot.send_message(1, "hi")
            assert app.updater is None

    asyncio.run(scenario())
