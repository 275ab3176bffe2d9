"""Push delay at Telegram's rate: a simulation of the outbox and sender, no database, no network.

One speaker makes ``--statements`` statements a day (evenly spread) and ``--chats`` chats follow it; the bot may
send ``--rate`` messages a second in all (Telegram's limit is about 30). Two policies:

- ``one per statement`` (today's outbox): each statement is one delivery per chat, sent oldest first, one message
  each. When statements x chats exceeds what the rate sends in a day the queue grows without end.
- ``grouped when late``: a chat whose oldest pending statement has waited longer than ``--group-after`` seconds
  gets all its pending statements in one message (nothing dropped). Each chat then needs one message per round,
  so the worst delay settles near chats / rate (the floor for reaching every chat once) plus the wait to group.

Prints the worst and median delay of each policy over ``--days`` days. Usage:
``python bench/bench_push_delay.py [--chats 100000] [--statements 80] [--rate 30] [--days 2] [--group-after 900]``.
"""

from __future__ import annotations

import argparse
import heapq
import statistics
import sys


def one_per_statement(chats: int, per_day: int, rate: float, days: int) -> list[float]:
    """FIFO over (statement, chat) deliveries: the k-th message leaves at k / rate."""
    interval = 86400 / per_day
    delays = []
    clock = 0.0
    for n in range(per_day * days):
        created = n * interval
        clock = max(clock, created)
        first = clock - created
        clock += chats / rate
        delays.append(clock - created)  # the last chat of this statement
        delays.append(first)
    return delays


def grouped_when_late(chats: int, per_day: int, rate: float, days: int, group_after: float) -> list[float]:
    """Chats served oldest pending first; a chat late by more than ``group_after`` takes all its pending in one
    message. Chats are identical here, so one representative per arrival order is simulated in bulk."""
    interval = 86400 / per_day
    end = per_day * days * interval
    # each chat: list of pending creation times; heap of (oldest pending, chat)
    pending: dict[int, list[float]] = {c: [] for c in range(chats)}
    heap: list[tuple[float, int]] = []
    delays: list[float] = []
    clock, next_statement, made = 0.0, 0.0, 0
    step = 1 / rate
    while made < per_day * days or heap:
        while made < per_day * days and next_statement <= clock:
            for c in range(chats):
                if not pending[c]:
                    heapq.heappush(heap, (next_statement, c))
                pending[c].append(next_statement)
            made += 1
            next_statement = made * interval
        if not heap:
            clock = next_statement
            continue
        oldest, c = heapq.heappop(heap)
        items = pending[c]
        late = clock - oldest > group_after
        sent = items if late else items[:1]
        delays.extend(clock - t for t in sent)
        del items[:len(sent)]
        if items:
            heapq.heappush(heap, (items[0], c))
        clock += step
        if clock > end + 10 * 86400:  # safety: never loop forever
            break
    return delays


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=100_000)
    parser.add_argument("--statements", type=int, default=80, help="statements a day")
    parser.add_argument("--rate", type=float, default=30.0, help="messages a second in all")
    parser.add_argument("--days", type=int, default=2)
    parser.add_argument("--group-after", type=float, default=900.0, help="seconds before pending ones are grouped")
    args = parser.parse_args(argv)
    print(f"{args.chats:,} subscribers, {args.statements} statements a day, {args.rate:g} messages/s, "
          f"{args.days} days: {args.chats * args.statements:,} deliveries a day against "
          f"{args.rate * 86400:,.0f} messages a day")
    hour = 3600.0
    first = one_per_statement(args.chats, args.statements, args.rate, args.days)
    growth = (args.chats * args.statements / args.rate - 86400) / hour
    print(f"  one message per statement (today's outbox): worst delay {max(first) / hour:,.1f} h"
          + (f" (growing by {growth:,.1f} h a day)" if growth > 0 else " (the rate keeps up)"))
    # Every chat here is alike, so 1,000 of them at rate x 1,000 / chats wait exactly as long as all of them do.
    sample = min(args.chats, 1000)
    grouped = grouped_when_late(sample, args.statements, args.rate * sample / args.chats, args.days, args.group_after)
    print(f"  grouped when late (after {args.group_after / 60:g} min): worst delay {max(grouped) / 60:,.0f} min, "
          f"median {statistics.median(grouped) / 60:,.0f} min; floor to reach every chat once: "
          f"{args.chats / args.rate / 60:,.0f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
