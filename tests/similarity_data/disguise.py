"""The cheap disguises a copier uses, applied to a solution; writes the labelled set's copies.

    python3 tests/similarity_data/disguise.py      # (re)writes <exercise>/copies/ from <exercise>/independent/

A copy is named ``<original>__<disguise>.<py|ipynb>``; ``<original>`` is the independent solution it
was made from (the label). Also used by bench/similarity.py to make a class of 400.
"""

from __future__ import annotations

import ast
import io
import json
import random
import re
import tokenize
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
EXERCISES = ("w06-iou", "w11-bigram", "w03-param-count")
WORDS = ["val", "acc", "tmp", "res", "item", "buf", "cur", "data", "thing", "arr", "out", "elem", "foo", "bar",
         "q", "z", "w", "nxt", "aux", "total_"]


def notebook(cells: list[str], markdown: list[str] | None = None, outputs: bool = True) -> str:
    """An nbformat v4 notebook: markdown[i] (if any) before code cell i; a fake output on each code cell."""
    items = []
    for index, source in enumerate(cells):
        if markdown and index < len(markdown) and markdown[index]:
            items.append({"cell_type": "markdown", "id": f"md-{index}", "metadata": {}, "source": markdown[index]})
        out = [{"output_type": "stream", "name": "stdout", "text": f"ran cell {index + 1}\n"}] if outputs else []
        items.append({"cell_type": "code", "id": f"code-{index}", "execution_count": index + 1 if outputs else None,
                      "metadata": {}, "outputs": out, "source": source})
    return json.dumps({"cells": items, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                                  "name": "python3"},
                                                   "language_info": {"name": "python"}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


def notebook_cells(text: str) -> list[str]:
    return [c["source"] if isinstance(c["source"], str) else "".join(c["source"])
            for c in json.loads(text)["cells"] if c["cell_type"] == "code"]


def top_level_chunks(code: str) -> tuple[list[str], list[str], list[str]]:
    """(header statements, function/class definitions, trailing statements) as source text."""
    tree = ast.parse(code)
    lines = code.splitlines()
    header, defs, trailer = [], [], []
    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
        text = "\n".join(lines[start:node.end_lineno])
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            defs.append(text)
        elif defs:
            trailer.append(text)
        else:
            header.append(text)
    return header, defs, trailer


def rename(code: str, seed: int = 0) -> str:
    """Rename every local name, helper function and non-API argument (the graded API keeps its names)."""
    tree = ast.parse(code)
    api = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef) and not n.name.startswith("_")}
    api_args = {a.arg for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in api
                for a in n.args.args + n.args.kwonlyargs}
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            targets.add(node.id)
        elif isinstance(node, ast.arg):
            targets.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name not in api:
            targets.add(node.name)
    targets -= api | api_args | {"self", "cls", "_"}
    existing = {t.string for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type == tokenize.NAME}
    rng = random.Random(seed)
    words = WORDS[:]
    rng.shuffle(words)
    mapping, n = {}, 0
    for name in sorted(targets):
        while True:
            candidate = words[n % len(words)] + (str(n // len(words)) if n >= len(words) else "")
            n += 1
            if candidate not in existing:
                break
        mapping[name] = candidate
    out, previous = [], None
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type == tokenize.NAME and tok.string in mapping and not (previous and previous.string == "."):
            tok = tok._replace(string=mapping[tok.string])
        out.append(tok)
        if tok.type not in (tokenize.NL, tokenize.COMMENT):
            previous = tok
    return tokenize.untokenize(out)


def recomment(code: str, seed: int = 0) -> str:
    """Comments and docstrings replaced, indentation halved, blank lines and spacing changed."""
    rng = random.Random(seed)
    tree = ast.parse(code)
    doc_lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and ast.get_docstring(node) is not None:
            first = node.body[0]
            doc_lines.update(range(first.lineno, first.end_lineno + 1))  # type: ignore[operator]
    kept = []
    for number, line in enumerate(code.splitlines(), start=1):
        if number in doc_lines:
            continue
        stripped = re.sub(r"\s+#.*$", "", line) if "#" in line and "'" not in line and '"' not in line else line
        if stripped.lstrip().startswith("#"):
            continue
        indent = len(stripped) - len(stripped.lstrip(" "))
        body = stripped.lstrip(" ")
        body = re.sub(r"(?<=[\w)\]]) ([-+*/]) (?=[\w(\[])", r"\1", body) if rng.random() < 0.5 else body
        new = " " * (indent // 2) + body
        if body.startswith("def ") and rng.random() < 0.8:
            kept.append(" " * (indent // 2) + rng.choice(["# helper", "# my implementation", "# TODO tidy up",
                                                          "# works on the examples", "# see lecture notes"]))
        kept.append(new)
        if body and rng.random() < 0.15:
            kept.append("")
    return "\n".join(kept) + "\n"


def reorder(code: str, seed: int = 0) -> str:
    header, defs, trailer = top_level_chunks(code)
    defs = defs[::-1] if len(defs) > 1 else defs
    return "\n\n\n".join(["\n".join(header), *defs, *trailer]) + "\n"


def split_cells(cells: list[str]) -> str:
    """Every top-level statement in its own cell (and markdown between some)."""
    code = "\n\n\n".join(cells)
    header, defs, trailer = top_level_chunks(code)
    pieces = [*header, *defs, *trailer]
    return notebook(pieces, markdown=["## part" if i % 2 else "" for i in range(len(pieces))])


def merge_cells(cells: list[str]) -> str:
    return notebook(["\n\n".join(cells)], markdown=["# my solution"])


def to_py(cells: list[str]) -> str:
    """What `jupyter nbconvert --to script` writes."""
    parts = ["#!/usr/bin/env python\n# coding: utf-8\n"]
    for index, source in enumerate(cells, start=1):
        parts.append(f"\n# In[{index}]:\n\n\n{source}\n\n")
    return "".join(parts)


PY_DISGUISES = {
    "rename": rename,
    "comments": recomment,
    "reorder": reorder,
    "combo": lambda code, seed=0: reorder(recomment(rename(code, seed), seed), seed),
}
NB_DISGUISES = {"split": split_cells, "merged": merge_cells, "topy": to_py}


def labelled_documents(exercise: str, spec: Any) -> list[Any]:
    """The labelled set of one exercise: the independent solutions (the reference read live from
    reference/, so it never drifts from its mutants), the disguised copies, and the mutants."""
    from grader.similarity import Document, extract_code

    docs = [Document("reference", extract_code(spec.reference_file, spec), str(spec.reference_file))]
    docs += [Document(p.stem, extract_code(p, spec), str(p))
             for folder in ("independent", "copies") for p in sorted((HERE / exercise / folder).iterdir())]
    return docs + [Document(f"mutant:{m.patch.stem}", m.text(), str(m.patch)) for m in spec.mutants()]


def write_copies(exercise: str) -> list[Path]:
    base = HERE / exercise
    copies = base / "copies"
    copies.mkdir(exist_ok=True)
    for old in copies.iterdir():
        old.unlink()
    written = []
    code = (base / "independent" / "ana.py").read_text()
    for name, disguise in PY_DISGUISES.items():
        out = copies / f"ana__{name}.py"
        out.write_text(disguise(code, 1))
        written.append(out)
    cells = notebook_cells((base / "independent" / "dara.ipynb").read_text())
    for name, nb_disguise in NB_DISGUISES.items():
        out = copies / f"dara__{name}.{'py' if name == 'topy' else 'ipynb'}"
        out.write_text(nb_disguise(cells))
        written.append(out)
    for path in written:
        source = path.read_text()
        ast.parse("\n\n".join(notebook_cells(source)) if path.suffix == ".ipynb" else source)
    return written


if __name__ == "__main__":
    for exercise_id in EXERCISES:
        for path in write_copies(exercise_id):
            print(path.relative_to(HERE))
