"""The staff dashboard and exercise pages with a course (issue #12 item 12): roster names, assignments
with due dates, a colour scale readable in light and dark mode, a legend, "did not import" and
"unchanged starter" told apart from a real 0, failures grouped by cause, no internal names on a page.
Unit tests on the causes; the pages in Debian's Chromium (Playwright)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from sitedata import make_result, write
from test_browser import Watched, browser, shots  # noqa: F401 - pytest fixtures
from workflow_helpers import make_course

from grader.course import load_course
from grader.results_tree import collect
from grader.site.build import build_site
from grader.site.stats import NOT_IMPORTED, STARTER, exercise_stats, failure_cause
from grader.text import plain_text

ASSIGNMENTS = """
[assignments.t1]
title = "Toy assignment"
exercises = ["w01-toy"]
due = 2026-11-13T23:59:00Z
"""
ROSTER = ("id,name\n" + "".join(f"s{i:02d},{name}\n" for i, name in enumerate(
    ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth",
     "Frances Allen", "John Backus"], 1)))
DTYPE = "E   grader.judge.assertions.Mismatch: dtype torch.float64 != expected torch.float32"
RAISED = "E   grader.judge.proxy.StudentError: IndexError: index 5 is out of bounds for axis 0 with size 5"
TIMEOUT = "E   grader.judge.proxy.StudentTimeout: time limit exceeded (2 s) while calling iou"
IMPORT_ERROR = "SyntaxError: invalid syntax (cell 4, line 2 of toy.ipynb)"


@pytest.mark.parametrize(("details", "cause"), [
    (DTYPE, "wrong dtype"),
    ("E   AssertionError: shape (3, 4) != expected (4, 3)", "wrong shape"),
    ("E   AssertionError: 7 of 36 elements differ beyond rtol=1e-05, atol=1e-05; max abs error 0.25", "values differ"),
    ("E   AssertionError: got 3.5, expected 3.25 (abs error 0.25, rtol=1e-06, atol=1e-09)", "values differ"),
    ("E   AssertionError: expected a torch.Tensor, got list of length 3", "wrong type"),
    ("E   AssertionError: length 3 != expected 4", "wrong length"),
    (RAISED, "raised IndexError"),
    (TIMEOUT, "time limit exceeded"),
    ("E   grader.judge.proxy.WorkerCrashed: memory limit exceeded (2048 MiB)", "memory limit exceeded"),
    ("E   grader.judge.proxy.WorkerCrashed: killed by signal 11", "program stopped"),
    ("E   AssertionError: proj sizes\nE   assert (20, 20) == (12, 20)\nE     At index 0 diff: 20 != 12", "wrong value"),
    ("E   AssertionError: build_mlp(8, [8, 4], 2): expected [('Linear', 8, 8)]\nE   assert [] == []", "wrong value"),
    ("E   RuntimeError: something odd 12 times", "other: RuntimeError: something odd # times"),
])
def test_a_failure_is_grouped_by_the_kind_the_judge_reports(details: str, cause: str) -> None:
    from grader.text import judge_message

    assert failure_cause(judge_message(details)) == cause


def test_no_internal_class_name_survives_plain_text() -> None:
    text = plain_text(f"{RAISED[4:]}\n  raise grader.judge.proxy.StudentError\n{TIMEOUT[4:]}\n"
                      "grader/judge/proxy.py:229: WorkerCrashed")
    assert "grader." not in text and "StudentError" not in text and "StudentTimeout" not in text
    assert "WorkerCrashed" not in text and text.endswith("proxy.py:229: your program stopped")
    assert text.startswith("your code raised IndexError: index 5")


def toy_class(results: Path, starter_sha: str) -> None:
    """s01-s02 full marks; s03 did not import; s04 the untouched starter (a 0); s05 a real 0 (raised, timed
    out, values differ); s06-s07 wrong dtype on one test; s08 no result. Plus an exercise the course does not
    list."""
    passes = {"s01": [True] * 5, "s02": [True] * 5, "s05": [False] * 5, "s06": [True, True, False, True, True],
              "s07": [True, False, True, True, True]}
    for student, ok in passes.items():
        result = make_result("w01-toy", student, ok)
        for test in result.tests:
            if test.status != "passed" and student != "s05":
                test.details = f"test body\n{DTYPE}\n"
        if student == "s05":
            result.tests[0].details = f"test body\n{RAISED}\n"
            result.tests[1].details = f"test body\n{TIMEOUT}\n"
        write(result, results, student)
    broken = make_result("w01-toy", "s03", [False] * 5, import_error=IMPORT_ERROR)
    for test in broken.tests:
        test.details = "E   grader.judge.proxy.StudentError: SyntaxError: the submission failed to import: " \
            + IMPORT_ERROR
    write(broken, results, "s03")
    write(make_result("w01-toy", "s04", [False] * 5, sha256=starter_sha), results, "s04")
    write(make_result("w06-box-formats", "s01", [True, True, True, False, True]), results, "s01")


@pytest.fixture(scope="module")
def course_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    root = tmp_path_factory.mktemp("course")
    course = load_course(make_course(root / "course", ASSIGNMENTS, ROSTER))
    starter = root / "course" / "exercises" / "w01-toy" / "starter" / "toy.py"
    results, out = root / "results", root / "site"
    toy_class(results, hashlib.sha256(starter.read_bytes()).hexdigest())
    assert build_site(results, out, course=course).problems == []
    return results, out, course


def test_one_import_failure_is_one_cause_and_leaves_the_pass_rates(course_site: tuple[Path, Path, Any]) -> None:
    results, _, course = course_site
    c = collect(results, course.roster())
    exercise = next(e for e in c.exercises if e.id == "w01-toy")
    stats = exercise_stats(exercise, c.of_exercise("w01-toy"), starters={"s04"})
    causes = {g.cause: g for g in stats.failures}
    assert causes[NOT_IMPORTED].students == ["s03"] and causes[NOT_IMPORTED].tests == []  # once, not 5 times
    assert "cell 4" in causes[NOT_IMPORTED].example
    assert causes[STARTER].students == ["s04"] and causes[STARTER].tests == []
    assert causes["wrong dtype"].students == ["s06", "s07"] and causes["values differ"].students == ["s05"]
    assert causes["raised IndexError"].students == ["s05"] and causes["time limit exceeded"].students == ["s05"]
    assert all(r.total == 5 for r in stats.rates)  # 7 graded: neither the import failure nor the starter counts
    assert stats.not_imported == 1
    assert not any("grader." in g.example or "grader." in g.cause for g in stats.failures)


def contrast(page: Any, selector: str) -> list[float]:
    """WCAG contrast ratio of each matched element's text colour on its background."""
    return page.eval_on_selector_all(selector, """cells => cells.map(cell => {
        const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
        const lum = c => { const [r, g, b] = c.map(v => { v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const style = getComputedStyle(cell);
        const a = lum(rgb(style.color)), b = lum(rgb(style.backgroundColor));
        const link = cell.querySelector('a');
        const c = link ? lum(rgb(getComputedStyle(link).color)) : a;
        return Math.min((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
                        (Math.max(c, b) + 0.05) / (Math.min(c, b) + 0.05)); })""")


def flagged(page: Any, flag: str) -> list[str]:
    page.select_option("#show", flag)
    return page.eval_on_selector_all("#grades tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.student)")


def test_dashboard_names_groups_flags_and_colours(browser: Any, course_site: tuple[Path, Path, Any],  # noqa: F811
                                                   shots: Path) -> None:  # noqa: F811
    _, out, _ = course_site
    for scheme in ("light", "dark"):
        w = Watched(browser, scheme)
        page = w.page
        page.goto((out / "index.html").as_uri())
        ratios = contrast(page, "#grades td.s0, #grades td.s1, #grades td.s2, #grades td.s3, #grades td.s4")
        assert len(ratios) == 8 and min(ratios) >= 4.5, (scheme, ratios)  # 7 of w01-toy + 1 of w06
        colours = page.eval_on_selector_all("#legend .swatch", "s => s.map(e => getComputedStyle(e).backgroundColor)")
        assert len(set(colours[:5])) == 5  # five distinct steps in the legend
        page.screenshot(path=str(shots / ("dashboard.png" if scheme == "light" else "dashboard-dark.png")),
                        full_page=True)
        assert w.errors == [] and w.dialogs == []
        w.close()
    w = Watched(browser)
    page = w.page
    page.goto((out / "index.html").as_uri())
    groups = page.locator("#grades thead tr.groups th.group")
    assert groups.count() == 2 and "due 2026-11-13" in groups.nth(0).inner_text()
    assert "Toy assignment, due 2026-11-13 23:59 UTC" in (groups.nth(0).get_attribute("title") or "")
    assert "Not in course.toml" in (groups.nth(1).get_attribute("title") or "")
    assert "Toy assignment" in page.inner_text("#exercises") and "due 2026-11-13" in page.inner_text("#exercises")
    first = page.locator("#grades tbody tr").first
    assert first.get_attribute("data-student") == "s01" and "Ada Lovelace" in first.inner_text()
    page.fill("#filter", "hopper")
    assert page.inner_text("#shown-count") == "1"
    page.fill("#filter", "")
    assert flagged(page, "no-import") == ["s03"] and flagged(page, "starter") == ["s04"]
    zeros = {r: page.inner_text(f'#grades tr[data-student="{r}"] td:nth-child(2)') for r in ("s03", "s04", "s05")}
    assert zeros["s03"].startswith("0") and "no import" in zeros["s03"] and "starter" not in zeros["s03"]
    assert "starter" in zeros["s04"] and "no import" not in zeros["s04"]
    assert zeros["s05"].strip() == "0"  # a real 0 carries no flag
    legend = page.inner_text("#legend")
    assert all(words in legend for words in ("full marks", "under 50%", "did not import", "untouched starter", "late"))
    page.select_option("#show", "")
    page.click("#grades thead tr:last-child th:nth-child(2) button")  # sorting still works under the group row
    assert page.get_attribute("#grades thead tr:last-child th:nth-child(2)", "aria-sort") == "ascending"
    assert "grader.judge" not in page.content()  # no internal names
    page.goto((out / "exercise" / "w01-toy.html").as_uri())
    causes = page.eval_on_selector_all("#failures tbody tr", "rows => rows.map(r => r.dataset.cause)")
    assert causes[0] == "wrong dtype" and NOT_IMPORTED in causes and STARTER in causes
    row = page.locator(f'#failures tr[data-cause="{NOT_IMPORTED}"]')
    assert row.locator("td").first.inner_text() == "1"  # once, though all 5 tests failed
    assert "Grace Hopper" in row.inner_text()
    html = page.content()
    assert "StudentError" not in html and "grader.judge" not in html and "your code raised IndexError" in html
    assert "did not import" in page.inner_text('tr[data-student="s03"]')
    assert "unchanged starter" in page.inner_text('tr[data-student="s04"]')
    page.screenshot(path=str(shots / "exercise-causes.png"), full_page=True)
    assert w.errors == []
    w.close()


def test_grader_report_uses_the_course_it_finds(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cli import main

    course = make_course(tmp_path / "course", ASSIGNMENTS, ROSTER)
    results, site = tmp_path / "results", tmp_path / "site"
    write(make_result("w01-toy", "s02", [True] * 5), results, "s02")
    outcome = CliRunner().invoke(main, ["report", str(results), "--out", str(site)],
                                 env={"GRADER_COURSE": str(course)}, catch_exceptions=False)
    assert outcome.exit_code == 0, outcome.output
    index = (site / "index.html").read_text()
    assert "Alan Turing" in index and "Grace Hopper" in index  # the roster: names, and who has no result yet
    assert "Toy assignment" in index and "due 2026-11-13 23:59 UTC" in index


def test_the_review_app_shows_the_same_course_view(course_site: tuple[Path, Path, Any]) -> None:
    from grader.review.server import ReviewApp

    results, _, course = course_site
    app = ReviewApp(results, ta="ta", course=course)
    index = app.get("/index.html", {}).body
    assert "Grace Hopper" in index and "due 2026-11-13 23:59 UTC" in index and 'class="tag noimport"' in index
    exercise = app.get("/exercise/w01-toy.html", {}).body
    assert 'data-cause="did not import"' in exercise and 'data-cause="unchanged starter"' in exercise


def test_one_word_per_status_on_every_page_and_in_the_cli(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    results, out = tmp_path / "results", tmp_path / "site"
    write(make_result("w01-toy", "ok", [True] * 5), results, "ok")
    write(make_result("w01-toy", "rej", [False] * 5, status="rejected", tests=[], score=0.0), results, "rej")
    write(make_result("w01-toy", "err", [False] * 5, status="error", tests=[], score=0.0), results, "err")
    assert build_site(results, out).problems == []
    w = Watched(browser)
    page = w.page
    page.goto((out / "exercise" / "w01-toy.html").as_uri())
    cards = page.inner_text(".cards")
    assert "rejected at intake\n1" in cards and "not graded (grader failure)\n1" in cards
    assert page.inner_text('tr[data-student="rej"] td:nth-child(2)') == "rejected at intake"
    assert page.inner_text('tr[data-student="err"] td:nth-child(2)') == "not graded (grader failure)"
    page.goto((out / "index.html").as_uri())
    title = page.get_attribute('#grades tr[data-student="err"] td:nth-child(2) a', "title") or ""
    assert title.startswith("not graded (grader failure);")
    assert "rejected at intake or not graded (grader failure)" in page.inner_text("#legend")
    page.goto((out / "ta" / "w01-toy" / "rej.html").as_uri())
    assert "(rejected at intake)" in page.inner_text("body")
    w.close()
