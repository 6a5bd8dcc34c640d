"""The report site: student vs TA views, escaping, CSP, bad input, and a real `grader grade` → `grader report`."""

from __future__ import annotations

import html as html_lib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sitedata import EVIL, EVIL_STUDENT, make_result, write, write_class, write_evil

from grader.overrides import OverrideLog, new_record
from grader.results_tree import collect, slug
from grader.site.build import SiteError, build_site
from grader.site.charts import histogram
from grader.site.pages import student_page, ta_page
from grader.site.render import CSP, clean, render_report
from grader.site.views import Release, submission_view

COURSE = Path(__file__).parent / "course"


def sub_of(root: Path, exercise: str, student: str):  # noqa: ANN201 - a test helper
    return collect(root).submissions[(exercise, student)]


def test_clean_strips_escapes_marks_bidi_and_truncates() -> None:
    text = clean(EVIL)
    assert "\x1b" not in text and "RED" in text
    assert "\u202e" not in text and "<U+202E>gnp.exe<U+202C>" in text
    long = clean("é" * 5000, limit=100)
    assert long.endswith("… 9900 bytes omitted") and len(long.encode()) < 200


def test_student_view_of_hidden_tests_shows_name_points_and_hint_only(tmp_path: Path) -> None:
    result = make_result("w01-toy", "s1", [False, True, False, True, False])
    result.tests[0].program_output = "secret print during a hidden test"
    html = render_report(result, ta_view=False)
    assert "test_add" in html and "Hint: add the two numbers" in html
    for secret in ("max abs error", "expected np.float64", "secret print", "0.31", "cpu", "seed", "L3: bubblewrap",
                   "Failed: wrong result", "test_add_equality", "test_acc"):
        assert secret not in html, secret
    # unreleased tests are counted, never named; the total is withheld so it cannot reveal them
    assert "1 more test (1 points) shown after the due date" in html
    assert "1 more test (1 points) shown once grades are published" in html
    assert "Score: shown once grades are published" in html
    ta = render_report(result, ta_view=True)
    for detail in ("max abs error 0.25", "secret print", "seed <code>1234</code>", "L3: bubblewrap", "0.31 s",
                   "test_add_equality", "hidden"):
        assert detail in ta, detail


def test_release_phases_reveal_after_due_date_then_published_tests(tmp_path: Path) -> None:
    result = make_result("w01-toy", "s1", [True, True, False, True, True])
    names = {phase: [t.name for t in submission_view(result, "s1", ta=False, release=phase).tests]
             for phase in Release}
    assert names[Release.BEFORE_DUE] == ["test_add", "test_scale"]
    assert names[Release.AFTER_DUE] == ["test_add", "test_scale", "test_softmax"]
    assert names[Release.PUBLISHED] == ["test_add", "test_scale", "test_softmax", "test_acc"]  # hidden: never
    published = submission_view(result, "s1", ta=False, release=Release.PUBLISHED)
    assert published.score_shown and published.adjusted.total == 4


def test_pages_escape_everything_student_derived_and_block_scripts(tmp_path: Path) -> None:
    write_evil(tmp_path)
    sub = sub_of(tmp_path, "w06-box-formats", EVIL_STUDENT)
    for html in (ta_page(collect(tmp_path), sub), student_page(sub, Release.BEFORE_DUE)):
        assert "<script>window" not in html and "<img src=x" not in html
        assert "&lt;script&gt;window.__pwned" in html and "\x1b" not in html and "\u202e" not in html
        assert "&lt;U+202E&gt;gnp.exe" in html
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        policy = html_lib.unescape(csp.group(1)) if csp else ""
        assert "script-src 'none'" in policy and "default-src 'none'" in policy
        assert "<script" not in html and "http://" not in html and "https://" not in html  # nothing external
    assert "script-src 'none'" in CSP


def test_site_builds_every_page_and_links_resolve(tmp_path: Path) -> None:
    results, site = tmp_path / "results", tmp_path / "site"
    names = write_class(results)
    write_evil(results)
    summary = build_site(results, site)
    assert summary.problems == [] and summary.students == len(names) + 1 and summary.exercises == 2
    assert (site / "index.html").is_file() and (site / "exercise" / "w06-box-formats.html").is_file()
    assert (site / "ta" / "w01-toy" / "s001.html").is_file() and (site / "student" / "s001" / "w01-toy.html").is_file()
    assert (site / "student" / slug(EVIL_STUDENT) / "index.html").is_file()
    for page in site.rglob("*.html"):
        for link in re.findall(r'href="([^"#?]+)"', page.read_text()):
            assert (page.parent / link).resolve().is_file(), f"{page}: broken link {link}"
    exercise = (site / "exercise" / "w06-box-formats.html").read_text()
    assert exercise.count('<rect class="bar"') == 10  # the histogram's bins
    assert 'class="bar good"' in exercise or 'class="bar warn"' in exercise  # pass rates
    assert 'data-cause="values differ"' in exercise  # failures grouped by cause
    index = (site / "index.html").read_text()
    assert "script-src 'sha256-" in index and 'data-flags="incomplete' in index


def test_bad_input_is_reported_and_the_rest_of_the_site_builds(tmp_path: Path) -> None:
    results, site = tmp_path / "results", tmp_path / "site"
    write(make_result("w01-toy", "good", [True] * 5), results, "good")
    truncated = results / "w01-toy" / "cut" / "results.json"
    truncated.parent.mkdir(parents=True)
    truncated.write_text(json.dumps(make_result("w01-toy", "cut", [True] * 5).to_json())[:200])
    foreign = results / "w01-toy" / "foreign" / "results.json"
    foreign.parent.mkdir(parents=True)
    foreign.write_text(json.dumps({"score": 3, "tests": [{"name": "t", "score": 1}]}))
    wrong_types = write(make_result("w01-toy", "types", [True] * 5), results, "types") / "results.json"
    wrong_types.write_text(wrong_types.read_text().replace('"score": 5.0', '"score": "lots"'))
    orphan = results / "w01-toy" / "orphan"
    orphan.mkdir()
    (orphan / "report.html").write_text("<p>left behind</p>")
    (write(make_result("w01-toy", "noreport", [True] * 5), results, "noreport") / "report.html").unlink()
    log = OverrideLog.at(results)
    log.append(new_record(by="ta", exercise="w01-toy", student="good", test="test_nope", kind="override",
                          reason="typo", points=1.0))
    with log.path.open("a") as handle:
        handle.write('{"id": "torn", "at": "2026')  # a crash mid-write
    summary = build_site(results, site)
    text = "\n".join(summary.problems)
    assert "cut/results.json: skipped: unreadable results.json" in text
    assert "foreign/results.json: skipped: not a grader results.json" in text
    assert "types/results.json: skipped: not a grader results.json ('score' is 'lots', not a number)" in text
    assert "orphan: report.html without results.json" in text
    assert "unknown test 'test_nope' in w01-toy/good: ignored" in text
    assert "line 2 is not an override record" in text
    assert any("noreport: no report.html" in note for note in summary.notes)
    assert (site / "ta" / "w01-toy" / "good.html").is_file() and (site / "ta" / "w01-toy" / "noreport.html").is_file()
    index = (site / "index.html").read_text()
    assert "unreadable results.json" in index and "unknown test" in index
    cli = subprocess.run([sys.executable, "-m", "cli", "report", str(results), "--out", str(site)],
                         capture_output=True, text=True, cwd=Path(__file__).parent.parent, timeout=120)
    assert cli.returncode == 0 and "problem:" in cli.stdout and "unknown test" in cli.stdout


def test_site_never_replaces_a_folder_it_did_not_build(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("precious")
    with pytest.raises(SiteError):
        build_site(tmp_path, tmp_path / "mine")
    assert (tmp_path / "mine" / "thesis.tex").read_text() == "precious"


def test_histogram_counts_every_value_once() -> None:
    chart = histogram([0, 0.5, 5, 5, 9.99, 10, 10], 10, title="t")
    assert [b.value for b in chart.bars] == ["2", "", "", "", "", "2", "", "", "", "3"]


@pytest.mark.slow
def test_grade_then_report_and_export_end_to_end(tmp_path: Path) -> None:
    """A real `grader grade` run on the toy course, then `grader report` and `grader export grades`."""
    repo = Path(__file__).parent.parent
    reference = COURSE / "reference" / "w01-toy"
    evil = tmp_path / "evil.py"
    evil.write_text(reference.joinpath("toy.py").read_text() +
                    f"\nprint({EVIL!r})\n\ndef add(a, b):\n    print({EVIL!r})\n    return a - b\n")
    out, site, export = tmp_path / "out", tmp_path / "site", tmp_path / "export"
    run = [sys.executable, "-m", "cli", "--course", str(COURSE)]
    graded = subprocess.run([*run, "grade", "w01-toy", str(reference / "toy.py"), str(evil), "--out", str(out),
                             "--sandbox", "local", "-j", "2", "--seed", "5"],
                            capture_output=True, text=True, cwd=repo, timeout=300)
    assert graded.returncode == 0, graded.stderr
    built = subprocess.run([*run, "report", str(out), "--out", str(site)], capture_output=True, text=True, cwd=repo,
                           timeout=120)
    assert built.returncode == 0 and "problem" not in built.stdout, built.stdout + built.stderr
    ta = (site / "ta" / "w01-toy" / "evil.html").read_text()
    assert "&lt;script&gt;window.__pwned" in ta and "<script>window" not in ta and "&lt;U+202E&gt;" in ta
    assert ">failed<" in ta.split('data-test="test_add"')[1].split("</tr>")[0]
    assert "5 / 5" in (site / "student" / "toy" / "w01-toy.html").read_text()
    exported = subprocess.run([*run, "export", "grades", str(out), "--out", str(export)], capture_output=True,
                              text=True, cwd=repo, timeout=120)
    assert exported.returncode == 0, exported.stderr
    book = (export / "gradebook.csv").read_text().splitlines()
    # the test course's course.toml applies: its roster's students first, then those with results
    assert book[0] == "student,name,w01-toy,t1 total,late_penalty,total,missing" and "toy,,5,5,0,5," in book
    assert book[2].startswith("alice,Alice Liddell,,,0,0,w01-toy")
    gradescope = json.loads((export / "gradescope" / "w01-toy" / "evil" / "results.json").read_text())
    assert gradescope["score"] < 5 and "details" not in json.dumps(gradescope)


def test_a_hidden_test_shows_its_description_to_students_only_when_it_says_so(tmp_path: Path) -> None:
    result = make_result("w01-toy", "s1", [False, True, False, True, False])
    result.tests[0].describe = True  # test_add: its statement already discloses what it checks
    student = render_report(result, ta_view=False)
    assert "test_add on random inputs" in student
    assert "test_scale on random inputs" not in student  # a hidden test's description stays with staff
    assert "test_scale on random inputs" in render_report(result, ta_view=True)
