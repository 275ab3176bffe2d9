"""Bad input never raises, offsets always point into the original text."""

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from reactions import Statement, detect_language, extract
from reactions.units import MAX_UNIT_CHARS
from tests.paths import shared

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted(shared("seeds").glob("*.txt"))
assert SEEDS, "../shared/seeds has no seed articles"


@pytest.mark.parametrize("bad", ["", "   \n\t", None, b"\xff\xfe\x00binary", "\x00\x01\x02", '«««“““"""', "»"])
def test_empty_none_and_junk_input_has_no_statements(bad: object):
    assert extract(bad) == []  # type: ignore[arg-type]


def test_bytes_are_decoded_as_utf8():
    text = "قالت وزارة الخارجية الأمريكية إنها تشعر بالقلق."
    got = extract(text.encode("utf-8"), published="2020-01-01")
    assert [s.speaker for s in got] == ["us-state-department"]


def test_a_non_text_argument_is_a_type_error():
    with pytest.raises(TypeError, match="int"):
        extract(42)  # type: ignore[arg-type]


def test_binary_junk_has_no_statements():
    rng = random.Random(7)
    junk = bytes(rng.randrange(256) for _ in range(100_000)).decode("utf-8", errors="replace")
    assert extract(junk) == []


def test_unbalanced_quotation_marks_return_statements_or_none():
    text = (
        'قال وزير الخارجية البريطاني "إن الوضع خطير. وأضاف أن «المفاوضات مستمرة.\n'
        "وقالت الخارجية الأمريكية إنها قلقة."
    )
    got = extract(text, published="2019-01-01")
    assert "us-state-department" in [s.speaker for s in got]  # the unclosed quotes end at their line
    assert all(isinstance(s, Statement) for s in got)
    assert all(text[s.start : s.end] == s.text for s in got)


def test_a_long_text_of_many_paragraphs_has_every_paragraphs_statement():
    # 126 KB, a thousand paragraphs, each its own unit: every one is analysed, none lost or merged (extraction is
    # linear in the text's length: 5 MB of these take about 13 s of CPU and prove nothing more)
    para = (
        'وقال المتحدث باسم وزارة الخارجية الأمريكية إن الوضع "مقلق للغاية". '
        "واستمرت الاشتباكات في المدينة حتى الصباح بحسب مصادر محلية.\n"
    )
    text = para * 1000
    assert len(text) > 30 * MAX_UNIT_CHARS
    got = extract(text, published="2022-01-01")
    assert [s.start for s in got] == [i * len(para) for i in range(1000)]
    assert {s.speaker for s in got} == {"us-state-department"}
    assert all(text[s.start : s.end] == s.text and list(s.quotes) == ["مقلق للغاية"] for s in got)


def test_a_unit_longer_than_the_limit_is_not_analysed():
    # one sentence with no end: analysed up to MAX_UNIT_CHARS characters, left out beyond (runaway quotes, junk)
    words = "قال وزير الخارجية الأمريكي إن الوضع مقلق "
    under = words * ((MAX_UNIT_CHARS - 100) // len(words))
    over = words * ((MAX_UNIT_CHARS + 100) // len(words) + 1)
    assert len(under) < MAX_UNIT_CHARS < len(over) < 2 * MAX_UNIT_CHARS
    assert [s.speaker for s in extract(under, published="2022-01-01")] == ["us-state-department"]
    assert extract(over, published="2022-01-01") == []
    assert MAX_UNIT_CHARS == 4000  # the default: a long paragraph of real news is under it


def test_a_five_megabyte_text_without_any_punctuation_returns():
    text = ("قال وزير الخارجية الأمريكي " * 200_000) + '"'
    assert extract(text, published="2022-01-01") == []  # one 5 MB unit is too long to analyse (0.3 s of CPU)


def test_language_is_detected_from_the_letters():
    assert detect_language("قالت وزارة الخارجية") == "ar"
    assert detect_language("The State Department said") == "en"
    assert detect_language("") == "en"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_offsets_point_into_the_original_text_of_the_seeds(path: Path):
    text = path.read_text(encoding="utf-8")
    got = extract(text, published="2022-01-25")
    assert got
    assert [s.start for s in got] == sorted(s.start for s in got)
    for s in got:
        assert text[s.start : s.end] == s.text
        for q in s.quotes:
            assert q in s.text


def test_statement_to_dict_has_the_eval_fields():
    s = extract('قال وزير الدفاع البريطاني بن والاس: "لن نتراجع".', published="2022-02-01")[0]
    d = s.to_dict()
    assert set(d) == {"speaker", "person", "kind", "start", "end", "text", "quotes", "reaction", "rule"}
    assert d["rule"] == "ar-verb/vs"
    assert d["quotes"] == ["لن نتراجع"] and d["person"] == "ben-wallace"


def test_cli_jsonl_streams_one_line_per_input_line_and_survives_bad_lines():
    lines = [
        json.dumps(
            {
                "id": "a",
                "text": "The Pentagon said it had no comment.",
                "lang": "en",
                "published": "2020-01-01",
            }
        ),
        "{not json",
        json.dumps(
            {"id": "b", "text": "قالت الحكومة البريطانية إنها قلقة.", "lang": "ar", "published": "2020-01-01"}
        ),
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "reactions", "extract", "--jsonl"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert proc.returncode == 0
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", None, "b"]
    assert out[0]["statements"][0]["speaker"] == "us-pentagon"
    assert out[1]["statements"] == []
    assert out[2]["statements"][0]["speaker"] == "uk-government"
    assert "line 2" in proc.stderr


def test_cli_prints_one_file_readably(tmp_path: Path):
    from reactions.cli import main_extract

    f = tmp_path / "a.txt"
    f.write_text("قالت وزارة الدفاع الأمريكية إن الضربات انتهت.", encoding="utf-8")
    assert main_extract([str(f), "--published", "2018-04-14"]) == 0
