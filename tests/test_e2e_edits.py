"""End to end: one statement, one push. The real ``raqib run`` process, the fake Bot API and two loopback feeds
(an English outlet and an Arabic outlet): the English report is pushed once; after a restart, the Arabic report of
the same statement edits that message to list the second outlet, and nothing is sent twice.

It starts the process twice and waits for feed polls (interval 5 s) and for the outbox to settle, never a
fixed time: about half a minute.
"""

from __future__ import annotations

import datetime as dt
import html
import signal
import time
from email.utils import format_datetime

import pytest

from tests import feed_server
from tests.fake_telegram import FakeTelegram
from tests.test_e2e_service import TOKEN, Service, is_push

pytestmark = pytest.mark.slow  # polls whole corpora or runs the service: make test-fast leaves it out


EN_ITEM = ("US condemns Islamic State assault on Hasakah prison",
           ["The United States on Saturday condemned the Islamic State attack on a detention centre in Hasakah.",
            "State Department spokesperson Ned Price said in a statement that Washington condemned the ISIS attack "
            "on the prison in Hasakah and praised the Syrian Democratic Forces for their swift response. \"This "
            "attack underscores the importance of fully funding the Global Coalition to Defeat ISIS's efforts to "
            "improve the secure and humane detention of ISIS fighters,\" Price said."])
AR_ITEM = ("واشنطن تدين هجوم داعش على سجن الحسكة",
           ["وفي بيان للمتحدث باسم الخارجية الأمريكية، نيد برايس، أدانت الوزارة هجوم تنظيم داعش على سجن الحسكة في "
            "شمال شرق سوريا، وأشادت بقوات سوريا الديمقراطية على ردها السريع والتزامها المستمر بمحاربة داعش."])


def item(guid: str, title: str, paragraphs: list[str], published: str) -> str:
    """An item published at ``published`` (ISO, UTC): 2022, when Ned Price spoke for the State Department."""
    when = format_datetime(dt.datetime.fromisoformat(published).replace(tzinfo=dt.UTC), usegmt=True)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<item><title>{html.escape(title)}</title><link>http://news.invalid/{guid}</link>"
            f"<guid isPermaLink=\"false\">{guid}</guid><pubDate>{when}</pubDate>"
            f"<description>{html.escape(body)}</description></item>")


def rss(name: str, items: list[str]) -> bytes:
    return (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>{name}</title>"
            "<link>http://news.invalid/</link><description>loopback</description>" + "".join(items)
            + "</channel></rss>").encode()


@pytest.fixture
def world(tmp_path):
    english: list[str] = []
    arabic: list[str] = []
    with FakeTelegram(token=TOKEN) as telegram, feed_server.FeedServer() as feeds:
        feeds.route("/en.xml", lambda n: rss("Levant Wire", english), content_type="application/rss+xml")
        feeds.route("/ar.xml", lambda n: rss("Al-Hadath", arabic), content_type="application/rss+xml")
        service = Service(tmp_path, telegram.api_url, feeds.url("/en.xml"))
        service.config.write_text(
            f'[storage]\npath = "raqib.db"\n\n[telegram]\napi_url = "{telegram.api_url}"\n\n'
            f'[[feeds]]\nurl = "{feeds.url("/en.xml")}"\nname = "Levant Wire"\nlang = "en"\ninterval = 5\n'
            "fetch_pages = false\n\n"
            f'[[feeds]]\nurl = "{feeds.url("/ar.xml")}"\nname = "Al-Hadath"\nlang = "ar"\ninterval = 5\n'
            "fetch_pages = false\n", encoding="utf-8")
        try:
            yield telegram, english, arabic, service, feeds
        finally:
            if service.process is not None and service.process.poll() is None:
                service.stop(signal.SIGKILL)


def wait_polls(service: Service, count: int = 2, timeout: float = 90.0) -> None:
    from storage.db import open_db

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.db_path.exists():
            db = open_db(service.db_path)
            try:
                done = db.conn.execute("SELECT count(*) FROM feeds WHERE last_success_at IS NOT NULL").fetchone()[0]
            finally:
                db.conn.close()
            if done >= count:
                return
        time.sleep(0.1)
    raise AssertionError(f"the feeds were not polled:\n{service.log.read_text()[-3000:]}")


def test_a_statement_in_two_languages_is_pushed_once_then_edited_across_a_restart(world):
    telegram, english, arabic, service, feeds = world
    service.start(telegram)
    wait_polls(service)  # the first polls: empty feeds, nothing held back
    telegram.send_command(3001, "/subscribe us-state-department", language_code="en")
    telegram.wait_until(lambda: telegram.sent(3001), timeout=15)

    english.append(item("en-1", *EN_ITEM, published="2022-01-22T22:40:00"))
    push = telegram.wait_for(lambda m: m["chat_id"] == 3001 and is_push(m), timeout=40)
    assert "Levant Wire" in push["text"] and "Al-Hadath" not in push["text"]

    assert service.stop() == 0  # a restart between the push and the second report
    service.start(telegram)
    arabic.append(item("ar-1", *AR_ITEM, published="2022-01-22T23:30:00"))
    telegram.wait_until(lambda: any(e["message_id"] == push["message_id"] for e in telegram.edits), timeout=40)
    # more polls and delivery runs, in which nothing else may go out: both feeds polled again after the edit
    # (nothing new in them), then the outbox settled (every cluster fanned out, no delivery or edit waiting)
    polled = {path: len(feeds.requests_to(path)) for path in ("/en.xml", "/ar.xml")}
    telegram.wait_until(lambda: all(len(feeds.requests_to(path)) > n for path, n in polled.items()), timeout=40)
    service.wait_settled()
    open_edits = "SELECT count(*) FROM edits WHERE status IN ('pending', 'sending')"
    telegram.wait_until(lambda: service.query(open_edits)[0] == 0, timeout=30)

    pushes = [m for m in telegram.sent(3001) if is_push(m)]
    assert len(pushes) == 1 and pushes[0]["message_id"] == push["message_id"]  # one push, edited in place
    assert "Also reported by: Al-Hadath (AR)" in pushes[0]["text"] and "Levant Wire" in pushes[0]["text"]
    assert len([e for e in telegram.edits if e["chat_id"] == 3001]) == 1
    assert service.counts()["pending"] == 0
    assert service.stop() == 0
