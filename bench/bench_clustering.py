"""Clustering bench: what one ``save_article`` costs when the speaker already has N clusters around.

Builds a fresh database with one outlet, then N real news documents (tests/data/real.jsonl, their gold
statements, all given to one speaker and spread over 72 hours, so N clusters or nearly) through
``save_article`` itself; then saves M more real documents at the middle of that window and prints the median
and p95 of their save time (clustering lookup included) and of the lookup alone (``storage.clusters.candidates``).

Usage: python bench/bench_clustering.py [--clusters 400] [--saves 40] [--root DIR]
(``--root``: the checkout whose code is measured, for a before/after comparison; default this one.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
ap.add_argument("--clusters", type=int, default=400)
ap.add_argument("--saves", type=int, default=40)
ap.add_argument("--root", default=str(Path(__file__).resolve().parents[1]))
args = ap.parse_args()
sys.path.insert(0, args.root)

from reactions.model import Statement  # noqa: E402
from storage.articles import save_article  # noqa: E402
from storage.db import open_db  # noqa: E402
from storage.feeds import add_feed  # noqa: E402
from storage.models import NewArticle  # noqa: E402

SPEAKER = "us-state-department"
START = dt.datetime(2024, 3, 1)


def documents() -> list[dict]:
    path = Path(__file__).resolve().parents[1] / "tests/data/real.jsonl"
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r for r in rows if r.get("statements")]


def statements(doc: dict) -> list[Statement]:
    out = []
    for s in doc["statements"]:
        text = doc["text"][s["start"]:s["end"]]
        out.append(Statement(SPEAKER, None, "reported", s["start"], s["end"], text, (), "statement"))
    return out


def article(feed: int, key: str, doc: dict, when: dt.datetime, salt: str) -> NewArticle:
    return NewArticle(feed_id=feed, entry_key=key, url=None, title=doc["text"].split("\n")[0][:200],
                      text=doc["text"] + salt, lang=doc["lang"], published_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                      content_hash=None)


def main() -> int:
    docs = documents()
    with tempfile.TemporaryDirectory() as folder:
        db = open_db(Path(folder) / "bench.db")
        feed = add_feed(db, "https://outlet.example/rss").id
        now = (START + dt.timedelta(hours=80)).strftime("%Y-%m-%d %H:%M:%S")
        for i in range(args.clusters):
            doc = docs[i % len(docs)]
            when = START + dt.timedelta(seconds=int(72 * 3600 * i / args.clusters))
            save_article(db, article(feed, f"b{i}", doc, when, f" ({i})"), statements(doc), now=now)
        clusters = db.execute("SELECT count(*) FROM clusters").fetchone()[0]
        from storage.clusters import candidates
        saves, lookups = [], []
        middle = START + dt.timedelta(hours=36)
        for j in range(args.saves):
            doc = docs[(args.clusters + j * 7) % len(docs)]
            new = article(feed, f"n{j}", doc, middle, f" [{j}]")
            t0 = time.perf_counter()
            try:  # this checkout's lookup: by keys (document_keys) or by speakers (before)
                from reactions.clustering import document_keys, document_reports
                reports = document_reports("q", new.text, new.lang, new.published_at, statements(doc))
                candidates(db, document_keys(reports), middle.strftime("%Y-%m-%d %H:%M:%S"))
            except ImportError:
                candidates(db, [SPEAKER], middle.strftime("%Y-%m-%d %H:%M:%S"))
            lookups.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            save_article(db, new, statements(doc), now=now)
            saves.append(time.perf_counter() - t0)
        db.close()

    def show(name: str, values: list[float]) -> None:
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"{name:<28} median {statistics.median(values) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms")

    print(f"{clusters} clusters of one speaker within 72 h ({args.clusters} documents), {args.saves} saves")
    show("candidate lookup", lookups)
    show("save_article (with lookup)", saves)
    return 0


if __name__ == "__main__":
    sys.exit(main())
