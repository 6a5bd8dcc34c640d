"""Mutant: marks the padding with 1 and the real tokens with 0 in the attention mask."""

from __future__ import annotations


def pad_batch(sequences: list[list[int]], pad_id: int, padding_side: str = "right",
              max_length: int | None = None) -> dict[str, list[list[int]]]:
    """Pad token-id lists to the longest one (or truncate/pad to max_length); 1 = real token in the mask."""
    if padding_side not in ("right", "left"):
        raise ValueError("padding_side must be 'right' or 'left'")
    if max_length is not None:
        sequences = [list(s[:max_length]) for s in sequences]
    target = max_length if max_length is not None else max((len(s) for s in sequences), default=0)
    input_ids, attention_mask = [], []
    for s in sequences:
        pad = target - len(s)
        if padding_side == "right":
            input_ids.append(list(s) + [pad_id] * pad)
            attention_mask.append([0] * len(s) + [1] * pad)
        else:
            input_ids.append([pad_id] * pad + list(s))
            attention_mask.append([0] * pad + [1] * len(s))
    return {"input_ids": input_ids, "attention_mask": attention_mask}


def split_overflow(ids: list[int], max_length: int) -> list[list[int]]:
    """Cut a too-long input into consecutive inputs of max_length tokens (the last one may be shorter)."""
    if max_length < 1:
        raise ValueError("max_length must be positive")
    return [list(ids[i:i + max_length]) for i in range(0, len(ids), max_length)]


def new_tokens_budget(prompt_length: int, max_length: int = 20, max_new_tokens: int | None = None) -> int:
    """How many tokens generate() may add: max_new_tokens if set, else max_length minus the prompt (not below 0)."""
    if max_new_tokens is not None:
        return max_new_tokens
    return max(max_length - prompt_length, 0)


def n_shot_kind(num_examples: int) -> str:
    """'zero-shot', 'one-shot' or 'few-shot'."""
    if num_examples == 0:
        return "zero-shot"
    if num_examples == 1:
        return "one-shot"
    return "few-shot"


def few_shot_prompt(instruction: str, examples: list[tuple[str, str]], query: str) -> str:
    """The notes' prompt layout: instruction, 'Example:'/'Examples:', one Text/Sentiment line each, the query."""
    lines = ["", instruction]
    if len(examples) == 1:
        lines.append("Example:")
    elif len(examples) > 1:
        lines.append("Examples:")
    lines += [f'Text: "{text}" Sentiment: {label}' for text, label in examples]
    lines.append(f'Text: "{query}" Sentiment:')
    return "\n".join(lines) + "\n"
