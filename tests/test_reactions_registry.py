"""The speaker registry: the public API the bot uses, and validation of the data file."""

from pathlib import Path

import pytest

from reactions import RegistryError, build_registry, fold, load_registry
from reactions.registry import LEXICON_FILE, SPEAKERS_FILE

TRACKED = {"us-state-department", "us-pentagon", "un-ohchr", "uk-government"}


def test_the_four_tracked_speakers_with_flags_and_names():
    reg = load_registry()
    assert {s.id for s in reg.tracked} == TRACKED
    flags = {s.id: s.flag for s in reg.tracked}
    assert (
        flags["us-state-department"] == "🇺🇸" and flags["uk-government"] == "🇬🇧" and flags["un-ohchr"] == "🇺🇳"
    )
    for s in reg.tracked:
        assert s.name_en and s.name_ar and s.aliases


def test_registry_is_loaded_once():
    assert load_registry() is load_registry()


@pytest.mark.parametrize(
    ("name", "speaker"),
    [
        ("us-pentagon", "us-pentagon"),
        ("Pentagon", "us-pentagon"),
        ("البنتاغون", "us-pentagon"),
        ("البنتاجون", "us-pentagon"),
        ("STATE", "us-state-department"),
        ("الخارجية الأميركية", "us-state-department"),
        ("ohchr", "un-ohchr"),
        ("uk", "uk-government"),
        ("بريطانيا", "uk-government"),
        ("sohr", None),
        ("nonsense", None),
        ("", None),
    ],
)
def test_resolve_maps_ids_and_aliases_in_any_case_and_spelling(name: str, speaker: str | None):
    assert load_registry().resolve(name) == speaker


def test_fold_is_the_matching_normaliser():
    assert fold("الأميركيّة") == fold("الاميركيه")
    assert fold("إعلان") == fold("اعلان")
    assert fold("مستشفى") == fold("مستشفي")
    assert fold("«U.S.»\u00a0State") == '"us" state'
    assert fold("٢٠٢٤") == "2024"


def test_people_have_dated_posts():
    reg = load_registry()
    kirby = reg.persons["john-kirby"]
    assert kirby.post_on("2015-07-01").speaker == "us-state-department"
    assert kirby.post_on("2022-01-01").speaker == "us-pentagon"
    assert kirby.post_on("2024-01-01").speaker == "us-white-house"
    for pid in ("ned-price", "volker-turk", "zeid-raad-al-hussein", "lloyd-austin", "david-lammy"):
        assert pid in reg.persons


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "speakers.toml"
    p.write_text(text, encoding="utf-8")
    return p


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = SPEAKERS_FILE.read_text(encoding="utf-8")
    assert old in text
    return _write(tmp_path, text.replace(old, new, 1))


def test_invalid_toml_gives_a_clear_error(tmp_path: Path):
    with pytest.raises(RegistryError, match="invalid TOML"):
        build_registry(_write(tmp_path, "[[speaker]\nid = "), LEXICON_FILE)


def test_missing_file_gives_a_clear_error(tmp_path: Path):
    with pytest.raises(RegistryError, match="not found"):
        build_registry(tmp_path / "nope.toml", LEXICON_FILE)


def test_a_post_naming_an_unknown_speaker_is_reported(tmp_path: Path):
    path = _broken(
        tmp_path,
        'speaker = "us-pentagon", role = "secretary", from = "2017-01-20"',
        'speaker = "us-pentagone", role = "secretary", from = "2017-01-20"',
    )
    with pytest.raises(RegistryError, match=r"james-mattis.*unknown speaker 'us-pentagone'"):
        build_registry(path, LEXICON_FILE)


def test_a_bad_date_is_reported(tmp_path: Path):
    path = _broken(
        tmp_path, 'from = "2021-01-26", to = "2025-01-20"', 'from = "26/01/2021", to = "2025-01-20"'
    )
    with pytest.raises(RegistryError, match=r"antony-blinken.*'from' = '26/01/2021' is not an ISO date"):
        build_registry(path, LEXICON_FILE)


def test_a_speaker_without_a_flag_is_reported(tmp_path: Path):
    path = _broken(tmp_path, 'flag = "🇬🇧"', 'flag = ""')
    with pytest.raises(RegistryError, match=r"speaker 'uk-government': missing or empty 'flag'"):
        build_registry(path, LEXICON_FILE)


def test_a_duplicate_person_id_is_reported(tmp_path: Path):
    path = _broken(tmp_path, 'id = "ned-price"', 'id = "mark-toner"')
    with pytest.raises(RegistryError, match=r"person 'mark-toner': duplicate id"):
        build_registry(path, LEXICON_FILE)


def test_an_operator_can_add_a_person_without_touching_code(tmp_path: Path):
    extra = """
[[person]]
id = "jane-doe"
gender = "f"
names = ["Jane Doe", "جين دو"]
surnames = ["Doe"]
surname_alone = true
posts = [{ speaker = "uk-government", role = "minister", from = "2030-01-01", to = "" }]
"""
    path = _write(tmp_path, SPEAKERS_FILE.read_text(encoding="utf-8") + extra)
    reg = build_registry(path, LEXICON_FILE)
    assert reg.persons["jane-doe"].post_on("2030-05-05").speaker == "uk-government"


def test_alternate_spellings_are_cached_for_name_words_only():
    # a name word's other spellings are found (and cached); any other word has none and leaves no entry, so a
    # long-running process does not keep every Arabic word it has read
    idx = load_registry().index
    name = next(w for w in sorted(idx._name_words) if idx.alternates(w))
    assert name in idx._alt_cache
    other = "كلمةليستاسما"
    assert other not in idx._name_words
    assert idx.alternates(other) == ()
    assert other not in idx._alt_cache
