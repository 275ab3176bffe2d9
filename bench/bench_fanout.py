"""Fan-out bench: one statement pushed to N subscribed chats through the real sender and a real
python-telegram-bot ``Bot``, against the fake Bot API server enforcing Telegram's limits (30 messages/s
overall, 1/s per private chat, 20/min per group; 429 with retry_after past them).

Prints the sustained rate (target >= 27 messages/s; Telegram allows 30), messages lost (expected minus
received; target 0), duplicates, 429s received, and peak memory (max RSS of this process, which also runs
the fake server). 10,000 chats at ~29/s take about 6 minutes; ``--max-seconds`` bounds the run (the figures
then cover what was sent, and the rest is reported as still pending, not lost).

Usage: python bench/bench_fanout.py [--chats 10000] [--groups 0] [--max-seconds 480] [--rate 29] [--window-cap 28]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import telegram  # noqa: E402

from bot import sender  # noqa: E402
from reactions.model import Statement  # noqa: E402
from storage import chats, outbox  # noqa: E402
from storage.articles import save_article  # noqa: E402
from storage.db import open_db  # noqa: E402
from storage.feeds import add_feed  # noqa: E402
from storage.models import NewArticle  # noqa: E402
from tests.fake_telegram import FakeTelegram  # noqa: E402

TOKEN = "123:BENCH"
SPEAKER = "us-state-department"
TEXT = "The State Department condemned the attack on the prison in Hasakah and called for restraint."


def seed(db, count: int, groups: int) -> int:
    """``count`` chats following the speaker (the last ``groups`` of them groups) and one new statement."""
    for i in range(count):
        chat_id = -(1_000_000 + i) if i >= count - groups else 10_000 + i
        chats.ensure_chat(db, chat_id, type="group" if chat_id < 0 else "private", lang="ar" if i % 2 else "en")
        chats.subscribe(db, chat_id, SPEAKER)
    feed = add_feed(db, "https://news.example/rss", name="Example News", lang="en")
    statement = Statement(speaker=SPEAKER, person="ned-price", kind="reported", start=0, end=len(TEXT), text=TEXT,
                          quotes=(), reaction="condemnation")
    save_article(db, NewArticle(feed.id, "bench-1", "https://news.example/1", "Hasakah", TEXT, "en",
                                "2022-01-22 10:00:00", None), [statement])
    return count


async def deliver(db, server: FakeTelegram, args) -> dict:
    limiter = sender.RateLimiter(args.rate, window_cap=args.window_cap)
    started = time.monotonic()
    async with telegram.Bot(TOKEN, base_url=server.api_url) as bot:
        sink = sender.TelegramSink(bot)
        while outbox.pending_count(db) and time.monotonic() - started < args.max_seconds:
            remaining = args.max_seconds - (time.monotonic() - started)
            await sender.drain_outbox(db, sink, limiter=limiter, concurrency=args.concurrency,
                                      max_seconds=max(0.0, remaining))
            if outbox.pending_count(db):
                await asyncio.sleep(0.2)  # retries not yet due
    return {"elapsed": time.monotonic() - started, "pauses": limiter.pauses}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Push one statement to N chats against the fake Bot API server.")
    parser.add_argument("--chats", type=int, default=10_000, help="subscribed chats (default 10000)")
    parser.add_argument("--groups", type=int, default=0, help="how many of them are groups (default 0)")
    parser.add_argument("--max-seconds", type=float, default=480.0, help="stop sending after this long")
    parser.add_argument("--rate", type=float, default=sender.MESSAGES_PER_SECOND,
                        help=f"the sender's spacing in messages/s (default {sender.MESSAGES_PER_SECOND:g})")
    parser.add_argument("--window-cap", type=int, default=sender.WINDOW_CAP,
                        help=f"at most this many messages in any one second (default {sender.WINDOW_CAP})")
    parser.add_argument("--concurrency", type=int, default=sender.CONCURRENCY, help="requests in flight")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp, FakeTelegram(token=TOKEN, enforce_limits=True,
                                                            keep_messages=False) as server:
        db = open_db(Path(tmp) / "bench.db")
        t0 = time.monotonic()
        expected = seed(db, args.chats, min(args.groups, args.chats))
        t1 = time.monotonic()
        enqueued = outbox.fan_out(db)
        t2 = time.monotonic()
        result = asyncio.run(deliver(db, server, args))

        received = server.sent_count
        distinct = len(received)
        duplicates = sum(n - 1 for n in received.values() if n > 1)
        counts = outbox.delivery_counts(db)
        pending = counts["pending"] + counts["sending"]
        lost = expected - distinct - pending  # not received and not still queued: lost
        times = server.send_times
        sustained = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 and times[-1] > times[0] else 0.0
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        db.conn.close()

    print(f"chats subscribed:        {expected} (seeded in {t1 - t0:.1f}s)")
    print(f"fan-out:                 {enqueued} deliveries enqueued in {t2 - t1:.2f}s")
    print(f"delivered:               {distinct} chats in {result['elapsed']:.1f}s"
          + (f" (stopped at --max-seconds {args.max_seconds:g})" if pending else ""))
    print(f"sustained rate:          {sustained:.1f} messages/s (target >= 27; limit 30)")
    print(f"lost:                    {lost} (expected - received - still pending; target 0)")
    print(f"still pending:           {pending}")
    print(f"failed:                  {counts['failed']}")
    print(f"duplicates:              {duplicates}")
    print(f"429s received:           {server.stats.rejected_429} (limit violations {server.stats.limit_violations},"
          f" early retries {server.stats.early_retries}); sender pauses {result['pauses']}")
    print(f"peak memory (max RSS):   {peak_mb:.0f} MB (bench process, fake server included)")
    ok = lost == 0 and duplicates == 0 and counts["failed"] == 0 and (pending > 0 or sustained >= 27 or expected < 100)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
