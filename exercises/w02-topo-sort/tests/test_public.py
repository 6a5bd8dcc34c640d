"""Public tests for w02-topo-sort: from the bundle's folder, run them with
`grader check w02-topo-sort w02-topo-sort/topo_sort.py`.
"""

import pytest

from grader.judge import assert_close

DRESSING = {"underwear": ["pants", "shoes"], "pants": ["belt", "shoes"], "shirt": ["belt", "tie"],
            "tie": ["jacket"], "belt": ["jacket"], "socks": ["shoes"], "watch": []}


def test_dressing(student):
    """Every item once, and u before v for every edge (u, v)."""
    order = student.topological_sort(DRESSING)
    nodes = set(DRESSING) | {v for vs in DRESSING.values() for v in vs}
    assert sorted(order) == sorted(nodes)
    for u, vs in DRESSING.items():
        for v in vs:
            assert order.index(u) < order.index(v), (u, v)


def test_cycle(student):
    """a -> b -> c -> a has no topological order."""
    with pytest.raises(Exception) as excinfo:
        student.topological_sort({"a": ["b"], "b": ["c"], "c": ["a"]})
    # through the sandbox the error arrives as a StudentError that names the student's exception type
    assert getattr(excinfo.value, "type_name", type(excinfo.value).__name__) == "ValueError", excinfo.value


def test_earliest_start(student):
    """'c' waits for both 'a' (3 long) and 'b' (5 long)."""
    start = student.earliest_start({"a": ["c"], "b": ["c"]}, {"a": 3.0, "b": 5.0, "c": 1.0})
    assert_close(start, {"a": 0.0, "b": 0.0, "c": 5.0})
