"""The code that was graded, kept next to results.json so TAs can read it beside the verdicts.

Grading stages a submission in a temporary folder that is removed afterwards; ``keep_submission``
copies what the tests ran (the staged module) into ``<result folder>/submission/`` and, for a notebook,
the notebook as handed in (``notebook.ipynb``, never rendered: its outputs may hold anything). Each
file is capped at ``MAX_KEPT`` bytes; a ``sha256`` file names the submission the copy belongs to, so a
page never shows code from an older submission beside a newer result.

``read_kept`` and ``code_blocks`` turn the copy into numbered lines (a converted notebook as its code
cells, outputs dropped); ``traceback_parts`` splits a traceback so that every
``File "/submission/<module>.py", line N`` can link to line N. Everything here is plain text: pages
escape it (Jinja autoescape) after ``grader.text.clean``.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from grader.intake import CELL_MARKER, cell_of_line

KEPT_DIR = "submission"
MAX_KEPT = 1 << 20  # bytes per kept file
NOTEBOOK = "notebook.ipynb"
KEPT_EXTRA = ("sha256", "NOTES.txt", NOTEBOOK)
FRAME = re.compile(r'File "/submission/(?P<file>[^"\n]+)", line (?P<line>\d+)')


def keep_submission(staged: Path, module: str, source: Path, sha256: str, dest: Path) -> None:
    """Copy the staged ``module`` (and the original notebook) into ``dest``, replacing an older copy."""
    if dest.is_symlink() or dest.is_file():
        dest.unlink()
    elif dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    notes = []
    files = [(staged / module, dest / Path(module).name)]
    if source.is_file() and source.suffix.lower() == ".ipynb":
        files.append((source, dest / NOTEBOOK))
    for origin, target in files:
        if not origin.is_file() or origin.is_symlink():
            continue
        size = origin.stat().st_size
        if size > MAX_KEPT:
            notes.append(f"{target.name} not kept: {size} bytes (the limit is {MAX_KEPT})")
            continue
        shutil.copyfile(origin, target)
    (dest / "sha256").write_text(sha256 + "\n", encoding="utf-8")
    if notes:
        (dest / "NOTES.txt").write_text("\n".join(notes) + "\n", encoding="utf-8")


@dataclass
class Line:
    number: int  # in the module (the anchor, what tracebacks name)
    shown: int  # what the page shows: the module line, or the line inside its notebook cell
    text: str
    hits: list[str] = field(default_factory=list)  # failing tests whose traceback points here

    @property
    def anchor(self) -> str:
        return f"L{self.number}"


@dataclass
class Block:
    cell: int | None  # the notebook cell number, None for a .py file
    lines: list[Line]


@dataclass
class KeptCode:
    module: str  # file name of the graded module
    blocks: list[Block]
    notebook: bool
    notes: str = ""

    def line(self, number: int) -> Line | None:
        for block in self.blocks:
            for line in block.lines:
                if line.number == number:
                    return line
        return None


def read_kept(folder: Path, sha256: str) -> KeptCode | None:
    """The kept copy in ``folder/submission`` if it belongs to the submission with ``sha256``, else None."""
    kept = folder / KEPT_DIR
    try:
        if not sha256 or (kept / "sha256").read_text(encoding="utf-8").strip() != sha256:
            return None
        notes = (kept / "NOTES.txt").read_text(encoding="utf-8")[:2000] if (kept / "NOTES.txt").is_file() else ""
        names = sorted(p.name for p in kept.iterdir() if p.name not in KEPT_EXTRA)
        name = names[0] if len(names) == 1 else ""
        if not name:
            return KeptCode("", [], False, notes or "the graded file was not kept")
        path = kept / name
        if path.is_symlink() or not path.is_file():
            return KeptCode(name, [], False, notes or "the graded file was not kept")
        if path.stat().st_size > MAX_KEPT:
            return KeptCode(name, [], False, "the graded file is too large to show")
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    notebook = bool(CELL_MARKER.match(text.split("\n", 1)[0]))
    return KeptCode(name, code_blocks(text, notebook), notebook, notes)


def code_blocks(text: str, notebook: bool) -> list[Block]:
    """Numbered lines; a converted notebook as one block per code cell (the marker lines not shown)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not notebook:
        return [Block(None, [Line(i, i, t) for i, t in enumerate(lines, start=1)])]
    blocks: list[Block] = []
    for number, line in enumerate(lines, start=1):
        match = CELL_MARKER.match(line)
        if match:
            blocks.append(Block(int(match.group(1)), []))
        elif blocks:
            where = cell_of_line(text, number)
            blocks[-1].lines.append(Line(number, where[1] if where else number, line))
    for block in blocks:  # notebook_to_module separates cells with one blank line
        if block.lines and block.lines[-1].text == "" and block is not blocks[-1]:
            block.lines.pop()
    return blocks


def frames(text: str, module: str) -> list[int]:
    """The lines of ``module`` a traceback names, in order (the deepest frame last)."""
    name = Path(module).name
    return [int(m.group("line")) for m in FRAME.finditer(text) if m.group("file") == name]


def traceback_parts(text: str, module: str) -> list[tuple[str, str]]:
    """``text`` as (piece, anchor) pairs: anchor ``L<n>`` for a frame in ``module``, else ''."""
    name = Path(module).name
    parts: list[tuple[str, str]] = []
    at = 0
    for match in FRAME.finditer(text):
        if match.group("file") != name:
            continue
        parts.append((text[at:match.start()], ""))
        parts.append((match.group(0), f"L{match.group('line')}"))
        at = match.end()
    parts.append((text[at:], ""))
    return [p for p in parts if p[0]]
