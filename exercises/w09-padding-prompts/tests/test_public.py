"""Public tests for w09-padding-prompts: from the bundle's folder, run them with
`grader check w09-padding-prompts w09-padding-prompts/prompts.py`.
"""

from grader.judge import assert_equal


def test_pad_right(student):
    """[[5, 6, 7], [8]] padded with 0 on the right: [[5, 6, 7], [8, 0, 0]], mask [[1, 1, 1], [1, 0, 0]]."""
    out = student.pad_batch([[5, 6, 7], [8]], 0)
    assert_equal([list(r) for r in out["input_ids"]], [[5, 6, 7], [8, 0, 0]])
    assert_equal([list(r) for r in out["attention_mask"]], [[1, 1, 1], [1, 0, 0]])


def test_overflow(student):
    """Seven ids in a context of 3: [0, 1, 2], [3, 4, 5], [6]."""
    assert_equal([list(c) for c in student.split_overflow(list(range(7)), 3)], [[0, 1, 2], [3, 4, 5], [6]])


def test_budget(student):
    """A 6-token prompt and the default max_length=20: 14 new tokens."""
    assert_equal(student.new_tokens_budget(6), 14)


def test_zero_shot_prompt(student):
    """Zero-shot: no header, only the instruction and the query line."""
    assert_equal(student.few_shot_prompt("Classify.", [], "Nice!"), '\nClassify.\nText: "Nice!" Sentiment:\n')
