"""MUTANT keys_only: treats only the dict keys as nodes: sinks that never appear as keys are lost.

w02-topo-sort: topological ordering of a directed graph and its scheduling application (notes L1707-1713).

A graph is a dict: graph[u] lists the successors v of u, i.e. the edges (u, v), "u must come before v".
A node that only appears in successor lists (a sink) is a node too.
"""

from __future__ import annotations


def all_nodes(graph: dict[str, list[str]]) -> list[str]:
    """Every node once, keys first (in key order), then sinks in order of first appearance."""
    seen: dict[str, None] = {}
    for u, successors in graph.items():
        seen.setdefault(u)
    return list(seen)


def topological_sort(graph: dict[str, list[str]]) -> list[str]:
    """Every node exactly once, u before v for every edge (u, v); ValueError if the graph has a cycle.

    Kahn's algorithm (iterative, so a chain of thousands of nodes is fine).
    """
    nodes = all_nodes(graph)
    indegree = dict.fromkeys(nodes, 0)
    for successors in graph.values():
        for v in set(successors):
            if v in indegree:
                indegree[v] += 1
    ready = [u for u in nodes if indegree[u] == 0]
    order: list[str] = []
    while ready:
        u = ready.pop()
        order.append(u)
        for v in set(graph.get(u, [])):
            if v not in indegree:
                continue
            indegree[v] -= 1
            if indegree[v] == 0:
                ready.append(v)
    if len(order) != len(nodes):
        raise ValueError("the graph has a cycle, so it has no topological order")
    return order


def earliest_start(graph: dict[str, list[str]], duration: dict[str, float]) -> dict[str, float]:
    """Earliest start time of every task: a task starts when all tasks that must come before it have finished.

    Tasks with nothing before them start at 0; otherwise start[v] = max(start[u] + duration[u]) over edges (u, v).
    """
    start = dict.fromkeys(all_nodes(graph), 0.0)
    for u in topological_sort(graph):
        for v in graph.get(u, []):
            start[v] = max(start[v], start[u] + duration[u])
    return start


if __name__ == "__main__":
    dressing = {"underwear": ["pants", "shoes"], "pants": ["belt", "shoes"], "shirt": ["belt", "tie"],
                "tie": ["jacket"], "belt": ["jacket"], "socks": ["shoes"], "watch": []}
    print(topological_sort(dressing))
