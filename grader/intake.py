"""Submission intake: a .py file, a notebook, a folder or a .zip becomes one staged, checked folder.

Everything is refused here, before any code runs, with a message that says what is wrong and
how to fix it: wrong names, archive tricks (absolute paths, ``..``, links), oversized files,
names that would shadow modules, broken notebooks. The original is never modified.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import shutil
import stat
import sys
import threading
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from grader.spec import ExerciseSpec

MAX_PY_BYTES = 1 << 20
MAX_NOTEBOOK_BYTES = 20 << 20
MAX_ARCHIVE_BYTES = 50 << 20
MAX_UNPACKED_BYTES = 200 << 20
MAX_FILE_BYTES = 50 << 20
MAX_MEMBERS = 200
MAX_DEPTH = 8
MAX_NAME = 128
MAX_QUIZ_BYTES = 64 << 10

RESERVED_NAMES = {"conftest.py", "pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini", "setup.py",
                  "sitecustomize.py", "usercustomize.py", "protocol.py", "worker.py", "wire.py", "boot.py",
                  "__init__.py"}
SHADOWED_MODULES = set(sys.stdlib_module_names) | {
    "numpy", "torch", "torchvision", "pytest", "_pytest", "pluggy", "skimage", "scipy", "nbformat", "jinja2",
    "click", "grader", "matplotlib", "pandas", "PIL", "sklearn", "docker", "rich", "tqdm", "IPython"}
MAGIC_LINE = re.compile(r"^\s*([%!]|\w+\s*=\s*[%!])")
PYTHON_NEWLINE = re.compile(r"\r\n|\r|\n")  # where Python's tokenizer ends a line; str.splitlines splits at more


class IntakeError(Exception):
    """The submission cannot be accepted; the message tells the student what to change."""


@dataclass
class StagedSubmission:
    directory: Path  # holds spec.submission (and any helper files)
    source_name: str
    sha256: str
    kind: str  # "py" | "ipynb" | "folder" | "zip" | "toml"
    notes: list[str] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    if path.is_dir():
        for item in sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink()):
            digest.update(str(item.relative_to(path)).encode() + b"\0" + item.read_bytes())
    else:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _mib(n: int) -> str:
    return f"{n / (1 << 20):.1f} MiB"


def check_member_name(name: str, expected: str) -> PurePosixPath:
    """Refuse names that escape the folder, are links in disguise, or shadow modules."""
    if not name or len(name) > MAX_NAME * 4:
        raise IntakeError(f"a file name in the submission is empty or too long: {name[:60]!r}")
    if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\0" in name:
        raise IntakeError(f"'{name}' is an absolute or Windows path; zip the folder's contents with relative paths")
    path = PurePosixPath(name)
    if any(part in ("..", ".") for part in path.parts):
        raise IntakeError(f"'{name}' contains '..'; archive members must stay inside the submission folder")
    if len(path.parts) > MAX_DEPTH or any(len(part) > MAX_NAME for part in path.parts):
        raise IntakeError(f"'{name}' is nested too deeply or has a part longer than {MAX_NAME} characters")
    base = path.name
    if base != expected and (base in RESERVED_NAMES or base.endswith(".pth")
                             or (base.endswith(".py") and base[:-3] in SHADOWED_MODULES)):
        raise IntakeError(
            f"'{name}' would shadow a module the grader or Python uses; rename it (for example to my_{base})")
    return path


def notebook_to_module(source: bytes, name: str) -> tuple[str, list[str]]:
    """The code cells of a v4 notebook as one module; magics and shell escapes dropped."""
    import nbformat

    try:
        notebook = nbformat.reads(source.decode("utf-8"), as_version=4)
        nbformat.validate(notebook)
    except UnicodeDecodeError:
        raise IntakeError(f"{name} is not UTF-8 text; save it again from Jupyter") from None
    except (ValueError, AttributeError, KeyError, TypeError, RecursionError, MemoryError,
            nbformat.ValidationError) as exc:
        first = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        raise IntakeError(f"{name} is not a valid Jupyter notebook (nbformat v4): {first}. "
                          "Open it in Jupyter and save it again, or submit a .py file") from None
    if notebook.nbformat != 4:
        raise IntakeError(f"{name} uses nbformat {notebook.nbformat}; save it with a current Jupyter (v4)")
    language = (notebook.metadata.get("kernelspec", {}).get("language")
                or notebook.metadata.get("language_info", {}).get("name") or "python")
    if str(language).lower() != "python":
        raise IntakeError(f"{name} uses a {language} kernel; this exercise needs a Python notebook")
    parts, dropped = [], 0
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        lines = PYTHON_NEWLINE.split(cell.source)  # never str.splitlines(): U+2028 etc. stay inside the line
        if lines and lines[0].lstrip().startswith("%%"):
            dropped += len(lines)
            continue
        kept = []
        for line in lines:
            if MAGIC_LINE.match(line):
                dropped += 1
                kept.append("pass  # dropped by the grader: " + line.strip()[:60].replace("\\", "/"))
            else:
                kept.append(line)
        parts.append(f"# ---- cell {index + 1} ----\n" + "\n".join(kept))
    notes = [f"dropped {dropped} IPython magic/shell line(s)"] if dropped else []
    return "\n\n".join(parts) + "\n", notes


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


_AST_LOCK = threading.Lock()


def check_forbidden_imports(code: str, forbidden: tuple[str, ...], name: str) -> None:
    """Refuse code that imports or uses a forbidden module (the worker also blocks it at run time)."""
    if not forbidden:
        return
    try:
        # one parse at a time: CPython 3.11's ast.parse can raise a spurious SystemError ("AST constructor
        # recursion depth mismatch", gh-106905) when threads parse at once, as the server's uploads do
        with _AST_LOCK:
            tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return  # reported when the worker imports it, with the line
    for node in ast.walk(tree):
        used: list[str] = []
        if isinstance(node, ast.Import):
            used = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            used = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Attribute):
            used = [d for d in [_dotted(node)] if d]
        for module in used:
            for banned in forbidden:
                if module == banned or module.startswith(banned + "."):
                    raise IntakeError(f"{name} line {getattr(node, 'lineno', '?')} uses {banned}, which this "
                                      f"exercise does not allow; implement it yourself")


def _stage_file(source: Path, spec: ExerciseSpec, dest: Path, notes: list[str]) -> None:
    """Place one .py / .ipynb / .toml as the expected submission file."""
    size = source.stat().st_size
    suffix = source.suffix.lower()
    if spec.kind == "quiz":
        if suffix != ".toml":
            raise IntakeError(f"this quiz takes a TOML answers file ({spec.submission}), not {source.name}")
        if size > MAX_QUIZ_BYTES:
            raise IntakeError(f"{source.name} is {_mib(size)}; an answers file must be under 64 KiB")
        shutil.copyfile(source, dest / spec.submission)
        return
    if suffix == ".py":
        if size > MAX_PY_BYTES:
            raise IntakeError(f"{source.name} is {_mib(size)}; .py submissions must be under {_mib(MAX_PY_BYTES)}")
        check_forbidden_imports(source.read_text(encoding="utf-8", errors="replace"), spec.forbidden_imports,
                                source.name)
        shutil.copyfile(source, dest / spec.submission)
    elif suffix == ".ipynb":
        if size > MAX_NOTEBOOK_BYTES:
            raise IntakeError(f"{source.name} is {_mib(size)}; clear its outputs (Kernel > Restart & Clear Output) "
                              f"to get under {_mib(MAX_NOTEBOOK_BYTES)}")
        code, extra = notebook_to_module(source.read_bytes(), source.name)
        check_forbidden_imports(code, spec.forbidden_imports, source.name)
        (dest / spec.submission).write_text(code, encoding="utf-8")
        notes.extend(extra)
    else:
        raise IntakeError(f"{source.name}: submit {spec.submission} (or a notebook, a folder or a .zip holding it)")


def _pick_expected(root: Path, spec: ExerciseSpec, dest: Path, notes: list[str]) -> None:
    """Find the one file with the expected name in an unpacked folder, at any depth, and stage it (with the
    files beside it as helpers). Several candidates are refused: the grader will not guess which one counts."""
    stem = Path(spec.submission).stem
    wanted = [spec.submission] if spec.kind == "quiz" else [spec.submission, f"{stem}.ipynb"]
    found = sorted((p for p in root.rglob("*") if p.is_file() and p.name in wanted),
                   key=lambda p: (len(p.relative_to(root).parts), p.relative_to(root).as_posix()))
    if len(found) > 1:
        listed = ", ".join(p.relative_to(root).as_posix() for p in found[:10])
        raise IntakeError(f"{len(found)} files could be your submission ({listed}); the grader will not guess "
                          f"which one counts: submit one {' or '.join(wanted)} (remove or rename the others)")
    if found:
        chosen = found[0]
        for item in chosen.parent.iterdir():
            if item.is_file() and item != chosen:
                shutil.copyfile(item, dest / item.name)
        _stage_file(chosen, spec, dest, notes)
        return
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())[:10]
    raise IntakeError(f"expected {' or '.join(wanted)} in the submission; found: {', '.join(files) or 'nothing'}. "
                      f"Rename your file to {spec.submission}")


def _copy_folder(source: Path, target: Path, spec: ExerciseSpec) -> None:
    total, count = 0, 0
    for item in sorted(source.rglob("*")):
        relative = item.relative_to(source)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        check_member_name(relative.as_posix(), spec.submission)
        mode = item.lstat().st_mode
        if stat.S_ISLNK(mode):
            raise IntakeError(f"'{relative}' is a symbolic link; submit the file itself")
        if stat.S_ISDIR(mode):
            (target / relative).mkdir(parents=True, exist_ok=True)
            continue
        if not stat.S_ISREG(mode):
            raise IntakeError(f"'{relative}' is not a regular file")
        count, total = count + 1, total + item.stat().st_size
        if count > MAX_MEMBERS or total > MAX_UNPACKED_BYTES or item.stat().st_size > MAX_FILE_BYTES:
            raise IntakeError(f"the folder is too large (at most {MAX_MEMBERS} files, {_mib(MAX_UNPACKED_BYTES)})")
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(item, target / relative)


def _extract_zip(source: Path, target: Path, spec: ExerciseSpec) -> None:
    if source.stat().st_size > MAX_ARCHIVE_BYTES:
        raise IntakeError(f"{source.name} is {_mib(source.stat().st_size)}; archives must be under "
                          f"{_mib(MAX_ARCHIVE_BYTES)}")
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise IntakeError(f"{source.name} is not a readable .zip archive ({exc})") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise IntakeError(f"{source.name} has {len(members)} members; at most {MAX_MEMBERS} are allowed")
        seen: set[str] = set()
        total = 0
        for member in members:
            if member.flag_bits & 0x1:
                raise IntakeError(f"{source.name} is encrypted; submit an unencrypted archive")
            path = check_member_name(member.filename.rstrip("/") or member.filename, spec.submission)
            file_type = stat.S_IFMT(member.external_attr >> 16)
            if file_type == stat.S_IFLNK:
                raise IntakeError(f"'{member.filename}' in {source.name} is a symbolic link; archive real files only")
            if file_type not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise IntakeError(f"'{member.filename}' in {source.name} is not a regular file")
            if path.parts[0] in ("__MACOSX",) or path.name.startswith("._") or path.name == ".DS_Store":
                continue
            key = unicodedata.normalize("NFC", str(path)).casefold()
            if key in seen:
                raise IntakeError(f"'{member.filename}' appears twice in {source.name} (names differ only in case)")
            seen.add(key)
            destination = target.joinpath(*path.parts)
            if member.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with archive.open(member) as reader, destination.open("wb") as writer:
                while block := reader.read(1 << 16):  # count real bytes; header sizes can lie
                    written += len(block)
                    total += len(block)
                    if written > MAX_FILE_BYTES or total > MAX_UNPACKED_BYTES:
                        raise IntakeError(f"{source.name} unpacks to more than {_mib(MAX_UNPACKED_BYTES)} "
                                          f"(or a file over {_mib(MAX_FILE_BYTES)})")
                    writer.write(block)


def symlinked_component(path: Path) -> Path | None:
    """The first component of ``path`` (made absolute, never resolved) that is a symbolic link."""
    absolute = Path(os.path.abspath(path))
    for candidate in [*reversed(absolute.parents), absolute]:
        if candidate.is_symlink():
            return candidate
    return None


def stage_submission(source: Path, spec: ExerciseSpec, dest: Path) -> StagedSubmission:
    """Check ``source`` and stage it in the empty folder ``dest``; raises IntakeError."""
    if not source.exists():
        raise IntakeError(f"{source} does not exist")
    link = symlinked_component(source)
    if link is not None:
        raise IntakeError(f"{source.name}: '{link}' on its path is a symbolic link; submit the file itself "
                          "(paths through links are refused)")
    dest.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    if source.is_dir() or source.suffix.lower() == ".zip":
        kind, unpack = ("folder", _copy_folder) if source.is_dir() else ("zip", _extract_zip)
        unpacked = dest.parent / (dest.name + "-unpacked")
        unpacked.mkdir()
        try:
            unpack(source, unpacked, spec)
            _pick_expected(unpacked, spec, dest, notes)
        finally:
            shutil.rmtree(unpacked, ignore_errors=True)
    else:
        kind = source.suffix.lower().lstrip(".") or "file"
        _stage_file(source, spec, dest, notes)
    return StagedSubmission(dest, source.name, sha256_of(source), kind, notes)


CELL_MARKER = re.compile(r"^# ---- cell (\d+) ----$")


def cell_of_line(module_text: str, line: int) -> tuple[int, int] | None:
    """Where line ``line`` of a module made by ``notebook_to_module`` comes from: (cell number, line in
    that cell), both from 1; None outside any cell."""
    lines = module_text.splitlines()
    for number in range(min(line, len(lines)) - 1, -1, -1):
        match = CELL_MARKER.match(lines[number])
        if match:
            return int(match.group(1)), line - number - 1
    return None


def with_cell_locations(text: str, module_file: str, module_text: str) -> str:
    """``text`` (a traceback, a SyntaxError message) with every "<module_file>, line N" of a converted
    notebook followed by the notebook cell and the line inside it, which is what the student sees."""
    name = re.escape(module_file)

    def locate(match: re.Match[str]) -> str:
        where = cell_of_line(module_text, int(match.group(2)))
        return match.group(0) + (f" [notebook cell {where[0]}, line {where[1]}]" if where else "")

    return re.sub(rf'((?:File "[^"\n]*{name}"|\({name}), line (\d+)\)?)', locate, text)

