"""Hidden tests for w15-weighted-aggregation: the loop, the tril matmul, the masked softmax and the goals.

Inputs come from the rng fixture, plus the notes' seed-1337 xs and seed-42 b for one value test each.
"""

import torch

from grader.judge import assert_close, assert_shape, points
from grader.judge.data import randn

ATOL = 1e-6



def random_xs(rng):
    return randn(rng, int(rng.integers(2, 5)), int(rng.integers(5, 12)), int(rng.integers(2, 6)))


@points(1, hint="xbow[b, t] = xs[b, :t+1].mean(0): the current token and every earlier one.")
def test_loop_notes_values(student):
    """bow_loop on the notes' torch.manual_seed(1337) xs (4, 8, 2): xbow[0] as printed in the notes."""
    torch.manual_seed(1337)
    xs = torch.randn(4, 8, 2)
    expected = torch.tensor([[0.1808, -0.0700], [-0.0894, -0.4926], [0.1490, -0.3199], [0.3504, -0.2238],
                             [0.3525, 0.0545], [0.0688, -0.0396], [0.0927, -0.0682], [-0.0341, 0.1332]])
    xbow = student.bow_loop(xs)
    assert_shape(xbow, (4, 8, 2))
    assert_close(xbow[0], expected, atol=1e-4)


@points(1, hint="Loop over b and t; average over time (dim 0 of xs[b, :t+1]), not over channels.")
def test_loop_random(student, reference, rng):
    """bow_loop on random [B, T, C] equals the reference."""
    xs = random_xs(rng)
    assert_close(student.bow_loop(xs), reference.bow_loop(xs), atol=ATOL)


@points(1, hint="wei = torch.tril(torch.ones(T, T)); wei / wei.sum(1, keepdim=True): rows (not columns) sum to 1.")
def test_averaging_weights(student, reference, rng):
    """averaging_weights(8) (row t = 1/(t+1) on its first t+1 entries) and a random T."""
    for T in (8, int(rng.integers(2, 15))):
        assert_close(student.averaging_weights(T), reference.averaging_weights(T), atol=ATOL, msg=f"T = {T}")


@points(1, hint="tril, zeros, masked_fill(tril == 0, float('-inf')), softmax over the last dim.")
def test_softmax_weights(student, reference, rng):
    """softmax_weights(T) equals the averaging matrix and is exactly 0 above the diagonal."""
    T = int(rng.integers(3, 15))
    wei = student.softmax_weights(T)
    assert_close(wei, reference.averaging_weights(T), atol=ATOL)
    upper = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
    assert float(wei[upper].abs().max()) == 0.0, "weights above the diagonal must be exactly 0"


@points(1, hint="(T, T) @ (B, T, C) broadcasts over the batch: wei @ xs.")
def test_bow_matmul(student, reference, rng):
    """bow_matmul equals the loop version (atol 1e-6) on random [B, T, C]."""
    xs = random_xs(rng)
    assert_close(student.bow_matmul(xs), reference.bow_loop(xs), atol=ATOL)


@points(1, hint="The masked softmax of zeros gives the same averaging matrix; then wei @ xs.")
def test_bow_softmax(student, reference, rng):
    """bow_softmax equals the loop version (atol 1e-6) on random [B, T, C]."""
    xs = random_xs(rng)
    assert_close(student.bow_softmax(xs), reference.bow_loop(xs), atol=ATOL)


@points(2, hint="Token t may only average tokens 0..t: changing later tokens must not change earlier outputs.")
def test_causality(student, rng):
    """For bow_matmul and bow_softmax, changing xs[:, t0:] leaves the outputs before t0 unchanged (and changes t0)."""
    xs = randn(rng, 2, 9, 3)
    t0 = int(rng.integers(2, 8))
    changed = xs.clone()
    changed[:, t0:] = randn(rng, 2, 9 - t0, 3) + 5.0
    for name in ("bow_matmul", "bow_softmax"):
        before, after = getattr(student, name)(xs), getattr(student, name)(changed)
        assert_close(after[:, :t0], before[:, :t0], atol=ATOL, msg=f"{name}: outputs before position {t0}")
        assert float((after[:, t0] - before[:, t0]).abs().min()) > 1e-3, f"{name}: position {t0} should change"


@points(1, hint="Goal 1: ones(n, n) @ b; goal 2: tril(ones(n, n)) @ b.")
def test_goal_sums(student, reference, rng):
    """column_sums and cumulative_sums on the notes' b = [[2, 7], [6, 4], [6, 5]] and a random b."""
    notes_b = torch.tensor([[2.0, 7.0], [6.0, 4.0], [6.0, 5.0]])
    assert_close(student.column_sums(notes_b), torch.tensor([[14.0, 16.0]] * 3), msg="column_sums (notes)")
    assert_close(student.cumulative_sums(notes_b), torch.tensor([[2.0, 7.0], [8.0, 11.0], [14.0, 16.0]]),
                 msg="cumulative_sums (notes)")
    b = torch.tensor(rng.integers(0, 10, size=(int(rng.integers(4, 8)), 3)), dtype=torch.float32)
    assert_close(student.column_sums(b), reference.column_sums(b), msg="column_sums")
    assert_close(student.cumulative_sums(b), reference.cumulative_sums(b), msg="cumulative_sums")


@points(1, hint="Goal 3: divide tril(ones) by its row sums (keepdim=True), then @ b.")
def test_goal_means(student, reference, rng):
    """cumulative_means on the notes' b ([[2, 7], [4, 5.5], [4.6667, 5.3333]]) and a random b."""
    notes_b = torch.tensor([[2.0, 7.0], [6.0, 4.0], [6.0, 5.0]])
    assert_close(student.cumulative_means(notes_b), torch.tensor([[2.0, 7.0], [4.0, 5.5], [14 / 3, 16 / 3]]),
                 atol=1e-5, msg="notes")
    b = torch.tensor(rng.integers(0, 10, size=(int(rng.integers(4, 8)), 3)), dtype=torch.float32)
    assert_close(student.cumulative_means(b), reference.cumulative_means(b), atol=1e-5, msg="random b")
