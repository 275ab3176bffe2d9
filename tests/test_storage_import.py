"""storage.import_cluster / import_articles (a batch path for an archive clustered elsewhere and for
``make bench-scale``'s history) write the rows save_article writes, and later articles cluster with them."""

from __future__ import annotations

import datetime as dt

import pytest

from reactions import Statement
from storage import (
    NewArticle,
    StorageError,
    add_feed,
    import_articles,
    import_cluster,
    open_db,
    save_article,
    statements_of_cluster,
    stats,
)
from storage.queries import search_statements

TEXT = ("The State Department condemned the shelling of the Zaporizhzhia power plant and urged Moscow to withdraw "
        "its forces from the site, spokesperson Ned Price said on Tuesday.")
TIMES = ("2024-03-05 10:00:00", "2024-03-05 11:30:00", "2024-03-05 14:10:00")


def reprint(feed_id, n, when, text=TEXT):
    article = NewArticle(feed_id=feed_id, entry_key=f"e{n}", url=f"https://o{feed_id}.example/{n}",
                         title="US condemns shelling of Zaporizhzhia plant", text=text, lang="en", published_at=when,
                         content_hash=None)
    return article, Statement("us-state-department", "ned-price", "reported", 0, len(text), text, (), "condemnation")


def rows(db, sql):
    return [tuple(r) for r in db.conn.execute(sql)]


def feeds(db):
    return [add_feed(db, f"https://o{i}.example/rss", name=f"Outlet {i}").id for i in range(3)]


def test_an_imported_cluster_is_stored_as_save_article_stores_its_reprints(tmp_path):
    saved, imported = open_db(tmp_path / "saved.db"), open_db(tmp_path / "imported.db")
    reports = [reprint(feed, n, when) for n, (feed, when) in enumerate(zip(feeds(saved), TIMES, strict=True))]
    assert feeds(imported) == [r[0].feed_id for r in reports]
    results = [save_article(saved, article, [st], now=article.published_at, hold_back=True)
               for article, st in reports]
    assert len({r.cluster_ids for r in results}) == 1  # the reprints are one cluster through save_article
    cluster_id = import_cluster(imported, reports, now="2024-03-06 00:00:00")
    for sql in ("SELECT feed_id, entry_key, url, title, text, lang, published_at, content_hash, first_seen_at"
                " FROM articles ORDER BY id",
                "SELECT article_id, cluster_id, speaker, person, kind, text, quotes, reaction, lang, start, \"end\","
                " created_at FROM statements ORDER BY id",
                "SELECT id, speaker, person, reaction, text, norm_text, first_seen_at, last_seen_at, fanned_out"
                " FROM clusters",
                "SELECT speaker, key, seen_at, cluster_id FROM cluster_keys ORDER BY 1, 2, 3, 4"):
        assert rows(imported, sql) == rows(saved, sql), sql
    assert stats(imported)["statements"] == 3
    assert [s.id for s in statements_of_cluster(imported, cluster_id)] == [1, 2, 3]
    found = search_statements(imported, "Zaporizhzhia", dt.datetime(2024, 3, 1), ["us-state-department"])
    assert [(r.match.id, r.matches) for r in found] == [(cluster_id, 1)]  # the full-text index follows


def test_a_later_reprint_saved_through_save_article_joins_the_imported_cluster(db):
    ids = feeds(db)
    cluster_id = import_cluster(db, [reprint(ids[0], 0, TIMES[0]), reprint(ids[1], 1, TIMES[1])])
    article, st = reprint(ids[2], 2, "2024-03-05 20:00:00")
    result = save_article(db, article, [st], now="2024-03-05 20:05:00")
    assert result.cluster_ids == (cluster_id,)
    assert db.conn.execute("SELECT last_seen_at FROM clusters WHERE id = ?", (cluster_id,)).fetchone()[0] \
        == "2024-03-05 20:00:00"


def test_imported_articles_without_statements_are_the_rows_save_article_writes(tmp_path):
    saved, imported = open_db(tmp_path / "saved.db"), open_db(tmp_path / "imported.db")
    articles = [reprint(feed, n, when, text=f"Weather report number {n}.")[0]
                for n, (feed, when) in enumerate(zip(feeds(saved), TIMES, strict=True))]
    feeds(imported)
    for article in articles:
        save_article(saved, article, [], now=article.published_at)
    import_articles(imported, articles, now="2024-03-06 00:00:00")
    sql = ("SELECT feed_id, entry_key, url, title, text, lang, published_at, content_hash, first_seen_at, link_key"
           " FROM articles ORDER BY id")
    assert rows(imported, sql) == rows(saved, sql)
    assert stats(imported)["articles"] == 3


def test_a_taken_entry_key_or_a_missing_feed_is_refused_and_nothing_of_the_batch_is_written(db):
    ids = feeds(db)
    import_cluster(db, [reprint(ids[0], 0, TIMES[0])])
    before = stats(db)
    with pytest.raises(StorageError, match="UNIQUE"):
        import_cluster(db, [reprint(ids[1], 5, TIMES[1]), reprint(ids[0], 0, TIMES[2])])
    with pytest.raises(StorageError, match="FOREIGN KEY"):
        import_articles(db, [reprint(ids[1], 6, TIMES[1])[0], reprint(99, 7, TIMES[1])[0]])
    with pytest.raises(ValueError, match="at least one report"):
        import_cluster(db, [])
    assert stats(db) == before
    assert rows(db, "SELECT count(*) FROM cluster_keys WHERE cluster_id != 1") == [(0,)]
