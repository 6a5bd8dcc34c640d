"""Hidden tests for w11-start-end-tokens: bigram dictionaries, top-k, the 28x28-style <S>/<E> matrix and
merging <S>/<E> into '.', on the notes' names and seeded generated names.
"""

import numpy as np
import torch

from grader.judge import assert_equal, points
from grader.judge.data import NOTES_WORDS, make_names


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


@points(1, hint="Wrap the word as <S> + letters + <E>; 'isabella' has 9 bigrams, from '<S>i' to 'a<E>'.")
def test_bigram_dict_isabella(student, reference):
    """bigram_dict(['isabella']) gives the notes' 9 bigrams (L9323-9331)."""
    assert_equal(student.bigram_dict(["isabella"]), reference.bigram_dict(["isabella"]))


@points(2, hint="Count every bigram of every word, including the ones with <S> and <E>.")
def test_bigram_dict_generated(student, reference, rng):
    """bigram_dict on generated names equals the reference dictionary."""
    words = make_names(rng)
    assert_equal(student.bigram_dict(words), reference.bigram_dict(words))


@points(1, hint="Sort by count descending; break ties by the bigram string in ascending order.")
def test_top_bigrams(student, reference, rng):
    """top_bigrams(words, k) on the notes' names (many ties) and on generated names."""
    assert_equal(student.top_bigrams(NOTES_WORDS, 6), reference.top_bigrams(NOTES_WORDS, 6), msg="notes names")
    words = make_names(rng)
    k = int(rng.integers(5, 15))
    assert_equal(student.top_bigrams(words, k), reference.top_bigrams(words, k), msg="generated names")


@points(1, hint="itos is the sorted letters that occur, then '<S>', then '<E>' (the notes' 28x28 layout).")
def test_vocab_se(student, reference, rng):
    """vocab_se on the notes' names and on generated names."""
    assert_equal(student.vocab_se(NOTES_WORDS), reference.vocab_se(NOTES_WORDS), msg="notes names")
    words = make_names(rng)
    assert_equal(student.vocab_se(words), reference.vocab_se(words), msg="generated names")


@points(2, hint="counts[i, j] counts token j FOLLOWING token i (rows = first token), int64, over vocab_se(words).")
def test_counts_se_values(student, reference, rng):
    """counts_se on generated names: the exact int64 matrix."""
    words = make_names(rng)
    assert_equal(student.counts_se(words), reference.counts_se(words))


@points(1, hint="Nothing follows <E> and <S> never follows anything: the last row and second-to-last column are zero.")
def test_counts_se_zero_row_and_column(student, rng):
    """counts_se: <E> row and <S> column zero, total sum(len(w) + 1), the <S> row sums to len(words)."""
    words = make_names(rng, n=120)
    counts = student.counts_se(words)
    assert int(counts[-1].abs().sum()) == 0, "the <E> row (last) must be all zero"
    assert int(counts[:, -2].abs().sum()) == 0, "the <S> column (second to last) must be all zero"
    assert int(counts.sum()) == sum(len(w) + 1 for w in words), "total number of bigrams"
    assert int(counts[-2].sum()) == len(words), "every word starts once"


@points(2, hint="'.' -> letter comes from the <S> row, letter -> '.' from the <E> column, <S> -> <E> goes to [0, 0].")
def test_merge_special_tokens(student, reference, rng):
    """merge_special_tokens on a real <S>/<E> matrix and on a random one (with an empty word <S><E>)."""
    words = make_names(rng)
    counts = reference.counts_se(words)
    assert_equal(student.merge_special_tokens(counts), reference.merge_special_tokens(counts), msg="names")
    n = int(rng.integers(4, 9))
    rand = torch.randint(0, 9, (n + 2, n + 2), generator=seeded(rng))
    rand[-1] = 0
    rand[:, -2] = 0
    assert_equal(student.merge_special_tokens(rand), reference.merge_special_tokens(rand), msg="random matrix")
