"""The TA-only similarity pages and the CSV of all pairs.

OUT/index.html lists the pairs at or above the threshold; OUT/pair-NNN.html shows one pair side by
side with the matching regions marked; OUT/pairs.csv (or --csv FILE) has every pair. Student code
is untrusted text: autoescaped and cleaned like every other page, under the site's CSP (no script).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from grader.exports.cells import csv_cell
from grader.files import write_text
from grader.similarity.engine import Analysis, Document, Pair
from grader.site.render import render

MAX_PAGES = 200  # side-by-side pages written at most (the best pairs)
CSV_COLUMNS = ["rank", "a", "b", "score", "share_a", "share_b", "shared_tokens", "common_fraction", "mostly_common",
               "above_threshold", "page"]


@dataclass
class Segment:
    text: str
    matched: bool


@dataclass
class Row:
    rank: int
    pair: Pair
    page: str


def segments(code: str, slices: list[tuple[int, int]]) -> list[Segment]:
    """The code cut into unmatched and matched runs (overlapping slices merged)."""
    out, position = [], 0
    for start, end in sorted(slices):
        start, end = max(start, position), min(end, len(code))
        if end <= start:
            continue
        if start > position:
            out.append(Segment(code[position:start], False))
        out.append(Segment(code[start:end], True))
        position = end
    if position < len(code):
        out.append(Segment(code[position:], False))
    return out


def pairs_csv(analysis: Analysis, threshold: float, pages: dict[int, str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for rank, p in enumerate(analysis.pairs, start=1):
        writer.writerow([rank, csv_cell(p.a), csv_cell(p.b), f"{p.score:.4f}", f"{p.share_a:.4f}", f"{p.share_b:.4f}",
                         p.shared_tokens, f"{p.common:.4f}", int(p.mostly_common), int(p.score >= threshold),
                         pages.get(rank, "")])
    return buffer.getvalue()


def write_pages(analysis: Analysis, out: Path, *, exercise: str, title: str, threshold: float, source: str,
                csv_path: Path | None = None, problems: list[str] | None = None) -> list[Row]:
    """Write index.html, one page per pair above the threshold (the best MAX_PAGES) and the CSV."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("pair-*.html"):
        old.unlink()
    documents: dict[str, Document] = {d.name: d for d in analysis.documents}
    above = [p for p in analysis.pairs if p.score >= threshold]
    rows: list[Row] = []
    for rank, pair in enumerate(above[:MAX_PAGES], start=1):
        page = f"pair-{rank:03d}.html"
        a, b = documents[pair.a], documents[pair.b]
        write_text(out / page, render("similarity_pair.html", root="", nav=None, review=None, exercise=exercise,
                                      title=title, rank=rank, pair=pair, a=a, b=b,
                                      left=segments(a.code, pair.slices_a), right=segments(b.code, pair.slices_b)))
        rows.append(Row(rank, pair, page))
    csv_text = pairs_csv(analysis, threshold, {r.rank: r.page for r in rows})
    csv_file = csv_path or out / "pairs.csv"
    write_text(csv_file, csv_text)
    write_text(out / "index.html", render(
        "similarity.html", root="", nav=None, review=None, exercise=exercise, title=title, rows=rows,
        above=len(above), total=len(analysis.pairs), documents=len(analysis.documents), threshold=threshold,
        common_min=analysis.common_min, source=source, problems=problems or [], max_pages=MAX_PAGES,
        csv_name=csv_file.name if csv_file.parent == out else "",
        built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
    return rows
