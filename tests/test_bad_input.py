"""Bad arguments and bad configurations get a clear answer, never "Something went wrong" or a traceback
(issue 10, items 4, 14 and 15): the bot's commands against the fake Bot API, the CLI as the real ``raqib``
process (and, where a test tries many commands, each of them in-process too: a process start costs about half a
second of CPU)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main as cli_main
from storage import chats
from tests.fake_telegram import FakeTelegram
from tests.test_bot_handlers import Chat, running, seed

ROOT = Path(__file__).resolve().parents[1]
RAQIB = ROOT / ".venv" / "bin" / "raqib"


@pytest.fixture
def server():
    with FakeTelegram(token="123:ABC") as fake:
        yield fake


def no_error_reply(text: str) -> None:
    assert "Something went wrong" not in text and "حدث خطأ" not in text, text


# --- item 4: /who with a topic of only invisible characters -----------------------------------------

INVISIBLE = {
    "zero-width space": "\u200b",
    "right-to-left mark": "\u200f",
    "tatweel": "\u0640\u0640",
    "lone diacritic": "\u064e",
    "all of them": "\u200b\u200f\u0640\u064e\u200d",
}


def test_who_topic_of_invisible_characters_matches_nothing(db, server):
    seed(db)  # statements about Hasakah and a prison attack, from two speakers

    async def scenario():
        async with running(db, server):
            chat = Chat(server, 401)
            for name, topic in INVISIBLE.items():
                reply = await chat.say(f"/who {topic}")
                no_error_reply(reply["visible"])
                assert "Usage: /who" in reply["visible"], name
                assert "condemns" not in reply["visible"] and "Statement number" not in reply["visible"], name
            reply = await chat.say("/who prison")  # a real topic still finds its statement
            assert "condemns" in reply["visible"]
    asyncio.run(scenario())


def test_search_with_a_topic_that_folds_to_nothing_finds_nothing(db):
    import datetime as dt

    from storage import queries

    seed(db)
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=7)
    speakers = ["us-state-department", "us-pentagon"]
    for topic in INVISIBLE.values():
        results = queries.search_statements(db, topic, since, speakers)
        assert all(r.matches == 0 and r.match is None for r in results), topic
    assert queries.search_statements(db, "prison", since, speakers)[0].matches == 1


# --- item 14: handlers that crashed on bad arguments --------------------------------------------------

def test_latest_with_odd_numbers_answers_with_usage(db, server):
    seed(db)

    async def scenario():
        async with running(db, server):
            chat = Chat(server, 402)
            for bad in ("/latest ²", "/latest --5", "/latest -5", "/latest +3", "/latest 99999999999999999999",
                        "/latest ½"):
                reply = await chat.say(bad)
                no_error_reply(reply["visible"])
                assert "Usage: /latest" in reply["visible"], bad
            reply = await chat.say("/latest ٣")  # Arabic-Indic three is a count
            assert reply["visible"].count("🕒") == 3, reply["visible"]
    asyncio.run(scenario())


def test_digest_with_a_folder_or_overlong_timezone_answers_unknown_timezone(db, server):
    async def scenario():
        async with running(db, server):
            chat = Chat(server, 403)
            for tz in ("America", "Etc", "x" * 300, "Asia/" + "y" * 250, "../../etc/passwd", "posixrules/.."):
                reply = await chat.say(f"/digest 08:00 {tz}")
                no_error_reply(reply["visible"])
                assert "Unknown timezone" in reply["visible"], tz
                assert len(reply["text"]) < 600
            assert chats.chat_by_id(db, 403).timezone == "UTC"
            reply = await chat.say("/digest 09:15 Etc/GMT-3")
            assert "09:15 (Etc/GMT-3)" in reply["visible"]
    asyncio.run(scenario())


# --- item 14: the CLI, as the real process --------------------------------------------------------------

def raqib(*args: str, cwd: Path, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "RAQIB_CONFIG")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    command = [str(RAQIB)] if RAQIB.exists() else [sys.executable, "-m", "bot"]
    return subprocess.run([*command, *args], cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
                          timeout=timeout)


def raqib_in_process(*args: str, cwd: Path, monkeypatch, capsys) -> subprocess.CompletedProcess:
    """``raqib ARGS`` as :func:`bot.cli.main` in this process, in ``cwd``: what the real process runs once Python
    has started (about half a second of CPU each). A test using it runs the real process too, at least once."""
    monkeypatch.chdir(cwd)
    for name in ("TELEGRAM_BOT_TOKEN", "RAQIB_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    capsys.readouterr()
    try:
        status = cli_main(list(args))
    except SystemExit as exc:  # argparse
        status = exc.code
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(["raqib", *args], status, out, err)


def one_line_error(result: subprocess.CompletedProcess, *needles: str) -> str:
    err = result.stderr.strip()
    assert result.returncode == 2, (result.returncode, result.stdout[-2000:], err[-2000:])
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    for needle in needles:
        assert needle in err, err
    return err


def test_config_timezone_that_is_a_folder_is_one_line(tmp_path):
    (tmp_path / "raqib.toml").write_text('[storage]\npath = "r.db"\n[digest]\ntimezone = "America"\n')
    one_line_error(raqib("--config", "raqib.toml", "stats", cwd=tmp_path), "digest.timezone", "America")


def test_config_with_a_byte_order_mark_is_read(tmp_path):
    (tmp_path / "raqib.toml").write_bytes(b'\xef\xbb\xbf[storage]\npath = "bom.db"\n')
    result = raqib("--config", "raqib.toml", "stats", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "bom.db").exists()


def test_config_not_in_utf8_is_one_line(tmp_path):
    (tmp_path / "raqib.toml").write_bytes('[storage]\npath = "café.db"\n'.encode("latin-1"))
    one_line_error(raqib("--config", "raqib.toml", "stats", cwd=tmp_path), "not UTF-8", "line 2")


def test_empty_config_path_is_refused_not_replaced_by_the_example(tmp_path, monkeypatch, capsys):
    one_line_error(raqib("--config", "", "run", "--console", cwd=tmp_path, stdin=""), "--config", "empty")
    for command in (["stats"], ["poll", "--once"], ["run", "--console"]):
        result = raqib_in_process("--config", "", *command, cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
        one_line_error(result, "--config", "empty")
    assert not (tmp_path / "data").exists()  # the bundled example's database was not created


def test_extract_with_an_unreadable_date_is_a_usage_error(tmp_path):
    result = raqib("extract", "--published", "banana", "-", cwd=tmp_path,
                   stdin="The State Department said it condemns the attack.")
    assert result.returncode == 2 and "banana" in result.stderr and "Traceback" not in result.stderr
    result = raqib("extract", "--published", "2022-01-22", "-", cwd=tmp_path,
                   stdin="The State Department said it condemns the attack.")
    assert result.returncode == 0, result.stderr


COMMANDS = (["poll", "--once"], ["run", "--console"], ["stats"])


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["not a database", "a folder", "no such folder"])
def test_a_database_that_cannot_be_opened_is_one_line_for_run_and_poll(tmp_path, kind, monkeypatch, capsys):
    if kind == "not a database":
        (tmp_path / "r.db").write_text("this is a text file, not SQLite " * 10)
        path = "r.db"
    elif kind == "a folder":
        (tmp_path / "r.db").mkdir()
        path = "r.db"
    else:
        (tmp_path / "blocker").write_text("a file where a folder should be")
        path = "blocker/sub/r.db"
    (tmp_path / "raqib.toml").write_text(f'[storage]\npath = "{path}"\n')
    # every command in this process, and one of them (a different one for each kind) as the real process
    for command in COMMANDS:
        result = raqib_in_process("--config", "raqib.toml", *command, cwd=tmp_path, monkeypatch=monkeypatch,
                                  capsys=capsys)
        one_line_error(result, "cannot open the database")
    real = COMMANDS[["not a database", "a folder", "no such folder"].index(kind)]
    one_line_error(raqib("--config", "raqib.toml", *real, cwd=tmp_path, stdin=""), "cannot open the database")


# --- item 15: console mode with piped standard input ------------------------------------------------------

def test_console_answers_commands_from_a_pipe(tmp_path):
    (tmp_path / "raqib.toml").write_text('[storage]\npath = "c.db"\n')
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "RAQIB_CONFIG")}
    env.update(PYTHONUNBUFFERED="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    command = [str(RAQIB)] if RAQIB.exists() else [sys.executable, "-m", "bot"]
    out = tmp_path / "out.txt"
    with open(out, "w", encoding="utf-8") as sink:
        proc = subprocess.Popen([*command, "--config", "raqib.toml", "run", "--console"], cwd=tmp_path, env=env,
                                stdin=subprocess.PIPE, stdout=sink, stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdin is not None
        proc.stdin.write("/help\nlatest --5\n")
        proc.stdin.close()  # end of input: the service keeps running
        deadline = time.monotonic() + 90  # generous: on a loaded machine it printed nothing in 30 s
        while time.monotonic() < deadline and out.read_text(encoding="utf-8").count("━━ reply") < 2:
            time.sleep(0.2)
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(30)
    printed = out.read_text(encoding="utf-8")
    assert printed.count("━━ reply") == 2, printed
    assert "Tracked speakers" in printed and "Usage: /latest" in printed
    assert "commands are read from it" in printed
