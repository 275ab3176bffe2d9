"""feeds.asyncdb.AsyncDB: storage calls in database threads, off the event loop (issue 10 item 11)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest

from feeds.asyncdb import AsyncDB
from storage import chats
from storage.db import open_db


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "raqib.db")
    chats.ensure_chat(database, 7, "private", "seven")
    yield database
    database.close()


def test_reads_go_on_while_another_process_holds_the_write_lock(db, tmp_path):
    store = AsyncDB(db, busy_timeout_ms=5_000)
    other = sqlite3.connect(tmp_path / "raqib.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE chats SET title = 'held' WHERE id = 7")

    async def scenario():
        write = asyncio.create_task(store.write(chats.set_language, 7, "ar"))  # waits for the lock, in its thread
        ticks = 0
        while ticks < 5:  # the event loop is free meanwhile
            await asyncio.sleep(0.01)
            ticks += 1
        chat = await store.read(chats.chat_by_id, 7)  # a reader is not held up by the waiting writer
        waiting = not write.done()
        other.execute("COMMIT")
        await write
        return chat, waiting, await store.read(chats.chat_by_id, 7)

    try:
        before, waiting, after = asyncio.run(scenario())
    finally:
        other.close()
        store.close()
    assert before.title == "seven" and before.lang == "en"
    assert waiting  # the write was still waiting for the other process when the read was answered
    assert after.title == "held" and after.lang == "ar"


def test_a_write_through_a_reader_fails_at_once(db):
    store = AsyncDB(db)
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            asyncio.run(store.read(chats.set_language, 7, "ar"))
    finally:
        store.close()
    assert chats.chat_by_id(db, 7).lang == "en"


def test_calls_run_in_threads_and_errors_reach_the_caller(db):
    store = AsyncDB(db)
    names: list[str] = []

    def where(_db) -> str:
        names.append(threading.current_thread().name)
        raise LookupError("from the thread")

    async def scenario():
        for call in (store.read, store.write):
            with pytest.raises(LookupError, match="from the thread"):
                await call(where)

    try:
        asyncio.run(scenario())
    finally:
        store.close()
    assert names[0].startswith("raqib-db-read") and names[1].startswith("raqib-db-write")


def test_an_in_memory_database_has_one_connection_for_both(tmp_path):
    memory = open_db(":memory:")
    chats.ensure_chat(memory, 1, "private", "one")
    store = AsyncDB.of(memory)
    try:
        assert AsyncDB.of(memory) is store and AsyncDB.of(store) is store
        chat = asyncio.run(store.read(chats.chat_by_id, 1))
        asyncio.run(store.write(chats.set_language, 1, "ar"))
    finally:
        store.close()
    assert chat.title == "one" and chats.chat_by_id(memory, 1).lang == "ar"
    with pytest.raises(RuntimeError, match="closed"):
        asyncio.run(store.read(chats.chat_by_id, 1))
