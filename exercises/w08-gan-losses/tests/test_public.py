"""Public tests for w08-gan-losses: from the bundle's folder, run them with
`grader check w08-gan-losses w08-gan-losses/gan_training.py`.
"""

import math

import torch

from grader.judge import assert_close, assert_equal


def test_gen_loss_logit_zero(student):
    """A discriminator that always outputs logit 0 gives gen_loss = ln 2."""
    gen, disc = student.make_generator(5, 4, 3), student.make_discriminator(4, 1)
    disc.load_state_dict({"0.weight": torch.zeros(1, 4), "0.bias": torch.zeros(1),
                          "2.weight": torch.zeros(1, 1), "2.bias": torch.zeros(1)})
    assert_close(float(student.gen_loss(gen, disc, 6, 5)), math.log(2), rtol=1e-5)


def test_disc_loss_logit_zero(student):
    """The same discriminator gives disc_loss = ln 2 as well (both halves are ln 2)."""
    gen, disc = student.make_generator(5, 4, 3), student.make_discriminator(4, 1)
    disc.load_state_dict({"0.weight": torch.zeros(1, 4), "0.bias": torch.zeros(1),
                          "2.weight": torch.zeros(1, 1), "2.bias": torch.zeros(1)})
    assert_close(float(student.disc_loss(gen, disc, torch.rand(3, 4), 3, 5)), math.log(2), rtol=1e-5)


def test_train_gan_loss_lists(student):
    """10 images in batches of 4 for 2 epochs: 6 generator and 6 discriminator losses."""
    gen, disc = student.make_generator(5, 4, 3), student.make_discriminator(4, 3)
    out = student.train_gan(gen, disc, torch.rand(10, 4), 4, 2, 5, 0.1)
    assert_equal(len(out["gen_losses"]), 6)
    assert_equal(len(out["disc_losses"]), 6)
