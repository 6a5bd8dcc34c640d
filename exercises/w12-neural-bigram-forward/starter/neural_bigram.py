"""w12-neural-bigram-forward: the forward pass of the one-layer neural bigram model.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import torch  # noqa: F401  (you will need it)


def init_weights(num_classes: int, seed: int) -> torch.Tensor:
    """W = torch.randn((V, V), generator=torch.Generator().manual_seed(seed), requires_grad=True)."""
    raise NotImplementedError  # TODO


def forward(xenc: torch.Tensor, W: torch.Tensor) -> torch.Tensor:
    """probs [N, V]: logits = xenc @ W; counts = exp(logits); each row of counts divided by its sum."""
    raise NotImplementedError  # TODO


def nll_loss(probs: torch.Tensor, ys: torch.Tensor) -> torch.Tensor:
    """0-d tensor: -(1/N) * sum_i ln probs[i, ys[i]]."""
    raise NotImplementedError  # TODO


def weights_from_counts(counts: torch.Tensor, smoothing: float = 1) -> torch.Tensor:
    """float32 [V, V]: the log-counts ln(counts + smoothing)."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    W = init_weights(27, 2147483647)
    print(W.shape, W[0, :3])
