"""Hidden tests for w12-ngram-table-sparsity: count tables for 1, 2 and 3 characters of context, their
sparsity and NLL, on seeded generated names (tables of at most 21 ** 3 x 21 cells).
"""

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, points
from grader.judge.data import CONSONANTS, make_names


def corpus(rng: np.random.Generator, n: int = 200) -> tuple[list[str], list[str], dict[str, int]]:
    """(training names, new names with the same letters, stoi over both), built by the test."""
    consonants = "".join(sorted(rng.choice(list(CONSONANTS), size=8, replace=False)))
    train = make_names(rng, n=n, consonants=consonants)
    test = make_names(rng, n=60, consonants=consonants)
    itos = ["."] + sorted(set("".join(train + test)))
    return train, test, {ch: i for i, ch in enumerate(itos)}


def bigram_counts(words: list[str], stoi: dict[str, int]) -> torch.Tensor:
    counts = torch.zeros((len(stoi), len(stoi)), dtype=torch.int64)
    for word in words:
        chars = ["."] + list(word) + ["."]
        for a, b in zip(chars, chars[1:], strict=False):
            counts[stoi[a], stoi[b]] += 1
    return counts


@points(1, hint="One row per possible context: V choices for each of the `context` characters.")
def test_context_rows(student, rng):
    """context_rows: 27, 729, 19683 for V = 27 (notes L9766-9782) and V ** k for random V and k."""
    assert_equal([student.context_rows(27, k) for k in (1, 2, 3)], [27, 729, 19683])
    v, k = int(rng.integers(5, 40)), int(rng.integers(1, 5))
    assert_equal(student.context_rows(v, k), v**k)


@points(1, hint="With one character of context the table is the bigram count matrix ('.' starts and ends words).")
def test_context_one_is_bigram(student, rng):
    """ngram_table(words, stoi, 1) is exactly the bigram count matrix (built by the test)."""
    train, _, stoi = corpus(rng)
    assert_equal(student.ngram_table(train, stoi, 1), bigram_counts(train, stoi))


@points(2, hint="Row of (c1, c2) is c1 * V + c2 (oldest character most significant); the context starts as '..'.")
def test_table_context_two(student, reference, rng):
    """ngram_table with 2 characters of context equals the reference exactly (int64 [V**2, V])."""
    train, _, stoi = corpus(rng)
    assert_equal(student.ngram_table(train, stoi, 2), reference.ngram_table(train, stoi, 2))


@points(1, hint="Slide the context: drop the oldest index, append the one just predicted.")
def test_table_context_three(student, reference, rng):
    """ngram_table with 3 characters of context equals the reference exactly."""
    train, _, stoi = corpus(rng, n=120)
    assert_equal(student.ngram_table(train, stoi, 3), reference.ngram_table(train, stoi, 3))


@points(1, hint="Every word gives len(word) + 1 predictions; each word starts from the all-'.' context (row 0).")
def test_table_structure(student, rng):
    """Shape [V**k, V], total sum(len + 1), row 0 (context all '.') sums to the number of words."""
    train, _, stoi = corpus(rng, n=80)
    v = len(stoi)
    for k in (2, 3):
        table = student.ngram_table(train, stoi, k)
        assert tuple(table.shape) == (v**k, v), f"context {k}: shape {tuple(table.shape)}"
        assert int(table.sum()) == sum(len(w) + 1 for w in train), f"context {k}: total"
        assert int(table[0].sum()) == len(train), f"context {k}: row 0 must count every word's first letter"


@points(1, hint="zero_fraction = number of cells equal to 0 divided by the number of cells.")
def test_zero_fraction(student, reference, rng):
    """zero_fraction of the tables for 1, 2, 3 characters of context: reference values, rising with the context."""
    train, _, stoi = corpus(rng)
    got = [student.zero_fraction(reference.ngram_table(train, stoi, k)) for k in (1, 2, 3)]
    expected = [reference.zero_fraction(reference.ngram_table(train, stoi, k)) for k in (1, 2, 3)]
    assert_close(got, expected, rtol=1e-9)
    assert got[0] < got[1] < got[2], f"sparsity must grow with the context: {got}"


@points(2, hint="P = (table + smoothing) with rows normalised; average -ln P[row of the context, next] over all "
                "predictions of all words.")
def test_ngram_nll(student, reference, rng):
    """ngram_nll with +1 smoothing on training and new names, contexts 1 and 2, equals the reference."""
    train, test, stoi = corpus(rng)
    for k in (1, 2):
        table = reference.ngram_table(train, stoi, k)
        for name, words in (("train", train), ("new names", test)):
            assert_close(student.ngram_nll(table, words, stoi, k, 1), reference.ngram_nll(table, words, stoi, k, 1),
                         rtol=1e-5, msg=f"context {k}, {name}")


@points(1, hint="Longer contexts fit the training names better (unsmoothed) but generalise worse (+1 smoothing).")
def test_longer_context_overfits(student, reference, rng):
    """Contexts 1 -> 2 -> 3: training NLL (smoothing 0) falls, new-names NLL (+1) rises."""
    train, test, stoi = corpus(rng)
    tables = {k: reference.ngram_table(train, stoi, k) for k in (1, 2, 3)}
    train_nll = [student.ngram_nll(tables[k], train, stoi, k, 0) for k in (1, 2, 3)]
    test_nll = [student.ngram_nll(tables[k], test, stoi, k, 1) for k in (1, 2, 3)]
    assert_close(train_nll, [reference.ngram_nll(tables[k], train, stoi, k, 0) for k in (1, 2, 3)], rtol=1e-5)
    assert train_nll[0] > train_nll[1] > train_nll[2], f"training NLL should fall: {train_nll}"
    assert test_nll[0] < test_nll[1] < test_nll[2], f"new-names NLL should rise: {test_nll}"
