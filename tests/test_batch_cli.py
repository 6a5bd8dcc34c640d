"""`grader grade` as a user runs it: Ctrl-C keeps finished results and nothing half-written,
re-running skips what is done; `grader doctor` reports what the machine offers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
EXERCISE = "w01-multiply-by-2"
SLOW = "def create_dataset(n):\n    import time\n    time.sleep(2)\n    return [(x, 2 * x) for x in range(n)]\n"


def backend() -> str:
    from grader.sandbox import resolve_backend

    return resolve_backend("auto")


def test_ctrl_c_keeps_finished_results_marks_nothing_half_done_and_a_rerun_finishes(tmp_path):
    reference = (REPO / "reference" / EXERCISE / "multiply_by_2.py").read_text()
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["a", "b", "c", "d"]
    for name in names:
        (folder / f"{name}.py").write_text(reference + ("\n\n" + SLOW if name != "a" else ""))
    out = tmp_path / "out"
    command = [sys.executable, str(REPO / "cli.py"), "grade", EXERCISE, *[str(folder / f"{n}.py") for n in names],
               "-o", str(out), "-j", "1", "--seed", "3", "--sandbox", backend()]
    env = {**os.environ, "GRADER_COURSE": str(REPO), "COLUMNS": "120"}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 240
    while not (out / "a" / "results.json").exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 130, output
    assert "INTERRUPTED" in output
    finished = [n for n in names if (out / n / "results.json").exists()]
    assert "a" in finished and len(finished) < len(names), output
    for name in finished:
        data = json.loads((out / name / "results.json").read_text())
        assert data["score"] == 10 and (out / name / "report.html").is_file()
    assert not list(out.rglob("*.json.partial"))
    _assert_no_leftovers()

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert f"{len(finished)} already graded" in rerun.stderr
    assert all(json.loads((out / n / "results.json").read_text())["score"] == 10 for n in names)
    assert "mean score 10.00" in rerun.stdout and "wall time" in rerun.stdout
    _assert_no_leftovers()


def _assert_no_leftovers() -> None:
    from grader.sandbox.local import JOBS_ROOT

    stale = []
    for job in JOBS_ROOT.glob("job-*") if JOBS_ROOT.is_dir() else []:
        try:
            os.kill(int((job / "owner").read_text()), 0)
        except (OSError, ValueError):
            stale.append(job.name)
    assert stale == []
    if shutil.which("docker") and backend() == "docker":
        from grader.sandbox import docker_engine as engine

        left = [c["Names"] for c in engine.api().containers(all=True, filters={"label": [engine.LABEL_JOB]})
                if not engine.identity_alive(c["Labels"].get(engine.LABEL_OWNER, ""))]
        assert left == []


def test_doctor_reports_engine_image_namespaces_cgroups_bubblewrap_and_levels():
    from cli import main

    result = CliRunner().invoke(main, ["doctor"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for words in ("Docker engine", "worker image", "user namespaces", "cgroups", "bubblewrap", "docker", "local",
                  "--sandbox auto picks:"):
        assert words in result.output
    assert "L3" in result.output or "L2" in result.output or "L0" in result.output
