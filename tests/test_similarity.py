"""`grader similarity`: the labelled set (independent solutions, disguised copies, mutants), the
layouts it reads (inbox, results tree, folder), starter subtraction, and the TA-only pages."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import sys
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from cli import main
from grader.inbox import submit
from grader.intake import sha256_of
from grader.results import Result
from grader.similarity import Document, analyse, boilerplate_texts, extract_code, find_documents
from grader.similarity.page import write_pages
from grader.spec import SpecError, load_exercise, load_spec

DATA = Path(__file__).parent / "similarity_data"
sys.path.insert(0, str(DATA))
from disguise import EXERCISES, labelled_documents, notebook, notebook_cells, write_copies  # noqa: E402


def labelled(exercise: str) -> tuple[list[Document], object]:
    spec = load_exercise(exercise, REPO)
    docs = labelled_documents(exercise, spec)
    return docs, analyse(docs, boilerplate_texts(spec))


@pytest.mark.parametrize("exercise", EXERCISES)
def test_every_disguised_copy_ranks_above_every_pair_of_independent_solutions(exercise):
    docs, analysis = labelled(exercise)
    independent = {"reference"} | {p.stem for p in (DATA / exercise / "independent").iterdir()}
    assert len(independent) >= 5  # four written apart in different styles, plus the reference
    scores = {(p.a, p.b): p.score for p in analysis.pairs} | {(p.b, p.a): p.score for p in analysis.pairs}
    copies = {p.stem for p in (DATA / exercise / "copies").iterdir()}
    assert {c.split("__")[1] for c in copies} == {"rename", "comments", "reorder", "combo", "split", "merged", "topy"}
    worst_copy = min(scores[(c.split("__")[0], c)] for c in copies)
    best_independent = max(scores[pair] for pair in combinations(sorted(independent), 2))
    assert worst_copy > best_independent, (worst_copy, best_independent)
    assert worst_copy >= 0.85 and best_independent < 0.35
    mutants = [d.name for d in docs if d.name.startswith("mutant:")]
    assert min(scores[("reference", m)] for m in mutants) > max(0.6, best_independent)


def test_the_committed_copies_are_what_the_disguises_make(tmp_path, monkeypatch):
    """The labelled set on disk is reproducible from independent/ (python3 tests/similarity_data/disguise.py)."""
    for exercise in EXERCISES:
        committed = {p.name: p.read_text() for p in (DATA / exercise / "copies").iterdir()}
        copy = tmp_path / exercise
        shutil.copytree(DATA / exercise / "independent", copy / "independent")
        monkeypatch.setattr("disguise.HERE", tmp_path)
        made = {p.name: p.read_text() for p in write_copies(exercise)}
        assert made == committed


def test_notebook_outputs_and_markdown_are_ignored_and_match_the_py(tmp_path):
    spec = load_exercise("w06-iou", REPO)
    ana = (DATA / "w06-iou" / "independent" / "ana.py").read_text()
    ben = (DATA / "w06-iou" / "independent" / "ben.py").read_text()
    huge = "shared output and notes: " + "x = tensor([[0.1429]]) " * 200
    for name, code in (("ana", ana), ("ben", ben)):
        nb = json.loads(notebook([code], markdown=[huge]))
        nb["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": huge}]
        (tmp_path / f"{name}.ipynb").write_text(json.dumps(nb))
    (tmp_path / "ana_copy.py").write_text(ana)
    docs = [Document(p.stem, extract_code(p, spec)) for p in sorted(tmp_path.iterdir())]
    scores = {(p.a, p.b): p.score for p in analyse(docs, boilerplate_texts(spec)).pairs}
    assert scores[("ana", "ana_copy")] == pytest.approx(1.0)
    assert scores[("ana", "ben")] < 0.2  # same outputs and markdown, different code


def test_starter_code_and_statement_snippets_are_not_counted(tmp_path):
    spec = load_exercise("w03-param-count", REPO)
    starter = spec.starter_file.read_text()
    snippet = "total = 0\nfor parameter in model.parameters():\n    total += parameter.numel()\n"
    answer = snippet.replace("\n", "\n    ").strip() + "\n    return total"
    mine = starter.replace("raise NotImplementedError  # TODO", answer, 1)
    docs = [Document("untouched", starter), Document("other_untouched", starter), Document("mine", mine),
            Document("yours", (DATA / "w03-param-count" / "independent" / "ana.py").read_text() + "\n" + starter)]
    analysis = analyse(docs, boilerplate_texts(spec))
    assert all(p.score == 0 for p in analysis.pairs), [(p.a, p.b, p.score) for p in analysis.pairs if p.score]
    without = analyse([Document(d.name, d.code) for d in docs], [])
    assert max(p.score for p in without.pairs) == pytest.approx(1.0)  # the starter alone would match fully


def test_a_pair_that_shares_mostly_common_code_is_marked(tmp_path):
    spec = load_exercise("w06-iou", REPO)
    helper = (DATA / "w06-iou" / "independent" / "ben.py").read_text().split("def box_iou")[0]
    own = [f"def box_iou(a, b):\n    return torch.zeros(len(a), len(b)) + {i}\n" for i in range(6)]
    docs = [Document(f"s{i}", helper + code) for i, code in enumerate(own)]
    docs.append(Document("ana", (DATA / "w06-iou" / "independent" / "ana.py").read_text()))
    docs.append(Document("ana_copy", (DATA / "w06-iou" / "copies" / "ana__rename.py").read_text()))
    analysis = analyse(docs, boilerplate_texts(spec))
    marked = {(p.a, p.b) for p in analysis.pairs if p.score > 0.5 and p.mostly_common}
    assert len(marked) == 15  # every pair of the six sharing the helper many hold
    copy = next(p for p in analysis.pairs if {p.a, p.b} == {"ana", "ana_copy"})
    assert copy.score > 0.9 and not copy.mostly_common
    write_pages(analysis, tmp_path, exercise="w06-iou", title="t", threshold=0.5, source="class")
    pages = {p.name: p.read_text() for p in tmp_path.glob("pair-*.html")}
    flagged = [name for name, text in pages.items() if "code that many submissions of the class share" in text]
    assert len(pages) == 16 and len(flagged) == 15
    assert (tmp_path / "index.html").read_text().count("mostly code many submissions share (") == 15


def make_course(root: Path) -> Path:
    for part in ("exercises", "reference", "hidden_tests"):
        shutil.copytree(REPO / part / "w06-iou", root / part / "w06-iou")
    (root / "course.toml").write_text('[course]\nname = "t"\nroster = "roster.csv"\n\n[assignments.a6]\n'
                                      'title = "IoU"\nexercises = ["w06-iou"]\ndue = 2099-01-01T00:00:00Z\n')
    (root / "roster.csv").write_text("id,name\nalice,A\nbob,B\ncarol,C\ndave,D\n")
    return root


@pytest.fixture
def inbox(tmp_path, monkeypatch):
    """alice and bob (a notebook of alice's code, renamed) copied; carol and dave did their own."""
    course = make_course(tmp_path / "course")
    monkeypatch.setenv("GRADER_COURSE", str(course))
    box = tmp_path / "inbox"
    box.mkdir()
    independent, copies = DATA / "w06-iou" / "independent", DATA / "w06-iou" / "copies"
    when = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    submit("w06-iou", independent / "chen.py", "alice", box, now=when, run_tests=False)  # superseded by her next one
    submit("w06-iou", independent / "ana.py", "alice", box, now=when + dt.timedelta(hours=1), run_tests=False)
    bob = tmp_path / "bob.ipynb"
    bob.write_text(notebook(notebook_cells(notebook([(copies / "ana__rename.py").read_text()]))))
    submit("w06-iou", bob, "bob", box, now=when, run_tests=False)
    submit("w06-iou", independent / "chen.py", "carol", box, now=when, run_tests=False)
    submit("w06-iou", independent / "ben.py", "dave", box, now=when, run_tests=False)
    return box


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["similarity", *args])
    return result.exit_code, result.output


def test_cli_over_an_inbox_compares_each_students_latest_and_writes_pages_and_csv(inbox, tmp_path):
    out = tmp_path / "sim"
    code, output = run("w06-iou", str(inbox), "--out", str(out))
    assert code == 0, output
    assert "4 submissions (inbox)" in output and "1 at or above 0.50" in output
    rows = list(csv.DictReader((out / "pairs.csv").open()))
    assert len(rows) == 6
    assert {rows[0]["a"], rows[0]["b"]} == {"alice", "bob"} and float(rows[0]["score"]) > 0.9
    assert rows[0]["page"] == "pair-001.html" and all(not r["page"] for r in rows[1:])
    assert not any({r["a"], r["b"]} == {"alice", "carol"} and float(r["score"]) > 0.5 for r in rows)
    index = (out / "index.html").read_text()
    assert 'href="pair-001.html"' in index and "TA only" in index
    pair = (out / "pair-001.html").read_text()
    assert pair.count('<mark class="match">') >= 2 and "bob" in pair


def test_a_results_tree_needs_the_sources_and_matches_them_by_sha256(inbox, tmp_path):
    results = tmp_path / "results"
    for student in ("alice", "bob", "carol", "dave"):
        entry = sorted((inbox / "w06-iou" / student).iterdir())[-1]
        manifest = json.loads((entry / "manifest.json").read_text())
        Result("w06-iou", "IoU", manifest["source_name"], manifest["sha256"], 1, 5.0, 11.0, "graded",
               student=student).write(results / "w06-iou" / student / "results.json")
    # a hand-made inbox entry whose manifest points outside its folder is never read
    secret = tmp_path / "secret.py"
    secret.write_text("TOKEN = 'do-not-show'\n" + (DATA / "w06-iou" / "independent" / "ana.py").read_text())
    forged = inbox / "w06-iou" / "mallory" / "20300101T000000000000Z-forged"
    forged.mkdir(parents=True)
    digest = sha256_of(secret)
    (forged / "manifest.json").write_text(json.dumps({
        "student": "mallory", "exercise": "w06-iou", "assignment": "a6", "file": "../../../../secret.py",
        "source_name": "detection.py", "sha256": digest, "submitted_at": "2030-01-01T00:00:00+00:00",
        "grader_version": "0", "kind": "py"}))
    Result("w06-iou", "IoU", "detection.py", digest, 1, 5.0, 11.0, "graded",
           student="mallory").write(results / "w06-iou" / "mallory" / "results.json")
    code, output = run("w06-iou", str(results), "--out", str(tmp_path / "sim"))
    assert code == 2 and "cannot be recovered" in output and "--sources" in output
    code, output = run("w06-iou", str(results), "--sources", str(inbox), "--out", str(tmp_path / "sim"),
                       "--csv", str(tmp_path / "all.csv"))
    assert code == 0, output
    assert "4 submissions (results)" in output and "alice ↔ bob" in output
    assert "mallory: no file in" in output
    assert not any("do-not-show" in page.read_text() for page in (tmp_path / "sim").iterdir())
    assert (tmp_path / "all.csv").is_file() and not (tmp_path / "sim" / "pairs.csv").exists()


def test_hostile_names_and_code_stay_inert_on_the_page_and_in_the_csv(tmp_path):
    spec = load_exercise("w06-iou", REPO)
    code = (DATA / "w06-iou" / "independent" / "ana.py").read_text()
    hostile = code + '\n# </pre><script>alert(1)</script>\u202e\nEVIL = "<img src=x onerror=alert(2)>"\n'
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "=HYPERLINK(1)<b>.py").write_text(hostile)
    (folder / "plain.py").write_text(code)
    found = find_documents(spec, folder)
    assert len(found.documents) == 2
    out = tmp_path / "sim"
    code_, output = run("w06-iou", str(folder), "--out", str(out))
    assert code_ == 0, output
    page = (out / "pair-001.html").read_text()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;U+202E&gt;" in page and "\u202e" not in page and "<b>.py" not in page
    assert "script-src 'none'" in page
    rows = list(csv.reader((out / "pairs.csv").open()))
    assert "'=HYPERLINK(1)<b>" in rows[1]


def test_spec_threshold_is_validated_and_used(tmp_path, monkeypatch):
    course = make_course(tmp_path / "course")
    spec_path = course / "exercises" / "w06-iou" / "spec.toml"
    text = spec_path.read_text()
    spec_path.write_text(text.replace('points = 11\n', 'points = 11\nsimilarity_threshold = 1.5\n'))
    with pytest.raises(SpecError, match="similarity_threshold"):
        load_spec(spec_path)
    spec_path.write_text(text.replace('points = 11\n', 'points = 11\nsimilarity_threshold = 0.05\n'))
    assert load_spec(spec_path).similarity_threshold == 0.05
    assert load_exercise("w06-iou", REPO).similarity_threshold is None
    monkeypatch.setenv("GRADER_COURSE", str(course))
    folder = tmp_path / "class"
    shutil.copytree(DATA / "w06-iou" / "independent", folder)
    code, output = run("w06-iou", str(folder), "--out", str(tmp_path / "sim"))
    assert code == 0 and "at or above 0.05" in output, output


def test_quiz_exercises_and_missing_folders_are_refused_clearly(tmp_path):
    code, output = run("w01-quiz", str(tmp_path))
    assert code == 2 and "code exercises only" in output


def test_an_inbox_without_the_exercise_is_not_read_as_a_folder_of_submissions(inbox):
    shutil.copytree(REPO / "exercises" / "w11-bigram", inbox.parent / "course" / "exercises" / "w11-bigram")
    code, output = run("w11-bigram", str(inbox), "--out", str(inbox.parent / "sim"))
    assert code == 2 and "no submission of w11-bigram" in output


def test_scores_and_marks_are_the_same_in_every_process():
    """copydetect hashes with hash(), salted per process; ours must not change from run to run."""
    import os
    import subprocess

    script = ("import sys; from pathlib import Path; from grader.similarity import Document, analyse; "
              "d = Path(sys.argv[1]); docs = [Document(p.stem, p.read_text()) for p in sorted(d.glob('*.py'))]; "
              "print([(p.a, p.b, round(p.score, 6), p.slices_a) for p in analyse(docs, []).pairs])")
    outputs = {subprocess.run([sys.executable, "-c", script, str(DATA / "w06-iou" / "copies")], cwd=REPO, text=True,
                              capture_output=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}
    assert len(outputs) == 1 and "ana__rename" in outputs.pop()
