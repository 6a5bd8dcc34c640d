"""w10-sdpa-head: scaled dot-product attention with an optional 0/1 mask, and one attention head.

Fill in every TODO. Keep the names and signatures: the grader calls them and loads weights by name
(query.weight, key.weight, value.weight).
"""

from __future__ import annotations

import math  # noqa: F401  (you will need it)

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)
from torch import nn


def scaled_dot_product_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                                 mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """q [B, Tq, d_k], k [B, Tk, d_k], v [B, Tk, d_v] -> (out [B, Tq, d_v], weights [B, Tq, Tk])."""
    # TODO: scores = q @ k^T / sqrt(d_k); masked_fill(mask == 0, -inf) if a mask is given;
    # TODO: softmax over the keys; out = weights @ v
    raise NotImplementedError  # TODO


class Head(nn.Module):
    """One attention head: query/key/value projections d_model -> head_size without bias."""

    def __init__(self, d_model: int, head_size: int) -> None:
        super().__init__()
        # TODO: self.query, self.key, self.value = nn.Linear(d_model, head_size, bias=False)
        raise NotImplementedError  # TODO

    def forward(self, q_in: torch.Tensor, k_in: torch.Tensor | None = None, v_in: torch.Tensor | None = None,
                mask: torch.Tensor | None = None) -> torch.Tensor:
        """[B, Tq, d_model] (keys/values [B, Tk, d_model]; default: q_in) -> [B, Tq, head_size]."""
        raise NotImplementedError  # TODO


if __name__ == "__main__":
    q = torch.ones(1, 1, 64)
    k = torch.stack([torch.full((64,), 0.1), torch.zeros(64)]).unsqueeze(0)
    v = torch.tensor([[[1.0, 0.0], [0.0, 1.0]]])
    print(scaled_dot_product_attention(q, k, v)[1])   # about [[[0.6900, 0.3100]]]
    print(Head(16, 4)(torch.randn(2, 5, 16)).shape)    # torch.Size([2, 5, 4])
