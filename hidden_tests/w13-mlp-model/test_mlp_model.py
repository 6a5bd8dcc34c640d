"""Hidden tests for w13-mlp-model: parameters, embedding, forward, loss, training and the learning-rate grid.

Parameters are plain dicts of tensors built by the judge (reference init or random), so the student's
functions are compared with the reference on the same numbers.
"""

import math

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, assert_shape, points
from grader.judge.data import make_names

NAMES = ("C", "W1", "b1", "W2", "b2")


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def random_params(rng, vocab_size=15, block_size=3, n_embd=4, n_hidden=16) -> dict[str, torch.Tensor]:
    g = seeded(rng)
    shapes = {"C": (vocab_size, n_embd), "W1": (block_size * n_embd, n_hidden), "b1": (n_hidden,),
              "W2": (n_hidden, vocab_size), "b2": (vocab_size,)}
    return {name: torch.randn(shape, generator=g) * 0.7 for name, shape in shapes.items()}


def contexts(words: list[str], stoi: dict[str, int], block_size: int = 3) -> tuple[torch.Tensor, torch.Tensor]:
    xs, ys = [], []
    for w in words:
        ctx = [0] * block_size
        for ch in w + ".":
            xs.append(ctx)
            ys.append(stoi[ch])
            ctx = ctx[1:] + [stoi[ch]]
    return torch.tensor(xs), torch.tensor(ys)


def corpus(rng, n_words=600):
    """Words repeated from a small set of generated names: the last 3 characters predict much better than 1."""
    base = sorted(set(make_names(rng, n=60)))
    words = [base[i] for i in rng.integers(0, len(base), n_words)]
    itos = ["."] + sorted(set("".join(base)))
    return words, {ch: i for i, ch in enumerate(itos)}


@points(1, hint="Draw C, W1, b1, W2, b2 in this order from one torch.Generator().manual_seed(seed), with the "
                "shapes and scales of the statement.")
def test_init_params(student, reference, rng):
    """init_params: the five tensors' shapes (11,897 numbers for 27/3/10/200) and values."""
    params = student.init_params(27, 3, 10, 200, 2147483647)
    expected = reference.init_params(27, 3, 10, 200, 2147483647)
    assert sorted(params) == sorted(NAMES), f"keys {sorted(params)}"
    assert sum(int(t.numel()) for t in params.values()) == 11897, "27*10 + 30*200 + 200 + 200*27 + 27 = 11897"
    for name in NAMES:
        assert_close(params[name], expected[name], msg=name)
    seed = int(rng.integers(2**31))
    params = student.init_params(12, 4, 5, 20, seed)
    expected = reference.init_params(12, 4, 5, 20, seed)
    for name in NAMES:
        assert_close(params[name], expected[name], msg=f"{name}, other sizes")


@points(1, hint="C[X] plucks rows; one_hot(X, num_classes=vocab_size).float() @ C gives the same numbers.")
def test_embedding_lookup_equals_onehot(student, reference, rng):
    """embed (C[X]) and embed_onehot (one-hot matmul) both equal the reference, on indices below vocab_size - 1."""
    C = torch.randn(20, 6, generator=seeded(rng))
    X = torch.tensor(rng.integers(0, 15, size=(9, 3)))
    expected = reference.embed(C, X)
    assert_close(student.embed(C, X), expected, msg="embed")
    assert_close(student.embed_onehot(C, X), expected, atol=1e-6, msg="embed_onehot")


@points(2, hint="h = tanh(C[X].view(N, -1) @ W1 + b1); logits = h @ W2 + b2.")
def test_forward(student, reference, rng):
    """forward on random parameters and contexts (block_size 3 and 2) equals the reference."""
    for block_size in (3, 2):
        params = random_params(rng, block_size=block_size)
        X = torch.tensor(rng.integers(0, 15, size=(11, block_size)))
        logits = student.forward(params, X)
        assert_shape(logits, (11, 15))
        assert_close(logits, reference.forward(params, X), msg=f"block_size={block_size}")


@points(1, hint="Reshape with view(N, -1) (one row per example): a row's logits depend only on its own context.")
def test_forward_rows_independent(student, reference, rng):
    """Changing the other rows of a batch does not change row 0's logits (and row 0 is right)."""
    params = random_params(rng)
    X = torch.tensor(rng.integers(0, 15, size=(8, 3)))
    other = X.clone()
    other[1:] = torch.tensor(rng.integers(0, 15, size=(7, 3)))
    a, b = student.forward(params, X), student.forward(params, other)
    assert_close(b[0], a[0], msg="row 0 with other rows changed")
    assert_close(a[0], reference.forward(params, X)[0], msg="row 0")


@points(1, hint="F.cross_entropy(logits, Y) takes the logits (not probabilities); return a Python float.")
def test_loss(student, reference, rng):
    """loss equals the reference's mean cross-entropy, as a float."""
    params = random_params(rng)
    X = torch.tensor(rng.integers(0, 15, size=(40, 3)))
    Y = torch.tensor(rng.integers(0, 15, size=40))
    got = student.loss(params, X, Y)
    assert isinstance(got, float), f"loss returns {type(got).__name__}, expected float"
    assert_close(got, reference.loss(params, X, Y), rtol=1e-5)


@points(2, hint="Per step: ix = torch.randint(0, N, (batch_size,), generator=g), cross-entropy on the logits, "
                "reset grads, backward, p -= lr * grad; record loss.item().")
def test_train_steps_exact(student, reference, rng):
    """25 training steps from the same start: the losses and the final parameters equal the reference's."""
    words, stoi = corpus(rng, 150)
    X, Y = contexts(words, stoi)
    params = reference.init_params(len(stoi), 3, 6, 32, int(rng.integers(2**31)))
    seed = int(rng.integers(2**31))
    got, losses = student.train(params, X, Y, 25, 32, 0.1, seed)
    exp, exp_losses = reference.train(params, X, Y, 25, 32, 0.1, seed)
    assert_close(losses, exp_losses, rtol=1e-4, atol=1e-5, msg="losses")
    for name in NAMES:
        assert_close(got[name], exp[name], rtol=1e-4, atol=1e-5, msg=name)


@points(1, hint="A working MLP with 3 characters of context should clearly beat the counting bigram on held-out words.")
def test_training_beats_bigram(student, reference, rng):
    """400 steps (lr 0.1, decayed to 0.01 at step 300): dev loss below the +1-smoothed bigram's minus 0.1."""
    words, stoi = corpus(rng, 600)
    train_words, dev_words = words[:500], words[500:]
    X, Y = contexts(train_words, stoi)
    Xd, Yd = contexts(dev_words, stoi)
    V = len(stoi)
    counts = torch.ones(V, V)
    counts.index_put_((X[:, -1], Y), torch.ones(len(Y)), accumulate=True)
    probs = counts / counts.sum(dim=1, keepdim=True)
    bigram_dev = float(-torch.log(probs[Xd[:, -1], Yd]).mean())
    params = reference.init_params(V, 3, 8, 64, int(rng.integers(2**31)))
    trained, _ = student.train(params, X, Y, 400, 32, 0.1, int(rng.integers(2**31)), 300)
    dev = reference.loss({name: trained[name] for name in NAMES}, Xd, Yd)
    assert math.isfinite(dev) and dev < bigram_dev - 0.1, f"dev loss {dev:.3f}, bigram {bigram_dev:.3f}"


@points(1, hint="lre = torch.linspace(-3, 0, n), lrs = 10**lre; from decay_step on, train with lr / 10.")
def test_lr_grid_and_decay(student, reference, rng):
    """lr_candidates(1000) (0.001 .. 1, log-uniform) and training with a learning-rate decay step."""
    lre, lrs = student.lr_candidates(1000)
    elre, elrs = reference.lr_candidates(1000)
    assert_close(lre, elre, msg="lre")
    assert_close(lrs, elrs, msg="lrs")
    words, stoi = corpus(rng, 150)
    X, Y = contexts(words, stoi)
    params = reference.init_params(len(stoi), 3, 6, 32, int(rng.integers(2**31)))
    seed = int(rng.integers(2**31))
    _, losses = student.train(params, X, Y, 30, 32, 0.5, seed, 10)
    _, exp_losses = reference.train(params, X, Y, 30, 32, 0.5, seed, 10)
    assert_close(losses, exp_losses, rtol=1e-4, atol=1e-5, msg="losses with decay_step=10")
    assert_equal(len(losses), 30)
