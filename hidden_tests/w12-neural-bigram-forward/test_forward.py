"""Hidden tests for w12-neural-bigram-forward: seeded init, forward (exp + row normalisation), NLL loss and
the log-count weights that reproduce the counting model, on seeded random data and generated names.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F

from grader.judge import assert_close, points
from grader.judge.data import make_names


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def names_data(rng: np.random.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(xs, ys, counts) of generated names, built by the test."""
    words = make_names(rng, n=150)
    itos = ["."] + sorted(set("".join(words)))
    stoi = {ch: i for i, ch in enumerate(itos)}
    xs, ys = [], []
    for word in words:
        chars = ["."] + list(word) + ["."]
        for a, b in zip(chars, chars[1:], strict=False):
            xs.append(stoi[a])
            ys.append(stoi[b])
    xs_t, ys_t = torch.tensor(xs), torch.tensor(ys)
    counts = torch.zeros((len(itos), len(itos)), dtype=torch.int64)
    counts.index_put_((xs_t, ys_t), torch.ones(len(xs), dtype=torch.int64), accumulate=True)
    return xs_t, ys_t, counts


def random_batch(rng: np.random.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(xenc float32 one-hot [N, V], W [V, V], ys [N])."""
    gen = seeded(rng)
    v, n = int(rng.integers(8, 28)), int(rng.integers(10, 60))
    xs = torch.randint(0, v, (n,), generator=gen)
    W = torch.randn(v, v, generator=gen) * 1.5
    ys = torch.randint(0, v, (n,), generator=gen)
    return F.one_hot(xs, v).float(), W, ys


@points(1, hint="g = torch.Generator().manual_seed(seed); W = torch.randn((V, V), generator=g, requires_grad=True).")
def test_init_weights(student, reference, rng):
    """init_weights(V, seed) gives exactly the reference's standard-normal float32 [V, V] matrix."""
    v, seed = int(rng.integers(5, 28)), int(rng.integers(2**31))
    assert_close(student.init_weights(v, seed), reference.init_weights(v, seed).detach())
    assert_close(student.init_weights(27, 2147483647), reference.init_weights(27, 2147483647).detach(),
                 msg="the notes' seed 2147483647")


@points(2, hint="logits = xenc @ W; counts = logits.exp(); probs = counts / counts.sum(1, keepdim=True).")
def test_forward_values(student, reference, rng):
    """forward on random one-hot inputs and weights equals the reference (float32)."""
    xenc, W, _ = random_batch(rng)
    assert_close(student.forward(xenc, W), reference.forward(xenc, W), rtol=1e-5, atol=1e-7)


@points(1, hint="Every row of probs is a distribution over the next character: positive, summing to 1.")
def test_forward_rows_are_distributions(student, rng):
    """forward: [N, V] rows are positive, sum to 1, and equal softmax(xenc @ W) along dim 1."""
    xenc, W, _ = random_batch(rng)
    probs = student.forward(xenc, W)
    assert_close(probs.sum(dim=1), torch.ones(xenc.shape[0]), atol=1e-5, msg="row sums")
    assert bool((probs > 0).all()), "probabilities must be positive"
    assert_close(probs, torch.softmax(xenc @ W, dim=1), rtol=1e-5, atol=1e-7, msg="softmax over dim 1")


@points(1, hint="W = 0 gives logits 0, exp(0) = 1 for every character, so every probability is 1/V.")
def test_forward_zero_weights(student, rng):
    """With W = 0 every probability is 1/V and the loss is ln V (notes L10101-10110)."""
    xenc, W, ys = random_batch(rng)
    v = W.shape[0]
    probs = student.forward(xenc, torch.zeros(v, v))
    assert_close(probs, torch.full((xenc.shape[0], v), 1 / v), rtol=1e-6)
    assert_close(student.nll_loss(probs, ys), torch.tensor(math.log(v)), rtol=1e-5, msg="loss")


@points(2, hint="loss = -probs[torch.arange(N), ys].log().mean(): one probability per row, ln, mean, minus.")
def test_nll_loss(student, reference, rng):
    """nll_loss on random probabilities and targets equals the reference (and F.cross_entropy of the logits)."""
    xenc, W, ys = random_batch(rng)
    probs = torch.softmax(xenc @ W, dim=1)
    got = student.nll_loss(probs, ys)
    assert_close(got, reference.nll_loss(probs, ys), rtol=1e-5)
    assert_close(got, F.cross_entropy(xenc @ W, ys), rtol=1e-4, msg="cross-entropy of the logits")


@points(2, hint="Logits are log-counts: W = ln(counts + smoothing) as float32.")
def test_weights_from_counts(student, reference, rng):
    """weights_from_counts(counts, smoothing) for smoothing 1 and 0.5 equals the reference."""
    _, _, counts = names_data(rng)
    for smoothing in (1, 0.5):
        assert_close(student.weights_from_counts(counts, smoothing), reference.weights_from_counts(counts, smoothing),
                     rtol=1e-6, msg=f"smoothing={smoothing}")


@points(1, hint="exp(ln(counts + 1)) normalised by rows is exactly the +1-smoothed counting model.")
def test_reproduces_counting_model(student, rng):
    """forward(one_hot(xs), weights_from_counts(counts)) is the smoothed count model's rows P[xs]; same loss."""
    xs, ys, counts = names_data(rng)
    v = counts.shape[0]
    P = (counts + 1).float()
    P = P / P.sum(dim=1, keepdim=True)
    W = student.weights_from_counts(counts, 1)
    probs = student.forward(F.one_hot(xs, v).float(), W)
    assert_close(probs, P[xs], rtol=1e-5, atol=1e-7)
    counting_nll = -P[xs, ys].log().mean()
    assert_close(student.nll_loss(probs, ys), counting_nll, rtol=1e-5, msg="loss equals the counting NLL")
