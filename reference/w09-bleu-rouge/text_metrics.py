"""Reference solution for w09-bleu-rouge: BLEU (as Hugging Face evaluate's "bleu") and ROUGE-N / ROUGE-L."""

from __future__ import annotations

import math
import re
from collections import Counter


def tokenize_13a(text: str) -> list[str]:
    """The 13a tokenizer used by BLEU: split off punctuation, keep '.' and ',' inside numbers."""
    line = text.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = line.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    line = re.sub(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])", r" \1 ", f" {line} ")
    line = re.sub(r"([^0-9])([\.,])", r"\1 \2 ", line)
    line = re.sub(r"([\.,])([^0-9])", r" \1 \2", line)
    line = re.sub(r"([0-9])(-)", r"\1 \2 ", line)
    return line.split()


def ngrams(tokens: list[str], n: int) -> list[tuple[str, ...]]:
    """All n-grams of a token list, in order (empty if there are fewer than n tokens)."""
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def modified_precision(candidate: list[str], references: list[list[str]], n: int) -> tuple[int, int]:
    """(clipped matches, number of candidate n-grams): each n-gram counts at most as often as in ONE reference."""
    counts = Counter(ngrams(candidate, n))
    max_ref: Counter = Counter()
    for ref in references:
        for gram, c in Counter(ngrams(ref, n)).items():
            max_ref[gram] = max(max_ref[gram], c)
    clipped = sum(min(c, max_ref[gram]) for gram, c in counts.items())
    return clipped, sum(counts.values())


def bleu(predictions: list[str], references: list[list[str]], max_order: int = 4) -> dict:
    """Corpus BLEU as evaluate's "bleu": 13a tokens, clipped precisions, geometric mean, shortest-reference BP."""
    matches = [0] * max_order
    possible = [0] * max_order
    translation_length = 0
    reference_length = 0
    for prediction, refs in zip(predictions, references, strict=True):
        cand = tokenize_13a(prediction)
        ref_tokens = [tokenize_13a(r) for r in refs]
        translation_length += len(cand)
        reference_length += min(len(r) for r in ref_tokens)
        for n in range(1, max_order + 1):
            clipped, total = modified_precision(cand, ref_tokens, n)
            matches[n - 1] += clipped
            possible[n - 1] += total
    precisions = [matches[i] / possible[i] if possible[i] > 0 else 0.0 for i in range(max_order)]
    if min(precisions) > 0:
        geo_mean = math.exp(sum(math.log(p) for p in precisions) / max_order)
    else:
        geo_mean = 0.0
    ratio = translation_length / reference_length
    brevity_penalty = 1.0 if ratio > 1.0 else math.exp(1 - 1.0 / ratio)
    return {
        "bleu": geo_mean * brevity_penalty,
        "precisions": precisions,
        "brevity_penalty": brevity_penalty,
        "length_ratio": ratio,
        "translation_length": translation_length,
        "reference_length": reference_length,
    }


def rouge_tokenize(text: str) -> list[str]:
    """ROUGE's tokens: lowercase, every run of non-alphanumeric characters is a separator, no stemming."""
    return [t for t in re.split(r"\s+", re.sub(r"[^a-z0-9]+", " ", text.lower())) if t]


def _f1(overlap: int, n_pred: int, n_ref: int) -> float:
    if overlap == 0 or n_pred == 0 or n_ref == 0:
        return 0.0
    precision, recall = overlap / n_pred, overlap / n_ref
    return 2 * precision * recall / (precision + recall)


def rouge_n(prediction: str, reference: str, n: int) -> float:
    """ROUGE-N F1: overlapping n-grams (counted with multiplicity) against both lengths."""
    pred, ref = Counter(ngrams(rouge_tokenize(prediction), n)), Counter(ngrams(rouge_tokenize(reference), n))
    overlap = sum(min(c, ref[g]) for g, c in pred.items())
    return _f1(overlap, sum(pred.values()), sum(ref.values()))


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence (not necessarily contiguous)."""
    row = [0] * (len(b) + 1)
    for x in a:
        prev_diag = 0
        for j, y in enumerate(b, start=1):
            prev_row = row[j]
            row[j] = prev_diag + 1 if x == y else max(row[j], row[j - 1])
            prev_diag = prev_row
    return row[len(b)]


def rouge_l(prediction: str, reference: str) -> float:
    """ROUGE-L F1 from the longest common subsequence of the token lists."""
    pred, ref = rouge_tokenize(prediction), rouge_tokenize(reference)
    return _f1(lcs_length(pred, ref), len(pred), len(ref))
