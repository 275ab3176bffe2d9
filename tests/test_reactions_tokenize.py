"""tokenize(): chunks between spaces, with only chunks that hold punctuation read by the regex, give the
tokens of the one-regex reading of the whole segment (the oracle below), on tricky strings and real text."""

import json
import random
import re
from pathlib import Path

import pytest

from reactions.text import (
    _INITIAL_CHECK,
    _TOKEN,
    _TOKEN_PLAIN,
    PLACEHOLDER,
    Token,
    fold_keep_offsets,
    mask_markup,
    tokenize,
)

DATA = Path(__file__).parent / "data"


def oracle(folded: str, start: int, end: int) -> list[tuple]:
    """The regex run over the whole segment, token by token (the reading tokenize() must reproduce)."""
    seg = folded[start:end]
    dotted = "." in seg
    rx = _TOKEN if dotted and _INITIAL_CHECK.search(folded, start, end) else _TOKEN_PLAIN
    out = []
    for m in rx.finditer(folded, start, end):
        case, a, b = m.group(), m.start(), m.end()
        ph = PLACEHOLDER in case
        case = case.replace(PLACEHOLDER, "")
        if not case:
            continue
        if "\u0600" <= case[0] <= "\u06ff":
            out.append((a, b, case, case, True))
            continue
        if not ph and dotted and case[-1] == "." and len(case) > 2 and case[1] == ".":
            case = case.replace(".", "")
        if case[-2:] == "'s" and len(case) >= 3:
            out += [(a, b - 2, case[:-2].lower(), case[:-2], False), (b - 2, b, "'s", "'s", False)]
            continue
        out.append((a, b, case.lower(), case, False))
    return out


TRICKY = [
    "U.S. and U.K.'s officials, e.g. Trump's aide; E's note: a'b 'quoted' it's_ o'",
    "وقال المتحدث: «لا»، (نعم)؟ ـ ـبـ الـ ـ",
    "tab\there\nnew\u00a0line\u2003em\u200bzero ١٢٣ ٤٥",
    'He said "no." Then: "yes!" -- U.N.-led (OHCHR) ...',
]


def texts() -> list[str]:
    out = list(TRICKY)
    for name in ("real.jsonl", "real_feeds.jsonl"):
        out += [json.loads(line)["text"] for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    return out


def test_tokenize_gives_the_one_regex_reading_of_any_segment():
    rnd = random.Random(8)
    for text in texts():
        masked = mask_markup(text)
        folded = fold_keep_offsets(masked)
        cuts = [(0, len(masked))]
        for _ in range(4):  # segments that start or end inside a word, as units and quotations do
            a = rnd.randrange(len(masked) + 1)
            cuts.append((a, min(len(masked), a + rnd.randrange(300))))
        for a, b in cuts:
            got = [tuple(t) for t in tokenize(masked, a, b, folded=folded)]
            assert got == oracle(folded, a, b), (text[:60], a, b)


def test_tokens_are_immutable_values_with_named_fields():
    t = Token(3, 8, "press", "Press")
    assert (t.start, t.end, t.low, t.case, t.ar) == (3, 8, "press", "Press", False)
    assert Token(0, 3, "قال", "قال").ar is True
    assert tokenize("The Pentagon")[1] == Token(4, 12, "pentagon", "Pentagon", False)
    with pytest.raises(AttributeError):
        t.low = "x"  # type: ignore[misc]
    assert re.fullmatch(r"Token\(3, 8, 'Press'\)", repr(t))


def test_sentence_terminators_are_the_patterns_matches():
    """split_sentences tries the terminator pattern only where a terminator character stands: the same
    matches as running the pattern over every paragraph."""
    from reactions.text import _TERMINATOR, _terminators

    paras = ['a.b. c... d?! e؟ f… g." h.» i.)x', "...", "..a", 'U.S. x.y.z. Mr. Smith. "Hi."', "end."]
    for text in texts():
        paras += mask_markup(text).split("\n")
    for para in paras:
        want = [(m.span(), m.groups()) for m in _TERMINATOR.finditer(para)]
        assert [(m.span(), m.groups()) for m in _terminators(para)] == want


def test_scan_words_are_the_word_patterns_words():
    """scan_words reads chunks between spaces (a word and one mark without the regex) and looks for
    initials at the full stops only: the words the word pattern finds over the whole segment."""
    from reactions.text import _SCAN_FIX, _SCAN_WORD, _fix_word, _has_initial, scan_words

    rnd = random.Random(5)
    for text in texts():
        folded = fold_keep_offsets(mask_markup(text)).replace(PLACEHOLDER, "").lower()
        cuts = [(0, len(folded))]
        for _ in range(4):
            a = rnd.randrange(len(folded) + 1)
            cuts.append((a, min(len(folded), a + rnd.randrange(300))))
        for a, b in cuts:
            seg = folded[a:b]
            assert _has_initial(seg) == bool(_SCAN_FIX.search(seg))
            assert scan_words(folded, a, b, lowered=True) == [_fix_word(w) for w in _SCAN_WORD.findall(seg)]


def test_has_ngram_is_a_meeting_of_the_ngrams_and_the_keys():
    """The pre-scan's early-exit test agrees with building every n-gram and intersecting."""
    from reactions.text import has_ngram, ngrams, scan_words

    rnd = random.Random(11)
    for text in texts()[:300]:
        words = scan_words(fold_keep_offsets(text).lower())
        if not words:
            continue
        picks = [" ".join(words[i : i + rnd.randrange(1, 4)]) for i in rnd.sample(range(len(words)), 3)]
        for keys in ({"no such phrase"}, set(picks[:1]), set(picks)):
            last = {k.split()[-1] for k in keys} | {rnd.choice(words)}
            assert has_ngram(words, keys, last) == (not keys.isdisjoint(ngrams(words, 3, last)))
            assert has_ngram(words, keys, last, 2) == (not keys.isdisjoint(ngrams(words, 2, last)))


def test_presentation_form_prefilter_never_hides_one():
    """fold_keep_offsets skips the presentation-form search when the UTF-8 bytes hold no 0xEF: every
    presentation form (and nothing below U+F000) has one; a lone surrogate does not break it."""
    from reactions.text import _PRESENTATION_1TO1, _may_hold_presentation_forms

    for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)) + list(range(0xFF01, 0xFF5F)):
        assert _may_hold_presentation_forms(f"قال {chr(cp)} said")
    assert not _may_hold_presentation_forms("قال الوزير «نعم» — said ‘yes’ \u2026 \uefff")
    assert not _may_hold_presentation_forms("plain ASCII")
    assert not _may_hold_presentation_forms("\ud800 lone surrogate")
    for text in texts():
        if not _may_hold_presentation_forms(text):
            assert _PRESENTATION_1TO1.search(text) is None
    assert fold_keep_offsets("\ufe8dلوزير") == "الوزير"  # an isolated alef form is still folded


def test_sentences_and_paragraphs_in_one_pass_are_both_functions():
    from reactions.text import paragraphs, sentences_and_paragraphs, split_sentences

    for text in texts() + ["", "\n\n", "a.\n \n\t\nb", " x \n\n y. z"]:
        masked = mask_markup(text)
        assert sentences_and_paragraphs(masked) == (split_sentences(masked), paragraphs(masked))


def test_quote_mark_positions_are_the_character_class_matches():
    from reactions.text import _QUOTE_CHARS, _QUOTE_MARKS, _positions

    assert set(_QUOTE_MARKS) == {c for c in map(chr, range(0x10000)) if _QUOTE_CHARS.fullmatch(c)}
    rnd = random.Random(3)
    for text in texts() + ['"a" «b» “c” ‘d’ \'e\' ＂f＂ „g‟', ""]:
        cuts = [(0, len(text))]
        for _ in range(3):
            a = rnd.randrange(len(text) + 1)
            cuts.append((a, min(len(text), a + rnd.randrange(400))))
        for a, b in cuts:
            assert list(_positions(text, _QUOTE_MARKS, a, b)) == [m.start() for m in _QUOTE_CHARS.finditer(text, a, b)]
