"""Public tests for w07-transposed-conv-shape: from the bundle's folder, run them with
`grader check w07-transposed-conv-shape w07-transposed-conv-shape/tconv.py`.
"""

import torch

from grader.judge import assert_equal


def test_kernel_2_stride_2_doubles(student):
    """ConvTranspose2d(k=2, s=2), the U-Net upsampler: 1 -> 2, 4 -> 8, 7 -> 14."""
    assert_equal([student.conv_transpose_output_size(h, 2, 2, 0) for h in (1, 4, 7)], [2, 8, 14])


def test_k3_s2_p1_is_not_a_doubler(student):
    """(k=3, s=2, p=1) maps 8 -> 15, not 16; output_padding=1 gives 16."""
    assert_equal(student.conv_transpose_output_size(8, 3, 2, 1), 15)
    assert_equal(student.conv_transpose_output_size(8, 3, 2, 1, 1), 16)


def test_fcn32s_single_step(student):
    """FCN-32s upsamples a 7 x 7 score map to 224 x 224 in one step with k=64, s=32, p=16."""
    assert_equal(student.conv_transpose_output_size(7, 64, 32, 16), 224)


def test_upsampler_doubles(student):
    """make_upsampler(3, 5, 2) maps (1, 3, 13, 8) to (1, 5, 26, 16)."""
    up = student.make_upsampler(3, 5, 2)
    assert_equal(tuple(up(torch.zeros(1, 3, 13, 8)).shape), (1, 5, 26, 16))
