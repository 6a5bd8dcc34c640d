"""w13-lr-finder: find a learning rate with an exponent grid, then decay it.

forward is given: keep it as it is. Fill in every TODO and keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def forward(params: dict[str, torch.Tensor], X: torch.Tensor) -> torch.Tensor:
    """Given (do not change): the MLP of w13-mlp-model, logits = tanh(C[X].view(N, -1) @ W1 + b1) @ W2 + b2."""
    emb = params["C"][X]
    h = torch.tanh(emb.view(emb.shape[0], -1) @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]


def lr_candidates(n: int, low: float = -3.0, high: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
    """(lre, lrs): lre = torch.linspace(low, high, n), lrs = 10**lre."""
    raise NotImplementedError  # TODO


def lr_sweep(params: dict[str, torch.Tensor], X: torch.Tensor, Y: torch.Tensor, lrs: torch.Tensor,
             batch_size: int = 32, seed: int = 0) -> tuple[list[float], list[float]]:
    """One minibatch gradient step per candidate (step i uses lrs[i]); returns (lri, lossi)."""
    raise NotImplementedError  # TODO


def best_lr(lri: list[float], lossi: list[float], window: int = 10) -> float:
    """The learning rate where the trailing mean of the losses is lowest."""
    raise NotImplementedError  # TODO


def lr_schedule(step: int, lr: float, decay_step: int, factor: float = 10.0) -> float:
    """lr before decay_step, lr / factor from decay_step on."""
    raise NotImplementedError  # TODO
