"""MUTANT drop_last: drops the last incomplete batch (drop_last=True).

w03-dataloader: a Dataset over NumPy arrays, TensorDataset and DataLoader (notes L2443-2456)."""

from __future__ import annotations

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, TensorDataset


class ArrayDataset(Dataset):
    """Samples (features[i], target[i]) as float32 tensors, converted once when the dataset is built."""

    def __init__(self, features: np.ndarray, target: np.ndarray) -> None:
        self.features = torch.tensor(np.asarray(features), dtype=torch.float32)
        self.target = torch.tensor(np.asarray(target), dtype=torch.float32)

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, idx: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.features[idx], self.target[idx]


def make_tensor_dataset(features: np.ndarray, target: np.ndarray) -> TensorDataset:
    """The notes' TensorDataset, with both tensors cast to float32 like the model's parameters (L2449)."""
    return TensorDataset(torch.tensor(features).float(), torch.tensor(target).float())


def make_loader(features: np.ndarray, target: np.ndarray, batch_size: int = 4, shuffle: bool = True,
                seed: int = 0) -> DataLoader:
    """Batches of an ArrayDataset; when shuffling, the order comes from a torch.Generator seeded with `seed`."""
    generator = torch.Generator().manual_seed(seed) if shuffle else None
    return DataLoader(ArrayDataset(features, target), batch_size=batch_size, shuffle=shuffle, generator=generator, drop_last=True)


if __name__ == "__main__":
    features = np.random.rand(10, 3)
    target = np.random.randint(0, 2, size=10)
    for batch_inputs, batch_labels in make_loader(features, target, batch_size=4):
        print(f"{batch_inputs.shape=} {batch_labels=}")
