"""`grader similarity` on the labelled set (precision at the top 5 pairs) and on a class of 400.

    python3 bench/similarity.py                 # labelled set of the three exercises + a class of 400 (w11-bigram)
    python3 bench/similarity.py --n 400 --exercise w06-iou

Labelled set (tests/similarity_data/<exercise>/): independent solutions, disguised copies named
<original>__<disguise>, and the exercise's mutants. A pair is a true copy when both sides come from
the same original (an independent solution and its copies, or the reference and its mutants).

Class of N: every synthetic student takes each graded function (with its helpers) from a randomly
chosen independent solution, then renames, recomments and reorders with its own seed; then 10 of
them are replaced by a disguised copy of another one (the planted copies). Students who drew the same
solution for every function also hand in the same code under different disguises (with five
solutions per function some always do): both kinds are the pairs the check must put first, and
P@5 and R-precision count both; the worst rank of a planted copy is shown too.
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "similarity_data"))

from disguise import EXERCISES, PY_DISGUISES, labelled_documents, notebook_cells, top_level_chunks  # noqa: E402

from grader.similarity import analyse, boilerplate_texts, find_documents  # noqa: E402
from grader.similarity.page import write_pages  # noqa: E402
from grader.spec import load_exercise  # noqa: E402

DATA = REPO / "tests" / "similarity_data"
DISGUISES = ("rename", "comments", "reorder", "combo", "split", "merged", "topy")


def origin(name: str) -> str:
    return "reference" if name.startswith("mutant:") else name.split("__")[0]


def labelled(exercise: str) -> dict[str, object]:
    spec = load_exercise(exercise, REPO)
    docs = labelled_documents(exercise, spec)
    started = time.perf_counter()
    analysis = analyse(docs, boilerplate_texts(spec))
    seconds = time.perf_counter() - started
    truth = [origin(p.a) == origin(p.b) for p in analysis.pairs]
    independent = {"reference"} | {p.stem for p in (DATA / exercise / "independent").iterdir()}
    copies = [p.stem for p in (DATA / exercise / "copies").iterdir()]
    by_pair = {frozenset((p.a, p.b)): p.score for p in analysis.pairs}
    worst_copy = min(by_pair[frozenset((origin(c), c))] for c in copies)
    best_independent = max(by_pair[frozenset(pair)] for pair in combinations(independent, 2))
    positives = sum(truth)
    return {"exercise": exercise, "documents": len(docs), "pairs": len(analysis.pairs), "positives": positives,
            "p@5": sum(truth[:5]) / 5, "r-precision": sum(truth[:positives]) / positives,
            "worst_copy": worst_copy, "best_independent": best_independent,
            "worst_mutant": min(by_pair[frozenset(("reference", d.name))] for d in docs
                                if d.name.startswith("mutant:")),
            "top5": [(p.a, p.b, p.score) for p in analysis.pairs[:5]], "seconds": seconds,
            "copies": {c.split("__")[1]: by_pair[frozenset((origin(c), c))] for c in copies},
            "independent": sorted(by_pair[frozenset(pair)] for pair in combinations(independent, 2))[::-1]}


def solution_sources(exercise: str) -> dict[str, str]:
    folder = DATA / exercise / "independent"
    sources = {p.stem: ("\n\n\n".join(notebook_cells(p.read_text())) if p.suffix == ".ipynb" else p.read_text())
               for p in sorted(folder.iterdir())}
    return {"reference": load_exercise(exercise, REPO).reference_file.read_text(), **sources}


def synthetic_class(exercise: str, n: int, seed: int, folder: Path) -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    """Write n students' .py files; returns the planted copy pairs and the pairs with identical draws."""
    spec = load_exercise(exercise, REPO)
    api = [node.name for node in ast.parse(spec.starter_file.read_text()).body if isinstance(node, ast.FunctionDef)]
    parts: dict[str, tuple[list[str], dict[str, str], list[str]]] = {}
    for name, code in solution_sources(exercise).items():
        header, defs, _ = top_level_chunks(code)
        named = {ast.parse(d).body[0].name: d for d in defs}  # type: ignore[attr-defined]
        helpers = [d for key, d in named.items() if key not in api]
        parts[name] = (header, named, helpers)
    rng = random.Random(seed)
    bases = sorted(parts)
    draws: list[tuple[str, ...]] = []
    students: list[str] = []
    for i in range(n):
        draw = tuple(rng.choice(bases) for _ in api)
        draws.append(draw)
        header = list(dict.fromkeys(line for base in set(draw) for line in parts[base][0]))
        defs = [d for base in sorted(set(draw)) for d in parts[base][2]]
        defs += [parts[base][1][function] for base, function in zip(draw, api, strict=True)
                 if function in parts[base][1]]
        code = "\n".join(header) + "\n\n\n" + "\n\n\n".join(defs) + "\n"
        for name in rng.sample(["rename", "comments", "reorder"], k=rng.randint(1, 3)):
            code = PY_DISGUISES[name](code, i)
        students.append(code)
    planted: set[frozenset[str]] = set()
    victims = rng.sample(range(n), 20)
    for source, copier in zip(victims[:10], victims[10:], strict=True):
        students[copier] = PY_DISGUISES["combo"](students[source], 1000 + copier)
        draws[copier] = draws[source]
        planted.add(frozenset((f"s{source:03d}", f"s{copier:03d}")))
    for i, code in enumerate(students):
        (folder / f"s{i:03d}.py").write_text(code)
    identical = {frozenset((f"s{a:03d}", f"s{b:03d}")) for a, b in combinations(range(n), 2)
                 if draws[a] == draws[b]} - planted
    return planted, identical


def big_class(exercise: str, n: int, seed: int) -> dict[str, object]:
    spec = load_exercise(exercise, REPO)
    with tempfile.TemporaryDirectory(prefix="similarity-bench-") as tmp:
        folder = Path(tmp) / "class"
        folder.mkdir()
        planted, identical = synthetic_class(exercise, n, seed, folder)
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        found = find_documents(spec, folder)
        t1 = time.perf_counter()
        cpu = time.process_time()
        analysis = analyse(found.documents, boilerplate_texts(spec))
        cpu = time.process_time() - cpu
        t2 = time.perf_counter()
        write_pages(analysis, Path(tmp) / "out", exercise=spec.id, title=spec.title, threshold=0.5,
                    source=str(folder))
        t3 = time.perf_counter()
    same = planted | identical  # the same code under disguises: what the check must put first
    hits = [frozenset((p.a, p.b)) in same for p in analysis.pairs]
    planted_ranks = [i + 1 for i, p in enumerate(analysis.pairs) if frozenset((p.a, p.b)) in planted]
    return {"exercise": exercise, "n": len(found.documents), "pairs": len(analysis.pairs), "planted": len(planted),
            "identical_draws": len(identical), "p@5": sum(hits[:5]) / 5,
            "r-precision": sum(hits[:len(same)]) / len(same),
            "worst_planted_rank": max(planted_ranks), "intake_s": t1 - t0, "analyse_s": t2 - t1, "analyse_cpu_s": cpu,
            "pages_s": t3 - t2, "total_s": t3 - t0, "load": load, "above": sum(p.score >= 0.5 for p in analysis.pairs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--exercise", default="w11-bigram")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    print("## Labelled set\n")
    print("| exercise | submissions | pairs | true pairs | P@5 | R-precision | worst copy | best independent pair "
          "| worst mutant | time (s) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    tops, copies = [], []
    for exercise in EXERCISES:
        r = labelled(exercise)
        print(f"| {exercise} | {r['documents']} | {r['pairs']} | {r['positives']} | {r['p@5']:.2f} "
              f"| {r['r-precision']:.2f} | {r['worst_copy']:.3f} | {r['best_independent']:.3f} "
              f"| {r['worst_mutant']:.3f} | {r['seconds']:.2f} |")
        tops.append((exercise, r["top5"]))
        copies.append((exercise, r))
    print("\n| exercise | " + " | ".join(DISGUISES) + " | independent pairs, best first |")
    print("|---|" + "---:|" * len(DISGUISES) + "---|")
    for exercise, r in copies:
        print(f"| {exercise} | " + " | ".join(f"{r['copies'][d]:.3f}" for d in DISGUISES)  # type: ignore[index]
              + " | " + ", ".join(f"{v:.2f}" for v in r["independent"]) + " |")  # type: ignore[attr-defined]
    print()
    for exercise, top in tops:
        print(f"* {exercise} top 5: " + "; ".join(f"{a} / {b} {s:.2f}" for a, b, s in top))  # type: ignore[attr-defined]
    if args.n <= 0:
        return
    r = big_class(args.exercise, args.n, args.seed)
    print(f"\n## A class of {r['n']} ({r['exercise']})\n")
    print("| submissions | pairs | planted copies | identical draws | P@5 | R-precision | worst planted rank "
          "| pairs >= 0.5 | intake (s) | fingerprint + compare (s wall / CPU) | pages + CSV (s) | total (s) | load |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {r['n']} | {r['pairs']} | {r['planted']} | {r['identical_draws']} | {r['p@5']:.2f} "
          f"| {r['r-precision']:.2f} | {r['worst_planted_rank']} | {r['above']} | {r['intake_s']:.1f} "
          f"| {r['analyse_s']:.1f} / {r['analyse_cpu_s']:.1f} | {r['pages_s']:.1f} | {r['total_s']:.1f} "
          f"| {r['load']:.1f} |")


if __name__ == "__main__":
    main()
