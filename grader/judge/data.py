"""Seeded, offline data for hidden tests: nothing is downloaded, every seed gives other data.

Language-model exercises (weeks 11-14) share one names generator so that their tests agree on what a
"name" looks like; a test builds its own corpus from the `rng` fixture.
"""

from __future__ import annotations

import numpy as np

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
    names = []
    for _ in range(n):
        k = int(rng.integers(1, 4))
        name = "".join(rng.choice(syllables, size=k, p=weights))
        if rng.random() < 0.3:
            name += str(rng.choice(["n", "s"]))
        names.append(name)
    return names
