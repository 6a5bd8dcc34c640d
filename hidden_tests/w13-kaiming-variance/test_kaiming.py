"""Hidden tests for w13-kaiming-variance: the fan-in scale, gains, seeded statistics and deep linear stacks."""

import math

from grader.judge import assert_close, assert_shape, points


@points(1, hint="k = gain / sqrt(fan_in): divide by the square root of the number of inputs.")
def test_fan_in_scale(student, reference, rng):
    """fan_in_scale for fan_in 10 (1/sqrt(10)) and random fan_in and gain."""
    assert_close(student.fan_in_scale(10), reference.fan_in_scale(10), rtol=1e-9, msg="fan_in=10")
    fan_in, g = int(rng.integers(2, 500)), float(rng.uniform(0.5, 2.0))
    assert_close(student.fan_in_scale(fan_in, g), reference.fan_in_scale(fan_in, g), rtol=1e-9,
                 msg=f"fan_in={fan_in}, gain={g:.3f}")


@points(2, hint="torch.nn.init.calculate_gain: tanh 5/3, relu sqrt(2) (2 is the VARIANCE factor), linear 1.")
def test_gains(student, reference):
    """gain for linear, identity, sigmoid, tanh and relu."""
    for name in ("linear", "identity", "sigmoid", "tanh", "relu"):
        assert_close(student.gain(name), reference.gain(name), rtol=1e-6, msg=name)


@points(2, hint="One Generator seeded with seed: x = randn(n, fan_in) first, then w = randn(fan_in, fan_out) * k; "
                "return x.mean(), x.std(), y.mean(), y.std() of y = x @ w.")
def test_preactivation_stats_values(student, reference, rng):
    """preactivation_stats equals the reference for the notes' k = 1, 5, 0.05 and 1/sqrt(10)."""
    seed = int(rng.integers(2**31))
    for k in (1.0, 5.0, 0.05, 10**-0.5):
        got = student.preactivation_stats(k, 1000, 10, 200, seed)
        assert_close(list(got), list(reference.preactivation_stats(k, 1000, 10, 200, seed)), rtol=1e-4,
                     atol=1e-6, msg=f"k={k:.4f}")


@points(1, hint="std(x @ w) = k * sqrt(fan_in) when x and w have unit-variance entries.")
def test_preactivation_std_follows_k(student, rng):
    """Averaged over 3 seeds, y std is within 5 % of k * sqrt(fan_in) and x std within 5 % of 1."""
    fan_in = int(rng.integers(5, 40))
    for k in (1.0, 3.0, 0.1):
        stats = [student.preactivation_stats(k, 1000, fan_in, 200, int(rng.integers(2**31))) for _ in range(3)]
        x_std = sum(s[1] for s in stats) / 3
        y_std = sum(s[3] for s in stats) / 3
        assert abs(x_std - 1) < 0.05, f"x std {x_std:.3f}"
        expected = k * math.sqrt(fan_in)
        assert abs(y_std / expected - 1) < 0.05, f"k={k}, fan_in={fan_in}: y std {y_std:.3f}, expected {expected:.3f}"


@points(2, hint="W = randn(fan_in, fan_out, generator=g) * gain(nonlinearity) / sqrt(fan_in) (fan_in, not fan_out).")
def test_kaiming_init(student, reference, rng):
    """kaiming_init for tanh, relu and linear, with fan_in != fan_out, equals the reference."""
    seed = int(rng.integers(2**31))
    fan_in, fan_out = int(rng.integers(20, 60)), int(rng.integers(80, 150))
    for name in ("tanh", "relu", "linear"):
        w = student.kaiming_init(fan_in, fan_out, name, seed)
        assert_shape(w, (fan_in, fan_out), msg=name)
        assert_close(w, reference.kaiming_init(fan_in, fan_out, name, seed), msg=name)


@points(2, hint="One Generator: x = randn(n, width) first, then each layer's w = randn(width, width) * k; "
                "record x.std() after each x = x @ w.")
def test_deep_stack(student, reference, rng):
    """deep_stack_stds: 10 layers with the fan-in scale stay near 1 and equal the reference; k = 1 grows."""
    seed = int(rng.integers(2**31))
    stds = student.deep_stack_stds(10, 100, 500, None, seed)
    assert len(stds) == 10, f"{len(stds)} values, expected one per layer"
    assert_close(list(stds), reference.deep_stack_stds(10, 100, 500, None, seed), rtol=1e-4, msg="fan-in scale")
    assert all(0.7 < s < 1.4 for s in stds), f"stds {stds}"
    grown = student.deep_stack_stds(3, 16, 200, 1.0, seed)
    assert_close(list(grown), reference.deep_stack_stds(3, 16, 200, 1.0, seed), rtol=1e-4, msg="k = 1")
