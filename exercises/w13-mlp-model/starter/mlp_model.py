"""w13-mlp-model: the Bengio et al. (2003) MLP as a character-level language model.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)


def init_params(vocab_size: int, block_size: int = 3, n_embd: int = 10, n_hidden: int = 200,
                seed: int = 2147483647) -> dict[str, torch.Tensor]:
    """{"C", "W1", "b1", "W2", "b2"}: drawn in this order with torch.randn(shape, generator=g) from
    g = torch.Generator().manual_seed(seed), then scaled as the statement says."""
    raise NotImplementedError  # TODO


def embed(C: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
    """C[X]: [N, block_size] -> [N, block_size, n_embd]."""
    raise NotImplementedError  # TODO


def embed_onehot(C: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
    """The same numbers with a one-hot matrix product (F.one_hot with num_classes = C.shape[0])."""
    raise NotImplementedError  # TODO


def forward(params: dict[str, torch.Tensor], X: torch.Tensor) -> torch.Tensor:
    """Logits [N, vocab_size]: tanh(C[X].view(N, -1) @ W1 + b1) @ W2 + b2."""
    raise NotImplementedError  # TODO


def loss(params: dict[str, torch.Tensor], X: torch.Tensor, Y: torch.Tensor) -> float:
    """Mean cross-entropy of the logits against Y, as a Python float."""
    raise NotImplementedError  # TODO


def train(params: dict[str, torch.Tensor], X: torch.Tensor, Y: torch.Tensor, steps: int, batch_size: int = 32,
          lr: float = 0.1, seed: int = 0, decay_step: int | None = None) -> tuple[dict[str, torch.Tensor], list[float]]:
    """Minibatch gradient descent on COPIES of params; returns (trained params, the minibatch loss of every step)."""
    raise NotImplementedError  # TODO


def lr_candidates(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(lre, lrs): lre = torch.linspace(-3, 0, n), lrs = 10**lre."""
    raise NotImplementedError  # TODO
