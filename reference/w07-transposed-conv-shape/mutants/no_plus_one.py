"""Mutant: drops the final + 1 of the transposed-conv formula."""

from __future__ import annotations

from torch import nn


def conv_output_size(h_in: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Size after nn.Conv2d along one axis: floor((H + 2p - d(k - 1) - 1) / s) + 1."""
    return (h_in + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1


def _check_output_padding(output_padding: int, stride: int, dilation: int) -> None:
    """PyTorch's rule: output_padding must be smaller than the stride or the dilation."""
    if output_padding < 0 or output_padding >= max(stride, dilation):
        raise ValueError(f"output_padding={output_padding} must be in [0, max(stride, dilation)) = [0, {max(stride, dilation)})")


def conv_transpose_output_size(h_in: int, kernel_size: int, stride: int = 1, padding: int = 0,
                               output_padding: int = 0, dilation: int = 1) -> int:
    """Size after nn.ConvTranspose2d along one axis: (H - 1)s - 2p + d(k - 1) + output_padding + 1."""
    _check_output_padding(output_padding, stride, dilation)
    return (h_in - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + output_padding


def output_padding_for(h_in: int, target: int, kernel_size: int, stride: int = 1, padding: int = 0,
                       dilation: int = 1) -> int:
    """The output_padding that makes a transposed conv produce `target`; ValueError if none does."""
    output_padding = target - conv_transpose_output_size(h_in, kernel_size, stride, padding, 0, dilation)
    _check_output_padding(output_padding, stride, dilation)
    return output_padding


def make_upsampler(in_channels: int, out_channels: int, factor: int) -> nn.ConvTranspose2d:
    """A transposed conv that multiplies H and W by `factor` exactly: k = s = factor, p = 0."""
    return nn.ConvTranspose2d(in_channels, out_channels, kernel_size=factor, stride=factor)
