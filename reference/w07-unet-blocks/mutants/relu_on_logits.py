"""Mutant: applies ReLU to the output logits."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def conv_block(in_channels: int, out_channels: int) -> nn.Sequential:
    """Two 3x3 convolutions with padding 1 (size-preserving), each followed by ReLU."""
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1),
        nn.ReLU(),
    )


def conv_block_param_count(in_channels: int, out_channels: int) -> int:
    """Weights and biases of conv_block: 9*in*out + out + 9*out*out + out."""
    return 9 * in_channels * out_channels + out_channels + 9 * out_channels * out_channels + out_channels


class UpBlock(nn.Module):
    """Decoder step: upsample x2 with a transposed conv, concatenate the skip, run a conv block."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.up = nn.ConvTranspose2d(in_channels, out_channels, kernel_size=2, stride=2)
        self.conv = conv_block(2 * out_channels, out_channels)

    def forward(self, x: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        up = self.up(x)
        pad_h, pad_w = skip.shape[2] - up.shape[2], skip.shape[3] - up.shape[3]
        if pad_h or pad_w:
            up = F.pad(up, (0, pad_w, 0, pad_h))  # odd sizes: zeros on the right and at the bottom
        return self.conv(torch.cat([up, skip], dim=1))


class UNet(nn.Module):
    """A 4-level U-Net: 3 poolings down, 3 UpBlocks back up, a 1x1 conv to class logits."""

    def __init__(self, in_channels: int = 3, out_channels: int = 2, base: int = 64) -> None:
        super().__init__()
        self.enc1 = conv_block(in_channels, base)
        self.enc2 = conv_block(base, 2 * base)
        self.enc3 = conv_block(2 * base, 4 * base)
        self.enc4 = conv_block(4 * base, 8 * base)
        self.pool = nn.MaxPool2d(2, 2)
        self.up3 = UpBlock(8 * base, 4 * base)
        self.up2 = UpBlock(4 * base, 2 * base)
        self.up1 = UpBlock(2 * base, base)
        self.out = nn.Conv2d(base, out_channels, kernel_size=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        e3 = self.enc3(self.pool(e2))
        e4 = self.enc4(self.pool(e3))
        d3 = self.up3(e4, e3)
        d2 = self.up2(d3, e2)
        d1 = self.up1(d2, e1)
        return torch.relu(self.out(d1))


def up_block_param_count(in_channels: int, out_channels: int) -> int:
    """ConvTranspose2d(in, out, 2, 2) has 4*in*out + out parameters, then conv_block(2*out, out)."""
    return 4 * in_channels * out_channels + out_channels + conv_block_param_count(2 * out_channels, out_channels)


def unet_param_count(in_channels: int = 3, out_channels: int = 2, base: int = 64) -> int:
    """Parameters of UNet(in_channels, out_channels, base), from the formulas (no model is built)."""
    b = base
    encoder = (conv_block_param_count(in_channels, b) + conv_block_param_count(b, 2 * b)
               + conv_block_param_count(2 * b, 4 * b) + conv_block_param_count(4 * b, 8 * b))
    decoder = up_block_param_count(8 * b, 4 * b) + up_block_param_count(4 * b, 2 * b) + up_block_param_count(2 * b, b)
    return encoder + decoder + b * out_channels + out_channels
