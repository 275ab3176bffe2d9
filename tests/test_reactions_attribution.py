"""Attribution on short passages written for these tests (Arabic and English, 1987-2025)."""

import pytest

from reactions import explain, extract


def check(text: str, day: str, expected: list[tuple[str, str | None]]) -> None:
    """The statements' (speaker, person); each names the construction that found it.  Where none is
    expected, the sentence's speech must still have been found and given to someone untracked (a
    look-alike recognised, not a sentence dropped unread)."""
    got = extract(text, published=day)
    assert [(s.speaker, s.person) for s in got] == expected
    assert all(s.rule for s in got)
    if not expected and text in ACTIONS:
        speech, speaker = ACTIONS[text]
        assert [s.speaker for s in extract(speech, published=day)] == [speaker]
    elif not expected:
        seen = explain(text, published=day)
        assert seen, "no speech found at all"
        assert not any(a.tracked for a in seen)

CASES = [
    (
        "قال المتحدث باسم وزارة الخارجية الأمريكية ماثيو ميلر إن واشنطن لا تدعم أي عملية عسكرية في رفح.",
        "2024-05-01",
        [("us-state-department", "matthew-miller")],
    ),
    (
        "أكد وزير الخارجية الأميركي أنتوني بلينكن أن الولايات المتحدة ملتزمة بأمن إسرائيل.",
        "2023-10-12",
        [("us-state-department", "antony-blinken")],
    ),
    (
        "وقالت نائبة المتحدث باسم البنتاغون سابرينا سينغ إن القوات الأمريكية لم تشارك في الهجوم.",
        "2024-01-10",
        [("us-pentagon", "sabrina-singh")],
    ),
    (
        "أعلنت وزارة الدفاع الأمريكية (البنتاغون) إرسال حاملة طائرات ثانية إلى شرق البحر المتوسط.",
        "2023-10-14",
        [("us-pentagon", None)],
    ),
    (
        "قال المفوض السامي لحقوق الإنسان فولكر تورك إن الحصار المفروض على غزة يرقى إلى عقاب جماعي.",
        "2023-10-13",
        [("un-ohchr", "volker-turk")],
    ),
    (
        "وقالت المتحدثة باسم المفوضية رافينا شامداساني إن العائلات تعيش في ظروف مروعة.",
        "2023-11-03",
        [("un-ohchr", "ravina-shamdasani")],
    ),
    (
        "قال مكتب الأمم المتحدة لحقوق الإنسان في الأراضي الفلسطينية إن 15 فلسطينيا قتلوا خلال الأسبوع.",
        "2024-03-01",
        [("un-ohchr", None)],
    ),
    (
        "دعا رئيس الوزراء البريطاني كير ستارمر إلى وقف فوري لإطلاق النار في غزة.",
        "2024-08-01",
        [("uk-government", "keir-starmer")],
    ),
    (
        "قال وزير الخارجية البريطاني ديفيد كاميرون إن بلاده ستفرض عقوبات على مستوطنين متطرفين.",
        "2024-02-12",
        [("uk-government", "david-cameron")],
    ),
    (
        "وأعلنت الحكومة البريطانية تعليق 30 ترخيصا لتصدير الأسلحة إلى إسرائيل.",
        "2024-09-02",
        [("uk-government", None)],
    ),
    ("قالت وزارة الخارجية القطرية إن الوساطة مستمرة.", "2024-05-01", []),
    ("قال المقرر الخاص للأمم المتحدة إن ما يحدث في غزة إبادة جماعية.", "2024-05-01", []),
    ("قالت المتحدثة باسم البيت الأبيض كارين جان بيير إن الرئيس بايدن يتابع الوضع.", "2024-05-01", []),
    ("قال المتحدث باسم مجلس الأمن القومي الأمريكي جون كيربي إن المحادثات بناءة.", "2023-11-01", []),
    ("ذكرت وكالة الأنباء الرسمية أن الرئيس استقبل وزير الخارجية الأمريكي.", "2023-11-01", []),
    ("التقى وزير الخارجية الأمريكي أنتوني بلينكن نظيره التركي في أنقرة.", "2023-11-06", []),
    ("وزير الدفاع الأمريكي يصل إلى بغداد في زيارة غير معلنة", "2023-03-07", []),
    ("بلينكن: لا بد من حماية المدنيين في غزة", "2023-11-03", [("us-state-department", "antony-blinken")]),
    (
        'وقال بلينكن للصحفيين في تل أبيب: "يجب أن نفعل المزيد لحماية المدنيين".',
        "2023-11-03",
        [("us-state-department", "antony-blinken")],
    ),
    (
        "حذرت مفوضية الأمم المتحدة السامية لحقوق الإنسان من تدهور الأوضاع في السودان، وقالت المتحدثة باسمها مارتا هورتادو إن المدنيين يدفعون الثمن.",
        "2023-05-01",
        [("un-ohchr", "marta-hurtado")],
    ),
    (
        "The Pentagon said on Friday it would send additional air defense systems to the Middle East.",
        "2023-10-21",
        [("us-pentagon", None)],
    ),
    (
        "Defense Secretary Lloyd Austin told reporters the United States would not put troops on the ground.",
        "2023-10-21",
        [("us-pentagon", "lloyd-austin")],
    ),
    ('"We are not going to be deterred," Austin said.', "2023-10-21", [("us-pentagon", "lloyd-austin")]),
    ("Britain's Foreign Office summoned the Iranian ambassador on Monday.", "2022-11-21", []),
    (
        'A Foreign Office spokesperson said: "We are in contact with the local authorities."',
        "2022-11-21",
        [("uk-government", None)],
    ),
    (
        "Prime Minister Boris Johnson told parliament that Britain would stand by Ukraine.",
        "2022-03-01",
        [("uk-government", "boris-johnson")],
    ),
    ("Labour leader Keir Starmer said the government had been too slow.", "2022-03-01", []),
    (
        "U.N. human rights chief Michelle Bachelet said on Tuesday she was alarmed by the rising civilian death toll.",
        "2022-03-01",
        [("un-ohchr", "michelle-bachelet")],
    ),
    (
        "UN human rights spokeswoman Ravina Shamdasani told a briefing in Geneva that at least 500 civilians had been killed.",
        "2022-03-08",
        [("un-ohchr", "ravina-shamdasani")],
    ),
    (
        "Secretary of State George Shultz said Washington would not negotiate with terrorists.",
        "1987-04-01",
        [("us-state-department", "george-shultz")],
    ),
    (
        "State Department spokesman Charles Redman told reporters the administration was studying the proposal.",
        "1987-04-01",
        [("us-state-department", "charles-redman")],
    ),
    (
        "Defense Secretary Caspar Weinberger said the Navy would escort the tankers.",
        "1987-06-01",
        [("us-pentagon", "caspar-weinberger")],
    ),
    (
        "Prime Minister Margaret Thatcher said Britain would not change its policy.",
        "1987-06-01",
        [("uk-government", "margaret-thatcher")],
    ),
    ("A Foreign Office spokesman said Britain deplored the attack.", "1987-06-01", [("uk-government", None)]),
    ("Iranian Foreign Minister Ali Akbar Velayati said Tehran would retaliate.", "1987-06-01", []),
    (
        "Tillerson said the United States was prepared to talk to North Korea.",
        "2017-12-13",
        [("us-state-department", "rex-tillerson")],
    ),
    (
        "U.S. Secretary of State Rex Tillerson on Wednesday called on Saudi Arabia to ease its blockade of Yemen.",
        "2017-12-06",
        [("us-state-department", "rex-tillerson")],
    ),
    (
        'The U.S. State Department said in a statement it was "deeply concerned" by the violence.',
        "2017-12-06",
        [("us-state-department", None)],
    ),
    ("وأشار المسؤول الأمريكي إلى أن بلاده لن تتسامح مع أي هجوم.", "2017-12-06", []),
    (
        "وقال وزير الدفاع الأميركي جيم ماتيس للصحفيين إن بلاده ستواصل دعم الأكراد. وأضاف أن القرار نهائي.",
        "2017-12-06",
        [("us-pentagon", "james-mattis"), ("us-pentagon", "james-mattis")],
    ),
    (
        "واعتبرت الخارجية الأمريكية أن الانتخابات لم تكن حرة ولا نزيهة، مشيرة إلى وجود مخالفات واسعة.",
        "2021-06-20",
        [("us-state-department", None)],
    ),
    (
        "وفي بيان صادر عن وزارة الخارجية البريطانية، أدانت لندن الهجوم على الناقلة.",
        "2021-08-01",
        [("uk-government", None)],
    ),
    (
        "وقالت السفارة الأمريكية في بغداد في بيان إنها تدين الهجوم بأشد العبارات.",
        "2021-08-01",
        [("us-state-department", None)],
    ),
    (
        "وأكد المتحدث باسم الخارجية الأمريكية نيد برايس، في مؤتمر صحفي، أن العقوبات ستبقى.",
        "2021-08-01",
        [("us-state-department", "ned-price")],
    ),
    (
        "من جانبه، قال وزير الخارجية الروسي سيرغي لافروف إن موسكو سترد. وأضاف أن العقوبات غير شرعية.",
        "2021-08-01",
        [],
    ),
    (
        "قال المتحدث باسم البنتاغون جون كيربي إن روسيا حشدت المزيد من القوات. وأشار إلى أن واشنطن لا تزال تأمل في حل دبلوماسي. من جهته، قال الكرملين إن موسكو لا تهدد أحدا. وأضاف أن التدريبات ستنتهي قريبا.",
        "2022-02-10",
        [("us-pentagon", "john-kirby"), ("us-pentagon", "john-kirby")],
    ),
    (
        "أعربت وزارة الخارجية البريطانية عن قلقها من التصعيد. وقالت الوزارة في بيان إن على جميع الأطراف ضبط النفس. وأشارت إلى أنها على اتصال بالشركاء الإقليميين.",
        "2022-02-10",
        [("uk-government", None), ("uk-government", None), ("uk-government", None)],
    ),
    (
        "وقال وزير الخارجية الأمريكي مايك بومبيو إن إيران تقف وراء الهجوم. ورد وزير الخارجية الإيراني محمد جواد ظريف بأن الاتهامات باطلة. وقال إن واشنطن تسعى للتصعيد.",
        "2019-09-15",
        [("us-state-department", "mike-pompeo")],
    ),
    (
        "Secretary of State Antony Blinken said Washington was ready to respond. He added that sanctions would be severe. Russian Foreign Minister Sergei Lavrov dismissed the threat. He said Moscow was not afraid.",
        "2022-01-20",
        [("us-state-department", "antony-blinken"), ("us-state-department", "antony-blinken")],
    ),
    (
        '"This is a dangerous moment," Blinken told reporters. "We are prepared for every scenario."',
        "2022-01-20",
        [("us-state-department", "antony-blinken"), ("us-state-department", "antony-blinken")],
    ),
    (
        "The Pentagon announced on Monday that 8,500 troops had been put on heightened alert. Press secretary John Kirby said no decision had been made to deploy them.",
        "2022-01-24",
        [("us-pentagon", None), ("us-pentagon", "john-kirby")],
    ),
    (
        "The United Nations human rights office said it had recorded 636 civilian deaths. The office said the real figure was likely much higher.",
        "2022-03-15",
        [("un-ohchr", None), ("un-ohchr", None)],
    ),
    (
        "Foreign Secretary Liz Truss said Britain would impose further sanctions.",
        "2022-02-22",
        [("uk-government", "liz-truss")],
    ),
    (
        "Defence Secretary Ben Wallace said the UK would send anti-tank weapons to Ukraine.",
        "2022-01-17",
        [("uk-government", "ben-wallace")],
    ),
    (
        "A spokesman for Downing Street said the prime minister had spoken to President Zelenskiy.",
        "2022-01-17",
        [("uk-government", None)],
    ),
    ("According to the Pentagon, the strike killed two militants.", "2022-01-17", [("us-pentagon", None)]),
    (
        "The strike killed two militants, according to a Pentagon statement.",
        "2022-01-17",
        [("us-pentagon", None)],
    ),
    (
        "ودعت المفوضة السامية لحقوق الإنسان ميشيل باشليه إلى تحقيق مستقل. وقالت باشليه إن على السلطات احترام حق التظاهر.",
        "2019-10-20",
        [("un-ohchr", "michelle-bachelet"), ("un-ohchr", "michelle-bachelet")],
    ),
    (
        "ونقلت وكالة رويترز عن مسؤول في الخارجية الأمريكية قوله إن المحادثات ستستأنف.",
        "2019-10-20",
        [("us-state-department", None)],
    ),
    (
        "وقال مسؤول في وزارة الدفاع الأمريكية، طلب عدم نشر اسمه، إن الطائرة أسقطت فوق المياه الدولية.",
        "2019-06-20",
        [("us-pentagon", None)],
    ),
    (
        "وكان وزير الخارجية البريطاني جيريمي هانت قد حذر من أن بلاده سترد على أي اعتداء.",
        "2019-07-20",
        [("uk-government", "jeremy-hunt")],
    ),
    (
        "بومبيو يتهم إيران بالوقوف وراء الهجوم على ناقلتي النفط",
        "2019-06-14",
        [("us-state-department", "mike-pompeo")],
    ),
    ("الخارجية الأمريكية تدين الهجوم على السفارة", "2019-12-31", [("us-state-department", None)]),
    ("وأضاف المتحدث أن بلاده لن تقبل بأي تدخل.", "2019-12-31", []),
    ("انتقدت موسكو وزارة الخارجية الأمريكية بسبب تصريحاتها الأخيرة.", "2020-01-01", []),
    ("طالب نواب في البرلمان الحكومة البريطانية بوقف صادرات الأسلحة.", "2020-01-01", []),
    ("ورد الكرملين على تصريحات بلينكن بالقول إن روسيا لن تتراجع.", "2022-01-01", []),
    ("وجاءت تصريحات بلينكن بعد يوم من لقائه نظيره الروسي.", "2022-01-01", []),
    ("وقال الرئيس الأمريكي جو بايدن إن بلاده ستدافع عن كل شبر من أراضي الناتو.", "2022-03-01", []),
    ("وقال ترامب إن وزير الخارجية مايك بومبيو سيزور كوريا الشمالية قريبا.", "2018-06-01", []),
    ("وأفادت مصادر دبلوماسية بأن بلينكن سيزور القاهرة الأسبوع المقبل.", "2023-01-01", []),
    ("ومن المقرر أن يلتقي وزير الدفاع الأمريكي نظيره الإسرائيلي غدا.", "2023-01-01", []),
    ("وقالت منظمة العفو الدولية إن على الحكومة البريطانية التحقيق في الانتهاكات.", "2023-01-01", []),
    ("وقال متحدث باسم الحكومة العراقية إن بغداد أبلغت السفارة الأمريكية بقرارها.", "2023-01-01", []),
    ("Russia's foreign ministry said the State Department was spreading lies.", "2022-01-01", []),
    ("Lawmakers urged the Pentagon to release the report.", "2022-01-01", []),
    ("The Pentagon is expected to announce the decision next week.", "2022-01-01", []),
    (
        "In a letter to the UN human rights office, the group said the detentions were illegal.",
        "2022-01-01",
        [],
    ),
    ("Asked about the State Department's position, Zakharova said Moscow would respond.", "2022-01-01", []),
    ("The senators said they had written to Secretary of State Antony Blinken.", "2022-01-01", []),
    ("Pentagon officials said the drills would continue.", "2022-01-01", [("us-pentagon", None)]),
    ("وقال مسؤولون في البنتاغون إن التدريبات ستستمر.", "2022-01-01", [("us-pentagon", None)]),
    ("وذكرت صحيفة واشنطن بوست أن البنتاغون يدرس إرسال قوات إضافية.", "2022-01-01", []),
    (
        "وأشار تقرير للخارجية الأمريكية إلى تراجع الحريات الدينية في البلاد.",
        "2022-01-01",
        [("us-state-department", None)],
    ),
    ("وقالت مفوضية حقوق الإنسان في العراق إن عدد النازحين تجاوز 10 آلاف.", "2022-01-01", []),
    ("وقالت اللجنة الوطنية لحقوق الإنسان إن السجناء تعرضوا للتعذيب.", "2022-01-01", []),
    ("ودعا الأمين العام للأمم المتحدة أنطونيو غوتيريش إلى وقف فوري لإطلاق النار.", "2022-01-01", []),
    ("وقال رئيس الوزراء البريطاني السابق توني بلير إن الحرب كانت ضرورية.", "2022-01-01", []),
    ("وقال وزير الخارجية البريطاني الأسبق جاك سترو إن الحرب كانت خطأ.", "2022-01-01", []),
    ("Hunt said the decision was disappointing.", "2018-10-10", []),
    (
        "Jeremy Hunt said the decision was disappointing. Hunt added that Britain would act.",
        "2018-10-10",
        [("uk-government", "jeremy-hunt"), ("uk-government", "jeremy-hunt")],
    ),
    ("May said the government would publish its plan on Monday.", "2018-10-10", []),
    (
        "Theresa May said the government would publish its plan on Monday.",
        "2018-10-10",
        [("uk-government", "theresa-may")],
    ),
    (
        "In May, the State Department said it would review the policy.",
        "2018-10-10",
        [("us-state-department", None)],
    ),
]


@pytest.mark.parametrize(("text", "day", "expected"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_speaker_and_person_of_each_statement(text: str, day: str, expected: list[tuple[str, str | None]]):
    check(text, day, expected)


SOURCE_CASES = [
    ("وجاء في بيان للخارجية البريطانية أن لندن قلقة من التصعيد.", [("uk-government", None)]),
    (
        "قالت الخارجية الأمريكية إنها قلقة. وجاء في البيان أن واشنطن ستتابع الوضع.",
        [("us-state-department", None)] * 2,
    ),
    ("قالت الخارجية الأمريكية إنها قلقة. وجاء ذلك بعد يوم من الهجوم.", [("us-state-department", None)]),
    (
        "نقلت صحيفة نيويورك تايمز عن مسؤولين في وزارة الدفاع الأمريكية قولهم إن القوات ستبقى.",
        [("us-pentagon", None)],
    ),
    ("أفاد بيان للخارجية البريطانية بأن السفارة ستغلق مؤقتا.", [("uk-government", None)]),
    (
        "A statement from the State Department said the talks were productive.",
        [("us-state-department", None)],
    ),
    ("Britain's Ministry of Defence said two jets took part in the strikes.", [("uk-government", None)]),
    ("Russia's Defense Ministry said its forces had repelled the attack.", []),
    ('"We will not accept this," said a State Department spokesperson.', [("us-state-department", None)]),
    ("وقال الأمير الحسين بن عبد الله إن الأردن يدعم الحل.", []),
    (
        "قال المتحدث باسم الخارجية الأمريكية إن واشنطن قلقة. وقال وزير الخارجية عادل الجبير إن الرياض ترحب.",
        [("us-state-department", None)],
    ),
    ("SHULTZ SAYS U.S. WILL NOT NEGOTIATE WITH TERRORISTS", [("us-state-department", "george-shultz")]),
]


@pytest.mark.parametrize(
    ("text", "expected"), SOURCE_CASES, ids=[f"source{i}" for i in range(len(SOURCE_CASES))]
)
def test_sources_headlines_and_look_alikes(text: str, expected: list[tuple[str, str | None]]):
    day = "1987-03-01" if text.isupper() else "2020-01-01"
    check(text, day, expected)


ARABIC_2015_2018 = [
    (
        "صرح المتحدث باسم البنتاغون إريك باهون بأن القوات الأمريكية لم تستهدف المدنيين.",
        "2018-04-10",
        [("us-pentagon", "eric-pahon")],
    ),
    (
        "وأكدت المتحدثة باسم الخارجية الأمريكية هيذر ناورت، في مؤتمر صحفي، أن واشنطن لن تتراجع.",
        "2018-04-10",
        [("us-state-department", "heather-nauert")],
    ),
    (
        "ذكر بيان صادر عن الخارجية البريطانية أن السفير الروسي استدعي.",
        "2018-03-14",
        [("uk-government", None)],
    ),
    ("وقال بيان للبنتاغون إن الغارة استهدفت قياديا في تنظيم القاعدة.", "2018-03-14", [("us-pentagon", None)]),
    (
        'وقالت ماي أمام البرلمان إن روسيا مسؤولة عن الهجوم. وتابعت: "لن نتسامح مع هذا".',
        "2018-03-14",
        [("uk-government", "theresa-may"), ("uk-government", "theresa-may")],
    ),
    ("واتهم جونسون روسيا بالوقوف وراء الهجوم.", "2018-03-14", [("uk-government", "boris-johnson")]),
    ("ووفقا للمتحدث باسم البنتاغون، فإن الضربات استمرت ساعة.", "2018-03-14", [("us-pentagon", None)]),
    ("وأوضح كولفيل أن المفوضية تلقت تقارير عن انتهاكات.", "2018-03-14", [("un-ohchr", "rupert-colville")]),
    (
        "من جانبها، حذرت الخارجية الأمريكية من مغبة التصعيد في إدلب.",
        "2018-09-01",
        [("us-state-department", None)],
    ),
    ("وقال الناطق باسم الحكومة البريطانية إن لندن تدرس الخيارات.", "2018-09-01", [("uk-government", None)]),
    (
        "واعتبر زيد بن رعد الحسين أن الهجمات قد ترقى إلى جرائم حرب.",
        "2018-02-01",
        [("un-ohchr", "zeid-raad-al-hussein")],
    ),
    ("وقال السفير الروسي في لندن إن الاتهامات البريطانية لا أساس لها.", "2018-03-14", []),
    ("وقال وزير الخارجية السعودي عادل الجبير إن المملكة ستتعاون مع التحقيق.", "2018-10-20", []),
    ("وقالت المتحدثة باسم المفوضية السامية لشؤون اللاجئين إن آلاف الأسر فرت.", "2018-10-20", []),
    (
        "وقالت ليز ثروسيل المتحدثة باسم مفوضية حقوق الإنسان إن الأرقام صادمة.",
        "2018-10-20",
        [("un-ohchr", "liz-throssell")],
    ),
    (
        "وقال رئيس الوزراء البريطاني ديفيد كاميرون إن بلاده ستستقبل 20 ألف لاجئ سوري.",
        "2015-09-07",
        [("uk-government", "david-cameron")],
    ),
    (
        "وأكد وزير الخارجية البريطاني فيليب هاموند أن الاتفاق النووي جيد.",
        "2015-07-15",
        [("uk-government", "philip-hammond")],
    ),
    (
        "قال وزير الدفاع البريطاني مايكل فالون إن الطائرات البريطانية ستشارك في الضربات.",
        "2015-09-07",
        [("uk-government", "michael-fallon")],
    ),
    (
        "وقال مارك تونر نائب المتحدث باسم الخارجية الأمريكية إن واشنطن تدعم الحكومة اليمنية.",
        "2015-07-20",
        [("us-state-department", "mark-toner")],
    ),
    (
        "وقال المتحدث باسم الخارجية جون كيربي للصحفيين إن الولايات المتحدة قلقة.",
        "2015-07-20",
        [("us-state-department", "john-kirby")],
    ),
    ("وقال الرئيس الأمريكي باراك أوباما إن الاتفاق يمنع إيران من امتلاك قنبلة نووية.", "2015-07-20", []),
    (
        "وأعلنت وزارة الدفاع الأمريكية مقتل قيادي في تنظيم داعش بغارة جوية.",
        "2015-07-20",
        [("us-pentagon", None)],
    ),
    (
        "وقال مسؤول في الخارجية الأمريكية لـ«الشرق الأوسط» إن واشنطن تتابع الوضع.",
        "2015-07-20",
        [("us-state-department", None)],
    ),
    (
        "ونفت الحكومة البريطانية التقارير، وقالت إنها لا تعلق على المسائل الاستخباراتية.",
        "2015-07-20",
        [("uk-government", None)],
    ),
    (
        "وقال متحدث باسم السفارة الأمريكية في الرياض إن السفارة ستغلق أبوابها يوم الأحد.",
        "2015-07-20",
        [("us-state-department", None)],
    ),
]


@pytest.mark.parametrize(
    ("text", "day", "expected"), ARABIC_2015_2018, ids=[f"ar{i}" for i in range(len(ARABIC_2015_2018))]
)
def test_arabic_news_sentences_2015_2018(text: str, day: str, expected: list[tuple[str, str | None]]):
    check(text, day, expected)


MORE_CASES = [
    (
        "ويقول المتحدث باسم الخارجية الأمريكية إن واشنطن لن تتراجع.",
        "2020-01-01",
        [("us-state-department", None)],
    ),
    ("ويقول مسؤولون إن البنتاغون يدرس الخيارات.", "2020-01-01", []),
    (
        "Blinken was quoted as saying that the talks had stalled.",
        "2022-01-01",
        [("us-state-department", "antony-blinken")],
    ),
    (
        "Reuters quoted a Pentagon spokesman as saying the drills were routine.",
        "2022-01-01",
        [("us-pentagon", None)],
    ),
    ("Blinken called his Turkish counterpart on Monday to discuss the crisis.", "2022-01-01", []),
    (
        "Blinken called on Turkey to show restraint.",
        "2022-01-01",
        [("us-state-department", "antony-blinken")],
    ),
    (
        "British Prime Minister Theresa May's spokesman said the government would respond.",
        "2018-03-14",
        [("uk-government", None)],
    ),
    ("وقال المتحدث باسم البنتاغون لـ«عكاظ»، إن القوات ستبقى.", "2015-07-22", [("us-pentagon", None)]),
    (
        "Austin said the allies would send more weapons. Zelenskiy, speaking in Kyiv, thanked the allies. "
        '"We are grateful," he said.',
        "2022-04-26",
        [("us-pentagon", "lloyd-austin")],
    ),
    (
        "قالت مفوضية الأمم المتحدة لحقوق الإنسان إن الوضع خطير. وحذرت المفوضية الأوروبية من تدهور الوضع.",
        "2020-01-01",
        [("un-ohchr", None)],
    ),
    (
        "قالت مفوضية الأمم المتحدة لحقوق الإنسان إن الوضع خطير. وقال المتحدث باسم الأمم المتحدة إن المساعدات توقفت.",
        "2020-01-01",
        [("un-ohchr", None)],
    ),
    (
        'وقال وزير الخارجية البريطاني جيريمي هانت:\n"لن نقبل بهذا السلوك".',
        "2018-10-10",
        [("uk-government", "jeremy-hunt")],  # the announcement and the quotation it announces: one
    ),
]


@pytest.mark.parametrize(
    ("text", "day", "expected"), MORE_CASES, ids=[f"more{i}" for i in range(len(MORE_CASES))]
)
def test_more_patterns(text: str, day: str, expected: list[tuple[str, str | None]]):
    check(text, day, expected)


def test_a_newspaper_name_in_quotation_marks_is_not_a_direct_quote():
    got = extract("وقال المتحدث باسم البنتاغون لـ«عكاظ»، إن القوات ستبقى.", published="2015-07-22")
    assert [(s.kind, s.quotes) for s in got] == [("reported", ())]


ACROSS_THE_YEARS = [
    (
        "Weinberger told a news conference that U.S. warships would remain in the Gulf.",
        "1987-07-01",
        [("us-pentagon", "caspar-weinberger")],
    ),
    (
        "A Defense Department spokesman said the frigate was hit by two missiles.",
        "1987-05-18",
        [("us-pentagon", None)],
    ),
    (
        "Pentagon officials said the ship had not detected the incoming missiles.",
        "1987-05-18",
        [("us-pentagon", None)],
    ),
    ("President Reagan said the attack was unprovoked.", "1987-05-18", []),
    (
        "Britain's Foreign Office said it had summoned the Iranian charge d'affaires.",
        "1987-06-01",
        [("uk-government", None)],
    ),
    (
        "Secretary of State George Shultz, speaking in Paris, said the allies agreed on the need for restraint.",
        "1987-06-01",
        [("us-state-department", "george-shultz")],
    ),
    (
        "The UK Ministry of Defence said in its latest intelligence update that Russian forces had made little progress.",
        "2022-03-20",
        [("uk-government", None)],
    ),
    (
        "UK Defence Secretary Ben Wallace told the BBC that Britain would send more missiles.",
        "2022-03-20",
        [("uk-government", "ben-wallace")],
    ),
    (
        "UN High Commissioner for Human Rights Michelle Bachelet said she was horrified by the images from Bucha.",
        "2022-04-04",
        [("un-ohchr", "michelle-bachelet")],
    ),
    (
        "The UN Human Rights Monitoring Mission in Ukraine said it had verified 1,417 civilian deaths.",
        "2022-04-04",
        [("un-ohchr", None)],
    ),
    ("A senior defense official told reporters that Russian forces were regrouping.", "2022-04-04", []),
    (
        "Russian Defense Ministry spokesman Igor Konashenkov said the strikes hit military targets.",
        "2022-04-04",
        [],
    ),
    (
        "قال وزير الخارجية الأمريكي أنتوني بلينكن في مؤتمر صحفي مع نظيره القطري إن المفاوضات مستمرة.",
        "2024-02-06",
        [("us-state-department", "antony-blinken")],
    ),
    (
        "أعلنت وزارة الدفاع البريطانية أن طائرات سلاح الجو الملكي شاركت في الضربات على الحوثيين.",
        "2024-01-12",
        [("uk-government", None)],
    ),
    (
        "قالت وزارة الخارجية البريطانية في بيان إنها استدعت السفير الإيراني.",
        "2024-01-12",
        [("uk-government", None)],
    ),
    (
        "حذر الناطق باسم البنتاغون من أن الهجمات على القوات الأمريكية لن تمر دون رد.",
        "2024-01-12",
        [("us-pentagon", None)],
    ),
    (
        "قال مكتب حقوق الإنسان الأممي إن أكثر من 70% من القتلى نساء وأطفال.",
        "2024-11-08",
        [("un-ohchr", None)],
    ),
    ("وقال المتحدث باسم الجيش الإسرائيلي إن القوات ستواصل العمليات.", "2024-11-08", []),
    (
        "ونقلت وكالة رويترز عن متحدث باسم وزارة الخارجية البريطانية قوله إن لندن تتابع القضية.",
        "2024-11-08",
        [("uk-government", None)],
    ),
    (
        "وقال وزير الدفاع الأمريكي بيت هيغسيث إن بلاده لن تتردد في الدفاع عن مصالحها.",
        "2025-03-20",
        [("us-pentagon", "pete-hegseth")],
    ),
    (
        "وقالت المتحدثة باسم الخارجية الأمريكية تامي بروس إن واشنطن تدعم الحكومة السورية الجديدة.",
        "2025-05-20",
        [("us-state-department", "tammy-bruce")],
    ),
    (
        "وأكد وزير الخارجية الأمريكي ماركو روبيو أن العقوبات على سوريا سترفع.",
        "2025-05-20",
        [("us-state-department", "marco-rubio")],
    ),
    (
        "وقال رئيس الوزراء البريطاني كير ستارمر إن بلاده ستعترف بالدولة الفلسطينية.",
        "2025-07-29",
        [("uk-government", "keir-starmer")],
    ),
    (
        "وقالت وزيرة الخارجية البريطانية إيفيت كوبر إن الوضع في غزة لا يحتمل.",
        "2025-10-01",
        [("uk-government", "yvette-cooper")],
    ),
    (
        "وقال المفوض السامي لحقوق الإنسان فولكر تورك إن على جميع الأطراف احترام القانون الدولي.",
        "2025-10-01",
        [("un-ohchr", "volker-turk")],
    ),
]


@pytest.mark.parametrize(
    ("text", "day", "expected"), ACROSS_THE_YEARS, ids=[f"y{i}" for i in range(len(ACROSS_THE_YEARS))]
)
def test_sentences_from_1987_to_2025(text: str, day: str, expected: list[tuple[str, str | None]]):
    check(text, day, expected)


# actions and events of a tracked body (no speech), each with a twin in which the same body speaks
ACTIONS = {
    "التقى وزير الخارجية الأمريكي أنتوني بلينكن نظيره التركي في أنقرة.": (
        "قال وزير الخارجية الأمريكي أنتوني بلينكن إن المحادثات مع نظيره التركي كانت مثمرة.",
        "us-state-department",
    ),
    "وزير الدفاع الأمريكي يصل إلى بغداد في زيارة غير معلنة": (
        "وزير الدفاع الأمريكي يؤكد التزام بلاده بأمن العراق",
        "us-pentagon",
    ),
    "Britain's Foreign Office summoned the Iranian ambassador on Monday.": (
        "Britain's Foreign Office said it had summoned the Iranian ambassador on Monday.",
        "uk-government",
    ),
    "وجاءت تصريحات بلينكن بعد يوم من لقائه نظيره الروسي.": (
        "وقال بلينكن بعد يوم من لقائه نظيره الروسي إن الحوار مستمر.",
        "us-state-department",
    ),
    "ومن المقرر أن يلتقي وزير الدفاع الأمريكي نظيره الإسرائيلي غدا.": (
        "وأعلن وزير الدفاع الأمريكي أنه سيلتقي نظيره الإسرائيلي غدا.",
        "us-pentagon",
    ),
    "The Pentagon is expected to announce the decision next week.": (
        "The Pentagon announced the decision on Monday.",
        "us-pentagon",
    ),
    "Blinken called his Turkish counterpart on Monday to discuss the crisis.": (
        "Blinken called on his Turkish counterpart on Monday to end the crisis.",
        "us-state-department",
    ),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_an_action_is_no_statement_but_its_speaking_twin_is(action: str):
    speech, speaker = ACTIONS[action]
    day = "2023-03-07"
    assert extract(action, published=day) == []
    assert [s.speaker for s in extract(speech, published=day)] == [speaker]
