"""Feed polling benchmark: the 200 captured real feeds served from loopback, through the whole pipeline.

1. First poll: fetch + parse + extraction + storage into a fresh SQLite file, after the warm-up raqib run does
   at start (registry, gazetteer: timed apart). Prints seconds, entries
   per second and peak memory (ru_maxrss of this process and of the worker processes; with
   ``--tracemalloc`` also the Python heap peak, which slows the run down).
   Then feedparser alone parses the same files in this process, and the ratio of the two is printed
   (issue 13: the first poll should take at most half of what feedparser alone takes), in wall-clock time and
   in CPU time (this process and the parse workers; steadier than the wall clock on a busy machine).
2. Second poll: the server answers every conditional request with 304. Must take under 2 seconds.
3. Event-loop stall while the largest feed (2.5 MB) is parsed, with the process pool and with a thread
   pool: the longest gap a 10 ms heartbeat saw (what one huge feed costs every other feed).
4. Parser agreement: the fast parser and feedparser read every document of both corpora (the 200 real feeds
   and feedparser's test documents) alike (tests/parser_agreement.py; make test leaves out three of the
   largest real feeds, this checks them all). Prints every disagreement.

Usage: ``python bench/bench_feeds.py [--corpus DIR] [--per-host N] [--tracemalloc] [--skip-stall]
[--skip-agreement] [--db PATH]``.
Exit status 1 when the 304 poll takes 2 seconds or more, or when the two parsers disagree on a document.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from feeds import parse as feed_parse  # noqa: E402

# The pipeline, the store and the loopback server are imported in main(), not here: each parse worker imports
# this script again (Python 3.11's fork server runs the main script in every worker it starts), and a worker of
# `raqib run` imports only the raqib script, which loads its stage when a command runs. Imported here, they cost
# each worker a second of CPU within the poll being timed.

DEFAULT_CORPUS = ROOT.parent / "shared" / "feeds" / "real"
NOT_MODIFIED_BUDGET = 2.0
INGEST_RATIO_TARGET = 0.5


def feedparser_alone(files: list[Path]) -> tuple[float, float]:
    """Seconds (wall clock, CPU) feedparser 6 alone takes to parse every file, one after the other in this
    process: the floor the pipeline had when feedparser read every feed (``make bench`` compares the first poll
    to it)."""
    import feedparser

    bodies = [p.read_bytes() for p in files]
    start, cpu = time.perf_counter(), time.process_time()
    for body in bodies:
        feedparser.parse(body, response_headers={"content-type": "application/xml"})
    return time.perf_counter() - start, time.process_time() - cpu


def pool_cpu_seconds() -> float | None:
    """CPU seconds (user + system) used so far by the live parse workers and their fork server (Linux's
    /proc; None elsewhere). Neither is a child this process waits for, so RUSAGE_CHILDREN misses them."""
    import multiprocessing.forkserver

    pool = feed_parse._pool
    pids = list(getattr(pool, "_processes", None) or {})
    server = getattr(multiprocessing.forkserver._forkserver, "_forkserver_pid", None)
    if server:
        pids.append(server)
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return total


def maxrss_mb(who: int) -> float:
    """Peak resident memory in MB (Linux reports ru_maxrss in KB)."""
    return resource.getrusage(who).ru_maxrss / 1024


def worker_peaks_mb() -> list[float]:
    """Peak resident memory (VmHWM) of each live parse worker process, in MB (Linux only).

    The workers are children of the forkserver, not of this process, so RUSAGE_CHILDREN misses them.
    """
    pool = feed_parse._pool
    peaks = []
    for pid in list(getattr(pool, "_processes", None) or {}):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return peaks


async def heartbeat_lag(stop: asyncio.Event, tick: float = 0.01) -> float:
    """The longest time the loop took to come back to a ``tick``-second sleep, minus the tick."""
    loop = asyncio.get_running_loop()
    worst = 0.0
    while not stop.is_set():
        start = loop.time()
        await asyncio.sleep(tick)
        worst = max(worst, loop.time() - start - tick)
    return worst


async def stall_with(kind: str, body: bytes, url: str) -> tuple[float, float]:
    """Parse ``body`` with a ``kind`` pool while a heartbeat runs: (seconds, worst loop lag)."""
    os.environ["RAQIB_PARSE_POOL"] = kind
    feed_parse.shutdown_pool()
    await feed_parse.parse_off_loop(b"<rss version='2.0'><channel><title>x</title></channel></rss>")  # warm up
    stop = asyncio.Event()
    beat = asyncio.create_task(heartbeat_lag(stop))
    start = time.perf_counter()
    await feed_parse.parse_off_loop(body, content_type="application/xml", url=url)
    seconds = time.perf_counter() - start
    stop.set()
    lag = await beat
    feed_parse.shutdown_pool()
    return seconds, lag


def main(argv: list[str] | None = None) -> int:
    from config import Config, FeedConfig, FetchConfig
    from feeds.pipeline import poll_once
    from reactions.clustering import warm_up
    from storage import open_store
    from tests.feed_server import FeedServer

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of feed files")
    parser.add_argument("--per-host", type=int, default=FetchConfig.per_host,
                        help="requests at a time to one host; everything is on 127.0.0.1 here "
                             f"(default {FetchConfig.per_host}, the configuration's default)")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace the Python heap (slower)")
    parser.add_argument("--skip-stall", action="store_true", help="skip the event-loop stall comparison")
    parser.add_argument("--skip-agreement", action="store_true",
                        help="skip the fast parser / feedparser agreement over both corpora")
    parser.add_argument("--db", type=Path, help="keep the first poll's database at this new path (to compare the "
                                                "stored articles, statements and clusters of two versions)")
    args = parser.parse_args(argv)
    corpus = args.corpus if args.corpus.is_dir() else Path("/work/shared/feeds/real")
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    print(f"corpus: {corpus} ({len(files)} feeds, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB); "
          f"parse pool: {feed_parse.pool_kind()}; cpus: {os.cpu_count()}")

    if args.db is not None and args.db.exists():
        parser.error(f"--db {args.db}: the file exists already")
    status = 0
    with tempfile.TemporaryDirectory() as tmp, FeedServer(root=corpus) as server:
        db_path = args.db or Path(tmp) / "bench.db"
        config = Config(storage_path=db_path,
                        fetch=FetchConfig(per_host=args.per_host, timeout=120.0, full_text_min_chars=0),
                        feeds=tuple(FeedConfig(url=server.url(p.name), fetch_pages=False) for p in files))
        db = open_store(config)
        # raqib run loads these at start (a thread, bot.service), before its first poll; read from the cache
        # folder (reactions.prebuilt) or built when no file there has the same inputs (on a machine where several
        # checkouts share the folder, another checkout's run may have replaced this one's): not the poll's work
        start, cpu = time.perf_counter(), time.process_time()
        warm_up()
        print(f"warm-up (the registry, the gazetteer and the names clustering reads, as raqib run does at start): "
              f"{time.perf_counter() - start:.2f} s, {time.process_time() - cpu:.2f} s of CPU")
        if args.tracemalloc:
            tracemalloc.start()
        start, cpu = time.perf_counter(), time.process_time()
        first = asyncio.run(poll_once(db, config))
        seconds = seconds_first = time.perf_counter() - start
        cpu_main, cpu_pool = time.process_time() - cpu, pool_cpu_seconds()
        heap = tracemalloc.get_traced_memory()[1] / 1e6 if args.tracemalloc else None
        tracemalloc.stop()
        workers = worker_peaks_mb()
        print(f"first poll: {seconds:.2f} s for {first.feeds_polled} feeds ({first.failed} failed), "
              f"{first.entries} entries -> {first.entries / seconds:.0f} entries/s; "
              f"{first.new_articles} articles, {first.new_statements} statements, {first.new_clusters} clusters")
        print(f"peak memory: main process {maxrss_mb(resource.RUSAGE_SELF):.0f} MB (ru_maxrss)"
              + (f", parse workers {' + '.join(f'{w:.0f}' for w in workers)} MB (VmHWM)" if workers else "")
              + (f", Python heap peak {heap:.0f} MB (tracemalloc)" if heap is not None else ""))

        parse_alone, parse_alone_cpu = feedparser_alone(files)
        ratio = seconds_first / parse_alone
        print(f"feedparser alone (one process, the same {len(files)} files, this run): {parse_alone:.2f} s; "
              f"ingest / feedparser alone = {ratio:.2f} (target <= {INGEST_RATIO_TARGET})")
        if cpu_pool is not None:
            # CPU time is less at the mercy of other work on a shared machine than the wall clock (it still grows
            # with contention for caches and cores), and counts the work of the parse workers too.
            print(f"CPU time: first poll {cpu_main + cpu_pool:.2f} s (this process {cpu_main:.2f} s, parse workers "
                  f"and their fork server {cpu_pool:.2f} s), feedparser alone {parse_alone_cpu:.2f} s; "
                  f"ingest / feedparser alone = {(cpu_main + cpu_pool) / parse_alone_cpu:.2f} in CPU time")

        server.not_modified_only = True
        start = time.perf_counter()
        second = asyncio.run(poll_once(db, config))
        seconds = time.perf_counter() - start
        verdict = "ok" if seconds < NOT_MODIFIED_BUDGET else f"TOO SLOW (budget {NOT_MODIFIED_BUDGET:.0f} s)"
        print(f"second poll (304): {seconds:.2f} s for {second.feeds_polled} feeds, {second.not_modified} not "
              f"modified, {second.new_articles} new articles: {verdict}")
        if seconds >= NOT_MODIFIED_BUDGET or second.new_articles:
            status = 1
        db.close()

    if not args.skip_stall:
        largest = max(files, key=lambda p: p.stat().st_size)
        body = largest.read_bytes()
        for kind in ("process", "thread"):
            seconds, lag = asyncio.run(stall_with(kind, body, "http://127.0.0.1/" + largest.name))
            print(f"largest feed ({len(body) / 1e6:.1f} MB) parsed in a {kind} pool: {seconds:.2f} s, "
                  f"worst event-loop stall {lag * 1000:.0f} ms")
    feed_parse.shutdown_pool()
    if not args.skip_agreement:
        status |= parser_agreement()
    return status


def parser_agreement() -> int:
    """Compare the fast parser and feedparser on every document of both corpora; print the totals and every
    disagreement; 1 when there is one."""
    from tests.parser_agreement import compare_all, disagreements, documents

    start, cpu = time.perf_counter(), time.process_time()
    results = compare_all(documents())
    differ = disagreements(results)
    compared = sum(n for _taken, _differ, n, _same in results.values())
    same = sum(s for _taken, _differ, _n, s in results.values())
    print(f"parser agreement: {len(results)} documents, fast path taken for "
          f"{sum(taken for taken, *_ in results.values())}, {compared} entries compared, {same} with identical "
          f"text; {time.perf_counter() - start:.1f} s, {time.process_time() - cpu:.1f} s of CPU")
    for name, fields in sorted(differ.items()):
        print(f"PARSERS DISAGREE on {name}: {', '.join(sorted(fields))}")
    if differ:
        print(f"FAILED: the fast parser and feedparser disagree on {len(differ)} documents "
              "(tests/parser_agreement.py says what may differ)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
