"""Official briefing transcripts: a paragraph-opening label of a tracked official ("MR PRICE:", "SECRETARY OF
DEFENSE LLOYD J. AUSTIN III:") opens that official's block; greetings and procedure in it are no statements."""

import pytest

from reactions.extract import extract

BODY = "We condemn the attack on the embassy and call for restraint."


def _got(text: str, day: str) -> list[tuple[str, str | None, str, str]]:
    return [(s.speaker, s.person, s.rule, s.text) for s in extract(text, "en", day)]


@pytest.mark.parametrize(
    ("label", "day", "speaker", "person", "rule"),
    # a surname the registry lets stand alone ("Psaki"), or a full name, is the headline-colon construction's
    # already; a label made of a title and a surname or of a name with initials is its "label" variant
    [
        ("MR PRICE", "2022-05-12", "us-state-department", "ned-price", "headline-colon/label"),
        ("MR. PRICE", "2021-05-12", "us-state-department", "ned-price", "headline-colon/label"),
        ("MS PSAKI", "2014-06-10", "us-state-department", "jen-psaki", "headline-colon"),
        ("MS ORTAGUS", "2019-10-01", "us-state-department", "morgan-ortagus", "headline-colon"),
        ("SECRETARY BLINKEN", "2022-05-12", "us-state-department", "antony-blinken", "headline-colon/label"),
        ("SECRETARY AUSTIN", "2022-05-12", "us-pentagon", "lloyd-austin", "headline-colon/label"),
        (
            "SECRETARY OF DEFENSE LLOYD J. AUSTIN III",
            "2023-11-20",
            "us-pentagon",
            "lloyd-austin",
            "headline-colon/label",
        ),
        ("PRESS SECRETARY JOHN KIRBY", "2022-05-12", "us-pentagon", "john-kirby", "headline-colon"),
    ],
)
def test_label_of_a_tracked_official_opens_the_block(label, day, speaker, person, rule):
    text = f"{label}: {BODY}\n\nWe will support Ukraine for as long as it takes.\n\nQ: Thank you. What about Iran?"
    got = _got(text, day)
    assert got == [
        (speaker, person, rule, f"{label}: {BODY}"),
        (speaker, person, "block-continuation", "We will support Ukraine for as long as it takes."),
    ]


def test_surname_resolves_with_the_date():
    # Ned Price was State's spokesperson 2021-2023; in 2019 "MR PRICE:" is nobody tracked
    assert _got(f"MR PRICE: {BODY}", "2022-05-12")
    assert _got(f"MR PRICE: {BODY}", "2019-05-12") == []


@pytest.mark.parametrize(
    ("label", "day"),
    [
        ("MR SMITH", "2022-05-12"),  # nobody in the registry
        ("MR SULLIVAN", "2022-05-12"),  # the NSC's adviser: no tracked post
        ("MS PSAKI", "2021-05-12"),  # the White House's press secretary then: not tracked
        ("Q", "2022-05-12"),
        ("QUESTION", "2022-05-12"),
        ("MODERATOR", "2022-05-12"),
    ],
)
def test_label_of_no_tracked_official_says_nothing(label, day):
    assert _got(f"{label}: {BODY}\n\nWe will support Ukraine for as long as it takes.", day) == []


def test_next_label_ends_the_block():
    text = (
        f"MR PRICE: {BODY}\n\nQUESTION: Thanks, Ned. What about Iran?\n\nWe are worried.\n\n"
        "MR PRICE: We have nothing to announce today."
    )
    got = _got(text, "2022-05-12")
    assert [g[2] for g in got] == ["headline-colon/label", "headline-colon/label"]
    assert got[1][3] == "MR PRICE: We have nothing to announce today."


def test_greetings_and_procedure_are_no_statements():
    text = (
        "MR PRICE: Good afternoon. A few things at the top.\n\n"
        "First, we are deeply concerned about the escalation in Gaza, and we call for restraint.\n\n"
        "Thanks for joining us. (Laughter.)\n\nWe'll take questions."
    )
    got = _got(text, "2021-05-12")
    assert got == [
        (
            "us-state-department",
            "ned-price",
            "block-continuation",
            "First, we are deeply concerned about the escalation in Gaza, and we call for restraint.",
        )
    ]


def test_full_name_label_greeting_dropped_too():
    got = _got("JOHN KIRBY: Good afternoon, everyone.\n\nWe condemn the attack.", "2022-05-12")
    assert [(g[2], g[3]) for g in got] == [("block-continuation", "We condemn the attack.")]


def test_page_cut_off_after_a_label_leaves_no_fragment():
    text = f"MR PRICE: {BODY}\n\nI am not going to comment on that, as you say. Our"
    got = _got(text, "2022-05-12")
    assert [g[3] for g in got] == [f"MR PRICE: {BODY}", "I am not going to comment on that, as you say."]


@pytest.mark.parametrize(
    "social",
    [
        "Happy Wednesday.",
        "It's good to be back with all of you.",
        "Good to see so many of you here.",
        "Quite a crowd in the room this morning.",
        "With that, Shaun.",
        "Before we begin, one housekeeping note.",
        "Please note, I will call on reporters.",
        "This call is on background, so please attribute it to a senior official.",
        "After that I will turn it over to our briefer.",
    ],
)
def test_a_briefings_social_and_housekeeping_lines_are_no_statements(social):
    # the briefer's small talk and the call's ground rules are procedure; the substance after them stays
    got = _got(f"MR MILLER: {social}\n\n{BODY}", "2023-10-10")
    assert [(g[0], g[2], g[3]) for g in got] == [("us-state-department", "block-continuation", BODY)]


def test_a_greeting_paragraph_is_small_talk_up_to_the_line_that_announces_the_business():
    # the briefer's opening paragraph chats ("It may be Tuesday, but it feels like a Monday.") until a line
    # announces the business ("... at the top"); what follows it, there or in the next paragraph, is said
    text = (
        "MR PRICE: Good afternoon. It may be Tuesday, but it feels like a Monday. I have one element at the top."
        " The United States remains deeply concerned about the plant.\n\n"
        "We call on Russia to withdraw."
    )
    got = _got(text, "2022-10-11")
    assert [(g[2], g[3]) for g in got] == [
        ("block-continuation", "The United States remains deeply concerned about the plant."),
        ("block-continuation", "We call on Russia to withdraw."),
    ]


def test_small_talk_ends_with_its_paragraph_and_at_a_stance():
    text = (
        "SECRETARY RUBIO: Well, thank you, guys, for coming today. I can do English. We condemn the attack.\n\n"
        "The national interest comes first in our foreign policy."
    )
    got = _got(text, "2025-12-19")
    assert [(g[0], g[2], g[3]) for g in got] == [
        ("us-state-department", "block-continuation", "We condemn the attack."),
        ("us-state-department", "block-continuation", "The national interest comes first in our foreign policy."),
    ]


@pytest.mark.parametrize(
    "turn",
    ["Taiwan.", "Breezy? Yes.", "But I will take your word for it.", "Matt, your questions are never brief.",
     "Yes, yes, yes."],
)
def test_a_short_turn_between_two_labels_is_no_statement(turn):
    text = f"QUESTION: Can we start with Asia?\n\nMR PRICE: {turn}\n\nQUESTION: Will the US defend Taiwan?"
    assert _got(text, "2022-05-23") == []


def test_a_short_turn_with_a_stance_or_followed_by_its_own_paragraphs_is_said():
    stance = "QUESTION: And Iran?\n\nMR PRICE: We condemn it in the strongest terms.\n\nQUESTION: Thanks."
    assert [g[2] for g in _got(stance, "2022-05-23")] == ["headline-colon/label"]
    opening = "MR PRICE: It is great to be back in Washington.\n\nWe will support Ukraine for as long as it takes."
    assert [g[2] for g in _got(opening, "2022-05-23")] == ["headline-colon/label", "block-continuation"]


@pytest.mark.parametrize("social", ["Thanks, Pat.", "Thank you, Mr Secretary.", "Yes, yes, yes.",
                                    "So, Mr. Secretary, over to you, sir."])
def test_thanks_to_a_named_person_and_handoffs_are_procedure(social):
    got = _got(f"SECRETARY AUSTIN: {social}\n\n{BODY}", "2023-03-15")
    assert [(g[2], g[3]) for g in got] == [("block-continuation", BODY)]


def test_a_rank_abbreviation_does_not_split_the_label():
    # "BRIG. GEN. PAT RYDER:" is one label (it was split at "BRIG.", leaving "GEN. PAT RYDER: ..." a headline)
    text = f"Press Gaggle, Kyiv, Ukraine\n\nBRIG. GEN. PAT RYDER: Welcome.\n\n{BODY}"
    got = _got(text, "2023-11-20")
    assert [(g[0], g[1], g[2], g[3]) for g in got] == [("us-pentagon", "pat-ryder", "block-continuation", BODY)]


def test_a_label_quoting_someone_untracked_gives_the_quotation_to_them_and_opens_the_block():
    # "... when President Biden said, and I quote, “...”": the President's words, not the spokesperson's;
    # the spokesperson's own sentences after it are still his
    text = (
        "QUESTION: Is the policy still ambiguous?\n\nMR PRICE: As you heard from the President in Tokyo when"
        " President Biden said, and I quote, “Our policy towards Taiwan has not changed at all.” That is where"
        " we were then.\n\nIn short, there has been no change."
    )
    got = _got(text, "2022-05-23")
    assert [(g[0], g[2], g[3]) for g in got] == [
        ("us-state-department", "block-continuation", "That is where we were then."),
        ("us-state-department", "block-continuation", "In short, there has been no change."),
    ]


def test_a_block_ends_at_someone_named_with_a_title_after_the_verb():
    # a UN Geneva briefing: the OHCHR spokesperson's block, then the chair's words ", added Ms. Vellucci"
    text = (
        "Thameen Al-Kheetan, for the Office of the High Commissioner for Human Rights (OHCHR), said the attack"
        " was a grave breach of international law. Civilians must be protected. The Secretary-General had been"
        " in close contact with all parties, added Ms. Vellucci."
    )
    got = _got(text, "2025-06-24")
    assert [(g[0], g[2]) for g in got] == [("un-ohchr", "en-verb/name-for"), ("un-ohchr", "block-continuation")]
    assert got[-1][3] == "Civilians must be protected."


def test_a_lone_discourse_marker_in_a_block_is_no_statement():
    got = _got(f"MR PRICE: {BODY} Look. We will support Ukraine.", "2022-05-23")
    assert [g[3] for g in got] == [f"MR PRICE: {BODY}", "We will support Ukraine."]


def test_a_turn_goes_on_through_what_the_official_reports_others_said():
    # the Secretary reports the E3's statement in his own words: still his; a quotation of someone else's
    # very words is theirs; the turn goes on after both
    text = (
        "SECRETARY POMPEO: I want to recap two highlights of American diplomacy from this week.\n\n"
        "The United Kingdom, France, and Germany released a statement concluding that Iran bears responsibility."
        " Iran is the aggressor in the Middle East.\n\nQUESTION: And Saudi Arabia?"
    )
    got = _got(text, "2019-09-24")
    assert [(g[0], g[2]) for g in got] == [
        ("us-state-department", "headline-colon/label"),
        ("us-state-department", "block-continuation"),
        ("us-state-department", "block-continuation"),
    ]
    quoted = (
        "SECRETARY POMPEO: I want to recap the week.\n\n"
        "President Rouhani said, “We will respond to any attack.” Iran is the aggressor in the Middle East."
    )
    got = _got(quoted, "2019-09-24")
    assert [g[3] for g in got] == ["SECRETARY POMPEO: I want to recap the week.", "Iran is the aggressor in the Middle East."]
