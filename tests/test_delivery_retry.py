"""Transient Telegram errors are retried until the delivery is too old to matter; only permanent errors fail
(issue 10, item 6). A real python-telegram-bot ``Bot`` against the fake Bot API server; the backoff between
tries is set to zero so the many tries of an outage take a moment (the time they would take is what the
delivery's age measures, and a test sets that age directly)."""

from __future__ import annotations

import pytest

from bot import sender
from config import ConfigError, parse_config
from storage import outbox
from tests.fake_telegram import Fault
from tests.test_delivery_sender import TOKEN, db, drain_all, rows, run_with_bot, seed, server  # noqa: F401


@pytest.mark.slow
def test_an_outage_longer_than_eight_attempts_loses_nothing(server, db, monkeypatch):  # noqa: F811
    monkeypatch.setattr(sender, "backoff", lambda attempts: 0.0)
    seed(db, (1, 2))
    # 20 failures shared by two chats: one of them fails at least 10 times, so it is tried 11 times or more
    # (the old policy gave up after 8); each try waits for the next whole second (the database's time)
    server.server_errors(18, status=502)
    server.drop_connections(2)
    run_with_bot(server, lambda sink: drain_all(db, sink, timeout=60))
    assert sorted(int(m["chat_id"]) for m in server.sent()) == [1, 2]
    statuses = rows(db, "status", "attempts")
    assert [s for s, _a in statuses] == ["sent", "sent"]
    assert max(a for _s, a in statuses) > 8


def test_a_delivery_too_old_to_matter_fails_with_the_reason(server, db, monkeypatch):  # noqa: F811
    monkeypatch.setattr(sender, "backoff", lambda attempts: 0.0)
    seed(db, (1,))
    db.conn.execute("UPDATE deliveries SET created_at = datetime('now', '-25 hours')")
    server.server_errors(5, status=503)
    run_with_bot(server, lambda sink: drain_all(db, sink))
    assert server.sent() == []
    [(status, attempts, error)] = rows(db, "status", "attempts", "last_error")
    assert status == "failed" and attempts == 1 and "too old to send" in error and "25.0 h" in error


def test_max_age_is_configurable(server, db, monkeypatch):  # noqa: F811
    monkeypatch.setattr(sender, "backoff", lambda attempts: 0.0)
    seed(db, (1,))
    db.conn.execute("UPDATE deliveries SET created_at = datetime('now', '-3 hours')")
    server.server_errors(2, status=500)

    async def drain(sink):
        return await sender.drain_outbox(db, sink, limiter=sender.RateLimiter(), max_age=2 * 3600)

    run_with_bot(server, drain)
    assert rows(db, "status") == [("failed",)]  # 3 h old, the limit 2 h: failed at the first 500
    assert parse_config({"delivery": {"max_age_hours": 6}}).delivery.max_age_hours == 6.0
    assert parse_config({}).delivery.max_age_hours == 24.0
    for bad in (0, -1, 10_000, "soon"):
        with pytest.raises(ConfigError, match="delivery.max_age_hours"):
            parse_config({"delivery": {"max_age_hours": bad}})


def test_a_permanent_error_fails_at_once(server, db, monkeypatch):  # noqa: F811
    monkeypatch.setattr(sender, "backoff", lambda attempts: 0.0)
    seed(db, (1,))
    server.add_fault(Fault("400", "sendMessage", None, 1, description="Bad Request: message is too long"))
    run_with_bot(server, lambda sink: drain_all(db, sink))
    [(status, attempts, error)] = rows(db, "status", "attempts", "last_error")
    assert (status, attempts) == ("failed", 1) and "rejected" in error
    assert outbox.delivery_counts(db)["failed"] == 1
