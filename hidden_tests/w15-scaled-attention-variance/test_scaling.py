"""Hidden tests for w15-scaled-attention-variance: scores vs the reference, softmax sharpening, the variance demo.

score_variance is statistical: the mean of 50 trials lies in a band around head_size (unscaled) or 1
(scaled); over 150 seeds the reference stays within 15.0-16.7 / 62.1-66.6 / 0.93-1.05.
"""

import torch

from grader.judge import assert_close, assert_shape, points
from grader.judge.data import randn


@points(1, hint="wei = q @ k.transpose(-2, -1): the dot product of every query with every key.")
def test_scores_unscaled(student, reference, rng):
    """attention_scores(q, k, scaled=False) equals q @ k^T on random inputs."""
    hs = int(rng.integers(4, 33))
    q, k = randn(rng, 3, 6, hs), randn(rng, 3, 6, hs)
    assert_close(student.attention_scores(q, k, scaled=False), reference.attention_scores(q, k, scaled=False),
                 atol=1e-5)


@points(2, hint="Multiply by head_size**-0.5 (divide by sqrt(head_size)), with head_size = q.shape[-1].")
def test_scores_scaled(student, reference, rng):
    """attention_scores(q, k) (scaled) for head sizes 16, 64 and a random one."""
    for hs in (16, 64, int(rng.integers(3, 40))):
        q, k = randn(rng, 2, 5, hs), randn(rng, 2, 5, hs)
        assert_close(student.attention_scores(q, k), reference.attention_scores(q, k), atol=1e-5,
                     msg=f"head_size {hs}")


@points(1, hint="Transpose only the last two dims of k (k.transpose(-2, -1)), not all of them (k.T).")
def test_scores_cross_shape(student, reference, rng):
    """Tq = 3 queries against Tk = 7 keys give scores [B, 3, 7] equal to the reference's."""
    q, k = randn(rng, 2, 3, 8), randn(rng, 2, 7, 8)
    wei = student.attention_scores(q, k)
    assert_shape(wei, (2, 3, 7))
    assert_close(wei, reference.attention_scores(q, k), atol=1e-5)


@points(1, hint="softmax over the last dim of logits * factor.")
def test_softmax_notes_values(student):
    """The notes' logits [0.1, -0.2, 0.3, -0.2, 0.5]: factor 1 and factor 8 give the printed probabilities."""
    logits = torch.tensor([0.1, -0.2, 0.3, -0.2, 0.5])
    assert_close(student.softmax_sharpness(logits, 1.0), torch.tensor([0.1925, 0.1426, 0.2351, 0.1426, 0.2872]),
                 atol=1e-4, msg="factor 1")
    assert_close(student.softmax_sharpness(logits, 8.0), torch.tensor([0.0326, 0.0030, 0.1615, 0.0030, 0.8000]),
                 atol=1e-4, msg="factor 8")


@points(1, hint="The softmax runs over the LAST dimension, also for 2-D and 3-D logits.")
def test_softmax_random(student, reference, rng):
    """softmax_sharpness on random [4, 6] and [2, 3, 5] logits with random factors equals the reference."""
    for shape in ((4, 6), (2, 3, 5)):
        logits, factor = randn(rng, *shape), float(rng.uniform(0.2, 10.0))
        assert_close(student.softmax_sharpness(logits, factor), reference.softmax_sharpness(logits, factor),
                     atol=1e-6, msg=f"shape {shape}")


@points(2, hint="Unscaled q @ k^T of unit-variance q, k has variance about head_size; scaled, about 1.")
def test_score_variance(student, rng):
    """score_variance: about 16 / 64 unscaled and about 1 scaled (mean of 50 trials, seeded)."""
    seed = int(rng.integers(2**31))
    bands = {(16, False): (14.0, 18.0), (16, True): (0.85, 1.15), (64, False): (58.0, 70.0), (64, True): (0.85, 1.15)}
    for (hs, scaled), (low, high) in bands.items():
        value = student.score_variance(hs, scaled, seed=seed)
        assert isinstance(value, float), f"score_variance should return a Python float, got {type(value).__name__}"
        assert low <= value <= high, f"head_size {hs}, scaled={scaled}: {value:.4f} not in [{low}, {high}]"


@points(2, hint="softmax(attention_scores(q, k, scaled), dim=-1), the max over the keys, then the mean over all rows.")
def test_mean_max_probability(student, reference, rng):
    """mean_max_probability equals the reference, scaled and unscaled (head_size 64: about 0.35 vs 0.88)."""
    q, k = randn(rng, 20, 8, 64), randn(rng, 20, 8, 64)
    for scaled in (False, True):
        assert_close(student.mean_max_probability(q, k, scaled), reference.mean_max_probability(q, k, scaled),
                     rtol=1e-5, msg=f"scaled={scaled}")
