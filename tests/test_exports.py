"""Exports: gradebook CSV and Canvas CSV with overrides and late penalties, Gradescope results.json."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sitedata import EVIL, make_result, write

from grader.exports import export_grades
from grader.overrides import OverrideLog, new_record


def a_class(root: Path) -> None:
    write(make_result("w01-toy", "ann", [True, True, True, True, False]), root, "ann")  # 4 / 5
    late = make_result("w06-box-formats", "ann", [True, True, False, True, True], late_days=1, late_penalty=1.0)
    write(late, root, "ann")  # 5 / 7, 1 day late
    write(make_result("w01-toy", "=HYPERLINK(\"x\")", [False] * 5), root, "formula")
    write(make_result("w01-toy", "bob", [True, False, False, False, False]), root, "bob")  # 1 / 5
    log = OverrideLog.at(root)
    log.append(new_record(by="tina", exercise="w01-toy", student="bob", test="test_scale", kind="override",
                          reason="scale by a tensor is fine", points=1.0, previous=0.0))
    log.append(new_record(by="tina", exercise="w06-box-formats", student="ann", test=None, kind="override",
                          reason="regrade", points=6.0, previous=5.0))


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def numeric_or_empty(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return cell == ""


def test_gradebook_and_canvas_apply_overrides_and_late_penalties(tmp_path: Path) -> None:
    results, out = tmp_path / "results", tmp_path / "out"
    a_class(results)
    summary = export_grades(results, out)
    assert summary.problems == []
    book = rows((out / "gradebook.csv").read_text())
    assert book[0] == ["student", "name", "w01-toy", "w06-box-formats", "late_penalty", "total", "missing"]
    assert book[1] == ["Points Possible", "", "5", "7", "", "12", ""]
    by_student = {r[0]: r for r in book[2:]}
    # submission override 5 → 6; the late penalty (1 of 5 points: 20 %) is recomputed on the new score
    assert by_student["ann"] == ["ann", "", "4", "6", "1.2", "8.8", ""]
    assert by_student["bob"] == ["bob", "", "2", "", "0", "2", "w06-box-formats"]  # test override 0 → 1
    assert "'=HYPERLINK(\"x\")" in by_student  # a formula-looking id is defused
    assert all(numeric_or_empty(cell) for row in book[1:] for cell in row[2:-1])  # no text in number columns
    canvas = rows((out / "canvas.csv").read_text())
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "w01-toy", "w06-box-formats"]
    assert canvas[1] == ["Points Possible", "", "", "", "", "5", "7"]
    ann = next(r for r in canvas if r[3] == "ann")
    assert ann[5:] == ["4", "4.8"]  # the late penalty is deducted in its own exercise's column
    assert next(r for r in canvas if r[3] == "bob")[5:] == ["2", ""]  # no result: left empty for Canvas


def test_a_late_penalty_is_recomputed_after_an_override(tmp_path: Path) -> None:
    results, out = tmp_path / "results", tmp_path / "out"
    late = make_result("w06-box-formats", "cy", [True, True, False, False, True], late_days=2, late_penalty=0.6,
                       late_fraction=0.2)  # 3 points earned, 20 % off
    write(late, results, "cy")
    OverrideLog.at(results).append(new_record(by="tina", exercise="w06-box-formats", student="cy", test=None,
                                              kind="override", reason="regrade", points=5.0, previous=3.0))
    export_grades(results, out, ("gradebook",))
    cy = next(r for r in rows((out / "gradebook.csv").read_text()) if r[0] == "cy")
    assert cy[2:5] == ["5", "1", "4"]  # 20 % of the new 5 points, not the old 0.6


def test_with_the_course_every_export_follows_its_order_names_and_assignments(tmp_path: Path) -> None:
    from workflow_helpers import make_course

    from grader.course import load_course

    course = load_course(make_course(tmp_path / "course"))
    results, out = tmp_path / "results", tmp_path / "out"
    write(make_result("w01-toy", "bob", [True, True, True, False, False], late_days=1, late_penalty=0.3,
                      late_fraction=0.1), results, "bob")
    export_grades(results, out, ("gradebook", "canvas"), course=course)
    book = rows((out / "gradebook.csv").read_text())
    assert book[0] == ["student", "name", "w01-toy", "w01-quiz", "t1 total", "q1 total", "late_penalty", "total",
                       "missing"]
    assert book[1][:6] == ["Points Possible", "", "5", "2", "5", "2"]
    assert [r[0] for r in book[2:]] == ["alice", "bob", "carol"]  # the roster's order, with names
    bob = book[3]
    assert bob == ["bob", "Bob", "3", "", "2.7", "", "0.3", "2.7", "w01-quiz"]
    assert book[2] == ["alice", "Alice", "", "", "", "", "0", "0", "w01-toy;w01-quiz"]
    canvas = rows((out / "canvas.csv").read_text())
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Toy assignment", "Quiz"]
    assert canvas[1] == ["Points Possible", "", "", "", "", "5", "2"]
    assert canvas[3] == ["Bob", "", "", "bob", "", "2.7", ""] and canvas[2][0] == "Alice"


def test_a_course_that_does_not_hold_the_results_exercises_is_not_applied(tmp_path: Path) -> None:
    from workflow_helpers import make_course

    from grader.course import load_course

    course = load_course(make_course(tmp_path / "course"))
    results, out = tmp_path / "results", tmp_path / "out"
    a_class(results)  # w06-box-formats is not in this course
    summary = export_grades(results, out, ("gradebook",), course=course)
    assert any("not in course.toml" in p for p in summary.problems)
    assert rows((out / "gradebook.csv").read_text())[0][2:4] == ["w01-toy", "w06-box-formats"]


def test_gradescope_results_hold_student_safe_fields_only(tmp_path: Path) -> None:
    results, out = tmp_path / "results", tmp_path / "out"
    a_class(results)
    evil = make_result("w01-toy", "eve", [False, True, True, True, True])
    evil.tests[0].details, evil.tests[0].program_output = f"expected 42 {EVIL}", f"printed {EVIL}"
    write(evil, results, "eve")
    export_grades(results, out, ("gradescope",))
    bob = json.loads((out / "gradescope" / "w01-toy" / "bob" / "results.json").read_text())
    assert bob["score"] == 2 and bob["stdout_visibility"] == "hidden"
    scale = next(t for t in bob["tests"] if t["name"].startswith("test_scale"))
    assert scale["score"] == 1 and "adjusted by course staff: 0 → 1" in scale["output"]
    assert {t["visibility"] for t in bob["tests"]} == {"visible", "after_due_date", "after_published", "hidden"}
    ann = json.loads((out / "gradescope" / "w06-box-formats" / "ann" / "results.json").read_text())
    assert ann["score"] == 4.8 and "1 day(s) late: -1.2 point(s)" in ann["output"]  # 6 after override, 20 % late
    eve = (out / "gradescope" / "w01-toy" / "eve" / "results.json").read_text()
    assert "expected 42" not in eve and "printed" not in eve and "details" not in eve
