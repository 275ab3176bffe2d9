"""Reaction types in both languages, and date-dependent posts."""

import pytest
from lookalikes import assert_untracked

from reactions import extract

REACTION_CASES = [
    ("condemnation", "ar", "أدانت وزارة الخارجية الأمريكية بشدة التفجير الذي استهدف السوق المركزي."),
    (
        "condemnation",
        "en",
        "The State Department condemned the bombing of the central market in the strongest terms.",
    ),
    ("concern", "ar", "أعربت مفوضية الأمم المتحدة لحقوق الإنسان عن قلقها البالغ إزاء اعتقال الصحفيين."),
    (
        "concern",
        "en",
        "The UN human rights office said it was deeply concerned by the arrest of journalists.",
    ),
    ("welcome", "ar", "رحبت الحكومة البريطانية بالإفراج عن المعتقلين السياسيين."),
    ("welcome", "en", "The British government welcomed the release of the political prisoners."),
    ("call", "ar", "دعا وزير الخارجية البريطاني جميع الأطراف إلى ضبط النفس."),
    ("call", "en", "British Foreign Secretary William Hague urged all parties to show restraint."),
    ("warning", "ar", "حذر البنتاغون من أن أي هجوم على القوات الأمريكية سيقابل برد حاسم."),
    (
        "warning",
        "en",
        "The Pentagon warned that any attack on American forces would be met with a decisive response.",
    ),
    ("denial", "ar", "نفت وزارة الدفاع الأمريكية أن تكون طائراتها قصفت المستشفى."),
    ("denial", "en", "The Pentagon denied that its aircraft had struck the hospital."),
    (
        "condolence",
        "ar",
        "قدمت الخارجية الأمريكية تعازيها لأسر الضحايا وقالت إنها تقف إلى جانب الشعب التركي.",
    ),
    (
        "condolence",
        "en",
        "The State Department said it offered its deepest condolences to the families of the victims.",
    ),
    ("support", "ar", "أكدت الحكومة البريطانية دعمها الكامل للحكومة العراقية في حربها على الإرهاب."),
    ("support", "en", "The Foreign Office said Britain stood in solidarity with the people of Ukraine."),
    ("announcement", "ar", "أعلنت الخارجية البريطانية فرض عقوبات على خمسة مسؤولين."),
    ("announcement", "en", "The Foreign Office announced sanctions on five senior officials."),
    ("statement", "ar", "قالت وزارة الدفاع الأمريكية إن الوضع في المنطقة ما زال متوترا."),
    ("statement", "en", "The Pentagon said the situation in the region remained tense."),
]


@pytest.mark.parametrize(("reaction", "lang", "text"), REACTION_CASES)
def test_reaction_type_of_a_statement(reaction: str, lang: str, text: str):
    got = extract(text, lang=lang, published="2013-06-01")
    assert len(got) == 1, got
    assert got[0].reaction == reaction


@pytest.mark.parametrize(
    ("day", "speaker"),
    [("2015-07-20", "us-state-department"), ("2022-03-10", "us-pentagon"), ("2014-06-01", "us-pentagon")],
)
def test_john_kirby_speaks_for_the_body_he_served_on_that_date(day: str, speaker: str):
    got = extract("John Kirby said the United States was watching the situation closely.", published=day)
    assert [(s.speaker, s.person) for s in got] == [(speaker, "john-kirby")]


def test_john_kirby_at_the_white_house_is_not_tracked():
    assert_untracked("John Kirby said the United States was watching the situation closely.", "2024-02-01")
    assert_untracked("قال جون كيربي إن واشنطن تتابع الوضع عن كثب.", "2024-02-01")


def test_arabic_kirby_in_2015_is_the_state_department_spokesman():
    got = extract("وقال كيربي إن الولايات المتحدة لن تتدخل.", published="2015-09-01")
    assert [(s.speaker, s.person) for s in got] == [("us-state-department", "john-kirby")]


def test_an_unnamed_unique_post_names_its_holder_on_the_date():
    got = extract("قال وزير الدفاع الأمريكي إن المهمة انتهت.", published="2018-05-01")
    assert [(s.speaker, s.person) for s in got] == [("us-pentagon", "james-mattis")]
    got = extract("قال وزير الدفاع الأمريكي إن المهمة انتهت.", published="2022-05-01")
    assert [(s.speaker, s.person) for s in got] == [("us-pentagon", "lloyd-austin")]


def test_former_officials_are_not_tracked():
    assert_untracked("Former Secretary of State Mike Pompeo said the deal was a mistake.", "2023-01-01")


def test_us_ambassador_to_the_un_counts_as_state_department():
    got = extract("قالت السفيرة الأمريكية لدى الأمم المتحدة إن واشنطن سترد.", published="2018-06-01")
    assert [s.speaker for s in got] == ["us-state-department"]


def test_direct_and_reported_kinds():
    direct = extract('قال المتحدث باسم الخارجية الأمريكية: "لن نقبل بذلك".', published="2020-01-01")
    reported = extract("قال المتحدث باسم الخارجية الأمريكية إن بلاده لن تقبل بذلك.", published="2020-01-01")
    assert [s.kind for s in direct] == ["direct"]
    assert [s.kind for s in reported] == ["reported"]


def test_published_may_be_a_date_object_or_omitted():
    import datetime

    text = "John Kirby said the United States was watching the situation closely."
    assert extract(text, published=datetime.date(2015, 7, 20))[0].speaker == "us-state-department"
    assert extract(text, published=datetime.datetime(2022, 3, 10, 12, 0))[0].speaker == "us-pentagon"
    assert extract(text) == []  # today Kirby holds no tracked post
    assert extract(text, published="not a date") == []


def test_statements_are_frozen_and_sorted_by_start():
    import dataclasses

    text = "قال البنتاغون إن الضربات انتهت. وقالت الخارجية البريطانية إنها تدعم الضربات."
    got = extract(text, published="2018-04-14")
    assert [s.start for s in got] == sorted(s.start for s in got)
    with pytest.raises(dataclasses.FrozenInstanceError):
        got[0].speaker = "x"  # type: ignore[misc]
