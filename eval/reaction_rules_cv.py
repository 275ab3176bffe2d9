"""Cross-set validation of changes to the reaction-type rules (reactions/reactions.toml).

    python eval/reaction_rules_cv.py eval/reaction_candidates.py [--cache FILE] [--sets NAME=PATH ...]
    (make cv-reaction-rules: the same, with the project's six real-text sets: dev, real, pages, H, K, L)

A candidates file defines ``CANDS``: a name for each change -> a function that edits the parsed
reactions.toml (a dict) in place; :func:`add`, :func:`rm`, :func:`move` and :func:`sense` below build the
usual ones.  The tool prints, for each change alone, the right answers it gains or loses on each set;
then, holding out each set in turn, the changes selected on the other sets and the held-out set's accuracy
before and after them; last, the selection on all sets (the changes to make in reactions.toml).

The rules alone are measured; the extractor also runs the trained model on statements without a strong cue
(reactions/reaction_model.py), so retrain it and run `make cv-reactions` before keeping a change.

Selection (one pass): changes are ranked by what they gain alone on the tuning sets; each is kept if the
total still rises and no tuning set loses a right answer.  A change that only one set likes, or that one
set dislikes, is not kept: the rules must hold on text nobody tuned them on.

Examples are eval/train_reactions.py's (found, required gold statements that carry a ``reaction``, read on
the text of the statement the extractor gave), so the accuracy is score.py's ``react`` column; the
extractor runs once (``--cache`` keeps the examples in a file outside the repository).
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import train_reactions  # noqa: E402  (eval/, beside this script)

from reactions import reaction_types as rt  # noqa: E402
from reactions.registry import read_toml  # noqa: E402
from reactions.text import fold  # noqa: E402

Change = Callable[[dict], None]


def add(label: str, key: str, *patterns: str) -> Change:
    """Append patterns to ``[label] key`` (key: strong_en, weak_en, strong_ar, weak_ar)."""

    def change(d: dict) -> None:
        d.setdefault(label, {}).setdefault(key, []).extend(patterns)

    return change


def rm(label: str, key: str, *patterns: str) -> Change:
    """Remove patterns from ``[label] key``."""

    def change(d: dict) -> None:
        for p in patterns:
            d[label][key].remove(p)

    return change


def move(label: str, src: str, dst: str, *patterns: str) -> Change:
    """Move patterns from one key of ``[label]`` to another (strong to weak, say)."""

    def change(d: dict) -> None:
        for p in patterns:
            d[label][src].remove(p)
            d[label].setdefault(dst, []).append(p)

    return change


def sense(lang: str, *patterns: str) -> Change:
    """Add word senses (patterns that void the cues starting inside them)."""

    def change(d: dict) -> None:
        d["senses"][lang].extend(patterns)

    return change


class Bench:
    """The examples, tokenised once, and the base rules' data."""

    def __init__(self, examples: list[train_reactions.Example], base: dict):
        self.base = base
        self.rows = [
            (ex.set, ex.lang, ex.label, rt.tokens(fold(ex.pred_text)))
            for ex in examples
            if ex.required and ex.pred_text is not None
        ]
        self.sets = sorted({r[0] for r in self.rows})

    def right(self, data: dict, sets: list[str]) -> dict[str, int]:
        """Right answers per set under the rules compiled from ``data``."""
        rules = rt.compile_rules(data)
        out = dict.fromkeys(sets, 0)
        for name, lang, label, toks in self.rows:
            if name not in out:
                continue
            r = rules["ar" if lang == "ar" else "en"]
            live = [(p.label, p.weak) for i, _, p in rt._scan(r, toks) if not rt._negated(toks, i, r)]
            out[name] += rt._decide(r, live) == label
        return out

    def size(self, name: str) -> int:
        return sum(r[0] == name for r in self.rows)

    def apply(self, names: list[str], cands: dict[str, Change]) -> dict:
        d = copy.deepcopy(self.base)
        for n in names:
            cands[n](d)
        return d

    def select(self, cands: dict[str, Change], tune: list[str]) -> list[str]:
        """Forward selection in one pass on the tuning sets (see the module's docstring)."""
        base = self.right(self.base, tune)
        gains = []
        for n in cands:
            got = self.right(self.apply([n], cands), tune)
            if sum(got.values()) > sum(base.values()) and all(got[s] >= base[s] for s in tune):
                gains.append((sum(got.values()) - sum(base.values()), n))
        chosen, cur = [], base
        for _, n in sorted(gains, key=lambda g: -g[0]):
            got = self.right(self.apply([*chosen, n], cands), tune)
            if sum(got.values()) > sum(cur.values()) and all(got[s] >= cur[s] for s in tune):
                chosen.append(n)
                cur = got
        return chosen


def load_candidates(path: str) -> dict[str, Change]:
    spec = importlib.util.spec_from_file_location("reaction_candidates", path)
    if spec is None or spec.loader is None:
        sys.exit(f"reaction_rules_cv: cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cands = getattr(module, "CANDS", None)
    if not isinstance(cands, dict) or not cands:
        sys.exit(f"reaction_rules_cv: {path} defines no CANDS")
    return cands


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("candidates", help="a Python file defining CANDS")
    ap.add_argument("--sets", nargs="+", default=list(train_reactions.DEFAULT_SETS), help="NAME=PATH gold sets")
    ap.add_argument("--cache", help="keep the extracted examples in this file (outside the repository)")
    a = ap.parse_args(argv)
    cands = load_candidates(a.candidates)
    if a.cache and Path(a.cache).exists():
        examples = [
            train_reactions.Example(**e) for e in json.loads(Path(a.cache).read_text(encoding="utf-8"))
        ]
    else:
        examples = train_reactions.collect(a.sets)
        if a.cache:
            Path(a.cache).write_text(json.dumps([vars(e) for e in examples], ensure_ascii=False), encoding="utf-8")
    bench = Bench(examples, read_toml(rt.DATA))
    sets = bench.sets
    base = bench.right(bench.base, sets)
    print("rules as shipped: " + ", ".join(f"{s} {base[s] / bench.size(s):.3f} (n={bench.size(s)})" for s in sets))
    print("each change alone, right answers gained or lost per set:")
    for n in cands:
        got = bench.right(bench.apply([n], cands), sets)
        print(f"  {n:38}" + " ".join(f"{s}:{got[s] - base[s]:+d}" for s in sets))
    if len(sets) >= 3:
        print("each set held out (changes selected on the others):")
        for held in sets:
            chosen = bench.select(cands, [s for s in sets if s != held])
            after = bench.right(bench.apply(chosen, cands), [held])[held]
            n = bench.size(held)
            print(f"  {held:8} {base[held] / n:.3f} -> {after / n:.3f}   kept {len(chosen)}: {' '.join(chosen)}")
    chosen = bench.select(cands, sets)
    after = bench.right(bench.apply(chosen, cands), sets)
    print("selected on all sets: " + " ".join(chosen))
    print("  " + ", ".join(f"{s} {after[s] / bench.size(s):.3f}" for s in sets))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
