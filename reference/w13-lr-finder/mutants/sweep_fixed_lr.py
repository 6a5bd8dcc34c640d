"""Mutant: every sweep step uses the first candidate lrs[0]."""

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
    lre = torch.linspace(low, high, n)
    lrs = 10**lre
    return lre, lrs


def lr_sweep(params: dict[str, torch.Tensor], X: torch.Tensor, Y: torch.Tensor, lrs: torch.Tensor,
             batch_size: int = 32, seed: int = 0) -> tuple[list[float], list[float]]:
    """One minibatch SGD step per candidate, step i with lrs[i], on copies of params.
    Returns (lri, lossi): log10 of the learning rate used and the minibatch loss before that step."""
    g = torch.Generator().manual_seed(seed)
    p = {name: t.detach().clone().requires_grad_(True) for name, t in params.items()}
    lri: list[float] = []
    lossi: list[float] = []
    for i in range(len(lrs)):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=g)
        loss = F.cross_entropy(forward(p, X[ix]), Y[ix])
        for t in p.values():
            t.grad = None
        loss.backward()
        lr = float(lrs[0])
        with torch.no_grad():
            for t in p.values():
                t -= lr * t.grad
        lri.append(math.log10(lr))
        lossi.append(loss.item())
    return lri, lossi


def best_lr(lri: list[float], lossi: list[float], window: int = 10) -> float:
    """10**lri[j] where j minimises the trailing mean of the losses over `window` steps (fewer at the start)."""
    smoothed = [sum(lossi[max(0, i - window + 1):i + 1]) / (i + 1 - max(0, i - window + 1)) for i in range(len(lossi))]
    j = min(range(len(smoothed)), key=smoothed.__getitem__)
    return 10 ** lri[j]


def lr_schedule(step: int, lr: float, decay_step: int, factor: float = 10.0) -> float:
    """lr before decay_step, lr / factor from decay_step on."""
    return lr if step < decay_step else lr / factor
