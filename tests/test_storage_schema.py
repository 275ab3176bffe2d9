"""The schema's guarantees: WAL and foreign keys on, full-text search, and constraints that refuse bad rows."""

from __future__ import annotations

import sqlite3

import pytest

from storage import add_feed, open_db, remove_feed


@pytest.fixture
def feed_id(db):
    return add_feed(db, "https://example.org/feed").id


def _article(db, feed_id, key="e1"):
    return db.execute("INSERT INTO articles (feed_id, entry_key) VALUES (?, ?)", (feed_id, key)).lastrowid


def _statement(db, article_id, *, start=0, end=10, kind="direct", text="We condemn it", speaker="un-ohchr"):
    return db.execute(
        'INSERT INTO statements (article_id, speaker, kind, text, start, "end") VALUES (?, ?, ?, ?, ?, ?)',
        (article_id, speaker, kind, text, start, end)).lastrowid


def _cluster(db, speaker="un-ohchr"):
    return db.execute("INSERT INTO clusters (speaker, text, norm_text) VALUES (?, 'x', 'x')", (speaker,)).lastrowid


def _count(db, table):
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_the_database_is_in_wal_mode_with_foreign_keys_on(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_reopening_keeps_wal_mode(db_path):
    open_db(db_path).close()
    db = open_db(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_a_duplicate_article_is_refused(db, feed_id):
    _article(db, feed_id, "e1")
    with pytest.raises(sqlite3.IntegrityError):
        _article(db, feed_id, "e1")
    assert _count(db, "articles") == 1


def test_the_same_entry_key_in_another_feed_is_another_article(db, feed_id):
    other = add_feed(db, "https://example.org/other").id
    _article(db, feed_id, "e1")
    _article(db, other, "e1")
    assert _count(db, "articles") == 2


def test_a_duplicate_statement_is_refused(db, feed_id):
    article = _article(db, feed_id)
    _statement(db, article, start=0, end=10)
    with pytest.raises(sqlite3.IntegrityError):
        _statement(db, article, start=0, end=10, text="the same span again")
    _statement(db, article, start=0, end=10, speaker="uk-government")  # another speaker, same span: fine
    assert _count(db, "statements") == 2


def test_a_duplicate_delivery_is_refused(db):
    cluster = _cluster(db)
    db.execute("INSERT INTO chats (id) VALUES (42)")
    db.execute("INSERT INTO deliveries (chat_id, cluster_id) VALUES (42, ?)", (cluster,))
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO deliveries (chat_id, cluster_id) VALUES (42, ?)", (cluster,))
    db.execute("INSERT OR IGNORE INTO deliveries (chat_id, cluster_id) VALUES (42, ?)", (cluster,))
    assert _count(db, "deliveries") == 1


def test_a_duplicate_subscription_is_refused(db):
    db.execute("INSERT INTO chats (id) VALUES (42)")
    db.execute("INSERT INTO subscriptions (chat_id, speaker) VALUES (42, 'un-ohchr')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO subscriptions (chat_id, speaker) VALUES (42, 'un-ohchr')")


def test_removing_a_feed_removes_its_articles_and_statements_but_keeps_clusters(db, feed_id):
    cluster = _cluster(db)
    article = _article(db, feed_id)
    statement = _statement(db, article)
    db.execute("UPDATE statements SET cluster_id = ? WHERE id = ?", (cluster, statement))
    remove_feed(db, "https://example.org/feed")
    assert (_count(db, "articles"), _count(db, "statements"), _count(db, "clusters")) == (0, 0, 1)
    assert list(db.query("SELECT rowid FROM statements_fts WHERE statements_fts MATCH 'condemn'")) == []


def test_removing_a_chat_removes_its_subscriptions_and_deliveries(db):
    cluster = _cluster(db)
    db.execute("INSERT INTO chats (id) VALUES (42)")
    db.execute("INSERT INTO subscriptions (chat_id, speaker) VALUES (42, 'un-ohchr')")
    db.execute("INSERT INTO deliveries (chat_id, cluster_id) VALUES (42, ?)", (cluster,))
    db.execute("DELETE FROM chats WHERE id = 42")
    assert (_count(db, "subscriptions"), _count(db, "deliveries")) == (0, 0)


def test_an_article_of_a_missing_feed_is_refused(db):
    with pytest.raises(sqlite3.IntegrityError):
        _article(db, 999)


@pytest.mark.parametrize(("sql", "params"), [
    pytest.param("INSERT INTO feeds (url, lang) VALUES ('https://x.example/', 'fr')", (), id="feed-lang"),
    pytest.param("INSERT INTO feeds (url, interval) VALUES ('https://x.example/', 1)", (), id="feed-interval"),
    pytest.param("INSERT INTO chats (id, lang) VALUES (1, 'de')", (), id="chat-lang"),
    pytest.param("INSERT INTO deliveries (chat_id, cluster_id, status) VALUES (42, ?, 'lost')", "cluster",
                 id="delivery-status"),
    pytest.param('INSERT INTO statements (article_id, speaker, kind, text, start, "end") '
                 "VALUES (?, 'un-ohchr', 'rumoured', 'x', 0, 1)", "article", id="statement-kind"),
])
def test_check_constraints_refuse_bad_values(db, feed_id, sql, params):
    db.execute("INSERT INTO chats (id) VALUES (42)")
    if params == "cluster":
        params = (_cluster(db),)
    elif params == "article":
        params = (_article(db, feed_id),)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute(sql, params)


def test_full_text_search_finds_an_arabic_and_an_english_statement(db, feed_id):
    article = _article(db, feed_id)
    _statement(db, article, start=0, end=10, text="The Secretary-General condemned the strike on the hospital")
    _statement(db, article, start=20, end=30, text="أدانت المفوضية الضربة التي استهدفت المستشفى")

    def search(query):
        return [row["text"] for row in db.query(
            "SELECT s.text FROM statements_fts JOIN statements s ON s.id = statements_fts.rowid "
            "WHERE statements_fts MATCH ?", (query,))]

    assert search("hospital") == ["The Secretary-General condemned the strike on the hospital"]
    assert search("المستشفى") == ["أدانت المفوضية الضربة التي استهدفت المستشفى"]
    assert search("secretary") == ["The Secretary-General condemned the strike on the hospital"]  # any case


def test_the_search_index_follows_edits_and_deletes(db, feed_id):
    statement = _statement(db, _article(db, feed_id), text="We welcome the ceasefire")
    db.execute("UPDATE statements SET text = 'We welcome the truce' WHERE id = ?", (statement,))
    assert [r["rowid"] for r in db.query("SELECT rowid FROM statements_fts WHERE statements_fts MATCH 'truce'")] == [
        statement]
    assert list(db.query("SELECT rowid FROM statements_fts WHERE statements_fts MATCH 'ceasefire'")) == []
    db.execute("DELETE FROM statements WHERE id = ?", (statement,))
    assert list(db.query("SELECT rowid FROM statements_fts WHERE statements_fts MATCH 'truce'")) == []
