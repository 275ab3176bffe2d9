"""A small archive database for the archive's tests: two outlets, both languages, one statement cluster carried in
English and Arabic, a person, and a subscriber (whose chat must stay private)."""

from __future__ import annotations

from pathlib import Path

from reactions.model import Statement
from storage import chats
from storage.articles import save_article
from storage.db import open_db
from storage.feeds import add_feed
from storage.models import NewArticle

STATE_EN = "The United States condemns the attack on the Ghwayran prison in Hasakah."
STATE_AR = "أدانت الولايات المتحدة الهجوم على سجن غويران في الحسكة."
OHCHR_AR = "أعربت المفوضية عن قلقها إزاء أوضاع المدنيين قرب سجن غويران."
PENTAGON_EN = "US forces supported the SDF with air strikes near Hasakah."
SECRET_CHAT = 987654321


def build_archive(path: Path) -> dict[str, int]:
    """Create the database at ``path``; returns the cluster ids by name."""
    db = open_db(path)
    en = add_feed(db, "https://en.example/rss", name="Levant Wire", lang="en")
    ar = add_feed(db, "https://ar.example/rss", name="الشرق اليوم", lang="ar")

    def save(feed, key, lang, speaker, person, text, reaction, when):
        new = NewArticle(feed_id=feed.id, entry_key=key, url=f"https://{lang}.example/{key}", title=f"Story {key}",
                         text=text, lang=lang, published_at=when, content_hash=None)
        save_article(db, new, [Statement(speaker=speaker, person=person, kind="reported", start=0, end=len(text),
                                         text=text, reaction=reaction)], now=when)
        return db.conn.execute("SELECT s.cluster_id FROM statements s JOIN articles a ON a.id = s.article_id "
                               "WHERE a.entry_key = ?", [key]).fetchone()[0]

    ids = {
        "state": save(en, "s-en", "en", "us-state-department", "ned-price", STATE_EN, "condemnation",
                      "2026-01-22 20:00:00"),
        "pentagon": save(en, "p-en", "en", "us-pentagon", "john-kirby", PENTAGON_EN, "announcement",
                         "2026-01-23 09:00:00"),
        "ohchr": save(ar, "o-ar", "ar", "un-ohchr", None, OHCHR_AR, "concern", "2026-01-24 10:00:00"),
    }
    state_ar = save(ar, "s-ar", "ar", "us-state-department", "ned-price", STATE_AR, "condemnation",
                    "2026-01-22 21:00:00")
    if state_ar != ids["state"]:  # one statement reported in both languages: one cluster
        db.conn.execute("UPDATE statements SET cluster_id = ? WHERE cluster_id = ?", [ids["state"], state_ar])
        db.conn.execute("DELETE FROM clusters WHERE id = ?", [state_ar])
        db.conn.commit()
    chats.ensure_chat(db, SECRET_CHAT, "private", "A subscriber")
    chats.subscribe(db, SECRET_CHAT, "us-pentagon")
    db.close()
    return ids
