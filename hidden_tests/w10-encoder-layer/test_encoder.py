"""Hidden tests for w10-encoder-layer: a post-LayerNorm encoder layer with the reference's weights.

The student's EncoderLayer gets the reference's random weights through load_state_dict (strict) and is
put in eval mode. One test compares with torch's nn.TransformerEncoderLayer (norm_first=False, ReLU,
batch_first) after copying the same weights into it.
"""

import numpy as np
import torch

from grader.judge import assert_close, assert_shape, points

D_MODEL, HEADS, D_FF = 16, 4, 32
ATOL = 1e-5


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def layer_pair(student, reference, rng, edit=None):
    """(student layer, reference layer, generator) with the same random weights, both in eval mode."""
    gen = seeded(rng)
    ref = reference.EncoderLayer(D_MODEL, HEADS, D_FF, 0.1)
    with torch.no_grad():
        for p in ref.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.4)
        if edit is not None:
            edit(ref)
    ref.eval()
    layer = student.EncoderLayer(D_MODEL, HEADS, D_FF, 0.1)
    layer.load_state_dict(ref.state_dict())
    layer.eval()
    return layer, ref, gen


def padding_mask(lengths, T):
    keys = torch.tensor([[1] * n + [0] * (T - n) for n in lengths])
    return keys.unsqueeze(1).expand(-1, T, -1).clone()


@points(1, hint="forward(x, src_mask) returns [B, T, d_model]; in eval mode dropout is off, so it is deterministic.")
def test_shape_and_determinism(student, reference, rng):
    """Output shape [B, T, d_model] and two calls in eval mode give the same output."""
    layer, _, gen = layer_pair(student, reference, rng)
    x = torch.randn(2, 6, D_MODEL, generator=gen)
    first = layer(x, None)
    assert_shape(first, (2, 6, D_MODEL))
    assert_close(layer(x, None), first, msg="second call")


@points(2, hint="x = norm1(x + dropout(self_attn(x, x, x, src_mask))); x = norm2(x + dropout(ff_sublayer(x))).")
def test_matches_reference(student, reference, rng):
    """With a padding mask, the output equals the reference's (same weights, eval mode)."""
    layer, ref, gen = layer_pair(student, reference, rng)
    x = torch.randn(3, 7, D_MODEL, generator=gen)
    mask = padding_mask([int(n) for n in rng.integers(2, 8, size=3)], 7)
    with torch.no_grad():
        expected = ref(x, mask)
    assert_close(layer(x, mask), expected, atol=ATOL)


@points(2, hint="Post-LN like nn.TransformerEncoderLayer(norm_first=False): residual, then LayerNorm, per sublayer.")
def test_matches_torch_encoder_layer(student, reference, rng):
    """Without a mask, the output equals nn.TransformerEncoderLayer (post-LN, dropout 0) with the same weights."""
    layer, ref, gen = layer_pair(student, reference, rng)
    torch_layer = torch.nn.TransformerEncoderLayer(D_MODEL, HEADS, D_FF, dropout=0.0, batch_first=True)
    with torch.no_grad():
        attn = ref.self_attn
        torch_layer.self_attn.in_proj_weight.copy_(torch.cat([attn.W_q.weight, attn.W_k.weight, attn.W_v.weight]))
        torch_layer.self_attn.in_proj_bias.zero_()
        torch_layer.self_attn.out_proj.weight.copy_(attn.W_o.weight)
        torch_layer.self_attn.out_proj.bias.copy_(attn.W_o.bias)
        for mine, theirs in ((ref.ff_sublayer.fc1, torch_layer.linear1), (ref.ff_sublayer.fc2, torch_layer.linear2),
                             (ref.norm1, torch_layer.norm1), (ref.norm2, torch_layer.norm2)):
            theirs.weight.copy_(mine.weight)
            theirs.bias.copy_(mine.bias)
    torch_layer.eval()
    x = torch.randn(2, 5, D_MODEL, generator=gen)
    expected = torch_layer(x).detach()  # grad enabled: torch takes its ordinary (not fast) path
    assert_close(layer(x, None), expected, atol=ATOL)


def silence_sublayers(ref):
    """Zero the attention output projection and the second FFN layer; norm1 scales by 2, norm2 by 3."""
    for module in (ref.self_attn.W_o, ref.ff_sublayer.fc2):
        module.weight.zero_()
        module.bias.zero_()
    ref.norm1.weight.fill_(2.0)
    ref.norm2.weight.fill_(3.0)


@points(2, hint="Residual first, LayerNorm after (post-LN), two different LayerNorm instances norm1 and norm2.")
def test_structure_probe(student, reference, rng):
    """With both sublayers silenced, the layer computes exactly norm2(norm1(x)) (residuals, post-LN, two norms)."""
    layer, ref, gen = layer_pair(student, reference, rng, edit=silence_sublayers)
    x = torch.randn(2, 6, D_MODEL, generator=gen) * 3.0 + 1.0
    with torch.no_grad():
        expected = ref.norm2(ref.norm1(x))
    assert_close(layer(x, None), expected, atol=ATOL)


@points(1, hint="The last operation is norm2: with its default weight 1 and bias 0, each token has mean 0 and std 1.")
def test_output_statistics(student, rng):
    """A freshly built layer (default LayerNorms) gives every token a mean ~0 and a biased std ~1 over d_model."""
    layer = student.EncoderLayer(D_MODEL, HEADS, D_FF, 0.1)
    layer.eval()
    x = torch.randn(2, 6, D_MODEL, generator=seeded(rng)) * 5.0 + 2.0
    out = layer(x, None)
    assert_close(out.mean(dim=-1), torch.zeros(2, 6), atol=1e-5, msg="per-token mean")
    assert_close(out.std(dim=-1, unbiased=False), torch.ones(2, 6), atol=1e-3, msg="per-token std")


@points(2, hint="Pass src_mask down to self_attn: padded tokens must not influence the real tokens.")
def test_padding_invariance(student, reference, rng):
    """Changing the vectors at padded positions leaves the outputs at the real positions unchanged."""
    layer, _, gen = layer_pair(student, reference, rng)
    lengths = [4, 6]
    x = torch.randn(2, 7, D_MODEL, generator=gen)
    mask = padding_mask(lengths, 7)
    changed = x.clone()
    for b, n in enumerate(lengths):
        changed[b, n:] = torch.randn(7 - n, D_MODEL, generator=gen) * 3.0
    before, after = layer(x, mask), layer(changed, mask)
    for b, n in enumerate(lengths):
        assert_close(after[b, :n], before[b, :n], atol=ATOL, msg=f"sequence {b}: real positions")
