"""w10-padding-mask: the encoder's key-padding mask and its use before the softmax.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import math  # noqa: F401  (you will need it)

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)


def make_src_mask(token_ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """[B, L] token ids -> [B, L, L]: 1 where the key is a real token, 0 where it is padding."""
    # TODO: 1/0 per token, then unsqueeze(1) and expand(-1, L, -1)
    raise NotImplementedError  # TODO


def masked_softmax(scores: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """softmax over the last dim after masked_fill(mask == 0, -inf)."""
    raise NotImplementedError  # TODO


def attention_with_padding(x: torch.Tensor, token_ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """masked_softmax(x @ x^T / sqrt(d), make_src_mask(token_ids, pad_id)) @ x."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    ids = torch.tensor([[5, 6, 7, 0, 0], [3, 4, 0, 0, 0]])
    print(make_src_mask(ids, 0)[1])   # five rows [1, 1, 0, 0, 0]
