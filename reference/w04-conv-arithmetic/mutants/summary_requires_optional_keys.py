"""Mutant: cnn_summary reads layer["padding"], layer["stride"] and a pool's layer["kernel_size"]
directly, so a layer dict that leaves out an optional key (the defaults 0, 1, 2) raises KeyError."""

from __future__ import annotations


def conv_output_size(size: int, kernel_size: int, padding: int = 0, stride: int = 1) -> int:
    """Output height (or width) of nn.Conv2d: floor((size + 2*padding - kernel_size) / stride) + 1."""
    return (size + 2 * padding - kernel_size) // stride + 1


def pool_output_size(size: int, kernel_size: int = 2, stride: int | None = None) -> int:
    """Output height (or width) of nn.MaxPool2d (stride defaults to kernel_size, leftovers dropped)."""
    stride = kernel_size if stride is None else stride
    return (size - kernel_size) // stride + 1


def count_params_linear(in_features: int, out_features: int, bias: bool = True) -> int:
    """Parameters of nn.Linear: one weight per (input, output) pair plus one bias per output."""
    return in_features * out_features + (out_features if bias else 0)


def count_params_conv(in_channels: int, out_channels: int, kernel_size: int | tuple[int, int], bias: bool = True) -> int:
    """Parameters of nn.Conv2d: each of the out_channels filters has in_channels * kh * kw weights (+ 1 bias)."""
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    return out_channels * in_channels * kh * kw + (out_channels if bias else 0)


def cnn_summary(input_shape: tuple[int, int, int], layers: list[dict]) -> tuple[list[tuple[int, ...]], int]:
    """Shape after every layer (batch dimension left out) and the total number of parameters.

    Layer dicts: {"type": "conv", "out_channels", "kernel_size", "padding"=0, "stride"=1},
    {"type": "pool", "kernel_size"=2, "stride"=kernel_size}, {"type": "relu"}, {"type": "elu"},
    {"type": "flatten"}, {"type": "linear", "out_features"}.
    """
    shape: tuple[int, ...] = tuple(input_shape)
    shapes: list[tuple[int, ...]] = []
    total = 0
    for layer in layers:
        kind = layer["type"]
        if kind == "conv":
            channels, height, width = shape
            k, p, s = layer["kernel_size"], layer["padding"], layer["stride"]
            total += count_params_conv(channels, layer["out_channels"], k)
            shape = (layer["out_channels"], conv_output_size(height, k, p, s), conv_output_size(width, k, p, s))
        elif kind == "pool":
            channels, height, width = shape
            k = layer["kernel_size"]
            s = layer.get("stride", k)
            shape = (channels, pool_output_size(height, k, s), pool_output_size(width, k, s))
        elif kind == "flatten":
            size = 1
            for dim in shape:
                size *= dim
            shape = (size,)
        elif kind == "linear":
            (in_features,) = shape
            total += count_params_linear(in_features, layer["out_features"])
            shape = (layer["out_features"],)
        elif kind not in ("relu", "elu"):
            raise ValueError(f"unknown layer type {kind!r}")
        shapes.append(shape)
    return shapes, total
