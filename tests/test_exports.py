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


def test_gradebook_and_canvas_apply_overrides_and_late_penalties(tmp_path: Path) -> None:
    results, out = tmp_path / "results", tmp_path / "out"
    a_class(results)
    summary = export_grades(results, out)
    assert summary.problems == []
    book = rows((out / "gradebook.csv").read_text())
    assert book[0] == ["student", "name", "w01-toy", "w06-box-formats", "late_penalty", "total"]
    by_student = {r[0]: r for r in book[1:]}
    assert by_student["ann"] == ["ann", "", "4", "6", "1", "9"]  # submission override 5 → 6, then −1 late
    assert by_student["bob"] == ["bob", "", "2", "missing", "0", "2"]  # test override 0 → 1
    assert "'=HYPERLINK(\"x\")" in by_student  # a formula-looking id is defused
    canvas = rows((out / "canvas.csv").read_text())
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "w01-toy", "w06-box-formats"]
    assert canvas[1] == ["Points Possible", "", "", "", "", "5", "7"]
    ann = next(r for r in canvas if r[3] == "ann")
    assert ann[5:] == ["4", "5"]  # the late penalty is deducted in its own exercise's column
    assert next(r for r in canvas if r[3] == "bob")[5:] == ["2", ""]  # no result: left empty for Canvas


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
    assert ann["score"] == 5 and "1 day(s) late" in ann["output"]
    eve = (out / "gradescope" / "w01-toy" / "eve" / "results.json").read_text()
    assert "expected 42" not in eve and "printed" not in eve and "details" not in eve


def test_every_export_names_students_from_the_roster_and_lists_rostered_students_without_results(
        tmp_path: Path) -> None:
    results, out = tmp_path / "results", tmp_path / "out"
    a_class(results)
    export_grades(results, out, ("gradebook", "canvas"), roster={"ann": "Ann Lee", "bob": "Bob Stone", "cy": "Cy"})
    book = {r[0]: r for r in rows((out / "gradebook.csv").read_text())[1:]}
    assert book["ann"][1] == "Ann Lee" and book["bob"][1] == "Bob Stone"
    assert book["cy"][1:4] == ["Cy", "missing", "missing"]  # on the roster, nothing handed in
    canvas = {r[3]: r for r in rows((out / "canvas.csv").read_text())[2:]}
    assert canvas["ann"][0] == "Ann Lee" and canvas["cy"][0] == "Cy" and canvas["cy"][5:] == ["", ""]
