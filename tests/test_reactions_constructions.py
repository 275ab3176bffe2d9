"""The construction table (reactions/constructions.toml): every statement names the construction that
found it, every construction is exercised, the pre-scan uses the table's triggers, and broken data
files are refused with a RegistryError.  Sentences are written for these tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reactions import RegistryError, build_registry, extract, load_registry
from reactions.registry import CONSTRUCTIONS_FILE, LEXICON_FILE, SPEAKERS_FILE

# (text, date, [(speaker, rule)]) - at least one sentence for every construction of the table
RULES = [
    ("بلينكن: لن نسمح بتكرار ما حدث", "2022-01-01", [("us-state-department", "headline-colon")]),
    ("Pentagon: strikes hit three depots in Syria", "2022-01-01", [("us-pentagon", "headline-colon")]),
    (
        "وقتل ثلاثة جنود في الهجوم، بحسب الخارجية الأمريكية.",
        "2022-01-01",
        [("us-state-department", "ar-according")],
    ),
    ("وجاء في بيان للخارجية البريطانية أن لندن قلقة.", "2022-01-01", [("uk-government", "ar-document")]),
    (
        "جاء ذلك في بيان صحفي أصدرته الخارجية البريطانية في لندن.",
        "2022-01-01",
        [("uk-government", "ar-occasion-document")],
    ),
    (
        "فنقلت وكالة رويترز عن متحدث باسم البنتاغون قوله إن القوات ستبقى.",
        "2022-01-01",
        [("us-pentagon", "ar-relayed/an")],
    ),
    (
        "قال البنتاغون إن الضربات انتهت. مؤكدا أن القوات ستبقى في المنطقة.",
        "2022-01-01",
        [("us-pentagon", "ar-verb/vs"), ("us-pentagon", "ar-participle/pronoun")],
    ),
    (
        "إعلان الخارجية الأمريكية أن السفارة ستغلق أثار جدلا واسعا.",
        "2022-01-01",
        [("us-state-department", "ar-masdar/vs")],
    ),
    ("وقدمت الخارجية البريطانية تعازيها لأسر الضحايا.", "2022-01-01", [("uk-government", "ar-weak/vs")]),
    ("وكان البنتاغون قد أعلن أن الضربات انتهت.", "2022-01-01", [("us-pentagon", "ar-verb/sv")]),
    (
        "قالت وزارة الخارجية الأمريكية إنها قلقة. وأضافت أن الوضع خطير.",
        "2022-01-01",
        [("us-state-department", "ar-verb/vs"), ("us-state-department", "ar-verb/pronoun")],
    ),
    ("البنتاغون يشكك في رواية موسكو عن الهجوم", "2022-01-01", [("us-pentagon", "ar-present/sv")]),
    (
        "The talks failed, according to the State Department.",
        "2022-01-01",
        [("us-state-department", "en-according")],
    ),
    (
        "Reuters quoted a Pentagon spokesman as saying the strikes were over.",
        "2022-01-01",
        [("us-pentagon", "en-quoted/object")],
    ),
    (
        "The Pentagon later issued a statement saying the strikes were over.",
        "2022-01-01",
        [("us-pentagon", "en-issued/sv")],
    ),
    (
        "The Pentagon said the strikes were over. Adding that troops would stay, it gave no numbers.",
        "2022-01-01",
        [("us-pentagon", "en-verb/sv"), ("us-pentagon", "en-participle/pronoun")],
    ),
    ("The Pentagon ruled out sending more jets.", "2022-01-01", [("us-pentagon", "en-ruled-out/sv")]),
    (
        "The Pentagon turned down the plan, saying the jets would stay in Germany.",
        "2022-01-01",
        [("us-pentagon", "en-participle-subject/sentence-subject")],
    ),
    ('"We will stay," said a Pentagon spokesman.', "2022-01-01", [("us-pentagon", "en-verb/said-x")]),
    (
        "Ned Price, the State Department spokesman, said the embassy would stay open.",
        "2022-03-02",
        [("us-state-department", "en-verb/apposition")],
    ),
    (
        "The Foreign Office said the embassy was closed. It added that staff were safe.",
        "2022-01-01",
        [("uk-government", "en-verb/sv"), ("uk-government", "en-verb/pronoun")],
    ),
    (
        "Aid to Kyiv will continue through the winter - Pentagon\nThe package was agreed on Monday.",
        "2022-11-10",
        [("us-pentagon", "headline-dash/closing")],
    ),
    (
        "Pentagon press secretary John Kirby declined to say how many troops had arrived.",
        "2022-02-18",
        [("us-pentagon", "en-declined/sv")],
    ),
    (
        "Defence Secretary Ben Wallace spoke about the loss of the helicopter in the Commons.",
        "2021-06-10",
        [("uk-government", "en-spoke-about/sv")],
    ),
    (
        "High Commissioner Volker Türk referred to the executions in his opening address.",
        "2023-03-06",
        [("un-ohchr", "en-referred-to/sv")],
    ),
    (
        "The Foreign Secretary, William Hague made the following statement today:\n\nWe welcome the report.",
        "2013-06-04",
        [("uk-government", "en-made-statement/sv")],
    ),
    (
        "The State Department has made it clear that the visas will not be renewed.",
        "2023-03-06",
        [("us-state-department", "en-made-clear/sv")],
    ),
    (
        "Pentagon eyes more drone production in new budget\nThe plan goes to Congress next week.",
        "2024-03-11",
        [("us-pentagon", "en-headline/sv")],
    ),
    (
        'قال المتحدث باسم البنتاغون:\n"لن نتراجع عن هذا القرار".',
        "2022-01-01",
        [("us-pentagon", "ar-verb/vs")],  # the announcement and the quotation it announces: one statement
    ),
]


@pytest.mark.parametrize(("text", "day", "expected"), RULES, ids=[f"r{i}" for i in range(len(RULES))])
def test_each_statement_names_the_construction_that_found_it(text: str, day: str, expected: list):
    got = extract(text, published=day)
    assert [(s.speaker, s.rule) for s in got] == expected
    assert all(s.to_dict()["rule"] == s.rule for s in got)


def test_every_construction_of_the_table_is_exercised_here():
    names = {c.name for c in load_registry().constructions}
    used = {rule.split("/")[0] for _t, _d, exp in RULES for _sp, rule in exp}
    assert names - used == set()


def test_the_pre_scan_triggers_are_the_table_triggers():
    reg = load_registry()
    for con in reg.constructions:
        if con.scan_tail:
            assert all((w, con.scan_tail) in reg.tail_triggers for w in con.triggers), con.name
        elif not con.scan_window:
            assert con.triggers <= reg.triggers, con.name
    # a relay verb with the fa- clitic opens a sentence the pre-scan used to skip
    assert "فنقلت" in reg.triggers


def _copy_data(tmp_path: Path) -> tuple[Path, Path, Path]:
    paths = []
    for src in (SPEAKERS_FILE, LEXICON_FILE, CONSTRUCTIONS_FILE):
        dst = tmp_path / src.name
        shutil.copy(src, dst)
        paths.append(dst)
    return paths[0], paths[1], paths[2]


def test_a_phrase_naming_two_speakers_is_a_registry_error(tmp_path: Path):
    sp, lx, co = _copy_data(tmp_path)
    text = sp.read_text(encoding="utf-8")
    # the Pentagon's name also given to the State Department
    text = text.replace('"State Department", "US State Department",', '"State Department", "Pentagon",', 1)
    sp.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError, match="Pentagon.*two speakers"):
        build_registry(sp, lx, co)


def test_an_unknown_subject_finder_is_a_registry_error(tmp_path: Path):
    sp, lx, co = _copy_data(tmp_path)
    co.write_text(co.read_text(encoding="utf-8").replace('subject = "relayed"', 'subject = "guess"'), "utf-8")
    with pytest.raises(RegistryError, match="ar-relayed.*unknown subject finder 'guess'"):
        build_registry(sp, lx, co)


def test_a_trigger_list_missing_from_the_lexicon_is_a_registry_error(tmp_path: Path):
    sp, lx, co = _copy_data(tmp_path)
    co.write_text(co.read_text(encoding="utf-8").replace("@list:ar_relay_verbs", "@list:nothing"), "utf-8")
    with pytest.raises(RegistryError, match="no list 'nothing'"):
        build_registry(sp, lx, co)


def test_a_word_list_the_code_needs_is_checked(tmp_path: Path):
    sp, lx, co = _copy_data(tmp_path)
    lx.write_text(lx.read_text(encoding="utf-8").replace("ar_kana = [", "ar_kana_x = ["), "utf-8")
    with pytest.raises(RegistryError, match=r"\[lists\] lacks ar_kana"):
        build_registry(sp, lx, co)


def test_a_home_anaphor_naming_an_untracked_speaker_is_a_registry_error(tmp_path: Path):
    sp, lx, co = _copy_data(tmp_path)
    lx.write_text(
        lx.read_text(encoding="utf-8").replace('home = "uk-government"', 'home = "sohr"', 1), "utf-8"
    )
    with pytest.raises(RegistryError, match="'home' names no tracked speaker 'sohr'"):
        build_registry(sp, lx, co)


def test_a_construction_that_falls_through_must_say_so_with_a_boolean(tmp_path: Path):
    sp, lx, co = _copy_data(tmp_path)
    co.write_text(
        co.read_text(encoding="utf-8").replace("fallthrough = true", 'fallthrough = "yes"'), "utf-8"
    )
    with pytest.raises(RegistryError, match="'fallthrough' must be true or false"):
        build_registry(sp, lx, co)


def test_a_bad_scan_tail_is_a_registry_error(tmp_path: Path):
    sp, lx, co = _copy_data(tmp_path)
    co.write_text(co.read_text(encoding="utf-8").replace("scan_tail = 60", "scan_tail = -5"), "utf-8")
    with pytest.raises(RegistryError, match="headline-dash.*'scan_tail' must be a whole number"):
        build_registry(sp, lx, co)
