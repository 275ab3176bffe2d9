"""Push messages (bot/push_format.py): escaped, within 4,096 characters, valid Telegram HTML, ar/en."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot.push_format import render_push
from storage.outbox import PushBundle, PushItem
from tests.fake_telegram import parse_html, utf16_len

STATE = "us-state-department"


def item(**changes) -> PushItem:
    base = PushItem(cluster_id=1, speaker=STATE, person="ned-price", reaction="condemnation",
                    text="The State Department condemned the attack on civilians.", quotes=(), kind="reported",
                    article_id=1, title="Attack in Hasakah", url="https://news.example/a1", outlet="Example News",
                    published_at="2022-01-22 18:05:00", first_seen_at="2022-01-22 18:30:00")
    return dataclasses.replace(base, **changes)


def bundle(*items: PushItem) -> PushBundle:
    return PushBundle(speaker=items[0].speaker, items=items)


def test_english_push():
    html = render_push(bundle(item()), "en")
    assert html.splitlines() == [
        "🇺🇸 <b>US State Department</b> · Ned Price",
        "⛔ <b>Condemnation</b>",
        "<blockquote>The State Department condemned the attack on civilians.</blockquote>",
        "",
        '📰 <a href="https://news.example/a1">Example News</a>: Attack in Hasakah',
        "🕒 2022-01-22 18:05 UTC",
    ]


def test_arabic_push_uses_arabic_names_and_labels():
    html = render_push(bundle(item(text="أدانت وزارة الخارجية الأمريكية الهجوم", reaction="concern")), "ar")
    assert "<b>وزارة الخارجية الأمريكية</b>" in html
    assert "<b>قلق</b>" in html
    assert "أدانت وزارة الخارجية الأمريكية الهجوم" in html
    assert "بتوقيت غرينتش" in html
    parse_html(html)


def test_several_statements_of_one_article_in_one_message():
    html = render_push(bundle(item(), item(cluster_id=2, reaction="call", text="It called for restraint.",
                                           quotes=("We urge restraint",))), "en")
    assert html.count("<blockquote>") == 2
    assert "<b>Call</b>" in html and "«We urge restraint»" in html
    assert html.count("📰") == 1


HOSTILE = [
    '<script>alert("x")</script>',
    "Tom & Jerry &amp; &#x27; &nbsp; &",
    'He said "unbalanced \' quotes and <b>tags',
    "قالت الخارجية الأمريكية «نحن ندين» الهجوم على <المدنيين> & غيرهم",
    "</blockquote><a href='javascript:x'>",
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_hostile_text_is_escaped_into_valid_html(text, lang):
    html = render_push(bundle(item(text=text, title=text, outlet=text, person=text, quotes=(text,),
                                   url='https://x.example/?a=1&b="2"<')), lang)
    visible = parse_html(html)  # raises on anything Telegram would refuse
    assert text in visible


def test_long_statements_are_shortened_cleanly():
    long_text = "word & <tag> " * 1500
    html = render_push(bundle(item(text=long_text), item(cluster_id=2, text="قال " * 2000)), "en")
    assert utf16_len(html) <= 4096
    visible = parse_html(html)
    assert "…" in visible and "📰" in visible
    assert html.count("<blockquote>") == 2


def test_many_statements_are_counted_not_listed():
    html = render_push(bundle(*(item(cluster_id=i, text=f"Statement {i}") for i in range(12))), "en")
    assert "Statement 7" in html and "Statement 8" not in html
    assert "and 4 more statements" in html
    parse_html(html)


def test_unknown_speaker_and_missing_fields():
    html = render_push(bundle(item(speaker="someone-else", person=None, url=None, outlet="", title="",
                                   published_at=None, first_seen_at=None, reaction="nonsense")), "en")
    assert html.startswith("<b>someone-else</b>\n💬 <b>Statement</b>")
    parse_html(html)


def time_line(html: str) -> str:
    return next(line for line in html.splitlines() if line.startswith("🕒"))


@pytest.mark.parametrize(("tz", "expected"), [
    (None, "🕒 2022-01-22 18:05 UTC"),
    ("UTC", "🕒 2022-01-22 18:05 UTC"),
    ("Etc/UTC", "🕒 2022-01-22 18:05 UTC"),
    ("Mars/Olympus", "🕒 2022-01-22 18:05 UTC"),  # unknown: stays UTC rather than failing the push
    ("Asia/Riyadh", "🕒 2022-01-22 21:05 +03"),
    ("America/New_York", "🕒 2022-01-22 13:05 EST"),
    ("Asia/Kolkata", "🕒 2022-01-22 23:35 IST"),
    ("Asia/Kathmandu", "🕒 2022-01-22 23:50 +0545"),
    ("Europe/London", "🕒 2022-01-22 18:05 GMT"),
])
def test_push_time_in_the_chats_timezone(tz, expected):
    assert time_line(render_push(bundle(item()), "en", tz)) == expected


def test_push_time_crosses_midnight_and_follows_daylight_saving():
    late = item(published_at="2022-07-01 22:30:00")
    assert time_line(render_push(bundle(late), "en", "Asia/Riyadh")) == "🕒 2022-07-02 01:30 +03"
    assert time_line(render_push(bundle(late), "en", "Europe/London")) == "🕒 2022-07-01 23:30 BST"
    assert time_line(render_push(bundle(late), "en", "America/Los_Angeles")) == "🕒 2022-07-01 15:30 PDT"


def test_push_time_accepts_a_tzinfo_and_uses_first_seen_without_published():
    zone = dt.timezone(dt.timedelta(hours=3, minutes=30))
    html = render_push(bundle(item(published_at=None, first_seen_at="2022-01-22 18:30:00")), "en", zone)
    assert time_line(html) == "🕒 2022-01-22 22:00 +0330"


def test_arabic_push_time_in_the_chats_timezone_stays_left_to_right():
    html = render_push(bundle(item()), "ar", "Asia/Riyadh")
    assert time_line(html) == "🕒 \u200e2022-01-22 21:05 +03\u200e"
    assert "بتوقيت غرينتش" not in html
    parse_html(html)
    assert "بتوقيت غرينتش" in render_push(bundle(item()), "ar", "UTC")


def test_date_only_times_are_not_shifted():
    assert time_line(render_push(bundle(item(published_at="2022-01-22")), "en", "Asia/Riyadh")) == "🕒 2022-01-22"
