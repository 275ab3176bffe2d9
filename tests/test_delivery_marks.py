"""A message that went out while another process held the database's write lock is marked later, not sent
again (issue 10, item 11): a real python-telegram-bot ``Bot`` against the fake Bot API server, and a second
SQLite connection holding ``BEGIN IMMEDIATE`` while the message is being sent."""

from __future__ import annotations

import sqlite3

from bot import sender
from tests.test_delivery_sender import TOKEN, db, rows, run_with_bot, seed, server  # noqa: F401


class LockingSink:
    """Sends through the real sink, then lets another process take the write lock before returning."""

    def __init__(self, inner, path) -> None:
        self.inner, self.path, self.other = inner, path, None

    async def send(self, chat_id: int, html: str) -> int:
        message_id = await self.inner.send(chat_id, html)
        self.other = sqlite3.connect(self.path, isolation_level=None)
        self.other.execute("BEGIN IMMEDIATE")
        return message_id

    def release(self) -> None:
        self.other.execute("COMMIT")
        self.other.close()


def test_a_sent_message_whose_mark_failed_is_marked_later_not_sent_again(server, db, tmp_path):  # noqa: F811
    seed(db, (1,))
    db.conn.execute("PRAGMA busy_timeout = 200")  # the lock outlasts the busy timeout
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]

    async def scenario(sink):
        locking = LockingSink(sink, path)
        the_sender = sender.Sender(db, locking, limiter=sender.RateLimiter())  # the service keeps one
        first = await the_sender.drain()
        status_while_locked = rows(db, "status")
        waiting = len(the_sender.unmarked)
        locking.release()
        second = await the_sender.drain()
        return first, status_while_locked, waiting, second, len(the_sender.unmarked)

    first, status_while_locked, waiting, second, left = run_with_bot(server, scenario)
    assert first == 1 and second == 0
    assert waiting == 1 and left == 0  # remembered by the Sender, then applied
    assert status_while_locked == [("sending",)]  # not claimable meanwhile
    assert len(server.sent(1)) == 1  # sent once
    [(status, message_id)] = rows(db, "status", "message_id")
    assert status == "sent" and message_id == server.sent(1)[0]["message_id"]
