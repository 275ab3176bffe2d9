"""Getting started: `raqib --version`, /id (a user's numeric id for `admins`, a chat's id for `channels`), and the
heartbeat behind `raqib health` (Docker's HEALTHCHECK): healthy while the real JobQueue runs the jobs, unhealthy
when the heartbeat is old or a job stopped running. (`raqib health` against the real `raqib run`, running and
frozen: tests/test_e2e_running.py, against one shared running service.)"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import subprocess
import time
from pathlib import Path

import pytest

from bot import health
from bot.app import build_application
from bot.cli import main
from config import Config, TelegramConfig
from reactions.registry import load_registry
from tests.fake_telegram import FakeTelegram, parse_html
from tests.test_bot_handlers import ADMIN, Chat, running

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def server():
    with FakeTelegram(token="123:ABC") as fake:
        yield fake


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    from importlib.metadata import version

    assert capsys.readouterr().out.strip() == f"raqib {version('raqib')}"
    out = subprocess.run([str(ROOT / ".venv" / "bin" / "raqib"), "--version"], capture_output=True, text=True,
                         check=True).stdout
    assert out.startswith("raqib ") and out.split()[1][0].isdigit()


def test_id_tells_users_and_chats_their_ids(db, server):
    async def scenario():
        async with running(db, server):
            reply = await Chat(server, 4242).say("/id")
            assert "Your Telegram user id: 4242" in reply["visible"] and "admins" in reply["visible"]
            assert "This chat's id" not in reply["visible"]
            admin = await Chat(server, ADMIN).say("/id")
            assert "administrators" in admin["visible"] and "999" in admin["visible"]
            group = await Chat(server, -5005, user_id=77, chat_type="supergroup").say("/id")
            assert "Your Telegram user id: 77" in group["visible"] and "This chat's id: -5005" in group["visible"]
            arabic = await Chat(server, 4343, lang="ar").say("/id")
            assert "معرّفك الرقمي في تيليغرام: 4343" in arabic["visible"]
            channel = {"id": -100999, "type": "channel", "title": "Raqib channel"}
            server.chats[-100999] = channel
            server.inject_update({"channel_post": {
                "message_id": 1, "date": 0, "chat": channel, "sender_chat": channel, "text": "/id",
                "entities": [{"type": "bot_command", "offset": 0, "length": 3}]}})
            posted = await server.await_for(lambda m: m["chat_id"] == -100999)
            visible = parse_html(posted["text"])
            assert "-100999" in visible and "channels" in visible and "user id" not in visible
            assert server.method_calls("getChatMember") == []
    asyncio.run(scenario())


def test_id_is_in_the_help_and_the_command_menu(db, server):
    async def scenario():
        async with running(db, server):
            reply = await Chat(server, 4444).say("/help")
            assert "/id" in reply["visible"]
    asyncio.run(scenario())
    from bot.app import commands

    assert "id" in [c.command for c in commands("en")] and "id" in [c.command for c in commands("ar")]


@pytest.mark.slow
def test_the_service_writes_a_heartbeat_that_raqib_health_accepts(tmp_path, capsys):
    """The real Application's post_init starts the jobs; the heartbeat records them running."""
    db_path = tmp_path / "raqib.db"
    with FakeTelegram(token="123:ABC") as server:
        config = Config(storage_path=db_path, telegram=TelegramConfig(
            token="123:ABC", api_url=server.api_url, file_api_url=server.file_api_url))
        from storage.db import open_db

        db = open_db(db_path)

        async def scenario():
            app = build_application(config, db, registry=load_registry())
            async with app:
                await app.post_init(app)
                await app.start()
                beat = health.heartbeat_path(db_path)
                def delivery_recorded() -> bool:  # a beat (written atomically) after the delivery job ran
                    return beat.exists() and any(j["name"] == "raqib-delivery" and j["last_run"]
                                                 for j in json.loads(beat.read_text())["jobs"])

                # the heartbeat job writes at 0.5 s, before the delivery job's first run (1 s), then every 30 s:
                # it is brought forward (through the scheduler, as a tick would run it) until a beat has it
                heartbeat_job = app.job_queue.get_jobs_by_name(health.JOB_NAME)[0].job
                for _ in range(600):
                    if delivery_recorded():
                        break
                    heartbeat_job.modify(next_run_time=dt.datetime.now(dt.UTC))
                    await asyncio.sleep(0.05)
                names = [j.name for j in app.job_queue.jobs()]
                await app.stop()
                await app.post_shutdown(app)
            return names

        names = asyncio.run(scenario())
        db.close()
    assert "heartbeat" in names
    data = json.loads(health.heartbeat_path(db_path).read_text())
    recorded = {j["name"]: j for j in data["jobs"]}
    assert "raqib-delivery" in recorded and recorded["raqib-delivery"]["interval"] == 1.0
    assert "heartbeat" not in recorded
    toml = tmp_path / "raqib.toml"
    toml.write_text(f'[storage]\npath = "{db_path}"\n', encoding="utf-8")
    assert main(["--config", str(toml), "health"]) == 0
    assert capsys.readouterr().out.startswith("ok: heartbeat")
    # time passes with no heartbeat: unhealthy, exit 1
    now = time.time() + 600
    verdict = health.check(health.heartbeat_path(db_path), now=now)
    assert not verdict.ok and "heartbeat is" in verdict.problems[0]


def write_beat(path, *, written, started, jobs):
    path.write_text(json.dumps({"written_at": written, "started_at": started, "pid": 1, "jobs": jobs}))


def test_health_flags_a_job_that_stopped_running(tmp_path):
    beat = tmp_path / "x.db.heartbeat"
    now = 1_000_000.0
    jobs = [{"name": "raqib-delivery", "interval": 1.0, "last_run": now - 1},
            {"name": "feed:https://a.example/rss", "interval": 600.0, "last_run": now - 500}]
    write_beat(beat, written=now - 5, started=now - 3600, jobs=jobs)
    assert health.check(beat, now=now).ok
    jobs[0]["last_run"] = now - 400  # the sender stopped while the heartbeat goes on
    write_beat(beat, written=now - 5, started=now - 3600, jobs=jobs)
    verdict = health.check(beat, now=now)
    assert not verdict.ok and verdict.problems == (
        "job raqib-delivery has not run for 395 s (it runs every 1 s)",)
    jobs[0]["last_run"] = None  # never ran since a start an hour ago
    write_beat(beat, written=now - 5, started=now - 3600, jobs=jobs)
    assert "raqib-delivery" in health.check(beat, now=now).problems[0]
    write_beat(beat, written=now - 5, started=now - 10, jobs=jobs)  # just started: not late yet
    assert health.check(beat, now=now).ok


def test_health_without_a_heartbeat_or_with_a_broken_one(tmp_path, capsys):
    toml = tmp_path / "raqib.toml"
    toml.write_text('[storage]\npath = "raqib.db"\n', encoding="utf-8")
    assert main(["--config", str(toml), "health"]) == 1
    assert "unhealthy: no heartbeat" in capsys.readouterr().out
    (tmp_path / "raqib.db.heartbeat").write_text("{not json")
    assert main(["--config", str(toml), "health"]) == 1
    assert "unreadable heartbeat" in capsys.readouterr().out
    assert main(["--config", str(tmp_path / "missing.toml"), "health"]) == 2


def test_dockerfile_has_a_healthcheck_running_raqib_health():
    text = (ROOT / "Dockerfile").read_text()
    line = next(line for line in text.splitlines() if line.startswith("HEALTHCHECK"))
    assert "raqib" in line and "health" in line


def test_systemd_unit_runs_the_service_and_restarts_it():
    unit = (ROOT / "deploy" / "raqib.service").read_text()
    assert "ExecStart=" in unit and " run" in unit and "Restart=on-failure" in unit
    assert "EnvironmentFile=" in unit  # the token comes from a file outside the repository
