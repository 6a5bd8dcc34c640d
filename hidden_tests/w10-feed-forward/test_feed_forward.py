"""Hidden tests for w10-feed-forward: FeedForward with the reference's weights, the parameter formula, ReLU probe."""

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, assert_shape, points

ATOL = 1e-5


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def pair(student, reference, rng, d_model, d_ff):
    """The student's FeedForward with the reference's random weights (biases included), and the reference."""
    gen = seeded(rng)
    ref = reference.FeedForward(d_model, d_ff)
    with torch.no_grad():
        for p in ref.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.5)
    ff = student.FeedForward(d_model, d_ff)
    ff.load_state_dict(ref.state_dict())
    ff.eval()
    return ff, ref, gen


@points(1, hint="The output has the input's shape [B, T, d_model].")
def test_shape(student, rng):
    """FeedForward(16, 64) keeps the shape [2, 5, 16]."""
    x = torch.randn(2, 5, 16, generator=seeded(rng))
    assert_shape(student.FeedForward(16, 64)(x), (2, 5, 16))


@points(3, hint="fc1 = nn.Linear(d_model, d_ff), ReLU, fc2 = nn.Linear(d_ff, d_model), both with bias.")
def test_matches_reference(student, reference, rng):
    """With the reference's weights, the output equals Linear -> ReLU -> Linear."""
    ff, ref, gen = pair(student, reference, rng, 16, 64)
    x = torch.randn(3, 7, 16, generator=gen)
    with torch.no_grad():
        expected = ref(x)
    assert_close(ff(x), expected, atol=ATOL)


@points(1, hint="d_ff may be smaller than d_model; nothing in the layer depends on the batch or sequence length.")
def test_other_sizes(student, reference, rng):
    """d_ff < d_model, a 2-D input [T, d_model] and a single position."""
    d_model, d_ff = int(rng.integers(10, 20)), int(rng.integers(3, 9))
    ff, ref, gen = pair(student, reference, rng, d_model, d_ff)
    for shape in ((4, d_model), (1, 1, d_model)):
        x = torch.randn(*shape, generator=gen)
        with torch.no_grad():
            expected = ref(x)
        assert_close(ff(x), expected, atol=ATOL, msg=f"input {shape}")


@points(2, hint="Position-wise: each position goes through the MLP on its own; no operation mixes positions.")
def test_position_wise(student, reference, rng):
    """f(x)[:, t] == f(x[:, t:t+1])[:, 0] for every t, and permuting positions permutes the outputs."""
    ff, _, gen = pair(student, reference, rng, 12, 24)
    x = torch.randn(2, 6, 12, generator=gen)
    full = ff(x)
    for t in range(6):
        assert_close(ff(x[:, t:t + 1])[:, 0], full[:, t], atol=ATOL, msg=f"position {t} alone")
    perm = torch.tensor(rng.permutation(6))
    assert_close(ff(x[:, perm]), full[:, perm], atol=ATOL, msg="permuted positions")


@points(1, hint="The non-linearity is ReLU: max(0, z). GELU and tanh give other values.")
def test_relu_probe(student, reference):
    """W1 = W2 = I, zero biases: input [-1, 2, -0.5, 0.3] gives exactly [0, 2, 0, 0.3]."""
    ref = reference.FeedForward(4, 4)
    with torch.no_grad():
        ref.fc1.weight.copy_(torch.eye(4))
        ref.fc2.weight.copy_(torch.eye(4))
        ref.fc1.bias.zero_()
        ref.fc2.bias.zero_()
    ff = student.FeedForward(4, 4)
    ff.load_state_dict(ref.state_dict())
    ff.eval()
    assert_close(ff(torch.tensor([[-1.0, 2.0, -0.5, 0.3]])), torch.tensor([[0.0, 2.0, 0.0, 0.3]]), atol=1e-6)


@points(2, hint="Count both weight matrices and both bias vectors: d_model*d_ff + d_ff + d_ff*d_model + d_model.")
def test_param_count(student, reference, rng):
    """feed_forward_param_count(512, 2048) == 2,099,712 and random sizes match the formula."""
    assert_equal(student.feed_forward_param_count(512, 2048), 2_099_712)
    d_model, d_ff = int(rng.integers(1, 300)), int(rng.integers(1, 1000))
    assert_equal(student.feed_forward_param_count(d_model, d_ff), reference.feed_forward_param_count(d_model, d_ff))
