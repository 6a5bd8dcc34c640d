"""Mutants: realistic wrong solutions, stored as small patches against their reference.

A mutant is ``reference/<id>/mutants/<mistake>.patch``, a unified diff of the reference file with one
realistic mistake, its first line a ``# <what the mistake is>`` comment. Storing the change instead of
a copy means a fix to the reference reaches every mutant, and a reviewer sees only the mistake.
``validate`` materialises each patch into a temporary file and grades it like a submission. A patch
whose context no longer matches the reference fails loudly (``MutantError``): the reference changed
where the mistake is, so re-make that mutant (``grader mutants pack`` turns edited copies into patches).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
CONTEXT_LINES = 2


class MutantError(ValueError):
    """A patch that does not apply to its reference; the message says which and where."""


@dataclass(frozen=True)
class Mutant:
    name: str  # file name of the materialised mutant, e.g. "iou_no_clamp.py"
    patch: Path
    reference: Path

    def text(self) -> str:
        return apply_patch(self.reference.read_text(encoding="utf-8"), self.patch.read_text(encoding="utf-8"),
                           where=str(self.patch))


def make_patch(reference_text: str, mutant_text: str, reference_name: str, about: str = "") -> str:
    """The patch that turns the reference into the mutant (``about``: a one-line description)."""
    diff = difflib.unified_diff(reference_text.splitlines(keepends=True), mutant_text.splitlines(keepends=True),
                                f"a/{reference_name}", f"b/{reference_name}", n=CONTEXT_LINES)
    body = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff)
    if not body:
        raise MutantError("the mutant is identical to the reference")
    header = f"# {about.strip()}\n" if about.strip() else ""
    return header + body


def apply_patch(original: str, patch: str, where: str = "patch") -> str:
    """Apply a unified diff made by ``make_patch``; every context and removed line must match exactly."""
    lines = original.splitlines(keepends=True)
    out: list[str] = []
    position = 0  # next unread line of the original
    previous_tag = " "
    patch_lines = patch.splitlines(keepends=True)
    i = 0
    while i < len(patch_lines):
        match = HUNK.match(patch_lines[i])
        i += 1
        if not match:
            continue
        start = int(match.group(1)) - (0 if match.group(2) == "0" else 1)
        if start < position:
            raise MutantError(f"{where}: overlapping hunks")
        out += lines[position:start]
        position = start
        while i < len(patch_lines) and not HUNK.match(patch_lines[i]):
            line = patch_lines[i]
            i += 1
            tag, text = line[:1], line[1:]
            if tag == "\\":  # "\ No newline at end of file": the previous line had none
                if out and out[-1].endswith("\n") and previous_tag in "+ ":
                    out[-1] = out[-1][:-1]
                continue
            previous_tag = tag
            if tag in " -":
                have = lines[position] if position < len(lines) else ""
                if have.rstrip("\n") != text.rstrip("\n"):
                    raise MutantError(f"{where}: line {position + 1} of the reference is {have.rstrip()!r}, the "
                                      f"patch expects {text.rstrip()!r}; the reference changed: re-make this mutant")
                position += 1
                if tag == " ":
                    out.append(have)
            elif tag == "+":
                out.append(text)
    return "".join(out + lines[position:])


def mutants_of(reference_dir: Path, reference_file: Path) -> list[Mutant]:
    folder = reference_dir / "mutants"
    return [Mutant(p.stem + reference_file.suffix, p, reference_file) for p in sorted(folder.glob("*.patch"))]


def materialise(mutants: list[Mutant], into: Path) -> list[Path]:
    """Write each mutant as a file in ``into`` (created); returns the paths, in order."""
    into.mkdir(parents=True, exist_ok=True)
    paths = []
    for mutant in mutants:
        path = into / mutant.name
        path.write_text(mutant.text(), encoding="utf-8")
        paths.append(path)
    return paths


def pack(reference_dir: Path, reference_file: Path) -> list[Path]:
    """Turn every full-copy mutant (``mutants/*<suffix>``) into a patch and remove the copy; a copy's first
    docstring line or comment becomes the patch's description. Returns the patches written."""
    written = []
    reference = reference_file.read_text(encoding="utf-8")
    for copy in sorted((reference_dir / "mutants").glob(f"*{reference_file.suffix}")):
        text = with_docstring_of(reference, copy.read_text(encoding="utf-8"))  # the mistake only, not the prose
        patch = copy.with_suffix(".patch")
        about = describe(copy.read_text(encoding="utf-8"))
        patch.write_text(make_patch(reference, text, reference_file.name, about), encoding="utf-8")
        if apply_patch(reference, patch.read_text(encoding="utf-8"), str(patch)) != text:  # never lose a mistake
            patch.unlink()
            raise MutantError(f"{copy}: the patch does not reproduce the file")
        copy.unlink()
        written.append(patch)
    return written


def with_docstring_of(reference: str, mutant: str) -> str:
    """``mutant`` with its module docstring replaced by the reference's (the patch header describes it)."""
    ours, theirs = _docstring_span(reference), _docstring_span(mutant)
    if ours is None or theirs is None:
        return mutant
    return mutant[:theirs[0]] + reference[ours[0]:ours[1]] + mutant[theirs[1]:]


def _docstring_span(text: str) -> tuple[int, int] | None:
    """Character offsets of a leading module docstring, or None."""
    import ast

    try:
        body = ast.parse(text).body
    except SyntaxError:
        return None
    if not body or not isinstance(body[0], ast.Expr) or not isinstance(body[0].value, ast.Constant) \
            or not isinstance(body[0].value.value, str):
        return None
    lines = text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[:body[0].lineno - 1]) + body[0].col_offset
    end_line = body[0].end_lineno or body[0].lineno
    end = sum(len(line) for line in lines[:end_line - 1]) + (body[0].end_col_offset or 0)
    return start, end


def describe(text: str) -> str:
    """The first line of a mutant's module docstring or leading comment."""
    stripped = text.lstrip()
    for quote in ('"""', "'''"):
        if stripped.startswith(quote):
            return stripped[3:].split("\n", 1)[0].strip().rstrip(quote).strip()
    first = stripped.split("\n", 1)[0]
    return first.lstrip("#").strip() if first.startswith("#") else ""
