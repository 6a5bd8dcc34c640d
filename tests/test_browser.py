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
