"""The server's queue against the real things: Redis, Celery workers (`grader worker` subprocesses), SQLite
and PostgreSQL. Exactly once through every fault: a worker killed mid-job, the broker restarted, the
server killed between storing and dispatching, a judge that always crashes.

Each test uses its own queue names (``--queue-prefix``); the tests that restart or stop the broker run
their own redis-server on a free port, so nothing else on the machine's Redis is touched. One test
uses the worker scripts/setup_services.sh starts (CI), found through GRADER_CI_WORKER_DIR.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import server_db
from click.testing import CliRunner
from conftest import COURSE, REFERENCE_TOY, REPO
from test_server import free_port

from cli import main
from grader.server.client import wait_healthy

database = server_db.database
REDIS = os.environ.get("GRADER_TEST_REDIS", "redis://127.0.0.1:6379/0")
CI_WORKER_DIR = Path(os.environ.get("GRADER_CI_WORKER_DIR", "/tmp/grader-ci-worker"))
CRASH_ASSIGNMENT = '\n[assignments.t2]\ntitle = "Crash"\nexercises = ["w01-judge-crash"]\ndue = 2099-01-01T00:00:00Z\n'


def redis_problem(url: str) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001 - the reason is the skip message
        return f"no Redis at {url} (run scripts/setup_services.sh): {exc}"
    return None


class PrivateRedis:
    """A redis-server of this test's own (no persistence), which the test may stop and start."""

    def __init__(self, folder: Path) -> None:
        self.port, self.folder = free_port(), folder
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("no redis-server binary (scripts/setup_services.sh installs it)")
        self.process = subprocess.Popen([binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no", "--dir", str(self.folder)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while redis_problem(self.url):
            assert time.monotonic() < deadline, "the private redis-server did not start"
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)


@dataclass
class Cluster:
    """A course, its database, a `grader serve --broker` and any number of `grader worker`s."""
    course: Path
    db: str
    data: Path
    logs: Path
    broker: str
    prefix: str
    tokens: dict[str, str] = field(default_factory=dict)
    url: str = ""
    server: subprocess.Popen[bytes] | None = None
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def _spawn(self, args: list[str], log: str) -> subprocess.Popen[bytes]:
        with (self.logs / log).open("ab") as out:
            process = subprocess.Popen([sys.executable, str(REPO / "cli.py"), *args], cwd=self.course,
                                       env={**os.environ, "GRADER_COURSE": str(self.course)}, stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        return process

    def start_server(self, broker: str | None = None) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.server = self._spawn(["serve", "--port", str(port), "--db", self.db, "--data", str(self.data),
                                   "--sandbox", "local", "--broker", broker or self.broker,
                                   "--queue-prefix", self.prefix], "server.log")
        if wait_healthy(self.url, 60):
            return
        raise AssertionError("the server did not start: " + (self.logs / "server.log").read_text()[-3000:])

    def start_worker(self, name: str = "worker", lease: float = 6.0) -> subprocess.Popen[bytes]:
        return self._spawn(["worker", "--broker", self.broker, "--db", self.db, "--data", str(self.data),
                            "--sandbox", "local", "--queue-prefix", self.prefix, "--lease", str(lease),
                            "--job-deadline", "120"], f"{name}.log")

    def upload(self, who: str, exercise: str = "w01-toy", content: str = REFERENCE_TOY) -> dict:
        answer = httpx.post(self.url + "/api/submissions", headers={"Authorization": f"Bearer {self.tokens[who]}"},
                            data={"exercise": exercise}, files={"file": ("toy.py", content.encode())}, timeout=60)
        assert answer.status_code == 201, answer.text
        return answer.json()

    def rows(self, query: str) -> list[tuple]:
        return server_db.rows(self.db, query)

    def wait(self, condition: str, expected: list[tuple], timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while (got := self.rows(condition)) != expected:
            if time.monotonic() > deadline:
                logs = "\n".join(f"--- {p.name}\n{p.read_text()[-2500:]}" for p in sorted(self.logs.glob("*.log")))
                raise AssertionError(f"{condition}: {got} != {expected}\n{logs}")
            time.sleep(0.3)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


def make_cluster(tmp_path: Path, db: str, broker: str) -> Cluster:
    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    with (course / "course.toml").open("a") as handle:
        handle.write(CRASH_ASSIGNMENT)
    logs = tmp_path / "logs"
    logs.mkdir()
    cluster = Cluster(course, db, tmp_path / "data", logs, broker, f"gt-{uuid.uuid4().hex[:10]}")
    os.environ["GRADER_COURSE"] = str(course)
    out = CliRunner().invoke(main, ["tokens", "issue", "--db", db, "--data", str(cluster.data)])
    assert out.exit_code == 0, out.output
    cluster.tokens = {line.split(",")[0]: line.split(",")[2] for line in out.output.splitlines()[1:]}
    return cluster


@pytest.fixture
def cluster(tmp_path: Path, database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cluster]:
    problem = redis_problem(REDIS)
    if problem:
        pytest.skip(problem)
    monkeypatch.setenv("GRADER_COURSE", str(tmp_path / "course"))
    made = make_cluster(tmp_path, database, REDIS)
    yield made
    made.stop_all()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    broker = PrivateRedis(tmp_path)
    yield broker
    broker.stop()


def grades_per_submission(cluster: Cluster) -> list[tuple]:
    return cluster.rows("select submission_id, count(*) from grades group by submission_id order by submission_id")


def test_submissions_are_graded_exactly_once_by_celery_workers(cluster: Cluster) -> None:
    cluster.start_server()
    first = cluster.upload("alice")
    assert first["queue_position"] == 1 and first["eta_s"] > 0  # no worker yet: it waits, with an estimate
    cluster.start_worker("w1")
    cluster.start_worker("w2")
    sent = [first] + [cluster.upload(who) for who in ("bob", "carol", "alice")]
    ids = sorted(s["id"] for s in sent)
    cluster.wait("select count(*) from jobs where state = 'done'", [(4,)])
    assert grades_per_submission(cluster) == [(i, 1) for i in ids]
    assert cluster.rows("select distinct attempts, priority from jobs") == [(1, 0)]
    assert {r[0] for r in cluster.rows("select status from submissions")} == {"graded"}
    health = httpx.get(cluster.url + "/api/health", timeout=10).json()
    assert health["ok"] and health["broker"] and health["database"] and health["workers_seen"] == 2
    depth = httpx.get(cluster.url + "/api/queue", timeout=10).json()
    assert depth["by_state"] == {"done": 4} and depth["by_priority"] == {"live": {"done": 4}}
    assert depth["oldest_waiting_s"] == 0 and depth["slots"] == 2 and depth["median_grading_s"] > 0


def test_a_worker_killed_mid_job_has_its_job_graded_exactly_once_elsewhere(cluster: Cluster) -> None:
    cluster.start_server()
    doomed = cluster.start_worker("doomed")
    sent = cluster.upload("bob")
    cluster.wait("select state from jobs", [("running",)])
    os.killpg(doomed.pid, signal.SIGKILL)  # the worker and its judge, mid-job, no ack sent
    doomed.wait(timeout=30)
    cluster.start_worker("rescuer")
    cluster.wait("select state, attempts from jobs", [("done", 2)])
    assert grades_per_submission(cluster) == [(sent["id"], 1)]
    time.sleep(3)  # the broker's copy of the killed worker's message, if it comes again, changes nothing
    assert grades_per_submission(cluster) == [(sent["id"], 1)]


def test_a_judge_that_always_crashes_makes_the_submission_ungradable_after_bounded_attempts(cluster: Cluster) -> None:
    cluster.start_server()
    cluster.start_worker()
    sent = cluster.upload("carol", exercise="w01-judge-crash")
    cluster.wait("select state, attempts from jobs", [("failed", 3)])
    assert cluster.rows("select count(*) from grades") == [(0,)]  # never a 0
    row = httpx.get(f"{cluster.url}/api/submissions/{sent['id']}",
                    headers={"Authorization": f"Bearer {cluster.tokens['carol']}"}, timeout=10).json()
    assert row["status"] == "ungradable" and "not your fault" in row["reason"]
    assert "judge" in cluster.rows("select last_error from jobs")[0][0]  # the reason, for staff


@pytest.fixture
def on_own_broker(tmp_path: Path, database: str, private_redis: PrivateRedis,
                  monkeypatch: pytest.MonkeyPatch) -> Iterator[Cluster]:
    """A server and one worker on this test's own redis-server (``private_redis``: stop and start it)."""
    private_redis.start()
    monkeypatch.setenv("GRADER_COURSE", str(tmp_path / "course"))
    cluster = make_cluster(tmp_path, database, private_redis.url)
    try:
        cluster.start_server()
        cluster.start_worker()
        yield cluster
    finally:
        cluster.stop_all()


def test_the_broker_restarted_mid_burst_loses_nothing(on_own_broker: Cluster, private_redis: PrivateRedis) -> None:
    cluster = on_own_broker
    slow = "import time\ntime.sleep(2)  # each grading takes a while: the broker still holds the rest\n"
    sent = [cluster.upload(who, content=slow + REFERENCE_TOY)
            for who in ("alice", "bob", "carol", "alice", "bob", "carol")]
    cluster.wait("select count(*) > 0 from jobs where state = 'done'", [(True,)])
    assert cluster.rows("select count(*) from jobs where state = 'done'")[0][0] < 6  # mid-burst
    private_redis.stop()  # no persistence: every queued message is gone
    more = [cluster.upload("alice")]  # accepted while the broker is down: stored, its job waits
    private_redis.start()
    cluster.wait("select count(*) from jobs where state = 'done'", [(7,)])
    assert grades_per_submission(cluster) == [(s["id"], 1) for s in sorted(sent + more, key=lambda s: s["id"])]


def test_a_worker_whose_ack_failed_while_the_broker_was_down_still_takes_the_next_jobs(
        on_own_broker: Cluster, private_redis: PrivateRedis) -> None:
    """Celery's consumer, whose only prefetch slot is held by a message it could not ack, never polls
    the broker again and so never notices it came back (celery/celery#9054): the worker must."""
    cluster = on_own_broker
    sent = [cluster.upload("alice", content="import time\ntime.sleep(3)\n" + REFERENCE_TOY)]
    cluster.wait("select state from jobs", [("running",)])
    private_redis.stop()  # down until after the job ends: its ack fails
    cluster.wait("select state from jobs", [("done",)])
    time.sleep(1)
    private_redis.start()
    sent += [cluster.upload(who) for who in ("bob", "carol")]
    cluster.wait("select count(*) from jobs where state = 'done'", [(3,)], timeout=90)
    assert grades_per_submission(cluster) == [(s["id"], 1) for s in sent]


def test_a_server_killed_between_storing_and_dispatching_dispatches_at_its_next_start(
        tmp_path: Path, database: str, private_redis: PrivateRedis, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRADER_COURSE", str(tmp_path / "course"))
    cluster = make_cluster(tmp_path, database, private_redis.url)  # the broker is not up yet: nothing can be sent
    try:
        cluster.start_server()
        sent = [cluster.upload(who) for who in ("alice", "bob")]
        assert cluster.rows("select state from jobs") == [("queued",), ("queued",)]  # stored, in the outbox
        assert cluster.server is not None
        os.killpg(cluster.server.pid, signal.SIGKILL)
        cluster.server.wait(timeout=30)
        private_redis.start()
        cluster.start_server()
        cluster.start_worker()
        cluster.wait("select count(*) from jobs where state = 'done'", [(2,)])
        assert grades_per_submission(cluster) == [(s["id"], 1) for s in sent]
    finally:
        cluster.stop_all()


def test_the_worker_ci_started_grades_a_submission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pid_file = CI_WORKER_DIR / "worker.pid"
    if not pid_file.is_file() or not Path(f"/proc/{pid_file.read_text().strip()}").exists():
        pytest.skip(f"no CI worker running ({pid_file}): scripts/setup_services.sh starts it (make test does)")
    pid = int(pid_file.read_text().strip())
    course = CI_WORKER_DIR / "course"
    monkeypatch.setenv("GRADER_COURSE", str(course))
    db, data = str(CI_WORKER_DIR / "server.sqlite"), CI_WORKER_DIR / "data"
    out = CliRunner().invoke(main, ["tokens", "issue", "--db", db, "--data", str(data)])
    assert out.exit_code == 0, out.output
    logs = tmp_path / "logs"
    logs.mkdir()
    cluster = Cluster(course, db, data, logs, REDIS, "grader-ci")
    cluster.tokens = {line.split(",")[0]: line.split(",")[2] for line in out.output.splitlines()[1:]}
    try:
        cluster.start_server()
        sent = cluster.upload("alice")
        cluster.wait(f"select state from jobs where submission_id = {sent['id']}", [("done",)], timeout=120)
        worker = cluster.rows(f"select worker from jobs where submission_id = {sent['id']}")[0][0]
        assert worker.startswith(f"grader{pid}@"), worker  # graded by the worker CI started, not one of ours
        assert cluster.rows(f"select count(*) from grades where submission_id = {sent['id']}") == [(1,)]
    finally:
        cluster.stop_all()


def test_regrades_wait_behind_live_submissions_and_keep_the_old_grade(cluster: Cluster) -> None:
    from grader.server.db import REGRADE, open_db
    from grader.server.queue import enqueue

    cluster.start_server()
    cluster.start_worker()
    first = [cluster.upload(who) for who in ("alice", "bob", "carol", "alice", "bob")]
    cluster.wait("select count(*) from jobs where state = 'done'", [(5,)])
    hidden = cluster.course / "hidden_tests" / "w01-toy" / "test_toy.py"
    hidden.write_text(hidden.read_text() + "\n# a hidden test changed after the deadline\n")
    sessions = open_db(cluster.db)
    with sessions.begin() as session:  # what an instructor's re-grade does (one job per counted submission)
        for sent in first:
            enqueue(session, sent["id"], REGRADE, cluster.course)
    live = cluster.upload("carol")
    cluster.wait("select count(*) from jobs where state = 'done'", [(11,)])
    started = cluster.rows("select priority, submission_id from jobs where priority = 10 or submission_id = "
                           f"{live['id']} order by started_at, id")
    before_live = started.index((0, live["id"]))
    assert before_live <= 3, started  # at most the re-grades already sent when the student submitted
    keys = cluster.rows("select submission_id, count(distinct grade_key) from grades group by submission_id "
                        "order by submission_id")
    assert keys == [(s["id"], 2) for s in first] + [(live["id"], 1)]  # old and new grade side by side
    sessions.kw["bind"].dispose()


class PrivatePostgres:
    """A PostgreSQL server of this test's own (initdb in a temporary folder), which the test may restart."""

    def __init__(self) -> None:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
        if not found:
            pytest.skip("no PostgreSQL binaries under /usr/lib/postgresql (scripts/setup_services.sh installs them)")
        self.bin = found[-1].parent
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="grader-pg-"))
        self.url = f"postgresql://grader@127.0.0.1:{self.port}/postgres"
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["su", "postgres", "-c", shlex.join(command)]
        subprocess.run(command, check=True, timeout=60, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.folder / "data"), "-U", "grader", "--auth=trust")
        self.start()

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-l", str(self.folder / "log"), "-w", "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def test_postgresql_restarted_mid_burst_loses_nothing_and_grades_once(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    problem = redis_problem(REDIS)
    if problem:
        pytest.skip(problem)
    postgres = PrivatePostgres()
    try:
        postgres.init()
        monkeypatch.setenv("GRADER_COURSE", str(tmp_path / "course"))
        cluster = make_cluster(tmp_path, postgres.url, REDIS)
        try:
            cluster.start_server()
            cluster.start_worker()
            sent = [cluster.upload(who) for who in ("alice", "bob", "carol", "alice")]
            # at least one graded (a grade takes a fraction of a second: all four may be done by the next look)
            cluster.wait("select count(*) >= 1 from jobs where state = 'done'", [(True,)])
            postgres.stop()  # mid-burst: the server, the dispatcher and the worker lose their connections
            time.sleep(3)
            postgres.start()
            sent.append(cluster.upload("bob"))
            cluster.wait("select count(*) from jobs where state = 'done'", [(5,)])
            assert grades_per_submission(cluster) == [(s["id"], 1) for s in sent]
        finally:
            cluster.stop_all()
    finally:
        postgres.remove()
