"""The course server (`grader serve`) end to end: real uvicorn on 127.0.0.1, real httpx, SQLite in tmp_path.

A student submits over HTTP and gets a graded result; nobody reads another student's submissions;
bad uploads are refused with nothing stored; bad tokens are refused and rate-limited; tokens never
reach the log; a restart loses no accepted submission and grades nothing twice.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import server_db
from click.testing import CliRunner
from conftest import COURSE, REFERENCE_TOY, REPO
from workflow_helpers import make_course

from cli import main
from grader.mutants import Mutant

database = server_db.database  # the fixture: every test here runs on SQLite and on PostgreSQL

MUTANT = Mutant("toy.py", COURSE / "reference" / "w01-toy" / "mutants" / "subtracts.patch",
                COURSE / "reference" / "w01-toy" / "toy.py").text()
HIDDEN_NAME = "test_scale"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Running:
    course: Path
    db: str
    data: Path
    log: Path
    tokens: dict[str, str]
    url: str = ""
    process: subprocess.Popen[bytes] | None = None
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, workers: int = 1) -> None:
        self.url = f"http://127.0.0.1:{free_port()}"
        port = self.url.rsplit(":", 1)[1]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(REPO / "cli.py"), "serve", "--port", port, "--db", str(self.db),
                 "--data", str(self.data), "--sandbox", "local", "--workers", str(workers)],
                cwd=self.course, env={**os.environ, "GRADER_COURSE": str(self.course)}, stdout=log,
                stderr=subprocess.STDOUT)
        self.started.append(self.process)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/api/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError("the server did not start: " + self.log.read_text()[-3000:])

    def kill(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)

    def api(self, method: str, path: str, who: str | None = None, token: str | None = None,
            **kwargs: object) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token or self.tokens[who or 'alice']}"}
        return httpx.request(method, self.url + path, headers=headers, timeout=60, **kwargs)  # type: ignore[arg-type]

    def upload(self, who: str, name: str, content: bytes, exercise: str = "w01-toy") -> httpx.Response:
        return self.api("POST", "/api/submissions", who, data={"exercise": exercise},
                        files={"file": (name, content, "application/octet-stream")})

    def wait_graded(self, who: str, submission_id: int, timeout: float = 180) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            row = self.api("GET", f"/api/submissions/{submission_id}", who).json()
            if row["status"] in ("graded", "ungradable"):
                return row
            time.sleep(0.5)
        raise AssertionError(f"submission {submission_id} not graded: {row}; log: {self.log.read_text()[-3000:]}")

    def rows(self, query: str) -> list[tuple]:
        return server_db.rows(self.db, query)


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database: str) -> Iterator[Running]:
    course = make_course(tmp_path / "course")
    hidden = course / "hidden_tests" / "w01-toy" / "test_toy.py"  # one hidden test: never shown to students
    text = hidden.read_text()
    at = text.index(f"def {HIDDEN_NAME}")
    decorator = text.rindex("@points(1)", 0, at)
    hidden.write_text(text[:decorator] + '@points(1, visibility="hidden")' + text[decorator + len("@points(1)"):])
    monkeypatch.setenv("GRADER_COURSE", str(course))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    db, data = database, tmp_path / "server-data"
    out = CliRunner().invoke(main, ["tokens", "issue", "--db", db, "--data", str(data), "--staff", "ta1:ta"])
    assert out.exit_code == 0, out.output
    tokens = {line.split(",")[0]: line.split(",")[2] for line in out.output.splitlines()[1:]}
    running = Running(course, db, data, tmp_path / "server.log", tokens)
    yield running
    for process in running.started:
        if process.poll() is None:
            process.terminate()  # a clean stop: the lifespan closes the judges
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


def assert_no_token_logged(server: Running) -> None:
    log = server.log.read_text()
    for token in server.tokens.values():
        assert token not in log
    assert "Bearer" not in log


def test_tokens_are_stored_as_hmac_only_and_the_secret_is_private(server: Running) -> None:
    assert set(server.tokens) == {"alice", "bob", "carol", "ta1"}
    assert stat.S_IMODE((server.data / "server.secret").stat().st_mode) == 0o600
    stored = json.dumps(server.rows("select * from users"))
    if "://" not in server.db:
        stored += Path(server.db).read_bytes().decode("latin-1")
    for token in server.tokens.values():
        assert token not in stored
    assert server.rows("select id, role from users order by id") == [
        ("alice", "student"), ("bob", "student"), ("carol", "student"), ("ta1", "ta")]


def test_submit_over_http_gets_a_graded_result_in_the_terminal(server: Running, tmp_path: Path) -> None:
    server.start()
    runner = CliRunner()
    login = runner.invoke(main, ["login", server.url, "--token", server.tokens["alice"]])
    assert login.exit_code == 0, login.output
    assert "as alice (student)" in login.output and server.tokens["alice"] not in login.output
    saved = tmp_path / "config" / "grader" / "login.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    (tmp_path / "toy.py").write_text(REFERENCE_TOY)
    sent = runner.invoke(main, ["submit", "w01-toy", str(tmp_path / "toy.py"), "--to", server.url])
    assert sent.exit_code == 0, sent.output
    assert "on time" in sent.output and "submission #1" in sent.output and "(server time)" in sent.output
    server.wait_graded("alice", 1)
    status = runner.invoke(main, ["status"])
    assert "#1  w01-toy  toy.py" in status.output and "graded" in status.output
    shown = runner.invoke(main, ["results", "w01-toy"])
    assert shown.exit_code == 0, shown.output
    assert "withheld until release" in shown.output  # a hidden test: the total waits for publication
    assert "passed  1/1  test_add" in shown.output and HIDDEN_NAME not in shown.output
    counted = json.loads((server.data / "results" / "w01-toy" / "alice" / "results.json").read_text())
    assert counted["score"] == 5 and counted["student"] == "alice"
    report = runner.invoke(main, ["report", str(server.data / "results"), "--out", str(tmp_path / "site")])
    assert report.exit_code == 0, report.output
    assert_no_token_logged(server)


def test_a_student_reads_only_their_own_submissions_and_no_staff_text(server: Running) -> None:
    server.start()
    sent = server.upload("alice", "toy.py", MUTANT.encode())
    assert sent.status_code == 201, sent.text
    alice_id = sent.json()["id"]
    server.wait_graded("alice", alice_id)
    own = server.api("GET", f"/api/submissions/{alice_id}/result", "alice").json()
    assert own["result"]["status"] == "graded"
    text = json.dumps(own)
    stored = json.loads(next((server.data / "graded" / str(alice_id)).glob("0.1.0+*/results.json")).read_text())
    assert any(t["name"] == HIDDEN_NAME for t in stored["tests"])  # the TA copy has it...
    assert HIDDEN_NAME not in text  # ...the student's never does
    for staff_only in ("details", "program_output", "stored_path", "source", "seed", "sandbox", str(server.data)):
        assert staff_only not in text
    failed = [t for t in stored["tests"] if t["status"] != "passed" and t["details"]]
    assert failed and all(t["details"] not in text for t in failed)
    for path in [f"/api/submissions/{alice_id}", f"/api/submissions/{alice_id}/result"]:
        for guess in [path, path.replace(str(alice_id), str(alice_id + 1)), path.replace(str(alice_id), "0"),
                      path.replace(str(alice_id), "-1"), path.replace(str(alice_id), "x")]:
            answer = server.api("GET", guess, "bob")
            assert answer.status_code == 404, (guess, answer.text)
            assert "alice" not in answer.text and "toy.py" not in answer.text
    listed = server.api("GET", "/api/submissions", "bob").json()
    assert listed == {"submissions": []}
    assert server.api("GET", "/api/submissions?exercise=w01-toy", "bob").json() == {"submissions": []}
    assert [r["id"] for r in server.api("GET", "/api/submissions", "alice").json()["submissions"]] == [alice_id]


def zip_bytes(members: dict[str, str], link: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def test_bad_uploads_are_refused_with_a_clear_message_and_nothing_stored(server: Running) -> None:
    server.start(workers=0)
    cases = {
        ("toy.py", b"x = 1\n" * 200_000): "under 1.0 MiB",
        ("toy.zip", zip_bytes({"../toy.py": REFERENCE_TOY})): "..",
        ("toy.ipynb", b"{not json"): "notebook",
        ("abs.zip", zip_bytes({"/tmp/toy.py": REFERENCE_TOY})): "absolute",
        ("link.zip", zip_bytes({"toy.py": REFERENCE_TOY}, link="helper.py")): "symbolic link",
        ("bomb.zip", zip_bytes({"toy.py": REFERENCE_TOY, "data.txt": "0" * (51 << 20)})): "unpacks to more than",
        ("named.zip", zip_bytes({"solution.py": REFERENCE_TOY})): "Rename your file to toy.py",
        ("toy.exe", b"MZ"): "not 'toy.exe'",
    }
    for (name, content), words in cases.items():
        answer = server.upload("carol", name, content)
        assert answer.status_code == 422, (name, answer.text)
        assert words in answer.json()["error"] and answer.json()["error"].startswith("not submitted"), answer.text
    unknown = server.upload("carol", "toy.py", REFERENCE_TOY.encode(), exercise="w99-nope")
    assert unknown.status_code == 422 and "no exercise" in unknown.json()["error"]
    staff = server.upload("ta1", "toy.py", REFERENCE_TOY.encode())
    assert staff.status_code == 403
    huge = server.upload("carol", "toy.zip", b"0" * (51 << 20))
    assert huge.status_code == 413 and "under 50 MiB" in huge.json()["error"]
    assert server.rows("select count(*) from submissions") == [(0,)]
    assert server.rows("select count(*) from jobs") == [(0,)]
    assert not (server.data / "store").exists() or not any((server.data / "store").rglob("*.*"))
    sneaky = server.upload("carol", "../../../outside.py", REFERENCE_TOY.encode())  # the name is only a label
    assert sneaky.status_code == 201, sneaky.text
    assert [p.name for p in (server.data / "store").rglob("*") if p.is_file()] == ["toy.py"]
    assert not (server.data.parent / "outside.py").exists()


def test_bad_tokens_are_refused_then_rate_limited_and_never_logged(server: Running) -> None:
    server.start(workers=0)
    guesses = [f"guess-{i}-{'x' * 20}" for i in range(10)]
    for guess in guesses:
        answer = server.api("GET", "/api/me", token=guess)
        assert answer.status_code == 401 and "grader login" in answer.json()["error"]
    assert server.api("GET", "/api/submissions", token="yet-another-guess").status_code == 429
    assert server.api("GET", "/api/me", "alice").status_code == 429  # this address is paused, whatever it sends
    log = server.log.read_text()
    assert all(guess not in log for guess in guesses)
    assert_no_token_logged(server)


def test_a_restart_loses_no_accepted_submission_and_grades_nothing_twice(server: Running) -> None:
    server.start(workers=0)  # accepts, grades nothing: the jobs wait in the outbox
    first = server.upload("alice", "toy.py", MUTANT.encode()).json()
    second = server.upload("alice", "toy.py", REFERENCE_TOY.encode()).json()
    server.kill(signal.SIGKILL)
    assert server.rows("select submission_id, state from jobs order by id") == [(first["id"], "queued"),
                                                                                 (second["id"], "queued")]
    server.start(workers=1)
    for sub in (first, second):
        assert server.wait_graded("alice", sub["id"])["status"] == "graded"
    grades = server.rows("select submission_id, grade_key from grades order by submission_id")
    assert [g[0] for g in grades] == [first["id"], second["id"]]
    assert grades[0][1] == grades[1][1] and grades[0][1].startswith("0.1.0+")  # grader version + content hash
    result = server.data / "graded" / str(second["id"]) / grades[1][1] / "results.json"
    before = result.stat().st_mtime_ns
    counted = json.loads((server.data / "results" / "w01-toy" / "alice" / "results.json").read_text())
    assert counted["score"] == 5  # the latest on-time submission counts
    server.kill()
    server.start(workers=1)
    time.sleep(2)
    assert server.rows("select count(*) from grades") == [(2,)]
    assert result.stat().st_mtime_ns == before
    assert server.rows("select state from jobs") == [("done",), ("done",)]


# In-process: the job function, retries, the late policy on the server's clock.

LATE = """
[assignments.t1]
title = "Toy assignment"
exercises = ["w01-toy"]
due = 2020-01-01T00:00:00Z

[assignments.q1]
title = "Quiz"
exercises = ["w01-quiz"]
due = 2020-01-01T00:00:00Z
late = "none"
"""


def local_server(tmp_path: Path, database: str, assignments: str | None = None,  # type: ignore[no-untyped-def]
                 **options: object):
    from grader.server.accounts import issue_tokens
    from grader.server.db import open_db
    from grader.server.store import Server

    course = make_course(tmp_path / "course", *([assignments] if assignments else []))
    server = Server(root=course, data=tmp_path / "data", sessions=open_db(database), secret=b"k",
                    **options)  # type: ignore[arg-type]
    issue_tokens(server.sessions, server.secret, ["alice", "bob"], [])
    (tmp_path / "toy.py").write_text(REFERENCE_TOY)
    return server, tmp_path / "toy.py"


def job_of(server, submission_id: int):  # type: ignore[no-untyped-def]
    from grader.server.db import Job

    with server.sessions() as session:
        return session.query(Job).filter(Job.submission_id == submission_id).one()


def test_a_job_graded_twice_writes_one_result(tmp_path: Path, database: str) -> None:
    from grader.server.db import LIVE, Grade, Job
    from grader.server.jobs import Judges, run_job
    from grader.server.queue import enqueue
    from grader.server.store import accept

    server, toy = local_server(tmp_path, database)
    row, _ = accept(server, "alice", "w01-toy", toy, "toy.py")
    job = job_of(server, row.id)
    judges = Judges(1)
    try:
        assert run_job(server, judges, job.id, "w1") == "done"
        assert run_job(server, judges, job.id, "w2") == "skipped"  # a re-delivered duplicate: a no-op
        folder = server.graded_dir(row.id, job.grade_key)
        first = (folder / "results.json").stat().st_mtime_ns
        with server.sessions.begin() as session:  # the broker hands the same job out again after a restart
            session.query(Job).update({"state": "dispatched"})
            assert enqueue(session, row.id, LIVE, server.root).id == job.id  # queueing again: the same job
        assert run_job(server, judges, job.id, "w3") == "done"
        assert (folder / "results.json").stat().st_mtime_ns == first  # the Grade existed: nothing regraded
        with server.sessions() as session:
            grade = session.query(Grade).one()
            assert (grade.grade_key, grade.score, grade.max_score) == (job.grade_key, 5, 5)
            assert session.query(Job).one().state == "done"
    finally:
        judges.close()


def test_a_changed_hidden_test_gives_a_new_grade_key_and_a_new_grade_beside_the_old(tmp_path: Path,
                                                                                       database: str) -> None:
    from grader.server.db import REGRADE, Grade
    from grader.server.jobs import Judges, run_job
    from grader.server.queue import enqueue, grade_key
    from grader.server.store import accept

    server, toy = local_server(tmp_path, database)
    row, _ = accept(server, "alice", "w01-toy", toy, "toy.py")
    old = job_of(server, row.id)
    assert old.grade_key == grade_key(server.root, "w01-toy") and old.grade_key.startswith("0.1.0+")
    judges = Judges(1)
    try:
        assert run_job(server, judges, old.id, "w1") == "done"
        hidden = server.root / "hidden_tests" / "w01-toy" / "test_toy.py"
        hidden.write_text(hidden.read_text() + "\n# a changed hidden test\n")
        with server.sessions.begin() as session:
            new = enqueue(session, row.id, REGRADE, server.root)
            assert enqueue(session, row.id, REGRADE, server.root).id == new.id
        assert new.grade_key != old.grade_key and new.priority == REGRADE
        assert run_job(server, judges, new.id, "w1") == "done"
        with server.sessions() as session:
            keys = sorted(g.grade_key for g in session.query(Grade))
        assert keys == sorted([old.grade_key, new.grade_key])  # the old grade stays beside the new one
    finally:
        judges.close()


def test_a_job_that_keeps_failing_becomes_ungradable_never_a_zero(tmp_path: Path, database: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from grader.server import jobs
    from grader.server.app import describe, student_result
    from grader.server.db import Grade, Submission
    from grader.server.store import accept

    server, toy = local_server(tmp_path, database, max_attempts=2)
    row, _ = accept(server, "alice", "w01-toy", toy, "toy.py")

    def broken(*_args: object) -> None:
        raise jobs.JobFailed("the sandbox would not start")

    monkeypatch.setattr(jobs, "_grade", broken)
    job = job_of(server, row.id)
    assert jobs.run_job(server, jobs.Judges(1), job.id, "w1") == "queued"
    assert jobs.run_job(server, jobs.Judges(1), job.id, "w1") == "failed"
    assert jobs.run_job(server, jobs.Judges(1), job.id, "w1") == "skipped"  # bounded: no third attempt
    with server.sessions() as session:
        stored = session.get(Submission, row.id)
        assert stored is not None and stored.status == "ungradable" and "not your fault" in stored.reason
        assert session.query(Grade).count() == 0
    assert job_of(server, row.id).attempts == 2
    shown = student_result(server, stored)
    assert shown["result"] is None and "not your fault" in describe(stored)["reason"]
    assert "sandbox" not in json.dumps(shown)  # the grader's reason is for staff
    assert not (server.results / "w01-toy" / "alice").exists()  # nothing in the gradebook, no 0


def test_the_server_clock_and_the_late_policy_decide(tmp_path: Path, database: str) -> None:
    import datetime as dt

    from grader.inbox import SubmitError
    from grader.server.store import accept

    server, toy = local_server(tmp_path, database, LATE)
    now = dt.datetime(2020, 1, 3, 12, tzinfo=dt.UTC)
    row, warnings = accept(server, "alice", "w01-toy", toy, "toy.py", now=now)
    assert row.late_days == 3 and row.submitted_at == now
    assert any("3 day(s) late" in w and "-30%" in w for w in warnings)
    answers = tmp_path / "answers.toml"
    answers.write_text('q1 = 68\nq2 = "b"\n')
    with pytest.raises(SubmitError, match="not accepted"):
        accept(server, "bob", "w01-quiz", answers, "answers.toml", now=now)
    with pytest.raises(SubmitError, match="not on the course roster"):
        accept(server, "mallory", "w01-toy", toy, "toy.py", now=now)


def test_a_job_past_its_lease_is_queued_again_and_a_job_out_of_attempts_is_ungradable(tmp_path: Path,
                                                                                      database: str) -> None:
    import datetime as dt

    from grader.server.db import Job, Submission
    from grader.server.queue import claim, expire, mark_dispatched

    server, toy = local_server(tmp_path, database, max_attempts=2)
    from grader.server.store import accept

    row, _ = accept(server, "alice", "w01-toy", toy, "toy.py")
    job_id = job_of(server, row.id).id
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    with server.sessions.begin() as session:
        mark_dispatched(session, [job_id], 60)
        assert claim(session, job_id, "w1", 30, 2)
        assert not claim(session, job_id, "w2", 30, 2)  # held, leased: a duplicate delivery gets nothing
        assert expire(session, 60, 2) == 0  # its lease still runs
        session.query(Job).update({"lease_until": past})  # the worker stopped beating
    with server.sessions.begin() as session:
        assert expire(session, 60, 2) == 1
        assert session.get(Job, job_id).state == "queued"  # type: ignore[union-attr]
        mark_dispatched(session, [job_id], 60)
        session.query(Job).update({"lease_until": past})  # sent, but the broker lost it
    with server.sessions.begin() as session:
        assert expire(session, 60, 2) == 1 and session.get(Job, job_id).state == "queued"  # type: ignore[union-attr]
        assert claim(session, job_id, "w2", 30, 2)  # attempt 2
    with server.sessions.begin() as session:
        assert expire(session, 60, 2, everything=True) == 1  # the server died while grading it, again
        assert not claim(session, job_id, "w3", 30, 2)
    with server.sessions() as session:
        submission = session.get(Submission, row.id)
        assert submission is not None and submission.status == "ungradable"
        assert session.get(Job, job_id).state == "failed"  # type: ignore[union-attr]


def test_killing_the_server_mid_grading_loses_nothing_and_grades_once(server: Running) -> None:
    server.start(workers=1)
    sent = server.upload("bob", "toy.py", REFERENCE_TOY.encode()).json()
    deadline = time.monotonic() + 60
    while server.api("GET", f"/api/submissions/{sent['id']}", "bob").json()["status"] == "queued":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    server.kill(signal.SIGKILL)  # mid-job: the job is "running" with a lease, its judge orphaned
    assert server.rows("select state, attempts from jobs") == [("running", 1)]
    server.start(workers=1)
    assert server.wait_graded("bob", sent["id"])["status"] == "graded"
    assert server.rows("select submission_id from grades") == [(sent["id"],)]
    assert server.rows("select state, attempts from jobs") == [("done", 2)]
    assert json.loads((server.data / "results" / "w01-toy" / "bob" / "results.json").read_text())["score"] == 5
    time.sleep(1.5)
    orphans = [pid for pid in os.listdir("/proc") if pid.isdigit() and judge_of(int(pid), server.course)]
    assert orphans == [], "judges of the killed server are still running"


def judge_of(pid: int, course: Path) -> bool:
    """A judge process of a server for ``course`` whose parent is gone (re-parented to init)."""
    try:
        stat_fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        environ = Path(f"/proc/{pid}/environ").read_bytes()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return stat_fields[1] == "1" and f"GRADER_COURSE={course}".encode() in environ and b"multiprocessing" in cmdline


def test_the_client_says_what_to_do_when_not_logged_in_or_logged_in_elsewhere(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from grader.server.client import save_login

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    runner = CliRunner()
    status = runner.invoke(main, ["status"])
    assert status.exit_code == 2 and "grader login URL" in status.output
    save_login("http://127.0.0.1:9", "not-shown-anywhere")
    (tmp_path / "toy.py").write_text(REFERENCE_TOY)
    elsewhere = runner.invoke(main, ["submit", "w01-toy", str(tmp_path / "toy.py"), "--to", "http://other:8000"])
    assert elsewhere.exit_code == 2 and "grader login http://other:8000" in elsewhere.output
    down = runner.invoke(main, ["status"])
    assert down.exit_code == 2 and "cannot reach http://127.0.0.1:9" in down.output
    assert "not-shown-anywhere" not in status.output + elsewhere.output + down.output
    folder = runner.invoke(main, ["submit", "w01-toy", str(tmp_path / "toy.py"), "--to", str(tmp_path)])
    assert folder.exit_code == 2 and "--student is required" in folder.output


def test_status_shows_each_submission_and_its_place_in_the_queue(server: Running) -> None:
    server.start(workers=0)
    runner = CliRunner()
    assert runner.invoke(main, ["login", server.url, "--token", server.tokens["bob"]]).exit_code == 0
    server.upload("alice", "toy.py", MUTANT.encode())
    server.upload("bob", "toy.py", REFERENCE_TOY.encode())
    server.upload("bob", "toy.ipynb", b"{}")  # refused: not in the history
    status = runner.invoke(main, ["status", "w01-toy"])
    assert status.exit_code == 0, status.output
    assert status.output.splitlines()[0].startswith("#2  w01-toy  toy.py  ")
    assert "queued  (position 2 in the queue, about " in status.output.splitlines()[0]
    assert len(status.output.splitlines()) == 1  # alice's is not listed
    pending = runner.invoke(main, ["results", "w01-toy"])
    assert pending.exit_code == 0 and "status: queued" in pending.output
    health = httpx.get(server.url + "/api/health", timeout=10)
    assert health.status_code == 200  # the database answers...
    assert health.json() | {"version": ""} == {"ok": False, "database": True, "broker": None, "workers_seen": 0,
                                               "version": ""}  # ...but nothing grades (--workers 0)
    depth = httpx.get(server.url + "/api/queue", timeout=10).json()
    assert depth["by_state"] == {"queued": 2} and depth["by_priority"] == {"live": {"queued": 2}}
    assert depth["oldest_waiting_s"] >= 0 and depth["slots"] == 0


def test_a_job_running_past_its_deadline_while_its_worker_still_beats_is_queued_again(tmp_path: Path,
                                                                                      database: str) -> None:
    import datetime as dt

    from grader.server.db import Job
    from grader.server.queue import claim, expire, renew
    from grader.server.store import accept

    server, toy = local_server(tmp_path, database)
    row, _ = accept(server, "alice", "w01-toy", toy, "toy.py")
    job_id = job_of(server, row.id).id
    with server.sessions.begin() as session:
        assert claim(session, job_id, "stuck", 30, 3)
        assert expire(session, 60, 3, max_running_s=600) == 0
        session.query(Job).update({"started_at": dt.datetime.now(dt.UTC) - dt.timedelta(seconds=601)})
    with server.sessions.begin() as session:
        assert renew(session, "stuck", 30, [job_id]) == 1  # it still beats...
        assert expire(session, 60, 3, max_running_s=600) == 1  # ...but it overran: graded elsewhere
        assert renew(session, "stuck", 30, [job_id]) == 0
        job = session.get(Job, job_id)
        assert job is not None and job.state == "queued" and "deadline" in job.last_error


def test_writing_the_same_grade_twice_keeps_one_row(tmp_path: Path, database: str) -> None:
    from grader.server.db import Grade, Job
    from grader.server.queue import record_grade
    from grader.server.store import accept

    server, toy = local_server(tmp_path, database)
    row, _ = accept(server, "alice", "w01-toy", toy, "toy.py")
    for score in (5.0, 1.0):  # two workers finishing the same job (a re-delivery): the first write stands
        with server.sessions.begin() as session:
            job = session.get(Job, job_of(server, row.id).id)
            assert job is not None
            record_grade(session, job, tmp_path / "somewhere", score, 5.0)
    with server.sessions() as session:
        assert [(g.score, g.max_score) for g in session.query(Grade)] == [(5.0, 5.0)]
        assert session.query(Job).one().state == "done"
