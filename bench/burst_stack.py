"""The processes of one burst run: a private Redis and PostgreSQL cluster, `grader serve`, `grader worker`s.

The benchmark restarts Redis and PostgreSQL on purpose, so it never touches the machine's shared ones
(other work uses :6379 and the `main` cluster): it runs its own redis-server (port 6399, RDB in the run
folder, saved on a clean shutdown like Debian's default) and its own cluster `15/burst` (port 5439, trust
on loopback: a benchmark, not a deployment), created on first use with pg_createcluster.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from grader.server.client import wait_healthy

REPO = Path(__file__).resolve().parent.parent
PG_VERSION, PG_CLUSTER, PG_PORT, REDIS_PORT = "15", "burst", 5439, 6399


def use_slot(slot: int) -> str:
    """Slot k > 0: cluster burst<k> on 5439 + k and Redis on 6399 + k, so two runs never share (or restart)
    each other's services. Returns the broker URL."""
    global PG_CLUSTER, PG_PORT, REDIS_PORT
    if slot:
        PG_CLUSTER, PG_PORT, REDIS_PORT = f"burst{slot}", 5439 + slot, 6399 + slot
    return f"redis://127.0.0.1:{REDIS_PORT}/0"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port} after {timeout:g} s")


def pg(command: str) -> None:
    subprocess.run(["pg_ctlcluster", PG_VERSION, PG_CLUSTER, command], check=True, capture_output=True)


def fresh_database(name: str) -> str:
    """An empty database in the private cluster (created, and started, if needed); returns its URL."""
    listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout
    if not any(line.split()[:2] == [PG_VERSION, PG_CLUSTER] for line in listed.splitlines()):
        subprocess.run(["pg_createcluster", PG_VERSION, PG_CLUSTER, "-p", str(PG_PORT), "--", "--auth-local=trust",
                        "--auth-host=trust"], check=True, capture_output=True)
    if "online" not in subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout.split(
            f"{PG_CLUSTER} ", 1)[-1].split("\n", 1)[0]:
        pg("start")
    wait_port(PG_PORT)
    admin = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{PG_PORT}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:{PG_PORT}/{name}"


@dataclass
class Stack:
    """``db`` is a path (SQLite) or a URL; ``broker`` None means the embedded pool in `grader serve`."""
    course: Path
    run: Path
    db: str
    broker: str | None = None
    workers: int = 2
    sandbox: str = "local"
    url: str = ""
    server: subprocess.Popen[bytes] | None = None
    worker_procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    redis: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.env = {**os.environ, "GRADER_COURSE": str(self.course), "PYTHONUNBUFFERED": "1"}
        self.data = self.run / "data"

    def cli(self, *args: str, log: str | None = None) -> subprocess.Popen[bytes]:
        out = (self.run / log).open("ab") if log else subprocess.DEVNULL
        return subprocess.Popen([sys.executable, str(REPO / "cli.py"), *args], cwd=self.course, env=self.env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def tokens(self) -> dict[str, str]:
        done = subprocess.run([sys.executable, str(REPO / "cli.py"), "tokens", "issue", "--db", self.db, "--data",
                               str(self.data)], cwd=self.course, env=self.env, capture_output=True, text=True,
                              check=True)
        return {line.split(",")[0]: line.split(",")[2] for line in done.stdout.splitlines()[1:]}

    # -- Redis --------------------------------------------------------------------------------------
    def start_redis(self) -> None:
        try:
            socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=1).close()
            raise RuntimeError(f"something already listens on {REDIS_PORT} (a run left behind?): stop it first")
        except OSError:
            pass
        self.redis = subprocess.Popen(["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1",
                                       "--dir", str(self.run), "--save", "3600 1", "--appendonly", "no"],
                                      stdout=(self.run / "redis.log").open("ab"), stderr=subprocess.STDOUT)
        wait_port(REDIS_PORT)

    def restart_redis(self) -> None:
        assert self.redis is not None
        self.redis.send_signal(signal.SIGTERM)  # a clean shutdown saves the RDB, as `systemctl restart` does
        self.redis.wait(timeout=60)
        self.start_redis()

    def redis_info(self) -> dict[str, int]:
        import redis

        info: dict[str, Any] = redis.Redis(port=REDIS_PORT).info("all")
        return {"commands": int(info["total_commands_processed"]), "net_in": int(info["total_net_input_bytes"]),
                "net_out": int(info["total_net_output_bytes"])}

    # -- the server and the workers -----------------------------------------------------------------
    def start_server(self) -> None:
        port = self.url.rsplit(":", 1)[1] if self.url else str(free_port())
        self.url = f"http://127.0.0.1:{port}"
        args = ["serve", "--port", port, "--db", self.db, "--data", str(self.data), "--sandbox", self.sandbox]
        args += ["--broker", self.broker] if self.broker else ["--workers", str(self.workers)]
        self.server = self.cli(*args, log="server.log")
        if wait_healthy(self.url, 90):
            return
        raise RuntimeError("the server did not start: " + (self.run / "server.log").read_text()[-3000:])

    def start_workers(self) -> None:
        if self.broker is None:
            return
        self.worker_procs = [self.worker(index) for index in range(self.workers)]

    def worker(self, index: int) -> subprocess.Popen[bytes]:
        assert self.broker is not None
        return self.cli("worker", "--broker", self.broker, "--db", self.db, "--data", str(self.data),
                        "--sandbox", self.sandbox, "--concurrency", "1", log=f"worker{index}.log")

    def kill_server(self) -> None:
        if self.server is not None and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGKILL)  # the server and its judges, as a crash would
            self.server.wait(timeout=30)

    def grading_pids(self) -> list[int]:
        """What to kill to stop a job mid-way: with Celery, each `grader worker` whose process tree has a
        sandbox running (the whole worker dies, as with a host crash); embedded, each busy judge process."""
        def busy(pid: int) -> bool:
            return any("bwrap" in cmdline(c) or "docker" in cmdline(c) for c in children(pid))
        if self.broker:
            return [w.pid for w in self.worker_procs if w.poll() is None and busy(w.pid)]
        if self.server is None:
            return []
        return [c for c in children(self.server.pid) if "spawn_main" in cmdline(c) and busy(c)]

    def kill_grading(self, pid: int) -> None:
        if self.broker:
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        for process in [self.server, *self.worker_procs]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        if self.redis is not None and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(timeout=30)


def children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):  # every thread's children (a judge starts bwrap from one)
        try:
            kids += [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            pass
    return kids + [g for k in kids for g in children(k)]


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
