"""Token-bucket submission limits per (student, exercise): a burst, then a refill; a 429 that says when;
nothing stored when refused; one bucket shared by every server process and kept across a restart.

On SQLite and on PostgreSQL (tests/server_db.py); the HTTP test runs the real `grader serve`.
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
from pathlib import Path

import pytest
import server_db
import test_server
import test_server_web
from click.testing import CliRunner
from conftest import REFERENCE_TOY
from test_server import Running, local_server
from workflow_helpers import ASSIGNMENTS, make_course

from cli import main
from grader.course import CourseConfigError

database = server_db.database
server = test_server.server  # the running `grader serve` fixture
site = test_server_web.site  # the app in a TestClient, with its worker pool
T0 = dt.datetime(2030, 1, 1, 12, 0, 0, tzinfo=dt.UTC)
LIMITS = ASSIGNMENTS + "\n[submission_limits]\nburst = 3\nper_minute = 2\n"


def toy(tmp_path: Path, n: int) -> Path:
    """A distinct correct file per attempt, so every stored submission is its own file in the store."""
    path = tmp_path / f"toy-{n}.py"
    path.write_text(REFERENCE_TOY + f"\n# attempt {n}\n")
    return path


def stored_files(data: Path) -> int:
    return sum(1 for p in (data / "store").rglob("*") if p.is_file()) if (data / "store").exists() else 0


def test_a_burst_then_one_per_refill_and_a_refusal_that_says_when(tmp_path: Path, database: str) -> None:
    from grader.server.limits import SubmissionLimits, TooManySubmissions, submission_limits
    from grader.server.store import accept

    server, _ = local_server(tmp_path, database, LIMITS)
    limits = submission_limits(server.root)
    assert limits == SubmissionLimits(burst=3, per_minute=2.0)
    for n in range(3):
        accept(server, "alice", "w01-toy", toy(tmp_path, n), "toy.py", now=T0, limits=limits)
    for n, at in enumerate([T0, T0 + dt.timedelta(seconds=29)]):
        with pytest.raises(TooManySubmissions) as refused:
            accept(server, "alice", "w01-toy", toy(tmp_path, 10 + n), "toy.py", now=at, limits=limits)
        assert refused.value.retry_at == T0 + dt.timedelta(seconds=30)
        assert str(refused.value) == ("not submitted: too many submissions of w01-toy; next submission allowed at "
                                      "12:00:30 (server time, UTC). You may submit 3 at once, then 2 more per minute.")
    accept(server, "alice", "w01-toy", toy(tmp_path, 20), "toy.py", now=T0 + dt.timedelta(seconds=30), limits=limits)
    with pytest.raises(TooManySubmissions, match="allowed at 12:01:00"):
        accept(server, "alice", "w01-toy", toy(tmp_path, 21), "toy.py", now=T0 + dt.timedelta(seconds=31),
               limits=limits)
    # a quiet hour fills the bucket again, to the burst and no further
    later = T0 + dt.timedelta(hours=1)
    for n in range(3):
        accept(server, "alice", "w01-toy", toy(tmp_path, 30 + n), "toy.py", now=later, limits=limits)
    with pytest.raises(TooManySubmissions):
        accept(server, "alice", "w01-toy", toy(tmp_path, 40), "toy.py", now=later, limits=limits)
    # per student and per exercise
    accept(server, "bob", "w01-toy", toy(tmp_path, 50), "toy.py", now=T0, limits=limits)
    answers = tmp_path / "answers.toml"
    answers.write_text('q1 = 68\nq2 = "b"\n')
    accept(server, "alice", "w01-quiz", answers, "answers.toml", now=T0, limits=limits)
    # without limits (what the server passes for staff) nothing is counted
    accept(server, "alice", "w01-toy", toy(tmp_path, 60), "toy.py", now=later, limits=None)
    accepted = 3 + 1 + 3 + 1 + 1 + 1
    assert server_db.rows(database, "select count(*) from submissions") == [(accepted,)]
    assert server_db.rows(database, "select count(*) from jobs") == [(accepted,)]
    assert stored_files(server.data) == accepted  # a refused submission leaves no file in the store


def test_two_servers_share_one_bucket_and_a_restart_does_not_refill_it(tmp_path: Path, database: str) -> None:
    import dataclasses

    from grader.server.db import open_db
    from grader.server.limits import TooManySubmissions, submission_limits
    from grader.server.store import accept

    first, _ = local_server(tmp_path, database, LIMITS)
    second = dataclasses.replace(first, sessions=open_db(database))  # its own engine and connections
    limits = submission_limits(first.root)
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def attempt(n: int) -> None:
        start.wait()
        try:
            accept(first if n % 2 else second, "alice", "w01-toy", toy(tmp_path, n), "toy.py", now=T0, limits=limits)
            outcomes.append("accepted")
        except TooManySubmissions:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["accepted"] * 3 + ["refused"] * 5
    restarted = dataclasses.replace(first, sessions=open_db(database))
    with pytest.raises(TooManySubmissions, match="allowed at 12:00:30"):
        accept(restarted, "alice", "w01-toy", toy(tmp_path, 9), "toy.py", now=T0, limits=limits)
    assert server_db.rows(database, "select count(*) from submissions") == [(3,)]
    assert server_db.rows(database, "select student, exercise from submission_buckets") == [("alice", "w01-toy")]


@pytest.mark.parametrize("table, words", [
    ("burst = 0", "burst must be a whole number from 1 to 1000, got 0"),
    ("burst = 2.5", "burst must be a whole number"),
    ("per_minute = 0", "per_minute must be a number above 0"),
    ('per_minute = "1"', "per_minute must be a number"),
    ("rate = 3", "write burst = 5 and per_minute = 1"),
])
def test_bad_submission_limits_name_the_table(tmp_path: Path, table: str, words: str) -> None:
    from grader.server.limits import submission_limits

    root = make_course(tmp_path / "course", ASSIGNMENTS + f"\n[submission_limits]\n{table}\n")
    with pytest.raises(CourseConfigError) as info:
        submission_limits(root)
    assert "course.toml: [submission_limits]" in str(info.value) and words in str(info.value)


def test_the_defaults_are_five_at_once_then_one_a_minute(tmp_path: Path) -> None:
    from grader.server.limits import SubmissionLimits, submission_limits

    assert submission_limits(make_course(tmp_path / "course")) == SubmissionLimits(5, 1.0)


def test_over_http_the_refusal_is_a_429_with_retry_after_kept_across_a_restart(server: Running) -> None:
    with (server.course / "course.toml").open("a") as toml:
        toml.write("\n[submission_limits]\nburst = 2\nper_minute = 0.5\n")
    server.start(workers=0)
    for n in range(2):
        sent = server.upload("alice", "toy.py", (REFERENCE_TOY + f"# {n}\n").encode())
        assert sent.status_code == 201, sent.text
    refused = server.upload("alice", "toy.py", REFERENCE_TOY.encode())
    assert refused.status_code == 429, refused.text
    message = refused.json()["error"]
    assert "too many submissions of w01-toy; next submission allowed at " in message
    assert "(server time, UTC). You may submit 2 at once, then 0.5 more per minute." in message
    assert 1 <= int(refused.headers["retry-after"]) <= 122  # 2 at once, then one every 120 s
    runner = CliRunner()  # what `grader submit --to URL` prints
    assert runner.invoke(main, ["login", server.url, "--token", server.tokens["alice"]]).exit_code == 0
    (server.course / "toy.py").write_text(REFERENCE_TOY)
    said = runner.invoke(main, ["submit", "w01-toy", str(server.course / "toy.py"), "--to", server.url])
    assert said.exit_code == 2 and "next submission allowed at" in " ".join(said.output.split())
    assert server.upload("bob", "toy.py", REFERENCE_TOY.encode()).status_code == 201  # bob has his own bucket
    assert server.upload("ta1", "toy.py", REFERENCE_TOY.encode()).status_code == 403  # staff: never a bucket
    server.kill(signal.SIGKILL)
    server.start(workers=0)
    again = server.upload("alice", "toy.py", REFERENCE_TOY.encode())
    assert again.status_code == 429 and again.json()["error"] == message
    assert server.rows("select student, count(*) from submissions group by student order by student") == [
        ("alice", 2), ("bob", 1)]


def test_the_upload_page_takes_from_the_same_bucket(site) -> None:  # type: ignore[no-untyped-def]
    import os

    from test_server_web import sign_in, upload

    with (Path(os.environ["GRADER_COURSE"]) / "course.toml").open("a") as toml:
        toml.write("\n[submission_limits]\nburst = 1\nper_minute = 1\n")
    client = sign_in(site.client(), site.tokens["alice"])
    status, _ = upload(client, REFERENCE_TOY)
    assert status == 303
    status, page = upload(client, REFERENCE_TOY + "# again\n")
    assert status == 429 and "next submission allowed at" in page and "(server time, UTC)" in page
