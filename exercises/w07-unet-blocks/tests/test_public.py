"""Public tests for w07-unet-blocks: from the bundle's folder, run them with
`grader check w07-unet-blocks w07-unet-blocks/unet.py`.
"""

import torch

from grader.judge import assert_equal


def test_conv_block_keeps_size(student):
    """conv_block(3, 8) maps (1, 3, 10, 12) to (1, 8, 10, 12)."""
    block = student.conv_block(3, 8)
    assert_equal(tuple(block(torch.zeros(1, 3, 10, 12)).shape), (1, 8, 10, 12))


def test_up_block_shape(student):
    """UpBlock(16, 8) turns x (1, 16, 5, 7) and skip (1, 8, 10, 14) into (1, 8, 10, 14)."""
    block = student.UpBlock(16, 8)
    assert_equal(tuple(block(torch.zeros(1, 16, 5, 7), torch.zeros(1, 8, 10, 14)).shape), (1, 8, 10, 14))


def test_unet_output_shape(student):
    """A small UNet (base 4) returns one logit map per class at the input size."""
    model = student.UNet(3, 2, 4)
    assert_equal(tuple(model(torch.zeros(1, 3, 32, 48)).shape), (1, 2, 32, 48))


def test_param_counts(student):
    """conv_block(3, 64) has 38,720 parameters and UNet() 7,697,410."""
    assert_equal(student.conv_block_param_count(3, 64), 38_720)
    assert_equal(student.unet_param_count(3, 2, 64), 7_697_410)
