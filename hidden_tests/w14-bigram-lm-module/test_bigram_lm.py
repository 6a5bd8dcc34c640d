"""Hidden tests for w14-bigram-lm-module: BigramLanguageModel with the reference's weights loaded.

The student's model stays in the sandbox: the tests load weights with load_state_dict, call forward,
generate and train, and read the embedding weight back as data. Training data come from a seeded
Markov chain whose bigram statistics the judge knows.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F

from grader.judge import assert_close, assert_equal, assert_shape, points

V = 20


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def model_pair(student, reference, rng, vocab_size=V):
    """A reference model with random N(0, 1) weights and the student's model with the same weights."""
    ref = reference.BigramLanguageModel(vocab_size)
    with torch.no_grad():
        ref.token_embedding_table.weight.copy_(torch.randn(vocab_size, vocab_size, generator=seeded(rng)))
    model = student.BigramLanguageModel(vocab_size)
    model.load_state_dict(ref.state_dict())
    return model, ref


def markov(rng, n=6000, vocab_size=V) -> torch.Tensor:
    """Ids from a random first-order Markov chain with peaked transition rows."""
    cum = np.cumsum(rng.dirichlet(np.full(vocab_size, 0.15), size=vocab_size), axis=1)
    u = rng.random(n)
    x = [int(rng.integers(vocab_size))]
    for k in range(1, n):
        x.append(min(int(np.searchsorted(cum[x[-1]], u[k])), vocab_size - 1))
    return torch.tensor(x)


def ids(rng, shape, vocab_size=V):
    return torch.tensor(rng.integers(0, vocab_size, size=shape))


@points(1, hint="self.token_embedding_table = nn.Embedding(vocab_size, vocab_size).")
def test_structure(student):
    """token_embedding_table is a vocab_size x vocab_size embedding."""
    model = student.BigramLanguageModel(65)
    assert_shape(model.token_embedding_table.weight, (65, 65))


@points(1, hint="Without targets, forward returns (logits [B, T, vocab_size], None).")
def test_logits_without_targets(student, reference, rng):
    """forward(idx) returns the reference's [B, T, C] logits and None."""
    model, ref = model_pair(student, reference, rng)
    idx = ids(rng, (4, 8))
    logits, loss = model(idx)
    assert loss is None, "loss must be None without targets"
    assert_shape(logits, (4, 8, V))
    with torch.no_grad():
        assert_close(logits, ref(idx)[0])


@points(2, hint="With targets: logits.view(B*T, C), targets.view(B*T), then F.cross_entropy; return (logits, loss).")
def test_loss_with_targets(student, reference, rng):
    """forward(idx, targets): [B*T, C] logits and the cross-entropy computed by the judge."""
    model, ref = model_pair(student, reference, rng)
    idx, targets = ids(rng, (4, 8)), ids(rng, (4, 8))
    logits, loss = model(idx, targets)
    assert_shape(logits, (32, V), msg="logits with targets")
    with torch.no_grad():
        expected = F.cross_entropy(ref.token_embedding_table.weight[idx].view(32, V), targets.view(32))
    assert_close(loss, expected, msg="loss")


@points(1, hint="Keep nn.Embedding's default N(0, 1) init: the initial loss is above -ln(1/65) = 4.174 but not huge.")
def test_initial_loss_range(student, rng):
    """A fresh model with 65 tokens starts with a loss between 4.4 and 5.5 (the uniform baseline is 4.174)."""
    model = student.BigramLanguageModel(65)
    weight = model.token_embedding_table.weight
    idx, targets = ids(rng, (32, 8), 65), ids(rng, (32, 8), 65)
    loss = float(F.cross_entropy(weight[idx].view(-1, 65), targets.view(-1)))
    assert 4.4 < loss < 5.5, f"initial loss {loss:.3f}"


@points(2, hint="Per new token: logits of the LAST position, softmax over the vocabulary, "
                "torch.multinomial(probs, 1, generator=g), torch.cat on dim 1.")
def test_generate_exact(student, reference, rng):
    """generate(idx, 12, seed): shape [B, T + 12], prefix kept, tokens equal the reference's."""
    model, ref = model_pair(student, reference, rng)
    idx = ids(rng, (3, 4))
    seed = int(rng.integers(2**31))
    out = model.generate(idx, 12, seed)
    assert_shape(out, (3, 16))
    assert_equal(out[:, :4], idx, msg="prefix")
    with torch.no_grad():
        assert_equal(out, ref.generate(idx, 12, seed), msg="generated tokens")


@points(1, hint="A bigram model predicts from the last token only: use logits[:, -1, :].")
def test_generate_uses_last_token(student, reference, rng):
    """Two contexts that end in the same token continue identically with the same seed."""
    model, _ = model_pair(student, reference, rng)
    a, b, last = (int(v) for v in rng.choice(V, size=3, replace=False))
    seed = int(rng.integers(2**31))
    out_a = model.generate(torch.tensor([[a, last]]), 8, seed)
    out_b = model.generate(torch.tensor([[b, last]]), 8, seed)
    assert_equal(out_a[:, 2:], out_b[:, 2:], msg="continuations")


@points(1, hint="Per step: batch offsets from torch.randint(len(data) - block_size, (batch_size,), generator=g), "
                "forward with targets, optimizer.zero_grad, backward, AdamW step.")
def test_train_exact(student, reference, rng):
    """15 AdamW steps from the same weights and seed: the losses and the final weights equal the reference's."""
    model, ref = model_pair(student, reference, rng)
    data = markov(rng, 800)
    seed = int(rng.integers(2**31))
    losses = student.train(model, data, 15, 16, 8, 0.05, seed)
    expected = reference.train(ref, data, 15, 16, 8, 0.05, seed)
    assert_close(losses, expected, rtol=1e-4, msg="losses")
    assert_close(model.token_embedding_table.weight, ref.token_embedding_table.weight.detach(), rtol=1e-4,
                 atol=1e-5, msg="weights after training")


@points(1, hint="A short AdamW run should bring the validation loss down to the counting bigram's.")
def test_training_reaches_bigram_loss(student, reference, rng):
    """150 steps (lr 0.1) on a Markov chain: val loss within 0.15 of the +1-smoothed counting bigram."""
    model, _ = model_pair(student, reference, rng)
    data = markov(rng)
    train, val = data[:5400], data[5400:]
    counts = torch.ones(V, V)
    counts.index_put_((train[:-1], train[1:]), torch.ones(len(train) - 1), accumulate=True)
    floor = float(-torch.log((counts / counts.sum(dim=1, keepdim=True))[val[:-1], val[1:]]).mean())
    student.train(model, train, 150, 32, 8, 0.1, int(rng.integers(2**31)))
    weight = model.token_embedding_table.weight
    val_loss = float(F.cross_entropy(weight[val[:-1]], val[1:]))
    assert math.isfinite(val_loss) and val_loss < floor + 0.15, f"val loss {val_loss:.3f}, counting bigram {floor:.3f}"
