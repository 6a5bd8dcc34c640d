"""The server tests' databases: every test that touches the database runs on SQLite and on PostgreSQL.

PostgreSQL: a fresh database per test on the server named by GRADER_TEST_PG (default: the role
scripts/setup_services.sh creates, postgresql://grader:grader@127.0.0.1:5432/postgres), dropped after;
the PostgreSQL run is skipped, saying why, only when no PostgreSQL answers there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ADMIN = os.environ.get("GRADER_TEST_PG", "postgresql://grader:grader@127.0.0.1:5432/postgres")


def _admin_engine():  # type: ignore[no-untyped-def]
    url = make_url(ADMIN.replace("postgresql://", "postgresql+psycopg://", 1))
    return create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})


def pg_problem() -> str | None:
    try:
        with _admin_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - the reason is the skip message
        return f"no PostgreSQL at {make_url(ADMIN).render_as_string(hide_password=True)} " \
               f"(run scripts/setup_services.sh): {str(exc).splitlines()[0][:200]}"
    return None


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file path, or a postgresql:// URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "server.sqlite")
        return
    problem = pg_problem()
    if problem:
        pytest.skip(problem)
    name = f"grader_t_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(ADMIN).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def rows(db: str, query: str) -> list[tuple]:
    """Run ``query`` on the test database (either kind)."""
    from grader.server.db import make_engine

    engine = make_engine(db)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(query))]
    finally:
        engine.dispose()
