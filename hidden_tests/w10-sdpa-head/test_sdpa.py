"""Hidden tests for w10-sdpa-head: scaled dot-product attention vs torch's F.scaled_dot_product_attention, and Head.

Masks are 0/1 (1 = may attend). Every query row keeps at least one key, so no row is all -inf.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F

from grader.judge import assert_close, assert_shape, points

ATOL = 1e-5


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def qkv(rng, B=2, Tq=5, Tk=7, d_k=None, d_v=None, scale=1.5):
    gen = seeded(rng)
    d_k = d_k or int(rng.integers(4, 17))
    d_v = d_v or int(rng.integers(3, 9))
    q = torch.randn(B, Tq, d_k, generator=gen) * scale
    k = torch.randn(B, Tk, d_k, generator=gen) * scale
    v = torch.randn(B, Tk, d_v, generator=gen)
    return q, k, v


def padding_mask(rng, B, Tq, Tk) -> torch.Tensor:
    """[B, Tq, Tk] 0/1 key-padding mask: sequence b has lengths[b] real keys, then padding."""
    lengths = rng.integers(2, Tk, size=B)
    keys = torch.tensor([[1] * int(n) + [0] * (Tk - int(n)) for n in lengths])
    return keys.unsqueeze(1).expand(-1, Tq, -1).clone()


def expected_sdpa(q, k, v, mask=None):
    attn_mask = None if mask is None else mask.bool()
    return F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)


def pair(student, reference, rng, d_model, head_size):
    gen = seeded(rng)
    ref = reference.Head(d_model, head_size)
    with torch.no_grad():
        for p in ref.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.4)
    head = student.Head(d_model, head_size)
    head.load_state_dict(ref.state_dict())
    return head, ref, gen


@points(2, hint="out = softmax(q @ k.transpose(-2, -1) / sqrt(d_k), dim=-1) @ v, with d_k = q.size(-1).")
def test_sdpa_no_mask(student, rng):
    """Output without a mask equals F.scaled_dot_product_attention (Tq != Tk, random d_k)."""
    q, k, v = qkv(rng)
    out, _ = student.scaled_dot_product_attention(q, k, v)
    assert_shape(out, tuple(q.shape[:2]) + (v.shape[-1],))
    assert_close(out, expected_sdpa(q, k, v), atol=ATOL)


@points(1, hint="The weights are the softmax over the keys (last dim): [B, Tq, Tk], non-negative, rows sum to 1.")
def test_sdpa_weights(student, reference, rng):
    """The returned weights: shape [B, Tq, Tk], non-negative rows summing to 1, equal to the reference's."""
    q, k, v = qkv(rng)
    _, wei = student.scaled_dot_product_attention(q, k, v)
    assert_shape(wei, (2, 5, 7))
    assert float(wei.min()) >= 0.0, "negative attention weight"
    assert_close(wei.sum(-1), torch.ones(2, 5), atol=ATOL, msg="row sums")
    assert_close(wei, reference.scaled_dot_product_attention(q, k, v)[1], atol=ATOL, msg="weights")


@points(2, hint="scores.masked_fill(mask == 0, float('-inf')) BEFORE the softmax: padded keys get weight exactly 0.")
def test_sdpa_padding_mask(student, rng):
    """With a [B, Tq, Tk] key-padding mask: equal to torch's SDPA and exactly 0 weight on every padded key."""
    q, k, v = qkv(rng)
    mask = padding_mask(rng, 2, 5, 7)
    out, wei = student.scaled_dot_product_attention(q, k, v, mask)
    assert_close(out, expected_sdpa(q, k, v, mask), atol=ATOL, msg="output")
    assert float(wei[mask == 0].abs().max()) == 0.0, "padded keys must get exactly 0 attention"
    assert_close(wei.sum(-1), torch.ones(2, 5), atol=ATOL, msg="row sums")


@points(1, hint="A [T, T] tril mask broadcasts over the batch; mask == 0 marks the future keys.")
def test_sdpa_causal_mask(student, rng):
    """A [T, T] lower-triangular 0/1 mask gives the same output as SDPA with is_causal=True."""
    q, k, v = qkv(rng, Tq=6, Tk=6)
    mask = torch.tril(torch.ones(6, 6))
    out, _ = student.scaled_dot_product_attention(q, k, v, mask)
    assert_close(out, F.scaled_dot_product_attention(q, k, v, is_causal=True), atol=ATOL)


@points(1, hint="Divide the scores by sqrt(d_k) (d_k = 64 gives 8), not by d_k and not multiply.")
def test_scaling_probe(student):
    """d_k = 64, a query of ones, keys of 0.1s and 0s: scaled scores 0.8 and 0, weights softmax([0.8, 0])."""
    d_k = 64
    q = torch.ones(1, 1, d_k)
    k = torch.stack([torch.full((d_k,), 0.1), torch.zeros(d_k)]).unsqueeze(0)
    v = torch.tensor([[[1.0, 0.0], [0.0, 1.0]]])
    _, wei = student.scaled_dot_product_attention(q, k, v)
    p = 1.0 / (1.0 + math.exp(-0.8))
    assert_close(wei, torch.tensor([[[p, 1.0 - p]]]), atol=1e-5)


@points(2, hint="Head: query/key/value = nn.Linear(d_model, head_size, bias=False); forward(x) is self-attention.")
def test_head_self_attention(student, reference, rng):
    """Head(d_model, head_size)(x) with the reference's weights equals SDPA of the projections, also causal."""
    d_model, head_size = 16, int(rng.choice([4, 8]))
    head, ref, gen = pair(student, reference, rng, d_model, head_size)
    x = torch.randn(2, 6, d_model, generator=gen)
    with torch.no_grad():
        q, k, v = ref.query(x), ref.key(x), ref.value(x)
    out = head(x)
    assert_shape(out, (2, 6, head_size))
    assert_close(out, expected_sdpa(q, k, v), atol=ATOL, msg="no mask")
    assert_close(head(x, mask=torch.tril(torch.ones(6, 6))),
                 F.scaled_dot_product_attention(q, k, v, is_causal=True), atol=ATOL, msg="causal mask")


@points(1, hint="Cross-attention: queries from q_in, keys from k_in, values from v_in (Tk may differ from Tq).")
def test_head_cross_attention(student, reference, rng):
    """Head(q_in, k_in, v_in, mask=...) with Tq = 4, Tk = 7 and a padding mask equals SDPA of the projections."""
    d_model, head_size = 16, 8
    head, ref, gen = pair(student, reference, rng, d_model, head_size)
    q_in = torch.randn(2, 4, d_model, generator=gen)
    k_in = torch.randn(2, 7, d_model, generator=gen)
    v_in = torch.randn(2, 7, d_model, generator=gen)
    mask = padding_mask(rng, 2, 4, 7)
    with torch.no_grad():
        expected = expected_sdpa(ref.query(q_in), ref.key(k_in), ref.value(v_in), mask)
    assert_close(head(q_in, k_in, v_in, mask=mask), expected, atol=ATOL)
