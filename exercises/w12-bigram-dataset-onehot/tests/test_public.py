"""Public tests for w12-bigram-dataset-onehot: from the bundle's folder, run them with
`grader check w12-bigram-dataset-onehot w12-bigram-dataset-onehot/dataset.py`.
"""

import torch

STOI = {ch: i for i, ch in enumerate(".abcdefghijklmnopqrstuvwxyz")}


def test_emma(student):
    """'emma' -> xs [0, 5, 13, 13, 1], ys [5, 13, 13, 1, 0] (notes L9862-9863)."""
    xs, ys = student.build_xs_ys(["emma"], STOI)
    assert xs.dtype == torch.int64 and ys.dtype == torch.int64
    assert xs.tolist() == [0, 5, 13, 13, 1]
    assert ys.tolist() == [5, 13, 13, 1, 0]


def test_one_hot_shape_and_dtype(student):
    """With num_classes=27 the encoding is [5, 27] (notes L9954), float32, row 2 hot at index 13."""
    xenc = student.one_hot_inputs(torch.tensor([0, 5, 13, 13, 1]), 27)
    assert tuple(xenc.shape) == (5, 27)
    assert xenc.dtype == torch.float32
    assert xenc[2].argmax().item() == 13 and float(xenc.sum()) == 5.0


def test_logits_pick_rows(student):
    """one-hot @ W picks the rows xs of W."""
    W = torch.arange(12, dtype=torch.float32).reshape(4, 3)
    assert student.logits_of(torch.tensor([2, 0]), W).tolist() == [[6.0, 7.0, 8.0], [0.0, 1.0, 2.0]]
