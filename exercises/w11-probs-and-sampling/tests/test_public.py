"""Public tests for w11-probs-and-sampling: from the bundle's folder, run them with
`grader check w11-probs-and-sampling w11-probs-and-sampling/sampling.py`.
"""

import torch

from grader.judge import assert_close


def test_generator_demo_notes(student):
    """The notes' demo with seed 42 (notes L9468, L9478, L9480-9482)."""
    raw, p, proportions = student.generator_demo(42, 1000)
    assert_close(raw, torch.tensor([0.8823, 0.9150, 0.3829]), atol=1e-4)
    assert_close(p, torch.tensor([0.4047, 0.4197, 0.1756]), atol=1e-4)
    assert_close(proportions, [0.404, 0.425, 0.171], atol=1e-9)


def test_rows_sum_to_one(student):
    """Every row of counts_to_probs sums to 1, also with smoothing."""
    counts = torch.tensor([[0, 3, 1], [2, 0, 2], [5, 1, 0]])
    for smoothing in (0, 1):
        probs = student.counts_to_probs(counts, smoothing)
        assert probs.dtype == torch.float32
        assert_close(probs.sum(dim=1), torch.ones(3), atol=1e-6)
    assert_close(student.counts_to_probs(counts)[0], torch.tensor([0.0, 0.75, 0.25]))


def test_forced_chain(student):
    """'.' -> a -> b -> '.' with probability 1 always gives 'ab'."""
    probs = torch.tensor([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    assert student.sample_name(probs, [".", "a", "b"], 0) == "ab"
    assert student.sample_names(probs, [".", "a", "b"], 2, 0) == ["ab", "ab"]


def test_max_sequence_length(student):
    """A model that never ends a name stops at max_sequence_length letters."""
    probs = torch.tensor([[0.0, 0.5, 0.5], [0.0, 0.5, 0.5], [0.0, 0.5, 0.5]])
    name = student.sample_name(probs, [".", "a", "b"], 1, max_sequence_length=4)
    assert len(name) == 4 and set(name) <= {"a", "b"}
