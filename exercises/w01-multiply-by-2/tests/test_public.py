"""Public tests for w01-multiply-by-2: from the bundle's folder, run them with
`grader check w01-multiply-by-2 w01-multiply-by-2/multiply_by_2.py`.
"""

from grader.judge import assert_close, assert_equal


def test_create_dataset(student):
    """create_dataset(4) is [(0, 0), (1, 2), (2, 4), (3, 6)]."""
    assert_equal(student.create_dataset(4), [(0, 0), (1, 2), (2, 4), (3, 6)])


def test_seeded_initial_weight_and_loss(student):
    """Seed 42 gives w0 = 3.745401188473625, and its loss on 6 samples is 27.92556532998047."""
    w0 = student.initialize_weights(0, 10, seed=42)
    assert_close(w0, 3.745401188473625)
    assert_close(student.calculate_loss(w0, student.create_dataset(6)), 27.92556532998047)


def test_train_reaches_two(student):
    """500 epochs with learning rate 1e-3 and eps 1e-3 end close to w = 2."""
    w = student.train(3.745401188473625, student.create_dataset(6))
    assert abs(w - 2) < 1e-2, w
