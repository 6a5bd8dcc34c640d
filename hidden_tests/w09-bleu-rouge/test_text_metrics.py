"""Hidden tests for w09-bleu-rouge: clipped n-gram precision, corpus BLEU (as evaluate's "bleu"), ROUGE-N and ROUGE-L.

The notes' examples are checked with their exact printed values; random sentences (a small vocabulary,
capitalised words, punctuation, numbers) are compared with the reference.
"""

from __future__ import annotations

import numpy as np

from grader.judge import assert_close, assert_equal, points

VOCAB = ["the", "cat", "dog", "sat", "on", "mat", "a", "is", "there", "ran", "ice", "sheet", "melting",
         "faster", "than", "thought", "planets", "are", "common", "we", "learn", "more", "about", "knight"]
PUNCT = [",", ".", "!", "?", ";"]

ANTARCTICA_REFS = [
    "Latest research findings in Antarctica show significant ice loss due to climate change.",
    "Latest research findings in Antarctica show that the ice sheet is melting faster than previously thought.",
]
ANTARCTICA = "Latest research findings in Antarctica show that the ice sheet is melting faster than previously thought."
QUIXOTE = ("He thought it right and necessary to become a knight-errant, roaming the world in armor, seeking "
           "adventures and practicing the deeds he had read about in chivalric tales.")
QUIXOTE_REF = ("He believed it was proper and essential to transform into a knight-errant, traveling the world in "
               "armor, pursuing adventures, and enacting the heroic deeds he had encountered in tales of chivalry.")
EXO_PRED = ("as we learn more about the frequency and size distribution of exoplanets, we are discovering that "
            "terrestrial planets are exceedingly common.")
EXO_REF = ("The more we learn about the frequency and size distribution of exoplanets, the more confident we are "
           "that they are exceedingly common.")


def scalar(value):
    """A float from a Python number or a 0-d array."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return float(value.item())
    return value


def words(rng: np.random.Generator, n: int) -> list[str]:
    """n random vocabulary words."""
    return [str(w) for w in rng.choice(VOCAB, size=n)]


def sentence(tokens: list[str], rng: np.random.Generator) -> str:
    """Join words into a sentence with a capital letter, some glued punctuation and a final period."""
    out = []
    for i, w in enumerate(tokens):
        w = w.capitalize() if i == 0 else w
        if rng.random() < 0.15:
            w += str(rng.choice(PUNCT[:2]))
        if rng.random() < 0.05:
            w = f"{w} {int(rng.integers(0, 100))}.{int(rng.integers(0, 10))}"
        out.append(w)
    return " ".join(out) + "."


def perturb(tokens: list[str], rng: np.random.Generator) -> list[str]:
    """A prediction made from a reference: some words replaced, dropped, duplicated or swapped."""
    out = list(tokens)
    for _ in range(int(rng.integers(1, 4))):
        i = int(rng.integers(0, len(out)))
        op = rng.integers(0, 4)
        if op == 0:
            out[i] = str(rng.choice(VOCAB))
        elif op == 1 and len(out) > 3:
            del out[i]
        elif op == 2:
            out.insert(i, out[i])
        else:
            j = int(rng.integers(0, len(out)))
            out[i], out[j] = out[j], out[i]
    return out


@points(1, hint="clip each n-gram's count by the MAXIMUM number of times it occurs in any single reference")
def test_modified_precision_notes(student, reference, rng):
    """The notes' examples: 'the' x 7 -> 2/7 (lowercased), 'years six thirty have I' -> 4/5 unigrams, 0/2 4-grams."""
    refs = [["the", "cat", "is", "on", "the", "mat"], ["there", "is", "a", "cat", "on", "the", "mat"]]
    assert_equal(tuple(student.modified_precision(["the"] * 7, refs, 1)), (2, 7))
    cand, ref = "years six thirty have I".split(), ["I am thirty six years old".split()]
    assert_equal(tuple(student.modified_precision(cand, ref, 1)), (4, 5))
    assert_equal(tuple(student.modified_precision(cand, ref, 4)), (0, 2))


@points(1, hint="count candidate n-grams with multiplicity; a candidate shorter than n has 0 n-grams")
def test_modified_precision_random(student, reference, rng):
    """modified_precision on random token lists (repeated words, 1-3 references, n = 1..3) equals the reference."""
    for _ in range(4):
        refs = [words(rng, int(rng.integers(4, 10))) for _ in range(int(rng.integers(1, 4)))]
        cand = perturb(refs[0], rng) + words(rng, int(rng.integers(0, 3)))
        for n in (1, 2, 3):
            assert_equal(tuple(student.modified_precision(cand, refs, n)), reference.modified_precision(cand, refs, n))
    assert_equal(tuple(student.modified_precision(["a"], [["a", "b"]], 2)), (0, 0))


@points(1, hint="13a: split punctuation off the words, but keep '.' and ',' between digits (3.5 stays one token)")
def test_tokenize_13a(student, reference, rng):
    """tokenize_13a on the notes' sentences and random sentences with punctuation and decimals."""
    for text in (ANTARCTICA, QUIXOTE, "It costs $3.50, (really)!", sentence(words(rng, 12), rng)):
        assert_equal(list(student.tokenize_13a(text)), reference.tokenize_13a(text))


@points(1.5, hint="reference_length uses the SHORTEST reference (14), the translation has 16 words + '.' = 17 tokens")
def test_bleu_antarctica(student, reference, rng):
    """The notes' Antarctica example gives exactly bleu 1.0, BP 1.0, ratio 1.2142857, lengths 17 / 14."""
    got = student.bleu([ANTARCTICA], [ANTARCTICA_REFS])
    expected = {"bleu": 1.0, "precisions": [1.0, 1.0, 1.0, 1.0], "brevity_penalty": 1.0,
                "length_ratio": 1.2142857142857142, "translation_length": 17, "reference_length": 14}
    assert_equal(sorted(got), sorted(expected))
    for key, value in expected.items():
        assert_close(scalar(got[key]), value, msg=f"{key}: ")


@points(1, hint="geometric mean of the 4 clipped precisions times BP = exp(1 - r/c) when the translation is shorter")
def test_bleu_don_quixote(student, reference, rng):
    """The notes' Don Quixote sentence: BLEU 0.19088841781992524 (BP 0.8789, 31 vs 35 tokens)."""
    got = student.bleu([QUIXOTE], [[QUIXOTE_REF]])
    assert_close(scalar(got["bleu"]), 0.19088841781992524)
    assert_close(scalar(got["brevity_penalty"]), reference.bleu([QUIXOTE], [[QUIXOTE_REF]])["brevity_penalty"])
    assert_equal((got["translation_length"], got["reference_length"]), (31, 35))


@points(1.5, hint="corpus BLEU: add up clipped matches, n-gram counts and lengths over ALL sentences before dividing")
def test_bleu_random_corpus(student, reference, rng):
    """bleu of a random 4-sentence corpus (1-2 references each) equals the reference's dict."""
    predictions, references = [], []
    for _ in range(4):
        refs = [words(rng, int(rng.integers(8, 16))) for _ in range(int(rng.integers(1, 3)))]
        predictions.append(sentence(perturb(refs[0], rng), rng))
        references.append([sentence(r, rng) for r in refs])
    got, expected = student.bleu(predictions, references), reference.bleu(predictions, references)
    for key, value in expected.items():
        assert_close(scalar(got[key]), value, msg=f"{key}: ")


@points(1, hint="ROUGE tokens: lowercase, non-alphanumerics are separators, no stemming; F1 of precision and recall")
def test_rouge_notes(student, reference, rng):
    """The notes' exoplanet example: rouge1 0.7906976744186046, rouge2 0.5365853658536585, rougeL 0.7441860465116279."""
    assert_close(scalar(student.rouge_n(EXO_PRED, EXO_REF, 1)), 0.7906976744186046)
    assert_close(scalar(student.rouge_n(EXO_PRED, EXO_REF, 2)), 0.5365853658536585)
    assert_close(scalar(student.rouge_l(EXO_PRED, EXO_REF)), 0.7441860465116279)


@points(1, hint="overlap = sum over n-grams of min(count in prediction, count in reference); F1 = 2PR / (P + R)")
def test_rouge_n_random(student, reference, rng):
    """rouge_n for n = 1, 2, 3 on random sentence pairs (capitals, punctuation) and a plural/singular pair."""
    assert_close(scalar(student.rouge_n("The cats sat on mats.", "the cat sat on the mat", 1)),
                 reference.rouge_n("The cats sat on mats.", "the cat sat on the mat", 1))
    for _ in range(3):
        ref = words(rng, int(rng.integers(6, 14)))
        pred, ref_text = sentence(perturb(ref, rng), rng), sentence(ref, rng).upper()
        for n in (1, 2, 3):
            assert_close(scalar(student.rouge_n(pred, ref_text, n)), reference.rouge_n(pred, ref_text, n))


@points(1, hint="ROUGE-L uses the longest common SUBSEQUENCE (words in order, gaps allowed), not a substring")
def test_rouge_l_random(student, reference, rng):
    """rouge_l on random sentence pairs with swapped and replaced words equals the reference."""
    for _ in range(3):
        ref = words(rng, int(rng.integers(6, 14)))
        pred, ref_text = sentence(perturb(perturb(ref, rng), rng), rng), sentence(ref, rng)
        assert_close(scalar(student.rouge_l(pred, ref_text)), reference.rouge_l(pred, ref_text))
