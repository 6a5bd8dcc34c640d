"""`grader similarity`: which submissions of one exercise share code beyond the starter (TA only).

The library is grader.similarity; this only picks the threshold, runs it and writes the pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader.similarity import DEFAULT_THRESHOLD, analyse, boilerplate_texts, find_documents
from grader.similarity.page import write_pages
from grader.similarity.site import FOLDER
from grader.spec import load_exercise


@dataclass
class SimilaritySummary:
    out: Path
    layout: str
    documents: int
    pairs: int
    above: int
    threshold: float
    top: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def run_similarity(exercise: str, path: Path, out: Path | None = None, *, threshold: float | None = None,
                   csv_path: Path | None = None, sources: Path | None = None) -> SimilaritySummary:
    """Compare every submission of EXERCISE under PATH; raises SimilarityError or SpecError."""
    spec = load_exercise(exercise)
    chosen = threshold if threshold is not None else (spec.similarity_threshold or DEFAULT_THRESHOLD)
    found = find_documents(spec, path, sources)
    analysis = analyse(found.documents, boilerplate_texts(spec))
    # a results tree keeps its pages beside the results, where `grader report` finds and links them
    target = out or (path / FOLDER / spec.id if found.layout == "results" else Path(FOLDER) / spec.id)
    rows = write_pages(analysis, target, exercise=spec.id, title=spec.title, threshold=chosen,
                       source=str(path), csv_path=csv_path, problems=found.problems)
    top = [f"{100 * r.pair.score:5.1f}%  {r.pair.a} ↔ {r.pair.b}" + ("  (mostly common code)"
                                                                      if r.pair.mostly_common else "")
           for r in rows[:10]]
    return SimilaritySummary(target, found.layout, len(found.documents), len(analysis.pairs),
                             sum(p.score >= chosen for p in analysis.pairs), chosen, top, found.problems)


def summary_text(summary: SimilaritySummary) -> str:
    lines = [f"{summary.documents} submissions ({summary.layout}), {summary.pairs} pairs; "
             f"{summary.above} at or above {summary.threshold:.2f}", *summary.top]
    lines += [f"problem: {p}" for p in summary.problems]
    lines.append(f"TA-only pages: {summary.out / 'index.html'}")
    return "\n".join(lines)
