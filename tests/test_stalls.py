"""bot.stalls.StallMonitor: the event loop's stalls measured as a periodic timer's lag (issue 13), shown in
/status and the heartbeat file, logged when long."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import types

from bot import render
from bot.health import Heartbeat
from bot.stalls import LoopStats, StallMonitor


def test_a_blocked_loop_is_measured_and_logged(caplog):
    async def scenario():
        async with StallMonitor(interval=0.01, threshold=0.25) as monitor:
            await asyncio.sleep(0.05)
            time.sleep(0.5)  # holds the loop, as a query run on it would
            await asyncio.sleep(0.05)
        return monitor.stats()

    with caplog.at_level(logging.WARNING, logger="bot.stalls"):
        stats = asyncio.run(scenario())
    # the timer was due at most one interval (10 ms) after the block began, so it is at least 490 ms late; a loaded
    # machine may add a late wake-up of its own, so the block is one stall or more, never none
    assert stats.max_ms >= 490 and stats.over_threshold >= 1
    # measured live, each stall is put down to exactly one cause (a sleep is no CPU: blocked, or waiting for a core
    # on a loaded machine), never to code on the loop or to other threads (there are none)
    assert (stats.over_on_loop + stats.over_waiting + stats.over_in_threads + stats.over_blocked
            == stats.over_threshold)
    assert stats.over_on_loop == stats.over_in_threads == 0
    assert stats.samples >= 2 and stats.p50_ms < stats.max_ms
    lines = [r.getMessage() for r in caplog.records if "stalled" in r.getMessage()]
    assert lines and "the event loop stalled" in lines[0] and "stalls over 250 ms" in lines[0]


def test_percentiles_and_one_log_line_per_period(caplog):
    now = [0.0]
    monitor = StallMonitor(threshold=0.05, log_every=10.0, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="bot.stalls"):
        for _ in range(98):
            monitor.record(0.002)
        monitor.record(0.080)  # logged
        now[0] = 5.0
        monitor.record(0.200)  # within the period: counted, not logged
        now[0] = 20.0
        monitor.record(0.060)  # the next period: logged, with the one held back
    stats = monitor.stats()
    assert stats.samples == 101 and stats.max_ms == 200.0 and stats.over_threshold == 3
    assert stats.p50_ms == 3.0  # the 2 ms bucket's upper edge
    assert stats.p99_ms == 81.0  # the 100th of 101 samples: 80 ms
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2
    assert lines[0].startswith("the event loop stalled 80 ms (1 stalls")
    assert lines[1].startswith("the event loop stalled 200 ms (2 stalls")


def test_status_and_heartbeat_show_the_stalls(tmp_path):
    monitor = StallMonitor()
    for lag in (0.001, 0.004, 0.120):
        monitor.record(lag)
    view = types.SimpleNamespace(feeds=1, failing=[], last_poll=None, last_success=None, outbox_pending=0,
                                 outbox_failed=0, chats=1, subscribers=1, subscriptions=1, clusters_24h=0)
    text = render.status(view, "en", monitor.stats())
    assert "Event loop since start: max stall 120 ms, p99 120 ms (0 over 250 ms)" in text
    assert "حلقة الأحداث" in render.status(view, "ar", monitor.stats())
    assert "Event loop" not in render.status(view, "en")

    heartbeat = Heartbeat(tmp_path / "raqib.db.heartbeat", stalls=monitor)
    heartbeat.write([])
    data = json.loads((tmp_path / "raqib.db.heartbeat").read_text())
    assert LoopStats(**data["event_loop"]) == monitor.stats()


def test_a_stall_is_put_down_to_the_loop_a_core_other_threads_or_a_blocking_call():
    monitor = StallMonitor(threshold=0.05)
    monitor.record(0.100, loop_cpu=0.090, process_cpu=0.095, waited=0.0)  # code on the loop
    monitor.record(0.100, loop_cpu=0.010, process_cpu=0.020, waited=0.080)  # waiting for a core
    monitor.record(0.100, loop_cpu=0.001, process_cpu=0.180, waited=0.010)  # a database thread's Python (GIL)
    monitor.record(0.100, loop_cpu=0.001, process_cpu=0.002, waited=0.001)  # a blocking call on the loop
    monitor.record(0.100, loop_cpu=0.001, process_cpu=0.002, waited=None)  # no schedstat: not waiting, then
    monitor.record(0.100)  # nothing measured: counted, not put down to anything
    monitor.record(0.010, loop_cpu=0.0, process_cpu=0.0, waited=0.0)  # under the threshold: not a stall
    stats = monitor.stats()
    assert (stats.over_threshold, stats.over_on_loop, stats.over_waiting, stats.over_in_threads,
            stats.over_blocked) == (6, 1, 1, 1, 2)
    assert stats.describe().endswith(
        "6 stalls over 50 ms: 1 running code on the loop, 1 waiting for a core, 1 while other threads ran (the GIL), "
        "2 blocked")
