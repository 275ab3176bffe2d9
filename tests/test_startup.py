"""Start-up as an operator meets it (issue 10, items 2, 7 and 10), with the real ``raqib run`` process: one
service per database, a token Telegram rejects never printed, and a service that starts while Telegram is
unreachable. (A second service refused while one runs, and commands answered while another process holds the
write lock: tests/test_e2e_running.py, against one shared running service.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fake_telegram import FakeTelegram
from tests.feed_server import FeedServer, rss
from tests.test_e2e_service import ROOT, TOKEN, Service

RAQIB = ROOT / ".venv" / "bin" / "raqib"


def run_raqib(config: Path, token: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": token, "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.pop("RAQIB_CONFIG", None)
    command = [str(RAQIB)] if RAQIB.exists() else [sys.executable, "-m", "bot"]
    return subprocess.run([*command, "--config", str(config), "run"], cwd=config.parent, env=env,
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture
def world(tmp_path):
    with FakeTelegram(token=TOKEN) as telegram, FeedServer() as feeds:
        feeds.route("/feed.xml", rss([{"title": "Quiet", "link": "https://x.test/1", "guid": "g1",
                                       "description": "<p>Nothing to see.</p>"}]))
        service = Service(tmp_path, telegram.api_url, feeds.url("/feed.xml"))
        try:
            yield telegram, feeds, service
        finally:
            if service.process is not None and service.process.poll() is None:
                service.stop(signal.SIGKILL)


def test_a_rejected_token_is_one_line_and_never_printed(world):
    _telegram, _feeds, service = world
    secret = "987654:SECRET-token-that-must-not-leak"
    result = run_raqib(service.config, secret)
    assert result.returncode == 2, (result.stdout[-2000:], result.stderr[-2000:])
    assert secret not in result.stdout and secret not in result.stderr
    assert "SECRET" not in result.stdout + result.stderr
    err = result.stderr.strip().splitlines()
    assert err[-1] == "raqib: Telegram rejected the bot token (check TELEGRAM_BOT_TOKEN or [telegram].token; " \
                      "@BotFather gives it)", result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_a_service_started_without_telegram_waits_polls_feeds_and_delivers_later(tmp_path):
    import email.utils

    from storage import chats
    from storage.db import open_db

    port = free_port()
    items: list[dict] = []
    with FeedServer() as feeds:
        feeds.route("/state.xml", lambda _n: rss(items))
        service = Service(tmp_path, f"http://127.0.0.1:{port}/bot", feeds.url("/state.xml"))
        service.config.write_text(
            f'[storage]\npath = "raqib.db"\n\n[telegram]\napi_url = "http://127.0.0.1:{port}/bot"\n\n'
            f'[[feeds]]\nurl = "{feeds.url("/state.xml")}"\nname = "State"\nlang = "en"\ninterval = 5\n'
            'speaker = "us-state-department"\nfetch_pages = false\n', encoding="utf-8")
        db = open_db(service.db_path)
        chats.ensure_chat(db, 6001, "private", "reader", "en")
        chats.subscribe(db, 6001, "us-state-department")
        db.close()
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "PYTHONUNBUFFERED": "1",
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        env.pop("RAQIB_CONFIG", None)
        command = [str(RAQIB)] if RAQIB.exists() else [sys.executable, "-m", "bot"]
        with open(service.log, "w", encoding="utf-8") as log:
            service.process = subprocess.Popen([*command, "--config", str(service.config), "run"], cwd=tmp_path,
                                               env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while not feeds.requests_to("/state.xml") and time.monotonic() < deadline:
                time.sleep(0.1)
            assert service.process.poll() is None, service.log.read_text()[-3000:]
            assert feeds.requests_to("/state.xml"), service.log.read_text()[-3000:]  # polling while waiting
            now = service.time_after_the_feeds_were_added()  # so the item is news, not the feed's backlog
            items.append({"title": "Statement soak-1 on the harbour", "link": "https://state.test/1", "guid": "s1",
                          "description": "<p>The United States calls for calm at the harbour.</p>",
                          "pubDate": email.utils.format_datetime(now, usegmt=True)})
            polled = len(feeds.requests_to("/state.xml"))
            deadline = time.monotonic() + 60
            while len(feeds.requests_to("/state.xml")) <= polled and time.monotonic() < deadline:
                time.sleep(0.1)
            log_text = service.log.read_text()
            assert "Telegram is unreachable" in log_text and "Traceback" not in log_text, log_text[-3000:]
            assert service.process.poll() is None
            with FakeTelegram(token=TOKEN, port=port) as telegram:  # Telegram comes back
                push = telegram.wait_for(lambda m: m["chat_id"] == 6001, timeout=90)
                assert "harbour" in push["text"]
                assert service.stop() == 0
        finally:
            if service.process.poll() is None:
                service.stop(signal.SIGKILL)
    lines = [x for x in service.log.read_text().splitlines() if "Telegram is unreachable" in x]
    assert lines and all(TOKEN not in x for x in lines)
