"""Hidden tests for w10-padding-mask: the [B, L, L] key-padding mask and the masked softmax.

Masks are compared as (mask != 0), so int, float and bool masks are all accepted. Every sequence keeps
at least one real token when a softmax is involved (an all-padding row would be all -inf, i.e. NaN).
"""

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, assert_shape, points


def random_ids(rng: np.random.Generator, B: int, L: int, pad_id: int) -> tuple[torch.Tensor, list[int]]:
    """Token ids with trailing padding; real tokens never equal pad_id. Returns (ids, lengths)."""
    lengths = [int(n) for n in rng.integers(1, L + 1, size=B)]
    ids = torch.full((B, L), pad_id, dtype=torch.long)
    for b, n in enumerate(lengths):
        tokens = rng.integers(0, 30, size=n)
        tokens[tokens == pad_id] = pad_id + 1
        ids[b, :n] = torch.tensor(tokens)
    return ids, lengths


def as_bool(mask) -> torch.Tensor:
    return torch.as_tensor(mask) != 0


@points(2, hint="ones at real tokens, zeros at pads, then unsqueeze(1) and expand(-1, L, -1): the mask runs over keys.")
def test_notes_example(student):
    """ids [[5, 6, 7, 0, 0], [3, 4, 0, 0, 0]], pad 0: shape [2, 5, 5], every row of mask[1] is [1, 1, 0, 0, 0]."""
    ids = torch.tensor([[5, 6, 7, 0, 0], [3, 4, 0, 0, 0]])
    mask = student.make_src_mask(ids, 0)
    assert_shape(mask, (2, 5, 5))
    expected = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 0, 0, 0]]).bool().unsqueeze(1).expand(-1, 5, -1)
    assert_equal(as_bool(mask), expected)


@points(2, hint="Compare the ids with pad_id (any value, not only 0).")
def test_random_ids(student, reference, rng):
    """Random ids with pad_id 0, 1 or 7 give the reference's mask (as booleans)."""
    for pad_id in (0, 1, 7):
        ids, _ = random_ids(rng, 3, int(rng.integers(4, 9)), pad_id)
        mask = student.make_src_mask(ids, pad_id)
        assert_equal(as_bool(mask), reference.make_src_mask(ids, pad_id) != 0, msg=f"pad_id {pad_id}")


@points(1, hint="Without padding every entry of the mask is 1.")
def test_no_padding(student, rng):
    """A batch with no padding gives an all-ones [B, L, L] mask."""
    ids = torch.tensor(rng.integers(1, 30, size=(2, 6)))
    mask = student.make_src_mask(ids, 0)
    assert_shape(mask, (2, 6, 6))
    assert bool(as_bool(mask).all()), "a batch without padding must give an all-ones mask"


@points(2, hint="scores.masked_fill(mask == 0, float('-inf')) BEFORE the softmax over the last dim.")
def test_masked_softmax(student, reference, rng):
    """masked_softmax: exactly 0 on padded keys, rows sum to 1, equal to the reference."""
    ids, _ = random_ids(rng, 3, 6, 0)
    ids[0, 4:] = 0
    mask = reference.make_src_mask(ids, 0)
    scores = torch.tensor(rng.normal(size=(3, 6, 6)) * 2.0, dtype=torch.float32)
    wei = student.masked_softmax(scores, mask)
    assert float(wei[mask == 0].abs().max()) == 0.0, "padded keys must get exactly 0 weight"
    assert_close(wei.sum(-1), torch.ones(3, 6), atol=1e-6, msg="row sums")
    assert_close(wei, reference.masked_softmax(scores, mask), atol=1e-6, msg="weights")


@points(1, hint="Multiplying the scores by the mask (the formula at L8824) leaves e^0 = 1 for masked keys.")
def test_multiplicative_mask_trap(student):
    """Zero scores with key mask [1, 1, 0, 0] give weights exactly [0.5, 0.5, 0, 0]."""
    mask = torch.tensor([1, 1, 0, 0]).expand(4, 4).unsqueeze(0)
    wei = student.masked_softmax(torch.zeros(1, 4, 4), mask)
    assert_close(wei, torch.tensor([0.5, 0.5, 0.0, 0.0]).expand(1, 4, 4), atol=1e-7)


@points(2, hint="Use the padding mask in the attention: padded tokens must not change the real tokens' outputs.")
def test_attention_padding_invariance(student, reference, rng):
    """attention_with_padding equals the reference; changing x at padded positions leaves real positions unchanged."""
    ids, lengths = random_ids(rng, 3, 7, 0)
    for b in range(3):
        lengths[b] = min(lengths[b], 6)
        ids[b, lengths[b]:] = 0
    x = torch.tensor(rng.normal(size=(3, 7, 8)), dtype=torch.float32)
    out = student.attention_with_padding(x, ids, 0)
    assert_close(out, reference.attention_with_padding(x, ids, 0), atol=1e-5, msg="values")
    changed = x.clone()
    for b, n in enumerate(lengths):
        changed[b, n:] = torch.tensor(rng.normal(size=(7 - n, 8)) * 3.0, dtype=torch.float32)
    after = student.attention_with_padding(changed, ids, 0)
    for b, n in enumerate(lengths):
        assert_close(after[b, :n], out[b, :n], atol=1e-5, msg=f"sequence {b}: real positions")
