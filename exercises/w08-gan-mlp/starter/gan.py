"""w08-gan-mlp: a GAN whose generator and discriminator use only nn.Linear layers (notes L6525-6556).

Use exactly the attribute names and layer orders below: the grader loads its own weights into your
modules with load_state_dict and compares the outputs.
"""

from __future__ import annotations

import torch
from torch import nn


def gen_block(in_dim: int, out_dim: int) -> nn.Sequential:
    """nn.Sequential(nn.Linear(in_dim, out_dim), nn.BatchNorm1d(out_dim), nn.ReLU())."""
    raise NotImplementedError  # TODO


def disc_block(in_dim: int, out_dim: int) -> nn.Sequential:
    """nn.Sequential(nn.Linear(in_dim, out_dim), nn.LeakyReLU(0.2))."""
    raise NotImplementedError  # TODO


class Generator(nn.Module):
    """self.generator = nn.Sequential(gen_block(in_dim, h), gen_block(h, 2h), gen_block(2h, 4h),
    nn.Linear(4h, out_dim), nn.Sigmoid()) with h = hidden_dim. forward(noise (N, in_dim)) -> (N, out_dim).
    """

    def __init__(self, in_dim: int, out_dim: int, hidden_dim: int = 256) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, noise: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


class Discriminator(nn.Module):
    """self.discriminator = nn.Sequential(disc_block(im_dim, h), disc_block(h, h // 2),
    disc_block(h // 2, h // 4), nn.Linear(h // 4, 1)) with h = hidden_dim. Returns raw logits (N, 1).
    """

    def __init__(self, im_dim: int, hidden_dim: int = 1024) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


def generator_param_count(in_dim: int, out_dim: int, hidden_dim: int = 256) -> int:
    """Number of parameters of Generator(in_dim, out_dim, hidden_dim), by formula."""
    raise NotImplementedError  # TODO


def discriminator_param_count(im_dim: int, hidden_dim: int = 1024) -> int:
    """Number of parameters of Discriminator(im_dim, hidden_dim), by formula."""
    raise NotImplementedError  # TODO
