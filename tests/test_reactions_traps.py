"""The traps named in the issue: look-alike bodies, continuation chains, punctuation and markup."""

from lookalikes import assert_untracked

from reactions import extract


def speakers(text: str, **kw: object) -> list[tuple[str, str]]:
    return [(s.speaker, s.text) for s in extract(text, **kw)]


def test_syrian_observatory_for_human_rights_is_not_the_un_human_rights_office():
    ar = "قال المرصد السوري لحقوق الإنسان إن عدد القتلى ارتفع إلى 40 شخصا في ريف حلب."
    en = "The Syrian Observatory for Human Rights said at least 40 people were killed near Aleppo."
    assert_untracked(ar, "2021-05-02")
    assert_untracked(en, "2021-05-02")


def test_un_human_rights_office_is_still_recognised_next_to_the_observatory():
    text = (
        "وقال المرصد السوري لحقوق الإنسان إن القصف استمر طوال الليل. "
        "من جهتها، قالت مفوضية الأمم المتحدة لحقوق الإنسان إنها تشعر بقلق بالغ على سلامة المدنيين."
    )
    got = speakers(text, published="2021-05-02")
    assert [sp for sp, _ in got] == ["un-ohchr"]
    assert got[0][1].startswith("من جهتها")


def test_statement_added_after_an_sdf_statement_belongs_to_nobody_tracked():
    text = (
        "وأعلنت قوات سوريا الديمقراطية في بيان مقتل 12 مسلحا خلال عملية أمنية. "
        "وأضاف البيان أن العملية ما زالت مستمرة في الأحياء الجنوبية."
    )
    assert_untracked(text, "2022-02-01")


def test_added_in_a_tweet_continues_the_uk_foreign_office():
    text = (
        "بدورها، أدانت وزارة الخارجية البريطانية الهجوم على القافلة الإنسانية. "
        'وأضافت في تغريدة "يجب محاسبة المسؤولين عن هذا الاعتداء".'
    )
    got = extract(text, published="2022-02-01")
    assert [s.speaker for s in got] == ["uk-government", "uk-government"]
    assert got[1].text.startswith("وأضافت في تغريدة")
    assert got[1].kind == "direct"


def test_a_sentence_by_someone_else_breaks_the_continuation_chain():
    text = (
        "وقال المتحدث باسم البنتاغون إن القوات الأمريكية نفذت ثلاث غارات. "
        "وقال مسؤول محلي إن الغارات أصابت مستودعا للأسلحة. "
        "وأضاف أن الحرائق استمرت حتى الصباح."
    )
    got = extract(text, published="2019-03-01")
    assert [s.speaker for s in got] == ["us-pentagon"]


def test_continuation_verb_gender_must_agree_with_the_speaker():
    text = (
        "وقال وزير الدفاع الأمريكي إن بلاده لن تسحب قواتها من المنطقة. "
        "وأضافت أن المفاوضات ستستأنف الأسبوع المقبل."
    )
    got = extract(text, published="2019-03-01")
    assert [s.speaker for s in got] == ["us-pentagon"]


def test_non_breaking_space_before_a_quotation():
    text = "وقالت الخارجية الأمريكية في بيان:\u00a0“نحن ملتزمون بدعم الشعب السوداني”."
    got = extract(text, published="2023-05-01")
    assert len(got) == 1
    assert got[0].speaker == "us-state-department"
    assert got[0].kind == "direct"
    assert got[0].quotes == ("نحن ملتزمون بدعم الشعب السوداني",)


def test_sentences_joined_by_a_full_stop_without_a_space():
    text = (
        "واستمرت الاشتباكات في المدينة حتى ساعات الفجر.وقال وزير الدفاع الأمريكي لويد أوستن "
        "إن واشنطن تتابع الوضع عن كثب."
    )
    got = extract(text, published="2023-03-01")
    assert len(got) == 1
    assert got[0].text.startswith("وقال وزير الدفاع الأمريكي")
    assert got[0].person == "lloyd-austin"


def test_wordpress_shortcodes_after_the_text_are_ignored():
    body = "وأكدت الخارجية البريطانية أنها ستواصل تقديم المساعدات الإنسانية."
    shortcode = (
        "\n\n[covid19-ultimate-card region=”EG” region-name=”مصر” confirmed-label=”اجمالي الحالات” "
        "font-color=”#ffffff” rtl=”true” last-update-label=”تم تحديث البيانات في :”]"
    )
    got = extract(body + shortcode, published="2021-01-10")
    assert [(s.speaker, s.start, s.end) for s in got] == [("uk-government", 0, len(body))]


def test_bahraini_foreign_ministry_alone_is_not_the_state_department():
    text = "وأكدت وزارة الخارجية، في بيان، دعم مملكة البحرين الكامل لجهود التهدئة في المنطقة."
    assert_untracked(text, "2019-01-01")


def test_other_countries_ministries_are_not_tracked():
    text = "قالت وزارة الخارجية الروسية إن العقوبات الجديدة غير قانونية."
    assert_untracked(text, "2019-01-01")
    en = "Chinese Foreign Ministry spokesman Wang Wenbin said the remarks were groundless."
    assert_untracked(en, "2022-01-01")


def test_white_house_is_not_the_state_department():
    text = "The White House said on Monday that the president would travel to Brussels next week."
    assert_untracked(text, "2022-03-01")


def test_special_rapporteurs_and_un_secretary_general_are_not_ohchr():
    text = (
        "UN special rapporteur Francesca Albanese said the operation amounted to collective punishment. "
        "UN Secretary-General Antonio Guterres said he was deeply alarmed."
    )
    assert_untracked(text, "2024-01-10")


def test_english_continuation_quote_paragraph_follows_the_speakers_quote():
    text = (
        '"We are deeply concerned by these reports," State Department spokesman Ned Price said.\n'
        '"We call on all sides to exercise restraint."'
    )
    got = extract(text, published="2022-02-10")
    assert [s.speaker for s in got] == ["us-state-department", "us-state-department"]
    assert all(s.person == "ned-price" for s in got)


def test_pronoun_continuation_in_english():
    text = (
        "British Foreign Secretary James Cleverly condemned the attack on Tuesday. "
        '"This is a flagrant breach of international law," he said.'
    )
    got = extract(text, published="2023-02-07")
    assert [(s.speaker, s.person) for s in got] == [("uk-government", "james-cleverly")] * 2


SYRIA_ARTICLE = 'غارات جديدة على إدلب وسط تحذيرات أممية\nقال المرصد السوري لحقوق الإنسان إن 12 مدنيا قتلوا في غارات على ريف إدلب الجنوبي. وأضاف المرصد أن طائرات روسية نفذت معظم الغارات.\nمن جهتها، قالت وزارة الدفاع الروسية إنها استهدفت مواقع لهيئة تحرير الشام. وأكدت الوزارة أن قواتها لم تستهدف المدنيين.\nوقالت المتحدثة باسم مفوضية الأمم المتحدة السامية لحقوق الإنسان رافينا شامداساني إن المفوضية وثقت مقتل 103 مدنيين خلال عشرة أيام. وأضافت أن "الضربات الجوية تستهدف على ما يبدو منشآت مدنية".\nوقال المتحدث باسم منظمة اليونيسف إن الأطفال يدفعون الثمن الأكبر. وأضاف أن 30 طفلا قتلوا الشهر الماضي.\nفي غضون ذلك، أعلنت وزارة الدفاع التركية إرسال تعزيزات إلى نقاط المراقبة.\nوفي واشنطن، قالت الخارجية الأمريكية في بيان إن "الهجمات على المدنيين غير مقبولة". وأضاف البيان أن الولايات المتحدة تدعو إلى وقف فوري لإطلاق النار.\nوقال الرئيس الأمريكي دونالد ترامب في تغريدة إن على روسيا وسوريا وقف القصف. وأضاف أن واشنطن تراقب الوضع.\n'

GAZA_ARTICLE = 'Gaza: UN rights office warns of \'apocalyptic\' conditions\nThe UN human rights office said on Friday that conditions in northern Gaza were "apocalyptic".\n"The situation is beyond catastrophic," spokesperson Jeremy Laurence told reporters in Geneva.\nIsrael\'s military said it was targeting Hamas militants and took steps to limit civilian harm.\nIt added that it had opened a new crossing for aid.\nUNRWA chief Philippe Lazzarini said the agency was on the verge of collapse.\n"We cannot operate like this," he said.\nState Department spokesman Matthew Miller said Washington was pressing Israel to allow more aid.\n"We want to see more trucks," Miller said.\nHamas said the strikes killed 40 people.\nBritish Foreign Secretary David Lammy said in a statement that the UK was suspending some arms export licences.\nThe Pentagon did not immediately respond to a request for comment.\n'


def test_a_syria_article_keeps_only_the_tracked_speakers():
    got = extract(SYRIA_ARTICLE, published="2019-05-20")
    assert [(s.speaker, s.person) for s in got] == [
        ("un-ohchr", "ravina-shamdasani"),
        ("un-ohchr", "ravina-shamdasani"),
        ("us-state-department", None),
        ("us-state-department", None),
    ]
    assert got[1].text.startswith("وأضافت أن") and got[1].kind == "direct"
    assert got[3].text.startswith("وأضاف البيان")


def test_a_gaza_article_attributes_quotes_and_skips_other_bodies():
    got = extract(GAZA_ARTICLE, published="2024-09-02")
    assert [(s.speaker, s.person) for s in got] == [
        ("un-ohchr", None),
        ("un-ohchr", None),
        ("un-ohchr", "jeremy-laurence"),
        ("us-state-department", "matthew-miller"),
        ("us-state-department", "matthew-miller"),
        ("uk-government", "david-lammy"),
    ]


REACTIONS_ROUNDUP = 'ردود فعل دولية على الهجوم\nأدانت الولايات المتحدة الهجوم، وقالت المتحدثة باسم الخارجية الأمريكية هيذر ناورت إن "هذا العمل الإرهابي الجبان لن يمر دون عقاب".\nكما أدانت الخارجية الفرنسية الهجوم، وقالت في بيان إن باريس تقف إلى جانب مصر.\nوأدانت وزارة الخارجية السعودية الهجوم، مؤكدة تضامن المملكة مع مصر.\nوأعربت الخارجية عن خالص تعازيها لأسر الضحايا.\nوقال وزير الخارجية البريطاني بوريس جونسون إن بلاده "تقف بحزم مع مصر".\nوأضاف أن لندن مستعدة لتقديم المساعدة.\nودان الأمين العام للأمم المتحدة أنطونيو غوتيريش الهجوم، وقال إن المسؤولين يجب أن يقدموا للعدالة.\nوأضاف أن الأمم المتحدة تقف مع الشعب المصري.\nودعا المفوض السامي لحقوق الإنسان زيد رعد الحسين إلى تحقيق شامل.\nوقالت الحكومة المصرية إنها ستلاحق المسؤولين.\nوأضافت الحكومة أن الأجهزة الأمنية تعمل على تحديد هوية المهاجمين.\n'


def test_a_roundup_of_reactions_keeps_each_speaker_apart():
    got = extract(REACTIONS_ROUNDUP, published="2017-11-25")
    assert [(s.speaker, s.person) for s in got] == [
        ("us-state-department", "heather-nauert"),
        ("uk-government", "boris-johnson"),
        ("uk-government", "boris-johnson"),
        ("un-ohchr", "zeid-raad-al-hussein"),
    ]


def test_a_bare_ministry_after_a_new_place_is_not_carried_over():
    text = "قالت الخارجية الأمريكية إن الهجوم إرهابي. وفي القاهرة، أدانت الخارجية الهجوم."
    assert [s.text for s in extract(text, published="2017-11-25")] == [
        "قالت الخارجية الأمريكية إن الهجوم إرهابي."
    ]


def test_a_bare_ministry_in_the_speakers_own_capital_is_carried_over():
    text = "قالت الخارجية الأمريكية إن الهجوم إرهابي. وفي واشنطن، أكدت الخارجية أنها ستتابع التحقيق."
    assert [s.speaker for s in extract(text, published="2017-11-25")] == ["us-state-department"] * 2
