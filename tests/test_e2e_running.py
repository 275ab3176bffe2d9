"""End to end against ONE running ``raqib run`` process: the tests here need a service that runs, not a fresh
start or a restart, so they share one process (a start costs about 2 s of CPU; issue 11), in this file's order.

The service runs with verbose logging, the fake Bot API server and a loopback feed server with three feeds: a
quiet one, a healthy one and one left in backoff by an offline spell before the start. The fixture's teardown
stops it (exit status 0) and checks that its log, over every test here, never had the token. Tests that start,
restart or kill a service start their own (test_e2e_service, test_e2e_locked, test_startup, ...); the last test
here stops this one and starts it again on the same database, for real. make test runs this module on one
pytest-xdist worker (ONE_WORKER in tests/conftest.py)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time

import pytest

from bot import health
from storage import feeds as feed_store
from storage.db import open_db
from tests.fake_telegram import FakeTelegram, parse_html
from tests.feed_server import FeedServer, rss
from tests.test_bad_input import raqib
from tests.test_e2e_service import RAQIB, Service
from tests.test_feed_retry import back_off
from tests.test_startup import run_raqib

pytestmark = pytest.mark.slow

TOKEN = "123456:AAH-secret-token"
ADMIN = 77


def feed_polled(service: Service, url: str) -> bool:
    row = service.query(f"SELECT last_success_at FROM feeds WHERE url = '{url}'")
    return row is not None and row[0] is not None


def wait(condition, what: str, service: Service, timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout  # generous: a busy machine starts and polls slowly
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}:\n{service.log.read_text()[-3000:]}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """(fake Telegram, feed server, service, the backed-off feed's URL): one ``raqib -v run``, its first polls
    done."""
    folder = tmp_path_factory.mktemp("running")
    with FakeTelegram(token=TOKEN) as telegram, FeedServer() as feeds:
        feeds.route("/quiet.xml", rss([{"title": "Quiet", "link": "https://x.test/1", "guid": "g1",
                                        "description": "<p>Nothing to see.</p>"}]))
        feeds.route("/healthy.xml", lambda _n: rss([]))
        feeds.route("/back.xml", lambda _n: rss([{"title": "Back", "link": "https://x.test/2", "guid": "g2",
                                                  "description": "<p>The site is back.</p>"}]))
        service = Service(folder, telegram.api_url, feeds.url("/quiet.xml"), token=TOKEN, options=("-v",))
        service.config.write_text(
            f'[storage]\npath = "raqib.db"\n\n[telegram]\napi_url = "{telegram.api_url}"\n'
            f'file_api_url = "{telegram.file_api_url}"\nadmins = [{ADMIN}]\n'
            + "".join(f'\n[[feeds]]\nurl = "{feeds.url(path)}"\nlang = "en"\ninterval = 5\nfetch_pages = false\n'
                      for path in ("/quiet.xml", "/healthy.xml", "/back.xml")), encoding="utf-8")
        back = feeds.url("/back.xml")
        back_off(service.db_path, back)  # it was offline, the next try 8 hours away; its server is up again now
        try:
            service.start(telegram)
            wait(lambda: feed_polled(service, feeds.url("/quiet.xml")) and feed_polled(service, feeds.url(
                "/healthy.xml")), "the feeds were not polled", service)
            yield telegram, feeds, service, back
            if service.process.poll() is None:
                assert service.stop() == 0
        finally:
            if service.process is not None and service.process.poll() is None:
                service.stop(signal.SIGKILL)
    log = service.log.read_text()
    assert "DEBUG" in log  # verbose: everything it logs is in this file
    assert TOKEN not in log and "AAH-secret" not in log


def test_raqib_run_with_a_token_answers_on_telegram(running):
    telegram, _feeds, service, _back = running
    assert telegram.method_calls("setMyCommands")
    telegram.send_command(ADMIN, "/status", user_id=ADMIN)
    reply = telegram.wait_for(lambda m: int(m["chat_id"]) == ADMIN, timeout=20)
    assert "Feeds: 3 (1 failing)" in parse_html(reply["text"])
    assert TOKEN not in service.log.read_text()  # and at the end, over every test here (the fixture)


def test_commands_are_answered_while_another_process_holds_the_write_lock(running):
    telegram, _feeds, service, _back = running
    before = len(telegram.sent(32))
    telegram.send_command(32, "/help")  # the chat is known from now on
    telegram.wait_until(lambda: len(telegram.sent(32)) > before, timeout=15)
    other = sqlite3.connect(service.db_path, timeout=30, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. a backup or a long import in another process
    try:
        for command in ("/help", "/latest", "/who"):
            before = len(telegram.sent(32))
            telegram.send_command(32, command)
            # answered while the lock is still held (the service used to wait 30 s for it, frozen)
            telegram.wait_until(lambda before=before: len(telegram.sent(32)) > before, timeout=15)
            assert "Something went wrong" not in telegram.sent(32)[-1]["text"]
    finally:
        other.execute("COMMIT")
        other.close()
    before = len(telegram.sent(32))
    telegram.send_command(32, "/subscribe pentagon")  # a write, once the lock is gone
    telegram.wait_until(lambda: len(telegram.sent(32)) > before, timeout=15)
    assert "Following" in telegram.sent(32)[-1]["text"]


def test_a_running_service_polls_a_retried_feed_within_seconds(running):
    telegram, feeds, service, back = running
    # more than the feeds' interval (5 s) since the start: the healthy feed polled twice; the backoff keeps the
    # other waiting
    telegram.wait_until(lambda: len(feeds.requests_to("/healthy.xml")) >= 2, timeout=40)
    assert feeds.requests_to("/back.xml") == []
    retried = raqib("--config", str(service.config), "feeds", "retry", back, cwd=service.folder)
    assert retried.returncode == 0, retried.stderr
    # the retry job looks every 2 s; the backoff had 8 hours to go
    wait(lambda: feeds.requests_to("/back.xml"), "the retried feed was not polled", service, timeout=15)

    def recovered() -> bool:
        db = open_db(service.db_path)
        try:
            feed = feed_store.feed_by_url(db, back)
        finally:
            db.close()
        return feed.consecutive_failures == 0 and feed.last_success_at is not None

    wait(recovered, "the retried feed's poll was not recorded", service, timeout=15)


def test_raqib_health_against_the_real_service_and_a_frozen_one(running):
    """The real `raqib run` writes its heartbeat; `raqib health` says ok; once the process is frozen (SIGSTOP:
    alive, but no job runs) the heartbeat ages and `raqib health` exits 1."""
    _telegram, _feeds, service, _back = running
    beat = health.heartbeat_path(service.db_path)
    wait(beat.exists, "no heartbeat", service, timeout=30)
    ok = subprocess.run([str(RAQIB), "--config", str(service.config), "health"], capture_output=True, text=True,
                        timeout=60)
    assert ok.returncode == 0 and ok.stdout.startswith("ok: heartbeat"), ok.stdout + ok.stderr
    os.kill(service.process.pid, signal.SIGSTOP)
    try:
        # frozen: no beat is written any more; wait until the last one is older than --max-age 2
        deadline = time.monotonic() + 30
        while health.check(beat, max_age=2).ok and time.monotonic() < deadline:
            time.sleep(0.1)
        stale = subprocess.run([str(RAQIB), "--config", str(service.config), "health", "--max-age", "2"],
                               capture_output=True, text=True, timeout=60)
    finally:
        os.kill(service.process.pid, signal.SIGCONT)
    assert stale.returncode == 1 and "the service's jobs have stopped" in stale.stdout


def test_a_second_service_on_the_same_database_is_refused_in_one_line(running):
    """Last here: it stops the shared service and starts it again on the same database."""
    telegram, _feeds, service, _back = running
    # a delivery in flight for the first service: the second one's start-up recovery must not re-queue it
    conn = sqlite3.connect(service.db_path, timeout=30, isolation_level=None)
    conn.execute("INSERT INTO chats (id, type, title) VALUES (4242, 'private', 'x')")
    cluster = conn.execute("INSERT INTO clusters (speaker, text, norm_text, fanned_out) "
                           "VALUES ('us-state-department', 't', 't', 1)").lastrowid
    conn.execute("INSERT INTO deliveries (chat_id, cluster_id, status, attempts) VALUES (4242, ?, 'sending', 1)",
                 (cluster,))
    second = run_raqib(service.config, TOKEN)
    assert second.returncode == 2, (second.stdout, second.stderr)
    err = second.stderr.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert "another Raqib service" in err and str(service.process.pid) in err, err
    assert TOKEN not in second.stdout + second.stderr
    assert conn.execute("SELECT status FROM deliveries WHERE chat_id = 4242").fetchone()[0] == "sending"
    conn.close()
    before = len(telegram.sent(31))
    update_id = telegram.send_command(31, "/help")
    telegram.wait_until(lambda: len(telegram.sent(31)) > before, timeout=15)
    # the service has confirmed the update (a later getUpdates asks from beyond it), so it is never handed out
    # again; then one more command answered shows the first was answered once, by the one service that polls
    telegram.wait_until(lambda: any(int(p.get("offset") or 0) > update_id
                                    for p in telegram.method_calls("getUpdates")), timeout=30)
    help_text = telegram.sent(31)[before]["text"]
    telegram.send_command(31, "/latest")
    telegram.wait_until(lambda: any(m["text"] != help_text for m in telegram.sent(31)[before:]), timeout=15)
    # answered once: only one service polls for updates, and a confirmed update is not handed out again
    assert [m["text"] for m in telegram.sent(31)[before:]].count(help_text) == 1
    assert service.stop() == 0
    # once the first one has stopped, a service starts again on the same database
    service.start(telegram)
    assert service.stop() == 0
