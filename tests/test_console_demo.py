"""Console mode: `raqib run --demo` on a fresh machine with no network and no token prints the pushes, then the
boards; the loopback sample server and the plain-text rendering."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.console import SampleServer, html_to_text
from config import Config

ROOT = Path(__file__).resolve().parent.parent


def read_lines(stream, out: queue.Queue) -> None:
    for line in iter(stream.readline, ""):
        out.put(line)
    out.put(None)


@pytest.fixture
def demo(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "RAQIB_CONFIG")}
    env["PYTHONUNBUFFERED"] = "1"
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run", "--demo"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            start_new_session=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=read_lines, args=(proc.stdout, lines), daemon=True).start()
    yield proc, lines
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def collect_until(lines: queue.Queue, done, timeout: float) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        if line is None:
            break
        seen.append(line.rstrip("\n"))
        if done(seen):
            break
    return seen


def messages(lines: list[str]) -> list[list[str]]:
    """The printed pushes: the lines of each block that starts with a '━━ message N to console' rule."""
    blocks, current = [], None
    for line in lines:
        if line.startswith("━━ "):
            current = [] if line.startswith("━━ message ") else None
            if current is not None:
                blocks.append(current)
        elif current is not None:
            current.append(line)
    return blocks


@pytest.mark.slow
def test_demo_prints_a_state_department_push_and_no_observatory_attribution(demo):
    proc, lines = demo
    seen = collect_until(lines, lambda s: any(b and "US State Department" in b[0] for b in messages(s)), 60)
    # let the first round finish so that every push of it is checked, then the boards
    seen += collect_until(lines, lambda s: any(line.startswith("━━ waiting for new items") for line in s), 60)
    proc.send_signal(signal.SIGINT)
    seen += collect_until(lines, lambda s: False, 15)
    assert proc.wait(15) == 0, proc.stderr.read()[-2000:]
    pushes = messages(seen)
    assert any(block[0].startswith("🇺🇸 US State Department") for block in pushes), "\n".join(seen[-40:])
    statements = [line for block in pushes for line in block if line.startswith("  │ ")]
    assert statements
    for line in statements:
        assert "Observatory" not in line and "المرصد" not in line, line
    for block in pushes:
        assert "Observatory" not in block[0] and "المرصد" not in block[0]
    # one statement, one push: the State Department's Hasakah condemnation (an Arabic outlet, an English outlet
    # and its own release) is one message listing the outlets (edited to list them when they came after it was
    # sent, or listing them when sent, when all came before the first push); its later briefing is the other one
    rules = [line for line in seen if line.startswith("━━ message ")]
    sent = [block for rule, block in zip(rules, pushes, strict=True) if " edited " not in rule]
    state = [block for block in sent if block[0].startswith("🇺🇸 US State Department")]
    assert len(state) == 2, "\n".join(seen[-80:])
    assert any(line.startswith("🗞 Also reported by:") and "(AR)" in line and "(EN)" in line
               for block in pushes if block[0].startswith("🇺🇸 US State Department") for line in block), \
        "\n".join(seen[-80:])
    text = "\n".join(seen)
    assert "━━ /latest" in text and "━━ /who" in text and "━━ digest preview" in text
    assert "━━ stopping" in text
    assert "<b>" not in text and "&amp;" not in text  # printed as plain text


def test_sample_server_serves_from_disk_with_base_and_conditional_get(tmp_path):
    (tmp_path / "feed.xml").write_text("<rss>{{BASE}}/a</rss>", encoding="utf-8")
    with SampleServer(tmp_path) as server:
        url = server.rewrite("http://samples.raqib.invalid/feed.xml")
        assert url == f"{server.base_url}/feed.xml"
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.read().decode() == f"<rss>{server.base_url}/a</rss>"
            modified = response.headers["Last-Modified"]
        request = urllib.request.Request(url, headers={"If-Modified-Since": modified})
        with pytest.raises(urllib.error.HTTPError) as not_modified:
            urllib.request.urlopen(request, timeout=5)
        assert not_modified.value.code == 304
        etag = urllib.request.urlopen(url, timeout=5).headers["ETag"]
        (tmp_path / "feed.xml").write_text("<rss>changed</rss>", encoding="utf-8")  # within the same second
        request = urllib.request.Request(url, headers={"If-None-Match": etag, "If-Modified-Since": modified})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.read() == b"<rss>changed</rss>"
        for bad in ("/../../../../etc/passwd", "/missing.xml", "/", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd"):
            with pytest.raises(urllib.error.HTTPError) as missing:
                urllib.request.urlopen(server.base_url + bad, timeout=5)
            assert missing.value.code == 404


def test_sample_server_serves_each_items_page():
    samples = ROOT / "bot" / "samples"
    with SampleServer(samples) as server:
        with urllib.request.urlopen(server.base_url + "/articles/hasakah-102-killed.html", timeout=5) as response:
            page = response.read().decode("utf-8")
    assert 'dir="rtl"' in page and "المرصد السوري: 102 قتيل في هجمات الحسكة" in page and "نيد برايس" in page


def test_html_to_text():
    html = ('<b>🇺🇸 US &amp; UK</b>\n<blockquote>one\ntwo</blockquote>\n'
            '<a href="https://x.example/?a=1&amp;b=2">Outlet &lt;A&gt;</a>')
    assert html_to_text(html) == ("🇺🇸 US & UK\n  │ one\n  │ two\nOutlet <A> (https://x.example/?a=1&b=2)")


ITEM = """  <item>
    <title>{title}</title>
    <link>{{{{BASE}}}}/releases/{slug}.html</link>
    <guid isPermaLink="false">{slug}</guid>
    <pubDate>Wed, 26 Jan 2022 10:00:00 +0000</pubDate>
    <description>{text}</description>
  </item>
</channel>"""


@pytest.mark.slow
def test_console_picks_up_items_added_to_a_sample_file(tmp_path):
    """The console service polls the sample files through the JobQueue: an item saved into a file while it
    runs is pushed at the next poll."""
    import asyncio
    import io

    from bot.console import run_console
    from config import DeliveryConfig, FeedConfig
    from storage import open_store

    samples = tmp_path / "samples"
    samples.mkdir()
    feed_file = samples / "state.xml"
    feed_file.write_text(
        (ROOT / "bot" / "samples" / "state-department.xml").read_text(encoding="utf-8"), encoding="utf-8")
    out = io.StringIO()
    opened = []

    async def scenario():
        with SampleServer(samples) as server:
            feed = FeedConfig(url=f"{server.base_url}/state.xml", name="State (test)", lang="en", interval=5,
                              speaker="us-state-department", fetch_pages=False)
            config = Config(storage_path=tmp_path / "raqib.db", feeds=(feed,),
                            delivery=DeliveryConfig(push_backlog=True))  # as the demo: its samples are pushed
            db = open_store(config, deliver=True)  # as raqib run does
            opened.append(db)
            stop = asyncio.Event()
            task = asyncio.create_task(run_console(config, db, samples=server, stop=stop, out=out))
            for _ in range(600):  # generous: the machine may be busy (first use of the parser pool)
                if "━━ waiting for new items" in out.getvalue():
                    break
                await asyncio.sleep(0.1)
            first = out.getvalue().count("━━ message ")
            text = feed_file.read_text(encoding="utf-8").replace("</channel>", ITEM.format(
                title="The United States Welcomes the Release of Detained Humanitarian Workers",
                slug="welcomes-release", text="The United States welcomes the release of the aid workers."))
            feed_file.write_text(text, encoding="utf-8")
            for _ in range(600):  # generous: the machine may be busy (first use of the parser pool)
                if "Welcomes the Release" in out.getvalue():
                    break
                await asyncio.sleep(0.1)
            stop.set()
            await asyncio.wait_for(task, 20)
            return first

    try:
        first = asyncio.run(scenario())
    finally:
        for db in opened:
            db.close()
    printed = out.getvalue()
    assert first == 2, printed
    assert "Welcomes the Release of Detained Humanitarian Workers" in printed.split("━━ waiting for new items")[1]
    assert printed.count("━━ message ") == 3


def test_commands_typed_in_the_console_are_answered_by_the_real_handlers(db):
    import asyncio
    import io

    from telegram import Update

    from bot.app import build_application
    from bot.console import ConsoleSink, command_update
    from reactions.registry import load_registry

    out = io.StringIO()

    async def scenario():
        app = build_application(Config(storage_path=":memory:"), db, console=True, sink=ConsoleSink(out),
                                registry=load_registry(), start_jobs=False)
        async with app:
            for number, text in enumerate(["/latest", "/subscribe", "/status", "/who Hasakah", "/nonsense"], 1):
                await app.process_update(Update.de_json(command_update(text, number), app.bot))

    asyncio.run(scenario())
    printed = out.getvalue()
    assert printed.count("━━ reply · ") == 4, printed
    assert "Latest statements" in printed and "No statements yet." in printed
    assert "[➕ 🇺🇸 US State Department]" in printed
    assert "Feeds: 0 (0 failing)" in printed  # the console's user is an admin
    assert "No tracked speaker has reacted to “Hasakah”" in printed
