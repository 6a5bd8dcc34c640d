"""Hidden tests for w10-encoder-only-transformer: body and heads with the reference's weights loaded.

The student's modules get the reference's random weights through load_state_dict (strict) and run in
eval mode. The positional-encoding buffer is part of the state dict, so it is loaded too.
"""

import numpy as np
import torch

from grader.judge import assert_close, assert_shape, points

VOCAB, D_MODEL, HEADS, D_FF, MAX_LEN = 20, 16, 4, 32, 12
ATOL = 1e-4


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def randomize(module: torch.nn.Module, gen: torch.Generator) -> None:
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.4)
    module.eval()


def body_pair(student, reference, rng, num_layers=2):
    gen = seeded(rng)
    ref = reference.TransformerEncoder(VOCAB, D_MODEL, HEADS, num_layers, D_FF, 0.1, MAX_LEN)
    randomize(ref, gen)
    body = student.TransformerEncoder(VOCAB, D_MODEL, HEADS, num_layers, D_FF, 0.1, MAX_LEN)
    body.load_state_dict(ref.state_dict())
    body.eval()
    return body, ref, gen


def padded(gen, lengths, T):
    ids = torch.randint(1, VOCAB, (len(lengths), T), generator=gen)
    for b, n in enumerate(lengths):
        ids[b, n:] = 0
    mask = (ids != 0).long().unsqueeze(1).expand(-1, T, -1).clone()
    return ids, mask


@points(1, hint="The body maps token ids [B, T] to [B, T, d_model].")
def test_body_shape(student, reference, rng):
    """TransformerEncoder on [3, 7] token ids returns [3, 7, d_model]."""
    body, _, gen = body_pair(student, reference, rng)
    assert_shape(body(torch.randint(0, VOCAB, (3, 7), generator=gen), None), (3, 7, D_MODEL))


@points(3, hint="embedding (times sqrt(d_model)) -> + positional encoding -> every encoder layer with the mask.")
def test_body_matches_reference(student, reference, rng):
    """A 2-layer body with a padding mask equals the reference (same weights, eval mode)."""
    body, ref, gen = body_pair(student, reference, rng)
    ids, mask = padded(gen, [int(n) for n in rng.integers(3, 9, size=3)], 9)
    with torch.no_grad():
        expected = ref(ids, mask)
    assert_close(body(ids, mask), expected, atol=ATOL)


@points(2, hint="num_layers separate EncoderLayers in an nn.ModuleList (not one layer repeated, not a Python list).")
def test_three_layers(student, reference, rng):
    """A 3-layer body (each layer with its own weights) equals the reference."""
    body, ref, gen = body_pair(student, reference, rng, num_layers=3)
    ids = torch.randint(0, VOCAB, (2, MAX_LEN), generator=gen)
    with torch.no_grad():
        expected = ref(ids, None)
    assert_close(body(ids, None), expected, atol=ATOL)


@points(1, hint="Add the positional encoding: without it attention is permutation-equivariant (crux point 2).")
def test_positions_matter(student, reference, rng):
    """Permuting the input tokens does not simply permute the outputs (the positional encoding is added)."""
    body, _, gen = body_pair(student, reference, rng)
    ids = torch.randperm(VOCAB, generator=gen)[:8].unsqueeze(0)
    perm = torch.tensor(rng.permutation(8))
    while bool((perm == torch.arange(8)).any()):
        perm = torch.tensor(rng.permutation(8))
    out, out_perm = body(ids, None), body(ids[:, perm], None)
    assert float((out_perm - out[:, perm]).abs().max()) > 1e-3, "outputs only permuted: positions are ignored"


@points(1, hint="Give src_mask to every layer: padded tokens must not change the real tokens' outputs.")
def test_padding_invariance(student, reference, rng):
    """Changing the token ids at padded positions (mask 0) leaves the outputs at real positions unchanged."""
    body, _, gen = body_pair(student, reference, rng)
    lengths = [4, 6]
    ids, mask = padded(gen, lengths, 8)
    other = ids.clone()
    for b, n in enumerate(lengths):
        other[b, n:] = torch.randint(1, VOCAB, (8 - n,), generator=gen)
    before, after = body(ids, mask), body(other, mask)
    for b, n in enumerate(lengths):
        assert_close(after[b, :n], before[b, :n], atol=ATOL, msg=f"sequence {b}: real positions")


@points(1, hint="ClassifierHead: fc = nn.Linear(d_model, num_classes) on x[:, 0]; return raw logits (no softmax).")
def test_classifier_head(student, reference, rng):
    """ClassifierHead(d_model, 3) on [B, T, d_model] returns the reference's [B, 3] logits."""
    gen = seeded(rng)
    ref = reference.ClassifierHead(D_MODEL, 3)
    randomize(ref, gen)
    head = student.ClassifierHead(D_MODEL, 3)
    head.load_state_dict(ref.state_dict())
    x = torch.randn(4, 6, D_MODEL, generator=gen)
    with torch.no_grad():
        expected = ref(x)
    assert_close(head(x), expected, atol=1e-5)


@points(1, hint="RegressionHead: fc = nn.Linear(d_model, output_dim) on x[:, 0]; output_dim = 1 gives [B, 1].")
def test_regression_head(student, reference, rng):
    """RegressionHead(d_model, 1) returns the reference's [B, 1] values."""
    gen = seeded(rng)
    ref = reference.RegressionHead(D_MODEL, 1)
    randomize(ref, gen)
    head = student.RegressionHead(D_MODEL, 1)
    head.load_state_dict(ref.state_dict())
    x = torch.randn(4, 6, D_MODEL, generator=gen)
    with torch.no_grad():
        expected = ref(x)
    out = head(x)
    assert_shape(out, (4, 1))
    assert_close(out, expected, atol=1e-5)
