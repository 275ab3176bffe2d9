"""End to end, the real ``raqib run`` (issue 10 item 11 and the soak's findings): another process holding the
database's write lock for seconds does not freeze the bot (``/help`` is answered while the lock is held, a
new chat's ``/subscribe`` goes through once it is released) and sends no push twice; a ``kill -9`` of the
service leaves none of its parser worker processes behind."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import pytest

from tests.test_e2e_service import SEED_STATE, is_push, item_xml, subscribe, world  # noqa: F401

pytestmark = pytest.mark.slow

LOCK_SECONDS = 4.0  # several seconds: far past the old 250 ms busy timeout of the event loop's connection


def help_replies(telegram, chat_id: int) -> list[dict]:
    return [m for m in telegram.sent(chat_id) if "/latest" in m["text"] and not is_push(m)]


def test_a_held_write_lock_neither_freezes_the_bot_nor_repeats_a_push(world):  # noqa: F811
    telegram, items, service, _feeds = world
    service.start(telegram)
    subscribe(telegram, 4001, lang="en")
    service.wait_first_poll()
    telegram.send_latency = 1.0  # a slow Telegram: the push is still in flight when the lock is taken
    items.append(item_xml(SEED_STATE, "seed-002", "2022-01-22T18:00:00"))
    deadline = time.monotonic() + 60
    while service.query("SELECT count(*) FROM deliveries WHERE chat_id = 4001 AND status = 'sending'")[0] == 0:
        assert time.monotonic() < deadline, service.log.read_text()[-3000:]
        time.sleep(0.05)

    other = sqlite3.connect(service.db_path, timeout=30, isolation_level=None)  # another process's write lock
    other.execute("BEGIN IMMEDIATE")
    released = None
    try:
        locked_at = time.monotonic()
        telegram.send_command(4001, "/help", language_code="en")  # a known chat: reads only
        telegram.send_command(4002, "/subscribe us-state-department", language_code="en")  # a new chat: writes
        telegram.wait_until(lambda: bool(help_replies(telegram, 4001)), timeout=60)
        help_while_locked = True  # the lock is still held here: released only below
        while time.monotonic() - locked_at < LOCK_SECONDS:  # hold it the scenario's several seconds
            time.sleep(0.1)
        other.execute("COMMIT")
        released = time.monotonic()
    finally:
        if released is None:
            other.execute("ROLLBACK")
        other.close()
    telegram.send_latency = 0.0

    telegram.wait_until(lambda: len(telegram.sent(4002)) >= 1, timeout=60)
    service.wait_settled()
    assert help_while_locked
    replies_4002 = [m["text"] for m in telegram.sent(4002) if not is_push(m)]
    assert replies_4002 and not any("went wrong" in text for text in replies_4002), replies_4002
    assert service.query("SELECT count(*) FROM subscriptions WHERE chat_id = 4002")[0] == 1
    pushes = [m for m in telegram.sent(4001) if is_push(m)]
    assert len(pushes) == 1, [m["text"][:80] for m in pushes]  # sent once, marked once the lock was gone
    assert service.query("SELECT status FROM deliveries WHERE chat_id = 4001") == ("sent",)
    assert not any("went wrong" in m["text"] for m in telegram.sent(4001))
    assert service.stop() == 0


def descendants(pid: int) -> set[int]:
    """Every living process under ``pid`` (children, grandchildren, ...), from /proc."""
    children: dict[int, set[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), set()).add(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return {p for p in found if alive(p)}


def alive(pid: int) -> bool:
    """The process exists and is not a zombie (an exited process nobody reaped yet)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_kill_9_leaves_no_parser_workers(world):  # noqa: F811
    telegram, _items, service, _feeds = world
    service.start(telegram)
    service.wait_first_poll()  # the feed was parsed: in the worker processes
    assert service.process is not None
    workers = descendants(service.process.pid)
    assert workers, "raqib run started no worker processes"
    service.stop(signal.SIGKILL)
    deadline = time.monotonic() + 30  # generous: the workers look for their service twice a second
    while {p for p in workers if alive(p)} and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not {p for p in workers if alive(p)}, f"left behind: {sorted(p for p in workers if alive(p))}"
