"""Public tests for w14-char-tokenizer: from the bundle's folder, run them with
`grader check w14-char-tokenizer w14-char-tokenizer/tokenizer.py`.
"""

import torch

TEXT = "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n"
TINY_SHAKESPEARE_CHARS = "\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def test_vocab_is_sorted(student):
    """chars is the sorted list of distinct characters; stoi inverts it."""
    chars, stoi = student.build_vocab(TEXT)
    assert chars == sorted(set(TEXT))
    assert all(chars[i] == ch for ch, i in stoi.items())


def test_notes_data_first_nine(student):
    """With Tiny Shakespeare's 65 characters, 'First Cit' encodes as in the notes (L10982)."""
    chars, stoi = student.build_vocab(TEXT + TINY_SHAKESPEARE_CHARS)
    assert len(chars) == 65
    assert student.encode("First Cit", stoi) == [18, 47, 56, 57, 58, 1, 15, 47, 58]


def test_round_trip(student):
    """decode(encode(s)) == s."""
    chars, stoi = student.build_vocab(TEXT)
    assert student.decode(student.encode(TEXT, stoi), chars) == TEXT


def test_tensor_and_split(student):
    """int64 data, split 90 / 10."""
    chars, stoi = student.build_vocab(TEXT)
    data = student.text_to_tensor(TEXT, stoi)
    assert data.dtype == torch.int64 and len(data) == len(TEXT)
    train, val = student.train_val_split(data)
    assert len(train) == int(0.9 * len(TEXT)) and len(train) + len(val) == len(TEXT)
