"""English miss classes of real news (tests/data/real.jsonl, session of issue 8): each construction on
sentences written for these tests, asserting the speaker and the rule that found it, beside look-alikes
that must not fire."""

from __future__ import annotations

import pytest

from reactions import explain, extract


def found(text: str, day: str) -> list[tuple[str, str | None, str, str]]:
    return [(s.speaker, s.person, s.rule, s.text) for s in extract(text, lang="en", published=day)]


# --- "X <did something>, saying ...": the sentence's tracked subject speaks -------------------------
@pytest.mark.parametrize(
    ("text", "day", "speaker"),
    [
        (
            "The Pentagon turned down the request, saying the jets could be seen as an escalation.",
            "2022-03-14",
            "us-pentagon",
        ),
        (
            "The State Department extended its travel advisory for the region, citing the risk of unrest.",
            "2023-10-19",
            "us-state-department",
        ),
        (
            "And, the Foreign Office summoned the ambassador on Tuesday, arguing that the expulsions broke "
            "the treaty.",
            "2021-05-04",
            "uk-government",
        ),
        (
            "Defense Secretary Lloyd Austin wrapped up his visit to Kyiv's allies, stressing that support "
            "would continue.",
            "2023-01-20",
            "us-pentagon",
        ),
    ],
)
def test_a_participle_after_a_comma_continues_the_sentences_tracked_subject(text, day, speaker):
    got = found(text, day)
    assert [(g[0], g[2]) for g in got] == [(speaker, "en-participle-subject/sentence-subject")]


@pytest.mark.parametrize(
    "text",
    [
        # another clause with its own subject comes between
        "The Pentagon approved the sale after Israel requested the jets, saying they were needed.",
        # a passive: its agent is the one saying
        "The State Department was criticised by rights groups, arguing that the policy was illegal.",
        # the body only modifies the subject
        "The Pentagon's critics held a rally outside the building, saying the budget was too big.",
        # a relative clause whose subject may be the speaker
        "The Foreign Office hosted the envoy, who left early, insisting the talks had failed.",
    ],
)
def test_a_participle_whose_subject_may_be_someone_else_is_not_the_bodys(text):
    assert extract(text, lang="en", published="2022-03-14") == []


# --- "..., with X saying ...": the phrase after "with" speaks, from "with" on ------------------------
@pytest.mark.parametrize(
    ("text", "day", "speaker", "person"),
    [
        (
            "European leaders restated their backing for Kyiv, with British Prime Minister Keir Starmer "
            "insisting that any deal must protect Ukraine's sovereignty.",
            "2025-03-03",
            "uk-government",
            "keir-starmer",
        ),
        (
            'Officials spent the day playing down the remark, with Secretary of State Antony Blinken saying, '
            '"We do not have a strategy of regime change."',
            "2022-03-27",
            "us-state-department",
            "antony-blinken",
        ),
    ],
)
def test_with_a_tracked_speaker_and_a_participle_is_their_clause(text, day, speaker, person):
    got = found(text, day)
    assert [(g[0], g[1], g[2]) for g in got] == [(speaker, person, "en-participle-subject/with")]
    assert got[0][3].startswith("with ")


def test_with_someone_else_and_a_participle_is_not_tracked():
    text = (
        "The ministers met in Paris, with French Foreign Minister Jean-Noel Barrot saying the talks went "
        "well."
    )
    assert extract(text, lang="en", published="2025-03-03") == []


def test_a_participle_without_a_comma_or_tracked_subject_is_no_statement():
    text = "Protesters marched past the Pentagon, saying the war had to end."
    assert extract(text, lang="en", published="2024-03-03") == []
    assert not any(a.tracked for a in explain(text, lang="en", published="2024-03-03"))


# --- "the Pentagon's principal director for ...", "the State Department's ... office": a body's post ----
@pytest.mark.parametrize(
    ("text", "day", "speaker", "rule"),
    [
        (
            "Jane Roe, the Pentagon's acting director for space policy, told reporters the launch was delayed.",
            "2024-01-12",
            "us-pentagon",
            "en-verb/apposition",
        ),
        (
            "The State Department's Legislative Affairs office told lawmakers there was no hold on the money.",
            "2019-11-11",
            "us-state-department",
            "en-verb/sv",
        ),
        (
            "The Foreign Office's chief legal adviser warned ministers that the plan broke international law.",
            "2020-09-08",
            "uk-government",
            "en-verb/sv",
        ),
        (
            'The Pentagon\'s latest report says the program "is not meeting its specifications."',
            "2024-03-15",
            "us-pentagon",
            "en-verb/sv",
        ),
    ],
)
def test_a_tracked_bodys_post_office_or_document_speaks_for_it(text, day, speaker, rule):
    got = found(text, day)
    assert [(g[0], g[2]) for g in got] == [(speaker, rule)]


def test_a_tracked_bodys_post_then_a_name_is_who_he_said_refers_to():
    text = (
        "The State Department's senior adviser for energy security, John Roe, has been on several trips "
        "to the Gulf to discuss energy issues. He said higher prices were helping Moscow."
    )
    got = found(text, "2022-03-29")
    assert [(g[0], g[2], g[3][:7]) for g in got] == [("us-state-department", "en-verb/pronoun", "He said")]


@pytest.mark.parametrize(
    "text",
    [
        "Officials wasted money on the programme, according to the Pentagon's former chief investigator.",
        "The Pentagon's budget said nothing about the programme.",
        "The State Department's critics argued the policy had failed.",
    ],
)
def test_a_former_post_or_something_else_of_the_body_is_not_it(text):
    assert extract(text, lang="en", published="2024-01-15") == []


# --- a heading in capitals inside an article does not end the speaker's run --------------------------
def test_he_said_after_a_heading_in_capitals_continues_the_speaker():
    text = (
        "Secretary of State Antony Blinken said the talks would go on.\n"
        "WAR SHAKES EUROPE'S PATH TO ENERGY INDEPENDENCE AND CLIMATE GOALS\n"
        'When asked about the allies, he said the commitment remains "rock solid."\n'
    )
    got = found(text, "2022-03-29")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("us-state-department", "antony-blinken", "en-verb/sv"),
        ("us-state-department", "antony-blinken", "en-verb/pronoun"),
    ]


def test_he_said_after_an_ordinary_sentence_line_does_not_continue():
    text = (
        "Secretary of State Antony Blinken said the talks would go on.\n"
        "Oil prices rose sharply in Asian trading on Monday morning.\n"
        "Analysts expect more falls. Traders were nervous.\n"
        'He said the commitment remains "rock solid."\n'
    )
    assert [g[0] for g in found(text, "2022-03-29")] == ["us-state-department"]


# --- a body's documents: "according to <a document> from X", "X's report says", DOT&E ----------------
@pytest.mark.parametrize(
    ("text", "day", "speaker", "rule"),
    [
        (
            "The missile failed two of its tests, according to the latest annual assessment of the program "
            "from the Pentagon's weapons testing office.",
            "2024-03-15",
            "us-pentagon",
            "en-according/document",
        ),
        (
            "Civilian deaths rose sharply in March, according to a new report by the UN human rights office.",
            "2024-04-02",
            "un-ohchr",
            "en-according/document",
        ),
        (
            '"The system is not yet ready for combat," DOT&E\'s annual report concludes.',
            "2024-03-15",
            "us-pentagon",
            "en-verb/sv",
        ),
        (
            "The test met its objectives, according to DOT&E.",
            "2024-03-15",
            "us-pentagon",
            "en-according",
        ),
    ],
)
def test_a_bodys_document_speaks_for_it(text, day, speaker, rule):
    got = found(text, day)
    assert [(g[0], g[2]) for g in got] == [(speaker, rule)]


@pytest.mark.parametrize(
    "text",
    [
        # the document is someone else's, about the body
        "The Pentagon overspent by billions, according to a report by the Government Accountability Office.",
        # a document named far from its author, after a clause
        "Troops stayed, according to the report, which was leaked from the Pentagon last year.",
    ],
)
def test_a_document_by_someone_else_is_not_the_bodys(text):
    assert extract(text, lang="en", published="2024-03-15") == []


# --- "the government" / "a government spokesperson" in a text about Britain ----------------------------
UK_STORY = (
    "Britain is fast-tracking a law against money laundering by oligarchs.\n"
    "The bill follows sanctions on Russian banks announced in Westminster last week.\n"
)


@pytest.mark.parametrize(
    "sentence",
    [
        'A government spokesperson said: "We will not let criminals hide their money here."',
        "The government said the register would open in the spring.",
        "Owners will have to declare their identities, the government said.",
    ],
)
def test_the_government_in_a_text_about_britain_is_the_uk_government(sentence):
    got = found(UK_STORY + sentence, "2022-03-01")
    assert [(g[0], g[2]) for g in got] == [("uk-government", "en-verb/sv")]


@pytest.mark.parametrize(
    "story",
    [
        # another government is named
        "Britain and Australia are fast-tracking laws.\nThe Australian government has also acted.\n",
        # nothing says Britain
        "Lawmakers are fast-tracking a law against money laundering by oligarchs.\n",
        # the Trump administration is in the story
        "Britain is fast-tracking a law. The Trump administration is watching.\n",
    ],
)
def test_the_government_elsewhere_is_nobody_tracked(story):
    text = story + "The government said the register would open in the spring."
    assert extract(text, lang="en", published="2022-03-01") == []


def test_a_spokesperson_right_after_a_body_speaks_for_it_and_not_later():
    said = "Downing Street said on Sunday it had no control over the timing.\n"
    quote = '"It is not for us to set out when it will be published," a spokesperson told CNN.\n'
    got = found(said + quote, "2022-01-23")
    assert [(g[0], g[2]) for g in got] == [("uk-government", "en-verb/sv"), ("uk-government", "en-verb/sv")]
    silent = "The inquiry began in December. Its report is due this week.\n"
    got = found(said + silent + quote, "2022-01-23")
    assert [g[0] for g in got] == ["uk-government"]


# --- a quotation standing alone right after a reported statement continues it --------------------------
def test_a_quotation_alone_after_a_reported_statement_continues_it():
    text = (
        "Secretary of State Antony Blinken said that the department had shared the findings with allies. "
        '"We are doing so because we were not the only target."\n'
    )
    got = found(text, "2023-02-08")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("us-state-department", "antony-blinken", "en-verb/sv"),
        ("us-state-department", "antony-blinken", "quote-continuation"),
    ]


def test_a_quotation_alone_after_someone_else_or_a_silent_sentence_is_nobodys():
    other = 'The Chinese foreign ministry said the balloon was a weather craft. "It strayed off course."\n'
    assert found(other, "2023-02-08") == []
    later = (
        "Secretary of State Antony Blinken said that the department had shared the findings.\n"
        "The balloon was shot down off the coast of South Carolina.\n"
        '"We were not the only target."\n'
    )
    assert [g[2] for g in found(later, "2023-02-08")] == ["en-verb/sv"]


# --- where a statement starts and ends inside a sentence ----------------------------------------------
def test_a_statement_after_which_starts_at_which():
    text = (
        "Russian officials handed Assistant Secretary of State Karen Donfried the draft in Moscow, "
        "which Donfried said she would share with allies."
    )
    got = found(text, "2021-12-17")
    assert [(g[0], g[2], g[3]) for g in got] == [
        ("us-state-department", "en-verb/sv", "which Donfried said she would share with allies.")
    ]


def test_a_while_clause_with_someone_elses_subject_ends_the_statement():
    text = (
        'British Prime Minister Keir Starmer called the deal "historic," while U.S. officials gave no '
        "timeline for wider access."
    )
    got = found(text, "2025-05-08")
    assert [(g[0], g[3]) for g in got] == [("uk-government", 'British Prime Minister Keir Starmer called the deal "historic,"')]
    # a while clause without a subject of its own stays in the statement
    text = "The Pentagon said the strikes would continue, while stressing that no troops would be sent."
    got = found(text, "2025-05-08")
    assert [g[3] for g in got] == [text]


# --- not statements: modals; where scraped paragraphs run together ---------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Owning the rockets would also mean the DoD would have assured access to space.",
        "The Pentagon could say more about the strikes next week.",
        "Officials expect the State Department will announce the sanctions on Friday.",
    ],
)
def test_a_reporting_verb_after_a_modal_is_no_statement(text):
    assert extract(text, lang="en", published="2024-02-15") == []


def test_sentences_run_together_without_a_space_are_still_two():
    text = (
        "Soleimani had led the force for two decades.Defense Secretary Mark Esper accused him of planning "
        "the attacks."
    )
    got = found(text, "2020-01-05")
    assert [(g[0], g[3][:14]) for g in got] == [("us-pentagon", "Defense Secret")]
    from reactions.text import split_sentences

    for whole in ("Write to Marco.Rubio@state.gov today.", "The U.S.Army said so."):
        assert len(split_sentences(whole)) == 1


# --- "rules out"; stance verbs of a tracked body ----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "day", "speaker", "rule"),
    [
        ("Austin rules out sending US ground troops to Ukraine", "2022-03-01", "us-pentagon", "en-ruled-out/sv"),
        (
            "The Foreign Office ruled out any change to the travel advice before the summit.",
            "2023-05-01",
            "uk-government",
            "en-ruled-out/sv",
        ),
        (
            "The UK government alleged that the company was supplying steel to the Russian military.",
            "2022-04-05",
            "uk-government",
            "en-verb/sv",
        ),
        (
            "The British government believes the agreement will create jobs.",
            "2025-05-19",
            "uk-government",
            "en-verb/sv",
        ),
    ],
)
def test_ruling_out_and_stance_verbs_of_a_tracked_body(text, day, speaker, rule):
    assert [(g[0], g[2]) for g in found(text, day)] == [(speaker, rule)]


@pytest.mark.parametrize(
    "text",
    [
        "The referee ruled out the goal after a long review.",
        "Many analysts believe the agreement will create jobs.",
        "Prosecutors alleged that the company had lied.",
    ],
)
def test_ruling_out_and_stance_verbs_of_someone_else_are_not_tracked(text):
    assert extract(text, lang="en", published="2023-05-01") == []


def test_a_tracked_subject_after_a_subordinator_speaks_from_there():
    text = (
        "The US left the council in 2018, after the UN's human rights chief called its border policy of "
        'separating children "unconscionable."'
    )
    got = found(text, "2021-02-08")
    assert [(g[0], g[3][:24]) for g in got] == [("un-ohchr", "after the UN's human rig")]
    # "as X said" keeps the whole sentence: X said what comes before
    text = "The strikes were over, as the Pentagon said on Monday."
    assert [g[3] for g in found(text, "2021-02-08")] == [text]


# --- UN briefings: "<name> for <body> said"; official pages: the paragraphs after "said:" ---------------
@pytest.mark.parametrize(
    ("text", "day", "person"),
    [
        (
            "Jane Roe for the Office of the United Nations High Commissioner for Human Rights (OHCHR) said the "
            "Office had documented 40 killings.",
            "2024-09-17",
            "jane-roe",
        ),
        (
            "Rupert Colville, for the Office of the United Nations High Commissioner for Human Rights (OHCHR), "
            "said the Office was alarmed by the executions.",
            "2019-11-19",
            "rupert-colville",
        ),
    ],
)
def test_a_name_for_a_tracked_body_is_its_spokesperson(text, day, person):
    got = found(text, day)
    assert [(g[0], g[1], g[2]) for g in got] == [("un-ohchr", person, "en-verb/name-for")]


def test_a_name_after_thanked_for_a_body_is_an_object():
    text = "The minister thanked Jane Roe for the UN human rights office's work and said the talks would go on."
    assert extract(text, lang="en", published="2024-09-17") == []


BRIEFING = (
    "UN Geneva press briefing\n"
    "Jane Roe for the Office of the United Nations High Commissioner for Human Rights (OHCHR) said the Office "
    "had published its report on the country.\n"
    "Since the coup, at least 5,000 civilians had been killed.\n"
    "Those responsible needed to be held accountable.\n"
    "Update on refugees\n"
    "Some 3,000 people had crossed the border last week.\n"
)


def test_a_briefing_speakers_paragraphs_are_theirs_until_a_heading():
    got = found(BRIEFING, "2024-09-17")
    assert [(g[0], g[2], g[3][:12]) for g in got] == [
        ("un-ohchr", "en-verb/name-for", "Jane Roe for"),
        ("un-ohchr", "block-continuation", "Since the co"),
        ("un-ohchr", "block-continuation", "Those respon"),
    ]


def test_the_unquoted_paragraphs_after_said_colon_are_the_speakers_until_another_speaker():
    text = (
        "The Foreign Secretary, Boris Johnson, said:\n"
        "We got a very good agreement on sanctions.\n"
        "I was pleased that eight people have been sanctioned.\n"
        "The French foreign minister said the sanctions were too weak.\n"
        "Ministers will meet again in June.\n"
    )
    got = found(text, "2017-07-17")
    # ("X said:" on its own line is one statement with the sentence it announces)
    assert [(g[0], g[2], g[3][-12:]) for g in got] == [
        ("uk-government", "en-verb/apposition", "n sanctions."),
        ("uk-government", "block-continuation", " sanctioned."),
    ]


def test_a_quotation_after_said_colon_ends_the_block_at_the_quotation():
    text = (
        "Defence Secretary Grant Shapps said:\n"
        '"The test reaffirmed the deterrent."\n'
        "The missile landed in the ocean near the submarine.\n"
    )
    got = found(text, "2024-02-15")
    # (the announcement and the quotation are one statement; the narration after it is nobody's)
    assert [(g[2], g[3][-12:]) for g in got] == [("en-verb/sv", ' deterrent."')]


def test_a_transcripts_speaker_label_holds_until_the_next_label():
    text = (
        "Video transcript\n"
        "JOHN KIRBY: As we announced last night, forces conducted an air strike in eastern Syria.\n"
        "The strike was authorized in response to recent attacks on coalition personnel.\n"
        "Q: Were there casualties at the site?\n"
        "Reporters were then shown a map of the area.\n"
    )
    got = found(text, "2021-02-26")
    assert [(g[0], g[2]) for g in got] == [
        ("us-pentagon", "headline-colon"),
        ("us-pentagon", "block-continuation"),
    ]


def test_a_block_goes_on_through_first_person_speech_and_ends_at_a_named_speaker():
    text = (
        "The Foreign Secretary, Boris Johnson, said:\n"
        "I am very pleased to say that the sanctions were agreed today.\n"
        "We will keep up the pressure on the regime.\n"
        "Jean Dupont said the sanctions were too weak.\n"
        "Ministers meet again in June.\n"
    )
    got = found(text, "2017-07-17")
    assert [(g[2], g[3][:12], g[3][-12:]) for g in got] == [
        ("en-verb/apposition", "The Foreign ", "greed today."),
        ("block-continuation", "We will keep", " the regime."),
    ]


def test_a_statement_after_a_subordinator_with_an_initialism_possessive():
    text = (
        "The U.S. withdrew from the council in 2018 after the U.N.'s human rights chief called the policy "
        '"unconscionable."'
    )
    got = found(text, "2021-02-08")
    assert [(g[0], g[3][:9]) for g in got] == [("un-ohchr", "after the")]


# --- a headline opening with a unique post's bare title; a spokesperson's acronym in brackets -----------
def test_a_headline_opening_with_a_bare_title_names_the_holder_named_further_on():
    text = (
        "Foreign Secretary Says EU Will Impose Sanctions On Ukraine\n"
        "Foreign Secretary William Hague said the sanctions were agreed on Thursday.\n"
    )
    got = found(text, "2014-02-21")
    assert [(g[0], g[1], g[3][:17]) for g in got] == [
        ("uk-government", "william-hague", "Foreign Secretary"),
        ("uk-government", "william-hague", "Foreign Secretary"),
    ]


def test_a_headline_bare_title_without_the_holder_named_is_nobody():
    text = "Foreign Secretary Says EU Will Impose Sanctions On Ukraine\nThe sanctions were agreed on Thursday.\n"
    assert extract(text, lang="en", published="2014-02-21") == []


def test_the_prime_ministers_spokesman_and_the_pms():
    text = (
        "Asked if the Prime Minister had called any leaders, the Prime Minister's Spokesman (PMS) said there "
        "had been no calls.\n"
        "Asked about the flights, the PMS said a plane was being chartered.\n"
    )
    got = found(text, "2011-02-02")
    assert [(g[0], g[2]) for g in got] == [("uk-government", "en-verb/sv"), ("uk-government", "en-verb/sv")]


# --- a one-word name after a tracked title; a body's office or document right after its name ----------
def test_a_tracked_title_then_a_one_word_name_is_the_titles_body():
    text = '"We will provide more aid," Pentagon spokesman John told a news briefing.'
    got = found(text, "2022-02-25")
    assert [(g[0], g[1], g[2]) for g in got] == [("us-pentagon", "john", "en-verb/title-name")]
    # another country's minister with a one-word name stays someone else
    text = '"We will not retreat," the minister Shoigu told reporters.'
    assert extract(text, lang="en", published="2022-02-25") == []


@pytest.mark.parametrize(
    ("text", "day", "speaker"),
    [
        (
            '"The prime minister offered any support Israel needs," Sunak\'s Downing Street office said.',
            "2023-10-08",
            "uk-government",
        ),
        ("The Pentagon statement said the strikes hit three depots.", "2024-02-03", "us-pentagon"),
    ],
)
def test_a_bodys_office_or_document_right_after_its_name_speaks_for_it(text, day, speaker):
    assert [(g[0], g[2]) for g in found(text, day)] == [(speaker, "en-verb/sv")]


def test_an_office_of_something_else_after_a_body_is_not_it():
    text = "The Pentagon budget office found the costs had doubled."
    assert extract(text, lang="en", published="2024-02-03") == []


# --- hard-wrapped wire copy: a line ending mid-sentence goes on ---------------------------------------------
def test_a_hard_wrapped_sentence_is_one_sentence():
    text = (
        "WASHINGTON, Sept 11\n"
        "The United States on Tuesday\n"
        "condemned an attack by militants on a diplomatic\n"
        "compound in Benghazi, the State Department said.\n"
        "Heading Of Another Story\n"
        "Officials met later.\n"
    )
    got = found(text, "2012-09-12")
    assert [(g[0], g[3][:28]) for g in got] == [("us-state-department", "The United States on Tuesday")]
    assert got[0][3].endswith("the State Department said.")


# --- a quotation whose opening mark was lost: it runs from the paragraph's start -----------------------------
def test_a_closing_mark_without_an_opening_one_closes_a_quotation_from_the_paragraph_start():
    text = (
        "High Commissioner Volker Türk spoke in Geneva.\n"
        "Human rights have not failed. It is the disregard for them that has got us here,” Türk told a news "
        "conference.\n"
    )
    got = found(text, "2023-12-06")
    assert [(g[0], g[1], g[2], g[3][:12]) for g in got] == [
        ("un-ohchr", "volker-turk", "en-verb/sv", "Human rights"),
        ("un-ohchr", "volker-turk", "en-verb/sv", "It is the di"),
    ]
    from reactions.text import find_quotes

    para = 'He said:”We will stay.” Then he left.'
    assert find_quotes(para, 0, len(para)) == [(8, 23)]  # an opening ” after a colon still opens


def test_no_before_a_number_is_an_abbreviation_and_otherwise_ends_the_sentence():
    from reactions.text import split_sentences

    text = "The answer was no. Amb. Thomas-Greenfield spoke. No. 10 said so. Brig. Gen. Ryder agreed."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "The answer was no.",
        "Amb. Thomas-Greenfield spoke.",
        "No. 10 said so.",
        "Brig. Gen. Ryder agreed.",
    ]


def test_a_possessive_pronoun_keeps_the_speaker_in_view_over_a_silent_sentence():
    text = (
        "The U.N. High Commissioner for Human Rights Michelle Bachelet called for action.\n\n"
        "No region escaped her withering gaze. She noted the Council would hold dialogues on Iran."
    )
    got = extract(text, "en", "2021-06-21")
    assert [(s.speaker, s.rule) for s in got] == [("un-ohchr", "en-verb/sv"), ("un-ohchr", "en-verb/pronoun")]
    other = (
        "The U.N. High Commissioner for Human Rights Michelle Bachelet called for action.\n\n"
        "The minister met the delegates. She noted the Council would hold dialogues on Iran."
    )
    assert [s.rule for s in extract(other, "en", "2021-06-21")] == ["en-verb/sv"]


def test_issued_a_warning_is_speech_like_issued_a_statement():
    got = extract("UN human rights chief Michelle Bachelet has issued a stark warning that poverty is rising.",
                  "en", "2021-06-21")
    assert [(s.speaker, s.rule) for s in got] == [("un-ohchr", "en-issued/sv")]


def test_a_quotation_cut_off_after_a_few_words_at_the_pages_end_is_no_statement():
    text = (
        '"Terrorism is odious and needs to be condemned," High Commissioner Zeid Ra\'ad Al Hussein said.\n\n'
        '"But whenever there is excessive actio'
    )
    got = extract(text, "en", "2015-03-02")
    assert [(s.speaker, s.rule) for s in got] == [("un-ohchr", "en-verb/sv")]
    whole = text.replace("excessive actio", "excessive action by the state, we will say so.\"")
    assert [s.rule for s in extract(whole, "en", "2015-03-02")] == ["en-verb/sv", "quote-continuation"]


def test_she_said_after_a_quotation_goes_back_over_a_sentence_of_background_to_the_one_woman_in_view():
    text = (
        "UN Human Rights spokesperson Ravina Shamdasani said the High Commissioner was concerned.\n\n"
        "On Thursday, the Russian parliament adopted proposals to broaden a ban.\n\n"
        "“The proposals would expand an existing law from 2013,” she said.\n\n"
        "On Friday, the Duma adopted a second bill.\n\n"
        "He said the vote was unanimous."
    )
    got = extract(text, "en", "2022-10-28")
    assert [(s.speaker, s.person, s.rule) for s in got] == [
        ("un-ohchr", "ravina-shamdasani", "en-verb/sv"),
        ("un-ohchr", "ravina-shamdasani", "en-verb/pronoun"),
    ]


def test_briefed_reports_speech_only_with_what_was_said_beside_it():
    event = (
        "US Defence Secretary James Mattis and Chairman of the Joint Chiefs of Staff General Joseph Dunford"
        " briefed the media shortly after the strikes."
    )
    assert extract(event, "en", "2018-04-14") == []
    before = "Washington continues to monitor Russian troops, Pentagon Press Secretary John Kirby briefed reporters."
    after = "Pentagon Press Secretary John Kirby briefed reporters that Russian troops were massing."
    assert [s.rule for s in extract(before, "en", "2022-01-28")] == ["en-verb/sv"]
    assert [s.rule for s in extract(after, "en", "2022-01-28")] == ["en-verb/sv"]


def test_a_weak_verb_after_a_sentence_opening_pronoun_goes_on_with_the_tracked_speaker():
    text = (
        "Defense Secretary Pete Hegseth confirmed the deployment of 1,500 troops to the border. "
        "He highlighted the military's preparedness. He concluded his visit on Friday."
    )
    got = extract(text, "en", "2025-01-27")
    assert [(s.speaker, s.rule) for s in got] == [("us-pentagon", "en-verb/sv"), ("us-pentagon", "en-verb/pronoun")]
    assert extract("The minister arrived. He highlighted the army's preparedness.", "en", "2025-01-27") == []


def test_the_pm_goes_on_with_the_prime_minister_in_view():
    text = (
        "Prime Minister Rishi Sunak has landed in Tel Aviv. Mr. Sunak stressed the need to prevent escalation.\n"
        "In a speech to his staff in Jerusalem, the PM reiterated Britain’s support for Israel."
    )
    got = extract(text, "en", "2023-10-19")
    assert [(s.speaker, s.rule) for s in got] == [("uk-government", "en-verb/sv")] * 2
    other = "Israeli President Isaac Herzog met the delegation. The PM reiterated support for Israel."
    assert extract(other, "en", "2023-10-19") == []


def test_says_government_spokesperson_in_a_text_about_britain():
    text = (
        "Downing Street clashes with UK foreign secretary over Gaza\n"
        "Israel's actions do not fully align with Foreign Secretary Lammy's assessment, says government spokesperson"
    )
    got = extract(text, "en", "2025-05-20")
    assert [(s.speaker, s.rule) for s in got] == [("uk-government", "en-verb/said-x")]
