"""Hidden tests for w03-dataloader: Dataset items, TensorDataset, DataLoader batching and seeded shuffling."""

from __future__ import annotations

import math

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, points


def random_data(rng: np.random.Generator, n: int, f: int) -> tuple[np.ndarray, np.ndarray]:
    """float64 features (like a NumPy/pandas table) and integer 0/1 labels, with n != f."""
    return rng.normal(size=(n, f)), rng.integers(0, 2, size=n)


def stacked(batches) -> tuple[torch.Tensor, torch.Tensor]:
    """All batches of one epoch glued back together."""
    return torch.cat([b[0] for b in batches]), torch.cat([b[1] for b in batches])


@points(1, hint="__len__ is the number of SAMPLES (rows), not of features")
def test_dataset_len(student, rng):
    """len(ArrayDataset(X, y)) is the number of rows."""
    for n, f in ((int(rng.integers(5, 30)), 3), (2, 7)):
        features, target = random_data(rng, n, f)
        assert_equal(len(student.ArrayDataset(features, target)), n)


@points(2, hint="dataset[i] is the tuple (features of row i, label of row i)")
def test_dataset_items(student, rng):
    """Random indices (and the last one) give the right row and label."""
    features, target = random_data(rng, 13, 4)
    dataset = student.ArrayDataset(features, target)
    for i in (0, 12, *(int(i) for i in rng.integers(0, 13, size=3))):
        item = dataset[i]
        assert type(item) is tuple and len(item) == 2, f"dataset[{i}] should be a (features, label) tuple"
        assert_close(item[0], torch.tensor(features[i], dtype=torch.float32), check_dtype=False, msg=f"x[{i}]")
        assert_close(item[1], torch.tensor(float(target[i])), check_dtype=False, msg=f"y[{i}]")


@points(1, hint="float32 for both tensors (model parameters are float32, L2449); the label is a 0-dim tensor")
def test_dataset_dtypes_and_shapes(student, rng):
    """Features are float32 of shape [n_features] and the label a float32 0-dim tensor, whatever the input dtypes."""
    features, target = random_data(rng, 6, 5)
    x, y = student.ArrayDataset(features, target)[3]
    assert_close(x, torch.tensor(features[3], dtype=torch.float32))
    assert_close(y, torch.tensor(float(target[3])))


@points(2, hint="torch.tensor(features).float() and torch.tensor(target).float(), as in notes L2449")
def test_tensor_dataset(student, rng):
    """make_tensor_dataset has one float32 (features, label) pair per row."""
    features, target = random_data(rng, int(rng.integers(5, 20)), 3)
    dataset = student.make_tensor_dataset(features, target)
    assert_equal(len(dataset), len(features))
    i = int(rng.integers(len(features)))
    x, y = dataset[i]
    assert_close(x, torch.tensor(features[i], dtype=torch.float32))
    assert_close(y, torch.tensor(float(target[i])))


@points(2, hint="DataLoader(dataset, batch_size=batch_size, shuffle=shuffle): keep the last, smaller batch")
def test_loader_in_order(student, rng):
    """Without shuffling, batches of batch_size rows come in order and the last batch holds the rest."""
    for batch_size in (3, int(rng.integers(4, 7))):
        n = batch_size * 3 + int(rng.integers(1, batch_size))  # never a multiple of batch_size
        features, target = random_data(rng, n, 4)
        batches = list(student.make_loader(features, target, batch_size=batch_size, shuffle=False))
        sizes = [len(b[0]) for b in batches]
        assert sizes == [batch_size] * 3 + [n - 3 * batch_size], f"batch sizes {sizes}"
        x, y = stacked(batches)
        assert_close(x, torch.tensor(features, dtype=torch.float32))
        assert_close(y, torch.tensor(target, dtype=torch.float32))


@points(1, hint="len(loader) is the number of batches, ceil(n / batch_size)")
def test_loader_len(student, rng):
    """len(make_loader(...)) is ceil(n / batch_size)."""
    n, batch_size = int(rng.integers(10, 40)), int(rng.integers(2, 9))
    features, target = random_data(rng, n, 2)
    assert_equal(len(student.make_loader(features, target, batch_size=batch_size)), math.ceil(n / batch_size))


@points(1, hint="shuffle=True with generator=torch.Generator().manual_seed(seed): a new order every epoch")
def test_loader_shuffle(student, reference, rng):
    """Shuffled epochs: the same order as the reference for the same seed, every row once, a new order each epoch."""
    n, seed = 24, int(rng.integers(2**31))
    features, target = random_data(rng, n, 3)
    loader = student.make_loader(features, target, batch_size=5, shuffle=True, seed=seed)
    first, second = stacked(list(loader)), stacked(list(loader))
    expected = stacked(list(reference.make_loader(features, target, batch_size=5, shuffle=True, seed=seed)))
    assert_close(first[0], expected[0], msg="first epoch")
    assert not torch.equal(first[0], second[0]), "the second epoch has the same order as the first"
    assert_close(second[0][second[0][:, 0].argsort()], expected[0][expected[0][:, 0].argsort()])
    other = stacked(list(student.make_loader(features, target, batch_size=5, shuffle=True, seed=seed + 1)))
    assert not torch.equal(first[0], other[0]), "another seed gave the same order"
