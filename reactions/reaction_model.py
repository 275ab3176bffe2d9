"""The reaction type of a statement: the rules' strong cues decide, else a small trained model reads it.

The rules (:mod:`reactions.reaction_types`, data in ``reactions.toml``) name the stance when a strong cue
speaks: the reporting verb and what it governs ("condemned", "expressed concern", "دعا إلى") or unmistakable
content ("unacceptable").  A statement without one (weak cues only, or none) is read by a linear model
(multinomial logistic regression, trained by ``eval/train_reactions.py``; ``make train-reactions``) over
sparse binary features of the statement: the rules' own reading (the label they decide, each cue's label
and strength, negated cues apart, and the rule that matched), the folded words and the first words (where
the reporting verb and what it governs stand).  When the model is unsure (its best score leads the next by
less than :data:`MARGIN`) the rules' label stands.  Trained on six sets of real annotated news and measured
with each set held out in turn, this beats the rules alone on five of six folds (docs/EVAL.md).

The weights are data shipped beside this module (``reaction_model.json``, derived from the annotated sets;
no text is kept); scoring is a dictionary look-up and a sum per feature, in pure Python; nothing is
downloaded.  :func:`features` is the one definition of the features, used to train and to predict.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .reaction_types import Cue, reading
from .registry import RegistryError

WEIGHTS = Path(__file__).with_name("reaction_model.json")
FIRST_WORDS = 6
# the model overrides the rules' weak or default reading only when its best label leads by this much
MARGIN = 0.5


def _features(lang: str, decided: str, found: list[Cue], toks: list[str]) -> list[str]:
    out = [f"lang={'ar' if lang == 'ar' else 'en'}", f"rules={decided}"]
    if any(not c.weak and not c.negated for c in found):
        out.append("rules_strong")
    for c in found:
        kind = "neg" if c.negated else ("weak" if c.weak else "strong")
        out.append(f"cue={c.label}/{kind}")
        out.append(f"rule={c.rule}")
    words = [t for t in toks if t[0].isalnum()]
    out.extend(map("w=".__add__, words))  # (f"w={w}" for each word, in C)
    out.extend(map("f=".__add__, words[:FIRST_WORDS]))
    return out


def features(text: str, lang: str, folded: str | None = None) -> list[str]:
    """The model's features of one statement (a list; a feature may repeat, it counts once)."""
    decided, found, toks = reading(text, lang, folded)
    return _features(lang, decided, found, toks)


@dataclass(frozen=True)
class Model:
    """A linear model: per label a bias, per feature a weight for each label."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    def scores(self, feats: list[str]) -> list[float]:
        # the rows of the features the model knows, each once (a row is a non-empty tuple: filter keeps it)
        rows = list(filter(None, map(self.weights.get, set(feats))))
        return [sum(col) for col in zip(self.bias, *rows, strict=True)]

    def predict(self, feats: list[str]) -> str:
        s = self.scores(feats)
        return self.labels[max(range(len(s)), key=s.__getitem__)]  # ties: the first label in order

    def best(self, feats: list[str]) -> tuple[str, float]:
        """The best label and its lead over the next one."""
        s = self.scores(feats)
        b = s.index(max(s))  # (ties: the first label in order)
        lead = s[b] - max(s[:b] + s[b + 1 :]) if len(s) > 1 else float("inf")
        return self.labels[b], lead


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
    """The model's own reaction type of one statement (whatever the rules say)."""
    return load_model().predict(features(text, lang, folded))


def reaction(text: str, lang: str, folded: str | None = None, model: Model | None = None) -> str:
    """The reaction type of one statement: the rules' label when a strong cue (not negated) speaks,
    else the model's when it leads by :data:`MARGIN`, else the rules' (weak cues, or the default).
    ``folded``: ``fold(text)`` when the caller already has it (any case); ``model``: another model than
    the shipped one."""
    decided, found, toks = reading(text, lang, folded)
    if any(not c.weak and not c.negated for c in found):
        return decided
    label, lead = (model or load_model()).best(_features(lang, decided, found, toks))
    return label if lead >= MARGIN else decided
