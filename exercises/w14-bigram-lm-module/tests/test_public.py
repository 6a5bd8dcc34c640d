"""Public tests for w14-bigram-lm-module: from the bundle's folder, run them with
`grader check w14-bigram-lm-module w14-bigram-lm-module/bigram_lm.py`.
"""

import torch


def test_shapes(student):
    """A [4, 8] batch gives [4, 8, 65] logits and no loss; with targets, [32, 65] logits and a scalar loss."""
    model = student.BigramLanguageModel(65)
    idx = torch.randint(0, 65, (4, 8))
    logits, loss = model(idx)
    assert tuple(logits.shape) == (4, 8, 65) and loss is None
    logits, loss = model(idx, torch.randint(0, 65, (4, 8)))
    assert tuple(logits.shape) == (32, 65) and loss.dim() == 0


def test_generate_shape(student):
    """generate appends max_new_tokens ids and keeps the prefix."""
    model = student.BigramLanguageModel(65)
    idx = torch.zeros((1, 1), dtype=torch.long)
    out = model.generate(idx, 20, 0)
    assert tuple(out.shape) == (1, 21) and int(out[0, 0]) == 0
    assert bool((out >= 0).all()) and bool((out < 65).all())


def test_training_lowers_the_loss(student):
    """A few AdamW steps on a repeating sequence lower the loss."""
    model = student.BigramLanguageModel(5)
    data = torch.tensor([0, 1, 2, 3, 4] * 40)
    losses = student.train(model, data, 50, 8, 4, 0.1, 0)
    assert len(losses) == 50 and losses[-1] < losses[0]
