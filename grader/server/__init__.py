"""The course server (`grader serve`): HTTP submission, accounts, a database and a grading queue."""
