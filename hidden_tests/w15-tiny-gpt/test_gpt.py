"""Hidden tests for w15-tiny-gpt: FeedForward, Block and GPTLanguageModel with the reference's weights.

The judge builds a reference module, gives it random weights, loads them into the student's module
(load_state_dict, strict: names and shapes must follow the statement) and compares outputs in eval mode.
generate() is tested on a hand-built model whose next token is always (current token + 1) % vocab_size
with probability ~1, so sampling is deterministic.
"""

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, assert_shape, points

N_EMBD, N_HEAD, BLOCK_SIZE, VOCAB = 16, 4, 8, 11
ATOL = 1e-5


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def randomize(module: torch.nn.Module, gen: torch.Generator, scale: float = 0.3) -> None:
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * scale)


def loaded(student_module, ref: torch.nn.Module):
    student_module.load_state_dict(ref.state_dict())
    student_module.eval()
    ref.eval()
    return student_module


def block_pair(student, reference, rng):
    gen = seeded(rng)
    ref = reference.Block(N_EMBD, N_HEAD, BLOCK_SIZE, 0.1)
    randomize(ref, gen)
    return loaded(student.Block(N_EMBD, N_HEAD, BLOCK_SIZE, 0.1), ref), ref, gen


def model_pair(student, reference, rng, n_layer=2):
    gen = seeded(rng)
    ref = reference.GPTLanguageModel(VOCAB, N_EMBD, N_HEAD, n_layer, BLOCK_SIZE, 0.1)
    randomize(ref, gen)
    return loaded(student.GPTLanguageModel(VOCAB, N_EMBD, N_HEAD, n_layer, BLOCK_SIZE, 0.1), ref), ref, gen


@points(1, hint="net = Sequential(Linear(n_embd, 4 * n_embd), ReLU(), Linear(4 * n_embd, n_embd), Dropout).")
def test_feed_forward(student, reference, rng):
    """FeedForward(n_embd) with the reference's weights gives the reference's output."""
    gen = seeded(rng)
    ref = reference.FeedForward(N_EMBD, 0.1)
    randomize(ref, gen)
    ff = loaded(student.FeedForward(N_EMBD, 0.1), ref)
    x = torch.randn(2, 5, N_EMBD, generator=gen)
    with torch.no_grad():
        expected = ref(x)
    assert_close(ff(x), expected, atol=ATOL)


@points(2, hint="Pre-LayerNorm with residuals: x = x + sa(ln1(x)); x = x + ffwd(ln2(x)).")
def test_block_matches_reference(student, reference, rng):
    """Block output equals the reference's with the same weights (eval mode)."""
    block, ref, gen = block_pair(student, reference, rng)
    x = torch.randn(3, BLOCK_SIZE, N_EMBD, generator=gen)
    with torch.no_grad():
        expected = ref(x)
    assert_close(block(x), expected, atol=ATOL)


@points(1, hint="Both sublayers are added to their input (residual connections), not replacing it.")
def test_block_residual_probe(student, reference, rng):
    """With sa.proj and the last Linear of ffwd set to zero, the Block returns its input unchanged."""
    gen = seeded(rng)
    ref = reference.Block(N_EMBD, N_HEAD, BLOCK_SIZE)
    randomize(ref, gen)
    with torch.no_grad():
        for layer in (ref.sa.proj, ref.ffwd.net[2]):
            layer.weight.zero_()
            layer.bias.zero_()
    block = loaded(student.Block(N_EMBD, N_HEAD, BLOCK_SIZE), ref)
    x = torch.randn(2, 6, N_EMBD, generator=gen)
    assert_close(block(x), x, atol=1e-6)


@points(1, hint="Each Head masks the future with tril before the softmax, so the Block is causal too.")
def test_block_is_causal(student, reference, rng):
    """Changing tokens from t0 on leaves the Block's outputs before t0 unchanged (and changes position t0)."""
    block, _, gen = block_pair(student, reference, rng)
    x = torch.randn(2, BLOCK_SIZE, N_EMBD, generator=gen)
    t0 = int(rng.integers(2, BLOCK_SIZE - 1))
    changed = x.clone()
    changed[:, t0:] = torch.randn(2, BLOCK_SIZE - t0, N_EMBD, generator=gen)
    before, after = block(x), block(changed)
    assert_close(after[:, :t0], before[:, :t0], atol=ATOL, msg=f"outputs before position {t0}")
    assert float((after[:, t0] - before[:, t0]).abs().max()) > 1e-3, f"position {t0} should change"


@points(2, hint="logits = lm_head(ln_f(blocks(token_emb(idx) + position_emb(arange(T))))); no targets: loss None.")
def test_model_logits(student, reference, rng):
    """GPTLanguageModel(idx) returns the reference's logits [B, T, vocab_size] and loss None, for T = 8 and T = 3."""
    model, ref, gen = model_pair(student, reference, rng)
    for T in (BLOCK_SIZE, 3):
        idx = torch.randint(0, VOCAB, (2, T), generator=gen)
        logits, loss = model(idx)
        with torch.no_grad():
            expected, _ = ref(idx)
        assert_shape(logits, (2, T, VOCAB), msg=f"T = {T}")
        assert_close(logits, expected, atol=ATOL, msg=f"logits, T = {T}")
        assert loss is None, "loss must be None when no targets are given"


@points(1, hint="loss = F.cross_entropy(logits.view(B * T, C), targets.view(B * T)); logits stay [B, T, C].")
def test_model_loss(student, reference, rng):
    """With targets, the loss is the reference's cross-entropy (a 0-d tensor) and logits keep [B, T, vocab_size]."""
    model, ref, gen = model_pair(student, reference, rng, n_layer=1)
    idx = torch.randint(0, VOCAB, (3, BLOCK_SIZE), generator=gen)
    targets = torch.randint(0, VOCAB, (3, BLOCK_SIZE), generator=gen)
    logits, loss = model(idx, targets)
    with torch.no_grad():
        _, expected = ref(idx, targets)
    assert_shape(logits, (3, BLOCK_SIZE, VOCAB))
    assert_close(loss, expected, atol=ATOL, msg="loss")


def counting_model(reference, n_layer=2):
    """A reference model whose next token is (current token + 1) % VOCAB with probability ~1."""
    ref = reference.GPTLanguageModel(VOCAB, N_EMBD, N_HEAD, n_layer, BLOCK_SIZE)
    with torch.no_grad():
        for block in ref.blocks:  # every block becomes the identity (residual only)
            for layer in (block.sa.proj, block.ffwd.net[2]):
                layer.weight.zero_()
                layer.bias.zero_()
        ref.position_embedding_table.weight.zero_()
        ref.token_embedding_table.weight.copy_(torch.eye(VOCAB, N_EMBD) * 10.0)
        ref.lm_head.weight.zero_()
        ref.lm_head.bias.zero_()
        for j in range(VOCAB):
            ref.lm_head.weight[j, (j - 1) % VOCAB] = 20.0
    return ref


@points(2, hint="generate: crop to the last block_size tokens, take the LAST position's logits, softmax, "
                "torch.multinomial, append.")
def test_generate(student, reference, rng):
    """On a model that counts (next = token + 1), generate continues the sequence, also from a context > block_size."""
    ref = counting_model(reference)
    model = loaded(student.GPTLanguageModel(VOCAB, N_EMBD, N_HEAD, 2, BLOCK_SIZE), ref)
    start = [int(s) for s in rng.integers(0, VOCAB, size=2)]
    n_new = int(rng.integers(5, 12))
    out = model.generate(torch.tensor([[start[0]], [start[1]]]), n_new)
    expected = torch.tensor([[(s + i) % VOCAB for i in range(n_new + 1)] for s in start])
    assert_equal(out, expected, msg="from a one-token context")
    long_context = torch.tensor([[(start[0] + i) % VOCAB for i in range(BLOCK_SIZE + 3)]])
    out = model.generate(long_context, 4)
    expected = torch.tensor([[(start[0] + i) % VOCAB for i in range(BLOCK_SIZE + 7)]])
    assert_equal(out, expected, msg=f"from a context of {BLOCK_SIZE + 3} > block_size tokens")
