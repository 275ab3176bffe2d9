"""eval/reaction_rules_cv.py: a change to the reaction rules is kept only if it helps and no set loses."""

from __future__ import annotations

import sys

from reactions.reaction_types import DATA
from reactions.registry import read_toml
from tests.paths import ROOT

if str(ROOT / "eval") not in sys.path:
    sys.path.insert(0, str(ROOT / "eval"))

import reaction_rules_cv as cv  # noqa: E402  (eval/)
from train_reactions import Example  # noqa: E402


def _ex(name: str, text: str, label: str) -> Example:
    return Example(name, f"{name}-{text[:8]}", "en", label, text, text, None, True)


def _bench() -> cv.Bench:
    examples = [
        # "glorious" is read as a welcome in sets a and b, as a plain statement in set c
        _ex("a", "The minister called the result glorious.", "welcome"),
        _ex("b", "The spokesman said the day was glorious.", "welcome"),
        _ex("c", "The report described a glorious past.", "statement"),
        # "splendid" is a welcome everywhere it occurs
        _ex("a", "The secretary said the deal was splendid.", "welcome"),
        _ex("c", "It was a splendid outcome, the office said.", "welcome"),
        _ex("b", "The talks continue, the spokesman said.", "statement"),
    ]
    return cv.Bench(examples, read_toml(DATA))


CANDS = {
    "glorious": cv.add("welcome", "strong_en", "glorious"),
    "splendid": cv.add("welcome", "strong_en", "splendid"),
}


def test_a_change_that_costs_a_set_is_not_kept_and_held_out_sets_are_measured():
    bench = _bench()
    assert bench.sets == ["a", "b", "c"]
    assert bench.right(bench.base, bench.sets) == {"a": 0, "b": 1, "c": 1}
    assert bench.select(CANDS, ["a", "b", "c"]) == ["splendid"]  # glorious gains 2 but costs set c one
    assert bench.select(CANDS, ["a", "b"]) == ["glorious", "splendid"]  # c held out: the tuning sets agree
    after = bench.right(bench.apply(["glorious", "splendid"], CANDS), ["c"])
    assert after == {"c": 1}  # and the held-out set shows the cost: one gained, one lost


def test_changes_edit_a_copy_of_the_rules():
    bench = _bench()
    changed = bench.apply(["glorious"], CANDS)
    assert "glorious" in changed["welcome"]["strong_en"]
    assert "glorious" not in bench.base["welcome"]["strong_en"]
    removed = cv.rm("welcome", "strong_en", "glorious")
    removed(changed)
    assert "glorious" not in changed["welcome"]["strong_en"]
