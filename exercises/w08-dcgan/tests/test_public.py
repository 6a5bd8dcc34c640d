"""Public tests for w08-dcgan: run them from the bundle's folder with `grader check w08-dcgan w08-dcgan/dcgan.py`."""

import torch

from grader.judge import assert_equal


def test_notes_shapes(student):
    """The notes' call: torch.randn(9, 16) gives (9, 3, 96, 96) images and (9, 1) logits."""
    gen, disc = student.DCGenerator(16, 8, 3), student.DCDiscriminator(3, 8)
    fake = gen(torch.randn(9, 16))
    assert_equal(tuple(fake.shape), (9, 3, 96, 96))
    assert_equal(tuple(disc(fake).shape), (9, 1))


def test_param_counts(student):
    """Width 64: 3,052,419 generator and 2,775,873 discriminator parameters; width 8: 80,499 and 45,929."""
    assert_equal(student.dc_generator_param_count(16, 64, 3), 3_052_419)
    assert_equal(student.dc_discriminator_param_count(3, 64), 2_775_873)
    assert_equal(student.dc_generator_param_count(16, 8, 3), 80_499)
    assert_equal(student.dc_discriminator_param_count(3, 8), 45_929)
