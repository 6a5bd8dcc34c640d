"""Hidden tests for w12-bigram-dataset-onehot: xs/ys pairs, one-hot float inputs and xenc @ W, on the
notes' example and seeded generated names.
"""

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, points
from grader.judge.data import make_names

ALPHABET = ["."] + [chr(ord("a") + i) for i in range(26)]
STOI27 = {ch: i for i, ch in enumerate(ALPHABET)}


def stoi_of(words: list[str]) -> dict[str, int]:
    itos = ["."] + sorted(set("".join(words)))
    return {ch: i for i, ch in enumerate(itos)}


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


@points(1, hint="'emma' gives the pairs .e em mm ma a.: xs = [0, 5, 13, 13, 1], ys = [5, 13, 13, 1, 0].")
def test_emma(student):
    """build_xs_ys(['emma']) with the 27-token alphabet gives the notes' xs and ys (L9862-9863)."""
    xs, ys = student.build_xs_ys(["emma"], STOI27)
    assert_equal(xs, torch.tensor([0, 5, 13, 13, 1]), msg="xs")
    assert_equal(ys, torch.tensor([5, 13, 13, 1, 0]), msg="ys")


@points(2, hint="Every word contributes len(word) + 1 pairs, in order, words one after the other; int64 tensors.")
def test_generated_names(student, reference, rng):
    """build_xs_ys on generated names: exactly the reference's int64 xs and ys."""
    words = make_names(rng)
    stoi = stoi_of(words)
    xs, ys = student.build_xs_ys(words, stoi)
    ref_xs, ref_ys = reference.build_xs_ys(words, stoi)
    assert_equal(xs, ref_xs, msg="xs")
    assert_equal(ys, ref_ys, msg="ys")


@points(1, hint="The number of examples is sum(len(w) + 1); ys is xs shifted by one inside each word.")
def test_pair_structure(student, rng):
    """xs and ys have sum(len(w) + 1) entries; ys[i] == xs[i + 1] except where a word ends (ys == 0)."""
    words = make_names(rng, n=80)
    stoi = stoi_of(words)
    xs, ys = student.build_xs_ys(words, stoi)
    n = sum(len(w) + 1 for w in words)
    assert tuple(xs.shape) == (n,) and tuple(ys.shape) == (n,), f"expected {n} pairs, got {tuple(xs.shape)}"
    ends = ys == 0
    assert int(ends.sum()) == len(words), "every word ends with '.' exactly once"
    assert bool((ys[:-1][~ends[:-1]] == xs[1:][~ends[:-1]]).all()), "ys must be xs shifted by one inside a word"


@points(1, hint="torch.tensor([]) is float32: give dtype=torch.long so that an empty list still gives int64.")
def test_empty_and_single(student):
    """No words -> empty int64 tensors; the word 'a' -> xs [0, 1], ys [1, 0]."""
    xs, ys = student.build_xs_ys([], STOI27)
    assert_equal(xs, torch.zeros(0, dtype=torch.int64), msg="xs of []")
    assert_equal(ys, torch.zeros(0, dtype=torch.int64), msg="ys of []")
    xs, ys = student.build_xs_ys(["a"], STOI27)
    assert_equal(xs, torch.tensor([0, 1]), msg="xs of ['a']")
    assert_equal(ys, torch.tensor([1, 0]), msg="ys of ['a']")


@points(2, hint="F.one_hot(xs, num_classes=...) then .float(): neural networks work with floats.")
def test_one_hot_values(student, reference, rng):
    """one_hot_inputs on generated xs: float32 [N, num_classes], equal to the reference."""
    words = make_names(rng, n=40)
    stoi = stoi_of(words)
    xs, _ = reference.build_xs_ys(words, stoi)
    assert_close(student.one_hot_inputs(xs, len(stoi)), reference.one_hot_inputs(xs, len(stoi)))


@points(1, hint="Pass num_classes: without it the width is max(xs) + 1 (14 for 'emma' instead of 27).")
def test_one_hot_width(student, reference):
    """one_hot_inputs(emma's xs, 27) has width 27 (not 14): row 2 has its 1 at index 13."""
    xs = torch.tensor([0, 5, 13, 13, 1])
    xenc = student.one_hot_inputs(xs, 27)
    assert tuple(xenc.shape) == (5, 27), f"expected (5, 27), got {tuple(xenc.shape)}"
    assert_close(xenc, reference.one_hot_inputs(xs, 27))


@points(2, hint="logits = one_hot(xs, W.shape[0]).float() @ W; row i of the result is row xs[i] of W.")
def test_logits_of(student, rng):
    """logits_of(xs, W) equals W[xs] (the one-hot matmul picks rows of W), float32."""
    gen = seeded(rng)
    v, c = int(rng.integers(8, 28)), int(rng.integers(5, 28))
    W = torch.randn(v, c, generator=gen)
    xs = torch.randint(0, v - 2, (int(rng.integers(10, 50)),), generator=gen)
    assert_close(student.logits_of(xs, W), W[xs], atol=1e-6)
