"""Issue 11 on the docker backend: the zygote's pool container (its flags, its seccomp profile, the
engine's masks re-applied in each child), a fresh cgroup per submission below the container's, and a
dead zygote replaced, never reused. The isolation between submissions is tests/test_isolation.py's."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest
from test_docker_sandbox import REASON, hostile

from grader.grading import grade_submission
from grader.sandbox import SandboxOptions, docker_zygote
from grader.sandbox import docker_engine as engine
from grader.sandbox.docker_zygote import DockerZygoteSandbox, pool_limits

pytestmark = [pytest.mark.docker, pytest.mark.skipif(REASON is not None, reason=f"no Docker engine: {REASON}")]


@pytest.fixture(autouse=True)
def fresh_pools() -> Iterator[None]:
    docker_zygote.shutdown()
    yield
    docker_zygote.shutdown()
    mine = engine.api().containers(all=True, filters={"label": [f"{engine.LABEL_OWNER}={engine.process_identity()}"]})
    assert mine == []


def test_the_pool_container_has_every_hardening_flag_and_the_user_namespace_profile(spec):
    image = engine.image_info()
    assert image is not None
    pool = docker_zygote.shared(image, spec.limits)
    data = engine.api().inspect_container(pool.container_id)
    host, config = data["HostConfig"], data["Config"]
    assert host["NetworkMode"] == "none" and config["User"] == "65532:65532" and host["CapDrop"] == ["ALL"]
    assert host["SecurityOpt"][0] == "no-new-privileges:true" and host["SecurityOpt"][1].startswith("seccomp=")
    assert '"unshare"' in host["SecurityOpt"][1] and '"keyctl"' not in host["SecurityOpt"][1]
    assert host["ReadonlyRootfs"] and host["Init"] and host["IpcMode"] == "private"
    whole = pool_limits(spec.limits)
    assert host["Memory"] == host["MemorySwap"] == whole.memory_mb << 20 and host["PidsLimit"] == whole.pids
    assert all(b.endswith(":ro") for b in host["Binds"])
    assert not any("hidden_tests" in b or "reference" in b or "docker.sock" in b for b in host["Binds"])
    assert host["MaskedPaths"] == [] and host["ReadonlyPaths"] == []  # re-applied in each child, below


def test_each_child_gets_the_masks_the_engine_gives_a_container(spec, tmp_path):
    default = engine.api().create_container(image=engine.IMAGE, command=["/usr/bin/true"])["Id"]
    try:
        host = engine.api().inspect_container(default)["HostConfig"]
    finally:
        engine.remove(default)
    assert set(host["MaskedPaths"]) == set(docker_zygote.MASKED_PATHS)
    assert set(host["ReadonlyPaths"]) == set(docker_zygote.READONLY_PATHS)
    source = hostile(tmp_path, spec, '''
import os
def _peek(path):
    try:
        with open(path, "rb") as handle:
            return f"{len(handle.read(4096))}B"
    except OSError as exc:
        return type(exc).__name__
def _write(path):
    try:
        with open(path, "w") as handle:
            handle.write("1")
        return "written"
    except OSError as exc:
        return type(exc).__name__
print("MASKED", _peek("/proc/sched_debug"), _peek("/proc/timer_list"), _peek("/proc/kcore"),
      sorted(os.listdir("/sys/firmware")))
print("READONLY", _write("/proc/sys/kernel/hostname"), _write("/proc/sysrq-trigger"))
''')
    result = grade_submission(spec, source, seed=3, backend="docker")
    printed = result.tests[0].program_output
    masked = printed.split("MASKED ", 1)[1].split("\n", 1)[0].split()
    assert all(word in ("0B", "FileNotFoundError") for word in masked[:3]) and masked[3] == "[]", printed
    written = printed.split("READONLY ", 1)[1].split("\n", 1)[0].split()
    assert "written" not in written, printed  # a missing file (this kernel) or a refused write
    assert result.score == result.max_score and result.sandbox is not None
    assert result.sandbox.details[0].startswith("isolation mode: zygote #")


def test_each_submission_gets_its_own_cgroup_below_the_pool_container_and_it_is_removed(spec, tmp_path):
    image = engine.image_info()
    assert image is not None
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "multiply_by_2.py").write_text(spec.reference_file.read_text())
    first = DockerZygoteSandbox(tmp_path / "sub", spec.limits, SandboxOptions())
    second = DockerZygoteSandbox(tmp_path / "sub", spec.limits, SandboxOptions())
    try:
        assert first.pool is second.pool and first.cgroup is not None and second.cgroup is not None
        view = first.pool.view
        assert view is not None
        memory_dir = first.cgroup.memory_dir
        assert memory_dir.parent == view.dirs["memory"] and first.cgroup.pids_dir.parent == view.dirs["pids"]
        assert memory_dir != second.cgroup.memory_dir
        assert (memory_dir / "memory.limit_in_bytes").read_text().strip() == str(spec.limits.memory_mb << 20)
        assert (first.cgroup.pids_dir / "pids.max").read_text().strip() == str(spec.limits.pids)
        result = first.run([image.python, "-c", "import os; print(open('/proc/self/cgroup').read())"], 30)
        assert result.exit_code == 0, result
        assert first.cgroup.pids_in() == []  # the child was killed and removed with its namespace
    finally:
        first.close()
        second.close()
    assert not memory_dir.exists()


def test_a_dead_zygote_is_replaced_not_reused(spec, tmp_path):
    image = engine.image_info()
    assert image is not None
    pool = docker_zygote.shared(image, spec.limits)
    before = pool.container_id
    os.kill(pool.host_pid, signal.SIGKILL)
    source = tmp_path / "multiply_by_2.py"
    source.write_text(spec.reference_file.read_text())
    result = grade_submission(spec, source, seed=3, backend="docker")
    assert result.score == result.max_score
    after = docker_zygote.shared(image, spec.limits)
    assert after is not pool and after.container_id != before


@pytest.mark.parametrize("isolation", ["zygote", "container"])
def test_grade_records_the_isolation_mode_it_was_asked_for(tmp_path, isolation):
    import json
    import subprocess
    import sys

    from test_docker_sandbox import REPO

    source = tmp_path / "multiply_by_2.py"
    source.write_text((REPO / "reference" / "w01-multiply-by-2" / "multiply_by_2.py").read_text())
    done = subprocess.run([sys.executable, str(REPO / "cli.py"), "grade", "w01-multiply-by-2", str(source), "--out",
                           str(tmp_path / "out"), "--sandbox", "docker", "--isolation", isolation, "--jobs", "1",
                           "--seed", "3"], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(next((tmp_path / "out").glob("*/results.json")).read_text())
    assert result["score"] == result["max_score"]
    assert any(d.startswith(f"isolation mode: {isolation}") for d in result["sandbox"]["details"]), result["sandbox"]


def test_a_forked_process_never_uses_or_stops_its_parents_pool(spec):
    image = engine.image_info()
    assert image is not None
    parent = docker_zygote.shared(image, spec.limits)
    child = os.fork()
    if child == 0:  # a judge process forked by a multiprocessing pool after the parent used the backend
        code = 1
        try:
            docker_zygote.shutdown()  # what its exit handlers run: must not stop the parent's pool
            mine = docker_zygote.shared(image, spec.limits)
            code = 0 if mine is not parent and mine.container_id != parent.container_id else 2
            docker_zygote.shutdown()
        finally:
            os._exit(code)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert parent.alive() and docker_zygote.shared(image, spec.limits) is parent
