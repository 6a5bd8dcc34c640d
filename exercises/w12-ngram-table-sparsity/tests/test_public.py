"""Public tests for w12-ngram-table-sparsity: from the bundle's folder, run them with
`grader check w12-ngram-table-sparsity w12-ngram-table-sparsity/ngram_table.py`.
"""

import math

import torch

STOI = {".": 0, "a": 1, "b": 2}


def test_table_sizes(student):
    """27, 27 * 27 = 729 and 27 ** 3 = 19683 rows for 1, 2, 3 characters of context (notes L9766-9782)."""
    assert [student.context_rows(27, k) for k in (1, 2, 3)] == [27, 729, 19683]


def test_two_characters_of_context(student):
    """'ab' with context 2: predictions (.., a), (.a, b), (ab, .) at rows 0, 1, 5."""
    table = student.ngram_table(["ab"], STOI, 2)
    assert table.dtype == torch.int64 and tuple(table.shape) == (9, 3)
    expected = torch.zeros((9, 3), dtype=torch.int64)
    expected[0, 1] = expected[1, 2] = expected[5, 0] = 1
    assert torch.equal(table, expected)


def test_zero_fraction(student):
    """3 non-zero cells out of 27."""
    assert abs(student.zero_fraction(student.ngram_table(["ab"], STOI, 2)) - 24 / 27) < 1e-12


def test_uniform_nll(student):
    """An all-zero table with +1 smoothing is uniform: NLL ln 3."""
    nll = student.ngram_nll(torch.zeros((9, 3), dtype=torch.int64), ["ab", "ba"], STOI, 2, 1)
    assert abs(nll - math.log(3)) < 1e-9
