"""w03-cross-entropy: softmax, one-hot encoding and cross-entropy from scratch (notes L2213-2335).

Only basic tensor operations (exp, log, max, sum, mean, indexing, zeros, scatter_): no torch.softmax,
torch.log_softmax, F.one_hot, F.cross_entropy or nn losses. Return tensors of the input's float dtype.
"""

from __future__ import annotations

import torch


def softmax(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """exp(x) / sum(exp(x)) along `dim`; must not overflow for logits around 1000."""
    raise NotImplementedError  # TODO


def log_softmax(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """log(softmax(x)) along `dim`, computed so that it stays finite for large logits."""
    raise NotImplementedError  # TODO


def one_hot(labels: torch.Tensor, num_classes: int) -> torch.Tensor:
    """Integer labels of any shape -> int64 one-hot vectors in a new last dimension, like F.one_hot."""
    raise NotImplementedError  # TODO


def cross_entropy(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """The mean over the batch of -sum_i p_i log q_i with q = softmax(logits), like nn.CrossEntropyLoss.

    logits: [B, C]. target: class indices [B] (int64) or class probabilities [B, C] (float).
    Returns a 0-dim tensor.
    """
    raise NotImplementedError  # TODO


def binary_cross_entropy(probs: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """The mean of -y log(p) - (1 - y) log(1 - p), like nn.BCELoss (probabilities in, not logits)."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    print(softmax(torch.tensor([[4.3, 6.1, 2.3]])))
    print(one_hot(torch.tensor(0), num_classes=3))
    print(cross_entropy(torch.tensor([[-0.1211, 0.1059]]), torch.tensor([[1.0, 0.0]])))
