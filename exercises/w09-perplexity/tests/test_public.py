"""Public tests for w09-perplexity: from the bundle's folder, run them with
`grader check w09-perplexity w09-perplexity/perplexity.py`.
"""

import torch

from grader.judge import assert_close, assert_equal


def test_fair_coin(student):
    """A two-sided die: 1 bit, perplexity 2."""
    assert_close(student.entropy_bits([0.5, 0.5]), 1.0)
    assert_close(student.perplexity_from_probs([0.5, 0.5]), 2.0)


def test_loaded_die(student):
    """(0.7, 0.1, 0.1, 0.1): 1.35678 bits and perplexity 2.5611 (notes)."""
    assert_close(student.entropy_bits([0.7, 0.1, 0.1, 0.1]), 1.35678, atol=1e-5)
    assert_close(student.perplexity_from_probs([0.7, 0.1, 0.1, 0.1]), 2.5611, atol=1e-4)


def test_uniform_logits(student):
    """Uniform logits over 10 tokens: perplexity 10."""
    assert_close(student.sequence_perplexity(torch.zeros(4, 10), torch.tensor([1, 2, 3, 4])), 10.0, rtol=1e-5)


def test_scores(student):
    """A 6-token prompt generated up to max_length=20 has 14 scores."""
    assert_equal(student.num_generated_scores(6, 20), 14)
