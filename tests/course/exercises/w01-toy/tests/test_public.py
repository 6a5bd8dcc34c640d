def test_add_small(student):
    assert student.add(2, 3) == 5
