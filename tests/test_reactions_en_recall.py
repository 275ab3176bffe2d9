"""English recall classes found on real news (tests/data/real.jsonl): each construction tested on
several sentences written for these tests, asserting the speaker and the construction that found it,
with a control where a look-alike must stay out."""

from __future__ import annotations

import pytest

from reactions import extract


def found(text: str, day: str) -> list[tuple[str, str | None, str, str]]:
    return [(s.speaker, s.person, s.rule, s.text) for s in extract(text, lang="en", published=day)]


# --- a quotation running over paragraphs: no closing mark where the next paragraph reopens it ------
@pytest.mark.parametrize(
    ("text", "day", "speaker", "person"),
    [
        (
            "Defence Secretary Grant Shapps spoke to MPs on Monday.\n"
            'He said: "The test reaffirmed the deterrent. The crew were certified and will rejoin the cycle.\n'
            '"There are no implications for the wider system."\n',
            "2024-02-15",
            "uk-government",
            "grant-shapps",
        ),
        (
            "State Department spokesman Ned Price was asked about the talks.\n"
            'Price said: "We are ready to meet. We have said so for weeks and we mean it.\n'
            '"The ball is in their court."\n',
            "2022-01-10",
            "us-state-department",
            "ned-price",
        ),
    ],
)
def test_a_quotation_left_open_for_the_next_paragraph_keeps_its_speaker(text, day, speaker, person):
    got = found(text, day)
    second = next(g for g in got if g[3].startswith(("The crew", "We have said")))
    assert second[:2] == (speaker, person)
    last = next(g for g in got if g[3].startswith('"'))
    assert last[:3] == (speaker, person, "quote-continuation")


def test_an_open_quotation_followed_by_an_ordinary_paragraph_spans_only_its_sentence():
    # the next paragraph does not reopen the quotation: the unclosed one ends with its own sentence
    text = (
        'Defence Secretary Grant Shapps said: "The test reaffirmed the deterrent. A later sentence.\n'
        "The missile was supposed to fly thousands of miles.\n"
    )
    got = found(text, "2024-02-15")
    assert [g[3] for g in got if g[3].startswith("The missile")] == []


# --- the Prime Minister's spokesperson (all the gender forms, "official", press secretary) -----------
@pytest.mark.parametrize(
    "text",
    [
        'The prime minister\'s spokesperson said on Friday it was "right" that there was an inquiry.',
        "Asked about the strikes, the Prime Minister's official spokeswoman told reporters Britain would "
        "not take part.",
        "The Prime Minister's press secretary said no decision had been taken.",
    ],
)
def test_the_prime_ministers_spokesperson_speaks_for_the_uk_government(text: str):
    assert [g[:3] for g in found(text, "2024-01-15")] == [("uk-government", None, "en-verb/sv")]


@pytest.mark.parametrize(
    "text",
    [
        "The Israeli prime minister's spokesperson said no decision had been taken.",
        "Australian Prime Minister's spokesperson said no decision had been taken.",
    ],
)
def test_another_countrys_prime_ministers_spokesperson_is_not_tracked(text: str):
    assert found(text, "2024-01-15") == []


# --- a unique post written bare ("the Prime Minister") stands for its holder named in the text -------
@pytest.mark.parametrize(
    ("text", "day", "speaker", "person", "rule"),
    [
        (
            "Boris Johnson was once a political magician.\n"
            "The Prime Minister has insisted that he believes no rules were broken.",
            "2021-12-18",
            "uk-government",
            "boris-johnson",
            "en-verb/sv",
        ),
        (
            'Boris Johnson faced questions in the Commons.\n"No rules were broken," said the Prime Minister.',
            "2021-12-18",
            "uk-government",
            "boris-johnson",
            "en-verb/said-x",
        ),
        (
            "Dominic Raab flew to Doha on Thursday.\n"
            "The foreign secretary told reporters the evacuation would go on.",
            "2021-09-02",
            "uk-government",
            "dominic-raab",
            "en-verb/sv",
        ),
    ],
)
def test_a_bare_unique_title_names_its_holder_named_earlier(text, day, speaker, person, rule):
    got = found(text, day)
    assert [g[:3] for g in got] == [(speaker, person, rule)]


@pytest.mark.parametrize(
    "text",
    [
        # the holder never named: whose prime minister is unknown
        "The Prime Minister has insisted that he believes no rules were broken.",
        # another country's prime minister in the text: the bare title is ambiguous
        "Boris Johnson met Israeli Prime Minister Naftali Bennett.\nThe Prime Minister said the talks went well.",
        # not the clause's subject: someone else speaks
        "Boris Johnson hosted a summit.\nWell before the prime minister welcomed EU leaders, opponents said "
        "the deal was bad.",
    ],
)
def test_a_bare_title_without_its_holder_or_shared_with_another_country_is_not_tracked(text: str):
    assert found(text, "2021-12-18") == []


# --- reporting verbs the table lacked: admitted, underlined, clarified; weak ones need a tracked subject
@pytest.mark.parametrize(
    ("text", "day", "speaker"),
    [
        (
            "The UK government has finally admitted that new reactors serve the submarine programme.",
            "2023-05-01",
            "uk-government",
        ),
        (
            "The State Department underlined that the sanctions remain in force.",
            "2023-05-01",
            "us-state-department",
        ),
        ("The Pentagon later clarified that no US troops were involved.", "2023-05-01", "us-pentagon"),
        ("The Pentagon indicated that more aid would follow.", "2023-05-01", "us-pentagon"),
    ],
)
def test_more_english_reporting_verbs(text, day, speaker):
    assert [g[0] for g in found(text, day)] == [speaker]
    assert found(text, day)[0][2] == "en-verb/sv"


def test_a_weak_verb_with_an_untracked_subject_is_no_statement():
    text = (
        "The State Department said the talks would resume. A Russian diplomat indicated Moscow would attend."
    )
    assert [g[3] for g in found(text, "2023-05-01")] == ["The State Department said the talks would resume."]
