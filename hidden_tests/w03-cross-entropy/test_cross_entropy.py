"""Hidden tests for w03-cross-entropy: softmax, log-softmax, one-hot and cross-entropy vs PyTorch."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from grader.judge import assert_close, assert_equal, points

LARGE = torch.tensor([[1000.0, 1001.0, 990.0], [0.0, 1.0, -10.0], [-1000.0, -999.0, -1010.0]])


def generator(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def random_logits(rng: np.random.Generator, *shape: int) -> torch.Tensor:
    return torch.randn(*shape, generator=generator(rng)) * float(rng.uniform(1, 4))


@points(1, hint="softmax = exp(x) / exp(x).sum(dim, keepdim=True); every row sums to 1")
def test_softmax(student, rng):
    """[[4.3, 6.1, 2.3]] -> [[0.1392, 0.8420, 0.0188]] (notes L2232); random batches match torch.softmax."""
    assert_close(student.softmax(torch.tensor([[4.3, 6.1, 2.3]])), torch.tensor([[0.1392, 0.8420, 0.0188]]),
                 atol=1e-4)
    x = random_logits(rng, 8, 5)
    assert_close(student.softmax(x), torch.softmax(x, dim=-1))


@points(1, hint="use the dim argument for the max, the exp-sum and keepdim=True")
def test_softmax_dim(student, rng):
    """A 3-D tensor along every dim (0, 1, 2 and -1) matches torch.softmax."""
    x = random_logits(rng, 3, 4, 5)
    for dim in (0, 1, 2, -1):
        assert_close(student.softmax(x, dim=dim), torch.softmax(x, dim=dim), msg=f"dim={dim}")


@points(1, hint="exp(1000) is inf: subtract the max of EACH row (max along dim, keepdim=True), not the global max")
def test_softmax_large_logits(student):
    """Rows around +1000, 0 and -1000 all give about [0.2689, 0.7311, 0.0000], without NaN."""
    assert_close(student.softmax(LARGE), torch.softmax(LARGE, dim=-1))


@points(1, hint="log_softmax = (x - m) - log(sum(exp(x - m))) with m the max along dim; log(softmax) underflows")
def test_log_softmax(student, rng):
    """Random and very large logits match F.log_softmax."""
    x = random_logits(rng, 6, 4)
    assert_close(student.log_softmax(x), F.log_softmax(x, dim=-1))
    assert_close(student.log_softmax(x, dim=0), F.log_softmax(x, dim=0))
    assert_close(student.log_softmax(LARGE), F.log_softmax(LARGE, dim=-1))


@points(1, hint="an int64 tensor of 0s with a 1 at each label, with a new last dimension of size num_classes")
def test_one_hot(student, rng):
    """one_hot(tensor(0), 3) is tensor([1, 0, 0]) (notes L2303); random label batches match F.one_hot."""
    assert_equal(student.one_hot(torch.tensor(0), 3), torch.tensor([1, 0, 0]))
    labels = torch.from_numpy(rng.integers(0, 6, size=10))
    assert_equal(student.one_hot(labels, 6), F.one_hot(labels, num_classes=6))
    labels = torch.from_numpy(rng.integers(0, 4, size=(3, 2)))
    assert_equal(student.one_hot(labels, 4), F.one_hot(labels, num_classes=4))


@points(1, hint="cross_entropy takes LOGITS (it applies log-softmax itself) and averages over the batch")
def test_cross_entropy_notes(student):
    """The notes' example is 0.8131 (L2334) for a one-hot and for an index target; the task sheet's is 8.0619."""
    scores = torch.tensor([[-0.1211, 0.1059]])
    assert_close(student.cross_entropy(scores, torch.tensor([[1.0, 0.0]])), torch.tensor(0.8131), atol=1e-4)
    assert_close(student.cross_entropy(scores, torch.tensor([0])), torch.tensor(0.8131), atol=1e-4)
    scores = torch.tensor([[0.1, 6.0, -2.0, 3.2]])
    assert_close(student.cross_entropy(scores, torch.tensor([2])), torch.tensor(8.0619), atol=1e-4)


@points(1, hint="for class indices, pick log q[i, target[i]] for each row i (one-hot it), then average")
def test_cross_entropy_index_targets(student, rng):
    """Random [16, 5] logits with int64 class targets match nn.CrossEntropyLoss."""
    for batch in (16, 3):
        x = random_logits(rng, batch, 5)
        y = torch.from_numpy(rng.integers(0, 5, size=batch))
        assert_close(student.cross_entropy(x, y), nn.CrossEntropyLoss()(x, y))


@points(1, hint="for probability targets, -sum_i p_i log q_i per row, then the mean over rows")
def test_cross_entropy_probability_targets(student, rng):
    """Random [16, 5] logits with soft (probability) targets match nn.CrossEntropyLoss."""
    x = random_logits(rng, 16, 5)
    p = torch.softmax(random_logits(rng, 16, 5), dim=-1)
    assert_close(student.cross_entropy(x, p), nn.CrossEntropyLoss()(x, p))


@points(1, hint="compute log q with your stable log_softmax, not log(softmax(x)), so log 0 never happens")
def test_cross_entropy_large_logits(student):
    """Logits [[1000, 0]]: target 0 costs 0 and target 1 costs 1000, without NaN or inf."""
    x = torch.tensor([[1000.0, 0.0]])
    assert_close(student.cross_entropy(x, torch.tensor([0])), torch.tensor(0.0))
    assert_close(student.cross_entropy(x, torch.tensor([1])), torch.tensor(1000.0))


@points(1, hint="binary cross-entropy: mean of -y log(p) - (1 - y) log(1 - p) (notes L2313)")
def test_binary_cross_entropy(student, rng):
    """Random probabilities and 0/1 (and soft) targets match nn.BCELoss."""
    g = generator(rng)
    p = torch.rand(12, generator=g) * 0.98 + 0.01
    y = (torch.rand(12, generator=g) > 0.5).float()
    assert_close(student.binary_cross_entropy(p, y), nn.BCELoss()(p, y))
    soft = torch.rand(4, 3, generator=g)
    p = torch.rand(4, 3, generator=g) * 0.98 + 0.01
    assert_close(student.binary_cross_entropy(p, soft), nn.BCELoss()(p, soft))
