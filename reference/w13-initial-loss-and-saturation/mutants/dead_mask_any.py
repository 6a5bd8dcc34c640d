"""Mutant: a neuron counts as dead when ANY example saturates it, not all of them."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def expected_initial_loss(vocab_size: int) -> float:
    """-ln(1/vocab_size): the cross-entropy of a uniform prediction."""
    return -math.log(1 / vocab_size)


def init_mlp(vocab_size: int, block_size: int = 3, n_embd: int = 10, n_hidden: int = 200, seed: int = 2147483647,
             fix_output: bool = False, fix_hidden: bool = False) -> dict[str, torch.Tensor]:
    """C, W1, b1, W2, b2 drawn in this order with randn from one seeded Generator, then the optional fixes."""
    g = torch.Generator().manual_seed(seed)
    C = torch.randn((vocab_size, n_embd), generator=g)
    W1 = torch.randn((block_size * n_embd, n_hidden), generator=g)
    b1 = torch.randn(n_hidden, generator=g)
    W2 = torch.randn((n_hidden, vocab_size), generator=g)
    b2 = torch.randn(vocab_size, generator=g)
    if fix_output:
        W2 = W2 * 0.01
        b2 = b2 * 0
    if fix_hidden:
        W1 = W1 * 0.2
        b1 = b1 * 0.01
    return {"C": C, "W1": W1, "b1": b1, "W2": W2, "b2": b2}


def hidden_layer(params: dict[str, torch.Tensor], X: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(hpreact, h): hpreact = C[X].view(N, -1) @ W1 + b1 and h = tanh(hpreact), both [N, n_hidden]."""
    emb = params["C"][X]
    hpreact = emb.view(emb.shape[0], -1) @ params["W1"] + params["b1"]
    return hpreact, torch.tanh(hpreact)


def initial_loss(params: dict[str, torch.Tensor], X: torch.Tensor, Y: torch.Tensor) -> float:
    """Cross-entropy of the logits h @ W2 + b2 against Y, as a Python float."""
    _, h = hidden_layer(params, X)
    return float(F.cross_entropy(h @ params["W2"] + params["b2"], Y).item())


def saturation_fraction(h: torch.Tensor, threshold: float = 0.99) -> float:
    """Fraction of the entries of h with |h| > threshold, as a Python float."""
    return float((h.abs() > threshold).float().mean().item())


def dead_neuron_mask(h: torch.Tensor, threshold: float = 0.99) -> torch.Tensor:
    """bool [n_hidden]: True for a neuron (column of h) with |h| > threshold for every example (row)."""
    return (h.abs() > threshold).any(dim=0)


def tanh_local_grad(t: torch.Tensor) -> torch.Tensor:
    """d tanh / d x expressed with the OUTPUT t = tanh(x): 1 - t**2 (0 where t = +-1)."""
    return 1 - t**2
