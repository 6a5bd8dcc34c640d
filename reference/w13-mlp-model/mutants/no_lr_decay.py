"""Mutant: decay_step is ignored: the learning rate is never divided by 10."""

from __future__ import annotations

import torch
import torch.nn.functional as F

PARAM_NAMES = ("C", "W1", "b1", "W2", "b2")


def init_params(vocab_size: int, block_size: int = 3, n_embd: int = 10, n_hidden: int = 200,
                seed: int = 2147483647) -> dict[str, torch.Tensor]:
    """Draw C, W1, b1, W2, b2 (in this order) with torch.randn from one seeded Generator, then scale."""
    g = torch.Generator().manual_seed(seed)
    fan_in = block_size * n_embd
    C = torch.randn((vocab_size, n_embd), generator=g)
    W1 = torch.randn((fan_in, n_hidden), generator=g) * (5 / 3) / fan_in**0.5
    b1 = torch.randn(n_hidden, generator=g) * 0.01
    W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.01
    b2 = torch.randn(vocab_size, generator=g) * 0
    return {"C": C, "W1": W1, "b1": b1, "W2": W2, "b2": b2}


def embed(C: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
    """C[X]: [N, block_size] indices -> [N, block_size, n_embd]."""
    return C[X]


def embed_onehot(C: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
    """The same embedding as a matrix product: one_hot(X, vocab_size).float() @ C."""
    return F.one_hot(X, num_classes=C.shape[0]).float() @ C


def forward(params: dict[str, torch.Tensor], X: torch.Tensor) -> torch.Tensor:
    """Logits [N, vocab_size] = tanh(C[X].view(N, -1) @ W1 + b1) @ W2 + b2."""
    emb = params["C"][X]
    h = torch.tanh(emb.view(emb.shape[0], -1) @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]


def loss(params: dict[str, torch.Tensor], X: torch.Tensor, Y: torch.Tensor) -> float:
    """Mean cross-entropy of forward(params, X) against Y, as a Python float."""
    with torch.no_grad():
        return float(F.cross_entropy(forward(params, X), Y).item())


def train(params: dict[str, torch.Tensor], X: torch.Tensor, Y: torch.Tensor, steps: int, batch_size: int = 32,
          lr: float = 0.1, seed: int = 0, decay_step: int | None = None) -> tuple[dict[str, torch.Tensor], list[float]]:
    """Minibatch gradient descent on copies of params; returns (trained params, minibatch loss per step)."""
    g = torch.Generator().manual_seed(seed)
    p = {name: params[name].detach().clone().requires_grad_(True) for name in PARAM_NAMES}
    losses: list[float] = []
    for step in range(steps):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=g)
        batch_loss = F.cross_entropy(forward(p, X[ix]), Y[ix])
        for t in p.values():
            t.grad = None
        batch_loss.backward()
        step_lr = lr
        with torch.no_grad():
            for t in p.values():
                t -= step_lr * t.grad
        losses.append(batch_loss.item())
    return {name: t.detach() for name, t in p.items()}, losses


def lr_candidates(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(lre, lrs): n exponents evenly spaced in [-3, 0] and the learning rates 10**lre (0.001 .. 1)."""
    lre = torch.linspace(-3, 0, n)
    lrs = 10**lre
    return lre, lrs
