"""Hidden tests for w04-conv-arithmetic: output-size formulas and parameter counts vs the reference."""

import numpy as np

from grader.judge import assert_equal, assert_param_count, points

# The clouds CNN suggested for week 04 (L3616-3638): 3x128x128 -> 7 classes.
CLOUDS = [
    {"type": "conv", "out_channels": 32, "kernel_size": 3, "padding": 1},
    {"type": "elu"},
    {"type": "pool", "kernel_size": 2},
    {"type": "conv", "out_channels": 64, "kernel_size": 3, "padding": 1},
    {"type": "elu"},
    {"type": "pool", "kernel_size": 2},
    {"type": "flatten"},
    {"type": "linear", "out_features": 7},
]


def random_conv_case(rng: np.random.Generator) -> tuple[int, int, int, int]:
    """(size, kernel, padding, stride) with a positive output and (size + 2p - k) not divisible by stride."""
    while True:
        size, kernel = int(rng.integers(5, 300)), int(rng.integers(1, 12))
        padding, stride = int(rng.integers(0, 4)), int(rng.integers(2, 5))
        if size + 2 * padding >= kernel and (size + 2 * padding - kernel) % stride:
            return size, kernel, padding, stride


def random_architecture(rng: np.random.Generator) -> tuple[tuple[int, int, int], list[dict]]:
    """A random conv -> activation -> pool stack, then flatten and 1-2 linear layers (all sizes >= 1)."""
    channels, height, width = int(rng.integers(1, 5)), int(rng.integers(20, 70)), int(rng.integers(20, 70))
    layers: list[dict] = []
    h, w = height, width
    for _ in range(int(rng.integers(1, 4))):
        kernel = int(rng.choice([1, 3, 5]))
        padding, stride = int(rng.integers(0, kernel // 2 + 1)), int(rng.integers(1, 3))
        if min(h, w) + 2 * padding < kernel + 4:
            break
        conv = {"type": "conv", "out_channels": int(rng.integers(2, 33)), "kernel_size": kernel,
                "padding": padding, "stride": stride}
        for key, default in (("padding", 0), ("stride", 1)):
            if conv[key] == default and rng.random() < 0.5:
                del conv[key]  # optional keys: the defaults apply
        layers.append(conv)
        h, w = (h + 2 * padding - kernel) // stride + 1, (w + 2 * padding - kernel) // stride + 1
        layers.append({"type": str(rng.choice(["relu", "elu"]))})
        pool = int(rng.choice([2, 3]))
        pool_stride = int(rng.choice([pool, pool, 1, 2]))
        if min(h, w) >= pool:
            pool_layer = {"type": "pool", "kernel_size": pool, "stride": pool_stride}
            if pool_stride == pool and rng.random() < 0.5:
                del pool_layer["stride"]
            layers.append(pool_layer)
            h, w = (h - pool) // pool_stride + 1, (w - pool) // pool_stride + 1
    layers.append({"type": "flatten"})
    for _ in range(int(rng.integers(1, 3))):
        layers.append({"type": "linear", "out_features": int(rng.integers(2, 65))})
    return (channels, height, width), layers


def summary_as_tuples(result) -> tuple[list[tuple[int, ...]], int]:
    """Accept lists or tuples for the shapes; the parameter count must be an int."""
    shapes, total = result
    return [tuple(shape) for shape in shapes], total


@points(1, hint="out = floor((size + 2*padding - kernel_size) / stride) + 1")
def test_conv_output_size_examples(student):
    """conv_output_size on fixed cases: 128/k3/p1 -> 128, 128/k3/p0 -> 126, 227/k11/s4 -> 55, 128/k3/p1/s2 -> 64."""
    assert_equal(student.conv_output_size(128, 3, padding=1), 128)
    assert_equal(student.conv_output_size(128, 3), 126)
    assert_equal(student.conv_output_size(227, 11, padding=0, stride=4), 55)
    assert_equal(student.conv_output_size(128, 3, padding=1, stride=2), 64)
    assert_equal(student.conv_output_size(7, 3, 0, 2), 3)


@points(1, hint="when the stride does not divide evenly, the leftover positions are dropped (floor)")
def test_conv_output_size_random(student, reference, rng):
    """conv_output_size equals the reference on random sizes, paddings and strides."""
    for _ in range(10):
        case = random_conv_case(rng)
        assert_equal(student.conv_output_size(*case), reference.conv_output_size(*case), msg=f"{case}")


@points(1, hint="max pooling uses a non-overlapping window (stride = kernel_size) and drops leftovers")
def test_pool_output_size(student, reference, rng):
    """pool_output_size: 7 -> 3, 128 -> 64, (9, k3, s2) -> 4, and random cases."""
    assert_equal(student.pool_output_size(7), 3)
    assert_equal(student.pool_output_size(128, 2), 64)
    assert_equal(student.pool_output_size(9, 3, 2), 4)
    for _ in range(5):
        size, kernel = int(rng.integers(4, 200)), int(rng.integers(2, 4))
        assert_equal(student.pool_output_size(size, kernel), reference.pool_output_size(size, kernel))


@points(1, hint="a linear layer has in*out weights plus out biases")
def test_count_params_linear(student, reference, rng):
    """Linear(256*256, 1000) has 65,537,000 parameters (notes L3516-3518); RGB input 196,609,000; no bias."""
    assert_param_count(student.count_params_linear(256 * 256, 1000), 65_537_000)
    assert_param_count(student.count_params_linear(3 * 256 * 256, 1000), 196_609_000)
    n_in, n_out = int(rng.integers(1, 5000)), int(rng.integers(1, 500))
    assert_param_count(student.count_params_linear(n_in, n_out), reference.count_params_linear(n_in, n_out))
    assert_param_count(student.count_params_linear(n_in, n_out, bias=False), n_in * n_out)


@points(2, hint="each of the out_channels filters has in_channels * kh * kw weights, plus one bias per filter")
def test_count_params_conv(student, reference, rng):
    """Conv2d(3, 32, 3) has 896 parameters; rectangular kernels, bias=False and random layers."""
    assert_param_count(student.count_params_conv(3, 32, 3), 896)
    assert_param_count(student.count_params_conv(32, 64, 3), 18_496)
    assert_param_count(student.count_params_conv(4, 6, (3, 5)), 366)
    for _ in range(3):
        c_in, c_out, k = int(rng.integers(1, 65)), int(rng.integers(1, 129)), int(rng.choice([1, 3, 5, 7]))
        assert_param_count(student.count_params_conv(c_in, c_out, k), reference.count_params_conv(c_in, c_out, k))
        assert_param_count(student.count_params_conv(c_in, c_out, k, bias=False),
                           reference.count_params_conv(c_in, c_out, k, bias=False))


@points(2, hint="padding=1 keeps 128x128; each pool halves it; Flatten gives 64*32*32 = 65536 inputs")
def test_cnn_summary_clouds(student):
    """The clouds CNN: shapes after each layer and 478,151 parameters."""
    shapes, total = summary_as_tuples(student.cnn_summary((3, 128, 128), CLOUDS))
    assert_equal(shapes, [(32, 128, 128), (32, 128, 128), (32, 64, 64), (64, 64, 64), (64, 64, 64),
                          (64, 32, 32), (65536,), (7,)])
    assert_param_count(total, 478_151)


@points(2, hint="track (channels, height, width) layer by layer; Flatten multiplies all three")
def test_cnn_summary_random(student, reference, rng):
    """cnn_summary equals the reference on random conv/pool/linear stacks (optional keys left out, pool strides)."""
    fixed = ((3, 33, 30), [{"type": "conv", "out_channels": 5, "kernel_size": 3}, {"type": "relu"},
                           {"type": "pool", "kernel_size": 3, "stride": 2}, {"type": "pool"},
                           {"type": "conv", "out_channels": 4, "kernel_size": 1, "stride": 2}, {"type": "elu"},
                           {"type": "flatten"}, {"type": "linear", "out_features": 4}])
    for input_shape, layers in [fixed, *(random_architecture(rng) for _ in range(3))]:
        shapes, total = summary_as_tuples(student.cnn_summary(input_shape, layers))
        expected_shapes, expected_total = reference.cnn_summary(input_shape, layers)
        assert_equal(shapes, expected_shapes, msg=f"shapes for {input_shape} {layers}")
        assert_param_count(total, expected_total, msg="total parameters")
