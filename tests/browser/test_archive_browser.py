"""`raqib archive` in a real headless browser: Debian's Chromium (/usr/bin/chromium) driven by Playwright, against
the real `raqib archive` process serving a seeded database. The pages load, a search finds a seeded statement, the
canned queries return it, the subscribers' tables are closed.

Run by `make test-browser` (which installs Chromium from Debian's packages when it is missing; .ci/run calls it).
A missing browser fails this test: it never skips.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.archive_data import OHCHR_AR, PENTAGON_EN, STATE_AR, STATE_EN, build_archive

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("RAQIB_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.fail(f"no browser at {CHROMIUM}: run `make test-browser` (it installs Debian's chromium) "
                    "or set RAQIB_CHROMIUM", pytrace=False)
    folder = tmp_path_factory.mktemp("archive")
    ids = build_archive(folder / "raqib.db")
    (folder / "raqib.toml").write_text('[storage]\npath = "raqib.db"\n', encoding="utf-8")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("RAQIB_CONFIG", None)
    process = subprocess.Popen([sys.executable, "-m", "bot", "--config", str(folder / "raqib.toml"), "archive",
                                "--port", str(port)], cwd=folder, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/-/versions.json", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"raqib archive did not start: {process.stdout.read()}")
        time.sleep(0.2)
    yield base, ids
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def test_the_pages_load(served, page):
    base, _ids = served
    response = page.goto(base + "/")
    assert response.status == 200 and "Raqib" in page.title()
    assert page.get_by_role("heading", name="Raqib: official statements in the news").is_visible()
    page.goto(base + "/raqib")
    body = page.locator("body").inner_text()
    assert page.get_by_role("link", name="statement_reports").count() >= 1, body
    for query in ("A speaker's latest statements", "Who reacted to a topic (in both languages)",
                  "A person's statements", "A statement cluster: all its reports and outlets"):
        assert page.get_by_role("link", name=query).count() == 1, query
    page.goto(base + "/raqib/statement_reports")
    assert page.get_by_role("heading", name="Statements, with their outlets").is_visible()
    assert "The news outlet or official source" in page.locator("body").inner_text()  # column descriptions
    for column in ("speaker", "reaction", "lang", "outlet"):
        assert page.locator(f"#facet-{column}").is_visible(), column
    assert "Levant Wire" in page.locator("#facet-outlet").inner_text()
    assert "الشرق اليوم" in page.locator("#facet-outlet").inner_text()


def test_a_search_finds_a_seeded_statement(served, page):
    base, _ids = served
    page.goto(base + "/raqib/statement_reports")
    page.fill("input[name=_search]", "Ghwayran")
    page.locator("form.filters input[type=submit]").first.click()
    page.wait_for_url("**_search=Ghwayran**")
    table = page.locator("table.rows-and-columns").inner_text()
    assert STATE_EN in table and PENTAGON_EN not in table and "Levant Wire" in table
    page.fill("input[name=_search]", "غويران")
    page.locator("form.filters input[type=submit]").first.click()
    page.wait_for_url("**_search=**")
    table = page.locator("table.rows-and-columns").inner_text()
    assert STATE_AR in table and OHCHR_AR in table and STATE_EN not in table


def test_canned_queries_return_it(served, page):
    base, ids = served
    page.goto(base + "/raqib/speaker_latest")
    page.fill("input[name=speaker]", "us-state-department")
    page.locator("form.sql input[type=submit]").first.click()
    page.wait_for_url("**speaker=us-state-department**")
    table = page.locator("table.rows-and-columns").inner_text()
    assert STATE_EN in table and STATE_AR in table and PENTAGON_EN not in table
    page.goto(base + "/raqib/who_reacted")
    page.fill("input[name=topic_en]", "Ghwayran")
    page.fill("input[name=topic_ar]", "غويران")
    page.locator("form.sql input[type=submit]").first.click()
    page.wait_for_url("**topic_en=Ghwayran**")
    table = page.locator("table.rows-and-columns").inner_text()
    assert "us-state-department" in table and "un-ohchr" in table and "us-pentagon" not in table
    page.goto(base + f"/raqib/cluster_reports?cluster={ids['state']}")
    table = page.locator("table.rows-and-columns").inner_text()
    assert "Levant Wire" in table and "الشرق اليوم" in table


def test_the_subscribers_are_not_shown(served, page):
    base, _ids = served
    response = page.goto(base + "/raqib/chats")
    assert response.status == 403
    page.goto(base + "/raqib")
    assert "subscriptions" not in page.locator("body").inner_text()
