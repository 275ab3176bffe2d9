"""Throughput and memory of ``reactions.extract`` (one process, registry loaded once).

    python bench/bench_extract.py [--runs 5] [--repeat 20]

Texts: the two seed articles and the dev-set texts (from ../shared, beside the repository), each set
repeated; every run is timed separately and the median is reported, plus peak memory (tracemalloc
during one pass, and the process's ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from reactions import extract, load_registry  # noqa: E402


def load_texts() -> dict[str, list[tuple[str, str | None, str | None]]]:
    seeds = [
        (p.read_text(encoding="utf-8"), "ar", "2022-01-22") for p in sorted((SHARED / "seeds").glob("*.txt"))
    ]
    dev = []
    dev_path = SHARED / "eval" / "dev.jsonl"
    if dev_path.exists():
        for line in dev_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                dev.append((d["text"], d.get("lang"), d.get("published")))
    if not seeds:  # keep the benchmark usable without the shared folder
        seeds = [
            ("قالت وزارة الخارجية الأمريكية إنها تشعر بالقلق. وأضافت أن الوضع خطير.", "ar", "2022-01-22")
        ]
    return {"seeds": seeds, "dev": dev}


def throughput(
    texts: list[tuple[str, str | None, str | None]], repeat: int, runs: int
) -> tuple[float, float, float, int]:
    """Median and best wall-clock articles/second and median CPU-time articles/second over ``runs`` runs
    of ``repeat`` passes; characters per pass.  (CPU time is steadier on a busy machine.)"""
    rates, cpu_rates = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(repeat):
            for text, lang, day in texts:
                extract(text, lang=lang, published=day)
        n = len(texts) * repeat
        rates.append(n / (time.perf_counter() - t0))
        cpu_rates.append(n / max(time.process_time() - c0, 1e-9))
    return (
        statistics.median(rates),
        max(rates),
        statistics.median(cpu_rates),
        sum(len(t) for t, _, _ in texts),
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    load_registry()
    load_ms = (time.perf_counter() - t0) * 1000
    sets = load_texts()
    for texts in sets.values():  # warm-up (regex compilation, caches)
        for text, lang, day in texts:
            extract(text, lang=lang, published=day)

    print(f"registry loaded once in {load_ms:.0f} ms")
    for name, texts in sets.items():
        if not texts:
            continue
        med, best, cpu, chars = throughput(texts, args.repeat, args.runs)
        avg = chars / len(texts)
        print(
            f"{name:6} {len(texts):4d} texts (avg {avg:,.0f} chars): median {med:,.0f} articles/s wall-clock "
            f"(best {best:,.0f}; {cpu:,.0f}/s of CPU time) over {args.runs} runs x {args.repeat} passes; "
            f"{med * avg / 1e6:.2f} M chars/s"
        )

    tracemalloc.start()
    for texts in sets.values():
        for text, lang, day in texts:
            extract(text, lang=lang, published=day)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_mb = rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024
    print(f"peak memory: tracemalloc {peak / 1024 / 1024:.1f} MB during one pass; ru_maxrss {rss_mb:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
