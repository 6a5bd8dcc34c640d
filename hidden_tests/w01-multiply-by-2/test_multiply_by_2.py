"""Hidden tests for w01-multiply-by-2: dataset, init, MSE, finite-difference derivative, gradient descent."""

from __future__ import annotations

import numpy as np

from grader.judge import assert_close, assert_equal, points

W0_NOTES = 3.745401188473625  # np.random.seed(42); np.random.uniform(0, 10)  [task sheet]


def random_dataset(rng: np.random.Generator, n: int) -> list[tuple[float, float]]:
    """n (x, y) pairs that are NOT exactly y = 2x, so the loss is a general MSE."""
    xs = rng.uniform(-3, 3, size=n)
    ys = 2 * xs + rng.normal(0, 0.5, size=n)
    return [(float(x), float(y)) for x, y in zip(xs, ys, strict=False)]


@points(1, hint="pairs (x, 2x) for x = 0, 1, ..., n - 1, as a list of tuples")
def test_create_dataset(student, reference, rng):
    """create_dataset(4) is [(0, 0), (1, 2), (2, 4), (3, 6)] and matches for a random n."""
    assert_equal(student.create_dataset(4), [(0, 0), (1, 2), (2, 4), (3, 6)])
    n = int(rng.integers(5, 30))
    assert_equal(student.create_dataset(n), reference.create_dataset(n))


@points(1, hint="seed NumPy's global generator with np.random.seed(seed), then draw np.random.uniform(x, y)")
def test_initialize_weights(student, reference, rng):
    """Seeded draws equal NumPy's (seed 42 gives 3.745401188473625); unseeded draws stay in [x, y)."""
    assert_close(student.initialize_weights(0, 10, seed=42), W0_NOTES, rtol=0, atol=1e-12)
    low = float(rng.uniform(-20, 0))
    high = low + float(rng.uniform(0.5, 20))
    seed = int(rng.integers(2**31))
    assert_close(student.initialize_weights(low, high, seed=seed), reference.initialize_weights(low, high, seed=seed))
    draws = [student.initialize_weights(low, high) for _ in range(50)]
    assert all(type(d) is float and low <= d < high for d in draws), f"a draw fell outside [{low}, {high})"
    assert len(set(draws)) > 40, "unseeded draws should differ from each other"


@points(1, hint="the loss is the MEAN of (w * x - y) ** 2 over the dataset")
def test_calculate_loss_notes_example(student):
    """With w0 = 3.745401188473625 and create_dataset(6) the loss is 27.92556532998047."""
    dataset = [(x, 2 * x) for x in range(6)]
    assert_close(student.calculate_loss(W0_NOTES, dataset), 27.92556532998047, rtol=1e-12, atol=0)


@points(1, hint="the loss is the MEAN of (w * x - y) ** 2 over the dataset")
def test_calculate_loss_random(student, reference, rng):
    """MSE on random (x, y) pairs and random w matches the reference."""
    for _ in range(3):
        dataset = random_dataset(rng, int(rng.integers(3, 12)))
        w = float(rng.uniform(-5, 10))
        assert_close(student.calculate_loss(w, dataset), reference.calculate_loss(w, dataset), rtol=1e-9)


@points(2, hint="forward difference (loss(w + eps) - loss(w)) / eps with the eps you are given")
def test_approx_derivative(student, reference, rng):
    """The forward difference matches the reference for several eps and is close to 2 (w - 2) mean(x^2)."""
    dataset = [(x, 2 * x) for x in range(6)]
    got = student.approx_derivative(W0_NOTES, dataset)
    assert_close(got, reference.approx_derivative(W0_NOTES, dataset), rtol=1e-6)
    assert abs(got - 2 * (W0_NOTES - 2) * 55 / 6) < 0.05
    for eps in (1e-2, 1e-3, 1e-4):
        data = random_dataset(rng, 7)
        w = float(rng.uniform(-5, 10))
        assert_close(student.approx_derivative(w, data, eps=eps), reference.approx_derivative(w, data, eps=eps),
                     rtol=1e-6)


@points(2, hint="each epoch does w -= learning_rate * L, with L the finite-difference derivative")
def test_train_few_epochs(student, reference, rng):
    """A few epochs with random learning rate and start land exactly where the reference does."""
    for _ in range(2):
        data = random_dataset(rng, int(rng.integers(3, 8)))
        w0 = float(rng.uniform(-5, 10))
        lr = float(rng.uniform(1e-3, 2e-2))
        epochs = int(rng.integers(3, 8))
        expected = reference.train(w0, data, learning_rate=lr, eps=1e-3, epochs=epochs)
        assert_close(student.train(w0, data, learning_rate=lr, eps=1e-3, epochs=epochs), expected, rtol=1e-7)


@points(2, hint="with the default learning rate, the loss must go DOWN every epoch")
def test_train_converges_to_two(student, rng):
    """500 epochs with the defaults reach |w - 2| < 0.01 from inside and from outside [0, 10) (notes L415)."""
    dataset = [(x, 2 * x) for x in range(6)]
    for w0 in (float(rng.uniform(0, 10)), -50.0):
        w = student.train(w0, dataset)
        assert type(w) is float, f"train must return a float, got {type(w).__name__}"
        assert abs(w - 2) < 1e-2, f"train({w0}) ended at w = {w}, expected about 2"
