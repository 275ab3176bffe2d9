"""The one start-up path: every command that opens the store goes through :func:`open_store`."""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path

import sqlite_utils

from config import Config
from storage.db import open_db
from storage.errors import CannotOpen, InUse
from storage.feeds import sync_config_feeds
from storage.outbox import recover_in_flight

log = logging.getLogger(__name__)

SERVICE_BUSY_TIMEOUT_MS = 250  # how long the running service waits for another process's write lock


def open_store(config: Config, *, deliver: bool = False) -> sqlite_utils.Database:
    """Open the database at ``config.storage_path``, migrate it, sync the configured feeds into it and,
    for the process that delivers (``deliver=True``: ``raqib run``), put the deliveries a crash left
    ``sending`` back to ``pending``.

    Only the delivering process recovers: a ``raqib stats`` run beside the service must not take back the
    messages the service is sending at that moment (they would go out twice).

    With ``deliver=True`` the process also takes the database's :class:`ServiceLock` first.

    :raises InUse: ``deliver=True`` and another service holds the database (one line).
    :raises CannotOpen: the file cannot be opened or created, or is not an SQLite database (one line).
    :raises SchemaTooNew: a newer Raqib wrote it (one line).
    """
    lock = ServiceLock.acquire(config.storage_path) if deliver else None
    try:
        db = open_db(config.storage_path)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    try:
        sync_config_feeds(db, config.feeds)
        if deliver:
            recovered = recover_in_flight(db)
            if recovered:
                log.info("%d deliveries were in flight at the last stop; they will be sent again", recovered)
            # The service's writes run on its event loop: when another process holds the write lock they fail
            # after a moment (and are tried again by the next job run) instead of freezing every chat's answers
            # for the default 30 s.
            db.conn.execute(f"PRAGMA busy_timeout = {SERVICE_BUSY_TIMEOUT_MS}")
    except BaseException:
        db.close()
        if lock is not None:
            lock.release()
        raise
    if lock is not None:
        lock.hold_until_closed(db)
    return db


class ServiceLock:
    """One delivering service per database: an exclusive ``flock`` on ``<database>.lock``, taken before the
    database is touched (so a second service never runs its start-up recovery, which would put the first
    one's in-flight messages back in the queue) and held until the database is closed or the process ends
    (the kernel drops it on ``kill -9`` too, so a crash never leaves a stale lock). The file holds the pid.
    """

    def __init__(self, path: Path, fd: int) -> None:
        self.path, self.fd = path, fd

    @classmethod
    def acquire(cls, db_path: str | Path) -> ServiceLock | None:
        """:raises InUse: another process holds it (the message names the database and that process)."""
        if str(db_path) == ":memory:":
            return None
        path = Path(f"{db_path}.lock")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise CannotOpen(f"cannot open the database {db_path}: cannot create {path.name}: "
                             f"{exc.strerror}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise InUse(f"another Raqib service (pid {holder}) is running on the database {db_path}; "
                        "stop it first (one service per database)") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        return cls(path, fd)

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing the descriptor drops the flock
            self.fd = -1

    def hold_until_closed(self, db: sqlite_utils.Database) -> None:
        """Release the lock when ``db.close()`` is called."""
        close = db.close

        def close_and_release() -> None:
            try:
                close()
            finally:
                self.release()

        db.close = close_and_release  # type: ignore[method-assign]
