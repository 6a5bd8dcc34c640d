"""Mutant: returns the discriminator's raw (N, 1, 1, 1) map instead of (N, 1) logits."""

from __future__ import annotations

import torch
from torch import nn


def dc_gen_block(in_channels: int, out_channels: int, kernel_size: int, stride: int, padding: int) -> nn.Sequential:
    """ConvTranspose2d (no bias: BatchNorm2d follows) -> BatchNorm2d -> ReLU."""
    return nn.Sequential(
        nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride, padding, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(),
    )


def dc_disc_block(in_channels: int, out_channels: int, kernel_size: int, stride: int, padding: int,
                  batch_norm: bool = True) -> nn.Sequential:
    """Conv2d -> BatchNorm2d -> LeakyReLU(0.2); without batch_norm: Conv2d (with bias) -> LeakyReLU(0.2)."""
    if not batch_norm:
        return nn.Sequential(nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding), nn.LeakyReLU(0.2))
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.LeakyReLU(0.2),
    )


class DCGenerator(nn.Module):
    """Noise (N, in_dim) -> images (N, channels, 96, 96) in [-1, 1]: 1 -> 6 -> 12 -> 24 -> 48 -> 96."""

    def __init__(self, in_dim: int = 16, ngf: int = 64, channels: int = 3) -> None:
        super().__init__()
        self.in_dim = in_dim
        self.gen = nn.Sequential(
            dc_gen_block(in_dim, ngf * 8, 6, 1, 0),
            dc_gen_block(ngf * 8, ngf * 4, 4, 2, 1),
            dc_gen_block(ngf * 4, ngf * 2, 4, 2, 1),
            dc_gen_block(ngf * 2, ngf, 4, 2, 1),
            nn.ConvTranspose2d(ngf, channels, 4, 2, 1),
            nn.Tanh(),
        )

    def forward(self, noise: torch.Tensor) -> torch.Tensor:
        x = noise.view(len(noise), self.in_dim, 1, 1)
        return self.gen(x)


class DCDiscriminator(nn.Module):
    """Images (N, channels, 96, 96) -> logits (N, 1): 96 -> 48 -> 24 -> 12 -> 6 -> 1, no Linear, no pooling."""

    def __init__(self, channels: int = 3, ndf: int = 64) -> None:
        super().__init__()
        self.disc = nn.Sequential(
            dc_disc_block(channels, ndf, 4, 2, 1, batch_norm=False),
            dc_disc_block(ndf, ndf * 2, 4, 2, 1),
            dc_disc_block(ndf * 2, ndf * 4, 4, 2, 1),
            dc_disc_block(ndf * 4, ndf * 8, 4, 2, 1),
            nn.Conv2d(ndf * 8, 1, 6, 1, 0),
        )

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.disc(images)


def dc_generator_param_count(in_dim: int = 16, ngf: int = 64, channels: int = 3) -> int:
    """Parameters of DCGenerator by formula: k*k*in*out per bias-free block conv, 2*out per BatchNorm2d."""
    layers = [(in_dim, ngf * 8, 6), (ngf * 8, ngf * 4, 4), (ngf * 4, ngf * 2, 4), (ngf * 2, ngf, 4)]
    total = sum(k * k * cin * cout + 2 * cout for cin, cout, k in layers)
    return total + 16 * ngf * channels + channels


def dc_discriminator_param_count(channels: int = 3, ndf: int = 64) -> int:
    """Parameters of DCDiscriminator by formula."""
    first = 16 * channels * ndf + ndf
    layers = [(ndf, ndf * 2), (ndf * 2, ndf * 4), (ndf * 4, ndf * 8)]
    total = first + sum(16 * cin * cout + 2 * cout for cin, cout in layers)
    return total + 36 * ndf * 8 + 1
