"""Hidden tests for w14-char-tokenizer: vocabulary, encode/decode, the data tensor and the split.

Texts are the opening of Coriolanus (the start of Tiny Shakespeare) and Shakespeare-like texts generated
from a seeded word list, each run with a different set of characters.
"""

import numpy as np

from grader.judge import assert_close, assert_equal, assert_shape, points

EXCERPT = """First Citizen:
Before we proceed any further, hear me speak.

All:
Speak, speak.

First Citizen:
You are all resolved rather to die than to famish?

All:
Resolved. resolved.

First Citizen:
First, you know Caius Marcius is chief enemy to the people.

All:
We know't, we know't.

First Citizen:
Let us kill him, and we'll have corn at our own price.
Is't a verdict?

All:
No more talking on't; let it be done: away, away!
"""
# The 65 characters of the full Tiny Shakespeare file, sorted.
TINY_SHAKESPEARE_CHARS = "\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
WORDS = ("thou thee thy lord good king queen heaven night love death sweet fair noble speak hear know will shall "
         "must come go away citizen people gods bread corn price word blood crown sword honour grace marry "
         "why what where when here there now then yet never ever more most").split()
SPEAKERS = ["First Citizen", "Second Citizen", "MENENIUS", "CORIOLANUS", "VOLUMNIA", "All", "KING", "Jester"]


def generated_text(rng: np.random.Generator, n_lines: int = 40) -> str:
    """Speaker turns of random words from a random subset of WORDS, with random punctuation."""
    words = list(rng.choice(WORDS, size=int(rng.integers(12, len(WORDS))), replace=False))
    punct = list(rng.choice(list(",.;:!?'-&$"), size=int(rng.integers(2, 6)), replace=False))
    out = []
    for _ in range(n_lines // 4):
        out.append(str(rng.choice(SPEAKERS)) + ":")
        for _ in range(int(rng.integers(1, 4))):
            line = " ".join(str(w) for w in rng.choice(words, size=int(rng.integers(3, 9))))
            out.append(line[0].upper() + line[1:] + str(rng.choice(punct)))
        out.append("")
    return "\n".join(out) + "\n"


def substring(rng, text: str, length: int = 60) -> str:
    start = int(rng.integers(0, len(text) - length))
    return text[start:start + length]


@points(1, hint="chars = sorted(set(text)); stoi maps each character to its position in chars.")
def test_vocab_excerpt(student, reference):
    """build_vocab on the opening of Coriolanus: chars and stoi."""
    chars, stoi = student.build_vocab(EXCERPT)
    e_chars, e_stoi = reference.build_vocab(EXCERPT)
    assert_close(chars, e_chars, msg="chars")
    assert_close(stoi, e_stoi, msg="stoi")


@points(1, hint="Sort the distinct characters (not the order of first appearance, not a set's order).")
def test_vocab_generated(student, reference, rng):
    """build_vocab on a generated text with another set of characters."""
    text = generated_text(rng)
    chars, stoi = student.build_vocab(text)
    e_chars, e_stoi = reference.build_vocab(text)
    assert_close(chars, e_chars, msg="chars")
    assert_close(stoi, e_stoi, msg="stoi")


@points(2, hint="With the 65 characters of Tiny Shakespeare, 'First Cit' must encode to the notes' "
                "[18, 47, 56, 57, 58, 1, 15, 47, 58].")
def test_notes_encoding(student, reference):
    """A text with exactly Tiny Shakespeare's 65 characters: encode('First Cit') and encode('hii there')."""
    text = EXCERPT + TINY_SHAKESPEARE_CHARS
    chars, stoi = reference.build_vocab(text)
    assert len(chars) == 65
    s_chars, s_stoi = student.build_vocab(text)
    for s in ("First Cit", "hii there"):
        assert_close(student.encode(s, s_stoi), reference.encode(s, stoi), msg=f"encode({s!r}) with your vocabulary")
        assert_close(student.encode(s, stoi), reference.encode(s, stoi), msg=f"encode({s!r}) with the reference's")


@points(1, hint="encode returns a Python list of ints: [stoi[ch] for ch in s].")
def test_encode_generated(student, reference, rng):
    """encode of random substrings of a generated text (the reference's stoi)."""
    text = generated_text(rng)
    _, stoi = reference.build_vocab(text)
    for _ in range(3):
        s = substring(rng, text)
        assert_close(student.encode(s, stoi), reference.encode(s, stoi), msg=repr(s))


@points(1, hint="decode joins chars[i] for every id, with nothing in between.")
def test_decode(student, reference, rng):
    """decode of random id lists (the reference's chars)."""
    text = generated_text(rng)
    chars, _ = reference.build_vocab(text)
    ids = [int(i) for i in rng.integers(0, len(chars), size=50)]
    assert_equal(student.decode(ids, chars), reference.decode(ids, chars))


@points(1, hint="decode(encode(s)) must give s back exactly, newlines and punctuation included.")
def test_round_trip(student, rng):
    """decode(encode(s)) == s with the student's own vocabulary, on the excerpt and random substrings."""
    text = generated_text(rng)
    for source in (EXCERPT, text):
        chars, stoi = student.build_vocab(source)
        for s in (source, substring(rng, source), substring(rng, source, 5)):
            assert_equal(student.decode(student.encode(s, stoi), chars), s)


@points(1, hint="torch.tensor(encode(text), dtype=torch.long): int64, one id per character.")
def test_text_to_tensor(student, reference, rng):
    """text_to_tensor on a generated text: int64 [len(text)], exact ids."""
    text = generated_text(rng)
    _, stoi = reference.build_vocab(text)
    data = student.text_to_tensor(text, stoi)
    assert_shape(data, (len(text),))
    assert_equal(data, reference.text_to_tensor(text, stoi))


@points(2, hint="n = int(frac * len(data)); train is data[:n] (the first part), val is data[n:].")
def test_train_val_split(student, reference, rng):
    """train_val_split with frac 0.9 and 0.8 on a generated text: the exact two parts."""
    text = generated_text(rng, n_lines=int(rng.integers(30, 60)))
    _, stoi = reference.build_vocab(text)
    data = reference.text_to_tensor(text, stoi)
    for frac in (0.9, 0.8):
        train, val = student.train_val_split(data, frac)
        e_train, e_val = reference.train_val_split(data, frac)
        assert_equal(train, e_train, msg=f"train, frac={frac}")
        assert_equal(val, e_val, msg=f"val, frac={frac}")
