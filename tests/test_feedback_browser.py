"""#12 items 7-9 in Debian's Chromium (Playwright): the TA code view with a failing test linked to its
line, per-test overrides in the review app, a student page with a comment, and a notebook that does not
import. Saves ta-code-view.png, ta-per-test-override.png, student-comment.png and import-failure.png to
$GRADER_SCREENSHOTS (``GRADER_SCREENSHOTS=docs/screenshots python3 -m pytest -q tests/test_feedback_browser.py``)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from feedbackdata import write_notebook_import_failure, write_with_code
from sitedata import write_class
from test_browser import Watched, browser, shots  # noqa: F401 - pytest fixtures

from grader.review.server import make_server
from grader.site.build import build_site
from grader.site.views import Release


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("results")
    write_class(root, students=3)
    for student in ("s001", "s002", "s003"):
        write_with_code(root, student, [False, True, True, False, True])
    write_notebook_import_failure(root)
    return root


def test_ta_code_view_links_the_failing_test_to_its_line(browser: Any, results: Path, shots: Path,  # noqa: F811
                                                         tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(results, out)
    w = Watched(browser)
    page = w.page
    page.goto((out / "ta" / "w06-box-formats" / "s002.html").as_uri())
    row = page.locator('#tests tr[data-test="test_xywh_to_xyxy"]')
    assert row.locator("a.code-ref").inner_text() == "line 6"
    assert page.locator("#code tr.hit").count() == 1
    assert "test_xywh_to_xyxy" in page.locator("#L6").inner_text()
    page.screenshot(path=str(shots / "ta-code-view.png"), full_page=True)
    row.locator("a.code-ref").click()
    assert page.evaluate("location.hash") == "#L6"
    assert page.evaluate("document.querySelector('#L6').matches(':target')")
    top = page.evaluate("document.querySelector('#L6').getBoundingClientRect().top")
    assert 0 <= top < 900  # scrolled to the line
    page.click("#next-student")
    assert page.url.endswith("/ta/w06-box-formats/s003.html")
    page.click("#previous-student")
    assert page.url.endswith("/ta/w06-box-formats/s002.html")
    page.goto((out / "ta" / "w01-toy" / "s100.html").as_uri())
    assert page.locator("#code h3.cell").all_inner_texts() == ["notebook cell 1", "notebook cell 2"]
    assert page.locator("#code a.code-ref, #tests a.code-ref").first.inner_text() == "cell 2, line 2"
    assert w.errors == [] and w.dialogs == [] and page.evaluate("window.__pwned") is None
    w.close()


def test_per_test_override_and_student_comment(browser: Any, results: Path, shots: Path) -> None:  # noqa: F811
    server = make_server(results, ta="alice", quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    w = Watched(browser)
    page = w.page
    try:
        page.goto(f"{server.url}ta/w06-box-formats/s001.html")
        row = page.locator('#tests tr[data-test="test_tightest_box"]')
        row.locator("input[name=points]").fill("0.5")
        row.locator("form[action$=override] input[name=reason]").fill("bounding box off by one pixel only")
        with page.expect_navigation():
            row.locator("form[action$=override] button").click()
        assert "Saved: test_tightest_box: 0 → 0.5" in page.inner_text(".flash")
        row = page.locator('#tests tr[data-test="test_tightest_box"]')
        assert "overridden 0 → 0.5" in row.inner_text()
        comment = row.locator("form[action$=comment]")
        comment.locator("input[name=reason]").fill("Take min of x1 and max of x2 over all boxes.")
        comment.locator("select[name=audience]").select_option("student")
        with page.expect_navigation():
            comment.locator("button").click()
        row = page.locator('#tests tr[data-test="test_tightest_box"]')
        row.locator("form[action$=comment] input[name=reason]").fill("STAFF NOTE: similar to s003, check")
        with page.expect_navigation():
            row.locator("form[action$=comment] button").click()
        page.select_option("#comment-audience", "student")
        page.fill("#comment-text", "Good work overall: the conversions are right; look again at the empty input.")
        with page.expect_navigation():
            page.click("#comment-form button[type=submit]")
        page.evaluate("window.scrollTo(0, 0)")  # the table head is sticky: shoot from the top
        page.screenshot(path=str(shots / "ta-per-test-override.png"), full_page=True)
        server.app.release = Release.AFTER_DUE
        page.goto(f"{server.url}student/s001/w06-box-formats.html")
        text = page.inner_text("main")
        assert "Good work overall" in page.inner_text("#staff-comments")
        assert "Take min of x1" in page.locator('#tests tr[data-test="test_tightest_box"]').inner_text()
        assert "STAFF NOTE" not in text and "alice" not in text and page.locator("form").count() == 0
        page.screenshot(path=str(shots / "student-comment.png"), full_page=True)
        server.app.release = Release.BEFORE_DUE
        page.reload()
        assert "Good work overall" not in page.inner_text("main")
        page.goto(f"{server.url}student/s100/w01-toy.html")
        assert "Your file does not import" in page.inner_text("#import-error")
        assert "notebook cell 2, line 2" in page.inner_text("#import-error")
        assert page.locator("#code").count() == 0
        page.screenshot(path=str(shots / "import-failure.png"), full_page=True)
        assert w.errors == [] and w.dialogs == []
    finally:
        w.close()
        server.shutdown()
        server.server_close()
