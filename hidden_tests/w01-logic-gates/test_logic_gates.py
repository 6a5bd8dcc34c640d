"""Hidden tests for w01-logic-gates: sigmoid, truth tables, one neuron with a bias, finite-difference training."""

from __future__ import annotations

import numpy as np

from grader.judge import assert_close, assert_equal, points

TABLES = {
    "AND": [(0, 0, 0), (0, 1, 0), (1, 0, 0), (1, 1, 1)],
    "OR": [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 1)],
    "NAND": [(0, 0, 1), (0, 1, 1), (1, 0, 1), (1, 1, 0)],
}


def random_params(rng: np.random.Generator, scale: float = 3.0) -> list[float]:
    """[w1, w2, b] drawn uniformly from [-scale, scale]."""
    return [float(v) for v in rng.uniform(-scale, scale, size=3)]


def random_dataset(rng: np.random.Generator, n: int) -> list[tuple[float, float, float]]:
    """n (x1, x2, y) triples with real-valued inputs and targets in [0, 1]."""
    return [tuple(float(v) for v in row) for row in np.column_stack(
        [rng.uniform(-1, 2, size=(n, 2)), rng.uniform(0, 1, size=n)])]


def check_learns(student, reference, rng, name: str) -> None:
    """Train from a random start; judge the returned parameters with the reference's own forward and loss."""
    table = TABLES[name]
    start = [float(v) for v in rng.uniform(-1, 1, size=3)]
    params = student.train(start, table)
    assert type(params) is list and len(params) == 3, f"train must return a list of 3 floats, got {params!r}"
    outputs = [reference.forward(params, x1, x2) for x1, x2, _ in table]
    assert [round(o) for o in outputs] == [y for _, _, y in table], f"{name}: outputs {outputs}"
    loss = reference.calculate_loss(params, table)
    assert loss < 0.01, f"{name}: loss after training {loss:.4f} >= 0.01"


@points(1, hint="sigmoid(x) = 1 / (1 + e^(-x)); sigmoid(0) is 0.5")
def test_sigmoid_values(student, reference, rng):
    """sigmoid(0) = 0.5, sigmoid(6) = 0.99753 (notes L2198) and random inputs match."""
    assert_close(student.sigmoid(0.0), 0.5)
    assert_close(student.sigmoid(6.0), 0.9975273768433653)
    for x in rng.uniform(-10, 10, size=8):
        assert_close(student.sigmoid(float(x)), reference.sigmoid(float(x)))


@points(1, hint="math.exp(1000) overflows: for negative x use e^x / (1 + e^x)")
def test_sigmoid_no_overflow(student):
    """sigmoid(-1000) is 0.0 and sigmoid(1000) is 1.0, without an OverflowError."""
    assert_close(student.sigmoid(-1000.0), 0.0, atol=1e-300)
    assert_close(student.sigmoid(1000.0), 1.0)
    assert_close(student.sigmoid(-800.5), 0.0, atol=1e-300)


@points(1, hint="NAND is NOT AND: it is 0 only when both inputs are 1")
def test_truth_tables(student):
    """AND, OR and NAND are the (x1, x2, y) truth tables in the order (0,0), (0,1), (1,0), (1,1)."""
    for name, table in TABLES.items():
        got = [tuple(row) for row in getattr(student, name)]
        assert_equal(got, table, msg=name)


@points(1, hint="output = sigmoid(w1 * x1 + w2 * x2 + b), the bias is params[2]")
def test_forward(student, reference, rng):
    """forward matches the reference for random parameters and inputs."""
    for _ in range(6):
        params = random_params(rng)
        x1, x2 = (float(v) for v in rng.uniform(-1, 2, size=2))
        assert_close(student.forward(params, x1, x2), reference.forward(params, x1, x2))


@points(1, hint="the loss is the MEAN of the squared errors over the dataset")
def test_calculate_loss(student, reference, rng):
    """MSE on the gate tables and on a random dataset."""
    for dataset in (TABLES["AND"], TABLES["NAND"], random_dataset(rng, 7)):
        params = random_params(rng)
        assert_close(student.calculate_loss(params, dataset), reference.calculate_loss(params, dataset))


@points(2, hint="perturb ONE parameter at a time by eps, keeping the other two at their current values")
def test_approx_gradient(student, reference, rng):
    """Three forward differences, each taken at the same point, for several eps."""
    for eps in (1e-2, 1e-3, 1e-4):
        params = random_params(rng, 2.0)
        dataset = random_dataset(rng, 5)
        got = student.approx_gradient(params, dataset, eps=eps)
        assert_close(got, reference.approx_gradient(params, dataset, eps=eps), rtol=1e-6, atol=1e-9)


@points(1, hint="compute all three derivatives first, then update all parameters: p -= learning_rate * dp")
def test_train_matches_reference(student, reference, rng):
    """A few epochs with a random learning rate give exactly the reference's parameters."""
    params = random_params(rng, 1.0)
    dataset = random_dataset(rng, 6)
    lr = float(rng.uniform(0.5, 3.0))
    epochs = int(rng.integers(3, 8))
    expected = reference.train(params, dataset, learning_rate=lr, eps=1e-3, epochs=epochs)
    assert_close(student.train(params, dataset, learning_rate=lr, eps=1e-3, epochs=epochs), expected, rtol=1e-7)


@points(1, hint="with the default learning_rate=1.0 and epochs=2000 the loss should fall below 0.01")
def test_train_learns_and_or(student, reference, rng):
    """Training with the defaults learns AND and OR from a random start in [-1, 1)."""
    check_learns(student, reference, rng, "AND")
    check_learns(student, reference, rng, "OR")


@points(1, hint="the same code learns NAND just by swapping the dataset")
def test_train_learns_nand(student, reference, rng):
    """Training with the defaults learns NAND from a random start in [-1, 1)."""
    check_learns(student, reference, rng, "NAND")
