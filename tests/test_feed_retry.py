"""A feed's backoff is visible and resettable (issue 10, item 13): ``raqib feeds list`` shows the next try,
``raqib feeds retry URL|--all`` and ``/status retry`` reset it, and a running ``raqib run`` polls a retried feed
within seconds instead of hours (that one in tests/test_e2e_running.py, against one shared running service)."""

from __future__ import annotations

import asyncio
import datetime as dt

from storage import feeds as feed_store
from storage.db import open_db
from tests.fake_telegram import FakeTelegram
from tests.test_bad_input import one_line_error, raqib, raqib_in_process
from tests.test_bot_handlers import ADMIN, Chat, running


def in_hours(hours: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M:%S")


def back_off(db_path, url: str, hours: float = 8, failures: int = 7) -> None:
    """The state after an offline spell: several failures, the next try hours away."""
    db = open_db(db_path)
    try:
        feed = feed_store.feed_by_url(db, url) or feed_store.add_feed(db, url, name="Offline")
        for _ in range(failures):
            feed_store.record_poll_failure(db, feed.id, status=None, error="connection refused",
                                           next_poll_at=in_hours(hours))
    finally:
        db.close()


def test_feeds_list_shows_the_next_try_and_retry_resets_it(tmp_path, monkeypatch, capsys):
    def cli(*args: str):  # in this process: a process start costs about half a second of CPU (one real one below)
        return raqib_in_process("--config", "raqib.toml", *args, cwd=tmp_path, monkeypatch=monkeypatch,
                                capsys=capsys)

    (tmp_path / "raqib.toml").write_text('[storage]\npath = "r.db"\n')
    back_off(tmp_path / "r.db", "https://down.example/rss")
    back_off(tmp_path / "r.db", "https://other.example/rss", hours=2, failures=3)
    listing = raqib("--config", "raqib.toml", "feeds", "list", cwd=tmp_path)  # the real process
    assert listing.returncode == 0, listing.stderr
    assert "NEXT TRY" in listing.stdout and "in 7h59m" in listing.stdout, listing.stdout
    assert "raqib feeds retry" in listing.stdout

    retried = cli("feeds", "retry", "https://down.example/rss")
    assert retried.returncode == 0 and "retry now: https://down.example/rss" in retried.stdout, retried
    line = next(x for x in cli("feeds", "list").stdout.splitlines() if x.endswith("https://down.example/rss"))
    assert " now " in line and "7h" not in line, line

    everything = cli("feeds", "retry", "--all")
    assert "https://other.example/rss" in everything.stdout, everything
    assert "nothing to retry" in cli("feeds", "retry", "--all").stdout
    one_line_error(cli("feeds", "retry", "https://nope.example/"), "no feed https://nope.example/")
    assert cli("feeds", "retry").returncode == 2  # URL or --all


def test_status_shows_the_next_try_and_retry_resets_it(db, db_path):
    back_off(db_path, "https://down.example/rss")

    async def scenario():
        with FakeTelegram(token="123:ABC") as server:
            async with running(db, server):
                admin = Chat(server, ADMIN, user_id=ADMIN)
                status = await admin.say("/status")
                assert "next try" in status["visible"] and "/status retry all" in status["visible"]
                assert in_hours(8)[:13] in status["visible"].replace("T", " ")  # the date and hour of the try
                reply = await admin.say("/status retry all")
                assert "Retrying now: https://down.example/rss" in reply["visible"]
                reply = await admin.say("/status retry https://nope.example/")
                assert "is not a feed" in reply["visible"]
                reply = await admin.say("/status frobnicate")
                assert "Usage: /status" in reply["visible"]
                other = Chat(server, 77, user_id=77)
                assert "only" in (await other.say("/status retry all"))["visible"].lower()
    asyncio.run(scenario())
    assert feed_store.feed_by_url(db, "https://down.example/rss").next_poll_at == feed_store.RETRY_NOW
