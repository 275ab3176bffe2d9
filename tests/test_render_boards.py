"""render: /latest, /who, digest, /status and help as valid Telegram HTML in English and Arabic."""

from __future__ import annotations

import pytest

from bot import render
from bot.i18n import MESSAGES, RLM, t
from reactions import load_registry
from storage.queries import ArticleRef, ClusterView, FailingFeed, SearchResult, StatusView, WhoRow
from tests.fake_telegram import parse_html, utf16_len

NAMES = render.Names(
    speakers={
        "us-state-department": render.SpeakerName("us-state-department", "US State Department",
                                                   "وزارة الخارجية الأمريكية", "🇺🇸"),
        "us-pentagon": render.SpeakerName("us-pentagon", "Pentagon", "البنتاغون", "🇺🇸"),
        "uk-government": render.SpeakerName("uk-government", "UK Government", "الحكومة البريطانية", "🇬🇧"),
    },
    people={"john-kirby": ("John Kirby", "جون كيربي")},
)


def view(i=1, speaker="us-pentagon", text="We <support> the SDF & partners.", person="john-kirby", articles=None):
    articles = articles or (
        ArticleRef("https://a.example/x?a=1&b=2", "T", "Outlet <A>", "en", "2022-01-24 21:15:00"),
        ArticleRef("javascript:alert(1)", "T", "Evil \"outlet\"", "en", None),
    )
    return ClusterView(i, speaker, person, "announcement", text, "2022-01-24 21:15:00", tuple(articles))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_latest_is_valid_html_and_escapes(lang):
    text = render.latest([view(), view(2, "us-state-department", person=None)], lang, NAMES)
    visible = parse_html(text)
    assert "We <support> the SDF & partners." in visible
    assert "Outlet <A>" in visible and 'Evil "outlet"' in visible
    assert 'href="javascript' not in text  # only http(s) links become links
    assert ("جون كيربي" if lang == "ar" else "John Kirby") in visible
    # times read as in pushes (one formatter): UTC in English, بتوقيت غرينتش in Arabic
    assert ("2022-01-24 21:15 بتوقيت غرينتش" if lang == "ar" else "2022-01-24 21:15 UTC") in visible
    if lang == "ar":
        assert all(line.startswith(RLM) for line in text.split("\n") if line)


def test_latest_empty_and_per_speaker_title():
    assert "No statements yet." in parse_html(render.latest([], "en", NAMES))
    assert "البنتاغون" in parse_html(render.latest([], "ar", NAMES, "us-pentagon"))


def test_who_board_and_topic():
    rows = [WhoRow("us-pentagon", 2, 5, view()), WhoRow("uk-government", 0, 0, None)]
    board = parse_html(render.who_board(rows, "en", NAMES))
    assert "2 in 24 h · 5 in 7 days" in board and "No statement in the last 7 days." in board
    results = [SearchResult("us-pentagon", view(), 3), SearchResult("uk-government", None, 0)]
    topic = parse_html(render.who_topic("<Hasakah>", results, "en", NAMES))
    assert "Who reacted to “<Hasakah>”" in topic and "No reaction found" in topic and "3 matching" in topic
    nobody = parse_html(render.who_topic("x&y", [SearchResult("uk-government", None, 0)], "ar", NAMES))
    assert "x&y" in nobody


def test_digest_groups_by_speaker_and_splits_within_the_limit():
    views = [view(i, "us-pentagon" if i % 2 else "us-state-department", "long statement " * 40) for i in range(60)]
    parts = render.digest("2022-01-25", views, "en", NAMES)
    assert len(parts) > 1
    for part in parts:
        assert utf16_len(part) <= 4096
        parse_html(part)
    whole = "".join(parse_html(p) for p in parts)
    assert whole.index("US State Department") < whole.index("Pentagon (30)")  # registry order
    assert "No statements" in parse_html(render.digest("2022-01-25", [], "en", NAMES)[0])


def test_status_lists_failing_feeds():
    status = StatusView(3, (FailingFeed("https://f.example/rss", "F <1>", 4, 503, "HTTP 503 Service Unavailable",
                                        "2026-01-10 10:00:00"),), "2026-01-10 10:05:00", None, 2, 1, 5, 4, 7, 9)
    text = parse_html(render.status(status, "en"))
    assert "Feeds: 3 (1 failing)" in text and "F <1>: 4 failures, HTTP 503" in text
    assert "Last successful poll: never" in text and "Outbox: 2 pending, 1 failed" in text


def test_status_shows_a_capped_delivery_count_as_at_least():
    from storage.outbox import COUNT_CAP

    status = StatusView(1, (), None, None, COUNT_CAP, COUNT_CAP - 1, 5, 4, 7, 9)
    text = parse_html(render.status(status, "en"))
    assert f"Outbox: {COUNT_CAP}+ pending, {COUNT_CAP - 1} failed" in text


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_help_lists_speakers_and_admin_commands(lang):
    text = parse_html(render.help_text(NAMES, lang, admin=True))
    assert "/subscribe" in text and "/addfeed" in text and "us-pentagon" in text


def test_every_message_exists_in_both_languages():
    for key, entry in MESSAGES.items():
        assert set(entry) == {"en", "ar"}, key
        assert entry["en"].count("{") == entry["ar"].count("{"), key
    assert t("usage_latest", "fr", max=20).startswith("Usage:")


def test_split_of_rendered_latest_keeps_html_valid():
    text = render.latest([view(i, text="كلمة & <b> " * 100) for i in range(20)], "ar", NAMES)
    for part in render.split_html(text, 1500):
        parse_html(part)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_push_and_a_board_show_an_item_the_same_way(lang):
    """One formatter: the push and /latest use the same speaker and person names, reaction label and time."""
    from types import SimpleNamespace

    from bot import push_format

    names = render.Names.from_registry(load_registry())
    board = parse_html(render.latest([view(person="john-kirby")], lang, names, tz="Asia/Riyadh"))
    item = SimpleNamespace(cluster_id=1, speaker="us-pentagon", person="john-kirby", reaction="announcement",
                           text="We support the SDF.", quotes=(), title="T", url=None, outlet="Outlet",
                           published_at="2022-01-24 21:15:00", first_seen_at=None, sources=())
    push = parse_html(push_format.render_push(SimpleNamespace(speaker="us-pentagon", items=(item,)), lang,
                                              "Asia/Riyadh"))
    flag, speaker = push_format.speaker_label("us-pentagon", lang)
    for shared in (speaker, push_format.person_label("john-kirby", lang),
                   push_format.reaction_label("announcement", lang),
                   push_format.time_label("2022-01-24 21:15:00", lang, "Asia/Riyadh")):
        assert shared and shared in board and shared in push, shared
