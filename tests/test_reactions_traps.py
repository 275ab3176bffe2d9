"""The traps named in the issue: look-alike bodies, continuation chains, punctuation and markup."""

from reactions import extract


def speakers(text: str, **kw: object) -> list[tuple[str, str]]:
    return [(s.speaker, s.text) for s in extract(text, **kw)]


def test_syrian_observatory_for_human_rights_is_not_the_un_human_rights_office():
    ar = "قال المرصد السوري لحقوق الإنسان إن عدد القتلى ارتفع إلى 40 شخصا في ريف حلب."
    en = "The Syrian Observatory for Human Rights said at least 40 people were killed near Aleppo."
    assert extract(ar, published="2021-05-02") == []
    assert extract(en, published="2021-05-02") == []


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
    assert extract(text, published="2022-02-01") == []


def test_added_in_a_tweet_continues_the_uk_foreign_office():
    text = (
        "بدورها، أدانت وزارة الخارجية البريطانية الهجوم على القافلة الإنسانية. "
        "وأضافت في تغريدة \"يجب محاسبة المسؤولين عن هذا الاعتداء\"."
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
    assert extract(text, published="2019-01-01") == []


def test_other_countries_ministries_are_not_tracked():
    text = "قالت وزارة الخارجية الروسية إن العقوبات الجديدة غير قانونية."
    assert extract(text, published="2019-01-01") == []
    en = "Chinese Foreign Ministry spokesman Wang Wenbin said the remarks were groundless."
    assert extract(en, published="2022-01-01") == []


def test_white_house_is_not_the_state_department():
    text = "The White House said on Monday that the president would travel to Brussels next week."
    assert extract(text, published="2022-03-01") == []


def test_special_rapporteurs_and_un_secretary_general_are_not_ohchr():
    text = (
        "UN special rapporteur Francesca Albanese said the operation amounted to collective punishment. "
        "UN Secretary-General Antonio Guterres said he was deeply alarmed."
    )
    assert extract(text, published="2024-01-10") == []


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
