"""Feeds and their polling state (storage/feeds.py)."""

from __future__ import annotations

import pytest

from config import FeedConfig
from storage import (
    AlreadyExists,
    NotFound,
    add_feed,
    all_feeds,
    due_feeds,
    feed_by_id,
    feed_by_url,
    record_poll_failure,
    record_poll_success,
    remove_feed,
    sync_config_feeds,
)

URL = "https://example.org/feed"


def test_add_feed_returns_the_stored_feed(db):
    feed = add_feed(db, URL, name="Example", lang="en", speaker="un-ohchr", interval=900, fetch_pages=False)
    assert (feed.url, feed.name, feed.lang, feed.speaker, feed.interval, feed.fetch_pages, feed.origin) == (
        URL, "Example", "en", "un-ohchr", 900, False, "cli")
    assert (feed.last_status, feed.consecutive_failures, feed.next_poll_at) == (None, 0, None)
    assert feed_by_id(db, feed.id) == feed_by_url(db, URL) == feed


def test_adding_a_feed_twice_raises_already_exists(db):
    add_feed(db, URL)
    with pytest.raises(AlreadyExists):
        add_feed(db, URL)
    assert len(all_feeds(db)) == 1


def test_a_bad_language_is_refused(db):
    with pytest.raises(ValueError):
        add_feed(db, URL, lang="fr")


def test_remove_feed(db):
    add_feed(db, URL)
    remove_feed(db, URL)
    assert feed_by_url(db, URL) is None


def test_removing_a_missing_feed_raises_not_found(db):
    with pytest.raises(NotFound):
        remove_feed(db, URL)


def test_lookups_of_missing_feeds_give_none(db):
    assert feed_by_url(db, URL) is None
    assert feed_by_id(db, 1) is None


def test_sync_config_feeds_adds_and_updates_the_configured_feeds_keeping_their_state(db):
    feed = add_feed(db, URL, name="old name")
    record_poll_failure(db, feed.id, status=500, error="server error", next_poll_at="2030-01-01 00:00:00")
    sync_config_feeds(db, [FeedConfig(URL, name="New", lang="ar", interval=60, speaker="un-ohchr"),
                           FeedConfig("https://example.org/second")])
    first, second = all_feeds(db)
    assert (first.name, first.lang, first.interval, first.speaker, first.origin) == ("New", "ar", 60, "un-ohchr",
                                                                                     "config")
    assert (first.consecutive_failures, first.last_error) == (1, "server error")
    assert (second.url, second.origin, second.interval) == ("https://example.org/second", "config", 600)


def test_sync_config_feeds_twice_changes_nothing(db):
    feeds = [FeedConfig(URL, name="Example")]
    sync_config_feeds(db, feeds)
    before = all_feeds(db)
    sync_config_feeds(db, feeds)
    assert all_feeds(db) == before


def test_a_feed_no_longer_configured_stays_until_removed(db):
    sync_config_feeds(db, [FeedConfig(URL)])
    sync_config_feeds(db, [])
    assert [feed.url for feed in all_feeds(db)] == [URL]


def test_due_feeds_are_the_never_polled_and_the_overdue(db):
    never = add_feed(db, "https://example.org/never")
    overdue = add_feed(db, "https://example.org/overdue")
    later = add_feed(db, "https://example.org/later")
    record_poll_success(db, overdue.id, status=200, etag=None, last_modified=None,
                        next_poll_at="2026-01-01 10:00:00")
    record_poll_success(db, later.id, status=200, etag=None, last_modified=None,
                        next_poll_at="2026-01-01 12:00:00")
    assert [f.id for f in due_feeds(db, "2026-01-01 11:00:00")] == [never.id, overdue.id]
    assert [f.id for f in due_feeds(db, "2026-01-01 12:00:00")] == [never.id, overdue.id, later.id]


def test_a_failure_is_counted_and_explained(db):
    feed = add_feed(db, URL)
    assert record_poll_failure(db, feed.id, status=503, error="the server is down (503)",
                               next_poll_at="2030-01-01 00:00:00") == 1
    assert record_poll_failure(db, feed.id, status=None, error="timed out after 30 s",
                               next_poll_at="2030-01-01 00:10:00") == 2
    feed = feed_by_id(db, feed.id)
    assert (feed.consecutive_failures, feed.last_status, feed.last_error, feed.next_poll_at) == (
        2, None, "timed out after 30 s", "2030-01-01 00:10:00")
    assert feed.last_error_at and feed.last_polled_at and feed.last_success_at is None
    assert [f for f in all_feeds(db) if f.consecutive_failures] == [feed]


def test_a_success_resets_the_failures_and_keeps_the_validators(db):
    feed = add_feed(db, URL)
    record_poll_failure(db, feed.id, status=500, error="boom", next_poll_at="2030-01-01 00:00:00")
    record_poll_success(db, feed.id, status=200, etag='"abc"', last_modified="Mon, 01 Jan 2026 00:00:00 GMT",
                        next_poll_at="2030-01-01 00:10:00")
    feed = feed_by_id(db, feed.id)
    assert (feed.consecutive_failures, feed.last_error, feed.etag, feed.last_modified, feed.last_status) == (
        0, None, '"abc"', "Mon, 01 Jan 2026 00:00:00 GMT", 200)
    assert feed.last_success_at and feed.last_error_at
    assert [f for f in all_feeds(db) if f.consecutive_failures] == []


def test_a_permanent_redirect_moves_the_feed(db):
    feed = add_feed(db, URL)
    record_poll_success(db, feed.id, status=200, etag=None, last_modified=None, next_poll_at="2030-01-01 00:00:00",
                        new_url="https://example.org/moved")
    assert feed_by_id(db, feed.id).url == "https://example.org/moved"


def test_a_redirect_onto_another_feed_keeps_the_old_url(db):
    feed = add_feed(db, URL)
    add_feed(db, "https://example.org/taken")
    record_poll_success(db, feed.id, status=200, etag=None, last_modified=None, next_poll_at="2030-01-01 00:00:00",
                        new_url="https://example.org/taken")
    assert feed_by_id(db, feed.id).url == URL


def test_recording_a_poll_of_a_missing_feed_raises_not_found(db):
    with pytest.raises(NotFound):
        record_poll_failure(db, 99, status=None, error="x", next_poll_at="2030-01-01 00:00:00")
    with pytest.raises(NotFound):
        record_poll_success(db, 99, status=200, etag=None, last_modified=None, next_poll_at="2030-01-01 00:00:00")


def test_rows_are_frozen(db):
    feed = add_feed(db, URL)
    with pytest.raises(AttributeError):
        feed.url = "https://elsewhere.example/"
