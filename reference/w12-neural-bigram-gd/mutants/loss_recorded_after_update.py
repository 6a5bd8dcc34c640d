"""Mutant: train records the loss after the update (recomputed), so losses are shifted by one step.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def forward(xenc: torch.Tensor, W: torch.Tensor) -> torch.Tensor:
    """probs [N, V]: exp(xenc @ W), each row normalised to sum 1."""
    counts = (xenc @ W).exp()
    return counts / counts.sum(dim=1, keepdim=True)


def loss_fn(probs: torch.Tensor, ys: torch.Tensor, W: torch.Tensor, reg: float) -> torch.Tensor:
    """0-d tensor: -mean_i ln probs[i, ys[i]] + reg * mean(W ** 2)."""
    nll = -probs[torch.arange(probs.shape[0]), ys].log().mean()
    return nll + reg * (W**2).mean()


def gradient(xs: torch.Tensor, ys: torch.Tensor, W: torch.Tensor, reg: float) -> torch.Tensor:
    """d loss / d W (autograd) for inputs xs (indices), targets ys and weights W."""
    W = W.detach().clone().requires_grad_(True)
    xenc = F.one_hot(xs, W.shape[0]).float()
    loss = loss_fn(forward(xenc, W), ys, W, reg)
    loss.backward()
    return W.grad


def train(xs: torch.Tensor, ys: torch.Tensor, num_classes: int, steps: int, lr: float, reg: float,
          seed: int) -> tuple[torch.Tensor, list[float]]:
    """Full-batch gradient descent from W = randn((V, V), generator seeded with seed).

    Returns (final W, losses) where losses[k] is the loss computed at step k, before that step's update.
    """
    g = torch.Generator().manual_seed(seed)
    W = torch.randn((num_classes, num_classes), generator=g, requires_grad=True)
    xenc = F.one_hot(xs, num_classes).float()
    losses: list[float] = []
    for _ in range(steps):
        loss = loss_fn(forward(xenc, W), ys, W, reg)
        W.grad = None
        loss.backward()
        W.data += -lr * W.grad
        with torch.no_grad():
            losses.append(loss_fn(forward(xenc, W), ys, W, reg).item())
    return W.detach(), losses
