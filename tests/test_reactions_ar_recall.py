"""Arabic recall and precision classes found on real news (tests/data/real.jsonl): each construction
tested on several sentences written for these tests, asserting the speaker and the construction that
found it, with look-alikes that must stay out."""

from __future__ import annotations

import pytest
from lookalikes import assert_untracked

from reactions import extract


def found(text: str, day: str) -> list[tuple[str, str | None, str, str]]:
    return [(s.speaker, s.person, s.rule, s.text) for s in extract(text, lang="ar", published=day)]


# --- a subheading between paragraphs does not end the speaker's turn -------------------------------
@pytest.mark.parametrize(
    ("text", "day", "speaker", "person"),
    [
        (
            "وقال وزير الخارجية الأمريكي مايك بومبيو إن العقوبات ستستمر.\n"
            "حرمان طهران من قدراتها المالية\n"
            "وأضاف أن الضغط سيبقى حتى تغير إيران سلوكها.\n",
            "2018-08-20",
            "us-state-department",
            "mike-pompeo",
        ),
        (
            "وقالت المتحدثة باسم مفوضية الأمم المتحدة لحقوق الإنسان رافينا شامداساني إن الوضع خطير.\n"
            "مخاوف من تصعيد جديد\n"
            "وتابعت: \"ندعو جميع الأطراف إلى ضبط النفس\".\n",
            "2023-10-20",
            "un-ohchr",
            "ravina-shamdasani",
        ),
    ],
)
def test_a_subheading_does_not_end_the_speakers_turn(text, day, speaker, person):
    got = found(text, day)
    assert len(got) == 2
    assert got[1][:3] == (speaker, person, "ar-verb/pronoun")


def test_a_full_sentence_between_still_ends_the_pronouns_reach():
    text = (
        "وقال وزير الخارجية الأمريكي مايك بومبيو إن العقوبات ستستمر.\n"
        "وشهدت أسواق النفط ارتفاعا كبيرا في الأسعار خلال الأسبوع الماضي.\n"
        "وأضاف أن الضغط سيبقى حتى تغير إيران سلوكها.\n"
    )
    assert [g[2] for g in found(text, "2018-08-20")] == ["ar-verb/vs"]
