"""w11-bigram: a character-level bigram language model built by counting.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import torch  # noqa: F401  (you will need it)


def build_vocab(words: list[str]) -> tuple[dict[str, int], dict[int, str]]:
    """Return (stoi, itos): '.' -> 0, then the letters that occur in words, sorted, -> 1, 2, ...

    stoi is a dict char -> index; itos the inverse, itos[i] is the character with index i
    (the notes' dict, itos = {i: s for s, i in stoi.items()}, or a list).
    """
    raise NotImplementedError  # TODO


def bigram_counts(words: list[str], stoi: dict[str, int]) -> torch.Tensor:
    """int64 tensor [V, V]: counts[i, j] = number of times char j follows char i in '.' + word + '.'."""
    raise NotImplementedError  # TODO


def bigram_probs(counts: torch.Tensor, smoothing: float = 1) -> torch.Tensor:
    """float32 [V, V]: (counts + smoothing), each row divided by its sum (every row sums to 1)."""
    raise NotImplementedError  # TODO


def nll(words: list[str], probs: torch.Tensor, stoi: dict[str, int]) -> float:
    """Mean negative log-likelihood (natural log) over all bigrams of all words, as a Python float."""
    raise NotImplementedError  # TODO


def perplexity(words: list[str], probs: torch.Tensor, stoi: dict[str, int]) -> float:
    """exp(nll(words, probs, stoi))"""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    words = ["emma", "olivia", "ava", "isabella"]
    stoi, itos = build_vocab(words)
    counts = bigram_counts(words, stoi)
    print(itos, int(counts.sum()))  # ['.', 'a', 'b', 'e', 'i', 'l', 'm', 'o', 's', 'v'] 25
    print(nll(words, bigram_probs(counts), stoi))
