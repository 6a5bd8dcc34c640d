"""Reference solution for w11-bigram: a character-level bigram language model built by counting.

Every word is wrapped as '.' + word + '.', so the model also learns which characters start and end a
word; '.' has index 0. Probabilities are the row-normalised (smoothed) counts, and the quality of the
model is the mean negative log-likelihood of all bigrams (and its exponential, the perplexity).
"""

from __future__ import annotations

import math

import torch


def build_vocab(words: list[str]) -> tuple[dict[str, int], list[str]]:
    """stoi maps '.' to 0 and the letters that occur, sorted, to 1, 2, ...; itos is the inverse list."""
    itos = ["."] + sorted(set("".join(words)))
    stoi = {ch: i for i, ch in enumerate(itos)}
    return stoi, itos


def _bigram_indices(words: list[str], stoi: dict[str, int]) -> tuple[list[int], list[int]]:
    xs: list[int] = []
    ys: list[int] = []
    for word in words:
        chars = ["."] + list(word) + ["."]
        for ch1, ch2 in zip(chars, chars[1:], strict=False):
            xs.append(stoi[ch1])
            ys.append(stoi[ch2])
    return xs, ys


def bigram_counts(words: list[str], stoi: dict[str, int]) -> torch.Tensor:
    """int64 [V, V]: counts[i, j] = how often character j follows character i."""
    size = len(stoi)
    xs, ys = _bigram_indices(words, stoi)
    flat = torch.bincount(torch.tensor(xs, dtype=torch.int64) * size + torch.tensor(ys, dtype=torch.int64),
                          minlength=size * size)
    return flat.reshape(size, size)


def bigram_probs(counts: torch.Tensor, smoothing: float = 1) -> torch.Tensor:
    """float32 [V, V]: each row of (counts + smoothing) divided by its sum (rows sum to 1)."""
    probs = (counts + smoothing).float()
    return probs / probs.sum(dim=1, keepdim=True)


def nll(words: list[str], probs: torch.Tensor, stoi: dict[str, int]) -> float:
    """Mean negative log-likelihood (natural log) over every bigram of every word; inf if one has p = 0."""
    xs, ys = _bigram_indices(words, stoi)
    p = probs[torch.tensor(xs), torch.tensor(ys)].double()
    return float(-torch.log(p).mean().item())


def perplexity(words: list[str], probs: torch.Tensor, stoi: dict[str, int]) -> float:
    """exp(nll): the size of a uniform choice that would be as surprised as the model."""
    return math.exp(nll(words, probs, stoi))
