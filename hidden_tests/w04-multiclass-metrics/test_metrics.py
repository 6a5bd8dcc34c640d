"""Hidden tests for w04-multiclass-metrics: P/R/F1 per class and averaged, vs the notes' report and the reference."""

import numpy as np
import torch

from grader.judge import assert_close, points

# The report at notes L3656-3666 (sklearn's documentation example).
NOTES_TRUE = torch.tensor([0, 1, 2, 2, 2])
NOTES_PRED = torch.tensor([0, 0, 2, 2, 1])

# dataset_test.class_to_idx at notes L3725-3731 and the per-class F1 printed at L3713-3715.
CLASS_TO_IDX = {"cirriform clouds": 0, "clear sky": 1, "cumulonimbus clouds": 2, "cumulus clouds": 3,
                "high cumuliform clouds": 4, "stratiform clouds": 5, "stratocumulus clouds": 6}
NOTES_F1 = torch.tensor([0.6364, 1.0000, 0.9091, 0.7917, 0.5049, 0.9500, 0.5493])


def scalars(*values: float) -> tuple[torch.Tensor, ...]:
    return tuple(torch.tensor(v, dtype=torch.float32) for v in values)


def random_labels(rng: np.random.Generator, num_classes: int = 7, n: int = 200) -> tuple[torch.Tensor, torch.Tensor]:
    """Every class occurs in y_true; predictions are right ~60% of the time and never the last class."""
    y_true = rng.integers(0, num_classes, size=n)
    y_true[:num_classes] = np.arange(num_classes)
    y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, num_classes - 1, size=n))
    y_pred[y_pred == num_classes - 1] = rng.integers(0, num_classes - 1, size=int((y_pred == num_classes - 1).sum()))
    return torch.from_numpy(y_true).long(), torch.from_numpy(y_pred).long()


@points(1, hint="precision divides by the number of predictions of the class, recall by its number of true samples")
def test_per_class_notes_example(student):
    """Per-class P/R/F1 of the notes' report: class 0 0.50/1.00/0.67, class 1 0/0/0, class 2 1.00/0.67/0.80."""
    expected = (torch.tensor([0.5, 0.0, 1.0]), torch.tensor([1.0, 0.0, 2 / 3]), torch.tensor([2 / 3, 0.0, 0.8]))
    assert_close(student.precision_recall_f1(NOTES_TRUE, NOTES_PRED, 3, None), expected)


@points(2, hint="a class that is never predicted has precision 0/0: return 0, not NaN")
def test_per_class_random(student, reference, rng):
    """Per-class P/R/F1 on 200 random labels over 7 classes (one class never predicted)."""
    y_true, y_pred = random_labels(rng)
    assert_close(student.precision_recall_f1(y_true, y_pred, 7, None),
                 reference.precision_recall_f1(y_true, y_pred, 7, None))


@points(2, hint="micro pools TP, FP and FN over all classes; for single-label data it equals the accuracy")
def test_micro(student, reference, rng):
    """Micro P = R = F1 = accuracy: 0.6 on the notes' example, and on random labels."""
    assert_close(student.precision_recall_f1(NOTES_TRUE, NOTES_PRED, 3, "micro"), scalars(0.6, 0.6, 0.6))
    y_true, y_pred = random_labels(rng)
    accuracy = float((y_true == y_pred).double().mean())
    assert_close(student.precision_recall_f1(y_true, y_pred, 7, "micro"), scalars(accuracy, accuracy, accuracy))


@points(2, hint="macro is the plain mean of the per-class scores over all classes (zeros included)")
def test_macro(student, reference, rng):
    """Macro averages: 0.50 / 0.5556 / 0.4889 on the notes' example, and on random labels."""
    assert_close(student.precision_recall_f1(NOTES_TRUE, NOTES_PRED, 3, "macro"), scalars(0.5, 5 / 9, 22 / 45))
    y_true, y_pred = random_labels(rng)
    assert_close(student.precision_recall_f1(y_true, y_pred, 7, "macro"),
                 reference.precision_recall_f1(y_true, y_pred, 7, "macro"))


@points(2, hint="weight each class by its support and divide by the TOTAL support, not by the number of classes")
def test_weighted(student, reference, rng):
    """Weighted averages: 0.70 / 0.60 / 0.6133 on the notes' example, and on random labels."""
    assert_close(student.precision_recall_f1(NOTES_TRUE, NOTES_PRED, 3, "weighted"), scalars(0.7, 0.6, 46 / 75))
    y_true, y_pred = random_labels(rng)
    assert_close(student.precision_recall_f1(y_true, y_pred, 7, "weighted"),
                 reference.precision_recall_f1(y_true, y_pred, 7, "weighted"))


@points(1, hint="look the index up in class_to_idx for each name; do not rely on the order of the dict")
def test_report_mapping(student, rng):
    """per_class_f1_report maps names to F1 via class_to_idx, whatever the dict order (notes L3711-3732)."""
    names = list(CLASS_TO_IDX)
    shuffled = {names[i]: CLASS_TO_IDX[names[i]] for i in rng.permutation(len(names))}
    expected = {name: float(NOTES_F1[index]) for name, index in CLASS_TO_IDX.items()}
    assert_close(student.per_class_f1_report(NOTES_F1, shuffled), expected)
    permutation = rng.permutation(len(names))
    relabelled = {name: int(permutation[i]) for i, name in enumerate(names)}
    expected = {name: float(NOTES_F1[index]) for name, index in relabelled.items()}
    assert_close(student.per_class_f1_report(NOTES_F1, relabelled), expected)
