"""Mutant: swaps references and predictions, which swaps precision and recall."""

from __future__ import annotations


def confusion_counts(references: list[int], predictions: list[int]) -> dict[str, int]:
    """True/false positives/negatives for the positive label 1."""
    if len(references) != len(predictions) or not references:
        raise ValueError("references and predictions must be non-empty and of equal length")
    tp = sum(1 for r, p in zip(references, predictions) if r == 1 and p == 1)
    fp = sum(1 for r, p in zip(references, predictions) if r != 1 and p == 1)
    fn = sum(1 for r, p in zip(references, predictions) if r == 1 and p != 1)
    tn = len(references) - tp - fp - fn
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn}


def classification_metrics(references: list[int], predictions: list[int]) -> dict[str, float]:
    """Accuracy, precision, recall and F1 of the positive class 1 (0.0 when a denominator is 0)."""
    c = confusion_counts(predictions, references)
    tp, fp, fn, tn = c["tp"], c["fp"], c["fn"], c["tn"]
    accuracy = (tp + tn) / (tp + tn + fp + fn)
    precision = tp / (tp + fp) if tp + fp > 0 else 0.0
    recall = tp / (tp + fn) if tp + fn > 0 else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return {"accuracy": accuracy, "precision": precision, "recall": recall, "f1": f1}


def exact_match(predictions: list[str], references: list[str]) -> dict[str, float]:
    """Share of predictions that equal their reference exactly (case and punctuation count)."""
    if len(references) != len(predictions) or not references:
        raise ValueError("references and predictions must be non-empty and of equal length")
    hits = sum(1 for p, r in zip(predictions, references) if p == r)
    return {"exact_match": hits / len(references)}


def pipeline_labels_to_ints(predictions: list[dict]) -> list[int]:
    """A sentiment pipeline's [{'label': 'POSITIVE' | 'NEGATIVE', 'score': ...}] -> [1 | 0]."""
    return [1 if pred["label"] == "POSITIVE" else 0 for pred in predictions]
