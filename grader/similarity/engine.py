"""Winnowing fingerprints over normalised tokens (copydetect), starter code subtracted, pairs ranked.

Each submission's code is tokenised with Pygments and normalised by copydetect: every variable,
function and class name becomes one letter, strings become ``S``, comments and whitespace go. The
k-grams of that text are hashed (with a stable hash: copydetect's ``hash()`` is salted per process) and
winnowed (Schleimer, Wilkerson and Aiken 2003, as in MOSS) with copydetect's own functions. Every
k-gram of the starter file and of the statement's code snippets is removed from each submission's
fingerprints first, so what is left is the submission's own code. For a pair, copydetect finds the
shared fingerprints and the token ranges they cover on each side: ``share_a`` is the fraction of A's
own code that B also has, ``share_b`` the same for B, and ``score`` (the ranking key) is the larger
of the two, so a short copy pasted into a longer file still ranks high.

Fingerprints that many submissions of the class hold (at least ``common_min``: 20% of the class and
3 at least) are counted per pair (``common``): when most of a pair's overlap is such code the pair is
marked, because on a short exercise every correct answer looks alike and the overlap says little (a
ring of copies that large is marked too: the mark is a fact to read, not a verdict).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

NOISE_K = 25  # k: matches shorter than this many normalised characters are never reported
GUARANTEE_T = 30  # every match at least this long is found (window = GUARANTEE_T - NOISE_K + 1)
DEFAULT_THRESHOLD = 0.5
COMMON_FRACTION = 0.2  # a fingerprint held by this fraction of the class (and 3 at least) is common
COMMON_MIN = 3
COMMON_PAIR = 0.5  # a pair whose overlap is at least this fraction common fingerprints is marked
FENCE = re.compile(r"^```(?:python|py)\s*$(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


@dataclass
class Document:
    """One submission's code as compared: ``name`` identifies it on the page and in the CSV."""

    name: str
    code: str
    origin: str = ""  # where it came from (a path), for the TA
    fingerprint: Fingerprint | None = None


@dataclass
class Pair:
    a: str
    b: str
    share_a: float  # fraction of a's own code also in b
    share_b: float
    shared_tokens: int
    common: float  # fraction of the shared fingerprints that many submissions hold
    slices_a: list[tuple[int, int]] = field(default_factory=list)  # matched ranges in a.code
    slices_b: list[tuple[int, int]] = field(default_factory=list)

    @property
    def score(self) -> float:
        return max(self.share_a, self.share_b)

    @property
    def mostly_common(self) -> bool:
        return self.common >= COMMON_PAIR


@dataclass
class Analysis:
    documents: list[Document]
    pairs: list[Pair]  # every pair, best score first
    boilerplate_kgrams: int
    common_min: int


def statement_snippets(markdown: str) -> list[str]:
    """The ```python code blocks of an exercise statement (README.md)."""
    return [m.group(1) for m in FENCE.finditer(markdown)]


def stable_kgrams(text: str, k: int) -> np.ndarray:
    """A hash of every k-gram, the same in every process (copydetect uses ``hash()``, salted per process,
    so its pages would change from run to run)."""
    data = text.encode("utf-8", errors="surrogatepass")
    if len(text) != len(data):  # offsets are in characters: hash characters, not bytes
        return np.array([int.from_bytes(hashlib.blake2b(text[i:i + k].encode("utf-8", errors="surrogatepass"),
                                                        digest_size=8).digest(), "little", signed=True)
                         for i in range(len(text) - k + 1)], dtype=np.int64)
    return np.array([int.from_bytes(hashlib.blake2b(data[i:i + k], digest_size=8).digest(), "little", signed=True)
                     for i in range(len(data) - k + 1)], dtype=np.int64)


def boilerplate_hashes(texts: list[str], k: int = NOISE_K) -> np.ndarray:
    """Every k-gram hash (not only the winnowed ones) of the starter code and snippets."""
    from copydetect.utils import filter_code

    found = [np.array([], dtype=np.int64)]
    for text in texts:
        filtered, _ = filter_code(text, "boilerplate.py", "python")
        if len(filtered) >= k:
            found.append(stable_kgrams(filtered, k))
    return np.unique(np.concatenate(found)).astype(np.int64)


@dataclass
class Fingerprint:
    """What copydetect's ``compare_files`` reads from its CodeFingerprint, built with stable hashes."""

    filtered_code: str
    offsets: np.ndarray
    hashes: set[int]
    hash_idx: dict[int, list[int]]
    k: int
    token_coverage: float


def fingerprint(document: Document, boilerplate: np.ndarray, k: int = NOISE_K,
                guarantee: int = GUARANTEE_T) -> None:
    """copydetect's CodeFingerprint steps (filter, k-gram hashes, winnow, drop boilerplate), stable hashes."""
    from copydetect.utils import filter_code, get_token_coverage, winnow

    filtered, offsets = filter_code(document.code, document.name, "python")
    all_hashes = stable_kgrams(filtered, k) if len(filtered) >= k else np.array([], dtype=np.int64)
    if all_hashes.size:
        hashes, idx = winnow(all_hashes, guarantee - k + 1, remove_duplicates=False)
    else:
        hashes, idx = all_hashes, np.array([], dtype=np.int64)
    keep = ~np.isin(hashes, boilerplate)
    hash_idx: dict[int, list[int]] = {}
    for value, index in zip(hashes[keep].tolist(), idx[keep].tolist(), strict=True):
        hash_idx.setdefault(value, []).append(index)
    document.fingerprint = Fingerprint(filtered, offsets, set(hash_idx), hash_idx, k,
                                       float(get_token_coverage(hash_idx, k, len(filtered))))


def _fp(document: Document) -> Fingerprint:
    if document.fingerprint is None:
        raise ValueError(f"{document.name} has not been fingerprinted")
    return document.fingerprint


def _slices(array: np.ndarray) -> list[tuple[int, int]]:
    if array.size == 0:
        return []
    return [(int(s), int(e)) for s, e in zip(array[0], array[1], strict=True)]


def compare(a: Document, b: Document) -> Pair:
    from copydetect import compare_files

    shared_tokens, (share_a, share_b), (slices_a, slices_b) = compare_files(a.fingerprint, b.fingerprint)
    return Pair(a.name, b.name, float(min(share_a, 1.0)), float(min(share_b, 1.0)), int(shared_tokens), 0.0,
                _slices(np.asarray(slices_a)), _slices(np.asarray(slices_b)))


def mark_common(documents: list[Document], pairs: list[Pair]) -> int:
    """Set each pair's ``common``: the fraction of its shared fingerprints that many submissions hold."""
    holders: Counter[int] = Counter()
    for document in documents:
        holders.update(_fp(document).hashes)
    common_min = max(COMMON_MIN, math.ceil(COMMON_FRACTION * len(documents)))
    by_name = {d.name: d for d in documents}
    for pair in pairs:
        shared = _fp(by_name[pair.a]).hashes & _fp(by_name[pair.b]).hashes
        pair.common = sum(holders[h] >= common_min for h in shared) / len(shared) if shared else 0.0
    return common_min


def analyse(documents: list[Document], boilerplate_texts: list[str], *, k: int = NOISE_K,
            guarantee: int = GUARANTEE_T) -> Analysis:
    """Fingerprint every document and compare every pair; pairs sorted by score, best first."""
    boilerplate = boilerplate_hashes(boilerplate_texts, k)
    for document in documents:
        fingerprint(document, boilerplate, k, guarantee)
    pairs = [compare(a, b) for a, b in combinations(documents, 2)]
    common_min = mark_common(documents, pairs)
    pairs.sort(key=lambda p: (-p.score, -min(p.share_a, p.share_b), p.a, p.b))
    return Analysis(documents, pairs, int(boilerplate.size), common_min)
