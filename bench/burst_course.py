"""A fresh course folder for the deadline burst: one assignment (w06-iou) due tomorrow, a roster of n
students, and one notebook per student built from the examples and the exercise's mutants.

Per block of 40 students (as bench/grade_batch.py builds its 40), spread out: 6 wrong (mutants), a crash at import,
an infinite loop on one path, an `os._exit(0)` at import pretending to pass, an off-by-one (carol), the
example notebook (bob); then two the intake must refuse (a `torchvision` import, a notebook that is not
JSON); the rest correct. Every file differs (the student's id is in it), as real submissions do.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from grader.spec import load_exercise  # noqa: E402

EXERCISE = "w06-iou"
EXAMPLES = REPO / "examples" / "submissions" / EXERCISE
LOOP = ("_nms = nms\n\n\ndef nms(boxes, scores, iou_threshold):\n    if len(boxes) == 0:\n"
        "        while True:\n            pass\n    return _nms(boxes, scores, iou_threshold)\n")
REFUSED = ("refused_torchvision", "refused_not_json")


@dataclass(frozen=True)
class Student:
    id: str
    kind: str   # correct | wrong_<mutant> | crash_at_import | ... | refused_*
    path: Path  # the notebook this student submits

    @property
    def refused(self) -> bool:
        return self.kind in REFUSED


def notebook(chunks: list[str], student: str) -> str:
    """A v4 notebook: a markdown title, then one code cell per chunk."""
    def cell(kind: str, text: str, index: int) -> dict[str, object]:
        lines = text.splitlines(keepends=True)
        base: dict[str, object] = {"cell_type": kind, "id": f"{student}-{index}", "metadata": {}, "source": lines}
        return {**base, "execution_count": None, "outputs": []} if kind == "code" else base
    cells = [cell("markdown", f"# {EXERCISE}: IoU and NMS ({student})", 0)]
    cells += [cell("code", chunk.strip("\n"), i + 1) for i, chunk in enumerate(chunks) if chunk.strip()]
    meta = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"}}
    return json.dumps({"cells": cells, "metadata": meta, "nbformat": 4, "nbformat_minor": 5}, indent=1)


def sources(reference: str) -> list[tuple[str, str]]:
    """The non-correct kinds of one block of 40, as (kind, python source)."""
    spec = load_exercise(EXERCISE, REPO)
    out = [(f"wrong_{m.patch.stem}", m.text()) for m in spec.mutants()[:6]]
    out.append(("crash_at_import", "raise RuntimeError('half-finished homework')\n" + reference))
    out.append(("infinite_loop", reference + "\n\n" + LOOP))
    out.append(("exit_at_import", (EXAMPLES / "eve_exit_at_import.py").read_text()))
    out.append(("plus_one_pixel", (EXAMPLES / "carol_plus_one_pixel.py").read_text()))
    out.append(("example_notebook", ""))
    out.append(("refused_torchvision", (EXAMPLES / "dave_uses_torchvision.py").read_text()))
    out.append(("refused_not_json", ""))
    return out


def build(folder: Path, n: int, due_in: dt.timedelta = dt.timedelta(days=1)) -> tuple[Path, list[Student]]:
    """The course folder (course.toml, roster, the exercise) and the n students' notebooks."""
    shutil.rmtree(folder, ignore_errors=True)
    course = folder / "course"
    for part in ("exercises", "reference", "hidden_tests"):
        shutil.copytree(REPO / part / EXERCISE, course / part / EXERCISE,
                        ignore=shutil.ignore_patterns("__pycache__"))
    due = (dt.datetime.now(dt.UTC) + due_in).replace(microsecond=0).isoformat()
    (course / "course.toml").write_text(
        '[course]\nname = "Deadline burst"\nroster = "roster.csv"\n\n[defaults]\n'
        'late = { per_day = 0.10, cap = 0.50 }\nlimits = { memory_mb = 2048 }\n\n'
        f'[assignments.a6]\ntitle = "Week 6"\nexercises = ["{EXERCISE}"]\ndue = {due}\n')
    ids = [f"s{i:04d}" for i in range(1, n + 1)]
    with (course / "roster.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name"])
        writer.writerows([i, f"Student {i}"] for i in ids)
    reference = load_exercise(EXERCISE, REPO).reference_file.read_text()
    special = sources(reference)
    students = []
    for index, student in enumerate(ids):
        slot = index % 40  # the special kinds at slots 3, 6, ..., 33 of each block of 40
        special_slot = slot % 3 == 0 and 0 < slot // 3 <= len(special)
        kind, text = special[slot // 3 - 1] if special_slot else ("correct", reference)
        path = folder / "submissions" / student / "detection.ipynb"
        path.parent.mkdir(parents=True)
        if kind == "example_notebook":
            data = json.loads((EXAMPLES / "bob_notebook.ipynb").read_text())
            data["cells"].insert(0, {"cell_type": "markdown", "id": student, "metadata": {}, "source": [student]})
            path.write_text(json.dumps(data, indent=1))
        elif kind == "refused_not_json":
            path.write_text('{"cells": [ {"cell_type": "code", "source": "import torch' + student)
        else:
            path.write_text(notebook([f"# {student}", *text.split("\n\n\n")], student))
        students.append(Student(student, kind, path))
    return course, students
