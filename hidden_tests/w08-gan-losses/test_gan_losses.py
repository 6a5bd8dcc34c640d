"""Hidden tests for w08-gan-losses: gen_loss, disc_loss and the alternating training loop.

Both sides start every test with the same torch seed. The tests build the judge's modules and the
student's (with the given builders) in the same order, so both RNGs stay in step and the noise drawn
inside gen_loss / disc_loss / train_gan is the same on both sides: the student's numbers must then
equal the reference's exactly (up to float rounding).
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch._dynamo  # noqa: F401  (torch.optim imports it on first use: pay that once at collection, not in a test)

from grader.judge import assert_close, points


def scalar(value) -> float:
    """A float from a 0-d or one-element tensor (or a number)."""
    if isinstance(value, torch.Tensor | np.ndarray):
        assert value.size == 1 if isinstance(value, np.ndarray) else value.numel() == 1, "the loss must be a scalar"
        return float(value.reshape(-1)[0])
    return value


def twins(student, reference, z_dim: int, im_dim: int, hidden: int):
    """(student gen, student disc, reference gen, reference disc) with identical weights."""
    ref_gen, ref_disc = reference.make_generator(z_dim, im_dim, hidden), reference.make_discriminator(im_dim, hidden)
    gen, disc = student.make_generator(z_dim, im_dim, hidden), student.make_discriminator(im_dim, hidden)
    gen.load_state_dict(ref_gen.state_dict())
    disc.load_state_dict(ref_disc.state_dict())
    return gen, disc, ref_gen, ref_disc


def set_weights(modules, values: dict[str, torch.Tensor]) -> None:
    """Load the same state dict into several modules (student handles or reference modules)."""
    for module in modules:
        module.load_state_dict(values)


def constant_fakes(z_dim: int, im_dim: int, hidden: int) -> dict[str, torch.Tensor]:
    """Generator weights that output 0.5 everywhere whatever the noise (last Linear is all zeros)."""
    return {"0.weight": torch.ones(hidden, z_dim), "0.bias": torch.zeros(hidden),
            "2.weight": torch.zeros(im_dim, hidden), "2.bias": torch.zeros(im_dim)}


def linear_disc(im_dim: int, scale: float, bias: float) -> dict[str, torch.Tensor]:
    """Discriminator weights (hidden 1): logit = scale * LeakyReLU(sum(x)) + bias."""
    return {"0.weight": torch.ones(1, im_dim), "0.bias": torch.zeros(1),
            "2.weight": torch.tensor([[scale]]), "2.bias": torch.tensor([bias])}


def real_batch(rng: np.random.Generator, n: int, im_dim: int) -> torch.Tensor:
    """Seeded 'real images' in [0, 1]."""
    return torch.tensor(rng.uniform(0, 1, size=(n, im_dim)), dtype=torch.float32)


@points(1, hint="gen_loss: BCEWithLogitsLoss between D's logits on the fakes and torch.ones_like")
def test_notes_values(student, reference, rng):
    """Constant logits: gen_loss is ln 2 for logit 0 and softplus(-2) for logit 2; disc_loss (2, -1) is 1.720095."""
    gen, disc = student.make_generator(5, 4, 1), student.make_discriminator(4, 1)
    gen.load_state_dict(constant_fakes(5, 4, 1))
    disc.load_state_dict(linear_disc(4, 0.0, 0.0))
    assert_close(scalar(student.gen_loss(gen, disc, 6, 5)), math.log(2), rtol=1e-5)
    disc.load_state_dict(linear_disc(4, 0.0, 2.0))
    assert_close(scalar(student.gen_loss(gen, disc, 6, 5)), 0.126928, rtol=1e-5)
    # fakes are 0.5 everywhere -> sum 2 -> logit 1.5 * 2 - 1 = 2; real images are 0 -> logit -1
    disc.load_state_dict(linear_disc(4, 1.5, -1.0))
    assert_close(scalar(student.disc_loss(gen, disc, torch.zeros(3, 4), 3, 5)), 1.720095, rtol=1e-5)


@points(1.5, hint="BCEWithLogitsLoss (not BCELoss: D returns logits) against ones, averaged over the batch")
def test_gen_loss_constant_fakes(student, reference, rng):
    """gen_loss with noise-independent fakes and a random discriminator equals the reference's value."""
    z_dim, im_dim, hidden = int(rng.integers(3, 9)), int(rng.integers(4, 9)), int(rng.integers(3, 8))
    gen, disc, ref_gen, ref_disc = twins(student, reference, z_dim, im_dim, hidden)
    set_weights([gen, ref_gen], constant_fakes(z_dim, im_dim, hidden))
    n = int(rng.integers(2, 9))
    assert_close(scalar(student.gen_loss(gen, disc, n, z_dim)), reference.gen_loss(ref_gen, ref_disc, n, z_dim).item(),
                 rtol=1e-5)


@points(1.5, hint="disc_loss = (real_loss + fake_loss) / 2 with fakes vs zeros and reals vs ones")
def test_disc_loss_constant_fakes(student, reference, rng):
    """disc_loss with noise-independent fakes, random reals and a random discriminator equals the reference's."""
    z_dim, im_dim, hidden = int(rng.integers(3, 9)), int(rng.integers(4, 9)), int(rng.integers(3, 8))
    gen, disc, ref_gen, ref_disc = twins(student, reference, z_dim, im_dim, hidden)
    set_weights([gen, ref_gen], constant_fakes(z_dim, im_dim, hidden))
    real = real_batch(rng, int(rng.integers(2, 9)), im_dim)
    expected = reference.disc_loss(ref_gen, ref_disc, real, len(real), z_dim).item()
    assert_close(scalar(student.disc_loss(gen, disc, real, len(real), z_dim)), expected, rtol=1e-5)


@points(1, hint="noise = torch.randn(num_images, z_dim) (standard normal, in this shape), then gen, then disc")
def test_gen_loss_replay(student, reference, rng):
    """gen_loss with a random generator: same seed, same noise, same value as the reference."""
    z_dim, im_dim, hidden = int(rng.integers(3, 9)), int(rng.integers(4, 9)), int(rng.integers(3, 8))
    gen, disc, ref_gen, ref_disc = twins(student, reference, z_dim, im_dim, hidden)
    n = int(rng.integers(2, 9))
    assert_close(scalar(student.gen_loss(gen, disc, n, z_dim)), reference.gen_loss(ref_gen, ref_disc, n, z_dim).item(),
                 rtol=1e-5)


@points(1, hint="disc_loss draws torch.randn(num_images, z_dim) first, then scores the fakes, then the reals")
def test_disc_loss_replay(student, reference, rng):
    """disc_loss with a random generator: same seed, same noise, same value as the reference."""
    z_dim, im_dim, hidden = int(rng.integers(3, 9)), int(rng.integers(4, 9)), int(rng.integers(3, 8))
    gen, disc, ref_gen, ref_disc = twins(student, reference, z_dim, im_dim, hidden)
    real = real_batch(rng, int(rng.integers(2, 9)), im_dim)
    expected = reference.disc_loss(ref_gen, ref_disc, real, len(real), z_dim).item()
    assert_close(scalar(student.disc_loss(gen, disc, real, len(real), z_dim)), expected, rtol=1e-5)


def train_both(student, reference, rng, n: int, batch_size: int, epochs: int):
    """Run train_gan on twin models; return both pairs of models and both loss dicts."""
    z_dim, im_dim, hidden = int(rng.integers(3, 9)), int(rng.integers(4, 9)), int(rng.integers(3, 8))
    gen, disc, ref_gen, ref_disc = twins(student, reference, z_dim, im_dim, hidden)
    real = real_batch(rng, n, im_dim)
    lr = float(rng.uniform(0.05, 0.5))
    got = student.train_gan(gen, disc, real, batch_size, epochs, z_dim, lr)
    expected = reference.train_gan(ref_gen, ref_disc, real, batch_size, epochs, z_dim, lr)
    return (gen, disc), (ref_gen, ref_disc), got, expected


def weights(module) -> dict[str, torch.Tensor]:
    """A copy of a module's weights (student handle or reference module)."""
    return {k: v.clone() for k, v in dict(module.state_dict()).items()}


@points(1, hint="per batch: disc_opt.zero_grad, disc_loss, backward, disc_opt.step, THEN the same for the generator")
def test_train_discriminator_weights(student, reference, rng):
    """After one batch, the discriminator's weights equal the reference's (D is updated first)."""
    (_, disc), (_, ref_disc), _, _ = train_both(student, reference, rng, 6, 6, 1)
    assert_close(weights(disc), weights(ref_disc), rtol=1e-5, atol=1e-6)


@points(1, hint="the generator's loss must reach the generator (no detach) and gen_opt.zero_grad() clears what "
                "the discriminator's backward left on it")
def test_train_generator_weights(student, reference, rng):
    """After one batch, the generator's weights equal the reference's."""
    (gen, _), (ref_gen, _), _, _ = train_both(student, reference, rng, 6, 6, 1)
    assert_close(weights(gen), weights(ref_gen), rtol=1e-5, atol=1e-6)


@points(2, hint="cur_batch_size = len(real): the last batch of 10 images in batches of 4 has only 2 images")
def test_train_losses_partial_batch(student, reference, rng):
    """Two epochs over 10 images in batches of 4: the per-batch losses and final weights equal the reference's."""
    (gen, disc), (ref_gen, ref_disc), got, expected = train_both(student, reference, rng, 10, 4, 2)
    assert_close(got, expected, rtol=1e-5, atol=1e-6)
    assert_close(weights(gen), weights(ref_gen), rtol=1e-5, atol=1e-6)
