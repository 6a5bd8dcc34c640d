"""The database schema through Alembic: the migrations ship inside the package (grader/server/migrations)
and run at `grader serve` / `grader worker` start and by `grader db upgrade`.

Two processes starting at once against an empty database (a server and a worker) do not both create
it: PostgreSQL takes an advisory lock, SQLite a file lock next to the database file.
"""

from __future__ import annotations

import fcntl
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection, Engine

_LOCK_KEY = zlib.crc32(b"grader-server-migrations")


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("grader.server") / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


@contextmanager
def _exclusive(engine: Engine) -> Iterator[Connection]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
            connection.commit()
            try:
                yield connection
            finally:
                connection.rollback()
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
                connection.commit()
        return
    database = engine.url.database
    lock_path = Path(f"{database}.migrate-lock") if database and database != ":memory:" else None
    handle = lock_path.open("a") if lock_path else None
    try:
        if handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
        with engine.connect() as connection:
            yield connection
    finally:
        if handle:
            handle.close()


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Bring the schema to ``revision``; returns the revision the database is at afterwards."""
    with _exclusive(engine) as connection:
        if current_revision(connection) != head_revision():
            command.upgrade(config(connection), revision)
            connection.commit()
        return current_revision(connection) or ""


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    return ScriptDirectory.from_config(config()).get_current_head() or ""


def schema_diff(engine: Engine, metadata: MetaData) -> list[Any]:
    """What differs between the database's schema and the models' ``metadata`` (grader.server.db.Base's):
    empty when the migrations are complete."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))
