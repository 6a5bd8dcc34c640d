"""`grader export gradescope EXERCISE`: an autograder.zip that grades with our judge and sandbox on Gradescope.

Gradescope unzips the file into ``/autograder/source``, runs ``setup.sh`` once (as root) to build
its image, then for each submission puts the files in ``/autograder/submission``, runs
``run_autograder`` from ``/autograder`` and reads ``/autograder/results/results.json``. The zip is
instructor-only: it holds the platform's source, the exercise's public files, hidden tests and
reference (the judge needs them; they never enter the sandbox), and never the mutants.
``AUTOGRADER_ROOT`` (default ``/autograder``) lets a test stand in for the real folder.

Run as ``python -m grader.exports.autograder [ROOT]`` by ``run_autograder``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import random
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import grader
from grader.bundle import BundleError, public_files, write_zip
from grader.course import COURSE_FILE, load_course, with_default_limits
from grader.exports.gradescope import VISIBILITIES, gradescope_json
from grader.spec import ExerciseSpec, Limits, course_root, load_exercise
from grader.text import clean

PLATFORM_ROOT = Path(grader.__file__).resolve().parent.parent
PLATFORM_FILES = ("pyproject.toml", "README.md", "cli.py")
PLATFORM_DIRS = ("grader", "templates")
CONFIG = "gradescope.json"

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends bubblewrap python3 python3-venv python3-pip
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "grader needs Python 3.11 or newer: pick a Gradescope base image with Ubuntu 24.04" >&2
  exit 1
fi
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install -q --upgrade pip
/autograder/venv/bin/pip install -q "torch==2.13.*" --index-url https://download.pytorch.org/whl/cpu
/autograder/venv/bin/pip install -q /autograder/source/platform
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission. It always leaves a results.json behind.
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PYTHON="${GRADER_PYTHON:-$ROOT/venv/bin/python}"
export AUTOGRADER_ROOT="$ROOT"
export PYTHONPATH="$ROOT/source/platform"
cd "$ROOT"
exec "$PYTHON" -m grader.exports.autograder "$ROOT"
"""


def platform_entries() -> dict[str, bytes]:
    """The platform's source tree (code, judge config, templates), as ``platform/...``."""
    if not (PLATFORM_ROOT / "pyproject.toml").is_file():
        raise BundleError(f"the grader source tree is not at {PLATFORM_ROOT}; export from a source checkout")
    entries = {f"platform/{name}": (PLATFORM_ROOT / name).read_bytes() for name in PLATFORM_FILES}
    for folder in PLATFORM_DIRS:
        for name, data in public_files(PLATFORM_ROOT / folder).items():
            if not name.endswith(".partial"):
                entries[f"platform/{folder}/{name}"] = data
    return entries


def course_entries(spec: ExerciseSpec) -> dict[str, bytes]:
    """What the judge needs for one exercise: spec and public files, hidden tests, reference (no mutants)."""
    if not spec.hidden_tests_dir.is_dir():
        raise BundleError(f"{spec.id}: no hidden tests in {spec.hidden_tests_dir}")
    entries = {f"course/exercises/{spec.id}/{n}": d for n, d in public_files(spec.exercise_dir).items()}
    entries.update({f"course/hidden_tests/{spec.id}/{n}": d for n, d in public_files(spec.hidden_tests_dir).items()})
    if spec.kind == "code":
        if not spec.reference_file.is_file():
            raise BundleError(f"{spec.id}: no reference solution {spec.reference_file}")
        for name, data in public_files(spec.reference_dir).items():
            if name.split("/")[0] != "mutants":
                entries[f"course/reference/{spec.id}/{name}"] = data
    return entries


def export_gradescope(exercise: str, out: Path, root: Path | None = None, visibility: str = "visible") -> Path:
    """Write the autograder zip to ``out`` (a .zip path) and return it."""
    base = root or course_root()
    spec = load_exercise(exercise, base)
    if (base / COURSE_FILE).is_file():
        spec = with_default_limits(spec, load_course(base).default_limits)
    if visibility not in VISIBILITIES:
        raise BundleError(f"visibility must be one of {', '.join(VISIBILITIES)}")
    config = {"exercise": spec.id, "backend": "local", "visibility": visibility,
              "limits": dataclasses.asdict(spec.limits)}
    entries = {"setup.sh": SETUP_SH.encode(), "run_autograder": RUN_AUTOGRADER.encode(),
               CONFIG: (json.dumps(config, indent=2, sort_keys=True) + "\n").encode()}
    entries.update(platform_entries())
    entries.update(course_entries(spec))
    path = out if out.suffix == ".zip" else out / "autograder.zip"
    write_zip(entries, path, executable=frozenset({"setup.sh", "run_autograder"}))
    return path


def _write_json(data: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(path)


def run_autograder(root: Path) -> dict[str, Any]:
    """Grade ``root/submission`` and write ``root/results/results.json``; never raises."""
    from grader.grading import grade_submission

    results = root / "results" / "results.json"
    started = time.monotonic()
    try:
        source = root / "source"
        config = json.loads((source / CONFIG).read_text(encoding="utf-8"))
        spec = load_exercise(config["exercise"], source / "course")
        spec = dataclasses.replace(spec, limits=Limits(**config["limits"]))
        print(f"grader {grader.__version__} from {PLATFORM_ROOT}; exercise {spec.id}; started "
              f"{dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}", flush=True)
        result = grade_submission(spec, root / "submission", seed=random.SystemRandom().randrange(2**31),
                                  backend=config.get("backend", "local"))
        print(f"status {result.status}, score {result.score:g}/{result.max_score:g}, seed {result.seed}", flush=True)
        for test in result.tests:  # stdout is for instructors only (stdout_visibility hidden)
            print(clean(f"{test.status:6} {test.score:g}/{test.max_score:g} {test.name}\n{test.details[-2000:]}",
                        8000).rstrip())
        for error in result.errors:
            print(f"error: {clean(error, 8000)}")
        data = gradescope_json(result, config.get("visibility", "visible"))
    except Exception:  # any failure still gives Gradescope a results.json and the instructor a traceback
        traceback.print_exc(file=sys.stdout)
        data = {"score": 0.0, "execution_time": round(time.monotonic() - started), "output_format": "text",
                "output": "The autograder failed before grading your submission; your instructor can see why.",
                "stdout_visibility": "hidden", "tests": []}
    _write_json(data, results)
    return data


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0] if args else os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    run_autograder(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
