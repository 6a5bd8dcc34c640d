"""Public tests for w13-mlp-dataset: from the bundle's folder, run them with
`grader check w13-mlp-dataset w13-mlp-dataset/mlp_dataset.py`.
"""

import string

import torch

STOI = {ch: i for i, ch in enumerate("." + string.ascii_lowercase)}
WORDS = ["emma", "olivia", "ava", "isabella"]


def test_first_twelve_rows_from_the_notes(student):
    """X[:12] printed in the notes (L10373-10384) for emma and olivia, block_size 3."""
    X, Y = student.build_dataset(WORDS, STOI, 3)
    assert X.dtype == torch.int64 and Y.dtype == torch.int64
    assert X[:12].tolist() == [[0, 0, 0], [0, 0, 5], [0, 5, 13], [5, 13, 13], [13, 13, 1], [0, 0, 0],
                               [0, 0, 15], [0, 15, 12], [15, 12, 9], [12, 9, 22], [9, 22, 9], [22, 9, 1]]
    assert Y[:12].tolist() == [5, 13, 13, 1, 0, 15, 12, 9, 22, 9, 1, 0]


def test_shapes(student):
    """The four names give 4 + 6 + 3 + 8 + 4 (one '.' per word) = 25 rows."""
    X, Y = student.build_dataset(WORDS, STOI, 3)
    assert tuple(X.shape) == (25, 3) and tuple(Y.shape) == (25,)


def test_split_sizes(student):
    """100 words split 80 / 10 / 10."""
    words = [f"w{i}" for i in range(100)]
    train, dev, test = student.split_words(words, 42)
    assert (len(train), len(dev), len(test)) == (80, 10, 10)
    assert sorted(train + dev + test) == sorted(words)


def test_minibatch_shapes(student):
    """A minibatch of 32 rows from the four names."""
    X, Y = student.build_dataset(WORDS, STOI, 3)
    Xb, Yb = student.get_minibatch(X, Y, 32, 0)
    assert tuple(Xb.shape) == (32, 3) and tuple(Yb.shape) == (32,)
