"""w03-dataloader: a Dataset over NumPy arrays, TensorDataset and DataLoader (notes L2443-2456)."""

from __future__ import annotations

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, TensorDataset


class ArrayDataset(Dataset):
    """One sample per row: dataset[i] is the tuple (features[i], target[i]) as float32 tensors.

    Convert the arrays to tensors once, in __init__. features[i] has shape [n_features]; the label is 0-dim.
    """

    def __init__(self, features: np.ndarray, target: np.ndarray) -> None:
        raise NotImplementedError  # TODO

    def __len__(self) -> int:
        """The number of samples."""
        raise NotImplementedError  # TODO

    def __getitem__(self, idx: int) -> tuple[torch.Tensor, torch.Tensor]:
        """The (features, label) tuple of sample idx."""
        raise NotImplementedError  # TODO


def make_tensor_dataset(features: np.ndarray, target: np.ndarray) -> TensorDataset:
    """The notes' TensorDataset (L2449): features and target as float32 tensors."""
    raise NotImplementedError  # TODO


def make_loader(features: np.ndarray, target: np.ndarray, batch_size: int = 4, shuffle: bool = True,
                seed: int = 0) -> DataLoader:
    """A DataLoader over ArrayDataset(features, target) with this batch_size, keeping the last smaller batch.

    When shuffle is True, pass generator=torch.Generator().manual_seed(seed), so that the order depends only on
    the seed and changes every epoch.
    """
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    features = np.random.rand(10, 3)
    target = np.random.randint(0, 2, size=10)
    for batch_inputs, batch_labels in make_loader(features, target, batch_size=4):
        print(f"{batch_inputs.shape=} {batch_labels=}")
