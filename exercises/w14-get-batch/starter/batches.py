"""w14-get-batch: the examples inside one block, and random batches of blocks.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import torch


def block_examples(chunk: list[int]) -> list[tuple[list[int], int]]:
    """Every (context, target) pair in chunk: context = the first t + 1 ids, target = the next id."""
    raise NotImplementedError  # TODO


def get_batch(split: str, data: dict[str, torch.Tensor], batch_size: int = 4, block_size: int = 8,
              seed: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """(xb, yb), int64 [batch_size, block_size] each, drawn from data[split] ("train" or "val").

    g = torch.Generator().manual_seed(seed) if seed is not None else None
    ix = torch.randint(len(d) - block_size, (batch_size,), generator=g)
    """
    raise NotImplementedError  # TODO
