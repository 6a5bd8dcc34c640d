"""Alembic's environment for the server's schema: run by grader/server/migrate.py on a given connection."""

from __future__ import annotations

from alembic import context

from grader.server.db import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
with context.begin_transaction():
    context.run_migrations()
