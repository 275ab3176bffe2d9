"""Units: sentences joined by the quotations that span them, and each unit's view (its tokens outside
quotations, each quotation one placeholder token)."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from .text import PLACEHOLDER, Token, find_quotes, sentences_and_paragraphs, tokenize

MAX_UNIT_CHARS = 4000  # longer units are not analysed (runaway quotes, junk)
QUOTE = '"'


@dataclass
class Unit:
    start: int
    end: int
    sentences: list[tuple[int, int]] = field(default_factory=list)


def split_units(
    masked: str, joins: Callable[[str, str], bool] | None = None
) -> list[tuple[Unit, list[tuple[int, int]]]]:
    """Sentences grouped by the quotations that join them, each with the quotations it overlaps
    (``joins``: see :func:`sentences_and_paragraphs`)."""
    out: list[tuple[Unit, list[tuple[int, int]]]] = []
    sents, paras = sentences_and_paragraphs(masked, joins)
    si = 0
    for pa, pb in paras:
        quotes = find_quotes(masked, pa, pb)
        para_sents = []
        while si < len(sents) and sents[si][0] < pb:
            if sents[si][0] >= pa:
                para_sents.append(sents[si])
            si += 1
        # an unclosed quotation only spans its own sentence unless the paragraph opens with it, or the
        # next paragraph opens with a quotation mark (a quotation running over paragraphs: 'He said: "A.
        # B.' then '"C."')
        if quotes and quotes[-1][1] == pb and masked[pb - 1] not in "\"»”“'’":
            qa, qb = quotes[-1]
            if masked[pa:qa].strip() and not _next_paragraph_quoted(masked, pb):
                own = next((s for s in reversed(para_sents) if s[0] <= qa < s[1]), None)
                if own:
                    quotes[-1] = (qa, own[1])
        starts = [q[0] for q in quotes]
        cur: Unit | None = None
        for s in para_sents:
            joined = False
            if cur is not None and quotes:
                i = bisect.bisect_left(starts, cur.end) - 1
                joined = i >= 0 and quotes[i][1] > s[0]
            if joined and cur is not None and s[1] - cur.start <= MAX_UNIT_CHARS:
                cur.end = s[1]
                cur.sentences.append(s)
            else:
                cur = Unit(s[0], s[1], [s])
                out.append((cur, quotes))
        if quotes:
            # give each unit only the quotations it overlaps
            for k in range(len(out) - 1, -1, -1):
                unit, qs = out[k]
                if qs is not quotes:
                    break
                lo = bisect.bisect_left(starts, unit.start) - 1
                hi = bisect.bisect_left(starts, unit.end)
                out[k] = (
                    unit,
                    [q for q in quotes[max(lo, 0) : hi] if q[0] < unit.end and q[1] > unit.start],
                )
    return out


def _next_paragraph_quoted(masked: str, pb: int) -> bool:
    """Does the paragraph after ``pb`` open with a quotation mark?"""
    rest = masked[pb : pb + 200].lstrip()
    return rest[:1] in ('"', "“", "«")


def unit_view(
    masked: str, folded: str, unit: Unit, quotes: list[tuple[int, int]]
) -> tuple[list[Token], list[tuple[int, int]]]:
    """Tokens of the unit outside quotations; each quotation becomes one placeholder token."""
    qs = [(a, b) for a, b in quotes if a < unit.end and b > unit.start]
    view: list[Token] = []
    pos = unit.start
    for a, b in qs:
        if a > pos:
            view.extend(tokenize(masked, pos, a, folded=folded))
        view.append(Token(max(a, unit.start), min(b, unit.end), QUOTE, QUOTE))
        pos = max(pos, b)
    if pos < unit.end:
        view.extend(tokenize(masked, pos, unit.end, folded=folded))
    return view, qs


def is_label(masked: str, folded: str, qa: int, qb: int, words: SimpleNamespace) -> bool:
    """A short quoted name after "لـ"/"صحيفة"/"موقع" ... (a newspaper, a programme): not quoted speech."""
    inner = masked[qa + 1 : qb - 1].split()
    if not inner or len(inner) > 3:
        return False
    before = folded[max(0, qa - 20) : qa].replace(PLACEHOLDER, "").split()
    if not before or before[-1].lower() not in words.quote_label_before:
        return False
    if before[-1] in words.en_name_labels:
        # 'the exercise "Northern Shield"' (a name), not 'called the exercise "a dangerous provocation"'
        return all(w[:1].isupper() for w in inner if w[:1].isalpha())
    if before[-1] != "ل":
        return True
    if len(before) >= 2 and before[-2] in words.ar_li_thing:
        return False
    # "لـ«الشرق الأوسط»، إن ...": the reporting clause goes on after a bare "لـ" + name
    after = folded[qb : qb + 12].replace(PLACEHOLDER, "").split()
    return bool(after) and (
        after[0][:1] in ("،", ",", ":") or after[0] in ("ان", "إن", "أن", "انه", "إنه", "أنه")
    )


def outside_is_empty(text: str, unit: Unit, qs: list[tuple[int, int]]) -> bool:
    pos = unit.start
    for qa, qb in qs:
        if any(ch.isalnum() for ch in text[pos : max(pos, qa)]):
            return False
        pos = max(pos, qb)
    return not any(ch.isalnum() for ch in text[pos : unit.end])
