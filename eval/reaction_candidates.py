"""Changes to the reaction-type rules tried and not kept (eval/reaction_rules_cv.py reads this file).

Each was proposed from a class of errors on the web-page sets (pages, H) and rejected because a set lost
right answers, mostly tests/data/real.jsonl, whose annotators read obligation, importance and plain
mentions of sanctions differently.  Kept here as the starting pool for the next pass: add a change, run
`make cv-reaction-rules`, and move what the selection keeps into reactions/reactions.toml.
"""

from reaction_rules_cv import add, move, rm


def _set(key, value):
    def change(d):
        d[key] = value

    return change


def _no_will_list(d):
    d["announcement"]["weak_en"] = [p for p in d["announcement"]["weak_en"] if not p.startswith("will|would|we'll")]


CANDS = {
    # obligation and importance read as calls (pages and H gain, real loses)
    "call: يجب alone": add("call", "strong_ar", "يجب|ينبغي|يتعين|يتوجب"),
    "call: يجب alone, weak": add("call", "weak_ar", "يجب|ينبغي|يتعين|يتوجب"),
    "call: أهمية alone, weak": add("call", "weak_ar", "*اهمية"),
    "call: دعوة alone, weak": add("call", "weak_ar", "*دعوة"),
    "call: has/have to": add("call", "weak_en", "has|have|had to"),
    "call: hope that X will": add("call", "strong_en", "+hope ~4 will|would"),
    "call: recommend, advise to": add("call", "strong_en", "+recommend", "+advise ~3 to"),
    # plain mentions read as announcements (H gains, real loses)
    "announcement: not 'sanctions' alone": rm("announcement", "weak_en", "sanctions"),
    "announcement: not 'will + verb'": _no_will_list,
    "announcement: قرار": add("announcement", "weak_ar", "*قرار"),
    "support: not دعم alone": rm("support", "weak_ar", "*دعم"),
    # others
    "negation window 5": _set("negation_window", 5),
    "concern: استياء": add("concern", "strong_ar", "*استياء", "مستاء|مستاءه"),
    "warning: threaten only leans": move("warning", "strong_en", "weak_en", "+threaten"),
}
