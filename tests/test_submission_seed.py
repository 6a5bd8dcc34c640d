"""Issue #10 item 1 (seed): one submission's observations must not answer another's tests. Each
submission's tests use a seed derived from the run's seed and the submission's sha256."""

from __future__ import annotations

from conftest import REFERENCE_TOY

from grader.grading import submission_seed

# Prints what the hidden test asked, as a planter in a batch would record it for a later submission.
SPY = REFERENCE_TOY.replace("    return a + b", "    print('asked', a, b)\n    return a + b")


def asked(result) -> str:
    return next(t.program_output for t in result.tests if t.name == "test_add")


def test_two_submissions_of_one_run_are_asked_different_inputs_and_both_seeds_are_recorded(grade_source):
    first = grade_source(SPY, name="first.py", seed=7)
    second = grade_source(SPY + "\n# another student\n", name="second.py", seed=7)
    assert "asked" in asked(first) and "asked" in asked(second)
    assert asked(first) != asked(second)  # the first one's record does not answer the second's test
    for result in (first, second):
        assert result.seed == 7 and result.submission_seed == submission_seed(7, result.sha256)
        assert result.to_json()["submission_seed"] == result.submission_seed
    assert first.submission_seed != second.submission_seed


def test_the_run_seed_reproduces_a_submission_exactly(grade_source):
    once, again = grade_source(SPY, name="same.py", seed=11), grade_source(SPY, name="same.py", seed=11)
    assert asked(once) == asked(again) and once.submission_seed == again.submission_seed


def test_the_derivation_is_the_documented_one():
    import hashlib

    sha = "ab" * 32
    expected = int.from_bytes(hashlib.sha256(f"7:{sha}".encode()).digest()[:4], "big") & 0x7FFFFFFF
    assert submission_seed(7, sha) == expected and 0 <= expected < 2**31
