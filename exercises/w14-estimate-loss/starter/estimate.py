"""w14-estimate-loss: a low-noise loss estimate and a training loop that reports it.

BigramLanguageModel and get_batch are given: keep them as they are. Fill in every TODO and keep the
names and signatures: the grader calls them.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class BigramLanguageModel(nn.Module):
    """Given (do not change): the bigram model of w14-bigram-lm-module with dropout on the logits."""

    def __init__(self, vocab_size: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.token_embedding_table = nn.Embedding(vocab_size, vocab_size)
        self.dropout = nn.Dropout(dropout)

    def forward(self, idx: torch.Tensor, targets: torch.Tensor | None = None):
        logits = self.dropout(self.token_embedding_table(idx))
        if targets is None:
            return logits, None
        B, T, C = logits.shape
        logits = logits.view(B * T, C)
        return logits, F.cross_entropy(logits, targets.view(B * T))


def get_batch(d: torch.Tensor, batch_size: int, block_size: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Given (do not change): a random batch of d with offsets drawn from g (as in w14-get-batch)."""
    ix = torch.randint(len(d) - block_size, (batch_size,), generator=g)
    x = torch.stack([d[i:i + block_size] for i in ix])
    y = torch.stack([d[i + 1:i + block_size + 1] for i in ix])
    return x, y


@torch.no_grad()
def estimate_loss(model: nn.Module, data: dict[str, torch.Tensor], eval_iters: int = 10, batch_size: int = 8,
                  block_size: int = 8, seed: int = 0) -> dict[str, float]:
    """{"train": ..., "val": ...}: the mean loss of eval_iters batches of each split, measured in eval mode.

    g = torch.Generator().manual_seed(seed), one generator for both splits, "train" first, then "val";
    batches from get_batch(data[split], batch_size, block_size, g). Put the model back in train mode at the end.
    """
    raise NotImplementedError  # TODO


def train_with_eval(model: nn.Module, data: dict[str, torch.Tensor], max_iters: int, eval_interval: int,
                    eval_iters: int = 10, batch_size: int = 8, block_size: int = 8, lr: float = 1e-2,
                    seed: int = 0) -> list[dict]:
    """Train with AdamW for max_iters steps; return the history of estimates (see the statement)."""
    raise NotImplementedError  # TODO
