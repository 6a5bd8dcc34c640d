"""Hidden tests for w10-input-embedding-pe: sinusoidal positional encoding and the scaled input embedding.

Expected values come from the reference (float32, divisors in log space). Tolerance 5e-5 accepts a
float64 nested-loop implementation (max difference about 7e-6 at (100, 512)).
"""

import math

import numpy as np
import pytest
import torch

from grader.judge import StudentError, assert_close, assert_shape, points

ATOL = 5e-5


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


@points(1, hint="Row 0 is [0, 1, 0, 1, ...]; PE[pos, 2i] = sin(pos / n^(2i/d_model)), PE[pos, 2i+1] = cos(the same).")
def test_pe_small_values(student):
    """positional_encoding(4, 4) with n = 10000 and n = 100 (the notes' figure) gives the exact values."""
    expected = torch.tensor([[0.0, 1.0, 0.0, 1.0],
                             [0.8415, 0.5403, 0.0100, 0.9999],
                             [0.9093, -0.4161, 0.0200, 0.9998],
                             [0.1411, -0.9900, 0.0300, 0.9996]])
    assert_close(student.positional_encoding(4, 4), expected, atol=1e-4, msg="n = 10000")
    expected[1:, 2] = torch.tensor([0.0998, 0.1987, 0.2955])
    expected[1:, 3] = torch.tensor([0.9950, 0.9801, 0.9553])
    assert_close(student.positional_encoding(4, 4, n=100), expected, atol=1e-4, msg="n = 100")


@points(2, hint="One divisor per (sin, cos) pair: n^(2i/d_model) for columns 2i and 2i+1; positions as floats.")
def test_pe_random_sizes(student, reference, rng):
    """positional_encoding for random even d_model, lengths and n equals the reference."""
    for _ in range(3):
        length, d_model = int(rng.integers(5, 60)), 2 * int(rng.integers(3, 20))
        n = float(rng.choice([100.0, 1000.0, 10000.0]))
        assert_close(student.positional_encoding(length, d_model, n=n),
                     reference.positional_encoding(length, d_model, n=n), atol=ATOL,
                     msg=f"({length}, {d_model}, n={n})")


@points(2, hint="At d_model = 512 the exponent is 2i/d_model with i the pair index (0, 1, ..., 255).")
def test_pe_paper_size(student, reference):
    """positional_encoding(100, 512): shape and values (row 1 starts 0.8415, 0.5403, 0.8219, 0.5697)."""
    pe = student.positional_encoding(100, 512)
    assert_shape(pe, (100, 512))
    assert_close(pe, reference.positional_encoding(100, 512), atol=ATOL)


@points(1, hint="Columns 2i and 2i+1 share one frequency, so sin^2 + cos^2 = 1 per pair; column 0 is sin(pos).")
def test_pe_pairs_and_range(student, rng):
    """Values in [-1, 1], sin^2 + cos^2 = 1 per pair, column 0 is sin(pos) and column 1 cos(pos)."""
    length, d_model = int(rng.integers(20, 80)), 2 * int(rng.integers(4, 32))
    pe = student.positional_encoding(length, d_model)
    assert_shape(pe, (length, d_model))
    assert float(pe.abs().max()) <= 1.0 + 1e-6, "values outside [-1, 1]"
    assert_close(pe[:, 0::2] ** 2 + pe[:, 1::2] ** 2, torch.ones(length, d_model // 2), atol=1e-5, msg="sin^2 + cos^2")
    pos = torch.arange(length, dtype=torch.float32)
    assert_close(pe[:, 0], torch.sin(pos), atol=ATOL, msg="column 0")
    assert_close(pe[:, 1], torch.cos(pos), atol=ATOL, msg="column 1")


@points(1, hint="Store the table with self.register_buffer('pe', ...): a buffer, not an nn.Parameter.")
def test_pe_is_buffer(student, reference, rng):
    """PositionalEncoding keeps the table in the buffer `pe` (not a parameter) with the reference's values."""
    d_model, length = 2 * int(rng.integers(4, 16)), int(rng.integers(10, 40))
    module = student.PositionalEncoding(d_model, length)
    buffers, params = module._buffers, module._parameters
    assert "pe" in buffers, f"no buffer named 'pe' (buffers: {sorted(buffers)})"
    assert not params, f"PositionalEncoding should have no parameters, has {sorted(params)}"
    assert_close(buffers["pe"], reference.positional_encoding(length, d_model), atol=ATOL, msg="pe")


@points(2, hint="forward(x) returns x + pe[:T] for T = x.size(1) <= max_seq_length; a longer T must raise.")
def test_pe_forward(student, reference, rng):
    """forward adds the first T rows for T < max_seq_length and T = max_seq_length; T > max_seq_length raises."""
    d_model, length = 2 * int(rng.integers(4, 16)), int(rng.integers(10, 30))
    module = student.PositionalEncoding(d_model, length)
    ref = reference.PositionalEncoding(d_model, length)
    gen = seeded(rng)
    for T in (int(rng.integers(2, length)), length):
        x = torch.randn(3, T, d_model, generator=gen)
        assert_close(module(x), ref(x), atol=ATOL, msg=f"T = {T}")
    with pytest.raises(StudentError):
        module(torch.randn(3, length + 1, d_model, generator=gen))


@points(1, hint="InputEmbedding.forward returns self.embedding(x) * math.sqrt(d_model).")
def test_input_embedding(student, reference, rng):
    """InputEmbedding with the reference's table gives embedding(ids) * sqrt(d_model) ([B, T, d_model])."""
    vocab_size, d_model = int(rng.integers(10, 50)), int(rng.choice([16, 64, 512]))
    ref = reference.InputEmbedding(vocab_size, d_model)
    emb = student.InputEmbedding(vocab_size, d_model)
    emb.load_state_dict(ref.state_dict())
    ids = torch.tensor(rng.integers(0, vocab_size, size=(2, 7)))
    with torch.no_grad():
        expected = ref.embedding.weight[ids] * math.sqrt(d_model)
    assert_close(emb(ids), expected)
