"""Feed polling inside the running service, through python-telegram-bot's JobQueue (APScheduler).

One repeating job per feed (``name=f"feed:{url}"``, ``data={"feed_id": ...}``), its first run jittered
so feeds do not all start together. A job never runs twice at once (``max_instances=1`` plus an
in-process guard), a slow feed never delays another (each job is its own coroutine and fetching is
async), and a job that fires before the feed row's ``next_poll_at`` (backoff, Retry-After) just returns.
After a poll that created clusters, ``on_new_clusters(cluster_ids)`` is awaited (the bot's fan-out).

Wiring, in the bot's ``post_init``::

    schedule_feeds(application.job_queue, db, config, on_new_clusters=fan_out_callback)

and in ``post_shutdown``: ``await close_feed_jobs(application.job_queue)``.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import storage
from config import Config
from feeds.fetch import Fetcher
from feeds.models import FeedResult
from feeds.parse import shutdown_pool
from feeds.pipeline import is_due, refresh_feed, utcnow

log = logging.getLogger(__name__)

OnNewClusters = Callable[[Sequence[int]], Awaitable[Any]]
JOB_PREFIX = "feed:"
MAX_FIRST_DELAY = 15.0
RETRY_JOB = "raqib-feed-retries"
RETRY_CHECK = 2.0  # seconds between looks for feeds an operator asked to retry


class FeedJobs:
    """The state the feed jobs of one JobQueue share: database, configuration, one Fetcher."""

    def __init__(self, db: Any, config: Config, on_new_clusters: OnNewClusters | None = None) -> None:
        self.db = db
        self.config = config
        self.on_new_clusters = on_new_clusters
        self._fetcher: Fetcher | None = None
        self._running: set[int] = set()

    @property
    def fetcher(self) -> Fetcher:
        """The shared HTTP client, created in the event loop on first use."""
        if self._fetcher is None:
            self._fetcher = Fetcher(self.config.fetch)
        return self._fetcher

    async def poll(self, feed_id: int) -> FeedResult | None:
        """Poll feed ``feed_id`` if it is due and not already being polled.

        :returns: the result; a ``skipped`` result when not due or busy; None when the feed is gone.
        """
        feed = storage.feed_by_id(self.db, feed_id)
        if feed is None:
            return None
        if feed_id in self._running or not is_due(feed, utcnow()):
            return FeedResult(feed.id, feed.url, "skipped", next_poll_at=feed.next_poll_at)
        self._running.add(feed_id)
        try:
            result = await refresh_feed(self.db, feed, self.fetcher, self.config.fetch,
                                        allow_private=self.config.telegram.allow_private_feed_urls,
                                        push_backlog=self.config.delivery.push_backlog)
        finally:
            self._running.discard(feed_id)
        if result.new_clusters and self.on_new_clusters is not None:
            try:
                await self.on_new_clusters(list(result.new_clusters))
            except Exception:  # noqa: BLE001 - delivery problems must not stop polling
                log.exception("on_new_clusters failed after polling %s", feed.url)
        return result

    async def aclose(self) -> None:
        """Close the HTTP client."""
        if self._fetcher is not None:
            await self._fetcher.aclose()
            self._fetcher = None


_STATE: dict[int, FeedJobs] = {}


def _state(job_queue: Any) -> FeedJobs:
    try:
        return _STATE[id(job_queue)]
    except KeyError:
        raise RuntimeError("schedule_feeds(job_queue, ...) has not been called for this JobQueue") from None


async def _poll_job(context: Any) -> None:
    """The job callback: poll one feed; drop the job when its feed was removed."""
    job = context.job
    jobs: FeedJobs = job.data["jobs"]
    result = await jobs.poll(job.data["feed_id"])
    if result is None:
        log.info("feed %s is gone; removing its job", job.name)
        job.schedule_removal()
    elif result.new_url and job.name != job_name(result.new_url):
        # A permanent redirect moved the feed: re-create its job under the new URL so /removefeed finds it.
        feed = storage.feed_by_id(jobs.db, job.data["feed_id"])
        if feed is not None:
            add_feed_job(context.job_queue, feed, first=float(max(5, int(feed.interval))))


async def _retry_job(context: Any) -> None:
    """Every few seconds: poll at once the feeds an operator asked to retry (``raqib feeds retry``, from any
    process, or ``/status retry``), rather than at their job's next tick or after their backoff."""
    jobs: FeedJobs = context.job.data["jobs"]
    feeds = storage.retry_requested(jobs.db)
    if feeds:
        log.info("retrying now, as an operator asked: %s", ", ".join(feed.url for feed in feeds))
        await asyncio.gather(*(jobs.poll(feed.id) for feed in feeds))


def job_name(url: str) -> str:
    """The JobQueue name of a feed's job."""
    return f"{JOB_PREFIX}{url}"


def feed_jobs(job_queue: Any) -> list[Any]:
    """The feed jobs currently scheduled on ``job_queue``."""
    return [job for job in job_queue.jobs() if isinstance(job.data, dict) and "feed_id" in job.data
            and str(job.name or "").startswith(JOB_PREFIX)]


def add_feed_job(job_queue: Any, feed: Any, *, first: float | None = None) -> Any:
    """Schedule ``feed`` (a ``FeedRow``) every ``feed.interval`` seconds, replacing any job it had.

    :param first: seconds until the first run; default a random delay of up to 15 s (at most the interval).
    :returns: the ``telegram.ext.Job``.
    """
    state = _state(job_queue)
    remove_feed_job(job_queue, feed.url, feed_id=feed.id)
    interval = max(5, int(feed.interval))
    if first is None:
        first = random.uniform(0.5, min(MAX_FIRST_DELAY, float(interval)))
    return job_queue.run_repeating(
        _poll_job, interval=interval, first=first, name=job_name(feed.url),
        data={"feed_id": feed.id, "jobs": state},
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )


def remove_feed_job(job_queue: Any, url: str, *, feed_id: int | None = None) -> int:
    """Remove the job of the feed at ``url`` (or of ``feed_id``); returns how many jobs were removed."""
    removed = 0
    for job in feed_jobs(job_queue):
        if job.name == job_name(url) or (feed_id is not None and job.data.get("feed_id") == feed_id):
            job.schedule_removal()
            removed += 1
    return removed


def reschedule(job_queue: Any) -> int:
    """Bring the jobs in line with the feeds table: add missing ones, drop removed feeds, and
    re-create jobs whose interval or URL changed. Returns the number of feed jobs afterwards."""
    state = _state(job_queue)
    feeds = {feed.id: feed for feed in storage.all_feeds(state.db)}
    scheduled: dict[int, Any] = {}
    for job in feed_jobs(job_queue):
        feed = feeds.get(job.data["feed_id"])
        interval = getattr(getattr(job, "trigger", None), "interval", None)
        changed = (feed is None or job.name != job_name(feed.url)
                   or (interval is not None and int(interval.total_seconds()) != max(5, int(feed.interval))))
        if changed or job.data["feed_id"] in scheduled:
            job.schedule_removal()
        else:
            scheduled[job.data["feed_id"]] = job
    for feed_id, feed in feeds.items():
        if feed_id not in scheduled:
            add_feed_job(job_queue, feed)
    return len(feeds)


def schedule_feeds(job_queue: Any, db: Any, config: Config,
                   on_new_clusters: OnNewClusters | None = None) -> FeedJobs:
    """Sync the configured feeds into the database and schedule one job per feed.

    :param job_queue: the application's ``telegram.ext.JobQueue``.
    :param on_new_clusters: awaited with the new cluster ids after a poll that created some.
    :returns: the shared :class:`FeedJobs` state (also found again by :func:`add_feed_job`).
    """
    storage.sync_config_feeds(db, config.feeds)
    state = _STATE.get(id(job_queue))
    if state is None:
        state = _STATE[id(job_queue)] = FeedJobs(db, config, on_new_clusters)
    else:
        state.db, state.config, state.on_new_clusters = db, config, on_new_clusters
    reschedule(job_queue)
    for job in job_queue.get_jobs_by_name(RETRY_JOB):
        job.schedule_removal()
    job_queue.run_repeating(_retry_job, interval=RETRY_CHECK, first=RETRY_CHECK, name=RETRY_JOB,
                            data={"jobs": state}, job_kwargs={"max_instances": 1, "coalesce": True})
    return state


async def close_feed_jobs(job_queue: Any) -> None:
    """Release what the feed jobs hold (HTTP client, worker processes); for ``post_shutdown``."""
    state = _STATE.pop(id(job_queue), None)
    if state is not None:
        await state.aclose()
    shutdown_pool()
