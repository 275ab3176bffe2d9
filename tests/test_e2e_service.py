"""End to end: the real ``raqib run`` process against the fake Bot API server and a loopback feed server.

A user subscribes, the feed gains the seed article about the Hasakah prison attack, and the push arrives
with the State Department's words (and nothing of the Syrian Observatory's as a statement); /latest and /who
answer; a restart sends nothing twice; a 429 storm and a blocked user lose nothing; a ``kill -9`` in the
middle of a fan-out repeats at most one message per chat.

These tests start processes and wait for feed polls (interval 5 s) and for the outbox to settle (never a
fixed sleep): about a minute in all, marked slow.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import signal
import subprocess
import sys
import time
from email.utils import format_datetime
from pathlib import Path

import pytest

from storage import outbox
from storage.db import open_db
from tests import feed_server
from tests.fake_telegram import FakeTelegram
from tests.paths import ROOT, shared

SEED_STATE = shared("seeds", "002_e2377022da9fdce4.txt")  # published 2022-01-22: the State Department's reaction
SEED_OTHER = shared("seeds", "000_fb7f54fa400c2e16.txt")
TOKEN = "123:ABC"
RAQIB = ROOT / ".venv" / "bin" / "raqib"

pytestmark = pytest.mark.slow


def item_xml(path: Path, guid: str, published: str) -> str:
    title, _, body = path.read_text(encoding="utf-8").partition("\n")
    when = format_datetime(dt.datetime.fromisoformat(published).replace(tzinfo=dt.UTC), usegmt=True)
    paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n") if p.strip())
    return (f"<item><title>{html.escape(title.strip())}</title><link>http://news.invalid/{guid}</link>"
            f"<guid isPermaLink=\"false\">{guid}</guid><pubDate>{when}</pubDate>"
            f"<description>{html.escape(paragraphs)}</description></item>")


def rss(items: list[str]) -> bytes:
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Loopback News</title>"
            "<link>http://news.invalid/</link><description>seeds</description>" + "".join(items)
            + "</channel></rss>").encode()


class Service:
    """One ``raqib run`` process with its own configuration, database and log."""

    def __init__(self, folder: Path, api_url: str, feed_url: str, *, token: str = TOKEN,
                 options: tuple[str, ...] = ()) -> None:
        """``options``: given to ``raqib`` before ``run`` at every start (``("-v",)``: verbose logging)."""
        self.folder = folder
        self.token, self.options = token, options
        self.config = folder / "raqib.toml"
        self.db_path = folder / "raqib.db"
        self.log = folder / "raqib.log"
        self.config.write_text(
            f'[storage]\npath = "raqib.db"\n\n[telegram]\napi_url = "{api_url}"\n\n'
            f'[[feeds]]\nurl = "{feed_url}"\nname = "Loopback News"\nlang = "ar"\ninterval = 5\n'
            "fetch_pages = false\n", encoding="utf-8")
        self.process: subprocess.Popen | None = None

    def start(self, server: FakeTelegram, timeout: float = 90.0) -> None:
        """Start ``raqib run`` and wait until it polls Telegram (generous: a busy machine starts Python slowly)."""
        polls = len(server.method_calls("getUpdates"))
        # PYTHONPATH: this tree's packages first (an editable install made before a package gained its
        # __init__.py still maps it as a namespace package)
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": self.token, "PYTHONUNBUFFERED": "1",
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        env.pop("RAQIB_CONFIG", None)
        command = [str(RAQIB)] if RAQIB.exists() else [sys.executable, "-m", "bot"]
        with open(self.log, "a", encoding="utf-8") as log:
            self.process = subprocess.Popen([*command, *self.options, "--config", str(self.config), "run"],
                                            cwd=self.folder,
                                            env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while len(server.method_calls("getUpdates")) <= polls:  # polling has started
            if self.process.poll() is not None or time.monotonic() > deadline:
                if self.process.poll() is None:  # never leave it running (callers may not stop it)
                    self.process.kill()
                    self.process.wait(30)
                raise AssertionError(f"raqib run did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.1)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
                raise AssertionError(f"raqib run did not stop on {sig}:\n{self.log.read_text()[-3000:]}") from None
        return self.process.returncode

    def counts(self) -> dict[str, int]:
        db = open_db(self.db_path)
        try:
            return outbox.delivery_counts(db)
        finally:
            db.conn.close()

    def wait_first_poll(self, timeout: float = 90.0) -> None:  # generous: a busy machine parses slowly
        """Until the feed's first poll is stored: what it finds is the backlog, which is not pushed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.db_path.exists():
                db = open_db(self.db_path)
                try:
                    row = db.conn.execute("SELECT last_success_at FROM feeds").fetchone()
                finally:
                    db.conn.close()
                if row is not None and row[0] is not None:
                    return
            time.sleep(0.1)
        raise AssertionError(f"the feed was not polled:\n{self.log.read_text()[-3000:]}")

    def query(self, sql: str) -> tuple:
        db = open_db(self.db_path)
        try:
            return db.conn.execute(sql).fetchone()
        finally:
            db.conn.close()

    def time_after_the_feeds_were_added(self, timeout: float = 10.0) -> dt.datetime:
        """Now, once it is later than every feed's ``created_at`` when both are cut to whole seconds (as the
        database keeps times): an item dated now is news, not the feed's backlog. Waits for the clock to pass
        that second instead of sleeping a fixed time."""
        added = dt.datetime.fromisoformat(self.query("SELECT max(created_at) FROM feeds")[0]).replace(tzinfo=dt.UTC)
        deadline = time.monotonic() + timeout
        while dt.datetime.now(dt.UTC).replace(microsecond=0) <= added:
            assert time.monotonic() < deadline, f"the clock did not pass {added}"
            time.sleep(0.05)
        return dt.datetime.now(dt.UTC)

    def wait_settled(self, timeout: float = 60.0) -> None:
        """Until every stored cluster is fanned out and every delivery sent or given up: what polling
        handed to delivery is done."""
        deadline = time.monotonic() + timeout
        while True:
            waiting = self.query("SELECT count(*) FROM clusters WHERE fanned_out = 0")[0]
            counts = self.counts()
            if not waiting and counts["pending"] == counts["sending"] == 0:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the outbox did not settle ({waiting} clusters waiting, {counts}):\n"
                                     f"{self.log.read_text()[-3000:]}")
            time.sleep(0.1)

    def wait_poll_after(self, last_polled_at: str, timeout: float = 30.0) -> None:
        """Until the feed has been polled again since ``last_polled_at``."""
        deadline = time.monotonic() + timeout
        while self.query("SELECT last_polled_at FROM feeds")[0] <= last_polled_at:
            if time.monotonic() > deadline:
                raise AssertionError(f"the feed was not polled again:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.1)

    def chat_active(self, chat_id: int) -> bool | None:
        db = open_db(self.db_path)
        try:
            row = db.conn.execute("SELECT active FROM chats WHERE id = ?", (chat_id,)).fetchone()
            return None if row is None else bool(row[0])
        finally:
            db.conn.close()


def is_push(message: dict) -> bool:
    """A push (bot/push_format.py): flag and bold speaker name first, statements quoted, the source last."""
    text = message["text"]
    return bool(re.match(r"\S+ <b>[^<]+</b>", text)) and "<blockquote>" in text and "📰" in text


def quotes_of(message: dict) -> list[str]:
    return re.findall(r"<blockquote>(.*?)</blockquote>", message["text"], flags=re.S)


@pytest.fixture
def world(tmp_path):
    """(fake Telegram, feed items list, service, feed server) with the feed serving ``items`` live."""
    items: list[str] = [item_xml(SEED_OTHER, "seed-000", "2022-01-22T09:00:00")]
    with FakeTelegram(token=TOKEN) as telegram, feed_server.FeedServer() as feeds:
        feeds.route("/feed.xml", lambda n: rss(items), content_type="application/rss+xml")
        service = Service(tmp_path, telegram.api_url, feeds.url("/feed.xml"))
        try:
            yield telegram, items, service, feeds
        finally:
            if service.process is not None and service.process.poll() is None:
                service.stop(signal.SIGKILL)


def subscribe(telegram: FakeTelegram, chat_id: int, lang: str = "ar") -> None:
    before = len(telegram.sent(chat_id))
    telegram.send_command(chat_id, "/subscribe us-state-department", language_code=lang)
    telegram.wait_until(lambda: len(telegram.sent(chat_id)) > before, timeout=15)


def test_subscribe_push_latest_who_and_restart(world):
    telegram, items, service, feeds = world
    service.start(telegram)
    # the first poll: seed 000 (UN and UK statements) is stored before anyone subscribes
    service.wait_first_poll()
    subscribe(telegram, 1001)
    assert not [m for m in telegram.sent(1001) if is_push(m)]

    items.append(item_xml(SEED_STATE, "seed-002", "2022-01-22T18:00:00"))
    push = telegram.wait_for(lambda m: m["chat_id"] == 1001 and is_push(m), timeout=40)
    quotes = quotes_of(push)
    assert any("الخارجية الأمريكية" in q or "الولايات المتحدة" in q for q in quotes), push["text"]
    assert not any("المرصد" in q for q in quotes), push["text"]  # the Observatory's words are not the State Dept's
    assert "🇺🇸" in push["text"]

    for command in ("/latest", "/who"):
        before = len(telegram.sent(1001))
        telegram.send_command(1001, command, language_code="ar")
        telegram.wait_until(lambda before=before: len(telegram.sent(1001)) > before, timeout=15)

    service.wait_settled()
    pushes = [m for m in telegram.sent(1001) if is_push(m)]
    polled = service.query("SELECT last_polled_at FROM feeds")[0]
    assert service.stop() == 0
    service.start(telegram)
    service.wait_poll_after(polled)  # the unchanged feed polled again after the restart ...
    service.wait_settled()  # ... and whatever that poll handed to delivery is done
    assert [m for m in telegram.sent(1001) if is_push(m)] == pushes  # nothing sent twice
    assert service.counts()["pending"] == 0
    assert service.stop() == 0


def test_429_storm_and_blocked_user_lose_nothing(world):
    telegram, items, service, _feeds = world
    service.start(telegram)
    chat_ids = [2001, 2002, 2003, 2004, 2005]
    for chat_id in chat_ids:
        subscribe(telegram, chat_id, lang="en" if chat_id % 2 else "ar")
    telegram.block(2003)
    telegram.flood(times=6, retry_after=1)
    service.wait_first_poll()
    items.append(item_xml(SEED_STATE, "seed-002", "2022-01-22T18:00:00"))
    expected = [c for c in chat_ids if c != 2003]
    telegram.wait_until(lambda: all(any(is_push(m) for m in telegram.sent(c)) for c in expected), timeout=60)
    service.wait_settled()
    for chat_id in expected:
        assert len([m for m in telegram.sent(chat_id) if is_push(m)]) >= 1
    assert telegram.stats.rejected_429 >= 6
    assert service.chat_active(2003) is False
    counts = service.counts()
    assert counts["pending"] == counts["sending"] == 0
    assert service.stop() == 0
    # each chat got each of its messages once: the pushes per chat are all different
    for chat_id in expected:
        texts = [m["text"] for m in telegram.sent(chat_id) if is_push(m)]
        assert len(texts) == len(set(texts))


def test_kill_9_during_fan_out_repeats_at_most_one_per_chat(world):
    telegram, items, service, _feeds = world
    service.start(telegram)
    chat_ids = list(range(3001, 3041))
    for chat_id in chat_ids:
        subscribe(telegram, chat_id, lang="ar")
    service.wait_first_poll()
    telegram.send_latency = 0.1  # a slow Telegram: the fan-out to 40 chats takes seconds, the kill lands in it
    items.append(item_xml(SEED_STATE, "seed-002", "2022-01-22T18:00:00"))
    telegram.wait_until(lambda: sum(is_push(m) for m in telegram.sent()) >= 5, timeout=60)
    service.stop(signal.SIGKILL)
    telegram.send_latency = 0.0
    delivered_before = {c for c in chat_ids if any(is_push(m) for m in telegram.sent(c))}
    assert len(delivered_before) < len(chat_ids)
    service.start(telegram)
    telegram.wait_until(lambda: all(any(is_push(m) for m in telegram.sent(c)) for c in chat_ids), timeout=90)
    service.wait_settled()
    assert service.stop() == 0
    repeated = 0
    for chat_id in chat_ids:
        pushes = [m["text"] for m in telegram.sent(chat_id) if is_push(m)]
        distinct = len(set(pushes))
        assert len(pushes) - distinct <= 1, (chat_id, pushes)  # at most the one in flight, repeated once
        repeated += len(pushes) - distinct
    assert service.counts()["pending"] == 0
