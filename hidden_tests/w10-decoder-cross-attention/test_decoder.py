"""Hidden tests for w10-decoder-cross-attention: tgt mask, DecoderLayer, DecoderStack, with the reference's weights.

Modules get the reference's random weights through load_state_dict (strict) and run in eval mode.
cross_mask is the encoder's [B, T_tgt, T_src] key-padding mask (1 = real source token).
"""

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, assert_shape, points

D_MODEL, HEADS, D_FF = 16, 4, 32
T_TGT, T_SRC = 6, 5
ATOL = 1e-5


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def randomize(module, gen):
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.4)
    module.eval()


def layer_pair(student, reference, rng):
    gen = seeded(rng)
    ref = reference.DecoderLayer(D_MODEL, HEADS, D_FF, 0.1)
    randomize(ref, gen)
    layer = student.DecoderLayer(D_MODEL, HEADS, D_FF, 0.1)
    layer.load_state_dict(ref.state_dict())
    layer.eval()
    return layer, ref, gen


def stack_pair(student, reference, rng, num_layers=2):
    gen = seeded(rng)
    ref = reference.DecoderStack(num_layers, D_MODEL, HEADS, D_FF, 0.1)
    randomize(ref, gen)
    stack = student.DecoderStack(num_layers, D_MODEL, HEADS, D_FF, 0.1)
    stack.load_state_dict(ref.state_dict())
    stack.eval()
    return stack, ref, gen


def cross_mask(lengths, t_tgt=T_TGT, t_src=T_SRC):
    keys = torch.tensor([[1] * n + [0] * (t_src - n) for n in lengths])
    return keys.unsqueeze(1).expand(-1, t_tgt, -1).clone()


def causal():
    return torch.tril(torch.ones(T_TGT, T_TGT))


@points(1, hint="make_tgt_mask(n) = torch.tril(torch.ones(n, n)): 1 on and below the diagonal.")
def test_tgt_mask(student):
    """make_tgt_mask(4) is [[1,0,0,0],[1,1,0,0],[1,1,1,0],[1,1,1,1]]; make_tgt_mask(8) is lower-triangular 8 x 8."""
    for n in (4, 8):
        mask = student.make_tgt_mask(n)
        assert_shape(mask, (n, n))
        assert_equal(torch.as_tensor(mask) != 0, torch.tril(torch.ones(n, n, dtype=torch.bool)), msg=f"n = {n}")


@points(2, hint="x = norm1(x + drop(self_attn(x, x, x, tgt_mask))); "
                "x = norm2(x + drop(cross_attn(x, y, y, cross_mask))); x = norm3(x + drop(ff_sublayer(x))).")
def test_layer_matches_reference(student, reference, rng):
    """DecoderLayer with tgt_mask and a cross_mask (T_src != T_tgt) equals the reference."""
    layer, ref, gen = layer_pair(student, reference, rng)
    x, y = torch.randn(2, T_TGT, D_MODEL, generator=gen), torch.randn(2, T_SRC, D_MODEL, generator=gen)
    mask = cross_mask([int(n) for n in rng.integers(2, T_SRC + 1, size=2)])
    with torch.no_grad():
        expected = ref(x, y, causal(), mask)
    out = layer(x, y, causal(), mask)
    assert_shape(out, (2, T_TGT, D_MODEL))
    assert_close(out, expected, atol=ATOL)


@points(2, hint="Post-LN with three sublayers, like nn.TransformerDecoderLayer(norm_first=False).")
def test_layer_matches_torch(student, reference, rng):
    """With a causal tgt_mask, DecoderLayer equals nn.TransformerDecoderLayer (dropout 0) with the same weights."""
    layer, ref, gen = layer_pair(student, reference, rng)
    torch_layer = torch.nn.TransformerDecoderLayer(D_MODEL, HEADS, D_FF, dropout=0.0, batch_first=True)
    with torch.no_grad():
        for mine, theirs in ((ref.self_attn, torch_layer.self_attn), (ref.cross_attn, torch_layer.multihead_attn)):
            theirs.in_proj_weight.copy_(torch.cat([mine.W_q.weight, mine.W_k.weight, mine.W_v.weight]))
            theirs.in_proj_bias.zero_()
            theirs.out_proj.weight.copy_(mine.W_o.weight)
            theirs.out_proj.bias.copy_(mine.W_o.bias)
        pairs = ((ref.ff_sublayer.fc1, torch_layer.linear1), (ref.ff_sublayer.fc2, torch_layer.linear2),
                 (ref.norm1, torch_layer.norm1), (ref.norm2, torch_layer.norm2), (ref.norm3, torch_layer.norm3))
        for mine, theirs in pairs:
            theirs.weight.copy_(mine.weight)
            theirs.bias.copy_(mine.bias)
    torch_layer.eval()
    x, y = torch.randn(2, T_TGT, D_MODEL, generator=gen), torch.randn(2, T_SRC, D_MODEL, generator=gen)
    expected = torch_layer(x, y, tgt_mask=causal() == 0).detach()
    assert_close(layer(x, y, causal(), None), expected, atol=ATOL)


@points(2, hint="Pass tgt_mask to every layer's self-attention: decoder position t must never see positions > t.")
def test_stack_is_causal(student, reference, rng):
    """Through a 2-layer DecoderStack, changing decoder inputs from t0 on leaves outputs before t0 unchanged."""
    stack, _, gen = stack_pair(student, reference, rng)
    x, y = torch.randn(2, T_TGT, D_MODEL, generator=gen), torch.randn(2, T_SRC, D_MODEL, generator=gen)
    t0 = int(rng.integers(1, T_TGT - 1))
    changed = x.clone()
    changed[:, t0:] = torch.randn(2, T_TGT - t0, D_MODEL, generator=gen)
    before, after = stack(x, y, causal(), None), stack(changed, y, causal(), None)
    assert_close(after[:, :t0], before[:, :t0], atol=ATOL, msg=f"outputs before position {t0}")
    assert float((after[:, t0] - before[:, t0]).abs().max()) > 1e-3, f"position {t0} should change"


@points(1, hint="Cross-attention: queries from the decoder, keys/values from y; cross_mask hides padded source tokens.")
def test_cross_attention_uses_encoder(student, reference, rng):
    """Changing y changes the output; changing only y's padded positions (cross_mask 0) does not."""
    layer, _, gen = layer_pair(student, reference, rng)
    x, y = torch.randn(2, T_TGT, D_MODEL, generator=gen), torch.randn(2, T_SRC, D_MODEL, generator=gen)
    mask = cross_mask([3, 4])
    out = layer(x, y, causal(), mask)
    padded = y.clone()
    padded[0, 3:] = torch.randn(T_SRC - 3, D_MODEL, generator=gen) * 3.0
    padded[1, 4:] = torch.randn(T_SRC - 4, D_MODEL, generator=gen) * 3.0
    assert_close(layer(x, padded, causal(), mask), out, atol=ATOL, msg="only padded source positions changed")
    other = torch.randn(2, T_SRC, D_MODEL, generator=gen)
    assert float((layer(x, other, causal(), mask) - out).abs().max()) > 1e-3, "the output must depend on y"


@points(2, hint="DecoderStack: nn.ModuleList of num_layers separate DecoderLayers, each given y, tgt_mask, cross_mask.")
def test_stack_matches_reference(student, reference, rng):
    """A 3-layer DecoderStack with both masks equals the reference (same weights)."""
    stack, ref, gen = stack_pair(student, reference, rng, num_layers=3)
    x, y = torch.randn(2, T_TGT, D_MODEL, generator=gen), torch.randn(2, T_SRC, D_MODEL, generator=gen)
    mask = cross_mask([int(n) for n in rng.integers(2, T_SRC + 1, size=2)])
    with torch.no_grad():
        expected = ref(x, y, causal(), mask)
    assert_close(stack(x, y, causal(), mask), expected, atol=ATOL)
