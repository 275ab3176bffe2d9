"""Is this the same statement again? Pure text similarity for clustering (no SQL here).

Outlets reprint an official's words: agency copy verbatim, a quotation trimmed at either end, the
punctuation or the spelling of a word changed (``الأمريكية``/``الأميركية``, diacritics, ``U.S.``/``US``).
Those are one statement. The same speaker saying the same boilerplate about another place
("... the attack in Sudan" / "... the attack in Lebanon") is a different statement.

The test is in two steps:

1. a cheap screen: rapidfuzz's ``token_set_ratio`` of the normalised texts is at least
   :data:`THRESHOLD` (90). Reprints, re-punctuations and trimmed quotations score 97-100; unrelated
   statements by the same speaker score 35-65.
2. a word check that the screen cannot make: one side's words must all be found in the other
   (equal, or a spelling variant scoring :data:`WORD_THRESHOLD` with ``fuzz.ratio``). When *both* sides
   have a word the other lacks, a word was replaced (a place, a number, a verb), so it is a different
   statement even at 95%. A text contained in a longer one counts only when it has at least
   :data:`MIN_WORDS` words, so "This is unacceptable" does not join every longer statement.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from reactions import fold

THRESHOLD = 90
WORD_THRESHOLD = 85
MIN_WORDS = 5

_NOT_WORD = re.compile(r"[^\w\s]|_")


def normalise(text: str) -> str:
    """The form texts are compared in: folded (``reactions.fold``), punctuation removed, spaces collapsed."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def statement_key(text: str, quotes: Sequence[str] = ()) -> str:
    """What identifies a statement across outlets: its quotations when it has any, else its text.

    The words around a quotation ("he said on Tuesday") differ from outlet to outlet; the quotation does not.
    """
    quoted = " ".join(q for q in quotes if q and q.strip())
    return normalise(quoted or text)


def similarity(a: str, b: str) -> float:
    """``token_set_ratio`` (0-100) of two normalised texts: the screen of :func:`is_same_statement`."""
    return fuzz.token_set_ratio(a, b)


def _unmatched(words: list[str], others: list[str]) -> list[str]:
    """The words of ``words`` with no counterpart in ``others`` (each counterpart used once)."""
    pool = Counter(others)
    left = []
    for word in words:
        if pool[word] > 0:
            pool[word] -= 1
        else:
            left.append(word)
    spare = list(pool.elements())
    missing = []
    for word in left:
        match = process.extractOne(word, spare, scorer=fuzz.ratio, score_cutoff=WORD_THRESHOLD)
        if match is None:
            missing.append(word)
        else:
            spare.pop(match[2])
    return missing


def is_same_statement(a: str, b: str) -> bool:
    """Whether two normalised texts (see :func:`normalise`) are the same statement reprinted.

    Read-only and pure.
    """
    if not a or not b:
        return False
    if a == b:
        return True
    if similarity(a, b) < THRESHOLD:
        return False
    words_a, words_b = a.split(), b.split()
    shorter, longer = (words_a, words_b) if len(words_a) <= len(words_b) else (words_b, words_a)
    if _unmatched(shorter, longer):
        return False  # a word was replaced: another place, number or verb
    return len(shorter) >= MIN_WORDS or not _unmatched(longer, shorter)


def best_match(key: str, candidates: Sequence[tuple[int, str]]) -> int | None:
    """The id of the first candidate ``(id, normalised text)`` that is the same statement as ``key``.

    Candidates come most recent first; the one that passes with the highest ``token_set_ratio``, then
    the highest plain ``ratio`` (the closest in length and order), then the most recent, wins.
    Returns None when none does.
    """
    if not key or not candidates:
        return None
    texts = [text for _id, text in candidates]
    screened = process.extract(key, texts, scorer=fuzz.token_set_ratio, score_cutoff=THRESHOLD,
                               limit=None)
    screened.sort(key=lambda hit: (-hit[1], -fuzz.ratio(key, hit[0]), hit[2]))
    for _text, _score, index in screened:
        if is_same_statement(key, texts[index]):
            return candidates[index][0]
    return None
