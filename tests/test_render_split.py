"""render.split_html: parts within Telegram's limit, never a broken tag or entity, tags reopened."""

from __future__ import annotations

import random
import re

import pytest

from bot.render import TELEGRAM_LIMIT, esc, split_html
from tests.fake_telegram import parse_html, utf16_len


def check(parts, limit=TELEGRAM_LIMIT):
    for part in parts:
        assert utf16_len(part) <= limit
        parse_html(part)  # raises on a broken tag, entity or nesting
    return parts


def visible(parts):
    return "".join(parse_html(p) for p in parts)


def test_short_text_is_one_part():
    assert split_html("<b>hi</b>") == ["<b>hi</b>"]
    assert split_html("") == []


def test_exactly_at_the_limit_is_one_part_and_one_more_splits():
    text = "a" * 4096
    assert split_html(text) == [text]
    parts = check(split_html("a" * 4097))
    assert [len(p) for p in parts] == [4096, 1]


def test_exact_limit_counts_utf16_units():
    text = "🇺🇸" * 1024  # each flag is 4 UTF-16 units
    assert split_html(text) == [text]
    parts = check(split_html(text + "x"))
    assert len(parts) == 2 and "".join(parts) == text + "x"


def test_prefers_paragraph_then_line_breaks():
    paragraphs = [f"<b>Title {i}</b>\n" + "word " * 150 for i in range(20)]
    text = "\n\n".join(paragraphs)
    parts = check(split_html(text))
    assert len(parts) > 1
    for part in parts:
        assert part.startswith("<b>Title ")
    assert visible(parts).replace("\n", "") == parse_html(text).replace("\n", "")


def test_tags_closed_and_reopened_with_attributes():
    text = '<blockquote><a href="https://x.example/?a=1&amp;b=2">' + ("lorem ipsum " * 800) + "</a></blockquote>"
    parts = check(split_html(text, 1000))
    assert len(parts) > 5
    for part in parts:
        assert part.startswith('<blockquote><a href="https://x.example/?a=1&amp;b=2">')
        assert part.endswith("</a></blockquote>")


def test_never_cuts_inside_an_entity():
    text = "&amp;&lt;&gt;&quot;&#1575;&#x627;" * 400
    parts = check(split_html(text, 100))
    assert visible(parts) == parse_html(text)


def test_arabic_text_split_at_spaces():
    text = " ".join(["وأعربت المفوضية عن قلقها إزاء أوضاع المدنيين في الحسكة"] * 200)
    parts = check(split_html(text, 500))
    assert all(not p.startswith(" ") for p in parts)
    for part in parts[:-1]:
        assert part.endswith(("الحسكة", "المفوضية", "المدنيين", "وأعربت", "عن", "قلقها", "إزاء", "أوضاع", "في"))


@pytest.mark.parametrize("seed", range(30))
def test_hostile_random_html(seed):
    rng = random.Random(seed)
    pieces = []
    for _ in range(rng.randint(50, 400)):
        kind = rng.random()
        if kind < 0.3:
            tag = rng.choice(["b", "i", "u", "s", "code"])
            pieces.append(f"<{tag}>{esc(rng.choice(['<script>', 'a & b', '“quoted”', 'سلام', '🇬🇧', 'x' * 50]))}</{tag}>")
        elif kind < 0.4:
            href = esc('https://e.example/?q=<>&"' + str(rng.random()))
            pieces.append(f'<a href="{href}">{esc("link & co")}</a>')
        elif kind < 0.5:
            pieces.append("\n" * rng.randint(1, 3))
        elif kind < 0.6:
            inner = esc("quoted " * rng.randint(1, 60))
            pieces.append(f"<blockquote><b>{inner}</b>\n{inner}</blockquote>")
        else:
            pieces.append(esc(" ".join(rng.choice(["word", "كلمة", "&", "<", ">", '"']) for _ in range(rng.randint(1, 40)))))
    text = "".join(pieces)
    limit = rng.choice([200, 500, 1000, 4096])
    parts = check(split_html(text, limit), limit)
    assert "".join(visible(parts).split()) == "".join(parse_html(text).split())  # only whitespace dropped at cuts


def test_unbalanced_closing_tag_does_not_crash():
    parts = split_html("text</b>" + "x " * 3000, 1000)
    assert all(utf16_len(p) <= 1000 for p in parts)


# --- the fast split_html cuts exactly where the character-by-character one did ---------------------------------

def _random_html(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(20, 500)):
        kind = rng.random()
        if kind < 0.25:
            tag = rng.choice(["b", "i", "u", "s", "code"])
            pieces.append(f"<{tag}>{esc(rng.choice(['a & b', '“q”', 'سلام عليكم', '🇬🇧🕒', 'x' * rng.randint(1, 90)]))}</{tag}>")
        elif kind < 0.35:
            href = esc("https://e.example/?q=" + "y" * rng.randint(0, 300))
            pieces.append(f'<a href="{href}">{esc(rng.choice(["link & co", "🕒", "رابط"]))}</a>')
        elif kind < 0.5:
            pieces.append(rng.choice(["\n", "\n\n", "\n\n\n", " ", "\t", "  \n "]))
        elif kind < 0.55:
            pieces.append(rng.choice(["</b>", "<i>", "&amp;", "&#1575;", "<br/>"]))  # unbalanced, entities
        else:
            pieces.append(esc(" ".join(rng.choice(["word", "كلمة", "&", "🇺🇸", "x" * rng.randint(1, 30)])
                                       for _ in range(rng.randint(1, 60)))))
    return "".join(pieces)


@pytest.mark.parametrize("seed", range(60))
def test_cuts_match_the_character_by_character_reference(seed):
    from tests.fake_telegram import parse_html as visible_text
    from tests.split_html_reference import reference_split_html

    rng = random.Random(seed)
    text = _random_html(rng)
    limit = rng.choice([60, 120, 200, 500, 1000, 4096])
    from bot.render import _drop_huge_tags

    reference = reference_split_html(_drop_huge_tags(text, limit), limit)
    expected = [p for p in reference if re.sub(r"<[^<>]*>", "", p).strip()]
    assert split_html(text, limit) == expected
    assert visible_text  # imported: the parts are valid Telegram HTML (checked in the tests above)


def test_a_link_to_a_huge_address_never_makes_an_empty_part():
    # Issue 10 item 8: a part that was only <a href="...4,000 characters..."></a> was refused by Telegram.
    url = "https://e.example/" + "a" * 4100
    text = "<b>Title</b>\n\n" + f'Carried by: <a href="{esc(url)}">Outlet</a>, <a href="https://ok.example/">Other</a>'
    parts = check(split_html(text))
    assert parts and all(parse_html(p).strip() for p in parts)
    assert "Outlet" in visible(parts) and 'href="https://ok.example/"' in "".join(parts)
    assert all(url not in p for p in parts)


def test_parts_with_only_tags_are_not_produced():
    assert split_html("<b></b>") == []
    parts = split_html("<b>" + "x" * 50 + "</b>" + "<i></i>" * 40, 60)
    assert all(re.sub(r"<[^<>]*>", "", p).strip() for p in parts)
