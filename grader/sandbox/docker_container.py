"""One worker container: created with the flags of docker_engine, running boot.py, serving one
worker generation at a time (see boot.py and docker_stream.py).

The host-side folder of a container holds three read-only bind mounts: ``submission`` (a copy of
the one submission it serves), ``worker`` (worker.py, protocol.py, boot.py) and ``control`` (the
next generation's nonce and argv). Killing a generation happens from outside: every process in the
container's cgroup except docker-init and boot gets SIGKILL through a pidfd, and the container
itself is killed when that does not work or the host cannot see its processes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from grader.sandbox import docker_engine as engine
from grader.sandbox.base import JOBS_ROOT, SandboxProcess, stage_worker_files
from grader.sandbox.docker_stream import SYNC, Generation, Router, SocketWriter, reader
from grader.spec import Limits


class ContainerFailed(RuntimeError):
    """The engine refused to create or start a worker container."""


class WorkerContainer:
    """A started container running boot.py, bound to one host folder; see the module docstring."""

    def __init__(self, image: engine.ImageInfo, limits: Limits, preload: tuple[str, ...]) -> None:
        self.image, self.limits, self.preload = image, limits, preload
        self.job = f"job-{uuid.uuid4().hex[:12]}"
        JOBS_ROOT.mkdir(mode=0o700, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix=f"{self.job}-", dir=JOBS_ROOT))
        (self.dir / "owner").write_text(str(os.getpid()))
        for name in ("submission", "control"):
            (self.dir / name).mkdir(mode=0o755)
            (self.dir / name).chmod(0o755)
        stage_worker_files(self.dir / "worker")
        (self.dir / "worker").chmod(0o755)
        (self.dir / "worker").chmod(0o555)
        self.id: str | None = None
        self.sock: socket.socket | None = None
        self.router: Router | None = None
        self.view: engine.CgroupView | None = None
        self.init_pid = self.boot_pid = 0
        self.generation: Generation | None = None
        self.generations = 0  # started so far; >0 means boot has answered before
        self.submissions = 0  # submissions loaded so far (one: a container serves one submission)
        self.stdin_lock = threading.Lock()
        self.turn = threading.RLock()  # a kill finishes before the next generation may start
        self.pids_base = 0
        self._limit_killed: Generation | None = None
        self.error: str | None = None
        self._starter: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------------------
    def start_async(self) -> WorkerContainer:
        """Create and start in a thread, so the judge keeps working while the container boots."""
        self._starter = threading.Thread(target=self._start_quietly, daemon=True, name="docker-start")
        self._starter.start()
        return self

    def _start_quietly(self) -> None:
        try:
            self.start()
        except Exception as exc:  # noqa: BLE001 - reported by ready()
            self.error = f"{type(exc).__name__}: {exc}"

    def ready(self) -> None:
        if self._starter is not None:
            self._starter.join()
            self._starter = None
        if self.error:
            raise ContainerFailed(f"the worker container could not start: {self.error}")

    def start(self) -> None:
        command = [self.image.python, "-I", "-B", "/worker/boot.py", "--preload", ",".join(self.preload)]
        binds = {str(self.dir / "submission"): "/submission", str(self.dir / "worker"): "/worker",
                 str(self.dir / "control"): "/control"}
        config = engine.container_config(self.image, command, self.limits, engine.labels_for(self.job), binds,
                                         stdin=True)
        client = engine.api()
        self.id = client.create_container(name=f"grader-{self.job}", use_config_proxy=False, **config)["Id"]
        attached = client.attach_socket(self.id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
        self.sock = getattr(attached, "_sock", attached)
        self._attached = attached  # keeps the HTTP response (and so the socket) alive
        self.router = Router(self.sock, self._limits_ok)
        self.router.start()
        client.start(self.id)
        self.init_pid = int(client.inspect_container(self.id)["State"]["Pid"])
        self.view = engine.CgroupView.attach(self.id, self.init_pid)
        if self.view is not None:
            self.boot_pid = self._find_boot()
            if not self.boot_pid:
                self.view = None

    def _find_boot(self) -> int:
        """docker-init's one child, found before any submission code can have started."""
        for _ in range(500):
            try:
                children = Path(f"/proc/{self.init_pid}/task/{self.init_pid}/children").read_text().split()
            except OSError:
                return 0
            if children:
                return int(children[0])
            time.sleep(0.002)
        return 0

    @property
    def alive(self) -> bool:
        return self.id is not None and self.router is not None and not self.router.closed.is_set()

    def remove(self) -> None:
        """Kill and remove the container and its folder."""
        try:
            if self._starter is not None:
                self._starter.join()
            if self.id is not None:
                engine.remove(self.id)
        finally:
            if self.sock is not None:
                try:
                    self.sock.close()
                except OSError:
                    pass
            shutil.rmtree(self.dir, ignore_errors=True)

    # --- submissions and generations ---------------------------------------------------------------
    def load_submission(self, source: Path) -> None:
        """Put one submission's files in /submission (only regular files and folders are copied)."""
        copy_submission(source, self.dir / "submission")
        self.submissions += 1
        if self.view is not None:
            self.view.reset_peak()

    def spawn(self, argv: list[str]) -> DockerProcess:
        """Start a generation running ``argv`` (the worker runs in boot's warm interpreter)."""
        assert self.sock is not None and self.router is not None
        with self.turn:
            return self._spawn(argv)

    def _spawn(self, argv: list[str]) -> DockerProcess:
        assert self.sock is not None and self.router is not None
        self.kill_generation()
        mode = "worker" if argv[1:4] == ["-I", "-B", "/worker/worker.py"] else "exec"
        generation = Generation()
        self.router.expect(generation)
        control = self.dir / "control"
        partial = control / "generation.json.partial"
        partial.write_text(json.dumps({"nonce": generation.nonce.decode(), "argv": argv, "mode": mode}))
        partial.chmod(0o444)
        partial.replace(control / "generation.json")
        self.pids_base = self.view.pids_max_hits() if self.view else 0
        self.generation = generation
        self._signal_boot(signal.SIGCONT)  # a submission may have stopped boot: undo that
        try:
            with self.stdin_lock:
                self.sock.sendall(SYNC + generation.nonce + b"\n")
        except OSError:
            generation.finish()
        self.generations += 1
        return DockerProcess(self, generation)

    def _signal_boot(self, sig: signal.Signals) -> None:
        if not self.boot_pid or self.view is None:
            return
        try:
            fd = os.pidfd_open(self.boot_pid)
        except OSError:
            return
        try:
            signal.pidfd_send_signal(fd, sig)
        except OSError:
            pass
        finally:
            os.close(fd)

    def kill_generation(self, generation: Generation | None = None) -> None:
        """Kill every process of the current generation from outside; the container survives if it can."""
        with self.turn:
            current = self.generation
            if current is None or (generation is not None and generation is not current):
                return
            self.generation = None
            self._kill(current)

    def _kill(self, current: Generation) -> None:
        # Before boot's SYNC arrives the worker may not be forked yet, so only the container can go.
        if self.alive and not (self.view and current.synced.is_set()
                               and engine.wait_gone(self.view, {self.init_pid, self.boot_pid}, 3.0)):
            self.kill_container()
        current.finish()

    def kill_container(self) -> None:
        """`docker kill`: the whole container, from outside (it is removed automatically)."""
        if self.id is None:
            return
        try:
            engine.api().kill(self.id, "SIGKILL")
        except Exception:  # noqa: BLE001 - already dead or gone
            pass
        if self.router is not None:
            self.router.closed.wait(5)

    def _limits_ok(self) -> bool:
        """Called before a reply is forwarded: after a process-limit hit nothing more of this generation
        reaches the judge (the kernel counted the failed fork before any reply about it was written),
        and the generation is killed."""
        if self.view is None or self.view.pids_max_hits() <= self.pids_base:
            return True
        generation = self.generation
        if generation is not None and self._limit_killed is not generation:
            self._limit_killed = generation
            threading.Thread(target=self.kill_generation, args=(generation,), daemon=True).start()
        return False

    def wait_synced(self, generation: Generation, timeout: float) -> bool:
        """Whether boot answered the generation's SYNC (it refuses if it was tampered with)."""
        generation.synced.wait(timeout)
        return generation.synced.is_set() and not generation.ended.is_set() and self.alive

    def usage(self) -> dict[str, Any]:
        view = self.view
        return {"oom": view.oom_kills() if view else 0, "pids": view.pids_max_hits() if view else 0,
                "peak": view.peak_memory_bytes() if view else None}


def copy_submission(source: Path, target: Path) -> None:
    """Replace ``target``'s content by a world-readable copy of ``source`` (regular files and folders
    only). The folder itself stays: it is bind-mounted, and a new inode would not be seen."""
    target.mkdir(mode=0o755, exist_ok=True)
    target.chmod(0o755)
    for entry in list(target.iterdir()):
        shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_symlink():
            continue
        if path.is_dir():
            (target / relative).mkdir(mode=0o755, exist_ok=True)
        elif path.is_file():
            shutil.copyfile(path, target / relative)
            (target / relative).chmod(0o444)


class DockerProcess(SandboxProcess):
    """One generation as the judge sees it: pipes plus poll() and kill()."""

    def __init__(self, container: WorkerContainer, generation: Generation) -> None:
        assert container.sock is not None
        self.container, self.generation = container, generation
        self.stdin = SocketWriter(container.sock, container.stdin_lock, generation)  # type: ignore[assignment]
        self.stdout = reader(generation.out_r)
        self.stderr = reader(generation.err_r)

    def poll(self) -> int | None:
        return self.generation.exit_code

    def kill(self) -> None:
        self.container.kill_generation(self.generation)
        self.generation.finish()
        self.stdin.close()
