"""Hidden tests for w11-probs-and-sampling: probabilities, the Generator demo and sampling names.

Counts come from seeded generated names (grader.judge.data.make_names). Sampling is compared with the
reference draw for draw (same seed, same torch.multinomial call), and checked statistically.
"""

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, points
from grader.judge.data import bigram_counts, make_names


def model(rng: np.random.Generator) -> tuple[list[str], torch.Tensor]:
    itos, counts = bigram_counts(make_names(rng))
    return itos, (counts.float() / counts.sum(dim=1, keepdim=True).float().clamp(min=1))


def seed_of(rng: np.random.Generator) -> int:
    return int(rng.integers(2**31))


@points(1, hint="Seed one torch.Generator, draw torch.rand(3), normalise, then sample with the SAME generator.")
def test_generator_demo_notes(student, reference):
    """generator_demo(42, 1000) reproduces the notes' numbers (0.8823 ..., 0.404 / 0.425 / 0.171)."""
    raw, p, proportions = student.generator_demo(42, 1000)
    ref_raw, ref_p, ref_props = reference.generator_demo(42, 1000)
    assert_close(raw, ref_raw, msg="torch.rand(3)")
    assert_close(p, ref_p, msg="normalised p")
    assert_close(proportions, ref_props, atol=1e-9, msg="proportions of 0, 1, 2")


@points(1, hint="Use the seed and num_samples arguments; proportions are counts / num_samples as Python floats.")
def test_generator_demo_other_seed(student, reference, rng):
    """generator_demo with another seed and number of samples."""
    seed, n = seed_of(rng), int(rng.integers(200, 3000))
    raw, p, proportions = student.generator_demo(seed, n)
    ref_raw, ref_p, ref_props = reference.generator_demo(seed, n)
    assert_close(raw, ref_raw, msg="torch.rand(3)")
    assert_close(p, ref_p, msg="normalised p")
    assert_close(proportions, ref_props, atol=1e-9, msg="proportions")


@points(1, hint="P = counts.float(); divide each row by its own sum: P.sum(1, keepdim=True).")
def test_probs_unsmoothed(student, reference, rng):
    """counts_to_probs(counts) (smoothing 0): float32 values, every row sums to 1."""
    _, counts = bigram_counts(make_names(rng))
    probs = student.counts_to_probs(counts)
    assert_close(probs, reference.counts_to_probs(counts))
    assert_close(probs.sum(dim=1), torch.ones(counts.shape[0]), atol=1e-6, msg="row sums")


@points(1, hint="Add the smoothing to every count BEFORE normalising the rows.")
def test_probs_smoothing(student, reference, rng):
    """counts_to_probs with smoothing 1 and 3."""
    _, counts = bigram_counts(make_names(rng))
    for smoothing in (1, 3):
        assert_close(student.counts_to_probs(counts, smoothing), reference.counts_to_probs(counts, smoothing),
                     msg=f"smoothing={smoothing}")


@points(1, hint="Start at index 0 ('.'), draw with torch.multinomial(probs[ix], num_samples=1, replacement=True, "
                "generator=g), stop when 0 is drawn, and do not include the '.'.")
def test_sample_name_exact(student, reference, rng):
    """sample_name with five seeds gives exactly the reference's names."""
    itos, probs = model(rng)
    for _ in range(5):
        seed = seed_of(rng)
        assert_equal(student.sample_name(probs, itos, seed), reference.sample_name(probs, itos, seed),
                     msg=f"seed={seed}")


@points(1, hint="sample_names seeds ONE generator once and keeps drawing from it, so the names differ.")
def test_sample_names_exact(student, reference, rng):
    """sample_names(n=20) gives exactly the reference's list (one generator for all names)."""
    itos, probs = model(rng)
    seed = seed_of(rng)
    assert_equal(student.sample_names(probs, itos, 20, seed), reference.sample_names(probs, itos, 20, seed))


@points(1, hint="Every name starts from the row of '.', so first letters follow P[0].")
def test_first_letter_distribution(student, rng):
    """2000 sampled names: their first letters follow P[0] (total variation < 0.07), and they are varied."""
    itos, probs = model(rng)
    names = student.sample_names(probs, itos, 2000, seed_of(rng))
    assert len(names) == 2000, f"expected 2000 names, got {len(names)}"
    firsts = [name[0] for name in names if name]
    freq = np.array([sum(f == ch for f in firsts) for ch in itos[1:]], dtype=float) / max(len(firsts), 1)
    tv = 0.5 * np.abs(freq - probs[0, 1:].numpy()).sum()
    assert tv < 0.07, f"first letters are far from P[0]: total variation {tv:.3f}"
    assert len(set(names)) > 50, f"only {len(set(names))} different names in 2000 samples"


@points(1, hint="A sampled name never contains '.', and only uses bigrams with probability > 0.")
def test_names_follow_the_bigrams(student, rng):
    """Sampled names contain no '.', and every bigram of '.' + name + '.' has probability > 0."""
    itos, probs = model(rng)
    stoi = {ch: i for i, ch in enumerate(itos)}
    names = student.sample_names(probs, itos, 300, seed_of(rng))
    for name in names:
        assert "." not in name, f"{name!r} contains '.'"
        chars = ["."] + list(name) + ["."]
        for a, b in zip(chars, chars[1:], strict=False):
            assert float(probs[stoi[a], stoi[b]]) > 0, f"{name!r} uses the impossible bigram {a + b!r}"


@points(1, hint="Stop as soon as max_sequence_length letters have been sampled (the '.' is not a letter).")
def test_max_sequence_length(student, reference, rng):
    """With a model that rarely ends a name, max_sequence_length caps the length, same names as the reference."""
    size = int(rng.integers(6, 12))
    itos = ["."] + [chr(ord("a") + i) for i in range(size - 1)]
    probs = torch.ones((size, size))
    probs[:, 0] = 0.02
    probs = probs / probs.sum(dim=1, keepdim=True)
    limit = int(rng.integers(3, 7))
    seed = seed_of(rng)
    names = student.sample_names(probs, itos, 30, seed, max_sequence_length=limit)
    assert max(len(n) for n in names) == limit, f"longest name {max(len(n) for n in names)}, limit {limit}"
    assert_equal(names, reference.sample_names(probs, itos, 30, seed, max_sequence_length=limit))
    assert_equal(student.sample_name(probs, itos, seed, max_sequence_length=limit),
                 reference.sample_name(probs, itos, seed, max_sequence_length=limit))


@points(1, hint="Look up itos[ix] for each sampled index; a row with a single 1 always gives that character.")
def test_forced_chain(student, rng):
    """A deterministic P that spells one word ('.' -> w[0] -> ... -> '.') always gives that word."""
    letters = list("abcdefghij")
    order = [str(c) for c in rng.permutation(letters)[: int(rng.integers(3, 8))]]
    itos = ["."] + letters
    stoi = {ch: i for i, ch in enumerate(itos)}
    probs = torch.zeros((len(itos), len(itos)))
    chain = ["."] + order + ["."]
    for a, b in zip(chain, chain[1:], strict=False):
        probs[stoi[a], stoi[b]] = 1.0
    for ch in itos:
        if probs[stoi[ch]].sum() == 0:
            probs[stoi[ch], 0] = 1.0
    word = "".join(order)
    assert_equal(student.sample_name(probs, itos, seed_of(rng)), word)
    assert_equal(student.sample_names(probs, itos, 3, seed_of(rng)), [word] * 3)
