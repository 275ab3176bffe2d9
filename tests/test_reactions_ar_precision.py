"""Arabic precision and recall classes found on real web pages and the set H (each class tested on
sentences written for these tests, never the annotated ones): the construction that found a statement is
asserted, and each look-alike must give no tracked statement although its speech was read."""

from __future__ import annotations

import pytest
from lookalikes import assert_untracked

from reactions import extract


def found(text: str, day: str) -> list[tuple[str, str | None, str, str]]:
    return [(s.speaker, s.person, s.rule, s.text) for s in extract(text, lang="ar", published=day)]


# --- a verb of talking reports a statement only with what was said --------------------------------
@pytest.mark.parametrize(
    ("text", "day", "speaker", "rule"),
    [
        (
            "تحدث وزير الخارجية الأمريكي أنتوني بلينكن عن تقدم في محادثات الهدنة.",
            "2024-06-20",
            "us-state-department",
            "ar-verb/vs",
        ),
        (
            "المتحدث باسم البنتاغون يتحدث عن ضربات جديدة في اليمن",
            "2024-02-05",
            "us-pentagon",
            "ar-present/sv",
        ),
        (
            "وتحدث وزير الدفاع البريطاني بن والاس للصحفيين قائلا إن الدعم سيستمر.",
            "2022-05-10",
            "uk-government",
            "ar-verb/vs",
        ),
        # the talking verb alone says nothing, but another verb in the sentence does
        (
            "تحدث وزير الخارجية البريطاني ديفيد لامي إلى الصحفيين في لندن وأكد دعم بلاده للهدنة.",
            "2024-08-02",
            "uk-government",
            "ar-verb/vs",
        ),
    ],
)
def test_a_talking_verb_with_what_was_said_is_a_statement(text, day, speaker, rule):
    got = found(text, day)
    assert [g[:1] + g[2:3] for g in got] == [(speaker, rule)]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # a photo caption: where someone is speaking, not what they said
        ("وزيرة الخارجية البريطانية ليز تراس تتحدث خلال مؤتمر صحفي في لندن، 12 مارس 2022.", "2022-03-12"),
        (
            "وزير الدفاع الأمريكي لويد أوستن يتحدث أمام لجنة في مجلس الشيوخ في واشنطن، الولايات المتحدة.",
            "2023-05-02",
        ),
        # a contact: who someone spoke with
        ("وأضافت أنها لا تعرف من في وزارة الخارجية الأمريكية تحدث مع المسؤول الإيراني.", "2019-07-02"),
        ("وتحدث المتحدث باسم البنتاغون جون كيربي مع نظيره الياباني هاتفيا.", "2021-09-14"),
    ],
)
def test_a_talking_verb_with_nothing_said_is_no_statement(text, day):
    assert found(text, day) == []


def test_a_caption_after_a_statement_does_not_continue_it():
    text = (
        'قال وزير الخارجية البريطاني ديفيد كاميرون إن "الوضع في غزة لا يحتمل".\n'
        "وزير الخارجية البريطاني ديفيد كاميرون يتحدث في مؤتمر صحفي في الدوحة، 8 فبراير 2024.\n"
    )
    got = found(text, "2024-02-08")
    assert [g[2] for g in got] == ["ar-verb/vs"]
    assert got[0][3].startswith("قال")


# --- bylines -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("byline", ["كتب : وكالات", "كتبت: هدى محمود", "كتب - أحمد سمير"])
def test_a_byline_after_a_headline_is_no_statement(byline):
    text = f"المتحدث باسم الخارجية الأمريكية: ندعو إلى وقف التصعيد\n\n{byline}\n\nقال متحدث باسم وزارة الخارجية الأمريكية إن واشنطن تدعو إلى التهدئة."
    got = found(text, "2023-08-14")
    assert all(byline not in g[3] for g in got)
    assert [g[0] for g in got] == ["us-state-department", "us-state-department"]


def test_a_speaker_writing_a_quotation_is_still_a_statement():
    text = "قال وزير الدفاع الأمريكي أشتون كارتر إن الزيارة مهمة.\nوكتب: «نحلق الآن فوق الخليج مع أفضل الطيارين»."
    got = found(text, "2015-07-20")
    assert [(g[0], g[2]) for g in got] == [("us-pentagon", "ar-verb/vs"), ("us-pentagon", "ar-verb/pronoun")]


# --- an apposition holds the post; what follows it is the verb's object ----------------------------
@pytest.mark.parametrize(
    ("text", "day"),
    [
        # a post in an association at the body, and the tracked person named after the apposition closed
        # is who was praised
        (
            "ونوه ديفيد ليفي، المدير السابق لنادي الصحافة في وزارة الخارجية الأمريكية، ببلينكن لدعمه حرية الإعلام.",
            "2023-05-01",
        ),
        (
            "وأشادت ماري جونز، رئيسة نقابة العاملين في وزارة الدفاع الأمريكية، بأوستن لرفعه الأجور.",
            "2023-05-01",
        ),
        (
            "وأشاد مارك لي، رئيس رابطة محرري شؤون الخارجية الأمريكية، ببلينكن لعودة الإحاطات اليومية.",
            "2021-04-01",
        ),
    ],
)
def test_an_association_at_a_body_and_the_object_after_it_are_not_the_body(text, day):
    assert_untracked(text, day, "ar")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # "what happened during X's hearing": a clause, not X's post
        ("وأشارت الصحيفة إلى ما جرى خلال جلسة استماع أوستن، حين انتقد خطط الانسحاب.", "2021-09-30"),
        ("ولفتت المجلة إلى ما قاله مسؤولون عن بلينكن، مشيرة إلى خلافات داخلية.", "2023-02-10"),
    ],
)
def test_a_tracked_name_inside_a_what_clause_is_not_the_subject(text, day):
    assert_untracked(text, day, "ar")


def test_a_body_inside_the_apposition_still_speaks():
    text = "وقال جون دو، المسؤول في وزارة الخارجية الأمريكية، إن المحادثات مستمرة."
    got = found(text, "2023-03-01")
    assert [(g[0], g[2]) for g in got] == [("us-state-department", "ar-verb/apposition")]


# --- a full stop set apart by spaces ends an Arabic sentence ------------------------------------------
@pytest.mark.parametrize("stop", [" . ", " .  "])
def test_a_full_stop_between_spaces_ends_an_arabic_sentence(stop):
    text = (
        f"وأعلنت وزارة الدفاع البريطانية أن السفينة وصلت إلى الميناء عام 2019{stop}"
        "وكانت السفينة قد أبحرت من بورتسموث قبل عامين في مهمة طويلة."
    )
    got = found(text, "2021-03-01")
    assert [(g[0], g[2]) for g in got] == [("uk-government", "ar-verb/vs")]
    assert got[0][3].endswith("2019 .")
    # a mark after a space before Latin text, and an ellipsis, still end nothing
    from reactions.text import split_sentences

    assert len(split_sentences("قال إن ... الوضع صعب")) == 1
    assert len(split_sentences("He said . and then")) == 1


# --- an adverb or a preposition right after the verb: the speaker goes on ----------------------------
@pytest.mark.parametrize(
    "second",
    [
        "وانتقد خصوصا الحكومة السودانية لتقييدها عمل المراقبين.",
        "وندد بشدة بالهجمات على المدنيين في دارفور.",
        "وأضاف أمام الصحفيين في جنيف: «لن نصمت على هذه الانتهاكات».",
        "وقال لدى وصوله إلى نيروبي إن المساءلة ضرورية.",
    ],
)
def test_an_adverb_or_preposition_after_the_verb_continues_the_speaker(second):
    text = "أعرب المفوض السامي لحقوق الإنسان فولكر تورك عن قلقه من تدهور الأوضاع في السودان.\n" + second
    got = found(text, "2023-06-10")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("un-ohchr", "volker-turk", "ar-verb/vs"),
        ("un-ohchr", "volker-turk", "ar-verb/pronoun"),
    ]


def test_an_adverb_then_a_tracked_subject_is_that_subject():
    text = "وانتقد بشدة وزير الخارجية الأمريكي أنتوني بلينكن الهجوم على القافلة."
    assert [(g[0], g[2]) for g in found(text, "2023-06-10")] == [("us-state-department", "ar-verb/vs")]


def test_an_adverb_then_another_speaker_breaks_the_chain():
    text = (
        "أعرب المفوض السامي لحقوق الإنسان فولكر تورك عن قلقه من تدهور الأوضاع في السودان.\n"
        "وانتقد بشدة وزير الخارجية الروسي سيرغي لافروف العقوبات الغربية."
    )
    got = found(text, "2023-06-10")
    assert [g[2] for g in got] == ["ar-verb/vs"]
    assert got[0][3].startswith("أعرب")


# --- verbs of speech the lexicon lacked: "نعى" (mourned) and "كرر" (repeated) -------------------------
@pytest.mark.parametrize(
    ("text", "day", "speaker", "rule"),
    [
        ("البنتاغون ينعى جنديين قتلا في هجوم بطائرة مسيرة", "2024-01-30", "us-pentagon", "ar-present/sv"),
        (
            "نعت وزارة الخارجية البريطانية الصحفي الراحل، مؤكدة أنه كان صوتا شجاعا.",
            "2022-05-12",
            "uk-government",
            "ar-verb/vs",
        ),
        (
            "وزير الدفاع الأمريكي يكرر دعوته إلى حماية المدنيين في غزة",
            "2023-12-02",
            "us-pentagon",
            "ar-present/sv",
        ),
        (
            "كرر المتحدث باسم الخارجية الأمريكية ماثيو ميلر أن واشنطن لا تدعم أي عملية في رفح.",
            "2024-03-20",
            "us-state-department",
            "ar-verb/vs",
        ),
    ],
)
def test_mourning_and_repeating_report_a_statement(text, day, speaker, rule):
    assert [(g[0], g[2]) for g in found(text, day)] == [(speaker, rule)]


def test_someone_else_repeating_is_theirs():
    assert_untracked("كرر الجيش الإسرائيلي دعوته السكان إلى إخلاء منازلهم في الشمال.", "2023-10-20", "ar")


# --- Spanish names with a silent H: "أورتادو" is Hurtado ----------------------------------------------
def test_hurtado_spelt_without_the_h_is_the_ohchr_spokesperson():
    text = (
        "قالت مارتا أورتادو، المتحدثة باسم مفوضية الأمم المتحدة لحقوق الإنسان، إن الاعتقالات تعسفية.\n"
        'وأضافت أورتادو في جنيف: "يجب الإفراج عنهم فورا".'
    )
    got = found(text, "2024-05-03")
    assert [(g[0], g[1]) for g in got] == [("un-ohchr", "marta-hurtado")] * 2


# --- "the official" after a sentence naming another woman is her -------------------------------------
def test_the_official_after_a_sentence_naming_another_person_is_not_the_speaker():
    text = (
        "قالت المتحدثة باسم الخارجية الأمريكية مورغان أورتاغوس إن واشنطن قلقة من التصعيد.\n"
        "وجاءت تصريحاتها بعد انتقادات وجهتها موسكو على لسان ماريا زاخاروفا لسياسة العقوبات.\n"
        "وتنفي المسؤولة أن تكون بلادها وراء الهجوم."
    )
    got = found(text, "2019-09-10")
    assert [g[3][:5] for g in got] == ["قالت "]


def test_the_official_after_a_silent_sentence_naming_nobody_else_is_still_the_speaker():
    text = (
        "قالت المتحدثة باسم الخارجية الأمريكية مورغان أورتاغوس إن واشنطن قلقة من التصعيد.\n"
        "وجاءت تصريحاتها بعد انتقادات وجهتها موسكو لسياسة العقوبات.\n"
        "وتنفي المسؤولة أن تكون بلادها وراء الهجوم."
    )
    got = found(text, "2019-09-10")
    assert [(g[0], g[2]) for g in got] == [
        ("us-state-department", "ar-verb/vs"),
        ("us-state-department", "ar-present/vs"),
    ]


# --- "قال X:" closing a line: the unquoted paragraphs after it are X's (a press release's block) -------
_RELEASE = (
    "وزير الخارجية يلتقي نظيره الفرنسي\n"
    "وبعد اللقاء، قال وزير الخارجية البريطاني ويليام هيغ:\n"
    "سعدت باستقبال زميلي في لندن اليوم. إن شراكتنا مع فرنسا أساس أمن أوروبا.\n"
    "ونحن ندين الهجوم على البعثة الدبلوماسية في طرابلس.\n"
)


def test_paragraphs_after_a_speaker_line_ending_in_a_colon_are_the_speakers():
    got = found(_RELEASE + "ملاحظات للمحررين\nوتقع السفارة في وسط العاصمة الليبية.", "2013-04-10")
    # (the speaker line and the first sentence it announces are one statement)
    assert [(g[0], g[1], g[2]) for g in got] == [("uk-government", "william-hague", "ar-verb/vs")] + [
        ("uk-government", "william-hague", "block-continuation")
    ] * 2
    assert got[0][3].startswith("وبعد اللقاء") and got[0][3].endswith("في لندن اليوم.")
    assert got[-1][3].startswith("ونحن ندين")  # the heading ends the block: the embassy's line is nobody's


def test_the_block_ends_when_someone_else_speaks():
    got = found(_RELEASE + "وقال متحدث باسم الحكومة الفرنسية إن الزيارة كانت ناجحة.", "2013-04-10")
    assert [g[2] for g in got] == ["ar-verb/vs"] + ["block-continuation"] * 2


def test_a_colon_inside_a_paragraph_opens_no_block():
    text = (
        'وقال وزير الخارجية البريطاني ويليام هيغ: "ندين الهجوم".\n'
        "وتقع السفارة في وسط العاصمة الليبية وتعرضت لهجمات سابقة."
    )
    assert [g[2] for g in found(text, "2013-04-10")] == ["ar-verb/vs"]


def test_a_page_cut_off_in_the_block_drops_the_few_words_left():
    got = found(_RELEASE + "لكننا لن نقبل بأي ت", "2013-04-10")
    assert [g[3][:8] for g in got][-1] == "ونحن ندي"
    # with a reporting verb of its own, the cut sentence stays the speaker's
    got = found(_RELEASE + 'وتابع: "ربما هناك العشرات م', "2013-04-10")
    assert got[-1][2] == "ar-verb/pronoun"


# --- "رد" reports speech with what it answered; "ورد X ضد ..." in a list is a noun ---------------------
@pytest.mark.parametrize(
    ("text", "day", "speaker"),
    [
        (
            "ورد المتحدث باسم البنتاغون جون كيربي على سؤال بشأن الضربات قائلا إنها دفاعية.",
            "2021-09-01",
            "us-pentagon",
        ),
        ("وردت وزارة الخارجية البريطانية بالقول إن السفير سيبقى في منصبه.", "2020-02-11", "uk-government"),
    ],
)
def test_reply_with_what_was_answered_is_a_statement(text, day, speaker):
    assert [(g[0], g[2]) for g in found(text, day)] == [(speaker, "ar-verb/vs")]


def test_a_response_in_a_list_does_not_break_the_speakers_turn():
    text = (
        "وقالت المتحدثة باسم مفوضية الأمم المتحدة لحقوق الإنسان ليز ثروسل إن المفوض السامي قلق من الضربات"
        " على المدن، ورد روسيا العسكري في الجنوب، واتساع رقعة القتال.\n"
        "وأكدت أن القانون الدولي يحمي المدنيين في كل الأحوال."
    )
    got = found(text, "2022-03-15")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("un-ohchr", "liz-throssell", "ar-verb/vs"),
        ("un-ohchr", "liz-throssell", "ar-verb/pronoun"),
    ]


# --- a minister named as a member of parliament speaks as one -----------------------------------------
@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "وكتب عضو البرلمان البريطاني بوريس جونسون، في مقال بصحيفة التلغراف، إن الاتفاق سيئ لبريطانيا.",
            "2017-10-02",
        ),
        ("وقال النائب ديفيد لامي إن حزبه سيصوت ضد مشروع القانون.", "2024-09-01"),
    ],
)
def test_a_minister_named_as_a_member_of_parliament_is_not_the_government(text, day):
    assert_untracked(text, day, "ar")


def test_the_same_minister_named_by_his_post_is_the_government():
    text = "وقال وزير الخارجية البريطاني ديفيد لامي إن بلاده ستواصل دعم أوكرانيا."
    assert [(g[0], g[1]) for g in found(text, "2024-09-01")] == [("uk-government", "david-lammy")]


# --- a person's name in quotation marks is the name, not a quotation -----------------------------------
@pytest.mark.parametrize("name", ['"أوستن"', "«أوستن»", "“أوستن”"])
def test_a_quoted_surname_after_the_full_name_is_the_subject(name):
    text = (
        "قال وزير الدفاع الأمريكي لويد أوستن إن القوات ستبقى في المنطقة.\n"
        f"وتوجه {name} بعد ذلك إلى عمان في جولة تشمل ثلاث دول.\n"
        f'وقال {name} للصحفيين: "لن نسمح بتهديد قواتنا".'
    )
    got = found(text, "2023-11-05")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("us-pentagon", "lloyd-austin", "ar-verb/vs"),
        ("us-pentagon", "lloyd-austin", "ar-verb/vs"),
    ]


def test_a_quoted_word_that_names_nobody_is_still_a_quotation():
    text = 'قال وزير الدفاع الأمريكي لويد أوستن إن الهجوم "إرهابي".\nووصف "الهجوم" بأنه مدان.'
    got = found(text, "2023-11-05")
    assert got[0][2] == "ar-verb/vs"
    assert all(g[2] != "ar-verb/vs" for g in got[1:])


# --- ".." inside a headline joins its two parts; in a paragraph it ends a sentence ----------------------
@pytest.mark.parametrize(
    ("headline", "speaker"),
    [
        ("الخارجية البريطانية تحذر.. التصعيد في البحر الأحمر يهدد الملاحة", "uk-government"),
        ("قبيل جولته في المنطقة.. أوستن يتعهد بالرد على الهجمات", "us-pentagon"),
    ],
)
def test_two_dots_inside_a_headline_keep_it_one_statement(headline, speaker):
    got = found(headline + "\nوتشهد المنطقة توترا متصاعدا منذ أشهر.", "2024-01-20")
    assert [(g[0], g[3]) for g in got] == [(speaker, headline)]


def test_two_dots_in_a_paragraph_still_end_the_sentence():
    text = (
        "وقال وزير الخارجية الأمريكي أنتوني بلينكن إن واشنطن ملتزمة بأمن شركائها في الخليج وتعمل مع الحلفاء"
        " على خفض التوتر في المنطقة.. مؤكدا أن الحل الدبلوماسي ممكن رغم التصعيد الأخير في البحر الأحمر."
    )
    got = found(text, "2024-01-20")
    assert len(got) == 2
    assert got[0][3].endswith("المنطقة..")


# --- "متحدث باسم الوزارة" after the ministry spoke is its spokesperson, whatever the genders -----------
@pytest.mark.parametrize(
    ("first", "speaker"),
    [
        ("أدانت وزارة الخارجية الأمريكية الهجوم على القنصلية في أربيل.", "us-state-department"),
        ("نفت وزارة الدفاع البريطانية التقارير عن إرسال قوات إلى المنطقة.", "uk-government"),
    ],
)
def test_a_spokesman_of_the_ministry_after_the_ministry_speaks_for_it(first, speaker):
    text = first + '\nوقال متحدث باسم الوزارة في بيان: "سنواصل متابعة الوضع عن كثب".'
    got = found(text, "2022-03-14")
    assert [(g[0], g[2]) for g in got] == [(speaker, "ar-verb/vs"), (speaker, "ar-verb/vs")]


def test_a_spokesman_of_the_ministry_after_another_countrys_ministry_is_theirs():
    text = (
        "أدانت وزارة الخارجية الروسية الهجوم على القنصلية في أربيل.\n"
        'وقال متحدث باسم الوزارة في بيان: "سنواصل متابعة الوضع عن كثب".'
    )
    assert found(text, "2022-03-14") == []


# --- Zeid Ra'ad as Arabic papers call him after the first mention --------------------------------------
@pytest.mark.parametrize("name", ["ابن رعد", "رعد الحسين"])
def test_zeid_by_the_names_arabic_papers_use_is_the_high_commissioner(name):
    got = found(f"وقال {name} في مؤتمر صحفي في جنيف إن الانتهاكات في اليمن ترقى إلى جرائم حرب.", "2017-09-11")
    assert [(g[0], g[1], g[2]) for g in got] == [("un-ohchr", "zeid-raad-al-hussein", "ar-verb/vs")]


def test_zeid_after_his_term_is_not_the_office():
    assert_untracked("وقال ابن رعد في محاضرة بجامعة في نيويورك إن النظام الدولي يتآكل.", "2020-02-01", "ar")


# --- a body's name in quotation marks before a headline's verb is its subject --------------------------
@pytest.mark.parametrize(
    ("headline", "speaker"),
    [
        ("«البنتاغون» ينفي إرسال قوات برية إلى سوريا", "us-pentagon"),
        ('"الخارجية الأمريكية" تدين اقتحام السفارة في بغداد', "us-state-department"),
    ],
)
def test_a_quoted_body_opening_a_headline_is_its_subject(headline, speaker):
    assert [(g[0], g[2]) for g in found(headline, "2020-01-02")] == [(speaker, "ar-present/sv")]


def test_a_quoted_other_body_opening_a_headline_is_theirs():
    assert_untracked("«الخارجية الروسية» تدين اقتحام السفارة في بغداد", "2020-01-02", "ar")


# --- "صرح بذلك X" / "قال ذلك X": the speaker comes after "that" --------------------------------------------
def test_the_speaker_after_bidhalik_is_the_subject():
    text = (
        "تعتزم الولايات المتحدة إرسال مدمرة إضافية إلى البحر الأحمر. صرح بذلك المتحدث باسم البنتاغون"
        " جون كيربي في إفادة صحفية.\nوأضاف: «لن نتردد في حماية الملاحة»."
    )
    got = found(text, "2022-03-01")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("us-pentagon", "john-kirby", "ar-verb/vs"),
        ("us-pentagon", "john-kirby", "ar-verb/pronoun"),
    ]


def test_someone_else_after_bidhalik_is_theirs():
    assert_untracked(
        "صرح بذلك المتحدث باسم الخارجية الإيرانية ناصر كنعاني في مؤتمر صحفي.", "2023-02-01", "ar"
    )


# --- "يعتقد" (believes) with a tracked subject states a position; the passive "يعتقد أن" names nobody ----
def test_a_tracked_body_believing_states_a_position():
    got = found("ويعتقد البنتاغون أن الصاروخ أطلق من الأراضي اليمنية.", "2024-01-29")
    assert [(g[0], g[2]) for g in got] == [("us-pentagon", "ar-present/vs")]


def test_it_is_believed_continues_nobody():
    text = (
        "قال المتحدث باسم البنتاغون بات رايدر إن التحقيق مستمر.\n"
        "ويعتقد أن الصاروخ أطلق من منطقة خاضعة لسيطرة الحوثيين."
    )
    got = found(text, "2024-01-29")
    assert [g[2] for g in got] == ["ar-verb/vs"]


# --- a post at a tracked body opening the subject, then the holder's name, then what was said ----------
def test_a_post_at_the_body_then_a_name_speaks_for_the_body():
    text = (
        "وقال رئيس قسم الشرق الأوسط في مفوضية الأمم المتحدة لحقوق الإنسان، كريم شاكر، في مؤتمر صحفي،"
        " إن عمليات الإعدام ازدادت.\nوأضاف أن المفوضية طلبت زيارة السجون."
    )
    got = found(text, "2021-06-02")
    assert [(g[0], g[2]) for g in got] == [
        ("un-ohchr", "ar-verb/apposition"),
        ("un-ohchr", "ar-verb/pronoun"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "وقال رئيس قسم الشرق الأوسط في وزارة الخارجية الروسية، كريم شاكر، في مؤتمر صحفي، إن الوضع خطير.",
        "وقال رئيس نقابة العاملين في وزارة الدفاع الأمريكية، مارك جونز، إن الأجور لم ترتفع.",
    ],
)
def test_a_post_at_another_body_or_an_association_is_not_the_body(text):
    assert_untracked(text, "2021-06-02", "ar")


# --- a headline's verb in quotation marks is the verb -------------------------------------------------
@pytest.mark.parametrize(
    ("headline", "speaker"),
    [
        ("وزيرة الخارجية البريطانية «تحذر» طهران من العواقب", "uk-government"),
        ('البنتاغون "ينفي" إرسال قوات إضافية إلى الخليج', "us-pentagon"),
    ],
)
def test_a_quoted_verb_in_a_headline_is_the_verb(headline, speaker):
    assert [(g[0], g[2]) for g in found(headline, "2022-05-05")] == [(speaker, "ar-present/sv")]


def test_a_quoted_word_that_is_no_verb_stays_a_quotation():
    # "«إرهابي»" is the minister's word, not a verb: no statement from the marks alone
    assert found("وزيرة الخارجية البريطانية والهجوم «الإرهابي» في مانشستر", "2022-05-05") == []


# --- a masculine verb before a country or capital: the country is the object ---------------------------
@pytest.mark.parametrize(
    "second", ["ودعا إسرائيل إلى فتح المعابر.", "وحث موسكو على سحب قواتها.", "وانتقد طهران بشدة."]
)
def test_a_country_after_a_masculine_verb_is_its_object(second):
    text = "قال وزير الخارجية الأمريكي أنتوني بلينكن إن الوضع الإنساني كارثي.\n" + second
    got = found(text, "2023-11-03")
    assert [(g[0], g[2]) for g in got] == [
        ("us-state-department", "ar-verb/vs"),
        ("us-state-department", "ar-verb/object-first"),
    ]


def test_a_country_after_a_feminine_verb_is_its_subject():
    text = (
        "قال وزير الخارجية الأمريكي أنتوني بلينكن إن الوضع الإنساني كارثي.\n"
        "ودعت إسرائيل إلى الضغط على حماس لإطلاق الرهائن."
    )
    got = found(text, "2023-11-03")
    assert [g[2] for g in got] == ["ar-verb/vs"]
    assert got[0][3].startswith("قال")


# --- an act right after the verb ("وأدان اغتيال ...") is what was condemned: the speaker goes on --------
@pytest.mark.parametrize("clause", ["وأدان اغتيال الصحفي", "وندد بقصف المستشفى", "واستنكر اعتقال الناشطين"])
def test_an_act_after_the_verb_is_its_object(clause):
    text = f"قال وزير الخارجية البريطاني جيمس كليفرلي إن لندن تتابع الأحداث، {clause} في المدينة."
    got = found(text, "2023-04-20")
    assert [(g[0], g[2]) for g in got] == [("uk-government", "ar-verb/vs")]
    assert got[0][3].endswith("في المدينة.")


# --- a speaker's block ends at the page's own narration --------------------------------------------------
def test_an_arabic_block_ends_at_a_paragraph_with_its_own_verb_of_saying():
    # the list after 'وهي:' was cut from the page; the paragraphs after it are the reporter's, quoting others
    text = (
        "وقال وزير الدفاع الأمريكي لويد أوستن في مؤتمر صحفي بالبنتاغون إن القوات ضربت ثلاثة أهداف وهي:\n"
        "وبثت وكالة الأنباء الرسمية بيانا لوزارة الدفاع في دمشق قالت فيه إن الدفاعات تصدت للصواريخ.\n"
        "وأشار التلفزيون الرسمي إلى أن مخزنا للذخيرة قد أصيب.\n"
        "وأضاف أن جنديين أصيبا بجروح."
    )
    got = found(text, "2024-02-03")
    assert [(g[0], g[2]) for g in got] == [("us-pentagon", "ar-verb/vs")]


def test_an_arabic_block_still_carries_the_speakers_unquoted_words():
    # positive control: paragraphs with no verb of saying of their own stay the minister's
    text = (
        "وبعد الاجتماع، قال وزير الخارجية البريطاني ديفيد لامي:\n"
        "لن نقبل بأي حال من الأحوال استمرار هذا العنف ضد المدنيين.\n"
        "إن المملكة المتحدة ستواصل العمل مع شركائها من أجل وقف فوري لإطلاق النار."
    )
    got = found(text, "2024-11-20")
    assert [g[0] for g in got] == ["uk-government"] * len(got)
    assert any(g[2] == "block-continuation" and "وقف فوري" in g[3] for g in got)


# --- a capital after a noun that looks like a masculine verb is that noun's owner --------------------------
def test_a_capital_after_a_verbal_noun_is_not_the_ministers_object():
    # 'رد القاهرة' is Cairo's reply (a noun), not the minister's verb with Cairo as its object
    text = (
        'وانتقد وزير الخارجية الأمريكي أنتوني بلينكن الحكم ووصفه بأنه "جائر"، بينما كان رد القاهرة في بيان '
        'أصدرته وزارتها أنه "تدخل مرفوض في الشؤون الداخلية".'
    )
    got = found(text, "2023-05-10")
    assert [g[0] for g in got] == ["us-state-department"]
    assert "تدخل مرفوض" not in got[0][3]
