"""Hidden tests for w09-padding-prompts: padding with attention masks, overflow, generation budget, n-shot prompts.

No model is needed: token ids are seeded random integers, texts are built from a small word list.
"""

from __future__ import annotations

import numpy as np

from grader.judge import assert_equal, points

NOTES_INSTRUCTION = "Classify the sentiment of this sentence as either Positive or Negative."
NOTES_PROMPT = (
    "\nClassify the sentiment of this sentence as either Positive or Negative.\n"
    "Example:\n"
    "Text: \"I'm feeling great today!\" Sentiment: Positive\n"
    "Text: \"The weather today is lovely.\" Sentiment:\n"
)
WORDS = ["the", "movie", "was", "great", "awful", "I", "loved", "it", "boring", "plot", "today", "weather"]


def sentence(rng: np.random.Generator) -> str:
    """A random short sentence."""
    return " ".join(str(w) for w in rng.choice(WORDS, size=int(rng.integers(3, 8)))).capitalize() + "!"


def id_lists(rng: np.random.Generator, n: int) -> list[list[int]]:
    """n random token-id lists of different lengths (ids 1..999, never the pad id 0)."""
    return [[int(v) for v in rng.integers(1, 1000, size=int(rng.integers(1, 9)))] for _ in range(n)]


def as_lists(value) -> list:
    """Nested sequences (lists, tuples or arrays) as nested lists of ints."""
    return [[int(v) for v in row] for row in value]


@points(1.5, hint="reproduce the notes' string exactly: a leading newline, 'Example:' and a final newline")
def test_notes_prompt(student, reference, rng):
    """few_shot_prompt with the notes' instruction, one example and query equals the notes' input_text exactly."""
    got = student.few_shot_prompt(NOTES_INSTRUCTION, [("I'm feeling great today!", "Positive")],
                                  "The weather today is lovely.")
    assert_equal(got, NOTES_PROMPT)


@points(1.5, hint="'Example:' for one example, 'Examples:' for several, no header for zero-shot; labels without quotes")
def test_prompt_random(student, reference, rng):
    """few_shot_prompt with 0, 1 and 3 random examples equals the reference."""
    for k in (0, 1, 3):
        examples = [(sentence(rng), str(rng.choice(["Positive", "Negative"]))) for _ in range(k)]
        query = sentence(rng)
        assert_equal(student.few_shot_prompt(NOTES_INSTRUCTION, examples, query),
                     reference.few_shot_prompt(NOTES_INSTRUCTION, examples, query))


@points(1, hint="zero-shot: no examples, one-shot: one example, few-shot: several")
def test_n_shot_kind(student, reference, rng):
    """n_shot_kind for 0, 1, 2 and a random larger number of examples."""
    for k in (0, 1, 2, int(rng.integers(3, 20))):
        assert_equal(student.n_shot_kind(k), reference.n_shot_kind(k))


@points(1.5, hint="pad on the right to the longest sequence; the mask is 1 for real tokens and 0 for padding")
def test_pad_right(student, reference, rng):
    """pad_batch(..., 'right') of random id lists: the reference's input_ids and attention_mask."""
    seqs, pad_id = id_lists(rng, 5), int(rng.integers(0, 3))
    got, expected = student.pad_batch(seqs, pad_id), reference.pad_batch(seqs, pad_id)
    assert_equal(as_lists(got["input_ids"]), expected["input_ids"])
    assert_equal(as_lists(got["attention_mask"]), expected["attention_mask"])


@points(1.5, hint="padding_side='left' puts the pad ids (and mask zeros) before the tokens")
def test_pad_left(student, reference, rng):
    """pad_batch(..., 'left') of random id lists: the reference's input_ids and attention_mask."""
    seqs, pad_id = id_lists(rng, 4), 0
    got, expected = student.pad_batch(seqs, pad_id, "left"), reference.pad_batch(seqs, pad_id, "left")
    assert_equal(as_lists(got["input_ids"]), expected["input_ids"])
    assert_equal(as_lists(got["attention_mask"]), expected["attention_mask"])


@points(1, hint="with max_length every row has exactly max_length ids: longer ones are truncated, shorter ones padded")
def test_pad_max_length(student, reference, rng):
    """pad_batch with max_length 5 on lists of 1-8 ids (both sides): the reference's rows of length 5."""
    seqs = id_lists(rng, 6) + [[int(v) for v in rng.integers(1, 100, size=8)]]  # at least one to truncate
    for side in ("right", "left"):
        got, expected = student.pad_batch(seqs, 0, side, 5), reference.pad_batch(seqs, 0, side, 5)
        assert_equal(as_lists(got["input_ids"]), expected["input_ids"])
        assert_equal(as_lists(got["attention_mask"]), expected["attention_mask"])


@points(1, hint="move what does not fit into new inputs: chunks of max_length ids, the last one may be shorter")
def test_split_overflow(student, reference, rng):
    """split_overflow of a random id list longer than the context equals the reference's chunks."""
    ids = [int(v) for v in rng.integers(1, 1000, size=int(rng.integers(10, 40)))]
    size = int(rng.integers(3, 8))
    assert_equal(as_lists(student.split_overflow(ids, size)), reference.split_overflow(ids, size))
    assert_equal(as_lists(student.split_overflow(ids[:size], size)), [ids[:size]])


@points(1, hint="max_length (default 20) counts the prompt; max_new_tokens, if set, overrides it")
def test_new_tokens_budget(student, reference, rng):
    """A 6-token prompt with the default max_length gets 14 new tokens; random cases equal the reference."""
    assert_equal(student.new_tokens_budget(6), 14)
    for _ in range(3):
        prompt, max_length = int(rng.integers(1, 40)), int(rng.integers(20, 60))
        assert_equal(student.new_tokens_budget(prompt, max_length), reference.new_tokens_budget(prompt, max_length))
    assert_equal(student.new_tokens_budget(30, 20), 0)
    assert_equal(student.new_tokens_budget(6, 20, 50), 50)
