"""Hidden tests for w07-transposed-conv-shape (size formulas checked against real torch layers)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from grader.judge import assert_close, assert_equal, points


def assert_raises_value_error(call, *args) -> None:
    """The student's call raises ValueError (from the sandbox it arrives as an exception with type_name)."""
    with pytest.raises(Exception) as info:
        call(*args)
    name = getattr(info.value, "type_name", type(info.value).__name__)
    assert name == "ValueError", f"expected ValueError, got {name}: {info.value}"

# (k, s, p) -> outputs for H_in = 1, 4, 7, 8 (catalog table, checked against nn.ConvTranspose2d)
TABLE = {(2, 2, 0): [2, 8, 14, 16], (4, 2, 1): [2, 8, 14, 16], (3, 2, 1): [1, 7, 13, 15],
         (3, 1, 1): [1, 4, 7, 8], (4, 1, 0): [4, 7, 10, 11]}


def torch_transposed_size(h_in: int, k: int, s: int, p: int, op: int = 0, d: int = 1) -> int:
    """What nn.ConvTranspose2d really outputs (the ground truth, computed in the judge)."""
    layer = nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, output_padding=op, dilation=d, bias=False)
    with torch.no_grad():
        return int(layer(torch.zeros(1, 1, h_in, h_in)).shape[-1])


def random_config(rng: np.random.Generator, dilation: bool) -> tuple[int, int, int, int, int, int]:
    """(h_in, k, s, p, output_padding, d) with a positive output size and a legal output_padding."""
    k, s = int(rng.integers(1, 7)), int(rng.integers(1, 5))
    d = int(rng.integers(2, 4)) if dilation else 1
    p = int(rng.integers(0, (d * (k - 1)) // 2 + 1))
    op = int(rng.integers(0, max(s, d)))
    return int(rng.integers(1, 12)), k, s, p, op, d


@points(1, hint="floor((H + 2p - d(k - 1) - 1) / s) + 1 with integer division")
def test_conv_output_size(student, reference, rng):
    """conv_output_size equals nn.Conv2d's output size on fixed and random configurations."""
    for h, k, s, p, expected in ((224, 7, 2, 3, 112), (13, 3, 2, 1, 7), (14, 3, 2, 1, 7), (9, 2, 4, 0, 2)):
        assert_equal(student.conv_output_size(h, k, s, p), expected, msg=f"H={h} k={k} s={s} p={p}")
    for _ in range(12):
        h, k, s, p, _, d = random_config(rng, dilation=bool(rng.integers(0, 2)))
        h += d * k
        layer = nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d)
        expected = int(layer(torch.zeros(1, 1, h, h)).shape[-1])
        assert_equal(student.conv_output_size(h, k, s, p, d), expected, msg=f"H={h} k={k} s={s} p={p} d={d}")


@points(1, hint="H_out = (H_in - 1) * stride - 2 * padding + (kernel_size - 1) + 1 when dilation = 1")
def test_transposed_table(student, reference, rng):
    """The table of transposed-conv sizes for (k, s, p) in {(2,2,0), (4,2,1), (3,2,1), (3,1,1), (4,1,0)}."""
    for (k, s, p), outs in TABLE.items():
        for h, out in zip((1, 4, 7, 8), outs, strict=True):
            assert_equal(student.conv_transpose_output_size(h, k, s, p), out, msg=f"H={h} k={k} s={s} p={p}")


@points(2, hint="the formula is (H_in - 1) * stride, not H_in * stride; don't forget output_padding and the + 1")
def test_transposed_random(student, reference, rng):
    """conv_transpose_output_size equals nn.ConvTranspose2d on random configurations (dilation 1)."""
    for _ in range(15):
        h, k, s, p, op, d = random_config(rng, dilation=False)
        assert_equal(student.conv_transpose_output_size(h, k, s, p, op, d), torch_transposed_size(h, k, s, p, op, d),
                     msg=f"H={h} k={k} s={s} p={p} output_padding={op}")


@points(1, hint="a dilated kernel spans dilation * (kernel_size - 1) + 1 pixels")
def test_transposed_dilation(student, reference, rng):
    """conv_transpose_output_size equals nn.ConvTranspose2d with dilation 2 or 3."""
    for _ in range(10):
        h, k, s, p, op, d = random_config(rng, dilation=True)
        k = max(k, 2)
        assert_equal(student.conv_transpose_output_size(h, k, s, p, op, d), torch_transposed_size(h, k, s, p, op, d),
                     msg=f"H={h} k={k} s={s} p={p} output_padding={op} d={d}")


@points(1, hint="PyTorch: output_padding must be smaller than either the stride or the dilation; "
                "raise ValueError otherwise")
def test_output_padding_validation(student, reference, rng):
    """Legal output_padding values work (also op=1 with s=1, d=2); op >= max(stride, dilation) raises ValueError."""
    assert_equal(student.conv_transpose_output_size(5, 3, 2, 0, 1), torch_transposed_size(5, 3, 2, 0, 1))
    assert_equal(student.conv_transpose_output_size(5, 3, 1, 0, 1, 2), torch_transposed_size(5, 3, 1, 0, 1, 2))
    s = int(rng.integers(1, 4))
    assert_raises_value_error(student.conv_transpose_output_size, 6, 3, s, 1, s)
    assert_raises_value_error(student.conv_transpose_output_size, 6, 3, 1, 1, 1)


@points(1, hint="output_padding = target - (size with output_padding 0); it must be in [0, max(stride, dilation))")
def test_output_padding_for(student, reference, rng):
    """output_padding_for gives an output_padding with which nn.ConvTranspose2d reaches the target; else ValueError."""
    for _ in range(6):
        h, k, s, p, op, d = random_config(rng, dilation=bool(rng.integers(0, 2)))
        target = torch_transposed_size(h, k, s, p, op, d)
        got = student.output_padding_for(h, target, k, s, p, d)
        assert_equal(got, op)
        assert_equal(torch_transposed_size(h, k, s, p, got, d), target)
    # undo a stride-2 conv on an odd size: 13 -> 7 -> 13 needs output_padding 0, 14 needs 1, 15 is impossible
    assert_equal(student.output_padding_for(7, 14, 3, 2, 1), 1)
    assert_raises_value_error(student.output_padding_for, 7, 15, 3, 2, 1)


@points(3, hint="H_out = factor * H_in for EVERY H_in: only kernel_size = stride = factor (padding 0) does that simply")
def test_make_upsampler(student, reference, rng):
    """make_upsampler(C_in, C_out, f) returns a ConvTranspose2d mapping (N, C_in, H, W) to (N, C_out, f*H, f*W).

    Besides the shape, the output values must be those of a transposed convolution with the layer's own
    weight, bias and settings (computed here with F.conv_transpose2d), not of some other resizing.
    """
    c_in, c_out = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    for factor in (2, 4, int(rng.integers(3, 6))):
        up = student.make_upsampler(c_in, c_out, factor)
        assert_equal(tuple(up.weight.shape[:2]), (c_in, c_out))
        settings = {"stride": tuple(up.stride), "padding": tuple(up.padding),
                    "output_padding": tuple(up.output_padding), "dilation": tuple(up.dilation), "groups": up.groups}
        weight, bias = up.weight, up.bias
        for h, w in ((8, 8), (13, 13), (int(rng.integers(3, 12)), int(rng.integers(3, 12)))):
            x = torch.randn(2, c_in, h, w)
            out = up(x)
            assert_equal(tuple(out.shape), (2, c_out, factor * h, factor * w))
            with torch.no_grad():
                expected = F.conv_transpose2d(x, weight, bias, **settings)
            assert_close(out, expected, atol=1e-5, msg=f"values of make_upsampler({c_in}, {c_out}, {factor})")
