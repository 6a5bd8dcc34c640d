import os

from grader.judge import points


@points(1)
def test_kills_the_judge(student):
    if student.add(1, 1) == 2:
        os._exit(13)
