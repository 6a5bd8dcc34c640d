"""Mutant: returns real_loss + fake_loss instead of their average."""

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
    """BCE-with-logits between D's predictions on fresh fakes and ones."""
    noise = torch.randn(num_images, z_dim)
    fake = gen(noise)
    disc_pred = disc(fake)
    criterion = nn.BCEWithLogitsLoss()
    return criterion(disc_pred, torch.ones_like(disc_pred))


def disc_loss(gen: nn.Module, disc: nn.Module, real: torch.Tensor, num_images: int, z_dim: int) -> torch.Tensor:
    """Average of the fake loss (fakes vs zeros) and the real loss (reals vs ones)."""
    criterion = nn.BCEWithLogitsLoss()
    noise = torch.randn(num_images, z_dim)
    fake = gen(noise)
    disc_pred_fake = disc(fake)
    fake_loss = criterion(disc_pred_fake, torch.zeros_like(disc_pred_fake))
    disc_pred_real = disc(real)
    real_loss = criterion(disc_pred_real, torch.ones_like(disc_pred_real))
    return real_loss + fake_loss


def train_gan(gen: nn.Module, disc: nn.Module, real_images: torch.Tensor, batch_size: int, num_epochs: int,
              z_dim: int, lr: float = 0.01) -> dict[str, list[float]]:
    """The notes' alternating loop with SGD(lr) for both nets; returns the per-batch losses."""
    dataloader = torch.utils.data.DataLoader(real_images, batch_size=batch_size, shuffle=False)
    gen_opt = torch.optim.SGD(gen.parameters(), lr=lr)
    disc_opt = torch.optim.SGD(disc.parameters(), lr=lr)
    gen_losses: list[float] = []
    disc_losses: list[float] = []
    for _ in range(num_epochs):
        for real in dataloader:
            cur_batch_size = len(real)

            disc_opt.zero_grad()
            disc_loss_out = disc_loss(gen, disc, real, cur_batch_size, z_dim)
            disc_loss_out.backward()
            disc_opt.step()

            gen_opt.zero_grad()
            gen_loss_out = gen_loss(gen, disc, cur_batch_size, z_dim)
            gen_loss_out.backward()
            gen_opt.step()

            disc_losses.append(disc_loss_out.item())
            gen_losses.append(gen_loss_out.item())
    return {"gen_losses": gen_losses, "disc_losses": disc_losses}
