"""Feed polling inside the running service, through python-telegram-bot's JobQueue (APScheduler).

One repeating job per feed (``name=f"feed:{url}"``, ``data={"feed_id": ...}``), its first run jittered
so feeds do not all start together. A job never runs twice at once (``max_instances=1`` plus an
in-process guard), a slow feed never delays another (each job is its own coroutine and fetching is
async), and a job that fires before the feed row's ``next_poll_at`` (backoff, Retry-After) just returns.
A poll stores what it finds; the new clusters wait in the store (``fanned_out = 0``) for the delivery job,
which fans them out into the outbox: polling and delivery share nothing else.

All the state lives in one :class:`FeedJobs` object, made by :func:`schedule_feeds` and kept by its caller
(the bot's ``post_init``); ``await feed_jobs.aclose()`` in ``post_shutdown``.
"""

from __future__ import annotations

import asyncio
import logging
import random

import sqlite_utils
from telegram.ext import CallbackContext, Job, JobQueue

import storage
from config import MIN_INTERVAL, Config
from feeds.asyncdb import AsyncDB
from feeds.fetch import Fetcher
from feeds.models import FeedResult
from feeds.parse import shutdown_pool
from feeds.pipeline import is_due, refresh_feed, utcnow
from storage.models import FeedRow

log = logging.getLogger(__name__)

JOB_PREFIX = "feed:"
MAX_FIRST_DELAY = 15.0
RETRY_JOB = "raqib-feed-retries"
RETRY_CHECK = 2.0  # seconds between looks for feeds an operator asked to retry
JOB_KWARGS = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}


def job_name(url: str) -> str:
    """The JobQueue name of a feed's job."""
    return f"{JOB_PREFIX}{url}"


def job_interval(feed: FeedRow) -> int:
    """Seconds between a feed's polls: its interval, never below :data:`config.MIN_INTERVAL`."""
    return max(MIN_INTERVAL, int(feed.interval))


def feed_jobs(job_queue: JobQueue) -> list[Job]:
    """The feed jobs currently scheduled on ``job_queue``."""
    return [job for job in job_queue.jobs() if isinstance(job.data, dict) and "feed_id" in job.data
            and str(job.name or "").startswith(JOB_PREFIX)]


class FeedJobs:
    """The feed jobs of one JobQueue and what they share: database, configuration, one Fetcher."""

    def __init__(self, job_queue: JobQueue, db: sqlite_utils.Database, config: Config) -> None:
        self.job_queue = job_queue
        self.db = db
        self.store = AsyncDB.of(db)  # the jobs' storage calls run in its threads, off the event loop
        self.config = config
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
        feed = await self.store.read(storage.feed_by_id, feed_id)
        if feed is None:
            return None
        if feed_id in self._running or not is_due(feed, utcnow()):
            return FeedResult(feed.id, feed.url, "skipped", next_poll_at=feed.next_poll_at)
        self._running.add(feed_id)
        try:
            return await refresh_feed(self.store, feed, self.fetcher, self.config.fetch,
                                      allow_private=self.config.telegram.allow_private_feed_urls,
                                      push_backlog=self.config.delivery.push_backlog)
        finally:
            self._running.discard(feed_id)

    def add(self, feed: FeedRow, *, first: float | None = None) -> Job:
        """Schedule ``feed`` every :func:`job_interval` seconds, replacing any job it had.

        :param first: seconds until the first run; default a random delay of up to 15 s (at most the interval).
        """
        self.remove(feed.url, feed_id=feed.id)
        interval = job_interval(feed)
        if first is None:
            first = random.uniform(0.5, min(MAX_FIRST_DELAY, float(interval)))
        return self.job_queue.run_repeating(self._poll_job, interval=interval, first=first,
                                            name=job_name(feed.url), data={"feed_id": feed.id},
                                            job_kwargs=JOB_KWARGS)

    def remove(self, url: str, *, feed_id: int | None = None) -> int:
        """Remove the job of the feed at ``url`` (or of ``feed_id``); returns how many jobs were removed."""
        removed = 0
        for job in feed_jobs(self.job_queue):
            if job.name == job_name(url) or (feed_id is not None and job.data.get("feed_id") == feed_id):
                job.schedule_removal()
                removed += 1
        return removed

    def reschedule(self) -> int:
        """Bring the jobs in line with the feeds table: add missing ones, drop removed feeds, and
        re-create jobs whose interval or URL changed. Returns the number of feed jobs afterwards."""
        feeds = {feed.id: feed for feed in storage.all_feeds(self.db)}
        scheduled: dict[int, Job] = {}
        for job in feed_jobs(self.job_queue):
            feed = feeds.get(job.data["feed_id"])
            interval = getattr(getattr(job, "trigger", None), "interval", None)
            changed = (feed is None or job.name != job_name(feed.url)
                       or (interval is not None and int(interval.total_seconds()) != job_interval(feed)))
            if changed or job.data["feed_id"] in scheduled:
                job.schedule_removal()
            else:
                scheduled[job.data["feed_id"]] = job
        for feed_id, feed in feeds.items():
            if feed_id not in scheduled:
                self.add(feed)
        return len(feeds)

    async def aclose(self) -> None:
        """Release what the jobs hold (HTTP client, parser worker processes); for ``post_shutdown``."""
        if self._fetcher is not None:
            await self._fetcher.aclose()
            self._fetcher = None
        shutdown_pool()

    async def _poll_job(self, context: CallbackContext) -> None:
        """The job callback: poll one feed; drop the job when its feed was removed."""
        job = context.job
        result = await self.poll(job.data["feed_id"])
        if result is None:
            log.info("feed %s is gone; removing its job", job.name)
            job.schedule_removal()
        elif result.new_url and job.name != job_name(result.new_url):
            # A permanent redirect moved the feed: re-create its job under the new URL so /removefeed finds it.
            feed = await self.store.read(storage.feed_by_id, job.data["feed_id"])
            if feed is not None:
                self.add(feed, first=float(job_interval(feed)))

    async def _retry_job(self, context: CallbackContext) -> None:
        """Every few seconds: poll at once the feeds an operator asked to retry (``raqib feeds retry``, from
        any process, or ``/status retry``), rather than at their job's next tick or after their backoff."""
        feeds = await self.store.read(storage.retry_requested)
        if feeds:
            log.info("retrying now, as an operator asked: %s", ", ".join(feed.url for feed in feeds))
            await asyncio.gather(*(self.poll(feed.id) for feed in feeds))


def schedule_feeds(job_queue: JobQueue, db: sqlite_utils.Database, config: Config) -> FeedJobs:
    """Schedule one job per feed in the database (:func:`storage.open_store` synced the configured ones) and
    the job that polls feeds an operator asked to retry.

    :param job_queue: the application's ``telegram.ext.JobQueue``.
    :returns: the :class:`FeedJobs` that owns the jobs; keep it to add or remove feeds and to close it.
    """
    jobs = FeedJobs(job_queue, db, config)
    jobs.reschedule()
    for job in job_queue.get_jobs_by_name(RETRY_JOB):
        job.schedule_removal()
    job_queue.run_repeating(jobs._retry_job, interval=RETRY_CHECK, first=RETRY_CHECK, name=RETRY_JOB,
                            job_kwargs={"max_instances": 1, "coalesce": True})
    return jobs


__all__ = ["FeedJobs", "feed_jobs", "job_interval", "job_name", "schedule_feeds"]
