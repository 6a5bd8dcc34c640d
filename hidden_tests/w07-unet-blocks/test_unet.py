"""Hidden tests for w07-unet-blocks (conv block, UpBlock with concatenation skips, UNet, parameter counts).

The student's modules get the reference's weights through load_state_dict (strict), so the layer
names and shapes must follow the statement, and then the outputs must match the reference's.
"""

from __future__ import annotations

import torch

from grader.judge import assert_close, assert_equal, points
from grader.judge.data import randn


def with_reference_weights(student_module, reference_module: torch.nn.Module):
    """Load the reference's weights into the student's module (raises if names or shapes differ)."""
    student_module.load_state_dict(reference_module.state_dict())
    return student_module


@points(1.5, hint="Conv2d(3x3, padding=1) -> ReLU -> Conv2d(3x3, padding=1) -> ReLU in an nn.Sequential")
def test_conv_block(student, reference, rng):
    """conv_block(c_in, c_out): same layers as the reference and the same output on a random batch."""
    c_in, c_out = int(rng.integers(2, 5)), int(rng.integers(3, 7))
    ref = reference.conv_block(c_in, c_out)
    block = with_reference_weights(student.conv_block(c_in, c_out), ref)
    x = randn(rng, 2, c_in, 9, 11)
    with torch.no_grad():
        expected = ref(x)
    assert_close(block(x), expected)


@points(1, hint="a Conv2d(in, out, 3) has 9 * in * out weights plus out biases")
def test_conv_block_param_count(student, reference, rng):
    """conv_block_param_count: 38,720 for (3, 64) and random channel counts."""
    assert_equal(student.conv_block_param_count(3, 64), 38_720)
    c_in, c_out = int(rng.integers(1, 300)), int(rng.integers(1, 300))
    assert_equal(student.conv_block_param_count(c_in, c_out), reference.conv_block_param_count(c_in, c_out))


@points(2, hint="up = ConvTranspose2d(in, out, 2, stride=2); torch.cat([up(x), skip], dim=1) -> conv_block(2 * out, "
        "out)")
def test_up_block(student, reference, rng):
    """UpBlock(in, out)(x, skip) on even sizes: (N, out, 2H, 2W), equal to the reference's output."""
    c_in = int(rng.integers(2, 5)) * 2
    c_out = c_in // 2
    ref = reference.UpBlock(c_in, c_out)
    block = with_reference_weights(student.UpBlock(c_in, c_out), ref)
    x, skip = randn(rng, 2, c_in, 4, 6), randn(rng, 2, c_out, 8, 12)
    with torch.no_grad():
        expected = ref(x, skip)
    assert_close(block(x, skip), expected)


@points(1, hint="when the skip is one pixel larger (odd size before pooling), zero-pad the upsampled map on "
        "the right/bottom")
def test_up_block_odd_skip(student, reference, rng):
    """UpBlock with a skip of odd size (13 x 9 after upsampling 6 x 4 to 12 x 8)."""
    ref = reference.UpBlock(6, 3)
    block = with_reference_weights(student.UpBlock(6, 3), ref)
    x, skip = randn(rng, 1, 6, 6, 4), randn(rng, 1, 3, 13, 9)
    with torch.no_grad():
        expected = ref(x, skip)
    assert_close(block(x, skip), expected)


@points(2.5, hint="3 poolings down, up3/up2/up1 with the encoder outputs taken BEFORE pooling, a 1x1 conv, raw logits")
def test_unet_forward(student, reference, rng):
    """UNet(in, out, base=4) on a 16 x 24 batch: shape (N, out, 16, 24) and the reference's logits."""
    c_in, c_out = int(rng.integers(1, 4)), int(rng.integers(2, 4))
    ref = reference.UNet(c_in, c_out, 4)
    model = with_reference_weights(student.UNet(c_in, c_out, 4), ref)
    x = randn(rng, 2, c_in, 16, 24)
    with torch.no_grad():
        expected = ref(x)
    assert_close(model(x), expected, atol=1e-4)


@points(1, hint="H and W need not be multiples of 8: pad in the UpBlocks so the output is as large as the input")
def test_unet_odd_input(student, reference, rng):
    """UNet on a 19 x 27 image (not a multiple of 8) returns logits of size 19 x 27 equal to the reference's."""
    ref = reference.UNet(3, 2, 4)
    model = with_reference_weights(student.UNet(3, 2, 4), ref)
    x = randn(rng, 1, 3, 19, 27)
    with torch.no_grad():
        expected = ref(x)
    assert_close(model(x), expected, atol=1e-4)


@points(1, hint="add the four encoder blocks, three UpBlocks (transposed conv 2x2 + conv block) and the 1x1 "
        "output conv")
def test_unet_param_count(student, reference, rng):
    """unet_param_count: 7,697,410 for UNet() and random (in, out, base) without building the model."""
    assert_equal(student.unet_param_count(3, 2, 64), 7_697_410)
    args = (int(rng.integers(1, 5)), int(rng.integers(2, 22)), int(rng.integers(2, 40)))
    assert_equal(student.unet_param_count(*args), reference.unet_param_count(*args))
