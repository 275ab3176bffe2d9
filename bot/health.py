"""The service's heartbeat and ``raqib health`` (Docker's HEALTHCHECK, a systemd watchdog script, a monitor).

While ``raqib run`` runs, every job execution on its JobQueue (feed polls, the sender, the digest) is noted
through an APScheduler listener, and a heartbeat job writes, every :data:`INTERVAL` seconds, a small JSON file
next to the database (``<database>.heartbeat``): when it was written, and for every scheduled job its interval
and when it last ran. ``raqib health`` reads that file and exits non-zero when the heartbeat is old (the event
loop or the scheduler stopped) or when a repeating job has not run for much longer than its interval (a stuck
or dropped job). It never opens the database, so it cannot disturb the service.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED

log = logging.getLogger(__name__)

JOB_NAME = "heartbeat"
INTERVAL = 30.0
MAX_AGE = 120.0  # seconds: a heartbeat older than this means the service's jobs have stopped
JOB_SLACK = 120.0  # seconds: a job is late when it has not run for 2 intervals plus this
EXIT_UNHEALTHY = 1


def heartbeat_path(storage_path: str | os.PathLike) -> Path:
    """Where the service writes its heartbeat: beside the database."""
    path = Path(storage_path)
    return path.with_name(path.name + ".heartbeat")


class Heartbeat:
    """Notes when each job last ran (APScheduler's executed/error events) and writes the heartbeat file."""

    def __init__(self, path: str | os.PathLike, clock: Any = time.time, stalls: Any = None) -> None:
        self.path = Path(path)
        self.clock = clock
        self.stalls = stalls  # a bot.stalls.StallMonitor: its figures go in the file as "event_loop"
        self.started_at = clock()
        self.last_run: dict[str, float] = {}

    def on_event(self, event: Any) -> None:
        """APScheduler listener: a job ran (successfully or not; either way the scheduler is running it)."""
        self.last_run[str(event.job_id)] = self.clock()

    def snapshot(self, jobs: Any) -> dict[str, Any]:
        """The heartbeat's content for these ``telegram.ext.Job`` objects."""
        rows = []
        for job in jobs:
            if job.name == JOB_NAME:
                continue
            trigger = getattr(job.job, "trigger", None)
            interval = getattr(trigger, "interval", None)
            rows.append({"name": job.name, "interval": interval.total_seconds() if interval is not None else None,
                         "last_run": self.last_run.get(str(job.job.id))})
        data = {"written_at": self.clock(), "started_at": self.started_at, "pid": os.getpid(), "jobs": rows}
        if self.stalls is not None:
            data["event_loop"] = self.stalls.stats().to_dict()
        return data

    def write(self, jobs: Any) -> None:
        """Write the heartbeat atomically (a reader never sees half a file)."""
        data = json.dumps(self.snapshot(jobs), ensure_ascii=False)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(data, encoding="utf-8")
        os.replace(tmp, self.path)


def schedule_heartbeat(job_queue: Any, path: str | os.PathLike, interval: float = INTERVAL, *,
                       stalls: Any = None) -> Heartbeat:
    """Listen to the JobQueue's job executions and write the heartbeat every ``interval`` seconds (with the
    event loop's stall figures when ``stalls``, a ``bot.stalls.StallMonitor``, is given)."""
    heartbeat = Heartbeat(path, stalls=stalls)
    job_queue.scheduler.add_listener(heartbeat.on_event, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    async def beat(context: Any) -> None:
        try:
            heartbeat.write(context.job_queue.jobs())
        except OSError:
            log.warning("could not write the heartbeat %s", heartbeat.path, exc_info=True)

    for job in job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    job_queue.run_repeating(beat, interval=interval, first=0.5, name=JOB_NAME,
                            job_kwargs={"max_instances": 1, "coalesce": True})
    return heartbeat


@dataclass(frozen=True)
class Health:
    ok: bool
    problems: tuple[str, ...]
    age: float | None
    jobs: int


def check(path: str | os.PathLike, now: float | None = None, max_age: float = MAX_AGE,
          job_slack: float = JOB_SLACK) -> Health:
    """Judge the heartbeat file at ``path``: fresh, and every repeating job run recently enough."""
    now = time.time() if now is None else now
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        written = float(data["written_at"])
        started = float(data.get("started_at") or written)
        jobs = list(data.get("jobs") or [])
    except FileNotFoundError:
        return Health(False, (f"no heartbeat at {path}: is `raqib run` running with this configuration?",), None, 0)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Health(False, (f"unreadable heartbeat {path}: {exc}",), None, 0)
    problems = []
    age = now - written
    if age > max_age:
        problems.append(f"the heartbeat is {age:.0f} s old (limit {max_age:.0f} s): the service's jobs have stopped")
    for job in jobs:
        interval = job.get("interval")
        if not interval:
            continue
        since = written - float(job.get("last_run") or started)
        if since > 2 * float(interval) + job_slack:
            problems.append(f"job {job.get('name')} has not run for {since:.0f} s (it runs every {interval:.0f} s)")
    return Health(not problems, tuple(problems), age, len(jobs))


def health_command(storage_path: str | os.PathLike, max_age: float = MAX_AGE) -> int:
    """``raqib health``: one line; exit 0 when healthy, 1 when not."""
    path = heartbeat_path(storage_path)
    health = check(path, max_age=max_age)
    if health.ok:
        print(f"ok: heartbeat {health.age:.0f} s ago, {health.jobs} jobs running on schedule")
        return 0
    print("unhealthy: " + "; ".join(health.problems))
    return EXIT_UNHEALTHY
