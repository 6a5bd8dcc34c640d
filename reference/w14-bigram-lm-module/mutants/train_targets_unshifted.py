"""Mutant: train uses the input block itself as the targets."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class BigramLanguageModel(nn.Module):
    def __init__(self, vocab_size: int) -> None:
        super().__init__()
        self.token_embedding_table = nn.Embedding(vocab_size, vocab_size)

    def forward(self, idx: torch.Tensor, targets: torch.Tensor | None = None):
        """idx [B, T] -> (logits [B, T, C], None); with targets [B, T] -> (logits [B*T, C], loss)."""
        logits = self.token_embedding_table(idx)
        if targets is None:
            return logits, None
        B, T, C = logits.shape
        logits = logits.view(B * T, C)
        loss = F.cross_entropy(logits, targets.view(B * T))
        return logits, loss

    def generate(self, idx: torch.Tensor, max_new_tokens: int, seed: int | None = None) -> torch.Tensor:
        """Append max_new_tokens sampled tokens to idx [B, T]; returns [B, T + max_new_tokens]."""
        g = torch.Generator().manual_seed(seed) if seed is not None else None
        for _ in range(max_new_tokens):
            logits, _ = self(idx)
            logits = logits[:, -1, :]
            probs = F.softmax(logits, dim=-1)
            idx_next = torch.multinomial(probs, num_samples=1, generator=g)
            idx = torch.cat((idx, idx_next), dim=1)
        return idx


def train(model: BigramLanguageModel, data: torch.Tensor, steps: int, batch_size: int = 32, block_size: int = 8,
          lr: float = 1e-2, seed: int = 0) -> list[float]:
    """AdamW on random batches (offsets from a Generator seeded with seed); returns the loss of every step."""
    g = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    losses: list[float] = []
    for _ in range(steps):
        ix = torch.randint(len(data) - block_size, (batch_size,), generator=g)
        xb = torch.stack([data[i:i + block_size] for i in ix])
        yb = torch.stack([data[i:i + block_size] for i in ix])
        _, loss = model(xb, yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
