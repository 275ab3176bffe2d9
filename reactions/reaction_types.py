"""Reaction type of a statement, from the keyword lexicon in ``lexicon.toml``."""

from __future__ import annotations

import re

from .registry import Lexicon
from .text import fold

_COMPILED: dict[int, dict[str, tuple[re.Pattern[str], tuple[str, ...]]]] = {}


def _patterns(lex: Lexicon) -> dict[str, tuple[re.Pattern[str], tuple[str, ...]]]:
    """One regex per language, one named group per reaction type in the lexicon's order."""
    key = id(lex)
    if key not in _COMPILED:
        out = {}
        for lang in ("ar", "en"):
            parts, names = [], []
            for n, name in enumerate(lex.reaction_order):
                words = sorted({w for w in lex.reactions[name][lang] if w}, key=len, reverse=True)
                if words:
                    parts.append(f"(?P<g{n}>" + "|".join(re.escape(w) for w in words) + ")")
                    names.append(name)
            body = "|".join(parts) or "(?!)"
            if lang == "ar":
                pat = re.compile(rf"(?<![\w])(?:[وفبل]|وب|ول|فل)?(?:{body})")
            else:
                pat = re.compile(rf"\b(?:{body})\b")
            out[lang] = (pat, tuple(lex.reaction_order))
        _COMPILED[key] = out
    return _COMPILED[key]


def classify(text: str, lang: str, lex: Lexicon, folded: str | None = None) -> str:
    """The reaction type whose keyword appears first in ``text`` (at one position, the lexicon's order
    decides); ``other`` when none appears.  ``folded``: the text already folded and lower-cased."""
    pat, order = _patterns(lex)["ar" if lang == "ar" else "en"]
    m = pat.search(folded if folded is not None else fold(text))
    if not m or not m.lastgroup:
        return "other"
    return order[int(m.lastgroup[1:])]
