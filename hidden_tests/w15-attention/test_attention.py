"""Hidden tests for w15-attention: Head and MultiHeadAttention with the reference's weights loaded.

The student's modules stay in the sandbox; the tests load weights with load_state_dict, switch to eval
mode, call them on tensors and read state_dict / named_parameters (data).
"""

import numpy as np
import torch
import torch.nn.functional as F

from grader.judge import assert_close, assert_equal, assert_shape, points

B, T, N_EMBD, HEAD_SIZE, BLOCK_SIZE, NUM_HEADS = 3, 8, 32, 8, 8, 4


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def randomize(module: torch.nn.Module, gen: torch.Generator, scale: float = 0.3) -> None:
    """Larger-than-default weights, so attention is sharp and scaling mistakes show clearly."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * scale)


def head_pair(student, reference, rng, block_size: int = BLOCK_SIZE, dropout: float = 0.0):
    """A reference Head with random weights and the student's Head with the same weights, in eval mode."""
    gen = seeded(rng)
    ref = reference.Head(N_EMBD, HEAD_SIZE, block_size, dropout)
    randomize(ref, gen)
    ref.eval()
    head = student.Head(N_EMBD, HEAD_SIZE, block_size, dropout)
    head.load_state_dict(ref.state_dict())
    head.eval()
    return head, ref, gen


def causal_attention(ref, x: torch.Tensor) -> torch.Tensor:
    """Independent expected output: torch's scaled dot-product attention (scale 1/sqrt(head_size))."""
    with torch.no_grad():
        return F.scaled_dot_product_attention(ref.query(x), ref.key(x), ref.value(x), is_causal=True)


@points(1, hint="forward returns [B, T, head_size]; attention_weights returns [B, T, T].")
def test_head_shapes(student, rng):
    """Output and attention-weight shapes of a Head."""
    head = student.Head(N_EMBD, HEAD_SIZE, BLOCK_SIZE)
    x = torch.randn(B, T, N_EMBD, generator=seeded(rng))
    assert_shape(head(x), (B, T, HEAD_SIZE), msg="forward")
    assert_shape(head.attention_weights(x), (B, T, T), msg="attention_weights")


@points(1, hint="key, query and value are nn.Linear(n_embd, head_size, bias=False); tril is a registered buffer "
                "(register_buffer), not a parameter.")
def test_head_parameters(student):
    """Parameters are exactly key/query/value weights [head_size, n_embd]; tril is a lower-triangular buffer."""
    head = student.Head(N_EMBD, HEAD_SIZE, BLOCK_SIZE)
    shapes = {name: tuple(p.shape) for name, p in head.named_parameters()}
    expected = {f"{name}.weight": (HEAD_SIZE, N_EMBD) for name in ("key", "query", "value")}
    assert shapes == expected, f"parameters {shapes}, expected {expected}"
    buffers = [name for name, _ in head.named_buffers()]
    assert buffers == ["tril"], f"buffers {buffers}, expected ['tril']"
    assert_close(head.tril, torch.tril(torch.ones(BLOCK_SIZE, BLOCK_SIZE)), check_dtype=False, msg="tril")


@points(2, hint="wei = q @ k.transpose(-2, -1) * head_size**-0.5, masked with tril, softmax over the last dim, "
                "then wei @ v.")
def test_head_matches_reference(student, reference, rng):
    """Head output equals causal scaled dot-product attention with the same weights (dropout given, eval mode)."""
    head, ref, gen = head_pair(student, reference, rng, dropout=0.1)
    x = torch.randn(B, T, N_EMBD, generator=gen)
    assert_close(head(x), causal_attention(ref, x))


@points(1, hint="Each row of the attention weights is a softmax over tokens 0..t: non-negative, sums to 1, and 0 "
                "above the diagonal.")
def test_attention_weights(student, reference, rng):
    """attention_weights: rows sum to 1, exactly 0 above the diagonal, equal to the reference's."""
    head, ref, gen = head_pair(student, reference, rng)
    x = torch.randn(B, T, N_EMBD, generator=gen)
    wei = head.attention_weights(x)
    assert_shape(wei, (B, T, T))
    assert_close(wei.sum(dim=-1), torch.ones(B, T), msg="row sums")
    future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1).expand(B, T, T)
    assert_equal(wei[future], torch.zeros(int(future.sum())), msg="weights on future tokens")
    with torch.no_grad():
        expected = ref.attention_weights(x)
    assert_close(wei, expected, msg="weights")


@points(2, hint="Mask the scores with tril before the softmax so that token t never sees tokens after t, but "
                "does see (and mixes the values of) tokens 0..t.")
def test_head_is_causal(student, reference, rng):
    """Changing tokens from position t0 on leaves the outputs before t0 unchanged (and changes the rest).

    Causality alone is met by outputs that ignore the other tokens (x[..., :head_size], or each token's own
    value), so the test also checks what a causal head must compute whatever its scaling: the first token
    attends only to itself (its output is its value, computed by the test from the loaded weights), and a
    token's output moves when an earlier token changes.
    """
    head, ref, gen = head_pair(student, reference, rng)
    x = torch.randn(B, T, N_EMBD, generator=gen)
    t0 = int(rng.integers(2, T - 1))
    changed = x.clone()
    changed[:, t0:] = torch.randn(B, T - t0, N_EMBD, generator=gen)
    before, after = head(x), head(changed)
    assert_shape(after, (B, T, HEAD_SIZE))
    assert_close(after[:, :t0], before[:, :t0], msg=f"outputs before position {t0}")
    moved = float((after[:, t0:] - before[:, t0:]).abs().max())
    assert moved > 1e-3, "outputs from the changed position on should depend on the changed tokens"
    with torch.no_grad():
        first_value = ref.value(x)[:, 0]
    assert_close(before[:, 0], first_value, msg="the first token attends only to itself: its output is its value")
    past = x.clone()
    past[:, 0] = torch.randn(B, N_EMBD, generator=gen)
    mixed = float((head(past)[:, 1:] - before[:, 1:]).abs().max())
    assert mixed > 1e-3, "outputs after the first token should depend on the first token (attention to the past)"


@points(1, hint="For T < block_size use self.tril[:T, :T].")
def test_head_shorter_sequence(student, reference, rng):
    """Sequences shorter than block_size (T = 5 and T = 1 with block_size 8)."""
    head, ref, gen = head_pair(student, reference, rng)
    for length in (5, 1):
        x = torch.randn(B, length, N_EMBD, generator=gen)
        assert_close(head(x), causal_attention(ref, x), msg=f"T = {length}")


@points(1, hint="Concatenate the heads' outputs on the last dimension, then apply proj.")
def test_multihead_matches_reference(student, reference, rng):
    """MultiHeadAttention output [B, T, n_embd] equals the reference's with the same weights (eval mode)."""
    gen = seeded(rng)
    ref = reference.MultiHeadAttention(NUM_HEADS, HEAD_SIZE, N_EMBD, BLOCK_SIZE, 0.1)
    randomize(ref, gen)
    ref.eval()
    mha = student.MultiHeadAttention(NUM_HEADS, HEAD_SIZE, N_EMBD, BLOCK_SIZE, 0.1)
    mha.load_state_dict(ref.state_dict())
    mha.eval()
    x = torch.randn(B, T, N_EMBD, generator=gen)
    with torch.no_grad():
        expected = ref(x)
    assert_close(mha(x), expected)


@points(1, hint="heads is an nn.ModuleList of num_heads separate Head objects (not one Head repeated); "
                "proj is nn.Linear(num_heads * head_size, n_embd).")
def test_multihead_structure(student):
    """num_heads distinct heads and the projection: parameter count and sizes."""
    num_heads, head_size, n_embd = 3, 4, 20
    mha = student.MultiHeadAttention(num_heads, head_size, n_embd, BLOCK_SIZE)
    assert len(mha.heads) == num_heads, f"{len(mha.heads)} heads, expected {num_heads}"
    assert (mha.proj.in_features, mha.proj.out_features) == (num_heads * head_size, n_embd), "proj sizes"
    count = sum(p.numel() for p in mha.parameters())
    expected = num_heads * 3 * n_embd * head_size + num_heads * head_size * n_embd + n_embd
    assert count == expected, f"{count} parameters, expected {expected} (are the heads distinct modules?)"
