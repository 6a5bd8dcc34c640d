"""w13-initial-loss-and-saturation: health checks of an MLP language model at initialisation.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import math  # noqa: F401  (you will need it)

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)


def expected_initial_loss(vocab_size: int) -> float:
    """The loss of a uniform prediction over vocab_size characters, as a Python float."""
    raise NotImplementedError  # TODO


def init_mlp(vocab_size: int, block_size: int = 3, n_embd: int = 10, n_hidden: int = 200, seed: int = 2147483647,
             fix_output: bool = False, fix_hidden: bool = False) -> dict[str, torch.Tensor]:
    """{"C", "W1", "b1", "W2", "b2"} drawn in this order with torch.randn(shape, generator=g),
    g = torch.Generator().manual_seed(seed); then fix_output: W2 * 0.01, b2 * 0; fix_hidden: W1 * 0.2, b1 * 0.01."""
    raise NotImplementedError  # TODO


def hidden_layer(params: dict[str, torch.Tensor], X: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(hpreact, h): hpreact = C[X].view(N, -1) @ W1 + b1, h = torch.tanh(hpreact)."""
    raise NotImplementedError  # TODO


def initial_loss(params: dict[str, torch.Tensor], X: torch.Tensor, Y: torch.Tensor) -> float:
    """F.cross_entropy(h @ W2 + b2, Y) as a Python float."""
    raise NotImplementedError  # TODO


def saturation_fraction(h: torch.Tensor, threshold: float = 0.99) -> float:
    """Fraction of the entries of h with |h| > threshold, as a Python float."""
    raise NotImplementedError  # TODO


def dead_neuron_mask(h: torch.Tensor, threshold: float = 0.99) -> torch.Tensor:
    """bool [n_hidden]: True for a neuron whose |h| > threshold for every example."""
    raise NotImplementedError  # TODO


def tanh_local_grad(t: torch.Tensor) -> torch.Tensor:
    """The local gradient of tanh written with its OUTPUT t."""
    raise NotImplementedError  # TODO
