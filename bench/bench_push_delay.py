"""Push delay at Telegram's rate with the real sender: how late the last chat gets a statement.

One speaker makes ``--statements`` statements a day, evenly spread, and ``--chats`` chats (100,000) follow it.
Everything on the way is Raqib's own: each statement is stored by ``storage.save_article`` into a real SQLite
file, fanned out by the sender (``bot.sender.Sender.fan_out``) and sent by ``Sender.drain`` (claiming with
``storage.outbox.claim_due``, grouping when the queue is late as ``[delivery] max_delay_minutes`` says, rendering
with ``bot.push_format``, marking every row), through the real ``RateLimiter`` into a sink that records when
each message left. Only time is simulated: the limiter's clock and sleep are a virtual clock, so days of
sending take seconds. The delay of a statement in a chat is the virtual time its message left minus the time
the statement arrived.

Scale: every chat here is alike (same subscription, same language), so ``--sample`` chats sent at
rate x sample / chats see exactly the turns of the queue that all ``--chats`` chats see at the full rate (a
turn of the queue is chats / rate either way); the limit of the grouping (``max_delay`` x rate deliveries)
scales the same way. The default, 1,000 chats standing for 100,000, runs in well under a minute.

Prints the worst and median delay, with the configured limit and the floor no sender can beat (one message to
each chat: chats / rate), and checks that every statement reached every chat exactly once. Usage:
``python bench/bench_push_delay.py [--chats 100000] [--statements 80] [--days 2] [--max-delay-minutes 75]
[--sample 1000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import storage  # noqa: E402
from bot import sender  # noqa: E402
from bot.push_format import MAX_LENGTH, utf16_len  # noqa: E402
from reactions.model import Statement  # noqa: E402
from storage import chats, outbox  # noqa: E402
from storage.db import open_db, transaction  # noqa: E402
from storage.models import NewArticle  # noqa: E402

SPEAKER = "us-state-department"
RATE = float(sender.WINDOW_CAP)  # what the limiter sustains: at most 28 messages in any one second
LETTERS = "abcdefghijklmnopqrstuvwxyz"


class Clock:
    """Virtual time for the rate limiter: ``sleep`` moves the clock instead of waiting."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


class RecordingSink:
    """A sink that takes every message at once and remembers when (virtual time) and what each one carried."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.sent_at: dict[tuple[int, int], float] = {}
        self.markers: dict[tuple[int, int], list[str]] = {}
        self.grouped = 0
        self.messages = 0
        self.longest = 0
        self.next_id = 0

    async def send(self, chat_id: int, html: str) -> int:
        if utf16_len(html) > MAX_LENGTH:
            raise sender.Rejected("message is too long")
        self.next_id += 1
        key = (chat_id, self.next_id)
        self.sent_at[key] = self.clock.now
        self.markers[key] = re.findall(r"stmt(\d+)x", html)
        self.messages += 1
        self.grouped += html.startswith("🗂")
        self.longest = max(self.longest, utf16_len(html))
        return self.next_id

    async def edit(self, chat_id: int, message_id: int, html: str) -> None:
        raise sender.Rejected("no edits in this bench")


async def simulate(chats_total: int, sample: int, per_day: int, days: float, max_delay: float,
                   folder: Path) -> dict:
    db = open_db(folder / "push-delay.db")
    rate = RATE * sample / chats_total
    with transaction(db):
        for chat_id in range(1, sample + 1):
            chats.ensure_chat(db, chat_id)
            chats.subscribe(db, chat_id, SPEAKER)
    feed = storage.add_feed(db, "https://news.example/feed.xml", name="Example News", lang="en")
    clock = Clock()
    limiter = sender.RateLimiter(per_second=rate, window_cap=max(1, int(rate)), clock=clock, sleep=clock.sleep)
    sink = RecordingSink(clock)
    the_sender = sender.Sender(db, sink, limiter=limiter, concurrency=1, max_delay=max_delay)
    interval = 86400 / per_day
    total = int(per_day * days)
    arrived: dict[int, float] = {}
    base = dt.datetime(2025, 1, 1)
    rng = random.Random(13)
    for n in range(total):
        due = n * interval
        while clock.now < due:  # send until the next statement arrives (the job runs again and again)
            room = max(1, int((due - clock.now) * rate))
            if not await the_sender.drain(limit=room):
                clock.now = due  # nothing waiting: idle until then
        words = " ".join("".join(rng.choice(LETTERS) for _ in range(8)) for _ in range(6))  # one utterance each
        text = f"The State Department condemned the {words} stmt{n}x."
        when = (base + dt.timedelta(seconds=due)).strftime("%Y-%m-%d %H:%M:%S")
        storage.save_article(db, NewArticle(feed_id=feed.id, entry_key=f"e{n}", url=f"https://news.example/{n}",
                                            title=f"Report {n}", text=text, lang="en", published_at=when,
                                            content_hash=str(n)),
                             [Statement(speaker=SPEAKER, person=None, kind="reported", start=0, end=len(text),
                                        text=text, reaction="condemnation")], now=when)
        arrived[n] = due
        await the_sender.fan_out()
    while outbox.pending_count(db):
        if not await the_sender.drain():
            break
    delays = []
    seen: dict[tuple[int, str], int] = {}
    for (chat_id, message_id), markers in sink.markers.items():
        for marker in markers:
            delays.append(sink.sent_at[(chat_id, message_id)] - arrived[int(marker)])
            seen[(chat_id, marker)] = seen.get((chat_id, marker), 0) + 1
    counts = outbox.delivery_counts(db)
    the_sender.store.close()
    db.close()
    return {"delays": delays, "messages": sink.messages, "grouped": sink.grouped, "longest": sink.longest,
            "complete": len(seen) == sample * total and set(seen.values()) == {1},
            "counts": counts, "expected": sample * total}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=100_000, help="subscribers of the speaker")
    parser.add_argument("--statements", type=int, default=80, help="statements a day")
    parser.add_argument("--days", type=float, default=2.0)
    parser.add_argument("--max-delay-minutes", type=float, default=75.0,
                        help="[delivery] max_delay_minutes (default 75: above the 60-minute floor of 100,000 chats)")
    parser.add_argument("--sample", type=int, default=1000, help="chats simulated (standing for --chats)")
    args = parser.parse_args(argv)
    if not 1 <= args.sample <= args.chats or args.statements < 1 or args.days <= 0 or args.max_delay_minutes <= 0:
        parser.error("need 1 <= --sample <= --chats, --statements >= 1, --days > 0, --max-delay-minutes > 0")
    floor = args.chats / RATE
    print(f"{args.chats:,} subscribers, {args.statements} statements a day for {args.days:g} days, {RATE:g} "
          f"messages/s: {args.chats * args.statements:,} deliveries a day against {RATE * 86400:,.0f} messages a day; "
          f"[delivery] max_delay_minutes = {args.max_delay_minutes:g}; the real sender over {args.sample:,} chats "
          f"at {RATE * args.sample / args.chats:.3g} messages/s (virtual time)")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        result = asyncio.run(simulate(args.chats, args.sample, args.statements, args.days,
                                      args.max_delay_minutes * 60, Path(folder)))
    delays = result["delays"]
    worst = max(delays) / 60 if delays else 0.0
    verdict = "within" if worst <= args.max_delay_minutes else "OVER"
    print(f"  worst push delay {worst:,.1f} min ({verdict} the {args.max_delay_minutes:g}-minute limit), median "
          f"{statistics.median(delays) / 60:,.1f} min; floor (one message to every chat) {floor / 60:,.1f} min")
    print(f"  {result['messages']:,} messages for {result['expected']:,} deliveries ({result['grouped']:,} grouped; "
          f"longest {result['longest']:,} characters); every statement reached every chat exactly once: "
          f"{'yes' if result['complete'] else 'NO'}; outbox {result['counts']}; {time.perf_counter() - started:.0f} s")
    return 0 if result["complete"] else 1


if __name__ == "__main__":
    sys.exit(main())
