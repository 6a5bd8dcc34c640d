"""MUTANT no_cycle_check: a DFS with a visited set but no 'on the stack' state: cycles are silently ignored.

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
        for v in successors:
            seen.setdefault(v)
    return list(seen)


def topological_sort(graph: dict[str, list[str]]) -> list[str]:
    """Iterative DFS post-order, reversed; no cycle detection."""
    order: list[str] = []
    visited: set[str] = set()
    for root in all_nodes(graph):
        if root in visited:
            continue
        visited.add(root)
        stack = [(root, iter(graph.get(root, [])))]
        while stack:
            u, successors = stack[-1]
            for v in successors:
                if v not in visited:
                    visited.add(v)
                    stack.append((v, iter(graph.get(v, []))))
                    break
            else:
                stack.pop()
                order.append(u)
    return order[::-1]


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
