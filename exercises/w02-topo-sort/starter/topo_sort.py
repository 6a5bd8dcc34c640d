"""w02-topo-sort: topological ordering of a directed graph and its scheduling application (notes L1707-1713).

A graph is a dict: graph[u] lists the successors v of u, i.e. the edges (u, v), "u must come before v".
A node that only appears in successor lists (a sink) is a node too. Standard library only.
"""

from __future__ import annotations


def topological_sort(graph: dict[str, list[str]]) -> list[str]:
    """Every node exactly once, with u before v for every edge (u, v).

    Raise ValueError if the graph has a cycle (a self-loop u -> u is a cycle too). Must work for a chain
    of thousands of nodes.
    """
    raise NotImplementedError  # TODO


def earliest_start(graph: dict[str, list[str]], duration: dict[str, float]) -> dict[str, float]:
    """Earliest start time of every task (node), given how long each task takes.

    A task with nothing before it starts at 0.0; otherwise it starts when ALL tasks with an edge into it have
    finished: start[v] = max(start[u] + duration[u]) over the edges (u, v).
    """
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    dressing = {"underwear": ["pants", "shoes"], "pants": ["belt", "shoes"], "shirt": ["belt", "tie"],
                "tie": ["jacket"], "belt": ["jacket"], "socks": ["shoes"], "watch": []}
    print(topological_sort(dressing))
