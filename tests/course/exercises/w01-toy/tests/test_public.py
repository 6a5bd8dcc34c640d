"""Public tests for w01-toy: from the bundle's folder, run them with `grader check w01-toy w01-toy/toy.py`."""


def test_add_small(student):
    assert student.add(2, 3) == 5
