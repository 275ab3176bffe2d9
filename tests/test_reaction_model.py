"""The reaction type the extractor gives (reactions/reaction_model.py): the rules' strong cues decide, else a
small trained model (weights reactions/reaction_model.json, from eval/train_reactions.py) when it is sure."""

from __future__ import annotations

import json
import sys
from collections import Counter

import pytest

from reactions import extract, reaction_model
from reactions.model import REACTIONS
from reactions.reaction_model import MARGIN, Model, features, load_model, model_from_data, predict, reaction
from reactions.reaction_types import classify, explain
from reactions.registry import RegistryError
from tests.paths import ROOT

if str(ROOT / "eval") not in sys.path:
    sys.path.insert(0, str(ROOT / "eval"))


@pytest.fixture(scope="module")
def trainer():
    import train_reactions

    return train_reactions


def test_the_shipped_weights_load_with_labels_in_precedence_order():
    model = load_model()
    assert len(model.labels) >= 8
    assert list(model.labels) == [lab for lab in REACTIONS if lab in model.labels]
    assert len(model.weights) > 100
    assert all(len(w) == len(model.labels) for w in model.weights.values())


def test_features_read_the_rules_cues_and_words():
    en = features("The United States strongly condemns the attack", "en")
    assert "rules=condemnation" in en and "cue=condemnation/strong" in en
    assert "w=condemns" in en and "f=the" in en and "lang=en" in en
    ar = features("أدانت الوزارة الهجوم بشدة", "ar")
    assert "rules=condemnation" in ar and "w=ادانت" in ar and "lang=ar" in ar
    negated = features("He did not condemn the strikes", "en")
    assert "cue=condemnation/neg" in negated and "rules=condemnation" not in negated


def test_predictions_are_deterministic_and_labels():
    texts = [
        ("We are deeply concerned by the reports of civilian casualties", "en"),
        ("دعت الخارجية الأمريكية جميع الأطراف إلى ضبط النفس", "ar"),
    ]
    first = [predict(t, lang) for t, lang in texts]
    assert first == [predict(t, lang) for t, lang in texts]
    assert all(p in REACTIONS for p in first)


def test_a_linear_model_sums_the_weights_of_its_features_once_each():
    m = Model(("call", "statement"), (0.0, 0.5), {"w=urge": (2.0, 0.0), "w=said": (0.0, 1.0)})
    assert m.scores(["w=urge", "w=urge", "w=unknown"]) == [2.0, 0.5]
    assert m.predict(["w=urge"]) == "call"
    assert m.predict(["w=said"]) == "statement"
    assert m.predict([]) == "statement"
    assert m.best(["w=urge"]) == ("call", 1.5)


def test_a_strong_cue_decides_whatever_the_model_says():
    # a model that always answers "welcome" with a huge lead
    eager = Model(("welcome", "statement"), (100.0, 0.0), {})
    text = "The State Department strongly condemned the attack on the convoy."
    assert classify(text, "en") == "condemnation"
    assert reaction(text, "en", model=eager) == "condemnation"
    negated = "The spokesman did not condemn the strikes."  # a negated cue is no strong cue
    assert reaction(negated, "en", model=eager) == "welcome"


def test_without_a_strong_cue_the_model_reads_the_statement_when_it_is_sure():
    text = "The spokesman said the talks in Geneva would continue on Monday."
    decided, found = explain(text, "en")
    assert not any(not c.weak and not c.negated for c in found)
    sure = Model(("welcome", "statement"), (MARGIN + 1.0, 0.0), {})
    unsure = Model(("welcome", "statement"), (MARGIN / 2, 0.0), {})
    assert reaction(text, "en", model=sure) == "welcome"
    assert reaction(text, "en", model=unsure) == decided


def test_the_extractor_gives_the_combined_reading():
    text = "State Department spokesman Ned Price said talks with Moscow were continuing."
    got = extract(text, lang="en", published="2022-03-01")
    assert got, "no statement found"
    for s in got:
        assert s.reaction == reaction(s.text, "en")


def test_a_broken_weights_file_is_a_clear_error(tmp_path):
    with pytest.raises(RegistryError, match="bias must hold 2"):
        model_from_data({"labels": ["call", "statement"], "bias": [0.0], "weights": {}})
    with pytest.raises(RegistryError, match="weights of 'w=x'"):
        model_from_data({"labels": ["call"], "bias": [0.0], "weights": {"w=x": [1.0, 2.0]}})
    bad = tmp_path / "model.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(RegistryError, match="cannot read the reaction model"):
        reaction_model.load_model(str(bad))


def _held_out_gold(trainer) -> list[tuple[str, str, str]]:
    gold, held = [], set()
    for line in (ROOT / "tests/data/real.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        if not trainer.holdout(doc["id"]):
            continue
        held.add(doc["id"])
        for g in doc["statements"]:
            if g.get("reaction"):
                gold.append((doc["text"][g["start"] : g["end"]], doc["lang"], g["reaction"]))
    assert len(held) >= 80 and len(gold) >= 60
    return gold


def test_the_model_beats_the_majority_label_on_its_held_out_documents(trainer):
    """tests/data/real.jsonl's held-out tenth (trainer.holdout) is never trained on: the model must read
    the statements there better than always answering the most common label."""
    gold = _held_out_gold(trainer)
    majority = Counter(label for _, _, label in gold).most_common(1)[0][1] / len(gold)
    right = sum(predict(text, lang) == label for text, lang, label in gold) / len(gold)
    assert right >= majority + 0.10, (right, majority)


def test_the_combined_reading_is_no_worse_than_the_rules_on_held_out_documents(trainer):
    """On the same never-trained-on documents, the extractor's reading (rules' strong cues, else the model)
    gets at least as many right as the rules alone."""
    gold = _held_out_gold(trainer)
    rules = sum(classify(text, lang) == label for text, lang, label in gold)
    combined = sum(reaction(text, lang) == label for text, lang, label in gold)
    assert combined >= rules, (combined, rules, len(gold))


def test_the_model_reads_the_rules_of_reactions_toml():
    """The model weighs the rules' cues by the pattern's text: a pattern renamed or removed in reactions.toml
    without retraining (make train-reactions) silently loses its weight.  Most of them must still be there."""
    from reactions import reaction_types as rt
    from reactions.registry import read_toml

    data = read_toml(rt.DATA)
    patterns = {
        p
        for table in data.values()
        if isinstance(table, dict)
        for v in table.values()
        if isinstance(v, list)
        for p in v
    }
    named = [f.removeprefix("rule=") for f in load_model().weights if f.startswith("rule=")]
    assert len(named) >= 100
    missing = [p for p in named if p not in patterns]
    assert len(missing) <= len(named) // 10, f"retrain the model (make train-reactions): {missing[:5]}"


def test_training_without_a_page_set_fails_in_one_line_before_extracting(trainer, tmp_path, capsys, monkeypatch):
    """`make train-reactions` on a machine without /work/annot: every set is read first, so a missing one stops
    it at once, in one line naming the file and the Makefile's variables, exit 2 (no traceback, nothing written)."""

    def no_extraction(*_args, **_kwargs):
        raise AssertionError("extracted before every set was read")

    monkeypatch.setattr(trainer, "extract", no_extraction)
    out = tmp_path / "model.json"
    missing = tmp_path / "annot" / "dev_pages_all.gold.jsonl"
    with pytest.raises(SystemExit) as exited:
        trainer.main(["train", "--sets", f"real={ROOT / 'tests/data/real.jsonl'}", f"pages={missing}",
                      "--out", str(out)])
    assert exited.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(missing) in err and "PAGES=" in err, err
    assert not out.exists()
    with pytest.raises(SystemExit) as exited:
        trainer.main(["cv", "--sets", "no-path-given"])
    assert exited.value.code == 2 and "NAME=PATH" in capsys.readouterr().err
