"""Public tests for w13-lr-finder: from the bundle's folder, run them with
`grader check w13-lr-finder w13-lr-finder/lr_finder.py`.
"""

import torch


def test_candidates_from_the_notes(student):
    """lre = linspace(-3, 0, 1000), lrs from 0.001 to 1 (notes L10440-10444)."""
    lre, lrs = student.lr_candidates(1000)
    assert len(lrs) == 1000
    assert abs(float(lrs[0]) - 0.001) < 1e-7 and abs(float(lrs[-1]) - 1.0) < 1e-6


def test_sweep_lengths(student):
    """One record per candidate."""
    g = torch.Generator().manual_seed(0)
    params = {"C": torch.randn(5, 2, generator=g), "W1": torch.randn(6, 8, generator=g), "b1": torch.zeros(8),
              "W2": torch.randn(8, 5, generator=g) * 0.1, "b2": torch.zeros(5)}
    X = torch.randint(0, 5, (50, 3), generator=g)
    Y = X[:, -1]
    _, lrs = student.lr_candidates(20)
    lri, lossi = student.lr_sweep(params, X, Y, lrs, 8, 0)
    assert len(lri) == 20 and len(lossi) == 20
    assert abs(lri[0] + 3) < 1e-5


def test_schedule(student):
    """0.1 until the decay step, then 0.01."""
    assert student.lr_schedule(99, 0.1, 100) == 0.1
    assert abs(student.lr_schedule(100, 0.1, 100) - 0.01) < 1e-12
