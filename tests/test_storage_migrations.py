"""Upgrading in place: a database built by any earlier Raqib opens with its rows intact."""

from __future__ import annotations

import pytest

from bot.cli import main
from storage.db import connect, open_db
from storage.errors import SchemaTooNew
from storage.migrations import LATEST_VERSION, MIGRATIONS, migrate, schema_version


def _tables(conn):
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _fill(conn):
    """Put a row in every table the database has at its version."""
    tables = _tables(conn)
    if "feeds" in tables:
        conn.execute("INSERT INTO feeds (id, url, lang) VALUES (1, 'https://example.org/feed', 'en')")
        conn.execute("INSERT INTO articles (id, feed_id, entry_key, title) VALUES (1, 1, 'e1', 'Old news from Gaza')")
        conn.execute("INSERT INTO clusters (id, speaker, text, norm_text) VALUES (1, 'un-ohchr', 't', 't')")
        conn.execute('INSERT INTO statements (article_id, cluster_id, speaker, kind, text, start, "end") '
                     "VALUES (1, 1, 'un-ohchr', 'direct', 'We deplore the shelling', 0, 24)")
        conn.execute('INSERT INTO statements (article_id, cluster_id, speaker, kind, text, start, "end") '
                     "VALUES (1, 1, 'un-ohchr', 'reported', 'ندين قصف المدنيين', 30, 47)")
    if "chats" in tables:
        conn.execute("INSERT INTO chats (id, lang) VALUES (42, 'ar')")
        conn.execute("INSERT INTO subscriptions (chat_id, speaker) VALUES (42, 'un-ohchr')")
        conn.execute("INSERT INTO deliveries (chat_id, cluster_id) VALUES (42, 1)")
        conn.execute("INSERT INTO digests_sent (chat_id, day) VALUES (42, '2026-01-01')")


def _counts(conn, tables):
    return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in sorted(tables)}


def test_the_migrations_are_numbered_by_their_position():
    assert LATEST_VERSION == len(MIGRATIONS) >= 4


def test_a_new_database_is_at_the_latest_version(db):
    assert schema_version(db.conn) == LATEST_VERSION


@pytest.mark.parametrize("version", range(LATEST_VERSION))
def test_a_database_at_every_earlier_version_upgrades_without_losing_rows(db_path, version):
    conn = connect(db_path)
    assert migrate(conn, target=version) == version
    _fill(conn)
    tables = _tables(conn) - {"sqlite_sequence", "row_counts"}  # row_counts: kept counts, not data
    before = _counts(conn, tables)
    conn.close()

    db = open_db(db_path)
    assert schema_version(db.conn) == LATEST_VERSION
    assert _counts(db.conn, tables) == before
    kept = dict(db.execute("SELECT name, n FROM row_counts").fetchall())
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    assert kept == {name: one(f"SELECT count(*) FROM {name}") for name in ("articles", "statements", "clusters")} | {
        "active_chats": one("SELECT count(*) FROM chats WHERE active = 1"),
        "subscribers": one("SELECT count(DISTINCT chat_id) FROM subscriptions")}
    assert version < 2 or kept["subscribers"] == 1  # the filled chat, once there is a table for it
    if version >= 1:
        found = db.execute("SELECT count(*) FROM statements_fts WHERE statements_fts MATCH 'shelling OR قصف'")
        assert found.fetchone()[0] == 2
    if 1 <= version < [name for name, _steps in MIGRATIONS].index("folded-search") + 1:
        # /who's folded text and title (migration 18) filled in for the statements stored before it
        assert db.execute("SELECT folded, folded_title FROM statements ORDER BY id").fetchall() == [
            ("we deplore the shelling", "old news from gaza"), ("ندين قصف المدنيين", "old news from gaza")]
    if 1 <= version < [name for name, _steps in MIGRATIONS].index("statement-names") + 1:
        # each statement's names filed (migration 20), with the gazetteer's version
        from reactions.names import load_gazetteer

        gazetteer = load_gazetteer()
        assert {v for (v,) in db.execute("SELECT names_version FROM statements")} == {gazetteer.version}
        filed = db.execute("SELECT statement_id, name_key FROM statement_names ORDER BY 1, 2").fetchall()
        found = sorted((sid, name) for sid, text, title in db.execute(
            "SELECT s.id, s.text, a.title FROM statements s JOIN articles a ON a.id = s.article_id")
            for name in gazetteer.entities(f"{text}\n{title}"))
        assert filed == found and len(filed) >= 2  # (the title names Gaza for both statements)
    db.close()


def test_reopening_an_up_to_date_database_changes_nothing(db_path):
    open_db(db_path).close()
    conn = connect(db_path)
    schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    conn.close()
    db = open_db(db_path)
    assert db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall() == schema
    assert schema_version(db.conn) == LATEST_VERSION
    db.close()


def test_a_failing_migration_leaves_the_database_at_its_version(db_path, monkeypatch):
    conn = connect(db_path)
    migrate(conn, target=LATEST_VERSION - 1)
    broken = [*MIGRATIONS[:-1], ("broken", ["CREATE TABLE half_done (x)", "NOT SQL"])]
    monkeypatch.setattr("storage.migrations.MIGRATIONS", broken)
    with pytest.raises(Exception, match="syntax error"):
        migrate(conn, target=LATEST_VERSION)
    assert schema_version(conn) == LATEST_VERSION - 1
    assert "half_done" not in _tables(conn)
    conn.close()


def _too_new(db_path):
    conn = connect(db_path)
    migrate(conn)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()


def test_a_database_newer_than_the_code_is_refused(db_path):
    _too_new(db_path)
    with pytest.raises(SchemaTooNew):
        open_db(db_path)


def test_the_cli_says_so_in_one_line(tmp_path, capsys):
    db_path = tmp_path / "data" / "raqib.db"
    _too_new(db_path)
    config = tmp_path / "raqib.toml"
    config.write_text('[storage]\npath = "data/raqib.db"\n')
    assert main(["--config", str(config), "stats"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "newer" in err and "Traceback" not in err
