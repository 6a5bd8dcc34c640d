"""Public tests for w04-conv-arithmetic: from the bundle's folder, run them with
`grader check w04-conv-arithmetic w04-conv-arithmetic/conv_arithmetic.py`.
"""

from grader.judge import assert_equal, assert_param_count


def test_padding_keeps_size(student):
    """Conv2d(3, 32, kernel_size=3, padding=1) keeps a 128x128 input at 128x128 (notes L3582)."""
    assert_equal(student.conv_output_size(128, 3, padding=1), 128)


def test_linear_layer_is_huge(student):
    """A 256x256 grayscale input into 1000 neurons: over 65 million parameters (notes L3516-3518)."""
    assert_param_count(student.count_params_linear(256 * 256, 1000), 65_537_000)


def test_conv_layer_is_small(student):
    """nn.Conv2d(3, 32, kernel_size=3) has 3*32*3*3 + 32 = 896 parameters."""
    assert_param_count(student.count_params_conv(3, 32, 3), 896)


def test_tiny_summary(student):
    """A 1x8x8 input, Conv2d(1, 2, 3) -> ReLU -> MaxPool2d(2) -> Flatten -> Linear(18, 4)."""
    layers = [{"type": "conv", "out_channels": 2, "kernel_size": 3}, {"type": "relu"},
              {"type": "pool", "kernel_size": 2}, {"type": "flatten"}, {"type": "linear", "out_features": 4}]
    shapes, total = student.cnn_summary((1, 8, 8), layers)
    assert_equal([tuple(s) for s in shapes], [(2, 6, 6), (2, 6, 6), (2, 3, 3), (18,), (4,)])
    assert_param_count(total, (1 * 2 * 9 + 2) + (18 * 4 + 4))
