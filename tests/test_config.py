"""Configuration (config/, read by bot.cli.read_config): every mistake is one line naming the key, and nothing is created."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import read_config
from config import EXAMPLE_CONFIG, ConfigError

GOOD = '[storage]\npath = "data/raqib.db"\n'
FEED = '[[feeds]]\nurl = "https://example.org/feed"\n'

BAD = {
    "unknown top-level key": ("colour = 'blue'\n", "colour"),
    "unknown key in a section": ("[digest]\nhour = 8\n", "digest.hour"),
    "unknown key in a feed": (FEED + "title = 'x'\n", "feeds[0].title"),
    "wrong type": ("[fetch]\ntimeout = 'slow'\n", "fetch.timeout"),
    "boolean for a number": ("[fetch]\nmax_bytes = true\n", "fetch.max_bytes"),
    "section not a table": ("telegram = 5\n", "telegram"),
    "bad interval": (FEED + "interval = 1\n", "feeds[0].interval"),
    "bad lang": (FEED + "lang = 'fr'\n", "feeds[0].lang"),
    "feed without url": ("[[feeds]]\nname = 'x'\n", "feeds[0].url"),
    "bad feed url": ("[[feeds]]\nurl = 'ftp://example.org/feed'\n", "feeds[0].url"),
    "bad timezone": ("[digest]\ntimezone = 'Mars/Olympus_Mons'\n", "digest.timezone"),
    "bad time": ("[digest]\ntime = '25:00'\n", "digest.time"),
    "time without minutes": ("[digest]\ntime = '8'\n", "digest.time"),
    "unknown speaker": (FEED + "speaker = 'ministry-of-truth'\n", "feeds[0].speaker"),
    "duplicate feed url": (FEED + FEED, "feeds[1].url"),
    "bad admin id": ("[telegram]\nadmins = ['me']\n", "telegram.admins[0]"),
    "bad api url": ("[telegram]\napi_url = 'api.telegram.org'\n", "telegram.api_url"),
    "push_backlog not a boolean": ("[delivery]\npush_backlog = 'yes'\n", "delivery.push_backlog"),
    "bad toml": ("[storage\npath = \n", "config"),
}


def bad_file(folder: Path, case: str) -> Path:
    """The case's text with a valid storage section: top-level keys go first, tables after it."""
    text, _key = BAD[case]
    if case != "bad toml":
        text = GOOD + text if text.startswith("[") else text + GOOD
    return write(folder, text)


def write(folder: Path, text: str, name: str = "raqib.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", BAD)
def test_a_bad_configuration_names_the_key(tmp_path, case):
    key = BAD[case][1]
    path = bad_file(tmp_path, case)
    with pytest.raises(ConfigError) as error:
        read_config(path, env={})
    assert error.value.key == key
    assert key in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("case", BAD)
def test_the_cli_prints_one_line_and_creates_no_database(tmp_path, capsys, case):
    key = BAD[case][1]
    path = bad_file(tmp_path, case)
    assert main(["--config", str(path), "stats"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and key in err and "Traceback" not in err
    assert not (tmp_path / "data").exists()


def test_a_missing_explicit_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist") as error:
        read_config(tmp_path / "nope.toml", env={})
    assert error.value.key == "config"


def test_python_m_bot_with_a_bad_file_exits_2_without_a_traceback(tmp_path):
    path = write(tmp_path, GOOD + "[digest]\ntimezone = 'Nowhere/Special'\n", "bad.toml")
    result = subprocess.run([sys.executable, "-m", "bot", "--config", str(path), "stats"], capture_output=True,
                            text=True, cwd=Path(__file__).resolve().parent.parent, timeout=60,
                            env={k: v for k, v in os.environ.items() if k != "RAQIB_CONFIG"})
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "digest.timezone" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not (tmp_path / "data").exists()


def test_the_environment_token_overrides_the_files(tmp_path):
    path = write(tmp_path, GOOD + '[telegram]\ntoken = "from-file"\n')
    assert read_config(path, env={}).telegram.token == "from-file"
    assert read_config(path, env={"TELEGRAM_BOT_TOKEN": "from-env"}).telegram.token == "from-env"


def test_the_token_never_shows_in_a_repr(tmp_path):
    """A configuration logged or shown in a traceback (its repr) must not carry the secret."""
    config = read_config(write(tmp_path, GOOD), env={"TELEGRAM_BOT_TOKEN": "123456:SECRET-token"})
    assert config.telegram.token == "123456:SECRET-token"
    assert "SECRET" not in repr(config) and "SECRET" not in repr(config.telegram) and "SECRET" not in str(config)


def test_raqib_config_names_the_file(tmp_path):
    path = write(tmp_path, GOOD + '[digest]\ntime = "07:30"\ntimezone = "Asia/Riyadh"\n')
    config = read_config(None, env={"RAQIB_CONFIG": str(path)})
    assert (config.digest.time, config.digest.timezone, config.source) == (dt.time(7, 30), "Asia/Riyadh", path)


def test_the_storage_path_is_relative_to_the_files_folder(tmp_path):
    assert read_config(write(tmp_path, GOOD), env={}).storage_path == tmp_path / "data" / "raqib.db"


def test_a_feed_keeps_its_settings(tmp_path):
    path = write(tmp_path, GOOD + FEED + 'name = "UN"\nlang = "ar"\ninterval = 60\nspeaker = "un-ohchr"\n'
                                        "fetch_pages = false\n")
    [feed] = read_config(path, env={}).feeds
    assert (feed.url, feed.name, feed.lang, feed.interval, feed.speaker, feed.fetch_pages) == (
        "https://example.org/feed", "UN", "ar", 60, "un-ohchr", False)


DEFAULT_HOSTS = ["www.state.gov", "www.war.gov", "www.gov.uk", "www.ohchr.org", "news.un.org",
                 "feeds.bbci.co.uk", "www.aljazeera.com", "www.aljazeera.net", "www.alarabiya.net",
                 "www.skynewsarabia.com", "aawsat.com", "www.enabbaladi.net"]


def test_the_bundled_example_parses_and_lists_the_real_default_feeds():
    config = read_config(EXAMPLE_CONFIG, env={})
    urls = [feed.url for feed in config.feeds]
    for host in DEFAULT_HOSTS:
        assert any(f"://{host}/" in url for url in urls), host
    un = [(feed.lang, feed.speaker) for feed in config.feeds if "news.un.org" in feed.url]
    assert sorted(un) == [("ar", None), ("en", None)]
    speakers = {feed.speaker for feed in config.feeds if feed.speaker}
    assert speakers == {"us-state-department", "us-pentagon", "uk-government", "un-ohchr"}
    assert all(feed.lang in ("ar", "en") for feed in config.feeds)


def test_without_any_file_the_bundled_example_is_used(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = read_config(None, env={})
    assert config.source is None and len(config.feeds) >= 14


def test_a_feeds_backlog_is_not_pushed_unless_configured(tmp_path):
    assert read_config(write(tmp_path, GOOD)).delivery.push_backlog is False
    assert read_config(write(tmp_path, GOOD + "[delivery]\npush_backlog = true\n")).delivery.push_backlog is True


def test_keep_sent_days_is_read_and_checked(tmp_path):
    from config import ConfigError, load_config

    path = tmp_path / "raqib.toml"
    path.write_text('[storage]\npath = "x.db"\n[delivery]\nkeep_sent_days = 7\n', encoding="utf-8")
    assert load_config(path, speakers=None).delivery.keep_sent_days == 7
    path.write_text('[storage]\npath = "x.db"\n[delivery]\nkeep_sent_days = -1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="keep_sent_days"):
        load_config(path, speakers=None)


def test_max_delay_minutes_is_read_and_checked(tmp_path):
    from config import ConfigError, load_config

    path = tmp_path / "raqib.toml"
    path.write_text('[storage]\npath = "x.db"\n', encoding="utf-8")
    assert load_config(path, speakers=None).delivery.max_delay_minutes == 30
    path.write_text('[storage]\npath = "x.db"\n[delivery]\nmax_delay_minutes = 90\n', encoding="utf-8")
    assert load_config(path, speakers=None).delivery.max_delay_minutes == 90
    for bad in ("0", "2000", "'soon'"):
        path.write_text(f'[storage]\npath = "x.db"\n[delivery]\nmax_delay_minutes = {bad}\n', encoding="utf-8")
        with pytest.raises(ConfigError, match="max_delay_minutes"):
            load_config(path, speakers=None)
