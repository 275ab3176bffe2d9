"""Clustering in the store: save_article asks reactions.clustering about the clusters around (storage/clusters.py)."""

from __future__ import annotations

from reactions import Statement
from reactions.clustering import MAX_LOADED, MAX_REPORTS, document_keys, document_reports, official_statement
from storage import NewArticle, add_feed, cluster_by_id, save_article, statements_of_cluster
from storage.clusters import candidates, report_time

RELEASE = ("Condemning the ISIS Attack on the Hasakah Detention Facility\nThe United States condemns the ISIS attack "
           "on the Internal Security Forces detention facility in Hasakah, northeast Syria. This attack highlights "
           "the importance of fully funding the Global Coalition to Defeat ISIS's efforts to improve the secure and "
           "humane detention of ISIS fighters.")
QUOTE = ("This attack underscores the importance of fully funding the Global Coalition to Defeat ISIS's efforts to "
         "improve the secure and humane detention of ISIS fighters")
EN = (f'State Department spokesperson Ned Price said Washington condemned the attack in Hasakah. "{QUOTE}," '
      "Price said.")
AR = ("وقال المتحدث باسم الخارجية الأمريكية نيد برايس إن واشنطن تدين هجوم داعش على مركز الاحتجاز في الحسكة وأشاد "
      "بقوات سوريا الديمقراطية.")


def _save(db, feed_id, key, text, statements, *, lang="en", published="2022-01-22T20:05:00Z",
          now="2022-01-23 08:00:00"):
    article = NewArticle(feed_id=feed_id, entry_key=key, url=None, title=text.split("\n")[0], text=text, lang=lang,
                         published_at=published, content_hash=None)
    return save_article(db, article, statements, now=now)


def test_news_reports_in_two_languages_join_the_official_release(db):
    state = add_feed(db, "https://state.example/rss", speaker="us-state-department").id
    en_outlet, ar_outlet = (add_feed(db, f"https://outlet{i}.example/rss").id for i in range(2))
    release = _save(db, state, "r1", RELEASE, [official_statement("us-state-department", RELEASE, "en")])
    en = _save(db, en_outlet, "e1", EN, [
        Statement("us-state-department", "ned-price", "direct", 0, len(EN), EN, (QUOTE,), "condemnation")],
        published="2022-01-22T22:40:00Z")
    ar = _save(db, ar_outlet, "a1", AR, [
        Statement("us-state-department", "ned-price", "reported", 0, len(AR), AR, (), "condemnation")],
        lang="ar", published="2022-01-22T23:30:00Z")
    assert release.cluster_ids == en.cluster_ids == ar.cluster_ids
    assert (en.clusters_new, ar.clusters_new) == ((), ())
    cluster = cluster_by_id(db, release.cluster_ids[0])
    assert cluster.person == "ned-price"  # the release named no one; the first report that did fills it in
    assert len(statements_of_cluster(db, cluster.id)) == 3


def _keys(speaker, text, when="2022-01-24T10:00:00Z"):
    st = Statement(speaker, None, "reported", 0, len(text), text, (), "concern")
    return document_keys(document_reports("q", text, "en", when, [st]))


def test_candidates_are_the_speakers_clusters_within_the_window_that_share_a_key(db):
    outlet = add_feed(db, "https://outlet.example/rss").id
    st = Statement("un-ohchr", None, "reported", 0, 20, "OHCHR voiced concern about Hasakah.", (), "concern")
    _save(db, outlet, "e1", "OHCHR voiced concern about Hasakah.", [st], published="2022-01-22T10:00:00Z")
    near = candidates(db, _keys("un-ohchr", "OHCHR spoke of Hasakah."), "2022-01-24 10:00:00")
    assert len(near) == 1 and near[0].reports[0].text == "OHCHR voiced concern about Hasakah."
    assert candidates(db, _keys("un-ohchr", "OHCHR spoke of Hasakah."), "2022-01-26 10:00:01") == []
    assert candidates(db, _keys("un-ohchr", "OHCHR spoke of Yemen."), "2022-01-24 10:00:00") == []  # no key shared
    assert candidates(db, _keys("uk-government", "The UK spoke of Hasakah."), "2022-01-22 10:00:00") == []


def test_a_busy_speaker_has_only_the_clusters_most_like_the_article_compared(db):
    outlet = add_feed(db, "https://outlet.example/rss").id
    places = ["Hasakah", "Raqqa", "Aleppo", "Homs", "Idlib", "Deir ez-Zor", "Mosul", "Basra", "Gaza", "Khartoum"]
    count = MAX_LOADED * 3  # as many clusters of one person in the window, each on its own place and number
    for i in range(count):
        text = f"Ned Price said the United States condemned the attack in {places[i % len(places)]} number {100 + i}."
        st = Statement("us-state-department", "ned-price", "reported", 0, len(text), text, (), "condemnation")
        _save(db, outlet, f"e{i}", text, [st], published=f"2022-01-22T{i % 24:02d}:00:00Z")
    idlib = max(i for i in range(count) if places[i % len(places)] == "Idlib")
    keys = _keys("us-state-department", f"Ned Price said Washington condemned the attack in Idlib, number {100 + idlib}.")
    found = candidates(db, keys, "2022-01-22 12:00:00")
    assert len(found) == MAX_LOADED
    assert f"number {100 + idlib}." in found[0].reports[0].text  # the place and the number: the most distinctive keys
    assert all(c.reports for c in found)


def test_a_statements_time_is_its_articles_publication_unless_later_than_seen():
    assert str(report_time("2022-01-22T20:05:00+02:00", "2022-01-23 08:00:00")) == "2022-01-22 18:05:00"
    assert str(report_time("2030-01-01", "2022-01-23 08:00:00")) == "2022-01-23 08:00:00"
    assert str(report_time(None, "2022-01-23 08:00:00")) == "2022-01-23 08:00:00"


def test_the_cluster_keys_migration_files_the_last_weeks_clusters_under_the_key_every_lookup_reads(db_path):
    import datetime as dt

    from storage.db import connect
    from storage.migrations import MIGRATIONS, migrate

    version = [name for name, _sql in MIGRATIONS].index("cluster-keys") + 1
    conn = connect(db_path)
    migrate(conn, target=version - 1)
    recent = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")
    conn.execute("INSERT INTO clusters (id, speaker, text, norm_text, first_seen_at, last_seen_at) VALUES "
                 "(1, 'un-ohchr', 't', 't', ?, ?), (2, 'un-ohchr', 't', 't', '2020-01-01 00:00:00', "
                 "'2020-01-01 00:00:00')", (recent, recent))
    migrate(conn, target=version)
    rows = conn.execute("SELECT speaker, key, seen_at, cluster_id FROM cluster_keys").fetchall()
    assert [tuple(r) for r in rows] == [("un-ohchr", "*", recent, 1)]
    conn.execute("DELETE FROM clusters WHERE id = 1")  # a cluster's keys go with it
    assert conn.execute("SELECT count(*) FROM cluster_keys").fetchone()[0] == 0
    conn.close()


def test_a_widely_reprinted_cluster_is_compared_through_its_first_reports(db):
    outlet = add_feed(db, "https://outlet.example/rss").id
    text = "OHCHR voiced deep concern about the detention of 181 people in Hasakah prison."
    st = Statement("un-ohchr", None, "reported", 0, len(text), text, (), "concern")
    saved = [_save(db, outlet, f"e{i}", text + " " * i, [st], published=f"2022-01-22T{10 + i % 10:02d}:00:00Z")
             for i in range(MAX_REPORTS + 3)]
    assert len({s.cluster_ids for s in saved}) == 1  # reprints: one cluster
    found = candidates(db, _keys("un-ohchr", text), "2022-01-22 12:00:00")
    assert len(found) == 1 and len(found[0].reports) == MAX_REPORTS
    assert [r.doc for r in found[0].reports] == [s.article_id for s in saved[:MAX_REPORTS]]  # the first ones
