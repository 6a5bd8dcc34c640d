"""w07-unet-blocks: U-Net building blocks (notes L6158-6204), their shapes and parameter counts.

Use exactly the layer names and the order below: the grader loads its own weights into your modules
with load_state_dict and then compares outputs.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def conv_block(in_channels: int, out_channels: int) -> nn.Sequential:
    """nn.Sequential(Conv2d(in, out, 3, padding=1), ReLU(), Conv2d(out, out, 3, padding=1), ReLU())."""
    raise NotImplementedError  # TODO


def conv_block_param_count(in_channels: int, out_channels: int) -> int:
    """Number of parameters (weights and biases) of conv_block(in_channels, out_channels), by formula."""
    raise NotImplementedError  # TODO


class UpBlock(nn.Module):
    """One decoder step of the U-Net.

    self.up   = nn.ConvTranspose2d(in_channels, out_channels, kernel_size=2, stride=2)
    self.conv = conv_block(2 * out_channels, out_channels)
    forward(x, skip): upsample x; if it is smaller than skip (odd sizes), zero-pad it on the right and
    at the bottom to skip's height and width; concatenate [upsampled, skip] along the channels; conv.
    """

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


class UNet(nn.Module):
    """A 4-level U-Net returning raw logits [N, out_channels, H, W] for any H, W.

    enc1 = conv_block(in_channels, base), enc2 = conv_block(base, 2*base),
    enc3 = conv_block(2*base, 4*base), enc4 = conv_block(4*base, 8*base), pool = nn.MaxPool2d(2, 2),
    up3 = UpBlock(8*base, 4*base), up2 = UpBlock(4*base, 2*base), up1 = UpBlock(2*base, base),
    out = nn.Conv2d(base, out_channels, kernel_size=1).
    forward: e1 = enc1(x), e2 = enc2(pool(e1)), e3 = enc3(pool(e2)), e4 = enc4(pool(e3)),
             then up3(e4, e3), up2(., e2), up1(., e1), out(.).
    """

    def __init__(self, in_channels: int = 3, out_channels: int = 2, base: int = 64) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


def unet_param_count(in_channels: int = 3, out_channels: int = 2, base: int = 64) -> int:
    """Number of parameters of UNet(in_channels, out_channels, base), by formula (without building it)."""
    raise NotImplementedError  # TODO
