"""`raqib archive`: Datasette over the real database, read-only, with Raqib's metadata, facets, full-text search
and canned queries, through Datasette's own ASGI client (the browser test is tests/browser/)."""

from __future__ import annotations

import asyncio
import json
import sqlite3

import pytest

from bot import archive
from bot.cli import main
from tests.archive_data import OHCHR_AR, PENTAGON_EN, SECRET_CHAT, STATE_AR, STATE_EN, build_archive


@pytest.fixture
def archive_db(tmp_path):
    path = tmp_path / "raqib.db"
    ids = build_archive(path)
    return path, ids


def get(datasette, path):
    async def fetch():
        await datasette.invoke_startup()
        return await datasette.client.get(path)
    return asyncio.run(fetch())


def rows(datasette, path):
    response = get(datasette, path)
    assert response.status_code == 200, response.text[:300]
    return response.json()


@pytest.mark.parametrize("immutable", [False, True])
def test_search_facets_and_canned_queries(archive_db, immutable):
    path, ids = archive_db
    ds = archive.build(path, immutable=immutable)
    found = rows(ds, "/raqib/statement_reports.json?_search=Ghwayran&_shape=objects")
    assert [r["text"] for r in found["rows"]] == [STATE_EN]
    assert found["rows"][0]["outlet"] == "Levant Wire" and found["rows"][0]["url"] == "https://en.example/s-en"
    arabic = rows(ds, "/raqib/statement_reports.json?_search=غويران&_shape=objects")
    assert {r["text"] for r in arabic["rows"]} == {STATE_AR, OHCHR_AR}
    facets = rows(ds, "/raqib/statement_reports.json")["facet_results"]
    assert set(facets) == {"speaker", "reaction", "lang", "outlet"}
    assert {v["value"] for v in facets["outlet"]["results"]} == {"Levant Wire", "الشرق اليوم"}
    assert {v["value"]: v["count"] for v in facets["lang"]["results"]} == {"en": 2, "ar": 2}
    latest = rows(ds, "/raqib/speaker_latest.json?speaker=us-state-department&_shape=objects")["rows"]
    assert [r["text"] for r in latest] == [STATE_AR, STATE_EN]
    who = rows(ds, "/raqib/who_reacted.json?topic_en=Ghwayran&topic_ar=غويران&_shape=objects")["rows"]
    assert {r["speaker"]: (r["statements"], sorted(r["languages"].split(","))) for r in who} == {
        "us-state-department": (1, ["ar", "en"]), "un-ohchr": (1, ["ar"])}
    person = rows(ds, "/raqib/person_statements.json?person=john-kirby&_shape=objects")["rows"]
    assert [r["text"] for r in person] == [PENTAGON_EN]
    cluster = rows(ds, f"/raqib/cluster_reports.json?cluster={ids['state']}&_shape=objects")["rows"]
    assert [(r["lang"], r["outlet"]) for r in cluster] == [("en", "Levant Wire"), ("ar", "الشرق اليوم")]


def test_titles_and_descriptions_are_served(archive_db):
    path, _ids = archive_db
    ds = archive.build(path)
    page = get(ds, "/raqib/statement_reports")
    assert page.status_code == 200
    assert "Statements, with their outlets" in page.text and "The news outlet or official source" in page.text
    assert "Who reacted to a topic (in both languages)" in get(ds, "/raqib").text
    meta = archive.metadata()
    for name, table in meta["databases"]["raqib"]["tables"].items():
        assert table.get("title") or table.get("allow") is False, name
    with sqlite3.connect(path) as conn:  # every described column exists
        for name, table in meta["databases"]["raqib"]["tables"].items():
            existing = {r[1] for r in conn.execute(f"PRAGMA table_info({name})")}
            assert set(table.get("columns", {})) <= existing, name
        # and every table or view of the schema is described or closed (the README says so), every statement's
        # column too (a migration adding one says what it is)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND "
                                             "name NOT LIKE 'sqlite_%' AND name NOT LIKE 'statements_fts%'")}
        described = meta["databases"]["raqib"]["tables"]
        assert tables <= set(described), tables - set(described)
        statement_columns = {r[1] for r in conn.execute("PRAGMA table_info(statements)")}
        assert statement_columns <= set(archive.STATEMENT_COLUMNS), statement_columns - set(archive.STATEMENT_COLUMNS)


def test_subscribers_stay_private_and_nothing_writes(archive_db):
    path, _ids = archive_db
    ds = archive.build(path)
    for table in archive.PRIVATE_TABLES:
        assert get(ds, f"/raqib/{table}.json").status_code == 403, table
    assert get(ds, "/raqib.json?sql=select+*+from+chats").status_code == 403
    assert str(SECRET_CHAT) not in get(ds, "/raqib").text
    opened = archive.build(path, allow_sql=True)
    assert rows(opened, "/raqib.json?sql=select+count(*)+as+n+from+statements&_shape=objects")["rows"] == [{"n": 4}]
    refused = get(opened, "/raqib.json?sql=delete+from+statements")
    assert refused.status_code == 400 and "Statement must be a SELECT" in refused.text
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM statements").fetchone()[0] == 4


def test_bad_databases_are_one_line_and_exit_2(tmp_path, capsys):
    config = tmp_path / "raqib.toml"
    config.write_text('[storage]\npath = "missing.db"\n', encoding="utf-8")
    assert main(["--config", str(config), "archive"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no database at" in err
    (tmp_path / "junk.db").write_bytes(b"not sqlite at all" * 100)
    config.write_text('[storage]\npath = "junk.db"\n', encoding="utf-8")
    assert main(["--config", str(config), "archive"]) == 2
    assert "is not a Raqib database" in capsys.readouterr().err


def test_an_older_database_is_upgraded_unless_immutable(tmp_path):
    from storage.migrations import LATEST_VERSION, migrate

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    migrate(conn, target=LATEST_VERSION - 1)
    conn.close()
    with pytest.raises(archive.ArchiveError, match="older schema"):
        archive.check_database(path, immutable=True)
    archive.check_database(path, immutable=False)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION


def test_metadata_is_json():
    assert json.loads(json.dumps(archive.metadata("x")))["databases"]["x"]["queries"].keys() == {
        "speaker_latest", "who_reacted", "person_statements", "cluster_reports"}
