"""Mutants as patches: they round-trip, a changed reference is caught, and every stored patch applies."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.mutants import MutantError, apply_patch, make_patch, pack
from grader.spec import load_all

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = '"""Reference."""\n\n\ndef area(w, h):\n    return w * h\n\n\ndef iou(a, b):\n    return a / b\n'


def test_a_patch_round_trips_and_names_the_mistake() -> None:
    mutant = REFERENCE.replace("w * h", "w + h")
    patch = make_patch(REFERENCE, mutant, "shapes.py", "adds instead of multiplying")
    assert patch.startswith("# adds instead of multiplying\n") and "-    return w * h" in patch
    assert apply_patch(REFERENCE, patch) == mutant


def test_a_fix_elsewhere_in_the_reference_reaches_the_mutant() -> None:
    patch = make_patch(REFERENCE, REFERENCE.replace("a / b", "a // b"), "shapes.py")
    fixed = REFERENCE.replace("def area(w, h):", "def area(w: float, h: float):")
    assert apply_patch(fixed, patch) == fixed.replace("a / b", "a // b")


def test_a_change_where_the_mistake_is_fails_loudly() -> None:
    patch = make_patch(REFERENCE, REFERENCE.replace("w * h", "w + h"), "shapes.py")
    with pytest.raises(MutantError, match="re-make this mutant"):
        apply_patch(REFERENCE.replace("w * h", "h * w"), patch)


def test_no_newline_at_end_of_file_survives() -> None:
    reference, mutant = "a = 1\nb = 2", "a = 1\nb = 3"
    assert apply_patch(reference, make_patch(reference, mutant, "x.py")) == mutant


def test_pack_turns_copies_into_patches_keeping_the_reference_docstring(tmp_path: Path) -> None:
    (tmp_path / "mutants").mkdir()
    reference = tmp_path / "shapes.py"
    reference.write_text(REFERENCE)
    copy = '"""Mutant: adds."""\n\n\ndef area(w, h):\n    return w + h\n\n\ndef iou(a, b):\n    return a / b\n'
    (tmp_path / "mutants" / "adds.py").write_text(copy)
    [patch] = pack(tmp_path, reference)
    assert not (tmp_path / "mutants" / "adds.py").exists() and patch.name == "adds.patch"
    text = patch.read_text()
    assert text.startswith("# Mutant: adds.\n") and "Reference" not in text.split("\n", 1)[1]
    assert apply_patch(REFERENCE, text) == REFERENCE.replace("w * h", "w + h")


def test_every_stored_mutant_applies_to_its_reference_and_changes_it() -> None:
    for course in (ROOT, ROOT / "tests" / "course"):
        for spec in load_all(course):
            reference = spec.reference_file.read_text(encoding="utf-8")
            copies = list((spec.reference_dir / "mutants").glob(f"*{spec.reference_file.suffix}"))
            assert not copies, f"{spec.id}: full-copy mutants {copies}: run `grader mutants pack {spec.id}`"
            for mutant in spec.mutants():
                assert mutant.text() != reference, f"{mutant.patch} changes nothing"
