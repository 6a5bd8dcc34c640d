"""w08-dcgan: a convolutional GAN that follows the DCGAN guidelines (notes L6963-7003), for 96 x 96 images.

Use exactly the attribute names and layer orders of README.md: the grader loads its own weights into your
modules with load_state_dict and compares the outputs.
"""

from __future__ import annotations

import torch
from torch import nn


def dc_gen_block(in_channels: int, out_channels: int, kernel_size: int, stride: int, padding: int) -> nn.Sequential:
    """ConvTranspose2d (no bias: BatchNorm2d follows) -> BatchNorm2d -> ReLU."""
    raise NotImplementedError  # TODO


def dc_disc_block(in_channels: int, out_channels: int, kernel_size: int, stride: int, padding: int,
                  batch_norm: bool = True) -> nn.Sequential:
    """Conv2d -> BatchNorm2d -> LeakyReLU(0.2); without batch_norm: Conv2d (with bias) -> LeakyReLU(0.2)."""
    raise NotImplementedError  # TODO


class DCGenerator(nn.Module):
    """Noise (N, in_dim) -> images (N, channels, 96, 96) in [-1, 1]: 1 -> 6 -> 12 -> 24 -> 48 -> 96."""

    def __init__(self, in_dim: int = 16, ngf: int = 64, channels: int = 3) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, noise: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


class DCDiscriminator(nn.Module):
    """Images (N, channels, 96, 96) -> logits (N, 1): 96 -> 48 -> 24 -> 12 -> 6 -> 1, no Linear, no pooling."""

    def __init__(self, channels: int = 3, ndf: int = 64) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


def dc_generator_param_count(in_dim: int = 16, ngf: int = 64, channels: int = 3) -> int:
    """Parameters of DCGenerator by formula: k*k*in*out per bias-free block conv, 2*out per BatchNorm2d."""
    raise NotImplementedError  # TODO


def dc_discriminator_param_count(channels: int = 3, ndf: int = 64) -> int:
    """Parameters of DCDiscriminator by formula."""
    raise NotImplementedError  # TODO
