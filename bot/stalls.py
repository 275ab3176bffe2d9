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
    # what those stalls were (see StallMonitor.record): the loop's own thread running (code on the loop), waiting
    # for a core (other processes on the machine), other threads of this process running (Python in the database
    # threads holding the GIL), or none of these (a blocking call on the loop)
    over_on_loop: int = 0
    over_waiting: int = 0
    over_in_threads: int = 0
    over_blocked: int = 0

    def describe(self) -> str:
        """One line for a log or a report."""
        line = (f"event-loop lag over {self.samples} samples: max {self.max_ms:.0f} ms, p99 {self.p99_ms:.0f} ms, "
                f"p50 {self.p50_ms:.0f} ms; {self.over_threshold} stalls over {self.threshold_ms:.0f} ms")
        if self.over_on_loop + self.over_waiting + self.over_in_threads + self.over_blocked:
            line += (f": {self.over_on_loop} running code on the loop, {self.over_waiting} waiting for a core, "
                     f"{self.over_in_threads} while other threads ran (the GIL), {self.over_blocked} blocked")
        return line

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _waited() -> float | None:
    """Seconds the calling thread has spent ready to run but waiting for a core (Linux's schedstat); None
    where the system does not say."""
    try:
        with open("/proc/thread-self/schedstat", "rb") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


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
        self.over_on_loop = self.over_waiting = self.over_in_threads = self.over_blocked = 0
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
            # (this runs on the loop's thread: its CPU and its wait for a core are the loop's)
            loop_cpu, waited, process_cpu = time.thread_time(), _waited(), time.process_time()
            await asyncio.sleep(self.interval)
            lag = self.clock() - expected
            after = _waited()
            self.record(lag, time.thread_time() - loop_cpu, time.process_time() - process_cpu,
                        after - waited if after is not None and waited is not None else None)

    def record(self, lag: float, loop_cpu: float | None = None, process_cpu: float | None = None,
               waited: float | None = None) -> None:
        """One wake-up ``lag`` seconds late. ``loop_cpu``, ``process_cpu`` and ``waited`` (the CPU time of the
        loop's thread and of the whole process, and the time the loop's thread waited for a core, from the
        timer's start to its wake-up) tell what a stall over the threshold was, the first that covers half the
        lag: the loop's thread running (code on the loop), waiting for a core, the process's other threads
        running (Python in the database threads holding the GIL); else a blocking call on the loop."""
        lag = max(0.0, lag)
        self.samples += 1
        self.histogram[int(lag * 1000)] += 1
        self.max_lag = max(self.max_lag, lag)
        if lag <= self.threshold:
            return
        self.over += 1
        if loop_cpu is not None and process_cpu is not None:
            if loop_cpu >= lag / 2:
                self.over_on_loop += 1
            elif waited is not None and waited >= lag / 2:
                self.over_waiting += 1
            elif process_cpu - loop_cpu >= lag / 2:
                self.over_in_threads += 1
            else:
                self.over_blocked += 1
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
                         over_threshold=self.over, threshold_ms=round(self.threshold * 1000, 1),
                         over_on_loop=self.over_on_loop, over_waiting=self.over_waiting,
                         over_in_threads=self.over_in_threads, over_blocked=self.over_blocked)


__all__ = ["LoopStats", "StallMonitor"]
