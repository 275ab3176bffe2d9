"""Entry identity: link normalisation, guid handling and key choice (table-driven, no network)."""

from __future__ import annotations

import pytest

from feeds.identity import (
    EntryKey,
    Identity,
    assign_keys,
    clean_link,
    identity,
    is_home_link,
    normalize_guid,
    normalize_link,
)


@pytest.mark.parametrize(("link", "expected"), [
    ("https://example.com/a", "https://example.com/a"),
    ("http://example.com/a", "https://example.com/a"),
    ("https://www.example.com/a", "https://example.com/a"),
    ("https://WWW.Example.COM/a", "https://example.com/a"),
    ("https://example.com/a/", "https://example.com/a"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com/", "https://example.com/"),
    ("https://www.bbc.com/news/articles/c0000#0", "https://bbc.com/news/articles/c0000"),
    ("https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"),
    ("https://example.com/a?id=7&utm_campaign=x", "https://example.com/a?id=7"),
    ("https://example.com/a?fbclid=abc&gclid=def", "https://example.com/a"),
    ("https://www.msn.com/en-us/news/a?ocid=BingNews", "https://msn.com/en-us/news/a"),
    ("https://www.bbc.co.uk/news/x?at_medium=RSS&at_campaign=KARANGA", "https://bbc.co.uk/news/x"),
    ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("http://example.com:80/a", "https://example.com/a"),
    ("http://127.0.0.1:8080/feed/", "https://127.0.0.1:8080/feed"),
    ("  https://example.com/a  ", "https://example.com/a"),
    ("https://example.com//a//b", "https://example.com/a/b"),
    ("https://ar.example.com/مقال", "https://ar.example.com/مقال"),
    ("", None),
    (None, None),
    ("mailto:someone@example.com", None),
    ("javascript:alert(1)", None),
])
def test_normalize_link(link, expected):
    assert normalize_link(link) == expected


def test_normalize_link_resolves_relative_links_against_the_base():
    assert normalize_link("/news/1?utm_source=x", "http://www.example.com/feed.xml") == "https://example.com/news/1"


def test_same_article_reached_twice_has_one_normal_form():
    variants = ["http://www.example.com/news/1/", "https://example.com/news/1#0",
                "https://example.com/news/1?utm_source=twitter", "https://EXAMPLE.com/news/1"]
    assert {normalize_link(v) for v in variants} == {"https://example.com/news/1"}


def test_clean_link_keeps_scheme_and_host_but_drops_tracking():
    assert clean_link("http://www.example.com/a?utm_source=x&id=1#top") == "http://www.example.com/a?id=1"


@pytest.mark.parametrize(("guid", "expected"), [
    ("https://www.gov.uk/government/news/x#2024-01-02T10:00:00Z", "https://gov.uk/government/news/x"),
    ("https://www.gov.uk/government/news/x#2024-01-02T10:00:00+00:00", "https://gov.uk/government/news/x"),
    ("tag:www.gov.uk,2005:/government/news/x#2024-01-02T10:00:00.000Z", "tag:www.gov.uk,2005:/government/news/x"),
    ("urn:uuid:1234", "urn:uuid:1234"),
    ("  12345 ", "12345"),
    ("", None),
    (None, None),
    ("https://example.com/story#section", "https://example.com/story"),
])
def test_normalize_guid(guid, expected):
    assert normalize_guid(guid) == expected


def _ids(*rows: tuple[str | None, str | None, str]) -> list[Identity]:
    return [identity(link, guid, title, "summary") for link, guid, title in rows]


def test_keys_prefer_the_guid_and_carry_the_identifying_link():
    keys = assign_keys(_ids(("http://www.example.com/a/", "guid-1", "A")))
    assert keys == [EntryKey("g:guid-1", "guid", "https://example.com/a")]


def test_a_missing_guid_falls_back_to_the_normalised_link():
    keys = assign_keys(_ids(("http://www.example.com/a/?utm_source=rss", None, "A")))
    assert keys == [("u:https://example.com/a", "link", "https://example.com/a")]


def test_a_guid_repeated_within_one_fetch_falls_back_to_the_link():
    keys = assign_keys(_ids(("https://example.com/a", "1", "A"), ("https://example.com/b", "1", "B")))
    assert keys == [("u:https://example.com/a", "link", "https://example.com/a"),
                    ("u:https://example.com/b", "link", "https://example.com/b")]


def test_missing_guid_and_link_fall_back_to_the_text_hash():
    (key,) = assign_keys(_ids((None, None, "A")))
    assert key.kind == "hash" and key.key.startswith("h:") and key.link is None


def test_a_gov_uk_timestamped_id_keeps_its_key_across_updates():
    first = assign_keys([identity("https://www.gov.uk/government/news/x",
                                  "https://www.gov.uk/government/news/x#2024-01-02T10:00:00Z", "S", "one")])
    second = assign_keys([identity("https://www.gov.uk/government/news/x",
                                   "https://www.gov.uk/government/news/x#2024-01-03T12:00:00Z", "S", "two")])
    assert first == second == [("g:https://gov.uk/government/news/x", "guid", "https://gov.uk/government/news/x")]


def test_a_permalink_guid_stands_in_for_a_missing_link():
    keys = assign_keys(_ids((None, "https://example.com/a#0", "A")))
    assert keys == [("g:https://example.com/a", "guid", "https://example.com/a")]


def test_the_same_link_reached_via_two_guids_in_one_fetch_is_one_article():
    keys = assign_keys(_ids(("http://www.example.com/a?utm_source=x", "g1", "A"), ("https://example.com/a/", "g2", "A"),
                            ("https://example.com/b", "g3", "B")))
    assert keys == [("g:g1", "guid", "https://example.com/a"), None, ("g:g3", "guid", "https://example.com/b")]


def test_a_link_shared_by_items_with_different_titles_identifies_none_of_them():
    keys = assign_keys(_ids(("https://example.com/live", "g1", "10:00 update"),
                            ("https://example.com/live", "g2", "11:00 update")))
    assert keys == [("g:g1", "guid", None), ("g:g2", "guid", None)]


def test_a_home_page_link_identifies_nothing():
    keys = assign_keys(_ids(("https://example.com/", "g1", "A"), ("https://example.com/", "g2", "A"),
                            ("https://www.example.com", None, "C")))
    assert [k.key for k in keys] == ["g:g1", "g:g2", keys[2].key]
    assert keys[2].kind == "hash" and all(k.link is None for k in keys)


def test_repeated_link_and_guid_fall_back_to_the_text_hash():
    keys = assign_keys(_ids(("https://example.com/x", "g", "A"), ("https://example.com/x", "g", "B")))
    assert [kind for _key, kind, _link in keys] == ["hash", "hash"]
    assert keys[0].key != keys[1].key


def test_an_item_repeated_verbatim_is_kept_once():
    keys = assign_keys(_ids(("https://example.com/a", "g", "A"), ("https://example.com/a", "g", "A"),
                            ("https://example.com/b", "h", "B")))
    assert keys[1] is None
    assert keys[0] == ("g:g", "guid", "https://example.com/a")
    assert keys[2] == ("g:h", "guid", "https://example.com/b")


def test_items_without_link_or_guid_are_keyed_by_their_text():
    keys = assign_keys(_ids((None, None, "A"), (None, None, "B")))
    assert all(key.startswith("h:") for key, _kind, _link in keys)
    assert keys[0] != keys[1]
    assert assign_keys(_ids((None, None, "A"))) == [keys[0]]


def test_is_home_link():
    assert is_home_link("https://example.com/") and not is_home_link("https://example.com/?p=1")
    assert not is_home_link("https://example.com/a") and not is_home_link(None)
