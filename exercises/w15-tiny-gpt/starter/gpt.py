"""w15-tiny-gpt: a small GPT language model (Head, MultiHeadAttention, FeedForward, Block, GPTLanguageModel).

Fill in every TODO. Keep the names and signatures: the grader loads weights by name with
load_state_dict (strict), so build exactly the submodules the statement lists.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)
from torch import nn


class Head(nn.Module):
    """One head of causal self-attention (as in w15-attention)."""

    def __init__(self, n_embd: int, head_size: int, block_size: int, dropout: float = 0.0) -> None:
        super().__init__()
        # TODO: key/query/value (bias=False), the tril buffer, dropout
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


class MultiHeadAttention(nn.Module):
    """num_heads Heads in parallel, concatenated on the last dimension, then proj and dropout."""

    def __init__(self, num_heads: int, head_size: int, n_embd: int, block_size: int, dropout: float = 0.0) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


class FeedForward(nn.Module):
    """self.net = Sequential(Linear(n_embd, 4 n_embd), ReLU, Linear(4 n_embd, n_embd), Dropout)."""

    def __init__(self, n_embd: int, dropout: float = 0.0) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


class Block(nn.Module):
    """Pre-LayerNorm block: x = x + sa(ln1(x)); x = x + ffwd(ln2(x))."""

    def __init__(self, n_embd: int, n_head: int, block_size: int, dropout: float = 0.0) -> None:
        super().__init__()
        # TODO: self.sa, self.ffwd, self.ln1, self.ln2
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


class GPTLanguageModel(nn.Module):
    """Token + position embeddings, n_layer Blocks, ln_f, lm_head."""

    def __init__(self, vocab_size: int, n_embd: int, n_head: int, n_layer: int, block_size: int,
                 dropout: float = 0.0) -> None:
        super().__init__()
        # TODO: token_embedding_table, position_embedding_table, blocks (nn.Sequential), ln_f, lm_head
        raise NotImplementedError  # TODO

    def forward(self, idx: torch.Tensor, targets: torch.Tensor | None = None):
        """idx [B, T] -> (logits [B, T, vocab_size], loss or None)."""
        raise NotImplementedError  # TODO

    @torch.no_grad()
    def generate(self, idx: torch.Tensor, max_new_tokens: int) -> torch.Tensor:
        """Crop to block_size, last position's logits, softmax, multinomial, append; [B, T + max_new_tokens]."""
        raise NotImplementedError  # TODO


if __name__ == "__main__":
    torch.manual_seed(1337)
    model = GPTLanguageModel(vocab_size=65, n_embd=32, n_head=4, n_layer=2, block_size=8)
    idx = torch.randint(0, 65, (4, 8))
    logits, loss = model(idx, idx)
    print(logits.shape, loss)                                              # [4, 8, 65], about 4.2
    print(model.generate(torch.zeros(1, 1, dtype=torch.long), 20).shape)   # torch.Size([1, 21])
