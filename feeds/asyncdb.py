"""The async face of the store: the service's SQLite work runs in threads, never on the event loop.

``storage`` is synchronous (sqlite-utils; plain functions of a ``Database``) and stays so. The service's
coroutines (command handlers, the feed jobs, the sender, the digest) must not call it on the event loop: one
slow query, or another process holding the write lock (SQLite then waits up to the busy timeout), would
freeze every chat's answers. :class:`AsyncDB` runs each storage call in a thread, as Datasette does with
SQLite: ONE writer thread with its own connection, so writes never contend with each other and are applied in
the order they were asked, and a few reader threads, each with its own connection (SQLite allows one per
thread; in WAL mode they read while a write is in progress, another process's included)::

    chat = await store.read(chats.chat_by_id, chat_id)
    await store.write(chats.set_language, chat_id, "ar")

``read``/``write`` call ``fn(db, *args, **kwargs)`` with that thread's ``sqlite_utils.Database`` and return
what it returns (or raise what it raised). Reader connections are ``PRAGMA query_only``: a write sent through
:meth:`AsyncDB.read` by mistake fails at once instead of racing the writer. An in-memory database has only
the one connection it was opened with: then reads and writes both go to the writer thread.

It lives in ``feeds`` because that is the lowest async stage: ``storage`` stays free of asyncio, and both the
feed jobs and ``bot`` use it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import sqlite_utils

from storage.db import busy_timeout_of, connect_more, file_of

T = TypeVar("T")

READERS = 2  # reader threads (the machine has 2 cores; reads are short)


class AsyncDB:
    """One writer thread and a few reader threads over the database ``db`` was opened on (opened and migrated
    already, e.g. by :func:`storage.open_store`). ``db`` itself stays the caller's: the threads open their own
    connections, except for an in-memory database, whose one connection the writer thread uses.

    :param busy_timeout_ms: how long the threads' connections wait for another process's lock (default: what
        ``db`` waits). Waiting blocks a thread, not the event loop; reads are not blocked by a held write lock.
    """

    def __init__(self, db: sqlite_utils.Database, *, readers: int = READERS,
                 busy_timeout_ms: int | None = None) -> None:
        self.db = db
        self.path = file_of(db)
        self.busy_timeout_ms = busy_timeout_of(db) if busy_timeout_ms is None else int(busy_timeout_ms)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite_utils.Database] = []
        self._writer = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="raqib-db-write")
        self._readers = (concurrent.futures.ThreadPoolExecutor(readers, thread_name_prefix="raqib-db-read")
                         if self.path else self._writer)
        self.closed = False

    @classmethod
    def of(cls, db: sqlite_utils.Database | AsyncDB, *, busy_timeout_ms: int | None = None) -> AsyncDB:
        """``db`` itself when it is an AsyncDB; else the one AsyncDB kept with that ``Database`` (made on first
        use, with ``busy_timeout_ms``), so a caller handing a plain ``Database`` to an async function gets the
        same threads each time."""
        if isinstance(db, AsyncDB):
            return db
        found = db.__dict__.get("_raqib_async")
        if found is None or found.closed:
            found = db.__dict__["_raqib_async"] = cls(db, busy_timeout_ms=busy_timeout_ms)
        return found

    async def read(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(db, *args, **kwargs)`` on a reader thread's connection (reads only)."""
        return await self._run(self._readers, False, fn, args, kwargs)

    async def write(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(db, *args, **kwargs)`` on the writer thread's connection (writes, and reads that must see
        the writes asked before them)."""
        return await self._run(self._writer, True, fn, args, kwargs)

    async def _run(self, executor: concurrent.futures.Executor, write: bool, fn: Callable[..., T],
                   args: tuple, kwargs: dict) -> T:
        if self.closed:
            raise RuntimeError("the database threads are closed")
        call = functools.partial(self._call, write, fn, args, kwargs)
        return await asyncio.get_running_loop().run_in_executor(executor, call)

    def _call(self, write: bool, fn: Callable[..., T], args: tuple, kwargs: dict) -> T:
        return fn(self._connection(write), *args, **kwargs)

    def _connection(self, write: bool) -> sqlite_utils.Database:
        db = getattr(self._local, "db", None)
        if db is None:
            if self.path is None:
                db = self.db  # in memory: only this connection sees the data (the writer thread only uses it)
            else:
                db = connect_more(self.path, busy_timeout_ms=self.busy_timeout_ms, read_only=not write)
                with self._lock:
                    self._connections.append(db)
            self._local.db = db
        return db

    def close(self) -> None:
        """Wait for the calls in progress, stop the threads and close their connections (not ``db``)."""
        if self.closed:
            return
        self.closed = True
        self._writer.shutdown(wait=True)
        if self._readers is not self._writer:
            self._readers.shutdown(wait=True)
        with self._lock:
            for db in self._connections:
                db.conn.close()
            self._connections.clear()


__all__ = ["AsyncDB"]
