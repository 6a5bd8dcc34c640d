"""Targeted re-grades (placeholder until the grade keys land)."""

from __future__ import annotations

from starlette.routing import Route

from grader.server.store import Server


def batches(server: Server) -> list[object]:
    return []


def routes() -> list[Route]:
    return []
