"""Mutant: the context rolls the wrong way ([ix] + context[:-1]), so the newest character comes first."""

from __future__ import annotations

import random

import torch


def build_dataset(words: list[str], stoi: dict[str, int], block_size: int = 3) -> tuple[torch.Tensor, torch.Tensor]:
    """(X int64 [N, block_size], Y int64 [N]): one row per character of word + '.', context reset per word."""
    xs: list[list[int]] = []
    ys: list[int] = []
    for word in words:
        context = [0] * block_size
        for ch in word + ".":
            ix = stoi[ch]
            xs.append(context)
            ys.append(ix)
            context = [ix] + context[:-1]
    X = torch.tensor(xs, dtype=torch.int64).reshape(len(xs), block_size)
    Y = torch.tensor(ys, dtype=torch.int64)
    return X, Y


def split_words(words: list[str], seed: int = 42) -> tuple[list[str], list[str], list[str]]:
    """Shuffle a copy with random.Random(seed), then 80 % train, 10 % dev, 10 % test (int() cut points)."""
    shuffled = list(words)
    random.Random(seed).shuffle(shuffled)
    n1 = int(0.8 * len(shuffled))
    n2 = int(0.9 * len(shuffled))
    return shuffled[:n1], shuffled[n1:n2], shuffled[n2:]


def get_minibatch(X: torch.Tensor, Y: torch.Tensor, batch_size: int = 32, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Rows ix = torch.randint(0, X.shape[0], (batch_size,), generator=Generator seeded with seed): (X[ix], Y[ix])."""
    g = torch.Generator().manual_seed(seed)
    ix = torch.randint(0, X.shape[0], (batch_size,), generator=g)
    return X[ix], Y[ix]
