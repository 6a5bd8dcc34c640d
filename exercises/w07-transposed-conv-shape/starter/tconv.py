"""w07-transposed-conv-shape: output sizes of convolutions and transposed convolutions (notes L6041-6074).

All sizes are along one spatial axis (the same formula applies to H and W). Return Python ints.
"""

from __future__ import annotations

from torch import nn


def conv_output_size(h_in: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Output size of nn.Conv2d: floor((H_in + 2p - d(k - 1) - 1) / s) + 1."""
    raise NotImplementedError  # TODO


def conv_transpose_output_size(h_in: int, kernel_size: int, stride: int = 1, padding: int = 0,
                               output_padding: int = 0, dilation: int = 1) -> int:
    """Output size of nn.ConvTranspose2d.

    H_out = (H_in - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + output_padding + 1
    Raise ValueError unless 0 <= output_padding < max(stride, dilation) (PyTorch's rule).
    """
    raise NotImplementedError  # TODO


def output_padding_for(h_in: int, target: int, kernel_size: int, stride: int = 1, padding: int = 0,
                       dilation: int = 1) -> int:
    """The output_padding with which nn.ConvTranspose2d turns size h_in into `target`.

    Raise ValueError if no legal output_padding (0 <= output_padding < max(stride, dilation)) gives target.
    """
    raise NotImplementedError  # TODO


def make_upsampler(in_channels: int, out_channels: int, factor: int) -> nn.ConvTranspose2d:
    """An nn.ConvTranspose2d that maps (N, in_channels, H, W) to (N, out_channels, factor*H, factor*W) for ANY H, W."""
    raise NotImplementedError  # TODO
