"""w15-weighted-aggregation: causal averaging with a loop, a tril matmul and a masked softmax.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)


def bow_loop(xs: torch.Tensor) -> torch.Tensor:
    """Version 1: xbow[b, t] = xs[b, :t+1].mean(0), with loops. [B, T, C] -> [B, T, C]."""
    raise NotImplementedError  # TODO


def averaging_weights(T: int) -> torch.Tensor:
    """[T, T]: row t holds 1/(t+1) on its first t+1 entries and 0 after."""
    raise NotImplementedError  # TODO


def bow_matmul(xs: torch.Tensor) -> torch.Tensor:
    """Version 2: averaging weights @ xs."""
    raise NotImplementedError  # TODO


def softmax_weights(T: int) -> torch.Tensor:
    """Version 3's weights: zeros, masked_fill(tril == 0, -inf), softmax over the last dim."""
    raise NotImplementedError  # TODO


def bow_softmax(xs: torch.Tensor) -> torch.Tensor:
    """Version 3: softmax weights @ xs."""
    raise NotImplementedError  # TODO


def column_sums(b: torch.Tensor) -> torch.Tensor:
    """Goal 1: every row holds the column sums of b (one matmul)."""
    raise NotImplementedError  # TODO


def cumulative_sums(b: torch.Tensor) -> torch.Tensor:
    """Goal 2: row i holds the sums of rows 0..i of b (one matmul)."""
    raise NotImplementedError  # TODO


def cumulative_means(b: torch.Tensor) -> torch.Tensor:
    """Goal 3: row i holds the means of rows 0..i of b (one matmul)."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    torch.manual_seed(1337)
    xs = torch.randn(4, 8, 2)
    print(bow_loop(xs)[0])                   # first row [0.1808, -0.0700]
    print(averaging_weights(4))
    print(torch.allclose(bow_matmul(xs), bow_softmax(xs)))
