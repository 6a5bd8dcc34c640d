"""Public tests for w15-tiny-gpt: from the bundle's folder, run them with
`grader check w15-tiny-gpt w15-tiny-gpt/gpt.py`.
"""

import torch

from grader.judge import assert_shape


def test_block_shape(student):
    """Block(32, 4, 8) keeps [2, 8, 32]."""
    assert_shape(student.Block(32, 4, 8)(torch.randn(2, 8, 32)), (2, 8, 32))


def test_model_shapes(student):
    """GPTLanguageModel(65, 32, 4, 2, 8): logits [4, 8, 65], a finite loss, generate -> [1, 21]."""
    model = student.GPTLanguageModel(65, 32, 4, 2, 8)
    idx = torch.randint(0, 65, (4, 8))
    logits, loss = model(idx, idx)
    assert_shape(logits, (4, 8, 65))
    assert 3.0 < float(loss) < 6.0, f"initial loss {float(loss)} far from -ln(1/65) = 4.17"
    assert_shape(model.generate(torch.zeros(1, 1, dtype=torch.long), 20), (1, 21))
