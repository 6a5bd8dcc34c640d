"""Hidden tests for w09-perplexity: entropy in bits, perplexity of distributions and of language models."""

from __future__ import annotations

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, points

# (probabilities, entropy in bits, perplexity): the notes' dice, exact values.
DICE = [
    ([0.5, 0.5], 1.0, 2.0),
    ([1.0], 0.0, 1.0),
    ([0.25, 0.25, 0.25, 0.25], 2.0, 4.0),
    ([0.7, 0.1, 0.1, 0.1], 1.3567796494470397, 2.561128517887139),
    ([0.97, 0.01, 0.01, 0.01], 0.24194073285321088, 1.1825824177485913),
    ([0.49, 0.49, 0.01, 0.01], 1.1414405425418206, 2.2060118528882993),
]


def scalar(value):
    """A float from a Python number or a 0-d array/tensor."""
    if isinstance(value, np.ndarray | torch.Tensor) and value.ndim == 0:
        return float(value.item())
    return value


def random_probs(rng: np.random.Generator, n: int) -> list[float]:
    """A random distribution over n outcomes (a Python list)."""
    return [float(v) for v in rng.dirichlet(np.full(n, 0.8))]


def random_lm(rng: np.random.Generator, t: int, v: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Logits (T, V) that favour the next token a bit, and the token ids (T,)."""
    ids = torch.tensor(rng.integers(0, v, size=t))
    logits = torch.tensor(rng.normal(scale=1.5, size=(t, v)), dtype=torch.float32)
    logits[torch.arange(t - 1), ids[1:]] += 2.0
    return logits, ids


@points(2, hint="H = -sum p * log2(p): base 2, so a fair coin has exactly 1 bit")
def test_notes_dice_entropy(student, reference, rng):
    """entropy_bits of the notes' six dice: 1, 0, 2, 1.35678, 0.2419, 1.1414 bits."""
    for probs, bits, _ in DICE:
        assert_close(scalar(student.entropy_bits(probs)), bits, atol=1e-6)


@points(1.5, hint="PP = 2 ** H with H in bits")
def test_notes_dice_perplexity(student, reference, rng):
    """perplexity_from_probs of the notes' six dice: 2, 1, 4, 2.5611, 1.1826, 2.2060."""
    for probs, _, pp in DICE:
        assert_close(scalar(student.perplexity_from_probs(probs)), pp, atol=1e-6)


@points(1, hint="sum over every outcome of -p log2 p")
def test_random_distributions(student, reference, rng):
    """Entropy and perplexity of random distributions (lists and tensors) equal the reference's."""
    for n in (3, int(rng.integers(5, 30))):
        probs = random_probs(rng, n)
        assert_close(scalar(student.entropy_bits(probs)), reference.entropy_bits(probs), atol=1e-6)
        as_tensor = torch.tensor(probs, dtype=torch.float64)
        assert_close(scalar(student.perplexity_from_probs(as_tensor)), reference.perplexity_from_probs(as_tensor),
                     rtol=1e-6)


@points(0.5, hint="an outcome with probability 0 contributes 0 (0 * log 0 := 0), not NaN")
def test_zero_probabilities(student, reference, rng):
    """A distribution with zero entries has the same entropy as without them (finite, no NaN)."""
    probs = random_probs(rng, 4) + [0.0, 0.0]
    assert_close(scalar(student.entropy_bits(probs)), reference.entropy_bits(probs[:4]), atol=1e-6)


@points(1, hint="perplexity = exp(mean cross-entropy) = exp(mean of -log softmax(logits)[target])")
def test_sequence_perplexity_uniform(student, reference, rng):
    """Uniform logits over V tokens give perplexity V; near-certain correct logits give about 1."""
    v = int(rng.integers(50, 400))
    targets = torch.tensor(rng.integers(0, v, size=7))
    assert_close(scalar(student.sequence_perplexity(torch.zeros(7, v), targets)), float(v), rtol=1e-4)
    sure = torch.full((7, v), -30.0)
    sure[torch.arange(7), targets] = 30.0
    assert_close(scalar(student.sequence_perplexity(sure, targets)), 1.0, atol=1e-6)


@points(1.5, hint="average the log-probabilities (not the probabilities) of the targets, then exp")
def test_sequence_perplexity(student, reference, rng):
    """sequence_perplexity of random logits and targets equals the reference's."""
    t, v = int(rng.integers(5, 20)), int(rng.integers(5, 40))
    logits = torch.tensor(rng.normal(scale=2.0, size=(t, v)), dtype=torch.float32)
    targets = torch.tensor(rng.integers(0, v, size=t))
    assert_close(scalar(student.sequence_perplexity(logits, targets)), reference.sequence_perplexity(logits, targets),
                 rtol=1e-5)


@points(1.5, hint="shift: the logits at position t predict token t + 1 (drop the last logits and the first token)")
def test_lm_perplexity_shift(student, reference, rng):
    """lm_perplexity scores logits[:-1] against token_ids[1:]: equal to the reference on a random 'model'."""
    logits, ids = random_lm(rng, int(rng.integers(6, 15)), int(rng.integers(8, 30)))
    assert_close(scalar(student.lm_perplexity(logits, ids)), reference.lm_perplexity(logits, ids), rtol=1e-5)


@points(0.5, hint="one perplexity per text, and mean_perplexity is their plain mean")
def test_perplexity_report(student, reference, rng):
    """perplexity_report of three texts of different lengths equals the reference's dict."""
    texts = [random_lm(rng, int(rng.integers(4, 12)), 20) for _ in range(3)]
    logits_list, ids_list = [lg for lg, _ in texts], [ids for _, ids in texts]
    got = student.perplexity_report(logits_list, ids_list)
    expected = reference.perplexity_report(logits_list, ids_list)
    assert_close(got["perplexities"], expected["perplexities"], rtol=1e-5)
    assert_close(scalar(got["mean_perplexity"]), expected["mean_perplexity"], rtol=1e-5)


@points(0.5, hint="max_length counts the prompt's tokens too")
def test_num_generated_scores(student, reference, rng):
    """The notes' 6-token prompt with max_length=20 has 14 scores; random lengths too."""
    assert_equal(student.num_generated_scores(6, 20), 14)
    n = int(rng.integers(1, 30))
    m = n + int(rng.integers(1, 50))
    assert_equal(student.num_generated_scores(n, m), m - n)
