"""Hidden tests for w12-neural-bigram-gd: the regularised loss, its gradient and full-batch gradient descent
on seeded generated names (tiny: about 800 bigrams, 15 characters, at most 200 steps).
"""

import numpy as np
import torch
import torch.nn.functional as F

from grader.judge import assert_close, points
from grader.judge.data import make_names


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def names_data(rng: np.random.Generator, n: int = 150) -> tuple[torch.Tensor, torch.Tensor, int]:
    """(xs, ys, V) of generated names, built by the test."""
    words = make_names(rng, n=n)
    itos = ["."] + sorted(set("".join(words)))
    stoi = {ch: i for i, ch in enumerate(itos)}
    xs, ys = [], []
    for word in words:
        chars = ["."] + list(word) + ["."]
        for a, b in zip(chars, chars[1:], strict=False):
            xs.append(stoi[a])
            ys.append(stoi[b])
    return torch.tensor(xs), torch.tensor(ys), len(itos)


def counting_nll(xs: torch.Tensor, ys: torch.Tensor, v: int) -> float:
    """The unsmoothed counting model's NLL on its own training data: the best any W can do."""
    counts = torch.zeros(v, v, dtype=torch.float64)
    counts.index_put_((xs, ys), torch.ones(len(xs), dtype=torch.float64), accumulate=True)
    probs = counts / counts.sum(dim=1, keepdim=True).clamp(min=1)
    return float(-probs[xs, ys].log().mean())


def expected_gradient(xs: torch.Tensor, ys: torch.Tensor, W: torch.Tensor, reg: float) -> torch.Tensor:
    """The judge's own gradient: xenc^T (probs - onehot(ys)) / N + 2 reg W / W.numel()."""
    v = W.shape[0]
    xenc = F.one_hot(xs, v).double()
    probs = torch.softmax(xenc @ W.double(), dim=1)
    grad = xenc.T @ (probs - F.one_hot(ys, v).double()) / len(xs) + 2 * reg * W.double() / W.numel()
    return grad.float()


def random_problem(rng: np.random.Generator):
    gen = seeded(rng)
    v, n = int(rng.integers(6, 20)), int(rng.integers(20, 80))
    W = torch.randn(v, v, generator=gen)
    xs = torch.randint(0, v, (n,), generator=gen)
    ys = torch.randint(0, v, (n,), generator=gen)
    return xs, ys, W


@points(2, hint="loss = -probs[torch.arange(N), ys].log().mean() + reg * (W ** 2).mean()  (mean, not sum).")
def test_loss_fn_values(student, reference, rng):
    """loss_fn on random probabilities, targets and weights, for reg 0, 0.01 and 0.5, equals the reference."""
    xs, ys, W = random_problem(rng)
    probs = torch.softmax(F.one_hot(xs, W.shape[0]).float() @ W, dim=1)
    for reg in (0.0, 0.01, 0.5):
        assert_close(student.loss_fn(probs, ys, W, reg), reference.loss_fn(probs, ys, W, reg), rtol=1e-5,
                     msg=f"reg={reg}")


@points(1, hint="The regulariser is reg times the MEAN of the squared weights (notes: lambda * (1/n) * sum w^2).")
def test_regulariser_term(student, rng):
    """loss_fn(reg) - loss_fn(0) is exactly reg * mean(W ** 2)."""
    xs, ys, W = random_problem(rng)
    probs = torch.softmax(F.one_hot(xs, W.shape[0]).float() @ W, dim=1)
    reg = float(rng.uniform(0.05, 2.0))
    diff = student.loss_fn(probs, ys, W, reg) - student.loss_fn(probs, ys, W, 0.0)
    assert_close(diff, reg * (W**2).mean(), rtol=1e-4, atol=1e-6)


@points(2, hint="Build W as a leaf with requires_grad, compute forward + loss_fn, call backward and return W.grad.")
def test_gradient(student, rng):
    """gradient(xs, ys, W, reg) equals xenc^T (probs - onehot) / N + 2 reg W / W.numel(), for reg 0 and 0.1."""
    xs, ys, W = random_problem(rng)
    for reg in (0.0, 0.1):
        assert_close(student.gradient(xs, ys, W, reg), expected_gradient(xs, ys, W, reg), rtol=1e-4, atol=1e-6,
                     msg=f"reg={reg}")


@points(2, hint="Each step: forward, loss (record loss.item() BEFORE the update), W.grad = None, backward, "
                "W.data += -lr * W.grad.")
def test_train_matches_reference(student, reference, rng):
    """train(...) with reg 0.01: the losses and the final W equal the reference's."""
    xs, ys, v = names_data(rng)
    seed = int(rng.integers(2**31))
    W, losses = student.train(xs, ys, v, 40, 10.0, 0.01, seed)
    ref_W, ref_losses = reference.train(xs, ys, v, 40, 10.0, 0.01, seed)
    assert_close(losses, ref_losses, rtol=1e-3, msg="losses")
    assert_close(W, ref_W, rtol=1e-3, atol=1e-3, msg="final W")


@points(1, hint="W starts as torch.randn((V, V), generator=a Generator seeded with seed); losses[0] is its loss.")
def test_train_initial_loss(student, rng):
    """losses[0] is the loss of the seeded randn initial W (computed by the test), and there are `steps` losses."""
    xs, ys, v = names_data(rng, n=60)
    seed = int(rng.integers(2**31))
    _, losses = student.train(xs, ys, v, 3, 10.0, 0.0, seed)
    W0 = torch.randn((v, v), generator=torch.Generator().manual_seed(seed))
    expected = F.cross_entropy(F.one_hot(xs, v).float() @ W0, ys).item()
    assert len(losses) == 3, f"expected one loss per step (3), got {len(losses)}"
    assert_close(losses[0], expected, rtol=1e-4)


@points(1, hint="Gradient DEscent: subtract lr * grad, and reset the gradient every step so it does not accumulate.")
def test_train_converges_toward_counting(student, rng):
    """reg 0, lr 50, 200 steps: the loss falls and ends within 0.15 of (never below) the counting NLL."""
    xs, ys, v = names_data(rng)
    _, losses = student.train(xs, ys, v, 200, 50.0, 0.0, int(rng.integers(2**31)))
    best = counting_nll(xs, ys, v)
    assert losses[-1] < losses[0] - 1.0, f"the loss barely moved: {losses[0]:.3f} -> {losses[-1]:.3f}"
    assert best - 1e-3 <= losses[-1] < best + 0.15, f"final loss {losses[-1]:.4f}, counting optimum {best:.4f}"


@points(1, hint="A larger reg pulls W toward 0: smaller weights, flatter (more uniform) probabilities.")
def test_regularisation_smooths(student, rng):
    """Training with reg 1 ends with a smaller mean(W^2), a higher training loss and higher row entropy than reg 0."""
    xs, ys, v = names_data(rng, n=100)
    seed = int(rng.integers(2**31))
    W0, losses0 = student.train(xs, ys, v, 60, 20.0, 0.0, seed)
    W1, losses1 = student.train(xs, ys, v, 60, 20.0, 1.0, seed)
    assert float((W1**2).mean()) < 0.5 * float((W0**2).mean()), "reg must shrink the weights"

    def entropy(W: torch.Tensor) -> float:
        p = torch.softmax(W, dim=1)
        return float(-(p * p.log()).sum(dim=1).mean())

    assert entropy(W1) > entropy(W0), "reg must make the rows of softmax(W) more uniform"
    nll1 = F.cross_entropy(F.one_hot(xs, v).float() @ W1, ys).item()
    nll0 = F.cross_entropy(F.one_hot(xs, v).float() @ W0, ys).item()
    assert nll1 > nll0, "reg trades training NLL for smoothness"
