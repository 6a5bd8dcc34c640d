"""w10-input-embedding-pe: scaled input embedding and sinusoidal positional encoding.

Fill in every TODO. Keep the names and signatures: the grader calls them, reads the buffer `pe` and
loads weights by name (embedding.weight).
"""

from __future__ import annotations

import math  # noqa: F401  (you will need it)

import torch
from torch import nn


def positional_encoding(max_seq_length: int, d_model: int, n: float = 10000.0) -> torch.Tensor:
    """[max_seq_length, d_model] float32: PE[pos, 2i] = sin(pos / n^(2i/d_model)), PE[pos, 2i+1] = cos(...)."""
    # TODO: a zero matrix, float positions 0..max_seq_length-1 as a column, one divisor per pair of columns
    raise NotImplementedError  # TODO


class PositionalEncoding(nn.Module):
    """Adds the fixed sinusoidal encoding of positions 0..T-1 to a [B, T, d_model] batch."""

    def __init__(self, d_model: int, max_seq_length: int) -> None:
        super().__init__()
        # TODO: self.register_buffer("pe", positional_encoding(max_seq_length, d_model))
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x [B, T, d_model] -> x + pe[:T] (raise if T > max_seq_length)."""
        raise NotImplementedError  # TODO


class InputEmbedding(nn.Module):
    """Token ids [B, T] -> [B, T, d_model], scaled by sqrt(d_model)."""

    def __init__(self, vocab_size: int, d_model: int) -> None:
        super().__init__()
        # TODO: self.embedding = nn.Embedding(vocab_size, d_model)
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


if __name__ == "__main__":
    torch.set_printoptions(precision=4)
    print(positional_encoding(4, 4))           # rows [0, 1, 0, 1], [0.8415, 0.5403, 0.0100, 0.9999], ...
    print(positional_encoding(100, 512)[1, :6])
    print(InputEmbedding(10, 512)(torch.tensor([[1, 2, 3]])).shape)  # torch.Size([1, 3, 512])
