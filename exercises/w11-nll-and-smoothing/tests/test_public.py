"""Public tests for w11-nll-and-smoothing: from the bundle's folder, run them with
`grader check w11-nll-and-smoothing w11-nll-and-smoothing/likelihood.py`.
"""

import math

import torch
import torch.nn.functional as F

from grader.judge import assert_close

STOI = {".": 0, "a": 1, "b": 2}


def test_uniform_log_likelihood(student):
    """A uniform model over 3 tokens: 'ab' has 3 bigrams, log-likelihood 3 ln(1/3)."""
    probs = torch.full((3, 3), 1 / 3)
    assert_close(student.log_likelihood(["ab"], probs, STOI), 3 * math.log(1 / 3), rtol=1e-5)


def test_unseen_bigram_is_minus_inf(student):
    """A zero-probability bigram gives log-likelihood -inf (notes: 'jqaguar')."""
    probs = torch.tensor([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5], [1.0, 0.0, 0.0]])
    assert student.log_likelihood(["aa"], probs, STOI) == -math.inf


def test_notes_example(student):
    """y_hat = [0.1, 0.7, 0.2] with the true class the second one: -ln(0.7) = 0.3567 (notes L9657-9664)."""
    got = student.nll_from_probs(torch.tensor([[0.1, 0.7, 0.2]]), torch.tensor([1]))
    assert_close(got, torch.tensor(-math.log(0.7)), rtol=1e-5)


def test_smoothing_zero_and_huge(student):
    """alpha = 0 gives the raw frequencies; a huge alpha makes P uniform, NLL ln V."""
    counts = torch.tensor([[0, 3, 1], [2, 0, 2], [3, 1, 0]])
    got = student.smoothing_sweep(counts, ["ab", "a"], STOI, [0, 1e9])
    expected0 = -(3 * math.log(3 / 4) + 2 * math.log(2 / 4)) / 5  # .a ab b. .a a.
    assert_close(got, [expected0, math.log(3)], rtol=1e-5)


def test_cross_entropy(student):
    """Both cross-entropy functions equal F.cross_entropy; [1000, 0, -1000] with target 2 gives 2000."""
    logits = torch.tensor([[2.0, -1.0, 0.5], [0.1, 0.2, 0.3]])
    targets = torch.tensor([0, 2])
    assert_close(student.manual_cross_entropy(logits, targets), F.cross_entropy(logits, targets), rtol=1e-5)
    assert_close(student.cross_entropy_via_nll_loss(logits, targets), F.cross_entropy(logits, targets), rtol=1e-5)
    big = student.manual_cross_entropy(torch.tensor([[1000.0, 0.0, -1000.0]]), torch.tensor([2]))
    assert_close(big, torch.tensor(2000.0), rtol=1e-6)
