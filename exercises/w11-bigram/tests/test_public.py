"""Public tests for w11-bigram: from the bundle's folder, run them with
`grader check w11-bigram w11-bigram/bigram.py`.
"""

import math

import torch

from grader.judge import assert_close

WORDS = ["emma", "olivia", "ava", "isabella"]


def test_vocab(student):
    """'.' is 0, then the letters of emma, olivia, ava, isabella in sorted order."""
    stoi, itos = student.build_vocab(WORDS)
    chars = [".", "a", "b", "e", "i", "l", "m", "o", "s", "v"]
    assert itos in (chars, dict(enumerate(chars)))  # the notes' {i: s} dict or a list
    assert stoi == {ch: i for i, ch in enumerate(chars)}


def test_counts_of_the_notes_names(student):
    """The four names hold 25 bigrams; 'a' ends a name 4 times; '.' is never followed by '.'."""
    stoi, _ = student.build_vocab(WORDS)
    counts = student.bigram_counts(WORDS, stoi)
    assert counts.dtype == torch.int64 and tuple(counts.shape) == (10, 10)
    assert int(counts.sum()) == 25
    assert int(counts[stoi["a"], stoi["."]]) == 4
    assert int(counts[0, 0]) == 0


def test_probs_rows_sum_to_one(student):
    """Rows of the smoothed probabilities sum to 1."""
    stoi, _ = student.build_vocab(WORDS)
    probs = student.bigram_probs(student.bigram_counts(WORDS, stoi))
    assert_close(probs.sum(dim=1), torch.ones(10))


def test_uniform_model_nll(student):
    """A uniform model (every count 0, +1 smoothing) has NLL ln(V) and perplexity V (notes L9518: 1/27)."""
    stoi, _ = student.build_vocab(WORDS)
    probs = student.bigram_probs(torch.zeros((10, 10), dtype=torch.int64))
    assert_close(student.nll(WORDS, probs, stoi), math.log(10), rtol=1e-5)
    assert_close(student.perplexity(WORDS, probs, stoi), 10.0, rtol=1e-5)
