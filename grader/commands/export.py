"""`grader export grades RESULTS --out DIR`: gradebook.csv, canvas.csv and one Gradescope
results.json per submission, all with TA overrides applied."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from grader.commands.gradescope import gradescope_json
from grader.gradebook import build_rows, canvas_csv, collect_results, write_gradebook
from grader.overrides import applied
from grader.report import write_text
from grader.site.collect import collect, slug

FORMATS = ("gradebook", "canvas", "gradescope")


@dataclass
class ExportSummary:
    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def export_grades(results: Path, out: Path, formats: tuple[str, ...] = FORMATS) -> ExportSummary:
    summary = ExportSummary()
    entries, problems = collect_results(results)
    summary.problems.extend(problems)
    if "gradebook" in formats:
        rows, columns = build_rows(entries)
        write_gradebook(rows, columns, out / "gradebook.csv")
        summary.written.append(out / "gradebook.csv")
    if "canvas" in formats:
        write_text(out / "canvas.csv", canvas_csv(entries, sorted({e.exercise for e in entries})))
        summary.written.append(out / "canvas.csv")
    if "gradescope" in formats:
        for sub in collect(results).submissions.values():
            result = applied(sub.result, sub.adjusted)
            data = gradescope_json(result)
            if sub.adjusted.late_penalty:
                data["score"] = round(sub.adjusted.total, 4)
                data["output"] = (f"{sub.result.late_days} day(s) late: -{sub.adjusted.late_penalty:g} point(s).\n"
                                  + str(data.get("output", ""))).strip()
            path = out / "gradescope" / slug(sub.exercise) / slug(sub.student) / "results.json"
            write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
            summary.written.append(path)
    return summary
