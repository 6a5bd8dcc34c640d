"""Hidden tests for w11-bigram: vocabulary, counts, probabilities, NLL and perplexity on generated names.

Names come from a seeded syllable generator (no downloads); each seed uses a different subset of the
consonants, so the vocabulary never covers the whole alphabet.
"""

import math

from grader.judge import assert_close, assert_equal, points
from grader.judge.data import CONSONANTS, NOTES_WORDS, VOWELS, make_names


def split_vocab(result) -> tuple[dict, list]:
    """(stoi, itos as a list): the notes' ``{i: s}`` dict is accepted when its keys are exactly 0..n-1."""
    stoi, itos = result
    if type(itos) is dict and all(type(k) is int for k in itos) and set(itos) == set(range(len(itos))):
        itos = [itos[i] for i in range(len(itos))]
    return stoi, itos


@points(1, hint="'.' gets index 0, then the letters that occur, in sorted order; itos maps each index to its char.")
def test_vocab_notes_names(student, reference):
    """build_vocab on the notes' first names (emma, olivia, ava, isabella)."""
    stoi, itos = split_vocab(student.build_vocab(NOTES_WORDS))
    ref_stoi, ref_itos = reference.build_vocab(NOTES_WORDS)
    assert_close(stoi, ref_stoi, msg="stoi")
    assert_close(itos, ref_itos, msg="itos")


@points(1, hint="Build the vocabulary from the letters that occur in the words, not from a fixed alphabet.")
def test_vocab_generated_names(student, reference, rng):
    """build_vocab on generated names that use only some of the letters."""
    words = make_names(rng)
    stoi, itos = split_vocab(student.build_vocab(words))
    ref_stoi, ref_itos = reference.build_vocab(words)
    assert_close(stoi, ref_stoi, msg="stoi")
    assert_close(itos, ref_itos, msg="itos")


@points(1, hint="Wrap each word as '.' + word + '.'; counts[i, j] counts character j following character i.")
def test_counts_notes_names(student, reference):
    """The count matrix of the notes' four names (25 bigrams, 'a.' four times), exact, int64."""
    stoi, _ = reference.build_vocab(NOTES_WORDS)
    assert_equal(student.bigram_counts(NOTES_WORDS, stoi), reference.bigram_counts(NOTES_WORDS, stoi))


@points(1, hint="Every bigram of '.' + word + '.' counts once; rows are the first character, columns the second.")
def test_counts_generated_names(student, reference, rng):
    """The count matrix of generated names, exact, int64."""
    words = make_names(rng)
    stoi, _ = reference.build_vocab(words)
    assert_equal(student.bigram_counts(words, stoi), reference.bigram_counts(words, stoi))


@points(1, hint="P = (counts + smoothing) as float32, each row divided by its own sum (keepdim=True).")
def test_probs_default_smoothing(student, reference, rng):
    """bigram_probs(counts) with the default +1 smoothing: float32, rows sum to 1."""
    words = make_names(rng)
    counts = reference.bigram_counts(words, reference.build_vocab(words)[0])
    assert_close(student.bigram_probs(counts), reference.bigram_probs(counts))


@points(1, hint="Use the smoothing argument: 0 means raw counts, larger values make rows more uniform.")
def test_probs_other_smoothing(student, reference, rng):
    """bigram_probs with smoothing 0 and 5."""
    words = make_names(rng)
    counts = reference.bigram_counts(words, reference.build_vocab(words)[0])
    for smoothing in (0, 5):
        assert_close(student.bigram_probs(counts, smoothing=smoothing),
                     reference.bigram_probs(counts, smoothing=smoothing), msg=f"smoothing={smoothing}")


@points(2, hint="NLL is minus the mean of ln(p) over all bigrams of all words (each wrapped in '.'), natural log.")
def test_nll(student, reference, rng):
    """nll on the training names and on new names, with +1-smoothed probabilities, as a Python float."""
    consonants = "".join(sorted(rng.choice(list(CONSONANTS), size=8, replace=False)))
    train = make_names(rng, consonants=consonants)
    test = make_names(rng, n=60, consonants=consonants)
    stoi, _ = reference.build_vocab(train + test)
    probs = reference.bigram_probs(reference.bigram_counts(train, stoi))
    assert_close(student.nll(train, probs, stoi), reference.nll(train, probs, stoi), rtol=1e-4, msg="train")
    assert_close(student.nll(test, probs, stoi), reference.nll(test, probs, stoi), rtol=1e-4, msg="new names")


@points(1, hint="Without smoothing an unseen bigram has probability 0, so the NLL is infinite; with +1 it is finite.")
def test_nll_unseen_bigram(student, reference, rng):
    """A word with a bigram never seen in training: inf without smoothing, the reference value with +1."""
    words = make_names(rng)
    stoi, itos = reference.build_vocab(words)
    counts = reference.bigram_counts(words, stoi)
    c = next(ch for ch in itos[1:] if ch not in VOWELS)
    word = c + c + next(ch for ch in itos[1:] if ch in VOWELS)
    assert int(counts[stoi[c], stoi[c]]) == 0, "test set-up: the bigram must be unseen"
    got = student.nll([word], reference.bigram_probs(counts, smoothing=0), stoi)
    assert got == math.inf, f"expected inf for an unseen bigram without smoothing, got {got!r}"
    smoothed = reference.bigram_probs(counts, smoothing=1)
    assert_close(student.nll([word], smoothed, stoi), reference.nll([word], smoothed, stoi), rtol=1e-4)


@points(1, hint="Perplexity is exp(NLL) with the natural exponential.")
def test_perplexity(student, reference, rng):
    """perplexity = exp(nll) on generated names."""
    words = make_names(rng)
    stoi, _ = reference.build_vocab(words)
    probs = reference.bigram_probs(reference.bigram_counts(words, stoi))
    assert_close(student.perplexity(words, probs, stoi), reference.perplexity(words, probs, stoi), rtol=1e-4)
