"""w15-scaled-attention-variance: why attention scores are multiplied by head_size**-0.5.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import torch


def attention_scores(q: torch.Tensor, k: torch.Tensor, scaled: bool = True) -> torch.Tensor:
    """q [B, Tq, head_size], k [B, Tk, head_size] -> [B, Tq, Tk] (times head_size**-0.5 if scaled)."""
    raise NotImplementedError  # TODO


def softmax_sharpness(logits: torch.Tensor, factor: float) -> torch.Tensor:
    """softmax(logits * factor) over the last dimension."""
    raise NotImplementedError  # TODO


def score_variance(head_size: int, scaled: bool, trials: int = 50, B: int = 4, T: int = 8, seed: int = 0) -> float:
    """Mean over trials of attention_scores(q, k, scaled).var() with q, k ~ randn(B, T, head_size) (seeded)."""
    # TODO: g = torch.Generator().manual_seed(seed); torch.randn(..., generator=g)
    raise NotImplementedError  # TODO


def mean_max_probability(q: torch.Tensor, k: torch.Tensor, scaled: bool) -> float:
    """Mean over all query rows of the largest softmax weight."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    print(score_variance(16, False), score_variance(16, True))   # about 16 and about 1
    print(softmax_sharpness(torch.tensor([0.1, -0.2, 0.3, -0.2, 0.5]), 8))
