"""Hidden tests for w01-xor-mlp: 9 parameters, (x|y) & ~(x&y) wiring, forward, loss, finite-difference training."""

from __future__ import annotations

import numpy as np

from grader.judge import assert_close, assert_equal, points

XOR = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]
HAND = [20.0, 20.0, -10.0, -20.0, -20.0, 30.0, 20.0, 20.0, -30.0]  # OR, NAND, AND neurons [w1, w2, b]


def random_params(rng: np.random.Generator, scale: float = 3.0) -> list[float]:
    """Nine parameters drawn uniformly from [-scale, scale]."""
    return [float(v) for v in rng.uniform(-scale, scale, size=9)]


def random_inputs(rng: np.random.Generator, n: int) -> list[tuple[float, float]]:
    """Real-valued input pairs (not only 0/1), e.g. 0.9 and 0.3, so XOR cannot be hard-coded."""
    return [(float(a), float(b)) for a, b in rng.uniform(-0.5, 1.5, size=(n, 2))]


@points(2, hint="three neurons (OR, NAND, AND), each with two weights AND a bias")
def test_n_parameters(student, rng):
    """n_parameters is 9 for a random and a given model (notes L511-513)."""
    assert_equal(student.n_parameters(student.Xor()), 9)
    assert_equal(student.n_parameters(student.Xor(random_params(rng))), 9)
    assert_equal(len(student.Xor().parameters()), 9)


@points(1, hint="parameters() returns the 9 floats in the order set_parameters / Xor(params) reads them")
def test_parameters_round_trip(student, rng):
    """Xor(p).parameters() == p, and set_parameters(q) replaces all nine values."""
    p, q = random_params(rng), random_params(rng)
    model = student.Xor(p)
    assert_close(model.parameters(), p)
    model.set_parameters(q)
    assert_close(model.parameters(), q)


@points(2, hint="hidden: h1 = OR-neuron(x1, x2), h2 = NAND-neuron(x1, x2); output = AND-neuron(h1, h2), all sigmoids")
def test_hand_weights_truth_table(student, reference):
    """OR (20, 20, -10), NAND (-20, -20, 30), AND (20, 20, -30) reproduce XOR: outputs round to 0, 1, 1, 0."""
    model = student.Xor(HAND)
    ref = reference.Xor(HAND)
    outputs = [student.forward(model, a, b) for a, b, _ in XOR]
    assert_close(outputs, [reference.forward(ref, a, b) for a, b, _ in XOR], atol=1e-9)
    assert [round(o) for o in outputs] == [0, 1, 1, 0], outputs


@points(2, hint="forward must be the network's arithmetic, not x1 ^ x2; check every neuron has its sigmoid")
def test_forward_random(student, reference, rng):
    """Random parameters and real-valued inputs give the reference's output."""
    for _ in range(3):
        params = random_params(rng)
        model, ref = student.Xor(params), reference.Xor(params)
        for a, b in random_inputs(rng, 3):
            assert_close(student.forward(model, a, b), reference.forward(ref, a, b), msg=f"inputs ({a}, {b})")


@points(1, hint="the MEAN of the squared errors over the dataset")
def test_calculate_loss(student, reference, rng):
    """MSE on XOR and on a random real-valued dataset."""
    data = [(a, b, float(y)) for (a, b), y in zip(random_inputs(rng, 5), rng.uniform(0, 1, size=5), strict=False)]
    for dataset in (XOR, data):
        params = random_params(rng)
        assert_close(student.calculate_loss(student.Xor(params), dataset),
                     reference.calculate_loss(reference.Xor(params), dataset))


@points(1, hint="shift ONE parameter by eps at a time, compute all 9 derivatives, then update all 9")
def test_train_matches_reference(student, reference, rng):
    """A few epochs with a random learning rate give exactly the reference's parameters."""
    params = random_params(rng, 2.0)
    lr = float(rng.uniform(0.5, 3.0))
    epochs = int(rng.integers(2, 5))
    expected = reference.train(reference.Xor(params), XOR, learning_rate=lr, eps=1e-3, epochs=epochs).parameters()
    got = student.train(student.Xor(params), XOR, learning_rate=lr, eps=1e-3, epochs=epochs).parameters()
    assert_close(got, expected, rtol=1e-6, atol=1e-9)


@points(1, hint="with the defaults (learning_rate=1.0, epochs=1000) a start near a solution must converge")
def test_train_learns_xor(student, reference, rng):
    """From a noisy start near a solution, training learns XOR (judged with the reference's forward and loss)."""
    start = [0.15 * h + float(n) for h, n in zip(HAND, rng.uniform(-1, 1, size=9), strict=False)]
    params = student.train(student.Xor(start), XOR).parameters()
    ref = reference.Xor(params)
    outputs = [reference.forward(ref, a, b) for a, b, _ in XOR]
    assert [round(o) for o in outputs] == [0, 1, 1, 0], outputs
    assert reference.calculate_loss(ref, XOR) < 0.02
