"""Saving articles: statements stored once, reprints of one statement grouped into one cluster."""

from __future__ import annotations

import pytest

from reactions import Statement
from storage import (
    NewArticle,
    NotFound,
    StorageError,
    add_feed,
    article_by_key,
    article_hashes,
    cluster_by_id,
    remove_feed,
    save_article,
    statements_of_article,
    statements_of_cluster,
    stats,
)

NOW = "2026-03-10 12:00:00"
QUOTE = ("We are deeply concerned by the escalation of violence in Sudan and call on all parties to protect "
         "civilians and allow humanitarian access.")
AR_QUOTE = "ندين بشدة الهجوم على المستشفى في غزة والذي أسفر عن مقتل العشرات من المدنيين"


@pytest.fixture
def feeds(db):
    """Three outlets: a wire service and two papers that reprint it."""
    return [add_feed(db, f"https://outlet{i}.example/rss").id for i in range(3)]


def said(text, *, speaker="un-ohchr", start=0, quotes=None, kind="direct", person=None, reaction="concern"):
    quotes = (text,) if quotes is None else quotes
    return Statement(speaker=speaker, person=person, kind=kind, start=start, end=start + len(text), text=text,
                     quotes=tuple(quotes), reaction=reaction)


def article(feed_id, key="e1", *, title="Sudan", text="", published=None, digest=None, lang="en"):
    return NewArticle(feed_id=feed_id, entry_key=key, url=f"https://example.org/{key}", title=title, text=text,
                      lang=lang, published_at=published, content_hash=digest)


def save(db, feed_id, key, *statements, published=None, now=NOW, text=None, lang="en"):
    body = text if text is not None else " ".join(s.text for s in statements)
    return save_article(db, article(feed_id, key, text=body, published=published, lang=lang), list(statements),
                        now=now)


# --- storing -------------------------------------------------------------------------------------

def test_a_new_article_is_stored_with_its_statements(db, feeds):
    result = save(db, feeds[0], "e1", said(QUOTE, person="volker-turk"),
                  said("We welcome the truce.", start=200, speaker="uk-government"))
    assert (result.status, result.statements_new, len(result.cluster_ids)) == ("new", 2, 2)
    assert result.clusters_new == result.cluster_ids
    stored = article_by_key(db, feeds[0], "e1")
    assert (stored.id, stored.first_seen_at, stored.updated_at) == (result.article_id, NOW, None)
    assert [(s.text, s.quotes, s.person, s.lang) for s in statements_of_article(db, stored.id)] == [
        (QUOTE, (QUOTE,), "volker-turk", "en"), ("We welcome the truce.", ("We welcome the truce.",), None, "en")]


def test_saving_the_same_article_twice_stores_nothing_new(db, feeds):
    first = save(db, feeds[0], "e1", said(QUOTE))
    before = stats(db)
    again = save(db, feeds[0], "e1", said(QUOTE))
    assert (again.status, again.statements_new, again.clusters_new) == ("unchanged", 0, ())
    assert again.article_id == first.article_id and again.cluster_ids == first.cluster_ids
    assert stats(db) == before


def test_the_same_statement_twice_in_one_list_is_stored_once(db, feeds):
    result = save(db, feeds[0], "e1", said(QUOTE), said(QUOTE))
    assert result.statements_new == 1
    assert stats(db)["statements"] == 1


def test_a_changed_article_replaces_its_statements(db, feeds):
    first = save(db, feeds[0], "e1", said(QUOTE), said("We welcome the truce.", start=200, speaker="uk-government"))
    changed = save(db, feeds[0], "e1", said(QUOTE),
                   said("We deplore the looting of aid warehouses.", start=300, speaker="uk-government"),
                   now="2026-03-10 13:00:00")
    assert (changed.status, changed.article_id, changed.statements_new) == ("changed", first.article_id, 2)
    assert [s.text for s in statements_of_article(db, first.article_id)] == [
        QUOTE, "We deplore the looting of aid warehouses."]
    assert changed.cluster_ids[0] == first.cluster_ids[0]  # the unchanged statement keeps its cluster
    assert changed.clusters_new == changed.cluster_ids[1:]
    assert cluster_by_id(db, first.cluster_ids[1]) is None  # the truce cluster lost its only statement
    assert article_by_key(db, feeds[0], "e1").updated_at == "2026-03-10 13:00:00"
    assert fts(db, "truce") == []


def test_a_pushed_cluster_survives_losing_its_statements(db, feeds):
    first = save(db, feeds[0], "e1", said("We welcome the truce."))
    db.execute("UPDATE clusters SET fanned_out = 1")
    save(db, feeds[0], "e1", said("We deplore the looting of aid warehouses."))
    assert cluster_by_id(db, first.cluster_ids[0]) is not None


def test_article_hashes_tell_which_entries_are_stored(db, feeds):
    save_article(db, article(feeds[0], "e1", digest="h1"), [])
    save_article(db, article(feeds[0], "e2", digest="h2"), [])
    save_article(db, article(feeds[1], "e3", digest="h3"), [])
    assert article_hashes(db, feeds[0], ["e1", "e2", "e3", "e4"]) == {"e1": "h1", "e2": "h2"}
    assert article_hashes(db, feeds[0], []) == {}


def test_many_entry_keys_are_looked_up_in_chunks(db, feeds):
    keys = [f"e{i}" for i in range(1200)]
    for key in keys[::100]:
        save_article(db, article(feeds[0], key, digest=key), [])
    assert article_hashes(db, feeds[0], keys) == {key: key for key in keys[::100]}


def test_removing_a_feed_removes_its_articles_and_statements(db, feeds):
    save(db, feeds[0], "e1", said(QUOTE))
    remove_feed(db, "https://outlet0.example/rss")
    counts = stats(db)
    assert (counts["articles"], counts["statements"], counts["clusters"]) == (0, 0, 1)


def fts(db, query: str) -> list[str]:
    """The statement texts the full-text index finds for ``query`` (what /who and inline search read)."""
    return [row[0] for row in db.execute(
        "SELECT s.text FROM statements_fts JOIN statements s ON s.id = statements_fts.rowid "
        "WHERE statements_fts MATCH ? ORDER BY rank", (query,))]


def test_statements_are_searchable_in_arabic_and_english(db, feeds):
    save(db, feeds[0], "e1", said(QUOTE))
    save(db, feeds[1], "e2", said(AR_QUOTE, speaker="us-state-department"), lang="ar")
    assert fts(db, "humanitarian") == [QUOTE]
    assert fts(db, "المستشفى") == [AR_QUOTE]


# --- clustering ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("original", "reprint"), [
    pytest.param(QUOTE, QUOTE, id="en-agency-copy"),
    pytest.param(QUOTE, QUOTE.split(" and allow")[0], id="en-trimmed"),
    pytest.param(QUOTE, QUOTE.replace(",", "").replace(".", "!"), id="en-repunctuated"),
    pytest.param(AR_QUOTE, AR_QUOTE + ".", id="ar-agency-copy"),
    pytest.param(AR_QUOTE, "«" + AR_QUOTE.split(" والذي")[0] + "»", id="ar-trimmed"),
    pytest.param(AR_QUOTE, AR_QUOTE.replace("ندين", "نُدين").replace("غزة", "غزة،"), id="ar-repunctuated"),
])
def test_a_reprinted_statement_joins_the_first_ones_cluster(db, feeds, original, reprint):
    first = save(db, feeds[0], "wire", said(original, person="volker-turk"))
    second = save(db, feeds[1], "paper", said(reprint), now="2026-03-10 15:00:00")
    assert second.cluster_ids == first.cluster_ids and second.clusters_new == ()
    cluster = cluster_by_id(db, first.cluster_ids[0])
    assert (cluster.text, cluster.person, cluster.reaction) == (original, "volker-turk", "concern")
    assert (cluster.first_seen_at, cluster.last_seen_at) == (NOW, "2026-03-10 15:00:00")
    assert [s.text for s in statements_of_cluster(db, cluster.id)] == [original, reprint]


def test_a_quotation_framed_differently_joins(db, feeds):
    quote = "We condemn this attack on civilians in the strongest terms"
    first = save(db, feeds[0], "e1", said(f"Spokesperson Jeremy Laurence said: “{quote}.”", quotes=(quote,)))
    second = save(db, feeds[1], "e2", said(f"“{quote},” the UN rights office said on Tuesday.", quotes=(quote,)))
    assert second.cluster_ids == first.cluster_ids


def test_a_different_statement_by_the_same_speaker_starts_a_cluster(db, feeds):
    first = save(db, feeds[0], "e1", said(QUOTE))
    second = save(db, feeds[1], "e2", said(QUOTE.replace("Sudan", "Lebanon")))
    third = save(db, feeds[2], "e3", said("We welcome the release of the detained journalists."))
    assert len({first.cluster_ids, second.cluster_ids, third.cluster_ids}) == 3
    assert second.clusters_new == second.cluster_ids and third.clusters_new == third.cluster_ids


def test_the_same_words_from_another_speaker_start_a_cluster(db, feeds):
    first = save(db, feeds[0], "e1", said(QUOTE, speaker="un-ohchr"))
    second = save(db, feeds[1], "e2", said(QUOTE, speaker="uk-government"))
    assert second.cluster_ids != first.cluster_ids


def test_a_reprint_more_than_72_hours_later_starts_a_cluster(db, feeds):
    first = save(db, feeds[0], "e1", said(QUOTE), now="2026-03-10 12:00:00")
    late = save(db, feeds[1], "e2", said(QUOTE), now="2026-03-13 12:00:01")
    assert late.cluster_ids != first.cluster_ids


def test_a_reprint_within_72_hours_of_the_last_one_joins_and_moves_last_seen(db, feeds):
    first = save(db, feeds[0], "e1", said(QUOTE), now="2026-03-10 12:00:00")
    save(db, feeds[1], "e2", said(QUOTE), now="2026-03-13 11:00:00")
    again = save(db, feeds[2], "e3", said(QUOTE), now="2026-03-16 10:00:00")  # 70 h after the second
    assert again.cluster_ids == first.cluster_ids
    assert cluster_by_id(db, first.cluster_ids[0]).last_seen_at == "2026-03-16 10:00:00"


def test_the_statements_time_is_the_articles_publication_time(db, feeds):
    first = save(db, feeds[0], "e1", said(QUOTE), published="2026-03-01T09:00:00+03:00")
    assert cluster_by_id(db, first.cluster_ids[0]).first_seen_at == "2026-03-01 06:00:00"
    old_reprint = save(db, feeds[1], "e2", said(QUOTE), published="2026-03-02 06:00:00")
    assert old_reprint.cluster_ids == first.cluster_ids


def test_a_publication_time_in_the_future_counts_as_now(db, feeds):
    result = save(db, feeds[0], "e1", said(QUOTE), published="2030-01-01 00:00:00")
    assert cluster_by_id(db, result.cluster_ids[0]).first_seen_at == NOW


def test_statements_of_two_speakers_in_one_article_get_their_own_clusters(db, feeds):
    result = save(db, feeds[0], "e1", said(QUOTE), said("We welcome the truce.", start=300, speaker="uk-government"))
    assert len(result.cluster_ids) == len(set(result.cluster_ids)) == 2


def test_one_speakers_sentences_in_an_article_are_one_utterance_until_it_turns_to_another_subject(db, feeds):
    result = save(db, feeds[0], "e1", said(QUOTE), said("It added that aid must reach Darfur.", start=300),
                  said("Turning to Lebanon, it welcomed the truce.", start=400))
    assert len(result.cluster_ids) == 2 and result.clusters_new == result.cluster_ids
    first, second = (statements_of_cluster(db, c) for c in result.cluster_ids)
    assert [s.start for s in first] == [0, 300] and [s.start for s in second] == [400]


def test_an_article_of_a_missing_feed_raises_not_found_and_writes_nothing(db):
    with pytest.raises(NotFound):
        save(db, 999, "e1", said(QUOTE))
    assert stats(db)["clusters"] == 0


def test_a_refused_statement_rolls_the_whole_article_back(db, feeds):
    with pytest.raises(StorageError):
        save(db, feeds[0], "e1", said(QUOTE), said("We welcome the truce.", start=300, kind="rumoured"))
    counts = stats(db)
    assert (counts["articles"], counts["statements"], counts["clusters"]) == (0, 0, 0)


def test_times_in_iso_form_are_stored_in_the_databases_form(db, feeds):
    result = save(db, feeds[0], "e1", said(QUOTE), now="2026-03-10T14:00:00+02:00", published="not a date")
    assert article_by_key(db, feeds[0], "e1").first_seen_at == NOW
    assert cluster_by_id(db, result.cluster_ids[0]).first_seen_at == NOW


# --- identifying links (guid-first keys; a feed that changes guids) ------------------------------

def test_the_identifying_link_is_stored_and_found_again(db, feeds):
    from storage.articles import article_by_link

    saved = save_article(db, article(feeds[0], "g:1"), [], now=NOW, link_key="https://example.org/a")
    found = article_by_link(db, feeds[0], "https://example.org/a")
    assert found is not None and found.id == saved.article_id and found.entry_key == "g:1"
    assert article_by_link(db, feeds[1], "https://example.org/a") is None  # per feed
    assert article_by_link(db, feeds[0], "https://example.org/b") is None


def test_a_link_held_by_two_articles_identifies_neither(db, feeds):
    from storage.articles import article_by_link, articles_by_links

    save_article(db, article(feeds[0], "g:1"), [], now=NOW, link_key="https://example.org/live")
    save_article(db, article(feeds[0], "g:2"), [], now=NOW, link_key="https://example.org/live")
    save_article(db, article(feeds[0], "g:3"), [], now=NOW, link_key="https://example.org/one")
    assert article_by_link(db, feeds[0], "https://example.org/live") is None
    found = articles_by_links(db, feeds[0], ["https://example.org/live", "https://example.org/one", "x"])
    assert list(found) == ["https://example.org/one"] and found["https://example.org/one"].entry_key == "g:3"


def test_link_key_follows_changes_and_is_kept_when_not_given(db, feeds):
    def link_of(key):
        return db.execute("SELECT link_key FROM articles WHERE entry_key = ?", (key,)).fetchone()[0]

    save_article(db, article(feeds[0], "k", text="one"), [], now=NOW, link_key="https://example.org/a")
    assert save_article(db, article(feeds[0], "k", text="one"), [], now=NOW).status == "unchanged"
    assert link_of("k") == "https://example.org/a"  # unchanged, no link given: nothing written
    save_article(db, article(feeds[0], "k", text="one"), [], now=NOW, link_key="https://example.org/b")
    assert link_of("k") == "https://example.org/b"
    assert save_article(db, article(feeds[0], "k", text="two"), [], now=NOW).status == "changed"
    assert link_of("k") is None  # a changed article is written whole: no identifying link given


def test_rekey_article(db, feeds):
    from storage.articles import rekey_article
    from storage.errors import AlreadyExists

    first = save(db, feeds[0], "g:old", said(QUOTE)).article_id
    save(db, feeds[0], "g:other", said("We welcome the truce."))
    rekey_article(db, first, "g:new")
    assert article_by_key(db, feeds[0], "g:old") is None
    moved = article_by_key(db, feeds[0], "g:new")
    assert moved.id == first and len(statements_of_article(db, first)) == 1
    with pytest.raises(AlreadyExists):
        rekey_article(db, first, "g:other")
    assert article_by_key(db, feeds[0], "g:new").id == first
    with pytest.raises(NotFound):
        rekey_article(db, 999_999, "g:x")


def test_migration_5_fills_link_key_from_link_first_keys(db_path):
    from storage.db import connect
    from storage.migrations import migrate

    conn = connect(db_path)
    migrate(conn, target=4)
    conn.execute("INSERT INTO feeds (id, url) VALUES (1, 'https://example.org/feed')")
    conn.execute("INSERT INTO articles (feed_id, entry_key) VALUES (1, 'u:https://example.org/a'), (1, 'g:x'), "
                 "(1, 'h:0123')")
    migrate(conn, target=5)
    found = conn.execute("SELECT entry_key, link_key FROM articles ORDER BY id").fetchall()
    assert [tuple(r) for r in found] == [("u:https://example.org/a", "https://example.org/a"), ("g:x", None),
                                         ("h:0123", None)]
    plan = " ".join(str(r) for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM articles WHERE feed_id = 1 AND link_key = 'x'").fetchall())
    assert "idx_articles_feed_link" in plan
    conn.close()
