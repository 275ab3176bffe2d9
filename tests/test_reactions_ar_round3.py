"""Arabic classes of the third round, found on the real web-page sets (misses and false statements of
dev_pages, heldout H/K/L and tests/data/real.jsonl): each construction tested on sentences written for
these tests, asserting the speaker and the construction that found it, with look-alikes that stay out."""

from __future__ import annotations

import pytest
from lookalikes import assert_untracked

from reactions import extract


def found(text: str, day: str) -> list[tuple[str, str | None, str, str]]:
    return [(s.speaker, s.person, s.rule, s.text) for s in extract(text, lang="ar", published=day)]


# --- "مفوضية حقوق الإنسان" without the UN is the UN office, unless a country follows ---------------
@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("مفوضية حقوق الإنسان تندد باستخدام القوة المفرطة ضد المتظاهرين", "ar-present/sv"),
        ("مفوضية حقوق الانسان تأسف لرفض دول كثيرة التعاون مع خبرائها", "ar-verb/sv"),
        ("وقالت مفوضية حقوق الإنسان في بيان إن الاعتقالات تعسفية.", "ar-verb/vs"),
    ],
)
def test_the_human_rights_office_without_the_un(text, rule):
    got = found(text, "2020-04-27")
    assert [(g[0], g[2]) for g in got] == [("un-ohchr", rule)]


@pytest.mark.parametrize(
    "text",
    [
        "وقالت مفوضية حقوق الإنسان في العراق إن عدد النازحين ارتفع.",
        "أعلنت مفوضية حقوق الإنسان العراقية أن عدد النازحين ارتفع.",
        "وأدانت مفوضية حقوق الإنسان في باكستان في بيان مداهمة منزل الناشط.",
    ],
)
def test_a_countrys_human_rights_commission_stays_out(text):
    assert_untracked(text, "2020-04-27", "ar")


# --- spellings the news uses of a spokesperson's name work in a headline, before the full name -----
@pytest.mark.parametrize(
    "text",
    [
        "رافينا شامدساني: العودة إلى طاولة المفاوضات هي الطريق الوحيد",
        "رافيينا شمداساني: المحاكمة لا تفي بمتطلبات الشفافية",
    ],
)
def test_spellings_of_the_spokespersons_name_in_a_headline(text):
    assert [g[:3] for g in found(text, "2024-03-04")] == [("un-ohchr", "ravina-shamdasani", "headline-colon")]
