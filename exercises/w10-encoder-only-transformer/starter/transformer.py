"""w10-encoder-only-transformer: the Transformer body plus classification/regression heads.

Fill in every TODO; paste your code from w10-input-embedding-pe, w10-multi-head-attention,
w10-feed-forward and w10-encoder-layer where indicated. Keep the names and signatures: the grader loads
weights by name with load_state_dict (embedding.embedding.weight, positional_encoding.pe, layers.0..., fc).
"""

from __future__ import annotations

import math  # noqa: F401  (you will need it)

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)
from torch import nn


def positional_encoding(max_seq_length: int, d_model: int, n: float = 10000.0) -> torch.Tensor:
    """As in w10-input-embedding-pe."""
    raise NotImplementedError  # TODO


class PositionalEncoding(nn.Module):
    """As in w10-input-embedding-pe: buffer "pe", forward(x) = x + pe[:T]."""

    def __init__(self, d_model: int, max_seq_length: int) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


class InputEmbedding(nn.Module):
    """As in w10-input-embedding-pe: self.embedding, scaled by sqrt(d_model)."""

    def __init__(self, vocab_size: int, d_model: int) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


class MultiHeadAttention(nn.Module):
    """As in w10-multi-head-attention."""

    def __init__(self, d_model: int, num_heads: int) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                mask: torch.Tensor | None = None) -> torch.Tensor:
        raise NotImplementedError  # TODO


class FeedForward(nn.Module):
    """As in w10-feed-forward."""

    def __init__(self, d_model: int, d_ff: int) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


class EncoderLayer(nn.Module):
    """As in w10-encoder-layer (post-LN)."""

    def __init__(self, d_model: int, num_heads: int, d_ff: int, dropout_rate: float) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor, src_mask: torch.Tensor | None = None) -> torch.Tensor:
        raise NotImplementedError  # TODO


class TransformerEncoder(nn.Module):
    """Token ids [B, T] -> [B, T, d_model]: embedding, positional encoding, num_layers encoder layers."""

    def __init__(self, vocab_size: int, d_model: int, num_heads: int, num_layers: int, d_ff: int,
                 dropout_rate: float, max_seq_len: int) -> None:
        super().__init__()
        # TODO: self.embedding, self.positional_encoding, self.layers (nn.ModuleList)
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor, src_mask: torch.Tensor | None = None) -> torch.Tensor:
        raise NotImplementedError  # TODO


class ClassifierHead(nn.Module):
    """[B, T, d_model] -> [B, num_classes] raw logits from position 0."""

    def __init__(self, d_model: int, num_classes: int) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


class RegressionHead(nn.Module):
    """[B, T, d_model] -> [B, output_dim] from position 0."""

    def __init__(self, d_model: int, output_dim: int) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


if __name__ == "__main__":
    body = TransformerEncoder(20, 16, 4, 2, 32, 0.1, 12)
    body.eval()
    h = body(torch.randint(0, 20, (3, 7)))
    print(h.shape, ClassifierHead(16, 3)(h).shape, RegressionHead(16, 1)(h).shape)  # [3, 7, 16] [3, 3] [3, 1]
