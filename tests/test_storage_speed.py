"""What the speed work (issue 13) must not change: kept counts equal count(*), capped counts are exact below
their cap, and /latest ranks as before."""

from __future__ import annotations

import random

import pytest

from storage import outbox, queries
from storage.feeds import add_feed, remove_feed
from storage.stats import stats
from tests.test_delivery_outbox import add_article, add_chat, make_db, statement


def kept(db) -> dict[str, int]:
    return {name: n for name, n in db.conn.execute(
        "SELECT name, n FROM row_counts WHERE name IN ('articles', 'statements', 'clusters')")}


def counted(db) -> dict[str, int]:
    one = lambda sql: db.conn.execute(sql).fetchone()[0]  # noqa: E731
    return {"articles": one("SELECT count(*) FROM articles"), "statements": one("SELECT count(*) FROM statements"),
            "clusters": one("SELECT count(*) FROM clusters")}


def test_kept_counts_follow_inserts_updates_and_cascading_deletes(tmp_path):
    db = make_db(tmp_path)
    for chat_id in range(1, 6):
        add_chat(db, chat_id)
    for i in range(6):
        add_article(db, [statement(f"The State Department condemned attack number {i}.")], entry=f"a{i}",
                    feed_url=f"https://n{i % 2}.example/rss")
    add_article(db, [statement("A changed text replaces the statements.")], entry="a1", feed_url="https://n1.example/rss")
    assert outbox.fan_out(db) > 0
    assert kept(db) == counted(db)
    jobs = outbox.claim_due(db, "2999-01-01 00:00:00", limit=3)
    outbox.mark_sent(db, jobs[0].delivery_ids, 1)
    outbox.mark_failed(db, jobs[1].delivery_ids, "no")
    outbox.mark_retry(db, jobs[2].delivery_ids, "later", "2999-01-01 00:00:00")
    outbox.deactivate_chat(db, 5, "blocked")
    assert kept(db) == counted(db)
    db.conn.execute("DELETE FROM chats WHERE id = 4")  # deliveries go with it (ON DELETE CASCADE)
    remove_feed(db, "https://n0.example/rss")  # its articles and statements too
    assert kept(db) == counted(db)
    figures = stats(db)
    assert figures["statements"] == counted(db)["statements"]
    pending = db.conn.execute("SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending')").fetchone()[0]
    assert figures["deliveries_pending"] == outbox.pending_count(db) == pending > 0
    assert outbox.capped_count(db, "status IN ('pending', 'sending')", cap=1) == 1


def reference_latest(db, speaker, n):
    """/latest as it was: load every candidate as a view, then rank them in Python."""
    where = "WHERE speaker = ?" if speaker else ""
    ids = [r[0] for r in db.conn.execute(
        f"SELECT id FROM clusters {where} ORDER BY first_seen_at DESC, id DESC LIMIT ?",
        [*([speaker] if speaker else []), max(queries.CANDIDATES, n)])]
    views = [v for v in queries.clusters_by_id(db, ids) if v.articles]
    return sorted(views, key=lambda v: (v.when, v.id), reverse=True)[:n]


@pytest.mark.slow
def test_latest_ranks_exactly_as_before(tmp_path):
    db = make_db(tmp_path)
    add_feed(db, "https://other.example/rss", name="Other", lang="en")
    rng = random.Random(3)
    speakers = ("us-state-department", "us-pentagon")
    for i in range(300):
        day = rng.randint(1, 28)
        published = rng.choice([f"2024-02-{day:02d} {rng.randint(0, 23):02d}:00:00", None, "", "2031-01-01 00:00:00"])
        text = f"The statement number {rng.randint(0, 120)} about the talks."  # reprints join a cluster
        add_article(db, [statement(text, speaker=rng.choice(speakers))], entry=f"e{i}", published=published,
                    feed_url=rng.choice(["https://news.example/rss", "https://other.example/rss"]))
    for speaker in (None, *speakers):
        for n in (1, 5, 20):
            assert [v.id for v in queries.latest_clusters(db, speaker, n)] == \
                [v.id for v in reference_latest(db, speaker, n)]
    # /who's match per speaker: the newest of its first 50 matching clusters, ranked in SQL as in Python
    import datetime as dt

    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=7)
    by_speaker: dict[str, list[int]] = {}
    for speaker, cluster_id, _ in queries.topic_hits(db, "talks", queries.db_time(since)):
        if cluster_id not in by_speaker.setdefault(speaker, []):
            by_speaker[speaker].append(cluster_id)
    assert min(len(ids) for ids in by_speaker.values()) > 50
    for result in queries.search_statements(db, "talks", since, speakers):
        views = [v for v in queries.clusters_by_id(db, by_speaker[result.speaker][:50]) if v.articles]
        assert result.match.id == max(views, key=lambda v: (v.when, v.id)).id


@pytest.mark.slow
def test_due_digests_with_the_check_time_are_those_of_judging_every_chat(tmp_path):
    """Two databases get the same chats and the same changes; one is judged through digest_check_at as the
    service does, the other with the hint cleared before every call (every chat judged, as before); a third is
    read as the digest job reads it, in pages of 3 until a page is short."""
    import datetime as dt

    from storage import chats
    from storage.db import open_db

    hinted, full, paged = open_db(tmp_path / "a.db"), open_db(tmp_path / "b.db"), open_db(tmp_path / "c.db")
    rng = random.Random(11)
    zones = ("UTC", "Asia/Riyadh", "America/New_York", "Europe/London", "Asia/Kolkata", "Bad/Zone")
    now = dt.datetime(2026, 3, 27, 20, 0, tzinfo=dt.UTC)  # across the European DST change
    for db in (hinted, full, paged):
        for chat_id in range(1, 61):
            chats.ensure_chat(db, chat_id, timezone=zones[chat_id % len(zones)],
                              digest_time=f"{chat_id % 24:02d}:{(chat_id * 7) % 60:02d}")
            chats.subscribe(db, chat_id, "us-state-department")
        db.conn.execute("UPDATE chats SET created_at = '2026-03-20 00:00:00'")
        db.conn.execute("UPDATE chats SET digest_time = '25:99' WHERE id = 7")
    seen = longest = 0
    for _step in range(300):
        now += dt.timedelta(minutes=rng.choice((1, 7, 30, 61, 180)))
        if rng.random() < 0.1:  # someone changes a chat's digest time or zone
            chat_id, clock, zone = rng.randint(1, 60), f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}", rng.choice(zones)
            for db in (hinted, full, paged):
                chats.set_digest(db, chat_id, clock, zone)
        if rng.random() < 0.05:
            chat_id, off = rng.randint(1, 60), rng.random() < 0.5
            for db in (hinted, full, paged):
                chats.deactivate_chat(db, chat_id, "test") if off else chats.ensure_chat(db, chat_id)
        full.conn.execute("UPDATE chats SET digest_check_at = ''")
        expected = chats.chats_due_for_digest(full, now)
        assert chats.chats_due_for_digest(hinted, now) == expected, now
        pages = [chats.chats_due_for_digest(paged, now, limit=3)]
        while len(pages[-1]) == 3:
            pages.append(chats.chats_due_for_digest(paged, now, limit=3))
        key = lambda d: d.chat_id  # noqa: E731
        assert sorted((d for page in pages for d in page), key=key) == expected, now  # each chat once
        for due in expected:
            if rng.random() < 0.8:  # most digests go out; the rest are retried on the next tick
                for db in (hinted, full, paged):
                    chats.mark_digest_sent(db, due.chat_id, due.day)
        seen += len(expected)
        longest = max(longest, len(pages))
    assert seen > 100
    assert longest > 2  # some ticks needed several pages
    with pytest.raises(ValueError, match="at least 1"):
        chats.chats_due_for_digest(paged, now, limit=0)


def test_a_digest_shared_by_chats_with_the_same_combination_is_the_one_each_would_get(tmp_path, monkeypatch):
    """Chats with the same combination share a digest, and chats with others each statement's rendering (once
    per view, language and timezone in a round); each gets the digest it would get alone."""
    import datetime as dt

    from bot import render
    from bot.digest import _BLOCKS, digest_messages, digest_views
    from reactions import load_registry
    from storage import chats
    from storage.articles import save_article
    from storage.feeds import add_feed
    from storage.models import NewArticle

    db = make_db(tmp_path)
    speakers = ["us-state-department", "us-pentagon", "un-ohchr"]
    arabic = add_feed(db, "https://news.example/ar.rss", name="أخبار", lang="ar")
    for i in range(60):
        said = statement(f"The State Department condemned attack number {i}.", speaker=speakers[i % 3])
        add_article(db, [said], entry=f"d{i}", published="2026-03-10 09:00:00")
        if i % 4 == 0:  # the same statement reported in Arabic too (one cluster, two languages), or only in Arabic
            text = f"أدانت الخارجية الهجوم رقم {i}"
            save_article(db, NewArticle(feed_id=arabic.id, entry_key=f"a{i}", url=f"https://ar.example/{i}",
                                        title="إدانة", text=text, lang="ar", published_at="2026-03-10 09:10:00",
                                        content_hash=None),
                         [statement(text if i % 8 else said.text, speaker=speakers[i % 3])])
    db.conn.execute("UPDATE statements SET created_at = '2026-03-10 09:30:00'")
    rng = random.Random(4)
    for chat_id in range(1, 41):
        chats.ensure_chat(db, chat_id, lang=rng.choice(("ar", "en")), timezone=rng.choice(("UTC", "Asia/Riyadh")),
                          digest_time="08:00")
        chats.set_sources(db, chat_id, rng.choice(("ar", "en", "both")))
        for speaker in rng.sample(speakers, rng.randint(1, 3)):
            chats.subscribe(db, chat_id, speaker, rng.choice(["", "", "attack number 3"]))
    db.conn.execute("UPDATE chats SET created_at = '2026-01-01 00:00:00'")
    names = render.Names.from_registry(load_registry())
    due = chats.chats_due_for_digest(db, dt.datetime(2026, 3, 11, 12, 0, tzinfo=dt.UTC))
    assert len(due) == 40
    alone = [digest_messages(db, item, names) for item in due]
    rendered = []
    block = render.cluster_block
    monkeypatch.setattr(render, "cluster_block", lambda *a, **k: rendered.append(a[0]) or block(*a, **k))
    shared: dict = {}
    assert [digest_messages(db, item, names, shared) for item in due] == alone
    assert any(alone)
    digests = {key: parts for key, parts in shared.items() if isinstance(parts, list)}
    assert len(digests) < len(due)  # some chats shared a digest
    assert len(rendered) == len(shared[_BLOCKS]) > 0  # each statement rendered once per language and timezone
    assert len(rendered) < sum(p.count("🕒") for parts in digests.values() for p in parts)
    assert {p for parts in digests.values() for p in parts if "الهجوم رقم" in p}  # some shown in Arabic
    # each speaker's clusters queried once per window, each localized once per view, languages and interface
    assert {key[3] for key in shared if key[0] == "digest clusters"} == set(speakers)
    assert sum(key[0] == "localized" for key in shared) < sum(len(digest_views(db, item.chat_id, item.window_start,
                                                                              item.window_end)) for item in due)


def test_fan_out_in_steps_commits_bounded_chunks_and_a_stop_midway_loses_and_repeats_nothing(tmp_path):
    db = make_db(tmp_path)
    for chat_id in range(1, 12):
        add_chat(db, chat_id)
    saved = add_article(db, [statement("The State Department condemned the attack.")])
    steps = outbox.fan_out_steps(db, chunk=4)
    assert next(steps) == 4 and not db.conn.in_transaction  # committed, nothing held open between steps
    assert next(steps) == 4
    steps.close()  # the process stops here: 8 of 11 enqueued, the cluster not marked
    assert db.conn.execute("SELECT fanned_out FROM clusters WHERE id = ?", saved.clusters_new).fetchone()[0] == 0
    assert outbox.fan_out(db) == 3  # the next fan-out finishes it
    assert sorted(r[0] for r in db.conn.execute("SELECT chat_id FROM deliveries")) == list(range(1, 12))
    assert outbox.fan_out(db) == 0


def test_prune_deletes_only_old_sent_pushes_and_old_digest_records_in_small_steps(tmp_path):
    import asyncio
    import datetime as dt

    from bot import sender
    from storage import chats

    db = make_db(tmp_path)
    for chat_id in range(1, 8):
        add_chat(db, chat_id)
    add_article(db, [statement("The State Department condemned the attack.")])
    assert outbox.fan_out(db) == 7
    ids = [r[0] for r in db.conn.execute("SELECT id FROM deliveries ORDER BY id")]
    old, recent = "2026-01-01 00:00:00", "2026-03-09 00:00:00"
    db.conn.execute("UPDATE deliveries SET next_attempt_at = '2025-12-31 23:00:00'")
    outbox.mark_sent(db, ids[:4], 1, now=old)
    outbox.mark_sent(db, ids[4:5], 2, now=recent)
    outbox.mark_failed(db, ids[5:6], "blocked")  # failed: kept, /status shows them
    for day in ("2025-12-30", "2026-03-09"):
        chats.mark_digest_sent(db, 1, day)
    steps = list(outbox.prune(db, "2026-02-01 00:00:00", chunk=2))
    assert steps[:3] == [2, 2, 0] and sum(steps) == 5
    left = dict(db.conn.execute("SELECT id, status FROM deliveries"))
    assert left == {ids[4]: "sent", ids[5]: "failed", ids[6]: "pending"}
    assert [r[0] for r in db.conn.execute("SELECT day FROM digests_sent")] == ["2026-03-09"]
    now = dt.datetime(2026, 3, 10, tzinfo=dt.UTC)
    assert asyncio.run(sender.prune(db, 0, now)) == 0  # 0 keeps everything
    assert asyncio.run(sender.prune(db, 0.5, now)) == 1  # the recent push; the digest record's day is not over
    assert outbox.fan_out(db) == 0  # pruned pushes are never pushed again


def test_kept_chat_counts_follow_subscribing_deactivating_merging_and_deleting(tmp_path):
    """/status's active chats and subscribers (kept by migration 17's triggers) equal counting them, through
    every way the rows change: (un)subscribing, a chat leaving and coming back, a group moved to a new id or
    merged into an existing chat, a chat deleted with its subscriptions (cascade)."""
    from storage import chats, queries
    from storage.db import open_db

    db = open_db(tmp_path / "c.db")

    def counted():
        one = lambda sql: db.conn.execute(sql).fetchone()[0]  # noqa: E731
        return (one("SELECT count(*) FROM chats WHERE active = 1"),
                one("SELECT count(DISTINCT s.chat_id) FROM subscriptions s JOIN chats c ON c.id = s.chat_id "
                    "WHERE c.active = 1"))

    def kept():
        view = queries.status(db)
        figures = chats.chat_counts(db)
        assert (figures["chats"], figures["subscribers"]) == (view.chats, view.subscribers)
        return view.chats, view.subscribers

    rng = random.Random(17)
    speakers = ("us-state-department", "us-pentagon", "un-ohchr")
    changes = 0
    for _step in range(400):
        chat_id, other = rng.randint(1, 25), rng.randint(1, 30)
        action = rng.choice(("join", "subscribe", "subscribe", "unsubscribe", "unsubscribe all", "leave", "move",
                             "delete"))
        if action == "join":
            chats.ensure_chat(db, chat_id)
        elif action == "subscribe" and chats.chat_by_id(db, chat_id):
            chats.subscribe(db, chat_id, rng.choice(speakers), rng.choice(("", "", "Gaza")))
        elif action == "unsubscribe":
            chats.unsubscribe(db, chat_id, rng.choice(speakers))
        elif action == "unsubscribe all":
            chats.unsubscribe(db, chat_id)
        elif action == "leave":
            outbox.deactivate_chat(db, chat_id, "blocked")
        elif action == "move" and chat_id != other and chats.chat_by_id(db, chat_id):
            outbox.migrate_chat(db, chat_id, other)  # to a new id, or merged into an existing chat
        elif action == "delete":
            db.conn.execute("DELETE FROM chats WHERE id = ?", (chat_id,))  # its subscriptions go with it
        assert kept() == counted(), (_step, action)
        changes += counted() != (0, 0)
    assert changes > 100 and counted()[1] > 0


def reference_hits(db, topic, since):
    """/who's matching as it was: every statement of the window read and folded in Python, the cross-language
    scan over the newest MAX_SCANNED of them (the fold and the names of each computed on the spot)."""
    import re

    from reactions.names import load_gazetteer
    from reactions.text import fold

    rows = db.conn.execute(
        "SELECT s.id, s.speaker, s.cluster_id, s.created_at, s.text, a.title FROM statements s "
        "JOIN articles a ON a.id = s.article_id WHERE s.created_at >= ? AND s.cluster_id IS NOT NULL "
        "ORDER BY s.created_at DESC, s.id DESC", [since]).fetchall()
    needle = fold(topic)
    in_fts = {r[0] for r in db.conn.execute("SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?",
                                            [queries.fts_query(topic)])}
    hits = [r for r in rows if r[0] in in_fts][:2000] or [r for r in rows if needle in fold(r[4])][:2000]
    gazetteer = load_gazetteer()
    wanted = gazetteer.expand(topic)
    pattern = re.compile(re.escape(needle) if re.search("[\u0600-\u06ff]", needle) else
                         r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
    hits += [r for r in rows[:queries.MAX_SCANNED]
             if pattern.search(fold(r[5])) or wanted & gazetteer.entities(f"{r[4]}\n{r[5]}")]
    return [(r[1], r[2], r[3]) for r in hits]


@pytest.mark.parametrize("stale", ["none", "half", "all"])
@pytest.mark.parametrize("scanned", [7, 5000])
def test_who_matches_exactly_as_when_it_folded_every_statement_at_each_search(tmp_path, monkeypatch, scanned, stale):
    """The folded text and title stored with each statement (migration 18) and compared in SQL, and the names
    filed with each (migration 20), give the hits, in the order, that folding each statement of the window in
    Python and asking the gazetteer about it gave, the newest MAX_SCANNED alone scanned across languages; also
    when some or all statements' names were filed with another gazetteer (their names then wrong: ignored) or
    never."""
    import datetime as dt

    monkeypatch.setattr(queries, "MAX_SCANNED", scanned)
    db = make_db(tmp_path)
    rng = random.Random(11)
    titles = ("Prison break in Hasakah", "Prisons and imprisonment", "السجن في الحسكة", "بالسجن المركزي",
              "Talks on Syria", "محادثات سوريا", "A quiet day", "U.S. envoy visits the prison")
    texts = ("The United States condemns the attack.", "We are concerned about the detainees in the prison.",
             "وأعربت المفوضية عن قلقها إزاء أوضاع المدنيين", "Britain urged restraint in Syria.",
             "نحث على ضبط النفس في سوريا", "قصف قرب للحسكة ووبالحسكة", "The Syrians of al-Hasakah and Gaza",
             "غزة تحت القصف")
    now = dt.datetime.now(dt.UTC)
    for i in range(60):
        published = (now - dt.timedelta(hours=rng.randint(1, 24 * 9))).strftime("%Y-%m-%d %H:%M:%S")
        add_article(db, [statement(f"{rng.choice(texts)} ({i})", speaker=rng.choice(("us-state-department",
                                                                                   "un-ohchr")))],
                    entry=f"e{i}", title=rng.choice(titles), published=published)
    since = queries.db_time(now - dt.timedelta(days=7))
    if stale != "none":
        ids = [r[0] for r in db.conn.execute("SELECT id FROM statements ORDER BY id")][::2 if stale == "half" else 1]
        for i, statement_id in enumerate(ids):
            db.conn.execute("UPDATE statements SET names_version = ? WHERE id = ?", [None if i % 3 else 7,
                                                                                     statement_id])
            db.conn.execute("DELETE FROM statement_names WHERE statement_id = ?", [statement_id])
            db.conn.executemany("INSERT INTO statement_names (statement_id, name_key) VALUES (?, ?)",
                                [(statement_id, key) for key in ("country:PS", "country:SY", "city:173811")])
        db.conn.commit()
    assert db.conn.execute("SELECT count(*) FROM statement_names").fetchone()[0] > 0
    for topic in ("prison", "Prison", "السجن", "سجن", "Syria", "سوريا", "Hasakah", "الحسكة", "Gaza", "غزة",
                  "detainees", "المدنيين", "مدنيين", "qwertyuiop", "U.S. envoy", "us", "the United States"):
        assert queries.topic_hits(db, topic, since) == reference_hits(db, topic, since), topic


def test_every_text_naming_a_place_holds_one_of_its_needles():
    """/who asks the gazetteer only about statements holding one of the names' needles (a word of a name, folded):
    every name of these places and people, as written and with Arabic clitics (وبالحسكة، للحسكة), holds one."""
    from reactions.names import load_gazetteer
    from reactions.text import fold

    gazetteer = load_gazetteer()
    wanted = set().union(*(gazetteer.expand(t) for t in ("Hasakah", "Syria", "Gaza", "Iraq", "Ned Price", "UN")))
    assert len(wanted) >= 5
    checked = 0
    for table in (gazetteer.english, gazetteer.arabic):
        for key, ids in table.items():
            if wanted.isdisjoint(ids):
                continue
            name = " ".join(key)
            forms = [name]
            if table is gazetteer.arabic:
                bare = name[2:] if name.startswith("ال") else name
                forms += ["و" + name, "وب" + name, "ل" + name[1:] if name.startswith("ال") else "ل" + name, "فب" + bare]
            for form in forms:
                text = f"Officials in {form} said so."
                found = gazetteer.entities(text) & wanted
                for entity in found:
                    checked += 1
                    assert any(n in fold(text) for n in gazetteer.needles({entity})), (entity, text)
    assert checked > 50


def test_names_filed_at_save_are_those_the_migration_finds_and_go_with_their_statement(tmp_path):
    """The names save_article files with each statement (storage.names) are the gazetteer's for its text and
    title, the same the migration's fill finds for rows stored without them; a changed article's statements are
    written again with the names of its new title, and the old ones' names go."""
    from reactions.names import load_gazetteer
    from storage.names import fill_all

    gazetteer = load_gazetteer()
    db = make_db(tmp_path)
    texts = ("Britain urged restraint in Syria.", "غزة تحت القصف", "The Syrians of al-Hasakah and Gaza", "No names.")
    for i, text in enumerate(texts):
        add_article(db, [statement(text)], entry=f"e{i}", title="Talks on Iraq" if i % 2 else "A quiet day")

    def filed():
        return sorted(db.conn.execute("SELECT statement_id, name_key FROM statement_names"))

    saved = filed()
    expected = sorted((sid, name) for sid, text, title in db.conn.execute(
        "SELECT s.id, s.text, a.title FROM statements s JOIN articles a ON a.id = s.article_id")
        for name in gazetteer.entities(f"{text}\n{title}"))
    assert saved == expected and {"country:SY", "country:IQ"} <= {name for _sid, name in saved}
    assert {v for (v,) in db.conn.execute("SELECT DISTINCT names_version FROM statements")} == {gazetteer.version}
    db.conn.execute("DELETE FROM statement_names")
    db.conn.execute("UPDATE statements SET names_version = NULL")
    fill_all(db.conn, gazetteer, chunk=3)
    assert filed() == saved
    assert {v for (v,) in db.conn.execute("SELECT DISTINCT names_version FROM statements")} == {gazetteer.version}
    old_ids = {sid for (sid,) in db.conn.execute("SELECT id FROM statements WHERE text = ?", [texts[0]])}
    add_article(db, [statement(texts[0])], entry="e0", title="Talks on Jordan")  # the article changed
    assert old_ids.isdisjoint(sid for sid, _name in filed())
    new_names = {name for sid, name in filed() if sid not in {s for s, _n in saved}}
    assert new_names == gazetteer.entities(f"{texts[0]}\nTalks on Jordan") and "country:JO" in new_names
