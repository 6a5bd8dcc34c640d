"""Public tests for w09-bleu-rouge: from the bundle's folder, run them with
`grader check w09-bleu-rouge w09-bleu-rouge/text_metrics.py`.
"""

from grader.judge import assert_close, assert_equal


def test_the_x7(student):
    """'the the the the the the the' against the two (lowercased) cat references: 2 / 7."""
    refs = [["the", "cat", "is", "on", "the", "mat"], ["there", "is", "a", "cat", "on", "the", "mat"]]
    assert_equal(tuple(student.modified_precision(["the"] * 7, refs, 1)), (2, 7))


def test_tokens(student):
    """13a splits the final period off: 'Hello, world.' -> ['Hello', ',', 'world', '.']."""
    assert_equal(list(student.tokenize_13a("Hello, world.")), ["Hello", ",", "world", "."])


def test_perfect_bleu(student):
    """A translation equal to its only reference has BLEU 1.0."""
    out = student.bleu(["the cat sat on the mat today ."], [["the cat sat on the mat today ."]])
    assert_close(out["bleu"], 1.0)


def test_rouge_identical(student):
    """Identical texts (up to case and punctuation) have ROUGE-1 and ROUGE-L 1.0."""
    assert_close(student.rouge_n("The cat sat.", "the cat sat", 1), 1.0)
    assert_close(student.rouge_l("The cat sat.", "the cat sat"), 1.0)
