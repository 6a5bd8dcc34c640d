"""#12 items 7-9 without a browser: the graded code is kept and shown to TAs beside the verdicts,
per-test overrides and comments in the review app, comments to students after release, staff notes never."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from feedbackdata import CELLS, write_notebook_import_failure, write_with_code
from sitedata import write_class
from test_review import request

from grader.kept import MAX_KEPT, NOTEBOOK, keep_submission, read_kept, traceback_parts
from grader.overrides import OverrideLog, new_record
from grader.results_tree import collect
from grader.review.server import ReviewServer, make_server
from grader.site.build import build_site
from grader.site.pages import student_page, ta_page
from grader.site.views import Release


@pytest.fixture
def results(tmp_path: Path) -> Path:
    root = tmp_path / "results"
    write_class(root, students=3)
    for student in ("s001", "s002", "s003"):  # replace w06 results with ones that kept their code
        write_with_code(root, student, [False, True, True, True, True])
    write_notebook_import_failure(root)
    return root


@pytest.fixture
def server(results: Path) -> Iterator[ReviewServer]:
    server = make_server(results, ta="alice", quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_keep_submission_copies_module_and_notebook_caps_size_and_replaces(tmp_path: Path) -> None:
    staged = tmp_path / "staged"
    staged.mkdir()
    (staged / "m.py").write_text("x = 1\n")
    notebook = tmp_path / "hand-in.ipynb"
    notebook.write_text("{}")
    dest = tmp_path / "out" / "submission"
    dest.mkdir(parents=True)
    (dest / "stale.py").write_text("old")
    keep_submission(staged, "m.py", notebook, "ab" * 32, dest)
    assert sorted(p.name for p in dest.iterdir()) == sorted([NOTEBOOK, "m.py", "sha256"])
    kept = read_kept(dest.parent, "ab" * 32)
    assert kept is not None and kept.module == "m.py" and kept.blocks[0].lines[0].text == "x = 1"
    assert read_kept(dest.parent, "cd" * 32) is None  # a copy of another submission is never shown
    (staged / "m.py").write_text("#" * (MAX_KEPT + 1))
    keep_submission(staged, "m.py", staged / "m.py", "ab" * 32, dest)
    kept = read_kept(dest.parent, "ab" * 32)
    assert kept is not None and kept.blocks == [] and "not kept" in kept.notes


def test_grading_keeps_what_was_graded(tmp_path: Path) -> None:
    """grade_submission(keep=...) writes the staged module next to where results.json goes (quiz: no sandbox)."""
    from grader.grading import grade_submission
    from grader.spec import load_exercise

    spec = load_exercise("w01-quiz")
    starter = Path("exercises/w01-quiz/starter") / spec.submission
    result = grade_submission(spec, starter, seed=1, keep=tmp_path / "submission")
    kept = read_kept(tmp_path, result.sha256)
    assert kept is not None and kept.module == spec.submission
    assert "\n".join(line.text for line in kept.blocks[0].lines) == starter.read_text().rstrip("\n")


def test_traceback_frames_link_to_lines_of_the_module_only() -> None:
    text = 'File "/submission/a.py", line 3, in f\nFile "/usr/lib/x.py", line 9\nFile "/submission/b.py", line 4'
    assert traceback_parts(text, "a.py") == [('File "/submission/a.py", line 3', "L3"),
                                             (', in f\nFile "/usr/lib/x.py", line 9\nFile "/submission/b.py", line 4',
                                              "")]


def test_ta_page_shows_numbered_code_links_the_failing_test_and_navigates(results: Path) -> None:
    c = collect(results)
    page = ta_page(c, c.submissions[("w06-box-formats", "s002")])
    assert '<tr id="L6" class="hit"' in page and "return np.stack([x, y, w, h], 1)" in page
    assert '<a class="code-ref" href="#L6">line 6</a>' in page  # in the test row
    assert '<a class="code-ref" href="#L6">File &#34;/submission/solution.py&#34;, line 6</a>' in page  # traceback
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert 'id="previous-student" href="../../ta/w06-box-formats/s001.html"' in page
    assert 'id="next-student" href="../../ta/w06-box-formats/s003.html"' in page
    first = ta_page(c, c.submissions[("w06-box-formats", "s001")])
    assert 'id="previous-student"' not in first and 'id="next-student"' in first
    assert "Submitted code" not in student_page(c.submissions[("w06-box-formats", "s002")], Release.PUBLISHED)


def test_notebook_code_is_shown_as_cells_without_outputs(results: Path) -> None:
    c = collect(results)
    page = ta_page(c, c.submissions[("w01-toy", "s100")])
    assert "notebook cell 1" in page and "notebook cell 2" in page and "# ---- cell" not in page
    assert "alert(2)" not in page  # the notebook's outputs are never rendered
    assert '<a class="code-ref" href="#L6">cell 2, line 2</a>' in page
    assert re.search(r'<tr id="L6" class="hit"[^>]*><td class="ln"><a href="#L6">2</a>', page)
    assert CELLS[1].splitlines()[1].strip() in page


def test_student_comment_shown_after_release_staff_note_never(results: Path) -> None:
    log = OverrideLog.at(results)
    for test, text, to_student in ((None, "Nice structure; see the hint on stacking.", True),
                                   ("test_xywh_to_xyxy", "Stack x1, y1, x1 + w, y1 + h.", True),
                                   (None, "STAFF NOTE: check for copying", False),
                                   ("test_xywh_to_xyxy", "STAFF NOTE per test", False)):
        log.append(new_record(by="alice", exercise="w06-box-formats", student="s002", test=test, kind="comment",
                              reason=text, to_student=to_student))
    c = collect(results)
    sub = c.submissions[("w06-box-formats", "s002")]
    before = student_page(sub, Release.BEFORE_DUE)
    assert "Nice structure" not in before and "Stack x1" not in before
    after = student_page(sub, Release.AFTER_DUE)
    assert "Comments from course staff" in after and "Nice structure; see the hint on stacking." in after
    assert "Stack x1, y1, x1 + w, y1 + h." in after and "alice" not in after
    for page in (before, after, student_page(sub, Release.PUBLISHED)):
        assert "STAFF NOTE" not in page
    staff = ta_page(c, sub)
    assert "STAFF NOTE" in staff and "student sees this after release" in staff and "staff only" in staff
    out = results.parent / "site"
    build_site(results, out, Release.AFTER_DUE)
    handed_out = "".join(p.read_text() for p in (out / "student" / "s002").iterdir())
    assert "Nice structure" in handed_out and "STAFF NOTE" not in handed_out


def test_record_with_to_student_on_a_non_comment_is_refused(results: Path) -> None:
    path = OverrideLog.at(results).path
    path.write_text('{"id": "x", "at": "t", "by": "a", "exercise": "w06-box-formats", "student": "s001", '
                    '"test": null, "kind": "override", "reason": "r", "points": 1, "to_student": true}\n')
    assert any("not an override record" in p for p in collect(results).problems)


def _row_form(page: str, form_id: str) -> dict[str, str]:
    form = page.split(f'id="{form_id}"')[1].split("</form>")[0]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


def test_per_test_override_and_comment_forms_in_the_review_app(server: ReviewServer, results: Path) -> None:
    status, page, _ = request(server, "GET", "/ta/w06-box-formats/s002.html")
    assert status == 200
    row = page.split('data-test="test_xywh_to_xyxy"')[1].split("</tr>")[0]
    assert 'id="override-1"' in row and 'id="comment-1"' in row and 'name="csrf"' in row
    fields = _row_form(page, "override-1")
    assert fields["test"] == "test_xywh_to_xyxy" and fields["csrf"] == server.app.token
    missing_reason = request(server, "POST", "/override", {**fields, "points": "1", "reason": " "})
    assert missing_reason[0] == 400 and "a reason is required" in missing_reason[1]
    assert request(server, "POST", "/override", {**fields, "points": "1", "csrf": "forged", "reason": "x"})[0] == 403
    assert request(server, "POST", "/override", {**fields, "points": "1.5", "reason": "tolerance"})[0] == 303
    comment = _row_form(page, "comment-1")
    assert request(server, "POST", "/comment", {**comment, "reason": "Use np.stack on x1, y1, x2, y2.",
                                                "audience": "student"})[0] == 303
    assert request(server, "POST", "/comment", {**comment, "reason": "staff: check", "audience": "staff"})[0] == 303
    records, problems = OverrideLog.at(results).read()
    assert problems == [] and [(r.kind, r.test, r.to_student) for r in records] == [
        ("override", "test_xywh_to_xyxy", False), ("comment", "test_xywh_to_xyxy", True),
        ("comment", "test_xywh_to_xyxy", False)]
    page = request(server, "GET", "/ta/w06-box-formats/s002.html")[1]
    assert "overridden 0 → 1.5" in page.split('data-test="test_xywh_to_xyxy"')[1].split("</tr>")[0]
    server.app.release = Release.AFTER_DUE
    student = request(server, "GET", "/student/s002/w06-box-formats.html")[1]
    assert "Use np.stack on x1, y1, x2, y2." in student and "staff: check" not in student
    assert "<form" not in student


def test_grade_keeps_a_notebook_and_the_ta_pages_link_its_failure_to_the_cell(tmp_path: Path) -> None:
    """End to end through `grader grade` and a real sandbox: a notebook whose second function raises."""
    import os

    import nbformat
    from click.testing import CliRunner
    from test_batch_cli import backend

    from cli import main

    reference = Path("reference/w01-multiply-by-2/multiply_by_2.py").read_text()
    head, _, rest = reference.partition("\ndef ")
    cells = [head, "def " + rest.replace(":\n", ':\n    raise ValueError("not done yet")\n', 1)]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata["kernelspec"] = {"language": "python", "name": "python3", "display_name": "Python 3"}
    source = tmp_path / "in" / "ann" / "multiply_by_2.ipynb"
    source.parent.mkdir(parents=True)
    source.write_text(nbformat.writes(notebook))
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["grade", "w01-multiply-by-2", str(source), "-o", str(out), "--seed", "1",
                                    "--sandbox", backend()], env={**os.environ, "COLUMNS": "120"})
    assert run.exit_code in (0, 1), run.output
    kept = out / "multiply_by_2" / "submission"
    assert sorted(p.name for p in kept.iterdir()) == sorted(["multiply_by_2.py", "notebook.ipynb", "sha256"])
    report = (out / "multiply_by_2" / "report.html").read_text()  # the standalone TA report shows it too
    assert "notebook cell 2" in report and re.search(r'<a class="code-ref" href="#L\d+">cell 2, line 2</a>', report)
    c = collect(out)
    (sub,) = c.submissions.values()
    page = ta_page(c, sub)
    assert re.search(r'<a class="code-ref" href="#L\d+">File &#34;/submission/multiply_by_2.py&#34;, line \d+</a>',
                     page)
    assert 'raise ValueError(&#34;not done yet&#34;)' in page


def test_hostile_code_is_escaped_text_with_invisible_characters_shown(tmp_path: Path) -> None:
    from sitedata import EVIL

    root = tmp_path / "results"
    write_with_code(root, "s001", [False, True, True, True, True], code=f"x = 1  # {EVIL}\n</code></td><script>\n")
    c = collect(root)
    page = ta_page(c, c.submissions[("w06-box-formats", "s001")])
    assert "<script>window.__pwned" not in page and "&lt;script&gt;window.__pwned" in page
    assert "&lt;U+202E&gt;gnp.exe" in page and "\u202e" not in page and "\x1b" not in page
    assert "&lt;/code&gt;&lt;/td&gt;&lt;script&gt;" in page
