"""Hidden tests for w08-dcgan: DCGAN blocks, generator and discriminator following the guidelines, sizes.

The student's modules get the weights of judge-built reference modules (load_state_dict, strict) with
randomised BatchNorm parameters and running statistics, and must give the same outputs. Parameter
counts are compared with modules built here from the reference.
"""

from __future__ import annotations

import torch

from grader.judge import assert_close, assert_equal, count_parameters, points
from grader.judge.data import randn, randomise


def loaded(student_module, reference_module: torch.nn.Module):
    """Load the reference's weights into the student's module (strict)."""
    student_module.load_state_dict(reference_module.state_dict())
    return student_module


@points(1, hint="dc_gen_block: ConvTranspose2d(in, out, k, s, p, bias=False) -> BatchNorm2d(out) -> ReLU()")
def test_gen_block(student, reference, rng):
    """dc_gen_block(in, out, 4, 2, 1) with the reference's weights doubles H and W and gives the same output."""
    c_in, c_out = int(rng.integers(2, 6)), int(rng.integers(2, 6))
    ref = randomise(reference.dc_gen_block(c_in, c_out, 4, 2, 1), rng, 0.3)
    block = loaded(student.dc_gen_block(c_in, c_out, 4, 2, 1), ref)
    x = randn(rng, 3, c_in, 5, 7)
    expected = ref(x).detach()
    assert_close(block(x), expected)


@points(1, hint="Conv2d(bias=False) -> BatchNorm2d -> LeakyReLU(0.2); batch_norm=False: Conv2d -> LeakyReLU(0.2)")
def test_disc_block(student, reference, rng):
    """dc_disc_block with and without batch norm: same layers and output as the reference (negative slope 0.2)."""
    c_in, c_out = int(rng.integers(2, 6)), int(rng.integers(2, 6))
    x = randn(rng, 3, c_in, 8, 10)
    for batch_norm in (True, False):
        ref = randomise(reference.dc_disc_block(c_in, c_out, 4, 2, 1, batch_norm=batch_norm), rng, 0.3)
        block = loaded(student.dc_disc_block(c_in, c_out, 4, 2, 1, batch_norm=batch_norm), ref)
        expected = ref(x).detach()
        assert_close(block(x), expected)


@points(2, hint="noise as (N, in_dim, 1, 1); 1 -> 6 (k=6, s=1, p=0) -> 12 -> 24 -> 48 -> 96 (k=4, s=2, p=1); Tanh")
def test_generator_train_mode(student, reference, rng):
    """DCGenerator(z_dim, ngf, channels) in train mode: the reference's (N, channels, 96, 96) images."""
    z_dim, ngf, channels = int(rng.integers(3, 12)), int(rng.integers(2, 4)), int(rng.integers(1, 4))
    ref = randomise(reference.DCGenerator(z_dim, ngf, channels), rng, 0.3)
    gen = loaded(student.DCGenerator(z_dim, ngf, channels), ref)
    noise = randn(rng, 4, z_dim)
    expected = ref(noise).detach()
    assert_close(gen(noise), expected)


@points(1, hint="register every layer in the module so that eval() switches BatchNorm2d to running statistics")
def test_generator_eval_mode(student, reference, rng):
    """DCGenerator in eval mode on a single noise vector: the reference's image."""
    z_dim, ngf = int(rng.integers(3, 12)), 3
    ref = randomise(reference.DCGenerator(z_dim, ngf, 3), rng, 0.3).eval()
    gen = loaded(student.DCGenerator(z_dim, ngf, 3), ref)
    gen.eval()
    noise = randn(rng, 1, z_dim)
    with torch.no_grad():
        expected = ref(noise)
    assert_close(gen(noise), expected)


@points(1, hint="guideline 5: the generator's last layer is tanh, so images are in [-1, 1] (negative values too)")
def test_generator_range(student, reference, rng):
    """The notes' call: 9 images from torch.randn(9, 16) are (9, 3, 96, 96), in [-1, 1], with negative values."""
    ref = randomise(reference.DCGenerator(16, 4, 3), rng, 0.3)
    gen = loaded(student.DCGenerator(16, 4, 3), ref)
    out = gen(randn(rng, 9, 16))
    assert_equal(tuple(out.shape), (9, 3, 96, 96))
    assert float(out.min()) >= -1.0 and float(out.max()) <= 1.0, "images must lie in [-1, 1]"
    assert float(out.min()) < -0.5, "no clearly negative values: is the last activation tanh?"


@points(2, hint="96 -> 48 -> 24 -> 12 -> 6 with (4, 2, 1) convolutions, then Conv2d(8 * ndf, 1, 6) and view(N, -1)")
def test_discriminator(student, reference, rng):
    """DCDiscriminator(channels, ndf) with the reference's weights: the same (N, 1) logits on 96 x 96 images."""
    channels, ndf = int(rng.integers(1, 4)), int(rng.integers(2, 4))
    ref = randomise(reference.DCDiscriminator(channels, ndf), rng, 0.3)
    disc = loaded(student.DCDiscriminator(channels, ndf), ref)
    x = randn(rng, 3, channels, 96, 96)
    expected = ref(x).detach()
    got = disc(x)
    assert_equal(tuple(got.shape), (3, 1))
    assert_close(got, expected, atol=1e-4)


@points(1, hint="(transposed) conv k*k*in*out (+ out only where there is a bias), BatchNorm2d 2*out")
def test_param_counts(student, reference, rng):
    """The parameter formulas equal the parameters of reference modules built here (3,052,419 / 2,775,873 at 64)."""
    assert_equal(student.dc_generator_param_count(16, 64, 3), 3_052_419)
    assert_equal(student.dc_discriminator_param_count(3, 64), 2_775_873)
    z_dim, width, channels = int(rng.integers(2, 50)), int(rng.integers(2, 20)), int(rng.integers(1, 4))
    assert_equal(student.dc_generator_param_count(z_dim, width, channels),
                 count_parameters(reference.DCGenerator(z_dim, width, channels)))
    assert_equal(student.dc_discriminator_param_count(channels, width),
                 count_parameters(reference.DCDiscriminator(channels, width)))


@points(1, hint="the generator must not hard-code the noise size 16: use in_dim in view() and in the first layer")
def test_other_noise_size(student, reference, rng):
    """DCGenerator with z_dim != 16, then DCDiscriminator on its images: the reference's (5, 1) logits."""
    z_dim = int(rng.integers(17, 40))
    ref_gen = randomise(reference.DCGenerator(z_dim, 2, 3), rng, 0.3)
    ref_disc = randomise(reference.DCDiscriminator(3, 2), rng, 0.3)
    gen, disc = loaded(student.DCGenerator(z_dim, 2, 3), ref_gen), loaded(student.DCDiscriminator(3, 2), ref_disc)
    noise = randn(rng, 5, z_dim)
    expected = ref_disc(ref_gen(noise)).detach()
    assert_close(disc(gen(noise)), expected, atol=1e-4)
