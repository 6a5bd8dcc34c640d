"""Mutant (hostile): make_upsampler returns a module named ConvTranspose2d with a [C_in, C_out, 1, 1] weight that
resizes its input (nearest) and applies a 1x1 transposed conv: every shape test passes, the values are not
those of the transposed convolution it claims to be."""

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
    return (h_in - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + output_padding + 1


def output_padding_for(h_in: int, target: int, kernel_size: int, stride: int = 1, padding: int = 0,
                       dilation: int = 1) -> int:
    """The output_padding that makes a transposed conv produce `target`; ValueError if none does."""
    output_padding = target - conv_transpose_output_size(h_in, kernel_size, stride, padding, 0, dilation)
    _check_output_padding(output_padding, stride, dilation)
    return output_padding


def make_upsampler(in_channels: int, out_channels: int, factor: int) -> nn.ConvTranspose2d:
    """A transposed conv that multiplies H and W by `factor` exactly: k = s = factor, p = 0."""
    return ConvTranspose2d(in_channels, out_channels, kernel_size=1, factor=factor)


class ConvTranspose2d(nn.ConvTranspose2d):
    """A 1x1 transposed conv that first resizes its input (nearest neighbour): the right output shape, and it
    is called ConvTranspose2d, but it is not the transposed convolution its weight and settings describe."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, factor: int) -> None:
        super().__init__(in_channels, out_channels, kernel_size=kernel_size)
        self.factor = factor

    def forward(self, x, output_size=None):  # type: ignore[override]
        return super().forward(nn.functional.interpolate(x, scale_factor=self.factor, mode="nearest"))
