"""w12-neural-bigram-gd: train the one-layer neural bigram model by gradient descent.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import torch  # noqa: F401  (you will need it)
import torch.nn.functional as F  # noqa: F401,N812


def forward(xenc: torch.Tensor, W: torch.Tensor) -> torch.Tensor:
    """probs [N, V]: counts = exp(xenc @ W), each row divided by its sum."""
    raise NotImplementedError  # TODO


def loss_fn(probs: torch.Tensor, ys: torch.Tensor, W: torch.Tensor, reg: float) -> torch.Tensor:
    """0-d tensor: -mean_i ln probs[i, ys[i]] + reg * mean(W ** 2)."""
    raise NotImplementedError  # TODO


def gradient(xs: torch.Tensor, ys: torch.Tensor, W: torch.Tensor, reg: float) -> torch.Tensor:
    """dLoss/dW at W (use autograd on a copy of W that requires grad); xs are indices, one-hot them."""
    raise NotImplementedError  # TODO


def train(xs: torch.Tensor, ys: torch.Tensor, num_classes: int, steps: int, lr: float, reg: float,
          seed: int) -> tuple[torch.Tensor, list[float]]:
    """W = torch.randn((V, V), generator=torch.Generator().manual_seed(seed), requires_grad=True);
    then `steps` full-batch steps: loss (append loss.item()), W.grad = None, backward, W.data += -lr * W.grad.
    Return (W detached, losses)."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    xs = torch.tensor([0, 5, 13, 13, 1])
    ys = torch.tensor([5, 13, 13, 1, 0])
    W, losses = train(xs, ys, 27, 1, 50.0, 0.0, 2147483647)
    print(losses[0])  # 3.7693 ("emma" only, the notes' seed)
