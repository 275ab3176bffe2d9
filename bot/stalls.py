"""Event-loop stalls, measured from inside: the lag of a periodic timer.

Every coroutine of the service (command handlers, the feed jobs, the sender, the digest) shares one event
loop; anything that holds it (a slow query run on it, CPU work, a blocking call) delays every chat's answer.
:class:`StallMonitor` sleeps :data:`INTERVAL` seconds again and again and records how late each wake-up was:
that lateness is how long the loop was held. It keeps the maximum and a histogram (1 ms buckets) for
percentiles since start, logs a warning when a stall exceeds :data:`LOG_THRESHOLD` (at most one line per
:data:`LOG_EVERY` seconds, with how many there were), and its :meth:`StallMonitor.stats` go to ``/status``,
the heartbeat file (so ``bench/soak.py`` reads them from outside) and ``make bench-scale``::

    async with StallMonitor() as monitor:
        ...  # the work to watch
    print(monitor.stats().describe())
"""

from __future__ import annotations

import asyncio
import collections
import logging
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

log = logging.getLogger(__name__)

INTERVAL = 0.05  # seconds between the timer's wake-ups (20 samples a second: negligible work)
LOG_THRESHOLD = 0.25  # seconds: a stall this long is logged (issue 13's target is 50 ms at a million rows)
LOG_EVERY = 10.0  # seconds: at most one stall line this often (a stalling loop must not flood the log)


@dataclass(frozen=True)
class LoopStats:
    """What the monitor saw since it started (milliseconds)."""

    samples: int
    max_ms: float
    p50_ms: float
    p99_ms: float
    over_threshold: int  # stalls longer than the log threshold
    threshold_ms: float

    def describe(self) -> str:
        """One line for a log or a report."""
        return (f"event-loop lag over {self.samples} samples: max {self.max_ms:.0f} ms, p99 {self.p99_ms:.0f} ms, "
                f"p50 {self.p50_ms:.0f} ms; {self.over_threshold} stalls over {self.threshold_ms:.0f} ms")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class StallMonitor:
    """The lag of a periodic timer on the running loop: start with :meth:`start` (or ``async with``), stop
    with :meth:`stop`; :meth:`stats` any time.

    ``clock`` is ``time.monotonic`` (tests pass their own with ``record``).
    """

    def __init__(self, interval: float = INTERVAL, *, threshold: float = LOG_THRESHOLD,
                 log_every: float = LOG_EVERY, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.threshold = threshold
        self.log_every = log_every
        self.clock = clock
        self.histogram: collections.Counter[int] = collections.Counter()  # lag in whole ms -> samples
        self.samples = 0
        self.max_lag = 0.0
        self.over = 0
        self._unlogged = 0  # stalls over the threshold since the last stall line
        self._worst_unlogged = 0.0
        self._logged_at = -math.inf
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        """Start the timer on the running loop (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="raqib-stall-monitor")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass

    async def __aenter__(self) -> StallMonitor:
        self.start()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()

    async def _run(self) -> None:
        while True:
            expected = self.clock() + self.interval
            await asyncio.sleep(self.interval)
            self.record(self.clock() - expected)

    def record(self, lag: float) -> None:
        """One wake-up ``lag`` seconds late."""
        lag = max(0.0, lag)
        self.samples += 1
        self.histogram[int(lag * 1000)] += 1
        self.max_lag = max(self.max_lag, lag)
        if lag <= self.threshold:
            return
        self.over += 1
        self._unlogged += 1
        self._worst_unlogged = max(self._worst_unlogged, lag)
        now = self.clock()
        if now - self._logged_at >= self.log_every:
            log.warning("the event loop stalled %.0f ms (%d stalls over %.0f ms since the last such line); %s",
                        self._worst_unlogged * 1000, self._unlogged, self.threshold * 1000, self.stats().describe())
            self._logged_at = now
            self._unlogged, self._worst_unlogged = 0, 0.0

    def percentile(self, q: float) -> float:
        """The ``q`` quantile (0..1) of the lags so far, in ms (the upper edge of its 1 ms bucket)."""
        if not self.samples:
            return 0.0
        rank = max(1, math.ceil(q * self.samples))
        seen = 0
        for ms in sorted(self.histogram):
            seen += self.histogram[ms]
            if seen >= rank:
                return min(ms + 1.0, self.max_lag * 1000)
        return self.max_lag * 1000

    def stats(self) -> LoopStats:
        return LoopStats(samples=self.samples, max_ms=round(self.max_lag * 1000, 1),
                         p50_ms=round(self.percentile(0.50), 1), p99_ms=round(self.percentile(0.99), 1),
                         over_threshold=self.over, threshold_ms=round(self.threshold * 1000, 1))


__all__ = ["LoopStats", "StallMonitor"]
