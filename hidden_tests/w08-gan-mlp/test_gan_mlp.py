"""Hidden tests for w08-gan-mlp: Linear-only generator and discriminator.

The student's modules get the weights of judge-built reference modules (load_state_dict, strict),
with randomised BatchNorm parameters and running statistics, and must then give the same outputs.
"""

from __future__ import annotations

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, points
from grader.judge.data import randn, randomise


def loaded(student_module, reference_module: torch.nn.Module):
    """Load the reference's weights into the student's module (strict: names and shapes must agree)."""
    student_module.load_state_dict(reference_module.state_dict())
    return student_module


def dims(rng: np.random.Generator) -> tuple[int, int, int]:
    """Random (z_dim, out_dim, hidden_dim) with z_dim != 16, so that a hard-coded 16 fails."""
    return int(rng.integers(3, 12)), int(rng.integers(10, 30)), int(rng.integers(2, 5)) * 4


@points(1, hint="gen_block: Linear -> BatchNorm1d -> ReLU, in this order")
def test_gen_block(student, reference, rng):
    """gen_block(in, out) with the reference's weights: same output in train mode (batch statistics)."""
    d_in, d_out = int(rng.integers(3, 9)), int(rng.integers(4, 10))
    ref = randomise(reference.gen_block(d_in, d_out), rng)
    block = loaded(student.gen_block(d_in, d_out), ref)
    x = randn(rng, 6, d_in)
    expected = ref(x).detach()
    assert_close(block(x), expected)


@points(1, hint="disc_block: Linear -> LeakyReLU with negative slope 0.2")
def test_disc_block(student, reference, rng):
    """disc_block(in, out) with the reference's weights: same output (negative values scaled by 0.2)."""
    d_in, d_out = int(rng.integers(3, 9)), int(rng.integers(4, 10))
    ref = randomise(reference.disc_block(d_in, d_out), rng)
    block = loaded(student.disc_block(d_in, d_out), ref)
    x = randn(rng, 5, d_in)
    with torch.no_grad():
        expected = ref(x)
    assert_close(block(x), expected)


@points(2, hint="three gen_blocks (hidden, 2*hidden, 4*hidden), then Linear(4*hidden, out_dim) and Sigmoid")
def test_generator_train_mode(student, reference, rng):
    """Generator(z_dim, out_dim, hidden) in train mode: same images as the reference from the same noise."""
    z_dim, out_dim, hidden = dims(rng)
    ref = randomise(reference.Generator(z_dim, out_dim, hidden), rng)
    gen = loaded(student.Generator(z_dim, out_dim, hidden), ref)
    noise = randn(rng, 7, z_dim)
    expected = ref(noise).detach()
    assert_close(gen(noise), expected)


@points(1, hint="in eval mode BatchNorm1d uses its running statistics; every layer must be registered in the module")
def test_generator_eval_mode(student, reference, rng):
    """Generator in eval mode (running statistics), batch of 1: same output as the reference."""
    z_dim, out_dim, hidden = dims(rng)
    ref = randomise(reference.Generator(z_dim, out_dim, hidden), rng).eval()
    gen = loaded(student.Generator(z_dim, out_dim, hidden), ref)
    gen.eval()
    noise = randn(rng, 1, z_dim)
    with torch.no_grad():
        expected = ref(noise)
    assert_close(gen(noise), expected)


@points(1, hint="images are in [0, 1]: the generator ends with a Sigmoid")
def test_generator_range(student, reference, rng):
    """Generator outputs lie in [0, 1] and use most of it (min < 0.3, max > 0.7) for large weights."""
    z_dim, out_dim, hidden = dims(rng)
    ref = randomise(reference.Generator(z_dim, out_dim, hidden), rng)
    with torch.no_grad():
        ref.generator[3].weight.mul_(6.0)
    gen = loaded(student.Generator(z_dim, out_dim, hidden), ref)
    out = gen(randn(rng, 8, z_dim))
    assert float(out.min()) >= 0.0 and float(out.max()) <= 1.0, "generator outputs must lie in [0, 1]"
    assert float(out.min()) < 0.3 and float(out.max()) > 0.7, "generator outputs do not look like a sigmoid"


@points(2, hint="three disc_blocks (hidden, hidden/2, hidden/4), then Linear(hidden/4, 1) and NO sigmoid")
def test_discriminator(student, reference, rng):
    """Discriminator(im_dim, hidden) with the reference's weights: the same (N, 1) logits."""
    im_dim, hidden = int(rng.integers(10, 30)), int(rng.integers(2, 6)) * 4
    ref = randomise(reference.Discriminator(im_dim, hidden), rng)
    disc = loaded(student.Discriminator(im_dim, hidden), ref)
    x = randn(rng, 6, im_dim)
    with torch.no_grad():
        expected = ref(x)
    assert_close(disc(x), expected)


@points(1, hint="the discriminator returns raw logits: nn.BCEWithLogitsLoss applies the sigmoid itself")
def test_discriminator_logits(student, reference, rng):
    """Discriminator outputs are (N, 1) logits that go outside [0, 1] for large inputs."""
    im_dim, hidden = int(rng.integers(10, 30)), 16
    ref = randomise(reference.Discriminator(im_dim, hidden), rng)
    disc = loaded(student.Discriminator(im_dim, hidden), ref)
    out = disc(5.0 * randn(rng, 9, im_dim))
    assert_equal(tuple(out.shape), (9, 1))
    assert float(out.min()) < 0.0 or float(out.max()) > 1.0, "outputs all in [0, 1]: is there a sigmoid?"


@points(1, hint="Linear(a, b) has a*b + b parameters, BatchNorm1d(b) has 2*b (weight and bias)")
def test_param_counts(student, reference, rng):
    """generator_param_count / discriminator_param_count: the notes' 96x96x3 sizes and random sizes."""
    assert_equal(student.generator_param_count(16, 3 * 96 * 96, 256), 29_004_032)
    assert_equal(student.discriminator_param_count(3 * 96 * 96, 1024), 28_968_961)
    z_dim, out_dim, hidden = dims(rng)
    assert_equal(student.generator_param_count(z_dim, out_dim, hidden),
                 reference.generator_param_count(z_dim, out_dim, hidden))
    expected = reference.discriminator_param_count(out_dim, hidden)
    assert_equal(student.discriminator_param_count(out_dim, hidden), expected)
