"""OPML 2.0 in and out (storage/opml.py): pure, no database."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from storage.opml import OpmlError, OpmlFeed, parse_opml, write_opml

NESTED = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0" xmlns:raqib="https://github.com/raqib-bot/raqib/opml">
  <head><title>My feeds</title></head>
  <body>
    <outline text="Official">
      <outline type="rss" text="State" xmlUrl="https://www.state.gov/rss-feed/press-releases/feed/"
               raqib:speaker="us-state-department" raqib:lang="en"/>
      <outline text="UK">
        <outline type="rss" title="FCDO" xmlUrl="https://www.gov.uk/fcdo.atom" speaker="uk-government"
                 language="en-GB" interval="900"/>
      </outline>
    </outline>
    <outline type="rss" text="BBC عربي" xmlUrl="https://feeds.bbci.co.uk/arabic/rss.xml" lang="ar"
             fetch_pages="false"/>
    <outline text="a note, not a feed"/>
    <outline type="rss" text="BBC again" xmlUrl="https://feeds.bbci.co.uk/arabic/rss.xml"/>
  </body>
</opml>
"""


def test_nested_outlines_are_flattened_with_their_attributes():
    assert parse_opml(NESTED) == [
        OpmlFeed("https://www.state.gov/rss-feed/press-releases/feed/", "State", "en", "us-state-department"),
        OpmlFeed("https://www.gov.uk/fcdo.atom", "FCDO", "en", "uk-government", 900),
        OpmlFeed("https://feeds.bbci.co.uk/arabic/rss.xml", "BBC عربي", "ar", fetch_pages=False),
    ]


def test_a_forgotten_namespace_declaration_is_forgiven():
    doc = ('<opml version="2.0"><body><outline xmlUrl="https://a.example/rss" raqib:speaker="un-ohchr"/>'
           "</body></opml>")
    assert parse_opml(doc) == [OpmlFeed("https://a.example/rss", speaker="un-ohchr")]


@pytest.mark.parametrize(("document", "message"), [
    pytest.param(b"this is not xml", "not XML", id="not-xml"),
    pytest.param(b"", "not XML", id="empty"),
    pytest.param(b"<rss version='2.0'><channel/></rss>", "not an OPML file", id="rss-not-opml"),
    pytest.param(b"<opml version='2.0'><head/></opml>", "no <body>", id="no-body"),
    pytest.param(b"<opml version='2.0'><body><outline text='folder'/></body></opml>", "no feeds", id="no-feeds"),
    pytest.param(b"<opml version='2.0'><body><outline type='rss' text='x'/></body></opml>", "xmlUrl",
                 id="feed-without-xmlurl"),
    pytest.param(b"<opml version='2.0'><body><outline xmlUrl='javascript:alert(1)'/></body></opml>",
                 "not an http(s) URL", id="bad-url"),
    pytest.param(b"<opml version='2.0'><body><outline xmlUrl='https://a.example/' lang='fr'/></body></opml>",
                 "language 'fr'", id="bad-lang"),
    pytest.param(b"<opml version='2.0'><body><outline xmlUrl='https://a.example/' interval='2'/></body></opml>",
                 "at least 5 seconds", id="bad-interval"),
    pytest.param(b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
                 b"<opml><body><outline xmlUrl='https://a.example/&lol2;'/></body></opml>", "DOCTYPE",
                 id="entity-bomb"),
    pytest.param('<!DOCTYPE x SYSTEM "file:///etc/passwd"><opml/>'.encode("utf-16"), "DOCTYPE",
                 id="doctype-in-utf16"),
])
def test_unusable_documents_are_refused_with_a_reason(document, message):
    with pytest.raises(OpmlError, match=message.replace("(", r"\(").replace(")", r"\)")) as error:
        parse_opml(document)
    assert "\n" not in str(error.value)


def test_written_opml_is_valid_opml_2():
    feeds = [OpmlFeed("https://a.example/rss", "A & B", "ar", "un-ohchr", 900),
             OpmlFeed("https://b.example/atom", "", None, None, 600, fetch_pages=False)]
    document = write_opml(feeds, now=dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC))
    root = ET.fromstring(document.encode())
    assert (root.tag, root.get("version")) == ("opml", "2.0")
    assert root.findtext("head/title") == "Raqib feeds"
    assert root.findtext("head/dateCreated") == "Tue, 10 Mar 2026 12:00:00 GMT"
    assert [outline.attrib for outline in root.findall("body/outline")] == [
        {"type": "rss", "text": "A & B", "title": "A & B", "xmlUrl": "https://a.example/rss", "lang": "ar",
         "speaker": "un-ohchr", "interval": "900"},
        {"type": "rss", "text": "https://b.example/atom", "title": "https://b.example/atom",
         "xmlUrl": "https://b.example/atom", "interval": "600", "fetch_pages": "false"},
    ]


def test_written_opml_reads_back_the_same():
    feeds = [OpmlFeed("https://a.example/rss", "عنب بلدي", "ar", None, 600),
             OpmlFeed("https://b.example/rss", "State", "en", "us-state-department", 300, fetch_pages=False)]
    assert parse_opml(write_opml(feeds)) == feeds
