"""/chart: statements per day by speaker as a PNG (sendPhoto), the same numbers as /who, each body's first
statement on a topic marked; Arabic labels drawn with real Arabic glyphs, joined and right to left."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import warnings
from pathlib import Path

import pytest

from bot import chart, render
from reactions.model import Statement
from reactions.registry import load_registry
from storage import charts, queries
from storage.articles import save_article
from storage.feeds import add_feed
from storage.models import NewArticle, db_time
from tests.fake_telegram import PNG_MAGIC, FakeTelegram, parse_html
from tests.test_bot_handlers import Chat, running

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def save(db, feed, key, speaker, text, days_ago, hours=0.0):
    when = db_time(NOW - dt.timedelta(days=days_ago, hours=hours))
    new = NewArticle(feed_id=feed.id, entry_key=key, url=f"https://news.example/{key}", title=key, text=text,
                     lang="en", published_at=when, content_hash=None)
    statement = Statement(speaker=speaker, person=None, kind="reported", start=0, end=len(text), text=text,
                          reaction="other")
    save_article(db, new, [statement], now=when)


@pytest.fixture
def seeded(db):
    feed = add_feed(db, "https://news.example/rss", name="Example News", lang="en")
    save(db, feed, "s1", "us-state-department", "The State Department condemned the Hasakah prison attack.", 5)
    save(db, feed, "s2", "us-state-department", "The State Department urged calm in Hasakah after the raid.", 2)
    save(db, feed, "s3", "us-state-department", "The State Department spoke about trade with Canada.", 1)
    save(db, feed, "p1", "us-pentagon", "The Pentagon said strikes near Hasakah hit militants.", 3)
    save(db, feed, "p2", "us-pentagon", "The Pentagon said strikes near Hasakah continued overnight.", 3, 2)
    save(db, feed, "o1", "un-ohchr", "OHCHR said it was deeply concerned about children held in Hasakah.", 0, 1)
    save(db, feed, "old", "un-ohchr", "OHCHR said a word about Hasakah long ago.", 30)
    return db


def names():
    return render.Names.from_registry(load_registry())


def test_the_numbers_are_whos(seeded):
    tracked = names().tracked
    data = charts.daily_counts(seeded, NOW, 7, tracked)
    board = {row.speaker: row.last_7d for row in queries.who_board(seeded, NOW, tracked)}
    assert {s: data.total(s) for s in tracked} == board
    assert board["us-state-department"] == 3 and board["us-pentagon"] == 2 and board["un-ohchr"] == 1
    assert len(data.days) == 8 and data.days[-1] == NOW.date().isoformat()
    topic = charts.daily_counts(seeded, NOW, 7, tracked, topic="Hasakah")
    who = {r.speaker: r.matches for r in queries.search_statements(seeded, "Hasakah", NOW - dt.timedelta(days=7),
                                                                     tracked)}
    assert {s: topic.total(s) for s in tracked} == who == {
        "us-state-department": 2, "us-pentagon": 2, "un-ohchr": 1, "uk-government": 0}
    first = topic.first["us-state-department"]
    assert first.day == (NOW - dt.timedelta(days=5)).date().isoformat()
    assert set(topic.first) == {"us-state-department", "us-pentagon", "un-ohchr"}
    assert charts.daily_counts(seeded, NOW, 7, tracked).first == {}  # marks only on topic charts
    pentagon_day = topic.days.index((NOW - dt.timedelta(days=3)).date().isoformat())
    assert topic.counts["us-pentagon"][pentagon_day] == 2


def test_arabic_is_drawn_with_arabic_glyphs_joined_and_right_to_left():
    """matplotlib's text layout must give 'بيت' as the glyphs of its joined forms (final ت, medial ي, initial ب)
    in visual order, left to right: ت ي ب. An unshaped or left-to-right layout gives other glyphs or order."""
    from matplotlib import _text_helpers, font_manager, ft2font

    font = ft2font.FT2Font(font_manager.findfont(chart.FONT, fallback_to_default=False))
    glyphs = [item.glyph_index for item in _text_helpers.layout("بيت", font)]
    expected = [font.get_char_index(c) for c in (0xFE96, 0xFEF4, 0xFE91)]  # ﺖ ﻴ ﺑ: final, medial, initial
    assert 0 not in expected and glyphs == expected
    isolated = [font.get_char_index(ord(c)) for c in "تيب"]
    assert glyphs != isolated


def render_warnings(labels, title):
    data = charts.DailyCounts(("2026-01-01", "2026-01-02"), {"un-ohchr": (1, 2)}, {})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = chart.render_png(data, labels, title, "ar")
    return png, [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_an_arabic_chart_has_no_missing_glyphs_and_the_check_can_fail():
    png, missing = render_warnings({"un-ohchr": "مفوضية الأمم المتحدة السامية لحقوق الإنسان"},
                                   "«الحسكة»: التصريحات يومياً، آخر 14 يوماً")
    assert png.startswith(PNG_MAGIC) and missing == []
    _png, missing = render_warnings({"un-ohchr": "\ue000"}, "x")  # a private-use character has no glyph
    assert missing


def test_the_png_is_a_real_picture_of_the_numbers(seeded):
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph (a flag emoji, an unknown script) fails the test
        spec = chart.chart_spec(seeded, names(), "en", speaker=None, topic="Hasakah", days=7, now=NOW)
        image = Image.open(io.BytesIO(spec.png()))
        small = chart.chart_spec(seeded, names(), "ar", speaker=None, topic="الحسكة", days=7, now=NOW, small=True)
        small_png = small.png()
    assert image.format == "PNG" and image.size == (990, 528)
    colours = {colour for _count, colour in image.convert("RGB").getcolors(maxcolors=1 << 20)}
    assert (0x1F, 0x4E, 0x79) in colours and (0xC0, 0x50, 0x4D) in colours  # two speakers' lines are drawn
    assert Image.open(io.BytesIO(small_png)).size == (600, 300)
    assert small.labels["un-ohchr"] and "🇺🇳" not in small.labels["un-ohchr"]


def test_arguments():
    resolve = {"pentagon": "us-pentagon", "البنتاغون": "us-pentagon"}.get
    assert chart.parse_args([], resolve) == (None, None, chart.DEFAULT_DAYS)
    assert chart.parse_args(["pentagon", "30"], resolve) == ("us-pentagon", None, 30)
    assert chart.parse_args(["البنتاغون"], resolve) == ("us-pentagon", None, chart.DEFAULT_DAYS)
    assert chart.parse_args(["Hasakah", "prison", "7"], resolve) == (None, "Hasakah prison", 7)
    assert chart.parse_args(["Hasakah", "0"], resolve) is None
    assert chart.parse_args(["91"], resolve) is None


@pytest.fixture
def server():
    with FakeTelegram(token="123:ABC") as fake:
        yield fake


def test_chart_sends_a_photo_with_whos_numbers(seeded, server):
    async def scenario():
        async with running(seeded, server):
            user = Chat(server, 800)
            reply = await user.say("/chart Hasakah 7")
            assert reply["method"] == "sendPhoto" and reply["photo"].startswith(PNG_MAGIC)
            caption = reply["visible"]
            assert "“Hasakah”: statements per day, last 7 days" in caption
            assert "US State Department: 2 · first on" in caption and "UK Government" in caption
            who = await user.say("/who Hasakah")
            assert "2 matching statements" in who["visible"]
            reply = await user.say("/chart pentagon")
            assert reply["method"] == "sendPhoto" and "Pentagon" in reply["visible"] and ": 2" in reply["visible"]
            reply = await user.say("/chart 0")
            assert reply["method"] == "sendMessage" and reply["visible"].startswith("Usage: /chart")
            arabic = Chat(server, 801, lang="ar")
            reply = await arabic.say("/chart")
            assert reply["method"] == "sendPhoto" and "التصريحات يومياً" in reply["visible"]
            parse_html(reply["text"])
            empty = await user.say("/chart zebra")
            assert "No statements in this period." in empty["visible"]
            assert server.method_calls("sendPhoto")
    asyncio.run(scenario())


class PhotoSink:
    def __init__(self):
        self.sent, self.photos = [], []

    async def send(self, chat_id, html):
        parse_html(html)
        self.sent.append((chat_id, html))
        return len(self.sent)

    async def send_photo(self, chat_id, png, caption):
        parse_html(caption)
        self.photos.append((chat_id, png, caption))
        return len(self.photos)


def test_the_digest_carries_a_small_chart_when_asked(seeded):
    from bot.digest import send_due_digests
    from storage import chats

    for chat_id, on in ((61, True), (62, False)):
        chats.ensure_chat(seeded, chat_id, digest_time=NOW.strftime("%H:%M"), timezone="UTC")  # covers o1
        chats.subscribe(seeded, chat_id, "us-pentagon")
        chats.subscribe(seeded, chat_id, "un-ohchr")
        chats.set_digest_chart(seeded, chat_id, on)
    seeded.execute("UPDATE chats SET created_at = '2020-01-01 00:00:00'")
    sink = PhotoSink()
    assert asyncio.run(send_due_digests(seeded, sink, names(), now=NOW)) == 2
    assert {c for c, _h in sink.sent} == {61, 62}
    assert [c for c, _p, _c in sink.photos] == [61]
    _chat, png, caption = sink.photos[0]
    assert png.startswith(PNG_MAGIC)
    visible = parse_html(caption)
    assert "Pentagon" in visible and "OHCHR" in visible and "State Department" not in visible  # its speakers
    from PIL import Image

    assert Image.open(io.BytesIO(png)).size == (600, 300)


def test_digest_chart_command_and_telegram_sink(db, server):
    from bot.sender import SendError, TelegramSink
    from storage import chats

    async def scenario():
        async with running(db, server) as app:
            user = Chat(server, 830)
            assert (await user.say("/digest chart on"))["visible"].startswith("📊 The daily digest will carry")
            assert chats.chat_by_id(db, 830).digest_chart
            assert (await user.say("/digest chart maybe"))["visible"] == "Usage: /digest chart on|off"
            assert (await user.say("/digest chart off"))["visible"] == "The daily digest will come without a chart."
            assert not chats.chat_by_id(db, 830).digest_chart
            sink = TelegramSink(app.bot)
            data = charts.DailyCounts(("2026-01-01",), {"us-pentagon": (1,)}, {})
            png = chart.render_png(data, {"us-pentagon": "Pentagon"}, "t", "en", small=True)
            assert await sink.send_photo(830, png, "<b>Week</b>") > 0
            with pytest.raises(SendError):
                await sink.send_photo(830, b"not a picture", "x")
    asyncio.run(scenario())
    photo = [m for m in server.sent(830) if m["method"] == "sendPhoto"]
    assert len(photo) == 1 and photo[0]["text"] == "<b>Week</b>" and photo[0]["photo"].startswith(PNG_MAGIC)


def test_console_mode_saves_the_chart_and_prints_its_caption(tmp_path):
    from telegram import Bot

    from bot.app import CONSOLE_TOKEN, ConsoleRequest

    class Sink:
        def __init__(self):
            self.replies = []

        async def reply(self, chat_id, text):
            self.replies.append((chat_id, text))
            return len(self.replies)

    sink = Sink()
    data = charts.DailyCounts(("2026-01-01",), {"us-pentagon": (2,)}, {})
    png = chart.render_png(data, {"us-pentagon": "Pentagon"}, "t", "en", small=True)

    async def scenario():
        bot = Bot(CONSOLE_TOKEN, request=ConsoleRequest(sink), get_updates_request=ConsoleRequest(sink))
        async with bot:
            return await bot.send_photo(0, png, caption="<b>Week</b>")

    message = asyncio.run(scenario())
    (_chat, text), = sink.replies
    saved = Path(text.split("🖼 ")[1].strip())
    try:
        assert text.startswith("<b>Week</b>") and saved.read_bytes() == png and message.photo
    finally:
        saved.unlink()


def test_an_arabic_topic_charts_what_who_finds_in_english(seeded):
    """/chart الحسكة counts the English statements that name Hasakah, exactly as /who الحسكة does."""
    tracked = names().tracked
    topic = charts.daily_counts(seeded, NOW, 7, tracked, topic="الحسكة")
    who = {r.speaker: r.matches for r in queries.search_statements(seeded, "الحسكة", NOW - dt.timedelta(days=7),
                                                                     tracked)}
    assert {s: topic.total(s) for s in tracked} == who
    assert who["us-state-department"] == 2 and who["us-pentagon"] == 2
