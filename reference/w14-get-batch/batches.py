"""Reference solution for w14-get-batch: the examples inside one block, and random batches of blocks.

A chunk of block_size + 1 ids holds block_size examples (context chunk[:t+1] -> target chunk[t+1]).
A batch draws batch_size offsets i in [0, len(data) - block_size) and stacks x = data[i:i+block_size] and
y = data[i+1:i+block_size+1]: the targets are the inputs shifted by one position.
"""

from __future__ import annotations

import torch


def block_examples(chunk: list[int]) -> list[tuple[list[int], int]]:
    """[(chunk[:t+1], chunk[t+1]) for t in range(len(chunk) - 1)]: every context with its next id."""
    return [(list(chunk[: t + 1]), int(chunk[t + 1])) for t in range(len(chunk) - 1)]


def get_batch(split: str, data: dict[str, torch.Tensor], batch_size: int = 4, block_size: int = 8,
              seed: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """(xb, yb), both int64 [batch_size, block_size], from data[split]; offsets from a seeded Generator."""
    d = data[split]
    g = torch.Generator().manual_seed(seed) if seed is not None else None
    ix = torch.randint(len(d) - block_size, (batch_size,), generator=g)
    x = torch.stack([d[i:i + block_size] for i in ix])
    y = torch.stack([d[i + 1:i + block_size + 1] for i in ix])
    return x, y
