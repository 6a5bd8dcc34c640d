"""Seeded, offline data for hidden tests: nothing is downloaded, every seed gives other data.

Language-model exercises (weeks 11-14) share one names generator so that their tests agree on what a
"name" looks like; a test builds its own corpus from the `rng` fixture.
"""

from __future__ import annotations

import numpy as np
import torch

NOTES_WORDS = ["emma", "olivia", "ava", "isabella"]  # the first names of the notes' names.txt
CONSONANTS = "bcdfghjklmnprstvwz"
VOWELS = "aeiou"


def make_names(rng: np.random.Generator, n: int = 250, consonants: str | None = None) -> list[str]:
    """Syllable names (consonant + vowel, 1-3 syllables, sometimes a final n or s), unevenly distributed.

    Each seed uses a different subset of the consonants unless `consonants` is given, so the
    vocabulary never covers the whole alphabet (a fixed a-z vocabulary is caught).
    """
    if consonants is None:
        consonants = "".join(sorted(rng.choice(list(CONSONANTS), size=8, replace=False)))
    syllables = [c + v for c in consonants for v in VOWELS]
    weights = rng.dirichlet(np.full(len(syllables), 0.7))
    # what rng.choice(syllables, size=k, p=weights) and rng.choice(["n", "s"]) draw, number for number,
    # without choice's checks of p on every call (4.6 ms a call before, 1 ms now)
    cdf = weights.cumsum()
    cdf /= cdf[-1]
    names = []
    for _ in range(n):
        k = int(rng.integers(1, 4))
        name = "".join(syllables[i] for i in cdf.searchsorted(rng.random(k), side="right"))
        if rng.random() < 0.3:
            name += "ns"[rng.integers(0, 2)]
        names.append(name)
    return names


def randn(rng: np.random.Generator, *shape: int) -> torch.Tensor:
    """A float32 tensor of seeded standard-normal values."""
    return torch.tensor(rng.normal(size=shape), dtype=torch.float32)


def randomise(module: torch.nn.Module, rng: np.random.Generator, scale: float = 0.5) -> torch.nn.Module:
    """Seeded random weights everywhere, BatchNorm affine parameters and running statistics included, so a
    test compares modules on weights no initialisation would give."""
    with torch.no_grad():
        for name, tensor in module.state_dict().items():
            if name.endswith("num_batches_tracked"):
                continue
            if name.endswith("running_var"):
                tensor.copy_(torch.tensor(rng.uniform(0.5, 2.0, size=tuple(tensor.shape))))
            else:
                tensor.copy_(torch.tensor(rng.normal(scale=scale, size=tuple(tensor.shape))))
    return module


def bigram_counts(words: list[str], extra: tuple[str, ...] = ()) -> tuple[list[str], torch.Tensor]:
    """itos ('.' first, then the sorted letters of words and extra) and the int64 bigram counts of words,
    built by the test itself (never from a student's vocabulary)."""
    itos = ["."] + sorted(set("".join(list(words) + list(extra))))
    stoi = {ch: i for i, ch in enumerate(itos)}
    counts = torch.zeros((len(itos), len(itos)), dtype=torch.int64)
    for word in words:
        chars = ["."] + list(word) + ["."]
        for a, b in zip(chars, chars[1:], strict=False):
            counts[stoi[a], stoi[b]] += 1
    return itos, counts

