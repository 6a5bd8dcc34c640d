"""w14-char-tokenizer: a character-level tokenizer for a Shakespeare-like text.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import torch  # noqa: F401  (you will need it)


def build_vocab(text: str) -> tuple[list[str], dict[str, int]]:
    """(chars, stoi): chars is the SORTED list of the distinct characters of text; stoi[ch] is ch's position."""
    raise NotImplementedError  # TODO


def encode(s: str, stoi: dict[str, int]) -> list[int]:
    """A Python list with the id of every character of s."""
    raise NotImplementedError  # TODO


def decode(ids: list[int], chars: list[str]) -> str:
    """The string whose characters have these ids."""
    raise NotImplementedError  # TODO


def text_to_tensor(text: str, stoi: dict[str, int]) -> torch.Tensor:
    """int64 tensor [len(text)] of the ids of text."""
    raise NotImplementedError  # TODO


def train_val_split(data: torch.Tensor, frac: float = 0.9) -> tuple[torch.Tensor, torch.Tensor]:
    """(train_data, val_data): the first int(frac * len(data)) ids, then the rest."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    with open("input.txt", encoding="utf-8") as f:
        text = f.read()
    chars, stoi = build_vocab(text)
    print(len(chars), repr("".join(chars)))
    print(encode("hii there", stoi), decode(encode("hii there", stoi), chars))
