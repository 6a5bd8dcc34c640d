"""Hidden tests for w09-classification-metrics: binary accuracy / precision / recall / F1, exact match, labels."""

from __future__ import annotations

import numpy as np

from grader.judge import assert_close, assert_equal, points

EM_PREDICTIONS = ["The cat sat on the mat.", "Theaters are great.", "Like comparing oranges and apples."]
EM_REFERENCES = ["The cat sat on the mat?", "Theaters are great.", "Like comparing apples and oranges."]
ANSWERS = ["Paris", "paris", "Paris.", "the Eiffel Tower", "The Eiffel Tower", "1889", "in 1889", "Seine"]


def labels(rng: np.random.Generator, n: int) -> tuple[list[int], list[int]]:
    """Random 0/1 references and predictions that agree about 70% of the time (both classes present)."""
    refs = [int(v) for v in rng.integers(0, 2, size=n)]
    refs[0], refs[1] = 0, 1
    preds = [r if rng.random() < 0.7 else 1 - r for r in refs]
    preds[2] = 1
    return refs, preds


def metric(student, refs: list[int], preds: list[int], name: str) -> float:
    """One entry of the student's metrics dict."""
    value = student.classification_metrics(refs, preds)[name]
    return float(value) if isinstance(value, int | float) else value


@points(2, hint="binary metrics of the positive class 1: precision = TP / (TP + FP), recall = TP / (TP + FN)")
def test_notes_example(student, reference, rng):
    """references [0, 1, 0, 1, 1], predictions [0, 0, 0, 1, 1]: accuracy 0.8, precision 1.0, recall 2/3, f1 0.8."""
    got = student.classification_metrics([0, 1, 0, 1, 1], [0, 0, 0, 1, 1])
    assert_equal(sorted(got), ["accuracy", "f1", "precision", "recall"])
    expected = {"accuracy": 0.8, "precision": 1.0, "recall": 0.6666666666666666, "f1": 0.8}
    for key, value in expected.items():
        assert_close(float(got[key]), value, msg=f"{key}: ")


@points(1, hint="accuracy = (TP + TN) / all")
def test_accuracy_random(student, reference, rng):
    """accuracy on random labels equals the reference's."""
    refs, preds = labels(rng, int(rng.integers(15, 40)))
    assert_close(metric(student, refs, preds, "accuracy"), reference.classification_metrics(refs, preds)["accuracy"])


@points(1.5, hint="precision: of the examples PREDICTED positive, how many are positive? (arguments: references first)")
def test_precision_random(student, reference, rng):
    """precision on random labels equals the reference's."""
    refs, preds = labels(rng, int(rng.integers(15, 40)))
    assert_close(metric(student, refs, preds, "precision"), reference.classification_metrics(refs, preds)["precision"])


@points(1.5, hint="recall: of the examples that ARE positive, how many were predicted positive?")
def test_recall_random(student, reference, rng):
    """recall on random labels equals the reference's."""
    refs, preds = labels(rng, int(rng.integers(15, 40)))
    assert_close(metric(student, refs, preds, "recall"), reference.classification_metrics(refs, preds)["recall"])


@points(1, hint="F1 is the harmonic mean 2PR / (P + R), not the arithmetic mean")
def test_f1_random(student, reference, rng):
    """f1 on random labels equals the reference's."""
    refs, preds = labels(rng, int(rng.integers(15, 40)))
    assert_close(metric(student, refs, preds, "f1"), reference.classification_metrics(refs, preds)["f1"])


@points(1, hint="no positive predictions: precision (and F1) are 0.0 by convention, not an error")
def test_zero_division(student, reference, rng):
    """All predictions 0: precision 0.0, recall 0.0, f1 0.0, accuracy = share of negatives."""
    refs = [int(v) for v in rng.integers(0, 2, size=12)]
    refs[0] = 1
    got = student.classification_metrics(refs, [0] * 12)
    expected = reference.classification_metrics(refs, [0] * 12)
    for key, value in expected.items():
        assert_close(float(got[key]), value, msg=f"{key}: ")


@points(1.5, hint="exact match compares the strings as they are: case and punctuation count; return the share")
def test_exact_match(student, reference, rng):
    """The notes' three pairs give 1/3; random answer pairs (case and punctuation variants) equal the reference."""
    assert_close(float(student.exact_match(EM_PREDICTIONS, EM_REFERENCES)["exact_match"]), 0.3333333333333333)
    refs = [str(a) for a in rng.choice(ANSWERS, size=10)]
    preds = [r if rng.random() < 0.5 else str(rng.choice(ANSWERS)) for r in refs]
    got = student.exact_match(preds, refs)
    assert_equal(list(got), ["exact_match"])
    assert_close(float(got["exact_match"]), reference.exact_match(preds, refs)["exact_match"])


@points(0.5, hint="the sentiment pipeline's labels are the strings 'POSITIVE' and 'NEGATIVE'")
def test_pipeline_labels(student, reference, rng):
    """pipeline_labels_to_ints maps 'POSITIVE' to 1 and 'NEGATIVE' to 0, in order."""
    preds = [{"label": str(rng.choice(["POSITIVE", "NEGATIVE"])), "score": float(rng.uniform(0.5, 1))}
             for _ in range(8)]
    preds[0]["label"], preds[1]["label"] = "POSITIVE", "NEGATIVE"
    assert_equal(list(student.pipeline_labels_to_ints(preds)), reference.pipeline_labels_to_ints(preds))
