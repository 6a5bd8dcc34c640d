"""w08-gan-losses: the notes' gen_loss and disc_loss (L6789-6838) and the alternating training loop (L6841-6871).

make_generator and make_discriminator are given: do not change them (the grader loads its weights into them).
"""

from __future__ import annotations

import torch
from torch import nn


def make_generator(z_dim: int, im_dim: int, hidden_dim: int = 32) -> nn.Sequential:
    """A tiny generator (given): Linear -> ReLU -> Linear -> Sigmoid."""
    return nn.Sequential(nn.Linear(z_dim, hidden_dim), nn.ReLU(), nn.Linear(hidden_dim, im_dim), nn.Sigmoid())


def make_discriminator(im_dim: int, hidden_dim: int = 32) -> nn.Sequential:
    """A tiny discriminator (given): Linear -> LeakyReLU(0.2) -> Linear, raw logits."""
    return nn.Sequential(nn.Linear(im_dim, hidden_dim), nn.LeakyReLU(0.2), nn.Linear(hidden_dim, 1))


def gen_loss(gen: nn.Module, disc: nn.Module, num_images: int, z_dim: int) -> torch.Tensor:
    """noise = torch.randn(num_images, z_dim) -> gen -> disc -> nn.BCEWithLogitsLoss() against torch.ones_like."""
    raise NotImplementedError  # TODO


def disc_loss(gen: nn.Module, disc: nn.Module, real: torch.Tensor, num_images: int, z_dim: int) -> torch.Tensor:
    """noise -> fakes -> fake loss (vs zeros); disc(real) -> real loss (vs ones); return (real_loss + fake_loss) / 2."""
    raise NotImplementedError  # TODO


def train_gan(gen: nn.Module, disc: nn.Module, real_images: torch.Tensor, batch_size: int, num_epochs: int,
              z_dim: int, lr: float = 0.01) -> dict[str, list[float]]:
    """The notes' loop over DataLoader(real_images, batch_size, shuffle=False) for num_epochs epochs.

    Optimisers: torch.optim.SGD(gen.parameters(), lr=lr) and torch.optim.SGD(disc.parameters(), lr=lr).
    Per batch: D step first, then G step (see README). Return {"gen_losses": [...], "disc_losses": [...]},
    one float per batch.
    """
    raise NotImplementedError  # TODO
