"""Classes of errors found on real news (tests/data/real.jsonl), each tested on several sentences written
for these tests, with a positive control where a look-alike is involved."""

from __future__ import annotations

import pytest
from lookalikes import assert_untracked

from reactions import extract


def who(text: str, day: str) -> list[tuple[str, str | None]]:
    return [(s.speaker, s.person) for s in extract(text, published=day)]


# --- a US state's Secretary of State is no Secretary of State -------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "The California Secretary of State said the ballots would be counted by Friday.",
        "The Texas Secretary of State warned counties not to send out applications.",
    ],
)
def test_a_us_states_secretary_of_state_is_not_the_state_department(text: str):
    assert_untracked(text, "2020-11-05")
    assert who("The Secretary of State said the ballots would be counted.", "2020-11-05") == [
        ("us-state-department", "mike-pompeo")
    ]


# --- another country's minister, through a nationality adjective after a generic title -----------
@pytest.mark.parametrize(
    "text",
    [
        "أكد وزير الخارجية الصيني وانغ يي لنظيره الأمريكي جون كيري أن بلاده أوقفت أنشطتها.",
        "وقالت وزيرة الدفاع الألمانية إن بلادها سترسل مزيدا من الجنود.",
        "وأعلن وزير الخارجية الروسي أن موسكو سترد على العقوبات.",
    ],
)
def test_a_generic_title_with_another_nationality_is_not_tracked(text: str):
    assert_untracked(text, "2015-08-06")
    assert [sp for sp, _ in who("وقال وزير الخارجية الأمريكي إن واشنطن سترد.", "2015-08-06")] == [
        "us-state-department"
    ]


# --- a bare surname that is someone else's or a place ----------------------------------------------
def test_a_surname_before_another_name_word_or_after_in_is_not_the_official():
    intro = "Defense Secretary Lloyd Austin visited Kyiv on Monday. "
    assert who(intro + "Austin said the aid would keep flowing.", "2022-04-25") == [
        ("us-pentagon", "lloyd-austin")
    ]
    assert who(intro + '"It is a bizarre world," said Austin Kaplan, a lawyer.', "2022-04-25") == []
    assert who(intro + "A restaurant owner in Austin said he had no choice.", "2022-04-25") == []


def test_an_arabic_surname_after_another_persons_first_name_is_someone_else():
    text = "وقال جون جونسون، وهو عامل بناء شاهد الحادث، إنه لم يعجبه مظهر الرافعة."
    assert_untracked(text, "2020-03-01")
    assert who("وقال جونسون إن الحكومة ستحقق في الحادث.", "2020-03-01") == [
        ("uk-government", "boris-johnson")
    ]


# --- an English tracked phrase after a preposition or a verb is an object --------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Barr arrived in London days after a call with Johnson and told British officials he was concerned.",
        "Mulvaney reportedly called Secretary of State Mike Pompeo and told him he could not stay.",
        "The senator wrote to the State Department and said the visas should be reviewed.",
    ],
)
def test_an_object_is_not_the_subject_of_the_next_verb(text: str):
    assert who(text, "2019-10-02") == []
    assert who("Secretary of State Mike Pompeo told reporters he could not stay.", "2019-10-02") == [
        ("us-state-department", "mike-pompeo")
    ]
    assert [
        sp for sp, _ in who("A statement from the State Department said visas were reviewed.", "2019-10-02")
    ] == ["us-state-department"]


# --- negated or hypothetical speech in Arabic -------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "ولم تقل نويرت ما إذا كانت الولايات المتحدة قد لاحظت أي تحرك.",
        "فإذا كان كيري يقول ذلك، فلماذا كل هذا الانتظار؟",
        "كما لم يتحدث ماتيس عما إذا كانت وزارة الدفاع الأمريكية ترى أي دليل.",
    ],
)
def test_negated_or_hypothetical_speech_is_no_statement(text: str):
    assert who(text, "2018-09-12") == []


def test_according_to_a_us_states_secretary_of_state_is_nobody_tracked():
    assert who("Turnout was 61%, according to the Ohio Secretary of State's office.", "2020-11-05") == []
    assert [sp for sp, _ in who("Turnout was low, according to the State Department.", "2020-11-05")] == [
        "us-state-department"
    ]


def test_a_negated_stance_verb_still_states_something():
    assert [sp for sp, _ in who("ولم يستبعد وزير الخارجية الأمريكي إجراء مفاوضات مباشرة.", "2018-09-12")] == [
        "us-state-department"
    ]


# --- after "إن/أن" the subject comes first: the phrase after the verb is its object ----------------
@pytest.mark.parametrize(
    "text",
    [
        "يقول موقع أكسيوس إن نتنياهو أبلغ بلينكن أنه ملتزم بالاتفاق.",
        "وذكرت الصحيفة أن ليبرمان أبلغ وزير الدفاع الأمريكي بخططه.",
    ],
)
def test_the_subject_after_a_complementizer_comes_before_the_verb(text: str):
    assert who(text, "2024-06-03") == []


def test_a_tracked_subject_after_a_complementizer_speaks():
    text = (
        "قالت الصحيفة إن بلينكن أبلغ نتنياهو أن الوقت ينفد. إلا أن بلينكن قال للصحفيين إن المحادثات مستمرة."
    )
    assert [sp for sp, _ in who(text, "2024-06-03")] == ["us-state-department"]


# --- an addressee named in apposition is not the speaker --------------------------------------------
def test_the_addressee_of_a_call_is_not_the_speaker():
    text = (
        "دعا وزير حقوق الإنسان عزالدين الأصبحي مفوض الأمم المتحدة السامي لحقوق الإنسان، "
        "والرئيس الدوري لمجلس حقوق الإنسان إلى زيارة عدن."
    )
    assert who(text, "2015-07-21") == []
    control = "قال زيد بن رعد الحسين، المفوض السامي لحقوق الإنسان، إن الوضع في عدن مأساوي."
    assert who(control, "2015-07-21") == [("un-ohchr", "zeid-raad-al-hussein")]


# --- a sentence whose subject is a name the registry lacks ------------------------------------------
def test_and_said_after_an_unknown_subject_is_not_the_previous_speaker():
    text = (
        "وقال وزير الخارجية الأمريكي جون كيري إن الاتفاق جيد. "
        "وعرج كوكر على الوضع السوري وقال إن الأسد لم يكن ليبقى لولا إيران."
    )
    got = extract(text, published="2015-07-24")
    assert [(s.speaker, s.person) for s in got] == [("us-state-department", "john-kerry")]
    assert got[0].text.startswith("وقال وزير الخارجية")


# --- "على ما قالت X إنه": the statement starts at "ما" ---------------------------------------------
def test_what_a_body_said_inside_a_sentence_starts_the_statement():
    text = "أطلقت الدول الثلاث 105 صواريخ على ما قالت وزارة الدفاع الأمريكية إنها ثلاث منشآت كيماوية."
    got = extract(text, published="2018-04-14")
    assert [s.speaker for s in got] == ["us-pentagon"]
    assert got[0].text.startswith("ما قالت وزارة الدفاع")


# --- a body's words as the topic of another verb ------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        'جدل واسع بعد بيان الخارجية الأميركية بشأن "هجوم وشيك" في غزة',
        "الأونروا تنتقد تصريحات روبيو وتؤكد على حيوية دورها",
        "وتصاعد الغضب عقب تصريحات وزير الدفاع البريطاني عن الانسحاب.",
    ],
)
def test_a_statement_named_as_a_topic_is_no_statement(text: str):
    assert who(text, "2025-03-02") == []


def test_after_an_announcement_that_is_a_statement():
    text = "جاء ذلك بعد إعلان المتحدث باسم وزارة الدفاع الأميركية أن القوات شاركت في القتال."
    assert [sp for sp, _ in who(text, "2022-01-22")] == ["us-pentagon"]


# --- an addressee with "لـ" or after "إلى" is not the speaker ----------------------------------------
def test_a_letter_to_the_high_commissioner_is_the_writers():
    text = (
        "واوضح وزير حقوق الإنسان عزالدين الاصبحي في رسالة بعثها لمفوض الأمم المتحدة السامي لحقوق الانسان "
        "زيد رعد الحسين حجم الدمار. وقال إن القصف استهدف الأحياء السكنية."
    )
    assert who(text, "2015-07-21") == []
    text = "وقال المتحدث الرسمي لوزارة الخارجية الأمريكية، روبرت بالادينو، إن الوزارة تتابع القضية."
    assert [sp for sp, _ in who(text, "2018-10-10")] == ["us-state-department"]


# --- verbs of speech that are acts with some objects --------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Secretary of State Mike Pompeo denied the request because he did not want to draw attention.",
        "Defense Secretary Lloyd Austin dismissed hundreds of members of the Pentagon's advisory boards.",
        "The State Department rejected his visa application last month.",
    ],
)
def test_denying_a_request_or_dismissing_people_is_an_act(text: str):
    assert who(text, "2021-02-02") == []


def test_denying_a_report_is_a_statement():
    text = "The State Department denied the report, saying no talks had taken place."
    assert [sp for sp, _ in who(text, "2021-02-02")] == ["us-state-department"]


# --- the administration is the White House, not a department -----------------------------------------
def test_the_administration_does_not_continue_the_pentagon():
    text = 'The Pentagon said the strikes hit three depots. The Biden administration called the strikes "self-defense."'
    assert [sp for sp, _ in who(text, "2021-02-26")] == ["us-pentagon"]


# --- a tracked body's title with a name the registry lacks ------------------------------------------
@pytest.mark.parametrize(
    ("text", "speaker", "person"),
    [
        (
            "State Department spokesperson Jane Doe said the embassy would reopen.",
            "us-state-department",
            "jane-doe",
        ),
        (
            "Pentagon spokeswoman Mary Q. Public told reporters the drills had ended.",
            "us-pentagon",
            "mary-public",
        ),
        ("UN human rights office spokesman Omar Example warned of more arrests.", "un-ohchr", "omar-example"),
        ("Foreign Office minister Alan Sample said Britain would respond.", "uk-government", "alan-sample"),
    ],
)
def test_a_title_then_an_unknown_name_is_the_titles_body(text: str, speaker: str, person: str):
    got = extract(text, published="2024-05-01")
    assert [(s.speaker, s.person, s.rule) for s in got] == [(speaker, person, "en-verb/title-name")]


def test_another_countrys_title_with_a_name_stays_untracked():
    assert_untracked(
        "Russian Foreign Ministry spokeswoman Maria Zakharova said the talks failed.", "2024-05-01"
    )


def test_an_arabic_title_then_an_unknown_name_is_the_titles_body():
    text = "وقال المتحدث باسم وزارة الخارجية الأمريكية سامويل وربيرغ إن واشنطن قلقة."
    assert who(text, "2024-05-01") == [("us-state-department", None)]


# --- headline and wire formats -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("بومبيو لكوريا الشمالية: نريد مزيدا من الوقت", "us-state-department"),
        ("ماي للبريطانيين بشأن بريكست: لن أخذلكم", "uk-government"),
        ("#عاجل | مبعوث الخارجية الأمريكية للجزيرة: الحوثيون يعرقلون السلام", "us-state-department"),
        ('عاجل | "البنتاغون": لا نريد تصعيدا في لبنان', "us-pentagon"),
        ("Ukraine aid will continue: Pentagon", "us-pentagon"),
    ],
)
def test_headlines_name_their_speaker_around_a_colon(text: str, speaker: str):
    got = extract(text, published="2018-07-08" if "بومبيو" in text or "ماي" in text else "2024-02-01")
    assert [s.speaker for s in got] == [speaker]
    assert got[0].rule.startswith("headline-colon")


def test_a_headline_colon_after_a_verb_is_not_a_speaker_label():
    assert who("البنتاغون يرسل حاملة طائرات ثانية: التفاصيل", "2024-02-01") == []


def test_a_quoted_body_name_is_the_name_not_a_quotation():
    text = 'وقال أدريان غالواي، المتحدث باسم "البنتاغون" إن الجنديين كانا في مهمة سرية.'
    got = extract(text, published="2018-03-01")
    assert [(s.speaker, s.kind) for s in got] == [("us-pentagon", "reported")]
    assert got[0].quotes == ()


# --- the subject of a sentence without speech is who the next sentence continues ---------------------
def test_a_body_named_as_subject_is_what_the_statement_that_follows_refers_to():
    text = (
        "أدرجت وزارة الخارجية الأميركية، الاثنين، قاسم المؤمن على قائمة الإرهاب العالمية. "
        "وجاء في بيان الوزارة أنه جند إرهابيين في البحرين."
    )
    got = extract(text, published="2018-07-10")
    assert [(s.speaker, s.rule) for s in got] == [("us-state-department", "ar-document")]
    assert got[0].text.startswith("وجاء في بيان الوزارة")


def test_he_said_after_a_sentence_about_the_secretary():
    text = (
        "Defense Secretary Pete Hegseth assembled hundreds of generals at Quantico on Tuesday. "
        "He said it was unacceptable to see unfit officers."
    )
    got = extract(text, published="2025-09-30")
    assert [(s.speaker, s.person) for s in got] == [("us-pentagon", "pete-hegseth")]
    assert got[0].text.startswith("He said")


def test_he_said_after_a_sentence_about_someone_else_is_not_continued():
    text = (
        "Defense Secretary Pete Hegseth spoke at Quantico on Tuesday. "
        "Senator Jack Reed criticised the speech in Washington. He said it was a political rally."
    )
    assert extract(text, published="2025-09-30") == []


# --- a one-letter misspelling of the surname of someone named in full earlier ------------------------
@pytest.mark.parametrize(
    ("text", "day", "person"),
    [
        (
            'أكد وزير الخارجية الأميركي مايك بومبيو أن واشنطن ملتزمة. وفي ملف اليمن، قال بوميو: "نساعد الشركاء".',
            "2018-07-10",
            "mike-pompeo",
        ),
        (
            "Secretary of State Mike Pompeo said on Monday that talks went well. Pompoe said he would not address specifics.",
            "2020-05-20",
            "mike-pompeo",
        ),
        (
            "قال وزير الخارجية البريطاني ديفيد لامي إن لندن قلقة. وأضاف لامى أن الحل سياسي.",
            "2024-09-01",
            "david-lammy",
        ),
    ],
)
def test_a_misspelled_surname_of_someone_named_earlier_is_that_person(text: str, day: str, person: str):
    got = extract(text, published=day)
    assert [s.person for s in got] == [person, person]


def test_a_misspelled_surname_without_the_full_name_earlier_is_nobody():
    assert extract("Pompoe said he would not address specifics.", published="2020-05-20") == []


def test_a_misspelling_one_letter_from_two_people_named_earlier_is_nobody():
    """"Brice" is one letter from both Tammy Bruce and Ned Price: neither is guessed (the answer once hung on the
    order of a set, which varies with the process's hash seed); the named spokesperson still speaks."""
    text = ("State Department spokesperson Tammy Bruce said the talks went well. Her predecessor Ned Price said in "
            "2022 that the talks had stalled. Brice said the envoy would travel on Monday.")
    got = extract(text, published="2025-03-10")
    assert [s.person for s in got] == ["tammy-bruce"]  # Price no longer held the post in 2025
    assert not any("envoy" in s.text for s in got)


# --- coordinated subjects ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Secretary of State Mike Pompeo and Treasury Secretary Steven Mnuchin said the sanctions would target eight people.",
            "us-state-department",
        ),
        (
            "The Pentagon, State Department, and FBI said the balloon program spanned five continents.",
            "us-pentagon",
        ),
        ("The Foreign Office and the Home Office said the visas would be reviewed.", "uk-government"),
    ],
)
def test_a_tracked_body_opening_a_coordinated_subject_speaks(text: str, speaker: str):
    got = extract(text, published="2019-06-01")
    assert [(s.speaker, s.rule) for s in got] == [(speaker, "en-verb/coordinated")]


def test_a_tracked_object_before_and_is_no_coordinated_subject():
    assert who("Lavrov met Blinken and said the talks failed.", "2023-02-10") == []


# --- the military departments' secretaries and the British Ministry of Defense spelling -------------------
def test_army_secretary_and_ministry_of_defense_spellings():
    text = '"Army readiness depends on soldiers," Army Secretary Jane Roe said in a statement.'
    assert who(text, "2022-02-02") == [("us-pentagon", "jane-roe")]
    text = "A spokesperson for the British Ministry of Defense said that its troops fired warning shots."
    assert who(text, "2021-08-27") == [("uk-government", None)]


# --- headlines with two items, and "وكان X يتحدث" ------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("اشتباكات ضارية بمخيم المغازي وبلينكن يجدد الشكر لقطر", "وبلينكن يجدد"),
        ("قصف على رفح وأوستن يحذر من توسيع العملية", "وأوستن يحذر"),
    ],
)
def test_a_headlines_second_item_with_the_speaker_is_the_statement(text: str, start: str):
    got = extract(text, published="2024-02-01")
    assert len(got) == 1 and got[0].text.startswith(start)


def test_a_headlines_statement_ends_where_another_subject_speaks():
    text = "بلينكن ينصح إسرائيل بالخروج من غزة وألمانيا وبريطانيا تدعوانها لوقف الحرب"
    got = extract(text, published="2024-02-01")
    assert [s.text for s in got] == ["بلينكن ينصح إسرائيل بالخروج من غزة"]
    text = "بومبيو يؤكد التزام واشنطن بالتصدي لطهران وتحجيم ميليشياتها"
    assert [s.text for s in extract(text, published="2018-07-10")] == [text]


def test_what_someone_was_talking_about_is_no_statement():
    assert who("وكان بومبيو يتحدث عن المعارض الصيني الذي توفي العام الماضي.", "2018-07-10") == []
    assert [sp for sp, _ in who("وكان بومبيو قال إن المعارض توفي في السجن.", "2018-07-10")] == [
        "us-state-department"
    ]
