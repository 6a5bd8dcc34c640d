"""Hidden tests for w14-get-batch: block examples and seeded random batches on generated id sequences."""

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, assert_shape, points

NOTES_CHUNK = [18, 47, 56, 57, 58, 1, 15, 47, 58]


def id_data(rng: np.random.Generator, n: int = 300, vocab: int = 65) -> dict[str, torch.Tensor]:
    ids = torch.tensor(rng.integers(0, vocab, size=n))
    cut = int(0.9 * n)
    return {"train": ids[:cut], "val": ids[cut:]}


@points(1, hint="A chunk of block_size + 1 ids gives block_size examples: context chunk[:t+1] -> target chunk[t+1].")
def test_block_examples_notes(student, reference):
    """block_examples on the notes' [18, 47, 56, 57, 58, 1, 15, 47, 58]: the 8 (context, target) pairs."""
    got = student.block_examples(NOTES_CHUNK)
    assert_close([[list(c), t] for c, t in got], [[c, t] for c, t in reference.block_examples(NOTES_CHUNK)])


@points(1, hint="The number of examples is len(chunk) - 1; contexts grow from 1 id to len(chunk) - 1 ids.")
def test_block_examples_generated(student, reference, rng):
    """block_examples on a random chunk of random length."""
    chunk = [int(i) for i in rng.integers(0, 65, size=int(rng.integers(3, 14)))]
    got = student.block_examples(chunk)
    assert_close([[list(c), t] for c, t in got], [[c, t] for c, t in reference.block_examples(chunk)])


@points(1, hint="xb and yb are both int64 [batch_size, block_size].")
def test_batch_shapes(student, rng):
    """get_batch shapes and dtype for batch_size 4 / block_size 8 and 5 / 3."""
    data = id_data(rng)
    for batch_size, block_size in ((4, 8), (5, 3)):
        xb, yb = student.get_batch("train", data, batch_size, block_size, int(rng.integers(2**31)))
        assert_shape(xb, (batch_size, block_size), msg="xb")
        assert_shape(yb, (batch_size, block_size), msg="yb")
        assert xb.dtype == torch.int64 and yb.dtype == torch.int64, f"dtypes {xb.dtype}, {yb.dtype}"


@points(2, hint="ix = torch.randint(len(data) - block_size, (batch_size,), generator=g), g seeded with seed; "
                "x = data[i:i+block_size], y = data[i+1:i+block_size+1].")
def test_batch_exact(student, reference, rng):
    """A seeded batch equals the reference's, for two seeds."""
    data = id_data(rng)
    for seed in (1337, int(rng.integers(2**31))):
        xb, yb = student.get_batch("train", data, 4, 8, seed)
        e_xb, e_yb = reference.get_batch("train", data, 4, 8, seed)
        assert_equal(xb, e_xb, msg=f"xb, seed={seed}")
        assert_equal(yb, e_yb, msg=f"yb, seed={seed}")


@points(2, hint="The targets are the inputs shifted by one: yb[:, :-1] == xb[:, 1:], and each row is a window "
                "data[i:i+block_size] / data[i+1:i+block_size+1].")
def test_shift_by_one(student, rng):
    """Each row of xb is a window of the data, and yb is the same window one position later."""
    n = 200
    train = torch.randperm(n, generator=torch.Generator().manual_seed(int(rng.integers(2**31))))
    data = {"train": train, "val": train[:20]}
    xb, yb = student.get_batch("train", data, 16, 6, int(rng.integers(2**31)))
    assert_shape(yb, (16, 6))
    assert_equal(yb[:, :-1], xb[:, 1:], msg="yb[:, :-1] vs xb[:, 1:]")
    position = {int(v): i for i, v in enumerate(train)}
    for row in range(16):
        i = position[int(xb[row, 0])]
        assert_equal(xb[row], train[i:i + 6], msg=f"xb row {row}")
        assert_equal(yb[row], train[i + 1:i + 7], msg=f"yb row {row}")


@points(2, hint="Offsets must cover [0, len(data) - block_size): both the first and the last possible window.")
def test_offsets_range(student, rng):
    """3000 draws on 50 distinct ids with block_size 8: offsets stay in [0, 42) and reach both ends."""
    train = torch.randperm(50, generator=torch.Generator().manual_seed(int(rng.integers(2**31))))
    data = {"train": train, "val": train}
    xb, _ = student.get_batch("train", data, 3000, 8, int(rng.integers(2**31)))
    assert_shape(xb, (3000, 8))
    position = {int(v): i for i, v in enumerate(train)}
    offsets = {position[int(v)] for v in xb[:, 0]}
    assert max(offsets) == 50 - 8 - 1, f"largest offset {max(offsets)}, expected 41"
    assert min(offsets) == 0, f"smallest offset {min(offsets)}, expected 0"


@points(1, hint="Draw from data[split]: 'val' must use the validation ids.")
def test_val_split(student, reference, rng):
    """get_batch('val', ...) draws from data['val'] and equals the reference."""
    data = id_data(rng)
    seed = int(rng.integers(2**31))
    xb, yb = student.get_batch("val", data, 4, 8, seed)
    e_xb, e_yb = reference.get_batch("val", data, 4, 8, seed)
    assert_equal(xb, e_xb, msg="xb")
    assert_equal(yb, e_yb, msg="yb")
