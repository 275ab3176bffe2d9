"""`make bench`: run every benchmark in turn and print its figures.

Each benchmark is its own script in this folder, so one can be run alone:
``python bench/bench_extract.py``, ``python bench/bench_feeds.py``, ``python bench/bench_fanout.py --chats 10000``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = [
    ("extraction (reactions/)", ["bench_extract.py"]),
    ("feed polling (feeds/)", ["bench_feeds.py"]),
    ("fan-out to Telegram (bot/)", ["bench_fanout.py"]),
    ("push delay at Telegram's rate, 100k subscribers (the real sender, virtual time)", ["bench_push_delay.py"]),
]


def main() -> int:
    failed = 0
    for title, argv in BENCHES:
        script = HERE / argv[0]
        print(f"\n=== {title}: {script.name} ===", flush=True)
        if not script.exists():
            print("(missing)")
            failed += 1
            continue
        code = subprocess.call([sys.executable, str(script), *argv[1:]])
        if code:
            print(f"({script.name} exited with {code})")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
