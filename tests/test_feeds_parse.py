"""The parser stage on inline documents: encodings, dates, markup, bad documents, an XML bomb."""

from __future__ import annotations

import dataclasses
import tracemalloc

import pytest

import feeds.parse
from feeds.errors import NotAFeed, ParserCrashed
from feeds.parse import parse_document, parse_with_feedparser
from feeds.text import html_to_text, lead, tidy
from tests.feed_server import atom, rss

ARABIC = "وقال المتحدث باسم وزارة الخارجية الأمريكية إن الولايات المتحدة تدين الهجوم وتدعو إلى ضبط النفس."


@pytest.mark.parametrize("content_type", ["application/xml", "application/rss+xml", "text/xml", ""])
def test_windows_1256_without_declared_encoding_comes_out_as_arabic(content_type):
    items = [{"title": "بيان وزارة الخارجية", "link": f"http://news.test/{i}", "description": ARABIC}
             for i in range(3)]
    document = rss(items, encoding="windows-1256", declare=False)
    assert b"encoding" not in document.split(b"?>")[0]
    parsed = parse_document(document, content_type=content_type, url="http://news.test/feed")
    assert [e.title for e in parsed.entries] == ["بيان وزارة الخارجية"] * 3
    assert parsed.entries[0].text == ARABIC


def test_an_unreadable_arabic_date_leaves_published_empty_and_keeps_the_entry():
    items = [{"title": "خبر", "link": "http://news.test/1", "description": "نص",
              "pubDate": "الأحد، 05 يناير 2025 10:00"},
             {"title": "no date", "link": "http://news.test/2", "description": "text"}]
    parsed = parse_document(rss(items), url="http://news.test/feed")
    assert [(e.title, e.published) for e in parsed.entries] == [("خبر", None), ("no date", None)]


def test_dates_come_out_as_utc_text():
    items = [{"title": "t", "link": "http://news.test/1", "pubDate": "Tue, 02 Jan 2024 12:30:00 +0300"}]
    assert parse_document(rss(items)).entries[0].published == "2024-01-02 09:30:00"


def test_a_date_far_in_the_future_is_treated_as_unreadable():
    items = [{"title": "t", "link": "http://news.test/1", "pubDate": "Tue, 02 Jan 2103 12:30:00 GMT"}]
    assert parse_document(rss(items)).entries[0].published is None


def test_markup_scripts_and_shortcodes_are_stripped():
    html = ('<p>First <b>paragraph</b>.</p><script>alert("x")</script><style>p{}</style>'
            '<p>[caption id="attachment_1" align="alignnone"]A caption[/caption] Second.</p>[gallery ids="1,2"]')
    parsed = parse_document(rss([{"title": "T &amp; <i>U</i>", "link": "http://news.test/1", "description": html}]))
    entry = parsed.entries[0]
    assert entry.text == "First paragraph.\nA caption Second."
    assert "alert" not in entry.text and "[" not in entry.text


def test_content_encoded_is_preferred_over_a_shorter_summary():
    item = {"title": "t", "link": "http://news.test/1", "description": "short",
            "content": "<p>" + "long text. " * 20 + "</p>"}
    entry = parse_document(rss([item])).entries[0]
    assert entry.summary == "short"
    assert entry.text == entry.content and len(entry.text) > 100


def test_relative_links_resolve_against_the_final_url():
    document = rss([{"title": "t", "link": "/news/1?utm_source=rss", "description": "d"}])
    entry = parse_document(document, url="http://www.news.test/feeds/all.xml").entries[0]
    assert entry.link == "http://www.news.test/news/1"
    assert entry.key == "u:https://news.test/news/1" and entry.key_kind == "link"
    assert entry.link_key == "https://news.test/news/1"
    # feedparser (the fallback) resolves entry links itself, not with the HTML it is told to leave alone
    fallback = parse_with_feedparser(document, url="http://www.news.test/feeds/all.xml").entries[0]
    assert (fallback.link, fallback.key) == (entry.link, entry.key)


def test_gov_uk_style_atom_ids_lose_their_timestamp():
    entries = [{"id": "https://www.gov.uk/government/news/x#2024-01-02T10:00:00Z", "title": "Statement",
                "summary": "text"}]
    entry = parse_document(atom(entries)).entries[0]
    assert entry.key == "g:https://gov.uk/government/news/x" and entry.key_kind == "guid"
    assert entry.link_key == "https://gov.uk/government/news/x"


def test_entries_are_frozen():
    entry = parse_document(rss([{"title": "t", "link": "http://news.test/1"}])).entries[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.title = "x"  # type: ignore[misc]


def test_a_valid_feed_without_items_is_not_an_error():
    parsed = parse_document(rss([]))
    assert parsed.entries == () and parsed.version == "rss20"


@pytest.mark.parametrize(("body", "detail"), [
    (b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>Hi</p></body></html>", "HTML page"),
    (b"", "empty document"),
    (b"   \n", "empty document"),
    (b"\x00\x01\x02garbage{json: true}", ""),
    (b'{"not": "a feed"}', ""),
])
def test_documents_without_entries_are_not_feeds(body, detail):
    with pytest.raises(NotAFeed) as caught:
        parse_document(body, content_type="text/html", url="http://news.test/")
    assert caught.value.message.startswith("not a feed: ")
    assert detail in caught.value.message


def test_an_exception_inside_the_parser_is_caught(monkeypatch):
    def explode(*args, **kwargs):
        raise RecursionError("deep")

    monkeypatch.setattr(feeds.parse.feedparser, "parse", explode)
    with pytest.raises(ParserCrashed) as caught:
        parse_document(rss([]))
    assert caught.value.message == "parser failed: RecursionError: deep"


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
]>
<rss version="2.0"><channel><title>&h;</title><link>http://bomb.test/</link><description>&h;</description>
<item><title>&h;</title><link>http://bomb.test/1</link><description>&h;&h;&h;&h;</description></item>
<item><title>ok</title><link>http://bomb.test/2</link><description>fine</description></item>
</channel></rss>"""


def test_an_xml_bomb_stays_small():
    tracemalloc.start()
    try:
        try:
            parsed = parse_document(BOMB, content_type="application/rss+xml", url="http://bomb.test/feed")
            entries = parsed.entries
        except NotAFeed:
            entries = ()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024  # fully expanded, &h; alone would be 2.2 GB
    assert len(entries) <= 2
    assert all(len(e.title) + len(e.text) < 100_000 for e in entries)


def test_html_to_text_keeps_paragraphs_and_drops_comments():
    assert html_to_text("<div>a<br>b<!-- hidden --></div><ul><li>c</li><li>d</li></ul>") == "a\nb\nc\nd"
    assert html_to_text("plain &amp; simple") == "plain & simple"
    assert html_to_text("1 < 2 and [not a shortcode]", is_html=False) == "1 < 2 and [not a shortcode]"
    # upper-case tags are block elements too (the HTML parser lower-cases their names)
    assert html_to_text("<P>one<BR>two</P><DIV>three</DIV>") == "one\ntwo\nthree"


def test_html_to_text_reads_whole_documents_and_leading_text():
    page = "<!DOCTYPE html><html><head><title>T</title></head><body>lead <b>bold</b><p>para</p></body></html>"
    assert html_to_text(page) == "lead bold\npara"
    assert html_to_text(" \n <p>x</p>tail") == "x\ntail"
    # a whole document without a body has no text (lxml.html failed an assertion there: the feed was lost)
    assert html_to_text("<!doctype html><html><head><title>t</title></head></html>") == ""


def test_tidy_collapses_spaces_and_drops_empty_lines():
    assert tidy(" a \t\u00a0 b\u200bc\r\n\n \f\v \n  d  e  ") == "a b c\nd e"
    # other Unicode spaces stay inside a line (a thin space, an ideographic space), and go at its ends
    assert tidy("\u3000x\u2009y \u2009 z\u3000\nw") == "x\u2009y \u2009 z\nw"
    assert tidy(" \n\t\n") == ""


def test_lead_takes_the_first_sentences():
    text = "First sentence here. " * 10 + "\n" + "Second paragraph. " * 40
    assert lead(text, max_chars=100) == ("First sentence here. " * 4).strip()
    assert lead("Short text.\nMore.") == "Short text."
    assert lead("word " * 200, max_chars=50) == ("word " * 10).strip()
    assert text.startswith(lead(text))


def test_a_json_feed_is_read():
    document = (b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "language": "ar", "items": ['
                b'{"id": "1", "url": "https://news.test/1?utm_source=x", "title": "One", '
                b'"content_html": "<p>Body <b>one</b></p>", "date_published": "2024-01-02T10:00:00+02:00"},'
                b'{"id": "2", "title": "Two", "content_text": "Body two"}]}')
    parsed = parse_document(document, content_type="application/feed+json", url="https://news.test/feed.json")
    assert parsed.version == "json1" and parsed.language == "ar"
    assert [(e.key, e.title, e.text, e.published) for e in parsed.entries] == [
        ("g:1", "One", "Body one", "2024-01-02 08:00:00"),
        ("g:2", "Two", "Body two", None),
    ]


def test_two_guids_for_one_link_in_one_fetch_make_one_entry():
    items = [{"title": "Statement", "link": "http://news.test/a?utm_source=rss", "guid": "id-1", "description": "x"},
             {"title": "Statement", "link": "https://www.news.test/a/", "guid": "id-2", "description": "x"}]
    parsed = parse_document(rss(items))
    assert [(e.key, e.link_key) for e in parsed.entries] == [("g:id-1", "https://news.test/a")]


@pytest.fixture
def process_pool(monkeypatch):
    """The real process pool (forkserver), shut down after the test."""
    monkeypatch.delenv("RAQIB_PARSE_POOL", raising=False)
    feeds.parse.shutdown_pool()
    yield
    feeds.parse.shutdown_pool()


def test_pool_workers_ignore_ctrl_c(process_pool):
    import asyncio
    import signal

    handler = asyncio.run(feeds.parse.run_off_loop(signal.getsignal, signal.SIGINT))
    assert handler == signal.SIG_IGN


def test_the_fork_server_loads_the_parsers_for_every_worker(process_pool):
    # the fork server has imported feeds.parse (lxml, fastfeedparser's extension) itself, so each worker forked
    # from it starts with them instead of importing them again
    import asyncio
    import multiprocessing.forkserver
    from pathlib import Path

    assert asyncio.run(feeds.parse.run_off_loop(sum, [1, 2])) == 3
    server = multiprocessing.forkserver._forkserver._forkserver_pid
    maps = Path(f"/proc/{server}/maps").read_text()
    assert "lxml" in maps and "fastfeedparser" in maps


def test_a_stuck_worker_times_out_and_its_pool_is_replaced(process_pool):
    import asyncio
    import time

    from feeds.errors import ParserTimedOut

    async def scenario():
        await feeds.parse.run_off_loop(sum, [1])  # start the pool
        old = feeds.parse._pool
        processes = list(old._processes.values())
        started = time.monotonic()
        stuck = asyncio.ensure_future(feeds.parse.run_off_loop(time.sleep, 60, time_limit=0.5))
        other = asyncio.ensure_future(feeds.parse.run_off_loop(sum, [1, 2]))  # may be caught by the replacement
        with pytest.raises(ParserTimedOut, match="parser timed out after 0.5 s"):
            await stuck
        assert await other == 3
        assert time.monotonic() - started < 10
        assert feeds.parse._pool is not old
        assert await feeds.parse.run_off_loop(sum, [2, 3]) == 5
        for _ in range(50):
            if not any(p.is_alive() for p in processes):
                break
            await asyncio.sleep(0.1)
        assert not any(p.is_alive() for p in processes)

    asyncio.run(scenario())


def test_time_in_the_queue_does_not_count(monkeypatch):
    import asyncio
    import time

    monkeypatch.setenv("RAQIB_PARSE_POOL", "thread")
    feeds.parse.shutdown_pool()

    async def scenario():
        # Two threads: the third job waits ~0.6 s for a free thread, then runs briefly within its 0.4 s limit.
        jobs = [feeds.parse.run_off_loop(time.sleep, 0.6, time_limit=2) for _ in range(2)]
        jobs.append(feeds.parse.run_off_loop(time.sleep, 0.05, time_limit=0.4))
        await asyncio.gather(*jobs)

    try:
        asyncio.run(scenario())
    finally:
        feeds.parse.shutdown_pool()


# --- character references to no character (issue 10 item 9) and the two parser paths -----------------------

BAD_REFS = ("&#55357;&#56832;", "&#xD800;", "&#x110000;", "&#xdfff; &#56320;", "&#1114112;")


def _feed_with(title: str, encoding: str = "utf-8") -> bytes:
    return (f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>t</title>'
            f'<item><title>before {title} after</title><link>http://x.test/1</link><guid isPermaLink="false">id-1</guid>'
            f'<description>one</description></item>'
            f'<item><title>fine</title><link>http://x.test/2</link><guid isPermaLink="false">id-2</guid><description>two</description>'
            f'</item></channel></rss>').encode("ascii")


@pytest.mark.parametrize("encoding", ["utf-8", "windows-1252"])  # the fast path, and feedparser's
@pytest.mark.parametrize("ref", BAD_REFS)
def test_a_bad_character_reference_does_not_fail_the_feed(ref, encoding):
    parsed = parse_document(_feed_with(ref, encoding), content_type="application/rss+xml")
    assert [e.key for e in parsed.entries] == ["g:id-1", "g:id-2"]
    title = parsed.entries[0].title
    assert title.startswith("before ") and title.endswith(" after")
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in title)
    title.encode("utf-8")  # storable


def test_a_surrogate_pair_written_as_two_references_is_the_character():
    for encoding in ("utf-8", "windows-1252"):
        parsed = parse_document(_feed_with("&#55357;&#56832;", encoding))
        assert parsed.entries[0].title == "before \U0001F600 after"
    assert parse_document(_feed_with("&#xD800;")).entries[0].title == "before \ufffd after"


def test_fix_char_refs_leaves_good_references_alone():
    body = b"<t>&#233; &#x41; &#65535; &#x1F600; &#128512; &amp;#xD800;</t>"
    assert feeds.parse.fix_char_refs(body) == body


def test_feedparser_alone_fails_on_a_lone_surrogate_reference():
    # Why fix_char_refs runs first: without it feedparser's loose parser raises on the whole document.
    with pytest.raises(ParserCrashed):
        feeds.parse.parse_with_feedparser(_feed_with("&#xD800;", "windows-1252"))


def test_common_feeds_take_the_fast_path_and_odd_ones_feedparser(monkeypatch):
    calls = []
    real = feeds.parse.parse_with_feedparser
    monkeypatch.setattr(feeds.parse, "parse_with_feedparser", lambda *a, **k: calls.append(1) or real(*a, **k))
    parse_document(_feed_with("x"))
    assert calls == []  # well-formed UTF-8 RSS 2.0: fastfeedparser
    parse_document(_feed_with("x", "windows-1252"))
    assert calls == [1]  # another encoding: feedparser
    parse_document(_feed_with("x").replace(b"</channel>", b"<item><title>broken</channel>"))
    assert calls == [1, 1]  # ill-formed: feedparser's loose parser


def _rss(items: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?>{prolog}<rss version="2.0"><channel><title>T</title>'
            f"<link>https://example.org/</link><description>d</description>{items}</channel></rss>").encode()


MIXED_ITEMS = [
    # some items with a guid, some without; some with a description, some with content only
    '<item><title>one</title><link>https://example.org/1</link><guid>https://example.org/g1</guid>'
    "<description>first summary</description></item>"
    '<item><title>two</title><link>https://example.org/2</link>'
    '<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">&lt;p&gt;body two&lt;/p&gt;'
    "</content:encoded></item>",
    # relative guids: a permalink one (resolved against the document's address, as feedparser does) beside one
    # that is not a permalink (kept as it is)
    '<item><title>a</title><guid>/posts/a</guid><description>x</description></item>'
    '<item><title>b</title><link>https://example.org/b</link><guid isPermaLink="false">post-b</guid>'
    "<description>y</description></item>",
    # an empty guid is no guid (fastfeedparser's id is the link then)
    '<item><title>e</title><link>https://example.org/e</link><guid>  </guid><description>x</description></item>'
    '<item><title>f</title><link>https://example.org/f</link><guid>https://example.org/g/f</guid>'
    "<description>y</description></item>",
    # an Atom feed declaring an HTML DOCTYPE (feedparser drops it), with relative ids
    None,
]
ATOM_WITH_DOCTYPE = (b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html><feed xmlns="http://www.w3.org/2005/Atom">'
                     b"<title>T</title><id>https://example.org/</id><updated>2026-01-02T00:00:00Z</updated>"
                     b'<entry><title>one</title><id>one</id><link href="https://example.org/1"/>'
                     b"<updated>2026-01-01T00:00:00Z</updated><summary>s</summary></entry>"
                     b'<entry><title>two</title><id>two</id><updated>2026-01-01T00:00:00Z</updated>'
                     b'<content type="html">&lt;p&gt;c&lt;/p&gt;</content></entry></feed>')


@pytest.mark.parametrize("index", range(len(MIXED_ITEMS)))
def test_feeds_with_mixed_items_take_the_fast_path_and_agree_with_feedparser(index):
    body = ATOM_WITH_DOCTYPE if MIXED_ITEMS[index] is None else _rss(MIXED_ITEMS[index])
    url = "https://example.org/feed.xml"
    fast = feeds.parse.parse_fast(body, url=url)
    assert fast is not None, "declined"
    ref = feeds.parse.parse_with_feedparser(body, url=url)
    fields = ("key", "guid", "link", "title", "summary", "text", "published")
    assert [tuple(getattr(e, f) for f in fields) for e in fast.entries] == \
        [tuple(getattr(e, f) for f in fields) for e in ref.entries]
    assert len(fast.entries) == 2


def test_the_fast_path_reads_guids_and_summaries_item_by_item():
    fast = feeds.parse.parse_fast(_rss(MIXED_ITEMS[0] + MIXED_ITEMS[1]), url="https://example.org/feed.xml")
    assert fast is not None
    by_title = {e.title: e for e in fast.entries}
    assert by_title["one"].guid == "https://example.org/g1" and by_title["two"].guid is None
    assert by_title["one"].summary == "first summary" and by_title["two"].summary == "body two"
    assert by_title["a"].guid == by_title["a"].link == "https://example.org/posts/a"
    assert by_title["b"].guid == "post-b" and by_title["b"].link == "https://example.org/b"
    empty = feeds.parse.parse_fast(_rss(MIXED_ITEMS[2]), url="https://example.org/feed.xml")
    assert empty is not None and [e.guid for e in empty.entries] == [None, "https://example.org/g/f"]


@pytest.mark.parametrize("items", [
    "<item><title>a</title><link>https://example.org/a</link><guid>g1</guid><guid>g2</guid></item>",
    "<item><title>a</title><link>https://example.org/a</link><description>1</description>"
    "<description>2</description></item>",
])
def test_items_the_fast_path_cannot_tell_go_to_feedparser(items):
    assert feeds.parse.parse_fast(_rss(items), url="https://example.org/feed.xml") is None
    assert parse_document(_rss(items), url="https://example.org/feed.xml").entries


def test_a_relative_guid_under_xml_base_goes_to_feedparser():
    items = '<item xml:base="https://other.example/x/"><title>a</title><guid>p/1</guid></item>'
    assert feeds.parse.parse_fast(_rss(items), url="https://example.org/feed.xml") is None
    assert parse_document(_rss(items), url="https://example.org/feed.xml").entries[0].guid == "https://other.example/x/p/1"


@pytest.mark.parametrize("body", [
    _rss("<item><title>a</title><link>https://example.org/a</link></item>").replace(
        b"<description>d</description>", b"<description>d</description><language>ar-SA</language>"),
    ATOM_WITH_DOCTYPE.replace(b'<feed xmlns=', b'<feed xml:lang="ar" xmlns='),
])
def test_the_fast_path_reads_the_feeds_language_as_feedparser_does(body):
    fast = feeds.parse.parse_fast(body, url="https://example.org/feed.xml")
    assert fast is not None and fast.language == "ar"
    assert feeds.parse.parse_with_feedparser(body, url="https://example.org/feed.xml").language == "ar"
