"""Hidden tests for w13-initial-loss-and-saturation: expected loss, the two init fixes, saturation metrics.

Batches are random contexts over a random vocabulary; activations for the metric tests are built by the
judge with chosen saturated and mixed columns.
"""

import math

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, assert_shape, points

NAMES = ("C", "W1", "b1", "W2", "b2")


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def batch(rng, vocab_size, n=256, block_size=3):
    X = torch.tensor(rng.integers(0, vocab_size, size=(n, block_size)))
    Y = torch.tensor(rng.integers(0, vocab_size, size=n))
    return X, Y


def activations(rng, n=32, n_hidden=40):
    """tanh activations with some columns saturated for every row, some mixed, and one saturated row."""
    g = seeded(rng)
    h = torch.tanh(torch.randn(n, n_hidden, generator=g) * 1.5)
    dead = rng.choice(n_hidden, size=6, replace=False)
    for j in dead:
        signs = torch.where(torch.rand(n, generator=g) < 0.5, -1.0, 1.0)
        h[:, j] = signs * (0.995 + 0.005 * torch.rand(n, generator=g))
    almost = [j for j in range(n_hidden) if j not in dead][:3]
    for j in almost:  # saturated in every row but one: not dead
        h[:, j] = 0.999
        h[int(rng.integers(n)), j] = 0.3
    h[0] = -0.9999  # a saturated example (row), not a dead neuron
    return h


def compare_params(got, expected, what):
    assert sorted(got) == sorted(NAMES), f"keys {sorted(got)}"
    for name in NAMES:
        assert_close(got[name], expected[name], msg=f"{name} ({what})")


@points(1, hint="A uniform prediction gives every character probability 1/vocab_size; use the natural log.")
def test_expected_initial_loss(student, reference, rng):
    """expected_initial_loss for 27, 65 and a random vocabulary size, as a float."""
    for v in (27, 65, int(rng.integers(5, 200))):
        got = student.expected_initial_loss(v)
        assert isinstance(got, float), f"returns {type(got).__name__}, expected float"
        assert_close(got, reference.expected_initial_loss(v), rtol=1e-9, msg=f"vocab_size={v}")


@points(1, hint="Draw C, W1, b1, W2, b2 in this order with torch.randn(..., generator=g).")
def test_init_naive(student, reference, rng):
    """init_mlp without fixes equals the reference (seed 2147483647 and a random seed)."""
    compare_params(student.init_mlp(27, 3, 10, 200, 2147483647), reference.init_mlp(27, 3, 10, 200, 2147483647),
                   "seed 2147483647")
    seed = int(rng.integers(2**31))
    compare_params(student.init_mlp(15, 4, 6, 50, seed), reference.init_mlp(15, 4, 6, 50, seed), "random seed")


@points(2, hint="Output-layer fix: b2 = 0 and W2 times a small number (0.01), so the logits start near 0.")
def test_init_output_fix(student, reference, rng):
    """fix_output=True equals the reference, and its initial loss is within 0.1 of -ln(1/vocab_size)."""
    v = int(rng.integers(15, 40))
    seed = int(rng.integers(2**31))
    params = student.init_mlp(v, 3, 10, 100, seed, True, False)
    compare_params(params, reference.init_mlp(v, 3, 10, 100, seed, True, False), "fix_output")
    X, Y = batch(rng, v)
    got = reference.initial_loss({name: params[name] for name in NAMES}, X, Y)
    assert abs(got - math.log(v)) < 0.1, f"initial loss {got:.3f}, expected about {math.log(v):.3f}"


@points(1, hint="Hidden fix: W1 * 0.2 and b1 * 0.01 (scale down, do not zero: hidden units must stay different).")
def test_init_hidden_fix(student, reference, rng):
    """fix_hidden=True (with fix_output) equals the reference; under 10 % saturation, distinct hidden units."""
    v = int(rng.integers(15, 40))
    seed = int(rng.integers(2**31))
    params = student.init_mlp(v, 3, 10, 100, seed, True, True)
    compare_params(params, reference.init_mlp(v, 3, 10, 100, seed, True, True), "fix_output and fix_hidden")
    X, _ = batch(rng, v)
    _, h = reference.hidden_layer({name: params[name] for name in NAMES}, X)
    assert float((h.abs() > 0.99).float().mean()) < 0.10, "hidden layer still saturated"
    assert float(h.std(dim=1).mean()) > 0.05, "hidden units are (nearly) identical"


@points(1, hint="hpreact = C[X].view(N, -1) @ W1 + b1, h = tanh(hpreact); loss = cross-entropy of h @ W2 + b2.")
def test_hidden_layer_and_loss(student, reference, rng):
    """hidden_layer (hpreact, h) and initial_loss on random parameters equal the reference."""
    v = int(rng.integers(15, 40))
    params = reference.init_mlp(v, 3, 8, 30, int(rng.integers(2**31)))
    X, Y = batch(rng, v, n=64)
    hpreact, h = student.hidden_layer(params, X)
    e_pre, e_h = reference.hidden_layer(params, X)
    assert_close(hpreact, e_pre, msg="hpreact")
    assert_close(h, e_h, msg="h")
    assert_close(student.initial_loss(params, X, Y), reference.initial_loss(params, X, Y), rtol=1e-5, msg="loss")


@points(1, hint="Count |h| > threshold (both tails) over all entries and divide by the number of entries.")
def test_saturation_fraction(student, reference, rng):
    """saturation_fraction with the default threshold and with 0.9, as floats."""
    h = activations(rng)
    got = student.saturation_fraction(h)
    assert isinstance(got, float), f"returns {type(got).__name__}, expected float"
    assert_close(got, reference.saturation_fraction(h), rtol=1e-6, msg="threshold 0.99")
    assert_close(student.saturation_fraction(h, 0.9), reference.saturation_fraction(h, 0.9), rtol=1e-6,
                 msg="threshold 0.9")


@points(2, hint="A dead neuron is a COLUMN of h that is saturated (|h| > threshold) for EVERY example (row).")
def test_dead_neuron_mask(student, reference, rng):
    """dead_neuron_mask: bool [n_hidden], True exactly for the all-saturated columns."""
    h = activations(rng)
    mask = student.dead_neuron_mask(h)
    assert_shape(mask, (h.shape[1],))
    assert_equal(mask, reference.dead_neuron_mask(h))
    assert_equal(student.dead_neuron_mask(h, 0.5), reference.dead_neuron_mask(h, 0.5), msg="threshold 0.5")


@points(1, hint="t is already tanh(x): the local gradient is 1 - t**2, which is 0 at t = +-1.")
def test_tanh_local_grad(student, reference, rng):
    """tanh_local_grad on tanh outputs (including exactly -1, 0 and 1)."""
    t = torch.cat([torch.tensor([-1.0, 0.0, 1.0]), torch.tanh(torch.randn(20, generator=seeded(rng)) * 2)])
    assert_close(student.tanh_local_grad(t), reference.tanh_local_grad(t))
