"""English official pages that give one official's words whole: a line introducing them ("Statement by
Pentagon Press Secretary Peter Cook on ...", "The comments made by Ben Wallace, the Secretary of State for
Defence, on 29 December 2020.") opens that official's block; the House of Commons' procedure is no statement."""

import pytest

from reactions.extract import extract


def _got(text: str, day: str) -> list[tuple[str, str | None, str, str]]:
    return [(s.speaker, s.person, s.rule, s.text) for s in extract(text, "en", day)]


def test_a_statement_by_line_opens_the_officials_block_over_a_dateline():
    text = (
        "Statement by Pentagon Press Secretary Peter Cook on Coalition Airstrike in Syria\n\nSept. 17, 2016\n\n"
        "The Department of Defense continues to gather information on a coalition airstrike in Syria.\n\n"
        "We will review all aspects of this strike."
    )
    got = _got(text, "2016-09-17")
    assert [(g[0], g[1], g[2]) for g in got] == [("us-pentagon", "peter-cook", "block-continuation")] * 2


def test_the_comments_made_by_a_secretary_of_state_open_his_block_up_to_the_next_heading():
    # (the next entry's title is a bullet point, skipped, then the title again as a heading: the block ends)
    text = (
        "Ben Wallace – 2020 Comments on Military Communications\n\n"
        "    The text of the comments made by Ben Wallace, the Secretary of State for Defence, on 19 July 2020.\n\n"
        "    The newest contested frontier is space and so we need better communications for our forces.\n\n"
        "  • Ben Wallace – 2020 Comments on Military Accommodation\n\n"
        "    Ben Wallace – 2020 Comments on Military Accommodation\n\n"
        "    Our Armed Forces work incredibly hard to keep our nation safe."
    )
    got = _got(text, "2020-07-19")
    assert [(g[0], g[1], g[2]) for g in got] == [("uk-government", "ben-wallace", "block-continuation")]
    assert got[0][3].startswith("The newest contested frontier")


def test_a_junior_minister_named_by_her_full_post_and_the_commons_procedure():
    text = (
        "The statement made by Wendy Morton, the Parliamentary Under-Secretary of State for Foreign, Commonwealth"
        " and Development Affairs, in the House of Commons on 4 November 2021.\n\nI beg to move,\n\n"
        "That the Republic of Belarus (Sanctions) Regulations 2021 be approved.\n\n"
        "With your permission, Madam Deputy Speaker, I will make a statement.\n\n"
        "These regulations correct that error."
    )
    got = _got(text, "2021-11-04")
    assert [(g[0], g[1], g[2], g[3]) for g in got] == [
        ("uk-government", "wendy-morton", "block-continuation", "These regulations correct that error.")
    ]


def test_an_introduction_of_someone_untracked_or_a_sentence_about_a_statement_opens_nothing():
    nsc = "Statement by NSC Spokesperson Adrienne Watson on the ICBM Test\n\nThe United States strongly condemns it."
    assert _got(nsc, "2022-11-03") == []
    about = (
        "The statement by the State Department concluded by saying that the United States stood with Britain."
        "\n\nThe attack killed three people."
    )
    assert [g[2] for g in _got(about, "2017-06-04")] != ["block-continuation", "block-continuation"]
    assert all(g[3] != "The attack killed three people." for g in _got(about, "2017-06-04"))


def test_made_the_following_statement_opens_the_block_and_says_nothing_itself():
    text = (
        "Foreign Secretary William Hague made the following statement to the House of Commons on Wednesday"
        " 29 June 2011\n\nProtests across Syria are still being met by unacceptable violence from the regime.\n\n"
        "I hope further such meetings can be held."
    )
    got = _got(text, "2011-06-29")
    assert [(g[0], g[1], g[2]) for g in got] == [("uk-government", "william-hague", "block-continuation")] * 2


def test_made_the_following_statement_with_a_colon_is_one_statement_with_what_it_announces():
    text = (
        "The Foreign Secretary, William Hague made the following statement today:\n\n"
        "The scale of the atrocities being committed by the Assad regime is becoming ever clearer.\n\n"
        "We welcome the decision by France."
    )
    got = _got(text, "2013-06-04")
    assert [(g[0], g[2]) for g in got] == [
        ("uk-government", "en-made-statement/sv"),
        ("uk-government", "block-continuation"),
    ]
    assert got[0][3].endswith("becoming ever clearer.")


def test_a_caption_of_someone_delivering_a_statement_is_no_statement():
    caption = "Michelle Bachelet delivers her statement during the opening day of the 50th session of the Council."
    remarks = "Marie Harf, the deputy spokesperson for the State Department, made the remarks on Thursday."
    assert _got(caption, "2022-06-13") == []
    assert _got(remarks, "2015-03-26") == []


def test_an_officials_remarks_as_a_title_open_the_block_and_a_sentence_about_them_does_not():
    text = (
        "Jeremy Hunt's opening remarks at press conference with Mike Pompeo\n\nGood afternoon.\n\n"
        "I'm delighted to welcome Secretary Mike Pompeo to the Foreign Office."
    )
    got = _got(text, "2019-05-09")
    assert [(g[0], g[1], g[2]) for g in got] == [("uk-government", "jeremy-hunt", "block-continuation")]
    about = (
        "Lammy said the shooting was disgusting.\nThe Foreign Secretary's comments come amid growing scrutiny.\n"
        "At least seven more Palestinians died in Gaza on Saturday."
    )
    assert [g[2] for g in _got(about, "2025-08-02")] == ["en-verb/sv"]


def test_a_section_name_may_stand_before_the_statement_by_line():
    text = (
        "Defense: Statement by Secretary of Defense Lloyd J. Austin III on naming the next Press Secretary\n\n"
        "Pat will fill a critical role, leading our efforts to provide timely information to the media."
    )
    got = _got(text, "2022-08-04")
    assert [(g[0], g[1], g[2]) for g in got] == [("us-pentagon", "lloyd-austin", "block-continuation")]


@pytest.mark.parametrize("verb", ["underscored", "commended", "hinted", "outlined", "recounted", "observed"])
def test_more_verbs_of_saying_read_with_their_tracked_subject(verb):
    got = _got(f"Defense Secretary Pete Hegseth {verb} the military's readiness at the border.", "2025-01-28")
    assert [(g[0], g[2]) for g in got] == [("us-pentagon", "en-verb/sv")]


def test_attributable_to_opens_the_block():
    text = (
        "U.S. Conducts Defensive Precision Strike\n\n(Attributable to Pentagon Press Secretary John Kirby)\n\n"
        "These strikes were authorized in response to recent attacks against American personnel in Iraq."
    )
    got = _got(text, "2021-02-25")
    assert [(g[0], g[1], g[2]) for g in got] == [("us-pentagon", "john-kirby", "block-continuation")]


def test_a_speech_by_line_with_words_between_and_its_address_lines():
    text = (
        "Opening statement and global update of human rights concerns by UN High Commissioner for Human Rights"
        " Zeid Ra’ad Al Hussein at 38th session of the Human Rights Council\n\n18 June 2018\nMr. President,\n"
        "Excellencies,\nDistinguished Delegates,\n\nI wish to draw on some final reflections.\n\n"
        "No. A clear rejection of this comes from the negotiating record itself."
    )
    got = _got(text, "2018-06-18")
    assert [(g[0], g[2], g[3]) for g in got] == [
        ("un-ohchr", "block-continuation", "I wish to draw on some final reflections."),
        ("un-ohchr", "block-continuation", "A clear rejection of this comes from the negotiating record itself."),
    ]


def test_a_comma_between_a_titled_subject_and_said():
    got = _got("Foreign secretary Dominic Raab, said: “The UK has sanctioned those responsible.”", "2021-08-09")
    assert [(g[0], g[1], g[2]) for g in got] == [("uk-government", "dominic-raab", "en-verb/apposition")]


def test_a_press_release_by_the_foreign_office_with_bullet_points_and_a_list():
    text = (
        "    The press release issued by the Foreign Office on 29 September 2023.\n\n"
        "    Latest sanctions package holds those who would undermine Ukraine’s sovereignty to account.\n\n"
        "    • UK sanctions Russian officials involved in recent sham elections\n"
        "    • 1,600 individuals and entities have now been sanctioned by the UK\n\n"
        "    Eleven new designations will be imposed by the UK in response to the sham elections.\n\n"
        "    They include:\n\n    • Natalya Budarina, CEC Secretary.\n\n"
        "    The UK will continue to hold Russia to account."
    )
    got = _got(text, "2023-09-29")
    assert [(g[0], g[2]) for g in got] == [("uk-government", "block-continuation")] * 3
    assert [g[3][:12] for g in got] == ["Latest sanct", "Eleven new d", "The UK will "]


def test_a_speech_page_goes_on_over_a_dated_timestamp_and_the_pages_summary_of_it():
    text = (
        "Jeremy Hunt's opening remarks at press conference with Mike Pompeo\n\n9 May 2019 12:55 PM\n\n"
        "The Foreign Secretary spoke on 8 May, alongside the US Secretary of State, on the Iran nuclear deal.\n\n"
        "Good afternoon.\n\nThe Anglo-American alliance was forged in the greatest struggle against tyranny."
    )
    got = _got(text, "2019-05-09")
    assert [(g[0], g[2], g[3][:24]) for g in got] == [
        ("uk-government", "block-continuation", "The Anglo-American allia")
    ]


def test_repeated_calls_is_speech_with_a_tracked_subject():
    got = _got("British foreign minister David Lammy repeated calls for an immediate ceasefire.", "2024-10-01")
    assert [(g[0], g[1], g[2]) for g in got] == [("uk-government", "david-lammy", "en-verb/sv")]
    assert _got("Russia repeated its warning to the West.", "2024-10-01") == []


def test_a_hansard_speaker_line_opens_the_ministers_answer():
    text = (
        "Tommy Sheppard (Edinburgh East) (SNP)\n\n"
        "4. Whether he has had recent discussions with his Israeli counterpart. (904714)\n\n"
        "The Secretary of State for Foreign, Commonwealth and Development Affairs (James Cleverly)\n\n"
        "I call on all parties to find opportunities to de-escalate tension.\n\n"
        "Alex Davies-Jones (Pontypridd) (Lab)\n\nWill he condemn the raids?"
    )
    got = _got(text, "2023-05-02")
    assert [(g[0], g[1], g[2], g[3]) for g in got] == [
        (
            "uk-government",
            "james-cleverly",
            "block-continuation",
            "I call on all parties to find opportunities to de-escalate tension.",
        )
    ]
