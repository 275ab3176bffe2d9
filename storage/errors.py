"""The store's own exceptions: callers catch these, never sqlite3 errors."""


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
