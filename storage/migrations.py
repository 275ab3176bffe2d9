"""Versioned schema migrations, tracked with ``PRAGMA user_version``.

Each migration is a list of SQL statements that takes the database from version N-1 to N and
runs in one transaction. Never edit a migration that has shipped: append a new one.
An older database is upgraded in place when it is opened.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from reactions.text import fold
from storage.errors import SchemaTooNew


def _fill_folded(conn: sqlite3.Connection) -> None:
    """Migration 18's data: each statement's folded text and its article's folded title, folded in Python (the
    project's matching normaliser), in the migration's transaction."""
    conn.create_function("raqib_fold", 1, lambda s: fold(s or ""), deterministic=True)
    conn.execute("""UPDATE statements SET folded = raqib_fold(text),
                        folded_title = raqib_fold((SELECT title FROM articles a WHERE a.id = statements.article_id))""")


def _fill_names(conn: sqlite3.Connection) -> None:
    """Migration 20's data: the names of every statement (storage.names), in the migration's transaction."""
    from reactions.names import load_gazetteer
    from storage.names import fill_all

    if conn.execute("SELECT 1 FROM statements LIMIT 1").fetchone():  # (a new database: no gazetteer to load)
        fill_all(conn, load_gazetteer())


# Each step: an SQL statement, or a function of the connection for what SQL alone cannot compute
MIGRATIONS: list[tuple[str, list[str | Callable[[sqlite3.Connection], None]]]] = [
    # 1: the pipeline's tables: feeds, articles, statement clusters, statements
    ("pipeline", [
        """CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL DEFAULT '',
            lang TEXT CHECK (lang IN ('ar', 'en')),
            speaker TEXT,
            interval INTEGER NOT NULL DEFAULT 600 CHECK (interval >= 5),
            fetch_pages INTEGER NOT NULL DEFAULT 1,
            origin TEXT NOT NULL DEFAULT 'config',
            etag TEXT,
            last_modified TEXT,
            last_status INTEGER,
            last_error TEXT,
            last_error_at TEXT,
            last_polled_at TEXT,
            last_success_at TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            next_poll_at TEXT,
            created_at TEXT NOT NULL DEFAULT (datetime('now'))
        )""",
        """CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            entry_key TEXT NOT NULL,
            url TEXT,
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT '',
            lang TEXT,
            published_at TEXT,
            first_seen_at TEXT NOT NULL DEFAULT (datetime('now')),
            updated_at TEXT,
            content_hash TEXT,
            UNIQUE (feed_id, entry_key)
        )""",
        """CREATE TABLE clusters (
            id INTEGER PRIMARY KEY,
            speaker TEXT NOT NULL,
            person TEXT,
            reaction TEXT,
            text TEXT NOT NULL,
            norm_text TEXT NOT NULL,
            first_seen_at TEXT NOT NULL DEFAULT (datetime('now')),
            last_seen_at TEXT NOT NULL DEFAULT (datetime('now'))
        )""",
        """CREATE TABLE statements (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            cluster_id INTEGER REFERENCES clusters(id) ON DELETE SET NULL,
            speaker TEXT NOT NULL,
            person TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('direct', 'reported')),
            text TEXT NOT NULL,
            quotes TEXT NOT NULL DEFAULT '[]',
            reaction TEXT NOT NULL DEFAULT 'other',
            lang TEXT,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            created_at TEXT NOT NULL DEFAULT (datetime('now')),
            UNIQUE (article_id, speaker, start, "end")
        )""",
        "CREATE INDEX idx_articles_published ON articles (published_at)",
        "CREATE INDEX idx_statements_cluster ON statements (cluster_id)",
        "CREATE INDEX idx_statements_speaker_created ON statements (speaker, created_at)",
        "CREATE INDEX idx_clusters_speaker_seen ON clusters (speaker, first_seen_at)",
        "CREATE INDEX idx_feeds_next_poll ON feeds (next_poll_at)",
    ]),
    # 2: the bot's tables: chats, subscriptions, the delivery outbox, digests sent
    ("bot", [
        """CREATE TABLE chats (
            id INTEGER PRIMARY KEY,
            type TEXT NOT NULL DEFAULT 'private',
            title TEXT NOT NULL DEFAULT '',
            lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('ar', 'en')),
            timezone TEXT NOT NULL DEFAULT 'UTC',
            digest_time TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            inactive_reason TEXT,
            created_at TEXT NOT NULL DEFAULT (datetime('now'))
        )""",
        """CREATE TABLE subscriptions (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            speaker TEXT NOT NULL,
            keyword TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT (datetime('now')),
            UNIQUE (chat_id, speaker, keyword)
        )""",
        """CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dropped')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            next_attempt_at TEXT NOT NULL DEFAULT (datetime('now')),
            message_id INTEGER,
            created_at TEXT NOT NULL DEFAULT (datetime('now')),
            sent_at TEXT,
            UNIQUE (chat_id, cluster_id)
        )""",
        """CREATE TABLE digests_sent (
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            day TEXT NOT NULL,
            sent_at TEXT NOT NULL DEFAULT (datetime('now')),
            PRIMARY KEY (chat_id, day)
        )""",
        "ALTER TABLE clusters ADD COLUMN fanned_out INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX idx_deliveries_due ON deliveries (status, next_attempt_at)",
        "CREATE INDEX idx_subscriptions_speaker ON subscriptions (speaker)",
        "CREATE INDEX idx_clusters_fanout ON clusters (fanned_out)",
    ]),
    # 3: full-text search over statement text, kept in step by triggers
    ("search", [
        """CREATE VIRTUAL TABLE statements_fts USING fts5(
            text, content='statements', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
        )""",
        """CREATE TRIGGER statements_ai AFTER INSERT ON statements BEGIN
            INSERT INTO statements_fts (rowid, text) VALUES (new.id, new.text);
        END""",
        """CREATE TRIGGER statements_ad AFTER DELETE ON statements BEGIN
            INSERT INTO statements_fts (statements_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END""",
        """CREATE TRIGGER statements_au AFTER UPDATE OF text ON statements BEGIN
            INSERT INTO statements_fts (statements_fts, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO statements_fts (rowid, text) VALUES (new.id, new.text);
        END""",
        "INSERT INTO statements_fts (statements_fts) VALUES ('rebuild')",
    ]),
    # 4: clustering looks up a speaker's clusters by last_seen_at (v1 indexed first_seen_at instead)
    ("cluster-lookup", [
        "CREATE INDEX idx_clusters_speaker_last_seen ON clusters (speaker, last_seen_at)",
    ]),
    # 5: each article's identifying link (normalised by feeds.identity), so an entry whose guid changed is
    # recognised as the article already stored; filled from the link-first keys ('u:<link>') of before
    ("article-links", [
        "ALTER TABLE articles ADD COLUMN link_key TEXT",
        "UPDATE articles SET link_key = substr(entry_key, 3) WHERE entry_key LIKE 'u:%'",
        "CREATE INDEX idx_articles_feed_link ON articles (feed_id, link_key)",
    ]),
    # 6: /latest without a speaker orders all clusters by first_seen_at; the digest, /status and the Arabic
    # search fallback read statements by created_at
    ("time-indexes", [
        "CREATE INDEX idx_clusters_first_seen ON clusters (first_seen_at)",
        "CREATE INDEX idx_statements_created ON statements (created_at)",
    ]),
    # 7: each chat's source languages (which statements it receives: Arabic, English or both), separate from
    # its interface language; pushes, /latest and the digest filter on statements.lang
    ("chat-source-languages", [
        "ALTER TABLE chats ADD COLUMN sources TEXT NOT NULL DEFAULT 'both' CHECK (sources IN ('ar', 'en', 'both'))",
        "CREATE INDEX idx_statements_cluster_lang ON statements (cluster_id, lang)",
    ]),
    # 8: whether a chat's daily digest carries a small chart of its speakers' statements per day (/digest chart)
    ("digest-chart", [
        "ALTER TABLE chats ADD COLUMN digest_chart INTEGER NOT NULL DEFAULT 0 CHECK (digest_chart IN (0, 1))",
    ]),
    # 9: the archive's view (raqib archive, Datasette): every report of a statement with its outlet, article
    # and times in one row, so the archive can facet by outlet and search the statements' words
    ("archive-view", [
        """CREATE VIEW statement_reports AS
        SELECT s.id, s.cluster_id, s.speaker, s.person, s.reaction, s.kind, s.lang, s.text,
               coalesce(nullif(f.name, ''), f.url) AS outlet, a.title, a.url, a.published_at,
               s.created_at AS seen_at
        FROM statements s JOIN articles a ON a.id = s.article_id JOIN feeds f ON f.id = a.feed_id""",
    ]),
    # 10: a pushed message is edited when later reports join its cluster: clusters say when an edit is due, and
    # edits wait in their own outbox rows (one open edit per message; sent ones are counted against a cap)
    ("push-edits", [
        "ALTER TABLE clusters ADD COLUMN edit_due INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX idx_clusters_edit_due ON clusters (edit_due) WHERE edit_due = 1",
        """CREATE TABLE edits (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            message_id INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dropped')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            next_attempt_at TEXT NOT NULL DEFAULT (datetime('now')),
            created_at TEXT NOT NULL DEFAULT (datetime('now')),
            sent_at TEXT
        )""",
        "CREATE UNIQUE INDEX idx_edits_open ON edits (chat_id, message_id) WHERE status IN ('pending', 'sending')",
        "CREATE INDEX idx_edits_due ON edits (status, next_attempt_at)",
    ]),
    # 11: speed at a million statements. Clustering looks up a speaker's clusters by last_seen_at AND
    # first_seen_at (one index answers both bounds); the row counts of stats are kept by triggers in row_counts
    # instead of count(*) over millions of rows. (Not deliveries: a trigger per row doubled the cost of a
    # fan-out; their counts are capped instead, see storage.outbox.pending_count.)
    ("speed-counts", [
        "CREATE INDEX idx_clusters_speaker_seen_both ON clusters (speaker, last_seen_at, first_seen_at)",
        "DROP INDEX idx_clusters_speaker_last_seen",
        "CREATE TABLE row_counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID",
        *[sql for table in ("articles", "statements", "clusters") for sql in (
            f"INSERT INTO row_counts (name, n) SELECT '{table}', count(*) FROM {table}",
            f"""CREATE TRIGGER {table}_count_ai AFTER INSERT ON {table} BEGIN
                UPDATE row_counts SET n = n + 1 WHERE name = '{table}';
            END""",
            f"""CREATE TRIGGER {table}_count_ad AFTER DELETE ON {table} BEGIN
                UPDATE row_counts SET n = n - 1 WHERE name = '{table}';
            END""",
        )],
    ]),
    # 12: the digest job (every minute) reads only the chats whose digest may be due: digest_check_at is the
    # time before which a chat cannot be due (set by storage.chats.chats_due_for_digest when it finds one not
    # due; '' = look now). Any change to what decides it (time, timezone, active, created_at, a digest record
    # removed) resets it to ''.
    ("digest-check", [
        "ALTER TABLE chats ADD COLUMN digest_check_at TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX idx_chats_digest_check ON chats (digest_check_at) WHERE active = 1 AND digest_time IS NOT NULL",
        """CREATE TRIGGER chats_digest_recheck AFTER UPDATE OF digest_time, timezone, active, created_at ON chats
           BEGIN UPDATE chats SET digest_check_at = '' WHERE id = new.id; END""",
        """CREATE TRIGGER digests_sent_recheck AFTER DELETE ON digests_sent
           BEGIN UPDATE chats SET digest_check_at = '' WHERE id = old.chat_id; END""",
    ]),
    # 13: old digest records are pruned by day ([delivery] keep_sent_days, storage.outbox.prune)
    ("digest-days", [
        "CREATE INDEX idx_digests_sent_day ON digests_sent (day)",
    ]),
    # 14: a push sent as part of a grouped message (the queue was late, storage.outbox.claim_due) is not edited
    ("grouped-pushes", [
        "ALTER TABLE deliveries ADD COLUMN grouped INTEGER NOT NULL DEFAULT 0",
    ]),
    # 15: /latest and the /who board rank a speaker's recent clusters by their articles' publication times from
    # these two indexes alone (reading each article row walked past its text: 8.6 -> 2.3 ms per speaker)
    ("covering-latest", [
        "CREATE INDEX idx_statements_cluster_article ON statements (cluster_id, article_id)",
        "CREATE INDEX idx_articles_id_published ON articles (id, published_at, feed_id)",
    ]),
    # 16: clustering finds the clusters to compare a new article with through keys (names, numbers, person, a
    # sample of words: reactions.clustering.group_keys) instead of reading every cluster of the speaker around;
    # clusters of the last week stored before are filed under '*' (always looked up) so they can still be joined
    ("cluster-keys", [
        """CREATE TABLE cluster_keys (
            speaker TEXT NOT NULL,
            key TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
            PRIMARY KEY (speaker, key, seen_at, cluster_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX idx_cluster_keys_cluster ON cluster_keys (cluster_id)",
        """INSERT OR IGNORE INTO cluster_keys (speaker, key, seen_at, cluster_id)
           SELECT speaker, '*', last_seen_at, id FROM clusters WHERE last_seen_at >= datetime('now', '-7 days')""",
    ]),
    # 17: /status's active chats and subscribers kept by triggers (counting the distinct chats of 250k
    # subscriptions took hundreds of milliseconds at 100k chats). Each chat keeps its number of subscriptions
    # (recounted from the subscriptions index whenever one of its rows changes, so cascades and merges cannot
    # skew it); the two totals follow each chat row's before and after.
    ("chat-counts", [
        "ALTER TABLE chats ADD COLUMN subscriptions INTEGER NOT NULL DEFAULT 0",
        "UPDATE chats SET subscriptions = (SELECT count(*) FROM subscriptions s WHERE s.chat_id = chats.id)",
        *[f"""CREATE TRIGGER subscriptions_recount_{event} AFTER {what} ON subscriptions BEGIN
                UPDATE chats SET subscriptions = (SELECT count(*) FROM subscriptions s WHERE s.chat_id = chats.id)
                WHERE id IN ({rows});
            END""" for event, what, rows in (("ai", "INSERT", "new.chat_id"), ("ad", "DELETE", "old.chat_id"),
                                             ("au", "UPDATE OF chat_id", "old.chat_id, new.chat_id"))],
        """INSERT INTO row_counts (name, n) VALUES
               ('active_chats', (SELECT count(*) FROM chats WHERE active = 1)),
               ('subscribers', (SELECT count(*) FROM chats WHERE active = 1 AND subscriptions > 0))""",
        """CREATE TRIGGER chats_counts_ai AFTER INSERT ON chats BEGIN
            UPDATE row_counts SET n = n + (new.active = 1) WHERE name = 'active_chats';
            UPDATE row_counts SET n = n + (new.active = 1 AND new.subscriptions > 0) WHERE name = 'subscribers';
        END""",
        """CREATE TRIGGER chats_counts_ad AFTER DELETE ON chats BEGIN
            UPDATE row_counts SET n = n - (old.active = 1) WHERE name = 'active_chats';
            UPDATE row_counts SET n = n - (old.active = 1 AND old.subscriptions > 0) WHERE name = 'subscribers';
        END""",
        """CREATE TRIGGER chats_counts_au AFTER UPDATE OF active, subscriptions ON chats BEGIN
            UPDATE row_counts SET n = n + (new.active = 1) - (old.active = 1) WHERE name = 'active_chats';
            UPDATE row_counts SET n = n + (new.active = 1 AND new.subscriptions > 0)
                                        - (old.active = 1 AND old.subscriptions > 0) WHERE name = 'subscribers';
        END""",
    ]),
    # 18: /who matches a topic in the folded statement text and the folded title of its article (Arabic prefixes,
    # letter forms, case), which it folded in Python for each statement of the week at every search (30-50 ms at
    # half a million statements); folded once when the statement is stored (storage.articles) and compared in SQL
    ("folded-search", [
        "ALTER TABLE statements ADD COLUMN folded TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE statements ADD COLUMN folded_title TEXT NOT NULL DEFAULT ''",
        _fill_folded,
    ]),
    # 19: the /who board's counts and the digest's clusters read a speaker's statements of a day or a week by time;
    # with their cluster in the index, the rows themselves are not read (about 1,600 a week per speaker)
    ("speaker-time-cluster", [
        "CREATE INDEX idx_statements_speaker_created_cluster ON statements (speaker, created_at, cluster_id)",
        "DROP INDEX idx_statements_speaker_created",
    ]),
    # 20: /who about a place or a person asked the gazetteer about every statement of the week holding a word of
    # its names (instr over ~6,400 texts and titles: 19 ms at a million statements); each statement's names are
    # found once when it is stored (storage.names) and read through an index, with the gazetteer's version
    ("statement-names", [
        """CREATE TABLE statement_names (
            statement_id INTEGER NOT NULL,
            name_key TEXT NOT NULL,
            PRIMARY KEY (statement_id, name_key)
        ) WITHOUT ROWID""",
        "CREATE INDEX idx_statement_names_name ON statement_names (name_key, statement_id)",
        "ALTER TABLE statements ADD COLUMN names_version INTEGER",
        """CREATE TRIGGER statements_names_ad AFTER DELETE ON statements BEGIN
            DELETE FROM statement_names WHERE statement_id = old.id;
        END""",
        _fill_names,
    ]),
    # 21: the statements of a time window with their cluster from the index alone: /who's scan bound (the 5,000th
    # newest of the week) read 5,000 rows for their cluster (2.4 ms at a million statements), as did /status's
    # count of the day's clusters
    ("created-cluster", [
        "CREATE INDEX idx_statements_created_cluster ON statements (created_at, cluster_id)",
        "DROP INDEX idx_statements_created",
    ]),
    # 22: ... and in the order /who reads them (newest first, then by id): with the cluster between the time and the
    # id, the 5,000 were sorted again
    ("created-id-cluster", [
        "CREATE INDEX idx_statements_created_id_cluster ON statements (created_at, id, cluster_id)",
        "DROP INDEX idx_statements_created_cluster",
    ]),
]

LATEST_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> int:
    """Apply every migration above the database's version, up to ``target``; return the new version.

    Each step runs in its own transaction together with its ``user_version`` bump, so a failing
    step leaves the database at the previous version, unchanged.
    """
    version = schema_version(conn)
    if version > LATEST_VERSION:
        raise SchemaTooNew(f"database schema version {version} is newer than this Raqib ({LATEST_VERSION})")
    for number in range(version + 1, target + 1):
        _name, statements = MIGRATIONS[number - 1]
        conn.execute("BEGIN IMMEDIATE")
        try:
            for step in statements:
                if isinstance(step, str):
                    conn.execute(step)
                else:
                    step(conn)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return schema_version(conn)
