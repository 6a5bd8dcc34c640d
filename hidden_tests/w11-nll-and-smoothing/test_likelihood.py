"""Hidden tests for w11-nll-and-smoothing: log-likelihood, NLL from probabilities, smoothing strength and
cross-entropy from logits, on seeded generated names and random logits.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F

from grader.judge import assert_close, points
from grader.judge.data import CONSONANTS, VOWELS, bigram_counts, make_names


def vocab_and_counts(words: list[str], extra: tuple[str, ...] = ()) -> tuple[dict[str, int], torch.Tensor]:
    """stoi ('.' = 0, then sorted letters of words + extra) and the int64 counts of words, built by the test."""
    itos, counts = bigram_counts(words, extra)
    return {ch: i for i, ch in enumerate(itos)}, counts


def probs_of(counts: torch.Tensor, alpha: float) -> torch.Tensor:
    p = (counts + alpha).float()
    return p / p.sum(dim=1, keepdim=True)


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


@points(2, hint="Sum ln p (natural log) over every bigram of '.' + word + '.', for all words; no minus sign, no mean.")
def test_log_likelihood(student, reference, rng):
    """log_likelihood on the training names and on new names with +1-smoothed P."""
    consonants = "".join(sorted(rng.choice(list(CONSONANTS), size=8, replace=False)))
    train = make_names(rng, consonants=consonants)
    test = make_names(rng, n=40, consonants=consonants)
    stoi, counts = vocab_and_counts(train, test)
    probs = probs_of(counts, 1)
    for name, words in (("train", train), ("new names", test)):
        assert_close(student.log_likelihood(words, probs, stoi), reference.log_likelihood(words, probs, stoi),
                     rtol=1e-5, msg=name)


@points(1, hint="ln(0) is -inf: one unseen bigram makes the whole log-likelihood -inf without smoothing.")
def test_log_likelihood_unseen_bigram(student, reference, rng):
    """A word with an unseen bigram: -inf with raw frequencies, the finite reference value with +1 smoothing."""
    words = make_names(rng)
    stoi, counts = vocab_and_counts(words)
    c = next(ch for ch in stoi if ch not in VOWELS + "." and counts[stoi[ch], stoi[ch]] == 0)
    word = "a" + c + c + "a" if "a" in stoi else c + c
    got = student.log_likelihood([word], probs_of(counts, 0), stoi)
    assert got == -math.inf, f"expected -inf for an unseen bigram, got {got!r}"
    smoothed = probs_of(counts, 1)
    assert_close(student.log_likelihood([word], smoothed, stoi), reference.log_likelihood([word], smoothed, stoi),
                 rtol=1e-5)


@points(2, hint="Pick probs[i, ys[i]] for every row i (probs[torch.arange(n), ys]), take ln, mean, and negate.")
def test_nll_from_probs(student, reference, rng):
    """nll_from_probs on random softmax rows: a 0-d tensor equal to the reference."""
    gen = seeded(rng)
    n, v = int(rng.integers(20, 60)), int(rng.integers(8, 28))
    probs = torch.softmax(torch.randn(n, v, generator=gen) * 2, dim=1)
    ys = torch.randint(0, v, (n,), generator=gen)
    got = student.nll_from_probs(probs, ys)
    assert_close(got, reference.nll_from_probs(probs, ys), rtol=1e-5)
    assert_close(student.nll_from_probs(torch.tensor([[0.1, 0.7, 0.2]]), torch.tensor([1])),
                 torch.tensor(-math.log(0.7)), rtol=1e-5, msg="notes example -ln(0.7)")


@points(2, hint="For each alpha rebuild P = (counts + alpha) / row sums, then the mean NLL over all bigrams.")
def test_smoothing_sweep(student, reference, rng):
    """smoothing_sweep: the reference NLL for each alpha, rising toward ln V as alpha grows."""
    words = make_names(rng)
    stoi, counts = vocab_and_counts(words)
    alphas = [0, 1, 10, 100, 1000, 1e6]
    got = student.smoothing_sweep(counts, words, stoi, alphas)
    assert_close(got, reference.smoothing_sweep(counts, words, stoi, alphas), rtol=1e-4)
    assert all(a < b for a, b in zip(got, got[1:], strict=False)), f"NLL must rise with alpha: {got}"
    assert abs(got[-1] - math.log(len(stoi))) < 1e-2, "a huge alpha makes P uniform: NLL -> ln V"


@points(1, hint="Cross-entropy of one example is logsumexp(logits) - logits[target]; average over the batch.")
def test_manual_cross_entropy(student, rng):
    """manual_cross_entropy equals F.cross_entropy on random logits."""
    gen = seeded(rng)
    logits = torch.randn(int(rng.integers(10, 40)), 27, generator=gen) * 3
    targets = torch.randint(0, 27, (logits.shape[0],), generator=gen)
    assert_close(student.manual_cross_entropy(logits, targets), F.cross_entropy(logits, targets), rtol=1e-5)


@points(1, hint="exp(1000) overflows in float32: subtract the row max first, or use torch.logsumexp.")
def test_manual_cross_entropy_stable(student, rng):
    """manual_cross_entropy stays finite and exact for logits around +-1000 ([1000, 0, -1000], target 2 -> 2000)."""
    assert_close(student.manual_cross_entropy(torch.tensor([[1000.0, 0.0, -1000.0]]), torch.tensor([2])),
                 torch.tensor(2000.0), rtol=1e-6)
    gen = seeded(rng)
    logits = torch.randn(8, 5, generator=gen) * 800
    targets = torch.randint(0, 5, (8,), generator=gen)
    assert_close(student.manual_cross_entropy(logits, targets), F.cross_entropy(logits, targets), rtol=1e-5)


@points(1, hint="F.nll_loss negates its input itself: give it log-probabilities (log_softmax), not -log(softmax).")
def test_cross_entropy_via_nll_loss(student, rng):
    """cross_entropy_via_nll_loss equals F.cross_entropy (positive, not its negative)."""
    gen = seeded(rng)
    logits = torch.randn(16, 10, generator=gen) * 2
    targets = torch.randint(0, 10, (16,), generator=gen)
    assert_close(student.cross_entropy_via_nll_loss(logits, targets), F.cross_entropy(logits, targets), rtol=1e-5)
