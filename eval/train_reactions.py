"""Train, cross-validate and export the reaction-type model (reactions/reaction_model.py).

    python eval/train_reactions.py cv     [--sets ...]   # grouped k-fold and cross-source accuracies
    python eval/train_reactions.py train  [--sets ...]   # write reactions/reaction_model.json
    (make train-reactions: the same, with the project's sets)

Examples are the gold statements that carry a ``reaction``, from JSONL gold sets (score.py's format).
A set is NAME=PATH; sets outside the repository (third-party page text) are read, never copied: only
the weights derived from them are written.  The extractor runs on every document; a gold statement it
finds is evaluated on the text of the statement the extractor gave (score.py's match: the predicted
statement of the same speaker that covers most of it), which is what the model sees at run time.
Training uses both that text and the gold span's.  Accuracy is over found, required statements, as
score.py's ``react`` column; ``rules`` is the extractor's own reaction (the rules, as shipped).

The documents of tests/data/real.jsonl in :func:`holdout` (a tenth, by a hash of the id) are never
trained on by the exported model: tests/test_reaction_model.py scores the model there.  Training is deterministic
(lbfgs, sorted features, fixed folds).  scikit-learn is a training dependency only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reactions import extract  # noqa: E402
from reactions.model import REACTIONS  # noqa: E402
from reactions.reaction_model import MARGIN, WEIGHTS, features  # noqa: E402
from reactions.reaction_types import explain  # noqa: E402

DEFAULT_SETS = (
    f"real={ROOT / 'tests/data/real.jsonl'}",
    f"dev={ROOT.parent / 'shared/eval/dev.jsonl'}",
    "pages=/work/annot/dev_pages_all.gold.jsonl",
    "H=/work/annot/heldout_H.gold.jsonl",
    "K=/work/annot/heldout_K.gold.jsonl",
    "L=/work/annot/heldout_L.gold.jsonl",
)
HOLDOUT_SET = "real"  # the exported model never trains on this set's documents in holdout()
HOLDOUT_BUCKETS = 10
FOLDS = 5
C = 1.0
MIN_COUNT = 2
SCALE = 1000  # weights are stored as whole thousandths (a third of the file's size as decimals)


def fold_of(doc_id: str, k: int = FOLDS) -> int:
    """A document's fold: a stable hash of its id (the same on every machine and run)."""
    return int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % k


def holdout(doc_id: str) -> bool:
    """The fixed held-out tenth of HOLDOUT_SET's documents (tests/test_reaction_model.py scores it)."""
    return fold_of(doc_id, HOLDOUT_BUCKETS) == 0


@dataclass
class Example:
    set: str
    doc: str
    lang: str
    label: str
    gold_text: str
    pred_text: str | None  # the extractor's statement text when it found the gold one
    rules: str | None  # the extractor's reaction for it
    required: bool


def _covered(a: int, b: int, spans: list[tuple[int, int]]) -> int:
    marks = sorted((max(a, s), min(b, e)) for s, e in spans if s < b and e > a)
    total, cur = 0, a
    for s, e in marks:
        s = max(s, cur)
        if e > s:
            total += e - s
            cur = e
    return total


def _fail(message: str) -> NoReturn:
    """One line on stderr, exit 2 (a bad argument or a missing set: no traceback)."""
    print(f"train_reactions: {message}", file=sys.stderr)
    raise SystemExit(2)


def read_sets(sets: list[str]) -> list[tuple[str, list[dict]]]:
    """Every set's documents, all read before any is extracted (a missing set fails at once, in one line)."""
    out = []
    for spec in sets:
        name, _, path = spec.partition("=")
        if not path:
            _fail(f"a set is NAME=PATH, got {spec!r}")
        try:
            docs = [
                json.loads(line)
                for line in Path(path).read_text(encoding="utf-8").splitlines()
                if line.strip()
            ]
        except (OSError, ValueError) as err:
            hint = " (the page sets live outside the repository: PAGES=, HELD=, HELD_K=, HELD_L= or --sets)"
            _fail(f"cannot read {path}: {err}{hint if not Path(path).exists() else ''}")
        out.append((name, docs))
    return out


def collect(sets: list[str]) -> list[Example]:
    out: list[Example] = []
    for name, docs in read_sets(sets):
        for d in docs:
            text, lang = d["text"], d.get("lang") or "en"
            preds = [s for s in extract(text, lang=lang, published=d.get("published")) if s.speaker]
            for g in d["statements"]:
                if not g.get("reaction"):
                    continue
                s, e, sp = g["start"], g["end"], g["speaker"]
                mine = [p for p in preds if p.speaker == sp]
                best = None
                if _covered(s, e, [(p.start, p.end) for p in mine]) * 2 >= e - s:
                    best = max(
                        (p for p in mine if p.start < e and p.end > s),
                        key=lambda p: _covered(p.start, p.end, [(s, e)]),
                    )
                out.append(
                    Example(
                        name,
                        d["id"],
                        lang,
                        g["reaction"],
                        text[s:e],
                        best.text if best else None,
                        best.reaction if best else None,
                        not g.get("optional"),
                    )
                )
    return out


# --- training ------------------------------------------------------------------------------------


def _train_rows(examples: list[Example]) -> tuple[list[list[str]], list[str]]:
    rows, labels = [], []
    for ex in examples:
        texts = {ex.gold_text} | ({ex.pred_text} if ex.pred_text else set())
        for t in sorted(texts):
            rows.append(features(t, ex.lang))
            labels.append(ex.label)
    return rows, labels


def fit(examples: list[Example], c: float = C, min_count: int = MIN_COUNT) -> dict:
    """Train on ``examples``; the weights file's data (features seen fewer than ``min_count`` times dropped)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    rows, labels = _train_rows(examples)
    counts = Counter(f for r in rows for f in set(r))
    vocab = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: i for i, f in enumerate(vocab)}
    ind, ptr = [], [0]
    for r in rows:
        ind.extend(sorted({index[f] for f in r if f in index}))
        ptr.append(len(ind))
    x = csr_matrix((np.ones(len(ind)), ind, ptr), shape=(len(rows), len(vocab)))
    present = [lab for lab in REACTIONS if lab in set(labels)]
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(x, labels)
    order = [list(clf.classes_).index(lab) for lab in present]
    coef = clf.coef_[order]
    bias = clf.intercept_[order]
    weights = {}
    for j, f in enumerate(vocab):
        w = [round(float(v) * SCALE) for v in coef[:, j]]
        if any(w):
            weights[f] = w
    return {
        "labels": present,
        "scale": SCALE,
        "bias": [round(float(b) * SCALE) for b in bias],
        "weights": weights,
    }


# --- evaluation ----------------------------------------------------------------------------------


def evaluate(model_data: dict, test: list[Example]) -> dict[str, dict[str, tuple[int, int]]]:
    """Per set, per method: (right, total) over found, required examples.  ``rules``: the rules alone
    (read again here, so that the figure is the rules' whatever the extractor shipped); ``shipped``: what
    reactions.reaction_model.reaction does (strong cue decides, else the model when it leads by MARGIN)."""
    from reactions.reaction_model import model_from_data

    model = model_from_data(model_data)
    res: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for ex in test:
        if not ex.required or ex.pred_text is None:
            continue
        rules, found = explain(ex.pred_text, ex.lang)
        strong = any(not c.weak and not c.negated for c in found)
        feats = features(ex.pred_text, ex.lang)
        m, lead = model.best(feats)
        guesses = {
            "rules": rules,
            "model": m,
            "strong-rules+model": rules if strong else m,
            "shipped": rules if strong or lead < MARGIN else m,
            "model-unless-unsure(1.5)": m if lead >= 1.5 else rules,
        }
        for key in (ex.set, f"{ex.set}:{ex.lang}", "all"):
            for meth, g in guesses.items():
                res[key][meth][1] += 1
                res[key][meth][0] += g == ex.label
    return {k: {m: tuple(v) for m, v in d.items()} for k, d in res.items()}


def _merge(into: dict, part: dict) -> None:
    for key, d in part.items():
        for m, (r, n) in d.items():
            cur = into.setdefault(key, {}).setdefault(m, (0, 0))
            into[key][m] = (cur[0] + r, cur[1] + n)


def _print(title: str, res: dict) -> None:
    print(f"== {title}")
    methods = list(next(iter(res.values())).keys()) if res else []
    print(f"{'':14}" + "".join(f"{m[:24]:>26}" for m in methods))
    for key in sorted(res):
        row = res[key]
        n = row[methods[0]][1]
        print(f"{key:10}{n:4}" + "".join(f"{row[m][0] / n:26.3f}" for m in methods))


def cross_validate(examples: list[Example], c: float, min_count: int, pooled: bool = True) -> None:
    if pooled:
        res: dict = {}
        for k in range(FOLDS):
            train = [ex for ex in examples if fold_of(ex.doc) != k]
            test = [ex for ex in examples if fold_of(ex.doc) == k]
            _merge(res, evaluate(fit(train, c, min_count), test))
        _print(f"{FOLDS}-fold CV grouped by document, all sets pooled (C={c}, min_count={min_count})", res)
    names = sorted({ex.set for ex in examples})
    if len(names) >= 3:  # cross-set: train on the other sets, measure on each in turn
        for held in names:
            train = [ex for ex in examples if ex.set != held]
            test = [ex for ex in examples if ex.set == held]
            _print(
                f"train on {'+'.join(n for n in names if n != held)}, test on {held}",
                evaluate(fit(train, c, min_count), test),
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=("cv", "train"))
    ap.add_argument("--sets", nargs="+", default=list(DEFAULT_SETS), help="NAME=PATH gold sets")
    ap.add_argument("--c", type=float, default=C, help="inverse regularisation strength")
    ap.add_argument("--min-count", type=int, default=MIN_COUNT)
    ap.add_argument("--out", default=str(WEIGHTS))
    ap.add_argument("--cache", help="keep the extracted examples in this file (outside the repository)")
    ap.add_argument("--sets-only", action="store_true", help="cv: only hold out each set in turn (no pooled folds)")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    if a.cache and Path(a.cache).exists():
        examples = [Example(**e) for e in json.loads(Path(a.cache).read_text(encoding="utf-8"))]
    else:
        examples = collect(a.sets)
        if a.cache:
            Path(a.cache).write_text(
                json.dumps([vars(e) for e in examples], ensure_ascii=False), encoding="utf-8"
            )
    print(
        f"{len(examples)} labelled statements ({time.perf_counter() - t0:.0f} s to extract); "
        + ", ".join(f"{k} {v}" for k, v in sorted(Counter(ex.set for ex in examples).items())),
        file=sys.stderr,
    )
    if a.command == "cv":
        cross_validate(examples, a.c, a.min_count, pooled=not a.sets_only)
        return 0
    train = [ex for ex in examples if not (ex.set == HOLDOUT_SET and holdout(ex.doc))]
    data = fit(train, a.c, a.min_count)
    data = {
        "trained_on": sorted({ex.set for ex in train}),
        "holdout": f"{HOLDOUT_SET}: holdout()",
        "C": a.c,
        **data,
    }
    Path(a.out).write_text(
        json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(
        f"wrote {a.out}: {len(data['weights'])} features, {Path(a.out).stat().st_size // 1024} KiB",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
