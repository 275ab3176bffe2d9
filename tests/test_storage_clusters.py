"""Is it the same statement? The pure similarity behind clustering (storage/clusters.py).

The threshold (90, rapidfuzz ``token_set_ratio``) is the screen; the word check decides. The pairs below
are the evidence: reprints score 97-100, unrelated statements 35-65, and a statement about another place
scores 92-95, which is why a replaced word rejects a pair that passed the screen.
"""

from __future__ import annotations

import pytest

from storage.clusters import THRESHOLD, best_match, is_same_statement, normalise, similarity, statement_key

SUDAN = ("We are deeply concerned by the escalation of violence in Sudan and call on all parties to protect "
         "civilians and allow humanitarian access.")
HOSPITAL = ("The United States strongly condemns the attack on the hospital in Gaza, which killed dozens of "
            "civilians.")
AR_SUDAN = ("نشعر بقلق بالغ إزاء تصاعد العنف في السودان وندعو جميع الأطراف إلى حماية المدنيين والسماح بوصول "
            "المساعدات الإنسانية")
AR_HOSPITAL = "أدانت وزارة الخارجية الأمريكية بشدة الهجوم على المستشفى في غزة، والذي أسفر عن مقتل العشرات من المدنيين."

SAME = [
    pytest.param(HOSPITAL, HOSPITAL.replace(",", "").rstrip("."), id="en-repunctuated"),
    pytest.param(HOSPITAL, "“" + HOSPITAL.upper() + "”", id="en-quoted-and-upper-case"),
    pytest.param(SUDAN, SUDAN.split(" and allow")[0], id="en-trimmed-end"),
    pytest.param(SUDAN, "call on all parties to protect civilians and allow humanitarian access", id="en-trimmed-start"),
    pytest.param(HOSPITAL.replace("United States", "U.S."), HOSPITAL.replace("United States", "US"),
                 id="en-initialism-dots"),
    pytest.param(AR_HOSPITAL, AR_HOSPITAL.replace("الأمريكية", "الأميركية").replace("،", ""), id="ar-spelling-variant"),
    pytest.param("نُدِينُ بشدة الهجوم على المستشفى في غزة", "ندين بشدة الهجوم على المستشفى في غزة.", id="ar-diacritics"),
    pytest.param(AR_SUDAN, AR_SUDAN.split(" والسماح")[0], id="ar-trimmed"),
]

DIFFERENT = [
    pytest.param(HOSPITAL, HOSPITAL.replace("the hospital in Gaza", "the school in Khan Younis"), id="en-other-place"),
    pytest.param(SUDAN.split(" and call")[0], SUDAN.split(" and call")[0].replace("Sudan", "Lebanon"),
                 id="en-one-word-replaced"),
    pytest.param(HOSPITAL, "The United States welcomes the ceasefire agreement between Israel and Hezbollah.",
                 id="en-unrelated"),
    pytest.param("نشعر بقلق بالغ إزاء تصاعد العنف في السودان", "نشعر بقلق بالغ إزاء تصاعد العنف في لبنان",
                 id="ar-one-word-replaced"),
    pytest.param("ندين بشدة الهجوم على المستشفى في غزة", "نرحب باتفاق وقف إطلاق النار بين إسرائيل وحزب الله",
                 id="ar-unrelated"),
    pytest.param("This is unacceptable", "This is unacceptable and we call for an immediate investigation",
                 id="short-phrase-inside-a-longer-statement"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_a_reprinted_trimmed_or_repunctuated_quote_is_the_same_statement(a, b):
    assert is_same_statement(normalise(a), normalise(b))
    assert is_same_statement(normalise(b), normalise(a))


@pytest.mark.parametrize(("a", "b"), SAME)
def test_reprints_pass_the_screen_with_room_to_spare(a, b):
    assert similarity(normalise(a), normalise(b)) >= THRESHOLD + 5


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_a_different_statement_by_the_same_speaker_is_not_the_same(a, b):
    assert not is_same_statement(normalise(a), normalise(b))
    assert not is_same_statement(normalise(b), normalise(a))


def test_unrelated_statements_fall_far_below_the_threshold():
    assert similarity(normalise(HOSPITAL), normalise("The United States welcomes the ceasefire.")) < THRESHOLD - 20


def test_a_replaced_place_passes_the_screen_so_the_word_check_is_needed():
    a, b = normalise("We condemn the attack in Sudan today"), normalise("We condemn the attack in Lebanon today")
    assert similarity(a, b) >= 80
    assert not is_same_statement(a, b)


def test_normalise_folds_arabic_letters_diacritics_punctuation_and_case():
    assert normalise("«أدانَت» الخارجيةُ، الهجومَ!") == normalise("ادانت الخارجيه الهجوم")
    assert normalise("U.S. Condemns, Attack.") == normalise("US condemns attack")


def test_the_key_of_a_quoted_statement_is_its_quotations():
    assert statement_key("Miller said: “We condemn it.”", ("We condemn it.",)) == "we condemn it"
    assert statement_key("The minister condemned it.") == "the minister condemned it"


def test_empty_texts_are_never_the_same():
    assert not is_same_statement("", "")


def test_best_match_prefers_the_highest_score_then_the_most_recent():
    key = normalise(SUDAN)
    candidates = [(3, normalise("something else entirely, about trade tariffs")),
                  (2, normalise(SUDAN.split(" and allow")[0])),
                  (1, normalise(SUDAN))]
    assert best_match(key, candidates) == 1
    assert best_match(key, candidates[:2]) == 2
    assert best_match(key, candidates[:1]) is None
    assert best_match(key, []) is None
