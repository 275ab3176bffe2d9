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


# --- "جاء ذلك خلال ..." says where the words were said: the speaker's turn goes on ------------------
@pytest.mark.parametrize(
    "between",
    [
        "جاء ذلك خلال تقديمه تقريره السنوي أمام مجلس حقوق الإنسان في جنيف.",
        "وجاء ذلك في مؤتمر صحفي عقده في جنيف.",
        "وجاءت تصريحاته في افتتاح الدورة الجديدة للمجلس.",
    ],
)
def test_an_occasion_sentence_does_not_end_the_turn(between):
    text = (
        "حذر مفوض الأمم المتحدة السامي لحقوق الإنسان زيد رعد الحسين من اتساع رقعة الانتهاكات في العالم.\n"
        f"{between}\n"
        "وقال إن العام الماضي شهد سفك دماء بشكل غير عادي.\n"
    )
    got = found(text, "2017-02-28")
    assert [g[:3] for g in got] == [
        ("un-ohchr", "zeid-raad-al-hussein", "ar-verb/vs"),
        ("un-ohchr", "zeid-raad-al-hussein", "ar-verb/pronoun"),
    ]


def test_background_brought_in_by_yati_dhalik_still_ends_the_turn():
    text = (
        "قالت المتحدثة باسم مفوضية الأمم المتحدة السامية لحقوق الإنسان مارتا أورتادو إنها قلقة.\n"
        "يأتي ذلك في أعقاب انتقادات من ألمانيا ودول أخرى هذا الأسبوع.\n"
        "وقالت إن الحكومة ستراجع موقفها.\n"
    )
    assert [g[2] for g in found(text, "2026-02-13")] == ["ar-verb/vs"]


# --- a title followed by its verb's object ("وانتقد المفوض سياسات ..."): the title speaks ----------
@pytest.mark.parametrize(
    "second",
    [
        "وانتقد المفوض سياسات حكومة ميانمار تجاه المسلمين.",
        "وانتقد المفوض السامي قرار السلطات منع دخول الخبراء.",
    ],
)
def test_a_title_then_the_object_is_the_titles_statement(second):
    text = f"حذر مفوض الأمم المتحدة السامي لحقوق الإنسان زيد رعد الحسين من اتساع رقعة الانتهاكات.\n{second}\n"
    got = found(text, "2017-02-28")
    assert [(g[0], g[2]) for g in got] == [("un-ohchr", "ar-verb/vs"), ("un-ohchr", "ar-verb/vs")]


def test_a_title_then_an_unknown_name_is_still_someone_else():
    text = (
        "حذر مفوض الأمم المتحدة السامي لحقوق الإنسان زيد رعد الحسين من اتساع رقعة الانتهاكات.\n"
        "وقال وزير الخارجية عادل الجبير إن بلاده ترفض التقرير.\n"
    )
    assert [g[2] for g in found(text, "2017-02-28")] == ["ar-verb/vs"]


# --- a verb of saying in another sense: "يبلغ من العمر" is an age --------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "ديفيد كاميرون، وزير الخارجية البريطاني الجديد، يبلغ من العمر 57 عامًا، وهو مولود في لندن.",
        "وعينت المتحدثة في الخارجية الأميركية عام 2013 وتبلغ من العمر 36 عاما.",
        "ويبلغ طوله 1.86 متر بحسب سيرته الرسمية، وهو وزير الخارجية البريطاني الجديد.",
    ],
)
def test_an_age_is_no_statement(text):
    assert found(text, "2023-11-13") == []


def test_the_same_verb_informing_is_still_one():
    got = found("البنتاغون يبلغ الكونغرس بخطة لنشر قوات إضافية", "2023-11-13")
    assert [(g[0], g[2]) for g in got] == [("us-pentagon", "ar-present/sv")]


# --- a relative pronoun that does not agree with the name before it belongs to the noun before that ---
def test_a_relative_of_the_noun_before_the_name_is_no_statement():
    text = "وجاء ستولتنبرغ عقب تصريحات أوستن التي أعربت أيضا عن تعازيه لفقدان الجنود الأمريكيين."
    assert found(text, "2024-01-29") == []


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("وزير الدفاع لويد أوستن، الذي أعرب عن غضبه، تعهد بالرد على الهجوم.", "us-pentagon"),
        ("وكانت الخارجية الأمريكية التي أعلنت ذلك قد قالت إن الجنود أبطال.", "us-state-department"),
    ],
)
def test_a_relative_that_agrees_still_lets_the_name_speak(text, speaker):
    got = found(text, "2024-01-29")
    assert [(g[0], g[2]) for g in got] == [(speaker, "ar-verb/sv")]


# --- an Arabic announcement ending in a colon is one statement with the first sentence it announces ---
def test_an_arabic_announcement_line_joins_the_first_sentence():
    text = (
        "وذكر وزير الخارجية الأمريكي أنتوني بلينكن، خلال المؤتمر الصحفي من واشنطن:\n"
        "هناك آفاق مبشرة لمنطقة الشرق الأوسط بعد التوصل إلى اتفاق وقف إطلاق النار.\n"
        "التطبيق الكامل لاتفاق وقف إطلاق النار ضرورة.\n"
    )
    got = found(text, "2025-01-16")
    assert [g[2] for g in got] == ["ar-verb/vs", "block-continuation"]
    assert got[0][3].startswith("وذكر") and got[0][3].endswith("وقف إطلاق النار.")


# --- verbs the news reports speech with: "أصر", "تطرق ... قائلا", "شكر"; "وزاد:" only before a colon --
@pytest.mark.parametrize(
    ("second", "rule"),
    [
        ("لكن أوستن أصر على أن القوات ستبقى في المنطقة.", "ar-verb/sv"),
        ('وتطرق أوستن لأزمة إخفاء مرضه، قائلا: "لم أتعامل بشكل صحيح مع الأمر".', "ar-verb/vs"),
        ("ومن جانبه، شكر أوستن القادة العسكريين على عملهم خلال الأزمة.", "ar-verb/vs"),
        ('وزاد: "سنتخذ كل الإجراءات للدفاع عن المصالح الأمريكية".', "ar-verb/pronoun"),
        ('واستكمل، "سنرد في المكان والوقت المناسبين".', "ar-verb/pronoun"),
    ],
)
def test_more_verbs_of_saying(second, rule):
    text = f"قال وزير الدفاع الأمريكي لويد أوستن إن الهجوم على القوات خطير.\n{second}\n"
    got = found(text, "2024-02-01")
    assert [(g[0], g[2]) for g in got] == [("us-pentagon", "ar-verb/vs"), ("us-pentagon", rule)]


@pytest.mark.parametrize(
    "second",
    [
        "وزاد عدد القتلى في الهجوم إلى عشرة بحسب مصادر محلية.",
        "واستكمل الجيش انسحابه من المنطقة صباح اليوم.",
        "وتطرق الاجتماع إلى ملفات إقليمية عدة.",
    ],
)
def test_the_same_verbs_in_other_senses_say_nothing(second):
    text = f"قال وزير الدفاع الأمريكي لويد أوستن إن الهجوم على القوات خطير.\n{second}\n"
    assert [g[2] for g in found(text, "2024-02-01")] == ["ar-verb/vs"]


# --- a headline after an outlet's label with its own colon, a wire's "إعادة-" or a dateline ----------
@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("الوقائع الإخبارية : الخارجية البريطانية: سنستخدم الدبلوماسية للتوصل إلى وقف لإطلاق النار", "uk-government"),
        ("إعادة-البنتاجون: مقتل عسكريين اثنين من الجيش الأمريكي في سوريا", "us-pentagon"),
        ("تحديث 2-الخارجية الأمريكية: لا تغيير في موقفنا من الاتفاق", "us-state-department"),
    ],
)
def test_a_headline_after_a_label(text, speaker):
    assert [(g[0], g[2]) for g in found(text, "2025-12-13")] == [(speaker, "headline-colon")]


def test_a_sentence_before_the_colon_is_no_label():
    # a clause with its own verb before the first colon: the second colon's phrase is no headline subject
    text = "قال مراسلنا في لندن: الخارجية البريطانية: سنستخدم الدبلوماسية"
    assert all(g[2] != "headline-colon" for g in found(text, "2025-12-13"))


# --- relayed speech: a quoted outlet with an adjective before "عن"; a tracked speaker conveying words -
@pytest.mark.parametrize(
    "text",
    [
        'ونقلت صحيفة "بوليتيكو" المحلية عن متحدث باسم وزارة الدفاع الأميركية قوله إن المبنى مغلق.',
        'ونقلت صحيفة "بوليتيكو" المحلية عن متحدث باسم وزارة الدفاع الأميركية، جون سميث، قوله إن المبنى مغلق.',
        'ونقلت وكالة "رويترز" عن متحدث باسم وزارة الدفاع الأميركية قوله إن المبنى مغلق.',
    ],
)
def test_relayed_from_a_quoted_outlet(text):
    assert [(g[0], g[2]) for g in found(text, "2024-01-29")] == [("us-pentagon", "ar-relayed/an")]


def test_a_tracked_speaker_conveying_someones_words():
    text = 'ونقلت المتحدثة باسم مفوضية الأمم المتحدة لحقوق الإنسان رافينا شمداساني "قلق المفوضة الشديد".'
    assert [g[:3] for g in found(text, "2019-06-04")] == [("un-ohchr", "ravina-shamdasani", "ar-relayed/vs")]


def test_an_outlet_conveying_words_is_someone_else():
    assert_untracked('ونقلت وكالة رويترز "قلق المفوضة الشديد" عن مصادرها في جنيف.', "2019-06-04", "ar")


# --- a possessive after a title is its object, not a name: "فكررت المتحدثة إجابتها" ----------------
def test_a_possessive_after_a_title_is_no_name():
    text = (
        'وقالت المتحدثة باسم البنتاغون سابرينا سينغ: "ليس لدينا عناصر على الأرض".\n'
        'فكررت المتحدثة إجابتها: "ليس لدينا عناصر على الأرض في غزة".\n'
    )
    got = found(text, "2023-11-15")
    assert [(g[0], g[2]) for g in got] == [("us-pentagon", "ar-verb/vs")] * 2


# --- "أما بشأن X، فأكد Y": a preposition after "أما" is no topic subject -----------------------------
def test_ama_with_a_preposition_takes_the_subject_after_the_verb():
    text = "أما بشأن الحرب الروسية الأوكرانية، فأكد رئيس الوزراء البريطاني كير ستارمر أن البلدين يعملان معا."
    assert [g[:3] for g in found(text, "2025-09-18")] == [("uk-government", "keir-starmer", "ar-verb/vs")]


def test_ama_with_a_topic_still_takes_the_topic():
    text = "أما وزير الخارجية الروسي، فقد قال إن بلاده لن تتراجع."
    assert found(text, "2025-09-18") == []


# --- "المتحدثة الأميركية" continues the US spokesperson -----------------------------------------------
def test_the_american_spokeswoman_continues():
    text = (
        "وقالت المتحدثة باسم وزارة الخارجية الأمريكية هيذر نويرت إن الناشطة كانت شجاعة.\n"
        'وأضافت المتحدثة الأميركية أن الناشطة "دافعت بشجاعة عمن لا صوت لهم".\n'
    )
    got = found(text, "2018-02-12")
    assert [(g[0], g[2]) for g in got] == [("us-state-department", "ar-verb/vs")] * 2


# --- after someone else's words, ", فكرر X ..." is where the statement starts ------------------------
def test_a_coordinated_clause_after_someone_elses_words_starts_the_statement():
    text = (
        'ليعود ويؤكد المراسل على الاستفسار: "إذن ليس لديكم مصادر على الأرض"، '
        'فكررت المتحدثة باسم البنتاغون سابرينا سينغ إجابتها: "ليس لدينا عناصر على الأرض".'
    )
    got = found(text, "2023-11-15")
    assert [(g[0], g[2]) for g in got] == [("us-pentagon", "ar-verb/vs")]
    assert got[0][3].startswith("فكررت")


# --- "بعدما <verb> X" right after another speaker's words: X's clause, with or without a comma ------
def test_a_subordinate_clause_of_another_speaker_without_a_comma():
    text = (
        'واعتبر الناطق باسم الكرملين ديمتري بيسكوف "أنها اتهامات لا أساس لها" بعدما اتهمت الخارجية '
        'الأميركية، الثلاثاء، روسيا بأنها "مسؤولة" عن هذه الهجمات.'
    )
    got = found(text, "2018-02-22")
    assert [(g[0], g[2]) for g in got] == [("us-state-department", "ar-verb/vs")]
    assert got[0][3].startswith("بعدما اتهمت")


# --- "بيّن" (explained) only with what was said: "وبين أن ...", "بيّن بلينكن أن ..." -----------------
@pytest.mark.parametrize(
    ("second", "rule"),
    [
        ("وبين أن القاهرة وواشنطن تدعمان جهود المبعوث الأممي.", "ar-verb/pronoun"),
        ("وعن العلاقات مع الصين، بيّن بلينكن أن للصين رؤية مختلفة عن حقوق الإنسان.", "ar-verb/vs"),
    ],
)
def test_bayyana_with_what_was_said(second, rule):
    text = f"قال وزير الخارجية الأمريكي أنتوني بلينكن إن المحادثات كانت جيدة.\n{second}\n"
    got = found(text, "2023-06-19")
    assert [(g[0], g[2]) for g in got] == [("us-state-department", "ar-verb/vs"), ("us-state-department", rule)]


def test_bayna_as_between_says_nothing():
    text = (
        "قال وزير الخارجية الأمريكي أنتوني بلينكن إن المحادثات كانت جيدة.\n"
        "وبين البلدين خلافات قديمة حول التجارة والتكنولوجيا.\n"
    )
    assert [g[2] for g in found(text, "2023-06-19")] == ["ar-verb/vs"]


# --- a masculine verb before a feminine noun or an inanimate plural: that noun is its object ----------
@pytest.mark.parametrize(
    "second",
    [
        "ووصف الشركة الجديدة بأنها إشارة إلى تصميم البلدين على الفوز.",
        "واعتبر الانتهاكات التي وقعت في سوريا جرائم ضد الإنسانية.",
        "ورفض الكشف عن الجماعات المسؤولة عن الهجوم.",
    ],
)
def test_a_masculine_verb_then_its_object_continues(second):
    text = f"قال وزير الخارجية البريطاني ديفيد لامي إن الاتفاق تاريخي.\n{second}\n"
    got = found(text, "2024-07-20")
    assert [(g[0], g[2]) for g in got] == [
        ("uk-government", "ar-verb/vs"),
        ("uk-government", "ar-verb/object-first"),
    ]


def test_a_feminine_verb_with_a_feminine_subject_is_still_someone_else():
    text = (
        "قال وزير الخارجية البريطاني ديفيد لامي إن الاتفاق تاريخي.\n"
        "وقالت الحكومة الفرنسية إن الاتفاق يحتاج إلى مراجعة.\n"
    )
    assert [g[2] for g in found(text, "2024-07-20")] == ["ar-verb/vs"]


# --- the surname of someone the registry lacks, named once after a tracked title, speaks for that body -
@pytest.mark.parametrize(
    ("first", "second", "speaker"),
    [
        (
            "قال المتحدث باسم البنتاغون لشؤون القيادة الوسطى الكولونيل كونيه فولكنر إن الوزارة غيرت سياستها.",
            "وردا على سؤال عن سبب هذا التحول، أوضح فولكنر أن الواقع الميداني تغير.",
            "us-pentagon",
        ),
        (
            "وقالت المتحدثة باسم الخارجية البريطانية روزي دياز، إن لندن تتابع الوضع عن كثب.",
            "وفي وقت لاحق من اليوم، أكدت دياز أن السفارة ستبقى مفتوحة.",
            "uk-government",
        ),
    ],
)
def test_the_surname_of_an_unlisted_spokesperson(first, second, speaker):
    got = found(f"{first}\n{second}\n", "2019-02-13")
    assert [(g[0], g[1], g[2]) for g in got] == [(speaker, None, "ar-verb/vs"), (speaker, None, "ar-verb/surname")]


def test_a_surname_never_introduced_by_a_tracked_title_is_someone_else():
    text = (
        "قال المتحدث باسم البنتاغون لشؤون القيادة الوسطى الكولونيل كونيه فولكنر إن الوزارة غيرت سياستها.\n"
        "وأوضح سميث أن الواقع الميداني تغير.\n"
    )
    assert [g[2] for g in found(text, "2019-02-13")] == ["ar-verb/vs"]


# --- a page hard-wrapped mid-sentence: the line goes on after a name's first word, "في", an open mark ---
def test_lines_wrapped_mid_name_and_mid_sentence_are_one_sentence():
    text = (
        "هدد وزير الدفاع الأمريكي لويد\nأوستن الخميس بالرد على استهداف قاعدة عسكرية أمريكية في\n"
        "الأردن.\n"
        'وكرر أوستن أن "\nالولايات المتحدة سيكون لها رد متعدد المستويات".\n'
    )
    got = found(text, "2024-02-01")
    assert [(g[0], g[2]) for g in got] == [("us-pentagon", "ar-verb/vs")] * 2
    assert got[0][3].endswith("في\nالأردن.")
    assert got[1][3].endswith('متعدد المستويات".')


def test_a_story_cut_off_before_another_story_is_not_joined():
    text = (
        "وأضاف التقرير أن الطيار تحدث مع مراقبي الحركة الجوية في\n"
        "قال المتحدث باسم البنتاغون جون كيربي إن الطائرات جاهزة.\n"
    )
    got = found(text, "2022-03-01")
    assert [(g[0], g[2]) for g in got] == [("us-pentagon", "ar-verb/vs")]
    assert got[0][3].startswith("قال المتحدث")


def test_a_headline_line_without_a_full_stop_stays_apart():
    text = "البنتاغون يحذر من تصعيد جديد في المنطقة\nوقال المتحدث باسم البنتاغون جون كيربي إن القوات جاهزة.\n"
    got = found(text, "2022-03-01")
    assert [g[2] for g in got] == ["ar-present/sv", "ar-verb/vs"]


# --- "الممثلة الرسمية لوزارة ..." (RT's word for a spokesperson) is a spokesperson's title -------------
def test_the_official_representative_of_a_ministry_is_its_spokesperson():
    text = "أعلنت الممثلة الرسمية لوزارة الدفاع الأمريكية، سابرينا سينغ، أن الهجمات لم تسبب أضرارا كبيرة."
    assert [g[:3] for g in found(text, "2023-11-01")] == [("us-pentagon", "sabrina-singh", "ar-verb/apposition")]


def test_another_countrys_official_representative_stays_out():
    assert_untracked("وقالت الممثلة الرسمية لوزارة الخارجية الروسية ماريا زاخاروفا إن موسكو سترد.", "2023-11-01", "ar")


# --- a country stands for the one tracked body of it that the text names ------------------------------
@pytest.mark.parametrize(
    ("text", "speaker", "rule"),
    [
        (
            "أدانت المملكة المتحدة بقوة قرار الحكومة الإسرائيلية توسيع العمليات.\n"
            "وقال وزير الخارجية البريطاني ديفيد لامي إن القرار خاطئ.",
            "uk-government",
            "ar-verb/vs",
        ),
        (
            "بريطانيا تعرب عن قلقها الشديد إزاء أعمال العنف في القدس\n"
            "وقالت وزارة الخارجية البريطانية في بيان إن العنف يجب أن يتوقف.",
            "uk-government",
            "ar-present/sv",
        ),
        (
            'الولايات المتحدة تصف الاعتراف بدولة فلسطينية بأنه "استعراضي"\n'
            "وقال المتحدث باسم وزارة الخارجية الأمريكية إن الخطوة لا تساعد السلام.",
            "us-state-department",
            "ar-present/sv",
        ),
    ],
)
def test_a_country_for_the_one_body_the_text_names(text, speaker, rule):
    got = found(text, "2024-09-22")
    assert (got[0][0], got[0][2]) == (speaker, rule)
    assert got[0][3].startswith(("أدانت", "بريطانيا", "الولايات"))


@pytest.mark.parametrize(
    "text",
    [
        # the White House is named too: the United States may be either
        "أدانت الولايات المتحدة الهجوم.\nوقال البيت الأبيض إن الرد سيكون قاسيا. وقالت الخارجية الأمريكية إنها تتابع.",
        # no tracked body of the country is named at all
        "أدانت المملكة المتحدة الهجوم على السفينة في البحر الأحمر.",
    ],
)
def test_a_country_without_one_named_body_is_nobody(text):
    got = found(text, "2024-09-22")
    assert not any(g[3].startswith("أدانت") for g in got)


# --- a document and its author: "جاء ذلك في بيان صحفي أصدره X", "البيان الذي نشرته X" --------------------
@pytest.mark.parametrize(
    ("text", "speaker", "rule"),
    [
        ("جاء ذلك في بيان صحفي أصدره المفوض السامي لحقوق الإنسان في جنيف.", "un-ohchr", "ar-occasion-document"),
        ("وجاء ذلك في بيان للخارجية البريطانية نشرته على موقعها.", "uk-government", "ar-occasion-document"),
        (
            "وأضاف البيان الذي نشرته الحكومة البريطانية أن بريطانيا ترغب في رؤية إسرائيل آمنة.",
            "uk-government",
            "ar-verb/document",
        ),
    ],
)
def test_a_document_and_its_author(text, speaker, rule):
    assert [(g[0], g[2]) for g in found(text, "2024-04-14")] == [(speaker, rule)]


@pytest.mark.parametrize(
    "text",
    [
        "وأضاف البيان الذي نشرته وزارة الخارجية الروسية أن موسكو سترد.",
        "جاء ذلك في بيان صحفي أصدرته وزارة الخارجية الروسية في موسكو.",
    ],
)
def test_another_countrys_document_stays_out(text):
    assert found(text, "2024-04-14") == []


# --- the subject of a verb opening the sentence (or its clause after a comma) speaks for a later "وأعلن" -
@pytest.mark.parametrize(
    "text",
    [
        "بعد أشهر من الضغط الشعبي، حسم رئيس الوزراء البريطاني كير ستارمر قراره وأعلن رسميا الاعتراف بالدولة.",
        "التقى وزير الخارجية الأمريكي ماركو روبيو نظيره الفرنسي في باريس، وأكد أن البلدين متفقان.",
    ],
)
def test_the_clause_subject_speaks_for_a_later_verb(text):
    got = found(text, "2025-09-21")
    assert [(g[0], g[2]) for g in got] == [(got[0][0], "ar-verb/pronoun")]
    assert got[0][0] in ("uk-government", "us-state-department")


def test_a_phrase_after_another_word_is_no_clause_subject():
    # the tracked phrase is the object of a verb whose subject is someone else ("استقبل الرئيس المصري ...")
    text = "استقبل الرئيس المصري وزير الخارجية الأمريكي ماركو روبيو وأكد أن العلاقات قوية."
    assert found(text, "2025-09-21") == []
