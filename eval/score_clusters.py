#!/usr/bin/env python3
"""Score statement clustering against a gold set: pairwise precision, recall and F1. Standard library only.

    score_clusters.py GOLD.jsonl --run "raqib extract --jsonl --cluster"   # feed the documents, score the output
    score_clusters.py GOLD.jsonl --pred PRED.jsonl                         # score saved output
    options: --min-precision P --min-f1 F   exit 1 when the figures fall below
             --json                         print the figures as one JSON object
             --show-errors                  list the events split and the clusters that mix events

Gold: corpus documents in arrival order, one JSON object a line: {"id", "text", "lang", "published", ["speaker"],
"statements": [{"speaker", "person", "start", "end", "event"}]}; statements with one "event" are one utterance on
one occasion. A document with "speaker" is an item of that speaker's own feed (an official release).

The command gets the documents in that order without their statements ({"id", "text", "lang", "published",
["speaker"]}) and answers {"id", "statements": [{"speaker", "start", "end", "cluster", ...}]} a line.

Matching: a gold statement takes the cluster of the predicted statement of the same speaker in the same document
that covers most of it, when that covers at least half of its characters; a gold statement with none is a
cluster of its own. Over every pair of gold statements: a true pair is in one event and one cluster; precision is
true pairs / pairs in one cluster, recall true pairs / pairs in one event. Conditional recall is the recall over the
gold pairs whose two statements were both matched (found by the extractor): the clusterer's share of the misses.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter, defaultdict
from itertools import combinations

INPUT_KEYS = ("id", "text", "lang", "published", "speaker")


def load_jsonl(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run(cmd: str, gold: list[dict]) -> list[dict]:
    feed = "".join(json.dumps({k: d[k] for k in INPUT_KEYS if k in d}, ensure_ascii=False) + "\n" for d in gold)
    proc = subprocess.run(cmd, shell=True, input=feed.encode(), capture_output=True, timeout=1200)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode(errors="replace")[-4000:])
        sys.exit(f"command exited with {proc.returncode}")
    return [json.loads(line) for line in proc.stdout.decode().splitlines() if line.strip()]


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def assignments(gold: list[dict], preds: list[dict]) -> list[tuple[str, str, str, dict]]:
    """(document id, gold event, predicted cluster, gold statement) for every gold statement."""
    by_id: dict[str, list[dict]] = {}
    for p in preds:
        if p.get("id") in by_id:
            raise SystemExit(f"document {p.get('id')!r} appears twice in the output")
        by_id[p.get("id")] = p.get("statements") or []
    out = []
    for n, doc in enumerate(gold):
        predicted = by_id.get(doc.get("id"), [])
        for k, g in enumerate(doc.get("statements", [])):
            span = (g["start"], g["end"])
            best, best_cover = None, 0
            for p in predicted:
                if p.get("speaker") != g["speaker"] or p.get("cluster") is None:
                    continue
                cover = overlap(span, (p["start"], p["end"]))
                if cover > best_cover:
                    best, best_cover = p, cover
            if best is not None and best_cover * 2 >= span[1] - span[0]:
                cluster = f"p:{best['cluster']}"
            else:
                cluster = f"alone:{n}:{k}"
            out.append((doc.get("id"), f"{g['speaker']}/{g['event']}", cluster, g))
    return out


def _prf(true: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = true / predicted if predicted else 1.0
    recall = true / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 4), round(recall, 4), round(f1, 4)


def score(gold: list[dict], preds: list[dict]) -> dict:
    """Pairwise figures over all pairs of gold statements, and over the pairs from two different documents
    (``cross_*``: what joining reports of other outlets and languages gets right)."""
    rows = assignments(gold, preds)
    true = same_cluster = same_event = 0
    cross = [0, 0, 0]
    found = [0, 0]  # gold pairs whose two statements the extractor found: (true, gold)
    for a, b in combinations(rows, 2):
        one_event, one_cluster = a[1] == b[1], a[2] == b[2]
        true += one_event and one_cluster
        same_cluster += one_cluster
        same_event += one_event
        if one_event and not (a[2].startswith("alone:") or b[2].startswith("alone:")):
            found[0] += one_cluster
            found[1] += 1
        if a[0] != b[0]:
            cross[0] += one_event and one_cluster
            cross[1] += one_cluster
            cross[2] += one_event
    precision, recall, f1 = _prf(true, same_cluster, same_event)
    cross_p, cross_r, cross_f1 = _prf(*cross)
    unmatched = sum(r[2].startswith("alone:") for r in rows)
    return {"precision": precision, "recall": recall, "f1": f1,
            "statements": len(rows), "events": len({r[1] for r in rows}),
            "clusters": len({r[2] for r in rows}), "unmatched": unmatched,
            "pairs_gold": same_event, "pairs_predicted": same_cluster, "pairs_true": true,
            "cross_precision": cross_p, "cross_recall": cross_r, "cross_f1": cross_f1,
            "cross_pairs_gold": cross[2], "cross_pairs_predicted": cross[1], "cross_pairs_true": cross[0],
            "found_pairs_gold": found[1], "found_pairs_true": found[0],
            "conditional_recall": round(found[0] / found[1], 4) if found[1] else 1.0}


def errors(gold: list[dict], preds: list[dict]) -> list[str]:
    rows = assignments(gold, preds)
    lines = []
    by_event: dict[str, Counter] = defaultdict(Counter)
    by_cluster: dict[str, Counter] = defaultdict(Counter)
    for doc_id, event, cluster, _g in rows:
        by_event[event][(cluster, doc_id)] += 1
        by_cluster[cluster][(event, doc_id)] += 1
    for event, parts in sorted(by_event.items()):
        clusters = {c for c, _d in parts}
        if len(clusters) > 1:
            lines.append(f"SPLIT {event}: " + ", ".join(f"{d}@{c} x{n}" for (c, d), n in sorted(parts.items())))
    for cluster, parts in sorted(by_cluster.items()):
        events = {e for e, _d in parts}
        if len(events) > 1:
            lines.append(f"MIXED {cluster}: " + ", ".join(f"{d}:{e} x{n}" for (e, d), n in sorted(parts.items())))
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--run", metavar="CMD", help="command that reads documents and writes clustered statements")
    src.add_argument("--pred", metavar="FILE", help="saved output of such a command")
    ap.add_argument("--min-precision", type=float)
    ap.add_argument("--min-f1", type=float)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args()
    gold = load_jsonl(args.gold)
    preds = run(args.run, gold) if args.run else load_jsonl(args.pred)
    figures = score(gold, preds)
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"documents {len(gold)}  gold statements {figures['statements']} in {figures['events']} events  "
              f"(unmatched by the extractor: {figures['unmatched']}; predicted clusters {figures['clusters']})")
        print(f"pairwise  precision {figures['precision']:.3f}  recall {figures['recall']:.3f}  "
              f"F1 {figures['f1']:.3f}  (pairs: gold {figures['pairs_gold']}, predicted "
              f"{figures['pairs_predicted']}, true {figures['pairs_true']})")
        print(f"across documents  precision {figures['cross_precision']:.3f}  recall {figures['cross_recall']:.3f}  "
              f"F1 {figures['cross_f1']:.3f}  (pairs: gold {figures['cross_pairs_gold']}, predicted "
              f"{figures['cross_pairs_predicted']}, true {figures['cross_pairs_true']})")
        print(f"conditional recall {figures['conditional_recall']:.3f}  (over the {figures['found_pairs_gold']} "
              "gold pairs whose two statements the extractor found: what clustering alone misses)")
    if args.show_errors:
        for line in errors(gold, preds):
            print(line)
    failed = (args.min_precision is not None and figures["precision"] < args.min_precision) or (
        args.min_f1 is not None and figures["f1"] < args.min_f1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
