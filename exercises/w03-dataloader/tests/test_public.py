"""Public tests for w03-dataloader: from the bundle's folder, run them with
`grader check w03-dataloader w03-dataloader/dataloading.py`.
"""

import numpy as np
import torch

from grader.judge import assert_close, assert_equal

FEATURES = np.arange(30, dtype=np.float64).reshape(10, 3)
TARGET = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1, 0])


def test_dataset_item(student):
    """dataset[2] is (tensor([6., 7., 8.]), tensor(1.)), both float32."""
    dataset = student.ArrayDataset(FEATURES, TARGET)
    assert_equal(len(dataset), 10)
    x, y = dataset[2]
    assert_close(x, torch.tensor([6.0, 7.0, 8.0]))
    assert_close(y, torch.tensor(1.0))


def test_batches(student):
    """10 samples in batches of 4: sizes 4, 4, 2, in order when shuffle=False."""
    batches = list(student.make_loader(FEATURES, TARGET, batch_size=4, shuffle=False))
    assert [len(b[0]) for b in batches] == [4, 4, 2]
    assert_close(batches[0][0], torch.tensor(FEATURES[:4], dtype=torch.float32))


def test_shuffled_epoch_is_a_permutation(student):
    """A shuffled epoch still contains every row exactly once."""
    batches = list(student.make_loader(FEATURES, TARGET, batch_size=4, shuffle=True, seed=0))
    rows = torch.cat([b[0] for b in batches])
    assert_close(rows[rows[:, 0].argsort()], torch.tensor(FEATURES, dtype=torch.float32))
