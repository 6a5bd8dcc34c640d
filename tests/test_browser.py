"""The site in a real browser (Debian's Chromium driven by Playwright): the dashboard renders, sorts
and filters; hostile output stays inert text; the TA override form saves and shows the new score.

Screenshots go to $GRADER_SCREENSHOTS when set (``GRADER_SCREENSHOTS=docs/screenshots pytest
tests/test_browser.py`` refreshes the README's), else to a temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sitedata import EVIL_STUDENT, write_class, write_evil

from grader.results_tree import slug
from grader.site.build import build_site

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[dev]')")
    executable = chromium_path()
    if executable is None:
        pytest.skip("chromium not found (apt-get install chromium)")
    with sync_playwright() as playwright:
        try:  # Playwright gives each launch a fresh temporary profile (--user-data-dir)
            launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, timeout=60_000)
        except Error as exc:
            pytest.skip(f"chromium at {executable} did not start: {exc}")
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    results = tmp_path_factory.mktemp("results")
    write_class(results)
    write_evil(results)
    out = tmp_path_factory.mktemp("site") / "site"
    assert build_site(results, out).problems == []
    return results, out


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("GRADER_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Watched:
    """A page with every dialog, console error and page error recorded (a script that ran would show)."""

    def __init__(self, browser: Any, scheme: str = "light") -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def close(self) -> None:
        self.page.close()


def visible_totals(page: Any) -> list[float]:
    return [float(v) for v in page.eval_on_selector_all(
        "#grades tbody tr:not([hidden]) td:last-child", "cells => cells.map(c => c.dataset.sort)")]


def test_dashboard_renders_sorts_and_filters(browser: Any, site: tuple[Path, Path], shots: Path) -> None:
    _, out = site
    w = Watched(browser)
    page = w.page
    page.goto((out / "index.html").as_uri())
    assert page.locator("#grades tbody tr").count() == 13 and page.locator("#controls").is_visible()
    page.screenshot(path=str(shots / "dashboard-no-course.png"), full_page=True)  # with a course: test_dashboard
    page.click("#grades thead th:last-child button")
    assert page.get_attribute("#grades thead th:last-child", "aria-sort") == "ascending"
    totals = visible_totals(page)
    assert totals == sorted(totals) and len(totals) == 13
    page.click("#grades thead th:last-child button")
    assert visible_totals(page) == sorted(totals, reverse=True)
    page.fill("#filter", "s01")
    assert page.inner_text("#shown-count") == "3"  # s010, s011, s012
    shown = page.eval_on_selector_all("#grades tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.student)")
    assert sorted(shown) == ["s010", "s011", "s012"] and visible_totals(page) == sorted(visible_totals(page))[::-1]
    page.fill("#filter", "")
    page.select_option("#show", "late")
    assert page.eval_on_selector_all("#grades tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.student)") \
        == ["s003"]
    page.select_option("#show", "")
    assert w.errors == [] and w.dialogs == []  # the script ran under the CSP (a hash mismatch logs an error)
    dark = Watched(browser, "dark")
    dark.page.goto((out / "index.html").as_uri())
    dark.page.screenshot(path=str(shots / "dashboard-no-course-dark.png"), full_page=True)
    dark.page.goto((out / "exercise" / "w06-box-formats.html").as_uri())
    dark.page.screenshot(path=str(shots / "exercise-dark.png"), full_page=True)
    page.goto((out / "exercise" / "w06-box-formats.html").as_uri())
    assert page.locator("#histogram svg.chart rect.bar").count() == 10
    assert page.locator("#pass-rates svg.chart rect").count() == 5
    heights = page.eval_on_selector_all("#histogram rect.bar", "bars => bars.map(b => b.getBBox().height)")
    assert sum(h > 0 for h in heights) >= 3  # real bars, drawn
    assert page.locator("#failures tbody tr").count() >= 1 and page.locator("#slowest tbody tr").count() == 10
    page.screenshot(path=str(shots / "exercise.png"), full_page=True)
    assert w.errors == [] and dark.errors == []
    w.close()
    dark.close()


def test_hostile_output_is_inert_text(browser: Any, site: tuple[Path, Path], shots: Path, tmp_path: Path) -> None:
    _, out = site
    ta_page = out / "ta" / "w06-box-formats" / f"{slug(EVIL_STUDENT)}.html"
    student_page = out / "student" / slug(EVIL_STUDENT) / "w06-box-formats.html"
    # Escaping alone must be enough: the same page with its CSP removed is still inert.
    no_csp = tmp_path / "no-csp.html"
    no_csp.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", ta_page.read_text()))
    for path in (ta_page, student_page, no_csp, out / "index.html"):
        w = Watched(browser)
        w.page.goto(path.as_uri())
        w.page.wait_for_timeout(300)  # time for an onerror to fire, if there were an image
        assert w.page.evaluate("window.__pwned") is None, path
        assert w.dialogs == [], path
        assert w.page.locator("main img").count() == 0 and w.page.locator("main script").count() == 0
        text = w.page.inner_text("main")
        assert "\x1b" not in text and "\u202e" not in text
        if path != out / "index.html":
            assert '<script>window.__pwned = 1; alert("script")</script>' in text
            assert "<img src=x onerror=" in text and "RED <U+202E>gnp.exe<U+202C> end" in text
        else:
            assert EVIL_STUDENT in text
        if path == ta_page:
            assert "<script>window.__pwned" in w.page.inner_text(".program-output")
            w.page.screenshot(path=str(shots / "ta-hostile-output.png"), full_page=True)
        if path == student_page:
            assert w.page.locator(".program-output").count() == 0  # never shown to students
            assert "max abs error" not in text
            w.page.screenshot(path=str(shots / "student.png"), full_page=True)
        w.close()


def test_ta_override_form_saves_and_shows_the_new_score(browser: Any, site: tuple[Path, Path], shots: Path) -> None:
    from grader.review.server import make_server

    results, _ = site
    server = make_server(results, ta="alice", quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    w = Watched(browser)
    page = w.page
    try:
        page.goto(f"{server.url}ta/w06-box-formats/s004.html")
        before = page.inner_text("#score")
        failed = page.eval_on_selector_all("#tests tbody tr", "rows => rows.filter(r => r.cells[1].textContent"
                                           ".trim() === 'failed').map(r => r.dataset.test)")
        assert failed, "the fixture gives s004 at least one failed test"
        page.select_option("#override-test", failed[0])
        page.fill("#override-points", "1")
        page.fill("#override-reason", "the test's tolerance was too tight for float16 (see forum)")
        page.screenshot(path=str(shots / "review-form.png"), full_page=True)
        with page.expect_navigation():
            page.click("#override-form button[type=submit]")
        assert "Saved:" in page.inner_text(".flash")
        row = page.locator(f'#tests tr[data-test="{failed[0]}"]')
        assert "overridden 0 → 1" in row.inner_text()
        assert "overridden" in page.inner_text("#score") and page.inner_text("#score") != before
        assert "the test's tolerance was too tight" in page.inner_text("main")
        page.screenshot(path=str(shots / "review-saved.png"), full_page=True)
        page.goto(f"{server.url}index.html")
        cell = page.locator('#grades tr[data-student="s004"] td').nth(2)
        assert cell.locator(".overridden").count() == 1
        assert w.errors == [] and w.dialogs == []
    finally:
        w.close()
        server.shutdown()
        server.server_close()


@pytest.fixture
def live_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, dict[str, str], Path]]:
    """`grader serve`'s app under a real uvicorn on 127.0.0.1 (a thread), with the test course."""
    import socket
    import time

    import uvicorn
    from test_server_web import hide_one_test
    from workflow_helpers import make_course

    from grader.commands.serve import open_server
    from grader.server.accounts import issue_tokens
    from grader.server.app import make_app
    from grader.server.web import web_settings

    course = make_course(tmp_path / "course")
    hide_one_test(course)
    monkeypatch.setenv("GRADER_COURSE", str(course))
    server = open_server(course, str(tmp_path / "server.sqlite"), tmp_path / "server-data", "local")
    issued = issue_tokens(server.sessions, server.secret, ["alice", "bob"], [("ta1", "ta"), ("prof", "instructor")])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    app = make_app(server, 1, web=web_settings("127.0.0.1", port, None))
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", {user: token for user, _, token in issued}, server.data
    uv.should_exit = True
    thread.join(timeout=30)


def test_server_login_form_upload_and_a_ta_override_in_chromium(browser: Any, live_server: tuple[str, dict[str, str],
                                                                                                  Path],
                                                                 shots: Path, tmp_path: Path) -> None:
    import json
    import time

    from conftest import COURSE

    from grader.mutants import Mutant

    url, tokens, data = live_server
    student = browser.new_context(viewport={"width": 1280, "height": 900})
    page = student.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{url}/my/index.html")
    assert page.url == f"{url}/login"
    page.fill("#login-token", "a-wrong-token")
    with page.expect_navigation():
        page.click("#login-form button[type=submit]")
    assert "Unknown token" in page.inner_text("main") and "a-wrong-token" not in page.content()
    assert errors == ["Failed to load resource: the server responded with a status of 401 (Unauthorized)"]
    errors.clear()
    page.fill("#login-token", tokens["alice"])
    page.screenshot(path=str(shots / "server-login.png"))
    with page.expect_navigation():
        page.click("#login-form button[type=submit]")
    assert page.url == f"{url}/my/index.html" and "signed in as alice (student)" in page.inner_text("nav")
    cookie = next(c for c in student.cookies() if c["name"] == "grader_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and tokens["alice"] not in cookie["value"]
    assert "grader_session" not in page.evaluate("document.cookie")  # HttpOnly: no script reads it
    mutant = tmp_path / "toy.py"
    mutant.write_text(Mutant("toy.py", COURSE / "reference" / "w01-toy" / "mutants" / "subtracts.patch",
                             COURSE / "reference" / "w01-toy" / "toy.py").text())
    page.select_option("#upload-exercise", "w01-toy")
    page.set_input_files("#upload-file", str(mutant))
    with page.expect_navigation():
        page.click("#upload-form button[type=submit]")
    assert "Submitted: #1" in page.inner_text("#sent")
    deadline = time.monotonic() + 180
    while "graded" not in page.inner_text('#submissions tr[data-id="1"]') and time.monotonic() < deadline:
        time.sleep(1)
        page.reload()
    assert "graded" in page.inner_text('#submissions tr[data-id="1"]')
    counted = data / "results" / "w01-toy" / "alice" / "results.json"
    while not counted.exists() and time.monotonic() < deadline:  # written just after the status says graded
        time.sleep(0.2)
    page.reload()
    page.screenshot(path=str(shots / "server-student.png"), full_page=True)
    graded = json.loads((data / "results" / "w01-toy" / "alice" / "results.json").read_text())["tests"]
    failed = next(t for t in graded if t["status"] != "passed" and t["visibility"] == "visible")

    ta = browser.new_context(viewport={"width": 1280, "height": 900})
    review = ta.new_page()
    review.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    review.goto(f"{url}/login")
    review.fill("#login-token", tokens["ta1"])
    with review.expect_navigation():
        review.click("#login-form button[type=submit]")
    assert review.url == f"{url}/review/index.html" and review.locator("#grades tbody tr").count() >= 1
    review.goto(f"{url}/review/ta/w01-toy/alice.html")
    assert review.get_attribute("#override-by", "readonly") is not None  # the signed-in TA signs their overrides
    assert review.input_value("#override-by") == "ta1"
    review.select_option("#override-test", failed["name"])
    review.fill("#override-points", f"{failed['max_score']:g}")
    review.fill("#override-reason", "the tolerance was too tight (see forum)")
    with review.expect_navigation():
        review.click("#override-form button[type=submit]")
    assert "Saved:" in review.inner_text(".flash") and "/review/ta/w01-toy/alice.html?saved=" in review.url
    row = review.locator(f'#tests tr[data-test="{failed["name"]}"]')
    assert f"overridden 0 → {failed['max_score']:g}" in row.inner_text()
    review.screenshot(path=str(shots / "server-review-saved.png"), full_page=True)
    records = (data / "results" / "overrides.jsonl").read_text()
    assert '"ta1"' in records
    page.goto(f"{url}/my/1.html")  # the student's own page shows the adjusted test
    assert "adjusted by course staff" in page.inner_text(f'#tests tr[data-test="{failed["name"]}"]')
    assert "the tolerance was too tight" not in page.content()  # the TA's reason is staff-only
    assert "Score: shown once grades are published" in page.inner_text("#score")  # a hidden test waits

    instructor = browser.new_context(viewport={"width": 1280, "height": 900})
    prof = instructor.new_page()
    prof.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    prof.goto(f"{url}/login")
    prof.fill("#login-token", tokens["prof"])
    with prof.expect_navigation():
        prof.click("#login-form button[type=submit]")
    assert prof.url == f"{url}/instructor/index.html"
    with prof.expect_navigation():
        prof.click('#assignments span[data-exercise="w01-toy"] button')
    assert "published" in prof.inner_text('#assignments span[data-exercise="w01-toy"]')
    prof.screenshot(path=str(shots / "server-instructor.png"), full_page=True)
    page.reload()
    assert "adjusted by course staff" in page.inner_text("#score")  # published: the total, with the override
    assert errors == []
    for context in (student, ta, instructor):
        context.close()
