"""Hidden tests for w13-mlp-dataset: context windows, splits and minibatches on the notes' and generated names."""

import string

from grader.judge import assert_close, assert_equal, assert_shape, points
from grader.judge.data import NOTES_WORDS, make_names

FULL_STOI = {ch: i for i, ch in enumerate("." + string.ascii_lowercase)}


def vocab(words: list[str]) -> dict[str, int]:
    return {ch: i for i, ch in enumerate(["."] + sorted(set("".join(words))))}


@points(3, hint="Start every word from [0, 0, 0], append word + '.', then roll the context: context[1:] + [ix].")
def test_notes_names_full_alphabet(student, reference):
    """X and Y of emma, olivia, ava, isabella with the a..z vocabulary (the notes' first 12 rows), exact int64."""
    X, Y = student.build_dataset(NOTES_WORDS, FULL_STOI, 3)
    eX, eY = reference.build_dataset(NOTES_WORDS, FULL_STOI, 3)
    assert_equal(X, eX, msg="X")
    assert_equal(Y, eY, msg="Y")


@points(2, hint="One row per character of word + '.', for every word; the context is reset to all zeros per word.")
def test_generated_names(student, reference, rng):
    """X and Y of generated names, exact, with the shape [sum(len(w) + 1), 3]."""
    words = make_names(rng, n=120)
    stoi = vocab(words)
    X, Y = student.build_dataset(words, stoi, 3)
    rows = sum(len(w) + 1 for w in words)
    assert_shape(X, (rows, 3), msg="X")
    assert_shape(Y, (rows,), msg="Y")
    eX, eY = reference.build_dataset(words, stoi, 3)
    assert_equal(X, eX, msg="X")
    assert_equal(Y, eY, msg="Y")


@points(2, hint="Use the block_size argument everywhere (the context length and X's second dimension).")
def test_other_block_sizes(student, reference, rng):
    """block_size 1 (the bigram xs/ys) and 5 on generated names, exact."""
    words = make_names(rng, n=60)
    stoi = vocab(words)
    for block_size in (1, 5):
        X, Y = student.build_dataset(words, stoi, block_size)
        eX, eY = reference.build_dataset(words, stoi, block_size)
        assert_equal(X, eX, msg=f"X, block_size={block_size}")
        assert_equal(Y, eY, msg=f"Y, block_size={block_size}")


@points(2, hint="Shuffle a copy with random.Random(seed).shuffle, then cut at int(0.8 * n) and int(0.9 * n); "
                "return (train, dev, test).")
def test_split_words(student, reference, rng):
    """split_words: the same train/dev/test lists as the reference for two seeds."""
    words = make_names(rng, n=int(rng.integers(150, 260)))
    for seed in (42, int(rng.integers(1000))):
        got = student.split_words(words, seed)
        expected = reference.split_words(words, seed)
        assert len(got) == 3, "split_words returns (train, dev, test)"
        for name, g, e in zip(("train", "dev", "test"), got, expected, strict=True):
            assert_close(list(g), e, msg=f"{name}, seed={seed}")


@points(1, hint="ix = torch.randint(0, X.shape[0], (batch_size,), generator=g) with g seeded by seed; "
                "return X[ix], Y[ix] (the same ix for both).")
def test_minibatch(student, reference, rng):
    """get_minibatch: shapes and the exact rows drawn with the seeded generator."""
    words = make_names(rng, n=80)
    X, Y = reference.build_dataset(words, vocab(words), 3)
    seed = int(rng.integers(2**31))
    Xb, Yb = student.get_minibatch(X, Y, 32, seed)
    assert_shape(Xb, (32, 3), msg="Xb")
    assert_shape(Yb, (32,), msg="Yb")
    eXb, eYb = reference.get_minibatch(X, Y, 32, seed)
    assert_equal(Xb, eXb, msg="Xb")
    assert_equal(Yb, eYb, msg="Yb")
