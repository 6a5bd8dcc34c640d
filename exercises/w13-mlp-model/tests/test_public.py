"""Public tests for w13-mlp-model: from the bundle's folder, run them with
`grader check w13-mlp-model w13-mlp-model/mlp_model.py`.
"""

import math

import torch


def test_parameter_count(student):
    """27 characters, block_size 3, n_embd 10, n_hidden 200: 27*10 + 30*200 + 200 + 200*27 + 27 = 11,897."""
    params = student.init_params(27, 3, 10, 200, 2147483647)
    shapes = {name: tuple(t.shape) for name, t in params.items()}
    assert shapes == {"C": (27, 10), "W1": (30, 200), "b1": (200,), "W2": (200, 27), "b2": (27,)}
    assert sum(t.numel() for t in params.values()) == 11897


def test_initial_loss_near_uniform(student):
    """With the statement's init the logits start near 0, so the loss starts near -ln(1/27) = 3.2958."""
    params = student.init_params(27, 3, 10, 200, 2147483647)
    X = torch.randint(0, 27, (200, 3), generator=torch.Generator().manual_seed(0))
    Y = torch.randint(0, 27, (200,), generator=torch.Generator().manual_seed(1))
    assert abs(student.loss(params, X, Y) - math.log(27)) < 0.1


def test_embedding_equals_onehot(student):
    """C[X] equals one_hot(X) @ C (notes L10341-10343: an embedding is a Linear layer without bias)."""
    C = torch.randn(27, 10)
    X = torch.tensor([[0, 0, 5], [5, 13, 13]])
    assert torch.allclose(student.embed(C, X), student.embed_onehot(C, X), atol=1e-6)
    assert tuple(student.embed(C, X).shape) == (2, 3, 10)


def test_lr_candidates(student):
    """lr_candidates(1000) steps from 0.001 to 1 (notes L10440-10444)."""
    lre, lrs = student.lr_candidates(1000)
    assert len(lre) == 1000 and len(lrs) == 1000
    assert abs(float(lrs[0]) - 0.001) < 1e-7 and abs(float(lrs[-1]) - 1.0) < 1e-6
