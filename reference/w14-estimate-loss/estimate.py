"""Reference solution for w14-estimate-loss: a low-noise loss estimate and a training loop that reports it.

The loss of one batch is noisy, so estimate_loss averages eval_iters batches of each split, in eval mode
(dropout off) and without building a graph, then puts the model back in training mode. train_with_eval
records that estimate every eval_interval steps and at the last step.
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
    """{"train": mean loss, "val": mean loss} over eval_iters batches each, in eval mode; ends in train mode."""
    g = torch.Generator().manual_seed(seed)
    out: dict[str, float] = {}
    model.eval()
    for split in ("train", "val"):
        losses = torch.zeros(eval_iters)
        for k in range(eval_iters):
            X, Y = get_batch(data[split], batch_size, block_size, g)
            _, loss = model(X, Y)
            losses[k] = loss.item()
        out[split] = losses.mean().item()
    model.train()
    return out


def train_with_eval(model: nn.Module, data: dict[str, torch.Tensor], max_iters: int, eval_interval: int,
                    eval_iters: int = 10, batch_size: int = 8, block_size: int = 8, lr: float = 1e-2,
                    seed: int = 0) -> list[dict]:
    """AdamW on training batches; before the steps step % eval_interval == 0 and the last one, record
    {"step": step, "train": ..., "val": ...} from estimate_loss(..., seed=step)."""
    g = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    history: list[dict] = []
    for step in range(max_iters):
        if step % eval_interval == 0 or step == max_iters - 1:
            losses = estimate_loss(model, data, eval_iters, batch_size, block_size, seed=step)
            history.append({"step": step, "train": losses["train"], "val": losses["val"]})
        xb, yb = get_batch(data["train"], batch_size, block_size, g)
        _, loss = model(xb, yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    return history
