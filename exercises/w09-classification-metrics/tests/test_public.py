"""Public tests for w09-classification-metrics: from the bundle's folder, run them with
`grader check w09-classification-metrics w09-classification-metrics/metrics.py`.
"""

from grader.judge import assert_close, assert_equal


def test_all_correct(student):
    """Two correct predictions (one of each class): every metric is 1.0."""
    got = student.classification_metrics([0, 1], [0, 1])
    for key in ("accuracy", "precision", "recall", "f1"):
        assert_close(float(got[key]), 1.0)


def test_counts(student):
    """references [0, 1, 0, 1, 1], predictions [0, 0, 0, 1, 1]: TP 2, FP 0, FN 1, TN 2."""
    assert_equal(student.confusion_counts([0, 1, 0, 1, 1], [0, 0, 0, 1, 1]), {"tp": 2, "fp": 0, "fn": 1, "tn": 2})


def test_exact_match_one(student):
    """Identical strings: exact match 1.0."""
    assert_close(float(student.exact_match(["Paris"], ["Paris"])["exact_match"]), 1.0)
