"""Clustering in the store: save_article asks reactions.clustering about the clusters around (storage/clusters.py)."""

from __future__ import annotations

from reactions import Statement
from reactions.clustering import official_statement
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


def test_candidates_are_the_speakers_clusters_within_the_window(db):
    outlet = add_feed(db, "https://outlet.example/rss").id
    st = Statement("un-ohchr", None, "reported", 0, 20, "OHCHR voiced concern.", (), "concern")
    _save(db, outlet, "e1", "OHCHR voiced concern.", [st], published="2022-01-22T10:00:00Z")
    near = candidates(db, ["un-ohchr"], "2022-01-24 10:00:00")
    assert len(near) == 1 and near[0].reports[0].text == "OHCHR voiced concern."
    assert candidates(db, ["un-ohchr"], "2022-01-26 10:00:01") == []
    assert candidates(db, ["uk-government"], "2022-01-22 10:00:00") == []


def test_a_statements_time_is_its_articles_publication_unless_later_than_seen():
    assert str(report_time("2022-01-22T20:05:00+02:00", "2022-01-23 08:00:00")) == "2022-01-22 18:05:00"
    assert str(report_time("2030-01-01", "2022-01-23 08:00:00")) == "2022-01-23 08:00:00"
    assert str(report_time(None, "2022-01-23 08:00:00")) == "2022-01-23 08:00:00"
