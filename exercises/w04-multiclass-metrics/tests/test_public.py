"""Public tests for w04-multiclass-metrics: from the bundle's folder, run them with
`grader check w04-multiclass-metrics w04-multiclass-metrics/metrics.py`.
"""

import torch

from grader.judge import assert_close

# The report at notes L3656-3666.
Y_TRUE = torch.tensor([0, 1, 2, 2, 2])
Y_PRED = torch.tensor([0, 0, 2, 2, 1])


def test_per_class(student):
    """class 0: 0.50 / 1.00 / 0.67, class 1: 0 / 0 / 0, class 2: 1.00 / 0.67 / 0.80."""
    precision, recall, f1 = student.precision_recall_f1(Y_TRUE, Y_PRED, 3, None)
    assert_close(precision, torch.tensor([0.5, 0.0, 1.0]))
    assert_close(recall, torch.tensor([1.0, 0.0, 2 / 3]))
    assert_close(f1, torch.tensor([2 / 3, 0.0, 0.8]))


def test_macro_avg(student):
    """macro avg 0.50 / 0.56 / 0.49."""
    precision, recall, f1 = student.precision_recall_f1(Y_TRUE, Y_PRED, 3, "macro")
    assert_close(f1, torch.tensor(22 / 45), atol=1e-4)


def test_weighted_avg(student):
    """weighted avg F1 0.61 (the total support is 5, not the number of classes)."""
    precision, recall, f1 = student.precision_recall_f1(Y_TRUE, Y_PRED, 3, "weighted")
    assert_close(f1, torch.tensor(46 / 75), atol=1e-4)
