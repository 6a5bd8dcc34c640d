"""w14-bigram-lm-module: a bigram language model as an nn.Module.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)
from torch import nn


class BigramLanguageModel(nn.Module):
    def __init__(self, vocab_size: int) -> None:
        super().__init__()
        # TODO: self.token_embedding_table = an nn.Embedding with vocab_size rows of vocab_size logits

    def forward(self, idx: torch.Tensor, targets: torch.Tensor | None = None):
        """idx [B, T] -> (logits [B, T, C], None); with targets [B, T] -> (logits [B*T, C], loss)."""
        raise NotImplementedError  # TODO

    def generate(self, idx: torch.Tensor, max_new_tokens: int, seed: int | None = None) -> torch.Tensor:
        """Append max_new_tokens sampled ids to idx [B, T]; returns [B, T + max_new_tokens]."""
        raise NotImplementedError  # TODO


def train(model: BigramLanguageModel, data: torch.Tensor, steps: int, batch_size: int = 32, block_size: int = 8,
          lr: float = 1e-2, seed: int = 0) -> list[float]:
    """AdamW training on random batches of data; returns the loss of every step as floats."""
    raise NotImplementedError  # TODO
