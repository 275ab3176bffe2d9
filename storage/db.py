"""Opening the database: one SQLite file, WAL mode, foreign keys on, migrated to the latest schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from storage.errors import CannotOpen, SchemaTooNew
from storage.migrations import migrate


def connect(path: str | Path) -> sqlite3.Connection:
    """A raw connection with Raqib's settings (autocommit mode; callers open transactions explicitly)."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def connect_more(path: str | Path, *, busy_timeout_ms: int, read_only: bool = False) -> sqlite_utils.Database:
    """One more connection to a database :func:`open_db` opened (and migrated) already: for a worker thread of
    the running service (SQLite allows a connection per thread). The same settings as :func:`connect` but
    the journal mode, which the first connection set; ``read_only`` connections are ``PRAGMA query_only``, so a
    write through one fails at once instead of racing the one writer."""
    conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    conn.execute("PRAGMA synchronous = NORMAL")
    if read_only:
        conn.execute("PRAGMA query_only = ON")
    return sqlite_utils.Database(conn)


def file_of(db: sqlite_utils.Database) -> str | None:
    """The file of ``db``'s main database; None for an in-memory (or temporary) one."""
    for _seq, name, file in db.conn.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return file or None
    return None


def busy_timeout_of(db: sqlite_utils.Database) -> int:
    """Milliseconds ``db`` waits for another connection's lock."""
    return int(db.conn.execute("PRAGMA busy_timeout").fetchone()[0])


def open_db(path: str | Path, *, migrate_to_latest: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` and upgrade its schema in place.

    :raises CannotOpen: the file cannot be opened or created, or is not an SQLite database.
    :raises SchemaTooNew: a newer Raqib wrote it (one line naming the path).
    """
    try:
        conn = connect(path)
    except (sqlite3.Error, OSError) as exc:
        raise CannotOpen(f"cannot open the database {path}: {exc}") from exc
    if migrate_to_latest:
        try:
            migrate(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise CannotOpen(f"cannot open the database {path}: {exc}") from exc
        except SchemaTooNew as exc:
            conn.close()
            raise SchemaTooNew(f"{path}: {exc}; upgrade Raqib") from None
        except BaseException:
            conn.close()
            raise
    return sqlite_utils.Database(conn)


class transaction:
    """``with transaction(db): ...`` runs the block in one write transaction (BEGIN IMMEDIATE .. COMMIT).

    Nested use joins the outer transaction.
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn
        self.outer = False

    def __enter__(self) -> sqlite3.Connection:
        self.outer = not self.conn.in_transaction
        if self.outer:
            self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.outer:
            return
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
