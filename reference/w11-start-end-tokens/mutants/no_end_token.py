"""Mutant: words are wrapped with <S> only: the bigram "last letter -> <E>" is never counted.
"""

from __future__ import annotations

import torch

START, END = "<S>", "<E>"


def _tokens(word: str) -> list[str]:
    return [START, *word]


def bigram_dict(words: list[str]) -> dict[str, int]:
    """{'<S>i': 1, 'is': 1, ...}: how often each bigram (first token + second token) occurs."""
    counts: dict[str, int] = {}
    for word in words:
        tokens = _tokens(word)
        for a, b in zip(tokens, tokens[1:], strict=False):
            counts[a + b] = counts.get(a + b, 0) + 1
    return counts


def top_bigrams(words: list[str], k: int) -> list[tuple[str, int]]:
    """The k most frequent bigrams as (bigram, count), by count descending, ties by bigram ascending."""
    items = sorted(bigram_dict(words).items(), key=lambda kv: (-kv[1], kv[0]))
    return items[:k]


def vocab_se(words: list[str]) -> list[str]:
    """itos: the letters that occur, sorted, then '<S>', then '<E>'."""
    return sorted(set("".join(words))) + [START, END]


def counts_se(words: list[str]) -> torch.Tensor:
    """int64 [L + 2, L + 2] over vocab_se(words): counts[i, j] = how often token j follows token i."""
    itos = vocab_se(words)
    stoi = {s: i for i, s in enumerate(itos)}
    counts = torch.zeros((len(itos), len(itos)), dtype=torch.int64)
    for word in words:
        tokens = _tokens(word)
        for a, b in zip(tokens, tokens[1:], strict=False):
            counts[stoi[a], stoi[b]] += 1
    return counts


def merge_special_tokens(counts: torch.Tensor) -> torch.Tensor:
    """[L + 2, L + 2] (letters, <S>, <E>) -> [L + 1, L + 1] with '.' at index 0 then the letters.

    '.' -> letter j comes from the <S> row; letter i -> '.' from the <E> column; letters keep their counts.
    """
    n = counts.shape[0] - 2
    out = torch.zeros((n + 1, n + 1), dtype=counts.dtype)
    out[1:, 1:] = counts[:n, :n]
    out[0, 1:] = counts[n, :n]
    out[1:, 0] = counts[:n, n + 1]
    out[0, 0] = counts[n, n + 1]
    return out
