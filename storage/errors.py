"""The store's own exceptions: callers catch these, never sqlite3 errors."""

import sqlite3

SQLITE_BUSY, SQLITE_LOCKED = 5, 6


class StorageError(Exception):
    """Base class for the store's errors."""


class CannotOpen(StorageError):
    """The database file cannot be opened or created (not a database, a folder, no permission, no such
    folder); ``str(error)`` is one line naming the path and the reason."""


class InUse(CannotOpen):
    """Another Raqib service already runs on this database (one service per database)."""


class SchemaTooNew(StorageError):
    """The database was written by a newer Raqib than this one."""


class NotFound(StorageError):
    """The row asked for does not exist."""


class AlreadyExists(StorageError):
    """A row with the same unique key exists already."""


def is_busy(exc: sqlite3.Error) -> bool:
    """Whether ``exc`` only says another connection holds a lock (SQLITE_BUSY / SQLITE_LOCKED): the one
    database error a caller may wait out. Any other error (no such column, disk I/O, a bad migration) is a
    fault to report, not to retry quietly."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)
