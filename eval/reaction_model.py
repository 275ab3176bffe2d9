"""A small trained reaction-type classifier, kept as a measuring stick beside the rules of
:mod:`reactions.reaction_types` (an evaluation tool: the extractor does not use it, see docs/EVAL.md).

A linear model (multinomial logistic regression, trained by ``eval/train_reactions.py``; ``make
train-reactions``) over sparse binary features of one statement: the rules' own reading (the label they
decide, each cue's label and strength, negated cues apart, and the rule that matched), the folded words
and the first words (where the reporting verb and what it governs stand).  Word pairs and Arabic
character n-grams were tried and left out: they scored lower in cross-validation (docs/EVAL.md).  Its weights are data shipped beside this module
(``reaction_model.json``); scoring is a dictionary look-up and a sum per feature, in pure Python.
:func:`features` is the one definition of the features, used to train and to predict.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reactions.reaction_types import explain, tokens
from reactions.registry import RegistryError
from reactions.text import fold

WEIGHTS = Path(__file__).with_name("reaction_model.json")
FIRST_WORDS = 6


def features(text: str, lang: str, folded: str | None = None) -> list[str]:
    """The model's features of one statement (a list; a feature may repeat, it counts once)."""
    low = folded.lower() if folded is not None else fold(text)
    decided, found = explain(text, lang, low)
    out = [f"lang={'ar' if lang == 'ar' else 'en'}", f"rules={decided}"]
    strong = [c for c in found if not c.weak and not c.negated]
    if strong:
        out.append("rules_strong")
    for c in found:
        kind = "neg" if c.negated else ("weak" if c.weak else "strong")
        out.append(f"cue={c.label}/{kind}")
        out.append(f"rule={c.rule}")
    words = [t for t in tokens(low) if t[0].isalnum()]
    out.extend(f"w={w}" for w in words)
    out.extend(f"f={w}" for w in words[:FIRST_WORDS])
    return out


@dataclass(frozen=True)
class Model:
    """A linear model: per label a bias, per feature a weight for each label."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    def scores(self, feats: list[str]) -> list[float]:
        total = list(self.bias)
        n = len(total)
        get = self.weights.get
        for f in set(feats):
            w = get(f)
            if w is not None:
                for k in range(n):
                    total[k] += w[k]
        return total

    def predict(self, feats: list[str]) -> str:
        s = self.scores(feats)
        return self.labels[max(range(len(s)), key=s.__getitem__)]  # ties: the first label in order


def model_from_data(data: dict) -> Model:
    """A :class:`Model` from the parsed weights file (weights and biases in units of ``scale``, default 1);
    :class:`RegistryError` naming what is wrong."""
    labels = data.get("labels")
    scale = data.get("scale", 1)
    if not isinstance(scale, int | float) or scale <= 0:
        raise RegistryError("reaction_model.json: scale must be a positive number")
    bias = data.get("bias")
    weights = data.get("weights")
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
        raise RegistryError("reaction_model.json: labels must be a non-empty list of names")
    n = len(labels)
    if not isinstance(bias, list) or len(bias) != n:
        raise RegistryError(f"reaction_model.json: bias must hold {n} numbers")
    if not isinstance(weights, dict):
        raise RegistryError("reaction_model.json: weights must map features to lists")
    for f, w in weights.items():
        if not isinstance(w, list) or len(w) != n:
            raise RegistryError(f"reaction_model.json: weights of {f!r} must hold {n} numbers")
    return Model(
        tuple(labels),
        tuple(b / scale for b in bias),
        {f: tuple(v / scale for v in w) for f, w in weights.items()},
    )


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> Model:
    """The shipped model (or the one at ``path``), cached."""
    src = Path(path) if path else WEIGHTS
    try:
        data = json.loads(src.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise RegistryError(f"{src.name}: cannot read the reaction model: {err}") from err
    return model_from_data(data)


def predict(text: str, lang: str, folded: str | None = None) -> str:
    """The model's reaction type of one statement."""
    return load_model().predict(features(text, lang, folded))
