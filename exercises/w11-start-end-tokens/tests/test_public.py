"""Public tests for w11-start-end-tokens: from the bundle's folder, run them with
`grader check w11-start-end-tokens w11-start-end-tokens/counting.py`.
"""

import torch

WORDS = ["emma", "olivia", "ava", "isabella"]


def test_isabella(student):
    """'isabella' gives the notes' 9 bigrams, each once (L9323-9331)."""
    got = student.bigram_dict(["isabella"])
    assert got == {b: 1 for b in ["<S>i", "is", "sa", "ab", "be", "el", "ll", "la", "a<E>"]}


def test_top_bigram_of_the_notes_names(student):
    """'a<E>' occurs 4 times in emma, olivia, ava, isabella; ties are broken by the bigram string."""
    top = student.top_bigrams(WORDS, 2)
    assert [tuple(t) for t in top] == [("a<E>", 4), ("<S>a", 1)]


def test_layout(student):
    """Letters first, then <S>, then <E>; the <E> row and the <S> column are zero (notes L9361-9364)."""
    assert student.vocab_se(WORDS) == ["a", "b", "e", "i", "l", "m", "o", "s", "v", "<S>", "<E>"]
    counts = student.counts_se(WORDS)
    assert counts.dtype == torch.int64 and tuple(counts.shape) == (11, 11)
    assert int(counts.sum()) == 25 and int(counts[-1].sum()) == 0 and int(counts[:, -2].sum()) == 0


def test_merge(student):
    """Merging <S>/<E> into '.' gives a 10 x 10 matrix with 'a.' = 4 at [1, 0]."""
    merged = student.merge_special_tokens(student.counts_se(WORDS))
    assert tuple(merged.shape) == (10, 10) and int(merged.sum()) == 25
    assert int(merged[1, 0]) == 4 and int(merged[0].sum()) == 4
