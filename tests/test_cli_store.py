"""``raqib feeds ...`` and ``raqib stats`` against a real database file in a temporary folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bot.cli import main

RAQIB = Path(sys.executable).with_name("raqib")
COUNTS = ["feeds", "feeds_failing", "articles", "statements", "clusters", "chats", "subscriptions",
          "deliveries_pending"]
STATE = "https://www.state.gov/rss-feed/press-releases/feed/"
BBC = "https://feeds.bbci.co.uk/arabic/rss.xml"


def write_config(folder: Path, feeds: str = "") -> Path:
    path = folder / "raqib.toml"
    path.write_text(f'[storage]\npath = "data/raqib.db"\n{feeds}', encoding="utf-8")
    return path


@pytest.fixture
def config(tmp_path):
    return write_config(tmp_path)


@pytest.fixture
def raqib(config, capsys):
    """Run ``raqib --config CONFIG ARGS...`` in-process: ``(exit status, stdout, stderr)``."""
    def run(*args):
        status = main(["--config", str(config), *map(str, args)])
        out, err = capsys.readouterr()
        return status, out, err
    return run


def feed_urls(raqib):
    status, out, _ = raqib("feeds", "list", "--json")
    assert status == 0
    return [feed["url"] for feed in json.loads(out)]


def assert_one_line_error(status, err, *words):
    assert status == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in err


# --- stats ---------------------------------------------------------------------------------------

def test_the_console_script_prints_zero_counts_for_an_empty_database(tmp_path):
    config = write_config(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("RAQIB_CONFIG", "TELEGRAM_BOT_TOKEN")}
    result = subprocess.run([str(RAQIB), "--config", str(config), "stats", "--json"], capture_output=True,
                            text=True, cwd=tmp_path, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)
    assert list(counts)[:8] == COUNTS
    assert all(counts[key] == 0 for key in COUNTS)
    assert (tmp_path / "data" / "raqib.db").exists()


def test_stats_json_has_the_eight_counts_first(raqib):
    status, out, _ = raqib("stats", "--json")
    assert status == 0
    assert list(json.loads(out))[:8] == COUNTS


def test_stats_counts_the_configured_feeds(tmp_path, capsys):
    config = write_config(tmp_path, f'[[feeds]]\nurl = "{BBC}"\nlang = "ar"\n')
    assert main(["--config", str(config), "stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["feeds"] == 1


def test_stats_prints_aligned_lines(raqib):
    status, out, _ = raqib("stats")
    lines = out.splitlines()
    assert status == 0 and lines[0].split() == ["feeds", "0"]
    assert len({len(line) for line in lines}) == 1  # the numbers line up on the right


# --- feeds add / list / remove -------------------------------------------------------------------

def test_feeds_add_list_remove(raqib):
    assert raqib("feeds", "add", BBC, "--lang", "ar", "--name", "BBC عربي", "--interval", "300")[0] == 0
    status, out, _ = raqib("feeds", "list", "--json")
    [feed] = json.loads(out)
    assert (feed["url"], feed["name"], feed["lang"], feed["interval"], feed["origin"]) == (
        BBC, "BBC عربي", "ar", 300, "cli")
    assert {"last_status", "consecutive_failures", "last_error", "speaker"} <= set(feed)
    status, out, _ = raqib("feeds", "list")
    assert status == 0 and BBC in out and "BBC عربي" in out
    assert raqib("feeds", "remove", BBC)[0] == 0
    assert feed_urls(raqib) == []


def test_an_empty_feed_list_says_how_to_add_one(raqib):
    assert "raqib feeds add" in raqib("feeds", "list")[1]


def test_the_configured_feeds_are_listed(tmp_path, capsys):
    config = write_config(tmp_path, f'[[feeds]]\nurl = "{BBC}"\nname = "BBC"\n')
    assert main(["--config", str(config), "feeds", "list", "--json"]) == 0
    assert [(f["url"], f["origin"]) for f in json.loads(capsys.readouterr().out)] == [(BBC, "config")]


def test_adding_a_feed_twice_is_an_error(raqib):
    raqib("feeds", "add", BBC)
    status, _, err = raqib("feeds", "add", BBC)
    assert_one_line_error(status, err, "exists already")


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "feeds.bbci.co.uk/arabic/rss.xml", "https://"])
def test_adding_a_non_http_url_is_an_error(raqib, url):
    status, _, err = raqib("feeds", "add", url)
    assert_one_line_error(status, err, "http(s)")
    assert feed_urls(raqib) == []


def test_adding_with_a_too_short_interval_is_an_error(raqib):
    assert_one_line_error(*raqib("feeds", "add", BBC, "--interval", "1")[::2], "--interval")


def test_adding_a_feed_of_an_unknown_speaker_is_an_error_naming_it(raqib):
    status, _, err = raqib("feeds", "add", STATE, "--speaker", "ministry-of-truth")
    assert_one_line_error(status, err, "ministry-of-truth")
    assert feed_urls(raqib) == []


def test_a_speaker_is_stored_by_its_registry_id(raqib):
    assert raqib("feeds", "add", STATE, "--speaker", "us-state-department")[0] == 0
    status, out, _ = raqib("feeds", "list", "--json")
    assert json.loads(out)[0]["speaker"] == "us-state-department"


def test_removing_a_missing_feed_is_an_error(raqib):
    assert_one_line_error(*raqib("feeds", "remove", BBC)[::2], "no feed")


def test_removing_a_configured_feed_says_to_edit_the_configuration(tmp_path, capsys):
    config = write_config(tmp_path, f'[[feeds]]\nurl = "{BBC}"\n')
    status = main(["--config", str(config), "feeds", "remove", BBC])
    assert_one_line_error(status, capsys.readouterr().err, "raqib.toml")


# --- OPML import / export ------------------------------------------------------------------------

def test_export_prints_opml_2_with_one_outline_per_feed(raqib):
    raqib("feeds", "add", BBC, "--lang", "ar", "--name", "BBC عربي")
    raqib("feeds", "add", STATE, "--lang", "en", "--speaker", "us-state-department")
    status, out, _ = raqib("feeds", "export")
    root = ET.fromstring(out.encode())
    assert status == 0 and root.get("version") == "2.0"
    assert root.findtext("head/title") and root.findtext("head/dateCreated")
    assert [(o.get("type"), o.get("xmlUrl"), o.get("lang"), o.get("speaker")) for o in root.iter("outline")] == [
        ("rss", BBC, "ar", None), ("rss", STATE, "en", "us-state-department")]


def test_export_then_import_into_another_database_round_trips(raqib, tmp_path, capsys):
    raqib("feeds", "add", BBC, "--lang", "ar", "--name", "BBC عربي", "--interval", "300")
    raqib("feeds", "add", STATE, "--lang", "en", "--speaker", "us-state-department")
    opml = tmp_path / "feeds.opml"
    assert raqib("feeds", "export", "-o", opml)[0] == 0

    other = tmp_path / "other"
    other.mkdir()
    config = write_config(other)
    assert main(["--config", str(config), "feeds", "import", str(opml)]) == 0
    assert "imported 2 feeds" in capsys.readouterr().out
    assert main(["--config", str(config), "feeds", "list", "--json"]) == 0
    keep = ("url", "name", "lang", "speaker", "interval", "fetch_pages")
    imported = [{k: f[k] for k in keep} for f in json.loads(capsys.readouterr().out)]
    original = [{k: f[k] for k in keep} for f in json.loads(raqib("feeds", "list", "--json")[1])]
    assert imported == original


def test_importing_feeds_already_present_skips_and_counts_them(raqib, tmp_path):
    raqib("feeds", "add", BBC)
    opml = tmp_path / "feeds.opml"
    opml.write_text(f'<opml version="2.0"><body><outline xmlUrl="{BBC}"/><outline xmlUrl="{STATE}" '
                    'text="State"/></body></opml>')
    status, out, _ = raqib("feeds", "import", opml)
    assert status == 0 and "imported 1 feed;" in out and "skipped 1" in out
    assert feed_urls(raqib) == [BBC, STATE]


BAD_OPML = {
    "not-xml": "This is not XML at all",
    "not-opml": "<rss version='2.0'><channel><title>x</title></channel></rss>",
    "no-feed-outlines": '<opml version="2.0"><body><outline text="folder"><outline text="note"/></outline>'
                        "</body></opml>",
    "doctype-bomb": '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                    '<opml version="2.0"><body><outline xmlUrl="https://a.example/&b;"/></body></opml>',
    "bad-url-inside": f'<opml version="2.0"><body><outline xmlUrl="{STATE}"/>'
                      '<outline text="Broken" xmlUrl="ftp://files.example/feed"/></body></opml>',
    "unknown-speaker-inside": f'<opml version="2.0"><body><outline xmlUrl="{STATE}"/>'
                              '<outline xmlUrl="https://b.example/rss" speaker="ministry-of-truth"/></body></opml>',
}


@pytest.mark.parametrize("name", BAD_OPML)
def test_a_bad_opml_file_is_refused_in_one_line_and_changes_nothing(raqib, tmp_path, name):
    raqib("feeds", "add", BBC)
    opml = tmp_path / f"{name}.opml"
    opml.write_text(BAD_OPML[name], encoding="utf-8")
    status, _, err = raqib("feeds", "import", opml)
    assert_one_line_error(status, err, str(opml), "nothing imported")
    assert feed_urls(raqib) == [BBC]


def test_importing_a_missing_file_is_an_error(raqib, tmp_path):
    assert_one_line_error(*raqib("feeds", "import", tmp_path / "nope.opml")[::2], "nope.opml")


def test_a_database_failure_midway_rolls_the_whole_import_back(raqib, tmp_path, monkeypatch):
    import storage

    real_add = storage.add_feed

    def add_then_fail(db, url, **kwargs):
        if url == "https://c.example/rss":
            raise storage.StorageError("disk full")
        return real_add(db, url, **kwargs)

    monkeypatch.setattr(storage, "add_feed", add_then_fail)
    opml = tmp_path / "three.opml"
    opml.write_text('<opml version="2.0"><body>' + "".join(
        f'<outline xmlUrl="https://{x}.example/rss"/>' for x in "abc") + "</body></opml>")
    with pytest.raises(storage.StorageError):
        main(["--config", str(tmp_path / "raqib.toml"), "feeds", "import", str(opml)])
    monkeypatch.undo()
    assert feed_urls(raqib) == []


def test_an_unusable_database_path_is_one_line(tmp_path, capsys):
    (tmp_path / "data").write_text("a file where the folder should be")
    config = write_config(tmp_path)
    status = main(["--config", str(config), "stats"])
    assert_one_line_error(status, capsys.readouterr().err, "cannot open the database")


def test_a_file_that_is_not_a_database_is_one_line(tmp_path, capsys):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "raqib.db").write_bytes(b"not sqlite" * 200)
    config = write_config(tmp_path)
    status = main(["--config", str(config), "stats"])
    assert_one_line_error(status, capsys.readouterr().err, "cannot open the database")
