"""Public tests for w14-get-batch: from the bundle's folder, run them with
`grader check w14-get-batch w14-get-batch/batches.py`.
"""

import torch


def test_block_examples_from_the_notes(student):
    """The 8 samples of [18, 47, 56, 57, 58, 1, 15, 47, 58] with block size 8 (notes L10986-10997)."""
    pairs = [(list(c), t) for c, t in student.block_examples([18, 47, 56, 57, 58, 1, 15, 47, 58])]
    assert len(pairs) == 8
    assert pairs[0] == ([18], 47)
    assert pairs[-1] == ([18, 47, 56, 57, 58, 1, 15, 47], 58)


def test_batch_shapes_and_shift(student):
    """xb, yb: [4, 8], and yb is xb shifted by one."""
    data = {"train": torch.arange(100), "val": torch.arange(100, 120)}
    xb, yb = student.get_batch("train", data, 4, 8, 1337)
    assert tuple(xb.shape) == (4, 8) and tuple(yb.shape) == (4, 8)
    assert torch.equal(yb, xb + 1)


def test_val_split(student):
    """'val' draws from the validation ids."""
    data = {"train": torch.arange(100), "val": torch.arange(100, 120)}
    xb, _ = student.get_batch("val", data, 4, 8, 0)
    assert bool((xb >= 100).all())
