"""Hidden tests for w13-lr-finder: the exponent grid, the sweep, the choice of the rate and its decay."""

import math

import numpy as np
import torch

from grader.judge import assert_close, points


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def setup(rng, vocab_size=15, block_size=3, n_embd=4, n_hidden=24):
    g = seeded(rng)
    shapes = {"C": (vocab_size, n_embd), "W1": (block_size * n_embd, n_hidden), "b1": (n_hidden,),
              "W2": (n_hidden, vocab_size), "b2": (vocab_size,)}
    params = {name: torch.randn(shape, generator=g) * 0.5 for name, shape in shapes.items()}
    X = torch.tensor(rng.integers(0, vocab_size, size=(300, block_size)))
    Y = (X[:, -1] + X[:, 0]) % vocab_size
    return params, X, Y


@points(2, hint="lre = torch.linspace(low, high, n); lrs = 10**lre (from 0.001 to 1 by default).")
def test_lr_candidates(student, reference, rng):
    """lr_candidates(1000) and a random other range equal the reference's."""
    for args in ((1000,), (int(rng.integers(20, 80)), float(rng.uniform(-5, -3)), float(rng.uniform(-1, 0.5)))):
        lre, lrs = student.lr_candidates(*args)
        e_lre, e_lrs = reference.lr_candidates(*args)
        assert_close(lre, e_lre, msg=f"lre {args}")
        assert_close(lrs, e_lrs, msg=f"lrs {args}")


@points(3, hint="Step i: minibatch from the seeded generator, cross-entropy, reset grads, backward, "
                "p -= lrs[i] * grad; record log10(lrs[i]) and the loss.")
def test_sweep_exact(student, reference, rng):
    """lr_sweep over 40 candidates: the recorded exponents and losses equal the reference's."""
    params, X, Y = setup(rng)
    _, lrs = reference.lr_candidates(40)
    seed = int(rng.integers(2**31))
    lri, lossi = student.lr_sweep(params, X, Y, lrs, 16, seed)
    e_lri, e_lossi = reference.lr_sweep(params, X, Y, lrs, 16, seed)
    assert_close(list(lri), e_lri, rtol=1e-5, msg="lri")
    assert_close(list(lossi), e_lossi, rtol=1e-4, atol=1e-5, msg="lossi")


@points(1, hint="Use lrs[i] at step i and record its base-10 exponent.")
def test_sweep_uses_each_lr(student, rng):
    """With shuffled candidates, lri is log10 of each candidate in the given order."""
    params, X, Y = setup(rng)
    lrs = 10 ** torch.tensor(rng.uniform(-3, -1, size=12), dtype=torch.float32)
    lri, lossi = student.lr_sweep(params, X, Y, lrs, 8, 0)
    assert len(lri) == 12 and len(lossi) == 12
    assert_close(list(lri), [math.log10(float(v)) for v in lrs], rtol=1e-5)


@points(2, hint="Smooth the losses with a trailing mean over `window` steps (fewer at the start), take the "
                "index of the smallest smoothed value, return 10**lri there.")
def test_best_lr(student, reference, rng):
    """best_lr on noisy U-shaped curves, windows 10, 5 and 1, equals the reference's."""
    lri = [float(v) for v in np.linspace(-3, 0, 200)]
    centre = float(rng.uniform(-2.2, -0.8))
    lossi = [2 + (x - centre) ** 2 + float(rng.normal(0, 0.15)) for x in lri]
    for window in (10, 5, 1):
        assert_close(student.best_lr(lri, lossi, window), reference.best_lr(lri, lossi, window), rtol=1e-9,
                     msg=f"window={window}")


@points(2, hint="lr before decay_step, lr / factor from decay_step on (the notes: 0.1 -> 0.01).")
def test_lr_schedule(student, reference, rng):
    """lr_schedule around the decay step, with factor 10 and a random factor."""
    decay = int(rng.integers(5, 50))
    factor = float(rng.uniform(2, 20))
    for step in (0, decay - 1, decay, decay + 1, 3 * decay):
        assert_close(student.lr_schedule(step, 0.1, decay), reference.lr_schedule(step, 0.1, decay), rtol=1e-12,
                     msg=f"step {step}, decay_step {decay}")
        assert_close(student.lr_schedule(step, 0.5, decay, factor), reference.lr_schedule(step, 0.5, decay, factor),
                     rtol=1e-12, msg=f"step {step}, factor {factor:.2f}")
