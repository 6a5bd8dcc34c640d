"""Public tests for w08-gan-mlp: from the bundle's folder, run them with
`grader check w08-gan-mlp w08-gan-mlp/gan.py`.
"""

import torch

from grader.judge import assert_equal


def test_generator_shape(student):
    """Generator(16, 3*96*96, 32) turns noise (9, 16) into (9, 27648) = 9 flattened 3x96x96 images."""
    gen = student.Generator(16, 3 * 96 * 96, 32)
    assert_equal(tuple(gen(torch.randn(9, 16)).shape), (9, 27648))


def test_discriminator_shape(student):
    """Discriminator(20, 16) returns one logit per image: (5, 1)."""
    disc = student.Discriminator(20, 16)
    assert_equal(tuple(disc(torch.randn(5, 20)).shape), (5, 1))


def test_param_counts(student):
    """The 96x96x3 configuration: 29,004,032 generator and 28,968,961 discriminator parameters."""
    assert_equal(student.generator_param_count(16, 3 * 96 * 96, 256), 29_004_032)
    assert_equal(student.discriminator_param_count(3 * 96 * 96, 1024), 28_968_961)
