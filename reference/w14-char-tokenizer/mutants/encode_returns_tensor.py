"""Mutant: encode returns a tensor instead of a list of ints."""

from __future__ import annotations

import torch


def build_vocab(text: str) -> tuple[list[str], dict[str, int]]:
    """(chars, stoi): chars = sorted(set(text)); stoi[ch] = position of ch in chars."""
    chars = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(chars)}
    return chars, stoi


def encode(s: str, stoi: dict[str, int]) -> list[int]:
    """A list with the id of every character of s."""
    return torch.tensor([stoi[ch] for ch in s])


def decode(ids: list[int], chars: list[str]) -> str:
    """The string whose characters have these ids (chars is the itos list)."""
    return "".join(chars[i] for i in ids)


def text_to_tensor(text: str, stoi: dict[str, int]) -> torch.Tensor:
    """torch.tensor(encode(text, stoi), dtype=torch.long): int64 [len(text)]."""
    return torch.tensor(encode(text, stoi), dtype=torch.long)


def train_val_split(data: torch.Tensor, frac: float = 0.9) -> tuple[torch.Tensor, torch.Tensor]:
    """(data[:n], data[n:]) with n = int(frac * len(data)): the first part trains, the rest validates."""
    n = int(frac * len(data))
    return data[:n], data[n:]
