"""Mutant: widens the discriminator (hidden, 2*hidden, 4*hidden) like the generator instead of narrowing it."""

from __future__ import annotations

import torch
from torch import nn


def gen_block(in_dim: int, out_dim: int) -> nn.Sequential:
    """Linear -> BatchNorm1d -> ReLU."""
    return nn.Sequential(nn.Linear(in_dim, out_dim), nn.BatchNorm1d(out_dim), nn.ReLU())


def disc_block(in_dim: int, out_dim: int) -> nn.Sequential:
    """Linear -> LeakyReLU(0.2)."""
    return nn.Sequential(nn.Linear(in_dim, out_dim), nn.LeakyReLU(0.2))


class Generator(nn.Module):
    """Noise (N, in_dim) -> images flattened to (N, out_dim) with values in [0, 1]."""

    def __init__(self, in_dim: int, out_dim: int, hidden_dim: int = 256) -> None:
        super().__init__()
        self.generator = nn.Sequential(
            gen_block(in_dim, hidden_dim),
            gen_block(hidden_dim, hidden_dim * 2),
            gen_block(hidden_dim * 2, hidden_dim * 4),
            nn.Linear(hidden_dim * 4, out_dim),
            nn.Sigmoid(),
        )

    def forward(self, noise: torch.Tensor) -> torch.Tensor:
        return self.generator(noise)


class Discriminator(nn.Module):
    """Flattened images (N, im_dim) -> raw logits (N, 1): no sigmoid (BCEWithLogitsLoss applies it)."""

    def __init__(self, im_dim: int, hidden_dim: int = 1024) -> None:
        super().__init__()
        self.discriminator = nn.Sequential(
            disc_block(im_dim, hidden_dim),
            disc_block(hidden_dim, hidden_dim * 2),
            disc_block(hidden_dim * 2, hidden_dim * 4),
            nn.Linear(hidden_dim * 4, 1),
        )

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.discriminator(images)


def generator_param_count(in_dim: int, out_dim: int, hidden_dim: int = 256) -> int:
    """Parameters of Generator(in_dim, out_dim, hidden_dim) by formula (BatchNorm1d has weight and bias)."""
    h1, h2, h3 = hidden_dim, 2 * hidden_dim, 4 * hidden_dim
    blocks = (in_dim * h1 + h1 + 2 * h1) + (h1 * h2 + h2 + 2 * h2) + (h2 * h3 + h3 + 2 * h3)
    return blocks + h3 * out_dim + out_dim


def discriminator_param_count(im_dim: int, hidden_dim: int = 1024) -> int:
    """Parameters of Discriminator(im_dim, hidden_dim) by formula."""
    h1, h2, h3 = hidden_dim, hidden_dim // 2, hidden_dim // 4
    return (im_dim * h1 + h1) + (h1 * h2 + h2) + (h2 * h3 + h3) + (h3 + 1)
