"""Per-student extensions and time multipliers: course.toml, the CSV import, and every place the late
policy applies (the counted submission, grade-assignment, `grader submit`'s precheck, the server's accept)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REFERENCE_TOY
from rich.console import Console
from workflow_helpers import make_course

from cli import main
from grader.assignment import apply_late, choose, grade_assignment
from grader.course import CourseConfigError, import_extensions, load_course
from grader.inbox import SubmitError, inbox_entries, submit
from grader.results import load_result

DUE = dt.datetime(2030, 3, 1, 23, 59, tzinfo=dt.UTC)
ASSIGNMENTS = """
[assignments.t1]
title = "Toy assignment"
exercises = ["w01-toy"]
due = 2030-03-01T23:59:00Z

[assignments.q1]
title = "Timed quiz"
exercises = ["w01-quiz"]
opens = 2030-03-01T21:59:00Z
due = 2030-03-01T23:59:00Z
late = "none"
"""
GRANTS = """
[extensions.t1]
alice = 2030-03-10T23:59:00Z
bob = "+3d"

[extensions.q1]
bob = "+30m"

[accommodations]
carol = { time_multiplier = 1.5 }
bob = { time_multiplier = 1.25 }
"""


def course(tmp_path: Path, grants: str = GRANTS) -> Path:
    return make_course(tmp_path / "course", ASSIGNMENTS + grants)


def test_extensions_and_time_multipliers_in_course_toml_set_each_students_due_date(tmp_path: Path) -> None:
    loaded = load_course(course(tmp_path))
    toy, quiz = loaded.assignments["t1"], loaded.assignments["q1"]
    assert toy.deadline("alice").due == dt.datetime(2030, 3, 10, 23, 59, tzinfo=dt.UTC)
    assert toy.deadline("alice").note == "your extension"
    assert toy.deadline("bob").due == DUE + dt.timedelta(days=3)  # "+3d": after the assignment's due date
    assert toy.deadline("carol").due == DUE and toy.deadline("carol").note == ""  # no window: nothing to scale
    assert toy.deadline(None).due == DUE
    # the timed quiz: a 2-hour window, 1.5x for carol is 3 hours; bob: +30 min or 1.25x (2.5 h): the later
    assert quiz.deadline("carol").due == DUE + dt.timedelta(hours=1)
    assert quiz.deadline("carol").note == "your time multiplier ×1.5"
    assert quiz.deadline("bob").due == DUE + dt.timedelta(minutes=30)
    assert quiz.deadline("alice").due == DUE


@pytest.mark.parametrize("grants, words", [
    ('[extensions.t1]\nmallory = "+1d"\n', "extensions.t1.mallory: 'mallory' is not on the roster"),
    ('[extensions.t9]\nalice = "+1d"\n', "extensions.t9.alice: no assignment 't9'"),
    ('[extensions.t1]\nalice = "tomorrow"\n', "neither a date-time"),
    ('[extensions.t1]\nalice = 2030-02-01T00:00:00Z\n', "before the assignment's due date"),
    ('[extensions.t1]\nalice = 2030-04-01T00:00:00\n', "add a time zone offset"),
    ('[extensions.t1]\nalice = 3\n', "must be a date-time"),
    ("[accommodations]\ncarol = { time_multiplier = 0.5 }\n", "from 1 to 10"),
    ("[accommodations]\ncarol = 1.5\n", "carol = { time_multiplier = 1.5 }"),
    ("[accommodations]\ncarol = { time_multiplier = 1.5, extra = 1 }\n", "accommodations.carol"),
])
def test_bad_extensions_name_the_file_and_the_entry(tmp_path: Path, grants: str, words: str) -> None:
    with pytest.raises(CourseConfigError) as info:
        load_course(course(tmp_path, grants))
    assert words in str(info.value) and "course.toml" in str(info.value)


def test_a_window_that_opens_after_it_is_due_is_refused(tmp_path: Path) -> None:
    root = make_course(tmp_path / "course", ASSIGNMENTS.replace("opens = 2030-03-01T21:59", "opens = 2030-03-02T21:59"))
    with pytest.raises(CourseConfigError, match=r"assignments.q1.opens: .* is not before the due date"):
        load_course(root)


def write_csv(path: Path, *rows: str) -> Path:
    path.write_text("student,assignment,due,time_multiplier,note\n" + "".join(r + "\n" for r in rows))
    return path


def test_a_csv_import_writes_extensions_toml_which_the_course_reads(tmp_path: Path) -> None:
    root = course(tmp_path, "")
    sheet = write_csv(tmp_path / "dsp.csv", "alice,t1,+2d,,flu", "bob,t1,2030-03-05T12:00:00+01:00,,",
                      "carol,,,1.5,DSP letter 2026-01")
    out = CliRunner().invoke(main, ["--course", str(root), "extensions", "import", str(sheet)])
    assert out.exit_code == 0, out.output
    assert "2 extension(s), 1 time multiplier(s)" in out.output
    loaded = load_course(root)
    assert loaded.assignments["t1"].deadline("alice").due == DUE + dt.timedelta(days=2)
    assert loaded.assignments["t1"].deadline("bob").due == dt.datetime(2030, 3, 5, 11, tzinfo=dt.UTC)
    assert loaded.assignments["q1"].deadline("carol").due == DUE + dt.timedelta(hours=1)
    assert '"alice" = "+2d"' in (root / "extensions.toml").read_text()  # relative: follows a moved due date
    listed = CliRunner().invoke(main, ["--course", str(root), "extensions", "list"], env={"COLUMNS": "200"})
    assert listed.exit_code == 0, listed.output
    lines = [" ".join(line.split()) for line in listed.output.splitlines()]
    assert "│ t1 │ alice │ 2030-03-03 23:59+00:00 │ 2030-03-01 23:59+00:00 │ your extension │" in lines
    assert "│ q1 │ carol │ 2030-03-02 00:59+00:00 │ 2030-03-01 23:59+00:00 │ your time multiplier ×1.5 │" in lines
    # importing again replaces the whole list: the CSV is the truth
    import_extensions(root, write_csv(tmp_path / "again.csv", "bob,t1,+1d,,"))
    loaded = load_course(root)
    assert loaded.assignments["t1"].deadline("alice").due == DUE
    assert loaded.assignments["t1"].deadline("bob").due == DUE + dt.timedelta(days=1)
    assert loaded.assignments["q1"].deadline("carol").due == DUE


def test_a_csv_with_bad_rows_names_each_row_and_column_and_changes_nothing(tmp_path: Path) -> None:
    root = course(tmp_path, "")
    import_extensions(root, write_csv(tmp_path / "good.csv", "alice,t1,+2d,,"))
    before = (root / "extensions.toml").read_bytes()
    bad = write_csv(tmp_path / "bad.csv", "bob,t1,+1d,,", "carol,,next week,,", "carol,t1,,2,",
                    "bob,t1,+2d,,", ",t1,+1d,,", "alice,,,0.5,", "bob,,,,")
    with pytest.raises(CourseConfigError) as info:
        import_extensions(root, bad)
    text = str(info.value)
    assert text.startswith("nothing imported")
    assert "bad.csv: line 3, column 'assignment': empty, but 'due' is set" in text
    assert "bad.csv: line 4, column 'assignment': a time multiplier applies to every assignment" in text
    assert "bad.csv: line 5, column 'due': a second extension for bob on t1 (the first is on line 2)" in text
    assert "bad.csv: line 6, column 'student': empty" in text
    assert "bad.csv: line 7, column 'time_multiplier': time_multiplier must be a number from 1 to 10" in text
    assert "bad.csv: line 8: nothing to grant" in text
    assert (root / "extensions.toml").read_bytes() == before
    for rows, words in [(("mallory,t1,+1d,,",), "line 2, column 'student': 'mallory' is not on the roster"),
                        (("alice,t7,+1d,,",), "line 2, column 'assignment': no assignment 't7'"),
                        (("alice,t1,yesterday,,",), "line 2, column 'due': 'yesterday' is neither"),
                        (("alice,t1,2030-01-01T00:00:00Z,,",), "line 2, column 'due': 2030-01-01T00:00:00+00:00 is "
                                                                "before the assignment's due date")]:
        with pytest.raises(CourseConfigError, match="nothing imported") as info:
            import_extensions(root, write_csv(tmp_path / "one.csv", *rows))
        assert words in str(info.value)
        assert (root / "extensions.toml").read_bytes() == before
    (tmp_path / "header.csv").write_text("student,due\nalice,+1d\n")
    with pytest.raises(CourseConfigError, match="line 1: the header must have the columns .* missing: assignment"):
        import_extensions(root, tmp_path / "header.csv")


def test_an_extension_in_both_course_toml_and_the_csv_is_refused_naming_both(tmp_path: Path) -> None:
    root = course(tmp_path, '[extensions.t1]\nalice = "+1d"\n')
    with pytest.raises(CourseConfigError) as info:
        import_extensions(root, write_csv(tmp_path / "dsp.csv", "alice,t1,+2d,,"))
    assert "dsp.csv: line 2" in str(info.value) and "course.toml: extensions.t1.alice" in str(info.value)
    assert not (root / "extensions.toml").exists()
    (root / "extensions.toml").write_text('[extensions.t1]\nalice = "+3d"\n')
    with pytest.raises(CourseConfigError, match=r"set twice: .*extensions.toml: extensions.t1.alice and .*course.toml"):
        load_course(root)


def entries_at(tmp_path: Path, root: Path, student: str, *times: dt.datetime) -> list:
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    (tmp_path / "toy.py").write_text(REFERENCE_TOY)
    for when in times:
        submit("w01-toy", tmp_path / "toy.py", student, inbox, now=when, run_tests=False)
    return inbox_entries(inbox, "w01-toy", student)[0]


def test_the_counted_submission_is_chosen_against_the_students_own_due_date(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = course(tmp_path)
    monkeypatch.setenv("GRADER_COURSE", str(root))
    toy = load_course(root).assignments["t1"]
    late = DUE + dt.timedelta(days=2)
    entries = entries_at(tmp_path, root, "alice", DUE - dt.timedelta(days=1), late)
    mine = choose(entries, toy.deadline("alice"), toy.late)
    assert mine.entry == entries[-1] and mine.days_late == 0  # the resubmission within the extension counts
    theirs = choose(entries, toy.deadline("carol"), toy.late)
    assert theirs.entry == entries[0]  # the same files without an extension: the on-time one counts
    result = load_result_like(tmp_path)
    noted = apply_late(result, "alice", mine, toy.late)
    assert noted.late_days == 0 and noted.late_penalty == 0
    assert "(due 2030-03-10 23:59+00:00: your extension)" in noted.output.splitlines()[0]


def load_result_like(tmp_path: Path):  # type: ignore[no-untyped-def]
    from grader.results import Result

    return Result(exercise="w01-toy", title="Toy", submission="toy.py", sha256="", seed=0, score=4.0, max_score=5.0,
                  status="graded")


def test_grade_assignment_applies_extensions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = course(tmp_path)
    monkeypatch.setenv("GRADER_COURSE", str(root))
    when = DUE + dt.timedelta(days=2)  # two days after the assignment's date: alice and bob have extensions
    for student in ("alice", "bob", "carol"):
        entries_at(tmp_path, root, student, when)
    out = tmp_path / "results"
    summary = grade_assignment("t1", tmp_path / "inbox", out, backend="local", seed=1, jobs=1,
                               course=load_course(root), console=Console(quiet=True))
    assert summary.graded == 3, summary.problems
    late = {s: load_result(out / "w01-toy" / s / "results.json") for s in ("alice", "bob", "carol")}
    assert (late["alice"].late_days, late["alice"].late_penalty, late["alice"].score) == (0, 0, 5)
    assert late["bob"].late_days == 0 and "your extension" in late["bob"].output
    assert (late["carol"].late_days, late["carol"].late_penalty) == (2, 1.0)  # 20% of 5: no extension


def test_submit_tells_the_student_their_own_due_date_and_refuses_only_after_it(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = course(tmp_path)
    monkeypatch.setenv("GRADER_COURSE", str(root))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    answers = tmp_path / "answers.toml"
    answers.write_text('q1 = 68\nq2 = "b"\n')
    after = DUE + dt.timedelta(minutes=45)  # the quiz does not take late work
    _, report = submit("w01-quiz", answers, "carol", inbox, now=after, run_tests=False)  # 1.5x: due 00:59
    assert report.timing == ("on time (due 2030-03-02 00:59+00:00: your time multiplier ×1.5; the assignment's "
                             "due date is 2030-03-01 23:59+00:00)")
    with pytest.raises(SubmitError) as info:
        submit("w01-quiz", answers, "bob", inbox, now=after + dt.timedelta(hours=1), run_tests=False)
    assert "due 2030-03-02 00:29+00:00: your extension" in str(info.value)  # +30m and 1.25x: the same
    assert "not accepted" in str(info.value) and "Ask course staff" not in str(info.value)
    with pytest.raises(SubmitError, match="not accepted.*Ask course staff if you need an extension"):
        submit("w01-quiz", answers, "alice", inbox, now=after, run_tests=False)


def test_a_bundle_does_not_know_extensions_so_late_work_is_stored_with_a_warning(tmp_path: Path) -> None:
    from grader.course import load_assignment_file
    from grader.precheck import timing

    (tmp_path / "assignment.toml").write_text('course = "T"\n\n[assignment]\nid = "q1"\nexercises = ["w01-quiz"]\n'
                                              'due = 2030-03-01T23:59:00Z\nlate = "none"\n')
    bundle = load_assignment_file(tmp_path / "assignment.toml")
    words, accepted = timing(bundle, DUE + dt.timedelta(days=1), "bob")
    assert accepted and "counts only if course staff gave you an extension (stored all the same)" in words


def test_the_server_applies_extensions_and_reads_a_new_import_without_a_restart(tmp_path: Path) -> None:
    from grader.server.accounts import issue_tokens
    from grader.server.db import open_db
    from grader.server.store import Server, accept

    root = course(tmp_path, "")
    server = Server(root=root, data=tmp_path / "data", sessions=open_db(tmp_path / "db.sqlite"), secret=b"k")
    issue_tokens(server.sessions, server.secret, ["alice", "bob", "carol"], [])
    answers = tmp_path / "answers.toml"
    answers.write_text('q1 = 68\nq2 = "b"\n')
    after = DUE + dt.timedelta(minutes=45)
    with pytest.raises(SubmitError) as refused:
        accept(server, "carol", "w01-quiz", answers, "answers.toml", now=after)
    assert "not accepted" in str(refused.value) and "nothing" not in str(refused.value)
    import_extensions(root, write_csv(tmp_path / "dsp.csv", "carol,,,1.5,", "alice,t1,2030-03-04T00:00:00Z,,"))
    row, warnings = accept(server, "carol", "w01-quiz", answers, "answers.toml", now=after)
    assert row.late_days == 0 and "your time multiplier ×1.5" in warnings[0]
    (tmp_path / "toy.py").write_text(REFERENCE_TOY)
    row, warnings = accept(server, "alice", "w01-toy", tmp_path / "toy.py", "toy.py", now=DUE + dt.timedelta(days=2))
    assert row.late_days == 0 and warnings[0].startswith("on time (due 2030-03-04 00:00+00:00: your extension")
    row, warnings = accept(server, "alice", "w01-toy", tmp_path / "toy.py", "toy.py", now=DUE + dt.timedelta(days=3))
    assert row.late_days == 1 and "1 day(s) late (due 2030-03-04 00:00+00:00: your extension" in warnings[0]
    with pytest.raises(SubmitError) as late:
        accept(server, "bob", "w01-quiz", answers, "answers.toml", now=after)
    assert "due 2030-03-01 23:59+00:00" in str(late.value) and "Ask course staff" in str(late.value)


def test_results_are_released_to_a_student_after_their_own_due_date(tmp_path: Path) -> None:
    from grader.server.db import open_db
    from grader.server.store import Server
    from grader.server.visible import release_of
    from grader.site.views import Release

    root = make_course(tmp_path / "course", ASSIGNMENTS.replace("2030-", "2020-") + '[extensions.t1]\nalice = '
                       '2099-01-01T00:00:00Z\n')
    server = Server(root=root, data=tmp_path / "data", sessions=open_db(tmp_path / "db.sqlite"), secret=b"k")
    assert release_of(server, "w01-toy", "bob") == Release.AFTER_DUE
    assert release_of(server, "w01-toy", "alice") == Release.BEFORE_DUE  # still working: hidden details wait
