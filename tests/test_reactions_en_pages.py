"""English classes of real web pages (the pages sets and H of issue 8): official pages that announce a
statement on a line of its own, statements read out over several paragraphs, "the ministry" meaning
another body, and the rest of this file's classes.  Sentences are written for these tests; each class
has look-alikes that must not fire."""

from __future__ import annotations

from reactions import explain, extract


def found(text: str, day: str) -> list[tuple[str, str | None, str, str]]:
    return [(s.speaker, s.person, s.rule, s.text) for s in extract(text, lang="en", published=day)]


# --- "X said:" on a line of its own is one statement with the paragraph it announces ------------------
def test_an_announcement_line_is_one_statement_with_the_sentence_it_announces():
    text = (
        "Press release: Defence Secretary visits troops in Estonia\n\n"
        "Speaking at the base, Defence Secretary Ben Wallace said:\n\n"
        "Our commitment to Estonia is unwavering. We will keep our battlegroup here as long as it is needed.\n"
    )
    got = found(text, "2022-02-10")
    assert [g[0] for g in got] == ["uk-government", "uk-government"]
    first = got[0][3]
    assert first.startswith("Speaking at the base, Defence Secretary Ben Wallace said:")
    assert first.endswith("Our commitment to Estonia is unwavering.")
    assert got[0][2] == "en-verb/sv"
    assert got[1] == (
        "uk-government",
        "ben-wallace",
        "block-continuation",
        "We will keep our battlegroup here as long as it is needed.",
    )


def test_an_announcement_line_followed_by_a_quotation_is_one_statement():
    text = (
        "Jeremy Laurence, for the Office of the United Nations High Commissioner for Human Rights (OHCHR), "
        "told journalists in Geneva:\n\n"
        "“We are alarmed by the arrests of journalists in the capital this week.”\n"
    )
    got = found(text, "2023-05-02")
    assert len(got) == 1
    assert got[0][0] == "un-ohchr"
    assert got[0][3].startswith("Jeremy Laurence, for the Office") and got[0][3].endswith("this week.”")


def test_an_announcement_is_not_merged_with_another_speakers_paragraph():
    text = (
        "Foreign Secretary James Cleverly said:\n\n"
        "Iran's foreign ministry said the talks would resume next month.\n"
    )
    got = found(text, "2023-06-01")
    # the line stays its own (the next paragraph is Iran's, not his)
    assert [(g[0], g[3]) for g in got] == [("uk-government", "Foreign Secretary James Cleverly said:")]


# --- a statement read out over paragraphs: the quotation opened and not closed goes on ----------------
def test_a_quotation_left_open_at_a_paragraph_end_goes_on_in_the_next_paragraphs():
    text = (
        "Ravina Shamdasani, for the Office of the United Nations High Commissioner for Human Rights "
        "(OHCHR), read the following statement:\n\n"
        "“We are deeply troubled by the mass detentions reported in the north of the country.\n\n"
        "Families have told us they have received no news of their relatives for weeks.\n\n"
        "We urge the authorities to disclose where all detainees are held.\n"
    )
    got = found(text, "2024-03-05")
    assert [g[0] for g in got] == ["un-ohchr"] * 3
    assert [g[2] for g in got][1:] == ["block-continuation", "block-continuation"]
    assert got[2][3] == "We urge the authorities to disclose where all detainees are held."


def test_a_closed_quotation_after_said_ends_the_block():
    text = (
        "Foreign Secretary Jeremy Hunt said:\n\n"
        "“We condemn the attack on the convoy.”\n\n"
        "The convoy was carrying food to the north of the country.\n"
    )
    got = found(text, "2019-04-04")
    assert [g[0] for g in got] == ["uk-government"]
    assert "convoy was carrying" not in got[0][3]


# --- the block's own speaker named in the third person: narration, not their words -------------------
def test_a_caption_naming_the_blocks_speaker_ends_the_block():
    text = (
        "The Foreign Secretary, Boris Johnson, said:\n\n"
        "We will be discussing the crisis in Libya today.\n\n"
        "Foreign Secretary Boris Johnson talks to reporters before the meeting:\n\n"
        "Video of the meeting - July 2017\n"
    )
    got = found(text, "2017-07-17")
    assert len(got) == 1
    assert got[0][3].endswith("We will be discussing the crisis in Libya today.")
    # control: the block itself goes on over a sentence that names the country, not the person
    text2 = text.replace(
        "Foreign Secretary Boris Johnson talks to reporters before the meeting:",
        "The UK has been pressing for this for months.",
    )
    got2 = found(text2, "2017-07-17")
    assert [g[2] for g in got2] == ["en-verb/apposition", "block-continuation"]


# --- "the ministry" is the ministry last named with that word --------------------------------------
def test_the_ministry_after_another_countrys_ministry_is_not_the_tracked_body():
    text = (
        "Foreign Secretary David Lammy said the killings were appalling. "
        "Dozens more people died overnight, according to the Health Ministry in Gaza. "
        "The deaths brought the total to 212, the ministry said in a statement."
    )
    got = found(text, "2025-08-02")
    assert [(g[0], g[2]) for g in got] == [("uk-government", "en-verb/sv")]
    said = [a for a in explain(text, "en", "2025-08-02") if a.start > 120]
    assert said and said[-1].speaker == "foreign-ministries" and not said[-1].tracked


def test_the_ministry_after_the_tracked_ministry_is_still_the_tracked_body():
    text = (
        "The UK Ministry of Defence said two jets struck a weapons store in Syria. "
        "All aircraft returned safely, the ministry said in a statement."
    )
    got = found(text, "2026-01-04")
    assert [g[0] for g in got] == ["uk-government", "uk-government"]
    # "the Ministry of Defence" named after the Health Ministry: the nearest naming decides
    text2 = (
        "Forty people died, according to the Health Ministry. The Ministry of Defence said the strike hit "
        "its target. No civilians were near the site, the ministry said."
    )
    got2 = found(text2, "2026-01-04")
    assert [g[0] for g in got2][-1:] == ["uk-government"]


def test_the_department_after_another_department_is_not_the_state_department():
    text = (
        "Secretary of State Antony Blinken said the visas would be reviewed. "
        "The Department of Homeland Security later opened its own inquiry. "
        "The department said it would publish its findings in March."
    )
    got = found(text, "2023-02-01")
    assert [g[0] for g in got] == ["us-state-department"]


# --- "the MoD", "the MOD": the UK Ministry of Defence by its initials -------------------------------
def test_the_mod_initials_name_the_uk_ministry_of_defence():
    text = "All four aircraft returned safely to RAF Akrotiri, the MOD said on Sunday."
    assert [(g[0], g[2]) for g in found(text, "2025-03-09")] == [("uk-government", "en-verb/sv")]
    text2 = "The MoD added that the drones had been shot down over the Red Sea."
    assert [g[0] for g in found(text2, "2024-01-12")] == ["uk-government"]


def test_another_countrys_mod_is_not_the_uk():
    for text in (
        "Russia's MoD said its forces had taken two villages.",
        "The Russian MoD said its air defences had destroyed twelve drones.",
    ):
        assert found(text, "2024-05-20") == []
    # (a "mod" in lower case is no body: "a mod of the game")
    assert found("A mod said the forum would close on Friday.", "2024-05-20") == []


# --- a body's own documents, once it has spoken ------------------------------------------------------
def test_the_press_release_and_the_release_speak_for_the_body_that_issued_them():
    text = (
        "The Pentagon said in a statement on Friday that the package includes air defence interceptors. "
        "It is the 40th drawdown of equipment for Ukraine since August 2021, according to the release."
    )
    got = found(text, "2023-06-09")
    assert [(g[0], g[2]) for g in got] == [("us-pentagon", "en-verb/sv"), ("us-pentagon", "en-according")]
    text2 = (
        "The Ministry of Defence said in a press release that two Typhoons struck a cave complex. "
        "“The aircraft used precision-guided bombs against every entrance,” the press release read."
    )
    assert [g[0] for g in found(text2, "2021-04-15")] == ["uk-government", "uk-government"]


def test_a_release_with_nobody_who_spoke_before_it_is_nobodys():
    text = "Sales rose four percent in the quarter, according to the release. The memo said costs had fallen."
    assert found(text, "2023-06-09") == []
    # a news outlet's release after another body spoke is not the tracked speaker's either
    text2 = (
        "Foreign Secretary James Cleverly said the talks were useful. "
        "Amnesty International said in a news release that the trials were unfair. "
        "The group's lawyers filed an appeal, according to the release."
    )
    assert [g[0] for g in found(text2, "2023-06-09")] == ["uk-government"]


# --- "he continued" beside a quotation or a colon -----------------------------------------------------
def test_continued_reports_speech_beside_a_quotation_or_a_colon():
    text = (
        "“Our priority is a ceasefire,” Secretary of State Antony Blinken said. "
        "“Hamas has to say yes to the proposal on the table,” he continued."
    )
    got = found(text, "2024-06-11")
    assert [(g[0], g[2]) for g in got] == [
        ("us-state-department", "en-verb/sv"),
        ("us-state-department", "en-verb/pronoun"),
    ]
    text2 = "Foreign Secretary David Lammy said the scenes were appalling. He continued: “This must end now.”"
    assert [g[2] for g in found(text2, "2025-07-22")] == ["en-verb/sv", "en-verb/pronoun"]


def test_continued_without_speech_is_no_statement():
    text = (
        "Secretary of State Antony Blinken said the talks were serious. "
        "He continued to press Israeli leaders on aid deliveries. The shelling continued overnight."
    )
    got = found(text, "2024-06-11")
    assert [g[3][:14] for g in got] == ["Secretary of S"]


# --- a pronoun opening a sentence without speech keeps the person for a following "he said" ---------
def test_he_was_asked_keeps_the_speaker_for_the_answer():
    text = (
        "Foreign Secretary David Lammy was interviewed on the radio on Tuesday. "
        "He was asked whether Britain would recognise a Palestinian state. "
        "'We will do it at the point of maximum impact,' he said."
    )
    got = found(text, "2025-07-22")
    assert [(g[0], g[1], g[2]) for g in got] == [("uk-government", "david-lammy", "en-verb/pronoun")]


def test_a_sentence_about_someone_else_still_breaks_the_pronoun_chain():
    text = (
        "Foreign Secretary David Lammy was interviewed on the radio on Tuesday. "
        "The Israeli army launched a new operation in the south. "
        "'We will do it at the point of maximum impact,' he said."
    )
    assert found(text, "2025-07-22") == []
    # and a pronoun of the other gender is someone else
    text2 = text.replace(
        "The Israeli army launched a new operation in the south.", "She was asked about aid."
    )
    assert found(text2, "2025-07-22") == []


def test_a_subordinate_clause_naming_the_speaker_is_no_topic_for_what_follows():
    text = (
        "If Foreign Secretary David Lammy's plan fails, the talks will collapse within weeks. "
        "Calling a new summit before the spring will be very hard."
    )
    assert found(text, "2025-02-10") == []
    # control: the same title and name opening a sentence are its topic, whom "he said" continues
    text2 = "Foreign Secretary David Lammy arrived in Riyadh on Monday. He said the talks would be difficult."
    assert [(g[1], g[2]) for g in found(text2, "2025-02-10")] == [("david-lammy", "en-verb/pronoun")]
    text3 = "If Foreign Secretary David Lammy arrives in Riyadh on Monday, the talks resume. He said so."
    assert found(text3, "2025-02-10") == []


# --- headlines: "<words> - Pentagon", "<speaker> sees ...", "..., says PM's spokesman" ----------------
def test_a_headline_closing_with_a_dash_and_a_tracked_speaker_is_theirs():
    for text, day, speaker in (
        (
            "Washington to send more air defence missiles to Kyiv - Pentagon\nThe package is worth $1bn.",
            "2024-06-20",
            "us-pentagon",
        ),
        (
            "Britain ready to widen sanctions if talks fail -PM's spokesman\nNo date was given.",
            "2022-02-14",
            "uk-government",
        ),
        (
            "US watches drills near Taiwan closely – State Department spokesperson",
            "2023-04-09",
            "us-state-department",
        ),
    ):
        got = found(text, day)
        assert [(g[0], g[2]) for g in got] == [(speaker, "headline-dash/closing")]
        assert "\n" not in got[0][3]


def test_a_headline_closing_with_an_untracked_name_or_a_site_is_nobodys():
    for text in (
        "Navy test of new missile fails for second time - BBC News",
        "Rail strikes to go ahead next week - RMT union",
        "Ukraine-Russia talks resume in Istanbul - CNN Video",
        # a tracked body inside the headline, but not closing it
        "Pentagon - budget hearing postponed to next week",
    ):
        assert found(text, "2024-01-10") == []


def test_a_first_line_opening_with_a_tracked_speaker_and_a_headline_verb_is_theirs():
    got = found("Pentagon sees no sign of Russian pullback near Kyiv\nTroops remain in place.", "2022-03-30")
    assert [(g[0], g[2]) for g in got] == [("us-pentagon", "en-headline/sv")]
    got = found("UK foreign minister repeats call for Gaza ceasefire\nHe spoke in Cairo.", "2024-09-10")
    assert [(g[0], g[1], g[2]) for g in got] == [("uk-government", "david-lammy", "en-headline/sv")]


def test_a_headline_verb_in_running_text_or_after_someone_else_is_no_statement():
    for text in (
        # not the text's first line
        "Troops remain in place near Kyiv.\nPentagon sees no sign of Russian pullback near Kyiv",
        # a full sentence, not a headline
        "The Pentagon sees a rise in applications this year.",
        # someone else opens the headline
        "Kremlin sees no progress in talks with Pentagon",
    ):
        assert found(text, "2022-03-30") == []


def test_says_new_minister_after_a_headline_names_them():
    text = "Britain will seek a balanced position on Gaza, says new foreign minister David Lammy"
    got = found(text, "2024-07-06")
    assert [(g[0], g[1], g[2]) for g in got] == [("uk-government", "david-lammy", "en-verb/said-x")]


# --- a paragraph going on with a quotation opened in the paragraph before ---------------------------
def test_a_paragraph_closing_a_quotation_opened_before_keeps_its_reporting_clause():
    text = (
        "Secretary of State Mike Pompeo said in a statement on Tuesday that Washington condemned the attack.\n\n"
        '"We condemn this cowardly attack on diplomats in the strongest terms.\n\n'
        'Nothing can justify such violence," Pompeo said. "We send our condolences to the families."\n'
    )
    got = found(text, "2019-07-17")
    assert [g[0] for g in got] == ["us-state-department"] * 4
    assert [g[2] for g in got][2:] == ["en-verb/sv", "quote-continuation"]
    assert got[2][3] == 'Nothing can justify such violence," Pompeo said.'


def test_an_ascii_quote_opening_after_a_space_is_still_an_opening_mark():
    # 'Pompeo said "..."': the mark after a space opens; the reporting clause stays outside the quotation
    text = 'Secretary of State Mike Pompeo said "nothing can justify such violence." He left for Ottawa.'
    got = found(text, "2019-07-17")
    assert [(g[0], g[3]) for g in got] == [
        ("us-state-department", 'Secretary of State Mike Pompeo said "nothing can justify such violence."')
    ]


# --- "he responded:" -------------------------------------------------------------------------------
def test_responded_with_a_quotation_or_a_colon_is_speech_whoever_the_subject():
    text = (
        "The Prime Minister's official spokesman said he did not recognise the reports. "
        "Asked if it could take weeks, he responded: “You will see more sanctions in the coming days.” "
        "He added that the measures would squeeze the regime."
    )
    got = found(text, "2022-03-03")
    assert [(g[0], g[2]) for g in got] == [
        ("uk-government", "en-verb/sv"),
        ("uk-government", "en-verb/pronoun"),
        ("uk-government", "en-verb/pronoun"),
    ]


def test_responded_without_speech_is_no_statement():
    text = "The Pentagon said it was watching the strait. It responded by sending two more destroyers."
    got = found(text, "2024-01-03")
    assert [g[3][:12] for g in got] == ["The Pentagon"]


# --- a surname with a particle ("Al Hussein", "de Mello") after the full name --------------------------
def test_a_surname_with_a_particle_speaks_after_the_full_name():
    text = (
        "UN High Commissioner for Human Rights Zeid Ra'ad Al Hussein opened the session on Monday. "
        "The session will last three weeks. "
        "Al Hussein said the government had ignored every request for access."
    )
    got = found(text, "2016-09-13")
    assert [(g[1], g[2]) for g in got] == [("zeid-raad-al-hussein", "en-verb/sv")]


def test_a_particle_surname_without_the_full_name_is_nobody():
    # another bearer of the name ("King Abdullah II bin Al Hussein"), and no full name of the High Commissioner
    text = "King Abdullah II bin Al Hussein met the envoy in Amman. Al Hussein said Jordan would help."
    assert found(text, "2016-09-13") == []


# --- a headline's surname, the full name further on -------------------------------------------------
def test_a_headline_surname_speaks_when_the_full_name_comes_later():
    cases = (
        ("Hague: ‘No justification’ for Russian moves in Crimea\n", "headline-colon"),
        ("Hague wants 'firm' EU response on Crimea\n", "en-headline/sv"),
        ("US condemns attack on diplomats in Erbil - Pompeo\n", "headline-dash/closing"),
    )
    bodies = {
        "headline-colon": "Foreign Secretary William Hague said the moves were a grave escalation.",
        "en-headline/sv": "Foreign Secretary William Hague said the moves were a grave escalation.",
        "headline-dash/closing": "The attack was condemned by Secretary of State Mike Pompeo in a statement.",
    }
    for head, rule in cases:
        day = "2019-07-17" if "Pompeo" in head else "2014-03-02"
        got = found(head + bodies[rule], day)
        assert (got[0][2], got[0][3]) == (rule, head.strip())


def test_a_headline_surname_without_the_full_name_in_the_text_is_nobody():
    assert found("Hague: ‘No justification’ for Russian moves in Crimea\nTalks resumed.", "2014-03-02") == []
    # a surname in running text (not a headline) still needs the full name before it
    text = (
        "Talks resumed on Monday.\nHague wants a firm response.\nForeign Secretary William Hague spoke later."
    )
    assert found(text, "2014-03-02") == []


def test_a_headline_after_a_caption_and_a_date_line_is_still_a_headline():
    text = (
        "Volker Türk / credit: UN Photo\n"
        "14/09/2023 - 15:46\n"
        "UN Human Rights Chief Eyes New Inquiry Into Detentions\n"
        "The Human Rights Council opened its session in Geneva yesterday."
    )
    got = found(text, "2023-09-14")
    assert [(g[0], g[2]) for g in got] == [("un-ohchr", "en-headline/sv")]
    # after a full sentence it is no longer a headline
    text2 = "The council opened its session.\nUN Human Rights Chief Eyes New Inquiry Into Detentions"
    assert found(text2, "2023-09-14") == []


def test_a_dash_headline_with_its_own_named_speaker_is_not_the_closing_bodys():
    for text in (
        "Russia says talks with Kyiv failed - Pentagon",
        "Zelensky says talks with Moscow failed - Pentagon",
    ):
        assert [g for g in found(text, "2022-03-01") if g[0] == "us-pentagon"] == []


# --- refusals and speeches announced in advance -----------------------------------------------------
def test_a_tracked_speaker_declining_to_say_something_is_a_statement():
    got = found("The State Department declined to comment on the talks in Doha.", "2024-05-02")
    assert [(g[0], g[2]) for g in got] == [("us-state-department", "en-declined/sv")]
    got = found("The Ministry of Defence has declined to publicly confirm the number of jets.", "2024-05-02")
    assert [(g[0], g[2]) for g in got] == [("uk-government", "en-declined/sv")]


def test_declining_an_act_or_someone_else_declining_is_no_statement():
    for text in (
        "The Pentagon declined to send more troops to the region.",
        "The State Department refused to issue visas to the delegation.",
        "An Israeli army spokesperson declined to comment on the incident.",
    ):
        assert found(text, "2024-05-02") == []


def test_will_and_negated_modals_report_speech_other_modals_do_not():
    base = "Prime Minister Rishi Sunak said he was in Israel to show solidarity. "
    said = (
        "He will urge regional leaders to avoid a wider war.",
        "He would not say whether British troops would be sent.",
        "He could not confirm that the hostages were alive.",
    )
    for second in said:
        got = found(base + second, "2023-10-19")
        assert [g[2] for g in got] == ["en-verb/sv", "en-verb/pronoun"], second
    for second in ("He might urge regional leaders to talk.", "He could say more after the meeting."):
        got = found(base + second, "2023-10-19")
        assert [g[2] for g in got] == ["en-verb/sv"], second


def test_an_infinitive_of_a_reporting_verb_opens_no_clause():
    text = (
        "Prime Minister Rishi Sunak said he would travel to Cairo next week to urge restraint on all sides."
    )
    got = found(text, "2023-10-19")
    assert [(g[2], g[3]) for g in got] == [("en-verb/sv", text)]


# --- "spoke about", "referred to", "made clear that" ------------------------------------------------
def test_speaking_about_referring_to_and_making_clear_are_statements():
    text = (
        "Leaving the council, Foreign Secretary William Hague spoke about the sanctions on Kyiv officials. "
        "He referred to the deaths in the square as a turning point. "
        "He made clear that the measures would include asset freezes."
    )
    got = found(text, "2014-02-21")
    assert [g[2] for g in got] == ["en-spoke-about/sv", "en-referred-to/pronoun", "en-made-clear/pronoun"]


def test_speaking_to_someone_a_referral_and_making_a_visit_are_not():
    for text in (
        "Foreign Secretary William Hague spoke to Sergei Lavrov by phone on Monday.",
        "The complaint against the Foreign Office was referred to the ombudsman.",
        "Foreign Secretary William Hague made a visit to Kyiv on Monday.",
        "Foreign Secretary William Hague made clearer rules for visas a priority.",
    ):
        assert found(text, "2014-02-21") == [], text


# --- "<body> <document> of/on ... said" -------------------------------------------------------------
def test_a_bodys_document_with_a_complement_speaks_for_the_body():
    text = "A Downing Street readout of the call said the prime minister had urged restraint."
    assert [(g[0], g[2]) for g in found(text, "2023-12-05")] == [("uk-government", "en-verb/document")]
    text2 = "A State Department memo on the visa review said the checks would take months."
    assert [(g[0], g[2]) for g in found(text2, "2023-12-05")] == [("us-state-department", "en-verb/document")]


def test_a_document_about_a_body_is_not_the_bodys():
    for text in (
        "A report on the Pentagon budget said costs had risen sharply.",
        "A readout of the call with the State Department said little.",
    ):
        assert found(text, "2023-12-05") == [], text
