"""Hidden tests for w10-multi-head-attention: equal to torch's nn.MultiheadAttention after copying weights.

The judge builds the reference module with random weights, loads them into the student's module
(load_state_dict, strict) and into nn.MultiheadAttention(batch_first=True): in_proj_weight is
[W_q; W_k; W_v] (head i = rows i*d_k:(i+1)*d_k of each), in_proj_bias = 0, out_proj = W_o.
"""

import numpy as np
import pytest
import torch

from grader.judge import StudentError, assert_close, assert_equal, assert_shape, points

ATOL = 1e-5


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def setup(student, reference, rng, d_model=None, num_heads=None):
    """(student module, torch module, generator) sharing the same random weights."""
    gen = seeded(rng)
    num_heads = num_heads or int(rng.choice([2, 4]))
    d_model = d_model or num_heads * int(rng.choice([4, 6, 8]))
    ref = reference.MultiHeadAttention(d_model, num_heads)
    with torch.no_grad():
        for p in ref.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.3)
    mha = student.MultiHeadAttention(d_model, num_heads)
    mha.load_state_dict(ref.state_dict())
    torch_mha = torch.nn.MultiheadAttention(d_model, num_heads, batch_first=True)
    with torch.no_grad():
        torch_mha.in_proj_weight.copy_(torch.cat([ref.W_q.weight, ref.W_k.weight, ref.W_v.weight]))
        torch_mha.in_proj_bias.zero_()
        torch_mha.out_proj.weight.copy_(ref.W_o.weight)
        torch_mha.out_proj.bias.copy_(ref.W_o.bias)
    torch_mha.eval()
    return mha, torch_mha, gen, d_model


def torch_out(torch_mha, q, k, v, **kwargs):
    with torch.no_grad():
        return torch_mha(q, k, v, need_weights=False, **kwargs)[0]


@points(1, hint="forward(q, k, v) returns [B, Tq, d_model].")
def test_shapes(student, reference, rng):
    """Self-attention [2, 5, d_model] -> [2, 5, d_model]; cross-attention with Tk = 7 -> [2, 5, d_model]."""
    mha, _, gen, d = setup(student, reference, rng)
    x, y = torch.randn(2, 5, d, generator=gen), torch.randn(2, 7, d, generator=gen)
    assert_shape(mha(x, x, x), (2, 5, d), msg="self-attention")
    assert_shape(mha(x, y, y), (2, 5, d), msg="cross-attention")


@points(3, hint="Split with view(B, T, num_heads, d_k).transpose(1, 2), scale by sqrt(d_k), transpose back, then W_o.")
def test_self_attention_matches_torch(student, reference, rng):
    """Self-attention output equals nn.MultiheadAttention with the same weights."""
    mha, torch_mha, gen, d = setup(student, reference, rng)
    x = torch.randn(3, 6, d, generator=gen)
    assert_close(mha(x, x, x), torch_out(torch_mha, x, x, x), atol=ATOL)


@points(2, hint="Queries come from q, keys from k and values from v; Tk may differ from Tq.")
def test_cross_attention_matches_torch(student, reference, rng):
    """Cross-attention (Tq = 4, Tk = 7, k != v) equals nn.MultiheadAttention with the same weights."""
    mha, torch_mha, gen, d = setup(student, reference, rng)
    q = torch.randn(2, 4, d, generator=gen)
    k, v = torch.randn(2, 7, d, generator=gen), torch.randn(2, 7, d, generator=gen)
    assert_close(mha(q, k, v), torch_out(torch_mha, q, k, v), atol=ATOL)


@points(1, hint="A [B, Tq, Tk] 0/1 mask applies to every head (unsqueeze a head dim); masked_fill(mask == 0, -inf).")
def test_padding_mask(student, reference, rng):
    """A [B, Tq, Tk] key-padding mask gives torch's output with key_padding_mask."""
    mha, torch_mha, gen, d = setup(student, reference, rng)
    x = torch.randn(2, 6, d, generator=gen)
    lengths = [int(n) for n in rng.integers(2, 6, size=2)]
    keys = torch.tensor([[1] * n + [0] * (6 - n) for n in lengths])
    mask = keys.unsqueeze(1).expand(-1, 6, -1).clone()
    assert_close(mha(x, x, x, mask), torch_out(torch_mha, x, x, x, key_padding_mask=keys == 0), atol=ATOL)


@points(1, hint="A [T, T] tril mask (1 = may attend) broadcasts over the batch and the heads.")
def test_causal_mask(student, reference, rng):
    """A [T, T] lower-triangular mask gives torch's output with a causal attn_mask."""
    mha, torch_mha, gen, d = setup(student, reference, rng)
    x = torch.randn(2, 6, d, generator=gen)
    tril = torch.tril(torch.ones(6, 6))
    assert_close(mha(x, x, x, tril), torch_out(torch_mha, x, x, x, attn_mask=tril == 0), atol=ATOL)


@points(1, hint="d_k = d_model // num_heads (64 for d_model = 512 and 8 heads); W_q is nn.Linear(d_model, d_model).")
def test_head_size(student):
    """MultiHeadAttention(512, 8).d_k == 64 and (48, 4) gives 12, with W_q.weight of shape [d_model, d_model]."""
    assert_equal(student.MultiHeadAttention(512, 8).d_k, 64)
    mha = student.MultiHeadAttention(48, 4)
    assert_equal(mha.d_k, 12)
    assert_shape(mha.W_q.weight, (48, 48))


@points(1, hint="Raise a ValueError in __init__ when d_model % num_heads != 0 (and only then).")
def test_bad_split_raises(student):
    """MultiHeadAttention(10, 3) raises ValueError (10 is not divisible by 3); (12, 3) is fine."""
    with pytest.raises(StudentError) as error:
        student.MultiHeadAttention(10, 3)
    assert error.value.type_name == "ValueError", f"raised {error.value.type_name}, expected ValueError"
    assert_equal(student.MultiHeadAttention(12, 3).d_k, 4)
