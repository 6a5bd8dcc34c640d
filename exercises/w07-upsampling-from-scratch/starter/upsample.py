"""w07-upsampling-from-scratch: upsampling techniques (notes L5987-6039) written by hand.

All feature maps are float tensors [N, C, H, W]. Do NOT use F.interpolate, nn.Upsample, F.max_pool2d,
nn.MaxPool2d, F.max_unpool2d or nn.MaxUnpool2d: indexing, arithmetic, reshape, max/argmax, scatter
and friends are enough.
"""

from __future__ import annotations

import torch


def nearest_upsample(x: torch.Tensor, scale: int) -> torch.Tensor:
    """Nearest-neighbour upsampling by an integer factor: [N, C, H, W] -> [N, C, H*scale, W*scale]."""
    raise NotImplementedError  # TODO


def bilinear_upsample(x: torch.Tensor, out_size: tuple[int, int]) -> torch.Tensor:
    """Corner-aligned bilinear interpolation to out_size = (H_out, W_out), both >= 2.

    The input's corner values are placed in the corners of the new map (notes L6018), so output row i
    samples the input at row i * (H - 1) / (H_out - 1) (the same for columns with W).
    """
    raise NotImplementedError  # TODO


def max_pool_with_indices(x: torch.Tensor, kernel_size: int = 2) -> tuple[torch.Tensor, torch.Tensor]:
    """Max pooling with stride = kernel_size: (pooled [N, C, H//k, W//k], indices of the same shape, int64).

    indices hold the flat position row * W + col of each maximum in the H x W input plane.
    Ties go to the first maximum in row-major order inside the window. Leftover rows/columns are dropped.
    """
    raise NotImplementedError  # TODO


def max_unpool(pooled: torch.Tensor, indices: torch.Tensor, output_size: tuple[int, int]) -> torch.Tensor:
    """Max unpooling: a zero map [N, C, *output_size] with each pooled value placed at its index."""
    raise NotImplementedError  # TODO
