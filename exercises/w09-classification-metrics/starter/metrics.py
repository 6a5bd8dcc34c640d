"""w09-classification-metrics: the metrics of notes L7955-8052 and L8378-8407, without the evaluate library."""

from __future__ import annotations


def confusion_counts(references: list[int], predictions: list[int]) -> dict[str, int]:
    """{"tp", "fp", "fn", "tn"} for the positive label 1; ValueError if empty or of different lengths."""
    raise NotImplementedError  # TODO


def classification_metrics(references: list[int], predictions: list[int]) -> dict[str, float]:
    """{"accuracy", "precision", "recall", "f1"} of the positive class 1 (0.0 when a denominator is 0)."""
    raise NotImplementedError  # TODO


def exact_match(predictions: list[str], references: list[str]) -> dict[str, float]:
    """{"exact_match": share of predictions that equal their reference exactly}."""
    raise NotImplementedError  # TODO


def pipeline_labels_to_ints(predictions: list[dict]) -> list[int]:
    """[{'label': 'POSITIVE' | 'NEGATIVE', 'score': ...}, ...] -> [1 | 0, ...]."""
    raise NotImplementedError  # TODO
