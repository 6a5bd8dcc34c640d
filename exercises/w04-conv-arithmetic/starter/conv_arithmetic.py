"""Week 04: convolution output sizes and parameter counts, worked out without running the network.
Pure Python (no torch needed). See README.md for the layer-dict format of cnn_summary."""

from __future__ import annotations


def conv_output_size(size: int, kernel_size: int, padding: int = 0, stride: int = 1) -> int:
    """Output height (or width) of nn.Conv2d for an input of height (or width) ``size``."""
    raise NotImplementedError  # TODO


def pool_output_size(size: int, kernel_size: int = 2, stride: int | None = None) -> int:
    """Output height (or width) of nn.MaxPool2d(kernel_size, stride); stride defaults to kernel_size."""
    raise NotImplementedError  # TODO


def count_params_linear(in_features: int, out_features: int, bias: bool = True) -> int:
    """Number of learnable parameters of nn.Linear(in_features, out_features, bias=bias)."""
    raise NotImplementedError  # TODO


def count_params_conv(in_channels: int, out_channels: int, kernel_size: int | tuple[int, int], bias: bool = True) -> int:
    """Number of learnable parameters of nn.Conv2d(in_channels, out_channels, kernel_size, bias=bias).

    ``kernel_size`` is an int (square kernel) or a (height, width) tuple.
    """
    raise NotImplementedError  # TODO


def cnn_summary(input_shape: tuple[int, int, int], layers: list[dict]) -> tuple[list[tuple[int, ...]], int]:
    """(shape after each layer without the batch dimension, total number of parameters).

    ``input_shape`` is (channels, height, width); ``layers`` is a list of layer dicts (README.md).
    """
    raise NotImplementedError  # TODO
