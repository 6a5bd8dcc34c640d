"""w09-bleu-rouge: BLEU (notes L8223-8310) and ROUGE (L8312-8342) from scratch. Pure Python (re, math, collections)."""

from __future__ import annotations

import math  # noqa: F401
import re  # noqa: F401
from collections import Counter  # noqa: F401


def tokenize_13a(text: str) -> list[str]:
    """The 13a tokenizer (see README for the four regular expressions)."""
    raise NotImplementedError  # TODO


def ngrams(tokens: list[str], n: int) -> list[tuple[str, ...]]:
    """All n-grams of tokens in order, as tuples (empty if len(tokens) < n)."""
    raise NotImplementedError  # TODO


def modified_precision(candidate: list[str], references: list[list[str]], n: int) -> tuple[int, int]:
    """(clipped matches, number of candidate n-grams) for token lists; clip by the max count in ONE reference."""
    raise NotImplementedError  # TODO


def bleu(predictions: list[str], references: list[list[str]], max_order: int = 4) -> dict:
    """Corpus BLEU with the same keys and values as evaluate.load("bleu").compute(...)."""
    raise NotImplementedError  # TODO


def rouge_tokenize(text: str) -> list[str]:
    """Lowercase; every run of characters other than a-z and 0-9 separates tokens; no stemming."""
    raise NotImplementedError  # TODO


def rouge_n(prediction: str, reference: str, n: int) -> float:
    """ROUGE-N F1 (the "fmeasure" that evaluate reports)."""
    raise NotImplementedError  # TODO


def rouge_l(prediction: str, reference: str) -> float:
    """ROUGE-L F1 from the longest common subsequence of the tokens."""
    raise NotImplementedError  # TODO
