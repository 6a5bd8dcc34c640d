"""Hidden tests for w02-topo-sort: edge property on random DAGs, every node once, cycles, depth, scheduling."""

from __future__ import annotations

import numpy as np
import pytest

from grader.judge import assert_close, points

try:
    from grader.judge import StudentError
except ImportError:  # the authoring shim runs student code in-process
    StudentError = Exception

DRESSING = {"underwear": ["pants", "shoes"], "pants": ["belt", "shoes"], "shirt": ["belt", "tie"],
            "tie": ["jacket"], "belt": ["jacket"], "socks": ["shoes"], "watch": []}


def random_dag(rng: np.random.Generator, n: int, p: float) -> dict[str, list[str]]:
    """A random DAG on n shuffled labels; about half of the sinks appear only in successor lists."""
    labels = [f"task{i}" for i in rng.permutation(n)]  # hidden rank order, unrelated to the names
    graph: dict[str, list[str]] = {}
    for i in rng.permutation(n):
        successors = [labels[j] for j in range(i + 1, n) if rng.random() < p]
        successors = [successors[k] for k in rng.permutation(len(successors))]
        if successors or rng.random() < 0.5:
            graph[labels[i]] = successors
    return graph


def nodes_of(graph: dict[str, list[str]]) -> set[str]:
    return set(graph) | {v for successors in graph.values() for v in successors}


def check_order(graph: dict[str, list[str]], order: list[str]) -> None:
    """order is a permutation of the graph's nodes with u before v for every edge (u, v)."""
    assert type(order) is list, f"expected a list, got {type(order).__name__}"
    assert len(order) == len(set(order)), "a node appears more than once"
    assert set(order) == nodes_of(graph), f"missing {sorted(nodes_of(graph) - set(order))[:5]}, " \
                                          f"extra {sorted(set(order) - nodes_of(graph))[:5]}"
    index = {u: i for i, u in enumerate(order)}
    for u, successors in graph.items():
        for v in successors:
            assert index[u] < index[v], f"edge ({u!r}, {v!r}) but {v!r} comes first"


def raised_name(excinfo: pytest.ExceptionInfo) -> str:
    """The student's exception type, through the sandbox (StudentError) or in-process."""
    return getattr(excinfo.value, "type_name", type(excinfo.value).__name__)


@points(1, hint="for every edge (u, v), u must come before v in the returned list")
def test_dressing_example(student):
    """The classic 'getting dressed' schedule, with an isolated node ('watch')."""
    check_order(DRESSING, student.topological_sort(DRESSING))


@points(3, hint="for every edge (u, v), u must come before v; node names say nothing about the order")
def test_random_dags(student, rng):
    """Random DAGs with 1 to 60 nodes in shuffled key and successor order."""
    for n, p in ((1, 0.5), (5, 0.5), (20, 0.2), (40, 0.1), (60, 0.3)):
        graph = random_dag(rng, n, p)
        check_order(graph, student.topological_sort(graph))


@points(1, hint="nodes that appear only as successors are nodes too; every node exactly once")
def test_every_node_once(student, rng):
    """Sinks that are not keys, isolated nodes and repeated edges: every node appears exactly once."""
    graph = {"a": ["b", "c", "b"], "b": ["d"], "c": ["d", "e"], "lonely": []}
    check_order(graph, student.topological_sort(graph))
    graph = random_dag(rng, 30, 0.15)
    graph = {u: vs + vs[:1] for u, vs in graph.items()}  # repeat each node's first edge
    check_order(graph, student.topological_sort(graph))


@points(2, hint="a cycle (even a self-loop u -> u) means there is no valid order: raise ValueError")
def test_cycles_raise(student, rng):
    """A 3-cycle, a self-loop and a random DAG with one back edge all raise ValueError."""
    cyclic = [{"a": ["b"], "b": ["c"], "c": ["a"]}, {"x": ["y"], "y": ["y"]}]
    graph = random_dag(rng, 25, 0.3)
    order = [u for u in sorted(nodes_of(graph)) if u in graph and graph[u]]
    u = order[int(rng.integers(len(order)))]
    graph[u] = graph[u] + [u]  # a self-loop hidden in a big graph
    cyclic.append(graph)
    chain = {f"n{i}": [f"n{i + 1}"] for i in range(10)}
    chain["n10"] = ["n3"]  # a back edge deep in a chain
    cyclic.append(chain)
    for graph in cyclic:
        with pytest.raises(StudentError) as excinfo:
            student.topological_sort(graph)
        assert raised_name(excinfo) == "ValueError", f"raised {raised_name(excinfo)}, expected ValueError"


@points(1, hint="a recursive DFS hits Python's recursion limit (about 1000): use an explicit stack or Kahn's algorithm")
def test_deep_chain(student, rng):
    """A chain of 3000 tasks, given in shuffled key order."""
    n = 3000
    graph = {f"s{i}": [f"s{i + 1}"] for i in range(n - 1)}
    graph = {k: graph[k] for k in (f"s{i}" for i in rng.permutation(n - 1))}
    assert student.topological_sort(graph) == [f"s{i}" for i in range(n)]


@points(2, hint="a task starts when ALL tasks before it have finished: the max of start + duration over its "
        "predecessors")
def test_earliest_start(student, reference, rng):
    """Earliest start times on the dressing graph and on random DAGs with random durations."""
    for graph in (DRESSING, random_dag(rng, 15, 0.3), random_dag(rng, 40, 0.1)):
        duration = {u: float(d) for u, d in zip(sorted(nodes_of(graph)), rng.integers(1, 20, size=50), strict=False)}
        expected = reference.earliest_start(graph, duration)
        assert_close(student.earliest_start(graph, duration), expected)
