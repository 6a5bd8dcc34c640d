"""w09-padding-prompts: padding and generation settings (notes L7465-7509) and n-shot prompts (L7926-7950)."""

from __future__ import annotations


def pad_batch(sequences: list[list[int]], pad_id: int, padding_side: str = "right",
              max_length: int | None = None) -> dict[str, list[list[int]]]:
    """{"input_ids": [...], "attention_mask": [...]}: pad to the longest sequence (or truncate/pad to max_length)."""
    raise NotImplementedError  # TODO


def split_overflow(ids: list[int], max_length: int) -> list[list[int]]:
    """Consecutive chunks of max_length ids (the last one may be shorter)."""
    raise NotImplementedError  # TODO


def new_tokens_budget(prompt_length: int, max_length: int = 20, max_new_tokens: int | None = None) -> int:
    """How many new tokens generate() may produce with these settings."""
    raise NotImplementedError  # TODO


def n_shot_kind(num_examples: int) -> str:
    """'zero-shot', 'one-shot' or 'few-shot'."""
    raise NotImplementedError  # TODO


def few_shot_prompt(instruction: str, examples: list[tuple[str, str]], query: str) -> str:
    """The prompt string in the notes' layout (see README)."""
    raise NotImplementedError  # TODO
